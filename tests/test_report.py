"""The audit report: one self-contained HTML file, checked in a real
headless browser (Chromium from Debian)."""
import re
import shutil
import subprocess

import pytest

from conftest import SEEDS
from parmine.pipelines.report import write_report
from parmine.pipelines.run import run

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    src = tmp_path_factory.mktemp("src")
    for stem in ("001_cb8e85e775728a3b", "003_46d9f00a676a4ea6"):
        shutil.copy(SEEDS / f"{stem}.txt", src)
    run([str(src)], out, jobs=1, progress=False)
    return write_report(out), out


def test_report_is_self_contained(report):
    path, _ = report
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=['\"]?https?:", html)
    assert "@import" not in html and "url(" not in html


def test_browser_finds_findings_reports_and_highlights(report, tmp_path):
    path, _ = report
    dom = subprocess.run(CHROMIUM + [f"--user-data-dir={tmp_path}", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert dom.count("class=\"report\"") == 2
    assert 'id="doc-003_46d9f00a676a4ea6"' in dom
    kinds = set(re.findall(r'class="finding" data-kind="([a-z_]+)"', dom))
    assert {"symbol_variant", "arithmetic_mismatch", "citation_issuer_mismatch",
            "citation_malformed", "citation_date_conflict"} <= kinds
    # every finding listed links to a marker in its report's text
    for n in re.findall(r'href="#finding-(\d+)"', dom):
        assert f'id="finding-{n}"' in dom
    assert dom.count('<mark class="CITATION"') >= 40 and '<mark class="DATE"' in dom
    assert '<mark class="QUANTITY"' in dom


def test_markup_in_a_report_or_a_file_name_stays_text(tmp_path):
    from parmine.pipelines.report import build_report
    from parmine.pipelines.store import Store

    evil = "<script>alert(1)</script>"
    doc_id = "x'><img src=x onerror=alert(2)>"
    with Store(tmp_path) as store:
        store.commit({doc_id: {
            "documents": [{"doc_id": doc_id, "format": "txt", "province": evil, "pipeline_version": "v"}],
            "pages": [{"doc_id": doc_id, "page": 1, "source": "text", "text": f"Báo cáo {evil} hết."}]}})
        store.replace_table("audit", [{"kind": "date_invalid", "doc_id": doc_id, "id": evil,
                                       "explanation": evil, "start": 0, "end": 3}])
    html = build_report(tmp_path)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
