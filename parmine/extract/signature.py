"""The signature block (chữ ký) at the end of an administrative document.

The national standard writes it as the form of authority, the title and the
signer's name, one per line (or in one table cell of a crawled copy):

    TM. ỦY BAN NHÂN DÂN        (on behalf of a collective body)
    KT. CHỦ TỊCH               (signing for the head)
    PHÓ CHỦ TỊCH               (the signer's own title)
    (đã ký)
    Hứa Ngọc Thuận             (the name, last)

TL. (by order), TUQ. (by delegation) and Q. (acting) work the same way.  The
name is a person's name (:mod:`parmine.extract.names`) or nothing: a form
that leaves "(Ký, họ và tên, đóng dấu)" has no signer.  Without a form of
authority, the name alone may close the document after "Nơi nhận".

>>> s = read_signature("... thi hành Quyết định này./.\\n| Nơi nhận: - Như Điều 3; - Lưu: VT "
...                    "| TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hứa Ngọc Thuận |")
>>> (s.authority, s.title, s.name)
('TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Hứa Ngọc Thuận')
"""
from __future__ import annotations

import regex

from .names import person_name, trailing_name
from .records import Signature

TITLES = (
    "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "TỔNG GIÁM ĐỐC",
    "GIÁM ĐỐC", "BỘ TRƯỞNG, CHỦ NHIỆM", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "PHÓ THỦ TƯỚNG", "THỦ TƯỚNG",
    "PHÓ CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ TỔNG CỤC TRƯỞNG", "TỔNG CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ VỤ TRƯỞNG", "VỤ TRƯỞNG", "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN",
    "PHÓ CHÁNH THANH TRA", "CHÁNH THANH TRA", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG PHÒNG", "PHÓ CHỦ NHIỆM",
    "CHỦ NHIỆM", "THỐNG ĐỐC", "PHÓ THỐNG ĐỐC", "TỔNG KIỂM TOÁN", "TỔNG THƯ KÝ", "PHÓ BÍ THƯ", "BÍ THƯ",
    "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG",
)
_TITLE = "|".join(sorted((regex.escape(t).replace(r"\ ", r"\s+") for t in TITLES), key=len, reverse=True))
_FORM = regex.compile(r"(?<![\p{L}])(?P<form>TM|KT|TL|TUQ|Q)\s*\.\s*")
_AFTER_FORM = regex.compile(rf"(?:{_TITLE})")
_BLOCK_START = regex.compile(
    rf"(?m)(?:^|\|)[ \t*]*(?:(?:TM|KT|TL|TUQ|Q)\s*\.\s*\p{{Lu}}|XÁC\s+THỰC\s+VĂN\s+BẢN\s+HỢP\s+NHẤT|"
    rf"(?:{_TITLE})(?:[ \t]+(?:{_TITLE}))*[ \t*]*(?:$|\||\p{{Lu}}\p{{Ll}}))")
# a name in the signer's place: Title-case syllables after the capitals ("Chẩu Văn Lâm")
_TAIL_NAME = regex.compile(r"(?<=\p{Lu}\s)(?:[\p{Lu}][\p{Ll}\p{M}]{0,6}\s+){1,3}[\p{Lu}][\p{Ll}\p{M}]{0,6}$")
_STAMP = regex.compile(r"\((?:[Đđ]ã\s+ký|[Kk]ý[^)]*|[Ss]igned)\)|\[[^\]]*\]|\*+|\^\{[^}]*\}")
_CLOSING = regex.compile(r"(?m)^[ \t*|]*Nơi\s+nhận\s*:")


def _clean(s: str) -> str:
    return regex.sub(r"\s+", " ", _STAMP.sub(" ", s)).strip(" |")


def _parse(block: str, lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """(authority, title, name) of one block's text."""
    text = _clean(block)
    name = None
    tail = trailing_name(text)
    if tail:
        text, name = text[:tail[0]].strip(), tail[1]
    elif (m := _TAIL_NAME.search(text)) is not None:
        text, name = text[:m.start()].strip(), m.group(0)
    forms = list(_FORM.finditer(text))
    authority = None
    rest = text
    if forms:
        parts = []
        for k, m in enumerate(forms):
            stop = forms[k + 1].start() if k + 1 < len(forms) else len(text)
            seg = text[m.end():stop].strip()
            principal = seg
            if m.group("form") != "TM":
                p = _AFTER_FORM.match(seg)
                principal = p.group(0) if p else seg
            else:  # "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH": the body, then a title
                p = regex.search(rf"\s(?:{_TITLE})\s*$", seg)
                principal = seg[:p.start()].strip() if p else seg
            parts.append(f'{m.group("form")}. {principal}'.strip())
            rest = seg[len(principal):].strip()
        authority = " / ".join(parts)
    titles = list(regex.finditer(_TITLE, rest))
    title = titles[-1].group(0) if titles else (rest or None)
    if title and not regex.search(r"\p{Lu}{2}", title):
        title = None
    return authority, title, name


def read_signature(text: str, start: int = 0) -> Signature | None:
    """The document's signature block after offset ``start`` (the end of its
    header): the first block with a signer's name, else the first block,
    else a name alone in the lines after "Nơi nhận"."""
    first = None
    for m in _BLOCK_START.finditer(text, start):
        lo = m.start() + (1 if text[m.start()] in "|\n" else 0)
        line_end = text.find("\n", lo)
        line_end = len(text) if line_end < 0 else line_end
        if "|" in text[lo:line_end]:  # a table cell
            cell_end = text.find("|", lo)
            hi = cell_end if cell_end >= 0 else line_end
            block, lines = text[lo:hi], [text[lo:hi]]
        else:
            hi, lines = _line_block(text, lo)
            block = "\n".join(lines)
        authority, title, name = _parse(block, lines)
        sig = Signature(lo, hi, authority, title, name)
        if name:
            return sig
        first = first or sig
    if first:
        return first
    return _name_after_closing(text, start)


def _line_block(text: str, lo: int) -> tuple[int, list[str]]:
    """The lines of a signature block: up to the name, at most eight lines."""
    lines: list[str] = []
    pos, hi = lo, lo
    while pos < len(text) and len(lines) < 8:
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        line = text[pos:nl].strip()
        if line:
            if len(line) > 80 or line.startswith(("-", "+", "•")) or _CLOSING.match(line):
                break
            lines.append(line)
            hi = nl
            if person_name(_clean(line)):
                break
        pos = nl + 1
    return hi, lines


def _name_after_closing(text: str, start: int) -> Signature | None:
    """"Nơi nhận: - …; - Lưu: VT." then the name alone ("ĐƯƠNG NGỌC TUẤN")."""
    m = None
    for m in _CLOSING.finditer(text, start):  # noqa: B007 -- the last match is wanted
        pass
    if m is None:
        return None
    pos = m.end()
    for line_m in regex.finditer(r"(?m)^.*$", text[pos:pos + 1500]):
        line = _clean(line_m.group(0))
        name = person_name(line) if line else None
        if name:
            return Signature(pos + line_m.start(), pos + line_m.end(), None, None, name)
    return None
