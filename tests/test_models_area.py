"""The reform-area classifier: beats the keyword baseline, honours the
estimator contract, and the shipped artifact predicts sensibly."""
import pytest
from sklearn.base import clone

from parmine.models.area import AreaClassifier, KeywordBaseline, load_area_model, predict_areas
from parmine.models.train import evaluate_area, load_areas


def test_beats_the_keyword_baseline_by_a_clear_margin():
    m = evaluate_area(seed=0)
    assert m["macro_f1"] >= 0.65
    assert m["macro_f1"] - m["baseline_macro_f1"] >= 0.10


def test_estimator_contract():
    X, y = load_areas()
    est = AreaClassifier(C=2.0)
    assert clone(est).get_params()["C"] == 2.0 and not hasattr(est, "pipeline_")
    assert est.fit(X[:200], y[:200]) is est and hasattr(est, "pipeline_") and hasattr(est, "classes_")
    assert set(KeywordBaseline().fit(X, y).predict(["Đề xuất, kiến nghị"])) == {"proposals"}


@pytest.mark.parametrize("text, area", [
    ("Công tác bồi dưỡng, tập huấn nghiệp vụ cho công chức cấp xã", "civil_service"),
    ("Triển khai cơ chế một cửa, một cửa liên thông tại Trung tâm hành chính công", "one_stop"),
    ("Phương hướng, nhiệm vụ trọng tâm năm tới", "plans"),
    ("Kết quả chỉ số SIPAS và PAPI của tỉnh", "indices"),
])
def test_shipped_model(text, area):
    assert isinstance(load_area_model(), AreaClassifier)
    assert predict_areas([text]) == [area]
