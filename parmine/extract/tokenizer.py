"""The tokenizer of parmine's spaCy pipeline: underthesea's Vietnamese word
segmentation where it pays, aligned to the text character for character.

underthesea turns "tiếp nhận 34 hồ sơ thủ tục hành chính" into the words
["tiếp nhận", "34", "hồ sơ", "thủ tục hành chính"] — what the indicator
rules read as a verb, a number and its counted noun.  Segmenting costs
about 5 µs a character, so by default only the sentences and clauses that
state a count or an absence are segmented; the rest is split into syllables
and punctuation, which is what every other extractor needs (they work on
the raw text with compiled regexes).

>>> from spacy.vocab import Vocab
>>> [t.text for t in UndertheseaTokenizer(Vocab())("Sở tiếp nhận 34 hồ sơ.")]
['Sở', 'tiếp nhận', '34', 'hồ sơ', '.']
"""
from __future__ import annotations

from typing import Iterator

import regex
from spacy.tokens import Doc
from spacy.vocab import Vocab

_NON_SPACE = regex.compile(r"\S+")


# a count ("34 hồ sơ", "100%"), not a date or a year, or a stated absence
_PAYS = regex.compile(r"(?<![\d/.\-])(?!(?:19|20)\d\d\b)\d{1,7}(?:\s*%|\s+\p{Ll})|[Kk]hông\s+(?:có|nhận)")
_SYLLABLE = regex.compile(r"[\p{L}\p{M}\d]+(?:[./,:\-][\p{L}\p{M}\d]+)*|[^\s\p{L}\p{M}\d]")


SEGMENT_MODES = ("none", "numeric", "all")


class UndertheseaTokenizer:
    """Word segmentation by underthesea, one call per line, aligned back to
    the text: "tiếp nhận 34 hồ sơ" → ["tiếp nhận", "34", "hồ sơ"].

    ``segment`` says what is segmented: ``"none"`` (nothing: syllables and
    punctuation, no underthesea — parmine's rules read the raw text, so this
    changes no extracted value; see the README's ablation), ``"numeric"``
    (the sentences and clauses that state a count or an absence) or
    ``"all"`` (every line).  Whitespace other than the single space after
    a token becomes a token of its own, as spaCy expects, so the ``Doc``
    text equals the input.
    """

    def __init__(self, vocab: Vocab, segment: str = "numeric"):
        if segment not in SEGMENT_MODES:
            raise ValueError(f"segment must be one of {SEGMENT_MODES}, not {segment!r}")
        self.vocab = vocab
        self.segment = segment

    def __call__(self, text: str) -> Doc:
        if self.segment == "none":
            words, spaces = _words_and_spaces(text, [m.span() for m in _SYLLABLE.finditer(text)])
        else:
            words, spaces = _segment(text, self.segment == "all")
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["_text"] = text
        return doc


def _segment(text: str, every_line: bool = False) -> tuple[list[str], list[bool]]:
    from underthesea import word_tokenize

    pieces: list[tuple[int, int]] = []  # token spans in text
    pos = 0
    for line in text.split("\n"):
        for a, b in _clauses(line) if not every_line else ((0, len(line)),):
            chunk = line[a:b]
            if not chunk.strip():
                continue
            if not every_line and not _PAYS.search(chunk):
                pieces.extend((pos + a + m.start(), pos + a + m.end()) for m in _SYLLABLE.finditer(chunk))
                continue
            cursor = 0
            for tok in word_tokenize(chunk):
                at = chunk.find(tok, cursor)
                if at < 0:  # the segmenter changed the token: fall back to spaces
                    continue
                for sub in _split_between(chunk, cursor, at):
                    pieces.append((pos + a + sub[0], pos + a + sub[1]))
                pieces.append((pos + a + at, pos + a + at + len(tok)))
                cursor = at + len(tok)
            for sub in _split_between(chunk, cursor, len(chunk)):
                pieces.append((pos + a + sub[0], pos + a + sub[1]))
        pos += len(line) + 1
    return _words_and_spaces(text, pieces)


# the end of a sentence or clause inside a line: ". " or "; " ("1.198" is no end)
_CLAUSE_END = regex.compile(r"[.;!?](?=\s)")


def _clauses(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences and clauses of a line — a reflowed PDF
    paragraph is one line, and only its clauses that state a count need
    segmenting: "Tổng số 34 hồ sơ; đã giải quyết 30 hồ sơ." → two."""
    start = 0
    for m in _CLAUSE_END.finditer(line):
        yield start, m.end()
        start = m.end()
    yield start, len(line)


def _split_between(line: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Non-space runs of ``line[a:b]`` that the segmenter skipped."""
    for m in _NON_SPACE.finditer(line, a, b):
        yield m.start(), m.end()


def _words_and_spaces(text: str, pieces: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for s, e in pieces:
        if s > pos:  # whitespace not absorbed as a trailing space
            gap = text[pos:s]
            if words and spaces and not spaces[-1] and gap.startswith(" "):
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    if pos < len(text):
        gap = text[pos:]
        if words and not spaces[-1] and gap.startswith(" "):
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
    return words, spaces
