"""Numbers stated in a report, with their immediate context.

Forms (:func:`find_quantities`):

- counts with leading zeros or thousands dots: "04 đơn vị" → 4,
  "2.986.670 lượt" → 2986670;
- decimals with a comma: "74,72 điểm" → 74.72;
- ratios: "28/29 nhiệm vụ" → 28 of 29 (``kind="ratio"``);
- percentages: "100%", "đạt tỷ lệ 100 %" (``kind="percent"``);
- small number words before a counted noun: "một hồ sơ", "hai thủ tục";
- money, never a count: "150.000 đồng/hồ sơ", "1,2 tỷ đồng"
  (``kind="money"``); lengths of time and ages, never a count either: "trong
  thời gian 12 ngày", "từ đủ 18 tuổi" (``kind="duration"``);
- approximate figures at the stated number: "hơn 2.500 hồ sơ", "gần 97%",
  "hơn4.500" (a space lost);
- stated absence: "không có hồ sơ trễ hạn", "không nhận được đơn thư",
  and "Không." as the answer to a count ("Số phản ánh đã xử lý: Không.")
  → 0 (``kind="absence"``).

Dates, citation numbers ("41/2019/QĐ-UBND"), ISO standards ("ISO
9001:2015"), section numbers ("II.", "1.2."), the numbers of articles,
annexes and forms ("Điều 14", "Phụ lục số 2", "Mẫu số 102") and phone-like
digit groups are not quantities.
"""
from __future__ import annotations

import regex

from ..text.sentences import Sentences
from .citations import find_citations
from .dates import find_dates
from .records import Quantity

NOUNS = ("hồ sơ", "thủ tục hành chính", "thủ tục", "TTHC", "nhiệm vụ", "đơn vị", "phòng",
         "công chức", "viên chức", "CCVC", "CBCCVC", "CBCC", "VC", "lượt", "nội dung",
         "phản ánh", "kiến nghị", "đơn thư", "văn bản", "dịch vụ", "quyết định", "điểm",
         "trường hợp", "đ/c", "tin", "ảnh", "người")
_NOUN = regex.compile(r"\s*(?:bộ\s+|lượt\s+|nhóm\s+)?(" + "|".join(
    regex.escape(n) for n in sorted(NOUNS, key=len, reverse=True)) + r")(?![\p{L}])")
_NUMBER = regex.compile(
    r"(?:(?<![\p{L}\d/.,\-:])|(?<=(?<!\p{L})(?:hơn|gần|trên|khoảng|dưới)))"
    r"(?:(?P<x>\d{1,3}(?:\.\d{3})+|\d{1,6})\s*/\s*(?P<y>\d{1,3}(?:\.\d{3})+|\d{1,6})(?![\d/])"
    r"|(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)\s*%"
    r"|(?P<thou>\d{1,3}(?:\.\d{3})+)(?!\d|,\d)"
    r"|(?P<dec>\d{1,4},\d{1,3})(?!\d)"
    r"|(?P<int>\d{1,7}))"
    r"(?![\p{L}\d])")
# an amount of money: "150.000 đồng/hồ sơ", "1,2 tỷ đồng", "500 nghìn" (never a count)
_MONEY = regex.compile(r"\s*(?:đồng|đ(?![\p{L}])|vnđ|VNĐ|VND|USD|triệu|tỷ(?!\s+lệ)|nghìn|ngàn)(?![\p{L}])")
# a length of time or an age: "12 ngày làm việc", "6 tháng", "18 tuổi" (never a count)
_DURATION = regex.compile(r"\s*(?:ngày|tháng|năm|giờ|phút|tuần|tuổi)(?![\p{L}])")
_APPROXIMATE = regex.compile(r"(?<!\p{L})(?:[Hh]ơn|[Gg]ần|[Tt]rên|[Kk]hoảng|[Dd]ưới|[Xx]ấp\s+xỉ)\s*$")
_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
          "chín": 9, "mười": 10}
_WORD_NUMBER = regex.compile(r"(?<![\p{L}])(?P<w>" + "|".join(_WORDS) + r")"
                             r"(?=\s+(?:hồ sơ|thủ tục|TTHC|đơn vị|nhiệm vụ|công chức|viên chức|trường hợp)\b)")
_ABSENCE = regex.compile(
    r"(?:[Kk]hông\s+(?:có|phát\s+sinh|để)|[Kk]hông\s+nhận\s+được|[Cc]hưa\s+(?:có|phát\s+sinh))"
    r"(?P<rest>[^.;\n]{0,60})")
_ANSWER_NONE = regex.compile(r":\s*(?P<w>[Kk]hông)\s*(?=[.;]|$)", regex.M)
_SKIP_BEFORE = regex.compile(r"(?:ISO|TCVN|[Qq]uý|[Kk]hóa|[Kk]hoá|[Đđ]iều|[Kk]hoản|[Mm]ục|[Pp]hụ\s+lục(?:\s+số)?|"
                             r"(?:[Mm]ẫu|MẪU|[Bb]iểu|BIỂU|[Pp]hiếu|[Tt]ờ\s+khai)(?:\s+(?:số|mẫu))?|"
                             r"[Nn]ăm|[Tt]háng|[Nn]gày|[Mm]ức\s+độ|[Gg]iai\s+đoạn|[Ll]oại|[Nn]hóm|"
                             r"[Nn]hiệm\s+kỳ|[Cc]ấp\s+độ|(?:[Mm]ức|[Cc]ấp)\s+độ\s+\d\s*(?:,|và|-)|[Mm]ức\s+độ\s+\d,?)\s*$")


def _masked(text: str, found: list[tuple[int, int]] | None) -> bytearray:
    """1 where a character belongs to a date, an id (``found``: their spans,
    found here when not given), a standard, a URL or a section number."""
    if found is None:
        dates = find_dates(text)
        found = [(d.start, d.end) for d in dates] + [(c.start, c.end) for c in find_citations(text, dates)]
    spans = list(found)
    spans += [(m.start(), m.end()) for m in regex.finditer(r"(?:ISO|TCVN)[\s\d:.\-]*\d", text)]
    spans += [(m.start(), m.end()) for m in regex.finditer(r"https?://\S+|\b[\w.-]+\.gov\.vn\S*", text)]
    # section numbers at the start of a line ("1.", "1.2.", "II.")
    spans += [(m.start(), m.end()) for m in regex.finditer(r"(?m)^\s*[-+]?\s*\d{1,2}(?:\.\d{1,2})*[.)]", text)]
    spans += [(m.start(), m.end()) for m in regex.finditer(r"\(\s*\d{1,2}\s*\)", text)]
    mask = bytearray(len(text))
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _int(s: str) -> int:
    return int(s.replace(".", ""))


def find_quantities(text: str, masks: list[tuple[int, int]] | None = None,
                    sentences: Sentences | None = None) -> list[Quantity]:
    """Every quantity in ``text``, in order.

    >>> text = "tiếp nhận 2.986 hồ sơ, hoàn thành 28/29 nhiệm vụ, đạt 74,72 điểm, 100%"
    >>> [(q.text, q.value, q.kind) for q in find_quantities(text)]
    [('2.986', 2986, 'count'), ('28/29', 28, 'ratio'), ('74,72', 74.72, 'decimal'), ('100%', 100, 'percent')]
    """
    masked = _masked(text, masks)
    sents = sentences or Sentences(text)
    out: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        s, e = m.span()
        if any(masked[s:e]) or _SKIP_BEFORE.search(text[max(0, s - 12):s]):
            continue
        value: float  # an int for a count
        denominator = None
        if m.group("x"):
            value, kind, denominator = _int(m.group("x")), "ratio", _int(m.group("y"))
        elif m.group("pct"):
            v = float(m.group("pct").replace(",", "."))
            value, kind = (int(v) if v.is_integer() else v), "percent"
        elif m.group("thou"):
            value, kind = _int(m.group("thou")), "count"
        elif m.group("dec"):
            value, kind = float(m.group("dec").replace(",", ".")), "decimal"
        else:
            value, kind = int(m.group("int")), "count"
        if _MONEY.match(text, e):
            kind = "money"
        elif kind == "count" and _DURATION.match(text, e):
            kind = "duration"
        noun = _NOUN.match(text, e)
        ss, se = sents.span(s, e)
        out.append(Quantity(s, e, m.group(0), value, kind, denominator,
                            noun.group(1) if noun else None, text[ss:se],
                            bool(_APPROXIMATE.search(text, max(0, s - 12), s))))
    for m in _WORD_NUMBER.finditer(text):
        noun = _NOUN.match(text, m.end())
        ss, se = sents.span(m.start(), m.end())
        out.append(Quantity(m.start(), m.end(), m.group(0), _WORDS[m.group("w")], "count",
                            None, noun.group(1) if noun else None, text[ss:se]))
    for m in _ABSENCE.finditer(text):
        ss, se = sents.span(m.start(), m.end())
        out.append(Quantity(m.start(), m.end(), m.group(0), 0, "absence", None, None, text[ss:se]))
    for m in _ANSWER_NONE.finditer(text):
        ss, se = sents.span(m.start("w"), m.end("w"))
        out.append(Quantity(m.start("w"), m.end("w"), m.group("w"), 0, "absence", None, None,
                            text[ss:se]))
    out.sort(key=lambda q: q.start)
    return out
