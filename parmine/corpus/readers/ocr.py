"""OCR with Tesseract's Vietnamese model, page by page, cached.

Every call runs ``tesseract IMAGE - -l vie --psm 3`` with
``OMP_THREAD_LIMIT=1`` (Tesseract's own threading is about 9× slower on a
small machine; parallelism comes from processes).  The text of a page image
is cached under the sha256 of the image bytes, so no image is ever OCRed
twice; cache files are written to a temporary name and renamed.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from ..document import Document, Page, ReadError

OCR_TIMEOUT = float(os.environ.get("PARMINE_OCR_TIMEOUT", 300))
# Latin Ð (U+00D0) and ð that Tesseract returns for Vietnamese Đ/đ
_OCR_FIXES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
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


def read_image(data: bytes, path: Path, doc_id: str, sha256: str, *, ocr_cache: Path | None = None) -> Document:
    """A scanned page as an image file (.png, .jpg, .tif)."""
    from PIL import Image, UnidentifiedImageError
    import io

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ReadError(f"the image cannot be decoded ({exc})", "image") from None
    text = ocr_image(data, path.suffix.lower() or ".png", ocr_cache)
    if not text.strip():
        raise ReadError("OCR found no text in the image", "ocr")
    return Document(doc_id, str(path), sha256, "image", [Page(1, text, "ocr")])
