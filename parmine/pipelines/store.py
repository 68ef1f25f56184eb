"""The embedded store: one DuckDB database per output folder.

Each document's rows are committed in one transaction (its old rows, if
any, are deleted in the same transaction), so a run killed at any moment
leaves every document either fully stored or not at all.  A lock file
keeps a second run off the same folder.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from .schema import PER_DOCUMENT, TABLES, columns

DB_NAME = "parmine.duckdb"
LOCK_NAME = ".parmine.lock"


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
    def _insert(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        cols = columns(table)
        data = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])
        self.con.register("_rows", data)
        try:
            collist = ", ".join(f'"{c}"' for c in cols)
            self.con.execute(f'INSERT INTO "{table}" ({collist}) SELECT {collist} FROM _rows')
        finally:
            self.con.unregister("_rows")

    def commit_document(self, doc_id: str, rows: dict[str, list[dict]]) -> None:
        """Replace everything stored for ``doc_id`` by ``rows``, atomically."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._forget(doc_id)
            for table in PER_DOCUMENT:
                self._insert(table, rows.get(table, []))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self._stored.add(doc_id)

    def _forget(self, doc_id: str) -> None:
        if doc_id in self._stored:
            for table in PER_DOCUMENT + ("errors",):
                self.con.execute(f'DELETE FROM "{table}" WHERE doc_id = ?', [doc_id])

    def commit_error(self, row: dict) -> None:
        """Record a failed document (and drop any rows an earlier run stored)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._forget(row["doc_id"])
            self._insert("errors", [row])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self._stored.add(row["doc_id"])

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

    def query(self, sql: str, params=None):
        """Run SQL; returns (column names, rows)."""
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description] if cur.description else []
        return names, cur.fetchall()

    def frame(self, sql: str, params=None):
        """Run SQL into a pandas DataFrame."""
        return self.con.execute(sql, params or []).df()
