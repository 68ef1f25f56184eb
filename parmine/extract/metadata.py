"""Report metadata: province, agency, type, covered period, issue date,
number, signer and recipients.

Where each comes from, most authoritative first:

- **province** — the header's issuing body ("UBND TỈNH QUẢNG TRỊ"), the
  place-date line ("Hưng Yên, ngày ... tháng 8 năm 2024"), the recipients
  ("Kính gửi: Sở Nội vụ thành phố Hải Phòng"), then the body: the province
  named most often with the agency or as "tỉnh X" / "thành phố X" — never
  simply the first province mentioned (reports name other provinces too);
- **agency** — the header's agency line or the body's self-reference
  ("Sở Khoa học và Công nghệ Quảng Trị báo cáo ..."), without the province;
- **report_type** — from the title: "kiểm soát thủ tục hành chính" /
  "một cửa" → ``tthc_control``; "khắc phục ... kết luận kiểm tra" →
  ``inspection_followup``; "cải cách hành chính" / "CCHC" → ``cchc``;
- **period** — the first period phrase of the title ("Quý III và kế hoạch
  Quý 4 năm 2020" → quarter 3 of 2020, the year taken from the title),
  else the year of the issue date;
- **issued_date** — the place-date line ("ngày 15 tháng 11 năm 2019";
  a blank day "ngày   tháng 8 năm 2024" → ``2024-08``);
- **doc_number** — "Số: 12/BC-SKHCN" (a blank number "Số:   /BC-SKHCN" →
  None);
- **signer** — the name under the signature block, in title case
  ("ĐƯƠNG NGỌC TUẤN" → "Đương Ngọc Tuấn").
"""
from __future__ import annotations

from collections import Counter

import regex

from .dates import find_dates, find_periods
from .normalize import fold
from .records import Metadata, Period, Section

_NUMBER = regex.compile(r"^\s*Số\s*:?\s*(?P<no>[^\s/]*)\s*/\s*(?P<sym>[\p{Lu}][\p{L}\d&\-]*)", regex.M)
_PLACE_DATE = regex.compile(r"^\s*(?P<place>[\p{L}][\p{L} .\-–]{1,40}?)\s*,\s*ngày\b[^\n]*?năm\s+(?:19|20)\d\d",
                            regex.M)
_ISSUER_LINE = regex.compile(
    r"^\s*(?:UBND|ỦY\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN)\s+(?:TỈNH|THÀNH\s+PHỐ|TP\.?)\s+(?P<p>[^\n]+)$",
    regex.M)
_RECIPIENT = regex.compile(r"^\s*Kính\s+gửi\s*:\s*(?P<r>[^\n]+(?:\n\s*[-+][^\n]+)*)", regex.M)
_PROVINCE_CONTEXT = regex.compile(r"(?:tỉnh|thành\s+phố|TỈNH|THÀNH\s+PHỐ)\s+$")
_POSITION = regex.compile(
    r"^(?:KT\.|TM\.|TL\.|Q\.|TUQ\.)|GIÁM\s+ĐỐC|CHỦ\s+TỊCH|TRƯỞNG|CHÁNH|THỦ\s+TRƯỞNG|PHÓ|"
    r"CỘNG\s+HÒA|ĐỘC\s+LẬP|UBND|ỦY\s+BAN|SỞ\b|BAN\b|PHÒNG\b|VĂN\s+PHÒNG")
_NOT_NAME = {"của", "và", "các", "số", "kết", "quả", "hành", "chính", "thủ", "tục", "công", "tác",
             "báo", "cáo", "kế", "hoạch", "sở", "ban", "lượng", "tổng", "hợp", "năm", "tình",
             "hình", "thực", "hiện", "phụ", "lục", "biểu", "nơi", "nhận", "lưu", "như", "trên"}


def report_title(text: str) -> str | None:
    """What the report is about: the words after "BÁO CÁO"."""
    from .sections import title_span

    span = title_span(text)
    if span is None:
        return None
    return regex.sub(r"\s+", " ", text[span[0]:span[1]]).strip()[:400] or None


def report_type(title: str | None, text: str) -> str:
    """cchc / tthc_control / inspection_followup / other, from the title."""
    t = fold(title or text[:600])
    if "khắc phục" in t and ("kết luận" in t or "kiểm tra" in t):
        return "inspection_followup"
    if "kiểm soát thủ tục hành chính" in t or "kiểm soát tthc" in t or (
            "một cửa" in t and "cải cách hành chính" not in t):
        return "tthc_control"
    if "cải cách hành chính" in t or "cchc" in t:
        return "cchc"
    return "other"


def covered_period(title: str | None, issued: str | None) -> Period | None:
    """The period the report covers, from its title; else the issue year."""
    if title:
        found = [p for p in find_periods(title) if p.kind != "multi_year"]
        if found:
            first = found[0]
            if first.year is None:
                year = next((p.year for p in found if p.year), None)
                if year is None:
                    m = regex.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", title)
                    year = int(m.group(1)) if m else (int(issued[:4]) if issued else None)
                first = Period(first.start, first.end, first.text, first.kind, year, first.index,
                               first.start_date, first.end_date, first.end_year)
            return first
    if issued:
        return Period(-1, -1, "", "year", int(issued[:4]))
    return None


def _title_case(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def signer(text: str, sections: list[Section]) -> str | None:
    """The name under the signature block."""
    blocks = {s.kind: s for s in sections if s.kind != "body"}
    lo = blocks["closing"].start if "closing" in blocks else max(0, len(text) - 1500)
    hi = blocks["appendix"].start if "appendix" in blocks else len(text)
    zone = text[lo:hi]
    lines = [l.strip().strip("*").strip() for l in zone.split("\n")]
    for line in reversed(lines):
        if not line or line.startswith(("-", "+", "•")) or regex.search(r"[\d:;,/()]", line):
            continue
        words = line.split()
        if not 2 <= len(words) <= 5 or _POSITION.search(line.upper()):
            continue
        if not all(w[:1].isupper() and w.isalpha() and len(w) <= 7 for w in words):
            continue
        if any(w.lower() in _NOT_NAME for w in words):
            continue
        return _title_case(line)
    return None


def _agencies() -> list[str]:
    from ..corpus.gazetteer import agencies
    return agencies()


# "<cơ quan> [tỉnh X] báo cáo": at most four words, on the same line, between the two
_LOCAL_COMMITTEE = regex.compile(
    r"^\s*(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s*\n?\s*(?P<level>HUYỆN|QUẬN|THỊ\s+XÃ|THÀNH\s+PHỐ|XÃ|PHƯỜNG)\s+"
    r"(?P<name>[^\n]+)$", regex.M)
_SELF_REFERENCE = regex.compile(r"(?:[ \t]+(?!về\b|của\b|theo\b|việc\b|và\b)[^\s,.;:]+){0,4}?[ \t]*(?:xin[ \t]+)?báo[ \t]+cáo\b")


def find_agency(text: str, title: str | None, agencies: list[str],
                header_end: int | None = None) -> str | None:
    """The reporting body: the header's agency line, its self-reference
    ("Sở Tư pháp [tỉnh X] báo cáo ..."), the title, in that order."""
    names = sorted(agencies, key=len, reverse=True)
    body = "|".join(regex.escape(fold(a)).replace(r"\ ", r"\s+") for a in names)
    pat = regex.compile(rf"(?<!\p{{L}})({body})(?!\p{{L}})")
    canon = {fold(a): a for a in agencies}

    def name(m: regex.Match) -> str:
        return canon[regex.sub(r"\s+", " ", m.group(1))]

    if header_end:
        header = text[:header_end]
        for line in header.split("\n"):
            m = pat.fullmatch(fold(line).strip(" :"))
            if m:
                return name(m)
        m = _LOCAL_COMMITTEE.search(header)
        if m:  # a district or city People's Committee: "Ủy ban nhân dân huyện Điện Bàn"
            from ..corpus.gazetteer import Gazetteer

            level, place = m.group("level").lower(), _title_case(m.group("name").strip())
            if Gazetteer.default().find(place):  # a centrally-run city: the province is said elsewhere
                return f"Ủy ban nhân dân {level}"
            return f"Ủy ban nhân dân {level} {place}"
    head = "\n".join(fold(line) for line in text.split("\n")[:80])
    for m in pat.finditer(head):
        if _SELF_REFERENCE.match(head, m.end()):
            return name(m)
    m = pat.search(fold(title or ""))
    if m:
        return name(m)
    # else the first body mention that is not an addressee or another document's issuer
    for m in pat.finditer(head):
        if not regex.search(r"(?:của|gửi|gửi:|tại|với)\s*$", head[max(0, m.start() - 12):m.start()]):
            return name(m)
    return None


def find_province(text: str, sections: list[Section], gazetteer) -> str | None:
    blocks = {s.kind: s for s in sections if s.kind != "body"}
    header_end = blocks["header"].end if "header" in blocks else min(len(text), 600)
    head = text[:header_end]
    for m in _ISSUER_LINE.finditer(head):
        p = gazetteer.find(m.group("p"))
        if p:
            return p.name
    m = _PLACE_DATE.search(head)
    if m:
        p = gazetteer.find(m.group("place"))
        if p:
            return p.name
    m = _RECIPIENT.search(text[:header_end + 600])
    if m:
        hits = gazetteer.mentions(m.group("r"))
        if hits:
            return hits[0][2].name
    # the body: provinces named as "tỉnh X"/"thành phố X" or right after an agency
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for s, e, p in gazetteer.mentions(text):
        before = text[max(0, s - 14):s]
        weight = 2 if _PROVINCE_CONTEXT.search(before) else 1
        counts[p.name] += weight
        first.setdefault(p.name, s)
    if counts:
        return max(counts, key=lambda n: (counts[n], -first[n]))
    return None


def extract_metadata(text: str, sections: list[Section] | None = None,
                     gazetteer=None, agencies: list[str] | None = None) -> Metadata:
    """Everything the header, title and signature block say."""
    from .sections import parse_sections

    if sections is None:
        sections = parse_sections(text)
    if gazetteer is None:
        from ..corpus.gazetteer import Gazetteer
        gazetteer = Gazetteer.default()
    blocks = {s.kind: s for s in sections if s.kind != "body"}
    header_end = blocks["header"].end if "header" in blocks else min(len(text), 600)
    head = text[:header_end]

    number = None
    m = _NUMBER.search(head)
    if m and m.group("no") and regex.match(r"\d", m.group("no")):
        number = f'{m.group("no")}/{m.group("sym")}'
    issued = None
    m = _PLACE_DATE.search(head)
    if m:
        dates = find_dates(m.group(0))
        if dates and dates[0].valid:
            issued = dates[0].value
    title = report_title(text)
    province = find_province(text, sections, gazetteer)
    recipients = ()
    m = _RECIPIENT.search(text[:header_end + 600])
    if m:
        recipients = tuple(r.strip(" -+;.") for r in regex.split(r"\n|;", m.group("r")) if r.strip(" -+;."))
    return Metadata(
        province=province,
        unit_2025=gazetteer.unit_2025(province) if province else None,
        agency=find_agency(text, title, agencies if agencies is not None else _agencies(), header_end),
        report_type=report_type(title, text),
        period=covered_period(title, issued),
        issued_date=issued,
        doc_number=number,
        signer=signer(text, sections),
        recipients=recipients,
        title=title,
    )
