"""docs/dataset.md documents every column of every exported table, and
docs/reliability.md and docs/scaling.md name only tests that exist."""
import re
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SEEDS

from parmine.pipelines.run import run
from parmine.pipelines.schema import STORED, TABLES, columns

pytestmark = pytest.mark.slow

DOC = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")


def documented() -> dict[str, set[str]]:
    out = {}
    for m in re.finditer(r"^### (\w+)\n(.*?)(?=^### |\Z)", DOC, flags=re.M | re.S):
        out[m.group(1)] = set(re.findall(r"^\| `([^`]+)` \|", m.group(2), flags=re.M))
    return out


def test_every_schema_column_is_documented():
    docs = documented()
    for table in TABLES:
        assert docs.get(table) == set(columns(table)), table
    assert docs["page_text"] == {c for c, _ in STORED["page_text"]}  # the store's own


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    for stem in ("000_8ec424762efb3ebc", "004_e0d8482e7872d50a"):
        shutil.copy(SEEDS / f"{stem}.txt", src)
    out = tmp_path_factory.mktemp("out")
    run([str(src)], out, jobs=1, progress=False)
    return out


def test_exported_files_have_the_documented_columns(out):
    docs = documented()
    for table in TABLES:
        files = [out / "errors.parquet"] if table == "errors" else sorted((out / table).rglob("part-*.parquet"))
        assert files and all(set(pq.read_schema(f).names) == docs[table] for f in files), table
    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    for table in STORED:  # the store's tables: the exported ones, but a page's text kept in pieces
        got = {r[0] for r in con.execute(f"DESCRIBE \"{table}\"").fetchall()}
        assert got == docs[table] - ({"text"} if table == "pages" else set()), table
    wide = set(pq.read_schema(out / "indicators_wide.parquet").names)
    fixed = docs["indicators_wide"] - {"<indicator>"}
    assert fixed <= wide and all("." in c for c in wide - fixed)
    # every table is in the store, the wide table too
    assert {r[0] for r in con.execute('DESCRIBE "indicators_wide"').fetchall()} == wide
    assert con.execute('SELECT count(*) FROM "indicators_wide"').fetchone()[0] == 2


@pytest.mark.parametrize("guide, least", [("reliability.md", 30), ("scaling.md", 6)])
def test_every_test_named_in_the_reliability_and_scaling_guides_exists(guide, least):
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    named = re.findall(r"`?(test_\w+\.py)::(test_\w+)`?", text)
    assert len(named) >= least
    for module, test in named:
        source = (ROOT / "tests" / module).read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", source, flags=re.M), f"{module}::{test}"
