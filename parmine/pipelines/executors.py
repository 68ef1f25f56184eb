"""Executors: map :func:`~parmine.pipelines.process.process_document` over
documents and yield results as they finish.

- :class:`ProcessPool` (default): ``jobs`` worker processes, each loading
  the models once and handling one document at a time.  A document that
  goes ``timeout`` seconds without progress (workers report every page read
  or OCRed) has its worker killed (a PDF that hangs pdfplumber or
  Tesseract) and becomes an error row, and a fresh worker takes its place.
  Largest documents go first, and once none is left to hand out an idle
  worker OCRs a busy worker's scan from the back, so the pool finishes even.
  Each worker is a process group of its own (Ctrl-C reaches the main
  process only, which stops the workers itself) with a temporary folder of
  its own: a stopped worker is killed with its whole group (Tesseract,
  LibreOffice) and its folder removed.  A worker whose main process dies
  (even by ``kill -9``) is sent SIGTERM by the kernel, removes its folder and
  ends its group.
- :class:`DaskExecutor`: the same function on a Dask distributed cluster
  (``scheduler="tcp://host:port"``, or a ``LocalCluster`` of ``jobs``
  single-threaded worker processes when no scheduler is given), with the
  same time limit on progress: a document's clock starts when a worker
  starts it, page beats come back as Dask events, and a stopped document's
  worker is restarted by its nanny.  A document whose worker dies is redone
  on another by Dask; results come back to this process, which alone
  writes the store.  ``docs/scaling.md`` says how to run a cluster.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .inputs import Item, Items
from .task import Options, Result, error_row


def _order(items: Iterable[Item]) -> Items:
    """The documents to hand out, the largest file first (a long one does
    not start last), to pop them from: ``items`` itself when it is
    :class:`~.inputs.Items`, sorted in place (a run holds its inputs once)."""
    def size(item: Item) -> int:
        try:
            return os.stat(item.file).st_size
        except OSError:
            return 0
    todo = items if isinstance(items, Items) else Items(items)
    todo.sort(key=size, reverse=True)
    todo.reverse()  # popped from the end
    return todo


PR_SET_PDEATHSIG = 1


def _end_worker(tmpdir: str) -> None:
    """Remove the worker's temporary folder and kill its process group
    (the worker and whatever it started)."""
    shutil.rmtree(tmpdir, ignore_errors=True)
    if os.getpgid(0) == os.getpid():  # never the main process's group
        os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(1)


def _become_worker(tmpdir: str, parent: int) -> None:
    """A process group of its own, deaf to the terminal's Ctrl-C, ended
    when its parent dies, with temporary files in ``tmpdir``."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _end_worker(tmpdir))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # the parent died before the line above
        _end_worker(tmpdir)
    os.environ["TMPDIR"] = tempfile.tempdir = tmpdir


def _stop(proc, tmpdir: str) -> None:
    """Kill a worker's process group and remove its temporary folder."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.kill()
    proc.join(5)
    shutil.rmtree(tmpdir, ignore_errors=True)


def _readable(conns: list[Connection], timeout: float | None) -> list[Connection]:
    """The connections of ``conns`` with a message (or an end) to read,
    waiting up to ``timeout`` seconds for one (None: as long as it takes)."""
    ready = wait(conns, timeout=timeout)
    return [c for c in conns if c in ready]


def _worker(conn, options: Options, tmpdir: str, parent: int) -> None:
    _become_worker(tmpdir, parent)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ..corpus import progress
    from ..corpus.readers.pdf import ocr_from_the_end
    from .extraction import pipeline
    from .process import process_document

    pipeline(options)("Sở đã tiếp nhận 1 hồ sơ.")  # load the models once per worker
    conn.send(("ready",))
    progress.listen(lambda ocr: conn.send(("beat", ocr)))
    cache = Path(options.ocr_cache) if options.ocr_cache else None
    while True:
        task = conn.recv()
        if task is None:
            break
        if task[0] == "doc":
            conn.send(("result", process_document(task[1], task[2], options, task[3])))
        elif task[0] == "help":
            try:
                pages = ocr_from_the_end(task[1], cache, stop=conn.poll)
            except Exception:  # the document's own worker reports what is wrong with it
                pages = 0
            conn.send(("helped", pages))
        # ("stop",) after a help that had already ended: nothing to do


@dataclass
class _Slot:
    """A worker process and what it is doing."""

    proc: BaseProcess
    tmpdir: str = ""  # its temporary folder
    task: Optional[str] = "load"  # "load" (its models), "doc", "help" or None (idle)
    item: Optional[Item] = None  # the document read, or helped with
    last: float = 0.0  # when it last showed progress
    ocr: bool = False  # its last page was OCRed (a scan: worth helping)
    helper: Optional[Connection] = None  # doc: the connection of the worker helping it
    owner: Optional[Connection] = None  # help: the connection of the worker it helps


class ProcessPool:
    """A pool of worker processes with a time limit per document, and OCR
    shared out at the end of a run."""

    def __init__(self, jobs: int | None = None, timeout: float = 120.0, workdir: str | None = None):
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout
        self.workdir = workdir  # where the workers' temporary folders go (default: the system's)
        self.helped_pages = 0  # pages OCRed by a worker for another one's document

    def map(self, items: Iterable[Item], options: Options) -> Iterator[Result]:
        """Results as documents finish.  A document is stopped when it goes
        ``timeout`` seconds without progress (a page read or OCRed; a
        worker's clock starts once its models are loaded); when no
        documents are left to hand out, an idle worker OCRs a busy one's
        scanned pages from the back (:func:`ocr_from_the_end`)."""
        todo = _order(items)
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context("spawn")
        slots: dict[Connection, _Slot] = {}

        def spawn():
            parent, child = ctx.Pipe()
            tmpdir = tempfile.mkdtemp(prefix="parmine-worker-", dir=self.workdir)
            proc = ctx.Process(target=_worker, args=(child, options, tmpdir, os.getpid()), daemon=True)
            proc.start()
            assert proc.pid is not None  # a started process has its pid
            try:
                os.setpgid(proc.pid, proc.pid)  # also done by the worker: whichever comes first
            except OSError:
                pass
            child.close()
            slots[parent] = _Slot(proc, tmpdir)
            return parent

        def start(conn, task: str, item: Item, *msg):
            slot = slots[conn]
            slot.task, slot.item, slot.last, slot.ocr = task, item, time.monotonic(), False
            conn.send((task, item.file, *msg))

        def release(conn) -> None:
            """The worker is idle; a doc's helper is told to stop."""
            slot = slots[conn]
            if slot.task == "doc" and slot.helper is not None and slot.helper in slots:
                slots[slot.helper].owner = None
                try:
                    slot.helper.send(("stop",))
                except (BrokenPipeError, OSError):
                    pass
            if slot.task == "help" and slot.owner is not None and slot.owner in slots:
                slots[slot.owner].helper = None
            slot.task, slot.item, slot.helper, slot.owner = None, None, None, None

        def retire(conn, stage: str, reason: str) -> Optional[Result]:
            """Take a dead or stopped worker out with everything it started
            (a fresh one comes in while documents are left); its document,
            if it was reading one, fails."""
            slot = slots[conn]
            _stop(slot.proc, slot.tmpdir)
            failed = None
            item = slot.item
            if slot.task == "doc" and item is not None:
                failed = Result(item.doc_id, item.source, error=error_row(item.doc_id, item.source, stage, reason))
            release(conn)
            del slots[conn]
            if todo:
                spawn()
            return failed

        try:
            for _ in range(min(self.jobs, len(todo))):
                spawn()
            while True:
                for conn, slot in list(slots.items()):
                    if slot.task is not None:
                        continue
                    if todo:
                        item = todo.pop()
                        start(conn, "doc", item, item.doc_id, item.source)
                        continue
                    owner = next((c for c, s in slots.items() if s.task == "doc" and s.ocr
                                  and s.helper is None), None)
                    if owner is not None:
                        helped = slots[owner].item
                        assert helped is not None  # a worker reading a document holds it
                        start(conn, "help", helped)
                        slot.owner, slots[owner].helper = owner, conn
                busy = [c for c, s in slots.items() if s.task is not None]
                if not busy:
                    break
                timed = [slots[c].last + self.timeout for c in busy if slots[c].task != "load"]
                until = max(0.0, min(timed) - time.monotonic()) if timed else None
                for conn in _readable(busy, until):
                    slot = slots[conn]
                    try:
                        msg = conn.recv()
                    except (EOFError, OSError):
                        slot.proc.join(1)
                        if slot.task == "load":  # no document to blame, and the next would die too
                            raise RuntimeError(f"a worker process died while loading the models (exit "
                                               f"code {slot.proc.exitcode}); check the installation "
                                               "(`make deps`)") from None
                        failed = retire(conn, "worker", f"the worker process died (exit code "
                                        f"{slot.proc.exitcode}) while reading this file")
                        if failed:
                            yield failed
                        continue
                    if msg[0] == "beat":
                        slot.last, slot.ocr = time.monotonic(), msg[1]
                    elif msg[0] == "ready":
                        release(conn)
                    elif msg[0] == "result":
                        release(conn)
                        yield msg[1]
                    elif msg[0] == "helped":
                        self.helped_pages += msg[1]
                        release(conn)
                now = time.monotonic()
                for conn in [c for c, s in slots.items()
                             if s.task in ("doc", "help") and now - s.last > self.timeout]:
                    failed = retire(conn, "timeout", f"no progress for longer than the limit of "
                                    f"{self.timeout:g} s (a page, or the mining after reading); stopped")
                    if failed:
                        yield failed
        finally:
            for conn in slots:
                try:
                    conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            for slot in slots.values():
                slot.proc.join(2)
                _stop(slot.proc, slot.tmpdir)


BEAT_TOPIC = "parmine-beat"


class ClusterError(RuntimeError):
    """The Dask cluster cannot run the documents; the message says why and
    what to do."""


def _unreadable(path: str) -> Optional[str]:
    """Why this process cannot read the file at ``path`` (None: it can)."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _dask_task(task, path: str, doc_id: str, options: Options, source: str, key: str) -> Result:
    """One document on a Dask worker.  It tells the client when it starts
    and after every page with an event ``[key, worker address]`` of
    :data:`BEAT_TOPIC`; its temporary files go to the worker's own folder
    (which Dask removes with the worker, or when the next worker starts
    there after a kill); a file the worker cannot read is an error row
    naming the worker (``task`` None: :func:`process_document`)."""
    import socket

    from distributed import get_worker

    from ..corpus import progress

    if task is None:
        from .process import process_document as task
    worker = get_worker()

    def beat(ocr: bool = False) -> None:
        worker.log_event(BEAT_TOPIC, [key, worker.address])

    beat()
    reason = _unreadable(path)
    if reason:
        return Result(doc_id, source, error=error_row(
            doc_id, source, "open", f"the Dask worker {worker.address} on {socket.gethostname()} cannot read "
            f"{path} ({reason}): every worker must see the inputs and the output folder at the paths the "
            "client uses (docs/scaling.md)"))
    os.environ["TMPDIR"] = tempfile.tempdir = worker.local_directory
    progress.listen(beat)
    try:
        return task(path, doc_id, options, source)
    finally:
        progress.listen(None)


def _connect(address: str):
    """A Dask client of the scheduler at ``address``, whose workers all
    have a nanny (which restarts a worker stopped for its time limit)."""
    from dask.distributed import Client

    unreachable = None
    try:
        client = Client(address)
    except (OSError, TimeoutError, ValueError) as exc:
        unreachable = str(exc)
    if unreachable is not None:
        # the client it half built is collected now, once the exception has let go of it: it holds
        # reference cycles, and a collection at some later moment could run its closing inside
        # another client's start, which then waits for ever on the event loop the two share
        gc.collect()
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({unreachable}): start it, or check "
                           "the address (docs/scaling.md)")
    alone = sorted(a for a, w in client.scheduler_info()["workers"].items() if not w.get("nanny"))
    if alone:
        client.close()
        raise ClusterError(f"Dask workers without a nanny ({', '.join(alone)}): parmine restarts a worker whose "
                           "document goes past the time limit, which needs the nanny `dask worker` starts by "
                           "default (leave out --no-nanny)")
    return client


class DaskExecutor:
    """Run documents on a Dask distributed cluster, with the process pool's
    time limit on progress: each worker thread gets one document at a time,
    its page beats come back as Dask events, and a document that goes
    ``timeout`` seconds without one becomes an error row while the worker
    running it is restarted (a hung Tesseract or parser ends with it).

    The clock of a document runs from its start on a worker; a document
    whose worker died waits, unclocked, for Dask to start it again on
    another (a document that kills ``allowed-failures`` + 1 workers is an
    error row).  A cluster with no worker for longer than ``timeout``, or
    a scheduler lost, ends the run with a :class:`ClusterError` (what is
    done is kept)."""

    def __init__(self, scheduler: str | None = None, jobs: int | None = None,
                 timeout: float = 120.0, task=None):
        self.scheduler = scheduler
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout
        self.task = task  # None: process_document, imported on the workers

    def map(self, items: Iterable[Item], options: Options) -> Iterator[Result]:
        from dask.distributed import Client, LocalCluster

        cluster = None
        if self.scheduler:
            client = _connect(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            yield from self._run(client, _order(items), options)
        except Exception:
            if client.status == "running":
                raise
            raise ClusterError(f"lost the connection to the Dask scheduler {self.scheduler or '(local)'}: what "
                               "was done is kept; run the same command again to resume") from None
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _run(self, client, queue: Items, options: Options) -> Iterator[Result]:
        """Submit as many documents as the cluster has threads, yield their
        results as they come, and stop those past the time limit.  Paths
        go out absolute: a worker's working folder is not this one's."""
        if options.ocr_cache:
            options = replace(options, ocr_cache=os.path.abspath(options.ocr_cache))
        beats: dict[str, tuple[float, str]] = {}  # key → when and on which worker it last showed progress
        client.subscribe_topic(BEAT_TOPIC, lambda event: beats.__setitem__(
            event[1][0], (time.monotonic(), event[1][1])))
        running: dict = {}  # future → item
        seen = time.monotonic()  # when the cluster last had a worker
        while queue or running:
            workers = client.nthreads()
            if workers:
                seen = time.monotonic()
            elif time.monotonic() - seen > self.timeout:
                raise ClusterError(f"the Dask cluster has had no worker for {self.timeout:g} s: start workers "
                                   "(docs/scaling.md) and run the same command again to resume")
            while queue and len(running) < sum(workers.values()):
                it = queue.pop()
                key = f"parmine-{it.doc_id}-{len(queue)}-{time.monotonic_ns()}"
                running[client.submit(_dask_task, self.task, os.path.abspath(it.file), it.doc_id, options,
                                      it.source, key, key=key, pure=False)] = it
            for fut in _finished(list(running), 1.0):
                beats.pop(fut.key, None)
                yield self._result(fut, running.pop(fut))
            now = time.monotonic()
            for fut in [f for f in running if f.key in beats and beats[f.key][1] in workers
                        and now - beats[f.key][0] > self.timeout]:
                yield self._stop(client, fut, running.pop(fut), beats.pop(fut.key)[1])

    @staticmethod
    def _result(fut, item: Item) -> Result:
        """The document's result, or an error row saying why it has none."""
        from distributed.scheduler import KilledWorker

        try:
            return fut.result()
        except KilledWorker as exc:
            reason = (f"the Dask worker process reading this file died, {exc.allowed_failures + 1} times on "
                      f"as many workers (the last: {exc.last_worker.address}; Dask's allowed-failures is "
                      f"{exc.allowed_failures})")
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
        return Result(item.doc_id, item.source, error=error_row(item.doc_id, item.source, "worker", reason))

    def _stop(self, client, fut, item: Item, worker: str) -> Result:
        """A document past the limit: an error row; its worker restarted.
        The scheduler forgets the document first: a task still known when
        its worker leaves is given to another worker, which would then run
        it to its end."""
        fut.cancel()
        deadline = time.monotonic() + self.timeout
        while _known(client, fut.key) and time.monotonic() < deadline:
            time.sleep(0.05)
        client.restart_workers([worker], raise_for_error=False)
        return Result(item.doc_id, item.source, error=error_row(
            item.doc_id, item.source, "timeout",
            f"no progress for longer than the limit of {self.timeout:g} s (a page, or the mining after "
            "reading); stopped"))


def _known(client, key: str) -> bool:
    """Whether the scheduler still holds task ``key`` (the cancelling of a
    future reaches it on the client's batched stream, after a while)."""
    return client.run_on_scheduler(lambda dask_scheduler: key in dask_scheduler.tasks)


def _finished(futures: list, timeout: float) -> list:
    """The futures of ``futures`` that are done, waiting up to ``timeout``
    seconds for one (just that long when there are none)."""
    from dask.distributed import wait

    if not futures:
        time.sleep(timeout)
        return []
    try:
        return list(wait(futures, timeout=timeout, return_when="FIRST_COMPLETED").done)
    except TimeoutError:  # none finished in time
        return []
