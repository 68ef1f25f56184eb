"""The allocators of the main process told to give back what is freed.

**glibc.** Its ``malloc`` serves a request of 128 KiB or more with a mapping of its
own, unmapped when it is freed — until a freed mapping raises that threshold
to its own size (up to 32 MiB on 64-bit machines), and the heap's trim
threshold to twice that: from then on blocks of that size come from the
heap, which keeps what is freed below its top.  Arrow's buffers come from
this allocator (the package's docstring says why), and the end of a run
makes and frees many of a few MB each (every 500 reports' rows, every
Parquet row group), so a long run's heap ended up holding tens of MB it no
longer used.  Setting both thresholds turns the raising off (``mallopt``):
large blocks stay mappings of their own and go back to the system when
freed.

Only glibc has ``mallopt``; elsewhere, and where the environment already
sets a threshold (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``,
or one in ``GLIBC_TUNABLES``), nothing is changed.

**DuckDB's jemalloc.** DuckDB allocates its memory (its blocks, hash tables,
vectors) from a jemalloc built into it, which keeps the pages it frees
("dirty") and gives them back over the next seconds, at its next
allocations.  So each stage of a run's end started on top of the last one's
freed pages (on a 10,000-document store, 30 to 40 MB after the copy search
or the audit), and within a stage a query started on those of the one
before.  :func:`duckdb_gives_back_at_once` sets its arenas' decay to 0: a
page freed goes back to the system at once (the stages of a cold
50,000-document store's end peaked 1–6 MB lower; DuckDB's own pages, the
ones it counts against its limit, are unchanged).  :class:`.store.Store`
sets it when it first opens a database.  Where DuckDB is built without jemalloc
(not on Linux), it does nothing.
"""
from __future__ import annotations

import ctypes
import functools
import os

M_TRIM_THRESHOLD = -1  # (malloc.h)
M_MMAP_THRESHOLD = -3
THRESHOLD = 128 * 1024  # glibc's own starting value, kept where it starts
DECAYS = ("dirty", "muzzy")  # the two stages a freed page goes through before jemalloc gives it back


def _set_by_environment() -> bool:
    return bool(os.environ.get("MALLOC_MMAP_THRESHOLD_") or os.environ.get("MALLOC_TRIM_THRESHOLD_")
                or "threshold" in os.environ.get("GLIBC_TUNABLES", ""))


def fix_thresholds(threshold: int = THRESHOLD) -> bool:
    """Fix glibc's mmap and trim thresholds at ``threshold`` bytes in this
    process (and the processes it forks); returns whether they were set."""
    if _set_by_environment():
        return False
    try:  # the C library this process already has loaded (find_library would run a subprocess)
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS: no mallopt)
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, threshold)) and bool(mallopt(M_TRIM_THRESHOLD, threshold))


@functools.cache
def _duckdb_mallctl():
    """``mallctl`` of the jemalloc DuckDB is built with (None without one).
    DuckDB is imported here, not when this module loads: the package loads
    this module in every process, the workers too, which need no DuckDB."""
    import duckdb

    try:
        mallctl = ctypes.CDLL(duckdb._duckdb.__file__).duckdb_je_mallctl
    except (OSError, AttributeError):
        return None
    mallctl.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    return mallctl


@functools.cache
def duckdb_gives_back_at_once() -> bool:
    """Have DuckDB's jemalloc give the pages it frees back to the system at
    once (every arena's dirty and muzzy decay at 0 ms, and the arenas it
    makes later); returns whether there is such an allocator.  Set for the
    whole process, once."""
    mallctl = _duckdb_mallctl()
    if mallctl is None:
        return False
    arenas, size = ctypes.c_uint(), ctypes.c_size_t(ctypes.sizeof(ctypes.c_uint))
    if mallctl(b"arenas.narenas", ctypes.byref(arenas), ctypes.byref(size), None, 0):
        return False
    zero = ctypes.c_ssize_t(0)
    names = [f"arenas.{d}_decay_ms" for d in DECAYS] + [  # (an arena not made yet takes the first two)
        f"arena.{i}.{d}_decay_ms" for i in range(arenas.value) for d in DECAYS]
    for name in names:
        mallctl(name.encode(), None, None, ctypes.byref(zero), ctypes.sizeof(zero))
    return True


def duckdb_memory() -> tuple[int, int] | None:
    """What DuckDB's jemalloc has handed out and what it holds resident, in
    bytes (None without one): the first is DuckDB's own memory, its limit's
    and the rest; the second adds the freed pages it keeps."""
    mallctl = _duckdb_mallctl()
    if mallctl is None:
        return None
    epoch = ctypes.c_uint64(1)  # the statistics are a snapshot taken at each new epoch
    mallctl(b"epoch", None, None, ctypes.byref(epoch), ctypes.sizeof(epoch))
    got = []
    for name in (b"stats.allocated", b"stats.resident"):
        value, size = ctypes.c_size_t(), ctypes.c_size_t(ctypes.sizeof(ctypes.c_size_t))
        mallctl(name, ctypes.byref(value), ctypes.byref(size), None, 0)
        got.append(value.value)
    return got[0], got[1]
