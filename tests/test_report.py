"""The audit report: one self-contained HTML file, checked in a real
headless browser (Debian's Chromium, driven by Selenium through Debian's
chromedriver)."""
import re
import shutil
import subprocess

import pytest
from conftest import SEEDS

from parmine.corpus.document import Page
from parmine.extract.cleanup import clean
from parmine.pipelines.report import render_text, write_report
from parmine.pipelines.run import run
from parmine.pipelines.store import Store

pytestmark = pytest.mark.slow

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM = ["chromium"] + FLAGS
STEMS = ("001_cb8e85e775728a3b", "003_46d9f00a676a4ea6", "004_e0d8482e7872d50a")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    src = tmp_path_factory.mktemp("src")
    for stem in STEMS:
        shutil.copy(SEEDS / f"{stem}.txt", src)
    run([str(src)], out, jobs=1, progress=False)
    return write_report(out), out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium')}", "--window-size=1200,800"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver"))
    yield driver
    driver.quit()


def _audit(out):
    with Store(out, lock=False, read_only=True) as store:
        return store.frame("SELECT * FROM audit")


def _in_view(driver, element) -> bool:
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;", element)


def test_report_is_self_contained(report):
    path, _ = report
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=['\"]?https?:", html)
    assert "@import" not in html and "url(" not in html


def test_browser_finds_findings_reports_pages_and_highlights(report, tmp_path):
    path, out = report
    dom = subprocess.run(CHROMIUM + [f"--user-data-dir={tmp_path}", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert dom.count("class=\"report\"") == 3
    assert 'id="doc-003_46d9f00a676a4ea6"' in dom
    kinds = set(re.findall(r'class="finding" data-severity="\w+" data-kind="([a-z_]+)"', dom))
    assert {"symbol_variant", "arithmetic_mismatch", "citation_issuer_mismatch",
            "citation_malformed", "citation_date_conflict"} <= kinds
    # every finding listed links to a marker in its report
    links = re.findall(r'href="#finding-(\d+)"', dom)
    assert len(links) == len(_audit(out)) and all(f'id="finding-{n}"' in dom for n in links)
    assert dom.count('<mark class="CITATION"') >= 40 and '<mark class="DATE"' in dom
    assert '<mark class="QUANTITY"' in dom
    with Store(out, lock=False, read_only=True) as store:
        pages = store.query("SELECT doc_id, page FROM pages")[1]
    assert all(f'id="doc-{d}-page-{p}"' in dom for d, p in pages)


def test_findings_sorted_by_severity_with_counts_and_filters(report, browser):
    from selenium.webdriver.common.by import By

    path, out = report
    audit = _audit(out)
    browser.get(path.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#findings tr.finding")
    order = [r.get_attribute("data-severity") for r in rows]
    rank = {"error": 0, "warning": 1, "info": 2}
    assert len(rows) == len(audit) and order == sorted(order, key=rank.get)
    for sev in ("error", "warning", "info"):
        n = int((audit["severity"] == sev).sum())
        label = browser.find_element(By.XPATH, f"//input[@value='{sev}']/..").text
        assert label == f"{sev} ({n})"
    # every explanation stands in the list, visible (not in a tooltip)
    shown = browser.find_element(By.ID, "findings").text
    assert all(e in shown for e in audit["explanation"])
    browser.find_element(By.CSS_SELECTOR, "input.sev-filter[value='info']").click()
    visible = [r.get_attribute("data-severity") for r in rows if r.is_displayed()]
    assert "info" not in visible and len(visible) == int((audit["severity"] != "info").sum())
    browser.find_element(By.CSS_SELECTOR, "input.sev-filter[value='info']").click()
    assert sum(r.is_displayed() for r in rows) == len(audit)


def test_clicking_a_finding_scrolls_its_flagged_span_into_view(report, browser):
    from selenium.webdriver.common.by import By

    path, out = report
    audit = _audit(out)
    browser.get(path.as_uri())
    with Store(out, lock=False, read_only=True) as store:
        for kind in ("citation_issuer_mismatch", "arithmetic_mismatch"):
            f = audit[(audit["kind"] == kind) & audit["start"].notna()].iloc[0]
            fmt, = store.query("SELECT format FROM documents WHERE doc_id = ?", [f["doc_id"]])[1][0]
            pages = [Page(r["page"], r["text"], r["source"]) for r in store.pages([f["doc_id"]]).to_pylist()]
            flagged_text = clean(pages, reflow_lines=fmt != "txt").text[int(f["start"]):int(f["end"])]
            row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#findings tr.finding")
                       if f["explanation"] in r.text)
            link = row.find_element(By.CSS_SELECTOR, "a.goto")
            target = browser.find_element(By.ID, link.get_attribute("href").split("#")[1])
            assert not _in_view(browser, target)
            link.click()
            assert _in_view(browser, target), kind
            assert flagged_text.strip() and flagged_text in target.text
            flag = target.find_element(By.XPATH, "following-sibling::span[@class][1]")
            assert flag.is_displayed() and f["explanation"] in flag.text and _in_view(browser, flag)
            browser.execute_script("window.scrollTo(0, 0)")


def test_a_table_finding_shows_its_table_and_the_cells_it_adds_up(report, browser):
    from selenium.webdriver.common.by import By

    path, out = report
    audit = _audit(out)
    f = audit[audit["table_no"].notna()].iloc[0]
    assert f"table {int(f['table_no'])}, column {int(f['col_no'])}" in f["explanation"]  # one numbering
    browser.get(path.as_uri())
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#findings tr.finding")
               if f["explanation"] in r.text)
    row.find_element(By.CSS_SELECTOR, "a.goto").click()
    table = browser.find_element(By.ID, f"doc-{f['doc_id']}-table-{int(f['table_no'])}")
    assert _in_view(browser, browser.find_element(By.CSS_SELECTOR, f"#doc-{f['doc_id']}-table-"
                                                  f"{int(f['table_no'])} .flagged"))
    assert table.find_element(By.TAG_NAME, "caption").text.startswith(f"Table {int(f['table_no'])} (page ")
    col = int(f["col_no"])
    header = table.find_elements(By.CSS_SELECTOR, "tr")[0].find_elements(By.TAG_NAME, "th")
    assert header[col].text == f"col {col}"
    column = [r.find_elements(By.XPATH, "./*")[col] for r in table.find_elements(By.CSS_SELECTOR, "tr")[1:]]
    parts = [c for c in column if c.get_attribute("class") == "part"]
    totals = [c for c in column if c.get_attribute("class") == "total"]
    assert parts and len(totals) == 1
    assert sum(float(c.text) for c in parts) == float(f["expected"])
    assert totals[0].text in f["explanation"]


def test_render_text_nests_crossing_spans():
    text = "abcdefghij"
    out = render_text(text, [(0, 4, "<mark>", "</mark>"), (2, 8, "<mark>", "</mark>")],
                      [(3, 6, "<span id='f'>", "</span>")], [(5, "<br>")])
    # the flagged span wins over the highlight crossing it, the one holding it stays;
    # the point stands where it belongs
    assert out == "ab<mark>c<span id='f'>de<br>f</span>gh</mark>ij"


def test_markup_in_a_report_or_a_file_name_stays_text(tmp_path):
    from parmine.pipelines.report import build_report
    from parmine.pipelines.schema import blank_row
    from parmine.pipelines.store import Store

    evil = "<script>alert(1)</script>"
    doc_id = "x'><img src=x onerror=alert(2)>"
    with Store(tmp_path) as store:
        store.commit({doc_id: {
            "documents": [blank_row("documents", doc_id=doc_id, format="txt", province=evil, pipeline_version="v")],
            "pages": [blank_row("pages", doc_id=doc_id, page=1, source="text", text=f"Báo cáo {evil} hết.")]}})
        store.replace_table("audit", [blank_row("audit", kind="date_invalid", doc_id=doc_id, id=evil,
                                                explanation=evil, start=0, end=3)])
    html = build_report(tmp_path)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_render_text_nests_two_findings_on_one_span():
    # a citation flagged by two checks: each flag stands right after its own span
    out = render_text("abcdef", [], [(1, 3, "<i id='1'>", "</i>F1"), (1, 3, "<i id='2'>", "</i>F2")], [])
    assert out == "a<i id='1'><i id='2'>bc</i>F2</i>F1def"


def test_cited_documents_show_their_registry_title_and_link(report):
    path, _ = report
    html = path.read_text(encoding="utf-8")
    section = html[html.index("id='doc-003_46d9f00a676a4ea6'"):]
    section = section[:section.index("</section>")]
    cited = section[section.index("<table class='cited'>"):section.index("</table>")]
    row = re.search(r"<tr><td>61/2018/NĐ-CP</td><td>(\d+)</td><td><a href='(http://vbpl\.vn/[^']+)'>([^<]+)</a>", cited)
    assert row and int(row.group(1)) >= 2
    assert row.group(3).startswith("Nghị định 61/2018/NĐ-CP of 2018-04-23: Về thực hiện cơ chế một cửa")
    assert "<tr><td>09/KH-SKHCCN</td><td>1</td><td></td></tr>" in cited  # no registry lists it
    assert "<mark class='CITATION' title='61/2018/NĐ-CP: Về thực hiện cơ chế một cửa" in section
