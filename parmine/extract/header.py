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
...                 "Số: 12/BC-SKHCN\\nQuảng Trị, ngày 15 tháng 11 năm 2019\\nBÁO CÁO\\nCông tác CCHC năm 2019\\n\\nNội dung")
>>> (h.bodies, h.doc_number, h.place, h.issued_date, h.kind, h.title)
(('UBND TỈNH QUẢNG TRỊ', 'SỞ KHOA HỌC VÀ CÔNG NGHỆ'), '12/BC-SKHCN', 'Quảng Trị', '2019-11-15', 'báo cáo', 'Công tác CCHC năm 2019')
"""
from __future__ import annotations

import datetime as _dt

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
    + r")[\s*|]*$", regex.M)
_VV = regex.compile(r"(?:^|\s)[Vv]/[Vv]\s*:?\s*(?P<subject>.+)$", regex.S)
_OPENER = regex.compile(
    r"^[\s*|]*(?:Căn\s+cứ|Kính\s+gửi|Thực\s+hiện|Xét\b|Theo\s+đề\s+nghị|Trên\s+cơ\s+sở|Ngày\s+\d|"
    r"QUYẾT\s+ĐỊNH\s*:|Điều\s+1|Chương\s+I\b|I\.\s|1\.\s|Phần\s+I\b|Nơi\s+nhận)")
_AUTHORITY_TITLE = regex.compile(
    r"^(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|GIÁM\s+ĐỐC|CHÁNH|TỔNG|CỤC\s+TRƯỞNG|TRƯỞNG\s+BAN)\b")
_SITE = regex.compile(
    r"(?m)(?:^|\|)[ \t*]*(?P<key>Số\s+hiệu|Loại\s+văn\s+bản|Nơi\s+ban\s+hành|Người\s+ký|Ngày\s+ban\s+hành)"
    r"[ \t*]*:?[ \t*|]*(?P<value>[^|\n]*)")

# -- portal pages ---------------------------------------------------------------
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|SA|CH|am|pm)?"
_STAMP = regex.compile(
    rf"^\s*(?:(?:Cập\s+nhật(?:\s+lúc)?|Ngày\s+đăng|Đăng\s+ngày|Ngày\s+cập\s+nhật|Thời\s+gian|Đăng\s+lúc)\s*:?\s*)?"
    rf"(?:Thứ\s+\S+|Chủ\s+nhật)?\s*,?\s*(?:{_CLOCK}\s*[,|-]?\s*)?"
    rf"(?P<d>\d{{1,2}})[/.\-](?P<m>\d{{1,2}})[/.\-](?P<y>\d{{4}}|\d{{2}})"
    rf"(?:\s*[,|-]?\s*(?P<clock>{_CLOCK}))?\s*$")
_WRITTEN_STAMP = regex.compile(
    r"^\s*(?:Thứ\s+\S+,\s*)?[Nn]gày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*\.?\s*$")
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


def _lines(text: str, start: int, end: int):
    """(start, end, line) for the lines of text[start:end]."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop, text[pos:stop]
        pos = stop + 1


def _cell(s: str) -> str:
    return regex.sub(r"\s+", " ", s).strip(" \t*#|-–—_=").strip()


def _issuer_block(text: str, motto: regex.Match) -> tuple[int, list[str]]:
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


def _place_date(match: regex.Match) -> tuple[str | None, str | None]:
    place = _cell(match.group("place"))
    # an interleaved "Số: 12/BC-X Quảng Trị" keeps the words after the number
    place = regex.sub(r"^Số\s*:?\s*\S*/\S*\s*", "", place).strip()
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
    lines = []
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
    return len(bodies) >= 1 and bodies[0] == _cell(line) and regex.match(
        r"(?:ỦY|UỶ|UBND|BỘ|SỞ|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|VĂN\s+PHÒNG|HỘI\s+ĐỒNG|BAN|CỤC|TỔNG\s+CỤC)\b", _cell(line))


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


def _portal(text: str, head_end: int) -> tuple[str | None, str | None, int, int, int]:
    """A portal page: (issued date, headline, headline start, end, header end)."""
    lines = [(a, b, l) for a, b, l in _lines(text, 0, min(len(text), head_end)) if l.strip()][:14]
    for i, (a, b, line) in enumerate(lines):
        date = _stamp(line)
        if date is None:
            continue
        head = lines[i - 1] if i > 0 and len(lines[i - 1][2].strip()) < 250 else None
        if head:
            hs = head[0] + len(head[2]) - len(head[2].lstrip())
            return date, head[2].strip(), hs, head[1], b
        return date, None, -1, -1, b
    if lines and len(lines[0][2].strip()) < 200 and not lines[0][2].rstrip().endswith((".", ":", ";")) \
            and not _NUMBERED.match(lines[0][2]) and len(lines) > 1 and len(lines[1][2]) > len(lines[0][2]):
        a, b, l = lines[0]
        return None, l.strip(), a + len(l) - len(l.lstrip()), b, b
    return None, None, -1, -1, 0


def _stamp(line: str) -> str | None:
    """A posting date or timestamp line → ISO date: "Cập nhật lúc: 19:52
    04/04/2018", "6/4/19 3:43 PM" (month first when the clock says AM/PM
    and the year has two digits), "Ngày 8 tháng 7 năm 2019.", "Submitted by
    … on 19 January 2018"."""
    m = _STAMP.match(line)
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


def read_header(text: str) -> Header:
    """Every part of the header ``text`` shows (see the module docstring)."""
    head = text[:LIMIT]
    site = _site(head)
    motto = _MOTTO.search(head)
    start, pieces = (_issuer_block(head, motto) if motto else (0, []))
    lo = start if motto else 0
    number_m = _NUMBER.search(head, lo, lo + 3000)
    if motto is None and number_m is not None:  # no motto: the issuer stands above the number
        start, pieces = _issuer_block(head, number_m)
    number = symbol_id = letter_subject = None
    if number_m:
        number, symbol_id, letter_subject = _number(number_m.group("rest"))
    place = issued = None
    anchor = max(x.end() for x in (motto, number_m) if x is not None) if (motto or number_m) else 0
    pd = _PLACE_DATE.search(head, max(lo, anchor - 400), min(len(head), anchor + 600)) if anchor else None
    if pd:
        place, issued = _place_date(pd)
    after = max([anchor] + ([pd.end()] if pd else []))
    kind, ts, te, end = _kind_and_subject(head, after if anchor else 0, min(len(head), (after or 0) + 2500))
    if not anchor and kind is not None:  # no motto, no number: a place-date line, the issuer above the kind word
        pd = _PLACE_DATE.search(head, 0, ts if ts > 0 else end)
        if pd:
            place, issued = _place_date(pd)
        kind_line = _KIND_LINE.search(head, 0, ts if ts > 0 else end)
        if kind_line:
            start, pieces = _issuer_block(head, kind_line)
    layout = "table" if motto and "|" in head[motto.start() - 200 if motto.start() > 200 else 0:motto.end()] \
        else ("lines" if (motto or number_m or kind) else "none")
    if ts < 0 and letter_subject:
        title = letter_subject
    elif ts >= 0:
        title = regex.sub(r"\s+", " ", head[ts:te]).strip(" *") or None
    else:
        title = None
    # a consolidated text (VBHN) prints the kind word of the document it consolidates
    if symbol_id and (kind is None or kind_of_symbol(symbol_id) == "văn bản hợp nhất"):
        kind = kind_of_symbol(symbol_id)
    elif kind is None and letter_subject:
        kind = "công văn"
    # a decision whose kind word the site dropped: its subject opens with "VỀ VIỆC"
    if ts < 0 and title is None and anchor:
        s, e, end2 = _subject(head, after, min(len(head), after + 2500))
        if s >= 0 and regex.match(r"(?i)\s*(?:về|v/v)\b", head[s:e]):
            ts, te, end = s, e, max(end, end2)
            title = regex.sub(r"\s+", " ", head[s:e]).strip(" *") or None
    subject_end = te if te > 0 else after
    authority = _authority(head, subject_end, min(len(head), max(end, subject_end) + 600)) if motto else None
    if authority:
        m = regex.search(regex.escape(authority.split()[0]), head[end:end + 600])
        end = max(end, head.find("\n", end + (m.start() if m else 0)) if m else end)
    headline = None
    if not motto and not number_m and kind is None:
        issued, headline, hs, he, end = _portal(head, len(head))
        if headline:
            ts, te, title = hs, he, headline
        layout = "portal" if issued or headline else "none"
    # legal-database site metadata fills what the header leaves blank
    signer = person_name(site["người ký"]) if "người ký" in site else None
    if number is None and "số hiệu" in site and regex.match(r"\d", site["số hiệu"]):
        number = "".join(site["số hiệu"].split())
    if kind is None and "loại văn bản" in site:
        kind = kind_of_word(site["loại văn bản"])
    if issued is None and "ngày ban hành" in site:
        found = find_dates(site["ngày ban hành"])
        issued = found[0].value if found and found[0].valid else None
    if not pieces and "nơi ban hành" in site:
        pieces = [site["nơi ban hành"]]
    if site and layout in ("none", "portal"):
        layout = "site"
    bodies = tuple(split_bodies(" ".join(pieces)))
    return Header(start=start, end=max(end, te if te > 0 else 0), layout=layout, bodies=bodies,
                  authority=authority, doc_number=number, symbol=symbol_id, place=place,
                  issued_date=issued, kind=kind, title=title, title_start=ts, title_end=te,
                  signer=signer, headline=headline is not None)
