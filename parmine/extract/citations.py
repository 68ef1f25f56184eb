"""Legal-document citations (trích dẫn văn bản) by compiled regexes.

A citation is a document number in one of the official shapes, usually
after the document's type word and followed by its date, issuer and
subject:

    Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019 của UBND tỉnh Quảng Trị ban hành ...
    └─ type ──┘     └ no ┘└yr┘└symbol┘   └─ date ─┘    └─ issuer ──────┘ └ subject

Number shapes (Decree 30/2020/NĐ-CP on official documents):

- ``số/năm/KÝ HIỆU`` for legal-normative documents: ``41/2019/QĐ-UBND``,
  ``54/2016/NĐ-CP``, ``02/2017/TT-VPCP`` (stray spaces "45/2020/ NĐ-CP",
  "TT- VPCP" tolerated);
- ``số/KÝ HIỆU``: ``225/QĐ-TTg``, ``46/KH-UBND``, ``30c/NQ-CP``;
- công văn: ``số/CƠ QUAN-ĐƠN VỊ``: ``555/SKHCN-VP``, ``97/UBND-PVHCC&KSTT``;
- the Party's: ``số-LOẠI/CƠ QUAN``: ``18-NQ/TW``, ``10-QĐ/TU``.

The type word is the one the text uses, in any case and with or without
"số" ("Nghị định 54/2016/NĐ-CP", "QUYẾT ĐỊNH SỐ ..."); a run of numbers
after one type word ("quyết định số 964/QĐ-UBND và 965/QĐ-UBND ngày
18/4/2019", "các Công văn: số 555/...; số 651/...") shares the type, and a
date written after the run belongs to every number of it.  A date written
before the type word in the same clause ("Ngày 15/01/2024, UBND tỉnh ban
hành Công văn số 97/...") or in the line that introduces a list of issued
documents ("ngày 04/01/2017, Sở ... đã ban hành:") is the document's date
too.

Not citations: ratios ("47/47"), dates, "ISO 9001:2015", page marks
("Trang 1/5"): none of them carries a symbol with letters.
"""
from __future__ import annotations

import bisect

import regex

from .dates import find_dates
from ..text.sentences import Sentences
from .records import Citation

# -- the shapes ---------------------------------------------------------------
_PART = r"[\p{Lu}][\p{L}\d&]*"
_SYMBOL = rf"{_PART}(?:(?:-[ ]?|[ ]-)[\p{{Lu}}\d][\p{{L}}\d&]*)*"
_ID = regex.compile(
    rf"(?<![\p{{L}}\d/.\-])"
    rf"(?:(?P<num>\d{{1,5}}[a-zđ]?)[ ]?/[ ]?(?:(?P<year>(?:19|20)\d\d)[ ]?/[ ]?)?(?P<sym>{_SYMBOL})"
    rf"|(?P<pnum>\d{{1,5}})-(?P<ptype>\p{{Lu}}[\p{{L}}]*)/(?P<piss>\p{{Lu}}[\p{{L}}\d]*))"
    rf"(?![\p{{L}}\d])")

# canonical type for each type phrase (matched on lower-cased text)
TYPES = {
    "bộ luật": "Bộ luật", "luật": "Luật", "nghị quyết": "Nghị quyết", "nghị định": "Nghị định",
    "quyết định": "Quyết định", "chỉ thị": "Chỉ thị", "thông tư liên tịch": "Thông tư liên tịch",
    "thông tư": "Thông tư", "kế hoạch": "Kế hoạch", "chương trình hành động": "Chương trình",
    "chương trình": "Chương trình", "công văn": "Công văn", "công điện": "Công điện",
    "tờ trình": "Tờ trình", "thông báo": "Thông báo", "báo cáo": "Báo cáo",
    "hướng dẫn": "Hướng dẫn", "quy định": "Quy định", "quy chế": "Quy chế", "đề án": "Đề án",
    "kết luận": "Kết luận",
}
_TYPE_WORD = regex.compile(
    r"(?<!\p{L})(" + "|".join(sorted((regex.escape(k) for k in TYPES), key=len, reverse=True))
    + r")(?!\p{L})")
# type word → number: "Quyết định số 12/...", "Nghị định 54/...", "các Công văn: số 555/..."
_DIRECT = regex.compile(r"\s*:?\s*(?:(?:số|sô|sõ|so)\s*:?\s*)?")
# one number of a run → the next: "và", ",", ";", "; số", after a date of its own
_CHAIN = regex.compile(r"\s*(?:,|;|và|hoặc)\s*(?:(?:số|sô|sõ)\s*)?")
# codes of document types inside a symbol (QĐ-UBND: QĐ is the type, UBND the issuer)
TYPE_CODES = {"QĐ", "NĐ", "TT", "TTLT", "NQ", "NQLT", "CT", "KH", "CTr", "CĐ", "TB", "BC",
              "TTr", "HD", "QC", "QyĐ", "KL", "ĐA", "L", "PL", "CV", "GM", "TC", "BB", "QĐi",
              "QyĐ", "ĐT"}
_DATE_AFTER = regex.compile(
    r"\s*,?\s*(?:\(?\s*)?(?:(?:được\s+)?ban\s+hành\s+)?(?:[Nn]gày|ngay)\s+(?=\d)")
_DATE_BEFORE = regex.compile(r"(?:^|(?<=[,;:(]\s*))[Nn]gày\s+(?=\d)")
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


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_SPACES = regex.compile(r"\s+")
_LETTER = regex.compile(r"\p{L}")


def _parts(m: regex.Match) -> tuple[str, str | None, str, str | None]:
    """(number, year, symbol, issuer symbol) of an id match."""
    if m.group("pnum"):
        return m.group("pnum"), None, f'{m.group("ptype")}/{m.group("piss")}', m.group("piss")
    sym = _SPACES.sub("", m.group("sym"))
    pieces = sym.split("-")
    if len(pieces) > 1 and pieces[0] in TYPE_CODES:
        issuer = "-".join(pieces[1:])
    else:
        issuer = pieces[0]
    return m.group("num"), m.group("year"), sym, issuer or None


def _date_between(dates, starts: list[int], lo: int, hi: int):
    """The first day-precision date starting in [lo, hi] (a written date
    starts at its "ngày", a numeric one after it)."""
    i = bisect.bisect_left(starts, lo)
    while i < len(dates) and dates[i].start <= hi:
        if dates[i].precision == "day":
            return dates[i]
        i += 1
    return None


def find_citations(text: str, dates: list | None = None, sentences: Sentences | None = None) -> list[Citation]:
    """Every citation in ``text``, one per mention, in document order.

    >>> [(c.id, c.doc_type, c.date) for c in find_citations(
    ...     "theo quyết định số 964/QĐ-UBND và 965/QĐ-UBND ngày 18/4/2019 của UBND tỉnh")]
    [('964/QĐ-UBND', 'Quyết định', '2019-04-18'), ('965/QĐ-UBND', 'Quyết định', '2019-04-18')]
    """
    low = _lower(text)
    types = [(m.start(), m.end(), TYPES[m.group(1)]) for m in _TYPE_WORD.finditer(low)]
    dates = find_dates(text) if dates is None else dates
    sents = sentences or Sentences(text)
    date_starts = [d.start for d in dates]

    raw = []
    for m in _ID.finditer(text):
        if _OWN_NUMBER.search(text, max(0, m.start() - 12), m.start()):
            continue  # "Số: 12/BC-STP" in the header is the report's own number
        num, year, sym, issuer_sym = _parts(m)
        if not _LETTER.search(sym):
            continue
        raw.append([m, num, year, sym, issuer_sym])

    out: list[dict] = []
    for i, (m, num, year, sym, issuer_sym) in enumerate(raw):
        start = m.start()
        doc_type, type_start, chained = None, None, False
        # the type word just before (with or without "số")
        for s, e, t in reversed(types):
            if e > start:
                continue
            if e < start - 40:
                break
            if _DIRECT.fullmatch(low, e, start):
                doc_type, type_start = t, s
            break
        # ... or the run it continues ("964/QĐ-UBND và 965/QĐ-UBND", "...; số 651/...")
        if doc_type is None and out:
            prev = out[-1]
            between = low[prev["after"]:start]
            if _CHAIN.fullmatch(between) or (
                    regex.search(r"[;,]\s*(?:và\s+)?(?:số|sô|sõ)\s*$", between)
                    and sents.span(prev["start"])[1] >= start):
                doc_type, chained = prev["type"], True
        # the date written after the number ("ngày 22/10/2019", "ngày 15 tháng 6 năm 2017")
        after = m.end()
        date = date_text = None
        dm = _DATE_AFTER.match(low, after)
        if dm:
            d = _date_between(dates, date_starts, dm.start(), dm.end())
            if d is not None:
                date, date_text, after = d.value, d.text, d.end
        # issuer and subject
        issuer = subject = None
        im = _ISSUER.match(text, after)
        if im:
            issuer = im.group("iss").strip()
            after_iss = im.end()
        else:
            after_iss = after
        sm = _SUBJECT.match(text, after_iss)
        if sm:
            subject = sm.group("subj").strip()[:300]
        lead = type_start if type_start is not None else start
        paren = text[max(0, lead - 3):lead].rstrip().endswith("(")
        out.append({"m": m, "num": num, "year": year, "sym": sym, "iss_sym": issuer_sym,
                    "type": doc_type, "type_start": type_start, "chained": chained,
                    "date": date, "date_text": date_text, "issuer": issuer, "subject": subject,
                    "paren": paren, "start": start, "after": after,
                    "date_end": after if date is not None else None})

    # a date after a run belongs to every number of the run
    for i in range(len(out) - 2, -1, -1):
        if out[i]["date"] is None and out[i + 1]["chained"] and out[i + 1]["date"] is not None \
                and _CHAIN.fullmatch(low, out[i]["m"].end(), out[i + 1]["start"]):
            out[i]["date"], out[i]["date_text"] = out[i + 1]["date"], out[i + 1]["date_text"]
    # a date written before, in the same clause or in the line introducing a list
    claimed = {c["date_end"] for c in out if c["date_end"] is not None}
    free_dates = [d for d in dates if d.end not in claimed]
    for c in out:
        if c["date"] is None and not c["chained"]:
            c["date"], c["date_text"] = _date_before(sents, c, out, free_dates)

    cits = []
    for c in out:
        m = c["m"]
        cid = _SPACES.sub("", m.group(0))
        year = int(c["year"]) if c["year"] else (int(c["date"][:4]) if c["date"] else None)
        s, e = sents.span(m.start(), m.end())
        cits.append(Citation(
            start=m.start(), end=m.end(), text=m.group(0), id=cid, doc_type=c["type"],
            number=c["num"], year=year, symbol=c["sym"], issuer_symbol=c["iss_sym"],
            date=c["date"], date_text=c["date_text"], issuer=c["issuer"], subject=c["subject"],
            parenthetical=c["paren"], sentence=text[s:e]))
    return cits


def _date_before(sents: Sentences, c: dict, out: list[dict], dates) -> tuple[str | None, str | None]:
    """"Ngày 15/01/2024, UBND tỉnh ban hành Công văn số 97/..." → 2024-01-15.

    ``dates`` are the dates no citation claimed as its own.
    """
    anchor = c["type_start"] if c["type_start"] is not None else c["start"]
    text = sents.text
    s, _ = sents.span(anchor)
    prev_ends = [o["after"] for o in out if o["start"] < c["start"]]
    lo = max([s] + prev_ends)
    for d in dates:
        if d.start < lo or d.end > anchor or d.precision != "day":
            continue
        head = text[max(s, d.start - 6):d.start]
        between = text[d.end:anchor]
        if regex.search(r"[Nn]gày\s*$", head) and _VERB_ISSUED.search(between) \
                and not _TYPE_WORD.search(_lower(between)) and len(between) < 160:
            return d.value, d.text
    # the line that introduces a list: "ngày 04/01/2017, Sở ... đã ban hành:"
    line_start = text.rfind("\n", 0, anchor) + 1
    line = text[line_start:anchor]
    if regex.match(r"\s*[-+•]\s", line) or (c["paren"] and regex.match(r"\s*[-+•]\s", text[line_start:])):
        k = line_start - 1
        while k > 0:
            prev_start = text.rfind("\n", 0, k) + 1
            prev = text[prev_start:k].strip()
            if prev and not regex.match(r"[-+•]\s", prev):
                if prev.endswith(":") and _VERB_ISSUED.search(prev):
                    for d in dates:
                        if prev_start <= d.start < k and d.precision == "day" and \
                                regex.search(r"[Nn]gày\s*$", text[max(0, d.start - 6):d.start]):
                            return d.value, d.text
                break
            k = prev_start - 1
    return None, None
