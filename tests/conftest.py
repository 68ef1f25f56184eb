"""Shared paths and helpers for the tests."""
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DERIVED = SHARED / "corpus" / "derived"
GOLD = SHARED / "corpus" / "gold"
SAMPLE = ROOT / "sample"


def seed_reference(stem: str) -> str:
    """A seed's text as the derived DOCX/PDF show it (light markup removed)."""
    t = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    t = re.sub(r"\^\{([^}]*)\}", r"\1", t)
    t = re.sub(r"<(https?://[^>]+)>", r"\1", t)
    return t.replace("*", "")


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def cer(hyp: str, ref: str) -> float:
    """Character error rate as OCR_BASELINE.md computes it."""
    from rapidfuzz.distance import Levenshtein
    ref = squash(ref)
    return Levenshtein.distance(squash(hyp), ref) / len(ref)


@pytest.fixture(scope="session")
def seed_stems():
    return sorted(p.stem for p in SEEDS.glob("*.txt"))
