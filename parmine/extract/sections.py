"""The section tree of a report, and the blocks around it.

Reports follow the layout rules for official documents: a header, the type
word and title ("BÁO CÁO" + what it reports on), "Kính gửi: ...", a body
numbered

    I. / II. ...              level 1, roman (I to XX)
    1. / 2. ...               level 2
    1.1. / 1.2 ...            level 3 (1.1.1. level 4)
    a) b) c) d) đ) e) g) ...  level 5, letters of the Vietnamese alphabet

then "Nơi nhận:", the signature block ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" +
name) and sometimes appendices ("Phụ lục", "Biểu số ...").

Headings are found at the start of a line only ("quý III năm 2020",
"Khóa XI" inside a sentence are not headings), in capitals or not, with or
without a trailing ":" or "."; a heading wrapped onto a second line is
joined; OCR confusions in roman numerals ("Il.", "1I.", "V1.", "IH.") are
read as the numeral they stand for.  Repeated or skipped numbers are kept
as written.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

import regex

from .records import Header, Section

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ROMAN_OCR = str.maketrans({"l": "I", "1": "I", "|": "I", "H": "II", "!": "I"})
_ROMANS = {}
for _n in range(1, 21):
    _v, _s = _n, ""
    for _val, _sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while _v >= _val:
            _s, _v = _s + _sym, _v - _val
    _ROMANS[_s] = _n

_LINE = regex.compile(r"[^\n]*\n?")
_H_ROMAN = regex.compile(r"(?P<num>[IVXlH1|!]{1,5})\s*(?:[.):/]|\s[-–]|-(?=\s*\p{Lu}))\s*(?P<title>\S.*)?$")
# Markdown a converter or a crawler leaves around a heading: "### I. KẾT QUẢ", "**I. KẾT QUẢ**"
_MARKUP = regex.compile(r"^(?:#{1,6}\s+|[*_]{1,2}(?=\S))|(?<=\S)[*_]{1,2}$")
# a run-in heading: "I. Công tác chỉ đạo: Sở đã ban hành …" → the words before the colon
_RUN_IN = regex.compile(r"^(?P<title>[^:]{3,120}?)\s*:\s+\S.{20,}$")
_H_ARABIC = regex.compile(r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})(?:\.|\)|(?<=\d\.\d{1,2}))\s*(?P<title>\p{L}.*)$")
_H_LETTER = regex.compile(r"(?P<num>[abcdđeghiklmnopqrstuvxy])\)\s*(?P<title>\S.*)$")
_CLOSING = regex.compile(r"^[ \t|]*(?:\*\*)?Nơi\s+nhận\s*:", regex.M)
_RECIPIENTS = regex.compile(r"^[ \t|]*Kính\s+gửi\s*:", regex.M)
# the structure of decisions and legal documents: Phần I, Chương II, Mục 1, Điều 3
_STRUCTURE = regex.compile(
    r"^[ \t*]*(?P<kind>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+(?P<num>[IVXLC]{1,6}|\d{1,3}[a-z]?)"
    r"(?![\p{L}\d])\s*[.:\-–]?\s*(?P<title>[^\n]*)$")
STRUCTURE_NAMES = ("part", "chapter", "division", "article")
BODY_KINDS = ("body", "part", "chapter", "division", "article", "clause", "point")
STRUCTURE_KINDS = {"phần": ("part", 1), "chương": ("chapter", 2), "mục": ("division", 3), "điều": ("article", 4)}
_SIGN_POS = regex.compile(r"^\s*(?:KT\.|TM\.|TL\.|Q\.|TUQ\.|GIÁM\s+ĐỐC|PHÓ\s+GIÁM\s+ĐỐC|CHỦ\s+TỊCH|"
                          r"PHÓ\s+CHỦ\s+TỊCH|TRƯỞNG\s+BAN|CHÁNH\s+VĂN\s+PHÒNG|CỤC\s+TRƯỞNG|THỦ\s+TRƯỞNG)")
_APPENDIX = regex.compile(r"^\s*(?:PHỤ\s+LỤC|Phụ\s+lục|BIỂU\s+SỐ|Biểu\s+số|BIỂU\s+MẪU)\b", regex.M)
_CLOSING_SENTENCE = regex.compile(r"^\s*Trên\s+đây\s+là\b", regex.M)


def roman_value(token: str) -> int | None:
    """The value of a roman numeral as written, OCR confusions read:
    "III" → 3, "Il" → 2, "1I" → 2, "V1" → 6, "IH" → 3; "IIII" → None."""
    return _ROMANS.get(token.translate(_ROMAN_OCR))


def _roman_text(token: str) -> str:
    return token.translate(_ROMAN_OCR)


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _clean_title(title: str) -> str:
    title = regex.sub(r"\s+", " ", title).strip()
    return title.rstrip(" :.;").strip()


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for m in _LINE.finditer(text):
        if not m.group(0):
            break
        yield pos, m.group(0).rstrip("\n")
        pos = m.end()


def _heading(line: str) -> tuple[int, str, str] | None:
    """(level, number, title) when ``line`` opens a numbered section."""
    s = _MARKUP.sub("", line.strip()).strip()
    if not s:
        return None
    m = _H_ROMAN.match(s)
    # a roman numeral; OCR's "H" for "II" only before a heading in capitals
    if m and (regex.search(r"[IVX]", m.group("num")) or
              (m.group("num") == "H" and _is_caps(m.group("title") or ""))):
        value = roman_value(m.group("num"))
        title = m.group("title") or ""
        run_in = _RUN_IN.match(title)
        title = run_in.group("title") if run_in else title
        if value and (title[:1].isupper() or not title) and len(title) < 300:
            return 1, _roman_text(m.group("num")), title
    m = _H_ARABIC.match(s)
    if m:
        num = m.group("num").rstrip(".")
        if 0 < int(num.split(".")[0]) < 40:
            return 1 + len(num.split(".")), num, m.group("title")
    m = _H_LETTER.match(s)
    if m:
        return 5, m.group("num"), m.group("title")
    return None


_OCR_I = regex.compile(r"\s*[{\[|(]\s+(?P<title>\p{Lu}.*)$")
_Head = tuple[int, int, int, str, str, str]  # (start, heading end, level, number, title, kind)


def _ocr_first_heading(line: str, heads: list[_Head]) -> tuple[int, str, str] | None:
    """OCR reads the first heading's "I." as "{" or "[": "{ Công tác chỉ đạo"
    is heading I when no roman heading came before."""
    m = _OCR_I.match(line)
    if m and not any(h[2] == 1 for h in heads) and len(m.group("title")) < 200:
        return 1, "I", m.group("title")
    return None


def _repair_first_roman(heads: list[_Head]) -> None:
    """OCR also reads "I." as "1.": when the body's first heading is "1."
    and a roman "II." follows, that "1." is heading I if its title is in
    capitals or the next heading is a "1." of its own."""
    romans = [h for h in heads if h[2] == 1]
    if not heads or heads[0][2] != 2 or heads[0][3] != "1" or not romans or romans[0][3] != "II":
        return
    nxt = heads[1] if len(heads) > 1 else None
    if _is_caps(heads[0][4]) or (nxt is not None and nxt[2] == 2 and nxt[3] == "1"):
        start, end, _, _, title, kind = heads[0]
        heads[0] = (start, end, 1, "I", title, kind)


def _block_bounds(text: str, header_end: int) -> dict[str, tuple[int, int]]:
    """Where the header, recipients, closing, signature and appendix lie."""
    out: dict[str, tuple[int, int]] = {}
    n = len(text)
    closing = None
    for m in _CLOSING.finditer(text, header_end):
        closing = m
        break
    body_start = header_end
    if header_end:
        out["header"] = (0, header_end)
    rec = _RECIPIENTS.search(text, body_start)
    if rec and rec.start() - body_start < 400:
        # the "Kính gửi:" line and the "- ..." lines listing more recipients
        end = text.find("\n", rec.end())
        end = end if end >= 0 else n
        while end < n:
            nxt = text.find("\n", end + 1)
            nxt = nxt if nxt >= 0 else n
            if not regex.match(r"\s*[-+•]\s", text[end + 1:nxt]):
                break
            end = nxt
        out["recipients"] = (rec.start(), end)
    if closing:
        end = closing.end()
        # the recipients list of "Nơi nhận"
        for pos, line in _lines(text[closing.end():]):
            s = line.strip()
            if s and not regex.match(r"[-+•*]", s) and not s.startswith("Lưu") and pos > 0:
                end = closing.end() + pos
                break
        else:
            end = n
        out["closing"] = (closing.start(), end)
        app = _APPENDIX.search(text, end)
        sig_end = app.start() if app else n
        # tables' captions after the signature start the appendix too
        caps = [pos for pos, line in _lines(text[end:sig_end])
                if _is_caps(line) and len(line.split()) >= 5 and not _SIGN_POS.match(line)]
        if caps:
            sig_end = min(sig_end, end + caps[0])
        out["signature"] = (end, sig_end)
        if sig_end < n:
            out["appendix"] = (sig_end, n)
    return out


def _headings(text: str, body_lo: int, body_hi: int) -> list[_Head]:
    """(start, heading end, level, number, title, kind) of every heading in
    the body: a report's numbered sections, a decision's Phần/Chương/Mục/Điều
    and the clauses (khoản "1.") and points (điểm "a)") of an article."""
    heads: list[_Head] = []
    lines = list(_lines(text))
    in_article = False
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        i += 1
        if pos < body_lo or pos >= body_hi or _in_table(line):
            continue
        kind = "body"
        m = _STRUCTURE.match(line)
        if m:
            kind, level = STRUCTURE_KINDS[m.group("kind").lower()]
            number, title = f'{m.group("kind").capitalize()} {m.group("num")}', m.group("title").strip()
            in_article = kind == "article"
        else:
            h = _heading(line) or _ocr_first_heading(line, heads)
            if not h:
                continue
            level, number, title = h
            if level == 1:
                in_article = False
            elif in_article:
                kind, level = ("point" if level == 5 else "clause"), level + 3
        end_of_heading = pos + len(line)
        if i < len(lines) and _continues(title, lines[i][1]):  # wrapped onto the next line, or a chapter's title
            title = f"{title} {lines[i][1].strip()}".strip()
            end_of_heading = lines[i][0] + len(lines[i][1])
            i += 1
        heads.append((pos + len(line) - len(line.lstrip()), end_of_heading, level, number, title, kind))
    return heads


def _continues(title: str, nline: str) -> bool:
    """Whether ``nline`` carries on the heading ``title`` (a heading wrapped
    in capitals, a lower-case run-on, a chapter's title on its own line)."""
    ns = nline.strip()
    if title.rstrip().endswith((":", ".", ";")) or not ns or _heading(nline) or _STRUCTURE.match(nline):
        return False
    return len(ns) < 120 and not ns.endswith(".") and (
        (_is_caps(title or ns) and _is_caps(ns)) or bool(title and ns[:1].islower()))


def _tree(heads: list[_Head], body_hi: int) -> list[Section]:
    """The headings as nodes with paths ("II.2.b"), each ending where the
    next node of the same or a higher level starts."""
    nodes: list[Section] = []
    stack: list[Section] = []
    for start, end_of_heading, level, number, title, kind in heads:
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        own = number
        # "1.2" under "1", "1.2.3" under "1.2": only the last part is the node's own
        if parent is not None and "." in number and number.rsplit(".", 1)[0] == parent.number:
            own = number.rsplit(".", 1)[1]
        path = f"{parent.path}.{own}" if parent else own
        node = Section(number=number, title=_clean_title(title), level=level, path=path,
                       start=start, end=body_hi, kind=kind, heading_end=end_of_heading)
        nodes.append(node)
        stack.append(node)
    for k, node in enumerate(nodes):
        for later in nodes[k + 1:]:
            if later.level <= node.level:
                nodes[k] = replace(node, end=later.start)
                break
    return nodes


def parse_sections(text: str, header: Header | None = None) -> list[Section]:
    """The blocks and the numbered body nodes of a document, in text order
    (``header``: its :class:`~parmine.extract.records.Header`, read when not
    given; the body starts where the header ends).

    >>> t = ("BÁO CÁO\\nKết quả quý III năm 2020\\n\\nI. CHỈ ĐẠO\\n1. Về kế hoạch\\na) Ban hành\\n"
    ...      "II. Đánh giá chung:\\nNội dung")
    >>> [(s.path, s.title) for s in parse_sections(t) if s.kind == "body"]
    [('I', 'CHỈ ĐẠO'), ('I.1', 'Về kế hoạch'), ('I.1.a', 'Ban hành'), ('II', 'Đánh giá chung')]

    A decision's own structure is kept apart from report sections, with its
    kind (``part``, ``chapter``, ``division``, ``article``) and the clauses
    of an article under it:

    >>> t = ("QUYẾT ĐỊNH\\nVề việc ban hành Quy chế\\n\\nChương I\\nQUY ĐỊNH CHUNG\\nĐiều 1. Phạm vi\\n"
    ...      "1. Quy chế này\\nĐiều 2. Hiệu lực")
    >>> [(s.kind, s.path, s.title) for s in parse_sections(t) if s.level]
    [('chapter', 'Chương I', 'QUY ĐỊNH CHUNG'), ('article', 'Chương I.Điều 1', 'Phạm vi'),
     ('clause', 'Chương I.Điều 1.1', 'Quy chế này'), ('article', 'Chương I.Điều 2', 'Hiệu lực')]
    """
    if header is None:
        from .header import read_header
        header = read_header(text)
    blocks = _block_bounds(text, header.end)
    body_lo = blocks.get("recipients", blocks.get("header", (0, 0)))[1]
    body_hi = blocks["closing"][0] if "closing" in blocks else (
        blocks["appendix"][0] if "appendix" in blocks else len(text))
    heads = _headings(text, body_lo, body_hi)
    _repair_first_roman(heads)
    nodes = _tree(heads, body_hi)
    out = [Section(number="", title=kind, level=0, path=kind, start=s, end=e, kind=kind)
           for kind, (s, e) in blocks.items()]
    return sorted(out + nodes, key=lambda s: (s.start, s.level))


def _in_table(line: str) -> bool:
    """A row of a table drawn with pipes ("| I | Lĩnh vực … |"): its cells are no headings."""
    s = line.strip()
    return s.startswith("|") or s.count("|") >= 2


def top_sections(sections: list[Section]) -> list[Section]:
    """The roman-numbered top-level body sections (what gold-format lists)."""
    return [s for s in sections if s.kind == "body" and s.level == 1]


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The deepest body section holding ``offset`` (None outside the body)."""
    best = None
    for s in sections:
        if s.kind in BODY_KINDS and s.start <= offset < s.end and (best is None or s.level >= best.level):
            best = s
    return best


def format_tree(sections: list[Section]) -> str:
    """An indented outline for people: number, title, path; blocks in brackets."""
    out = []
    for s in sections:
        if s.kind not in BODY_KINDS:
            out.append(f"[{s.kind}] {s.start}-{s.end}")
            continue
        indent = "  " * max(0, s.level - 1)
        title = s.title if len(s.title) <= 90 else s.title[:89] + "…"
        mark = f"{s.number})" if s.kind == "point" or (s.kind == "body" and s.level == 5) else (
            s.number if s.kind in STRUCTURE_NAMES else f"{s.number}.")
        out.append(f"{indent}{mark} {title}    ({s.path})")
    return "\n".join(out)
