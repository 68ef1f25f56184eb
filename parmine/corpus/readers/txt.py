"""Plain text (.txt, .md) in any encoding Vietnamese files come in.

The encoding is detected (UTF-8, UTF-16 and UTF-32 with or without BOM,
Windows-1258, TCVN3, VNI: :mod:`parmine.corpus.encodings`; a few invalid
bytes in a Unicode file are replaced and counted in a warning); what converters leave behind
is stripped (``**đậm**``, ``*nghiêng*``, ``^{XT}``, ``<http://…>``); tables of
figures — tab-separated blocks, Markdown tables, a web page's cells copied
one per line between "|" lines — become tables; a form feed starts a new page.
"""
from __future__ import annotations

from pathlib import Path

import regex

from ..document import Document, Page, ReadError, Table
from ..encodings import decode_bytes, vietnamese_score

_MARKUP = regex.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|\^\{([^}\n]*)\}|<(https?://[^>\s]+)>")


def strip_markup(text: str) -> str:
    """Drop light markup: "**Nơi nhận:**" → "Nơi nhận:", "^{XT}" → "XT",
    "<http://a.gov.vn>" → "http://a.gov.vn"."""
    return _MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", text)


_FIGURE = regex.compile(r"^\s*(?:khoảng|gần|hơn|trên)?\s*\d{1,3}(?:[.\s]\d{3})*(?:,\d+)?\s*%?\s*$")
_SERIAL = regex.compile(r"^\s*1\.?\s*$")
_MD_SEPARATOR = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _figures(rows: list[list[str]]) -> bool:
    """A table of figures: some row holds two figures past its first cell
    (a header table or a list of names does not)."""
    return any(sum(1 for c in r[1:] if _FIGURE.match(c)) >= 2 for r in rows)


def _tab_block(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """Tab-separated lines (blank lines allowed inside) from ``i``."""
    rows = []
    while i < len(lines) and ("\t" in lines[i] or (
            not lines[i].strip() and i + 1 < len(lines) and "\t" in lines[i + 1])):
        if lines[i].strip():
            rows.append([c.strip() for c in lines[i].split("\t")])
        i += 1
    return i, rows


def _markdown_block(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """Markdown table rows ``| a | b |`` from ``i`` (separator rows dropped)."""
    rows = []
    while i < len(lines) and lines[i].lstrip().startswith("|") and lines[i].count("|") >= 2:
        if not _MD_SEPARATOR.match(lines[i]):
            rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
        i += 1
    return i, rows


def _short(cell: str) -> bool:
    return len(cell) <= 80 and not cell.endswith((".", ":", ";"))


def _cell_block(lines: list[str], i: int) -> tuple[int, int, list[list[str]]]:
    """Cells one to a few lines each, separated by lines holding only "|"
    (a web page's table copied as text), from the line at ``i``:
    (first line of the table, the line after it, its rows).  The header is
    the run of short cells before the first serial number "1", which fixes
    the width; a long cell before it is text, but for its last line."""
    cells: list[tuple[int, list[str]]] = []  # (first line, lines)
    cur: list[str] = []
    cur_start, k = i, i
    while k < len(lines):
        s = lines[k].strip()
        if s == "|":
            cells.append((cur_start, cur))
            cur_start, cur = k + 1, []
        elif not s:
            break
        else:
            cur.append(s)
        k += 1
    if cur:
        cells.append((cur_start, cur))
    texts = [" ".join(c) for _, c in cells]
    j = next((n for n, c in enumerate(texts) if _SERIAL.match(c)), None)
    if j is None:
        return i, i, []
    h = j
    while h > 0 and _short(texts[h - 1]) and len(cells[h - 1][1]) <= 3:
        h -= 1
    start = cells[h][0]
    if h > 0 and _short(cells[h - 1][1][-1]):  # "… Thanh tra Chính phủ.⏎STT": the last line heads the table
        h -= 1
        start = cells[h][0] + len(cells[h][1]) - 1
        texts[h] = cells[h][1][-1]
    width = j - h
    body = texts[h:]
    if width < 2 or len(body) < 2 * width:
        return i, i, []
    return start, k, [body[n:n + width] for n in range(0, len(body), width)]


def split_tables(text: str) -> tuple[str, list[Table]]:
    """Cut the tables of figures out of ``text``: blocks of tab-separated
    lines, Markdown tables (``| a | b |``) and cells separated by lines
    holding only "|" (a web page's table copied as text).  A Markdown or
    "|" table is cut only when it holds figures (a crawled header table, a
    signature table or a list of names stays text).  A table's caption is
    the closest non-blank line above it when that line is short or written
    in capitals ("TỔNG HỢP SỐ LƯỢNG HỒ SƠ").
    """
    lines = text.split("\n")
    out: list[str] = []
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            end, rows = _tab_block(lines, i)
        elif line.lstrip().startswith("|") and line.count("|") >= 2:
            end, rows = _markdown_block(lines, i)
            rows = rows if _figures(rows) else []
        elif line.strip() and line.strip() != "|" and i + 1 < len(lines) and lines[i + 1].strip() == "|":
            start, end, rows = _cell_block(lines, i)
            if rows and _figures(rows):
                out.extend(lines[i:start])
            else:
                rows = []
        else:
            end, rows = i, []
        if not rows:
            out.append(line)
            i += 1
            continue
        tables.append(Table(rows=rows, page=1, offset=len("\n".join(out)) + (1 if out else 0),
                            title=_caption(out)))
        i = end
    return "\n".join(out), tables


def _caption(out: list[str]) -> str | None:
    k = len(out) - 1
    while k >= 0 and not out[k].strip():
        k -= 1
    if k >= 0:
        cand = out[k].strip()
        if cand.isupper() or (len(cand) < 120 and not cand.endswith((".", ";", ":"))):
            return cand
    return None


def read_text(data: bytes, path: Path, doc_id: str, sha256: str, fmt: str = "txt") -> Document:
    try:
        text, encoding = decode_bytes(data)
    except UnicodeError as exc:
        raise ReadError(f"cannot decode the text ({exc})", "decode") from None
    if not text.strip():
        raise ReadError("the file holds no text", "decode")
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    if controls > 0.01 * len(text) or (vietnamese_score(text) < 0.05 and
                                       sum(c.isalpha() for c in text) < 0.5 * len(text.strip())):
        raise ReadError("the file is not text (binary content or an unknown encoding)", "decode")
    warnings = [] if encoding.startswith(("utf", "ascii")) else [f"decoded from {encoding}"]
    if encoding.startswith("utf") and (bad := text.count("\ufffd")):
        warnings.append(f"{bad} byte sequence(s) not valid {encoding.upper()} replaced by U+FFFD")
    return text_document(text, path, doc_id, sha256, fmt, warnings)


def text_document(text: str, path: Path, doc_id: str, sha256: str, fmt: str,
                  warnings: list[str] | None = None) -> Document:
    """Decoded text → a Document: light markup stripped, tables of figures
    cut out, a form feed starting a new page (the text and web readers)."""
    pages = []
    tables = []
    for n, chunk in enumerate(strip_markup(text.replace("\r\n", "\n").replace("\r", "\n")).split("\f"), 1):
        body, found = split_tables(chunk)
        for t in found:
            t.page = n
        tables.extend(found)
        pages.append(Page(n, body, "text"))
    return Document(doc_id, str(path), sha256, fmt, pages, tables, warnings or [])
