"""``parmine report OUT``: one self-contained HTML file for auditors.

The file (no scripts, fonts or styles from the network) holds:

- the findings grouped by kind, then by report, each with its explanation,
  the expected value and a link to where it stands;
- one section per report (``#doc-<doc_id>``): its metadata and its text
  with citations, dates and quantities highlighted and every finding
  marked (``#finding-<n>``) at the place it points to.
"""
from __future__ import annotations

import html
import os
from collections import defaultdict
from pathlib import Path

from ..corpus.document import Page
from ..extract.cleanup import clean
from .process import LAYOUT_FORMATS
from .store import Store

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;max-width:70em;color:#222}
h1,h2,h3{font-weight:600} table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:2px 6px}
.doc-text{white-space:pre-wrap;line-height:1.6;border:1px solid #ddd;padding:1em;background:#fcfcfc}
mark{padding:0 2px;border-radius:3px} mark.CITATION{background:#cfe3ff} mark.DATE{background:#ffe8b3}
mark.QUANTITY{background:#d6f5d6} .flag{background:#d33;color:#fff;font-size:80%;padding:0 4px;
border-radius:3px;text-decoration:none} .kind{margin-top:1.5em} .legend mark{margin-right:1em}
"""


def _document_text(store: Store, doc_id: str, fmt: str) -> str:
    pages = [Page(n, t or "", s) for n, s, t in store.query(
        "SELECT page, source, text FROM pages WHERE doc_id = ? ORDER BY page", [doc_id])[1]]
    return clean(pages, reflow_lines=fmt in LAYOUT_FORMATS).text


def _highlight(text: str, spans: list[tuple[int, int, str]], flags: list[tuple[int, int, str]]) -> str:
    """The text as HTML: non-overlapping highlights (earlier and longer win)
    and finding markers before the span they point to."""
    chosen, taken = [], []
    for s, e, label in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if 0 <= s < e <= len(text) and all(e <= a or s >= b for a, b in taken):
            chosen.append((s, e, label))
            taken.append((s, e))
    events: dict[int, list[str]] = defaultdict(list)
    for s, e, label in chosen:
        events[s].append(f'<mark class="{label}" title="{label}">')
        events[e].insert(0, "</mark>")
    for pos, _, marker in flags:
        pos = min(max(pos, 0), len(text))
        # a marker may not land inside a highlight: move it to the highlight's start
        for s, e, _ in chosen:
            if s < pos < e:
                pos = s
        events[pos].append(marker) if events[pos][:1] == ["</mark>"] else events[pos].insert(0, marker)
    out, last = [], 0
    for pos in sorted(events):
        out.append(html.escape(text[last:pos]))
        out.extend(events[pos])
        last = pos
    out.append(html.escape(text[last:]))
    return "".join(out)


def build_report(out: str | Path) -> str:
    """The HTML of the audit report for the dataset in ``out``."""
    with Store(out, lock=False, read_only=True) as store:
        docs = store.frame("SELECT doc_id, format, province, agency, report_type, period_kind, "
                           "period_year, period_index, issued_date FROM documents ORDER BY doc_id")
        findings = store.frame('SELECT kind, severity, id, doc_id, page, section, start, "end", '
                               "sentence, explanation, expected FROM audit ORDER BY kind, doc_id, start")
        findings = findings.astype(object).where(findings.notna(), None)
        parts = ["<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
                 "<title>parmine audit report</title><style>", STYLE, "</style></head><body>",
                 "<h1>parmine audit report</h1>",
                 f"<p>{len(docs)} reports, {len(findings)} findings.</p>",
                 "<p class='legend'><mark class='CITATION'>citation</mark><mark class='DATE'>date</mark>"
                 "<mark class='QUANTITY'>quantity</mark><span class='flag'>⚑ finding</span></p>",
                 "<nav><h2>Findings by kind</h2>"]
        numbered = list(findings.to_dict("records"))
        for n, f in enumerate(numbered):
            f["n"] = n
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for f in numbered:
            by_kind[f["kind"]].append(f)
        for kind, rows in by_kind.items():
            parts.append(f"<section class='kind' id='kind-{kind}'><h3>{html.escape(kind)} ({len(rows)})</h3><ul>")
            by_doc: dict[str, list[dict]] = defaultdict(list)
            for f in rows:
                by_doc[f["doc_id"]].append(f)
            for doc_id, fs in by_doc.items():
                parts.append(f"<li><a href='#doc-{html.escape(doc_id)}'>{html.escape(doc_id)}</a><ul>")
                for f in fs:
                    where = f" (page {int(f['page'])})" if f["page"] is not None else ""
                    parts.append(
                        f"<li class='finding' data-kind='{html.escape(kind)}'>"
                        f"<a href='#finding-{f['n']}'>{html.escape(str(f['id'] or 'figures'))}</a>{where}: "
                        f"{html.escape(f['explanation'] or '')}"
                        + (f" — expected <b>{html.escape(str(f['expected']))}</b>" if f["expected"] else "")
                        + "</li>")
                parts.append("</ul></li>")
            parts.append("</ul></section>")
        parts.append("</nav><h2>Reports</h2>")
        for d in docs.astype(object).where(docs.notna(), None).to_dict("records"):
            doc_id = d["doc_id"]
            text = _document_text(store, doc_id, d["format"])
            spans = [(int(s), int(e), "CITATION") for s, e in store.query(
                'SELECT start, "end" FROM citations WHERE doc_id = ?', [doc_id])[1]]
            spans += [(int(s), int(e), "DATE") for s, e in store.query(
                "SELECT start, \"end\" FROM dates WHERE doc_id = ? AND kind = 'date'", [doc_id])[1]]
            spans += [(int(s), int(e), "QUANTITY") for s, e in store.query(
                'SELECT start, "end" FROM quantities WHERE doc_id = ?', [doc_id])[1]]
            flags = []
            unplaced = []
            for f in numbered:
                if f["doc_id"] != doc_id:
                    continue
                marker = (f"<a class='flag' id='finding-{f['n']}' href='#kind-{html.escape(f['kind'])}' "
                          f"title='{html.escape(f['explanation'] or '', quote=True)}'>⚑ {html.escape(f['kind'])}</a>")
                if f["start"] is not None:
                    flags.append((int(f["start"]), int(f["end"] or f["start"]), marker))
                else:
                    unplaced.append(marker + " " + html.escape(f["explanation"] or ""))
            period = " ".join(str(x) for x in (d["period_kind"], d["period_index"], d["period_year"]) if x)
            parts.append(f"<section class='report' id='doc-{html.escape(doc_id)}'><h3>{html.escape(doc_id)}</h3>"
                         f"<p>{html.escape(str(d['province'] or '?'))} · {html.escape(str(d['agency'] or '?'))}"
                         f" · {html.escape(str(d['report_type']))} · {html.escape(period)}"
                         f" · issued {html.escape(str(d['issued_date'] or '?'))}</p>")
            if unplaced:
                parts.append("<ul>" + "".join(f"<li>{u}</li>" for u in unplaced) + "</ul>")
            parts.append(f"<div class='doc-text'>{_highlight(text, spans, flags)}</div></section>")
        parts.append("</body></html>")
    return "".join(parts)


def write_report(out: str | Path, path: str | Path | None = None) -> Path:
    """Write the report (default OUT/report.html) atomically; returns its path."""
    path = Path(path) if path else Path(out) / "report.html"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(build_report(out), encoding="utf-8")
    os.replace(tmp, path)
    return path
