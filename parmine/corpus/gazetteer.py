"""The province gazetteer: the 63 provinces and centrally-run cities before
1 July 2025, their official codes, and the 34 units after the merger
(National Assembly resolution 202/2025/QH15), from data/provinces.csv.

Names are matched tolerantly: case, tone-mark placement ("Khánh Hoà" /
"Khánh Hòa"), missing diacritics ("Hung Yên", "Quang Tri"), the words
"tỉnh" / "thành phố" / "TP." in front, and aliases ("TP.HCM", "BR-VT",
"Thừa Thiên - Huế").
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from ..extract.normalize import fold, fold_tones, strip_diacritics

DATA = Path(__file__).resolve().parent / "data"
_PREFIX = regex.compile(r"^(?:tỉnh|thành phố|tp\.?|t\.p\.?)\s*", regex.V1)


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


class Gazetteer:
    """Look provinces up by name, and find them in text."""

    def __init__(self, provinces: list[Province]):
        self.provinces = provinces
        self._exact: dict[str, Province] = {}
        self._plain: dict[str, Province] = {}
        for p in provinces:
            for n in (p.name,) + p.aliases:
                self._exact[_key(n)] = p
                self._plain.setdefault(strip_diacritics(_key(n)), p)
        names = sorted(self._exact, key=len, reverse=True)
        body = "|".join(r"\s*[-–]\s*".join(regex.escape(part).replace(r"\ ", r"\s+") for part in n.split("-"))
                        for n in names)
        self._mention = regex.compile(rf"(?<![\p{{L}}\d])(?:{body})(?![\p{{L}}\d])")

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Gazetteer":
        """The shipped gazetteer (loaded once per process)."""
        rows = list(csv.DictReader(open(DATA / "provinces.csv", encoding="utf-8")))
        return cls([Province(r["province"], r["code"], r["kind"], r["unit_2025"],
                             tuple(a for a in r["aliases"].split("|") if a)) for r in rows])

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
        return hit

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
