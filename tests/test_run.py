"""Whole runs on real files: bad input loses nothing, reruns skip unchanged
documents, a killed run (even its main process alone, by kill -9) resumes to
the same tables, no run replaces another file's document, the Dask executor
gives the same dataset as the process pool, and a second writer is
refused."""
import json
import os
import shutil
import signal
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import alive, dataset_tables, start_run, wait_for_progress

from parmine.pipelines.run import _Batch, run

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


def test_rerun_skips_unchanged_and_force_reprocesses(tmp_path):
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
