"""A batch run: inputs → store → audit → exports.

Documents already stored by this pipeline version with the same sha256 are
skipped (``force`` reprocesses them); every result is committed as soon as
it arrives, so an interrupted run resumes where it stopped.  The audit and
the exports are rebuilt from the store at the end of every run.
"""
from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .. import PIPELINE_VERSION
from .audit_run import run_audit
from .executors import DaskExecutor, ProcessPool
from .export import export_all
from .inputs import collect
from .process import Options, error_row
from .store import Store


@dataclass
class Summary:
    documents: int = 0
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0
    errors: list[dict] = field(default_factory=list)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def run(inputs: list[str], out: str | Path, *, jobs: int | None = None,
        executor: str = "process", scheduler: str | None = None, timeout: float = 120.0,
        force: bool = False, registry: str | None = None, progress: bool = True,
        ocr_cache: str | None = None, statistical: bool = False,
        excel: bool = False) -> Summary:
    """Mine ``inputs`` into the dataset in ``out`` (``excel``: also write
    the workbook)."""
    out = Path(out)
    t0 = time.perf_counter()
    summary = Summary()
    with Store(out) as store:
        found = collect(inputs, out / ".inputs")
        for err in found.errors:
            row = error_row(err["doc_id"], err["path"], err["stage"], err["reason"])
            store.commit_error(row)
            summary.errors.append(row)
        done = {} if force else store.done(PIPELINE_VERSION)
        todo = []
        for item in found.items:
            if done.get(item.doc_id) and done[item.doc_id] == _sha256(item.path):
                summary.skipped += 1
            else:
                todo.append(item)
        summary.documents = len(found.items) + len(found.errors)
        options = Options(ocr_cache=ocr_cache or str(out / ".cache" / "ocr"), statistical=statistical)
        pool = (DaskExecutor(scheduler, jobs, timeout) if executor == "dask"
                else ProcessPool(jobs, timeout))
        bar = tqdm(total=len(todo), unit="doc", disable=not progress, file=sys.stderr,
                   dynamic_ncols=True)
        try:
            for result in pool.map(todo, options):
                if result.error:
                    store.commit_error(result.error)
                    summary.failed += 1
                    summary.errors.append(result.error)
                else:
                    store.commit_document(result.doc_id, result.rows)
                    summary.processed += 1
                    summary.pages += result.pages
                    summary.ocr_pages += result.ocr_pages
                bar.update(1)
                bar.set_postfix(pages=summary.pages, errors=summary.failed, refresh=False)
        finally:
            bar.close()
        run_audit(store, registry=registry)
        export_all(store, out, excel=excel)
    summary.failed += len(found.errors)
    summary.seconds = time.perf_counter() - t0
    return summary
