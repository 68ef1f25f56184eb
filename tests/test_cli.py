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
