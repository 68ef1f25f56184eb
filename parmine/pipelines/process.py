"""One document in, rows for every table out.

:func:`process_document` is the unit every executor maps over: a pure
function of one file (plus the OCR cache), picklable in and out, that never
raises — a file that cannot be read or mined gives one error row and no
other rows, so nothing partial reaches the store.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .. import PIPELINE_VERSION
from ..corpus.document import Document, ReadError
from ..corpus.gazetteer import Gazetteer
from ..corpus.ingest import read
from ..extract.cleanup import CleanText, clean
from ..extract.nlp import build_nlp
from ..extract.normalize import sentence_at
from ..extract.sections import section_at
from .schema import arrow_table


# formats whose text comes line by line from a page layout (PDF, OCR)
LAYOUT_FORMATS = ("pdf", "scan-pdf", "image")


@dataclass
class Options:
    """What a worker needs to know besides the file."""

    ocr_cache: Optional[str] = None
    disable: tuple[str, ...] = ()
    statistical: bool = False  # also run the learned extractor (models.ner)


@dataclass
class Result:
    """The rows of one document (``rows[table]``, Arrow tables in the
    store's schema), or its ``error`` row."""

    doc_id: str
    path: str
    sha256: Optional[str] = None
    rows: dict = field(default_factory=dict)
    error: Optional[dict] = None
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def error_row(doc_id: str, path: str, stage: str, reason: str, sha256: str | None = None) -> dict:
    return {"doc_id": doc_id, "path": path, "sha256": sha256, "stage": stage,
            "reason": reason, "at": _now()}


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
    return Result(doc_id, source, sha256=doc.sha256, rows=rows, pages=len(doc.pages),
                  ocr_pages=len(doc.ocr_pages), seconds=time.perf_counter() - t0)


class _Locator:
    """Page, section path and sentence for a character span of the text."""

    def __init__(self, text: CleanText, sections):
        self.text = text
        self.sections = sections

    def __call__(self, start: int, end: int, sentence: str = "") -> dict:
        if start < 0:
            return {"page": None, "section": None, "start": None, "end": None,
                    "sentence": sentence or None}
        page, _ = self.text.locate(start)
        node = section_at(self.sections, start)
        return {"page": page, "section": node.path if node else None, "start": start,
                "end": end, "sentence": sentence or sentence_at(self.text.text, start, end)}


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


def _add_statistical(sdoc, doc_id: str, where, citations, dates, quantities) -> None:
    """Spans the learned extractor finds and the rules do not: kept with
    ``extractor = "ner"`` (the pred files and the audit use the rules' rows)."""
    from ..extract.dates import parse_date
    from ..extract.quantities import find_quantities

    ver = {"extractor": "ner", "version": PIPELINE_VERSION}
    taken = {"CITATION": citations, "DATE": dates, "QUANTITY": quantities}
    for span in sdoc.spans.get("statistical", []):
        rows = taken[span.label_]
        s, e = span.start_char, span.end_char
        if any(r["start"] is not None and r["start"] < e and s < r["end"] for r in rows):
            continue  # the rules have it
        loc = where(s, e)
        if span.label_ == "CITATION":
            rows.append({"doc_id": doc_id, **loc, "id": "".join(span.text.split()), "doc_type": None,
                         "number": span.text.split("/")[0], "year": None, "symbol": None,
                         "issuer_symbol": None, "date": None, "date_text": None, "issuer": None,
                         "subject": None, "parenthetical": False, **ver})
        elif span.label_ == "DATE":
            d = parse_date(span.text)
            rows.append({"doc_id": doc_id, **loc, "text": span.text, "kind": "date",
                         "value": d.value if d else None, "end_value": None,
                         "precision": d.precision if d else None, "valid": bool(d and d.valid),
                         "role": "event", **ver})
        else:
            q = next(iter(find_quantities(span.text)), None)
            rows.append({"doc_id": doc_id, **loc, "text": span.text, "value": q.value if q else None,
                         "kind": q.kind if q else None, "denominator": q.denominator if q else None,
                         "noun": q.noun if q else None, **ver})


def _forget_previous_document() -> None:
    """Empty the extractors' memo caches, so each document is mined from
    scratch (they are there for the repeats inside one document; across
    documents they would make copies of one report look faster)."""
    from ..extract.dates import forget_dates
    from ..extract.normalize import fold

    fold.cache_clear()
    forget_dates()


def mine(doc: Document, options: Options) -> dict[str, list[dict]]:
    """All rows of one read document."""
    _forget_previous_document()
    text = clean(doc.pages, reflow_lines=doc.format in LAYOUT_FORMATS)
    nlp = build_nlp(tuple(options.disable), statistical=options.statistical)
    sdoc = nlp.make_doc(text.text)
    sdoc.user_data["tables"] = doc.tables
    for _, proc in nlp.pipeline:
        sdoc = proc(sdoc)
    sections = sdoc._.sections or []
    meta = sdoc._.metadata
    where = _Locator(text, sections)
    gaz = Gazetteer.default()
    ver = {"extractor": "rules", "version": PIPELINE_VERSION}
    period = meta.period if meta else None

    documents = [{
        "doc_id": doc.doc_id, "path": doc.path, "sha256": doc.sha256, "format": doc.format,
        "n_pages": len(doc.pages), "ocr_pages": ",".join(map(str, doc.ocr_pages)) or None,
        "province": meta.province if meta else None,
        "province_code": gaz.code(meta.province) if meta and meta.province else None,
        "unit_2025": meta.unit_2025 if meta else None,
        "agency": meta.agency if meta else None,
        "report_type": meta.report_type if meta else None,
        "period_kind": period.kind if period else None,
        "period_year": period.year if period else None,
        "period_index": period.index if period else None,
        "period_start": period.start_date if period else None,
        "period_end": period.end_date if period else None,
        "issued_date": meta.issued_date if meta else None,
        "doc_number": meta.doc_number if meta else None,
        "signer": meta.signer if meta else None,
        "recipients": "; ".join(meta.recipients) if meta and meta.recipients else None,
        "title": meta.title if meta else None,
        "warnings": "; ".join(doc.warnings) or None,
        "pipeline_version": PIPELINE_VERSION, "processed_at": _now(),
    }]
    pages = [{"doc_id": doc.doc_id, "page": p.number, "source": p.source,
              "chars": len(p.text), "text": p.text} for p in doc.pages]
    areas = _areas(text.text, sections, doc)
    section_rows = [{
        "doc_id": doc.doc_id, "kind": s.kind, "number": s.number, "title": s.title,
        "level": s.level, "path": s.path, "page": text.locate(s.start)[0],
        "start": s.start, "end": s.end, "area": areas.get(s.path) if s.kind == "body" else None}
        for s in sections]

    citations = []
    for span in sdoc.spans.get("citations", []):
        c = span._.record
        citations.append({"doc_id": doc.doc_id, **where(c.start, c.end, c.sentence),
                          "id": c.id, "doc_type": c.doc_type, "number": c.number,
                          "year": c.year, "symbol": c.symbol, "issuer_symbol": c.issuer_symbol,
                          "date": c.date, "date_text": c.date_text, "issuer": c.issuer,
                          "subject": c.subject, "parenthetical": c.parenthetical, **ver})
    dates = []
    for span in sdoc.spans.get("dates", []):
        d = span._.record
        dates.append({"doc_id": doc.doc_id, **where(d.start, d.end, d.sentence),
                      "text": d.text, "kind": "date", "value": d.value, "end_value": None,
                      "precision": d.precision, "valid": d.valid, "role": d.role, **ver})
    for span in sdoc.spans.get("periods", []):
        p = span._.record
        value = p.start_date or (str(p.year) if p.year else None)
        end_value = p.end_date or (str(p.end_year) if p.end_year else None)
        dates.append({"doc_id": doc.doc_id, **where(p.start, p.end, p.sentence),
                      "text": p.text, "kind": p.kind, "value": value, "end_value": end_value,
                      "precision": None, "valid": True, "role": "period", **ver})
    quantities = []
    for span in sdoc.spans.get("quantities", []):
        q = span._.record
        quantities.append({"doc_id": doc.doc_id, **where(q.start, q.end, q.sentence),
                           "text": q.text, "value": q.value, "kind": q.kind,
                           "denominator": q.denominator, "noun": q.noun, **ver})
    indicators = []
    for ind in sdoc._.indicators or []:
        loc = where(ind.start, ind.end, ind.sentence)
        if ind.table is not None and ind.table < len(doc.tables):
            table = doc.tables[ind.table]
            page_text_offset = text.page_starts[table.page - 1] + min(
                table.offset, len(doc.pages[table.page - 1].text)) if doc.pages else 0
            node = section_at(sections, page_text_offset)
            loc.update(page=table.page, section=node.path if node else None)
        indicators.append({
            "doc_id": doc.doc_id, **loc,
            "province": meta.province if meta else None,
            "unit_2025": meta.unit_2025 if meta else None,
            "year": period.year if period else None,
            "period_kind": period.kind if period else None,
            "period_index": period.index if period else None,
            "indicator": ind.indicator, "value": ind.value, "field": ind.field,
            "procedure": ind.procedure, "table_no": ind.table, "row_no": ind.row,
            "col_no": ind.col, "grp": ind.group, "role": ind.role,
            "area": areas.get(loc["section"]),
            "extractor": ind.source if ind.source != "rule" else "rules",
            "version": PIPELINE_VERSION})
    _add_statistical(sdoc, doc.doc_id, where, citations, dates, quantities)
    return {"documents": documents, "pages": pages, "sections": section_rows,
            "citations": citations, "dates": dates, "quantities": quantities,
            "indicators": indicators}
