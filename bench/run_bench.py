#!/usr/bin/env python
"""Benchmark a whole run: documents/s, text-layer pages/s per core, seconds
per OCRed page, speed-up from 1 to 2 workers and peak RSS per worker.

    python bench/run_bench.py [--docs 40] [--scans 2] [--formats pdf,txt] [--jobs 1 2] [--repeat 3]

Builds a corpus of N documents from the seed reports (text files from
sample/, text-layer and scanned PDFs from ../shared/corpus/derived when it
is there, else from sample/; each copy with its own name so the cache does
not skip it), then times `parmine run` on it for each job count, each
repeated and the median quoted.  Run it on an idle machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from parmine.pipelines.run import run  # noqa: E402


def build_corpus(dst: Path, docs: int, scans: int, formats: list[str]) -> dict:
    sample = HERE.parent / "sample"
    derived = HERE.parent.parent / "shared" / "corpus" / "derived"  # all five seeds, when present
    source = derived if derived.is_dir() else sample
    texts = sorted(sample.glob("*.txt"))
    pdfs = sorted(p for p in source.glob("*.pdf") if not p.name.endswith(".scan.pdf"))
    scan_files = sorted(source.glob("*.scan.pdf"))
    dst.mkdir(parents=True)
    kinds = {"pdf": 0, "txt": 0, "scan": 0}
    pools = [pdfs if f == "pdf" else texts for f in formats]
    for i in range(docs):
        pool = pools[i % len(pools)]
        src = pool[(i // len(pools)) % len(pool)]
        kind = "pdf" if src.suffix == ".pdf" else "txt"
        shutil.copy(src, dst / f"b{i:05d}-{src.name}")
        kinds[kind] += 1
    for i in range(scans):
        src = scan_files[i % len(scan_files)]
        shutil.copy(src, dst / f"s{i:05d}-{src.name}")
        kinds["scan"] += 1
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--scans", type=int, default=0)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="pdf,txt", help="comma-separated: pdf (text layer), txt")
    a = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        kinds = build_corpus(corpus, a.docs, a.scans, a.formats.split(","))
        for jobs in a.jobs:
            times, summary = [], None
            for r in range(a.repeat):
                out = Path(tmp) / f"out-{jobs}-{r}"
                cache = Path(tmp) / f"ocr-{jobs}-{r}"  # cold OCR cache each time
                t0 = time.perf_counter()
                summary = run([str(corpus)], out, jobs=jobs, progress=False, ocr_cache=str(cache))
                times.append(time.perf_counter() - t0)
                shutil.rmtree(out)
            med = statistics.median(times)
            text_pages = summary.pages - summary.ocr_pages
            results[jobs] = {
                "seconds_median": round(med, 2), "runs": [round(t, 2) for t in times],
                "documents": summary.processed, "pages": summary.pages,
                "ocr_pages": summary.ocr_pages, "failed": summary.failed,
                "docs_per_s": round(summary.processed / med, 2),
                "pages_per_s_per_core": round(summary.pages / med / jobs, 1),
                "text_pages": text_pages,
            }
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = {"corpus": kinds, "by_jobs": results, "peak_rss_per_worker_mb": round(peak_rss_mb, 1)}
    if 1 in results and 2 in results:
        report["speedup_2_vs_1"] = round(results[1]["seconds_median"] / results[2]["seconds_median"], 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
