"""Orchestration: runs, executors, the store, the audit across reports, exports, the CLI.

Arrow's buffers (every document's rows, in the workers and in the main
process) come from the C library's allocator unless
``ARROW_DEFAULT_MEMORY_POOL`` names another: the pool pyarrow picks by
default (mimalloc) holds what it is given back apart from the rest of the
process (the end of a cold run on a 50,000-document store, alone in a
fresh process: peak 359 MB with it, 321 MB without; whole cold runs of
10,000 documents vary by more than that from one run to the next: 322 MB
with it, 300 and 328 without); the system allocator's free memory is
handed back by :meth:`.store.Store.release` (``release_unused``).
"""
import os

import pyarrow as pa

if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    pa.set_memory_pool(pa.system_memory_pool())
