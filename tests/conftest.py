"""Shared paths and helpers for the tests."""
import os
import re
import select
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DERIVED = SHARED / "corpus" / "derived"
GOLD = SHARED / "corpus" / "gold"
SAMPLE = ROOT / "sample"


def seed_reference(stem: str) -> str:
    """A seed's text as the derived DOCX/PDF show it (light markup removed)."""
    t = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    t = re.sub(r"\^\{([^}]*)\}", r"\1", t)
    t = re.sub(r"<(https?://[^>]+)>", r"\1", t)
    return t.replace("*", "")


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def cer(hyp: str, ref: str) -> float:
    """Character error rate as OCR_BASELINE.md computes it."""
    from rapidfuzz.distance import Levenshtein
    ref = squash(ref)
    return Levenshtein.distance(squash(hyp), ref) / len(ref)


@pytest.fixture(autouse=True)
def _shared_is_there(request):
    """A test module that reads ../shared fails with this message, not a
    confusing error (or an empty loop), when it is missing; CI always has it."""
    uses = {"SHARED", "SEEDS", "DERIVED", "GOLD", "REAL"} & set(vars(request.module))
    if uses and not (SHARED / "corpus" / "seeds").is_dir():
        pytest.fail(f"{SHARED} is missing: this test reads the seed reports, gold and real documents from "
                    "it (check out the shared folder beside the repository)", pytrace=False)


@pytest.fixture(scope="session")
def seed_stems():
    return sorted(p.stem for p in SEEDS.glob("*.txt"))


def wait_for_progress(proc, done: int, timeout: float = 120) -> bytes:
    """Read the progress bar a run prints on stderr (``--progress``) until
    ``done`` documents have come back; returns what it printed so far."""
    seen, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        if ready:
            chunk = os.read(proc.stderr.fileno(), 65536)
            seen += chunk
            counts = [int(n) for n in re.findall(rb"(\d+)/\d+ \[", seen)]
            if counts and max(counts) >= done:
                return seen
            if not chunk:
                break
    raise AssertionError(f"no progress to {done}: {seen[-500:]!r}")


def dataset_tables(out: Path) -> dict[str, list[str]]:
    """Every table of a dataset's store, its rows sorted, times of day
    (``processed_at``, ``at``, the time in the stamp of the indicators.csv
    written) and the sizes and times of the input files a run hashed
    (``_hashed``: a resumed run hashes those its first part mined) left
    out."""
    import duckdb

    con = duckdb.connect(str(out / "parmine.duckdb"), read_only=True)
    try:
        got = {}
        for (t,) in con.execute("SHOW TABLES").fetchall():
            if t == "_hashed":
                continue
            cols = [c for (c, *_) in con.execute(f'DESCRIBE "{t}"').fetchall() if c not in ("processed_at", "at")]
            sel = ", ".join(f'"{c}"' for c in cols)
            got[t] = sorted(map(repr, con.execute(f'SELECT {sel} FROM "{t}"').fetchall()))
            if t == "_state":
                got[t] = [r.split(":")[0] if "'indicators.csv'" in r else r for r in got[t]]
        return got
    finally:
        con.close()


def start_run(src: Path, out: Path, *options: str) -> subprocess.Popen:
    """``parmine run SRC -o OUT OPTIONS...`` in a session of its own, its
    progress bar on a pipe (for :func:`wait_for_progress`)."""
    cmd = [sys.executable, "-m", "parmine.pipelines.cli", "run", str(src), "-o", str(out), *options, "--progress"]
    return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def shown_limit(limit: str) -> str:
    """A DuckDB memory limit as DuckDB shows it (``16MB`` → ``15.2 MiB``)."""
    import duckdb

    with duckdb.connect(config={"memory_limit": limit}) as con:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
