"""What a failed command tells its user: one line saying what went wrong
and what to do, and an exit status — never a traceback.

:func:`explain` maps the failures a user can cause or meet (the store in
use, damaged or missing, an output folder that cannot be written, a full
disk, a file that is not there, a Dask cluster that cannot run the
documents) to that line; anything else is reported as an unexpected error
in one line too, with ``PARMINE_DEBUG=1`` to see the traceback.
"""
from __future__ import annotations

import errno
import os

DEBUG = "PARMINE_DEBUG"


def _disk_full(exc: BaseException) -> bool:
    return (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) \
        or "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc)


def explain(exc: BaseException) -> str:
    """The line to print for ``exc`` (without the ``parmine:`` prefix)."""
    import duckdb

    from .executors import ClusterError
    from .store import StoreError, damaged_message, is_damage

    if isinstance(exc, (StoreError, ClusterError)):
        return str(exc)
    if is_damage(exc):
        return damaged_message(exc)
    if _disk_full(exc):
        filename = getattr(exc, "filename", None)
        where = f" writing {filename}" if filename else ""
        return (f"the disk is full{where}: free some space and run the same command again "
                "(everything stored before is kept; `parmine export OUT` rewrites the exports)")
    if isinstance(exc, OSError) and exc.filename:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"cannot write {exc.filename} ({exc.strerror}): choose another place or make it writable"
        if exc.errno == errno.ENOENT:
            return f"{exc.filename}: no such file or folder"
        return f"{exc.filename}: {exc.strerror}"
    if isinstance(exc, duckdb.OutOfMemoryException):
        from .store import MEMORY_LIMIT
        return (f"the database ran out of the memory it may use ({MEMORY_LIMIT}): "
                f"{str(exc).splitlines()[0]}; run the same command again with PARMINE_DUCKDB_MEMORY=1GB "
                "(everything stored before is kept; the run finishes what is left)")
    if isinstance(exc, duckdb.Error):
        return f"the database reported an error: {str(exc).splitlines()[0]}"
    return (f"unexpected error: {type(exc).__name__}: {exc} "
            f"(set {DEBUG}=1 to see where it happened, and please report it)")


def debugging() -> bool:
    """Whether tracebacks are wanted (``PARMINE_DEBUG=1``)."""
    return os.environ.get(DEBUG, "") not in ("", "0")
