"""The process pool: results for every document, a time limit on progress,
a batch that survives a worker dying, idle workers helping with OCR, and a
stopped document's processes and temporary files ended with it."""
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import DERIVED, SAMPLE, alive

from parmine.corpus import progress
from parmine.pipelines import process
from parmine.pipelines.executors import ProcessPool
from parmine.pipelines.inputs import Item, Items
from parmine.pipelines.task import Options, Result

pytestmark = pytest.mark.slow


def _fake(path, doc_id, options, source=None):
    if doc_id.startswith("slow"):
        time.sleep(60)
    if doc_id.startswith("steady"):  # long, but a page every 0.5 s
        for _ in range(8):
            time.sleep(0.5)
            progress.beat()
    if doc_id.startswith("crash"):
        os._exit(3)
    return Result(doc_id, path, sha256="x", rows={"documents": [{"doc_id": doc_id}]})


def _items(tmp_path, names):
    out = []
    for n in names:
        p = tmp_path / f"{n}.txt"
        p.write_text(n)
        out.append(Item(p, n))
    return out


def test_every_document_comes_back(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "process_document", _fake)  # the worker imports it after the fork
    got = list(ProcessPool(2, timeout=30).map(_items(tmp_path, ["a", "b", "c", "d", "e"]), Options()))
    assert sorted(r.doc_id for r in got) == ["a", "b", "c", "d", "e"]
    assert all(r.error is None for r in got)


def test_the_largest_file_goes_first_and_the_inputs_go_as_they_are_handed_out(tmp_path, monkeypatch):
    """A run hands its inputs over (packed, :class:`Items`): the pool sorts
    them in place and pops from them, holding no copy."""
    monkeypatch.setattr(process, "process_document", _fake)
    items = Items()
    for name, size in [("small", 1), ("large", 300), ("mid", 20), ("mid-too", 20)]:
        (tmp_path / f"{name}.txt").write_text("x" * size)
        items.append(Item(tmp_path / f"{name}.txt", name))
    got, left = [], []
    for r in ProcessPool(1, timeout=30).map(items, Options()):
        got.append(r.doc_id)
        left.append(len(items))
    assert got == ["large", "mid", "mid-too", "small"]  # files of one size in the order given
    assert left[0] < 4 and left == sorted(left, reverse=True) and left[-1] == 0


def test_a_document_past_the_time_limit_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "process_document", _fake)
    t0 = time.monotonic()
    got = {r.doc_id: r for r in ProcessPool(2, timeout=2).map(
        _items(tmp_path, ["slow", "a", "b", "c"]), Options())}
    assert time.monotonic() - t0 < 30
    assert got["slow"].error["stage"] == "timeout"
    assert "limit of 2 s" in got["slow"].error["reason"]
    assert all(got[k].error is None for k in "abc")


def test_a_dying_worker_is_an_error_and_the_batch_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "process_document", _fake)
    got = {r.doc_id: r for r in ProcessPool(1, timeout=30).map(
        _items(tmp_path, ["crash", "a", "b"]), Options())}
    assert got["crash"].error["stage"] == "worker"
    assert got["a"].error is None and got["b"].error is None


def test_a_long_document_that_keeps_making_progress_is_not_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "process_document", _fake)
    got = {r.doc_id: r for r in ProcessPool(2, timeout=2).map(
        _items(tmp_path, ["steady", "slow", "a"]), Options())}
    assert got["steady"].error is None  # 4 s in all, never 2 s without a page
    assert got["slow"].error["stage"] == "timeout"


def test_an_idle_worker_ocrs_a_busy_workers_scan_from_the_back(tmp_path):
    scan = next(SAMPLE.glob("*.scan.pdf"))
    text = next(SAMPLE.glob("*.txt"))
    pool = ProcessPool(2, timeout=120)
    cache = tmp_path / "ocr"
    got = {r.doc_id: r for r in pool.map([Item(scan, "scan"), Item(text, "text")],
                                         Options(ocr_cache=str(cache)))}
    assert got["scan"].error is None and got["text"].error is None
    pages = got["scan"].rows["pages"].to_pylist()
    assert pool.helped_pages >= 1  # the worker done with the text took pages from the back
    assert [p["source"] for p in pages] == ["ocr"] * got["scan"].pages
    assert all(p["chars"] > 200 for p in pages)
    assert len(list(cache.rglob("*.txt"))) == got["scan"].pages  # each page image OCRed into the cache


def _tesseracts(under: Path) -> set[int]:
    """Tesseract processes working on an image under ``under``."""
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if cmd and cmd[0].endswith(b"tesseract") and any(str(under).encode() in c for c in cmd):
            found.add(int(proc.name))
    return found


def test_a_stopped_document_leaves_no_process_and_no_temporary_file(tmp_path):
    from PIL import Image

    # black and white at 600 dpi: quick to turn into a page image, about 2 s for Tesseract
    subprocess.run(["pdftoppm", "-r", "600", "-mono", "-f", "1", "-l", "3",
                    str(DERIVED / "004_e0d8482e7872d50a.pdf"), str(tmp_path / "p")], check=True)
    first, *rest = [Image.open(p) for p in sorted(tmp_path.glob("p-*.pbm"))]
    first.save(tmp_path / "scan.tif", save_all=True, append_images=rest, compression="tiff_deflate")
    work = tmp_path / "work"
    work.mkdir()
    seen, done = set(), threading.Event()

    def watch():
        while not done.is_set():
            seen.update(_tesseracts(work))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        pool = ProcessPool(1, timeout=1, workdir=str(work))
        (got,) = pool.map([Item(tmp_path / "scan.tif", "scan")], Options(ocr_cache=str(tmp_path / "c")))
    finally:
        done.set()
        watcher.join()
    assert got.error["stage"] == "timeout"
    assert seen  # it was stopped while Tesseract was at work on a page
    time.sleep(0.5)
    assert not any(map(alive, seen))
    assert list(work.iterdir()) == []  # the worker's temporary folder went with it


def test_dask_honours_the_time_limit_on_progress(tmp_path, monkeypatch):
    """A real LocalCluster: the workers import this module (``_fake``) from the tests folder."""
    from parmine.pipelines.executors import DaskExecutor

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]))
    t0 = time.monotonic()
    got = {r.doc_id: r for r in DaskExecutor(jobs=2, timeout=3, task=_fake).map(
        _items(tmp_path, ["slow", "steady", "a", "b"]), Options())}
    assert time.monotonic() - t0 < 50  # "slow" sleeps 60 s: stopped, its worker restarted
    assert got["slow"].error["stage"] == "timeout" and "limit of 3 s" in got["slow"].error["reason"]
    assert got["steady"].error is None  # 4 s in all, never 3 s without a page
    assert all(got[k].error is None for k in "ab")
