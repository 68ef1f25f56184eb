"""Page texts → one clean document text, with a map back to the pages.

- NFC throughout;
- page numbers ("3", "- 3 -", "Trang 3", "3/10") and running headers or
  footers (a short line repeated at the top or bottom of most pages) are
  dropped;
- a citation id wrapped after its hyphen or slash is joined again
  ("38/KH-⏎SKHCN" → "38/KH-SKHCN");
- with ``reflow`` (text from a PDF layout or OCR, where every visual line
  ends in a line break), a line that fills the page width runs on into the
  next one unless that one opens a heading or a list item: the break
  becomes a space, so a paragraph is one line again (offsets do not move);
- pages are joined with a blank line.

:meth:`CleanText.locate` maps an offset of the clean text back to the page
and the offset in that page's own text.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

import regex

from ..corpus.document import Page
from ..text.normalize import nfc, plain_spaces

_PAGE_NUMBER = regex.compile(r"^\s*(?:[-–—]\s*)?(?:Trang\s+|trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?\s*$")
_WRAPPED_ID = regex.compile(r"(?<=\d/[\p{Lu}\d&]*[-/]|\d/)\n(?=[\p{Lu}])")
# a page's (clean offsets where kept pieces start, their page offsets)
Pieces = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class CleanText:
    """The clean text of a document and how to find its pages."""

    text: str
    page_starts: tuple[int, ...]
    pieces: tuple[Pieces, ...]  # per page

    def locate(self, offset: int) -> tuple[int, int]:
        """(page number from 1, offset in that page's original text)."""
        i = max(0, bisect.bisect_right(self.page_starts, offset) - 1)
        starts, origins = self.pieces[i]
        j = max(0, bisect.bisect_right(starts, offset) - 1)
        if not starts:
            return i + 1, 0
        return i + 1, origins[j] + (offset - starts[j])


_DIGITS = regex.compile(r"\d+")


def _edge_lines(pages: list[str]) -> set[str]:
    """Short lines repeated at the top or bottom of most pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for text in pages:
        lines = [l.strip() for l in text.split("\n") if l.strip()]
        for l in set(lines[:2] + lines[-2:]):
            if len(l) <= 80:
                counts[_DIGITS.sub("#", l)] += 1
    return {k for k, n in counts.items() if n >= max(3, 0.6 * len(pages))}


_OPENS_BLOCK = regex.compile(
    r"^\s*(?:[-+•*]\s|[a-zđ]\)\s|\d{1,2}(?:\.\d{1,2})*[.)]\s?\p{L}|[IVX]{1,5}\.\s|"
    r"Nơi nhận|Kính gửi|KT\.|TM\.|TL\.|BÁO CÁO|Số\s*:)")


def reflow(text: str) -> str:
    r"""Turn the line breaks inside paragraphs into spaces (same length).

    >>> reflow("Sở đã tiếp nhận hồ sơ và giải quyết\nđúng hạn.\n- Mục mới")
    'Sở đã tiếp nhận hồ sơ và giải quyết đúng hạn.\n- Mục mới'
    """
    lines = text.split("\n")
    lengths = sorted(len(l.rstrip()) for l in lines if l.strip())
    if not lengths:
        return text
    full = lengths[int(0.9 * (len(lengths) - 1))]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i == len(lines) - 1:
            break
        nxt = lines[i + 1]
        body = line.rstrip()
        runs_on = (len(body) >= 0.75 * full and not body.endswith((":", ".", ";", "!", "?"))) \
            or (nxt[:1].islower() and not body.endswith((":", ".")))
        out.append(" " if body and nxt.strip() and runs_on and not _OPENS_BLOCK.match(nxt) else "\n")
    return "".join(out)


def clean(pages: list[Page], *, reflow_lines: bool = False) -> CleanText:
    """Join and clean the pages of a document (``reflow_lines`` for text from
    a PDF layout or OCR)."""
    texts = [plain_spaces(nfc(p.text)) for p in pages]
    edges = _edge_lines(texts)
    parts: list[str] = []
    page_starts: list[int] = []
    pieces: list[Pieces] = []
    pos = 0
    for n, text in enumerate(texts):
        if n:
            parts.append("\n\n")
            pos += 2
        page_starts.append(pos)
        starts: list[int] = []
        origins: list[int] = []
        kept: list[str] = []
        kept_len = 0
        at = 0
        lines = text.split("\n")
        nonblank = [i for i, l in enumerate(lines) if l.strip()]
        first, last = (nonblank[0], nonblank[-1]) if nonblank else (0, 0)
        for i, line in enumerate(lines):
            drop = (_PAGE_NUMBER.match(line) and (i in nonblank[:2] or i in nonblank[-2:])) or \
                   (edges and (i <= first + 1 or i >= last - 1) and line.strip()
                    and _DIGITS.sub("#", line.strip()) in edges)
            if not drop:
                starts.append(pos + kept_len)
                origins.append(at)
                kept.append(line + "\n")
                kept_len += len(line) + 1
            at += len(line) + 1
        body = "".join(kept)[:-1] if kept else ""
        if reflow_lines:
            body = reflow(body)
        parts.append(body)
        pieces.append((tuple(starts), tuple(origins)))
        pos += len(body)
    return _rejoin("".join(parts), page_starts, pieces)


def _rejoin(text: str, page_starts: list[int], pieces: list[Pieces]) -> CleanText:
    """Remove the line breaks inside wrapped ids and shift the offset map."""
    cuts = [m.start() for m in _WRAPPED_ID.finditer(text)]
    if not cuts:
        return CleanText(text, tuple(page_starts), tuple(pieces))

    def shift(o: int) -> int:
        return o - bisect.bisect_left(cuts, o)

    new_text = _WRAPPED_ID.sub("", text)
    new_starts = tuple(shift(s) for s in page_starts)
    new_pieces = tuple((tuple(shift(s) for s in st), og) for st, og in pieces)
    return CleanText(new_text, new_starts, new_pieces)
