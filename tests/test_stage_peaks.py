"""The stage-by-stage memory benchmark (bench/stage_peaks.py): every stage
of the end of a run measured, and redone over the whole store when asked."""
import json
import subprocess
import sys

from conftest import ROOT

from parmine.pipelines.run import run
from parmine.pipelines.store import Store

STAGES = ["mark_copies", "update_audit", "export_pred", "export_csv", "export_parquet"]


def _peaks(out, *options) -> dict:
    report = out.parent / "peaks.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "stage_peaks.py"), str(out), "--json", str(report),
                    *options], check=True, capture_output=True, text=True)
    return json.loads(report.read_text())


def test_every_stage_is_measured_and_again_redoes_the_whole_store(tmp_path):
    out = tmp_path / "out"
    assert run(sorted(str(p) for p in (ROOT / "sample").glob("*.txt"))[:3], out, jobs=1, progress=False).processed == 3
    with Store(out) as store:
        corpus = store.value("SELECT count(*) FROM audit WHERE scope = 'corpus'")
        store.set_state("hash_counts", "1000")  # so that only --again retakes the counts
    peaks = _peaks(out, "--again", "--cold-audit")
    assert [s["stage"] for s in peaks["stages"]] == STAGES
    for s in peaks["stages"]:
        assert s["peak_mb"] >= s["peak_anon_mb"] > 0 and s["peak_mb"] < 2000
        assert s["glibc_heap"] >= s["glibc_in_use"] > 0  # (the heap holds what is in use)
    with Store(out) as store:
        assert store.state("hash_counts") == "3"  # retaken over the 3 documents
        assert store.state("held") is not None  # the audit across reports done again from nothing
        assert store.value("SELECT count(*) FROM audit WHERE scope = 'corpus'") == corpus
        assert store.value("SELECT count(*) FROM _changed") == 0  # the exports caught up
