"""Exports: the Excel workbook (on demand, one sheet per table, dates as
dates, continued past Excel's row limit) and the wide table (copies of a
report are not added up)."""
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import SEEDS, shown_limit

from parmine.pipelines import export
from parmine.pipelines.cli import main
from parmine.pipelines.schema import TABLES, columns
from parmine.pipelines.wide import VALUES_SQL, WIDE_KEYS

pytestmark = pytest.mark.slow

STEM = "000_8ec424762efb3ebc"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    shutil.copy(SEEDS / f"{STEM}.txt", src / f"{STEM}.txt")
    shutil.copy(SEEDS / f"{STEM}.txt", src / "copy-of-000.txt")  # the same report twice
    shutil.copy(SEEDS / "002_db644a6e68f0f5dc.txt", src)
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(src), "-o", str(out), "-j", "1", "--quiet"]) == 0
    return out


def _count(out, table):
    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    try:
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


def test_the_workbook_is_written_only_when_asked(out):
    assert not (out / "parmine.xlsx").exists()
    assert main(["export", str(out), "--excel"]) == 0
    wb = openpyxl.load_workbook(out / "parmine.xlsx")
    assert wb.sheetnames == [t for t in TABLES if t != "pages"] + ["indicators_wide"]
    for table in TABLES:
        if table == "pages":
            continue
        ws = wb[table]
        assert [c.value for c in ws[1]] == columns(table)
        assert ws.max_row - 1 == _count(out, table)
        assert ws.freeze_panes == "A2"
    docs = wb["documents"]
    header = [c.value for c in docs[1]]
    cell = docs.cell(row=2, column=header.index("period_year") + 1)
    assert cell.value == 2020 and cell.data_type == "n"
    cites = wb["citations"]
    header = [c.value for c in cites[1]]
    dated = [r[header.index("date")] for r in cites.iter_rows(min_row=2) if r[header.index("date")].value]
    assert dated and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dated)


def test_a_sheet_past_the_row_limit_goes_on_in_the_next(out, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 40)
    assert main(["export", str(out), "--excel"]) == 0
    wb = openpyxl.load_workbook(out / "parmine.xlsx", read_only=True)
    parts = [n for n in wb.sheetnames if n == "dates" or n.startswith("dates_")]
    total = _count(out, "dates")
    assert len(parts) == -(-total // 40) > 1
    assert sum(sum(1 for _ in wb[n].iter_rows(min_row=2)) for n in parts) == total


def test_whole_numbers_are_integers_in_csv(out):
    import csv
    with open(out / "indicators.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    values = [r["value"] for r in rows]
    assert "34" in values and not [v for v in values if v.endswith(".0")]
    assert all(not r[c].endswith(".0") for r in rows for c in ("table_no", "row_no", "col_no", "start"))
    with open(out / "indicators_wide.csv", encoding="utf-8") as f:
        wide = list(csv.DictReader(f))
    assert wide and not [v for r in wide for v in r.values() if v.endswith(".0")]
    assert {r["reports"] for r in wide} <= {"1", "2"} and any(r["dossiers.received"] == "34" for r in wide)


def test_copies_of_a_report_are_not_added_up_in_the_wide_table(out):
    wide = pd.read_parquet(out / "indicators_wide.parquet")
    row = wide[wide["province"] == "Quảng Trị"]
    assert len(row) == 1 and row["reports"].iloc[0] == 1 and row["copies"].iloc[0] == 1
    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    try:
        received = con.execute(
            "SELECT value FROM indicators WHERE doc_id = ? AND indicator = 'dossiers.received' "
            "AND field IS NULL AND procedure IS NULL ORDER BY start LIMIT 1", [STEM]).fetchone()[0]
    finally:
        con.close()
    assert row["dossiers.received"].iloc[0] == received
    assert (wide.filter(like="rate.").fillna(0) <= 100).all().all()


def test_the_wide_table_has_a_column_for_each_indicator_its_rows_state(out):
    """Its columns are the indicators of the figures the rows take (a report's first
    stated total, the latest report per row), found without those windows."""
    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    try:
        stated = {r[0] for r in con.execute(f"SELECT indicator FROM ({VALUES_SQL.format(only='')})").fetchall()}
        any_figure = {r[0] for r in con.execute("SELECT indicator FROM indicators").fetchall()}
    finally:
        con.close()
    wide = pd.read_parquet(out / "indicators_wide.parquet")
    named = set(wide.columns) - set(WIDE_KEYS) - {"reports", "copies"}
    assert named == stated and all(wide[c].notna().any() for c in named)
    assert any_figure - stated  # (figures of a field or a procedure alone make no column)


@pytest.mark.parametrize("name", [
    "o'quote",
    # a name that, pasted into COPY ... TO '...', wrote a second file outside OUT
    "x' (FORMAT PARQUET); COPY (SELECT 42 AS pwned) TO '../pwned.csv' (FORMAT CSV); --",
])
def test_an_output_folder_name_never_reaches_sql(tmp_path, monkeypatch, name):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / f"{STEM}.txt", src)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    out = tmp_path / "outs" / name
    assert main(["run", str(src), "-o", str(out), "-j", "1", "--quiet"]) == 0
    assert pd.read_parquet(out / "documents")["doc_id"].tolist() == [STEM]
    assert (out / "indicators.csv").stat().st_size > 0 and (out / "pred" / f"{STEM}.pred.json").exists()
    written_outside = [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents]
    assert written_outside == [src / f"{STEM}.txt"]


def test_indicators_csv_written_in_slices_is_the_whole_table_sorted(out, tmp_path, monkeypatch):
    from parmine.pipelines.store import Store

    def written(docs, folder):
        monkeypatch.setattr(export, "CSV_DOCS", docs)
        folder.mkdir()
        with Store(out) as store:
            export.export_csv(store, folder)
        return (folder / "indicators.csv").read_bytes()

    one = written(1, tmp_path / "one")  # a slice per document: three sorts, one header
    whole = written(10**6, tmp_path / "whole")
    assert one == whole
    rows = pd.read_csv(tmp_path / "one" / "indicators.csv")
    assert len(rows) == _count(out, "indicators") and rows["doc_id"].nunique() == 3
    assert list(zip(rows["doc_id"], rows["start"])) == sorted(zip(rows["doc_id"], rows["start"]))
    assert not list((tmp_path / "one").glob(".*"))  # no temporary file left


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    import csv

    from parmine.pipelines.schema import arrow_table, blank_row
    from parmine.pipelines.store import Store

    evil = {"doc_id": "=cmd|' /C calc'!A0", "indicator": "dossiers.received", "value": -3.0,
            "field": "+SUM(1,2)", "procedure": "@HYPERLINK(\"http://x\")", "grp": "-2+3",
            "sentence": "\t=1+1", "province": "\r=2", "section": "II.1"}
    with Store(tmp_path) as store:
        store.commit({evil["doc_id"]: {
            "documents": [blank_row("documents", doc_id=evil["doc_id"], province="=1+1", pipeline_version="v")],
            "indicators": arrow_table("indicators", [blank_row("indicators", **evil)])}})
        export.export_csv(store, tmp_path)
    for name in ("indicators.csv", "indicators_wide.csv"):
        with open(tmp_path / name, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        cells = [c for r in rows[1:] for c in r]
        assert all(not c[:1] or c[0] not in "=+-@\t\r" or _number(c) for c in cells), name
    long = dict(zip(*list(csv.reader(open(tmp_path / "indicators.csv", newline="", encoding="utf-8")))))
    assert long["field"] == "'+SUM(1,2)" and long["doc_id"] == "'" + evil["doc_id"]
    assert long["sentence"] == "'\t=1+1" and long["value"] == "-3" and long["section"] == "II.1"


def _number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_the_workbook_holds_text_never_formulas(tmp_path):
    from parmine.pipelines.schema import blank_row
    from parmine.pipelines.store import Store

    with Store(tmp_path) as store:
        store.commit({"a": {"documents": [blank_row("documents", doc_id="a", province="=HYPERLINK(\"http://x\",\"y\")",
                                                     title="+1+2", pipeline_version="v")]}})
        export.export_excel(store, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "parmine.xlsx")["documents"]
    header = [c.value for c in ws[1]]
    for column, text in (("province", "=HYPERLINK(\"http://x\",\"y\")"), ("title", "+1+2")):
        cell = ws.cell(row=2, column=header.index(column) + 1)
        assert cell.data_type == "s" and cell.value == text


def test_small_parts_are_written_in_batches_of_at_most_a_parts_documents():
    """The few documents a run adds to each year: one scan of a table for
    several small parts; a part of a full size alone (the runs-in-pieces
    test in test_run.py checks the files such batches write)."""
    from parmine.pipelines.export import PART_DOCS, _batches

    sizes = {1: 400, 2: PART_DOCS - 300, 3: 10, 4: PART_DOCS + 200, 5: 1}
    assert _batches({1, 2, 3, 4, 5}, sizes) == [[1], [2, 3], [4], [5]]
    assert _batches({7, 8, 9}, {7: 3, 8: 5}) == [[7, 8, 9]]  # a part with no documents left: in a batch too
    assert _batches(set(), sizes) == []


_SMALL = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
SỞ NỘI VỤ
Số: {n}/BC-SNV
Quảng Trị, ngày 5 tháng 10 năm 2020

BÁO CÁO
Kết quả công tác cải cách hành chính quý III năm 2020

I. KẾT QUẢ THỰC HIỆN

Trong quý III năm 2020, Sở đã tiếp nhận {n}0 hồ sơ, đã giải quyết {n}0 hồ sơ, đúng hạn {n}0 hồ sơ.
"""


def _run_small(src, out, names):
    for n, name in enumerate(names, start=len(list(src.glob("*.txt"))) + 1):
        (src / f"{name}.txt").write_text(_SMALL.format(n=n), encoding="utf-8")
    assert main(["run", str(src), "-o", str(out), "-j", "1", "--quiet"]) == 0


def test_indicators_csv_rewrites_only_the_slices_of_the_documents_mined(tmp_path, monkeypatch):
    """A slice of one document at first (CSV_DOCS 2): a new report rewrites the slice it falls in and
    copies the others from the file in place; a slice grown past CSV_DOCS is split; the file equals one
    written whole."""
    monkeypatch.setattr(export, "CSV_DOCS", 2)
    plans = []
    slices = export._slices
    monkeypatch.setattr(export, "_slices", lambda store, kept: plans.append(slices(store, kept)) or plans[-1])
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    _run_small(src, out, ["a", "c", "e"])
    assert [(lo, span) for lo, span in plans[-1]] == [("", None), ("c", None), ("e", None)]
    _run_small(src, out, ["d"])
    assert [(lo, span is None) for lo, span in plans[-1]] == [("", False), ("c", True), ("e", False)]
    _run_small(src, out, ["b", "ba", "bb"])  # the first slice: a, b, ba, bb
    assert [(lo, span is None) for lo, span in plans[-1]] == [
        ("", True), ("b", True), ("ba", True), ("bb", True), ("c", False), ("e", False)]
    grown = (out / "indicators.csv").read_bytes()
    rows = pd.read_csv(out / "indicators.csv")
    assert sorted(set(rows["doc_id"])) == ["a", "b", "ba", "bb", "c", "d", "e"]
    assert list(rows["doc_id"]) == sorted(rows["doc_id"])
    assert main(["export", str(out)]) == 0  # every slice written again
    assert all(span is None for _, span in plans[-1])
    assert (out / "indicators.csv").read_bytes() == grown


def test_an_indicators_csv_edited_since_or_of_other_columns_is_written_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CSV_DOCS", 2)
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    _run_small(src, out, ["a", "c"])
    csv = out / "indicators.csv"
    csv.write_bytes(csv.read_bytes().replace(b"c,1,", b"x,1,"))  # a value changed in a spreadsheet
    _run_small(src, out, ["b"])
    assert set(pd.read_csv(csv)["doc_id"]) == {"a", "b", "c"} and len(pd.read_csv(csv)) == _count(out, "indicators")
    # an older parmine's file, a column fewer, the one the store last wrote: its slices are not reused
    older = b"".join(line.rsplit(b",", 1)[0] + b"\n" for line in csv.read_bytes().splitlines())
    csv.write_bytes(older)
    from parmine.pipelines.store import Store
    with Store(out) as store:
        store.set_state("indicators.csv", export._stamp(csv))
    _run_small(src, out, ["d"])
    rows = pd.read_csv(csv)
    assert list(rows.columns) == columns("indicators") and rows["version"].notna().all()
    assert set(rows["doc_id"]) == {"a", "b", "c", "d"} and len(rows) == _count(out, "indicators")


def test_the_pages_parts_are_read_at_a_share_of_the_limit_the_other_tables_at_the_streaming_one(
        out, tmp_path, monkeypatch):
    """The pages go through pyarrow, not DuckDB's Parquet writer: DuckDB
    only scans them, at ``PAGES_SHARE`` of its limit in force; the other
    tables' parts at two thirds of the whole limit; the files as before."""
    from parmine.pipelines.store import Store

    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    limits: dict[str, str] = {}
    write_parts = export._write_parts

    def noting(store, folder, table, parts):
        limits[table] = store.value("SELECT current_setting('memory_limit')")
        write_parts(store, folder, table, parts)
    before = pd.read_parquet(copy / "pages").sort_values(["doc_id", "page"]).reset_index(drop=True)
    with Store(copy) as store:
        in_force = store.value("SELECT current_setting('memory_limit')")
        monkeypatch.setattr(export, "_write_parts", noting)
        export.export_parquet(store, copy, full=True)
        streaming = shown_limit(store._scaled(2 / 3))
    mib = float(in_force.split()[0])
    assert float(limits["pages"].split()[0]) == pytest.approx(mib * export.PAGES_SHARE, abs=0.1)
    assert limits["documents"] == limits["audit"] == streaming != limits["pages"]
    after = pd.read_parquet(copy / "pages").sort_values(["doc_id", "page"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
