"""Run the audit over everything in the store and write the audit table.

The checks themselves (:mod:`parmine.pipelines.audit`) work on records;
this module turns the stored rows back into records, one
:class:`~parmine.pipelines.audit.DocFacts` per report, so the audit always
covers the whole corpus in OUT — also the documents a resumed run skipped.
"""
from __future__ import annotations

from ..extract.records import Citation, DateMention, Indicator, Metadata, Period
from .audit import DocFacts, audit_corpus
from .store import Store


def _iso(v):
    return None if v is None else str(v)[:10]


def _rows(store: Store, sql: str):
    """The rows of a query as dicts (straight from DuckDB: no DataFrame)."""
    cur = store.con.execute(sql)
    names = [d[0] for d in cur.description]
    while batch := cur.fetchmany(10_000):
        for values in batch:
            yield dict(zip(names, values))


def _records(store: Store, table: str, make) -> dict[str, list]:
    """The rules' rows of a table as records (the audit prefers the rules)."""
    out: dict[str, list] = {}
    for row in _rows(store, f'SELECT * FROM "{table}" WHERE extractor <> \'ner\' ORDER BY doc_id, start'):
        out.setdefault(row["doc_id"], []).append(make(row))
    return out


def _citation(r: dict) -> Citation:
    return Citation(start=int(r["start"]), end=int(r["end"]), text=r["id"], id=r["id"],
                    doc_type=r["doc_type"], number=r["number"] or "",
                    year=int(r["year"]) if r["year"] is not None else None,
                    symbol=r["symbol"] or "", issuer_symbol=r["issuer_symbol"],
                    date=_iso(r["date"]), date_text=r["date_text"], issuer=r["issuer"],
                    subject=r["subject"], parenthetical=bool(r["parenthetical"]),
                    sentence=r["sentence"] or "")


def _indicator(r: dict) -> Indicator:
    def opt_int(k):
        return int(r[k]) if r[k] is not None else None
    return Indicator(indicator=r["indicator"], value=r["value"], field=r["field"],
                     procedure=r["procedure"], start=opt_int("start") if r["start"] is not None else -1,
                     end=opt_int("end") if r["end"] is not None else -1, sentence=r["sentence"] or "",
                     table=opt_int("table_no"), row=opt_int("row_no"), col=opt_int("col_no"),
                     group=r["grp"], role=r["role"] or "single")


def _date(r: dict) -> DateMention:
    return DateMention(start=int(r["start"]), end=int(r["end"]), text=r["text"], value=r["value"],
                       precision=r["precision"] or "day", valid=bool(r["valid"]),
                       role=r["role"] or "event", sentence=r["sentence"] or "")


def load_facts(store: Store) -> list[DocFacts]:
    """One DocFacts per stored report."""
    cits = _records(store, "citations", _citation)
    inds = _records(store, "indicators", _indicator)
    dates = {k: [d for d in v if d is not None] for k, v in _records(
        store, "dates", lambda r: _date(r) if r["kind"] == "date" else None).items()}
    facts = []
    for d in _rows(store, "SELECT * FROM documents ORDER BY doc_id"):
        period = None
        if d["period_kind"]:
            period = Period(start=-1, end=-1, text="", kind=d["period_kind"],
                            year=int(d["period_year"]) if d["period_year"] is not None else None,
                            index=int(d["period_index"]) if d["period_index"] is not None else None,
                            start_date=_iso(d["period_start"]), end_date=_iso(d["period_end"]))
        meta = Metadata(province=d["province"], unit_2025=d["unit_2025"], agency=d["agency"],
                        report_type=d["report_type"] or "other", period=period,
                        issued_date=d["issued_date"], doc_number=d["doc_number"],
                        signer=d["signer"], title=d["title"])
        facts.append(DocFacts(doc_id=d["doc_id"], province=d["province"],
                              citations=cits.get(d["doc_id"], []),
                              indicators=inds.get(d["doc_id"], []),
                              dates=dates.get(d["doc_id"], []), metadata=meta))
    return facts


def _pages(store: Store) -> dict[tuple[str, int], int]:
    """(doc_id, start) → page of every stored mention a finding can point at."""
    pages: dict[tuple[str, int], int] = {}
    for table in ("dates", "indicators", "citations"):  # citations win a tie
        pages.update(((d, s), p) for d, s, p in store.con.execute(
            f'SELECT doc_id, start, page FROM "{table}" WHERE start IS NOT NULL').fetchall())
    return pages


def run_audit(store: Store, registry: str | None = None) -> int:
    """Audit the whole store; returns the number of findings.  ``registry``
    is a CSV path, or "builtin" for the registry parmine ships."""
    from ..corpus.registry import load_registry

    reg = None
    if registry:
        reg = load_registry(None if registry == "builtin" else registry)
    findings = audit_corpus(load_facts(store), registry=reg)
    pages = _pages(store)
    rows = []
    for f in findings:
        page = f.page
        if page is None and f.start is not None and f.start >= 0:
            page = pages.get((f.doc_id, f.start))
        rows.append({"kind": f.kind, "severity": f.severity, "id": f.id, "doc_id": f.doc_id,
                     "page": page, "section": f.section,
                     "start": f.start if f.start is not None and f.start >= 0 else None,
                     "end": f.end if f.end is not None and f.end >= 0 else None,
                     "sentence": f.sentence, "explanation": f.explanation,
                     "expected": f.expected})
    store.replace_table("audit", rows)
    return len(rows)
