"""Word 2007+ (.docx): paragraphs and tables in document order (python-docx).

Tables become :class:`Table` objects (a horizontally merged cell is kept
once, the cells it spans are blank, as a tab-separated export writes them);
their text is not part of the body.  Explicit page breaks start new pages.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..document import Document, Page, ReadError, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p) -> tuple[str, bool]:
    """Text of a paragraph and whether a page break follows it."""
    parts, breaks = [], False
    for node in p._p.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag == f"{_W}br":
            if node.get(f"{_W}type") == "page":
                breaks = True
            else:
                parts.append("\n")
    return "".join(parts), breaks


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            cells.append("" if cell._tc is last else cell.text.replace("\n", " ").strip())
            last = cell._tc
        rows.append(cells)
    return rows


def read_docx(data: bytes, path: Path, doc_id: str, sha256: str, fmt: str = "docx") -> Document:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(io.BytesIO(data))
    except KeyError as exc:
        raise ReadError(f"not a Word document ({exc})", "docx") from None
    except zipfile.BadZipFile:
        raise
    except Exception as exc:  # damaged XML inside the archive (lxml, python-docx errors)
        raise ReadError(f"the Word file is damaged ({type(exc).__name__}: {exc})", "docx") from None
    pages: list[Page] = []
    tables: list[Table] = []
    lines: list[str] = []
    last_text = ""
    for child in d.element.body.iterchildren():
        if child.tag == f"{_W}p":
            text, page_break = _paragraph_text(Paragraph(child, d))
            lines.append(text)
            if text.strip():
                last_text = text.strip()
            if page_break:
                pages.append(Page(len(pages) + 1, "\n\n".join(lines), "text"))
                lines = []
        elif child.tag == f"{_W}tbl":
            offset = len("\n\n".join(lines)) + (2 if lines else 0)
            title = last_text if last_text and (last_text.isupper() or len(last_text) < 120) else None
            tables.append(Table(_rows(DocxTable(child, d)), len(pages) + 1, offset, title))
    pages.append(Page(len(pages) + 1, "\n\n".join(lines), "text"))
    if not any(p.text.strip() for p in pages) and not tables:
        raise ReadError("the Word document holds no text", "docx")
    return Document(doc_id, str(path), sha256, fmt, pages, tables)
