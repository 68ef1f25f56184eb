"""Records → rows of the dataset's tables, one mapping per table.

A :class:`RowMap` says how one record type fills one table of
:mod:`parmine.pipelines.schema`: a column takes the record's field of the
same name, a field of another name (``renames``), a value computed from the
record (``derived``), or a value of the document the caller passes in
(``context``: the provenance columns, the extractor).  Every column is
accounted for exactly once; a test checks each mapping against the schema
and the record's fields, so a misspelt or forgotten column fails there, not
in a run.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable

from ..extract.records import Citation, DateMention, Indicator, Metadata, Period, Quantity, Section
from .schema import EXTRACTOR, PROVENANCE, columns

CONTEXT_PROVENANCE = tuple(name for name, _ in PROVENANCE + EXTRACTOR)


@dataclass(frozen=True)
class RowMap:
    """How records of ``record`` become rows of ``table``."""

    table: str
    record: type
    context: tuple[str, ...] = ()
    renames: dict[str, str] = field(default_factory=dict)
    derived: dict[str, Callable[[Any], Any]] = field(default_factory=dict)

    def sources(self) -> dict[str, str]:
        """Column → where its value comes from ("context", "derived",
        "field:<name>"); raises ``ValueError`` when a column has none or two,
        or a source names no field of the record."""
        names = {f.name for f in fields(self.record)}
        out: dict[str, str] = {}
        for col in columns(self.table):
            found = [kind for kind, hit in (("context", col in self.context), ("derived", col in self.derived),
                                            ("renamed", col in self.renames)) if hit]
            if len(found) > 1:
                raise ValueError(f"{self.table}.{col}: given by {' and '.join(found)}")
            if found == ["renamed"]:
                out[col] = f"field:{self.renames[col]}"
            elif found:
                out[col] = found[0]
            elif col in names:
                out[col] = f"field:{col}"
            else:
                raise ValueError(f"{self.table}.{col}: no field of {self.record.__name__} and no source")
            if out[col].startswith("field:") and out[col][6:] not in names:
                raise ValueError(f"{self.table}.{col}: {self.record.__name__} has no field {out[col][6:]}")
        extra = (set(self.context) | set(self.derived) | set(self.renames)) - set(columns(self.table))
        if extra:
            raise ValueError(f"{self.table}: sources for unknown columns {sorted(extra)}")
        return out

    def row(self, record, **context) -> dict:
        """One row: the record's values and the ``context`` values."""
        if context.keys() != set(self.context):
            raise ValueError(f"{self.table}: context {sorted(context)} is not {sorted(self.context)}")
        out = {}
        for col in columns(self.table):
            if col in self.context:
                out[col] = context[col]
            elif col in self.derived:
                out[col] = self.derived[col](record)
            else:
                out[col] = getattr(record, self.renames.get(col, col))
        return out


def numbered(index: int | None) -> int | None:
    """A table, row or column index of a record (from 0) as the dataset, the
    audit and the report number it: from 1 (row 1 is the table's first row,
    header included)."""
    return None if index is None else index + 1


def _period_bounds(p: Period) -> tuple[str | None, str | None]:
    return (p.start_date or (str(p.year) if p.year else None),
            p.end_date or (str(p.end_year) if p.end_year else None))


# the registry entry a citation stands for: column → field of the entry, set
# by the report's audit (audit_run.py)
REGISTRY_COLUMNS = {"registry_id": "id", "registry_type": "type", "registry_date": "date",
                    "registry_issuer": "issuer", "registry_title": "title", "registry_url": "url"}

CITATIONS = RowMap("citations", Citation, CONTEXT_PROVENANCE,  # set by the report's audit (audit_run.py)
                   derived={col: lambda c: None for col in (*REGISTRY_COLUMNS, "cited_key")})
DATES = RowMap("dates", DateMention, CONTEXT_PROVENANCE,
               derived={"kind": lambda d: "date", "end_value": lambda d: None})
PERIODS = RowMap("dates", Period, CONTEXT_PROVENANCE,
                 derived={"value": lambda p: _period_bounds(p)[0], "end_value": lambda p: _period_bounds(p)[1],
                          "precision": lambda p: None, "valid": lambda p: True, "role": lambda p: "period"})
QUANTITIES = RowMap("quantities", Quantity, CONTEXT_PROVENANCE)
INDICATORS = RowMap(
    "indicators", Indicator,
    tuple(c for c in CONTEXT_PROVENANCE if c != "extractor")
    + ("province", "unit_2025", "year", "period_kind", "period_index", "area"),
    renames={"grp": "group"},
    derived={"extractor": lambda i: "rules" if i.source == "rule" else i.source,
             "table_no": lambda i: numbered(i.table), "row_no": lambda i: numbered(i.row),
             "col_no": lambda i: numbered(i.col)})
SECTIONS = RowMap("sections", Section, ("doc_id", "page", "area"))
DOCUMENTS = RowMap(
    "documents", Metadata,
    ("doc_id", "path", "sha256", "format", "n_pages", "ocr_pages", "province_code", "warnings",
     "fingerprint", "pipeline_version", "processed_at"),
    derived={"report_key": lambda m: None, "duplicate_of": lambda m: None,  # set across the store (copies.py)
             "period_kind": lambda m: m.period.kind if m.period else None,
             "period_year": lambda m: m.period.year if m.period else None,
             "period_index": lambda m: m.period.index if m.period else None,
             "period_start": lambda m: m.period.start_date if m.period else None,
             "period_end": lambda m: m.period.end_date if m.period else None,
             "recipients": lambda m: "; ".join(m.recipients) or None})

MAPS = (CITATIONS, DATES, PERIODS, QUANTITIES, INDICATORS, SECTIONS, DOCUMENTS)
