"""The command line: exit codes, --version, show, query (read-only),
citations, components switched off, and failures reported in one line with
an exit status, never a traceback."""
import csv
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import SAMPLE, SEEDS, wait_for_progress

from parmine.extract.nlp import build_nlp
from parmine.pipelines.cli import main
from parmine.pipelines.csv_safe import safe_cell
from parmine.pipelines.schema import blank_row

pytestmark = pytest.mark.slow

STEM = "003_46d9f00a676a4ea6"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    shutil.copy(SEEDS / f"{STEM}.txt", src)
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(src), "-o", str(out), "-j", "1", "--quiet"]) == 0
    return out


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "parmine.pipelines.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_version():
    from parmine import PIPELINE_VERSION, __version__
    proc = _cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"parmine {__version__} (pipeline {PIPELINE_VERSION})"


@pytest.mark.parametrize("args", [[], ["run"], ["plot", "out"], ["run", "x", "-o", "y", "--jobs", "many"],
                                  ["frobnicate"]])
def test_usage_errors_exit_1(args):
    proc = _cli(*args)
    assert proc.returncode == 1 and "usage:" in proc.stderr and "error:" in proc.stderr


def test_a_missing_input_exits_1_and_creates_no_dataset(tmp_path):
    proc = _cli("run", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1 and "nope: no such file or folder" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_show_prints_metadata_as_a_table_and_the_tree(capsys):
    assert main(["show", str(SEEDS / f"{STEM}.txt")]) == 0
    text = capsys.readouterr().out
    fields = dict(line.split(None, 1) for line in text.split("\n\n")[0].splitlines()[3:])
    assert fields["province"].strip() == "Quảng Trị" and fields["report_type"].strip() == "tthc_control"
    assert fields["signer"].strip() == "Nguyễn Hữu Thắng" and fields["period"].strip() == "Q3 2023"
    assert fields["pages"].strip() == "1" and fields["doc_number"].strip() == "—"
    assert "None" not in text and "{" not in text
    assert "II. ĐÁNH GIÁ CHUNG" in text and "(II.5)" in text and "[closing]" in text


def test_show_json(capsys):
    assert main(["show", "--json", str(SEEDS / f"{STEM}.txt")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["province"] == "Quảng Trị" and doc["period_detail"] == {"year": 2023, "kind": "quarter", "index": 3}
    assert doc["doc_number"] is None and doc["pages"] == 1
    assert any(s["path"] == "II.5" for s in doc["sections"])


def test_show_on_a_folder_lists_its_files(tmp_path, capsys):
    for stem in (STEM, "000_8ec424762efb3ebc"):
        shutil.copy(SEEDS / f"{stem}.txt", tmp_path)
    assert main(["show", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["file", "format", "pages"] and lines[-1] == "(2 documents)"
    assert "Q3 2020" in lines[2] and "Q3 2023" in lines[3]
    assert main(["show", "--json", str(tmp_path)]) == 0
    assert [d["doc_id"] for d in json.loads(capsys.readouterr().out)["documents"]] == ["000_8ec424762efb3ebc", STEM]


def test_query(out, capsys):
    assert main(["query", str(out), "SELECT count(*) AS n FROM citations"]) == 0
    assert capsys.readouterr().out.splitlines()[2].strip() == "44"


def test_query_csv_json_and_wide(out, capsys):
    sql = "SELECT sentence, value, page FROM indicators WHERE length(sentence) > 100 ORDER BY start LIMIT 3"
    assert main(["query", str(out), sql, "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["sentence", "value", "page"] and len(rows) == 4
    assert len(rows[1][0]) > 100 and "." not in rows[1][1]  # whole text; a count as an integer
    assert main(["query", str(out), sql, "--json"]) == 0
    objs = json.loads(capsys.readouterr().out)
    # the CSV neutralises what a spreadsheet would run ("- Tổng số …" → "'- Tổng số …"); JSON keeps the text
    assert [safe_cell(o["sentence"]) for o in objs] == [r[0] for r in rows[1:]] and isinstance(objs[0]["value"], int)
    assert main(["query", str(out), sql, "--wide"]) == 0
    wide = capsys.readouterr().out
    assert all(o["sentence"] in wide for o in objs) and "…" not in wide
    assert main(["query", str(out), sql]) == 0
    assert "…" in capsys.readouterr().out


@pytest.mark.parametrize("typed", ["61/2018/NĐ-CP", "61/2018/ND-CP", "61/2018/nđ-cp", "61 / 2018 / NĐ – CP"])
def test_citation_index(out, capsys, typed):
    assert main(["citations", str(out), "--id", typed]) == 0
    entry, mentions = capsys.readouterr().out.strip().split("\n\n")
    assert entry.splitlines()[0] == "61/2018/NĐ-CP in the registry:"
    assert "  date   2018-04-23" in entry and "  issuer Chính phủ" in entry and "  link   http://vbpl.vn/" in entry
    assert "  title  Về thực hiện cơ chế một cửa, một cửa liên thông" in entry
    lines = mentions.splitlines()
    assert len(lines) == 2 + 4 and all("61/2018/NĐ-CP" in l for l in lines[2:])
    assert main(["citations", str(out), "--top", "3"]) == 0
    head, _, top = capsys.readouterr().out.splitlines()[:3]
    assert top.startswith("61/2018/NĐ-CP") and " 4 " in top
    assert head.split()[-1] == "title" and top.endswith("Về thực hiện cơ chế một cửa, một cửa liên thông trong giải …")


def test_citation_rows_carry_the_registry_entry_unless_switched_off(out, tmp_path, capsys):
    sql = ("SELECT DISTINCT id, registry_id, registry_type, CAST(registry_date AS VARCHAR), registry_issuer, "
           "registry_url IS NOT NULL FROM citations WHERE registry_id IS NOT NULL ORDER BY 1")
    assert main(["query", str(out), sql, "--json"]) == 0
    rows = {r["id"]: list(r.values()) for r in json.loads(capsys.readouterr().out)}
    assert rows["61/2018/NĐ-CP"][1:] == ["61/2018/NĐ-CP", "Nghị định", "2018-04-23", "Chính phủ", True]
    assert not any("SKHCN" in i for i in rows)  # the department's own documents are in no registry
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / f"{STEM}.txt", src)
    assert main(["run", str(src), "-o", str(tmp_path / "none"), "-j", "1", "--quiet", "--registry", "none"]) == 0
    capsys.readouterr()
    assert main(["query", str(tmp_path / "none"), "SELECT count(registry_id) AS n FROM citations"]) == 0
    assert capsys.readouterr().out.splitlines()[2].strip() == "0"
    assert main(["query", str(tmp_path / "none"), "SELECT count(*) AS n FROM audit WHERE kind LIKE 'registry%'"]) == 0
    assert capsys.readouterr().out.splitlines()[2].strip() == "0"


def test_a_malformed_registry_exits_1_before_anything_is_made(tmp_path):
    (tmp_path / "reg.csv").write_text("id,date\n1/QĐ-UBND,2020-01-02\n2/QĐ-UBND,2020-31-01\n", encoding="utf-8")
    proc = _cli("run", str(SEEDS / f"{STEM}.txt"), "-o", str(tmp_path / "out"), "--registry", str(tmp_path / "reg.csv"))
    assert proc.returncode == 1 and "reg.csv: line 3: date '2020-31-01' is not a date" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_citation_suggests_near_ids(out, capsys):
    assert main(["citations", str(out), "--id", "61/2019/ND-CP"]) == 1
    err = capsys.readouterr().err
    assert "no citation of 61/2019/ND-CP" in err and "did you mean: 61/2018/NĐ-CP" in err


def test_exit_status_two_when_a_document_fails(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "rong.txt").write_bytes(b"")
    shutil.copy(SEEDS / f"{STEM}.txt", tmp_path / "in")
    proc = subprocess.run([sys.executable, "-m", "parmine.pipelines.cli", "run", str(tmp_path / "in"),
                           "-o", str(tmp_path / "out"), "-j", "1", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 2 and "rong" in proc.stdout and "1 failed" in proc.stdout


def test_components_can_be_switched_off():
    text = "Sở đã tiếp nhận 15 hồ sơ theo Quyết định số 7/QĐ-UBND ngày 2/3/2021."
    full = build_nlp()(text)
    assert len(full.spans["quantities"]) == 1 and len(full.spans["citations"]) == 1
    lean = build_nlp(("parmine_quantities", "parmine_indicators"))(text)
    assert "quantities" not in lean.spans and lean._.indicators is None
    assert len(lean.spans["citations"]) == 1


# -- query is read-only -----------------------------------------------------------

def test_query_runs_read_only(out, tmp_path, capsys):
    from parmine.pipelines.store import Store

    other = tmp_path / "other"
    with Store(other) as st:
        st.commit_document("a", {"documents": [blank_row("documents", doc_id="a", pipeline_version="v")]})
    export_before = (out / "errors.parquet").read_bytes()
    refused = [
        f"COPY (SELECT 1 AS x) TO '{out}/errors.parquet' (FORMAT PARQUET)",
        f"ATTACH '{other}/parmine.duckdb' AS o (READ_ONLY false); DELETE FROM o.documents",
        "SELECT 1; DELETE FROM documents",
        "INSTALL httpfs",
        "CREATE TABLE t AS SELECT 1",
        f"SELECT * FROM read_text('{out}/indicators.csv')",
        f"SELECT * FROM '{out}/errors.parquet'",
        "SET enable_external_access = true",
    ]
    for sql in refused:
        assert main(["query", str(out), sql]) == 1, sql
        err = capsys.readouterr().err
        assert "read-only" in err and len(err.strip().splitlines()) == 1, sql
    assert (out / "errors.parquet").read_bytes() == export_before
    with Store(other, lock=False, read_only=True) as st:
        assert st.query("SELECT count(*) FROM documents")[1] == [(1,)]
    assert main(["query", str(out), "SELECT count(*) AS n FROM documents"]) == 0


# -- failures are one line, never a traceback --------------------------------------

def _cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parmine.pipelines.cli", *map(str, args)],
                          capture_output=True, text=True, **kw)


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "Exception ignored" not in err, err
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("parmine: "), err
    return lines[0]


def test_reading_commands_while_a_run_holds_the_store(out, capsys):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from parmine.pipelines.store import Store; s = Store(sys.argv[1]); "
        "print('ready', flush=True); sys.stdin.read()"), str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        for argv in (["query", out, "SELECT 1"], ["report", out], ["citations", out, "--top", "3"],
                     ["export", out]):
            assert main([str(a) for a in argv]) == 1, argv
            line = _one_line(capsys.readouterr().err)
            assert "try again" in line or "wait for it" in line, line
    finally:
        holder.communicate("")


def _read_only_mount(folder: Path, *cmd) -> subprocess.CompletedProcess:
    """Run a parmine command with ``folder`` mounted read-only (a private
    mount namespace: nothing outside the command sees it)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh",
                           str(folder), sys.executable, "-m", "parmine.pipelines.cli", *map(str, cmd)],
                          capture_output=True, text=True)


def test_a_read_only_output_folder(out, tmp_path):
    src = SEEDS / f"{STEM}.txt"
    (tmp_path / "empty").mkdir()
    proc = _read_only_mount(tmp_path / "empty", "run", src, "-o", tmp_path / "empty", "-j", "1")
    assert proc.returncode == 1 and "cannot write to" in _one_line(proc.stderr)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    proc = _read_only_mount(copy, "export", copy)
    assert proc.returncode == 1 and "cannot write to" in _one_line(proc.stderr)
    proc = _read_only_mount(copy, "query", copy, "SELECT count(*) AS n FROM documents")
    assert proc.returncode == 0, proc.stderr  # reading a read-only dataset works


def test_an_output_folder_that_is_a_file(tmp_path, capsys):
    (tmp_path / "out").write_text("x")
    assert main(["run", str(SEEDS / f"{STEM}.txt"), "-o", str(tmp_path / "out"), "-j", "1", "--quiet"]) == 1
    assert "is a file, not a folder" in _one_line(capsys.readouterr().err)


def test_a_damaged_store_is_reported_and_can_be_rebuilt(out, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / f"{STEM}.txt", src)
    db = (out / "parmine.duckdb").read_bytes()
    for damage in (db[: len(db) // 3], os.urandom(len(db))):
        broken = tmp_path / "broken"
        shutil.rmtree(broken, ignore_errors=True)
        broken.mkdir()
        (broken / "parmine.duckdb").write_bytes(damage)
        for argv in (["run", src, "-o", broken, "-j", "1", "--quiet"],
                     ["run", src, "-o", broken, "-j", "1", "--quiet", "--force"],
                     ["query", broken, "SELECT 1"], ["export", broken]):
            assert main([str(a) for a in argv]) == 1, argv
            line = _one_line(capsys.readouterr().err)
            assert "cannot be read" in line and "--rebuild" in line, line
    assert main(["run", str(src), "-o", str(broken), "-j", "1", "--quiet", "--rebuild"]) == 0
    kept = list(broken.glob("parmine.duckdb.*.old"))
    assert len(kept) == 1 and kept[0].read_bytes() == damage  # set aside, never deleted
    assert main(["query", str(broken), "SELECT count(*) AS n FROM documents"]) == 0


def test_a_full_disk_during_export(out, tmp_path):
    """A tmpfs just big enough for the store (in a private mount namespace)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    size = (out / "parmine.duckdb").stat().st_size + 64 * 1024
    script = ('mount -t tmpfs -o size="$1" tmpfs "$2" && cp "$3" "$2/" && '
              '"$4" -m parmine.pipelines.cli export "$2"; echo "export exit $?" >&2; '
              'ls -A "$2"; "$4" -m parmine.pipelines.cli query "$2" "SELECT count(*) AS n FROM documents"')
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh",
                           str(size), str(mnt), str(out / "parmine.duckdb"), sys.executable],
                          capture_output=True, text=True)
    err, status = proc.stderr.rsplit("export exit ", 1)
    assert status.strip() == "1" and "disk is full" in _one_line(err)
    files = proc.stdout.split("\n(1 row)")[0].splitlines()
    assert not any(f.endswith(".tmp") for f in files), files  # nothing half-written left
    assert proc.stdout.strip().endswith("(1 row)") and proc.stdout.splitlines()[-2].strip() == "1"


def test_ctrl_c_and_sigterm_stop_a_run_with_a_summary_and_no_traceback(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(DOCS := 48):  # enough that the run is still going when the signal comes, on a busy machine too
        shutil.copy(SEEDS / f"{STEM}.txt", src / f"c{i:02d}.txt")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "parmine.pipelines.cli", "run", str(src), "-o", str(out), "-j", "2", "--progress"]
    for how, status in (("SIGINT", 130), ("SIGTERM", 143)):
        proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        seen = wait_for_progress(proc, 1)
        if how == "SIGINT":  # Ctrl-C: the terminal signals the whole process group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
        err = (seen + stderr).decode()
        assert proc.returncode == status, err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert f"stopped by {how}" in err and "run the same command again to resume" in err
        assert " mined, " in stdout.decode()
    resumed = _cli("run", src, "-o", out, "-j", "2", "--quiet")
    assert resumed.returncode == 0
    mined, skipped = map(int, re.search(r"(\d+) mined, (\d+) unchanged", resumed.stdout).groups())
    assert skipped >= 1 and mined + skipped == DOCS


def _png(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) \
        + chunk(b"IEND", b"")


def test_show_on_a_bomb_and_on_a_broken_docx(tmp_path, capsys):
    (tmp_path / "bomb.png").write_bytes(_png(60000, 60000))
    (tmp_path / "near.png").write_bytes(_png(12000, 9000))  # over the limit, under Pillow's error
    good = zipfile.ZipFile(SAMPLE / "002_db644a6e68f0f5dc.docx")
    with zipfile.ZipFile(tmp_path / "broken.docx", "w") as zf:
        for name in good.namelist():
            zf.writestr(name, b"<w:document broken" if name == "word/document.xml" else good.read(name))
    for name, words in (("bomb.png", "too large"), ("near.png", "decompression bomb"),
                        ("broken.docx", "damaged")):
        assert main(["show", str(tmp_path / name)]) == 2
        assert words in _one_line(capsys.readouterr().err), name


def test_usage_mistakes_are_one_line(out, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["citations", str(out), "--top", "-3"])
    assert exit_.value.code != 0 and "above 0" in capsys.readouterr().err
    assert main(["report", str(out), "-o", str(tmp_path / "missing" / "r.html")]) == 1
    assert "does not exist" in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "missing").exists()
    for argv in (["citations", tmp_path / "nowhere", "--top", "3"],
                 ["plot", tmp_path / "nowhere", "--indicator", "dossiers.received"],
                 ["query", tmp_path / "nowhere", "SELECT 1"]):
        assert main([str(a) for a in argv]) == 1
        assert "no dataset" in _one_line(capsys.readouterr().err)
        assert not (tmp_path / "nowhere").exists()


def test_output_into_a_closed_pipe(tmp_path):
    proc = subprocess.run(["bash", "-c", '"$0" -m parmine.pipelines.cli show "$1" | true; '
                           'echo "status ${PIPESTATUS[0]}" >&2', sys.executable,
                           str(SEEDS / f"{STEM}.txt")], capture_output=True, text=True)
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr, proc.stderr
    assert proc.stderr.strip() == "status 141"


def test_a_provinces_registry_adds_to_the_central_one(tmp_path, capsys):
    from conftest import SHARED

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bd.txt").write_text(
        "UBND TỈNH BÌNH DƯƠNG\nSỞ TƯ PHÁP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/BC-STP\nBình Dương, ngày 20 tháng 8 năm 2022\nBÁO CÁO\nKết quả kiểm soát thủ tục hành chính\n\n"
        "Thực hiện Quyết định số 1707/QĐ-UBND ngày 16/7/2022 của UBND tỉnh về công bố thủ tục hành chính "
        "và Nghị định số 61/2018/NĐ-CP ngày 23/5/2018 của Chính phủ, Sở đã tiếp nhận 15 hồ sơ.\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "-o", str(out), "-j", "1", "--quiet",
                 "--registry", str(SHARED / "data" / "registries" / "binhduong.csv")]) == 0
    capsys.readouterr()
    assert main(["query", str(out), "SELECT kind, id, expected FROM audit WHERE kind LIKE 'registry%' "
                 "ORDER BY id", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "registry_date_conflict,1707/QĐ-UBND,2022-07-15", "registry_date_conflict,61/2018/NĐ-CP,2018-04-23"]
    assert main(["citations", str(out), "--id", "1707/QĐ-UBND"]) == 0
    entry = capsys.readouterr().out
    assert "  issuer UBND tỉnh Bình Dương" in entry and "binhduong.gov.vn" in entry
