"""The embedded store: one DuckDB database per output folder.

A batch of documents' rows is committed in one transaction (their old
rows, if any, are deleted in the same transaction), so a run killed at any
moment leaves every document either fully stored or not at all.  A lock file
keeps a second run off the same folder.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from .schema import PER_DOCUMENT, TABLES, arrow_table

DB_NAME = "parmine.duckdb"
LOCK_NAME = ".parmine.lock"


def _arrow(table: str, data) -> pa.Table:
    return data if isinstance(data, pa.Table) else arrow_table(table, data)


def fetch_batches(cur, size: int = 10_000):
    """The rows of an executed DuckDB cursor, ``size`` at a time (tuples)."""
    while batch := cur.fetchmany(size):
        yield batch


class StoreLocked(RuntimeError):
    """Another run holds the output folder."""


class Store:
    """The DuckDB database in ``out``; use as a context manager."""

    def __init__(self, out: str | Path, *, lock: bool = True, read_only: bool = False):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock_fd = None
        if lock:
            self._lock_fd = os.open(self.out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(self._lock_fd)
                self._lock_fd = None
                raise StoreLocked(
                    f"another parmine run is writing to {self.out} (lock {LOCK_NAME}); "
                    "wait for it to finish or choose another output folder") from None
            os.ftruncate(self._lock_fd, 0)
            os.write(self._lock_fd, str(os.getpid()).encode())
        self.con = duckdb.connect(str(self.out / DB_NAME), read_only=read_only)
        self._stored: set[str] = set()
        if not read_only:
            self._create()
            # documents with rows already: only those need deleting before a commit
            # (a DELETE scans its table, which would make a long run quadratic)
            self._stored = {r[0] for r in self.con.execute(
                "SELECT doc_id FROM documents UNION SELECT doc_id FROM errors").fetchall()}

    def _create(self) -> None:
        """Create the tables, and add the columns a newer schema has to a store
        written by an older parmine (their documents are then reprocessed,
        since the pipeline version differs)."""
        for name, cols in TABLES.items():
            body = ", ".join(f'"{c}" {t}' for c, t in cols)
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({body})')
            have = {r[0] for r in self.con.execute(f'DESCRIBE "{name}"').fetchall()}
            for c, t in cols:
                if c not in have:
                    self.con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{c}" {t}')

    def close(self) -> None:
        self.con.close()
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what is already done -------------------------------------------------
    def done(self, version: str) -> dict[str, str]:
        """doc_id → sha256 of documents stored by this pipeline version."""
        rows = self.con.execute(
            "SELECT doc_id, sha256 FROM documents WHERE pipeline_version = ?", [version]).fetchall()
        return dict(rows)

    def failed(self) -> dict[str, str]:
        """doc_id → sha256 (may be None) of documents whose last attempt failed."""
        return dict(self.con.execute("SELECT doc_id, sha256 FROM errors").fetchall())

    # -- writing ----------------------------------------------------------------
    def _insert(self, table: str, data) -> None:
        """Insert rows (dicts, or an Arrow table from :func:`arrow_table`)."""
        data = _arrow(table, data)
        if not data.num_rows:
            return
        self.con.register("_rows", data)
        try:
            collist = ", ".join(f'"{c}"' for c in data.column_names)
            self.con.execute(f'INSERT INTO "{table}" ({collist}) SELECT {collist} FROM _rows')
        finally:
            self.con.unregister("_rows")

    def commit(self, documents: dict[str, dict], errors: list[dict] = ()) -> None:
        """In one transaction: replace everything stored for each doc_id of
        ``documents`` by its rows (``{table: rows}``), and record ``errors``
        (dropping what an earlier run stored for those documents).  A run
        commits its results in batches this way; a batch is stored whole or
        not at all."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            for doc_id in list(documents) + [e["doc_id"] for e in errors]:
                self._forget(doc_id)
            for table in PER_DOCUMENT:
                parts = [_arrow(table, rows[table]) for rows in documents.values() if table in rows]
                if parts:
                    self._insert(table, pa.concat_tables(parts))
            if errors:
                self._insert("errors", list(errors))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self._stored.update(documents)
        self._stored.update(e["doc_id"] for e in errors)

    def commit_document(self, doc_id: str, rows: dict) -> None:
        """Replace everything stored for ``doc_id`` by ``rows``, atomically."""
        self.commit({doc_id: rows})

    def _forget(self, doc_id: str) -> None:
        if doc_id in self._stored:
            for table in PER_DOCUMENT + ("errors",):
                self.con.execute(f'DELETE FROM "{table}" WHERE doc_id = ?', [doc_id])

    def commit_error(self, row: dict) -> None:
        """Record a failed document (and drop any rows an earlier run stored)."""
        self.commit({}, [row])

    def replace_table(self, table: str, rows: list[dict]) -> None:
        """Replace a corpus-wide table (the audit) in one transaction."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(f'DELETE FROM "{table}"')
            self._insert(table, rows)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def replace_frame(self, name: str, frame) -> None:
        """Replace the table ``name`` by a pandas DataFrame (a derived table
        whose columns vary, such as ``indicators_wide``)."""
        self.con.register("_frame", frame)
        try:
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
        finally:
            self.con.unregister("_frame")

    def query(self, sql: str, params=None):
        """Run SQL; returns (column names, rows)."""
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description] if cur.description else []
        return names, cur.fetchall()

    def frame(self, sql: str, params=None):
        """Run SQL into a pandas DataFrame."""
        return self.con.execute(sql, params or []).df()
