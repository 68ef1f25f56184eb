"""Collecting inputs: doc_ids, folders, and archives extracted safely."""
import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from parmine.pipelines import inputs
from parmine.pipelines.inputs import Item, Items, UnsafeArchive, collect, extract_zip


def test_doc_ids_are_stems_and_unique(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ["a/bao-cao.txt", "a/bao-cao.pdf", "a/bao-cao.scan.pdf", "khac.docx"]:
        (tmp_path / name).write_bytes(b"x")
    got = {Path(i.file).name: i.doc_id for i in collect([tmp_path], tmp_path / ".w").items}
    assert got["bao-cao.txt"] == "bao-cao"          # the text version keeps the bare stem
    assert got["bao-cao.pdf"] == "bao-cao.pdf"      # the others are told apart by format
    assert got["bao-cao.scan.pdf"] == "bao-cao.scan"
    assert got["khac.docx"] == "khac"
    assert len(set(got.values())) == 4


def test_missing_input_is_an_error_row(tmp_path):
    c = collect([tmp_path / "nowhere"], tmp_path / ".w")
    assert not c.items and c.errors[0]["stage"] == "input"


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def test_zip_members_are_collected(tmp_path):
    z = _zip(tmp_path / "lo.zip", [("q1/bc-1.txt", "BÁO CÁO"), ("q1/bc-2.txt", "BÁO CÁO")])
    c = collect([z], tmp_path / ".w")
    assert sorted(i.doc_id for i in c.items) == ["bc-1", "bc-2"]
    assert all(".w" in i.file for i in c.items)
    assert sorted(i.source for i in c.items) == [f"{z.resolve()}!q1/bc-1.txt", f"{z.resolve()}!q1/bc-2.txt"]


@pytest.mark.parametrize("evil", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt"])
def test_path_traversal_is_refused(tmp_path, evil):
    z = _zip(tmp_path / "evil.zip", [("ok.txt", "x"), (evil, "x")])
    c = collect([z], tmp_path / "work")
    assert not c.items
    assert len(c.errors) == 1 and c.errors[0]["stage"] == "archive"
    assert "outside" in c.errors[0]["reason"]
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_is_refused(tmp_path):
    z = _zip(tmp_path / "bomb.zip", [("zeros.txt", b"\0" * (30 * 1024 * 1024))])
    c = collect([z], tmp_path / "work")
    assert not c.items and "zip bomb" in c.errors[0]["reason"]
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
    assert not c.items and c.errors[0]["stage"] == "archive"


# -- document identity: nothing stored is replaced by another file -------------

def test_a_stem_held_by_a_stored_source_is_not_taken_over(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(folder)
    first = collect([tmp_path / "b"], tmp_path / ".w")
    assert [i.doc_id for i in first.items] == ["report"] and not first.warnings
    stored = {i.source: i.doc_id for i in first.items}
    second = collect([tmp_path / "a"], tmp_path / ".w", known=stored)
    (item,) = second.items
    assert item.doc_id.startswith("report~") and len(item.doc_id) == len("report~") + 8
    assert item.source == str((tmp_path / "a" / "report.txt").resolve())
    assert "stored earlier" in second.warnings[0] and item.doc_id in second.warnings[0]
    # the stored source keeps its doc_id, the other one gets the same one again
    both = collect([tmp_path], tmp_path / ".w", known={**stored, item.source: item.doc_id})
    assert {i.source: i.doc_id for i in both.items} == {**stored, item.source: item.doc_id}


def test_a_new_format_of_a_stored_report_gets_its_file_name(tmp_path):
    (tmp_path / "002.docx").write_bytes(b"x")
    stored = {i.source: i.doc_id for i in collect([tmp_path / "002.docx"], tmp_path / ".w").items}
    (tmp_path / "002.txt").write_text("x")
    got = {Path(i.file).name: i.doc_id for i in collect([tmp_path], tmp_path / ".w", known=stored).items}
    assert got == {"002.docx": "002", "002.txt": "002.txt"}


def test_same_name_in_two_folders_of_one_run(tmp_path):
    for folder in ("q1", "q2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bc.txt").write_text(folder)
    c = collect([tmp_path], tmp_path / ".w")
    ids = sorted(i.doc_id for i in c.items)
    assert ids[0] == "bc" and ids[1].startswith("bc~") and len(c.warnings) == 1


def test_an_archive_error_and_a_file_of_the_same_stem_are_both_kept(tmp_path):
    (tmp_path / "lo.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "lo.txt").write_text("BÁO CÁO")
    c = collect([tmp_path], tmp_path / ".w")
    assert [i.doc_id for i in c.items] == ["lo"]
    assert [(e["doc_id"], e["stage"]) for e in c.errors] == [("lo.zip", "archive")]


def test_zip_members_of_the_same_name_are_all_kept_and_named_by_their_place(tmp_path):
    z = tmp_path / "lo.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("q1/bc.txt", "một")
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("q1/bc.txt", "hai")
        zf.writestr("q2/bc.txt", "ba")
        zf.writestr("__MACOSX/q1/._bc.txt", "resource fork")
    c = collect([z], tmp_path / ".w")
    src = str(z.resolve())
    got = {i.source: i for i in c.items}
    assert set(got) == {f"{src}!q1/bc.txt", f"{src}!q1/bc.txt#2", f"{src}!q2/bc.txt"}
    assert got[f"{src}!q1/bc.txt"].doc_id == "bc"
    assert [Path(got[s].file).read_text() for s in sorted(got)] == ["một", "hai", "ba"]
    assert len({i.doc_id for i in c.items}) == 3


def test_one_file_given_twice_is_read_once(tmp_path):
    (tmp_path / "in").mkdir()
    f = tmp_path / "in" / "bc.txt"
    f.write_text("x")
    (tmp_path / "in" / "link.txt").symlink_to(f)
    c = collect([tmp_path / "in", f, tmp_path / "in" / ".." / "in" / "bc.txt"], tmp_path / ".w")
    assert [(i.doc_id, i.source) for i in c.items] == [("bc", str(f.resolve()))]
    assert c.warnings and not c.errors


def test_links_leaving_the_input_folder_are_not_followed_and_reported(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    (inside / "sub").mkdir()
    (inside / "sub" / "bc.txt").write_text("x")
    (inside / "passwd.txt").symlink_to("/etc/passwd")
    (inside / "folder").symlink_to(outside)
    (inside / "again").symlink_to(inside / "sub")  # inside the tree: followed (read once)
    (inside / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(inside / "pipe.txt")
    c = collect([inside], tmp_path / ".w")
    assert [Path(i.file).name for i in c.items] == ["bc.txt"]
    why = {e["path"].rsplit("/", 1)[1]: e["reason"] for e in c.errors}
    assert set(why) == {"passwd.txt", "folder", "dangling.txt", "pipe.txt"}
    assert "/etc/passwd" in why["passwd.txt"] and "not followed" in why["folder"]
    assert "broken" in why["dangling.txt"] and "not a regular file" in why["pipe.txt"]
    assert all(e["stage"] == "input" for e in c.errors)


def test_the_output_folder_inside_an_input_is_not_read(tmp_path):
    (tmp_path / "bc.txt").write_text("x")
    (tmp_path / "out" / "pred").mkdir(parents=True)
    (tmp_path / "out" / "indicators.csv").write_text("a,b")
    (tmp_path / "out" / "pred" / "bc.pred.json").write_text("{}")
    c = collect([tmp_path], tmp_path / "out" / ".inputs", skip=(tmp_path / "out",))
    assert [Path(i.file).name for i in c.items] == ["bc.txt"] and not c.errors


# -- archive limits --------------------------------------------------------------

def test_many_highly_compressed_members_are_refused_as_a_whole(tmp_path):
    members = [(f"m{i:02d}.txt", b"\0" * (10 * 1024 * 1024)) for i in range(60)]
    z = _zip(tmp_path / "many.zip", members)
    assert z.stat().st_size < 1024 * 1024  # about 600 MB in about 600 KB
    c = collect([z], tmp_path / "work")
    assert not c.items and "zip bomb" in c.errors[0]["reason"]
    assert not any((tmp_path / "work").rglob("*.txt"))


def test_the_archives_of_one_run_share_a_size_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "RUN_MAX_BYTES", 3000)
    for name in ("a.zip", "b.zip"):
        _zip(tmp_path / name, [("x.txt", os.urandom(1000).hex())])  # 2000 bytes each
    c = collect([tmp_path], tmp_path / ".w")
    assert len(c.items) == 1 and len(c.errors) == 1
    assert "archives of this run" in c.errors[0]["reason"]


def test_rows_stored_without_a_source_give_their_doc_id_to_the_file_of_that_stem(tmp_path):
    (tmp_path / "report.txt").write_text("x")
    legacy = {"in/report.txt": "report", f"{tmp_path}/out/.inputs/lo-0123/q1/bc.txt": "bc"}
    c = collect([tmp_path / "report.txt"], tmp_path / ".w", known=legacy)
    assert [i.doc_id for i in c.items] == ["report"] and not c.warnings


def test_items_are_packed_and_ordered_as_a_list_of_items_would_be(tmp_path):
    """Items keeps Item's fields (a source that is not the file, a file
    name that is not UTF-8) and a list's order under sort, reverse, pop and
    slices, in a fraction of the memory of the Item objects."""
    odd = os.fsdecode(b"/kho/b\xe1o-c\xe1o.txt")  # a Latin-1 name: not UTF-8
    given = [Item(f"/kho/{n % 7}/bc-{n}.txt", f"bc-{n}") for n in range(300)]
    given += [Item(odd, "bao-cao"), Item("/w/1.txt", "qd", "/kho/qd.zip!qd.txt")]
    packed, plain = Items(given), list(given)
    assert list(packed) == plain and packed[5:9] == plain[5:9]
    assert packed[300].file == odd and packed[-1].source == "/kho/qd.zip!qd.txt" and packed[0].source == given[0].file
    for seq in (packed, plain):
        seq.sort(key=lambda i: len(i.file) % 5, reverse=True)
        seq.reverse()
    assert list(packed) == plain
    assert [packed.pop() for _ in range(40)] == [plain.pop() for _ in range(40)] and len(packed) == len(plain)

    tracemalloc.start()
    many = [Item(f"/kho/tinh-{n % 63}/bao-cao-cchc-{n}.txt", f"bao-cao-cchc-{n}") for n in range(10_000)]
    objects = tracemalloc.get_traced_memory()[0]
    packed = Items(many)
    del many
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held * 2 < objects, (held, objects)
