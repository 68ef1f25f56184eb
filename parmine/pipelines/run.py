"""A batch run: inputs → store → audit → exports.

Documents already stored by this pipeline version with the same sha256 are
skipped (``force`` reprocesses them; a file whose size and modification
time are those it had when it was mined or last hashed is not read again);
results, each report's own audit findings among them, are committed in
small batches as they arrive (their prediction files written as each batch
commits), so an interrupted run resumes where it stopped.  The end of the
run (:func:`finish`) works on what changed since the last finished run —
the store records it — not on the whole store: copies, the checks across
reports, prediction files whose audit changed, and the export parts
holding changed documents.  A run
stopped by Ctrl-C or SIGTERM commits the batch in hand and returns its
summary marked ``interrupted`` (the end of the run is left to the run that
finishes): the run takes both signals itself (:class:`_Stop`), since DuckDB
turns one that lands during a statement into an ordinary error.
"""
from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from tqdm import tqdm

from .. import PIPELINE_VERSION
from ..corpus.registry import Registry, load_registry
from .audit_run import note_registry, update_audit
from .copies import mark_copies
from .executors import DaskExecutor, ProcessPool
from .export import PRED_TABLES, export_all, export_pred, remove_pred, write_pred
from .inputs import Item, Items, collect, file_sha256, stamp
from .store import Store
from .task import Options, Result, error_row

ASK = 1000  # inputs whose stored version is looked up at a time


@dataclass
class Summary:
    documents: int = 0
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    reports: int = 0  # distinct reports in OUT (copies of one report counted once)
    copies: int = 0   # documents in OUT that are copies of another
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    interrupted: int = 0  # the signal that stopped the run before its end (0: it ran to the end)
    finish_seconds: float = 0.0  # the end of the run: copies, checks across reports, exports


class _Stop:
    """SIGINT and SIGTERM while a run goes: raised as
    ``KeyboardInterrupt(signum)``, and remembered.  DuckDB turns a signal
    that lands during a statement into ``RuntimeError("Query interrupted")``;
    where the run falls back on an error (a batch committed one document at
    a time) it asks :meth:`check` first, so a stop is never taken for a
    failed document.  A signal the caller ignores stays ignored."""

    def __init__(self) -> None:
        self.signum = 0
        self._old: dict = {}

    def __enter__(self) -> "_Stop":
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                if signal.getsignal(s) is not signal.SIG_IGN:
                    self._old[s] = signal.signal(s, self._raise)
        return self

    def __exit__(self, *exc) -> None:
        for s, handler in self._old.items():
            signal.signal(s, handler)

    def _raise(self, signum, frame):
        self.signum = signum
        raise KeyboardInterrupt(signum)

    def check(self) -> None:
        """Stop now if a signal came (whatever became of its KeyboardInterrupt)."""
        if self.signum:
            raise KeyboardInterrupt(self.signum)


class _Batch:
    """Results waiting to be committed together: every ``BATCH_DOCS``
    documents or ``BATCH_SECONDS`` seconds, whichever comes first (one
    transaction per batch costs far less than one per document; a killed
    run loses at most the batch in hand, redone on resume).  After each
    commit DuckDB gives back what it caches and writes the rows it holds
    until its next checkpoint to its temporary file (:meth:`Store.release`):
    else it holds up to its whole limit of them while the workers mine
    (mining a 50,000-document archive, mean RSS between commits 255 → 240 MB)."""

    BATCH_DOCS = 50
    BATCH_SECONDS = 2.0

    def __init__(self, store: Store, summary: Summary, out: Path, stop: _Stop):
        self.vacuumed = False
        self.store = store
        self.stop = stop
        self.summary = summary
        self.out = out
        self.results: list[Result] = []
        self.since = time.monotonic()

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results)

    def add(self, result: Result) -> None:
        self.results.append(result)
        if len(self.results) >= self.BATCH_DOCS or time.monotonic() - self.since >= self.BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        results, self.results, self.since = self.results, [], time.monotonic()
        if not results:
            return
        try:
            self._commit(results)
        except Exception:  # one bad document must not sink the others: commit one by one
            self.stop.check()  # (a signal DuckDB made an error of is not a bad document)
            for r in results:
                try:
                    self._commit([r])
                except Exception as exc:
                    self.stop.check()
                    self._commit([Result(r.doc_id, r.path, error=error_row(
                        r.doc_id, r.path, "store", f"its rows could not be stored: {exc}", r.sha256))])
        if not self.vacuumed:
            self._vacuum()

    def _vacuum(self) -> None:
        """A checkpoint, once, after the run's first batch: DuckDB's vacuum
        then merges the small row groups earlier runs' commits left and
        drops the rows they deleted, rewriting up to a row group of page
        texts (1 s after 100 reports into a 10,000-report store).  Done here,
        while the workers mine, not at the end of the run (:func:`finish`
        checkpoints without it)."""
        self.store.checkpoint()
        self.vacuumed = True

    def _commit(self, results: list[Result]) -> None:
        errors = [r.error for r in results if r.error]
        self.store.commit({r.doc_id: r.rows for r in results if not r.error}, errors,
                          [(r.doc_id, r.sha256, *r.stamp) for r in results if not r.error and r.sha256 and r.stamp])
        self.store.release()
        for r in results:
            if r.error:
                remove_pred(self.out, r.doc_id)
            else:
                write_pred(self.out, {t: r.rows[t].to_pylist() for t in PRED_TABLES})
        s = self.summary
        s.failed += len(errors)
        s.errors.extend(errors)
        for r in results:
            if not r.error:
                s.processed += 1
                s.pages += r.pages
                s.ocr_pages += r.ocr_pages


def run(inputs: list[str], out: str | Path, *, jobs: int | None = None,
        executor: str = "process", scheduler: str | None = None, timeout: float = 120.0,
        force: bool = False, registry: tuple[str, ...] = ("builtin",), progress: bool = True,
        ocr_cache: str | None = None, statistical: bool = False, segment: str = "none",
        excel: bool = False, rebuild: bool = False) -> Summary:
    """Mine ``inputs`` into the dataset in ``out`` (``excel``: also write
    the workbook; ``rebuild``: set the store aside and start afresh); the
    audit checks citations against the ``registry`` files
    (``FILE.csv[:field=column,...]``, "builtin" for the registries parmine
    ships; none: no registry), read before anything is mined (a malformed
    one raises :class:`~parmine.corpus.registry.RegistryError`)."""
    out = Path(out)
    index = load_registry(tuple(registry)) if registry else None
    t0 = time.perf_counter()
    summary = Summary()
    with _Stop() as stop, Store(out, rebuild=rebuild) as store:
        tmp = out / ".tmp"  # the workers' temporary folders (a killed run's are removed here)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        note_registry(store, index)
        store.mark_unfinished()  # an earlier run's reports: it may have stopped before writing their prediction files
        batch = _Batch(store, summary, out, stop)
        try:
            found = collect(inputs, out / ".inputs", skip=(out,), known=store.sources())
            summary.warnings.extend(found.warnings)
            for err in found.errors:
                row = error_row(err["doc_id"], err["path"], err["stage"], err["reason"])
                store.commit_error(row)
                remove_pred(out, err["doc_id"])
                summary.errors.append(row)
            summary.failed += len(found.errors)
            todo = Items()
            for i in range(0, len(found.items), ASK):  # the store asked a chunk of inputs at a time
                chunk = found.items[i:i + ASK]
                done = {} if force else store.done(PIPELINE_VERSION, (item.doc_id for item in chunk))
                hashed: list[tuple[str, str, int, int]] = []
                for item in chunk:
                    if item.doc_id in done and _unchanged(item, *done[item.doc_id], hashed):
                        summary.skipped += 1
                    else:
                        todo.append(item)
                store.note_hashed(hashed)
            summary.documents = len(found.items) + len(found.errors)
            del found
            options = Options(ocr_cache=ocr_cache or str(out / ".cache" / "ocr"), statistical=statistical,
                              segment=segment, registry=tuple(registry or ()))
            pool = (DaskExecutor(scheduler, jobs, timeout) if executor == "dask"
                    else ProcessPool(jobs, timeout, workdir=str(tmp)))
            with tqdm(total=len(todo), unit="doc", disable=not progress, file=sys.stderr,
                      dynamic_ncols=True) as bar, store.lean():
                try:
                    for result in pool.map(todo, options):
                        batch.add(result)
                        bar.update(1)
                        bar.set_postfix(pages=summary.pages + batch.pages, errors=summary.failed,
                                        refresh=False)
                finally:
                    batch.flush()  # also when interrupted: what is done is kept
            del todo  # (6 MB at 50,000 inputs, given back before the end of the run)
            t_end = time.perf_counter()
            finish(store, out, index, excel=excel)
            summary.finish_seconds = time.perf_counter() - t_end
            summary.copies, summary.reports = store.query(
                "SELECT count(duplicate_of), count(*) - count(duplicate_of) FROM documents")[1][0]
        except (KeyboardInterrupt, duckdb.Error, RuntimeError) as exc:  # Ctrl-C or SIGTERM (or what
            if not (isinstance(exc, KeyboardInterrupt) or stop.signum):  # DuckDB made of one)
                raise
            batch.flush()
            summary.interrupted = stop.signum or signal.SIGINT
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    summary.seconds = time.perf_counter() - t0
    return summary


def _unchanged(item: Item, sha256: str, seen: tuple[int, int] | None,
               hashed: list[tuple[str, str, int, int]]) -> bool:
    """Whether ``item``'s file still holds what was mined (``sha256``): not
    read when its :func:`~.inputs.stamp` is the one it had when it was
    mined or last hashed (``seen``); otherwise hashed, and its stamp added
    to ``hashed`` when it matches."""
    now = stamp(item.file)
    if now is not None and now == seen:
        return True
    if file_sha256(item.file) != sha256:
        return False
    if now is not None:
        hashed.append((item.doc_id, sha256, *now))
    return True


def finish(store: Store, out: Path, registry: Registry | None, *, excel: bool = False) -> None:
    """The end of a run, on what changed since the last finished run (the
    store records it, so a run that stopped before its end leaves it to the
    next): copies marked, the audit across reports brought up to date,
    prediction files written again where the audit changed and for the
    reports an earlier run mined but may not have finished (this run wrote
    its own as their batches committed), and the exports; the blocks DuckDB
    cached given back between them (:meth:`Store.release`).  The reports
    each stage passes on stay in the store (``_changed``), not in Python
    (50,000 ids are 3–5 MB of Python objects).  It starts with a
    checkpoint: DuckDB holds the rows committed since its last one in
    memory its limit counts but cannot evict (after 100 reports mined into
    a 10,000-report store, an ``indicators.csv`` slice ran out of 48 MB),
    taken within the lean limit like every step of the end (at the whole
    limit, the first seconds of the end were a 50,000-document run's peak);
    with DuckDB's vacuum off from then on (the run's first batch did it,
    while the workers mined: :class:`_Batch`)."""
    store.execute("SET max_vacuum_tasks = 0")
    with store.lean():
        store.roomier(store.execute, "CHECKPOINT")
        new = store.changed("mined")
        mark_copies(store, new["doc_id"].to_pylist())
        store.release()
        update_audit(store, registry, new)
        store.release()
        export_pred(store, out, store.changed("audit", "pred"))
        store.release()
        export_all(store, out, excel=excel)
