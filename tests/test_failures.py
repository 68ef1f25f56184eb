"""What a failed run prints: the reason and what to do."""
import duckdb
import pytest

from parmine.pipelines.failures import explain


def test_the_database_running_out_of_memory_says_how_to_give_it_more():
    con = duckdb.connect(config={"memory_limit": "2MB", "threads": 1})
    with pytest.raises(duckdb.OutOfMemoryException) as err:
        con.execute("SELECT list(repeat(CAST(i AS VARCHAR), 100)) FROM range(100000) r(i)").fetchall()
    line = explain(err.value)
    assert line.startswith("the database ran out of the memory it may use")
    assert "PARMINE_DUCKDB_MEMORY=1GB" in line and "stored before is kept" in line and "\n" not in line
