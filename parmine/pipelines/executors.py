"""Executors: map :func:`~parmine.pipelines.process.process_document` over
documents and yield results as they finish.

- :class:`ProcessPool` (default): ``jobs`` worker processes, each loading
  the models once and handling one document at a time; a document that runs
  past ``timeout`` seconds has its worker killed (a PDF that hangs
  pdfplumber or Tesseract) and becomes an error row, and a fresh worker
  takes its place.  Largest documents go first, so the pool finishes even.
- :class:`DaskExecutor`: the same function on a Dask distributed cluster
  (``scheduler="tcp://host:port"``, or a ``LocalCluster`` of ``jobs``
  single-threaded worker processes when no scheduler is given).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from .inputs import Item
from .process import Options, Result, error_row, process_document


def _order(items: Iterable[Item]) -> list[Item]:
    def size(item: Item) -> int:
        try:
            return item.path.stat().st_size
        except OSError:
            return 0
    return sorted(items, key=size, reverse=True)


def _worker(conn, options: Options) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ..extract.nlp import build_nlp

    build_nlp(tuple(options.disable))("Sở đã tiếp nhận 1 hồ sơ.")  # load the models once per worker
    while True:
        task = conn.recv()
        if task is None:
            break
        path, doc_id = task
        conn.send(process_document(path, doc_id, options))


class ProcessPool:
    """A pool of worker processes with a per-document time limit."""

    def __init__(self, jobs: int | None = None, timeout: float = 120.0):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout

    def map(self, items: Iterable[Item], options: Options) -> Iterator[Result]:
        todo = _order(items)
        ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
        workers: dict = {}  # conn -> [process, item | None, started]

        def spawn():
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, options), daemon=True)
            proc.start()
            child.close()
            workers[parent] = [proc, None, 0.0]
            return parent

        def assign(conn):
            item = todo.pop(0)
            workers[conn][1] = item
            workers[conn][2] = time.monotonic()
            conn.send((str(item.path), item.doc_id))

        try:
            for _ in range(min(self.jobs, len(todo))):
                assign(spawn())
            while any(w[1] is not None for w in workers.values()):
                busy = [c for c, w in workers.items() if w[1] is not None]
                now = time.monotonic()
                next_deadline = min(workers[c][2] + self.timeout for c in busy)
                ready = wait(busy, timeout=max(0.0, next_deadline - now))
                for conn in ready:
                    proc, item, _ = workers[conn]
                    try:
                        result = conn.recv()
                    except (EOFError, OSError):
                        result = Result(item.doc_id, str(item.path), error=error_row(
                            item.doc_id, str(item.path), "worker",
                            f"the worker process died (exit code {proc.exitcode}) while reading this file"))
                        proc.join(1)
                        del workers[conn]
                        conn = spawn() if todo else None
                    else:
                        workers[conn][1] = None
                    yield result
                    if conn is not None and todo:
                        assign(conn)
                now = time.monotonic()
                for conn in list(workers):
                    proc, item, started = workers[conn]
                    if item is not None and now - started > self.timeout and conn not in ready:
                        proc.kill()
                        proc.join(5)
                        del workers[conn]
                        yield Result(item.doc_id, str(item.path), error=error_row(
                            item.doc_id, str(item.path), "timeout",
                            f"processing took longer than the limit of {self.timeout:g} s; stopped"))
                        if todo:
                            assign(spawn())
        finally:
            for conn, (proc, _, _) in workers.items():
                try:
                    conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            for conn, (proc, _, _) in workers.items():
                proc.join(2)
                if proc.is_alive():
                    proc.kill()


class DaskExecutor:
    """Run documents on a Dask distributed cluster."""

    def __init__(self, scheduler: str | None = None, jobs: int | None = None,
                 timeout: float = 120.0):
        self.scheduler = scheduler
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout

    def map(self, items: Iterable[Item], options: Options) -> Iterator[Result]:
        from dask.distributed import Client, LocalCluster, as_completed

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            todo = _order(items)
            futures = {client.submit(process_document, str(it.path), it.doc_id, options,
                                     key=f"parmine-{it.doc_id}-{i}", pure=False): it
                       for i, it in enumerate(todo)}
            for fut in as_completed(futures):
                item = futures[fut]
                try:
                    yield fut.result()
                except Exception as exc:
                    yield Result(item.doc_id, str(item.path), error=error_row(
                        item.doc_id, str(item.path), "worker", f"{type(exc).__name__}: {exc}"))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
