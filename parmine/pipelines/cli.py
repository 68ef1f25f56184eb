"""The ``parmine`` command.

    parmine run INPUT... -o OUT [-j N] [--executor process|dask] [--scheduler URL]
                                [--timeout S] [--force] [--registry FILE.csv] [--excel]
    parmine export OUT [--excel]
    parmine show FILE
    parmine query OUT "SQL"
    parmine citations OUT (--id ID | --top N)
    parmine report OUT [-o FILE.html]
    parmine train area|ner [-o PATH] [--seed N]
    parmine plot OUT --indicator NAME [--by province|unit|year] [-o FILE] [--format png|svg]

``run`` exits 0 when every document was mined, 2 when some failed (their
error rows say why), 1 on a usage or set-up problem, 128 + the signal
(130, 143) when Ctrl-C or SIGTERM stopped it.  No command ends in a
traceback: a failure is one line saying what to do (:mod:`.failures`).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _table(names: list[str], rows: list[tuple], max_width: int = 60) -> str:
    def cell(v) -> str:
        s = "" if v is None else str(v).replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"
    body = [[cell(v) for v in r] for r in rows]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths))
    sep = "  ".join("-" * w for w in widths)
    out = [line, sep] + ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in body]
    return "\n".join(out)


def _terminate(signum, frame):
    raise KeyboardInterrupt(signum)


def _positive(value: str) -> int:
    """An argparse type: a whole number above zero."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number above 0, not {value!r}")
    return n


def _output_folder(path: str | None) -> str | None:
    """Why ``path`` cannot be written (its folder is missing), or None."""
    if path and not Path(path).absolute().parent.is_dir():
        return f"the folder {Path(path).absolute().parent} does not exist: create it first"
    return None


def cmd_run(a) -> int:
    import signal

    from .run import run

    # SIGTERM stops a run like Ctrl-C: the results in hand are committed first
    signal.signal(signal.SIGTERM, _terminate)
    s = run(a.inputs, a.out, jobs=a.jobs, executor=a.executor, scheduler=a.scheduler,
            timeout=a.timeout, force=a.force, registry=a.registry, statistical=a.statistical,
            excel=a.excel, progress=not a.quiet and sys.stderr.isatty() or a.progress,
            rebuild=a.rebuild)
    print(f"{s.documents} documents: {s.processed} mined, {s.skipped} unchanged (skipped), "
          f"{s.failed} failed; {s.pages} pages ({s.ocr_pages} OCR) in {s.seconds:.1f} s -> {a.out}")
    for w in s.warnings:
        print(f"  warning: {w}")
    for e in s.errors:
        print(f"  error: {e['path']}: [{e['stage']}] {e['reason']}")
    if s.interrupted:
        print(f"parmine: stopped by {signal.Signals(s.interrupted).name} before the end (what was "
              "mined is stored): run the same command again to resume", file=sys.stderr)
        return 128 + s.interrupted
    return 2 if s.failed else 0


def cmd_export(a) -> int:
    from .export import export_all
    from .store import Store

    if not (Path(a.out) / "parmine.duckdb").exists():
        print(f"parmine: no dataset in {a.out}", file=sys.stderr)
        return 1
    with Store(a.out) as store:
        export_all(store, Path(a.out), excel=a.excel)
    print(f"exports rewritten in {a.out}" + (" (with parmine.xlsx)" if a.excel else ""))
    return 0


def cmd_show(a) -> int:
    from ..corpus.document import ReadError
    from ..corpus.ingest import read
    from ..extract.cleanup import clean
    from ..extract.metadata import extract_metadata
    from ..extract.sections import format_tree, parse_sections
    from .process import LAYOUT_FORMATS

    try:
        doc = read(a.file)
    except ReadError as exc:
        print(f"parmine: {a.file}: [{exc.stage}] {exc.reason}", file=sys.stderr)
        return 2
    except Exception as exc:  # a reader bug: reported as a run reports it
        print(f"parmine: {a.file}: [read] {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    text = clean(doc.pages, reflow_lines=doc.format in LAYOUT_FORMATS).text
    sections = parse_sections(text)
    meta = extract_metadata(text, sections)
    print(f"{doc.doc_id}  ({doc.format}, {len(doc.pages)} pages"
          + (f", OCR pages {doc.ocr_pages}" if doc.ocr_pages else "") + f", {len(doc.tables)} tables)")
    for key, value in meta.as_gold().items():
        print(f"  {key:<12} {value}")
    print(f"  {'unit_2025':<12} {meta.unit_2025}")
    if meta.recipients:
        print(f"  {'recipients':<12} {'; '.join(meta.recipients)}")
    for w in doc.warnings:
        print(f"  warning: {w}")
    print()
    print(format_tree(sections))
    return 0


def cmd_query(a) -> int:
    import duckdb

    from .store import Store, is_damage

    with Store(a.out, lock=False, read_only=True) as store:
        try:
            names, rows = store.read_query(a.sql)
        except duckdb.Error as exc:
            if is_damage(exc):
                raise
            print(f"parmine: {exc}", file=sys.stderr)  # the user's SQL: DuckDB says where
            return 1
    print(_table(names, rows))
    print(f"({len(rows)} rows)")
    return 0


def cmd_citations(a) -> int:
    from .store import Store

    with Store(a.out, lock=False, read_only=True) as store:
        if a.id:
            names, rows = store.query(
                'SELECT id, doc_id, page, section, start, "end", CAST(date AS VARCHAR) AS date, '
                "issuer, subject, sentence FROM citations "
                "WHERE replace(id, ' ', '') = replace(?, ' ', '') ORDER BY doc_id, start", [a.id])
        else:
            names, rows = store.query(
                "SELECT id, any_value(doc_type) AS type, count(*) AS mentions, "
                "count(DISTINCT doc_id) AS reports, string_agg(DISTINCT CAST(date AS VARCHAR), ', ') AS dates "
                "FROM citations GROUP BY id ORDER BY mentions DESC, reports DESC, id LIMIT ?", [a.top])
    print(_table(names, rows))
    return 0


def cmd_report(a) -> int:
    from .report import write_report

    if not (Path(a.out) / "parmine.duckdb").exists():
        print(f"parmine: no dataset in {a.out}", file=sys.stderr)
        return 1
    if problem := _output_folder(a.output):
        print(f"parmine: {problem}", file=sys.stderr)
        return 1
    print(write_report(a.out, a.output))
    return 0


def cmd_plot(a) -> int:
    from .plot import plot_indicator

    try:
        print(plot_indicator(a.out, a.indicator, a.by, a.output, a.format))
    except ValueError as exc:
        print(f"parmine: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_train(a) -> int:
    import json

    from ..models.train import train_area, train_ner

    if a.model == "area":
        metrics = train_area(a.output, seed=a.seed)
        print(metrics.pop("per_class"))
    else:
        metrics = train_ner(a.output, seed=a.seed)
    print(json.dumps(metrics, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="parmine", description="Mine Vietnamese administrative-reform reports.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="mine files, folders and .zip archives into a dataset")
    r.add_argument("inputs", nargs="+", metavar="INPUT")
    r.add_argument("-o", "--out", required=True, help="output folder (DuckDB store and exports)")
    r.add_argument("-j", "--jobs", type=int, default=os.cpu_count(), help="worker processes (default: cores)")
    r.add_argument("--executor", choices=("process", "dask"), default="process")
    r.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)")
    r.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per document (default 120)")
    r.add_argument("--force", action="store_true", help="reprocess documents that are already stored")
    r.add_argument("--rebuild", action="store_true",
                   help="set the store aside (kept as parmine.duckdb.<time>.old) and mine every input afresh")
    r.add_argument("--registry", help="CSV of known documents (id,type,date,issuer,title) to check citations against, "
                        "or 'builtin' for the registry parmine ships")
    r.add_argument("--statistical", action="store_true",
                   help="also run the learned extractor; its extra spans are kept with extractor 'ner'")
    r.add_argument("--excel", action="store_true", help="also write the Excel workbook parmine.xlsx")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--progress", action="store_true", help="progress bar even when not on a terminal")
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("export", help="rewrite the exports from the store (no reprocessing)")
    e.add_argument("out")
    e.add_argument("--excel", action="store_true", help="also write the Excel workbook parmine.xlsx")
    e.set_defaults(func=cmd_export)

    s = sub.add_parser("show", help="print a report's metadata and section tree")
    s.add_argument("file")
    s.set_defaults(func=cmd_show)

    q = sub.add_parser("query", help="run SQL against the dataset")
    q.add_argument("out")
    q.add_argument("sql")
    q.set_defaults(func=cmd_query)

    c = sub.add_parser("citations", help="the citation index")
    c.add_argument("out")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--id", help="every mention of this document id")
    g.add_argument("--top", type=_positive, help="the N most cited documents")
    c.set_defaults(func=cmd_citations)
    rp = sub.add_parser("report", help="write the audit report as one self-contained HTML file")
    rp.add_argument("out")
    rp.add_argument("-o", "--output", help="the HTML file (default OUT/report.html)")
    rp.set_defaults(func=cmd_report)

    pl = sub.add_parser("plot", help="chart one indicator by province, post-2025 unit or year")
    pl.add_argument("out")
    pl.add_argument("--indicator", required=True, help="e.g. dossiers.received, rate.on_time")
    pl.add_argument("--by", choices=("province", "unit", "year"), default="province")
    pl.add_argument("-o", "--output", help="the image file (default OUT/plot-INDICATOR-BY.FORMAT)")
    pl.add_argument("--format", choices=("png", "svg"), default="png")
    pl.set_defaults(func=cmd_plot)

    tr = sub.add_parser("train", help="rebuild a shipped model with fixed seeds")
    tr.add_argument("model", choices=("area", "ner"))
    tr.add_argument("-o", "--output", help="where to write the artifact (default: the shipped one)")
    tr.add_argument("--seed", type=int, default=0)
    tr.set_defaults(func=cmd_train)
    return p


def main(argv: list[str] | None = None) -> int:
    from .failures import debugging, explain

    args = build_parser().parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:  # `parmine show X | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("parmine: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debugging():
            raise
        print(f"parmine: {explain(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
