"""OCR with Tesseract's Vietnamese model, page by page, cached.

Every call runs ``tesseract IMAGE - -l vie --psm 3`` with
``OMP_THREAD_LIMIT=1`` (Tesseract's own threading is about 9× slower on a
small machine; parallelism comes from processes).  The text of a page image
is cached under the sha256 of the image bytes, so no image is ever OCRed
twice; cache files are written to a temporary name and renamed.

An image file is checked before Tesseract sees it: more than
``MAX_PIXELS`` pixels in a frame is refused (a decompression bomb), and
every frame of a multi-page TIFF is a page of its own, with a progress
beat after each.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from ..document import Document, Page, ReadError
from ..progress import beat

OCR_TIMEOUT = float(os.environ.get("PARMINE_OCR_TIMEOUT", 300))
# Latin Ð (U+00D0) and ð that Tesseract returns for Vietnamese Đ/đ
_OCR_FIXES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
MAX_PIXELS = int(os.environ.get("PARMINE_MAX_IMAGE_PIXELS", 89_478_485))  # Pillow's own default
calls = 0  # Tesseract runs in this process (the tests read it)


def default_cache() -> Path:
    env = os.environ.get("PARMINE_CACHE_DIR")
    return Path(env) / "ocr" if env else Path.home() / ".cache" / "parmine" / "ocr"


def _cache_file(data: bytes, cache: Path | None) -> Path:
    key = hashlib.sha256(data).hexdigest()
    return (cache or default_cache()) / key[:2] / f"{key}.txt"


def is_cached(data: bytes, cache: Path | None = None) -> bool:
    """Whether this page image's text is in the cache already."""
    return _cache_file(data, cache).exists()


def ocr_image(data: bytes, suffix: str = ".png", cache: Path | None = None) -> str:
    """The text of one page image (bytes of a PNG/JPEG/TIFF)."""
    global calls
    hit = _cache_file(data, cache)
    if hit.exists():
        return hit.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="parmine-ocr-") as tmp:
        img = Path(tmp) / f"page{suffix}"
        img.write_bytes(data)
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            proc = subprocess.run(["tesseract", str(img), "-", "-l", "vie", "--psm", "3"],
                                  capture_output=True, env=env, timeout=OCR_TIMEOUT)
        except FileNotFoundError:
            raise ReadError("Tesseract is not installed (apt-get install tesseract-ocr "
                            "tesseract-ocr-vie, or `make deps`)", "ocr") from None
        except subprocess.TimeoutExpired:
            raise ReadError(f"OCR of a page took longer than {OCR_TIMEOUT:g} s", "ocr") from None
        calls += 1
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"Tesseract could not read the image ({msg[-1] if msg else 'no message'})", "ocr")
    text = proc.stdout.decode("utf-8", "replace").translate(_OCR_FIXES).replace("\f", "")
    hit.parent.mkdir(parents=True, exist_ok=True)
    part = hit.with_suffix(f".{os.getpid()}.part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, hit)
    return text


def _frames(data: bytes, suffix: str) -> Iterator[tuple[bytes, str]]:
    """The page images of an image file, one at a time: the file itself when
    it has one frame, else each frame as PNG (a multi-page TIFF).  Every
    frame's size is checked before any is decoded."""
    import io
    import warnings

    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            with Image.open(io.BytesIO(data)) as im:
                sizes = [frame.size for frame in ImageSequence.Iterator(im)]
                for w, h in sizes:
                    if w * h > MAX_PIXELS:
                        raise ReadError(f"the image is {w}×{h} pixels, more than the limit of {MAX_PIXELS} "
                                        "(a decompression bomb?; PARMINE_MAX_IMAGE_PIXELS)", "image")
                if len(sizes) == 1:
                    im.verify()
                    yield data, suffix
                    return
                for frame in ImageSequence.Iterator(im):
                    buf = io.BytesIO()
                    frame.save(buf, format="PNG", compress_level=1)
                    yield buf.getvalue(), ".png"
    except Image.DecompressionBombError as exc:
        raise ReadError(f"the image is too large to decode ({exc})", "image") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ReadError(f"the image cannot be decoded ({exc})", "image") from None


def read_image(data: bytes, path: Path, doc_id: str, sha256: str, *, ocr_cache: Path | None = None) -> Document:
    """A scanned page (.png, .jpg, .tif), or pages (a multi-page TIFF)."""
    pages = []
    for n, (image, suffix) in enumerate(_frames(data, path.suffix.lower() or ".png"), 1):
        pages.append(Page(n, ocr_image(image, suffix, ocr_cache), "ocr"))
        beat(ocr=True)
    if not any(p.text.strip() for p in pages):
        raise ReadError("OCR found no text in the image", "ocr")
    return Document(doc_id, str(path), sha256, "image", pages)
