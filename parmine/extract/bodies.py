"""State bodies (cơ quan): the grammar of their names.

A body's name opens with a head noun — Ủy ban nhân dân / UBND, Sở, Bộ, Văn
phòng, Trung tâm, Ban, Cục, Chi cục, Tổng cục, Thanh tra, Phòng, Chính phủ,
Thủ tướng Chính phủ, Quốc hội … — and a local body ends with its level and
place ("tỉnh Quảng Trị", "huyện Điện Bàn").  The header of a document stacks
a parent body over the issuer in capitals, one or two lines each, or on one
line in a crawled copy:

    UBND TỈNH QUẢNG TRỊ            → parent "UBND TỈNH QUẢNG TRỊ"
    SỞ KHOA HỌC VÀ CÔNG NGHỆ       → issuer "SỞ KHOA HỌC VÀ CÔNG NGHỆ"

:func:`split_bodies` cuts such a block where a new head starts after a
complete name; :func:`read_body` turns one name into the reporting agency
as the dataset names it (without the province: "Sở Khoa học và Công nghệ",
"Ủy ban nhân dân tỉnh", "Ủy ban nhân dân huyện Điện Bàn"), its province and
whether it is a central body (then the province is null).

Names are compared without spaces, so letters split by a crawler ("ỦY B AN
NHÂN D Â N") still read.

>>> [b.agency for b in map(read_body, split_bodies("UBND TỈNH QUẢNG TRỊ SỞ KHOA HỌC VÀ CÔNG NGHỆ"))]
['Ủy ban nhân dân tỉnh', 'Sở Khoa học và Công nghệ']
>>> b = read_body("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH"); (b.agency, b.province)
('Ủy ban nhân dân thành phố', 'Hồ Chí Minh')
>>> b = read_body("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"); (b.agency, b.central)
('Bộ Lao động - Thương binh và Xã hội', True)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..text.normalize import fold, fold_chars

# head nouns of body names, without spaces; a longer head holding a shorter
# one ("văn phòng" ⊃ "phòng", "ủy ban nhân dân" ⊃ "ban") wins
HEADS = (
    "ủybannhândân", "ubnd", "hộiđồngnhândân", "hđnd", "ủybanthườngvụquốchội", "quốchội",
    "thủtướngchínhphủ", "chínhphủ", "vănphòngchínhphủ", "thanhtrachínhphủ", "vănphòng",
    "sở", "bộ", "bộphận", "bộchỉhuy", "trungtâm", "ban", "banchỉđạo", "cục", "chicục",
    "tổngcục", "thanhtra", "phòng", "khobạc", "bảohiểmxãhội", "ngânhàngnhànước",
    "kiểmtoánnhànước", "ủybandântộc", "tỉnhủy", "thànhủy", "huyệnủy", "đảngủy", "côngan",
    "tòaán", "việnkiểmsát", "chủtịchnước", "vănphòngchủtịchnước",
)
_HEAD = regex.compile("|".join(sorted(HEADS, key=len, reverse=True)))
# central bodies: their province is null
_CENTRAL = regex.compile(
    r"^(?:chínhphủ|thủtướng|quốchội|ủybanthườngvụquốchội|vănphòng(?:chínhphủ|quốchội|chủtịchnước)|"
    r"thanhtrachínhphủ|ngânhàngnhànước|kiểmtoánnhànước|ủybandântộc|tổngcục|chủtịchnước|"
    r"bộ(?!phận|chỉhuy)|bảohiểmxãhộiviệtnam|banchỉđạo(?:quốcgia|trungương)|tòaánnhândântốicao|việnkiểmsátnhândântốicao|"
    r"cục(?!.*(?:tỉnh|thànhphố)))")
_LOCAL_LEVEL = regex.compile(r"(?P<level>tỉnh|thànhphố|tp\.?|huyện|quận|thịxã|xã|phường|thịtrấn)(?P<place>.*)$")
_LEVEL_WORDS = {"thànhphố": "thành phố", "tp": "thành phố", "tp.": "thành phố", "thịxã": "thị xã",
                "thịtrấn": "thị trấn"}


@dataclass(frozen=True)
class Body:
    """One body name read: ``agency`` as the dataset names it, ``province``
    (None for a central body or when the name gives no place), ``central``."""

    written: str
    agency: str | None
    province: str | None = None
    central: bool = False


def _tight(text: str) -> tuple[str, list[int]]:
    """The folded name without spaces, and each of its characters' offset in ``text``."""
    chars = fold_chars(text)
    offsets = [i for i, c in enumerate(chars) if not c.isspace()]
    return "".join(chars[i] for i in offsets), offsets


def split_bodies(block: str) -> list[str]:
    """A header's issuer block → its body names, parent first.

    >>> split_bodies("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG")
    ['ỦY BAN NHÂN DÂN TỈNH BẮC GIANG']
    >>> split_bodies("BỘ TÀI CHÍNH TỔNG CỤC THUẾ")
    ['BỘ TÀI CHÍNH', 'TỔNG CỤC THUẾ']
    """
    text = regex.sub(r"\s+", " ", block).strip(" -*_=|")
    if not text:
        return []
    tight, offsets = _tight(text)
    word_starts = {0} | {m.start() for m in regex.finditer(r"(?<=\s)\S", text)}
    heads: list[tuple[int, int]] = []
    for m in _HEAD.finditer(tight):
        if offsets[m.start()] in word_starts and not any(a <= m.start() < b for a, b in heads):
            heads.append((m.start(), m.end()))
    cuts = []
    for k in range(1, len(heads)):
        prev_end, start = heads[k - 1][1], heads[k][0]
        # a new body starts only after a complete name: words after the previous head
        if start > prev_end and tight[prev_end:start].strip("-,") and start < len(tight) - 1:
            cuts.append(offsets[start])
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip(" ,-") for a, b in zip(bounds, bounds[1:]) if text[a:b].strip(" ,-")]


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    from ..corpus.gazetteer import agencies

    return {fold(a).replace(" ", ""): a for a in agencies()}


# head nouns followed by the body's proper name, which is capitalised: "Phòng Nội vụ", "Ban Quản lý …"
_NAMED_HEADS = ("chi cục", "tổng cục", "trung tâm", "sở", "phòng", "ban", "cục")


def _sentence_case(name: str) -> str:
    """A name in capitals as the national format writes names of bodies:
    the head noun and the first word of the proper name capitalised.

    >>> _sentence_case("PHÒNG NỘI VỤ"), _sentence_case("BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH")
    ('Phòng Nội vụ', 'Ban Chỉ đạo cải cách hành chính')
    """
    words = regex.sub(r"\s+", " ", name).strip().split(" ")
    if not name.isupper():
        return " ".join(words)
    low = [w.lower() for w in words]
    proper = next((len(h.split()) for h in _NAMED_HEADS if " ".join(low[:len(h.split())]) == h), 0)
    return " ".join(w[:1] + w[1:].lower() if i in (0, proper) and w else w.lower() for i, w in enumerate(words))


def read_body(name: str) -> Body:
    """One body name → :class:`Body` (see the module's examples)."""
    from ..corpus.gazetteer import Gazetteer

    written = regex.sub(r"\s+", " ", name).strip(" -*_=|,.")
    tight, offsets = _tight(written)
    if not tight:
        return Body(written, None)
    known = _known()
    central = bool(_CENTRAL.match(tight))
    m = _HEAD.match(tight)
    head = m.group(0) if m else ""
    gaz = Gazetteer.default()
    if m is not None and head in ("ủybannhândân", "ubnd", "hộiđồngnhândân", "hđnd"):
        kind = "Ủy ban nhân dân" if head in ("ủybannhândân", "ubnd") else "Hội đồng nhân dân"
        lv = _LOCAL_LEVEL.match(tight, m.end())
        if not lv:
            return Body(written, kind)
        level = _LEVEL_WORDS.get(lv.group("level"), lv.group("level"))
        place_raw = written[offsets[lv.start("place")]:] if lv.group("place") else ""
        if level in ("tỉnh", "thành phố"):
            p = gaz.find(place_raw) if place_raw else None
            if p is not None or not place_raw:
                return Body(written, f"{kind} {level}", p.name if p else None)
        loc = gaz.locality(f"{level} {place_raw}") if place_raw else None
        shown = _sentence_case(place_raw).title() if place_raw.isupper() else place_raw
        return Body(written, f"{kind} {level} {shown}".strip(), loc.province if loc else None)
    # a known body, or one followed by its level and place ("SỞ TƯ PHÁP TỈNH NINH BÌNH")
    for lv in [None] + list(regex.finditer(r"(?:tỉnh|thànhphố|tp\.?)(?=\p{L})", tight)):
        stem = tight if lv is None else tight[:lv.start()]
        place: str | None = None
        if lv is not None:
            found = gaz.find(written[offsets[lv.end()]:]) if lv.end() < len(tight) else None
            if found is None:
                continue
            place = found.name
        level = "" if lv is None else _LEVEL_WORDS.get(lv.group(0), lv.group(0))
        for candidate in (stem + level.replace(" ", ""), stem):
            if candidate in known:
                return Body(written, known[candidate], None if central else place, central)
        if lv is not None:
            agency = _sentence_case(written[:offsets[lv.start()]].strip())
            if head in ("trungtâm", "vănphòng", "thanhtra", "banchỉđạo"):
                agency = f"{agency} {level}"
            return Body(written, agency, None if central else place, central)
    return Body(written, known.get(tight, _sentence_case(written)) if head else None, None, central)
