#!/usr/bin/env python
"""Benchmark whole runs: text-layer pages/s per core, the speed-up from 1
to 2 workers, seconds per OCRed page against Tesseract alone, and peak RSS
per worker as the corpus grows.

    python bench/run_bench.py [--docs 100] [--formats pdf] [--jobs 1 2] [--repeat 3]
                              [--scans 0] [--rss 100 2000]

- text: a corpus of ``--docs`` documents (text-layer PDFs from
  ../shared/corpus/derived when it is there, else sample/; ``--formats
  pdf,txt`` mixes in the seed texts), each copy under its own name so
  nothing is skipped; ``parmine run`` on it for each job count, repeated,
  the median quoted.
- ocr (``--scans N``): N scanned PDFs, run cold (empty OCR cache), and
  Tesseract alone on the same page images with the same number of processes
  at once (``tesseract IMG - -l vie --psm 3``, ``OMP_THREAD_LIMIT=1``).
- rss (``--rss N...``): peak RSS of a worker and of the main process for
  runs of N documents each (2 workers), to show it does not grow.

Every run is a fresh ``python`` process (like the CLI).  Run it on an idle
machine.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "sample"
DERIVED = ROOT.parent / "shared" / "corpus" / "derived"  # all five seeds, when present

_RUN = """
import json, resource, sys, time
from parmine.pipelines.run import run
t0 = time.perf_counter()
s = run([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), progress=False, ocr_cache=sys.argv[4])
print(json.dumps({"seconds": time.perf_counter() - t0, "processed": s.processed, "failed": s.failed,
                  "pages": s.pages, "ocr_pages": s.ocr_pages,
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_corpus(dst: Path, docs: int, formats: list[str], scans: int = 0) -> None:
    source = DERIVED if DERIVED.is_dir() else SAMPLE
    pools = {"pdf": sorted(p for p in source.glob("*.pdf") if not p.name.endswith(".scan.pdf")),
             "txt": sorted(SAMPLE.glob("*.txt"))}
    pools = [pools[f] for f in formats]
    scan_files = sorted(source.glob("*.scan.pdf"))
    dst.mkdir(parents=True)
    for i in range(docs):
        pool = pools[i % len(pools)]
        src = pool[(i // len(pools)) % len(pool)]
        shutil.copy(src, dst / f"b{i:05d}-{src.name}")
    for i in range(scans):
        src = scan_files[i % len(scan_files)]
        _scan_copy(src, dst / f"s{i:05d}-{src.name}", i // len(scan_files))


def _scan_copy(src: Path, dst: Path, copy: int) -> None:
    """A scanned PDF whose page JPEGs carry a comment naming the copy: the
    same pixels (the same OCR work), other bytes, so the OCR cache, keyed by
    the image's sha256, does not make copies free."""
    if copy == 0:
        shutil.copy(src, dst)
        return
    import io

    import pypdfium2 as pdfium

    from parmine.corpus.readers.pdf import _page_image

    note = f"parmine benchmark copy {copy}".encode()
    comment = b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note
    pdf, out = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    for i in range(len(pdf)):
        width, height = pdf[i].get_size()
        data, _ = _page_image(pdf[i])
        page = out.new_page(width, height)
        image = pdfium.PdfImage.new(out)
        image.load_jpeg(io.BytesIO(data[:2] + comment + data[2:]), inline=False)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
    out.save(str(dst))
    pdf.close()
    out.close()


def measure(corpus: Path, tmp: Path, jobs: int) -> dict:
    """One cold run in a fresh process."""
    out, cache = tmp / "out", tmp / "ocr-cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-c", _RUN, str(corpus), str(out), str(jobs), str(cache)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def repeated(corpus: Path, tmp: Path, jobs: int, repeat: int) -> dict:
    runs = [measure(corpus, tmp, jobs) for _ in range(repeat)]
    med = statistics.median(r["seconds"] for r in runs)
    last = runs[-1]
    return {"seconds_median": round(med, 2), "runs": [round(r["seconds"], 2) for r in runs],
            "documents": last["processed"], "failed": last["failed"], "pages": last["pages"],
            "ocr_pages": last["ocr_pages"], "docs_per_s": round(last["processed"] / med, 2),
            "pages_per_s_per_core": round(last["pages"] / med / jobs, 1),
            "worker_rss_mb": round(max(r["worker_rss_mb"] for r in runs), 1),
            "main_rss_mb": round(max(r["main_rss_mb"] for r in runs), 1)}


def page_images(scans: list[Path], dst: Path) -> list[Path]:
    """The page images parmine OCRs (the scan's embedded JPEG)."""
    import pypdfium2 as pdfium

    from parmine.corpus.readers.pdf import _page_image

    dst.mkdir(parents=True, exist_ok=True)
    images = []
    for scan in scans:
        pdf = pdfium.PdfDocument(str(scan))
        for i in range(len(pdf)):
            data, suffix = _page_image(pdf[i])
            img = dst / f"{scan.stem}-{i:03d}{suffix}"
            img.write_bytes(data)
            images.append(img)
        pdf.close()
    return images


def tesseract_alone(images: list[Path], jobs: int) -> float:
    """Wall seconds for Tesseract on every image, ``jobs`` processes at once."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(img: Path) -> None:
        subprocess.run(["tesseract", str(img), "-", "-l", "vie", "--psm", "3"],
                       capture_output=True, env=env, check=True)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--formats", default="pdf", help="comma-separated: pdf (text layer), txt")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scans", type=int, default=0, help="scanned PDFs for the OCR comparison")
    ap.add_argument("--rss", type=int, nargs="*", default=[], help="corpus sizes for the RSS check")
    a = ap.parse_args()
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if a.docs:
            corpus = tmp / "text"
            build_corpus(corpus, a.docs, a.formats.split(","))
            text = {j: repeated(corpus, tmp, j, a.repeat) for j in a.jobs}
            report["text"] = text
            if 1 in text and 2 in text:
                report["text_speedup_2_vs_1"] = round(
                    text[1]["seconds_median"] / text[2]["seconds_median"], 2)
        if a.scans:
            corpus = tmp / "scans"
            build_corpus(corpus, 0, [], a.scans)
            images = page_images(sorted(corpus.glob("*.pdf")), tmp / "images")
            ocr = {}
            for j in a.jobs:
                run = repeated(corpus, tmp, j, a.repeat)
                alone = statistics.median(tesseract_alone(images, j) for _ in range(a.repeat))
                per_page = run["seconds_median"] * j / max(1, run["ocr_pages"])
                alone_page = alone * j / len(images)
                ocr[j] = {"pages": run["ocr_pages"], "parmine_s_per_page_per_worker": round(per_page, 3),
                          "tesseract_alone_s_per_page_per_process": round(alone_page, 3),
                          "overhead_pct": round(100 * (per_page / alone_page - 1), 1),
                          "parmine_runs": run["runs"]}
            report["ocr"] = ocr
        if a.rss:
            rss = {}
            for n in a.rss:
                corpus = tmp / f"rss-{n}"
                build_corpus(corpus, n, a.formats.split(","))
                r = measure(corpus, tmp, 2)
                rss[n] = {"documents": r["processed"], "seconds": round(r["seconds"], 1),
                          "worker_rss_mb": round(r["worker_rss_mb"], 1),
                          "main_rss_mb": round(r["main_rss_mb"], 1)}
                shutil.rmtree(corpus)
            report["rss"] = rss
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
