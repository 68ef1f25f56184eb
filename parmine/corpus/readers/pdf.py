"""PDF: the text layer through pypdfium2, tables through pdfplumber, OCR for
pages without usable text.

- Body text per page in reading order from pypdfium2 (about 1,000 pages/s);
  the U+FFFE it returns for a hyphen at a line end becomes "-" again, so a
  wrapped id stays "38/KH-" + line break + "SKHCN" (the cleanup joins it).
- Pages that draw ruling lines go to pdfplumber's ``find_tables``, fed the
  lines read from pypdfium2's path objects (:mod:`.rulings`), so pdfminer
  never parses the page; each cell's text comes from pypdfium2 too.  The
  table regions are cut out of the body text, and a table continued at the
  top of the next page is joined to the one before.
- A page whose text layer is empty or garbage is OCRed: a scan's embedded
  page image is taken out as it is (no re-rendering), else the page is
  rendered at 200 dpi.  A page that draws nothing at all is blank: it is
  kept as an empty page, not OCRed, so a PDF of blank pages is refused at
  once.
"""
from __future__ import annotations

import io
from pathlib import Path

import regex

from ..document import Document, Page, ReadError, Table
from ..progress import beat
from .ocr import is_cached, ocr_image
from .rulings import find_tables, page_edges

MIN_LETTERS = 20
_LETTER = regex.compile(r"\p{L}")
_ENOUGH_LETTERS = regex.compile(r"(?:\P{L}*\p{L}){%d}" % MIN_LETTERS)
_BAD = regex.compile(r"[\ufffd\ue000-\uf8ff]")  # replacement marks, private-use glyphs


def _usable(text: str) -> bool:
    """A text layer worth keeping: enough letters, few replacement marks."""
    bad = len(_BAD.findall(text))
    if bad and bad > 0.05 * len(_LETTER.findall(text)):
        return False
    return _ENOUGH_LETTERS.match(text) is not None


def _blank(page) -> bool:
    """A page with no objects on it: nothing to read, nothing to OCR."""
    import pypdfium2.raw as raw

    return raw.FPDFPage_CountObjects(page.raw) == 0


def _page_image(page) -> tuple[bytes, str]:
    """The page as image bytes: the embedded scan when it is one image."""
    import pypdfium2.raw as raw

    images = [o for o in page.get_objects() if o.type == raw.FPDF_PAGEOBJ_IMAGE]
    if len(images) == 1:
        filters = images[0].get_filters()
        if filters == ["DCTDecode"]:
            return bytes(images[0].get_data(decode_simple=False)), ".jpg"
    bitmap = page.render(scale=200 / 72, grayscale=True)
    buf = io.BytesIO()
    bitmap.to_pil().save(buf, format="PNG")
    return buf.getvalue(), ".png"


def _text(textpage, left, bottom, right, top) -> str:
    return textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)


def _clean_layer(text: str) -> str:
    """pdfium's marks for a hyphen at a line end (U+FFFE in a page's text,
    U+0002 in a bounded region's) become "-" again; CR LF becomes LF."""
    return (text.replace("\ufffe", "-").replace("\x02", "-")
            .replace("\r\n", "\n").replace("\r", "\n"))


def _cell(textpage, bbox, height: float) -> str:
    """The text of a table cell (pdfplumber's top-down box) on one line."""
    if bbox is None:
        return ""
    x0, top, x1, bottom = bbox
    text = _clean_layer(_text(textpage, x0, height - bottom, x1, height - top))
    return " ".join(text.replace("-\n", "-").split())


def read_pdf(data: bytes, path: Path, doc_id: str, sha256: str, *, ocr_cache: Path | None = None) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise ReadError("the PDF is encrypted (password protected)", "pdf") from None
        raise ReadError(f"the PDF cannot be opened ({reason}): truncated or damaged", "pdf") from None
    pages: list[Page] = []
    tables: list[Table] = []
    warnings: list[str] = []
    plumber = None
    since_table = 0  # characters of body text since the last table ended
    blank: set[int] = set()  # numbers of the blank pages
    try:
        n = len(pdf)
        if n == 0:
            raise ReadError("the PDF has no pages", "pdf")
        for i in range(n):
            page = pdf[i]
            textpage = page.get_textpage()
            text = _clean_layer(textpage.get_text_range())
            if not _usable(text) and _blank(page):
                pages.append(Page(i + 1, "", "text"))
                blank.add(i + 1)
                beat()
                continue
            if not _usable(text):
                img, suffix = _page_image(page)
                pages.append(Page(i + 1, ocr_image(img, suffix, ocr_cache), "ocr"))
                beat(ocr=True)
                continue
            beat()
            width, height = page.get_size()
            edges = page_edges(page, height)
            found = []
            if len(edges) >= 4:
                if plumber is None:
                    import pdfplumber
                    plumber = pdfplumber.open(io.BytesIO(data))
                try:
                    found = find_tables(plumber.pages[i], edges)
                except Exception as exc:  # a table the parser chokes on: keep the text
                    warnings.append(f"page {i + 1}: table detection failed ({exc})")
            if not found:
                pages.append(Page(i + 1, text, "text"))
                since_table += len(text.strip())
                continue
            bands, cursor = [], 0.0
            for t in sorted(found, key=lambda t: t.bbox[1]):
                x0, top, x1, bottom = t.bbox
                bands.append(_clean_layer(_text(textpage, 0, height - top, width, height - cursor)))
                rows = [[_cell(textpage, c, height) for c in r.cells] for r in t.rows]
                title = next((l.strip() for l in reversed(bands[-1].split("\n")) if l.strip()), None)
                body_so_far = "\n".join(bands)
                since_table += len(regex.sub(r"^\s*\d{1,3}\s*$", "", bands[-1], flags=regex.M).strip())
                if rows and tables and since_table == 0 and len(tables[-1].rows[0]) == len(rows[0]):
                    tables[-1].rows.extend(rows)  # the table goes on from the page before
                elif rows:
                    tables.append(Table(rows, i + 1, len(body_so_far), title))
                since_table = 0
                cursor = bottom
            bands.append(_clean_layer(_text(textpage, 0, 0, width, height - cursor)))
            since_table += len(bands[-1].strip())
            pages.append(Page(i + 1, "\n".join(bands), "text"))
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    if len(blank) == len(pages):
        raise ReadError(f"all {len(blank)} pages of the PDF are blank", "pdf")
    fmt = "scan-pdf" if all(p.source == "ocr" for p in pages if p.number not in blank) else "pdf"
    if not any(p.text.strip() for p in pages):
        raise ReadError("no text could be read from the PDF (neither text layer nor OCR)", "pdf")
    return Document(doc_id, str(path), sha256, fmt, pages, tables, warnings)


def ocr_from_the_end(path: str | Path, ocr_cache: Path | None = None, stop=lambda: False) -> int:
    """OCR a scanned PDF's pages from the last one backwards into the cache,
    until a page is found cached (the worker reading the document from the
    front got there) or ``stop()`` says so; returns the pages OCRed.

    This is how an idle worker helps a busy one at the end of a run: the
    reader (:func:`read_pdf`) takes every page it finds in the cache, so the
    two meet in the middle and the document is read in about half the time.
    """
    import pypdfium2 as pdfium

    done = 0
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf) - 1, -1, -1):
            if stop():
                break
            page = pdf[i]
            if _blank(page) or _usable(_clean_layer(page.get_textpage().get_text_range())):
                continue
            img, suffix = _page_image(page)
            if is_cached(img, ocr_cache):
                break
            ocr_image(img, suffix, ocr_cache)
            beat(ocr=True)
            done += 1
    finally:
        pdf.close()
    return done
