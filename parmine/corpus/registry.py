"""Reference data for the audit: known issuer symbols and a registry of
documents (id, type, date, issuer, title).

parmine ships ``data/registry.csv``, central documents that reform reports
commonly cite (Government decrees, Prime Minister decisions and directives,
Government Office circulars on procedures and one-stop shops); ``parmine run
--registry FILE.csv`` checks against another one, e.g. exported from an
official legal database.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RegistryEntry:
    id: str
    type: str
    date: str | None
    issuer: str | None
    title: str | None


def _key(cid: str) -> str:
    return "".join(cid.split()).replace("Ð", "Đ")


def load_registry(path: str | Path | None = None) -> dict[str, RegistryEntry]:
    """id → entry; the shipped registry when no path is given."""
    path = Path(path) if path else DATA / "registry.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = {"id", "type", "date", "issuer", "title"} - set(rows[0] if rows else {})
    if rows and missing:
        raise ValueError(f"{path}: registry lacks the columns {', '.join(sorted(missing))}")
    return {_key(r["id"]): RegistryEntry(_key(r["id"]), r["type"], r["date"] or None,
                                         r["issuer"] or None, r["title"] or None) for r in rows}


@lru_cache(maxsize=1)
def known_symbols() -> frozenset[str]:
    """Issuer symbols of Vietnamese bodies (data/known_symbols.txt)."""
    lines = (DATA / "known_symbols.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(l.split("#")[0].strip() for l in lines if l.split("#")[0].strip())
