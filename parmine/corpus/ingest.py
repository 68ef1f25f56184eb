"""``read(path)``: any supported file → :class:`~parmine.corpus.document.Document`.

The format is decided by the file's first bytes, the extension only
breaking ties, so a PDF named ``.txt`` is read as a PDF and a renamed
binary is refused rather than decoded as text.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from .document import Document, ReadError

SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", ".png", ".jpg", ".jpeg",
                      ".tif", ".tiff"}
MAX_BYTES = int(os.environ.get("PARMINE_MAX_FILE_BYTES", 512 * 1024 * 1024))

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, suffix: str) -> str:
    """The format of a file from its first bytes: pdf, docx, doc, image, html, text."""
    head = data[:16]
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if suffix in (".docx", ".doc", "") or b"word/" in data[:4096] else "zip"
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".txt", ".md"):
        return "text"
    return "unknown"


def read(path: str | Path, doc_id: str | None = None, *, ocr_cache: Path | None = None) -> Document:
    """Read one file; raises ReadError (with stage and reason) when it cannot."""
    path = Path(path)
    doc_id = doc_id or (path.name[: -len(path.suffix)] if path.suffix else path.name)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot open the file ({exc.strerror})", "open") from None
    if size == 0:
        raise ReadError("the file is empty (0 bytes)", "open")
    if size > MAX_BYTES:
        raise ReadError(f"the file is {size} bytes, over the limit of {MAX_BYTES}", "open")
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"unsupported file type {suffix or '(no extension)'}; parmine reads "
                        + ", ".join(sorted(SUPPORTED_SUFFIXES)), "detect")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff(data, suffix)
    if kind == "text":
        from .readers.txt import read_text
        return read_text(data, path, doc_id, sha, fmt=suffix.lstrip("."))
    if kind == "html":
        from .readers.html import read_html
        return read_html(data, path, doc_id, sha)
    if kind == "pdf":
        from .readers.pdf import read_pdf
        return read_pdf(data, path, doc_id, sha, ocr_cache=ocr_cache)
    if kind == "docx":
        from .readers.docx import read_docx
        try:
            return read_docx(data, path, doc_id, sha)
        except zipfile.BadZipFile:
            raise ReadError("the Word file is damaged (not a valid .docx archive)", "docx") from None
    if kind == "doc":
        from .readers.doc import read_doc
        return read_doc(data, path, doc_id, sha)
    if kind == "image":
        from .readers.ocr import read_image
        return read_image(data, path, doc_id, sha, ocr_cache=ocr_cache)
    if suffix == ".pdf":
        raise ReadError("not a PDF (no %PDF header): the file is damaged or mislabelled", "pdf")
    if suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        raise ReadError("not a readable image (unknown image header)", "image")
    raise ReadError(f"the content does not match its {suffix} extension", "detect")
