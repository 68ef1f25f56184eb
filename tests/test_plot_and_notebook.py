"""`parmine plot` draws a real, non-blank chart from figures a researcher
can publish (one copy per report, one period kind, rates never summed);
the researchers' notebook runs top to bottom on a dataset built from the
seeds and computes what the wide table holds."""
import json
import shutil
import xml.etree.ElementTree as ET

import nbformat
import pandas as pd
import pytest
from conftest import ROOT, SAMPLE, SEEDS
from nbclient import NotebookClient
from PIL import Image, ImageStat

from parmine.pipelines.aggregate import chart_data, on_time_rates, wide_table
from parmine.pipelines.cli import main
from parmine.pipelines.plot import plot_indicator
from parmine.pipelines.run import run
from parmine.pipelines.store import Store

pytestmark = pytest.mark.slow

QUARTERLY = ("000_8ec424762efb3ebc", "003_46d9f00a676a4ea6")  # Quảng Trị, Q3 2020 and Q3 2023
YEARLY = "004_e0d8482e7872d50a"  # Bà Rịa - Vũng Tàu, 2019


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    for stem in QUARTERLY + (YEARLY,):
        shutil.copy(SEEDS / f"{stem}.txt", src)
    out = tmp_path_factory.mktemp("out")
    run([str(src)], out, jobs=1, progress=False)
    return out


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The Hải Phòng report once (txt) and twice (txt + its PDF)."""
    outs = {}
    for name, files in (("one", ["001_cb8e85e775728a3b.txt"]),
                        ("two", ["001_cb8e85e775728a3b.txt", "001_cb8e85e775728a3b.pdf"])):
        src = tmp_path_factory.mktemp(f"in-{name}")
        for f in files:
            shutil.copy(SAMPLE / f, src)
        outs[name] = tmp_path_factory.mktemp(f"out-{name}")
        run([str(src)], outs[name], jobs=1, progress=False)
    return outs


def _chart(out, *args):
    with Store(out, lock=False, read_only=True) as store:
        return chart_data(store, *args)


@pytest.mark.parametrize("by", ["province", "unit", "year"])
def test_png_chart(out, by):
    path = plot_indicator(out, "dossiers.received", by)
    with Image.open(path) as im:
        assert im.width >= 400 and im.height >= 300
        stat = ImageStat.Stat(im.convert("L"))
        assert stat.stddev[0] > 10  # not a blank canvas
        assert len(im.convert("RGB").getcolors(1 << 20) or []) > 10


def test_svg_chart_has_human_labels_unit_period_and_source(out, tmp_path):
    path = plot_indicator(out, "dossiers.received", "province", tmp_path / "c.svg", fmt="svg", period="quarter")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 20
    svg = path.read_text(encoding="utf-8")
    # matplotlib writes text as glyph paths, with the string in a comment
    for words in ("Dossiers received", "Hồ sơ tiếp nhận", "dossiers", "Q3 2020", "Q3 2023", "quarter",
                  "Source: parmine", "2 reports"):
        assert words in svg, words
    assert "dossiers.received by" not in svg


def test_a_copy_of_a_report_does_not_change_the_plot(copies):
    with Store(copies["two"], lock=False, read_only=True) as store:
        assert store.query("SELECT doc_id, duplicate_of FROM documents ORDER BY 1")[1] == [
            ("001_cb8e85e775728a3b", None), ("001_cb8e85e775728a3b.pdf", "001_cb8e85e775728a3b")]
        keys = store.query("SELECT DISTINCT report_key FROM documents")[1]
        assert len(keys) == 1
    for indicator, by in (("dossiers.received", "province"), ("dossiers.received", "period"),
                          ("rate.it_use", "period"), ("procedures.total", "unit")):
        one, info_one = _chart(copies["one"], indicator, by)
        two, info_two = _chart(copies["two"], indicator, by)
        pd.testing.assert_frame_equal(one.drop(columns="copies"), two.drop(columns="copies"))
        assert info_one["copies"] == 0 and info_two["copies"] == 1 and info_two["reports"] == 1
    bars, _ = _chart(copies["two"], "dossiers.received", "province")
    assert bars["value"].tolist() == [3764]  # not 2 × 3,764


def test_the_wide_table_counts_a_report_once_and_says_how_many_copies(copies):
    for name, n_copies in (("one", 0), ("two", 1)):
        with Store(copies[name], lock=False, read_only=True) as store:
            wide = wide_table(store)
            stored = store.frame("SELECT * FROM indicators_wide")
        assert wide["reports"].tolist() == [1] and wide["copies"].tolist() == [n_copies]
        assert stored["dossiers.received"].tolist() == [3764] and stored["copies"].tolist() == [n_copies]


def test_one_period_kind_at_a_time(out):
    bars, info = _chart(out, "dossiers.received", "period")
    assert info["period"] == "quarter" and info["left_out"] == 1  # most reports are quarterly; 2019 left out
    assert bars["period"].tolist() == ["Q3 2020", "Q3 2023"] and bars["reports"].tolist() == [1, 1]
    with Store(out, lock=False, read_only=True) as store:
        stated = dict(store.query(
            "SELECT doc_id, value FROM indicators WHERE indicator = 'dossiers.received' AND field IS NULL "
            "AND procedure IS NULL ORDER BY start DESC")[1])
    assert bars["value"].tolist() == [stated[QUARTERLY[0]], stated[QUARTERLY[1]]]
    yearly, info = _chart(out, "dossiers.received", "province", "year")
    assert yearly["period"].tolist() == ["2019"] and yearly["value"].tolist() == [477]
    with pytest.raises(ValueError, match="no month report states dossiers.received; reports by period kind: "
                                         "quarter 2, year 1"):
        _chart(out, "dossiers.received", "province", "month")


def test_a_rate_is_never_above_100_in_any_aggregate(out, copies):
    for o in (out, copies["one"], copies["two"]):
        with Store(o, lock=False, read_only=True) as store:
            wide = wide_table(store)
            rates = [r[0] for r in store.query("SELECT DISTINCT indicator FROM indicators "
                                               "WHERE indicator LIKE 'rate.%'")[1]]
            for rate in rates:
                for by in ("province", "unit", "agency", "period"):
                    for period in ("year", "half", "quarter"):
                        try:
                            bars, info = chart_data(store, rate, by, period)
                        except ValueError:
                            continue
                        assert (bars["value"] <= 100).all() and "sum" not in info["methods"], (rate, by, period)
        assert (wide.filter(like="rate.").fillna(0) <= 100).all().all()
        assert (on_time_rates(wide)["on_time"].fillna(0) <= 100).all()


def test_plot_command(out, capsys):
    assert main(["plot", str(out), "--indicator", "dossiers.received", "--by", "period", "--period", "quarter"]) == 0
    assert capsys.readouterr().out.strip().endswith("plot-dossiers.received-period-quarter.png")
    assert main(["plot", str(out), "--indicator", "dossiers.received", "--period", "month"]) == 1
    assert "no month report" in capsys.readouterr().err


def test_unknown_indicator_is_a_clear_error(out):
    with pytest.raises(ValueError, match="dossiers.received"):
        plot_indicator(out, "dossiers.lost")


def test_notebook_runs_top_to_bottom_and_agrees_with_the_wide_table(out, monkeypatch):
    nb = nbformat.read(ROOT / "notebooks" / "compare_provinces.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # committed without outputs
    assert "fillna(0)" not in "".join(c.source for c in nb.cells if "main-figure" not in c.metadata.get("tags", []))
    nb.cells.append(nbformat.v4.new_code_cell(
        'print(on_time[["report", "province", "year", "period_index", "on_time", "method"]]'
        '.to_json(orient="records", force_ascii=False))'))
    monkeypatch.setenv("PARMINE_OUT", str(out))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(out)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    main_figure = [c for c in nb.cells if "main-figure" in c.metadata.get("tags", [])]
    assert len(main_figure) == 1 and any("image/png" in o.get("data", {}) for o in main_figure[0].outputs)
    table = json.loads(nb.cells[-1].outputs[0]["text"])
    wide = pd.read_parquet(out / "indicators_wide.parquet")
    assert len(table) == len(wide) == 3
    for row in table:
        w = wide[(wide["province"] == row["province"]) & (wide["year"] == row["year"])].iloc[0]
        assert row["report"].startswith(f"{w['province']} · {w['agency']} · ")
        if pd.notna(w.get("rate.on_time")):
            assert row["method"] == "stated" and row["on_time"] == w["rate.on_time"]
        elif row["on_time"] is not None:
            resolved = w["dossiers.resolved"]
            assert row["method"] == "(resolved − late) / resolved"
            assert row["on_time"] == pytest.approx(100 * (resolved - w["dossiers.resolved.late"]) / resolved)
        else:  # not stated: missing, never 0
            assert row["method"] is None
    assert {r["method"] for r in table} >= {"stated"}
