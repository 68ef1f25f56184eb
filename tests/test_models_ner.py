"""The statistical extractor: the shipped model loads, keeps its recorded
figure on the held-out split, and runs alongside the rules."""
import json
import shutil

import pytest
from conftest import SEEDS

from parmine.models.ner import RegexTokenizer, load_ner, predict_spans
from parmine.models.train import evaluate_ner
from parmine.pipelines.run import run

pytestmark = pytest.mark.slow

RECORDED_F1 = 0.999  # models/cards/ner.md


def test_tokenizer_keeps_ids_dates_and_numbers_whole():
    from spacy.vocab import Vocab
    doc = RegexTokenizer(Vocab())("Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019, đạt 100%.\n  Hết")
    assert [t.text for t in doc][3:] == ["41/2019/QĐ-UBND", "ngày", "22/10/2019", ",", "đạt", "100%", ".",
                                        "\n  ", "Hết"]
    assert doc.text == "Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019, đạt 100%.\n  Hết"


def test_does_not_regress_below_the_recorded_figure():
    scores = evaluate_ner()
    assert scores["ents_f"] >= RECORDED_F1 - 0.02
    assert set(scores["per_label"]) == {"CITATION", "DATE", "QUANTITY"}


def test_finds_what_the_rules_find_in_unseen_text():
    text = "Căn cứ Kế hoạch số 17/KH-SYT ngày 03/02/2022 của Sở Y tế, đơn vị đã tiếp nhận 58 hồ sơ."
    got = {(text[s:e], label) for s, e, label in predict_spans(text)}
    assert ("17/KH-SYT", "CITATION") in got and ("03/02/2022", "DATE") in got
    assert load_ner().pipe_names == ["tok2vec", "ner"]


def test_statistical_run_keeps_the_rules_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "002_db644a6e68f0f5dc.txt", src)
    run([str(src)], tmp_path / "rules", jobs=1, progress=False)
    run([str(src)], tmp_path / "both", jobs=1, progress=False, statistical=True)
    a = json.loads((tmp_path / "rules" / "pred" / "002_db644a6e68f0f5dc.pred.json").read_text())
    b = json.loads((tmp_path / "both" / "pred" / "002_db644a6e68f0f5dc.pred.json").read_text())
    assert a["citations"] == b["citations"] and a["audit"] == b["audit"]
