"""The province gazetteer: the 63 provinces and centrally-run cities before
1 July 2025, their official codes, and the 34 units after the merger
(National Assembly resolution 202/2025/QH15), from data/provinces.csv; and
their districts and communes (data/localities.csv, see data/README.md), so
that a document naming only "huyện Krông Năng" is placed in Đắk Lắk.

Names are matched tolerantly: case, tone-mark placement ("Khánh Hoà" /
"Khánh Hòa"), missing diacritics ("Hung Yên", "Quang Tri"), letters split
by stray spaces ("Hồ C h í M inh"), the words "tỉnh" / "thành phố" / "TP."
in front, and aliases ("TP.HCM", "BR-VT", "Thừa Thiên - Huế").
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import regex

from ..text.normalize import fold, fold_tones, strip_diacritics

DATA = Path(__file__).resolve().parent / "data"
_PREFIX = regex.compile(r"^(?:tỉnh|thành phố|tp\.?|t\.p\.?)\s*", regex.V1)


@dataclass(frozen=True)
class Locality:
    """A district (huyện, quận, thị xã, thành phố thuộc tỉnh) or a commune
    (xã, phường, thị trấn) before the 2025 reform, or a commune (xã, phường,
    đặc khu) of a unit after it, and its province."""

    level: str
    name: str
    province: str


@dataclass(frozen=True)
class Province:
    """A province or centrally-run city as it was before 1 July 2025."""

    name: str
    code: str
    kind: str  # "tỉnh" | "thành phố"
    unit_2025: str
    aliases: tuple[str, ...] = ()


def _key(name: str) -> str:
    return _PREFIX.sub("", fold(name)).replace(" - ", "-").replace(" -", "-").replace("- ", "-")


def _apostrophes(key: str) -> str:
    return key.replace("’", "'").replace("‘", "'")


def _tight(name: str) -> str:
    """The key without any space: "Hồ C h í M inh" and "Hồ Chí Minh" agree."""
    return _PREFIX.sub("", fold(name).replace(" ", ""))


DISTRICT_LEVELS = ("huyện", "quận", "thị xã", "thành phố")
_LEVEL = regex.compile(r"^(?P<level>huyện|quận|thị xã|thành phố|tp\.?|xã|phường|thị trấn|đặc khu)\s+(?P<name>.+)$")
_LOCALITY_MENTION = regex.compile(
    r"(?<![\p{L}])(?P<level>[Hh]uyện|HUYỆN|[Qq]uận|QUẬN|[Tt]hị\s+xã|THỊ\s+XÃ|[Tt]hành\s+phố|THÀNH\s+PHỐ|"
    r"[Xx]ã|XÃ|[Pp]hường|PHƯỜNG|[Tt]hị\s+trấn|THỊ\s+TRẤN|[Đđ]ặc\s+khu|ĐẶC\s+KHU)\s+"
    r"(?P<name>[\p{Lu}][\p{L}\p{M}'’]*(?:[ \-][\p{Lu}\d][\p{L}\p{M}'’]*){0,3})")


class Gazetteer:
    """Look provinces up by name, and find them in text."""

    def __init__(self, provinces: list[Province], localities: Sequence[Locality] = ()):
        self.provinces = provinces
        self._exact: dict[str, Province] = {}
        self._plain: dict[str, Province] = {}
        self._tight: dict[str, Province] = {}
        for p in provinces:
            for n in (p.name,) + p.aliases:
                self._exact[_key(n)] = p
                self._plain.setdefault(strip_diacritics(_key(n)), p)
                self._tight.setdefault(_tight(n), p)
        # (level, name) → locality; a name alone when it is one locality only
        self._localities: dict[tuple[str, str], Locality] = {}
        by_name: dict[str, set] = {}
        clashes = set()
        for loc in localities:
            key = (loc.level, _apostrophes(fold(loc.name)))
            if key in self._localities and self._localities[key].province != loc.province:
                clashes.add(key)  # a commune of 2025 named like an older one elsewhere
            self._localities[key] = loc
            by_name.setdefault(key[1], set()).add(loc.province)
        for key in clashes:
            del self._localities[key]
        names = {key[1]: loc for key, loc in self._localities.items()}
        self._locality_names = {n: names[n] for n, v in by_name.items() if len(v) == 1 and n in names}
        # a district is named without its level, or with an older one ("huyện" that became "thị xã")
        districts: dict[str, set] = {}
        for loc in localities:
            if loc.level in DISTRICT_LEVELS:
                districts.setdefault(_apostrophes(fold(loc.name)), set()).add(loc)
        self._district_names = {n: next(iter(v)) for n, v in districts.items() if len(v) == 1}
        longest_first = sorted(self._exact, key=len, reverse=True)
        body = "|".join(r"\s*[-–]\s*".join(regex.escape(part).replace(r"\ ", r"\s+") for part in n.split("-"))
                        for n in longest_first)
        self._mention = regex.compile(rf"(?<![\p{{L}}\d])(?:{body})(?![\p{{L}}\d])")

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Gazetteer":
        """The shipped gazetteer (loaded once per process)."""
        rows = list(csv.DictReader(open(DATA / "provinces.csv", encoding="utf-8")))
        localities = [Locality(r["level"], r["name"], r["province"])
                      for r in csv.DictReader(open(DATA / "localities.csv", encoding="utf-8"))]
        return cls([Province(r["province"], r["code"], r["kind"], r["unit_2025"],
                             tuple(a for a in r["aliases"].split("|") if a)) for r in rows], localities)

    def find(self, name: str | None) -> Province | None:
        """The province a name stands for, or None.

        >>> Gazetteer.default().find("TỈNH HUNG YÊN").name
        'Hưng Yên'
        """
        if not name:
            return None
        key = _key(name)
        hit = self._exact.get(key)
        if hit is None:
            hit = self._plain.get(strip_diacritics(key))
        if hit is None:
            hit = self._tight.get(_tight(name))
        return hit

    def locality(self, name: str | None) -> Locality | None:
        """The district or commune a name stands for: "huyện Krông Năng",
        "THỊ XÃ SƠN TÂY"; a bare name only when no other locality has it.

        >>> Gazetteer.default().locality("huyện Krông Năng").province
        'Đắk Lắk'
        """
        if not name:
            return None
        key = _apostrophes(fold(name))
        m = _LEVEL.match(key)
        if m:
            level = "thành phố" if m.group("level").startswith("tp") else m.group("level")
            hit = self._localities.get((level, m.group("name")))
            if hit is None and level in DISTRICT_LEVELS:
                hit = self._district_names.get(m.group("name"))
            return hit
        return self._district_names.get(key) or self._locality_names.get(key)

    def locality_mentions(self, text: str) -> list[tuple[int, int, Locality]]:
        """Districts and communes named with their level word in ``text``
        ("UBND huyện Krông Năng", "xã Tân Lập" when only one xã has that name)."""
        out = []
        for m in _LOCALITY_MENTION.finditer(text):
            words = m.group("name").split()
            for n in range(len(words), 0, -1):  # the longest name the gazetteer knows
                loc = self.locality(f'{m.group("level")} {" ".join(words[:n])}')
                if loc is not None:
                    out.append((m.start(), m.start("name") + len(" ".join(words[:n])), loc))
                    break
        return out

    def unit_2025(self, name: str) -> str | None:
        p = self.find(name)
        return p.unit_2025 if p else None

    def code(self, name: str) -> str | None:
        p = self.find(name)
        return p.code if p else None

    def mentions(self, text: str) -> list[tuple[int, int, Province]]:
        """Province names written in ``text`` (with diacritics, any case)."""
        low = fold_tones(text).lower()
        if len(low) != len(text):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in fold_tones(text))
        out = []
        for m in self._mention.finditer(low):
            p = self._exact.get(_key(m.group(0)))
            if p is not None:
                out.append((m.start(), m.end(), p))
        return out


@lru_cache(maxsize=1)
def agencies() -> list[str]:
    """Names of reporting bodies (data/agencies.txt), without the province."""
    lines = (DATA / "agencies.txt").read_text(encoding="utf-8").splitlines()
    return [l.strip() for l in lines if l.strip() and not l.startswith("#")]
