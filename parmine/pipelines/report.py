"""``parmine report OUT``: one self-contained HTML file for auditors to triage.

The file (no scripts, fonts or styles from the network; one small inline
script for the filters) holds:

- the counts of findings per severity, and filters by severity and kind;
- the findings, errors first, then warnings, then info, each with its
  severity, its explanation in full, the expected value, its page, and a
  link to where it stands;
- one section per report (``#doc-<doc_id>``), named by province, agency
  and period: the documents it cites with their titles in the registry,
  linked to the registry's copy; its text with page markers (``#doc-<doc_id>-page-<n>``),
  citations, dates and quantities highlighted, each finding's span marked
  (``#finding-<n>``) with its flag and explanation next to it, and the
  report's tables where they stood, numbered as in the dataset and the
  audit (table, row and column from 1); the cells a table finding adds up
  are marked.
"""
from __future__ import annotations

import html
import os
from collections import defaultdict
from pathlib import Path

from ..corpus.document import Page
from ..extract.cleanup import clean
from .aggregate import report_labels
from .extraction import LAYOUT_FORMATS
from .store import Store

SEVERITIES = ("error", "warning", "info")

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;max-width:75em;color:#222}
h1,h2,h3{font-weight:600} table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:2px 6px;
vertical-align:top} .doc-text{white-space:pre-wrap;line-height:1.6;border:1px solid #ddd;padding:1em;
background:#fcfcfc} mark{padding:0 2px;border-radius:3px} mark.CITATION{background:#cfe3ff}
mark.DATE{background:#ffe8b3} mark.QUANTITY{background:#d6f5d6} .legend mark,.legend span{margin-right:1em}
.sev{font-size:80%;padding:0 5px;border-radius:3px;color:#fff;white-space:nowrap}
.sev.sev-error{background:#b00020} .sev.sev-warning{background:#c75b00} .sev.sev-info{background:#5a6b7b}
.flagged{outline:2px solid #c75b00;outline-offset:1px;border-radius:2px;scroll-margin-top:30vh}
.flagged.sev-error{outline-color:#b00020} .flagged.sev-info{outline-color:#5a6b7b}
.flagged:target{background:#fff3a0} .flag{font-size:80%;white-space:normal;margin:0 3px;padding:1px 5px;
border-radius:3px;border:1px solid #c75b00;background:#fff4ea;color:#222}
.flag.sev-error{border-color:#b00020;background:#ffecef} .flag.sev-info{border-color:#5a6b7b;background:#f1f4f6}
.page{display:block;margin:1em 0 .3em;color:#777;font-size:80%;border-top:1px dashed #bbb}
table.cells{font-size:85%;margin:.5em 0;white-space:normal;background:#fff} table.cells caption{text-align:left;
font-weight:600} table.cells th{background:#f3f3f3;color:#555} .part{background:#fff3c4}
.total{background:#ffd6d6;font-weight:600} #findings td{font-size:90%} .filters label{margin-right:1em}
.copy{color:#777} tr.hidden{display:none} table.cited{font-size:85%;margin:.5em 0}
table.cited caption{text-align:left;font-weight:600}
"""

FILTER_SCRIPT = """
function applyFilters(){
  var sev={}, kind=document.getElementById('kind-filter').value;
  document.querySelectorAll('input.sev-filter').forEach(function(b){sev[b.value]=b.checked;});
  document.querySelectorAll('#findings tr.finding').forEach(function(r){
    r.classList.toggle('hidden', !sev[r.dataset.severity] || (kind && r.dataset.kind!==kind));});
}
document.querySelectorAll('.filters input, .filters select').forEach(function(e){
  e.addEventListener('change', applyFilters);});
"""


def _document_text(store: Store, doc_id: str, fmt: str):
    pages = [Page(r["page"], r["text"], r["source"]) for r in store.pages([doc_id]).to_pylist()]
    return clean(pages, reflow_lines=fmt in LAYOUT_FORMATS)


Span = tuple[int, int, str, str]


def _nest(spans: list[Span]) -> tuple[list[Span], list[Span]]:
    """Split (start, end, open, close) spans into those that nest properly
    with each other (kept, earlier and longer first) and those that cross a
    kept one."""
    kept: list[Span] = []
    dropped: list[Span] = []
    stack: list[Span] = []
    for span in sorted(spans, key=lambda x: (x[0], -x[1])):
        s, e = span[0], span[1]
        while stack and stack[-1][1] <= s:
            stack.pop()
        if stack and e > stack[-1][1]:
            dropped.append(span)
            continue
        kept.append(span)
        stack.append(span)
    return kept, dropped


def render_text(text: str, highlights: list[tuple[int, int, str, str]],
                flagged: list[tuple[int, int, str, str]], points: list[tuple[int, str]]) -> str:
    """The text as HTML with well-nested elements: ``flagged`` spans (a
    finding's span) win over ``highlights`` that cross them; ``points``
    (page markers, tables, anchors of findings whose span could not be
    marked) are inserted at their offsets."""
    n = len(text)
    flagged = [(max(0, s), min(n, e), o, c) for s, e, o, c in flagged]
    highlights = [h for h in highlights if 0 <= h[0] < h[1] <= n]
    kept_flags, crossing = _nest([f for f in flagged if f[0] < f[1]])
    points = list(points) + [(s, o + c) for s, e, o, c in crossing + [f for f in flagged if f[0] >= f[1]]]
    highlights = [h for h in highlights if all(h[1] <= s or h[0] >= e or (s <= h[0] and h[1] <= e)
                                               or (h[0] <= s and e <= h[1]) for s, e, _, _ in kept_flags)]
    spans, _ = _nest(kept_flags + highlights)
    opens: dict[int, list] = defaultdict(list)
    closes: dict[int, list] = defaultdict(list)
    inserts: dict[int, list[str]] = defaultdict(list)
    for i, (s, e, o, c) in enumerate(spans):  # spans of one extent: the earlier one outside
        opens[s].append((-e, i, o))
        closes[e].append((-s, -i, c))
    for pos, h in points:
        inserts[min(max(pos, 0), n)].append(h)
    out, last = [], 0
    for pos in sorted(set(opens) | set(closes) | set(inserts)):
        out.append(html.escape(text[last:pos]))
        out.extend(c for *_, c in sorted(closes[pos]))   # innermost first
        out.extend(inserts[pos])
        out.extend(o for *_, o in sorted(opens[pos]))    # outermost first
        last = pos
    out.append(html.escape(text[last:]))
    return "".join(out)


def _esc(v) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _flag(f: dict) -> str:
    """A finding's flag with its explanation, shown next to what it flags."""
    expected = f" — expected <b>{_esc(f['expected'])}</b>" if f["expected"] else ""
    return (f"<span class='flag sev-{f['severity']}' data-finding='{f['n']}'>⚑ <b>{_esc(f['kind'])}</b> "
            f"({f['severity']}): {_esc(f['explanation'])}{expected}</span>")


def _table_html(doc_id: str, table_no: int, cells: list[tuple], marks: dict, findings: list[dict]) -> str:
    """One stored table, numbered as in the dataset; ``marks`` maps (row, col)
    to "part" or "total" for the cells a finding adds up."""
    page, title = cells[0][0], cells[0][1]
    n_rows = max(r for _, _, r, _, _ in cells)
    n_cols = max(c for _, _, _, c, _ in cells)
    grid = {(r, c): t for _, _, r, c, t in cells}
    parts = [f"<div class='table' id='doc-{_esc(doc_id)}-table-{table_no}'>"]
    for f in findings:
        parts.append(f"<div class='flagged sev-{f['severity']}' id='finding-{f['n']}'>{_flag(f)}</div>")
    parts.append(f"<table class='cells'><caption>Table {table_no} (page {page})"
                 + (f": {_esc(title)}" if title else "") + "</caption><tr><th></th>"
                 + "".join(f"<th>col {c}</th>" for c in range(1, n_cols + 1)) + "</tr>")
    for r in range(1, n_rows + 1):
        parts.append(f"<tr><th>row {r}</th>")
        for c in range(1, n_cols + 1):
            mark = marks.get((r, c))
            parts.append(f"<td class='{mark}'>" if mark else "<td>")
            parts.append(_esc(grid.get((r, c), "")) + "</td>")
        parts.append("</tr>")
    parts.append("</table></div>")
    return "".join(parts)


def _findings(store: Store) -> list[dict]:
    """Every finding, errors first, then warnings, then info; numbered in that order."""
    frame = store.frame('SELECT kind, severity, id, doc_id, page, section, start, "end", sentence, '
                        "explanation, expected, table_no, col_no FROM audit")
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows.sort(key=lambda f: (rank.get(f["severity"], len(SEVERITIES)), f["kind"], f["doc_id"],
                             f["start"] if f["start"] is not None else -1))
    for n, f in enumerate(rows):
        f["n"] = n
        for k in ("page", "start", "end", "table_no", "col_no"):
            f[k] = None if f[k] is None else int(f[k])
    return rows


def _header(docs, findings: list[dict]) -> list[str]:
    copies = int(docs["duplicate_of"].notna().sum())
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES}
    kinds = sorted({f["kind"] for f in findings})
    parts = [f"<p>{len(docs)} files: {len(docs) - copies} reports"
             + (f" ({copies} copies of them folded)" if copies else "") + f"; {len(findings)} findings: "
             + ", ".join(f"<span class='sev sev-{s}'>{counts[s]} {s}</span>" for s in SEVERITIES) + ".</p>",
             "<p class='legend'><mark class='CITATION'>citation</mark><mark class='DATE'>date</mark>"
             "<mark class='QUANTITY'>quantity</mark><span class='flagged sev-warning'>flagged span</span>"
             "<span class='flag sev-warning'>⚑ finding: explanation</span>"
             "<span>table cells: <span class='part'>part</span> / <span class='total'>total</span></span></p>",
             "<form class='filters'><b>Show:</b> "]
    parts += [f"<label><input type='checkbox' class='sev-filter' value='{s}' checked> {s} ({counts[s]})</label>"
              for s in SEVERITIES]
    parts.append("<label>kind <select id='kind-filter'><option value=''>all kinds</option>"
                 + "".join(f"<option value='{_esc(k)}'>{_esc(k)} ({sum(1 for f in findings if f['kind'] == k)})"
                           "</option>" for k in kinds) + "</select></label></form>")
    return parts


def _findings_table(findings: list[dict], labels: dict[str, str]) -> list[str]:
    parts = ["<h2>Findings</h2><table id='findings'><tr><th>severity</th><th>kind</th><th>report</th>"
             "<th>where</th><th>finding</th></tr>"]
    for f in findings:
        where = []
        if f["page"] is not None:
            where.append(f"<a href='#doc-{_esc(f['doc_id'])}-page-{f['page']}'>page {f['page']}</a>")
        if f["section"]:
            where.append(f"section {_esc(f['section'])}")
        if f["table_no"] is not None:
            where.append(f"table {f['table_no']}, column {f['col_no']}")
        what = _esc(f["id"]) if f["id"] else ("table" if f["table_no"] is not None else "figures")
        expected = f" — expected <b>{_esc(f['expected'])}</b>" if f["expected"] else ""
        parts.append(
            f"<tr class='finding' data-severity='{_esc(f['severity'])}' data-kind='{_esc(f['kind'])}'>"
            f"<td><span class='sev sev-{_esc(f['severity'])}'>{_esc(f['severity'])}</span></td>"
            f"<td>{_esc(f['kind'])}</td>"
            f"<td><a href='#doc-{_esc(f['doc_id'])}'>{_esc(labels.get(f['doc_id'], f['doc_id']))}</a></td>"
            f"<td>{', '.join(where)}</td>"
            f"<td><a class='goto' href='#finding-{f['n']}'>{what}</a>: {_esc(f['explanation'])}{expected}</td></tr>")
    parts.append("</table>")
    return parts


def _report_section(store: Store, d: dict, label: str, findings: list[dict]) -> list[str]:
    doc_id = d["doc_id"]
    text = _document_text(store, doc_id, d["format"])
    highlights = [(int(s), int(e), f"<mark class='CITATION' title='{_esc(rid)}: {_esc(title)}'>"
                   if rid else "<mark class='CITATION'>", "</mark>")
                  for s, e, rid, title in store.query(
                      'SELECT start, "end", registry_id, registry_title FROM citations '
                      "WHERE doc_id = ? AND start IS NOT NULL", [doc_id])[1]]
    for table, label_, where in (("dates", "DATE", " AND kind = 'date'"), ("quantities", "QUANTITY", "")):
        highlights += [(int(s), int(e), f"<mark class='{label_}'>", "</mark>") for s, e in store.query(
            f'SELECT start, "end" FROM "{table}" WHERE doc_id = ? AND start IS NOT NULL{where}', [doc_id])[1]]
    flagged, unplaced = [], []
    by_table: dict[int, list[dict]] = defaultdict(list)
    for f in findings:
        if f["table_no"] is not None:
            by_table[f["table_no"]].append(f)
        elif f["start"] is not None:
            flagged.append((f["start"], f["end"] if f["end"] is not None else f["start"],
                            f"<span class='flagged sev-{f['severity']}' id='finding-{f['n']}'>", "</span>" + _flag(f)))
        else:
            unplaced.append(f)
    points = [(start, f"<span class='page' id='doc-{_esc(doc_id)}-page-{i + 1}'>— page {i + 1} —</span>")
              for i, start in enumerate(text.page_starts)]
    cells: dict[int, list[tuple]] = defaultdict(list)
    for table_no, page, title, at, r, c, t in store.query(
            "SELECT table_no, page, title, start, row_no, col_no, text FROM cells WHERE doc_id = ? "
            "ORDER BY table_no, row_no, col_no", [doc_id])[1]:
        cells[table_no].append((at, page, title, r, c, t))
    for table_no, rows in cells.items():
        marks = {}
        for f in by_table.get(table_no, []):
            for r, role in store.query("SELECT row_no, role FROM indicators WHERE doc_id = ? AND table_no = ? "
                                       "AND col_no = ? AND role IN ('part', 'total')",
                                       [doc_id, table_no, f["col_no"]])[1]:
                marks[(r, f["col_no"])] = role
        points.append((rows[0][0], _table_html(doc_id, table_no, [x[1:] for x in rows], marks,
                                               by_table.get(table_no, []))))
    for table_no in set(by_table) - set(cells):  # a table finding whose table was not stored
        unplaced.extend(by_table[table_no])
    copy = (f"<p class='copy'>A copy of <a href='#doc-{_esc(d['duplicate_of'])}'>{_esc(d['duplicate_of'])}</a> "
            "(the same report in another file): left out of every aggregate.</p>") if d["duplicate_of"] else ""
    parts = [f"<section class='report' id='doc-{_esc(doc_id)}'><h3>{_esc(label)}</h3>"
             f"<p>{_esc(doc_id)} · {_esc(d['format'])} · {_esc(d['report_type'])} · issued "
             f"{_esc(d['issued_date'] or '?')}" + (f" · no. {_esc(d['doc_number'])}" if d["doc_number"] else "")
             + "</p>", copy]
    parts += _cited_documents(store, doc_id)
    if unplaced:
        parts.append("<ul>" + "".join(f"<li class='flagged sev-{f['severity']}' id='finding-{f['n']}'>{_flag(f)}</li>"
                                      for f in unplaced) + "</ul>")
    parts.append(f"<div class='doc-text'>{render_text(text.text, highlights, flagged, points)}</div></section>")
    return parts


def _cited_documents(store: Store, doc_id: str) -> list[str]:
    """The documents a report cites, each with its title in the registry
    linked to the registry's copy."""
    rows = store.query(
        "SELECT id, count(*), any_value(registry_id), any_value(registry_type), "
        "CAST(any_value(registry_date) AS VARCHAR), any_value(registry_title), any_value(registry_url) "
        "FROM citations WHERE doc_id = ? AND extractor <> 'ner' GROUP BY id ORDER BY min(start)", [doc_id])[1]
    if not rows:
        return []
    parts = [f"<table class='cited'><caption>Cited documents ({len(rows)}, "
             f"{sum(1 for r in rows if r[2])} found in the registry)</caption>"
             "<tr><th>document</th><th>mentions</th><th>in the registry</th></tr>"]
    for cid, n, rid, kind, date, title, url in rows:
        entry = ""
        if rid:
            text = " ".join(x for x in (kind, rid) if x) + (f" of {date}" if date else "") \
                + (f": {title}" if title else "")
            entry = f"<a href='{_esc(url)}'>{_esc(text)}</a>" if url else _esc(text)
        parts.append(f"<tr><td>{_esc(cid)}</td><td>{n}</td><td>{entry}</td></tr>")
    parts.append("</table>")
    return parts


def build_report(out: str | Path) -> str:
    """The HTML of the audit report for the dataset in ``out``."""
    with Store(out, lock=False, read_only=True) as store:
        docs = store.frame("SELECT doc_id, format, province, agency, report_type, period_kind, "
                           "period_year AS year, period_index, issued_date, doc_number, duplicate_of "
                           "FROM documents ORDER BY province, period_year, period_index, doc_id")
        labels = dict(zip(docs["doc_id"], report_labels(docs)))
        findings = _findings(store)
        parts = ["<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
                 "<title>parmine audit report</title><style>", STYLE, "</style></head><body>",
                 "<h1>parmine audit report</h1>"]
        parts += _header(docs, findings)
        parts += _findings_table(findings, labels)
        parts.append("<h2>Reports</h2>")
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for f in findings:
            by_doc[f["doc_id"]].append(f)
        for d in docs.astype(object).where(docs.notna(), None).to_dict("records"):
            parts += _report_section(store, d, labels[d["doc_id"]], by_doc.get(d["doc_id"], []))
        parts.append(f"<script>{FILTER_SCRIPT}</script></body></html>")
    return "".join(parts)


def write_report(out: str | Path, path: str | Path | None = None) -> Path:
    """Write the report (default OUT/report.html) atomically; returns its path."""
    path = Path(path) if path else Path(out) / "report.html"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(build_report(out), encoding="utf-8")
    os.replace(tmp, path)
    return path
