"""Plain text (.txt, .md) in any encoding Vietnamese files come in.

The encoding is detected (UTF-8, UTF-16 and UTF-32 with or without BOM,
Windows-1258, TCVN3, VNI: :mod:`parmine.corpus.encodings`; a few invalid
bytes in a Unicode file are replaced and counted in a warning); what converters leave behind
is stripped (``**đậm**``, ``*nghiêng*``, ``^{XT}``, ``<http://…>``); blocks
of tab-separated lines become tables; a form feed starts a new page.
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


def split_tables(text: str) -> tuple[str, list[Table]]:
    """Cut blocks of tab-separated lines out of ``text`` as tables.

    A block is a run of lines holding a tab (blank lines allowed inside);
    its caption is the closest non-blank line above it when that line is
    short or written in capitals ("TỔNG HỢP SỐ LƯỢNG HỒ SƠ").
    """
    lines = text.split("\n")
    out: list[str] = []
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        rows = []
        while i < len(lines) and ("\t" in lines[i] or (
                not lines[i].strip() and i + 1 < len(lines) and "\t" in lines[i + 1])):
            if lines[i].strip():
                rows.append([c.strip() for c in lines[i].split("\t")])
            i += 1
        title = None
        k = len(out) - 1
        while k >= 0 and not out[k].strip():
            k -= 1
        if k >= 0:
            cand = out[k].strip()
            if cand.isupper() or (len(cand) < 120 and not cand.endswith((".", ";", ":"))):
                title = cand
        offset = len("\n".join(out)) + (1 if out else 0)
        tables.append(Table(rows=rows, page=1, offset=offset, title=title))
    return "\n".join(out), tables


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
    pages = []
    tables = []
    for n, chunk in enumerate(strip_markup(text.replace("\r\n", "\n").replace("\r", "\n")).split("\f"), 1):
        body, found = split_tables(chunk)
        for t in found:
            t.page = n
        tables.extend(found)
        pages.append(Page(n, body, "text"))
    return Document(doc_id, str(path), sha256, fmt, pages, tables, warnings)
