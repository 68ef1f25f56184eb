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


# -- the statistical extractor ---------------------------------------------------
NER_CONFIG = Path(__file__).resolve().parent / "configs" / "ner.cfg"
NER_DEV = Path(__file__).resolve().parent / "artifacts" / "ner_dev.spacy"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"

_TEMPLATES = (
    "Thực hiện {type} số {id} ngày {date} của {issuer} về việc {subject}, {agency} đã tiếp nhận {n} hồ sơ.",
    "Trong kỳ, {agency} tỉnh {province} đã giải quyết {n} hồ sơ, đạt tỷ lệ {pct}% đúng hạn.",
    "Căn cứ {type} {id} ngày {date} của {issuer}, đơn vị đã hoàn thành {a}/{b} nhiệm vụ.",
    "{agency} ban hành {type} số {id} ngày {wdate} về {subject}.",
    "Tổng số thủ tục hành chính thuộc thẩm quyền là {n} TTHC; trong đó {a} thủ tục trực tuyến.",
    "Ngày {date}, {issuer} có {type} số {id} hướng dẫn {subject}; {agency} đã triển khai đến {n} đơn vị.",
    "Số hồ sơ mới tiếp nhận trong kỳ: {n}; số từ kỳ trước chuyển qua: {a}.",
    "Đã cử {n} công chức tham gia lớp bồi dưỡng theo {type} số {id}.",
)
_SUBJECTS = ("cải cách hành chính năm", "kiểm soát thủ tục hành chính", "thực hiện cơ chế một cửa",
             "số hóa hồ sơ", "chế độ báo cáo định kỳ", "tuyên truyền cải cách hành chính")


def _synthetic(n: int, seed: int) -> list[str]:
    """Report-like sentences with varied provinces, agencies, types and numbers."""
    import random

    from ..corpus.gazetteer import Gazetteer, agencies

    rnd = random.Random(seed)
    provinces = [p.name for p in Gazetteer.default().provinces]
    bodies = agencies()
    kinds = [("Quyết định", "QĐ"), ("Kế hoạch", "KH"), ("Công văn", None), ("Thông báo", "TB"),
             ("Chỉ thị", "CT"), ("Nghị định", "NĐ"), ("Thông tư", "TT"), ("Tờ trình", "TTr")]
    issuers = [("UBND tỉnh", "UBND"), ("Chính phủ", "CP"), ("Thủ tướng Chính phủ", "TTg"),
               ("Bộ Nội vụ", "BNV"), ("Sở Nội vụ", "SNV"), ("Văn phòng Chính phủ", "VPCP")]
    out = []
    for _ in range(n):
        t, code = rnd.choice(kinds)
        issuer, sym = rnd.choice(issuers)
        year = rnd.randint(2010, 2025)
        num = rnd.randint(1, 4999)
        if code is None:
            cid = f"{num}/{sym}-{rnd.choice(['VP', 'NC', 'KSTT', 'TH'])}"
        elif code in ("NĐ", "TT") or rnd.random() < 0.3:
            cid = f"{num}/{year}/{code}-{sym}"
        else:
            cid = f"{num}/{code}-{sym}"
        d, m = rnd.randint(1, 28), rnd.randint(1, 12)
        a = rnd.randint(0, 60)
        out.append(rnd.choice(_TEMPLATES).format(
            type=t, id=cid, date=f"{d:02d}/{m}/{year}", wdate=f"{d} tháng {m} năm {year}", issuer=issuer,
            subject=rnd.choice(_SUBJECTS), agency=rnd.choice(bodies), province=rnd.choice(provinces),
            n=rnd.randint(1, 3000), pct=rnd.choice([85, 90, 95, 98, 100]), a=a, b=a + rnd.randint(0, 9)))
    return out


def _silver(text: str) -> list[tuple[int, int, str]]:
    """The rules' spans, as the silver labels."""
    from ..extract.citations import find_citations
    from ..extract.dates import find_dates
    from ..extract.quantities import find_quantities

    spans = [(c.start, c.end, "CITATION") for c in find_citations(text)]
    spans += [(d.start, d.end, "DATE") for d in find_dates(text) if d.valid]
    spans += [(q.start, q.end, "QUANTITY") for q in find_quantities(text) if q.kind != "absence"]
    spans.sort()
    out, last = [], -1
    for s, e, label in spans:
        if s >= last:
            out.append((s, e, label))
            last = e
    return out


def ner_examples(seed: int = 0) -> list[tuple[str, list]]:
    """Sentences of the seed reports and generated ones, with silver spans."""
    from ..corpus.ingest import read
    from ..extract.cleanup import clean

    texts: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        clean_text = clean(read(path).pages).text
        texts.extend(line.strip() for line in clean_text.split("\n") if len(line.strip()) > 20)
    texts.extend(_synthetic(900, seed))
    return [(t, _silver(t)) for t in texts]


def _docbin(nlp, examples):
    from spacy.tokens import DocBin

    db = DocBin()
    for text, spans in examples:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in spans]
        ents = [x for x in ents if x is not None]
        keep, last = [], -1
        for x in sorted(ents, key=lambda x: x.start):
            if x.start >= last:
                keep.append(x)
                last = x.end
        doc.ents = keep
        db.add(doc)
    return db


def train_ner(out: Path | None = None, seed: int = 0) -> dict:
    """Train on 80 % of the silver examples, evaluate on the other 20 %."""
    import random
    import shutil
    import tempfile

    import spacy
    from spacy.cli.train import train

    from . import ner

    examples = ner_examples(seed)
    random.Random(seed).shuffle(examples)
    cut = int(0.8 * len(examples))
    blank = spacy.blank("xx")
    blank.tokenizer = ner.RegexTokenizer(blank.vocab)
    out = Path(out) if out else ner.ARTIFACT
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        _docbin(blank, examples[:cut]).to_disk(tmp / "train.spacy")
        dev = _docbin(blank, examples[cut:])
        dev.to_disk(tmp / "dev.spacy")
        train(NER_CONFIG, tmp / "model", overrides={"paths.train": str(tmp / "train.spacy"),
                                                    "paths.dev": str(tmp / "dev.spacy"),
                                                    "system.seed": seed})
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(tmp / "model" / "model-best", out)
        dev_path = out.parent / "ner_dev.spacy" if out == ner.ARTIFACT else out / "dev.spacy"
        dev.to_disk(dev_path)
    return evaluate_ner(out, dev_path) | {"train_examples": cut, "dev_examples": len(examples) - cut}


def evaluate_ner(model_dir: Path | None = None, dev_path: Path | None = None) -> dict:
    """Precision, recall and F1 (overall and per label) on the held-out split."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    from . import ner  # registers the tokenizer

    nlp = spacy.load(model_dir or ner.ARTIFACT)
    gold = list(DocBin().from_disk(dev_path or NER_DEV).get_docs(nlp.vocab))
    scores = nlp.evaluate([Example(nlp(g.text), g) for g in gold])
    return {"ents_p": round(scores["ents_p"], 4), "ents_r": round(scores["ents_r"], 4),
            "ents_f": round(scores["ents_f"], 4),
            "per_label": {k: {m: round(v, 4) for m, v in d.items()} for k, d in scores["ents_per_type"].items()}}
