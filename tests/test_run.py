"""Whole runs on real files: bad input loses nothing, reruns skip unchanged
documents, a killed run resumes to the same tables, the Dask executor gives
the same dataset as the process pool, and a second writer is refused."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from parmine.pipelines.run import run

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
GOOD = sorted(SAMPLE.glob("*.txt"))[:3]
CONTENT_TABLES = ("documents", "sections", "citations", "dates", "quantities", "indicators")


def _tables(out: Path) -> dict:
    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    try:
        got = {}
        for t in CONTENT_TABLES:
            cols = [c for c in con.execute(f'SELECT * FROM "{t}" LIMIT 0').fetchdf().columns
                    if c not in ("processed_at", "path")]
            sel = ", ".join(f'"{c}"' for c in cols)
            got[t] = sorted(map(repr, con.execute(f'SELECT {sel} FROM "{t}"').fetchall()))
        got["audit"] = sorted(map(repr, con.execute(
            "SELECT kind, id, doc_id, start FROM audit").fetchall()))
        return got
    finally:
        con.close()


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


def test_kill_9_then_resume_equals_an_uninterrupted_run(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):  # enough documents that the kill lands mid-run
        p = GOOD[i % len(GOOD)]
        shutil.copy(p, src / f"c{i:02d}-{p.name}")
    clean = run([str(src)], tmp_path / "clean", jobs=1, progress=False)
    assert clean.processed == 12
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "parmine.pipelines.cli", "run", str(src), "-o", str(out), "-j", "1", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True)
    db = out / "parmine.duckdb"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some documents are committed
        time.sleep(0.2)
        if db.exists():
            try:
                con = duckdb.connect(str(db), read_only=True)
                n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
            except duckdb.Error:
                continue
            if n >= 2:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    resumed = run([str(src)], out, jobs=1, progress=False)
    assert resumed.skipped >= 2 and resumed.processed + resumed.skipped == 12
    assert _tables(out) == _tables(tmp_path / "clean")


def test_dask_local_cluster_equals_process_pool(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in GOOD:
        shutil.copy(p, src / p.name)
    run([str(src)], tmp_path / "pool", jobs=2, progress=False)
    run([str(src)], tmp_path / "dask", jobs=2, executor="dask", progress=False)
    assert _tables(tmp_path / "dask") == _tables(tmp_path / "pool")
