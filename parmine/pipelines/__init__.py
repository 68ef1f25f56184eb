"""Orchestration: runs, executors, the store, the audit across reports, exports, the CLI.

Arrow's buffers (every document's rows, in the workers and in the main
process) come from the C library's allocator unless
``ARROW_DEFAULT_MEMORY_POOL`` names another: the pool pyarrow picks by
default (mimalloc) holds what it is given back apart from the rest of the
process, more the more rows go through (the Parquet dataset of a store
written alone in a fresh process, peak RSS: 1,000 documents 225 → 209 MB,
10,000 documents 261 → 226 MB); the system allocator's free memory is
handed back by :meth:`.store.Store.release` (``release_unused``).  Arrow's
C++ library reads the variable once, when pyarrow loads, so it is set here,
before anything of parmine's loads pyarrow (the Parquet writer and the
readers of DuckDB's results allocate from that pool, not from the one
:func:`pyarrow.set_memory_pool` sets, which is set too: for a process that
loaded pyarrow before parmine).  Worker processes inherit it.
"""
import os

if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())

from .allocator import fix_thresholds  # noqa: E402

fix_thresholds()
