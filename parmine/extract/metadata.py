"""Document metadata: kind, issuer and agency, province, report type,
covered period, issue date, number, signer and recipients.

Everything is read where the national document format puts it
(:mod:`parmine.extract.header`, :mod:`parmine.extract.signature`), most
authoritative first:

- **doc_kind** — the kind word ("QUYẾT ĐỊNH" → ``quyết định``), else the
  kind letters of the number symbol ("25/QĐ-UBND"; none: ``công văn``),
  else the shape of the page: ``news`` (a portal item: headline, posting
  date, prose) or ``statistics`` (mostly figures);
- **agency** and **province** — the header's issuing body ("UBND TỈNH
  QUẢNG TRỊ / SỞ KHOA HỌC VÀ CÔNG NGHỆ" → "Sở Khoa học và Công nghệ",
  Quảng Trị; a district "ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BÀN" → Quảng Nam via
  the gazetteer), completed by the issuing authority's line before "Căn
  cứ"; a central body (ministry, Government, Prime Minister …) has no
  province.  Without a header: the report's self-reference ("Sở Tư pháp
  [tỉnh X] báo cáo …"), a portal item's headline or the subject of its lead
  ("(Chinhphu.vn) – Ngày 9/9, Văn phòng Chính phủ có văn bản …"); the
  province then from the place-date line, the recipients, or the body (the
  province named most often with a level word, or through its districts);
- **report_type** — reports and portal items only, from the title or the
  headline: "kiểm soát thủ tục hành chính" / "một cửa" / "kết quả giải
  quyết thủ tục hành chính" / the review, simplification or publication of
  procedures / feedback on regulations / figures on dossiers →
  ``tthc_control``; "khắc phục … kết luận kiểm tra", "thực hiện kết luận
  kiểm tra" → ``inspection_followup``; "cải cách hành chính" / "CCHC" → ``cchc``;
  decisions, plans and letters are ``other``;
- **period** — only one the document states as the one it covers: the
  first period of the title ("Quý III và kế hoạch Quý 4 năm 2020" →
  quarter 3 of 2020) — a report whose title names none covers the year it
  is issued in —, of a portal item's headline or lead ("Trong tháng 5/2019
  (từ 21/4 đến 20/5/2019)" → the range); a decision or letter whose
  subject names no period has none;
- **issued_date**, **doc_number** — the place-date line ("ngày 15 tháng
  11 năm 2019"; a blank day → ``2024-08``) and "Số: 12/BC-SKHCN" (a blank
  number → None), or the site metadata, or a portal item's posting date;
- **signer** — the name under the signature block (title-cased), else the
  "Người ký" of a legal database's metadata; **signer_title** its title.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import regex

from ..text.normalize import fold
from .bodies import Body, read_body
from .dates import find_periods
from .header import read_header
from .records import Header, Metadata, Period
from .signature import read_signature

if TYPE_CHECKING:
    from ..corpus.gazetteer import Gazetteer

_RECIPIENT = regex.compile(r"^\s*\|?\s*Kính\s+gửi\s*:\s*\|?\s*(?P<r>[^\n|]+(?:\n\s*[-+][^\n]+)*)", regex.M)
_PROVINCE_CONTEXT = regex.compile(r"(?:tỉnh|thành\s+phố|TỈNH|THÀNH\s+PHỐ|TP\.?)\s+$")
# kinds that tell what happened (None: not known)
REPORTING_KINDS = (None, "báo cáo", "news", "statistics")
_LEAD_PREFIX = regex.compile(
    r"^\s*(?:\([^)\n]{1,40}\)\s*[-–—:]?\s*)?"                 # "(Chinhphu.vn) – "
    r"(?:(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa)\s+(?:ngày\s+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?\s*,\s*)?"
    r"(?:[Tt]heo\s+(?:báo\s+cáo|thống\s+kê|số\s+liệu)\s+(?:của\s+)?(?=\p{Lu}))?")  # "Theo báo cáo của Sở …"


# (folded text) carrying out an inspection's conclusions: "thực hiện kết luận kiểm tra CCHC"
_FOLLOWUP = regex.compile(r"thực hiện (?:các )?(?:kết luận|kiến nghị)(?: của đoàn)? kiểm tra")
# the work of procedure control beyond the words "kiểm soát": review, simplification, publication of
# procedures, feedback on regulations (Nghị định 63/2010/NĐ-CP, 20/2008/NĐ-CP)
_TTHC_WORK = regex.compile(r"(?:rà soát|đơn giản hóa|công bố|công khai)[^.;]{0,30}(?:thủ tục hành chính|tthc)"
                           r"|phản ánh,? kiến nghị (?:về|đối với) quy định hành chính")


def report_type(title: str | None, text: str, kind: str | None = None) -> str:
    """cchc / tthc_control / inspection_followup / other, from the title (a
    report's) or the headline or lead (a portal item's); every other kind of
    document is ``other``."""
    if kind not in REPORTING_KINDS:
        return "other"
    if title:
        t = fold(title)
    elif kind in ("news", "statistics"):  # no headline: what the lead opens with
        t = fold(text.lstrip()[:150])
    else:
        t = fold(text[:600])
    if ("khắc phục" in t and ("kết luận" in t or "kiểm tra" in t)) or _FOLLOWUP.search(t):
        return "inspection_followup"
    if "kiểm soát thủ tục hành chính" in t or "kiểm soát tthc" in t or (
            "một cửa" in t and "cải cách hành chính" not in t) or _TTHC_WORK.search(t) or \
            regex.match(r"(?:[^:]{0,40}:\s*)?(?:báo cáo\s+)?kết quả (?:tiếp nhận,? (?:và )?)?giải quyết "
                        r"(?:thủ tục hành chính|tthc|hồ sơ)", t):  # a title that opens with the results
        return "tthc_control"
    if "cải cách hành chính" in t or "cchc" in t or (
            kind == "báo cáo" and regex.search(r"chính (?:phủ|quyền) điện tử|chính phủ số", t)):
        return "cchc"  # e-government is a pillar of the reform programme
    # a portal item's figures on dossiers resolved or received: one-stop results
    if kind in ("news", "statistics") and regex.search(r"\d\s*%?\s+(?:\S+\s+){0,2}hồ sơ", t):
        return "tthc_control"
    return "other"


_BARE_RANGE = regex.compile(
    r"(?:[Tt]ừ|TỪ)\s+(?:ngày\s+)?(?P<d1>\d{1,2})/(?P<m1>\d{1,2})\s*(?:[-–—]|đến(?:\s+ngày)?)\s*"
    r"(?:ngày\s+)?(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y>(?:19|20)\d\d)")


def _bare_range(text: str, start: int, end: int) -> Period | None:
    """"(từ 21/4 đến 20/5/2019)" right after a period: the range it spells
    out, the first date's year taken from the second."""
    import datetime as dt

    m = _BARE_RANGE.search(text, start, end)
    if not m:
        return None
    y = int(m.group("y"))
    y1 = y - 1 if int(m.group("m1")) > int(m.group("m2")) else y
    try:
        a = dt.date(y1, int(m.group("m1")), int(m.group("d1"))).isoformat()
        b = dt.date(y, int(m.group("m2")), int(m.group("d2"))).isoformat()
    except ValueError:
        return None
    return Period(m.start(), m.end(), m.group(0), "range", y, start_date=a, end_date=b)


# a bound, not a period covered: "từ nay đến năm 2020", "tầm nhìn đến năm 2030", "trước năm 2025"
_HORIZON = regex.compile(r"(?:[Đđ]ến|ĐẾN|[Tt]ới|TỚI|[Tt]rước|TRƯỚC|[Ss]au|SAU)\s+$")


def _first_period(text: str) -> Period | None:
    """The first period ``text`` states, refined by a range in brackets
    right after it; a multi-year span and a horizon ("Đề án … từ nay đến
    năm 2020 và những năm tiếp theo") are no reporting period."""
    found = [p for p in find_periods(text)
             if p.kind != "multi_year" and not _HORIZON.search(text, max(0, p.start - 8), p.start)]
    if not found:
        return None
    first = found[0]
    if first.kind != "range":
        nearby = regex.match(r"\s*\(", text[first.end:first.end + 3])
        if nearby:
            refined = _bare_range(text, first.end, min(len(text), first.end + 60))
            if refined is None:
                refined = next((p for p in found[1:] if p.kind == "range" and p.start < first.end + 60), None)
            if refined is not None:
                return refined
    if first.year is None:
        year = next((p.year for p in found if p.year), None)
        if year is None:
            m = regex.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)
            year = int(m.group(1)) if m else None
        first = Period(first.start, first.end, first.text, first.kind, year, first.index,
                       first.start_date, first.end_date, first.end_year)
    return first


def covered_period(title: str | None, issued: str | None, kind: str | None = "báo cáo",
                   lead: str = "") -> Period | None:
    """The period the document covers (see the module docstring)."""
    if title:
        found = _first_period(title)
        if found is not None:
            if found.year is None and issued:
                found = Period(found.start, found.end, found.text, found.kind, int(issued[:4]),
                               found.index, found.start_date, found.end_date, found.end_year)
            return found
    if kind in ("news", "statistics") and lead:
        return _first_period(lead)
    if kind == "báo cáo" and issued:
        return Period(-1, -1, "", "year", int(issued[:4]))
    return None


def _agency_pattern(agencies: tuple[str, ...]) -> tuple[regex.Pattern[str], dict[str, str]]:
    names = sorted(agencies, key=len, reverse=True)
    body = "|".join(regex.escape(fold(a)).replace(r"\ ", r"\s+") for a in names)
    return regex.compile(rf"(?<!\p{{L}})({body})(?!\p{{L}})"), {fold(a): a for a in agencies}


_SELF_REFERENCE = regex.compile(
    r"(?:[ \t]+(?!về\b|của\b|theo\b|việc\b|và\b)[^\s,.;:]+){0,4}?[ \t]*(?:xin[ \t]+)?báo[ \t]+cáo\b")


def find_agency(text: str, title: str | None, agencies: list[str]) -> str | None:
    """A report without an issuer in its header: its self-reference ("Sở
    Tư pháp [tỉnh X] báo cáo ..."), the title, or the first body mention that
    is not an addressee or another document's issuer."""
    pat, canon = _agency_pattern(tuple(agencies))

    def name(m: regex.Match[str]) -> str:
        return canon[regex.sub(r"\s+", " ", m.group(1))]

    head = "\n".join(fold(line) for line in text.split("\n")[:80])
    for m in pat.finditer(head):
        if _SELF_REFERENCE.match(head, m.end()):
            return name(m)
    in_title = pat.search(fold(title or ""))
    if in_title:
        return name(in_title)
    for m in pat.finditer(head):
        if not regex.search(r"(?:của|gửi|gửi:|tại|với)\s*$", head[max(0, m.start() - 12):m.start()]):
            return name(m)
    return None


def _with_level(agency: str, text: str) -> str:
    """"Trung tâm Phục vụ hành chính công" named elsewhere as "… tỉnh Lạng
    Sơn" is the province's centre: "… tỉnh" (a department keeps its bare name)."""
    if agency.startswith("Sở ") or fold(agency).endswith((" tỉnh", " thành phố")):
        return agency
    m = regex.search(regex.escape(fold(agency)).replace(r"\ ", r"\s+") + r"\s+(tỉnh|thành\s+phố)\b",
                     fold(text))
    return f"{agency} {' '.join(m.group(1).split())}" if m else agency


def news_agency(text: str, header: Header, agencies: list[str]) -> str | None:
    """A portal item's reporting body: one named in its headline, or the
    subject its lead opens with ("Văn phòng Chính phủ có văn bản …"); a
    person's title first ("Chủ tịch UBND tỉnh đã …") names no body."""
    pat, canon = _agency_pattern(tuple(agencies))
    found = None
    if header.title and header.headline:
        m = pat.search(fold(header.title))
        found = canon[regex.sub(r"\s+", " ", m.group(1))] if m else None
    if found is None:
        lead = text[header.end:header.end + 400].lstrip()
        prefix = _LEAD_PREFIX.match(lead)
        assert prefix is not None  # every part of it is optional: it always matches
        lead = lead[prefix.end():]
        m = pat.match(fold(lead[:200]))
        found = canon[regex.sub(r"\s+", " ", m.group(1))] if m else None
    return _with_level(found, text) if found else None


def _mentioned_province(text: str, gazetteer: Gazetteer) -> str | None:
    """The province the body names most: "tỉnh X"/"thành phố X" count
    double, a district or commune counts for its province."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for s, _, p in gazetteer.mentions(text):
        before = text[max(0, s - 14):s]
        counts[p.name] += 2 if _PROVINCE_CONTEXT.search(before) else 1
        first.setdefault(p.name, s)
    for s, _, loc in gazetteer.locality_mentions(text):
        counts[loc.province] += 1
        first.setdefault(loc.province, s)
    if counts:
        return max(counts, key=lambda n: (counts[n], -first[n]))
    return None


def _place_province(place: str | None, gazetteer: Gazetteer) -> str | None:
    if not place:
        return None
    p = gazetteer.find(place)
    if p is not None:
        return p.name
    loc = gazetteer.locality(place)
    return loc.province if loc else None


# units named by their head noun alone under their parent body
_BARE_UNITS = frozenset(("văn phòng", "thanh tra"))


def _issuer(header: Header) -> tuple[Body | None, Body | None]:
    """(issuer, parent) read from the header's bodies and authority line:
    the authority line completes an issuer the header cut short ("ỦY BAN
    NHÂN DÂN" + "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI")."""
    bodies = [read_body(b) for b in header.bodies]
    issuer = bodies[-1] if bodies else None
    parent = bodies[-2] if len(bodies) > 1 else None
    if issuer and parent and parent.agency and fold(issuer.agency or "") in _BARE_UNITS:
        # "UBND TỈNH BÌNH ĐỊNH / VĂN PHÒNG": the office of its parent
        issuer = Body(issuer.written, f"{issuer.agency} {parent.agency}", parent.province, parent.central)
    if header.authority:
        auth = read_body(header.authority)
        if issuer is None or (auth.agency and fold(auth.written).replace(" ", "").startswith(
                fold(issuer.written).replace(" ", "")) and len(auth.written) > len(issuer.written)):
            issuer = auth
    return issuer, parent


def _page_kind(text: str, header: Header) -> str:
    """A page without a document header: ``statistics`` when figures fill
    it, else ``news``."""
    words = regex.findall(r"\S+", text[:5000])
    figures = sum(1 for w in words if regex.match(r"[\d.,%]+$", w))
    return "statistics" if words and figures / len(words) > 0.3 else "news"


def _recipients(text: str, header: Header) -> tuple[str, ...]:
    """"Kính gửi: Sở Nội vụ tỉnh X" and the "- …" lines under it."""
    m = _RECIPIENT.search(text, header.end, header.end + 800) or _RECIPIENT.search(text[:header.end + 800])
    if not m:
        return ()
    return tuple(r.strip(" -+;.") for r in regex.split(r"\n|;", m.group("r")) if r.strip(" -+;."))


def _province(text: str, header: Header, issuer: Body | None, parent: Body | None, kind: str | None,
              recipients: tuple[str, ...], gazetteer: Gazetteer) -> str | None:
    """The issuer's or its parent's province, else the place of issue's,
    the recipients' (a report's), or the body's."""
    province = (issuer.province if issuer else None) or (parent.province if parent else None) \
        or _place_province(header.place, gazetteer)
    if province is None and recipients and kind not in ("news", "statistics"):
        hits = gazetteer.mentions("; ".join(recipients))
        province = hits[0][2].name if hits else None
    if province is None and not (issuer and issuer.agency):
        province = _mentioned_province(text, gazetteer)
    return province


def _agency(text: str, header: Header, issuer: Body | None, kind: str | None, agencies: list[str]) -> str | None:
    if issuer and issuer.agency:
        return issuer.agency
    if kind in ("news", "statistics"):
        return news_agency(text, header, agencies)
    return find_agency(text, header.title, agencies)


def extract_metadata(text: str, header: Header | None = None, gazetteer: Gazetteer | None = None,
                     agencies: list[str] | None = None) -> Metadata:
    """Everything the header, title and signature block say."""
    from ..corpus.gazetteer import Gazetteer
    from ..corpus.gazetteer import agencies as known

    header = header or read_header(text)
    gazetteer = gazetteer or Gazetteer.default()
    agencies = known() if agencies is None else agencies
    kind = header.kind or (_page_kind(text, header) if header.layout in ("portal", "none") else None)
    issuer, parent = _issuer(header)
    agency = _agency(text, header, issuer, kind, agencies)
    central = bool(issuer and issuer.central) or bool(parent and parent.central) or (
        issuer is None and agency is not None and read_body(agency).central)
    recipients = _recipients(text, header)
    province = None if central else _province(text, header, issuer, parent, kind, recipients, gazetteer)
    signature = read_signature(text, header.end)
    lead = text[header.end:header.end + 600] if kind in ("news", "statistics") else ""
    title = header.title
    return Metadata(
        province=province, unit_2025=gazetteer.unit_2025(province) if province else None, agency=agency,
        report_type=report_type(title, text[header.end:], kind),
        period=covered_period(title, header.issued_date, kind, lead),
        issued_date=header.issued_date, doc_number=header.doc_number,
        signer=(signature.name if signature else None) or header.signer, recipients=recipients,
        title=title[:400] if title else None, doc_kind=kind,
        issuer=issuer.written if issuer else None, parent_body=parent.written if parent else None,
        place=header.place, signer_title=signature.title if signature else None)
