#!/usr/bin/env python
"""Benchmark whole runs on a realistic archive as it grows: the curve of
throughput, memory and end-of-run time against the number of documents.

    python bench/archive_bench.py [--docs 1000 10000] [--jobs 2] [--seed 0] [--mix text=40,pdf=35,...]
                                  [--repeat 1] [--workdir DIR] [--json FILE]

For each N: ``bench/archive.py`` writes an archive of N documents (text,
text-layer PDF, DOCX and scans in its default mix), then three runs of
``parmine run ARCHIVE -o OUT -j JOBS --quiet --progress``, each a fresh
process:

- cold: the N documents into an empty OUT;
- nothing new: the same command again (every document skipped);
- +100: 100 more documents added to the archive, the command again.

``--repeat K``: the cold run K times, each into an empty OUT; the table
gives the median of each of its figures (every run's are in the JSON), as
a size measured once moves by a few MB from run to run (the same
1,000-document run, 3 December 2026: 231.7 to 233.4 MB).  The last
column compares each size's main peak RSS with the first size's.

While a run goes, the peak RSS (``VmHWM``) of its main process and of each
worker (a child of the main process) is read every 0.1 s, and the main
process's anonymous memory (``RssAnon``: its heap, Python's objects,
DuckDB's blocks), whose largest reading is its anonymous peak.  The RSS also
counts the pages of the program and its libraries that the process has
mapped (``RssFile``, ~90 MB of the main process), which the run does not
choose.  Compare sizes measured in one sitting: seen here, one machine
measured the same 1,000-document run at 293–297 MB in its first minutes
and at 248 MB an hour later (cause not found).  The progress bar
on stderr reaches ``M/M`` when the last document has been committed (the bar
closes after the final batch); the time from then to the process's exit is
the run's end of run (copies, audit, exports, closing the store).  The
main process's RSS and anonymous memory read before that point and after
give the peak of each part (*peak RSS mining / end*): which part a run's
peak is in.  Throughput counts from the process's start to that point: documents/s,
and pages/s per core (pages as parmine counts them: a text or DOCX file
without page breaks is one page).

Prints a Markdown table and writes the figures as JSON.  Run it on an idle
machine (the load average is recorded with each run).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from archive import DEFAULT_MIX, generate, parse_mix  # noqa: E402
from proc_status import status_mb  # noqa: E402

SAMPLE_SECONDS = 0.1
GROWTH = 100
_BAR = re.compile(rb"(\d+)/(\d+) \[")
_SUMMARY = re.compile(r"(\d+) mined, (\d+) unchanged \(skipped\), (\d+) failed; (\d+) pages \((\d+) OCR\)")


@dataclass
class Run:
    """One ``parmine run``: what it did and what it cost."""

    mined: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    ocr_pages: int = 0
    wall_s: float = 0.0
    mining_s: float | None = None  # start → last document committed (None: nothing to mine)
    end_of_run_s: float | None = None  # last document committed → exit
    main_peak_mb: float = 0.0
    main_peak_anon_mb: float = 0.0  # the largest RssAnon read (sampled: a spike between two readings is missed)
    # the largest RSS and RssAnon read while the workers mined and after (the end of the run)
    mining_peak_mb: float = 0.0
    mining_peak_anon_mb: float = 0.0
    end_peak_mb: float = 0.0
    end_peak_anon_mb: float = 0.0
    worker_peak_mb: float = 0.0
    workers: int = 0
    load_before: float = 0.0
    load_after: float = 0.0
    exit_status: int = 0


@dataclass
class Point:
    """The figures for one archive size."""

    docs: int
    generate_s: float
    cold: Run
    rerun: Run
    grown: Run
    rates: dict = field(default_factory=dict)
    cold_runs: list[Run] = field(default_factory=list)  # every cold run (``cold``: their medians)


def _chunks(stream):
    """What a pipe gives, as it comes, to its end."""
    return iter(lambda: os.read(stream.fileno(), 65536), b"")


def _watch_bar(stream, seen: dict) -> None:
    """Read the progress bar; note when it last showed every document done."""
    tail = b""
    for chunk in _chunks(stream):
        bars = _BAR.findall(tail[-64:] + chunk)  # a bar may be cut between two reads
        if bars and bars[-1][0] == bars[-1][1]:
            seen["done_at"] = time.perf_counter()
        tail = (tail + chunk)[-4000:]
    seen["tail"] = tail


def run_parmine(archive: Path, out: Path, jobs: int) -> Run:
    """``parmine run ARCHIVE -o OUT``, watched."""
    cmd = [sys.executable, "-c", "import sys; from parmine.pipelines.cli import main; sys.exit(main())",
           "run", str(archive), "-o", str(out), "-j", str(jobs), "--quiet", "--progress"]
    run = Run(load_before=os.getloadavg()[0])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: dict = {}
    reader = threading.Thread(target=_watch_bar, args=(proc.stderr, seen), daemon=True)
    reader.start()
    printed: list[bytes] = []  # stdout read as it comes: a summary listing many errors outgrows the pipe
    drain = threading.Thread(target=lambda: printed.extend(_chunks(proc.stdout)), daemon=True)
    drain.start()
    main, workers = psutil.Process(proc.pid), dict[int, float]()
    samples: list[tuple[float, float, float]] = []  # (time, RSS, RssAnon) of the main process
    while proc.poll() is None:
        hwm, rss, anon = status_mb(proc.pid, "VmHWM", "VmRSS", "RssAnon")
        samples.append((time.perf_counter(), rss, anon))
        run.main_peak_mb, run.main_peak_anon_mb = max(run.main_peak_mb, hwm), max(run.main_peak_anon_mb, anon)
        try:
            for child in main.children():
                workers[child.pid] = max(workers.get(child.pid, 0.0), *status_mb(child.pid))
        except psutil.NoSuchProcess:
            break
        time.sleep(SAMPLE_SECONDS)
    proc.wait()
    end = time.perf_counter()
    reader.join()
    drain.join()
    stdout = b"".join(printed).decode(errors="replace")
    run.exit_status, run.wall_s, run.load_after = proc.returncode, end - t0, os.getloadavg()[0]
    run.worker_peak_mb, run.workers = max(workers.values(), default=0.0), len(workers)
    m = _SUMMARY.search(stdout)
    if not m:
        tail = seen.get("tail", b"").decode(errors="replace")  # (the tail may start inside a character)
        raise RuntimeError(f"parmine run failed ({proc.returncode}):\n{stdout}\n{tail}")
    run.mined, run.skipped, run.failed, run.pages, run.ocr_pages = map(int, m.groups())
    if "done_at" in seen and run.mined + run.failed:
        run.mining_s, run.end_of_run_s = seen["done_at"] - t0, end - seen["done_at"]
        (run.mining_peak_mb, run.mining_peak_anon_mb), (run.end_peak_mb, run.end_peak_anon_mb) = split_peaks(
            samples, seen["done_at"])
    return run


def split_peaks(samples: list[tuple[float, float, float]], done_at: float
                ) -> tuple[tuple[float, float], tuple[float, float]]:
    """The largest RSS and anonymous memory of ``samples`` (time, RSS,
    RssAnon) before ``done_at`` (the mining) and from then on (the end of
    the run): which of the two holds a run's peak."""
    before = [(rss, anon) for t, rss, anon in samples if t < done_at] or [(0.0, 0.0)]
    after = [(rss, anon) for t, rss, anon in samples if t >= done_at] or [(0.0, 0.0)]
    return ((max(r for r, _ in before), max(a for _, a in before)),
            (max(r for r, _ in after), max(a for _, a in after)))


def median_run(runs: list[Run]) -> Run:
    """Each figure of ``runs`` at its median (None when one of them lacks
    it: a time); what a run did (documents, pages, exit status) is the
    first's."""
    first = runs[0]
    got = {}
    for f in fields(Run):
        values = [getattr(r, f.name) for r in runs]
        if f.name in ("mined", "skipped", "failed", "pages", "ocr_pages", "workers", "exit_status"):
            got[f.name] = getattr(first, f.name)
        elif any(v is None for v in values):
            got[f.name] = None
        else:
            got[f.name] = statistics.median(values)
    return Run(**got)


def rates(run: Run, jobs: int) -> dict:
    """Documents/s and pages/s per core of a cold run's mining."""
    if not run.mining_s:
        return {}
    return {"docs_per_s": round(run.mined / run.mining_s, 2),
            "pages_per_s_per_core": round(run.pages / run.mining_s / jobs, 2)}


def measure(n: int, work: Path, jobs: int, seed: int, mix: dict[str, int], repeat: int = 1) -> Point:
    """Build an archive of ``n`` documents and time the three runs on it
    (the cold one ``repeat`` times, each into an empty OUT)."""
    archive, out = work / f"archive-{n}", work / f"out-{n}"
    shutil.rmtree(archive, ignore_errors=True)
    t0 = time.perf_counter()
    generate(archive, n, seed=seed, mix=mix, jobs=os.cpu_count() or 1)
    generate_s = time.perf_counter() - t0
    colds = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        colds.append(run_parmine(archive, out, jobs))
    cold = median_run(colds)
    rerun = run_parmine(archive, out, jobs)
    generate(archive, GROWTH, seed=seed, start=n, mix=mix, jobs=os.cpu_count() or 1)
    grown = run_parmine(archive, out, jobs)
    return Point(n, round(generate_s, 1), cold, rerun, grown, rates(cold, jobs), colds)


def _mb(v: float) -> str:
    return f"{v:,.0f}"


def _s(v: float | None) -> str:
    return "–" if v is None else f"{v:,.1f}"


def table(points: list[Point], first: Point | None = None) -> str:
    """The figures as a Markdown table (cold runs: the medians of their
    repeats), each size's main peak RSS also as a multiple of ``first``'s
    (the first point by default)."""
    head = ("| documents | cold runs | docs/s | pages/s per core | main peak RSS (MB) | main peak anonymous (MB) "
            "| peak RSS mining / end (MB) | worker peak RSS (MB) "
            f"| end of run (s) | rerun, nothing new (s) | end of run after +{GROWTH} (s) | cold run (s) | load "
            "| main peak RSS / the first size's |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    base = (first or points[0]).cold.main_peak_mb
    for p in points:
        c = p.cold
        lines.append(f"| {p.docs:,} | {len(p.cold_runs) or 1} | {p.rates.get('docs_per_s', '–')} "
                     f"| {p.rates.get('pages_per_s_per_core', '–')} "
                     f"| {_mb(c.main_peak_mb)} | {_mb(c.main_peak_anon_mb)} "
                     f"| {_mb(c.mining_peak_mb)} / {_mb(c.end_peak_mb)} | {_mb(c.worker_peak_mb)} "
                     f"| {_s(c.end_of_run_s)} "
                     f"| {_s(p.rerun.wall_s)} | {_s(p.grown.end_of_run_s)} | {_s(c.wall_s)} "
                     f"| {c.load_before:.1f}–{c.load_after:.1f} | {c.main_peak_mb / base:.3f}× |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mix", type=parse_mix, default=DEFAULT_MIX, help="default text=40,pdf=35,docx=20,scan=5")
    ap.add_argument("--repeat", type=int, default=1, help="cold runs per size (the table: their medians)")
    ap.add_argument("--workdir", type=Path, help="where archives and outputs go (kept); default a temporary folder")
    ap.add_argument("--json", type=Path, default=Path("out/bench-archive.json"))
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat: at least 1")
    work = a.workdir or Path(tempfile.mkdtemp(prefix="parmine-archive-bench-"))
    points = []
    try:
        for n in a.docs:
            points.append(measure(n, work, a.jobs, a.seed, a.mix, a.repeat))
            print(table(points[-1:], points[0]).splitlines()[-1], file=sys.stderr, flush=True)
    finally:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps({"jobs": a.jobs, "seed": a.seed, "mix": a.mix, "cpus": os.cpu_count(),
                                  "points": [asdict(p) for p in points]}, indent=2))
    print(table(points))
    return 0


if __name__ == "__main__":
    sys.exit(main())
