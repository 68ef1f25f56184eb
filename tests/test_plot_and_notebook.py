"""`parmine plot` draws a real, non-blank chart; the researchers' notebook
runs top to bottom on a dataset built from the sample corpus."""
import shutil
import xml.etree.ElementTree as ET

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image, ImageStat

from conftest import ROOT, SEEDS
from parmine.pipelines.plot import plot_indicator
from parmine.pipelines.run import run


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    for stem in ("000_8ec424762efb3ebc", "003_46d9f00a676a4ea6", "004_e0d8482e7872d50a"):
        shutil.copy(SEEDS / f"{stem}.txt", src)
    out = tmp_path_factory.mktemp("out")
    run([str(src)], out, jobs=1, progress=False)
    return out


@pytest.mark.parametrize("by", ["province", "unit", "year"])
def test_png_chart(out, by):
    path = plot_indicator(out, "dossiers.received", by)
    with Image.open(path) as im:
        assert im.width >= 400 and im.height >= 300
        stat = ImageStat.Stat(im.convert("L"))
        assert stat.stddev[0] > 10  # not a blank canvas
        assert len(im.convert("RGB").getcolors(1 << 20) or []) > 10


def test_svg_chart(out, tmp_path):
    path = plot_indicator(out, "rate.one_stop", "province", tmp_path / "c.svg", fmt="svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 20


def test_unknown_indicator_is_a_clear_error(out):
    with pytest.raises(ValueError, match="dossiers.received"):
        plot_indicator(out, "dossiers.lost")


def test_notebook_runs_top_to_bottom(out, monkeypatch):
    nb = nbformat.read(ROOT / "notebooks" / "compare_provinces.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # committed without outputs
    monkeypatch.setenv("PARMINE_OUT", str(out))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(out)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
