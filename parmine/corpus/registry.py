"""Reference data for the audit: known issuer symbols, and registries of
documents to check citations against.

A registry lists documents — id (number and symbol), type, date, issuer,
title, status, link.  parmine ships two, used unless a run says
``--registry none`` (``data/README.md`` and ``data/registry_central.md``
describe them):

- ``registry_central.csv`` — 6,751 central legal normative documents from
  the Ministry of Justice's codification (Bộ pháp điển);
- ``registry_reform.csv`` — central documents that reform reports cite
  and the codification leaves out (programme resolutions of the
  Government, individual decisions of the Prime Minister).

``--registry FILE.csv`` adds one (e.g. a province's documents).

**File format.**  CSV, UTF-8, a header row.  Columns are found by name,
any of :data:`COLUMN_NAMES` (case, tone marks, spaces and "_" do not
matter: ``id`` or ``Số ký hiệu``, ``date`` or ``Ngày ban hành`` …).  A
file with other names maps them with a header spec after its path,
``FILE.csv:id=Số văn bản,date=Ngày ký`` (field=column, comma-separated;
the fields are those of :data:`COLUMN_NAMES`).  ``id`` and ``date`` are
required, the other fields may be absent or blank; a date is ISO
(``2018-04-23``) or day/month/year (``23/4/2018``).  A malformed file is
refused with :class:`RegistryError`, which names the file, the line and the
reason — the first problem found.

**Scope.**  An entry whose issuer names a province ("UBND tỉnh Bình
Dương") belongs to that province: local numbers repeat from province to
province (and from year to year), so it only ever answers citations of
that province.  An entry without one is national.

:class:`Registry` is the index a run builds once: entries by id
(:func:`~parmine.text.normalize.id_key`), by skeleton (the id without its
separators, "D" for "Đ") to recognise misspelt ids, and the coverage — the
kinds of documents, issuers and years of which the registry holds most
numbers, the only ones for which "not in the registry" may be said.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import regex

from ..text.normalize import fold, id_key, id_skeleton
from .gazetteer import Gazetteer

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = (DATA / "registry_central.csv", DATA / "registry_reform.csv")

# field → the column names it goes by (compared after fold, "_" as a space)
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "số ký hiệu", "số hiệu", "ký hiệu", "số văn bản", "number"),
    "type": ("type", "loại văn bản", "loại", "kind"),
    "date": ("date", "ngày ban hành", "ngày ký", "issued", "issued date"),
    "issuer": ("issuer", "cơ quan ban hành", "nơi ban hành"),
    "title": ("title", "trích yếu", "tên văn bản", "subject"),
    "status": ("status", "tình trạng", "tình trạng hiệu lực", "hiệu lực"),
    "url": ("source_url", "url", "link", "đường dẫn"),
}
REQUIRED = ("id", "date")
# a year of a kind of document and issuer (and province) is covered when the
# registry holds at least COVERAGE_MIN of its numbers and at least
# COVERAGE_SHARE of the numbers up to the highest it holds (numbers run
# from 1 every year)
COVERAGE_MIN = 5
COVERAGE_SHARE = 0.5

_PARTS = regex.compile(r"^(?P<number>[^/]+)/(?:(?P<year>(?:19|20)\d\d)/)?(?P<symbol>.+)$")
_DMY = regex.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DIGIT = regex.compile(r"\d")
_SERIAL = regex.compile(r"\d+")
_LOCAL_WORD = regex.compile(r"(?i)tỉnh|thành\s+phố|tp\.")
_LOCAL_UNIT = regex.compile(r"(?i)(?:tỉnh|thành\s+phố|tp\.?)\s*$")  # the words before a province's name
_FAMILY = {"bộ luật": "luật", "thông tư liên tịch": "thông tư", "thông tư liên bộ": "thông tư",
           "nghị quyết liên tịch": "nghị quyết", "quy định": "quyết định", "quy chế": "quyết định",
           "sắc lệnh": "lệnh"}


class RegistryError(ValueError):
    """A registry file that cannot be used: ``FILE: line N: reason``."""


@dataclass(frozen=True)
class RegistryEntry:
    """One document of a registry."""

    id: str
    type: str | None = None
    date: str | None = None      # ISO
    issuer: str | None = None
    title: str | None = None
    status: str | None = None
    url: str | None = None
    province: str | None = None  # the province a local document belongs to; None: national
    source: str = ""             # the registry file's name


def number_year(cid: str) -> int | None:
    """The year written in a number ("61/2018/NĐ-CP" → 2018), or None."""
    return _year_and_shape(id_key(cid))[0]


def symbol_shape(cid: str) -> str | None:
    """The symbol of a number as a kind of document and issuer: its
    skeleton without digits ("61/2018/NĐ-CP" → "ndcp", "77/2015/QH13" →
    "qh"), None for a number without a symbol."""
    return _year_and_shape(id_key(cid))[1]


def _year_and_shape(key: str) -> tuple[int | None, str | None]:
    m = _PARTS.match(key)
    if m is None:
        return None, None
    return (int(m.group("year")) if m.group("year") else None,
            _DIGIT.sub("", id_skeleton(m.group("symbol"))) or None)


def type_family(kind: str | None) -> str | None:
    """A document type with its variants folded in ("Thông tư liên tịch" →
    "thông tư", "Bộ luật" → "luật", "Quy định" → "quyết định": a rule issued
    by a decision)."""
    if not kind:
        return None
    k = fold(kind)
    return _FAMILY.get(k, k)


def _same_document(a: RegistryEntry, b: RegistryEntry) -> bool:
    """Two rows with one id that describe one document (fields one of them
    leaves blank do not count against it): of one scope and type, and —
    for a number without its year, given anew every year — of one date."""
    if a.province != b.province:
        return False
    if a.type and b.type and type_family(a.type) != type_family(b.type):
        return False
    return not (a.date and b.date and a.date != b.date and number_year(a.id) is None)


def _merged(a: RegistryEntry, b: RegistryEntry) -> RegistryEntry:
    """``a`` with its blanks filled from ``b``."""
    return replace(a, **{f.name: getattr(b, f.name) for f in fields(a)
                         if not getattr(a, f.name) and getattr(b, f.name)})


class Registry:
    """The entries of one or several registry files, indexed (built once
    per run).  Earlier entries take precedence: a row that repeats one
    already known (:func:`_same_document`) only fills its blanks."""

    def __init__(self, entries: Iterable[RegistryEntry], sources: Sequence[str] = ()):
        self.sources = tuple(sources)
        self.by_id: dict[str, list[RegistryEntry]] = defaultdict(list)
        for e in entries:
            same = self.by_id[id_key(e.id)]
            for i, known in enumerate(same):
                if _same_document(known, e):
                    same[i] = _merged(known, e)
                    break
            else:
                same.append(e)
        # the provinces of its local documents (none: a national registry)
        self.provinces = frozenset(e.province for same in self.by_id.values() for e in same) - {None}
        self.by_skeleton: dict[str, list[str]] = defaultdict(list)
        for key in self.by_id:
            self.by_skeleton[id_skeleton(key)].append(key)
        numbers: dict[tuple, set[int]] = defaultdict(set)
        for key, same in self.by_id.items():
            year, shape = _year_and_shape(key)
            serial = _SERIAL.match(key)
            if year and shape and serial:
                for e in same:
                    numbers[(shape, e.province, year)].add(int(serial.group()))
        self.coverage = {k: (len(v), max(v)) for k, v in numbers.items()
                         if len(v) >= COVERAGE_MIN and len(v) >= COVERAGE_SHARE * max(v)}

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_id.values())

    def entries(self, cid: str) -> list[RegistryEntry]:
        """The entries whose id is ``cid`` (compared by ``id_key``)."""
        return self.by_id.get(id_key(cid), [])

    def near(self, cid: str) -> list[RegistryEntry]:
        """The entries whose id differs from ``cid`` only by separators or
        "D" for "Đ" (not those equal to it)."""
        own = id_key(cid)
        return [e for key in self.by_skeleton.get(id_skeleton(cid), ()) if key != own
                for e in self.by_id[key]]

    def covers(self, cid: str, province: str | None) -> tuple[int, int] | None:
        """(numbers held, highest number held) of this number's kind,
        issuer and year (national, or ``province``'s) when the registry
        covers them (:data:`COVERAGE_SHARE`), else None.  Only a number
        with its year (the form of legal normative documents, which
        registries list) can be covered."""
        year, shape = _year_and_shape(id_key(cid))
        if not year or not shape:
            return None
        return self.coverage.get((shape, None, year)) or self.coverage.get((shape, province, year))


# -- reading files --------------------------------------------------------------------
def _column_key(name: str) -> str:
    return fold(name.replace("_", " ").strip().lstrip("\ufeff"))


_ALIASES = {name: tuple(map(_column_key, names)) for name, names in COLUMN_NAMES.items()}


def parse_spec(spec: str) -> tuple[Path, dict[str, str]]:
    """``FILE.csv[:field=column,...]`` → (path, {field: column})."""
    path, _, mapping = spec.rpartition(":") if "=" in spec.rpartition(":")[2] else (spec, "", "")
    columns = {}
    for item in filter(None, (i.strip() for i in mapping.split(","))):
        name, eq, column = item.partition("=")
        name = name.strip()
        if not eq or name not in COLUMN_NAMES or not column.strip():
            raise RegistryError(f"{path}: header spec {item!r}: expected field=column with a field among "
                                f"{', '.join(COLUMN_NAMES)}")
        columns[name] = column.strip()
    return Path(path), columns


def _columns(path: Path, header: list[str], spec: dict[str, str]) -> dict[str, int]:
    """field → column index, by the spec, else by the known names."""
    keys = [_column_key(h) for h in header]
    out = {}
    for name in COLUMN_NAMES:
        if name in spec:
            if _column_key(spec[name]) not in keys:
                raise RegistryError(f"{path}: line 1: no column {spec[name]!r} (for {name}) in the header "
                                    f"({', '.join(header)})")
            out[name] = keys.index(_column_key(spec[name]))
            continue
        for alias in _ALIASES[name]:
            if alias in keys:
                out[name] = keys.index(alias)
                break
    missing = [n for n in REQUIRED if n not in out]
    if missing:
        raise RegistryError(f"{path}: line 1: no {' and no '.join(missing)} column in the header "
                            f"({', '.join(header)}); name one with {path}:{missing[0]}=COLUMN")
    return out


def _iso(value: str) -> str | None:
    """An ISO or day/month/year date as ISO; None when it is not a date."""
    m = _DMY.match(value)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else None
    except ValueError:
        return None


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise RegistryError(f"{path}: line {line}: not UTF-8 text (byte {data[exc.start]:#04x})") from None


def read_registry(spec: str | Path) -> list[RegistryEntry]:
    """The entries of one registry file (``FILE.csv[:field=column,...]``);
    raises :class:`RegistryError` on the first malformed line."""
    path, columns = parse_spec(str(spec))
    reader = csv.reader(io.StringIO(_text(path), newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise RegistryError(f"{path}: line 1: no header row")
        col = _columns(path, header, columns)
        rows, line = [], reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise RegistryError(f"{path}: line {start}: {len(values)} fields where the header has "
                                    f"{len(header)}")
            row = {name: values[i].strip() or None for name, i in col.items()}
            if not row["id"] or not _DIGIT.search(row["id"]):
                raise RegistryError(f"{path}: line {start}: " + (
                    f"id {row['id']!r} has no number" if row["id"] else "no id"))
            if row["date"]:
                iso = _iso(row["date"])
                if iso is None:
                    raise RegistryError(f"{path}: line {start}: date {row['date']!r} is not a date "
                                        "(YYYY-MM-DD or D/M/YYYY)")
                row["date"] = iso
            rows.append(row)
    except csv.Error as exc:
        raise RegistryError(f"{path}: line {reader.line_num}: {exc}") from None
    return _with_provinces(rows, path.name)


def named_province(issuer: str | None) -> str | None:
    """The province an issuer names as a local body's ("UBND tỉnh Bình
    Dương", "HĐND thành phố Hà Nội"; not "Đoàn thanh niên cộng sản Hồ Chí
    Minh"), or None."""
    if not issuer or not _LOCAL_WORD.search(issuer):
        return None
    for start, _, province in Gazetteer.default().mentions(issuer):
        if _LOCAL_UNIT.search(issuer[max(0, start - 12):start]):
            return province.name
    return None


def _with_provinces(rows: list[dict], source: str) -> list[RegistryEntry]:
    """Entries, each with the province its issuer names (:func:`named_province`);
    a row without an issuer takes the province of most of the file's rows
    (a province's registry), else it is national."""
    named = {issuer: named_province(issuer) for issuer in {r["issuer"] for r in rows if r.get("issuer")}}
    provinces = [named[r["issuer"]] for r in rows if r.get("issuer")]
    top = max(set(provinces), key=provinces.count) if provinces else None
    default = top if top and provinces.count(top) * 2 > len(rows) else None
    return [RegistryEntry(id=r["id"], type=r.get("type"), date=r["date"], issuer=r.get("issuer"),
                          title=r.get("title"), status=r.get("status"), url=r.get("url"),
                          province=named[r["issuer"]] if r.get("issuer") else default, source=source)
            for r in rows]


@lru_cache(maxsize=8)
def load_registry(specs: tuple[str, ...] = ()) -> Registry:
    """The registry of the files ``specs`` (each ``FILE.csv[:field=column,...]``),
    the first taking precedence; ``"builtin"`` stands for the registries
    parmine ships.  Built once per process for the same specs."""
    entries, sources = [], []
    for spec in specs:
        for one in (SHIPPED if spec == "builtin" else (spec,)):
            entries.extend(read_registry(one))
            sources.append(Path(str(one)).name if spec == "builtin" else str(one))
    return Registry(entries, sources)


@lru_cache(maxsize=1)
def known_symbols() -> frozenset[str]:
    """Issuer symbols of Vietnamese bodies (data/known_symbols.txt)."""
    lines = (DATA / "known_symbols.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(l.split("#")[0].strip() for l in lines if l.split("#")[0].strip())
