"""Exports written from the store at the end of every run.

- ``<table>.parquet`` for every table (``citations``, ``dates``,
  ``quantities`` and ``indicators`` also as
  ``<table>/report_year=YYYY/*.parquet``, partitioned by the year of the
  report's period, 0 when unknown);
- ``indicators.csv`` (text cells that a spreadsheet would run as a formula
  neutralised: :mod:`.csv_safe`);
- ``indicators_wide.csv`` / ``.parquet`` (and the store's table
  ``indicators_wide``): one row per province × reporting agency × period,
  one column per indicator, built by
  :func:`~parmine.pipelines.aggregate.wide_table` (one copy per report,
  each report's first stated total, the latest issued report when several
  share a row), the historical province and the post-2025 unit side by
  side;
- ``parmine.xlsx`` (with ``--excel``): one sheet per table for analysts;
- ``pred/<doc_id>.pred.json``: each report in the gold format of
  ../shared/spec/gold-format.md.

Every file is written to a temporary name and renamed into place, so a
reader never sees a half-written export (a failed write, e.g. a full disk,
removes its temporary file and leaves the previous export in place).  File
names reach DuckDB as arguments of its Python API, never inside SQL text.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import shutil
from pathlib import Path

import pandas as pd

from .aggregate import wide_table
from .csv_safe import safe_cell, safe_sql
from .schema import TABLES, columns
from .store import Store, fetch_batches

PARTITIONED = ("citations", "dates", "quantities", "indicators")
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


def _table_sql(table: str, csv: bool = False) -> str:
    """SELECT of a table's columns in order (``csv``: as the CSV writes them)."""
    cols = ", ".join(_csv_column(c, t) if csv else f'"{c}"' for c, t in TABLES[table])
    order = {"documents": "doc_id", "pages": "doc_id, page", "sections": "doc_id, start",
             "audit": "doc_id, kind, id", "errors": "doc_id",
             "cells": "doc_id, table_no, row_no, col_no"}.get(table, "doc_id, start")
    return f'SELECT {cols} FROM "{table}" ORDER BY {order}'


def _partitioned(store: Store, sql: str):
    def write(tmp: Path) -> None:
        store.con.sql(sql).write_parquet(str(tmp), partition_by=["report_year"])
        tmp.mkdir(exist_ok=True)  # an empty table writes no partition
    return write


def export_parquet(store: Store, out: Path) -> None:
    for table in TABLES:
        _atomic(out / f"{table}.parquet",
                lambda tmp, table=table: store.con.sql(_table_sql(table)).write_parquet(str(tmp)))
    for table in PARTITIONED:
        sql = (f'SELECT t.*, coalesce(d.period_year, 0) AS report_year FROM "{table}" t '
               f'LEFT JOIN documents d ON d.doc_id = t.doc_id')
        _atomic(out / table, _partitioned(store, sql))


def _csv_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with whole numbers as integers (object columns), for CSV."""
    return pd.DataFrame({c: pd.Series([_num(v) if isinstance(v, float) else v for v in frame[c]],
                                      index=frame.index, dtype=object) for c in frame.columns})


def export_csv(store: Store, out: Path) -> None:
    _atomic(out / "indicators.csv",
            lambda tmp: store.con.sql(_table_sql("indicators", csv=True)).write_csv(str(tmp), header=True))
    wide = wide_table(store)
    store.replace_frame("indicators_wide", wide)
    safe = _csv_cells(wide.map(safe_cell)).rename(columns=safe_cell)
    _atomic(out / "indicators_wide.csv", lambda tmp: safe.to_csv(tmp, index=False))
    _atomic(out / "indicators_wide.parquet", lambda tmp: wide.to_parquet(tmp, index=False))


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
            wide = wide_table(store).astype(object)
            wide = wide.where(wide.notna(), None)
            _write_sheets(wb, "indicators_wide", list(wide.columns),
                          [wide.itertuples(index=False, name=None)], formats)
        finally:
            wb.close()
    _atomic(out / "parmine.xlsx", write)


def _num(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return int(v) if float(v).is_integer() else float(v)


def _none(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT else v


def pred_documents(store: Store) -> dict[str, dict]:
    """Every stored report in the gold format (gold-format.md)."""
    docs = store.frame("SELECT * FROM documents ORDER BY doc_id")
    preds: dict[str, dict] = {}
    for d in docs.to_dict("records"):
        period = None
        if _none(d["period_kind"]):
            period = {"year": _num(d["period_year"]), "kind": d["period_kind"],
                      "index": _num(d["period_index"])}
            if d["period_kind"] == "range":
                period.update(start=str(d["period_start"])[:10] if _none(d["period_start"]) else None,
                              end=str(d["period_end"])[:10] if _none(d["period_end"]) else None)
        preds[d["doc_id"]] = {
            "doc_id": d["doc_id"],
            "metadata": {"province": _none(d["province"]), "agency": _none(d["agency"]),
                         "report_type": _none(d["report_type"]), "period": period,
                         "issued_date": _none(d["issued_date"]),
                         "doc_number": _none(d["doc_number"]), "signer": _none(d["signer"])},
            "sections": [], "citations": [], "indicators": [], "audit": []}
    for doc_id, number, title in store.query(
            "SELECT doc_id, number, title FROM sections WHERE kind = 'body' AND level = 1 "
            "ORDER BY doc_id, start")[1]:
        preds[doc_id]["sections"].append({"number": number, "title": title})
    for doc_id, cid, typ, date in store.query(
            "SELECT doc_id, id, doc_type, CAST(date AS VARCHAR) FROM citations WHERE extractor = 'rules' "
            "ORDER BY doc_id, start")[1]:
        preds[doc_id]["citations"].append({"id": cid, "type": typ, "date": date})
    for doc_id, ind, value, fld, proc in store.query(
            "SELECT doc_id, indicator, value, field, procedure FROM indicators "
            "ORDER BY doc_id, coalesce(start, 2147483647), table_no, row_no, col_no")[1]:
        row = {"indicator": ind, "value": _num(value), "field": fld}
        if proc:
            row["procedure"] = proc
        preds[doc_id]["indicators"].append(row)
    for doc_id, kind, aid, note in store.query(
            "SELECT doc_id, kind, id, explanation FROM audit ORDER BY doc_id, kind, id")[1]:
        if doc_id in preds and kind in GOLD_AUDIT_KINDS:
            preds[doc_id]["audit"].append({"kind": kind, "id": aid, "note": note})
    return preds


def export_pred(store: Store, out: Path) -> None:
    def write(tmp: Path) -> None:
        tmp.mkdir()
        for doc_id, pred in pred_documents(store).items():
            (tmp / f"{doc_id}.pred.json").write_text(
                json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
    _atomic(out / "pred", write)


def export_all(store: Store, out: Path, *, excel: bool = False) -> None:
    """Every export; the Excel workbook only when asked (it costs more than
    the rest together on a large corpus: ``parmine export OUT --excel``
    writes it later from the store)."""
    export_parquet(store, out)
    export_csv(store, out)
    if excel:
        export_excel(store, out)
    export_pred(store, out)
