"""Kinds of administrative documents, as the national standard names them.

Two tables (Nghị định 30/2020/NĐ-CP, appendix III, and the rules for legal
normative documents):

- :data:`KIND_WORDS`: the kind word printed above the subject ("QUYẾT ĐỊNH",
  "BÁO CÁO", "THÔNG TƯ LIÊN TỊCH") → the kind, lower case;
- :data:`KIND_CODES`: the kind letters of a number symbol ("QĐ" in
  ``25/2019/QĐ-UBND``, "BC" in ``12/BC-SKHCN``, "VBHN") → the kind.

A number symbol without kind letters (``1523/UBND-NC``, ``4129/VPCP-KSTT``)
is an official letter (công văn); a law's symbol is its legislature
(``80/2015/QH13``).

>>> kind_of_symbol("25/2019/QĐ-UBND"), kind_of_symbol("1523/UBND-NC"), kind_of_symbol("80/2015/QH13")
('quyết định', 'công văn', 'luật')
>>> kind_of_word("THÔNG TƯ LIÊN TỊCH")
'thông tư liên tịch'
"""
from __future__ import annotations

import regex

KIND_CODES: dict[str, str] = {
    "NQ": "nghị quyết", "QĐ": "quyết định", "CT": "chỉ thị", "QC": "quy chế", "QyĐ": "quy định",
    "TC": "thông cáo", "TB": "thông báo", "HD": "hướng dẫn", "CTr": "chương trình",
    "KH": "kế hoạch", "PA": "phương án", "ĐA": "đề án", "DA": "dự án", "BC": "báo cáo",
    "BB": "biên bản", "TTr": "tờ trình", "HĐ": "hợp đồng", "CĐ": "công điện",
    "BGN": "bản ghi nhớ", "BTT": "bản thỏa thuận", "GUQ": "giấy ủy quyền", "GM": "giấy mời",
    "GGT": "giấy giới thiệu", "GNP": "giấy nghỉ phép", "PG": "phiếu gửi", "PC": "phiếu chuyển",
    "PB": "phiếu báo", "NĐ": "nghị định", "TT": "thông tư", "TTLT": "thông tư liên tịch",
    "NQLT": "nghị quyết liên tịch", "VBHN": "văn bản hợp nhất", "PL": "pháp lệnh",
    "L": "luật", "KL": "kết luận", "CV": "công văn",
}

# kind words as printed in a header (longest first when matched)
KIND_WORDS: tuple[str, ...] = (
    "báo cáo", "quyết định", "kế hoạch", "công văn", "thông báo", "tờ trình", "nghị quyết",
    "nghị định", "thông tư liên tịch", "thông tư", "chỉ thị", "hướng dẫn", "chương trình",
    "văn bản hợp nhất", "luật", "bộ luật", "pháp lệnh", "quy chế", "quy định", "công điện",
    "giấy mời", "biên bản", "đề án", "phương án", "dự án", "kết luận", "thông cáo",
    "nghị quyết liên tịch", "lệnh",
)

_LEGISLATURE = regex.compile(r"^(?:QH|UBTVQH)\d*$")


def kind_of_word(word: str) -> str | None:
    """The kind a header's kind word names ("QUYẾT ĐỊNH" → "quyết định")."""
    w = regex.sub(r"\s+", " ", word).strip(" *#:").lower()
    return w if w in KIND_WORDS else None


def symbol_parts(symbol_id: str) -> list[str]:
    """The hyphen-separated parts after the last slash of a number symbol:
    "25/2019/QĐ-UBND" → ["QĐ", "UBND"]; "18-NQ/TW" → ["NQ"] (the Party's
    form puts the kind before the slash)."""
    if regex.match(r"^\d+[a-zđ]?-[\p{Lu}]", symbol_id):
        return [symbol_id.split("/")[0].split("-", 1)[1]]
    return [p for p in symbol_id.rsplit("/", 1)[-1].split("-") if p]


def kind_of_symbol(symbol_id: str) -> str | None:
    """The kind the number symbol states; "công văn" when it has no kind
    letters, "luật" for a law (symbol QH13); None when it is not a symbol."""
    if "/" not in symbol_id:
        return None
    parts = symbol_parts(symbol_id)
    if not parts:
        return None
    if parts[0] in KIND_CODES:
        return KIND_CODES[parts[0]]
    if len(parts) == 1 and _LEGISLATURE.match(parts[0]):
        return "luật"
    return "công văn"
