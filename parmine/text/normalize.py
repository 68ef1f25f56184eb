"""Character-level normalization, the bottom of parmine: the readers, the
gazetteers, the extractors and the models all compare text this way.

- :func:`nfc` — Unicode NFC, the form every stored string is in.
- :func:`plain_spaces` — no-break and other Unicode spaces as a space, and
  CR/CRLF line ends as LF, one character for one (offsets hold).
- :func:`fold_tones` — one tone-mark placement for matching: the old and the
  new style of placing the tone on "oa", "oe", "uy" at the end of a syllable
  ("hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe") fold to one spelling.
- :func:`fold` — the key used to match names: NFC, folded tones, lower case,
  unified dashes and spaces ("Thừa Thiên – Huế" → "thừa thiên - huế").
- :func:`fold_chars` — :func:`fold` one character for one, so offsets hold.
- :func:`id_key` — a document number as numbers are compared.
- :func:`id_skeleton` — what stays of a number under slips of spelling
  (separators, "D" for "Đ"), to find the number a slip stands for.
- :func:`strip_diacritics` — "Hưng Yên" → "hung yen", for aliases written
  without diacritics.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_WS = regex.compile(r"\s+")

# "oà" → "òa" ... only where the pair ends the syllable ("hoàn" keeps its tone).
_TONED = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_BASE_TONE = {}
for _base, _forms in _TONED.items():
    for _i, _ch in enumerate(_forms):
        _BASE_TONE[_ch] = (_base, _i)
_O_TONES = "òóỏõọ"
_U_TONES = "ùúủũụ"
_TONE_MOVE = regex.compile(r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?!\p{L})")


def nfc(text: str) -> str:
    """Unicode NFC (precomposed letters): "Quye\u0301t" → "Quyết"."""
    return unicodedata.normalize("NFC", text)


_SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                 "\u2009\u200a\u202f\u205f\u3000"), " ")
_CR_BEFORE_LF = regex.compile(r"\r(?=\n)")


def plain_spaces(text: str) -> str:
    """Web and word-processor spaces as plain ones, and line ends as LF,
    character for character (a CRLF becomes a space and a LF).

    >>> plain_spaces("Số:\\u00a025/QĐ-UBND\\r\\nBạc Liêu,\\u202fngày 10\\r")
    'Số: 25/QĐ-UBND \\nBạc Liêu, ngày 10\\n'
    """
    if "\r" in text:
        text = _CR_BEFORE_LF.sub(" ", text).replace("\r", "\n")
    return text.translate(_SPACES)


def _move_tone(m: regex.Match[str]) -> str:
    lead, toned = m.group(1), m.group(2)
    low = toned.lower()
    base, tone = _BASE_TONE[low]
    if (lead in "oO" and base == "y") or (lead in "uU" and base != "y"):
        return m.group(0)
    forms = _O_TONES if lead in "oO" else _U_TONES
    new_lead = forms[tone] if lead.islower() else forms[tone].upper()
    new_base = base if toned.islower() else base.upper()
    return new_lead + new_base


def fold_tones(text: str) -> str:
    """Place the tone of a syllable-final "oa", "oe", "uy" on its first vowel.

    >>> fold_tones("Thanh Hoá, Khánh Hoà, thuỷ lợi, hoàn thành")
    'Thanh Hóa, Khánh Hòa, thủy lợi, hoàn thành'
    """
    return _TONE_MOVE.sub(_move_tone, nfc(text))


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Matching key: NFC, folded tones, casefold, one dash, single spaces.

    >>> fold("  Thừa Thiên – HUẾ ")
    'thừa thiên - huế'

    Labels, table cells and clauses are folded again and again: the last
    16,384 distinct strings' keys are kept.
    """
    text = fold_tones(text).translate(_DASHES).casefold()
    return _WS.sub(" ", text).strip()


def fold_chars(text: str) -> str:
    """:func:`fold` one character for one (whitespace kept as it is), so
    offsets into the result are offsets into ``text``.

    >>> fold_chars("Thanh Hoá  –  HUẾ")
    'thanh hóa  -  huế'
    """
    text = fold_tones(text).translate(_DASHES)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def id_key(number: str) -> str:
    """A document number as numbers are compared: no spaces, one kind of
    dash, "Đ" for its look-alikes (Ð, Ɖ), case folded.

    >>> id_key("61/2018/NÐ- CP") == id_key("61/2018/nđ–CP")
    True
    """
    key = "".join(number.split()).translate(_DASHES)
    return key.replace("Ð", "Đ").replace("Ɖ", "Đ").replace("ð", "đ").casefold()


_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


def id_skeleton(number: str) -> str:
    """:func:`id_key` with "đ" as "d" and every separator dropped: numbers
    that differ only by a missing or extra "-", "/", "&", "." or by a
    keyboard without "Đ" share it.

    >>> id_skeleton("61/2018/ND-CP") == id_skeleton("61/2018/NĐ/CP") == id_skeleton("61/2018/NĐCP")
    True
    """
    return _NOT_ALNUM.sub("", id_key(number).replace("đ", "d"))


def strip_diacritics(text: str) -> str:
    """Drop diacritics (đ → d) and case: "Hưng Yên" → "hung yen"."""
    text = unicodedata.normalize("NFD", fold(text)).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
