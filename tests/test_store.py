"""The DuckDB store: atomic per-document commits and one writer at a time."""
import pyarrow as pa
import pytest

from parmine.pipelines.schema import blank_row
from parmine.pipelines.store import Store, StoreLocked


def _rows(doc_id, n):
    return {"documents": [blank_row("documents", doc_id=doc_id, sha256="s" + doc_id, pipeline_version="v")],
            "citations": [blank_row("citations", doc_id=doc_id, id=f"{i}/QĐ-UBND", start=i) for i in range(n)]}


def test_commit_replaces_a_documents_rows(tmp_path):
    with Store(tmp_path) as st:
        st.commit_document("a", _rows("a", 3))
        st.commit_document("b", _rows("b", 1))
        st.commit_document("a", _rows("a", 2))
        assert st.query("SELECT doc_id, count(*) FROM citations GROUP BY doc_id ORDER BY 1")[1] == [("a", 2), ("b", 1)]
        assert st.done("v") == {"a": "sa", "b": "sb"}


def test_error_drops_earlier_rows(tmp_path):
    with Store(tmp_path) as st:
        st.commit_document("a", _rows("a", 3))
        st.commit_error(blank_row("errors", doc_id="a", path="a.pdf", stage="pdf", reason="truncated"))
        assert st.query("SELECT count(*) FROM citations")[1] == [(0,)]
        assert st.query("SELECT stage, reason FROM errors")[1] == [("pdf", "truncated")]
        assert st.done("v") == {}


def test_a_failed_commit_leaves_nothing(tmp_path):
    with Store(tmp_path) as st:
        st.commit_document("a", _rows("a", 1))
        bad = _rows("a", 2)
        bad["citations"].append(blank_row("citations", doc_id="a", year="not a year"))
        with pytest.raises(pa.ArrowInvalid):
            st.commit_document("a", bad)
        assert st.query("SELECT count(*) FROM citations")[1] == [(1,)]


def test_second_writer_is_refused(tmp_path):
    with Store(tmp_path):
        with pytest.raises(StoreLocked, match="another parmine run"):
            Store(tmp_path)
    Store(tmp_path).close()  # free again once the first run is over


def test_a_store_from_an_older_schema_gains_the_new_columns(tmp_path):
    import duckdb
    con = duckdb.connect(str(tmp_path / "parmine.duckdb"))
    con.execute('CREATE TABLE sections (doc_id VARCHAR, kind VARCHAR)')
    con.close()
    with Store(tmp_path) as st:
        st.commit_document("a", {"sections": [blank_row("sections", doc_id="a", kind="body", area="plans")]})
        assert st.query("SELECT area FROM sections")[1] == [("plans",)]


def test_a_store_whose_free_blocks_were_cut_off_reopens(tmp_path):
    # a table replaced by a smaller one leaves free blocks, which DuckDB cuts
    # off the end of the file: the file is then shorter than all the blocks
    # the header counts, and is not damaged
    for n in (100_000, 10, 100_000, 10, 10):
        with Store(tmp_path) as st:
            st.execute("CREATE OR REPLACE TABLE wide AS SELECT repeat(CAST(i AS VARCHAR), 50) AS t FROM range(?) r(i)",
                       [n])
    with Store(tmp_path) as st:
        assert st.query("SELECT count(*) FROM wide")[1] == [(10,)]
