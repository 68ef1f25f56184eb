"""The benchmark archive (bench/archive.py): distinct files, in the
requested mix, in formats parmine reads, the same bytes from the same seed."""
import hashlib
import sys
from collections import Counter

import pytest
from conftest import ROOT, SHARED  # noqa: F401  (SHARED: fail clearly without ../shared)

from parmine.corpus.ingest import read

sys.path.insert(0, str(ROOT / "bench"))
from archive import DEFAULT_MIX, formats, generate  # noqa: E402

MIX = {"text": 2, "pdf": 1, "docx": 1, "scan": 1}


def _format(path) -> str:
    return "scan" if path.stem.endswith("-scan") else {".txt": "text", ".md": "text"}.get(path.suffix, path.suffix[1:])


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    return out, generate(out, 10, seed=7, mix=MIX)


def test_every_file_is_distinct_and_in_the_mix(archive):
    out, paths = archive
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert sorted(paths) == files and len(files) == 10
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in files}) == 10
    assert Counter(_format(p) for p in files) == {"text": 4, "pdf": 2, "docx": 2, "scan": 2}
    assert all(len(p.relative_to(out).parts) == 3 for p in files)  # province/year/file


def test_parmine_reads_each_format(archive):
    """Text, PDF and DOCX give their text (the document's own number in it);
    a scan is image-only pages (OCR is what the slow tests exercise)."""
    import pypdfium2 as pdfium

    _, paths = archive
    for path in paths:
        number = int(path.stem.split("-")[-2 if path.stem.endswith("-scan") else -1])
        if _format(path) == "scan":
            pdf = pdfium.PdfDocument(str(path))
            assert 1 <= len(pdf) <= 2
            assert all(not page.get_textpage().get_text_range().strip() for page in pdf)
            pdf.close()
            continue
        doc = read(path)
        text = "\n".join(p.text for p in doc.pages) + "\n".join("\t".join(r) for t in doc.tables for r in t.rows)
        assert f"Số: {number}" in text and len(text) > 300, path


def test_formats_follow_the_mix_at_every_prefix():
    fmts = formats(0, 1000, DEFAULT_MIX)
    for n in (20, 100, 1000):
        counts = Counter(fmts[:n])
        assert all(abs(counts[f] - n * w / 100) <= 1 for f, w in DEFAULT_MIX.items()), (n, counts)
    assert formats(990, 10, DEFAULT_MIX) == fmts[990:]


def test_growing_an_archive_writes_the_same_documents(archive, tmp_path):
    """Document K is the same whether written with the first K or alone
    (``--start K``), so an archive grows by new documents only."""
    out, paths = archive
    (again,) = generate(tmp_path, 1, seed=7, start=6, mix=MIX)
    assert again.read_bytes() == (out / again.relative_to(tmp_path)).read_bytes()


def test_a_watched_run_that_prints_more_than_a_pipe_holds_ends(tmp_path):
    """parmine lists every file it could not read as it ends: 1,500 of them
    are more than a pipe holds, and the bench reads them as they come (a run
    waiting to print them would never end)."""
    import threading

    from archive_bench import run_parmine

    archive = tmp_path / "archive"
    archive.mkdir()
    for i in range(1500):
        (archive / f"empty-{i:04d}.txt").write_bytes(b"")
    got = {}
    watch = threading.Thread(target=lambda: got.update(run=run_parmine(archive, tmp_path / "out", 1)), daemon=True)
    watch.start()
    watch.join(timeout=600)
    assert "run" in got, "the watched run did not end"
    assert got["run"].failed == 1500 and got["run"].mined == 0
    assert got["run"].mining_peak_mb > 0 and got["run"].end_peak_mb > 0


def test_a_runs_peaks_are_split_at_the_last_commit():
    """Samples before the bar showed every document done are the mining's,
    the others the end of the run's: each part's own highest RSS and
    anonymous memory (not the same sample's)."""
    from archive_bench import split_peaks

    samples = [(1.0, 200, 90), (2.0, 240, 100), (3.0, 230, 130), (4.0, 260, 120), (5.0, 250, 150), (6.0, 210, 95)]
    assert split_peaks(samples, 3.5) == ((240, 130), (260, 150))
    assert split_peaks(samples, 0.5) == ((0.0, 0.0), (260, 150))


def test_repeated_cold_runs_give_each_figure_at_its_median():
    """``--repeat``: each figure of the cold runs at its median, a time
    one of them lacks as none; what the runs did is the first's."""
    from archive_bench import Run, median_run

    runs = [Run(mined=10, pages=12, main_peak_mb=233.4, mining_s=5.0, end_of_run_s=1.0, load_after=1.0),
            Run(mined=10, pages=12, main_peak_mb=231.7, mining_s=7.0, end_of_run_s=None, load_after=3.0),
            Run(mined=10, pages=12, main_peak_mb=232.7, mining_s=6.0, end_of_run_s=2.0, load_after=2.0)]
    got = median_run(runs)
    assert (got.main_peak_mb, got.mining_s, got.load_after) == (232.7, 6.0, 2.0)
    assert got.end_of_run_s is None and (got.mined, got.pages) == (10, 12)
    assert median_run(runs[:2]).main_peak_mb == pytest.approx(232.55)


def test_the_table_compares_each_sizes_peak_with_the_first_sizes():
    from archive_bench import Point, Run, table

    small, large = (Point(n, 1.0, Run(main_peak_mb=mb), Run(), Run(), cold_runs=[Run()] * k)
                    for n, mb, k in ((1000, 232.0, 3), (50000, 255.2, 1)))
    rows = [line.split("|") for line in table([small, large]).splitlines()[2:]]
    assert [r[2].strip() for r in rows] == ["3", "1"]  # cold runs per size
    assert [r[-2].strip() for r in rows] == ["1.000×", "1.100×"]
    assert table([large], small).splitlines()[2].split("|")[-2].strip() == "1.100×"


def test_a_size_measured_with_repeats_runs_cold_each_time_into_an_empty_output(tmp_path, monkeypatch):
    import archive_bench

    monkeypatch.setattr(archive_bench, "GROWTH", 2)
    point = archive_bench.measure(3, tmp_path, 1, 0, {"text": 1}, repeat=2)
    assert [(r.mined, r.skipped, r.exit_status) for r in point.cold_runs] == [(3, 0, 0)] * 2
    assert point.cold.main_peak_mb == pytest.approx(sum(r.main_peak_mb for r in point.cold_runs) / 2)
    assert (point.rerun.mined, point.rerun.skipped) == (0, 3)
    assert (point.grown.mined, point.grown.skipped) == (2, 3)
