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
