"""Reform area of a section or paragraph: which component of the national
reform programme it reports on.

Areas: ``leadership`` (chỉ đạo, điều hành; tuyên truyền; kiểm tra),
``institutions`` (thể chế), ``procedures`` (thủ tục hành chính; kiểm soát
TTHC), ``one_stop`` (một cửa, một cửa liên thông), ``organisation`` (tổ chức
bộ máy), ``civil_service`` (cán bộ, công chức, viên chức), ``public_finance``
(tài chính công), ``e_government`` (hiện đại hóa, chính quyền điện tử/số,
ISO), ``indices`` (PAR INDEX, SIPAS, PAPI, PCI), ``assessment`` (đánh giá
chung, tồn tại hạn chế), ``plans`` (phương hướng, nhiệm vụ), ``proposals``
(kiến nghị, đề xuất), ``other``.

:class:`AreaClassifier` is a scikit-learn estimator: TF-IDF over
syllables and syllable bigrams (the two-syllable words) and over character
n-grams, then a linear model.
:class:`KeywordBaseline` is what it must beat: the first area whose
keywords the text contains.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import regex
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from ..text.normalize import fold

AREAS = ("leadership", "institutions", "procedures", "one_stop", "organisation", "civil_service",
         "public_finance", "e_government", "indices", "assessment", "plans", "proposals", "other")
ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "area.joblib"


_SYLLABLE = regex.compile(r"[\p{L}\p{N}]+")


def words(text: str) -> list[str]:
    """Folded syllables: "Thủ tục hành chính" → ["thủ", "tục", "hành", "chính"].
    With bigrams (``ngram_range=(1, 2)``) the features hold the two-syllable
    words ("thủ tục", "hành chính") that word segmentation would give, at a
    fraction of its cost (the model classifies every section of every
    report)."""
    return _SYLLABLE.findall(fold(text))


class AreaClassifier(BaseEstimator, ClassifierMixin):
    """TF-IDF (syllable uni- and bigrams + character n-grams) and logistic regression."""

    def __init__(self, C: float = 8.0, char_ngrams: tuple[int, int] = (2, 5), random_state: int = 0):
        self.C = C
        self.char_ngrams = char_ngrams
        self.random_state = random_state

    def fit(self, X, y):
        features = FeatureUnion([
            ("words", TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False,
                                      ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", preprocessor=fold,
                                      ngram_range=self.char_ngrams, sublinear_tf=True, min_df=2)),
        ])
        self.pipeline_ = Pipeline([
            ("features", features),
            ("model", LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced",
                                         random_state=self.random_state)),
        ]).fit(list(X), list(y))
        self.classes_ = self.pipeline_.classes_
        return self

    def predict(self, X):
        return self.pipeline_.predict(list(X))

    def predict_proba(self, X):
        return self.pipeline_.predict_proba(list(X))


KEYWORDS = (
    ("proposals", ("kiến nghị", "đề xuất", "đề nghị")),
    ("plans", ("phương hướng", "thời gian tới", "nhiệm vụ trọng tâm", "cuối năm", "kế hoạch công tác")),
    ("assessment", ("đánh giá chung", "tồn tại", "hạn chế", "ưu điểm", "nguyên nhân")),
    ("indices", ("par index", "sipas", "papi", "pci", "chỉ số")),
    ("one_stop", ("một cửa",)),
    ("procedures", ("thủ tục", "tthc")),
    ("institutions", ("thể chế", "quy phạm pháp luật", "qppl")),
    ("organisation", ("tổ chức bộ máy", "biên chế", "sắp xếp")),
    ("civil_service", ("công chức", "viên chức", "đào tạo", "bồi dưỡng")),
    ("public_finance", ("tài chính", "ngân sách", "kinh phí")),
    ("e_government", ("hiện đại hóa", "công nghệ thông tin", "điện tử", "iso", "trực tuyến", "số hóa")),
    ("leadership", ("chỉ đạo", "điều hành", "tuyên truyền", "kiểm tra")),
)


class KeywordBaseline(BaseEstimator, ClassifierMixin):
    """The first area (in a fixed order) whose keywords the text contains."""

    def fit(self, X, y):
        self.classes_ = np.array(sorted(set(y)))
        return self

    def predict(self, X):
        out = []
        for text in X:
            t = fold(text)
            out.append(next((area for area, kws in KEYWORDS if any(k in t for k in kws)), "other"))
        return np.array(out)


@lru_cache(maxsize=1)
def load_area_model() -> AreaClassifier:
    """The shipped model (``parmine train area`` rebuilds it)."""
    import joblib

    if not ARTIFACT.exists():
        raise FileNotFoundError(f"{ARTIFACT} is missing: run `parmine train area`")
    return joblib.load(ARTIFACT)


def predict_areas(texts: list[str]) -> list[str]:
    """The area of each text."""
    if not texts:
        return []
    return [str(a) for a in load_area_model().predict(texts)]
