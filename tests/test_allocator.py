"""glibc's thresholds fixed when parmine's pipelines load (parmine.pipelines.allocator)."""
import os
import subprocess
import sys

import pytest

# In a fresh process: 8 MB allocated and freed, then 4 MB — glibc maps the
# 4 MB block on its own only while its mmap threshold has not been raised by
# the first free; prints the MB mapped on their own and the MB of the heap.
_PROBE = """
import ctypes, sys
if sys.argv[1] == "import":
    import parmine.pipelines
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(8 << 20))
block = libc.malloc(4 << 20)
info = libc.mallinfo2()
print(info.hblkhd >> 20, info.arena >> 20)
"""
_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def _probe(what: str, **env: str) -> tuple[int, int]:
    environ = {k: v for k, v in os.environ.items() if k not in _SETTINGS} | env
    out = subprocess.run([sys.executable, "-c", _PROBE, what], env=environ, capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]), int(out[1])


def test_a_large_block_freed_leaves_the_next_ones_mapped_on_their_own():
    mapped, _ = _probe("import")
    assert mapped >= 4  # the 4 MB block: a mapping, given back whole when freed


def test_without_parmine_glibc_raises_its_threshold_and_serves_the_block_from_the_heap():
    """What the fix is against (if glibc stops raising it, the fix can go)."""
    mapped, heap = _probe("bare")
    assert mapped == 0 and heap >= 4


@pytest.mark.parametrize("name, value", [("MALLOC_MMAP_THRESHOLD_", "33554432"),
                                         ("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=33554432")])
def test_a_threshold_the_environment_sets_is_left_alone(name, value):
    mapped, heap = _probe("import", **{name: value})
    assert mapped == 0 and heap >= 4


# In a fresh process: a DuckDB query that builds a large hash table, in a
# parmine store or in a database DuckDB opens alone; prints DuckDB's
# jemalloc's resident MB during the query (its largest reading) and after it.
_DUCKDB_PROBE = """
import sys, threading, time
import duckdb
from parmine.pipelines.allocator import duckdb_memory
from parmine.pipelines.store import Store
def resident():
    return duckdb_memory()[1] >> 20
highest, done = [0], threading.Event()
def watch():
    while not done.is_set():
        highest[0] = max(highest[0], resident())
        time.sleep(0.005)
con = Store(sys.argv[1]).con if sys.argv[2] == "store" else duckdb.connect(sys.argv[1] + ".duckdb")
con.execute("SET memory_limit = '1GB'")  # the hash table in memory, not spilled
watcher = threading.Thread(target=watch)
watcher.start()
con.execute("SELECT count(DISTINCT i::VARCHAR || 'x') FROM range(2000000) t(i)").fetchall()
done.set()
watcher.join()
print(highest[0], resident())
"""


def _duckdb_resident(tmp_path, where: str) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", _DUCKDB_PROBE, str(tmp_path / where), where],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


def test_in_a_store_duckdbs_allocator_gives_back_what_it_frees_at_once(tmp_path):
    during, after = _duckdb_resident(tmp_path, "store")
    assert during >= 40 and after <= 16


def test_left_alone_duckdbs_allocator_keeps_the_pages_it_freed(tmp_path):
    """What the store's setting is for (if DuckDB's jemalloc gives them back by itself, it can go)."""
    during, after = _duckdb_resident(tmp_path, "plain")
    assert during >= 40 and after >= 40


def test_duckdb_memory_counts_what_duckdb_holds():
    import duckdb

    from parmine.pipelines.allocator import duckdb_memory

    with duckdb.connect() as con:
        before, _ = duckdb_memory()
        con.execute("CREATE TABLE t AS SELECT i, repeat('x', 40) || i AS s FROM range(500000) t(i)")  # ~25 MB
        allocated, resident = duckdb_memory()
        assert allocated - before > 10 * 2**20 and resident >= allocated
        con.execute("DROP TABLE t")
        assert duckdb_memory()[0] < allocated - 10 * 2**20
