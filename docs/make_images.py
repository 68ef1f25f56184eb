"""Regenerate the pictures in docs/img/ from the bundled sample (``make images``):

- ``plot-dossiers-received.png``: ``parmine plot OUT --indicator dossiers.received --period year``;
- ``notebook-on-time.png``: the notebook's main figure (the cell tagged ``main-figure``);
- ``report-findings.png`` and ``report-table-finding.png``: the audit report in
  headless Chromium, at the top and after clicking a table finding.
"""
from __future__ import annotations

import argparse
import base64
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def mine(sample: Path, out: Path) -> None:
    from parmine.pipelines.run import run

    summary = run([str(sample)], out, jobs=2, progress=False)
    print(f"{summary.documents} documents mined into {out}")


def plot(out: Path) -> None:
    from parmine.pipelines.plot import plot_indicator

    print(plot_indicator(out, "dossiers.received", "province", IMG / "plot-dossiers-received.png",
                         period="year"))


def notebook(out: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "compare_provinces.ipynb", as_version=4)
    os.environ["PARMINE_OUT"] = str(out.resolve())
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(out)}}).execute()
    cell = next(c for c in nb.cells if "main-figure" in c.metadata.get("tags", []))
    png = next(o["data"]["image/png"] for o in cell.outputs if "image/png" in o.get("data", {}))
    path = IMG / "notebook-on-time.png"
    path.write_bytes(base64.b64decode(png))
    print(path)


def report(out: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from parmine.pipelines.report import write_report

    page = write_report(out)
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tempfile.mkdtemp()}", "--window-size=1280,900"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver"))
    try:
        driver.get(page.resolve().as_uri())
        driver.save_screenshot(str(IMG / "report-findings.png"))
        links = [a for a in driver.find_elements(By.CSS_SELECTOR, "#findings a.goto") if a.text == "table"]
        links[0].click()
        driver.save_screenshot(str(IMG / "report-table-finding.png"))
    finally:
        driver.quit()
    print(IMG / "report-findings.png", IMG / "report-table-finding.png")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", default=str(ROOT / "sample"), help="the corpus to mine (default sample/)")
    ap.add_argument("--out", default=str(ROOT / "out" / "images"), help="the dataset folder to write")
    a = ap.parse_args(argv)
    IMG.mkdir(parents=True, exist_ok=True)
    out = Path(a.out)
    mine(Path(a.sample), out)
    plot(out)
    notebook(out)
    report(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
