"""Ablation of the Vietnamese NLP layer: the scores and the time of the
extraction with underthesea's word segmentation on the clauses that state a
count (``segment="numeric"``), on every line (``"all"``), and with plain
syllables (``"none"``, the default).

    python bench/ablation.py [--repeat 3]

Scores: ``parmine run`` of ../shared/corpus/seeds and ../shared/corpus/real/dev
with each mode, scored by ../shared/tools/score.py; time: the spaCy pipeline
over the cleaned texts of both folders in one process (median of repeats,
after a warm-up that loads underthesea's model).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
sys.path.insert(0, str(HERE.parent))

from parmine.corpus.ingest import read  # noqa: E402
from parmine.extract.cleanup import clean  # noqa: E402
from parmine.extract.nlp import build_nlp  # noqa: E402
from parmine.pipelines.run import run  # noqa: E402

SETS = {"seeds": (SHARED / "corpus" / "seeds", SHARED / "corpus" / "gold"),
        "dev": (SHARED / "corpus" / "real" / "dev", SHARED / "corpus" / "real" / "dev-gold")}


def scores(mode: str) -> dict:
    out = {}
    for name, (inputs, gold) in SETS.items():
        with tempfile.TemporaryDirectory() as tmp:
            run([str(inputs)], tmp, jobs=1, progress=False, segment=mode)
            res = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(gold),
                                  str(Path(tmp) / "pred"), "--json"], capture_output=True, text=True, check=True)
        cats = json.loads(res.stdout)["categories"]
        out[name] = {k: round(cats[k]["f1"], 3) for k in ("citations", "indicators", "audit")}
    return out


def seconds(mode: str, texts: list[str], repeat: int) -> float:
    nlp = build_nlp(segment=mode)
    nlp(texts[0])  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            nlp(t)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    texts = [clean(read(p).pages).text for inputs, _ in SETS.values() for p in sorted(inputs.glob("*.txt"))]
    report = {}
    for mode in ("none", "numeric", "all"):
        report[mode] = {"scores": scores(mode), "seconds": round(seconds(mode, texts, a.repeat), 3),
                        "characters": sum(map(len, texts))}
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
