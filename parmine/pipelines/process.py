"""One document in, rows for every table out.

:func:`process_document` is the unit every executor maps over: a pure
function of one file (plus the OCR cache), picklable in and out, that never
raises — a file that cannot be read or mined gives one error row and no
other rows, so nothing partial reaches the store.
"""
from __future__ import annotations

import traceback
from dataclasses import replace
from pathlib import Path

from .. import PIPELINE_VERSION
from ..corpus.document import Document, ReadError
from ..corpus.gazetteer import Gazetteer
from ..corpus.ingest import read
from ..corpus.registry import load_registry
from ..extract.cleanup import CleanText
from ..extract.records import Citation, DateMention
from ..extract.sections import section_at
from . import rows as rowmap
from .audit_run import report_audit
from .copies import fingerprint
from .extraction import Extraction, extract_document
from .inputs import stamp
from .rows import numbered
from .schema import arrow_table
from .task import Options, Result, error_row, utc_now


def process_document(path: str, doc_id: str, options: Options | None = None,
                     source: str | None = None) -> Result:
    """Read, clean and mine one file; never raises.  ``source`` is what the
    rows record as the document's path (an archive member's
    ``ARCHIVE.zip!member``; default ``path``)."""
    import time

    options = options or Options()
    source = source or str(path)
    t0 = time.perf_counter()
    try:
        seen = stamp(path)  # before reading: a file changed while it is read is hashed again next run
    except OSError:
        seen = None  # (read says why it cannot be opened)
    try:
        doc = read(path, doc_id, ocr_cache=Path(options.ocr_cache) if options.ocr_cache else None)
    except ReadError as exc:
        return Result(doc_id, source, error=error_row(doc_id, source, exc.stage, exc.reason))
    except Exception as exc:  # a reader bug must not stop the batch
        return Result(doc_id, source, error=error_row(
            doc_id, source, "read", f"{type(exc).__name__}: {exc}"))
    doc.path = source
    try:
        rows = {table: arrow_table(table, r) for table, r in mine(doc, options).items()}
    except Exception as exc:
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return Result(doc_id, source, sha256=doc.sha256, error=error_row(
            doc_id, source, "extract", f"{type(exc).__name__}: {exc} ({tb})", doc.sha256))
    return Result(doc_id, source, sha256=doc.sha256, stamp=seen, rows=rows, pages=len(doc.pages),
                  ocr_pages=len(doc.ocr_pages), seconds=time.perf_counter() - t0)


class _Locator:
    """Page, section path and sentence for a character span of the text."""

    def __init__(self, text: CleanText, sections, sentences):
        self.text = text
        self.sections = sections
        self.sentences = sentences

    def __call__(self, start: int, end: int, sentence: str = "") -> dict:
        if start < 0:
            return {"page": None, "section": None, "start": None, "end": None,
                    "sentence": sentence or None}
        page, _ = self.text.locate(start)
        node = section_at(self.sections, start)
        return {"page": page, "section": node.path if node else None, "start": start,
                "end": end, "sentence": sentence or self.sentences.at(start, end)}


def _areas(text: str, sections, doc: Document) -> dict[str, str]:
    """Reform area of every body section: sections of the first two levels
    are classified from their title and the start of their body; deeper
    ones take their parent's area."""
    from ..models.area import predict_areas

    body = [s for s in sections if s.kind == "body"]
    top = [s for s in body if s.level <= 2]
    try:
        found = predict_areas([f"{s.title}\n{text[s.heading_end:s.heading_end + 200]}" for s in top])
    except (FileNotFoundError, OSError, ValueError) as exc:
        doc.warnings.append(f"no reform areas ({exc})")
        return {}
    areas = {s.path: a for s, a in zip(top, found)}
    for s in body:
        if s.path not in areas:
            parent = s.path
            while "." in parent and parent not in areas:
                parent = parent.rsplit(".", 1)[0]
            if parent in areas:
                areas[s.path] = areas[parent]
    return areas


def _add_statistical(ex: Extraction, doc_id: str, where, rows: dict[str, list[dict]]) -> None:
    """Spans the learned extractor finds and the rules do not: kept with
    ``extractor = "ner"`` (the pred files and the audit use the rules' rows)."""
    from ..extract.citations import find_citations
    from ..extract.dates import parse_date
    from ..extract.quantities import find_quantities

    ver = {"extractor": "ner", "version": PIPELINE_VERSION}
    taken = {"CITATION": rows["citations"], "DATE": rows["dates"], "QUANTITY": rows["quantities"]}
    for s, e, label in ex.statistical:
        table, span = taken[label], ex.text[s:e]
        if any(r["start"] is not None and r["start"] < e and s < r["end"] for r in table):
            continue  # the rules have it
        context = {"doc_id": doc_id, **where(s, e), **ver}
        if label == "CITATION":
            cit = next(iter(find_citations(span)), None) or Citation(
                0, len(span), span, "".join(span.split()), None, span.split("/")[0], None, "", None)
            table.append(rowmap.CITATIONS.row(_shift(cit, s), **context))
        elif label == "DATE":
            d = parse_date(span) or DateMention(0, len(span), span, None, "day", False)
            table.append(rowmap.DATES.row(_shift(d, s), **context))
        else:
            q = next(iter(find_quantities(span)), None)
            if q is not None:
                table.append(rowmap.QUANTITIES.row(_shift(q, s), **context))


def _shift(record, offset: int):
    """A record found in a span's text, moved to the span's place in the document."""
    return replace(record, start=record.start + offset, end=record.end + offset)


def _table_at(doc: Document, text: CleanText, table) -> int:
    """Where a table stood in the cleaned text (its page's start plus its
    offset in the page, which cleanup may shift by a few characters)."""
    if not doc.pages:
        return 0
    return text.page_starts[table.page - 1] + min(table.offset, len(doc.pages[table.page - 1].text))


def _cells(doc: Document, text: CleanText) -> list[dict]:
    """Every table cell of the document (rows for the ``cells`` table)."""
    rows = []
    for t, table in enumerate(doc.tables):
        at = _table_at(doc, text, table)
        for r, cells in enumerate(table.rows):
            for c, cell in enumerate(cells):
                rows.append({"doc_id": doc.doc_id, "page": table.page, "table_no": numbered(t),
                             "row_no": numbered(r), "col_no": numbered(c), "title": table.title,
                             "start": at, "text": cell})
    return rows


def mine(doc: Document, options: Options) -> dict[str, list[dict]]:
    """All rows of one read document."""
    ex = extract_document(doc, options)
    assert ex.clean is not None  # extract_document always keeps the page map
    text, sections, meta = ex.clean, ex.sections, ex.metadata
    where = _Locator(text, sections, ex.sentences)
    gaz = Gazetteer.default()
    ver = {"extractor": "rules", "version": PIPELINE_VERSION}
    period = meta.period

    documents = [rowmap.DOCUMENTS.row(
        meta, doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, format=doc.format,
        n_pages=len(doc.pages), ocr_pages=",".join(map(str, doc.ocr_pages)) or None,
        province_code=gaz.code(meta.province) if meta.province else None,
        warnings="; ".join(doc.warnings) or None, fingerprint=fingerprint(text.text),
        pipeline_version=PIPELINE_VERSION, processed_at=utc_now())]
    pages = [{"doc_id": doc.doc_id, "page": p.number, "source": p.source,
              "chars": len(p.text), "text": p.text} for p in doc.pages]
    cells = _cells(doc, text)
    areas = _areas(text.text, sections, doc)
    section_rows = [rowmap.SECTIONS.row(s, doc_id=doc.doc_id, page=text.locate(s.start)[0],
                                        area=areas.get(s.path) if s.kind == "body" else None)
                    for s in sections]

    def provenance(rec) -> dict:
        return {"doc_id": doc.doc_id, **where(rec.start, rec.end, rec.sentence), **ver}

    rows = {
        "citations": [rowmap.CITATIONS.row(c, **provenance(c)) for c in ex.citations],
        "dates": [rowmap.DATES.row(d, **provenance(d)) for d in ex.dates]
        + [rowmap.PERIODS.row(p, **provenance(p)) for p in ex.periods],
        "quantities": [rowmap.QUANTITIES.row(q, **provenance(q)) for q in ex.quantities],
    }
    indicators = []
    for ind in ex.indicators:
        loc = where(ind.start, ind.end, ind.sentence)
        if ind.table is not None and ind.table < len(doc.tables):
            table = doc.tables[ind.table]
            node = section_at(sections, _table_at(doc, text, table))
            loc.update(page=table.page, section=node.path if node else None)
        indicators.append(rowmap.INDICATORS.row(
            ind, doc_id=doc.doc_id, **loc, province=meta.province, unit_2025=meta.unit_2025,
            year=period.year if period else None, period_kind=period.kind if period else None,
            period_index=period.index if period else None, area=areas.get(loc["section"]),
            version=PIPELINE_VERSION))
    _add_statistical(ex, doc.doc_id, where, rows)
    out = {"documents": documents, "pages": pages, "cells": cells, "sections": section_rows, **rows,
           "indicators": indicators}
    out["audit"] = report_audit(out, load_registry(options.registry) if options.registry else None)
    return out
