"""Dates and covered periods, by compiled regexes.

Date forms (:func:`find_dates`):

- numeric, day first: "22/10/2019", "5/3/2014", "22-10-2019", "22.10.2019";
- written out: "ngày 15 tháng 11 năm 2019", also without "ngày" ("từ 31
  tháng 12 năm 1944 về trước");
- month precision: "tháng 8 năm 2024", and a blank day left for the
  signature, "ngày    tháng 8 năm 2024" → ``2024-08``.

Period forms (:func:`find_periods`):

- "năm 2019" → year; "quý III năm 2020", "quý 4/2019", "Quý III/2023" →
  quarter; "6 tháng đầu năm 2017" → half 1, "6 tháng cuối năm" → half 2;
  "9 tháng đầu năm 2021" → nine_months; "tháng 8 năm 2024", "tháng 8/2024" →
  month; "từ 01/01/2017 - 08/6/2017", "từ ngày 15/6/2023 đến ngày 14/9/2023"
  → range; "giai đoạn 2016-2020", "nhiệm kỳ 2021-2026" → multi_year.

Invalid dates ("31/02/2020") are kept as text with ``valid=False`` and no
value, never shifted.  dateparser (``languages=["vi"]``, DMY, day, month and
year required) reads only what the regexes leave: :func:`parse_date_fallback`.
"""
from __future__ import annotations

import datetime as _dt

import regex

from .records import DateMention, Period

_DAY = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?P<m>0?[1-9]|1[0-2])"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_NGAY = r"(?:[Nn]gày|NGÀY)"
_THANG = r"(?:[Tt]háng|THÁNG)"
_NAM = r"(?:[Nn]ăm|NĂM)"

_NUMERIC = regex.compile(
    r"(?<![\d/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d/])")
_WRITTEN = regex.compile(
    rf"(?:{_NGAY}\s+|(?<![\d.,/])(?<!\d[.,/]?\s+))(?P<d>\d{{1,2}})\s+{_THANG}\s+(?P<m>\d{{1,2}})\s+{_NAM}\s+(?P<y>(?:19|20)\d\d)(?!\d)")
_BLANK_DAY = regex.compile(
    rf"{_NGAY}(?:[\s._…]*)\s{_THANG}\s+(?P<m>\d{{1,2}})\s+{_NAM}\s+(?P<y>(?:19|20)\d\d)(?!\d)")
_MONTH_YEAR = regex.compile(
    rf"{_THANG}\s+{_MONTH}\s*(?:{_NAM}\s+|/)(?P<y>(?:19|20)\d\d)(?!\d)")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _day_mention(m: regex.Match[str], text: str) -> DateMention:
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    value = _iso(y, mo, d)
    return DateMention(m.start(), m.end(), m.group(0), value, "day", value is not None)


def parse_date(text: str) -> DateMention | None:
    """One date string → DateMention: "22/10/2019", "ngày 5 tháng 3 năm 2014".

    >>> parse_date("ngày 15 tháng 11 năm 2019").value
    '2019-11-15'
    >>> parse_date("31/02/2020").valid
    False
    """
    found = find_dates(text)
    return found[0] if found else None


def find_dates(text: str) -> list[DateMention]:
    """Every calendar date in ``text``, in order, without overlaps.

    >>> [d.value for d in find_dates("ngày 22/10/2019 và ngày   tháng 8 năm 2024")]
    ['2019-10-22', '2024-08']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _WRITTEN.finditer(text):
        found.append(_day_mention(m, text))
        taken.append(m.span())
    for m in _NUMERIC.finditer(text):
        if free(*m.span()):
            found.append(_day_mention(m, text))
            taken.append(m.span())
    for m in _BLANK_DAY.finditer(text):
        if free(*m.span()):
            y, mo = int(m.group("y")), int(m.group("m"))
            found.append(DateMention(m.start(), m.end(), m.group(0), f"{y:04d}-{mo:02d}", "month"))
            taken.append(m.span())
    for m in _MONTH_YEAR.finditer(text):
        if free(*m.span()):
            y, mo = int(m.group("y")), int(m.group("m"))
            found.append(DateMention(m.start(), m.end(), m.group(0), f"{y:04d}-{mo:02d}", "month"))
            taken.append(m.span())
    found.sort(key=lambda d: d.start)
    return found


def parse_date_fallback(text: str) -> str | None:
    """The long tail: dateparser in Vietnamese, day-month-year, every part
    required ("15 tháng Mười Một, 2019").  Returns ISO or None."""
    import dateparser

    got = dateparser.parse(text, languages=["vi"], settings={
        "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past"})
    return got.date().isoformat() if got else None


# --- periods ------------------------------------------------------------------
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# OCR reads "III" as "IH", "Il", "lll"...
_ROMAN_OCR = str.maketrans({"l": "I", "1": "I", "H": "II", "|": "I", "[": "I", "]": "I", "!": "I"})
_QUARTER = regex.compile(
    r"(?<!\p{L})[Qq](?:uý|UÝ|uí)\s+(?P<q>IV|I{1,3}|[1-4]|[IlH1|\[\]!]{2,3})(?!\p{L})"
    r"(?:\s*(?:,\s*)?(?:(?:năm|NĂM)\s+|/\s*)(?P<y>(?:19|20)\d\d))?")
_HALF = regex.compile(
    r"(?<!\d)0?6\s+(?:tháng|THÁNG)\s+(?P<w>đầu|cuối|ĐẦU|CUỐI)\s+(?:năm|NĂM)(?:\s+(?P<y>(?:19|20)\d\d))?")
_NINE = regex.compile(r"(?<!\d)0?9\s+(?:tháng|THÁNG)(?:\s+(?:(?:đầu|ĐẦU)\s+)?(?:năm|NĂM))?(?:\s+(?P<y>(?:19|20)\d\d))?")
_YEAR_ONLY = regex.compile(r"(?<!\p{L})(?:[Nn]ăm|NĂM)\s+(?P<y>(?:19|20)\d\d)(?![\d/\-])")
_MULTI = regex.compile(
    r"(?P<w>[Gg]iai\s+đoạn|GIAI\s+ĐOẠN|[Nn]hiệm\s+kỳ|NHIỆM\s+KỲ)\s+(?P<a>(?:19|20)\d\d)\s*[-–—]\s*(?P<b>(?:19|20)\d\d)")
_RANGE = regex.compile(
    r"(?:[Tt]ừ|TỪ)\s+(?:ngày\s+)?(?P<a>\d{1,2}/\d{1,2}/(?:19|20)\d\d)\s*"
    r"(?:[-–—]|đến(?:\s+ngày)?)\s*(?P<b>\d{1,2}/\d{1,2}/(?:19|20)\d\d)")


def _roman(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return _ROMAN.get(s.translate(_ROMAN_OCR))


def find_periods(text: str, dates: list[DateMention] | None = None) -> list[Period]:
    """Every period phrase in ``text``, in order, without overlaps.

    >>> [(p.kind, p.year, p.index) for p in find_periods("quý III năm 2020 và 6 tháng đầu năm 2017")]
    [('quarter', 2020, 3), ('half', 2017, 1)]
    """
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(m: regex.Match[str], kind: str, year: int | None = None, index: int | None = None,
            start_date: str | None = None, end_date: str | None = None, end_year: int | None = None) -> None:
        s, e = m.span()
        if all(e <= a or s >= b for a, b in taken):
            taken.append((s, e))
            found.append(Period(s, e, m.group(0), kind, year=year, index=index, start_date=start_date,
                                end_date=end_date, end_year=end_year))

    for m in _RANGE.finditer(text):
        a, b = find_dates(m.group("a")), find_dates(m.group("b"))
        if a and b and a[0].value and b[0].value:
            add(m, kind="range", year=int(b[0].value[:4]), start_date=a[0].value, end_date=b[0].value)
    # a date ("ngày 15 tháng 11 năm 2019", "ngày  tháng 8 năm 2024") is not a period
    taken.extend((d.start, d.end) for d in (find_dates(text) if dates is None else dates)
                 if d.precision == "day" or d.text[:4].lower() == "ngày")
    for m in _MULTI.finditer(text):
        add(m, kind="multi_year", year=int(m.group("a")), end_year=int(m.group("b")))
    for m in _QUARTER.finditer(text):
        q = _roman(m.group("q"))
        if q and 1 <= q <= 4:
            add(m, kind="quarter", year=int(m.group("y")) if m.group("y") else None, index=q)
    for m in _HALF.finditer(text):
        add(m, kind="half", year=int(m.group("y")) if m.group("y") else None,
            index=1 if m.group("w").lower() == "đầu" else 2)
    for m in _NINE.finditer(text):
        add(m, kind="nine_months", year=int(m.group("y")) if m.group("y") else None)
    for m in _MONTH_YEAR.finditer(text):
        add(m, kind="month", year=int(m.group("y")), index=int(m.group("m")))
    for m in _YEAR_ONLY.finditer(text):
        add(m, kind="year", year=int(m.group("y")))
    found.sort(key=lambda p: p.start)
    return found
