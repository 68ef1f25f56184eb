"""Exports written from the store, at the end of every run, for what changed.

- ``<table>/report_year=YYYY/part-NNNNNN.parquet`` for every table but
  ``errors``: a Parquet dataset partitioned by the year of the report's
  period (0 when unknown), each year in parts of up to ``PART_DOCS``
  documents.  A run writes the documents it mined into new parts and
  rewrites only the parts whose documents changed (mined again, marked as
  copies, audited again): its work grows with what changed, not with the
  store.  ``errors.parquet``: the failed documents;
- ``indicators.csv`` (text cells that a spreadsheet would run as a formula
  neutralised: :mod:`.csv_safe`), sorted by document, written by DuckDB's
  COPY a slice of documents at a time; a run writes again only the slices
  holding a document it mined and copies the others from the file in place
  (:func:`_slices`);
- ``indicators_wide.csv`` / ``.parquet`` (and the store's table
  ``indicators_wide``): one row per province × reporting agency × period,
  one column per indicator (:func:`~parmine.pipelines.wide.wide_sql`:
  one copy per report, each report's first stated total, the latest issued
  report when several share a row), the historical province and the
  post-2025 unit side by side;
- ``parmine.xlsx`` (with ``--excel``): one sheet per table for analysts;
- ``pred/<doc_id>.pred.json``: each report in the gold format of
  ../shared/spec/gold-format.md, written as its batch is committed and
  again when the end of the run changes its audit.

Every file is written to a temporary name and renamed into place, so a
reader never sees a half-written file (a failed write, e.g. a full disk,
removes its temporary file and leaves the previous export in place; the
parts still to write are written by the next run or ``parmine export``).
File names reach DuckDB as arguments of its Python API, never inside SQL
text.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import re
import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .csv_safe import safe_sql
from .schema import PER_DOCUMENT, TABLES, arrow_table, columns
from .store import Store, fetch_batches
from .wide import wide_sql

PART_DOCS = 1000  # documents per Parquet part
MAX_PARTS = 50  # parts of one year past which its small parts are merged
# the rows DuckDB's Parquet writer holds before it writes them out: a part of
# page texts would otherwise be held whole (a row group is 122,880 rows)
ROW_GROUP_BYTES = "4MB"
# documents per sorted slice of indicators.csv at most: a slice starts with half as many and is
# split when it outgrows this.  A slice's rows carry their sentences: 500 to 1,000 synthetic
# reports' (29,000 rows) ran out of 32 MB, two thirds of DuckDB's limit, where the end of a
# run works; 250 to 500 pass (a cold 50,000-document store's file in 13.4 s, 9.0 at 1,000 and 48 MB)
CSV_DOCS = 500
# characters of page text per row group of the Parquet pages: the texts of a row group are
# held as Python strings, then in Arrow, then encoded (a full export of a 10,000-document
# store, peak RSS at 1,000,000 characters 254-255 MB, at 250,000 247 MB; 1,000 documents 225-229 -> 223-224)
TEXT_SLICE = 250_000
# the share of DuckDB's limit in force the Parquet parts of pages are read at: only a scan and
# a join, no DuckDB writer (at 24 MB a part of documents runs out: DuckDB's scan of that wide
# table alone pins ~22 MB; through pyarrow at 32 MB the other tables' parts peaked no lower)
PAGES_SHARE = 3 / 4
GOLD_AUDIT_KINDS = {"citation_date_conflict", "citation_malformed", "citation_issuer_mismatch",
                    "citation_year_mismatch", "symbol_variant", "arithmetic_mismatch",
                    "date_invalid"}


def _replace(tmp: Path, final: Path) -> None:
    if final.is_dir() and not final.is_symlink():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _atomic(final: Path, write) -> None:
    """``write(tmp)`` then rename ``tmp`` to ``final``; on failure nothing
    is left but the previous ``final``."""
    tmp = final.with_name(f".{final.name}.tmp")
    _remove(tmp)
    try:
        write(tmp)
    except BaseException:
        _remove(tmp)
        raise
    _replace(tmp, final)


def _csv_column(c: str, t: str) -> str:
    """A column as the CSV writes it: text a spreadsheet would run as a
    formula neutralised, a number with nothing after the point as an
    integer (466, not 466.0)."""
    if t == "VARCHAR":
        return f'{safe_sql(c)} AS "{c}"'
    if t == "DOUBLE":
        return (f'CASE WHEN "{c}" = trunc("{c}") THEN CAST(CAST("{c}" AS HUGEINT) AS VARCHAR) '
                f'ELSE CAST("{c}" AS VARCHAR) END AS "{c}"')
    return f'"{c}"'


def _table_sql(table: str, csv: bool = False, where: str = "") -> str:
    """SELECT of a table's columns in order (``csv``: as the CSV writes
    them; ``where``: a condition on its rows)."""
    cols = ", ".join(_csv_column(c, t) if csv else f'"{c}"' for c, t in TABLES[table])
    order = {"documents": "doc_id", "pages": "doc_id, page", "sections": "doc_id, start",
             "audit": "doc_id, kind, id", "errors": "doc_id",
             "cells": "doc_id, table_no, row_no, col_no",  # (an order that leaves no ties)
             "indicators": "doc_id, start, table_no, row_no, col_no, indicator, field, procedure, grp, role, "
                           "area, value"}.get(table, "doc_id, start")
    return f'SELECT {cols} FROM "{table}" {where and "WHERE " + where} ORDER BY {order}'


# -- Parquet parts -------------------------------------------------------------------
# the documents whose rows of one kind changed since the last export (mined:
# every table; documents; audit), and those not yet in a part
_CHANGED = "SELECT doc_id FROM _changed WHERE what = ?"
_TO_PLACE = f"{_CHANGED} UNION SELECT doc_id FROM documents ANTI JOIN _parts USING (doc_id)"
# the documents to place, numbered within their year: a part every PART_DOCS of them, the
# years' parts one after the other from ``$next`` (ordered by year, then doc_id)
_NEW_PARTS = """
WITH todo AS (SELECT coalesce(period_year, 0) AS report_year, doc_id,
                     row_number() OVER (PARTITION BY coalesce(period_year, 0) ORDER BY doc_id) - 1 AS i
              FROM (SELECT period_year, doc_id FROM documents SEMI JOIN _place USING (doc_id)
                    UNION ALL SELECT report_year, doc_id FROM _merged)),
     years AS (SELECT report_year, coalesce(sum((count(*) - 1) // $docs + 1) OVER (
                   ORDER BY report_year ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS first
               FROM todo GROUP BY 1)
SELECT doc_id, report_year, CAST($next + first + i // $docs AS INTEGER) AS part FROM todo JOIN years USING (report_year)
"""


def _assign(store: Store) -> set[int]:
    """Move the documents mined since the last export (and any in no part)
    into new parts of their years (dropping those no longer stored),
    merging a year's small parts when it has more than ``MAX_PARTS``;
    returns the parts whose members changed (the lists of documents stay in
    DuckDB)."""
    store.execute(f"CREATE OR REPLACE TEMP TABLE _place AS {_TO_PLACE}", ["mined"])
    touched = {r[0] for r in store.con.execute(
        "SELECT DISTINCT part FROM _parts SEMI JOIN _place USING (doc_id)").fetchall()}
    store.execute("DELETE FROM _parts WHERE doc_id IN (SELECT doc_id FROM _place)")
    crowded = {r[0] for r in store.con.execute(
        "SELECT part FROM _parts WHERE report_year IN (SELECT report_year FROM _parts GROUP BY 1 "
        "HAVING count(DISTINCT part) > ?) GROUP BY ALL HAVING count(*) < ?", [MAX_PARTS, PART_DOCS // 2]).fetchall()}
    with store.registered("_small", pa.table({"part": pa.array(sorted(crowded), pa.int32())})):
        store.execute("CREATE OR REPLACE TEMP TABLE _merged AS SELECT report_year, doc_id FROM _parts "
                      "SEMI JOIN _small USING (part)")
        store.execute("DELETE FROM _parts WHERE part IN (SELECT part FROM _small)")
    nxt = (store.value("SELECT max(part) FROM _parts") or 0) + 1
    store.execute(f"INSERT INTO _parts {_NEW_PARTS}", {"docs": PART_DOCS, "next": nxt})
    last = store.value("SELECT max(part) FROM _parts") or 0
    store.execute("DROP TABLE _place")
    store.execute("DROP TABLE _merged")
    return touched | crowded | set(range(nxt, last + 1))


def _parts_of(store: Store, what: str) -> set[int]:
    """The parts of the documents whose rows of kind ``what`` changed since the last export."""
    return {r[0] for r in store.con.execute(f"SELECT DISTINCT part FROM _parts WHERE doc_id IN ({_CHANGED})",
                                            [what]).fetchall()}


_MEMBERS = "WHERE doc_id IN (SELECT doc_id FROM _parts WHERE part = ?)"  # a part's rows of a table


def _write_pages(pages: Iterator[dict], first: dict, tmp: Path) -> None:
    """Pages (``first``, then ``pages``: :meth:`Store.iter_pages`) into one
    Parquet file, a row group every ``TEXT_SLICE`` characters of text."""
    rows: list[dict] = []
    size = 0
    with pq.ParquetWriter(str(tmp), arrow_table("pages", []).schema) as writer:
        for row in itertools.chain([first], pages):
            rows.append(row)
            size += len(row["text"])
            if size >= TEXT_SLICE:
                writer.write_table(arrow_table("pages", rows))
                rows, size = [], 0
        if rows:
            writer.write_table(arrow_table("pages", rows))


def _batches(parts: set[int], sizes: dict[int, int]) -> list[list[int]]:
    """``parts`` (their documents counted in ``sizes``) in batches of at
    most ``PART_DOCS`` documents together (a larger part alone)."""
    batches: list[list[int]] = []
    batch: list[int] = []
    docs = 0
    for part in sorted(parts):
        if batch and docs + sizes.get(part, 0) > PART_DOCS:
            batches.append(batch)
            batch, docs = [], 0
        batch.append(part)
        docs += sizes.get(part, 0)
    if batch:
        batches.append(batch)
    return batches


def _write_parts(store: Store, out: Path, table: str, parts: set[int]) -> None:
    """Write ``parts`` of ``table`` into ``out/<table>/report_year=Y/part-P.parquet``
    (a part without rows of the table has no file), one streaming COPY per
    part: DuckDB holds a few thousand rows at a time, whatever the part's
    size (a COPY partitioned over several parts holds them all until it
    ends).  Small parts (the few documents a run adds to each year) are
    read a batch of at most ``PART_DOCS`` documents at a time into a
    temporary table, so that the table is scanned once per batch, not once
    per part (pages: their rows and their texts' pieces, each into a table
    of its own).  The pages of a part with their texts put together
    (:func:`_write_pages`)."""
    folder = out / table
    cols = ", ".join(f'"{c}"' for c in columns(table))
    years, sizes = {}, {}
    for part, year, docs in store.con.execute("SELECT part, any_value(report_year), count(*) FROM _parts "
                                              "GROUP BY 1").fetchall():
        years[part], sizes[part] = year, docs
    for batch in _batches(parts, sizes):
        copied = {}  # temporary table → (table, columns) copied into it
        if len(batch) > 1:
            copied = {"_batch": (table, cols)} if table != "pages" else {  # (the store's pages hold no text)
                "_batch": ("pages", "*"), "_batch_text": ("page_text", "*")}
            with store.registered("_batch_parts", pa.table({"part": pa.array(batch, pa.int32())})):
                for name, (of, what) in copied.items():
                    store.execute(f'CREATE OR REPLACE TEMP TABLE {name} AS SELECT {what} FROM "{of}" '
                                  "WHERE doc_id IN (SELECT doc_id FROM _parts SEMI JOIN _batch_parts USING (part))")
        source, texts = ("_batch", "_batch_text") if copied else (f'"{table}"', "page_text")
        for part in batch:
            final = None
            if part in years:
                final = folder / f"report_year={years[part]}" / f"part-{part:06d}.parquet"
                final.parent.mkdir(parents=True, exist_ok=True)
                if table == "pages":  # the texts put together from the store's pieces as they stream in
                    pages = store.iter_pages(_MEMBERS, [part], pages=source, texts=texts)
                    if (first := next(pages, None)) is not None:
                        _atomic(final, lambda tmp, pages=pages, first=first: _write_pages(pages, first, tmp))
                    else:
                        final = None
                else:
                    rows = store.con.sql(f"SELECT {cols} FROM {source} {_MEMBERS}", params=[part])
                    _atomic(final, lambda tmp, rows=rows: rows.write_parquet(str(tmp),
                                                                             row_group_size_bytes=ROW_GROUP_BYTES))
                    if not pq.read_metadata(final).num_rows:  # no rows of the table (one scan, not a count and a copy)
                        final.unlink()
                        final = None
            for old in folder.glob(f"report_year=*/part-{part:06d}*.parquet"):  # what the part held before
                if old != final:
                    old.unlink()
        for name in copied:
            store.execute(f"DROP TABLE {name}")


def _prune(out: Path, table: str, live: set[tuple[int, int]]) -> None:
    """Remove the files of ``table`` that belong to no ``live`` (year, part):
    emptied parts, parts a failed export had begun, an earlier version's
    files; and empty year folders."""
    for year_dir in (out / table).glob("report_year=*"):
        year = int(year_dir.name.split("=")[1])
        for f in year_dir.glob("*.parquet"):
            m = re.fullmatch(r"part-(\d{6})(?:-\d+)?\.parquet", f.name)
            if not m or (year, int(m.group(1))) not in live:
                f.unlink()
        if not any(year_dir.iterdir()):
            year_dir.rmdir()


def export_parquet(store: Store, out: Path, *, full: bool = False) -> None:
    """The Parquet dataset: the parts that changed since the last export
    (``full``: every part)."""
    with store.transaction():
        moved = _assign(store)
        live = set(store.con.execute("SELECT DISTINCT report_year, part FROM _parts").fetchall())
        every = {p for _, p in live} if full else set()
        for table in PER_DOCUMENT:
            parts = moved | every
            if table in ("documents", "audit"):
                parts |= _parts_of(store, table)
            if parts:
                with store.tighter(PAGES_SHARE) if table == "pages" else store.streaming():
                    _write_parts(store, out, table, parts)
                store.release()  # the blocks this table's scans cached: the next table reads others
            _prune(out, table, live)
        _atomic(out / "errors.parquet", lambda tmp: store.con.sql(_table_sql("errors")).write_parquet(
            str(tmp), row_group_size_bytes=ROW_GROUP_BYTES))
        store.execute("DELETE FROM _changed")
    for table in TABLES:  # the single files of earlier versions: replaced by the dataset folders
        if table != "errors":
            _remove(out / f"{table}.parquet")


# -- CSV and the wide table -------------------------------------------------------------
def _stamp(path: Path) -> str | None:
    """A file's size and modification time (None: no file)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def _between(lo: str, hi: str | None) -> tuple[str, dict]:
    """The condition on ``doc_id`` from ``lo`` up to ``hi`` (None: to the end), and its parameters."""
    if hi is None:
        return "doc_id >= $lo", {"lo": lo}
    return "doc_id >= $lo AND doc_id < $hi", {"lo": lo, "hi": hi}


def _starts(store: Store, lo: str, hi: str | None) -> list[str]:
    """Where slices of ``CSV_DOCS // 2`` documents start after the one at
    ``lo`` (up to ``hi``)."""
    where, params = _between(lo, hi)
    return [r[0] for r in store.con.execute(
        "SELECT doc_id FROM (SELECT doc_id, row_number() OVER (ORDER BY doc_id) - 1 AS i FROM documents "
        f"WHERE {where}) WHERE i > 0 AND i % $docs = 0 ORDER BY 1",
        {**params, "docs": max(1, CSV_DOCS // 2)}).fetchall()]


def _slices(store: Store, kept: list[tuple[str, int, int]]) -> list[tuple[str, tuple[int, int] | None]]:
    """The slices of ``indicators.csv``: (the first doc_id a slice may
    hold, the byte range of the file in place to copy, or None to write the
    slice).  ``kept``: the slices of the file in place, (first doc_id,
    offset, length); none when it cannot be reused.  Their bounds stay, so
    that a run rewrites only the slices holding a document mined since the
    last export (a new report "bc-0123" rewrites the slice from "bc-0100"
    on, not the file); a slice grown past ``CSV_DOCS`` is split and one
    emptied is dropped."""
    if not kept:
        return [(lo, None) for lo in ["", *_starts(store, "", None)]]
    bounds = pa.table({"i": pa.array(range(len(kept)), pa.int32()), "lo": pa.array([k[0] for k in kept], pa.string())})
    with store.registered("_bounds", bounds):
        sizes = dict(store.con.execute("SELECT i, count(*) FROM documents ASOF JOIN _bounds ON doc_id >= lo "
                                       "GROUP BY 1").fetchall())
        changed = {r[0] for r in store.con.execute(
            f"SELECT DISTINCT i FROM ({_CHANGED}) ASOF JOIN _bounds ON doc_id >= lo", ["mined"]).fetchall()}
    plan: list[tuple[str, tuple[int, int] | None]] = []
    his = [k[0] for k in kept[1:]] + [None]
    for i, ((lo, offset, length), hi) in enumerate(zip(kept, his)):
        size = sizes.get(i, 0)
        if size > CSV_DOCS:
            plan.extend((start, None) for start in [lo, *_starts(store, lo, hi)])
        elif size or not plan:  # (the first slice stays, emptied or not: it starts at "")
            plan.append((lo, None if i in changed else (offset, length)))
    return plan


def _copy_range(src, dst, offset: int, length: int) -> None:
    """``length`` bytes of file ``src`` from ``offset`` onto the end of ``dst``."""
    src.seek(offset)
    while length:
        chunk = src.read(min(length, 1 << 20))
        if not chunk:
            raise OSError(f"{src.name} ended {length} bytes short of a slice it held")
        dst.write(chunk)
        length -= len(chunk)


def _csv_in_slices(store: Store, table: str, tmp: Path, header: bytes,
                   plan: list[tuple[str, tuple[int, int] | None]], old: Path) -> list[tuple[str, int, int]]:
    """``table`` as CSV into ``tmp``, in order, a slice of ``plan``
    (:func:`_slices`) at a time: written by DuckDB (which sorts a slice
    within its memory limit, where the sort of a whole large table runs out
    of it) or copied from ``old``.  Returns where each slice went."""
    piece = tmp.with_name(tmp.name + ".slice")
    placed = []
    try:
        with open(tmp, "wb") as f, ExitStack() as files:
            src = files.enter_context(open(old, "rb")) if any(span for _, span in plan) else None
            f.write(header)
            his = [p[0] for p in plan[1:]] + [None]
            for (lo, span), hi in zip(plan, his):
                start = f.tell()
                if span and src:
                    _copy_range(src, f, *span)
                else:
                    where, params = _between(lo, hi)
                    store.con.sql(_table_sql(table, csv=True, where=where), params=params).write_csv(
                        str(piece), header=False)
                    with open(piece, "rb") as p:
                        shutil.copyfileobj(p, f)
                placed.append((lo, start, f.tell() - start))
    finally:
        _remove(piece)
    return placed


def _write_indicators_csv(store: Store, out: Path, *, full: bool = False) -> None:
    """``indicators.csv``, rewriting only the slices that changed since the
    last export; every slice when ``full``, when the columns changed, or
    when the file is not the one the store last wrote (edited in a
    spreadsheet, say).  Where each slice lies in the file is kept in the
    store (``_csv_slices``), with the file's size and time."""
    final = out / "indicators.csv"
    header = (",".join(columns("indicators")) + "\n").encode()  # (no column name DuckDB would quote)
    kept = []
    if not full and (stamp := _stamp(final)) and store.state("indicators.csv") == stamp:
        with open(final, "rb") as f:
            if f.read(len(header)) == header:
                kept = store.con.execute('SELECT lo, "offset", length FROM _csv_slices ORDER BY lo').fetchall()
    placed: list[tuple[str, int, int]] = []
    _atomic(final, lambda tmp: placed.extend(
        _csv_in_slices(store, "indicators", tmp, header, _slices(store, kept), final)))
    with store.transaction():
        store.execute("DELETE FROM _csv_slices")
        store.insert("_csv_slices", pa.table({"lo": pa.array([p[0] for p in placed], pa.string()),
                                              "offset": pa.array([p[1] for p in placed], pa.int64()),
                                              "length": pa.array([p[2] for p in placed], pa.int64())}))
        store.set_state("indicators.csv", _stamp(final))


def export_csv(store: Store, out: Path, *, full: bool = False) -> None:
    """``indicators.csv`` (the slices that changed; ``full``: all), and the
    wide table: in the store (``indicators_wide``) and as CSV and Parquet."""
    _write_indicators_csv(store, out, full=full)
    store.release()
    store.execute(f"CREATE OR REPLACE TABLE indicators_wide AS {wide_sql(store)}")
    cols = ", ".join(_csv_column(c, t) for c, t, *_ in store.con.execute("DESCRIBE indicators_wide").fetchall())
    _atomic(out / "indicators_wide.csv",
            lambda tmp: store.con.sql(f"SELECT {cols} FROM indicators_wide").write_csv(str(tmp), header=True))
    _atomic(out / "indicators_wide.parquet",
            lambda tmp: store.con.sql("SELECT * FROM indicators_wide").write_parquet(
                str(tmp), row_group_size_bytes=ROW_GROUP_BYTES))


EXCEL_MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header


def _write_sheets(wb, name: str, header: list[str], batches, formats: dict) -> None:
    """Rows into one sheet (continued on ``name_2``, ... past Excel's row
    limit): frozen header, filter, column widths from the first rows, dates
    as dates."""
    import datetime as dt

    rows = itertools.chain.from_iterable(batches)
    part = 0
    while True:
        first = list(itertools.islice(rows, 200))
        if part and not first:
            return
        part += 1
        ws = wb.add_worksheet(name if part == 1 else f"{name}_{part}"[:31])
        ws.freeze_panes(1, 0)
        for i, col in enumerate(header):
            width = max([len(col)] + [len(str(r[i])) for r in first if r[i] is not None])
            ws.set_column(i, i, min(60, width + 2))
        ws.write_row(0, 0, header, formats["header"])
        rows = itertools.chain(first, rows)
        n = 0
        for n, r in enumerate(itertools.islice(rows, EXCEL_MAX_ROWS), start=1):
            for i, v in enumerate(r):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(n, i, v[:32767])
                elif isinstance(v, bool):
                    ws.write_boolean(n, i, v)
                elif isinstance(v, (int, float)):
                    if v == v:  # not NaN
                        ws.write_number(n, i, v)
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(n, i, v, formats["datetime"])
                elif isinstance(v, dt.date):
                    ws.write_datetime(n, i, v, formats["date"])
                else:
                    ws.write_string(n, i, str(v))
        ws.autofilter(0, 0, n, len(header) - 1)
        if n < EXCEL_MAX_ROWS:
            return


def export_excel(store: Store, out: Path) -> None:
    """``parmine.xlsx``: one sheet per table for analysts (page texts left
    out: too long for a cell), written by xlsxwriter row by row."""
    import xlsxwriter

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        try:
            formats = {"header": wb.add_format({"bold": True}),
                       "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
                       "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
            for table in TABLES:
                if table != "pages":
                    _write_sheets(wb, table, columns(table),
                                  fetch_batches(store.con.execute(_table_sql(table))), formats)
            cur = store.con.execute(wide_sql(store))
            _write_sheets(wb, "indicators_wide", [d[0] for d in cur.description], fetch_batches(cur), formats)
        finally:
            wb.close()
    _atomic(out / "parmine.xlsx", write)


def _num(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return int(v) if float(v).is_integer() else float(v)


def _iso(v) -> str | None:
    return None if v is None else str(v)[:10]


def pred_document(rows: dict[str, list[dict]]) -> dict:
    """One report in the gold format (gold-format.md), from its rows
    (dicts with the store's columns: documents, sections, citations,
    indicators, audit)."""
    d = rows["documents"][0]
    period = None
    if d["period_kind"]:
        period = {"year": _num(d["period_year"]), "kind": d["period_kind"], "index": _num(d["period_index"])}
        if d["period_kind"] == "range":
            period.update(start=_iso(d["period_start"]), end=_iso(d["period_end"]))
    sections = sorted((s for s in rows["sections"] if s["kind"] == "body" and s["level"] == 1),
                      key=lambda s: s["start"])
    citations = sorted((c for c in rows["citations"] if c["extractor"] == "rules"), key=lambda c: c["start"])
    indicators = sorted(rows["indicators"], key=lambda i: (
        i["start"] if i["start"] is not None else 2147483647, i["table_no"] or 0, i["row_no"] or 0,
        i["col_no"] or 0, i["indicator"]))
    audit = sorted((a for a in rows["audit"] if a["kind"] in GOLD_AUDIT_KINDS),
                   key=lambda a: (a["kind"], a["id"] is None, a["id"] or "", a["start"] or 0, a["explanation"]))
    return {
        "doc_id": d["doc_id"],
        "metadata": {"province": d["province"], "agency": d["agency"], "report_type": d["report_type"],
                     "period": period, "issued_date": d["issued_date"], "doc_number": d["doc_number"],
                     "signer": d["signer"]},
        "sections": [{"number": s["number"], "title": s["title"]} for s in sections],
        "citations": [{"id": c["id"], "type": c["doc_type"], "date": _iso(c["date"])} for c in citations],
        "indicators": [{"indicator": i["indicator"], "value": _num(i["value"]), "field": i["field"],
                        **({"procedure": i["procedure"]} if i["procedure"] else {})} for i in indicators],
        "audit": [{"kind": a["kind"], "id": a["id"], "note": a["explanation"]} for a in audit]}


# the columns of each table a prediction file is made of
PRED_COLUMNS = {
    "documents": ("province", "agency", "report_type", "period_kind", "period_year", "period_index", "period_start",
                  "period_end", "issued_date", "doc_number", "signer"),
    "sections": ("kind", "level", "start", "number", "title"),
    "citations": ("extractor", "start", "id", "doc_type", "date"),
    "indicators": ("start", "table_no", "row_no", "col_no", "indicator", "value", "field", "procedure"),
    "audit": ("kind", "id", "start", "explanation")}
PRED_TABLES = tuple(PRED_COLUMNS)


def write_pred(out: Path, rows: dict[str, list[dict]]) -> None:
    """``out/pred/<doc_id>.pred.json`` for one report's rows."""
    pred = pred_document(rows)
    folder = out / "pred"
    folder.mkdir(exist_ok=True)
    _atomic(folder / f"{pred['doc_id']}.pred.json", lambda tmp: tmp.write_text(
        json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8"))


def remove_pred(out: Path, doc_id: str) -> None:
    """No prediction file for a document that is no longer stored."""
    _remove(out / "pred" / f"{doc_id}.pred.json")


def export_pred(store: Store, out: Path, doc_ids: pa.Table | None = None) -> None:
    """The prediction files of ``doc_ids`` (an :func:`~.store.ids_table`;
    default: every stored report, and none left of reports no longer
    stored); those of ``doc_ids`` no longer stored removed."""
    from .audit_run import stored_rows

    if doc_ids is None:
        doc_ids = store.con.sql("SELECT doc_id FROM documents ORDER BY doc_id").to_arrow_table()
        keep = {f"{d}.pred.json" for d in doc_ids["doc_id"].to_pylist()}
        for f in (out / "pred").glob("*.pred.json") if (out / "pred").is_dir() else ():
            if f.name not in keep:
                f.unlink()
        del keep
    with store.streaming():  # every chunk scans whole tables: their blocks cached within less than the limit
        for chunk in stored_rows(store, doc_ids, PRED_COLUMNS):
            for rows in chunk:
                write_pred(out, rows)
    with store.registered("_wanted", doc_ids):
        for (doc_id,) in store.con.execute("SELECT doc_id FROM _wanted ANTI JOIN documents USING (doc_id)").fetchall():
            remove_pred(out, doc_id)


def export_all(store: Store, out: Path, *, excel: bool = False, full: bool = False) -> None:
    """The exports, for what changed since the last (``full``: all of it,
    prediction files too); the Excel workbook only when asked (it costs more
    than the rest together on a large corpus: ``parmine export OUT --excel``
    writes it later from the store)."""
    if full or store.value("SELECT count(*) FROM _changed") or not (out / "indicators_wide.csv").exists():
        store.roomier(export_csv, store, out, full=full)  # (each file written whole or left as it was)
    if excel:
        export_excel(store, out)
    if full:
        export_pred(store, out)
    store.roomier(export_parquet, store, out, full=full)
