"""The command line: show, query, citations, and components switched off."""
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


def test_show_prints_metadata_and_tree(capsys):
    assert main(["show", str(SEEDS / f"{STEM}.txt")]) == 0
    text = capsys.readouterr().out
    assert "Quảng Trị" in text and "tthc_control" in text and "Nguyễn Hữu Thắng" in text
    assert "II. ĐÁNH GIÁ CHUNG" in text and "(II.5)" in text and "[closing]" in text


def test_query(out, capsys):
    assert main(["query", str(out), "SELECT count(*) AS n FROM citations"]) == 0
    assert capsys.readouterr().out.splitlines()[2].strip() == "44"


def test_citation_index(out, capsys):
    assert main(["citations", str(out), "--id", "61/2018/NĐ-CP"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 + 4 and all("61/2018/NĐ-CP" in l for l in lines[2:])
    assert main(["citations", str(out), "--top", "3"]) == 0
    top = capsys.readouterr().out.splitlines()[2]
    assert top.startswith("61/2018/NĐ-CP") and " 4 " in top


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
