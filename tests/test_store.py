"""The DuckDB store: atomic per-document commits and one writer at a time."""
import random

import duckdb
import pyarrow as pa
import pytest
from conftest import shown_limit

from parmine.pipelines.schema import blank_row
from parmine.pipelines.store import DB_NAME, Store, StoreError, StoreLocked


def _rows(doc_id, n):
    return {"documents": [blank_row("documents", doc_id=doc_id, sha256="s" + doc_id, pipeline_version="v")],
            "citations": [blank_row("citations", doc_id=doc_id, id=f"{i}/QĐ-UBND", start=i) for i in range(n)]}


def test_commit_replaces_a_documents_rows(tmp_path):
    with Store(tmp_path) as st:
        st.commit_document("a", _rows("a", 3))
        st.commit_document("b", _rows("b", 1))
        st.commit_document("a", _rows("a", 2))
        assert st.query("SELECT doc_id, count(*) FROM citations GROUP BY doc_id ORDER BY 1")[1] == [("a", 2), ("b", 1)]
        assert st.done("v", ["a", "b", "c"]) == {"a": ("sa", None), "b": ("sb", None)}
        assert st.done("v", ["b"]) == {"b": ("sb", None)} and st.done("w", ["a", "b"]) == {}
        assert st.stored(["a", "c"]) == {"a"}


def test_done_gives_the_size_and_time_a_file_had_when_its_stored_sha256_was_taken(tmp_path):
    with Store(tmp_path) as st:
        st.commit_document("a", _rows("a", 1))
        st.commit_document("b", _rows("b", 1))
        st.note_hashed([("a", "sa", 10, 111), ("b", "an older sha256", 20, 222)])
        assert st.done("v", ["a", "b"]) == {"a": ("sa", (10, 111)), "b": ("sb", None)}
        st.note_hashed([("a", "sa", 11, 333)])  # noted again: replaces
        assert st.done("v", ["a"]) == {"a": ("sa", (11, 333))}
        assert st.value("SELECT count(*) FROM _hashed") == 2


def test_error_drops_earlier_rows(tmp_path):
    with Store(tmp_path) as st:
        st.commit_document("a", _rows("a", 3))
        st.commit_error(blank_row("errors", doc_id="a", path="a.pdf", stage="pdf", reason="truncated"))
        assert st.query("SELECT count(*) FROM citations")[1] == [(0,)]
        assert st.query("SELECT stage, reason FROM errors")[1] == [("pdf", "truncated")]
        assert st.done("v", ["a"]) == {}
        assert st.stored(["a"]) == {"a"}  # its error row


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


ZSTD_SEGMENTS = "SELECT count(*) FROM pragma_storage_info(?) WHERE compression = 'ZSTD'"
WORDS = ("báo cáo kết quả công tác cải cách hành chính năm tỉnh hồ sơ tiếp nhận giải quyết đúng hạn "
         "quá hạn thủ tục một cửa liên thông Sở Nội vụ Tư pháp Quảng Trị").split()


def _long_pages(n=300):
    """Page rows whose texts are long and all different: ~20,000 characters
    (past the 16 KiB from which DuckDB's defaults store strings as ZSTD)."""
    rng = random.Random(7)
    rows = []
    for i in range(n):
        text = " ".join(f"{rng.choice(WORDS)} {rng.randrange(10**6)}" for _ in range(2000))
        rows.append(blank_row("pages", doc_id=f"d{i // 3:03d}", page=i % 3 + 1, source="text",
                              chars=len(text), text=text))
    return rows


def _tuples(rows):
    return sorted(tuple(r.values()) for r in rows)


def _pages(st, rows):
    return sorted(tuple(r.values()) for r in st.pages({r["doc_id"] for r in rows}).to_pylist())


def _all_pages(st):
    return sorted(tuple(r.values()) for r in st.pages(
        [d for d, in st.query("SELECT doc_id FROM pages")[1]]).to_pylist())


def test_page_texts_are_stored_in_pieces_and_read_whole(tmp_path):
    from parmine.pipelines.schema import PAGE_PIECE

    rows = _long_pages(12) + [blank_row("pages", doc_id="e", page=1, source="text", chars=0, text=""),
                              blank_row("pages", doc_id="e", page=2, source="ocr", chars=3, text="ễ\u0301a")]
    with Store(tmp_path / "out") as st:
        st.insert("pages", rows)
        st.insert("documents", [blank_row("documents", doc_id="d000", pipeline_version="v")])
        assert "text" not in {c for c, *_ in st.query("DESCRIBE pages")[1]}
        longest = st.value("SELECT max(length(text)) FROM page_text")
        assert longest == PAGE_PIECE and st.value("SELECT count(*) FROM page_text WHERE doc_id = 'e'") == 1
        assert _all_pages(st) == _tuples(rows)
        st.commit({"d000": {"documents": [blank_row("documents", doc_id="d000", pipeline_version="v")]}})
        assert not st.value("SELECT count(*) FROM page_text WHERE doc_id = 'd000'")  # replaced: gone


def test_a_store_written_by_an_older_parmine_is_rewritten(tmp_path):
    """Its page texts (kept whole in ``pages``, with DuckDB's defaults: ZSTD)
    are moved into pieces, once."""
    out = tmp_path / "out"
    rows = _long_pages()
    con = duckdb.connect(str(out.mkdir() or out / DB_NAME))  # DuckDB's defaults, as an older parmine had them
    con.execute("CREATE TABLE pages (doc_id VARCHAR, page INTEGER, source VARCHAR, chars INTEGER, text VARCHAR)")
    con.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?)", _tuples(rows))
    con.execute("CHECKPOINT")
    assert con.execute(ZSTD_SEGMENTS, ["pages"]).fetchone()[0] > 0  # the store is the old way indeed
    con.close()
    with pytest.raises(StoreError, match="earlier parmine.*parmine export"):  # read-only: not rewritten
        Store(out, read_only=True)
    with Store(out) as st:
        assert st.value(ZSTD_SEGMENTS, ["pages"]) == 0 and st.value(ZSTD_SEGMENTS, ["page_text"]) == 0
        assert _all_pages(st) == _tuples(rows)
    with Store(out, read_only=True) as st:  # and so it stays on disk
        assert "text" not in {c for c, *_ in st.query("DESCRIBE pages")[1]}
        assert _pages(st, rows) == _tuples(rows)


def test_long_strings_written_by_the_store_are_not_zstd_compressed(tmp_path):
    rows = [{"doc_id": r["doc_id"], "path": r["text"]} for r in _long_pages()]
    plain = duckdb.connect(str(tmp_path / "plain.duckdb"))  # the same rows with DuckDB's defaults: ZSTD
    plain.execute("CREATE TABLE documents (doc_id VARCHAR, path VARCHAR)")
    plain.executemany("INSERT INTO documents VALUES (?, ?)", _tuples(rows))
    plain.execute("CHECKPOINT")
    assert plain.execute(ZSTD_SEGMENTS, ["documents"]).fetchone()[0] > 0
    plain.close()
    with Store(tmp_path / "out") as st:
        st.insert("documents", [blank_row("documents", **r) for r in rows])
        st.execute("CHECKPOINT")
        assert st.value(ZSTD_SEGMENTS, ["documents"]) == 0
        assert sorted(st.query("SELECT doc_id, path FROM documents")[1]) == _tuples(rows)


def test_running_out_of_memory_while_opening_is_not_called_damage(tmp_path):
    from parmine.pipelines.store import StoreDamaged, StoreError, _opening_failed

    err = _opening_failed(duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data"), tmp_path)
    assert isinstance(err, StoreError) and not isinstance(err, StoreDamaged)
    assert "memory" in str(err) and "--rebuild" not in str(err)
    assert isinstance(_opening_failed(duckdb.IOException("Could not read from file"), tmp_path), StoreDamaged)


@pytest.mark.parametrize("env, backend", [(None, "system"), ("mimalloc", "mimalloc")])
def test_arrow_buffers_come_from_the_system_allocator_unless_the_environment_names_a_pool(env, backend, tmp_path):
    """In a fresh process that imports only what a worker imports: pyarrow's
    default pool, and the one Arrow's C++ library allocates from on its own
    (writing and reading Parquet: mimalloc, when pyarrow chose it at load
    time, holds what it is given back)."""
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if env:
        environ["ARROW_DEFAULT_MEMORY_POOL"] = env
    code = ("import sys, parmine.pipelines.process, pyarrow as pa, pyarrow.parquet as pq; "
            "pq.write_table(pa.table({'a': ['x' * 100] * 10000}), sys.argv[1]); pq.read_table(sys.argv[1]); "
            "print(pa.default_memory_pool().backend_name, pa.mimalloc_memory_pool().max_memory() > 0)")
    got = subprocess.run([sys.executable, "-c", code, str(tmp_path / "t.parquet")],
                         env=environ, capture_output=True, text=True, check=True).stdout.split()
    assert got == [backend, str(backend == "mimalloc")]


def test_a_streaming_block_caches_within_two_thirds_of_the_limit_and_gives_the_limit_back(tmp_path, monkeypatch):
    import parmine.pipelines.store as store_module

    cached = "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"
    scan = "SELECT count(*), sum(length(text)) FROM page_text"
    with Store(tmp_path / "out") as st:
        st.insert("pages", _long_pages(1200))  # ~24 MB of text in pieces (12 MB stored), checkpointed on close
    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "16MB")
    with Store(tmp_path / "out") as st:
        limit = st.value("SELECT current_setting('memory_limit')")
        whole = st.query(scan)[1]
        assert st.value(cached) > 8 * 2**20  # read at the whole limit: cached up to it
        st.release()
        with st.transaction():  # within a transaction too: it goes on, and commits
            with st.streaming():
                assert st.value("SELECT current_setting('memory_limit')") != limit
                assert st.query(scan)[1] == whole
                assert st.value(cached) <= 16 * 2 / 3 * 2**20
            st.insert("pages", [dict(r, doc_id="n" + r["doc_id"]) for r in _long_pages(3)])
        assert st.value("SELECT current_setting('memory_limit')") == limit
        assert st.value("SELECT count(*) FROM pages") == 1203


def test_a_grouping_block_has_a_third_more_room_and_gives_the_limit_back(tmp_path, monkeypatch):
    import parmine.pipelines.store as store_module

    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "12MB")
    sixteen = shown_limit("16MB")
    with Store(tmp_path / "out") as st:
        limit = st.value("SELECT current_setting('memory_limit')")
        with st.transaction():  # within a transaction too: it goes on, and commits
            with st.grouping():
                assert st.value("SELECT current_setting('memory_limit')") == sixteen
            st.insert("pages", _long_pages(3))
        assert st.value("SELECT current_setting('memory_limit')") == limit
        assert st.value("SELECT count(*) FROM pages") == 3


def test_a_lean_block_runs_at_two_thirds_of_the_limit_through_releases_and_checkpoints(tmp_path, monkeypatch):
    import parmine.pipelines.store as store_module

    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "24MB")
    setting = "SELECT current_setting('memory_limit')"
    with Store(tmp_path / "out") as st:
        whole = st.value(setting)
        assert whole == shown_limit("24MB")
        with st.lean():
            assert st.value(setting) == shown_limit("16MB")
            st.insert("pages", _long_pages(3))
            st.release()  # its moment at 1 MB ends at the mining limit, not the whole one
            assert st.value(setting) == shown_limit("16MB")
            st.checkpoint()  # at the whole limit, then back
            assert st.value(setting) == shown_limit("16MB")
            with st.grouping():
                assert st.value(setting) == shown_limit("32MB")
            assert st.value(setting) == shown_limit("16MB")
        assert st.value(setting) == whole
        # a block that fails inside a failed transaction still gives the whole limit back
        with pytest.raises(duckdb.CatalogException):
            with st.lean():
                st.execute("BEGIN TRANSACTION")
                st.execute("SELECT * FROM no_such_table")
        st.execute("ROLLBACK")
        assert st.value(setting) == whole
        assert st.value("SELECT count(*) FROM pages") == 3


def test_a_step_that_runs_out_of_memory_is_done_again_with_more_room_from_afresh(tmp_path, monkeypatch):
    """Within a lean block a step runs at two thirds of the limit; one that
    runs out is done again at the whole limit, then at four thirds, its
    transaction rolled back each time (nothing of a failed try is kept);
    the limit is the lean one after it; one that runs out at four thirds
    raises."""
    import parmine.pipelines.store as store_module

    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "24MB")
    setting = "SELECT current_setting('memory_limit')"
    with Store(tmp_path / "out") as st:
        limits = []

        def step(rows: int, fits: str) -> int:
            with st.transaction():
                st.insert("pages", _long_pages(rows))
                limits.append(st.value(setting))
                if limits[-1] != shown_limit(fits):
                    raise duckdb.OutOfMemoryException("Out of Memory Error: (as DuckDB says it)")
            return len(limits)

        with st.lean():
            assert st.roomier(step, 3, fits="32MB") == 3
            assert limits == [shown_limit("16MB"), shown_limit("24MB"), shown_limit("32MB")]
            assert st.value(setting) == shown_limit("16MB")
            assert st.value("SELECT count(*) FROM pages") == 3
            limits.clear()
            with pytest.raises(duckdb.OutOfMemoryException):
                st.roomier(step, 2, fits="64MB")
            assert st.value("SELECT count(*) FROM pages") == 3
        limits.clear()  # at the whole limit: no try at it twice
        with pytest.raises(duckdb.OutOfMemoryException):
            st.roomier(step, 2, fits="64MB")
        assert limits == [shown_limit("24MB"), shown_limit("32MB")]


def test_a_tighter_block_takes_its_share_of_the_limit_in_force_and_gives_it_back(tmp_path, monkeypatch):
    """Three quarters of the lean limit in a lean block, of the whole limit
    in a step done again with more room (:meth:`Store.roomier`), and the
    limit in force again after."""
    import parmine.pipelines.store as store_module

    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "32MB")
    setting = "SELECT current_setting('memory_limit')"
    with Store(tmp_path / "out") as st:
        with st.tighter(3 / 4):
            assert st.value(setting) == shown_limit("24MB")
        assert st.value(setting) == shown_limit("32MB")
        with st.lean():
            limits = []

            def step() -> None:
                with st.tighter(3 / 4):
                    limits.append(st.value(setting))
                    if len(limits) == 1:
                        raise duckdb.OutOfMemoryException("Out of Memory Error: (as DuckDB says it)")
            st.roomier(step)
            assert st.value(setting) == shown_limit("21.33MB")
        shown = [float(v.split()[0]) for v in limits]  # MiB, as DuckDB rounds them
        assert shown == pytest.approx([16 * 0.953674, 24 * 0.953674], abs=0.1)


def test_a_join_that_runs_out_of_a_small_limit_passes_with_more_room(tmp_path, monkeypatch):
    """A real DuckDB out-of-memory error (lists too large to spill) at two thirds
    of the limit, none at the whole limit: the step's rows as at the whole limit."""
    import parmine.pipelines.store as store_module

    monkeypatch.setattr(store_module, "MEMORY_LIMIT", "24MB")
    sql = "SELECT list(i ORDER BY i DESC) FROM range(220000) t(i) GROUP BY i % 3"
    with Store(tmp_path / "out") as st:
        expected = sorted(len(r[0]) for r in st.con.execute(sql).fetchall())
        with st.lean():
            with pytest.raises(duckdb.OutOfMemoryException):
                st.con.execute(sql).fetchall()
            assert sorted(len(r[0]) for r in st.roomier(lambda: st.con.execute(sql).fetchall())) == expected


def test_release_gives_back_the_blocks_duckdb_cached_and_keeps_its_limit(tmp_path):
    cached = "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"
    with Store(tmp_path / "out") as st:
        st.insert("pages", _long_pages(400))  # ~8 MB of text in pieces, checkpointed to disk on close
    with Store(tmp_path / "out") as st:
        limit = st.value("SELECT current_setting('memory_limit')")
        assert st.value("SELECT sum(length(text)) FROM page_text") > 7_000_000
        assert st.value(cached) >= 2 * 2**20  # the scan's blocks stay cached
        st.release()
        assert st.value(cached) < 2**20
        assert st.value("SELECT current_setting('memory_limit')") == limit
        assert st.value("SELECT sum(length(text)) FROM page_text") > 7_000_000  # read again from disk
        with st.transaction():  # within a transaction: it goes on, and commits
            st.insert("pages", [dict(r, doc_id="n" + r["doc_id"]) for r in _long_pages(400)])
            st.release()
            assert st.value("SELECT count(*) FROM pages") == 800
        assert st.value("SELECT count(*) FROM pages") == 800
