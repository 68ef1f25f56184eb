#!/usr/bin/env python
"""The peak memory of each stage of the end of a run, and where it is.

    python bench/stage_peaks.py OUT [--again] [--cold-audit] [--json FILE]

Runs the end of a run (:func:`parmine.pipelines.run.finish`: copies, the
audit across reports, the prediction files, ``indicators.csv``, the
Parquet parts) on the store in ``OUT`` in this process, with the peak RSS
(``VmHWM``) reset before each stage.  ``--again``: as if every stored
document had just been mined (the copy search's hash counts retaken too),
so that a finished store's end is redone whole; ``--cold-audit`` also drops
the audit across reports and the held dates, as a cold run has none yet.
Work on a copy of a store: the stages write to it.

A thread reads ``/proc/self/status`` every 10 ms; at each new high of the
process's anonymous memory (``RssAnon``: its heap, Python's objects,
DuckDB's blocks) it notes what DuckDB's jemalloc has allocated and holds
resident, glibc's heap in use and in mappings of their own
(``mallinfo2``), and the main thread's stack.  Printed per stage: seconds,
peak RSS, peak anonymous memory and those figures at it.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path

from proc_status import status_mb  # (bench/, the script's folder)

from parmine.corpus.registry import load_registry
from parmine.pipelines import export, run
from parmine.pipelines.allocator import duckdb_memory
from parmine.pipelines.store import Store

MB = 2**20
OPENED = ("VmRSS", "RssAnon", "RssFile")  # the process once the store is open
STAGES = ((run, "mark_copies"), (run, "update_audit"), (run, "export_pred"),
          (export, "export_csv"), (export, "export_parquet"))


class _MallInfo2(ctypes.Structure):  # glibc's struct mallinfo2 (malloc.h)
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _glibc():
    """glibc's ``mallinfo2`` (None elsewhere)."""
    try:
        f = ctypes.CDLL(None).mallinfo2
    except AttributeError:
        return None
    f.restype = _MallInfo2
    return f


MALLINFO = _glibc()


def allocators_mb() -> dict[str, float]:
    """DuckDB's jemalloc (allocated, resident) and glibc's heap (in use, its size, in mappings of their own), in MB."""
    got = {}
    if (duck := duckdb_memory()) is not None:
        got["duckdb_allocated"], got["duckdb_resident"] = duck[0] / MB, duck[1] / MB
    if MALLINFO is not None:
        info = MALLINFO()
        got["glibc_in_use"], got["glibc_heap"], got["glibc_mapped"] = (
            info.uordblks / MB, info.arena / MB, info.hblkhd / MB)
    return got


class Watch:
    """The highs of this process's anonymous memory, from a thread of its own."""

    def __init__(self, every: float = 0.01):
        self.every = every
        self.main = threading.main_thread().ident
        self.pid = os.getpid()
        self.reset()
        threading.Thread(target=self._run, daemon=True).start()

    def reset(self) -> None:
        with open("/proc/self/clear_refs", "w") as f:  # VmHWM back to the RSS now
            f.write("5")
        self.anon, self.at, self.stack = 0.0, {}, ""

    def _run(self) -> None:
        while True:
            anon = status_mb(self.pid, "RssAnon")[0]
            if anon > self.anon:
                frame = sys._current_frames().get(self.main)
                stack = traceback.extract_stack(frame)[-8:] if frame else []
                self.anon, self.at = anon, allocators_mb()
                self.stack = " < ".join(f"{Path(s.filename).name}:{s.lineno} {s.name}" for s in reversed(stack))
            time.sleep(self.every)


def watched(watch: Watch, figures: list[dict], module, name: str) -> None:
    """Replace ``module.name`` by itself measured into ``figures``."""
    stage = getattr(module, name)

    def measured(*args, **kwargs):
        watch.reset()
        t0 = time.perf_counter()
        result = stage(*args, **kwargs)
        seconds = time.perf_counter() - t0
        time.sleep(2 * watch.every)  # the watch's last reading
        figures.append({"stage": name, "seconds": round(seconds, 1), "peak_mb": status_mb(watch.pid)[0],
                        "peak_anon_mb": watch.anon, **{k: round(v, 1) for k, v in watch.at.items()},
                        "stack": watch.stack})
        return result

    setattr(module, name, measured)


def again(store: Store, cold_audit: bool) -> None:
    """Every stored document as if just mined (``cold_audit``: with no audit across reports yet)."""
    with store.transaction():
        store.execute("DELETE FROM _changed")
        store.execute("INSERT INTO _changed SELECT doc_id, 'mined' FROM documents")
        store.set_state("hash_counts", "0")
        if cold_audit:
            store.execute("DELETE FROM _held")
            store.set_state("held", None)
            store.execute("DELETE FROM audit WHERE scope = 'corpus'")


def _rest(f: dict) -> float:
    """A stage's anonymous peak less what DuckDB's jemalloc and glibc's heap
    hold resident or mapped at it: Python's own arenas, mostly."""
    return f["peak_anon_mb"] - f.get("duckdb_resident", 0) - f.get("glibc_heap", 0) - f.get("glibc_mapped", 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="the output folder of a run (a copy: the stages write to it)")
    ap.add_argument("--again", action="store_true", help="redo the whole store's end")
    ap.add_argument("--cold-audit", action="store_true", help="with --again: no audit across reports yet")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    figures: list[dict] = []
    watch = Watch()
    for module, name in STAGES:
        watched(watch, figures, module, name)
    registry = load_registry(("builtin",))
    with Store(a.out) as store:
        if a.again:
            again(store, a.cold_audit)
        opened = dict(zip(OPENED, status_mb(os.getpid(), *OPENED)))
        t0 = time.perf_counter()
        run.finish(store, a.out, registry)
        total = time.perf_counter() - t0
    print(f"store opened: RSS {opened['VmRSS']:.0f} MB (anonymous {opened['RssAnon']:.0f}, "
          f"mapped files {opened['RssFile']:.0f}); end of run {total:.1f} s")
    print("| stage | s | peak RSS | peak anonymous | DuckDB allocated / resident | glibc in use / heap / mapped "
          "| the rest | where |")
    print("|---|---|---|---|---|---|---|---|")
    for f in figures:
        print(f"| {f['stage']} | {f['seconds']} | {f['peak_mb']:.0f} | {f['peak_anon_mb']:.0f} "
              f"| {f.get('duckdb_allocated', 0):.0f} / {f.get('duckdb_resident', 0):.0f} "
              f"| {f.get('glibc_in_use', 0):.0f} / {f.get('glibc_heap', 0):.0f} / {f.get('glibc_mapped', 0):.0f} "
              f"| {_rest(f):.0f} | {f['stack'][:120]} |")
    if a.json:
        a.json.write_text(json.dumps({"opened": opened, "seconds": round(total, 1), "stages": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
