"""Whole runs on real files: bad input loses nothing, reruns skip unchanged
documents, a killed run (even its main process alone, by kill -9) resumes to
the same tables, no run replaces another file's document, the Dask executor
gives the same dataset as the process pool, and a second writer is
refused."""
import json
import os
import shutil
import signal
import threading
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import alive, dataset_tables, start_run, wait_for_progress

from parmine.audit.registry import RegistryCheck
from parmine.pipelines import run as run_module
from parmine.pipelines.copies import mark_copies
from parmine.pipelines.run import _Batch, run
from parmine.pipelines.store import DB_NAME, Store

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
GOOD = sorted(SAMPLE.glob("*.txt"))[:3]


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("mixed")
    for p in GOOD:
        shutil.copy(p, d / p.name)
    (d / "empty.txt").write_bytes(b"")
    (d / "garbage.txt").write_bytes(os.urandom(4096))
    (d / "garbage.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2048))
    pdf = next(SAMPLE.glob("*.pdf"))
    (d / "truncated.pdf").write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])
    (d / "notes.xyz").write_text("không phải báo cáo")
    (d / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with zipfile.ZipFile(d / "evil.zip", "w") as zf:
        zf.writestr("../escape.txt", "x")
    return d


def test_bad_files_give_one_error_row_each_and_the_run_finishes(bad_folder, tmp_path):
    s = run([str(bad_folder)], tmp_path, jobs=2, progress=False)
    con = duckdb.connect(str(tmp_path / "parmine.duckdb"), read_only=True)
    docs = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
    errors = con.execute("SELECT doc_id, stage, reason FROM errors").fetchall()
    con.close()
    assert docs == {p.stem for p in GOOD}
    bad = ["empty", "garbage", "garbage.pdf", "truncated", "notes", "broken", "evil"]
    assert sorted(e[0] for e in errors) == sorted(bad)
    assert all(e[2] for e in errors)  # every error says why
    assert s.failed == len(bad) and s.processed == len(GOOD)
    for p in GOOD:
        pred = json.loads((tmp_path / "pred" / f"{p.stem}.pred.json").read_text())
        assert pred["citations"], p.stem


def test_a_run_whose_every_new_file_fails_finishes_with_their_error_rows(bad_folder, tmp_path):
    """The end of a run looks for copies of what it mined: when nothing of
    it could be read, there is nothing to compare, and the run still ends
    with its exports (once, a chunk of failed documents alone stopped it)."""
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    for f in bad_folder.iterdir():
        if f.stem not in {p.stem for p in GOOD}:
            shutil.copy(f, only_bad / f.name)
    out = tmp_path / "out"
    s = run([str(only_bad)], out, jobs=1, progress=False)
    assert s.failed == len(list(only_bad.iterdir())) and s.processed == 0
    assert (out / "errors.parquet").is_file() and (out / "indicators_wide.csv").is_file()


def test_rerun_skips_unchanged_and_force_reprocesses(tmp_path, monkeypatch):
    monkeypatch.setattr("parmine.pipelines.run.ASK", 2)  # the store asked about two inputs, then one
    src = tmp_path / "in"
    src.mkdir()
    for p in GOOD:
        shutil.copy(p, src / p.name)
    first = run([str(src)], tmp_path / "out", jobs=1, progress=False)
    again = run([str(src)], tmp_path / "out", jobs=1, progress=False)
    assert (first.processed, again.processed, again.skipped) == (3, 0, 3)
    changed = src / GOOD[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    third = run([str(src)], tmp_path / "out", jobs=1, progress=False)
    assert (third.processed, third.skipped) == (1, 2)
    forced = run([str(src)], tmp_path / "out", jobs=1, progress=False, force=True)
    assert forced.processed == 3


def test_a_rerun_reads_only_the_files_whose_size_or_time_moved_since_they_were_mined_or_hashed(tmp_path,
                                                                                          monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for p in GOOD:
        shutil.copy(p, src / p.name)
    settled = time.time() - 60
    for f in src.iterdir():
        os.utime(f, (settled, settled))
    run([str(src)], out, jobs=1, progress=False)
    read: list[str] = []
    hash_file = run_module.file_sha256
    monkeypatch.setattr(run_module, "file_sha256", lambda p: read.append(Path(p).name) or hash_file(p))

    def rerun():
        read.clear()
        return run([str(src)], out, jobs=1, progress=False)

    names = sorted(p.name for p in GOOD)
    assert (rerun().skipped, read) == (3, [])  # their size and time noted as they were mined: not read
    touched, grown, future = sorted(src.iterdir())
    os.utime(touched, (settled + 1, settled + 1))  # same bytes, another time: hashed, not mined
    grown.write_text(grown.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    os.utime(grown, (settled + 2, settled + 2))
    ahead = time.time() + 3600  # a time not yet past (a share's clock ahead): hashed every time
    os.utime(future, (ahead, ahead))
    moved = rerun()
    assert (moved.processed, moved.skipped, sorted(read)) == (1, 2, names)
    assert (rerun().skipped, read) == (3, [future.name])
    assert (rerun().skipped, read) == (3, [future.name])
    with Store(out) as store:
        assert store.value("SELECT count(*) FROM _hashed") == len(GOOD)  # a row a file: noted again, not added


def test_the_end_of_a_run_starts_from_the_mined_rows_written_into_the_file(tmp_path, monkeypatch):
    """DuckDB holds rows committed since its last checkpoint in its memory,
    where its limit counts them but cannot evict them: after mining 100
    reports into a 10,000-report store the sort of an ``indicators.csv``
    slice ran out of 48 MB. The end of the run checkpoints first: its write-
    ahead log is empty when the copy search starts."""
    wal = []

    def marking(store, new):
        log = tmp_path / "out" / (DB_NAME + ".wal")
        wal.append(log.stat().st_size if log.exists() else 0)
        return mark_copies(store, new)

    monkeypatch.setattr("parmine.pipelines.run.mark_copies", marking)
    src = tmp_path / "in"
    src.mkdir()
    for p in GOOD:
        shutil.copy(p, src / p.name)
    assert run([str(src)], tmp_path / "out", jobs=1, progress=False).processed == 3
    assert wal == [0]


def test_the_end_of_a_run_holds_no_list_of_inputs(tmp_path, monkeypatch):
    """The inputs to mine (6 MB at 50,000) are let go before the end of the run."""
    import gc

    from parmine.pipelines.inputs import Items

    alive_then = []
    finish = run_module.finish

    def finishing(*args, **kwargs):
        gc.collect()
        alive_then.append(sum(isinstance(o, Items) for o in gc.get_objects()))
        return finish(*args, **kwargs)

    monkeypatch.setattr(run_module, "finish", finishing)
    assert run([str(p) for p in GOOD], tmp_path / "out", jobs=1, progress=False).processed == 3
    assert alive_then == [0]


def test_ctrl_c_during_a_commit_stops_the_run_and_fails_no_document(tmp_path, monkeypatch):
    """DuckDB turns a SIGINT that lands during a statement into
    RuntimeError("Query interrupted"): the run stops as for a Ctrl-C
    anywhere else, and no document of the batch is recorded as failed
    (the batch's fallback, one document at a time, would have)."""
    commit = Store.commit

    def slow_commit(self, documents, *rest):
        if documents:  # a Ctrl-C while DuckDB runs a long statement of the commit
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
            self.con.execute("SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3").fetchall()
        commit(self, documents, *rest)

    monkeypatch.setattr(Store, "commit", slow_commit)
    s = run([str(p) for p in GOOD], tmp_path / "out", jobs=1, progress=False)
    assert s.interrupted == signal.SIGINT and s.failed == 0 and not s.errors
    con = duckdb.connect(str(tmp_path / "out" / "parmine.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM errors").fetchall() == [(0,)]
    con.close()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the caller's handler is back


def _copies(src: Path, n: int) -> None:
    """``n`` copies of the good documents in ``src`` (enough that a kill lands mid-run)."""
    src.mkdir()
    for i in range(n):
        p = GOOD[i % len(GOOD)]
        shutil.copy(p, src / f"c{i:02d}-{p.name}")


def test_kill_9_of_the_whole_run_then_resume_equals_an_uninterrupted_run(tmp_path):
    src, out = tmp_path / "in", tmp_path / "killed"
    _copies(src, 70)
    clean = run([str(src)], tmp_path / "clean", jobs=1, progress=False)
    assert clean.processed == 70
    proc = start_run(src, out, "-j", "1")
    wait_for_progress(proc, _Batch.BATCH_DOCS + 1)  # a full batch has been committed by then
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    resumed = run([str(src)], out, jobs=1, progress=False)
    assert resumed.skipped >= 1 and resumed.processed >= 1  # the kill landed mid-run
    assert resumed.processed + resumed.skipped == 70
    assert dataset_tables(out) == dataset_tables(tmp_path / "clean")


def test_dask_local_cluster_equals_process_pool(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in GOOD:
        shutil.copy(p, src / p.name)
    run([str(src)], tmp_path / "pool", jobs=2, progress=False)
    run([str(src)], tmp_path / "dask", jobs=2, executor="dask", progress=False)
    assert dataset_tables(tmp_path / "dask") == dataset_tables(tmp_path / "pool")


def _children(pid: int) -> set[int]:
    return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def test_kill_9_of_the_main_process_alone_then_resume_equals_an_uninterrupted_run(tmp_path):
    src, out = tmp_path / "in", tmp_path / "killed"
    _copies(src, 70)
    (src / "rong.txt").write_bytes(b"")  # an error row too
    clean = run([str(src)], tmp_path / "clean", jobs=2, progress=False)
    assert clean.processed == 70
    proc = start_run(src, out, "-j", "2")
    wait_for_progress(proc, _Batch.BATCH_DOCS + 1)  # a full batch has been committed by then
    workers = _children(proc.pid)
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
    proc.wait()
    try:  # the workers do not outlive it: nothing holds the lock or the pipes
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(map(alive, workers)):
            time.sleep(0.1)
        assert not any(map(alive, workers))
    finally:
        for pid in filter(alive, workers):
            os.kill(pid, signal.SIGKILL)
    resumed = run([str(src)], out, jobs=2, progress=False)  # at once: no "another run" refusal
    assert resumed.skipped >= 1 and resumed.processed >= 1  # the kill landed mid-run
    assert resumed.processed + resumed.skipped == 70
    assert not (out / ".tmp").exists()
    assert dataset_tables(out) == dataset_tables(tmp_path / "clean")


def test_a_later_run_never_replaces_another_files_document(tmp_path):
    for folder, seed in (("a", GOOD[0]), ("b", GOOD[1])):
        (tmp_path / folder).mkdir()
        shutil.copy(seed, tmp_path / folder / "report.txt")
    out = tmp_path / "out"
    first = run([str(tmp_path / "b")], out, jobs=1, progress=False)
    second = run([str(tmp_path / "a")], out, jobs=1, progress=False)
    assert (first.processed, second.processed) == (1, 1)
    assert second.warnings and "report~" in second.warnings[0]
    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    stored = dict(con.execute("SELECT path, doc_id FROM documents").fetchall())
    con.close()
    a, b = (str((tmp_path / f / "report.txt").resolve()) for f in ("a", "b"))
    assert stored[b] == "report" and stored[a].startswith("report~")
    assert {p.name for p in (out / "pred").iterdir()} == {f"{d}.pred.json" for d in stored.values()}
    again = run([str(tmp_path / "a"), str(tmp_path / "b")], out, jobs=1, progress=False)
    assert (again.skipped, again.processed, again.warnings) == (2, 0, [])


def test_an_output_folder_inside_the_input_folder_is_left_out(tmp_path):
    shutil.copy(GOOD[0], tmp_path / GOOD[0].name)
    first = run([str(tmp_path)], tmp_path / "out", jobs=1, progress=False)
    again = run([str(tmp_path)], tmp_path / "out", jobs=1, progress=False)
    assert (first.documents, first.failed) == (1, 0)
    assert (again.documents, again.failed, again.skipped) == (1, 0, 1)


# -- runs in pieces ----------------------------------------------------------------
_REPORT = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
SỞ {agency}
Số: {n}/BC-{sym}
Quảng Trị, ngày 5 tháng 10 năm 2020

BÁO CÁO
Kết quả công tác cải cách hành chính quý III năm 2020

Thực hiện Nghị định số 61/2018/NĐ-CP ngày {decree} của Chính phủ về thực hiện cơ chế một cửa, một cửa liên
thông; Kế hoạch số 04/KH-UBND ngày {plan} của UBND tỉnh Quảng Trị; {extra}Sở báo cáo như sau:

I. KẾT QUẢ THỰC HIỆN

Trong quý III năm 2020, Sở đã tiếp nhận {n}0 hồ sơ, đã giải quyết {n}0 hồ sơ, đúng hạn {n}0 hồ sơ.
"""


def _report(n: int, agency: str, sym: str, plan: str = "15/01/2020", decree: str = "23/4/2018", extra: str = "") -> str:
    return _REPORT.format(n=n, agency=agency, sym=sym, plan=plan, decree=decree, extra=extra)


# run → {file: text}: a decree cited with the registry's date and another; a local plan whose date a later
# report contradicts; an issuer symbol (BQLDA) that becomes frequent in the second run, so that the first
# run's BQLLDA becomes its variant; a copy of a report in the second run; a report mined again with new content
PIECES = [
    {"a.txt": _report(1, "NỘI VỤ", "SNV", extra="Kế hoạch số 15/KH-BQLLDA ngày 02/3/2020; "),
     "b.txt": _report(2, "TƯ PHÁP", "STP", extra="Kế hoạch số 12/KH-BQLDA ngày 01/3/2020; "
                                                  "Kế hoạch số 13/KH-BQLDA ngày 01/3/2020; "),
     "d.txt": _report(4, "XÂY DỰNG", "SXD")},
    {"c.txt": _report(3, "TÀI CHÍNH", "STC", plan="16/01/2020", decree="24/4/2018",
                      extra="Kế hoạch số 14/KH-BQLDA ngày 01/3/2020; "),
     "d2.txt": _report(4, "XÂY DỰNG", "SXD")},
    {"a.txt": _report(1, "NỘI VỤ", "SNV", plan="16/01/2020")},
]


# the store's pages with their texts whole (as docs/dataset.md tells users to put them together)
PAGES_WHOLE = ("SELECT p.*, coalesce(t.text, '') AS text FROM pages p LEFT JOIN (SELECT doc_id, page, "
               "string_agg(text, '' ORDER BY piece) AS text FROM page_text GROUP BY ALL) t USING (doc_id, page)")


def _dataset(out: Path) -> dict:
    """What the end of a run maintains: the audit, the copies, the citations' registry columns and keys, the
    prediction files, and the Parquet dataset (which must hold the store's rows)."""
    import pyarrow.dataset as ds

    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    try:
        got = {"audit": sorted(map(repr, con.execute("SELECT * FROM audit").fetchall())),
               "copies": sorted(con.execute("SELECT doc_id, report_key, duplicate_of FROM documents").fetchall()),
               "citations": sorted(map(repr, con.execute(
                   "SELECT doc_id, start, cited_key, registry_id, registry_date FROM citations").fetchall())),
               "pending": con.execute("SELECT (SELECT count(*) FROM _changed) + (SELECT count(*) FROM _stale_keys) "
                                      "+ (SELECT count(*) FROM _stale_documents)").fetchall()}
        for table in ("documents", "audit", "citations", "pages"):
            exported = ds.dataset(out / table, format="parquet", partitioning="hive").to_table()
            stored = con.sql(f'SELECT * FROM "{table}"' if table != "pages" else PAGES_WHOLE).to_arrow_table()
            assert sorted(map(repr, exported.drop(["report_year"]).to_pylist())) == \
                sorted(map(repr, stored.select(exported.drop(["report_year"]).column_names).to_pylist())), table
    finally:
        con.close()
    got["pred"] = {p.name: p.read_text(encoding="utf-8") for p in (out / "pred").glob("*.json")}
    got["indicators.csv"] = (out / "indicators.csv").read_text(encoding="utf-8")
    return got


@pytest.mark.parametrize("small", [False, True])
def test_runs_in_pieces_equal_one_run_and_a_rebuild(tmp_path, monkeypatch, small):
    """Reports added run after run (and one mined again with new content) give the dataset one run over the
    final files gives, and --rebuild: audit rows, cross-report conflicts, copies, registry columns,
    predictions, exports (``small``: the end of the run in the smallest pieces: the conflicts of one cited
    document at a time, one document per Parquet part, its pages read a document at a time, indicators.csv
    sorted a document at a time)."""
    if small:
        monkeypatch.setattr("parmine.pipelines.audit_run.MENTIONS", 1)
        monkeypatch.setattr("parmine.pipelines.export.PART_DOCS", 1)
        monkeypatch.setattr("parmine.pipelines.export.TEXT_SLICE", 1)
        monkeypatch.setattr("parmine.pipelines.export.CSV_DOCS", 1)
    from parmine.audit.checks import audit_corpus
    from parmine.corpus.registry import load_registry
    from parmine.pipelines.audit_run import facts, stored_rows
    from parmine.pipelines.store import Store

    src, pieces = tmp_path / "in", tmp_path / "pieces"
    src.mkdir()
    for i, files in enumerate(PIECES):
        for name, text in files.items():
            (src / name).write_text(text, encoding="utf-8")
        run([str(src)], pieces, jobs=1, progress=False)
        if i == 1:  # BQLDA is cited 3 times now: the first run's BQLLDA is its variant
            middle = _dataset(pieces)["audit"]
            assert any("'symbol_variant', 'info', '15/KH-BQLLDA', 'a'" in r for r in middle)
            assert any("'citation_date_conflict', 'warning', '04/KH-UBND', 'c'" in r and "'corpus'" in r
                       for r in middle)
    one = tmp_path / "one"
    run([str(src)], one, jobs=1, progress=False)
    got, want = _dataset(pieces), _dataset(one)
    assert got == want and want["pending"] == [(0,)]
    run([str(src)], one, jobs=1, progress=False, rebuild=True)
    assert _dataset(one) == want
    # the audit is that of the whole store at once
    with Store(pieces, lock=False, read_only=True) as store:
        docs = [facts(r["documents"][0], r["citations"], r["indicators"], r["dates"])
                for chunk in stored_rows(store, [d for d, *_ in want["copies"]],
                                         ("documents", "citations", "indicators", "dates"))
                for r in chunk]
        counts = dict(store.query("SELECT issuer_symbol, count(*) FROM citations GROUP BY 1")[1])
        whole = {(f.kind, f.doc_id, f.id, f.start, f.expected)
                 for f in audit_corpus(docs, registry=RegistryCheck(load_registry(("builtin",))), frequent=counts)}
        stored = set(store.query('SELECT kind, doc_id, id, start, expected FROM audit')[1])
    assert stored == whole
    kinds = {(k, d) for k, d, *_ in whole}
    # a's new plan date sides with c against the others; c's decree date is not the registry's (which wins
    # over the vote); a's BQLLDA citation is gone with its old content; d2 is a copy of d
    assert {("citation_date_conflict", "a"), ("citation_date_conflict", "c"), ("registry_date_conflict", "c")} \
        <= kinds
    assert not {("citation_date_conflict", "b"), ("symbol_variant", "a")} & kinds
    assert ("d2", "d") in {(d, c) for d, _, c in want["copies"]}


def test_a_report_that_turns_the_majority_moves_the_conflicts_of_the_reports_mined_before(tmp_path):
    """Two reports date the plan 15/01, one 16/01: the third is in conflict.  Two more dating it 16/01 turn
    the majority: the first two are now in conflict and the third no longer (the reports mined before are
    looked at again when the date a document is held to moves, not only the new ones)."""
    src = tmp_path / "in"
    src.mkdir()
    agencies = [("NỘI VỤ", "SNV"), ("TƯ PHÁP", "STP"), ("TÀI CHÍNH", "STC"), ("XÂY DỰNG", "SXD"), ("Y TẾ", "SYT")]

    def conflicts() -> set[str]:
        con = duckdb.connect(str(tmp_path / "out" / "parmine.duckdb"), read_only=True)
        try:
            return {d for d, in con.execute("SELECT doc_id FROM audit WHERE kind = 'citation_date_conflict' "
                                            "AND scope = 'corpus' AND id = '04/KH-UBND'").fetchall()}
        finally:
            con.close()
    for name, (agency, sym), plan in zip("abc", agencies, ("15/01/2020", "15/01/2020", "16/01/2020")):
        (src / f"{name}.txt").write_text(_report(len(name) + ord(name), agency, sym, plan=plan), encoding="utf-8")
    run([str(src)], tmp_path / "out", jobs=1, progress=False)
    assert conflicts() == {"c"}
    for name, (agency, sym) in zip("de", agencies[3:]):
        (src / f"{name}.txt").write_text(_report(ord(name), agency, sym, plan="16/01/2020"), encoding="utf-8")
    run([str(src)], tmp_path / "out", jobs=1, progress=False)
    assert conflicts() == {"a", "b"}


def test_a_run_stopped_before_its_prediction_files_leaves_the_next_run_every_report_its_audit_changed(
        tmp_path, monkeypatch):
    """The second run turns the majority (the reports mined before, a and b, get a conflict) and stops before
    writing the prediction files; the next run mines nothing and its audit changes nothing, yet writes the
    prediction files of a and b: the reports whose audit changed are read from the store, not carried in
    the stopped run's memory."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    agencies = [("NỘI VỤ", "SNV"), ("TƯ PHÁP", "STP"), ("TÀI CHÍNH", "STC"), ("XÂY DỰNG", "SXD"), ("Y TẾ", "SYT")]

    def conflicted(doc_id: str) -> bool:
        pred = json.loads((out / "pred" / f"{doc_id}.pred.json").read_text(encoding="utf-8"))
        return any(a["kind"] == "citation_date_conflict" and a["id"] == "04/KH-UBND" for a in pred["audit"])

    for name, (agency, sym), plan in zip("abc", agencies, ("15/01/2020", "15/01/2020", "16/01/2020")):
        (src / f"{name}.txt").write_text(_report(ord(name), agency, sym, plan=plan), encoding="utf-8")
    run([str(src)], out, jobs=1, progress=False)
    for name, (agency, sym) in zip("de", agencies[3:]):
        (src / f"{name}.txt").write_text(_report(ord(name), agency, sym, plan="16/01/2020"), encoding="utf-8")

    def stopped(*a, **k):
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr(run_module, "export_pred", stopped)
        assert run([str(src)], out, jobs=1, progress=False).interrupted
    assert [conflicted(d) for d in "abc"] == [False, False, True]  # as the first run wrote them
    assert run([str(src)], out, jobs=1, progress=False).skipped == 5
    assert [conflicted(d) for d in "abcde"] == [True, True, False, False, False]


def test_held_dates_that_run_out_of_memory_are_counted_again_with_more_room(tmp_path, monkeypatch):
    """The held dates are counted within the end of the run's limit (two
    thirds of DuckDB's); where that runs out (here: the first time), they
    are counted again with more room (:meth:`Store.roomier`), and the
    conflicts are those of a run that never ran out."""
    from parmine.pipelines import audit_run

    src = tmp_path / "in"
    src.mkdir()
    agencies = [("NỘI VỤ", "SNV"), ("TƯ PHÁP", "STP"), ("TÀI CHÍNH", "STC")]
    for name, (agency, sym), plan in zip("abc", agencies, ("15/01/2020", "15/01/2020", "16/01/2020")):
        (src / f"{name}.txt").write_text(_report(ord(name), agency, sym, plan=plan), encoding="utf-8")
    run([str(src)], tmp_path / "plain", jobs=1, progress=False)
    held_dates, limits = audit_run._held_dates, []

    def tight(store):
        limits.append(store.value("SELECT current_setting('memory_limit')"))
        if len(limits) == 1:
            raise duckdb.OutOfMemoryException("Out of Memory Error: (as DuckDB says it)")
        return held_dates(store)
    monkeypatch.setattr(audit_run, "_held_dates", tight)
    run([str(src)], tmp_path / "tight", jobs=1, progress=False)
    assert len(limits) == 2 and limits[0] != limits[1]
    audit = "SELECT doc_id, kind, id, expected FROM audit WHERE scope = 'corpus' ORDER BY ALL"
    with Store(tmp_path / "plain", read_only=True, lock=False) as plain, \
            Store(tmp_path / "tight", read_only=True, lock=False) as tight_store:
        assert plain.query(audit)[1] == tight_store.query(audit)[1] != []


def _as_set(rows):
    """Rows as a sorted list of their sorted (column, value) tuples."""
    return sorted((tuple(sorted(r.items())) for r in rows), key=repr)


def test_stored_rows_reads_back_each_reports_rows_by_chunk_in_doc_id_order(tmp_path, monkeypatch):
    from parmine.pipelines import audit_run
    from parmine.pipelines.schema import PER_DOCUMENT
    from parmine.pipelines.store import Store

    src = tmp_path / "in"
    src.mkdir()
    for files in PIECES[:2]:
        for name, text in files.items():
            (src / name).write_text(text, encoding="utf-8")
    run([str(src)], tmp_path / "out", jobs=1, progress=False)
    with Store(tmp_path / "out", lock=False, read_only=True) as store:
        ids = [d for (d,) in store.query("SELECT doc_id FROM documents ORDER BY doc_id")[1]]
        assert ids == ["a", "b", "c", "d", "d2"]
        asked = ["d2", "nope", "b", "a", "d", "c", "a"]  # in no order, one not stored, one twice
        # (a) a mapping: doc_id and those columns only
        wanted = {"documents": ("province", "title"), "citations": ("id", "start"), "dates": ("value",)}
        reports = [r for chunk in audit_run.stored_rows(store, asked, wanted) for r in chunk]
        assert len(reports) == len(ids)
        for rows in reports:
            assert set(rows) == set(wanted)
            assert rows["citations"] and rows["dates"]
            for table, cols in wanted.items():
                assert all(list(r) == ["doc_id", *cols] for r in rows[table]), table
        # (b) a tuple: every column, each report's rows exactly the store's
        chunks, whole = [], {}
        for chunk in audit_run.stored_rows(store, asked, PER_DOCUMENT):
            chunks.append(chunk)
            for doc_id, rows in zip(chunk.doc_ids, chunk, strict=True):
                assert set(rows) == set(PER_DOCUMENT)
                assert [r["doc_id"] for r in rows["documents"]] == [doc_id]
                for table in PER_DOCUMENT:
                    cur = store.con.execute(f'SELECT * FROM "{table}" WHERE doc_id = ?', [doc_id])
                    names = [c[0] for c in cur.description]
                    want = [dict(zip(names, values)) for values in cur.fetchall()]
                    assert _as_set(rows[table]) == _as_set(want), (doc_id, table)
                whole[doc_id] = {t: _as_set(r) for t, r in rows.items()}
        assert [d for chunk in chunks for d in chunk.doc_ids] == ids  # (c) nothing for "nope", "a" once
        assert all(whole[d]["citations"] for d in ids)
        # (d) two reports a chunk: three chunks, the same reports in doc_id order
        monkeypatch.setattr(audit_run, "CHUNK", 2)
        chunks, again = [], {}
        for chunk in audit_run.stored_rows(store, asked, PER_DOCUMENT):
            chunks.append(chunk)
            again |= {d: {t: _as_set(r) for t, r in rows.items()} for d, rows in zip(chunk.doc_ids, chunk, strict=True)}
        assert [chunk.doc_ids for chunk in chunks] == [["a", "b"], ["c", "d"], ["d2"]] and again == whole
        # (e) a chunk's rows are let go of when the next is asked for (never two chunks' rows held)
        assert [chunk.closed for chunk in chunks] == [True, True, False]
        with pytest.raises(RuntimeError, match="let go of"):
            next(iter(chunks[0]))
        assert [r for chunk in audit_run.stored_rows(store, ["nope"], PER_DOCUMENT) for r in chunk] == []


def _row_groups(out: Path, table: str) -> int:
    """How many row groups ``table`` of the store in ``out`` is stored in."""
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    try:
        return con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info(?)", [table]).fetchone()[0]
    finally:
        con.close()


def test_the_row_groups_small_runs_leave_are_merged_by_the_next_run_while_it_mines(tmp_path, monkeypatch):
    """The end of a run checkpoints without DuckDB's vacuum (its merges cost a second at the end of a run of
    100 reports into 10,000); the next run's first batch does it: the row groups one small run after
    another leaves do not pile up, and the end-of-run checkpoints vacuum nothing."""
    from parmine.pipelines import run as run_module

    ends = []
    finish = run_module.finish
    monkeypatch.setattr(run_module, "finish", lambda store, *a, **k: (
        finish(store, *a, **k), ends.append(store.value("SELECT current_setting('max_vacuum_tasks')"))))
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    groups = []
    for n in range(1, 6):
        (src / f"r{n}.txt").write_text(_report(n, "NỘI VỤ", "SNV"), encoding="utf-8")
        run([str(src)], out, jobs=1, progress=False)
        groups.append(_row_groups(out, "documents"))
    assert ends == [0] * 5
    assert max(groups) <= 2, groups


def test_the_checkpoints_made_while_mining_leave_no_pile_of_row_groups(tmp_path, monkeypatch):
    """DuckDB appends no row to a row group once it is checkpointed: each
    checkpoint made while a run mines starts new row groups, and only its
    vacuum merges them.  With the vacuum off while mining, a run of 50,000
    reports left a row group per table per checkpoint and the main process
    grew by 2 MB a minute; so the vacuum stays on until the end of the run
    (here a checkpoint after every report, as DuckDB makes them on a long
    run: the five seeds' documents stay in one or two row groups, not five)."""
    from conftest import SEEDS

    from parmine.pipelines import run as run_module

    commit = run_module._Batch._commit

    def checkpointed(self, results):
        commit(self, results)
        self.store.execute("CHECKPOINT")
    monkeypatch.setattr(run_module._Batch, "_commit", checkpointed)
    monkeypatch.setattr(run_module._Batch, "BATCH_DOCS", 1)
    summary = run([str(SEEDS)], tmp_path / "out", jobs=1, progress=False)
    assert summary.processed == 5
    groups = {t: _row_groups(tmp_path / "out", t) for t in ("documents", "pages", "citations")}
    assert max(groups.values()) <= 2, groups


def test_the_rows_of_a_committed_batch_do_not_stay_in_the_main_process(tmp_path, monkeypatch):
    """After each batch commits, DuckDB gives back what it caches and moves
    the rows not yet checkpointed to its temporary file (:meth:`Store.release`):
    the main process does not hold up to DuckDB's limit of them between
    checkpoints (the five seeds, a batch each: up to 2.7 MB of rows held, 0.6 with the release)."""
    from conftest import SEEDS

    from parmine.pipelines import run as run_module

    held = []
    commit = run_module._Batch._commit

    def spy(self, results):
        commit(self, results)
        held.append(self.store.value("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                                     "WHERE tag = 'IN_MEMORY_TABLE'"))
    monkeypatch.setattr(run_module._Batch, "_commit", spy)
    monkeypatch.setattr(run_module._Batch, "BATCH_DOCS", 1)
    summary = run([str(SEEDS)], tmp_path / "out", jobs=1, progress=False)
    assert summary.processed == 5 and len(held) == 5
    assert max(held) <= 1 << 20, held


def test_conflict_chunks_hold_at_most_mentions_of_weight_a_heavier_key_alone_and_no_weightless_key(monkeypatch):
    from parmine.pipelines import audit_run

    monkeypatch.setattr(audit_run, "MENTIONS", 5)
    chunks = audit_run._chunks([("a", 2), ("b", 0), ("c", 3), ("d", 1), ("e", 9), ("f", 4), ("g", 1)])
    assert [c.column("cited_key").to_pylist() for c in chunks] == [["a", "c"], ["d"], ["e"], ["f", "g"]]
    assert audit_run._chunks([("a", 0)]) == []
