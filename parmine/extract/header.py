"""The header of an administrative document, in every layout it reaches us in.

The national standard (Nghị định 30/2020/NĐ-CP; ../shared/spec/document-format.md)
puts the same parts at the top of every report, decision, plan or letter:

    UBND TỈNH QUẢNG TRỊ                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    SỞ KHOA HỌC VÀ CÔNG NGHỆ                Độc lập - Tự do - Hạnh phúc
    Số: 12/BC-SKHCN                      Quảng Trị, ngày 15 tháng 11 năm 2019
                                BÁO CÁO
        Kết quả công tác cải cách hành chính quý III năm 2020

— the issuing body (its parent above it), the motto, the number and symbol,
the place and date, the kind word and the subject (trích yếu); an official
letter has no kind word but a "V/v …" line under its number; a decision
repeats its issuing authority on the line before "Căn cứ …".

:func:`read_header` finds these parts whether the two columns come as lines
one after the other, interleaved on the same lines (PDF and DOCX text), as
the cells of a Markdown or HTML table (crawled copies: ``| ỦY BAN NHÂN DÂN …
------- | CỘNG HÒA … |``), with a legal-database site's own metadata block
(``Số hiệu:``, ``Loại văn bản:``, ``Nơi ban hành:``, ``Người ký:``, ``Ngày
ban hành:``) or, for portal news and statistics pages that have no header,
from the page's headline and its posting date or timestamp.

>>> h = read_header("UBND TỈNH QUẢNG TRỊ\\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
...                 "Số: 12/BC-SKHCN\\nQuảng Trị, ngày 15 tháng 11 năm 2019\\nBÁO CÁO\\n"
...                 "Công tác CCHC năm 2019\\n\\nNội dung")
>>> (h.bodies, h.doc_number, h.place, h.issued_date, h.kind, h.title)
(('UBND TỈNH QUẢNG TRỊ', 'SỞ KHOA HỌC VÀ CÔNG NGHỆ'), '12/BC-SKHCN', 'Quảng Trị', '2019-11-15', 'báo cáo',
 'Công tác CCHC năm 2019')
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterator

import regex

from .bodies import split_bodies
from .dates import find_dates
from .kinds import KIND_WORDS, kind_of_symbol, kind_of_word
from .names import person_name
from .records import Header

LIMIT = 8000  # the header stands in the first characters (crawled copies add a site preamble)

_MOTTO = regex.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM", regex.I)
_MOTTO_2 = regex.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", regex.I)
_RULE = regex.compile(r"^[\s\-–—_=*|.]*$")
_NUMBER = regex.compile(r"(?m)(?:^|\|)[ \t*]*Số[ \t]*(?::|(?=[ \t]*[\d/]))[ \t]*(?P<rest>[^|\n]*)")
_NUMBER_TOKEN = regex.compile(r"[\p{L}\d/\-–&.]*[/\d][\p{L}\d/\-–&.]*|[\p{Lu}\d\-–&.]+")
_PLACE_DATE = regex.compile(
    r"(?P<place>[^\n|,:]{2,60}?)[ \t]*,[ \t]*ngày(?P<date>[^|]{0,40}?năm\s*(?:19|20)\d\d)")
_KIND_LINE = regex.compile(
    r"^[\s*#|]*(?P<kind>" + "|".join(sorted((regex.escape(k.upper()).replace(r"\ ", r"\s+")
                                            for k in KIND_WORDS), key=len, reverse=True))
    + r")(?:[ \t*|]*$|[ \t]+(?=\p{Lu}\p{Ll}))", regex.M)
_VV = regex.compile(r"(?:^|\s)[Vv]/[Vv]\s*:?\s*(?P<subject>.+)$", regex.S)
_OPENER = regex.compile(
    r"^[\s*|]*(?:Căn\s+cứ|Kính\s+gửi|Thực\s+hiện|Xét\b|Theo\s+đề\s+nghị|Trên\s+cơ\s+sở|Ngày\s+\d|"
    r"QUYẾT\s+ĐỊNH\s*:|Điều\s+1|Chương\s+I\b|I\.\s|1\.\s|Phần\s+I\b|Nơi\s+nhận)")
_AUTHORITY_TITLE = regex.compile(
    r"^(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|GIÁM\s+ĐỐC|CHÁNH|TỔNG|CỤC\s+TRƯỞNG|TRƯỞNG\s+BAN)\b")
_SITE_KEYS = (r"Số\s+hiệu|Loại\s+văn\s+bản|Nơi\s+ban\s+hành|Người\s+ký|Ngày\s+ban\s+hành|Ngày\s+hiệu\s+lực|"
              r"Ngày\s+công\s+báo|Số\s+công\s+báo|Tình\s+trạng|Lĩnh\s+vực")
_SITE = regex.compile(
    rf"(?:^|\||(?<=\s))[ \t*]*(?P<key>{_SITE_KEYS})[ \t*]*:[ \t*|]*(?P<value>(?:(?!\s(?:{_SITE_KEYS})\s*:)[^|\n])*)",
    regex.M)

# -- portal pages ---------------------------------------------------------------
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|SA|CH|am|pm)?"
_STAMP = regex.compile(
    rf"^\s*\(?\s*(?:(?:Cập\s+nhật(?:\s+lúc|\s+ngày)?|Ngày\s+đăng(?:\s+tin)?|(?:Tin\s+)?[Đđ]ăng\s+ngày|"
    rf"Ngày\s+cập\s+nhật|Thời\s+gian|Đăng\s+lúc|Ngày\s+xuất\s+bản|Xuất\s+bản|Posted|Ngày)\s*:?\s*)?"
    rf"(?:(?:Thứ\s+\S+|Chủ\s+nhật)\s*[,\-–]?\s*(?:ngày\s+)?)?(?:{_CLOCK}\s*[,|-]?\s*(?:ngày\s+)?)?"
    rf"(?:(?P<d>\d{{1,2}})[/.\-](?P<m>\d{{1,2}})[/.\-](?P<y>\d{{4}}|\d{{2}})|(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))"
    rf"(?:\s*[,|-]?\s*(?P<clock>{_CLOCK}))?\s*(?:\(?GMT[+\-]\d{{1,2}}\)?)?\s*\)?"
    rf"(?:\s*[|\-–]\s*(?:Lượt\s+(?:xem|đọc|truy\s+cập)|Views?)\b.*)?\s*$")
_WRITTEN_STAMP = regex.compile(
    r"^\s*(?:(?:Thứ\s+\S+|Chủ\s+nhật),\s*)?(?:[Nn]gày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,|năm)\s*"
    r"(?P<y>\d{4})\s*\.?\s*$")
_MONTHS_EN = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1)}
_SUBMITTED = regex.compile(
    r"^\s*(?:Submitted|Posted)\s+by\s+.+?\s+on\s+(?:\w+,\s*)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]+)\s+(?P<y>\d{4})")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.75 * len(letters)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for the lines of text[start:end]."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop, text[pos:stop]
        pos = stop + 1


def _cell(s: str) -> str:
    return regex.sub(r"\s+", " ", s).strip(" \t*#|-–—_=").strip()


def _issuer_block(text: str, motto: regex.Match[str]) -> tuple[int, list[str]]:
    """(where the block starts, the issuer pieces in order) around the motto."""
    line_start = text.rfind("\n", 0, motto.start()) + 1
    pieces: list[str] = []
    start = line_start
    # lines above the motto's line: upper-case names, rules, blank lines, lone pipes
    above: list[str] = []
    pos = line_start - 1
    while pos > 0 and len(above) < 4:
        prev_start = text.rfind("\n", 0, pos) + 1
        line = text[prev_start:pos]
        stripped = line.strip()
        if _RULE.match(line):
            pos = prev_start - 1
            continue
        if stripped.startswith(("#", "*")) or not _is_caps(stripped) or ":" in stripped or len(stripped) > 120:
            break
        above.insert(0, _cell(stripped))
        start = prev_start
        pos = prev_start - 1
    pieces.extend(above)
    # the cells before the motto on its own line (a table row, interleaved columns)
    same = [_cell(c) for c in text[line_start:motto.start()].split("|")]
    same = [c for c in same if c and _is_caps(c)]
    if same:
        pieces.append(same[-1])
    # the left column interleaved with the motto's second line
    second = _MOTTO_2.search(text, motto.end(), motto.end() + 200)
    if second:
        second_line = text.rfind("\n", 0, second.start()) + 1
        if second_line > motto.end():
            left = _cell(text[second_line:second.start()].split("|")[-1])
            if left and _is_caps(left):
                pieces.append(left)
    if not pieces:  # the right column first: the issuer under the motto, above the number
        pos = (second or motto).end()
        for _, _, line in _lines(text, pos, min(len(text), pos + 300)):
            stripped = _cell(line)
            if not stripped or _RULE.match(line):
                continue
            if regex.match(r"Số\b", stripped) or not _is_caps(stripped) or ":" in stripped:
                break
            pieces.append(stripped)
    return start, [p for p in pieces if p]


def _number(rest: str) -> tuple[str | None, str | None, str | None]:
    """The "Số:" cell → (number as written without spaces or None when
    blank, the symbol id for the kind, the V/v subject of a letter)."""
    subject = None
    vv = _VV.search(rest)
    if vv:
        subject = _cell(vv.group("subject"))
        rest = rest[:vv.start()]
    tokens = []
    for tok in rest.split():
        if not _NUMBER_TOKEN.fullmatch(tok):
            break
        tokens.append(tok)
    raw = "".join(tokens).replace("–", "-").strip(".")
    if "/" not in raw:
        return None, None, subject
    number_part = raw.split("/", 1)[0]
    symbol_id = raw if number_part else "0" + raw
    if not regex.match(r"^\d", raw):
        return None, symbol_id, subject
    return raw, symbol_id, subject


def _place_date(match: regex.Match[str]) -> tuple[str | None, str | None]:
    place = _cell(match.group("place"))
    # an interleaved "Số: 12/BC-X Quảng Trị" keeps the words after the number
    place = regex.sub(r"^(?:Số\s*:?\s*)?\S*/\S*\s+", "", place).strip()
    raw = regex.sub(r"\s+", " ", "ngày" + match.group("date"))
    raw = regex.sub(r"(?<=\d) (?=\d)", "", raw)  # "tháng 0 7" → "tháng 07"
    dates = find_dates(raw)
    value = dates[0].value if dates and dates[0].valid else None
    return place or None, value


def _kind_and_subject(text: str, lo: int, hi: int) -> tuple[str | None, int, int, int]:
    """(kind, subject start, subject end, end of the header) after ``lo``."""
    kind_m = None
    for m in _KIND_LINE.finditer(text, lo, hi):
        kind_m = m
        break
    if kind_m is None:
        return None, -1, -1, lo
    kind = kind_of_word(kind_m.group("kind"))
    s, e, end = _subject(text, kind_m.end(), hi)
    return kind, s, e, max(end, kind_m.end())


def _subject(text: str, lo: int, hi: int) -> tuple[int, int, int]:
    """The subject (trích yếu) lines after the kind word, and the end of the
    header: up to a blank line after them, the first body line, or the
    issuing authority's line before "Căn cứ"."""
    lines: list[tuple[int, int, str]] = []
    for a, b, line in _lines(text, lo, min(hi, lo + 1500)):
        s = line.strip()
        if not s or _RULE.match(s):
            if lines:
                break
            continue
        if _OPENER.match(line) or (len(s) > 250 and not _is_caps(s)):
            break
        lines.append((a, b, s))
        if len(lines) >= 8:
            break
    end = lines[-1][1] if lines else lo
    # the authority line ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM") closes the header
    if len(lines) > 1 and _is_caps(lines[-1][2]) and (
            _AUTHORITY_TITLE.match(lines[-1][2]) or _names_body(lines[-1][2])):
        lines = lines[:-1]
    if not lines:
        return -1, -1, end
    a = lines[0][0] + (len(text[lines[0][0]:lines[0][1]]) - len(text[lines[0][0]:lines[0][1]].lstrip()))
    return a, lines[-1][1], end


def _names_body(line: str) -> bool:
    bodies = split_bodies(line)
    return len(bodies) >= 1 and bodies[0] == _cell(line) and bool(regex.match(
        r"(?:ỦY|UỶ|UBND|BỘ|SỞ|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|VĂN\s+PHÒNG|HỘI\s+ĐỒNG|BAN|CỤC|TỔNG\s+CỤC)\b", _cell(line)))


def _authority(text: str, lo: int, hi: int) -> str | None:
    """The issuing authority's line just before "Căn cứ": "ỦY BAN NHÂN DÂN
    TỈNH BẮC GIANG", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"."""
    m = regex.search(r"(?m)^[ \t*]*(?:Căn\s+cứ|Xét\s+đề\s+nghị|Theo\s+đề\s+nghị)", text[:hi], pos=lo)
    if not m:
        return None
    prev = [l.strip() for _, _, l in _lines(text, lo, m.start()) if l.strip() and not _RULE.match(l)]
    if prev and _is_caps(prev[-1]) and len(prev[-1]) < 150:
        line = regex.sub(r"^(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG)\s+", "", _cell(prev[-1]))
        return line if _names_body(line) else None
    return None


def _site(head: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _SITE.finditer(head):
        key = regex.sub(r"\s+", " ", m.group("key")).lower()
        value = _cell(m.group("value"))
        if value and key not in out:
            out[key] = value
    return out


_NUMBERED = regex.compile(r"^\s*(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.):]\s")


def _portal(text: str, head_end: int) -> tuple[str | None, str | None, int, int, int, tuple[int, int]]:
    """A portal page: (posting date, headline, headline start, end, header
    end, where the posting date stands)."""
    lines = [(a, b, l) for a, b, l in _lines(text, 0, min(len(text), head_end)) if l.strip()][:14]
    for i, (a, b, line) in enumerate(lines):
        date = _stamp(line)
        if date is None:
            continue
        head = lines[i - 1] if i > 0 and len(lines[i - 1][2].strip()) < 250 else None
        if head:
            hs = head[0] + len(head[2]) - len(head[2].lstrip())
            return date, head[2].strip(), hs, head[1], b, (a, b)
        if i + 2 < len(lines) and _is_headline(lines[i + 1][2], lines[i + 2][2]):  # the date above the headline
            ha, hb, hl = lines[i + 1]
            return date, hl.strip(), ha + len(hl) - len(hl.lstrip()), hb, hb, (a, b)
        return date, None, -1, -1, b, (a, b)
    if len(lines) > 1 and _is_headline(lines[0][2], lines[1][2]):
        a, b, l = lines[0]
        return None, l.strip(), a + len(l) - len(l.lstrip()), b, b, (-1, -1)
    return None, None, -1, -1, 0, (-1, -1)


def _is_headline(line: str, following: str) -> bool:
    """A short line that ends no sentence, above a longer one: a news
    item's headline above its lead."""
    return len(line.strip()) < 200 and not line.rstrip().endswith((".", ":", ";")) \
        and not _NUMBERED.match(line) and len(following) > len(line)


def _stamp(line: str) -> str | None:
    """A posting date or timestamp line → ISO date: "Cập nhật lúc: 19:52
    04/04/2018", "6/4/19 3:43 PM" (month first when the clock says AM/PM
    and the year has two digits), "Ngày 8 tháng 7 năm 2019.", "Submitted by
    … on 19 January 2018"."""
    m = _STAMP.match(line)
    if m and m.group("iy"):
        return _iso(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m:
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        clock = m.group("clock") or ""
        if y < 100:
            y += 2000
            if regex.search(r"AM|PM", clock, regex.I):
                d, mo = mo, d
        return _iso(y, mo, d)
    m = _WRITTEN_STAMP.match(line)
    if m:
        return _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    m = _SUBMITTED.match(line)
    if m and m.group("mon").lower() in _MONTHS_EN:
        return _iso(int(m.group("y")), _MONTHS_EN[m.group("mon").lower()], int(m.group("d")))
    return None


@dataclass
class _Draft:
    """A header being read, part by part."""

    head: str
    start: int = 0
    pieces: list[str] = field(default_factory=list)
    anchor: int = 0          # the end of the motto or the number line, 0 without either
    after: int = 0           # the end of the number and place-date lines
    number: str | None = None
    symbol: str | None = None
    letter_subject: str | None = None
    place: str | None = None
    issued: str | None = None
    date_span: tuple[int, int] = (-1, -1)
    kind: str | None = None
    ts: int = -1
    te: int = -1
    end: int = 0
    authority: str | None = None
    layout: str = "none"
    headline: bool = False
    signer: str | None = None

    def title(self) -> str | None:
        if self.ts >= 0:
            return regex.sub(r"\s+", " ", self.head[self.ts:self.te]).strip(" *") or None
        return self.letter_subject

    def set_place_date(self, pd: regex.Match[str] | None) -> None:
        if pd:
            self.place, self.issued = _place_date(pd)
            self.date_span = pd.span()


def _read_top(d: _Draft, motto: regex.Match[str] | None) -> regex.Match[str] | None:
    """Issuer block, number, place-date line, kind word and subject."""
    head = d.head
    if motto:
        d.start, d.pieces = _issuer_block(head, motto)
    number_m = _NUMBER.search(head, d.start, d.start + 3000)
    if motto is None and number_m is not None:  # no motto: the issuer stands above the number
        d.start, d.pieces = _issuer_block(head, number_m)
    if number_m:
        d.number, d.symbol, d.letter_subject = _number(number_m.group("rest"))
    d.anchor = max(x.end() for x in (motto, number_m) if x is not None) if (motto or number_m) else 0
    if d.anchor:
        d.set_place_date(_PLACE_DATE.search(head, max(d.start, d.anchor - 400), min(len(head), d.anchor + 600)))
    d.after = max(d.anchor, d.date_span[1])
    d.kind, d.ts, d.te, d.end = _kind_and_subject(head, d.after, min(len(head), d.after + 2500))
    if not d.anchor and d.kind is not None:  # no motto, no number: a place-date line, the issuer above the kind word
        d.set_place_date(_PLACE_DATE.search(head, 0, d.ts if d.ts > 0 else d.end))
        kind_line = _KIND_LINE.search(head, 0, d.ts if d.ts > 0 else d.end)
        if kind_line:
            d.start, d.pieces = _issuer_block(head, kind_line)
    d.layout = "table" if motto and "|" in head[max(0, motto.start() - 200):motto.end()] \
        else ("lines" if (motto or number_m or d.kind) else "none")
    return number_m


def _complete(d: _Draft, motto: regex.Match[str] | None) -> None:
    """The kind from the symbol; a subject without a kind word; the
    issuing authority's line that closes a decision's header."""
    head = d.head
    # a consolidated text (VBHN) prints the kind word of the document it consolidates
    if d.symbol and (d.kind is None or kind_of_symbol(d.symbol) == "văn bản hợp nhất"):
        d.kind = kind_of_symbol(d.symbol)
    elif d.kind is None and d.letter_subject:
        d.kind = "công văn"
    # a decision whose kind word the site dropped: its subject opens with "VỀ VIỆC"
    if d.ts < 0 and d.letter_subject is None and d.anchor:
        s, e, end = _subject(head, d.after, min(len(head), d.after + 2500))
        if s >= 0 and regex.match(r"(?i)\s*(?:về|v/v)\b", head[s:e]):
            d.ts, d.te, d.end = s, e, max(d.end, end)
    subject_end = d.te if d.te > 0 else d.after
    if motto:
        d.authority = _authority(head, subject_end, min(len(head), max(d.end, subject_end) + 600))
    if d.authority:
        m = regex.search(regex.escape(d.authority.split()[0]), head[d.end:d.end + 600])
        d.end = max(d.end, head.find("\n", d.end + m.start()) if m else d.end)


def _read_portal(d: _Draft) -> None:
    issued, headline, hs, he, d.end, d.date_span = _portal(d.head, len(d.head))
    d.issued = issued
    if headline:
        d.ts, d.te, d.headline = hs, he, True
    d.layout = "portal" if issued or headline else "none"


def _read_site(d: _Draft, site: dict[str, str]) -> None:
    """A legal database's metadata fills what the header leaves blank."""
    d.signer = person_name(site["người ký"]) if "người ký" in site else None
    if d.number is None and "số hiệu" in site and regex.match(r"\d", site["số hiệu"]):
        d.number = "".join(site["số hiệu"].split())
    if d.kind is None and "loại văn bản" in site:
        d.kind = kind_of_word(site["loại văn bản"])
    if d.issued is None and "ngày ban hành" in site:
        found = find_dates(site["ngày ban hành"])
        d.issued = found[0].value if found and found[0].valid else None
    if not d.pieces and "nơi ban hành" in site:
        d.pieces = [site["nơi ban hành"]]
    if site and d.layout in ("none", "portal"):
        d.layout = "site"


def read_header(text: str) -> Header:
    """Every part of the header ``text`` shows (see the module docstring)."""
    d = _Draft(text[:LIMIT])
    motto = _MOTTO.search(d.head)
    number_m = _read_top(d, motto)
    _complete(d, motto)
    if not motto and not number_m and d.kind is None:
        _read_portal(d)
    _read_site(d, _site(d.head))
    return Header(start=d.start, end=max(d.end, d.te if d.te > 0 else 0), layout=d.layout,
                  bodies=tuple(split_bodies(" ".join(d.pieces))), authority=d.authority,
                  doc_number=d.number, symbol=d.symbol, place=d.place, issued_date=d.issued,
                  date_start=d.date_span[0], date_end=d.date_span[1], kind=d.kind, title=d.title(),
                  title_start=d.ts, title_end=d.te, signer=d.signer, headline=d.headline)
