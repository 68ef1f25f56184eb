"""Sentence bounds, for provenance and for the extractors' context windows.

A sentence ends at a line break, or at ".", "!", "?", ";" followed by space
and a capital, a digit, a dash or an opening quote — the way reports run one
clause after another ("...năm 2020; Quyết định số ...").  The bounds of one
text are found once (:class:`Sentences`); a document's are kept on its spaCy
``Doc`` (``doc._.sentences``), so nothing about one document outlives it.
"""
from __future__ import annotations

import bisect

import regex

_SENT_END = regex.compile(r"\n|[.!?;](?=\s+[\p{Lu}\d\-+(\"“])|[.!?](?=\s*$)")


class Sentences:
    """The sentences of one text.

    >>> t = "Sở đã tiếp nhận 34 hồ sơ. Không có hồ sơ trễ hạn.\\nMục khác"
    >>> Sentences(t).at(t.index("34"))
    'Sở đã tiếp nhận 34 hồ sơ.'
    """

    def __init__(self, text: str):
        self.text = text
        marks = list(_SENT_END.finditer(text))
        self._ends = [m.end() for m in marks]
        self._starts = [m.start() for m in marks]

    def span(self, start: int, end: int | None = None) -> tuple[int, int]:
        """The bounds of the sentence holding ``text[start:end]``, without
        the white space around it."""
        text = self.text
        end = start if end is None else end
        i = bisect.bisect_right(self._ends, start) - 1
        s = self._ends[i] if i >= 0 else 0
        j = bisect.bisect_left(self._starts, end)
        e = self._ends[j] if j < len(self._starts) else len(text)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e

    def at(self, start: int, end: int | None = None) -> str:
        """The sentence holding ``text[start:end]``."""
        s, e = self.span(start, end)
        return self.text[s:e]


def sentence_span(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """:meth:`Sentences.span` for one question about ``text`` (to ask many,
    build :class:`Sentences` once)."""
    return Sentences(text).span(start, end)
