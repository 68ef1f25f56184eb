"""Collecting inputs: doc_ids, folders, and archives extracted safely."""
import zipfile

import pytest

from parmine.pipelines import inputs
from parmine.pipelines.inputs import UnsafeArchive, collect, extract_zip


def test_doc_ids_are_stems_and_unique(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ["a/bao-cao.txt", "a/bao-cao.pdf", "a/bao-cao.scan.pdf", "khac.docx"]:
        (tmp_path / name).write_bytes(b"x")
    got = {i.path.name: i.doc_id for i in collect([tmp_path], tmp_path / ".w").items}
    assert got["bao-cao.txt"] == "bao-cao"          # the text version keeps the bare stem
    assert got["bao-cao.pdf"] == "bao-cao.pdf"      # the others are told apart by format
    assert got["bao-cao.scan.pdf"] == "bao-cao.scan"
    assert got["khac.docx"] == "khac"
    assert len(set(got.values())) == 4


def test_missing_input_is_an_error_row(tmp_path):
    c = collect([tmp_path / "nowhere"], tmp_path / ".w")
    assert c.items == [] and c.errors[0]["stage"] == "input"


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def test_zip_members_are_collected(tmp_path):
    z = _zip(tmp_path / "lo.zip", [("q1/bc-1.txt", "BÁO CÁO"), ("q1/bc-2.txt", "BÁO CÁO")])
    c = collect([z], tmp_path / ".w")
    assert sorted(i.doc_id for i in c.items) == ["bc-1", "bc-2"]
    assert all(".w" in str(i.path) for i in c.items)


@pytest.mark.parametrize("evil", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt"])
def test_path_traversal_is_refused(tmp_path, evil):
    z = _zip(tmp_path / "evil.zip", [("ok.txt", "x"), (evil, "x")])
    c = collect([z], tmp_path / "work")
    assert c.items == []
    assert len(c.errors) == 1 and c.errors[0]["stage"] == "archive"
    assert "outside" in c.errors[0]["reason"]
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_is_refused(tmp_path):
    z = _zip(tmp_path / "bomb.zip", [("zeros.txt", b"\0" * (30 * 1024 * 1024))])
    c = collect([z], tmp_path / "work")
    assert c.items == [] and "zip bomb" in c.errors[0]["reason"]
    assert not any((tmp_path / "work").rglob("zeros.txt"))


def test_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_MEMBERS", 3)
    z = _zip(tmp_path / "many.zip", [(f"{i}.txt", "x") for i in range(5)])
    with pytest.raises(UnsafeArchive):
        extract_zip(z, tmp_path / "work")


def test_corrupt_zip_is_an_error_row(tmp_path):
    z = tmp_path / "broken.zip"
    z.write_bytes(b"PK\x03\x04 not really a zip")
    c = collect([z], tmp_path / "work")
    assert c.items == [] and c.errors[0]["stage"] == "archive"
