#!/usr/bin/env python
"""A realistic synthetic archive of N distinct documents, for benchmarks.

    python bench/archive.py OUT_DIR --docs N [--seed S] [--start K]
                            [--mix text=40,pdf=35,docx=20,scan=5] [--jobs J]

Each document is one of the 68 real texts in ../shared/corpus (the 5 seed
reports, the 16 dev documents, the 47 crawled decisions; a text longer than
30 pages is cut there) made into another report of another province and
period:

- the province named in it becomes the document's own (one of the 63
  provinces before 2025, ../shared/spec/provinces-2025.csv), dates and
  "năm YYYY" move to the document's year (2016–2024), "Quý …" to its
  quarter, the document's own number ("Số: …") becomes one no other
  document has (inserted where the text has none);
- its counts are multiplied by 1, 2 or 3 (so a table's parts still add up
  to its total), its percentages move by up to 3 points;
- cited central documents keep their ids and dates (they are in the
  registry); provincial ones ("…/QĐ-UBND", "…/KH-…") move with the
  report's year, and a third of them get another number;
- about a quarter of its body paragraphs are swapped for paragraphs of
  other texts from the same source and a tenth are dropped, as consecutive
  reports of one template differ.

Document ``K`` depends only on the seed and ``K`` (``--start K`` writes
documents K, K+1, …: grow an archive by 100 with ``--start N --docs 100``),
so every document is distinct (its own number is unique).

The format of each document follows ``--mix`` exactly at every prefix of
the archive.  The default, text 40 %, text-layer PDF 35 %, DOCX 20 %,
scans 5 %, is that of a provincial archive of reform reports: most reports
are filed as the text or the PDF the office exported, Word files come from
the units, and scans are the signed copies of a few — kept short (1–2
pages) and rare, since Tesseract costs about 2 s per page per core and
would otherwise be all the benchmark measures.  Text files are .txt (or
.md, as the crawled ones came) and count as one page each.

Files are laid out as ``OUT_DIR/<province>/<year>/<kind>-<number>.<ext>``.
About 10 ms per text or DOCX, 30 ms per PDF and 0.1 s per scan page on
one core; ``--jobs`` (default: every core) writes documents in parallel.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script or imported from the tests
    sys.path.insert(0, str(HERE))

from archive_formats import Block, docx_bytes, load_font, pdf_bytes, scan_bytes  # noqa: E402

SHARED = HERE.parent.parent / "shared"
SOURCES = {"seed": (SHARED / "corpus" / "seeds", "*.txt"),
           "dev": (SHARED / "corpus" / "real" / "dev", "*.txt"),
           "crawl": (SHARED / "corpus" / "real" / "crawl", "*.md")}
PROVINCES = SHARED / "spec" / "provinces-2025.csv"
DOCX_TEMPLATE = SHARED / "corpus" / "derived" / "000_8ec424762efb3ebc.docx"
# reform reports first (the seeds), then the dev documents (news of reform
# results, decisions on procedures), then the crawled decisions
SOURCE_SHARE = {"seed": 40, "dev": 30, "crawl": 30}
DEFAULT_MIX = {"text": 40, "pdf": 35, "docx": 20, "scan": 5}
CHARS_PER_PAGE = 2500
MAX_PAGES, SCAN_PAGES = 30, (1, 2)
YEARS = range(2016, 2025)

_CITATION = re.compile(
    r"\b\d{1,5}[a-zA-Z]?/(?:\d{4}/)?[A-ZĐ][A-ZĐa-zđ0-9]*(?:-[A-ZĐa-zđ0-9]+)*"
    r"(?:\s+ngày\s+(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?")
_YEAR = re.compile(r"(?<=\d/)(?:19|20)\d\d\b|(?<=[Nn]ăm )(?:19|20)\d\d\b|(?<=NĂM )(?:19|20)\d\d\b")
_LOCAL = re.compile(r"UBND|HĐND|/(?:KH|TB|BC|CV|CTr)-|-S[A-ZĐ]")  # a province's documents
_QUARTER = re.compile(r"\b(quý|Quý|QUÝ)\s+(IV|I{1,3}|[1-4])\b")
_OWN_NUMBER = re.compile(r"\b(Số|SỐ)\s*:\s*(?:\d+|(?=/))")  # "Số: 12/…", or "Số: /…" left blank
_NUMBER = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(\s*%)?(?![\w/])")
_NOT_A_COUNT = re.compile(r"(?:Điều|điều|khoản|Khoản|Chương|Mục|mục|tháng|ngày|quý|Quý|năm|Năm|lục|số|Số|"
                          r"lần|thứ|giai đoạn)\s*$")
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Base:
    """A real text documents are made from: its source ("seed", "dev",
    "crawl"), name, text, the file suffix a text copy gets, and its year."""

    source: str
    name: str
    text: str
    suffix: str
    year: int


@lru_cache(maxsize=1)
def bases() -> tuple[Base, ...]:
    """The real texts, cut to ``MAX_PAGES`` pages."""
    out = []
    for source, (folder, pattern) in SOURCES.items():
        for path in sorted(folder.glob(pattern)):
            text = _cut(unicodedata.normalize("NFC", path.read_text(encoding="utf-8")),
                        MAX_PAGES * CHARS_PER_PAGE)
            years = [int(y) for y in _YEAR.findall(text[:3000])] or [2020]
            out.append(Base(source, path.stem, text, path.suffix, max(set(years), key=years.count)))
    return tuple(out)


@lru_cache(maxsize=1)
def provinces() -> tuple[str, ...]:
    """The 63 provinces before 2025."""
    with open(PROVINCES, encoding="utf-8") as f:
        return tuple(dict.fromkeys(row["province_before_2025"] for row in csv.DictReader(f)))


@lru_cache(maxsize=1)
def _pool() -> dict[str, tuple[str, ...]]:
    """Body paragraphs of each source, to swap in."""
    pool: dict[str, list[str]] = {}
    for base in bases():
        pool.setdefault(base.source, []).extend(p for p in base.text.split("\n\n") if _swappable(p))
    return {k: tuple(v) for k, v in pool.items()}


def _cut(text: str, chars: int) -> str:
    """``text`` up to the last paragraph (or line) end before ``chars``."""
    if len(text) <= chars:
        return text
    end = max(text.rfind("\n\n", 0, chars), text.rfind("\n", 0, chars))
    return text[:end if end > 0 else chars]


def _swappable(paragraph: str) -> bool:
    """A body paragraph: prose of some length, not a heading or a table."""
    p = paragraph.strip()
    return 150 <= len(p) <= 1500 and "\t" not in p and "|" not in p and not p.isupper()


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in s if not unicodedata.combining(c)).lower()).strip("-")


def formats(start: int, count: int, mix: dict[str, int]) -> list[str]:
    """The format of documents ``start`` … ``start + count - 1``: each
    prefix of the archive follows ``mix`` as closely as whole documents can."""
    total = sum(mix.values())
    done = dict.fromkeys(mix, 0)
    out = []
    for i in range(start + count):
        fmt = max(mix, key=lambda f: mix[f] * (i + 1) / total - done[f])
        done[fmt] += 1
        out.append(fmt)
    return out[start:]


@dataclass(frozen=True)
class Spec:
    """What document ``index`` is: its base, format, province, year, quarter."""

    index: int
    fmt: str
    base: Base
    province: str
    year: int
    quarter: int

    @property
    def path(self) -> Path:
        kind = {"seed": "bc-cchc", "crawl": "vb"}.get(self.base.source) or self.base.name.split("-")[1]
        suffix = {"text": self.base.suffix, "scan": ".pdf"}.get(self.fmt, f".{self.fmt}")
        tag = "-scan" if self.fmt == "scan" else ""
        return Path(_slug(self.province), str(self.year), f"{kind}-{self.index + 1:06d}{tag}{suffix}")


def spec(index: int, fmt: str, seed: int) -> Spec:
    """Document ``index`` of the archive made with ``seed``: its source drawn
    by ``SOURCE_SHARE``, then a text of that source, a province, a year, a quarter."""
    rng = random.Random(f"{seed}:{index}:spec")
    source = rng.choices(list(SOURCE_SHARE), weights=list(SOURCE_SHARE.values()))[0]
    base = rng.choice([b for b in bases() if b.source == source])
    return Spec(index, fmt, base, rng.choice(provinces()), rng.choice(YEARS), rng.randint(1, 4))


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans of cited documents (id and date), left as they are."""
    return [m.span() for m in _CITATION.finditer(text)]


def _outside(spans: list[tuple[int, int]], pos: int) -> bool:
    return not any(a <= pos < b for a, b in spans)


def _vary_citation(m: re.Match, rng: random.Random, delta: int) -> str:
    """A provincial document cited (not in the central registry) moves by
    ``delta`` years with the report, and a third of them get another number;
    a central one is kept as it is."""
    cited = m.group(0)
    if not _LOCAL.search(cited):
        return cited
    cited = re.sub(r"\b(?:19|20)\d\d\b", lambda y: str(int(y.group(0)) + delta), cited)
    if rng.random() >= 1 / 3:
        return cited
    number = re.match(r"\d+", cited)
    assert number is not None
    return f"{int(number.group(0)) + rng.randint(1, 400)}{cited[number.end():]}"


def _vary_number(m: re.Match, text: str, factor: int, shift: int) -> str:
    """A count times ``factor``; a percentage moved by ``shift`` points.
    Years, numbers that open the text (a list item's "1.") and numbers
    after "Điều", "ngày", "năm" and the like are left alone."""
    whole, decimals, percent = m.groups()
    if not text[:m.start()].strip() or _NOT_A_COUNT.search(text[max(0, m.start() - 12):m.start()]):
        return m.group(0)
    if not percent and not decimals and 1990 <= int(whole.replace(".", "")) <= 2035:
        return m.group(0)  # a year ("giai đoạn 2016 - 2020")
    if percent:
        value = min(100.0, max(0.0, float(f"{whole.replace('.', '')}.{decimals or 0}") + shift))
        shown = f"{value:.{len(decimals)}f}".replace(".", ",") if decimals else str(round(value))
        return shown + percent
    if decimals:
        return m.group(0)
    n = int(whole.replace(".", "")) * factor
    return f"{n:,}".replace(",", ".") if "." in whole else str(n)


def _vary_counts(text: str, factor: int, shift: int) -> str:
    """Counts and percentages in ``text``; cited documents are kept."""
    spans = _protected(text)
    return _NUMBER.sub(lambda m: _vary_number(m, text, factor, shift) if _outside(spans, m.start())
                       else m.group(0), text)


def _vary_line(line: str, factor: int, shift: int) -> str:
    """:func:`_vary_counts` on a line; in a table row, on its cells but the
    first (the row's number)."""
    sep = "\t" if "\t" in line else "|" if line.startswith("|") else None
    if sep is None:
        return _vary_counts(line, factor, shift)
    cells = line.split(sep)
    first = 1 if sep == "\t" else 2  # "|a|b|" splits as "", "a", "b", ""
    return sep.join(cells[:first] + [_vary_counts(c, factor, shift) for c in cells[first:]])


def vary(s: Spec, seed: int) -> str:
    """The text of document ``s``."""
    rng = random.Random(f"{seed}:{s.index}:text")
    paragraphs = s.base.text.split("\n\n")
    pool = _pool()[s.base.source]
    body = []
    for k, p in enumerate(paragraphs):
        roll = rng.random()
        if k >= 4 and _swappable(p) and roll < 0.1:
            continue
        body.append(rng.choice(pool) if k >= 4 and _swappable(p) and roll < 0.35 else p)
    text = "\n\n".join(body)
    limit = rng.randint(*SCAN_PAGES) * CHARS_PER_PAGE if s.fmt == "scan" else MAX_PAGES * CHARS_PER_PAGE
    text = _cut(text, limit)
    text = _rename_province(text, s.province)
    factor, shift = rng.choice((1, 2, 3)), rng.randint(-3, 3)
    text = "\n".join(_vary_line(line, factor, shift) for line in text.split("\n"))
    delta = s.year - s.base.year
    text = _CITATION.sub(lambda m: _vary_citation(m, rng, delta), text)
    spans = _protected(text)
    text = _YEAR.sub(lambda m: str(int(m.group(0)) + delta) if _outside(spans, m.start()) else m.group(0), text)
    text = _QUARTER.sub(lambda m: f"{m.group(1)} {_ROMAN[s.quarter - 1]}", text)
    return _own_number(text, s)


def _rename_province(text: str, province: str) -> str:
    """Every province named in ``text`` becomes ``province`` (in the same case)."""
    names = sorted((p for p in provinces() if p in text or p.upper() in text), key=len, reverse=True)
    for name in names:
        text = text.replace(name, province).replace(name.upper(), province.upper())
    return text


def _own_number(text: str, s: Spec) -> str:
    """The document's number: ``index + 1``, unique in the archive."""
    own, n = _OWN_NUMBER.subn(lambda m: f"{m.group(1)}: {s.index + 1}", text, count=1)
    return own if n else f"Số: {s.index + 1}/BC-UBND\n\n{text}"


def blocks(text: str) -> list[Block]:
    """``text`` as paragraphs and tables (tab-separated or Markdown rows),
    light markup removed, short upper-case paragraphs centred (titles)."""
    out: list[Block] = []
    for chunk in text.split("\n\n"):
        lines, rows = [], []
        for line in chunk.split("\n"):
            line = re.sub(r"\*\*|^#+\s+|^\*|\*$|\^\{([^}]*)\}", lambda m: m.group(1) or "", line.strip())
            if "\t" in line or (line.startswith("|") and line.endswith("|") and len(line) > 1):
                if not re.fullmatch(r"[|\-: ]+", line):
                    rows.append(tuple(c.strip() for c in line.strip("|").split("\t" if "\t" in line else "|")))
                continue
            if rows:
                out.append(Block(rows=tuple(rows)))
                rows = []
            if line:
                lines.append(line)
        if lines:
            para = "\n".join(lines)
            out.append(Block(para, centered=para.isupper() and len(para) < 200))
        if rows:
            out.append(Block(rows=tuple(rows)))
    return out


@lru_cache(maxsize=1)
def _font():
    chars = frozenset("".join(b.text for b in bases()) + "".join(provinces()) + "0123456789")
    return load_font(chars)


def write(s: Spec, out: Path, seed: int) -> Path:
    """Write document ``s`` under ``out``; returns its path."""
    text = vary(s, seed)
    path = out / s.path
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"{s.base.name} {s.province} {s.year}"
    if s.fmt == "text":
        path.write_text(text, encoding="utf-8")
    elif s.fmt == "docx":
        path.write_bytes(docx_bytes(blocks(text), DOCX_TEMPLATE))
    else:
        pdf = pdf_bytes(blocks(text), title, _font())
        path.write_bytes(scan_bytes(pdf, random.Random(f"{seed}:{s.index}:scan")) if s.fmt == "scan" else pdf)
    return path


def _write_range(out: Path, seed: int, start: int, fmts: list[str]) -> list[Path]:
    return [write(spec(start + k, fmt, seed), out, seed) for k, fmt in enumerate(fmts)]


def generate(out: Path, docs: int, *, seed: int = 0, start: int = 0, mix: dict[str, int] | None = None,
             jobs: int = 1) -> list[Path]:
    """Write documents ``start`` … ``start + docs - 1`` of the archive under
    ``out``; returns their paths."""
    fmts = formats(start, docs, mix or DEFAULT_MIX)
    if jobs <= 1:
        return _write_range(out, seed, start, fmts)
    step = 50
    with ProcessPoolExecutor(jobs) as pool:
        parts = [pool.submit(_write_range, out, seed, start + k, fmts[k:k + step]) for k in range(0, docs, step)]
        return [p for part in parts for p in part.result()]


def parse_mix(value: str) -> dict[str, int]:
    """``text=40,pdf=35,docx=20,scan=5`` → {format: weight}."""
    mix = {}
    for part in value.split(","):
        name, _, weight = part.partition("=")
        if name not in DEFAULT_MIX or not weight.isdigit():
            raise argparse.ArgumentTypeError(f"bad mix entry {part!r}: use text=N,pdf=N,docx=N,scan=N")
        mix[name] = int(weight)
    if not any(mix.values()):
        raise argparse.ArgumentTypeError("the mix has no weight")
    return mix


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="index of the first document (to grow an archive)")
    ap.add_argument("--mix", type=parse_mix, default=DEFAULT_MIX, help="default text=40,pdf=35,docx=20,scan=5")
    ap.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")
    a = ap.parse_args()
    t0 = time.perf_counter()
    paths = generate(a.out, a.docs, seed=a.seed, start=a.start, mix=a.mix, jobs=a.jobs or os.cpu_count() or 1)
    seconds = time.perf_counter() - t0
    print(f"{len(paths)} documents in {a.out} in {seconds:.1f} s ({len(paths) / seconds:.1f} files/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
