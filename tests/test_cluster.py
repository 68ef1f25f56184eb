"""``--executor dask --scheduler tcp://…`` on a real cluster: a scheduler
and two single-threaded workers started with Dask's own command-line tools
on localhost.  A run gives the same tables as the process pool, a worker
killed in the middle of a document has it redone by the other, a client
killed by ``kill -9`` resumes, a document past ``--timeout`` is stopped and
its worker restarted, a document that keeps killing its workers is an error
row, and a file a worker cannot read is an error row naming it; a worker
without a nanny, a scheduler out of reach and a cluster without workers
are each one line."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SHARED, dataset_tables, start_run, wait_for_progress
from test_executors import _fake, _items, _tesseracts

from parmine.pipelines.executors import ClusterError, DaskExecutor
from parmine.pipelines.inputs import Item
from parmine.pipelines.run import _Batch, run
from parmine.pipelines.task import Options

pytestmark = pytest.mark.slow

REAL = SHARED / "corpus" / "real"
WORKERS = 2
START = 60  # seconds allowed for a scheduler or a worker to start
ORPHANED = 600  # seconds after which an idle scheduler stops (left by a test run killed before its teardown;
#                its workers follow START seconds later)


def _dask_cli() -> str:
    """The ``dask`` command of the interpreter running the tests."""
    beside = Path(sys.executable).with_name("dask")
    found = str(beside) if beside.exists() else shutil.which("dask")
    if not found:
        pytest.fail("the `dask` command is missing: it comes with the project's dependencies "
                    "(dask[distributed] in setup.cfg; `make deps`)", pytrace=False)
    return found


class Cluster:
    """A scheduler and workers started by ``dask scheduler`` and ``dask
    worker`` in ``root``, each in a process group of its own (a worker's
    nanny and worker process, and whatever they start, are killed
    together); workers import this checkout and the tests folder.  The
    scheduler gives a task up after it killed two workers (Dask's
    ``allowed-failures`` of 1, 3 by default) to keep the test short."""

    def __init__(self, root: Path, workers: int = WORKERS):
        self.root = root
        self.workers = workers
        self.dask = _dask_cli()
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1", DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
                        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
        self.procs: list[subprocess.Popen] = []  # the scheduler, then the workers
        self.file = root / "scheduler.json"
        self.address = ""

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "wb")
        with log:
            proc = subprocess.Popen([self.dask, *args], cwd=self.root, env=self.env, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        """The scheduler on a free port of 127.0.0.1, then the workers."""
        proc = self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                           "--scheduler-file", str(self.file), "--idle-timeout", str(ORPHANED))
        deadline = time.monotonic() + START
        while not self.file.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if not self.file.exists():
            pytest.fail(f"`dask scheduler` did not start: {self.log('scheduler')}", pytrace=False)
        self.address = json.loads(self.file.read_text())["address"]
        self.top_up()

    def top_up(self) -> None:
        """Start workers until ``workers`` run (a worker whose nanny lives
        is restarted by it), and wait until they are registered."""
        from distributed import Client

        alive = [p for p in self.procs[1:] if p.poll() is None]
        for _ in range(self.workers - len(alive)):
            self.start_worker()
        with Client(self.address, timeout=START) as client:
            self.wait_for(client, lambda workers: len(workers) == self.workers)

    def start_worker(self, *options: str) -> subprocess.Popen:
        """One more single-threaded worker (``dask worker OPTIONS``)."""
        n = len(self.procs)
        return self._start(f"worker{n}", "worker", "--scheduler-file", str(self.file), "--nthreads", "1",
                           "--host", "127.0.0.1", "--no-dashboard", "--death-timeout", str(START),
                           "--local-directory", str(self.root / f"worker{n}"), *options)

    def wait_for(self, client, ready) -> None:
        """Wait until ``ready(workers)`` holds for the registered workers
        (the scheduler's information on each, by address)."""
        deadline = time.monotonic() + START
        while not ready(client.scheduler_info()["workers"]):
            if time.monotonic() > deadline:
                pytest.fail(f"the workers did not register: {self.log(f'worker{len(self.procs) - 1}')}",
                            pytrace=False)
            time.sleep(0.1)

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")[-2000:]

    def close(self) -> None:
        """Stop everything started, whatever state it is in."""
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(10)


@pytest.fixture(scope="module")
def _cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def cluster(_cluster):
    """The module's cluster with its two workers (one may have been killed)."""
    _cluster.top_up()
    return _cluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The bundled sample (text, text-layer PDFs, a DOCX, a scan), the real
    dev and crawl documents, and an archive (its members are read from
    OUT/.inputs): 74 documents."""
    src = tmp_path_factory.mktemp("in")
    for folder in (SAMPLE, REAL / "dev", REAL / "crawl"):
        shutil.copytree(folder, src / folder.name)
    with zipfile.ZipFile(src / "archive.zip", "w") as zf:
        for p in sorted(SAMPLE.glob("002_*")):
            zf.write(p, f"zipped/{p.name}")
    return src


@dataclass
class Pooled:
    """A process-pool run on :func:`inputs`: its dataset's tables, and its
    OCR cache (a cluster run given it OCRs nothing)."""

    tables: dict[str, list[str]]
    ocr: Path

    def seed(self, out: Path, leave_out: int = 0) -> None:
        """Give ``out`` the pool's OCR cache, less ``leave_out`` pages."""
        shutil.copytree(self.ocr, out / ".cache" / "ocr")
        for page in sorted((out / ".cache" / "ocr").rglob("*.txt"))[:leave_out]:
            page.unlink()


@pytest.fixture(scope="module")
def pooled(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("pool")
    s = run([str(inputs)], out, jobs=2, progress=False)
    assert (s.documents, s.failed, s.ocr_pages) == (74, 0, 6)
    return Pooled(dataset_tables(out), out / ".cache" / "ocr")


def test_a_cluster_run_gives_the_process_pools_tables(cluster, inputs, pooled, tmp_path):
    """Paths given relative to the client's folder (not the workers')."""
    pooled.seed(tmp_path / "out")  # the scan's pages are OCRed on the cluster in the next test
    done = subprocess.run([sys.executable, "-m", "parmine.pipelines.cli", "run", os.path.relpath(inputs, tmp_path),
                           "-o", "out", "--executor", "dask", "--scheduler", cluster.address],
                          cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "74 documents: 74 mined" in done.stdout
    assert dataset_tables(tmp_path / "out") == pooled.tables
    assert not list(cluster.root.rglob(".cache"))  # the workers kept to OUT's OCR cache


def _ocr_on(cluster: Cluster, timeout: float = 120) -> int:
    """The pid of a Tesseract at work for one of the cluster's workers
    (their temporary files are in their folders under its root)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _tesseracts(cluster.root)
        if found:
            return min(found)
        time.sleep(0.05)
    pytest.fail("no worker was seen OCRing the scan", pytrace=False)


def test_a_worker_killed_mid_document_has_it_redone_by_the_other(cluster, inputs, pooled, tmp_path):
    pooled.seed(tmp_path, leave_out=1)  # the scan has a page to OCR
    proc = start_run(inputs, tmp_path, "--executor", "dask", "--scheduler", cluster.address)
    try:
        os.killpg(os.getpgid(_ocr_on(cluster)), signal.SIGKILL)  # kill -9 of its worker and nanny
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    assert max(map(int, re.findall(rb"(\d+)/74 \[", err))) == 74  # every document came back once
    assert dataset_tables(tmp_path) == pooled.tables  # the scan redone by the other worker


def test_kill_9_of_the_client_then_resume_gives_the_process_pools_tables(cluster, inputs, pooled, tmp_path):
    pooled.seed(tmp_path)
    proc = start_run(inputs, tmp_path, "--executor", "dask", "--scheduler", cluster.address)
    try:
        wait_for_progress(proc, _Batch.BATCH_DOCS + 1)  # a full batch has been committed by then
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the client alone, as `kill -9 PID` does
        proc.wait()
    resumed = run([str(inputs)], tmp_path, executor="dask", scheduler=cluster.address, progress=False)
    assert resumed.skipped >= 1 and resumed.processed >= 1  # the kill landed mid-run
    assert resumed.processed + resumed.skipped == 74
    assert dataset_tables(tmp_path) == pooled.tables


def test_a_document_past_the_time_limit_is_stopped_and_its_worker_restarted(cluster, tmp_path):
    t0 = time.monotonic()
    got = {r.doc_id: r for r in DaskExecutor(cluster.address, timeout=3, task=_fake).map(
        _items(tmp_path, ["slow", "steady", "a", "b"]), Options())}
    assert time.monotonic() - t0 < 50  # "slow" sleeps 60 s: stopped, its worker restarted
    assert got["slow"].error["stage"] == "timeout" and "limit of 3 s" in got["slow"].error["reason"]
    assert got["steady"].error is None  # 4 s in all, never 3 s without a page
    assert all(got[k].error is None for k in "ab")


def test_a_document_that_kills_its_workers_and_a_file_a_worker_cannot_read_are_error_rows(cluster, tmp_path):
    missing = Item(tmp_path / "elsewhere" / "report.txt", "missing")
    got = {r.doc_id: r for r in DaskExecutor(cluster.address, timeout=60, task=_fake).map(
        _items(tmp_path, ["crash", "a", "b"]) + [missing], Options())}
    assert got["crash"].error["stage"] == "worker"
    assert "died, 2 times" in got["crash"].error["reason"]
    assert got["missing"].error["stage"] == "open"
    assert f"cannot read {missing.file} (No such file or directory)" in got["missing"].error["reason"]
    assert "docs/scaling.md" in got["missing"].error["reason"]
    assert all(got[k].error is None for k in "ab")


def test_a_worker_without_a_nanny_is_refused_before_anything_runs(cluster, tmp_path):
    from distributed import Client

    alone = cluster.start_worker("--no-nanny")
    try:
        with Client(cluster.address, timeout=START) as client:
            cluster.wait_for(client, lambda workers: any(not w.get("nanny") for w in workers.values()))
        with pytest.raises(ClusterError, match="without a nanny"):
            list(DaskExecutor(cluster.address, task=_fake).map(_items(tmp_path, ["a"]), Options()))
    finally:
        os.killpg(alone.pid, signal.SIGKILL)
        alone.wait()


def test_a_scheduler_out_of_reach_leaves_no_client_behind(tmp_path):
    """The client a failed connection half built is closed at once, not by
    some later garbage collection: run inside the next client's start, its
    closing waits for the event loop the two share, for ever (this suite
    once hung there)."""
    import gc

    from distributed import Client

    gc.collect()
    gc.disable()
    try:
        with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at nowhere"):
            list(DaskExecutor("nowhere", task=_fake).map(_items(tmp_path, ["a"]), Options()))
        assert not [o for o in gc.get_objects() if isinstance(o, Client)]
    finally:
        gc.enable()


def test_no_scheduler_and_no_worker_each_end_the_run_with_one_line(tmp_path):
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at nowhere"):
        list(DaskExecutor("nowhere", task=_fake).map(_items(tmp_path, ["a"]), Options()))
    empty = Cluster(tmp_path / "empty", workers=0)
    empty.root.mkdir()
    try:
        empty.start()
        done = subprocess.run([sys.executable, "-m", "parmine.pipelines.cli", "run", str(SAMPLE), "-o",
                               str(tmp_path / "out"), "--executor", "dask", "--scheduler", empty.address,
                               "--timeout", "1"], capture_output=True, text=True, timeout=120)
    finally:
        empty.close()
    assert done.returncode == 1
    assert "parmine: the Dask cluster has had no worker for 1 s" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr
