"""The process pool: results for every document, a time limit per document,
and a batch that survives a worker dying."""
import os
import time

from parmine.pipelines import executors
from parmine.pipelines.executors import ProcessPool
from parmine.pipelines.inputs import Item
from parmine.pipelines.process import Options, Result


def _fake(path, doc_id, options):
    if doc_id.startswith("slow"):
        time.sleep(60)
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
    monkeypatch.setattr(executors, "process_document", _fake)
    got = list(ProcessPool(2, timeout=30).map(_items(tmp_path, ["a", "b", "c", "d", "e"]), Options()))
    assert sorted(r.doc_id for r in got) == ["a", "b", "c", "d", "e"]
    assert all(r.error is None for r in got)


def test_a_document_past_the_time_limit_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "process_document", _fake)
    t0 = time.monotonic()
    got = {r.doc_id: r for r in ProcessPool(2, timeout=2).map(
        _items(tmp_path, ["slow", "a", "b", "c"]), Options())}
    assert time.monotonic() - t0 < 30
    assert got["slow"].error["stage"] == "timeout"
    assert "limit of 2 s" in got["slow"].error["reason"]
    assert all(got[k].error is None for k in "abc")


def test_a_dying_worker_is_an_error_and_the_batch_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "process_document", _fake)
    got = {r.doc_id: r for r in ProcessPool(1, timeout=30).map(
        _items(tmp_path, ["crash", "a", "b"]), Options())}
    assert got["crash"].error["stage"] == "worker"
    assert got["a"].error is None and got["b"].error is None
