"""The ``parmine`` command.

    parmine --version
    parmine run INPUT... -o OUT [-j N] [--executor process|dask] [--scheduler URL]
                                [--timeout S] [--force] [--registry FILE.csv|none]... [--excel]
    parmine export OUT [--excel]
    parmine show FILE|FOLDER [--json]
    parmine query OUT "SQL" [--csv | --json | --wide]
    parmine citations OUT (--id ID | --top N)
    parmine report OUT [-o FILE.html]
    parmine train area|ner [-o PATH] [--seed N]
    parmine plot OUT --indicator NAME [--by province|unit|agency|period] [--period KIND]
                     [-o FILE] [--format png|svg]

Exit status, for every command: 0 ok; 1 a usage or environment problem
(bad arguments, an input that does not exist, no dataset in OUT, OUT in
use by another run); 2 some documents failed (their error rows say why);
128 + the signal (130, 143) when Ctrl-C or SIGTERM stopped a run.  No
command ends in a traceback: a failure is one line saying what to do
(:mod:`.failures`).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _table(names: list[str], rows: list[tuple], max_width: int | None = 60) -> str:
    """Rows as aligned text columns; cells cut at ``max_width`` (None: never)."""
    def cell(v) -> str:
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        s = "" if v is None else str(v).replace("\n", " ")
        return s if max_width is None or len(s) <= max_width else s[: max_width - 1] + "…"
    body = [[cell(v) for v in r] for r in rows]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths))
    sep = "  ".join("-" * w for w in widths)
    out = [line, sep] + ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in body]
    return "\n".join(out)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 1 (2 means "some documents failed")."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


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


def registries(given: list[str] | None) -> tuple[str, ...]:
    """The registry specs of ``--registry`` options: the files given, then
    the shipped registries unless one of them is "none".

    >>> registries(None), registries(["a.csv", "b.csv"]), registries(["none", "a.csv"]), registries(["none"])
    (('builtin',), ('a.csv', 'b.csv', 'builtin'), ('a.csv',), ())
    """
    given = given or []
    files = tuple(g for g in given if g not in ("none", "builtin"))
    return files if "none" in given else files + ("builtin",)


def cmd_run(a) -> int:
    import signal

    from ..corpus.registry import RegistryError, load_registry
    from .run import run

    missing = [i for i in a.inputs if not os.path.lexists(i)]
    if missing:  # before OUT is created: a typo must not leave an empty dataset behind
        for i in missing:
            print(f"parmine: {i}: no such file or folder", file=sys.stderr)
        return 1
    try:  # so is a registry that cannot be used (read once: run() finds it loaded)
        load_registry(registries(a.registry))
    except RegistryError as exc:
        print(f"parmine: registry {exc}", file=sys.stderr)
        return 1
    s = run(a.inputs, a.out, jobs=a.jobs, executor=a.executor, scheduler=a.scheduler,
            timeout=a.timeout, force=a.force, registry=registries(a.registry), statistical=a.statistical,
            segment=a.segment,
            excel=a.excel, progress=not a.quiet and sys.stderr.isatty() or a.progress,
            rebuild=a.rebuild)
    print(f"{s.documents} documents: {s.processed} mined, {s.skipped} unchanged (skipped), "
          f"{s.failed} failed; {s.pages} pages ({s.ocr_pages} OCR) in {s.seconds:.1f} s -> {a.out}")
    print(f"{a.out} holds {s.reports} reports ({s.copies} copies of them folded: same report, other file)")
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
        export_all(store, Path(a.out), excel=a.excel, full=True)
    print(f"exports rewritten in {a.out}" + (" (with parmine.xlsx)" if a.excel else ""))
    return 0


def _show_one(path: Path) -> dict:
    """What ``show`` tells of one file (raises ReadError)."""
    from ..corpus.ingest import read
    from .extraction import Options, extract_document
    from .vocabulary import period_label

    doc = read(path)
    ex = extract_document(doc, Options(disable=("parmine_quantities", "parmine_indicators")))
    meta, sections = ex.metadata, ex.sections
    p = meta.period
    period = None
    if p:
        period = (f"{p.start_date} – {p.end_date}" if p.kind == "range"
                  else period_label(p.kind, p.year, p.index))
    return {"file": str(path), "doc_id": doc.doc_id, "format": doc.format, "pages": len(doc.pages),
            "ocr_pages": list(doc.ocr_pages), "tables": len(doc.tables),
            "doc_kind": meta.doc_kind, "issuer": meta.issuer, "parent_body": meta.parent_body,
            "province": meta.province, "unit_2025": meta.unit_2025, "agency": meta.agency,
            "report_type": meta.report_type, "period": period,
            "period_detail": p.as_gold() if p else None, "issued_date": meta.issued_date,
            "doc_number": meta.doc_number, "place": meta.place, "signer": meta.signer,
            "signer_title": meta.signer_title, "recipients": list(meta.recipients or []),
            "title": meta.title, "warnings": list(doc.warnings), "_sections": sections}


SHOW_FIELDS = ("format", "pages", "ocr_pages", "tables", "doc_kind", "issuer", "parent_body", "province",
               "unit_2025", "agency", "report_type", "period", "place", "issued_date", "doc_number", "signer",
               "signer_title", "recipients", "title", "warnings")


def _shown(v) -> str:
    if v is None or v == []:
        return "—"
    return "; ".join(map(str, v)) if isinstance(v, list) else str(v)


def cmd_show(a) -> int:
    import json

    from ..corpus.document import ReadError
    from ..extract.sections import format_tree
    from .inputs import files_in
    from .vocabulary import counted

    target = Path(a.file)
    if not os.path.lexists(target):
        print(f"parmine: {target}: no such file or folder", file=sys.stderr)
        return 1
    files = list(files_in(target))
    shown, failed = [], []
    for path in files:
        try:
            shown.append(_show_one(path))
        except ReadError as exc:
            failed.append({"file": str(path), "stage": exc.stage, "reason": exc.reason})
        except Exception as exc:  # a reader bug: reported as a run reports it
            failed.append({"file": str(path), "stage": "read", "reason": f"{type(exc).__name__}: {exc}"})
    if a.json:
        rows = [{k: v for k, v in d.items() if k != "_sections"} |
                {"sections": [{"path": s.path, "kind": s.kind, "number": s.number, "title": s.title}
                              for s in d["_sections"]]} for d in shown]
        doc = rows[0] if target.is_file() and rows else {"documents": rows, "errors": failed}
        print(json.dumps(doc if not (target.is_file() and failed) else failed[0], ensure_ascii=False, indent=1))
    elif target.is_file() and shown:
        d = shown[0]
        print(d["doc_id"])
        print(_table(["field", "value"], [(k, _shown(d[k])) for k in SHOW_FIELDS], max_width=100))
        print()
        print(format_tree(d["_sections"]))
    elif shown:
        cols = ("file", "format", "pages", "province", "agency", "report_type", "period", "issued_date",
                "doc_number")
        print(_table(list(cols), [tuple(_shown(d[c]) for c in cols) for d in shown]))
        print(f"({counted(len(shown), 'document')}" + (f", {len(failed)} unreadable)" if failed else ")"))
    for f in failed:
        print(f"parmine: {f['file']}: [{f['stage']}] {f['reason']}", file=sys.stderr)
    if not files:
        print(f"parmine: no files in {target}", file=sys.stderr)
        return 1
    return 2 if failed else 0


def _jsonable(v):
    import datetime as dt
    import decimal

    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (dt.date, dt.datetime, dt.time, decimal.Decimal)):
        return str(v)
    return v


def cmd_query(a) -> int:
    import csv
    import json

    import duckdb

    from .csv_safe import safe_cell
    from .store import Store, is_damage
    from .vocabulary import counted

    with Store(a.out, lock=False, read_only=True) as store:
        try:
            names, rows = store.read_query(a.sql)
        except duckdb.Error as exc:
            if is_damage(exc):
                raise
            print(f"parmine: {exc}", file=sys.stderr)  # the user's SQL: DuckDB says where
            return 1
    if a.csv:
        w = csv.writer(sys.stdout)
        w.writerow(names)
        w.writerows([safe_cell(_jsonable(v)) for v in r] for r in rows)
    elif a.json:
        print(json.dumps([{n: _jsonable(v) for n, v in zip(names, r)} for r in rows], ensure_ascii=False,
                         indent=1))
    else:
        print(_table(names, rows, max_width=None if a.wide else 60))
        print(f"({counted(len(rows), 'row')})")
    return 0


def citation_key(cid: str) -> str:
    """A citation id for matching what a person types: the scorer's
    normalisation (NFC, one dash, no spaces, every Đ variant the same)
    plus Đ = D and case folded.

    >>> citation_key("61/2018/ND-CP") == citation_key(" 61/2018/nđ – CP") == citation_key("61/2018/NĐ-CP")
    True
    """
    import unicodedata

    s = unicodedata.normalize("NFC", cid)
    s = s.translate(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-"))
    s = s.translate(dict.fromkeys(map(ord, "Đđ\u00d0\u00f0\u0189"), "D"))
    return "".join(s.split()).casefold()


def _registry_entries(store, ids: list[str]) -> list[str]:
    """The registry entries the mentions of ``ids`` stand for, as lines."""
    marks = ", ".join("?" * len(ids))
    names, rows = store.query(
        "SELECT DISTINCT registry_id AS id, registry_type AS type, CAST(registry_date AS VARCHAR) AS date, "
        "registry_issuer AS issuer, registry_title AS title, registry_url AS link FROM citations "
        f"WHERE (id IN ({marks}) OR registry_id IN ({marks})) AND registry_id IS NOT NULL ORDER BY date",
        ids + ids)
    lines = []
    for row in rows:
        lines.append(f"{row[0]} in the registry:")
        lines += [f"  {n:<7}{v}" for n, v in zip(names[1:], row[1:]) if v]
    return lines or [f"{ids[0]}: not in the registry of the run (or cited without what tells it apart)"]


def cmd_citations(a) -> int:
    from rapidfuzz import process

    from .store import Store

    if not (Path(a.out) / "parmine.duckdb").exists():
        print(f"parmine: no dataset in {a.out}", file=sys.stderr)
        return 1
    with Store(a.out, lock=False, read_only=True) as store:
        if a.id:
            ids = [r[0] for r in store.query(
                "SELECT id FROM citations WHERE id IS NOT NULL UNION "
                "SELECT registry_id FROM citations WHERE registry_id IS NOT NULL")[1]]
            keys = {i: citation_key(i) for i in ids}
            wanted = [i for i in ids if keys[i] == citation_key(a.id)]
            if not wanted:
                near = process.extract(citation_key(a.id), keys, limit=5, score_cutoff=70)
                print(f"parmine: no citation of {a.id} in {a.out}" +
                      (f"; did you mean: {', '.join(m[2] for m in near)}?" if near else ""), file=sys.stderr)
                return 1
            print("\n".join(_registry_entries(store, wanted)) + "\n")
            marks = ", ".join("?" * len(wanted))
            names, rows = store.query(
                'SELECT id, doc_id, page, section, start, "end", CAST(date AS VARCHAR) AS date, '
                f"issuer, subject, sentence FROM citations WHERE id IN ({marks}) OR registry_id IN ({marks}) "
                "ORDER BY doc_id, start", wanted + wanted)
        else:
            names, rows = store.query(
                "SELECT id, any_value(doc_type) AS type, count(*) AS mentions, "
                "count(DISTINCT doc_id) AS reports, string_agg(DISTINCT CAST(date AS VARCHAR), ', ') AS dates, "
                "any_value(registry_title) AS title "
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
        print(plot_indicator(a.out, a.indicator, a.by, a.output, a.format, a.period))
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
    from .. import PIPELINE_VERSION, __version__
    from .wide import PERIOD_KINDS

    p = _Parser(prog="parmine", description="Mine Vietnamese administrative-reform reports.")
    p.add_argument("--version", action="version", version=f"parmine {__version__} (pipeline {PIPELINE_VERSION})")
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
    r.add_argument("--registry", action="append", metavar="FILE.csv|none",
                   help="check citations also against this registry of documents (CSV with id, date and "
                        "optionally type, issuer, title, status, source_url; other column names mapped as "
                        "FILE.csv:id=COLUMN,date=COLUMN); repeatable; 'none': not against the central "
                        "registry parmine ships (used by default)")
    r.add_argument("--segment", choices=("none", "numeric", "all"), default="none",
                   help="what underthesea's word segmentation runs on: nothing (default; the rules read the "
                        "raw text, so scores are the same), the clauses that state a count, or every line")
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

    s = sub.add_parser("show", help="a report's metadata and section tree (a folder: one line per file)")
    s.add_argument("file", metavar="FILE|FOLDER")
    s.add_argument("--json", action="store_true", help="as JSON, for programs")
    s.set_defaults(func=cmd_show)

    q = sub.add_parser("query", help="run SQL against the dataset")
    q.add_argument("out")
    q.add_argument("sql")
    fmt = q.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="CSV on stdout (header, every value whole)")
    fmt.add_argument("--json", action="store_true", help="a JSON array of objects")
    fmt.add_argument("--wide", action="store_true", help="the text table without cutting long values")
    q.set_defaults(func=cmd_query)

    c = sub.add_parser("citations", help="the citation index")
    c.add_argument("out")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--id", help="the registry's entry for this document id and every mention of it")
    g.add_argument("--top", type=_positive, help="the N most cited documents, with their titles in the registry")
    c.set_defaults(func=cmd_citations)
    rp = sub.add_parser("report", help="write the audit report as one self-contained HTML file")
    rp.add_argument("out")
    rp.add_argument("-o", "--output", help="the HTML file (default OUT/report.html)")
    rp.set_defaults(func=cmd_report)

    pl = sub.add_parser("plot", help="chart one indicator by province, post-2025 unit, agency or period")
    pl.add_argument("out")
    pl.add_argument("--indicator", required=True, help="e.g. dossiers.received, rate.on_time")
    pl.add_argument("--by", choices=("province", "unit", "agency", "period", "year"), default="province",
                    help="what the bars are (year: the same as period)")
    pl.add_argument("--period", choices=PERIOD_KINDS,
                    help="the kind of period plotted (default: the one most reports cover); "
                         "kinds are never added together")
    pl.add_argument("-o", "--output", help="the image file (default OUT/plot-INDICATOR-BY-PERIOD.FORMAT)")
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
