"""The dataset's tables and their columns, in one place.

The store creates its tables from here, the exports write these columns in
this order, and the dataset documentation (docs/dataset.md) is checked
against it by a test.  Types are DuckDB types.
"""
from __future__ import annotations

import datetime as dt

import pyarrow as pa

# Columns every extracted row carries to say where it came from.
PROVENANCE = [
    ("doc_id", "VARCHAR"),
    ("page", "INTEGER"),
    ("section", "VARCHAR"),
    ("start", "INTEGER"),
    ("end", "INTEGER"),
    ("sentence", "VARCHAR"),
]
EXTRACTOR = [("extractor", "VARCHAR"), ("version", "VARCHAR")]

TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "VARCHAR"), ("path", "VARCHAR"), ("sha256", "VARCHAR"),
        ("format", "VARCHAR"), ("n_pages", "INTEGER"), ("ocr_pages", "VARCHAR"),
        ("doc_kind", "VARCHAR"),
        ("province", "VARCHAR"), ("province_code", "VARCHAR"), ("unit_2025", "VARCHAR"),
        ("agency", "VARCHAR"), ("issuer", "VARCHAR"), ("parent_body", "VARCHAR"),
        ("report_type", "VARCHAR"),
        ("period_kind", "VARCHAR"), ("period_year", "INTEGER"), ("period_index", "INTEGER"),
        ("period_start", "DATE"), ("period_end", "DATE"),
        ("issued_date", "VARCHAR"), ("place", "VARCHAR"), ("doc_number", "VARCHAR"),
        ("signer", "VARCHAR"), ("signer_title", "VARCHAR"),
        ("recipients", "VARCHAR"), ("title", "VARCHAR"), ("warnings", "VARCHAR"),
        ("fingerprint", "VARCHAR"), ("report_key", "VARCHAR"), ("duplicate_of", "VARCHAR"),
        ("pipeline_version", "VARCHAR"), ("processed_at", "TIMESTAMP"),
    ],
    "pages": [
        ("doc_id", "VARCHAR"), ("page", "INTEGER"), ("source", "VARCHAR"),
        ("chars", "INTEGER"), ("text", "VARCHAR"),
    ],
    "cells": [
        ("doc_id", "VARCHAR"), ("page", "INTEGER"), ("table_no", "INTEGER"), ("title", "VARCHAR"),
        ("start", "INTEGER"), ("row_no", "INTEGER"), ("col_no", "INTEGER"), ("text", "VARCHAR"),
    ],
    "sections": [
        ("doc_id", "VARCHAR"), ("kind", "VARCHAR"), ("number", "VARCHAR"),
        ("title", "VARCHAR"), ("level", "INTEGER"), ("path", "VARCHAR"),
        ("page", "INTEGER"), ("start", "INTEGER"), ("end", "INTEGER"), ("area", "VARCHAR"),
    ],
    "citations": PROVENANCE + [
        ("id", "VARCHAR"), ("doc_type", "VARCHAR"), ("number", "VARCHAR"),
        ("year", "INTEGER"), ("symbol", "VARCHAR"), ("issuer_symbol", "VARCHAR"),
        ("date", "DATE"), ("date_text", "VARCHAR"), ("issuer", "VARCHAR"),
        ("subject", "VARCHAR"), ("parenthetical", "BOOLEAN"), ("resolved_id", "VARCHAR"),
        ("cited_key", "VARCHAR"),
        ("registry_id", "VARCHAR"), ("registry_type", "VARCHAR"), ("registry_date", "DATE"),
        ("registry_issuer", "VARCHAR"), ("registry_title", "VARCHAR"), ("registry_url", "VARCHAR"),
    ] + EXTRACTOR,
    "dates": PROVENANCE + [
        ("text", "VARCHAR"), ("kind", "VARCHAR"), ("value", "VARCHAR"),
        ("end_value", "VARCHAR"), ("precision", "VARCHAR"), ("valid", "BOOLEAN"),
        ("role", "VARCHAR"),
    ] + EXTRACTOR,
    "quantities": PROVENANCE + [
        ("text", "VARCHAR"), ("value", "DOUBLE"), ("kind", "VARCHAR"),
        ("denominator", "DOUBLE"), ("noun", "VARCHAR"), ("approximate", "BOOLEAN"),
    ] + EXTRACTOR,
    "indicators": PROVENANCE + [
        ("province", "VARCHAR"), ("unit_2025", "VARCHAR"), ("year", "INTEGER"),
        ("period_kind", "VARCHAR"), ("period_index", "INTEGER"),
        ("indicator", "VARCHAR"), ("value", "DOUBLE"), ("field", "VARCHAR"),
        ("procedure", "VARCHAR"), ("table_no", "INTEGER"), ("row_no", "INTEGER"),
        ("col_no", "INTEGER"), ("grp", "VARCHAR"), ("role", "VARCHAR"), ("area", "VARCHAR"),
        ("approximate", "BOOLEAN"),
    ] + EXTRACTOR,
    "audit": [
        ("kind", "VARCHAR"), ("severity", "VARCHAR"), ("id", "VARCHAR"),
        ("doc_id", "VARCHAR"), ("page", "INTEGER"), ("section", "VARCHAR"),
        ("start", "INTEGER"), ("end", "INTEGER"), ("sentence", "VARCHAR"),
        ("explanation", "VARCHAR"), ("expected", "VARCHAR"),
        ("table_no", "INTEGER"), ("col_no", "INTEGER"), ("scope", "VARCHAR"),
    ],
    "errors": [
        ("doc_id", "VARCHAR"), ("path", "VARCHAR"), ("sha256", "VARCHAR"),
        ("stage", "VARCHAR"), ("reason", "VARCHAR"), ("at", "TIMESTAMP"),
    ],
}

# Tables holding one document's rows (replaced whole when it is reprocessed;
# a document's audit rows are its own findings and those across reports that
# fall on it).
PER_DOCUMENT = ("documents", "pages", "cells", "sections", "citations", "dates",
                "quantities", "indicators", "audit")

# The store keeps a page's text apart from the page, in pieces of at most
# PAGE_PIECE characters (``page_text``; the Parquet ``pages`` and every reader
# get it whole: :meth:`~parmine.pipelines.store.Store.iter_pages`): DuckDB reads a
# string longer than a few KiB from blocks it holds for the whole scan, so
# scanning whole page texts (a text file's one page is the whole report) took
# memory growing with their length, well past the store's limit.
PAGE_PIECE = 1000  # at most 3,000 bytes of UTF-8: stored within DuckDB's string blocks
STORED: dict[str, list[tuple[str, str]]] = {
    **TABLES, "pages": [(c, t) for c, t in TABLES["pages"] if c != "text"],
    "page_text": [("doc_id", "VARCHAR"), ("page", "INTEGER"), ("piece", "INTEGER"), ("text", "VARCHAR")]}

# The store's bookkeeping, not exported: what changed since the last end of
# run (``what``: mined, documents, audit), what a reprocessed document's old
# version held (the copies and cross-report checks look at what it touched),
# the symbol counts and frequent-symbol targets of the last audit, the date
# each cited document was held to by the last audit across reports, the Parquet
# part each document is exported in, the slices of indicators.csv and where
# they lie in it, the hashes copies are looked for by (copies.py), the size
# and modification time each input had when it was mined or last hashed, and named
# values (the registry's digest, the stamp of the indicators.csv written).
COPY_COLUMNS = ("doc_id", "format", "ocr_pages", "fingerprint", "issuer", "province", "agency",
                "report_type", "period_kind", "period_year", "period_index", "doc_number", "issued_date")
INTERNAL: dict[str, list[tuple[str, str]]] = {
    "_changed": [("doc_id", "VARCHAR"), ("what", "VARCHAR")],
    "_stale_documents": [(c, t) for c, t in TABLES["documents"] if c in COPY_COLUMNS],
    "_stale_keys": [("cited_key", "VARCHAR")],
    "_symbols": [("symbol", "VARCHAR"), ("n", "INTEGER"), ("target", "VARCHAR")],
    "_held": [("cited_key", "VARCHAR"), ("held", "VARCHAR"), ("source", "VARCHAR")],
    "_parts": [("doc_id", "VARCHAR"), ("report_year", "INTEGER"), ("part", "INTEGER")],
    "_hash_counts": [("h", "UBIGINT"), ("cnt", "INTEGER")],
    "_prefixes": [("doc_id", "VARCHAR"), ("h", "UBIGINT")],
    "_csv_slices": [("lo", "VARCHAR"), ("offset", "BIGINT"), ("length", "BIGINT")],
    "_hashed": [("doc_id", "VARCHAR"), ("sha256", "VARCHAR"), ("size", "BIGINT"), ("mtime_ns", "BIGINT")],
    "_state": [("name", "VARCHAR"), ("value", "VARCHAR")],
}


def columns(table: str) -> list[str]:
    """Column names of ``table`` in order."""
    return [name for name, _ in TABLES[table]]


def blank_row(table: str, **values) -> dict:
    """A row of ``table`` with every column None but those given (an
    unknown column raises ``KeyError``)."""
    unknown = set(values) - set(columns(table))
    if unknown:
        raise KeyError(f"{table} has no columns {sorted(unknown)}")
    return {name: values.get(name) for name in columns(table)}


_ARROW = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(),
          "BOOLEAN": pa.bool_(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us")}


def _date(v):
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def arrow_table(table: str, rows: list[dict]) -> pa.Table:
    """``rows`` (dicts with exactly the table's columns) as an Arrow table
    with the table's columns and types — built where the rows are made (the
    worker), so a value of the wrong type fails its own document, not a
    batch.  A row with an unknown or a missing column raises ``KeyError``
    (a misspelt key never silently empties a column)."""
    names = columns(table)
    expected = set(names)
    for r in rows:
        if r.keys() != expected:
            unknown, missing = sorted(r.keys() - expected), sorted(expected - r.keys())
            raise KeyError(f"{table} row: unknown columns {unknown}, missing {missing}")
    arrays = []
    for name, typ in TABLES[table]:
        values = [r[name] for r in rows]
        if typ == "DATE":
            values = [_date(v) for v in values]
        arrays.append(pa.array(values, type=_ARROW[typ]))
    return pa.Table.from_arrays(arrays, names=columns(table))
