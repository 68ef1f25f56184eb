"""Saved web pages (.html, .htm): a portal's news item, a legal database's
copy of a decision.

The page is decoded by the charset it declares (``<meta charset=…>``), else
detected as plain text is (:mod:`parmine.corpus.encodings`), and parsed with
the standard library's tolerant parser into a small tree.  Its text is laid
out as a reader sees it: scripts, styles and menus (``<nav>``) dropped, one
line per block (``<p>``, ``<div>``, ``<li>``, ``<h1>``, ``<br>`` …), and a
table of data (one without tables inside it) as Markdown rows ``| a | b |``
— which the text reader then treats like any crawled copy: a table of
figures becomes a table, the two-column header of an administrative
document stays text for the header reader.  A layout table (one holding
other tables, or a single column) is read cell by cell as blocks.

>>> page = (b'<html><head><meta charset="utf-8"><script>x()</script></head><body>'
...         b'<h1>Tin CCHC</h1><p>Ng&agrave;y 12/6/2019</p><table><tr><td>UBND T\\xe1\\xbb\\x88NH</td>'
...         b'<td>C\\xe1\\xbb\\x98NG H\\xc3\\x92A</td></tr></table></body></html>')
>>> print(html_text(page))
Tin CCHC
Ngày 12/6/2019
| UBND TỈNH | CỘNG HÒA |
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import regex

from ..document import Document, ReadError
from ..encodings import decode_bytes
from .txt import text_document

_SKIP = frozenset(("script", "style", "noscript", "head", "nav", "template", "svg", "iframe", "button",
                   "select", "form"))
_VOID = frozenset(("br", "hr", "img", "meta", "link", "input", "wbr", "area", "base", "col", "source"))
_BLOCK = frozenset(("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                    "header", "footer", "main", "aside", "blockquote", "pre", "dl", "dt", "dd", "figure",
                    "figcaption", "address", "center", "table", "tr", "td", "th", "caption", "tbody", "thead",
                    "tfoot", "body", "html", "hr"))
# a start tag that closes an open element of these kinds ("<p>a<p>b", "<td>1<td>2")
_CLOSES = {"p": ("p",), "li": ("li",), "td": ("td", "th"), "th": ("td", "th"), "tr": ("tr", "td", "th"),
           "dt": ("dt", "dd"), "dd": ("dt", "dd")}
_CHARSET = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)
_SPACES = regex.compile(r"[ \t\r\n\f\u00a0]+")


@dataclass
class _Node:
    tag: str
    children: list = field(default_factory=list)  # _Node or str


class _TreeBuilder(HTMLParser):
    """Tags into a tree, forgiving unclosed ``<p>``, ``<li>``, ``<td>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for closed in _CLOSES.get(tag, ()):
            self._close(closed, stop_at=("table",) if tag in ("td", "th", "tr") else ("ul", "ol", "dl"))
        node = _Node(tag)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag))

    def handle_endtag(self, tag: str) -> None:
        self._close(tag)

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close(self, tag: str, stop_at: tuple[str, ...] = ()) -> None:
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag in stop_at:
                return
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return


def _inline(node: _Node) -> str:
    """The text of a node on one line."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag not in _SKIP:
            parts.append(" " if child.tag in ("br", "p", "div", "li") else "")
            parts.append(_inline(child))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _has(node: _Node, tag: str) -> bool:
    return any(not isinstance(c, str) and (c.tag == tag or _has(c, tag)) for c in node.children)


def _rows(table: _Node) -> list[list[str]]:
    """The cells of a data table, row by row."""
    rows: list[list[str]] = []

    def walk(node: _Node) -> None:
        for c in node.children:
            if isinstance(c, str):
                continue
            if c.tag == "tr":
                cells = [_inline(td).replace("|", "/") for td in c.children
                         if not isinstance(td, str) and td.tag in ("td", "th")]
                if any(cells):
                    rows.append(cells)
            elif c.tag not in _SKIP:
                walk(c)

    walk(table)
    return rows


def _render(node: _Node, lines: list[str], line: list[str]) -> None:
    """Append the node's text to ``lines``: a block ends the line in hand."""
    for child in node.children:
        if isinstance(child, str):
            line.append(child)
            continue
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == "br":
            _flush(lines, line)
        elif tag == "table" and not _has(child, "table") and max(map(len, rows := _rows(child)), default=0) > 1:
            _flush(lines, line)
            lines.extend("| " + " | ".join(r) + " |" for r in rows)
        elif tag in _BLOCK:
            _flush(lines, line)
            _render(child, lines, line)
            _flush(lines, line)
        else:
            _render(child, lines, line)


def _flush(lines: list[str], line: list[str]) -> None:
    text = _SPACES.sub(" ", "".join(line)).strip()
    if text:
        lines.append(text)
    line.clear()


def _decode(data: bytes) -> str:
    """The page's text by its declared charset, else as plain text is detected."""
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(codecs.lookup(m.group(1).decode("ascii")).name, errors="replace")
        except LookupError:
            pass
    return decode_bytes(data)[0]


def html_text(data: bytes) -> str:
    """A web page's text, one block per line, data tables as ``| a | b |`` rows."""
    builder = _TreeBuilder()
    builder.feed(_decode(data))
    builder.close()
    lines: list[str] = []
    line: list[str] = []
    _render(builder.root, lines, line)
    _flush(lines, line)
    return "\n".join(lines)


def read_html(data: bytes, path: Path, doc_id: str, sha256: str) -> Document:
    text = html_text(data)  # never raises: bytes that do not decode are replaced
    if not text.strip():
        raise ReadError("the page holds no text", "decode")
    return text_document(text, path, doc_id, sha256, "html")
