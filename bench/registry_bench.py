#!/usr/bin/env python
"""Benchmark what checking citations against the registry costs.

    python bench/registry_bench.py [--copies 2] [--jobs 2] [--repeat 3]

- whole runs: the real text documents of ../shared/corpus (the seeds, the
  dev set and the crawl: 68 documents), each copied ``--copies`` times
  under its own name, mined by ``parmine run`` in a fresh process with the
  shipped registry (the default) and with ``--registry none``, alternately,
  ``--repeat`` times each; the medians are compared.
- the audit alone, on the store of the last run, in a fresh process each
  time: every report audited again (as when the registry changes) without
  the registry, and with it, reading the registry and building its index
  included (what a run pays once); the medians are compared.  Whole runs on a shared machine vary more than the
  registry costs; this is the figure to trust.

Run it on an idle machine.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SOURCES = [CORPUS / "seeds", CORPUS / "real" / "dev", CORPUS / "real" / "crawl"]

_AUDIT = """
import json, sys, time
from parmine.corpus.registry import load_registry
from parmine.pipelines.audit_run import note_registry, update_audit
from parmine.pipelines.store import Store
with Store(sys.argv[1]) as store:
    store.query("SELECT count(*) FROM citations")  # the store opened and warm
    t0 = time.perf_counter()
    registry = load_registry(("builtin",)) if sys.argv[2] == "with" else None
    loaded = time.perf_counter()
    note_registry(store, registry)  # another registry than the last: every report audited again
    update_audit(store, registry, store.changed("mined"))
    t1 = time.perf_counter()
    n, resolved = store.query("SELECT count(*), count(registry_id) FROM citations")[1][0]
print(json.dumps({"seconds": t1 - t0, "index_seconds": loaded - t0, "citations": n, "resolved": resolved}))
"""


def build_corpus(dst: Path, copies: int) -> int:
    dst.mkdir(parents=True)
    n = 0
    for src in SOURCES:
        for path in sorted(src.iterdir()):
            if path.suffix in (".txt", ".md"):
                for k in range(copies):
                    shutil.copy(path, dst / f"{path.stem}-{k}{path.suffix}")
                    n += 1
    return n


def whole_run(corpus: Path, out: Path, jobs: int, registry: bool) -> float:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "parmine.pipelines.cli", "run", str(corpus), "-o", str(out), "-j", str(jobs),
           "--quiet"] + ([] if registry else ["--registry", "none"])
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0


def audit_times(out: Path, repeat: int) -> dict:
    runs: dict[str, list[dict]] = {"without": [], "with": []}
    for _ in range(repeat):
        for key, times in runs.items():
            proc = subprocess.run([sys.executable, "-c", _AUDIT, str(out), key], check=False,
                                  capture_output=True, text=True, cwd=ROOT)
            if proc.returncode:
                sys.exit(f"the audit {key} the registry failed:\n{proc.stderr}")
            times.append(json.loads(proc.stdout))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = build_corpus(tmp / "in", a.copies)
        runs = {"without": [], "with": []}
        for _ in range(a.repeat):
            for key in ("without", "with"):
                runs[key].append(whole_run(tmp / "in", tmp / "out", a.jobs, key == "with"))
        audit = audit_times(tmp / "out", a.repeat)
    med = {k: statistics.median(v) for k, v in runs.items()}
    audit_med = {k: statistics.median(r["seconds"] for r in v) for k, v in audit.items()}
    extra = audit_med["with"] - audit_med["without"]
    print(json.dumps({"documents": docs, "jobs": a.jobs, "repeat": a.repeat,
                      "run_seconds": {k: [round(x, 2) for x in v] for k, v in runs.items()},
                      "run_median": {k: round(v, 2) for k, v in med.items()},
                      "run_cost_percent": round(100 * (med["with"] / med["without"] - 1), 1),
                      "audit_median_seconds": {k: round(v, 3) for k, v in audit_med.items()},
                      "registry_index_seconds": round(statistics.median(
                          r["index_seconds"] for r in audit["with"]), 3),
                      "registry_seconds_per_run": round(extra, 3),
                      "registry_cost_percent_of_run": round(100 * extra / med["without"], 1),
                      "citations": audit["with"][0]["citations"], "resolved": audit["with"][0]["resolved"]},
                     indent=1))


if __name__ == "__main__":
    main()
