"""The whole pipeline on the seed reports, scored against the gold with
../shared/tools/score.py: the thresholds the issues set."""
import json
import subprocess
import sys

import pytest
from conftest import GOLD, SEEDS, SHARED

from parmine.pipelines.run import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    s = run([str(SEEDS)], out, jobs=2, progress=False)
    assert s.failed == 0 and s.processed == 5
    res = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(GOLD), str(out / "pred"),
                          "--json"], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


# floors just below the recorded scores (README): a drop is a regression
def test_sections_and_metadata(scores):
    assert scores["categories"]["sections"]["f1"] == 1.0
    assert all(m["accuracy"] == 1.0 for m in scores["metadata"].values())


def test_citations_and_indicators(scores):
    assert scores["categories"]["citations"]["f1"] >= 0.99
    assert scores["categories"]["indicators"]["f1"] >= 0.99


def test_audit(scores):
    assert scores["categories"]["audit"]["recall"] >= 0.99
    assert scores["categories"]["audit"]["precision"] >= 0.99
