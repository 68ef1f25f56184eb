"""Training and evaluation of the shipped models, with fixed seeds.

``parmine train area`` fits :class:`~parmine.models.area.AreaClassifier` on
``parmine/corpus/data/areas.csv``, reports stratified 5-fold
cross-validated macro-F1 against the keyword baseline on the same folds,
and writes ``parmine/models/artifacts/area.joblib``.
"""
from __future__ import annotations

import csv
from pathlib import Path

from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .area import ARTIFACT, AreaClassifier, KeywordBaseline

DATA = Path(__file__).resolve().parent.parent / "corpus" / "data" / "areas.csv"


def load_areas(path: Path = DATA) -> tuple[list[str], list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["area"] for r in rows]


def evaluate_area(seed: int = 0, folds: int = 5) -> dict:
    """Cross-validated macro-F1 of the model and of the keyword baseline."""
    X, y = load_areas()
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    model = cross_val_predict(AreaClassifier(random_state=seed), X, y, cv=cv)
    base = cross_val_predict(KeywordBaseline(), X, y, cv=cv)
    return {"examples": len(X), "folds": folds,
            "macro_f1": round(f1_score(y, model, average="macro"), 4),
            "baseline_macro_f1": round(f1_score(y, base, average="macro"), 4),
            "per_class": classification_report(y, model, digits=3, zero_division=0)}


def train_area(out: Path | None = None, seed: int = 0) -> dict:
    """Evaluate, then fit on everything and write the artifact."""
    import joblib

    metrics = evaluate_area(seed)
    X, y = load_areas()
    model = AreaClassifier(random_state=seed).fit(X, y)
    out = Path(out) if out else ARTIFACT
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out, compress=3)
    metrics["artifact"] = str(out)
    return metrics
