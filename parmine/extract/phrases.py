"""Phrases of the rule tables, matched the way real text writes them.

A rule table (:mod:`parmine.extract.indicator_rules`) lists Vietnamese
phrases; :class:`Phrase` compiles one for the places it is looked for:

- in prose, on folded text (:func:`parmine.text.normalize.fold`), as whole
  words, the syllables separated by any white space, and tolerant of a
  letter with a diacritic lost in conversion ("một cửa" also in "mt ca",
  "thủ tục" in "th tc" — web copies that dropped every character outside
  one code page);
- in a table cell, letter by letter without spaces, since narrow cells
  break words anywhere ("Chư a đến hạn").

A rule's phrase is a string or a tuple of strings that must all be there.

>>> Phrase("một cửa").search("đưa vào thực hiện cơ chế mt ca liên thông") is not None
True
>>> Phrase("chưa đến hạn").in_cell("chưađếnhạn")
True
>>> first_rule("tthc bị hủy bỏ", (("procedures.amended", ("sửa đổi",)), ("procedures.abolished", ("hủy bỏ",))))
'procedures.abolished'
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Union

import regex

# letters that web copies lose with their diacritic (the plain ones and
# those of the common code pages survive)
_FRAGILE = set("ảạằắẳẵặầấẩẫậẻẽẹềếểễệỉịỏọồốổỗộờớởỡợủụừứửữựỳỷỹỵ")


class Phrase:
    """One phrase of a rule table (see the module docstring)."""

    def __init__(self, text: str):
        self.text = text
        parts = []
        for syllable in text.split():
            parts.append("".join(f"(?:{regex.escape(c)})?" if c in _FRAGILE else regex.escape(c)
                                 for c in syllable))
        self._prose = regex.compile(r"(?<!\p{L})" + r"\s+".join(parts) + r"(?!\p{L})")
        self.tight = text.replace(" ", "")

    def search(self, folded: str) -> regex.Match[str] | None:
        """The phrase's first match in folded prose, or None."""
        return self._prose.search(folded)

    def in_cell(self, tight: str) -> bool:
        """Whether a folded, space-free table cell holds the phrase."""
        return self.tight in tight


RuleText = Union[str, tuple[str, ...]]  # a phrase, or phrases that must all be there


@lru_cache(maxsize=None)
def _compiled(phrase: RuleText) -> tuple[Phrase, ...]:
    return tuple(Phrase(p) for p in ((phrase,) if isinstance(phrase, str) else phrase))


def matches(words: str, phrase: RuleText) -> bool:
    """Whether folded prose ``words`` holds every part of ``phrase``."""
    return all(p.search(words) is not None for p in _compiled(phrase))


def cell_matches(tight: str, phrase: RuleText) -> bool:
    """Whether a folded, space-free cell holds every part of ``phrase``."""
    return all(p.in_cell(tight) for p in _compiled(phrase))


def first_rule(words: str, rules: Iterable[tuple[str, tuple[RuleText, ...]]], cell: bool = False) -> str | None:
    """The first rule's name one of whose phrases ``words`` holds (prose,
    or a table cell with ``cell``)."""
    test = cell_matches if cell else matches
    for name, phrases in rules:
        if any(test(words, p) for p in phrases):
            return name
    return None
