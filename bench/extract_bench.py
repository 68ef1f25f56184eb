#!/usr/bin/env python
"""Extraction throughput on the seed reports: pages/s and tokens/s of the
spaCy pipeline, and the share of the time spent in tokenization.

    python bench/extract_bench.py [--repeat 5]

Reads ../shared/corpus/seeds (or sample/), cleans each text once, then
times (a) the underthesea-backed tokenizer alone and (b) the whole pipeline
(tokenizer + components), each repeated; medians are reported.  "Pages"
are the seeds' pages in their PDF form (the derived PDFs), 34 in all.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from parmine.corpus.ingest import read  # noqa: E402
from parmine.extract.cleanup import clean  # noqa: E402
from parmine.extract.nlp import build_nlp  # noqa: E402

SHARED = HERE.parent.parent / "shared" / "corpus"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    seeds = sorted((SHARED / "seeds").glob("*.txt")) or sorted((HERE.parent / "sample").glob("*.txt"))
    docs = [read(p) for p in seeds]
    texts = [clean(d.pages).text for d in docs]
    tables = [d.tables for d in docs]
    pdfs = [SHARED / "derived" / f"{p.stem}.pdf" for p in seeds]
    pages = sum(len(read(p).pages) for p in pdfs if p.exists()) or len(docs)
    nlp = build_nlp()
    nlp(texts[0])  # warm up: load underthesea's model
    tok_times, all_times = [], []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        docs_tok = [nlp.make_doc(t) for t in texts]
        tok_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t, tb in zip(texts, tables):
            d = nlp.make_doc(t)
            d._.tables = tb
            nlp(d)
        all_times.append(time.perf_counter() - t0)
    tokens = sum(len(d) for d in docs_tok)
    tok, total = statistics.median(tok_times), statistics.median(all_times)
    print(json.dumps({
        "documents": len(texts), "pages": pages, "characters": sum(map(len, texts)), "tokens": tokens,
        "seconds_total_median": round(total, 3), "seconds_tokenizer_median": round(tok, 3),
        "pages_per_s": round(pages / total, 1), "tokens_per_s": round(tokens / total),
        "tokenizer_share": round(tok / total, 2),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
