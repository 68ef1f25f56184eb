"""The embedded store: one DuckDB database per output folder.

A batch of documents' rows is committed in one transaction (their old
rows, if any, are deleted in the same transaction), so a run killed at any
moment leaves every document either fully stored or not at all.  A lock file
keeps a second run off the same folder; the lock is never inherited by a
forked worker, so workers orphaned by a killed run cannot block the next one.

Read-only stores (``query``, ``report``, ``citations``, ``plot``) are opened
with DuckDB's file-system access switched off and locked that way: a
statement can read the store's tables but not write, attach or load
anything.  Every way the store can fail to open raises a
:class:`StoreError` whose message says what to do.
"""
from __future__ import annotations

import fcntl
import os
import re
import time
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeGuard, TypeVar

import duckdb
import pyarrow as pa

from .allocator import duckdb_gives_back_at_once
from .schema import COPY_COLUMNS, INTERNAL, PAGE_PIECE, PER_DOCUMENT, STORED, arrow_table

T = TypeVar("T")

DB_NAME = "parmine.duckdb"
TEMP_NAME = ".duckdb-tmp"  # where DuckDB spills what does not fit in its memory limit
# DuckDB's memory (its buffers, joins, sorts and exports; past it, it spills to TEMP_NAME): every
# end-of-run query works within 48 MB on a 50,000-document store (page texts are kept in pieces),
# but for the two that group every row of a large table at once (:meth:`Store.grouping`)
MEMORY_LIMIT = os.environ.get("PARMINE_DUCKDB_MEMORY", "48MB")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-zA-Z%]*)")  # a limit as DuckDB reads it: 64MB, 1.5 GiB, 50%
# No ZSTD for long strings: DuckDB decompresses a ZSTD segment whole (128 MiB
# at a time for the whole page texts of 10,000 text reports an older parmine
# stored), past a small memory limit; stored plainly, a scan reads them block
# by block.
NO_ZSTD = 2**31 - 1  # zstd_min_string_length
MIGRATION_MEMORY = "1GB"  # DuckDB's limit while a store an older parmine wrote is rewritten, once
HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers
LOCK_NAME = ".parmine.lock"
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False, "autoinstall_known_extensions": False,
    "autoload_known_extensions": False, "lock_configuration": True}
# the only statements ``parmine query`` runs
QUERY_STATEMENTS = ("SELECT", "EXPLAIN")

_held_locks: set[int] = set()  # lock file descriptors of this process


def _drop_locks_in_child() -> None:
    """A forked child must not keep the run's lock alive: close its copies."""
    for fd in _held_locks:
        try:
            os.close(fd)
        except OSError:
            pass
    _held_locks.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


def _arrow(table: str, data) -> pa.Table:
    return data if isinstance(data, pa.Table) else arrow_table(table, data)


def ids_table(values: Iterable[str], name: str = "doc_id") -> pa.Table:
    """Distinct ids as a one-column table, sorted (to register for a join)."""
    return pa.table({name: pa.array(sorted(set(values)), pa.string())})


def pieces(pages: pa.Table) -> pa.Table:
    """Page rows (text whole) as the store's ``page_text`` rows: each text
    in pieces of :data:`~.schema.PAGE_PIECE` characters, in order."""
    out: dict[str, list] = {"doc_id": [], "page": [], "piece": [], "text": []}
    for doc_id, page, text in zip(*(pages[c].to_pylist() for c in ("doc_id", "page", "text"))):
        for i in range(0, len(text or ""), PAGE_PIECE):
            out["doc_id"].append(doc_id)
            out["page"].append(page)
            out["piece"].append(i // PAGE_PIECE)
            out["text"].append(text[i:i + PAGE_PIECE])
    return pa.table({"doc_id": pa.array(out["doc_id"], pa.string()), "page": pa.array(out["page"], pa.int32()),
                     "piece": pa.array(out["piece"], pa.int32()), "text": pa.array(out["text"], pa.string())})


def fetch_batches(cur, size: int = 10_000):
    """The rows of an executed DuckDB cursor, ``size`` at a time (tuples)."""
    while batch := cur.fetchmany(size):
        yield batch


class StoreError(RuntimeError):
    """The store cannot be used; the message says why and what to do."""


class StoreLocked(StoreError):
    """Another run holds the output folder."""


class StoreBusy(StoreError):
    """Another process has the database open (DuckDB's own lock)."""


class StoreDamaged(StoreError):
    """The database file cannot be read."""


class NoStore(StoreError):
    """There is no dataset in the folder."""


class QueryRefused(StoreError):
    """A statement ``parmine query`` does not run: it would write."""


def damaged_message(exc: duckdb.Error, out: Path | str = "OUT") -> str:
    return (f"the store {Path(out) / DB_NAME} cannot be read ({str(exc).splitlines()[0]}): it is "
            f"damaged or was not written by parmine. `parmine run INPUT... -o {out} --rebuild` "
            "sets it aside and rebuilds the dataset from the inputs")


def is_damage(exc: BaseException) -> TypeGuard[duckdb.Error]:
    """Whether a DuckDB error says the database file itself is unreadable."""
    msg = str(exc)
    return (isinstance(exc, (duckdb.IOException, duckdb.SerializationException,
                             duckdb.InternalException, duckdb.FatalException))
            and not any(s in msg for s in ("lock", "No space left", "Permission denied",
                                           "Read-only file system", "Disk quota")))


def _opening_failed(exc: duckdb.Error, out: Path) -> BaseException:
    """What a failed DuckDB connect means for the user."""
    msg = str(exc)
    if "could not set lock" in msg.lower() or "conflicting lock" in msg.lower():
        pid = re.search(r"PID (\d+)", msg)
        who = f" (pid {pid.group(1)})" if pid else ""
        return StoreBusy(f"{out / DB_NAME} is in use by another process{who}: a parmine run still "
                         "writing to it, or a program reading it; try again when it has finished")
    if "Permission denied" in msg or "Read-only file system" in msg:
        return StoreError(f"cannot write to {out} ({msg.splitlines()[0]}): choose another output "
                          "folder or make this one writable")
    if "No space left" in msg or "Disk quota" in msg:
        return exc  # the disk, not the store: said as such by the CLI
    if isinstance(exc, duckdb.OutOfMemoryException):  # e.g. rewriting an older store (Store._unzstd)
        return StoreError(f"not enough memory to open {out / DB_NAME} ({msg.splitlines()[0]}): a store "
                          "an older parmine wrote is rewritten once, with up to 1 GB; free some memory "
                          "and run again")
    return StoreDamaged(damaged_message(exc, out))


def _unwritable(out: Path, exc: OSError) -> StoreError:
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return StoreError(f"{out} is a file, not a folder: choose another output folder")
    return StoreError(f"cannot write to {out} ({exc.strerror or exc}): choose another output "
                      "folder or make this one writable")


class Store:
    """The DuckDB database in ``out``; use as a context manager."""

    def __init__(self, out: str | Path, *, lock: bool = True, read_only: bool = False,
                 rebuild: bool = False):
        self.out = Path(out)
        db = self.out / DB_NAME
        self._lock_fd: int | None = None
        self._limit = MEMORY_LIMIT  # DuckDB's limit outside the blocks that change it for a while
        if read_only:
            if not db.is_file():  # never create the folder to read it
                raise NoStore(f"no dataset in {self.out} (run `parmine run INPUT... -o {self.out}` first)")
        else:
            try:
                self.out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _unwritable(self.out, exc) from None
        if lock:
            self._lock()
        try:
            if rebuild:
                self._set_aside(db)
            wal = db.with_name(db.name + ".wal").exists()
            config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": MEMORY_LIMIT}
            if read_only:
                config.update(READ_ONLY_CONFIG)
            else:  # a spill file under OUT, no order kept where a query asks none, one thread (the
                # workers have the cores; a sort's threads each want their own share of the limit)
                config.update(temp_directory=str(self.out / TEMP_NAME), preserve_insertion_order=False,
                              threads=1, zstd_min_string_length=NO_ZSTD)
            try:
                self.con = duckdb.connect(str(db), read_only=read_only, config=config)
            except duckdb.Error as exc:
                raise _opening_failed(exc, self.out) from None
            except OSError as exc:
                raise _unwritable(self.out, exc) from None
            duckdb_gives_back_at_once()
            try:
                self._probe(db, wal)
                if read_only and self._texts_whole():
                    self.con.close()
                    raise StoreError(f"the store in {self.out} was written by an earlier parmine (page texts whole): "
                                     f"`parmine export {self.out}` brings it up to date, once; then run this again")
                if not read_only:
                    self.execute("SET enable_progress_bar = false")  # the run's output is parmine's
                    self._create()
            except duckdb.Error as exc:
                self.con.close()
                raise _opening_failed(exc, self.out) from None
        except BaseException:
            self._unlock()
            raise

    def _lock(self) -> None:
        try:
            self._lock_fd = os.open(self.out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _unwritable(self.out, exc) from None
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise StoreLocked(
                f"another parmine run is writing to {self.out} (lock {LOCK_NAME}); "
                "wait for it to finish or choose another output folder") from None
        _held_locks.add(self._lock_fd)
        os.ftruncate(self._lock_fd, 0)
        os.write(self._lock_fd, str(os.getpid()).encode())

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            _held_locks.discard(self._lock_fd)
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    @staticmethod
    def _set_aside(db: Path) -> None:
        """Move the database (and its write-ahead log) out of the way, kept
        as ``parmine.duckdb.<time>.old``: a rebuild never deletes data."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for f in (db, db.with_name(db.name + ".wal")):
            if f.exists():
                f.rename(f.with_name(f"{f.name}.{stamp}.old"))

    def _probe(self, db: Path, wal: bool) -> None:
        """A file shorter than the blocks DuckDB says it holds was truncated
        (a copy cut short, a full disk): refuse it at once rather than at
        the first query that reaches a missing block.  (With a write-ahead
        log to replay, the blocks are not all on disk yet: not checked.)"""
        if wal:
            return
        # the used blocks, not the total: DuckDB cuts free blocks off the end of the file
        block, blocks = self.con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchall()[0]
        expected = HEADER_BYTES + block * blocks
        if db.stat().st_size < expected:
            raise duckdb.IOException(f"the file is {db.stat().st_size} bytes, shorter than the "
                                     f"{expected} its header describes (truncated)")

    def _create(self) -> None:
        """Create the tables, and add the columns a newer schema has to a store
        written by an older parmine (their documents are then reprocessed,
        since the pipeline version differs)."""
        for name, cols in {**STORED, **INTERNAL}.items():
            body = ", ".join(f'"{c}" {t}' for c, t in cols)
            self.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({body})')
            have = {r[0] for r in self.con.execute(f'DESCRIBE "{name}"').fetchall()}
            for c, t in cols:
                if c not in have:
                    self.execute(f'ALTER TABLE "{name}" ADD COLUMN "{c}" {t}')
        self._unzstd()
        self._split_page_texts()

    def _texts_whole(self) -> bool:
        """Whether an older parmine wrote this store: page texts whole, in ``pages``."""
        return bool(self.value("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'pages' "
                               "AND column_name = 'text'"))

    def _split_page_texts(self) -> None:
        """Move the page texts an older parmine kept in ``pages`` into
        ``page_text`` (:data:`~.schema.PAGE_PIECE`), with the memory that
        takes, once."""
        if not self._texts_whole():
            return
        with self._memory(MIGRATION_MEMORY):
            with self.transaction():
                reader = self.con.cursor()  # read on a connection of its own while this one inserts
                for batch in reader.sql("SELECT doc_id, page, text FROM pages").to_arrow_reader(1000):
                    self.insert("page_text", pieces(pa.Table.from_batches([batch])))
                reader.close()
                cols = ", ".join(f'"{c}"' for c, _ in STORED["pages"])
                self.execute(f"CREATE OR REPLACE TABLE pages AS SELECT {cols} FROM pages")
            self.execute("CHECKPOINT")

    def _unzstd(self) -> None:
        """Rewrite the tables an older parmine stored with ZSTD segments
        (:data:`NO_ZSTD`), with the memory that takes, once."""
        tables = [t for t in STORED if self.value(
            "SELECT count(*) FROM pragma_storage_info(?) WHERE compression = 'ZSTD'", [t])]
        if not tables:
            return
        with self._memory(MIGRATION_MEMORY):
            with self.transaction():
                for t in tables:
                    self.execute(f'CREATE OR REPLACE TABLE "{t}" AS SELECT * FROM "{t}"')
            self.execute("CHECKPOINT")

    @contextmanager
    def _memory(self, limit: str, con: duckdb.DuckDBPyConnection | None = None) -> Iterator[None]:
        """DuckDB's limit (global to the database) at ``limit`` for the
        block, set on ``con`` (this store's connection by default); a limit
        DuckDB cannot meet raises ``duckdb.OutOfMemoryException`` and
        changes nothing."""
        con = con or self.con
        con.execute("SET memory_limit = ?", [limit])
        try:
            yield
        finally:
            con.execute("SET memory_limit = ?", [self._limit])

    @contextmanager
    def _limited(self, limit: str) -> Iterator[None]:
        """:meth:`_memory` on a connection of its own, so that a limit DuckDB
        cannot meet fails there and not in a transaction of this one (the
        block then runs at the whole limit)."""
        other = self.con.cursor()
        try:
            with ExitStack() as limited:
                try:
                    limited.enter_context(self._memory(limit, other))
                except duckdb.OutOfMemoryException:
                    pass
                yield
        finally:
            other.close()

    @staticmethod
    def _scaled(factor: float, limit: str | None = None) -> str:
        """``limit`` (DuckDB's whole one by default) times ``factor`` (the
        limit itself when it cannot be read)."""
        limit = limit or MEMORY_LIMIT
        size = _SIZE.fullmatch(limit.strip())
        return f"{float(size[1]) * factor:.4g}{size[2]}" if size else limit

    @contextmanager
    def streaming(self) -> Iterator[None]:
        """DuckDB's limit at two thirds for a block that only streams rows
        from scans into files (the Parquet parts: a few blocks and a row
        group held at a time), so that the blocks it reads are cached within
        that, not the whole limit (writing the parts of a 50,000-document
        store at 64 MB: 61–66 MB of blocks resident; at 32 MB: 20–41; at
        24 MB a part of the documents fails); a limit DuckDB cannot meet
        leaves the whole one."""
        with self._limited(self._scaled(2 / 3)):
            yield

    @contextmanager
    def tighter(self, share: float) -> Iterator[None]:
        """DuckDB's limit at ``share`` of the one in force for a block that
        only scans and hands its rows to Python (the Parquet parts of
        ``pages``, written by pyarrow): what DuckDB caches of the blocks it
        reads stays within that.  Relative to the limit in force, so that a
        step done again with more room (:meth:`roomier`) has more here too.
        A limit DuckDB cannot meet leaves the one in force.

        The ``pages`` parts of a 50,000-document store at three quarters of
        two thirds of the limit (24 MB): peak RSS 222 MB where at 32 it was
        229; at 16 MB they run out."""
        with self._limited(self._scaled(share, self.value("SELECT current_setting('memory_limit')"))):
            yield

    @contextmanager
    def lean(self) -> Iterator[None]:
        """DuckDB's limit at two thirds for the block (and in the blocks
        that change it for a while, the limit they go back to).  While the
        workers mine: a commit needs no more (a batch's rows, and the
        checkpoint that writes them out), but DuckDB fills what it is
        allowed at each checkpoint, more the larger the store (a cold
        10,000-document run's mining peaked 274 MB at 48 MB, 243 at 32); the
        one checkpoint that merges row groups is taken at the whole limit
        (:meth:`checkpoint`).  And the copy search, whose joins stream the
        store's prefixes past tables of a chunk of documents.  And the whole
        end of a run, whose few steps that need more are given it
        (:meth:`roomier`): at 50,000 documents DuckDB fills its limit at
        every stage of the end; at two thirds the stages' anonymous peaks
        were 143–155 MB, at the whole limit 148–162."""
        before = self._limit  # (a lean block within another ends at the outer one's limit)
        try:
            self._set_limit(self._scaled(2 / 3))
        except duckdb.OutOfMemoryException:  # DuckDB holds more than that now: the block at the limit it had
            pass
        try:
            yield
        finally:
            self._set_limit(before)

    def _set_limit(self, limit: str) -> None:
        """DuckDB's limit at ``limit`` until it is set again (set on a
        connection of its own: this one may be in a failed transaction)."""
        other = self.con.cursor()
        try:
            other.execute("SET memory_limit = ?", [limit])
        finally:
            other.close()
        self._limit = limit

    def checkpoint(self) -> None:
        """A checkpoint at DuckDB's whole limit (with DuckDB's vacuum on,
        it rewrites up to a row group of every table whose row groups it
        merges)."""
        with self._memory(MEMORY_LIMIT):
            self.execute("CHECKPOINT")

    @contextmanager
    def grouping(self) -> Iterator[None]:
        """DuckDB's limit at four thirds for a statement that groups every
        row of a large table at once, when it does not fit in the limit
        (:meth:`roomier`: the held dates of every cited document at 50,000
        documents need 48 MB, they fail at 32) — where every other query of
        a run works within the limit, and the stages before and after keep
        less cached.
        DuckDB fills what it is given: the held dates of 50,700 documents'
        citations at 64 MB were the highest peak of a run that added 600 to
        them (anonymous memory 156–157 MB; at 48, 149)."""
        with self._limited(self._scaled(4 / 3)):
            yield

    def roomier(self, step: Callable[..., T], *args, **kwargs) -> T:
        """``step(*args, **kwargs)`` at DuckDB's limit now; when DuckDB runs
        out of it, done again at the whole limit (when the limit now is
        less: :meth:`lean`), then with a third more (:meth:`grouping`).  A
        step runs out of memory before it writes, or in a transaction of its
        own, rolled back: done again, it starts afresh.  The end of a run
        works within two thirds of the limit this way: at 50,000 documents
        the plan of the audit's conflicts and the held dates take the whole
        limit, every other step fits."""
        rooms: list[Callable[[], AbstractContextManager]] = [nullcontext]
        if self._limit != MEMORY_LIMIT:
            rooms.append(lambda: self._limited(MEMORY_LIMIT))
        rooms.append(self.grouping)
        for room in rooms[:-1]:
            try:
                with room():
                    return step(*args, **kwargs)
            except duckdb.OutOfMemoryException:
                pass
        with rooms[-1]():
            return step(*args, **kwargs)

    def release(self) -> None:
        """Give back the blocks DuckDB keeps cached: it holds them up to its
        limit (48 MB once the store outgrows that) until memory is short,
        so each stage of a run's end would start on top of the last one's
        reads.  Lowering the limit for a moment evicts them (what is still
        in use stays; DuckDB's allocator gives their pages back at once:
        :func:`~.allocator.duckdb_gives_back_at_once`).  And what Arrow's
        memory pool keeps of the tables read and registered."""
        with self._limited("1MB"):
            pass
        pa.default_memory_pool().release_unused()

    def close(self) -> None:
        self.con.close()
        self._unlock()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what is already done -------------------------------------------------
    def done(self, version: str, doc_ids: Iterable[str]) -> dict[str, tuple[str, tuple[int, int] | None]]:
        """doc_id → (sha256, seen) of those of ``doc_ids`` stored by this
        pipeline version, ``seen`` the (size, modification time) its file
        had when a run last found that sha256 in it (:meth:`note_hashed`;
        None if none did).  A run asks a chunk of its inputs at a time."""
        with self.registered("_ask", ids_table(doc_ids)):
            rows = self.con.execute(
                "SELECT d.doc_id, d.sha256, h.size, h.mtime_ns FROM documents d SEMI JOIN _ask USING (doc_id) "
                "LEFT JOIN _hashed h ON h.doc_id = d.doc_id AND h.sha256 = d.sha256 "
                "WHERE d.pipeline_version = ?", [version]).fetchall()
        return {doc_id: (sha, None if size is None else (size, mtime)) for doc_id, sha, size, mtime in rows}

    def note_hashed(self, rows: Sequence[tuple[str, str, int, int]]) -> None:
        """Remember (doc_id, sha256, size, modification time) of files a run
        hashed (replacing what was noted of them): the next run takes a file
        of that size and time as holding that sha256 without reading it."""
        if not rows:
            return
        with self.transaction():
            with self.registered("_ask", ids_table(r[0] for r in rows)):
                self.execute("DELETE FROM _hashed WHERE doc_id IN (SELECT doc_id FROM _ask)")
            self._insert_hashed(rows)

    def _insert_hashed(self, rows: Sequence[tuple[str, str, int, int]]) -> None:
        if rows:
            doc_id, sha, size, mtime = zip(*rows)
            self.insert("_hashed", pa.table({
                "doc_id": pa.array(doc_id, pa.string()), "sha256": pa.array(sha, pa.string()),
                "size": pa.array(size, pa.int64()), "mtime_ns": pa.array(mtime, pa.int64())}))

    def stored(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of ``doc_ids`` with rows in the store (a document or an error)."""
        with self.registered("_ask", ids_table(doc_ids)):
            return {r[0] for r in self.con.execute(
                "SELECT doc_id FROM documents SEMI JOIN _ask USING (doc_id) "
                "UNION SELECT doc_id FROM errors SEMI JOIN _ask USING (doc_id)").fetchall()}

    def sources(self) -> dict[str, str]:
        """Where each stored document (or error) was read from → its doc_id."""
        return dict(self.con.execute(
            "SELECT path, doc_id FROM documents UNION SELECT path, doc_id FROM errors").fetchall())

    def failed(self) -> dict[str, str]:
        """doc_id → sha256 (may be None) of documents whose last attempt failed."""
        return dict(self.con.execute("SELECT doc_id, sha256 FROM errors").fetchall())

    # -- writing ----------------------------------------------------------------
    def execute(self, sql: str, params=None) -> None:
        """Run a statement that gives nothing to read (its result consumed,
        so the connection is free for the next)."""
        self.con.execute(sql, params or []).fetchall()

    def value(self, sql: str, params=None):
        """The first value of the first row a query gives (None: no row)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def state(self, name: str) -> str | None:
        """A named value the store keeps between runs (``_state``)."""
        return self.value("SELECT value FROM _state WHERE name = ?", [name])

    def set_state(self, name: str, value: str | None) -> None:
        """Keep ``value`` under ``name`` (None: forget it)."""
        self.execute("DELETE FROM _state WHERE name = ?", [name])
        if value is not None:
            self.execute("INSERT INTO _state VALUES (?, ?)", [name, value])

    def insert(self, table: str, data) -> None:
        """Insert rows (dicts, or an Arrow table: from :func:`arrow_table`, or
        any columns of a bookkeeping table; page rows with their text whole,
        stored in pieces)."""
        data = _arrow(table, data)
        if not data.num_rows:
            return
        collist = ", ".join(f'"{c}"' for c in data.column_names if not (table == "pages" and c == "text"))
        with self.registered("_rows", data):
            self.execute(f'INSERT INTO "{table}" ({collist}) SELECT {collist} FROM _rows')
        if table == "pages" and "text" in data.column_names:
            self.insert("page_text", pieces(data))

    def pages(self, doc_ids: Iterable[str]) -> pa.Table:
        """The pages of these documents with their texts whole, in order."""
        with self.registered("_pages_of", ids_table(doc_ids)):
            rows = sorted(self.iter_pages("WHERE doc_id IN (SELECT doc_id FROM _pages_of)"),
                          key=lambda r: (r["doc_id"], r["page"]))
        return arrow_table("pages", rows)

    def iter_pages(self, where: str, params: Sequence = (), *, pages: str = "pages",
                   texts: str = "page_text") -> Iterator[dict]:
        """The pages ``where`` picks (a condition on ``doc_id``), their texts
        put together from the pieces as they stream in: a page is given once
        it has the pieces its ``chars`` counts (only pages still missing one
        are held), any other at the end.  ``pages`` and ``texts``: the tables
        read (a temporary copy of some documents' rows of each)."""
        meta = {(d, p): (src, chars) for d, p, src, chars in self.con.execute(
            f"SELECT doc_id, page, source, chars FROM {pages} {where}", list(params)).fetchall()}
        for (doc_id, page), (source, chars) in meta.items():
            if chars == 0:
                yield {"doc_id": doc_id, "page": page, "source": source, "chars": chars, "text": ""}
        pending: dict[tuple[str, int], dict[int, str]] = {}
        reader = self.con.sql(f"SELECT doc_id, page, piece, text FROM {texts} {where}",
                              params=list(params)).to_arrow_reader(2_000)
        try:
            for batch in reader:
                for doc_id, page, piece, text in zip(*(c.to_pylist() for c in batch.columns)):
                    got = pending.setdefault((doc_id, page), {})
                    got[piece] = text
                    chars = meta[(doc_id, page)][1]
                    if chars is not None and len(got) == -(-chars // PAGE_PIECE):  # every piece of the page
                        yield self._whole(doc_id, page, meta, pending.pop((doc_id, page)))
        finally:
            reader.close()  # never left open on the connection (a view it reads may go next)
        for (doc_id, page), (_, chars) in meta.items():  # pages whose chars do not say how many pieces
            if (doc_id, page) in pending or chars is None:
                yield self._whole(doc_id, page, meta, pending.get((doc_id, page), {}))

    @staticmethod
    def _whole(doc_id: str, page: int, meta: dict, got: dict[int, str]) -> dict:
        source, chars = meta[(doc_id, page)]
        return {"doc_id": doc_id, "page": page, "source": source, "chars": chars,
                "text": "".join(got[i] for i in sorted(got))}

    def commit(self, documents: dict[str, dict], errors: Sequence[dict] = (),
               hashed: Sequence[tuple[str, str, int, int]] = ()) -> None:
        """In one transaction: replace everything stored for each doc_id of
        ``documents`` by its rows (``{table: rows}``), and record ``errors``
        (dropping what an earlier run stored for those documents) and the
        size and time of the files mined (``hashed``, as :meth:`note_hashed`).
        A run commits its results in batches this way; a batch is stored
        whole or not at all."""
        ids = list(documents) + [e["doc_id"] for e in errors]
        with self.transaction():
            # only documents with rows already need deleting (a DELETE scans its table: one per
            # new document would make a long run quadratic; asking the store once per batch does not)
            for doc_id in sorted(self.stored(ids)):
                self._forget(doc_id)
            self.insert_ids("_changed", ids, what="mined")
            for table in PER_DOCUMENT:
                parts = [_arrow(table, rows[table]) for rows in documents.values() if table in rows]
                if parts:
                    self.insert(table, pa.concat_tables(parts))
            if errors:
                self.insert("errors", list(errors))
            self._insert_hashed(hashed)

    def commit_document(self, doc_id: str, rows: dict) -> None:
        """Replace everything stored for ``doc_id`` by ``rows``, atomically."""
        self.commit({doc_id: rows})

    def insert_ids(self, table: str, ids: Sequence[str], **values) -> None:
        """Rows (doc_id, values...) into a bookkeeping table."""
        if ids:
            self.insert(table, pa.table({"doc_id": pa.array(ids, pa.string()),
                                          **{k: pa.array([v] * len(ids), pa.string()) for k, v in values.items()}}))

    def mark_changed(self, doc_ids: Sequence[str] | set[str], what: str) -> None:
        """Record that these documents' ``what`` rows (documents, audit)
        changed: their exports are written again at the end of the run."""
        self.insert_ids("_changed", sorted(set(doc_ids)), what=what)

    def mark_unfinished(self) -> None:
        """At the start of a run: the documents an earlier run mined since
        the last finished one (``_changed``: ``mined``) marked ``pred`` —
        that run may have stopped between a batch's commit and its
        prediction files; the end of this run writes them again."""
        self.execute("INSERT INTO _changed SELECT DISTINCT doc_id, 'pred' FROM _changed WHERE what = 'mined' "
                     "AND doc_id NOT IN (SELECT doc_id FROM _changed WHERE what = 'pred')")

    def changed(self, *what: str) -> pa.Table:
        """The documents whose rows of these kinds changed since the last
        finished run, an :func:`ids_table` read from ``_changed``."""
        return self.con.sql("SELECT DISTINCT doc_id FROM _changed WHERE list_contains(?, what) ORDER BY doc_id",
                            params=[list(what)]).to_arrow_table()

    def _forget(self, doc_id: str) -> None:
        """Delete a document's rows, keeping what the end of the run needs
        of its old version: its copy-finding columns and its dated cited
        documents (the reports it was a copy of, or shared a cited document
        with, are looked at again)."""
        cols = ", ".join(f'"{c}"' for c in COPY_COLUMNS)
        self.execute(f"INSERT INTO _stale_documents ({cols}) SELECT {cols} FROM documents WHERE doc_id = ?",
                     [doc_id])
        self.execute("INSERT INTO _stale_keys SELECT DISTINCT cited_key FROM citations "
                     "WHERE doc_id = ? AND cited_key IS NOT NULL AND date IS NOT NULL", [doc_id])
        for table in PER_DOCUMENT + ("page_text", "errors", "_hashed"):
            self.execute(f'DELETE FROM "{table}" WHERE doc_id = ?', [doc_id])

    def commit_error(self, row: dict) -> None:
        """Record a failed document (and drop any rows an earlier run stored)."""
        self.commit({}, [row])

    def replace_table(self, table: str, rows: list[dict]) -> None:
        """Replace a whole table in one transaction."""
        with self.transaction():
            self.execute(f'DELETE FROM "{table}"')
            self.insert(table, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed at the end of the block, rolled back
        when it raises."""
        self.execute("BEGIN TRANSACTION")
        try:
            yield
            self.execute("COMMIT")
        except BaseException:
            self.execute("ROLLBACK")
            raise

    @contextmanager
    def registered(self, name: str, data: pa.Table) -> Iterator[None]:
        """``data`` readable as the view ``name`` for the block."""
        self.con.register(name, data)
        try:
            yield
        except BaseException:
            try:
                self.con.unregister(name)
            except duckdb.Error:  # in a transaction the error aborted: that error tells what happened
                pass
            raise
        self.con.unregister(name)

    def query(self, sql: str, params=None):
        """Run SQL; returns (column names, rows)."""
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description] if cur.description else []
        return names, cur.fetchall()

    def read_query(self, sql: str):
        """Run a user's SQL read-only: only SELECT-like statements (on top of
        the connection's own read-only sandbox); returns (names, rows)."""
        try:
            statements = self.con.extract_statements(sql)
        except duckdb.Error:
            statements = []  # a syntax error: let execute() say where
        for st in statements:
            kind = st.type.name
            if kind not in QUERY_STATEMENTS:
                raise QueryRefused(f"parmine query is read-only: {kind} statements are refused "
                                   f"(only {', '.join(QUERY_STATEMENTS)} run)")
        try:
            return self.query(sql)
        except duckdb.PermissionException as exc:
            raise QueryRefused("parmine query is read-only and reads only the tables of the store "
                               f"(no files, no other databases, no extensions): "
                               f"{str(exc).splitlines()[0]}") from None

    def frame(self, sql: str, params=None):
        """Run SQL into a pandas DataFrame."""
        return self.con.execute(sql, params or []).df()
