"""The command line: exit codes, --version, show, query, citations, and
components switched off."""
import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from conftest import SEEDS
from parmine.extract.nlp import build_nlp
from parmine.pipelines.cli import main

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
    assert [o["sentence"] for o in objs] == [r[0] for r in rows[1:]] and isinstance(objs[0]["value"], int)
    assert main(["query", str(out), sql, "--wide"]) == 0
    wide = capsys.readouterr().out
    assert all(r[0] in wide for r in rows[1:]) and "…" not in wide
    assert main(["query", str(out), sql]) == 0
    assert "…" in capsys.readouterr().out


@pytest.mark.parametrize("typed", ["61/2018/NĐ-CP", "61/2018/ND-CP", "61/2018/nđ-cp", "61 / 2018 / NĐ – CP"])
def test_citation_index(out, capsys, typed):
    assert main(["citations", str(out), "--id", typed]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 + 4 and all("61/2018/NĐ-CP" in l for l in lines[2:])
    assert main(["citations", str(out), "--top", "3"]) == 0
    top = capsys.readouterr().out.splitlines()[2]
    assert top.startswith("61/2018/NĐ-CP") and " 4 " in top


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
