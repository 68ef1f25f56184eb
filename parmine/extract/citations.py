"""Legal-document citations (trích dẫn văn bản): the grammar of how
administrative text names another document.

    Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019 của UBND tỉnh Quảng Trị ban hành ...
    └─ type ──┘ └số┘└ no ┘└yr┘└symbol┘   └─ date ─┘    └─ issuer ──────┘ └ subject

**Type words** — every kind the national standard names (Nghị định
30/2020/NĐ-CP; :mod:`parmine.extract.kinds`) plus "Văn bản", "Công văn",
"Luật", "Bộ luật", "Pháp lệnh", in any case, with a line break or several
spaces inside ("Nghị⏎quyết số"), glued to a list index ("- 1Nghị định").

**"số"** — written, left out ("Nghị định 54/2016/NĐ-CP"), with lost
letters ("s 3605/UBND-HCC", "s20/2008/NĐ-CP", "sô", "so"), or a line break
before the number.

**Number shapes** (:data:`_ID`): ``số/năm/KÝ HIỆU`` (``41/2019/QĐ-UBND``,
``80/2015/QH13`` for a law; stray spaces "45/2020/ NĐ-CP" tolerated),
``số/KÝ HIỆU`` (``225/QĐ-TTg``, ``30c/NQ-CP``, ``36A/NQ-CP``), an official
letter's ``số/CƠ QUAN-ĐƠN VỊ`` (``555/SKHCN-VP``), the Party's
``số-LOẠI/CƠ QUAN`` (``18-NQ/TW``); symbols without their hyphen
(``63/2010/NĐCP``) are kept as written (the audit says they are variants).

**Laws by name** — "Luật Ban hành văn bản quy phạm pháp luật số
80/2015/QH13": a law's, code's or ordinance's name may stand between its
type word and "số".

**Bare numbers and short forms** — "Nghị quyết 36a", "nghị định 45": a
number after the type word of a legal instrument (not of a programme:
"Đề án 30" is a name) is a citation whose ``id`` is the number as written;
it is *resolved* to the full citation of the same type and number the text
gives elsewhere ("Nghị quyết số 36a/NQ-CP"), as eyecite resolves short
cites — ``resolved_id`` holds it (None when the text gives no full form).

**Runs** — "quyết định số 964/QĐ-UBND và 965/QĐ-UBND ngày 18/4/2019",
"các Công văn: số 555/...; số 651/...": the numbers share the type word,
and a date after the run belongs to each.

**Dates** — written after the number ("ngày 22/10/2019", "ngày 15 tháng 6
năm 2017", "(27/3/2021)", "cùng ngày": the previous number's), before the
type word in the same clause ("Ngày 15/01/2024, UBND tỉnh ban hành Công văn
số 97/..."), or in the line introducing a list of issued documents ("ngày
04/01/2017, Sở ... đã ban hành:"). The date of an amending document is not
given to the documents it amends ("Luật sửa đổi ... của Luật ... số
76/2015/QH13 và Luật ... số 77/2015/QH13 ngày 22/11/2019": the date's year
is not the numbers').

Not citations: ratios ("47/47"), dates, "ISO 9001:2015", page marks
("Trang 1/5"): none carries a symbol with letters; a document's own number
after "Số:".
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from ..text.sentences import Sentences
from .dates import find_dates
from .kinds import KIND_CODES
from .records import Citation, DateMention

# -- the shapes ---------------------------------------------------------------
_PART = r"[\p{Lu}][\p{L}\d&]*"
_SYMBOL = rf"{_PART}(?:(?:-[ ]?|[ ]-)[\p{{Lu}}\d][\p{{L}}\d&]*)*"
_ID = regex.compile(
    rf"(?:(?<![\p{{L}}\d/.\-])|(?<=(?<![\p{{L}}])[sS]))"
    rf"(?:(?P<num>\d{{1,5}}[a-zđA-ZĐ]?)[ ]?/[ ]?(?:(?P<year>(?:19|20)\d\d)[ ]?/[ ]?)?(?P<sym>{_SYMBOL})"
    rf"|(?P<pnum>\d{{1,5}})-(?P<ptype>\p{{Lu}}[\p{{L}}]*)/(?P<piss>\p{{Lu}}[\p{{L}}\d]*))"
    rf"(?![\p{{L}}\d])")

# canonical type for each type phrase (matched on lower-cased text)
TYPES = {
    "bộ luật": "Bộ luật", "luật": "Luật", "pháp lệnh": "Pháp lệnh", "nghị quyết liên tịch": "Nghị quyết liên tịch",
    "nghị quyết": "Nghị quyết", "nghị định": "Nghị định", "quyết định": "Quyết định", "chỉ thị": "Chỉ thị",
    "thông tư liên tịch": "Thông tư liên tịch", "thông tư": "Thông tư", "kế hoạch": "Kế hoạch",
    "chương trình hành động": "Chương trình", "chương trình": "Chương trình", "công văn": "Công văn",
    "văn bản hợp nhất": "Văn bản hợp nhất", "văn bản": "Văn bản", "công điện": "Công điện",
    "tờ trình": "Tờ trình", "thông báo": "Thông báo", "báo cáo": "Báo cáo", "hướng dẫn": "Hướng dẫn",
    "quy định": "Quy định", "quy chế": "Quy chế", "đề án": "Đề án", "kết luận": "Kết luận",
}
_TYPE_WORD = regex.compile(
    r"(?<!\p{L})(" + "|".join(sorted((regex.escape(k).replace(r"\ ", r"\s+") for k in TYPES),
                                     key=len, reverse=True)) + r")(?!\p{L})")
# the types a law-like name may follow ("Luật Tổ chức chính phủ số 76/2015/QH13")
_NAMED = ("Luật", "Bộ luật", "Pháp lệnh")
# the types whose bare number is a citation ("Nghị quyết 36a"; not "Đề án 30", a programme)
_BARE_TYPES = ("Nghị quyết", "Nghị định", "Quyết định", "Thông tư", "Thông tư liên tịch", "Chỉ thị",
               "Công văn", "Văn bản", "Công điện", "Tờ trình", "Thông báo")
# type word → number: "Quyết định số 12/...", "Nghị định 54/...", "các Công văn: số 555/...", "s 3605/..."
_SO = r"(?:số|sô|sõ|so|s)"
_DIRECT = regex.compile(rf"\s*:?\s*(?:{_SO}\s*:?\s*)?")
_BARE = regex.compile(
    rf"\s*(?:{_SO}\s*)?(?P<num>\d{{1,5}}[a-zđA-ZĐ]?)(?![\p{{L}}\d/%]|[.,]\d|"
    r"\s+(?:năm|tháng|ngày|quý|lần|đợt|lượt|bước|nhóm|điểm|người|cơ\s+quan|đơn\s+vị|hồ\s+sơ|thủ\s+tục|văn\s+bản)\b)")
_NAME_THEN_SO = regex.compile(rf"\s+\p{{L}}[^;.\d]{{0,90}}?\s{_SO}\s*$")
# one number of a run → the next: "và", ",", ";", "; số", after a date of its own
_CHAIN = regex.compile(r"\s*(?:,|;|và|hoặc)\s*(?:(?:số|sô|sõ)\s*)?")
# codes of document types inside a symbol (QĐ-UBND: QĐ is the type, UBND the issuer)
TYPE_CODES = set(KIND_CODES) | {"QĐi", "ĐT"}
_SAME_DAY = regex.compile(r"\s*,?\s*(?:ban\s+hành\s+)?cùng\s+ngày\b")
# "ngày 22/10/2019", ", ban hành ngày …", or the date alone in brackets: "468/QĐ-TTg (27/3/2021)"
_DATE_AFTER = regex.compile(
    r"\s*,?\s*(?:\(?\s*)?(?:(?:được\s+)?ban\s+hành\s+)?(?:[Nn]gày|ngay|NGÀY)\s+(?=\d)"
    r"|\s*\(\s*(?=\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d\d\s*\))")
_ISSUER = regex.compile(
    r"\s*,?\s*(?:của|do)\s+(?P<iss>(?:[^\s,;.()]+)(?:\s+[^\s,;.()]+){0,9}?)"
    r"(?=\s*(?:$|[,;.()]|\s(?:về|V/v|v/v|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn|"
    r"triển\s+khai|thực\s+hiện|được|đã|tại|nhằm|gửi|trên|theo|đến|cho|và\s+(?:các\s+)?"
    r"(?:quyết|công|kế|nghị|thông|chỉ|tờ)|\d)))")
_SUBJECT = regex.compile(
    r"\s*,?\s*(?P<subj>(?:về\s+việc|V/v|v/v|về|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn|"
    r"sửa\s+đổi|công\s+bố|triển\s+khai)\s[^;\n]*?)(?=\s*(?:;|\.\s|\.$|\)|\n|$|,\s*\p{Lu}))")
_OWN_NUMBER = regex.compile(r"(?:^|\n)\s*Số\s*:\s*$")
_VERB_ISSUED = regex.compile(r"ban\s+hành|đã\s+có|\bký\b|có\s+văn\s+bản")
_AMENDS = regex.compile(r"sửa\s+đổi[^;.\n]*?\bcủa\b")
_SPACES = regex.compile(r"\s+")
_LETTER = regex.compile(r"\p{L}")


@dataclass
class _Mention:
    """A citation being read: where its number stands and what is known."""

    start: int
    end: int
    text: str
    num: str
    year: str | None = None
    sym: str = ""
    iss_sym: str | None = None
    doc_type: str | None = None
    type_start: int | None = None
    chained: bool = False
    date: DateMention | None = None
    after: int = 0
    issuer: str | None = None
    subject: str | None = None
    paren: bool = False
    bare: bool = False


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _type_name(phrase: str) -> str:
    return TYPES[_SPACES.sub(" ", phrase)]


def _parts(m: regex.Match[str]) -> tuple[str, str | None, str, str | None]:
    """(number, year, symbol, issuer symbol) of an id match."""
    if m.group("pnum"):
        return m.group("pnum"), None, f'{m.group("ptype")}/{m.group("piss")}', m.group("piss")
    sym = _SPACES.sub("", m.group("sym"))
    pieces = sym.split("-")
    issuer = "-".join(pieces[1:]) if len(pieces) > 1 and pieces[0] in TYPE_CODES else pieces[0]
    return m.group("num"), m.group("year"), sym, issuer or None


def _numbered(text: str) -> list[_Mention]:
    """Every number shaped like a document number, but a document's own
    number after "Số:"."""
    out = []
    for m in _ID.finditer(text):
        if _OWN_NUMBER.search(text, max(0, m.start() - 12), m.start()):
            continue
        num, year, sym, iss = _parts(m)
        if _LETTER.search(sym):
            out.append(_Mention(m.start(), m.end(), m.group(0), num, year, sym, iss, after=m.end()))
    return out


def _bare(text: str, low: str, types: list[tuple[int, int, str]], taken: list[_Mention]) -> list[_Mention]:
    """Numbers standing alone after the type word of a legal instrument:
    "Nghị quyết 36a", "nghị định số 45"."""
    starts = {m.start for m in taken}
    out = []
    for s, e, t in types:
        if t not in _BARE_TYPES:
            continue
        m = _BARE.match(text, e)
        if m and m.start("num") not in starts and not regex.match(r"(?:19|20)\d\d$", m.group("num")):
            if text[m.end("num"):m.end("num") + 1] == "/":
                continue
            out.append(_Mention(m.start("num"), m.end("num"), m.group("num"), m.group("num"),
                                doc_type=t, type_start=s, after=m.end("num"), bare=True))
    return out


def _type_before(text: str, low: str, types: list[tuple[int, int, str]], starts: list[int], c: _Mention) -> None:
    """The type word right before the number (with or without "số"), or a
    law's type word before its name.  Of two type words in a row the first,
    capitalised, is the head of the compound: "Thông báo kết luận số
    123-TB/TU" is a Thông báo, "Công văn hướng dẫn số 45/SNV-CCHC" a Công
    văn (but "hướng dẫn Nghị định 61/…" is a verb and its object)."""
    i = bisect.bisect_right(starts, c.start) - 1
    while i >= 0 and types[i][1] > c.start:
        i -= 1
    if i < 0:
        return
    e = types[i][1]
    while i > 0 and low[types[i - 1][1]:types[i][0]].isspace() \
            and text[types[i - 1][0]].isupper() and not text[types[i][0]].isupper():
        i -= 1
    s, _, t = types[i]
    if e >= c.start - 40 and _DIRECT.fullmatch(low, e, c.start):
        c.doc_type, c.type_start = t, s
    elif t in _NAMED and e >= c.start - 120 and _NAME_THEN_SO.fullmatch(low, e, c.start):
        c.doc_type, c.type_start = t, s


def _continues_run(low: str, sents: Sentences, prev: _Mention, c: _Mention) -> bool:
    between = low[prev.after:c.start]
    return bool(_CHAIN.fullmatch(between)) or bool(
        regex.search(r"[;,]\s*(?:và\s+)?(?:số|sô|sõ)\s*$", between) and sents.span(prev.start)[1] >= c.start)


def _date_between(dates: list[DateMention], starts: list[int], lo: int, hi: int) -> DateMention | None:
    """The first day-precision date starting in [lo, hi] (a written date
    starts at its "ngày", a numeric one after it)."""
    i = bisect.bisect_left(starts, lo)
    while i < len(dates) and dates[i].start <= hi:
        if dates[i].precision == "day":
            return dates[i]
        i += 1
    return None


def _read_after(text: str, low: str, c: _Mention, dates: list[DateMention], date_starts: list[int]) -> None:
    """The date, issuer and subject written after the number."""
    dm = _DATE_AFTER.match(low, c.after)
    if dm:
        d = _date_between(dates, date_starts, dm.start(), dm.end())
        if d is not None:
            c.date, c.after = d, d.end
    im = _ISSUER.match(text, c.after)
    if im:
        c.issuer = im.group("iss").strip()
    sm = _SUBJECT.match(text, im.end() if im else c.after)
    if sm:
        c.subject = sm.group("subj").strip()[:300]
    lead = c.type_start if c.type_start is not None else c.start
    c.paren = text[max(0, lead - 3):lead].rstrip().endswith("(")


def _amended(text: str, c: _Mention) -> bool:
    """The mention is what an amending document amends ("Luật sửa đổi ...
    của Luật ... số 76/2015/QH13 ... ngày 22/11/2019") and the date's year
    is not its number's: the date is the amending document's."""
    if c.date is None or not c.year or (c.date.value or "")[:4] == c.year:
        return False
    anchor = c.type_start if c.type_start is not None else c.start
    clause = text[max(0, anchor - 300):anchor]
    return bool(_AMENDS.search(clause[max(clause.rfind(";"), clause.rfind(". ")) + 1:]))


def _date_before(sents: Sentences, c: _Mention, out: list[_Mention], dates: list[DateMention]) -> DateMention | None:
    """"Ngày 15/01/2024, UBND tỉnh ban hành Công văn số 97/..." → its date;
    or the date of the line introducing a list of issued documents.
    ``dates`` are the dates no citation claimed as its own."""
    text = sents.text
    anchor = c.type_start if c.type_start is not None else c.start
    s, _ = sents.span(anchor)
    lo = max([s] + [o.after for o in out if o.start < c.start])
    for d in dates:
        if d.start < lo or d.end > anchor or d.precision != "day":
            continue
        head, between = text[max(s, d.start - 6):d.start], text[d.end:anchor]
        if regex.search(r"[Nn]gày\s*$", head) and _VERB_ISSUED.search(between) \
                and not _TYPE_WORD.search(_lower(between)) and len(between) < 160:
            return d
    return _list_lead_in_date(text, c, anchor, dates)


def _list_lead_in_date(text: str, c: _Mention, anchor: int, dates: list[DateMention]) -> DateMention | None:
    """"ngày 04/01/2017, Sở ... đã ban hành:" above a "- …" list item."""
    line_start = text.rfind("\n", 0, anchor) + 1
    if not (regex.match(r"\s*[-+•]\s", text[line_start:anchor])
            or (c.paren and regex.match(r"\s*[-+•]\s", text[line_start:]))):
        return None
    k = line_start - 1
    while k > 0:
        prev_start = text.rfind("\n", 0, k) + 1
        prev = text[prev_start:k].strip()
        if prev and not regex.match(r"[-+•]\s", prev):
            if prev.endswith(":") and _VERB_ISSUED.search(prev):
                for d in dates:
                    if prev_start <= d.start < k and d.precision == "day" and \
                            regex.search(r"[Nn]gày\s*$", text[max(0, d.start - 6):d.start]):
                        return d
            return None
        k = prev_start - 1
    return None


def _resolve(mentions: list[_Mention]) -> dict[int, str]:
    """Each bare number's full citation: the full id of the same type whose
    number it is ("Nghị quyết 36a" → "36a/NQ-CP")."""
    full: dict[tuple[str | None, str], str] = {}
    for c in mentions:
        if not c.bare:
            full.setdefault((c.doc_type, c.num.lower()), _SPACES.sub("", c.text))
    return {id(c): full[(c.doc_type, c.num.lower())] for c in mentions
            if c.bare and (c.doc_type, c.num.lower()) in full}


def find_citations(text: str, dates: list[DateMention] | None = None,
                   sentences: Sentences | None = None) -> list[Citation]:
    """Every citation in ``text``, one per mention, in document order.

    >>> [(c.id, c.doc_type, c.date) for c in find_citations(
    ...     "theo quyết định số 964/QĐ-UBND và 965/QĐ-UBND ngày 18/4/2019 của UBND tỉnh")]
    [('964/QĐ-UBND', 'Quyết định', '2019-04-18'), ('965/QĐ-UBND', 'Quyết định', '2019-04-18')]
    >>> [(c.id, c.resolved_id) for c in find_citations("Nghị quyết số 36a/NQ-CP (gọi tắt là Nghị quyết 36a).")]
    [('36a/NQ-CP', '36a/NQ-CP'), ('36a', '36a/NQ-CP')]
    """
    low = _lower(text)
    dates = find_dates(text) if dates is None else dates
    sents = sentences or Sentences(text)
    types = [(m.start(), m.end(), _type_name(m.group(1))) for m in _TYPE_WORD.finditer(low)]
    type_starts = [t[0] for t in types]
    date_starts = [d.start for d in dates]
    numbered = _numbered(text)
    mentions = sorted(numbered + _bare(text, low, types, numbered), key=lambda c: c.start)
    for i, c in enumerate(mentions):
        if not c.bare:
            _type_before(text, low, types, type_starts, c)
        if c.doc_type is None and i and _continues_run(low, sents, mentions[i - 1], c):
            c.doc_type, c.chained = mentions[i - 1].doc_type, True
        _read_after(text, low, c, dates, date_starts)
        if _amended(text, c):
            c.date = None
    # a date after a run belongs to every number of the run
    for i in range(len(mentions) - 2, -1, -1):
        c, nxt = mentions[i], mentions[i + 1]
        if c.date is None and nxt.chained and nxt.date is not None and _CHAIN.fullmatch(low, c.end, nxt.start):
            c.date = nxt.date
    # "Quyết định số 2235/QĐ-UBND ngày 10/12/2022 và Quyết định số 2236/QĐ-UBND cùng ngày"
    for prev, c in zip(mentions, mentions[1:]):
        if c.date is None and prev.date is not None and _SAME_DAY.match(low, c.after):
            c.date = prev.date
    claimed = {c.date.end for c in mentions if c.date is not None}
    free = [d for d in dates if d.end not in claimed]
    for c in mentions:
        if c.date is None and not c.chained:
            c.date = _date_before(sents, c, mentions, free)
    resolved = _resolve(mentions)
    return [_record(c, sents, resolved) for c in mentions]


def _record(c: _Mention, sents: Sentences, resolved: dict[int, str]) -> Citation:
    cid = _SPACES.sub("", c.text)
    date = c.date.value if c.date is not None else None
    year = int(c.year) if c.year else (int(date[:4]) if date else None)
    s, e = sents.span(c.start, c.end)
    return Citation(start=c.start, end=c.end, text=c.text, id=cid, doc_type=c.doc_type, number=c.num,
                    year=year, symbol=c.sym, issuer_symbol=c.iss_sym, date=date,
                    date_text=c.date.text if c.date is not None else None, issuer=c.issuer,
                    subject=c.subject, parenthetical=c.paren, sentence=sents.text[s:e],
                    resolved_id=resolved.get(id(c)) if c.bare else cid)
