"""Run the audit over everything in the store and write the audit table.

The checks themselves (:mod:`parmine.audit.checks`) work on records;
this module turns the stored rows back into records, one
:class:`~parmine.audit.checks.DocFacts` per report, so the audit always
covers the whole corpus in OUT — also the documents a resumed run skipped.
"""
from __future__ import annotations

import itertools
from collections import Counter
from typing import Iterator

from ..audit.checks import DocFacts, Finding, audit_corpus
from ..audit.registry import RegistryCheck, Resolved
from ..corpus.registry import Registry, RegistryEntry
from ..extract.records import Citation, DateMention, Indicator, Metadata, Period
from .rows import REGISTRY_COLUMNS
from .store import Store, fetch_batches


def _iso(v):
    return None if v is None else str(v)[:10]


def _rows(cur):
    """The rows of an executed cursor as dicts (straight from DuckDB)."""
    names = [d[0] for d in cur.description]
    for batch in fetch_batches(cur):
        for values in batch:
            yield dict(zip(names, values))


def _by_document(store: Store, table: str, make):
    """(doc_id, records) per document, in doc_id order, streamed on a cursor
    of its own (the rules' rows: the audit prefers the rules)."""
    cur = store.con.cursor()
    cur.execute(f'SELECT * FROM "{table}" WHERE extractor <> \'ner\' ORDER BY doc_id, start')
    for doc_id, rows in itertools.groupby(_rows(cur), key=lambda r: r["doc_id"]):
        yield doc_id, [rec for rec in map(make, rows) if rec is not None]


class _Stream:
    """One table's records per document, taken in doc_id order."""

    def __init__(self, groups):
        self.groups = groups
        self.head = next(groups, None)

    def take(self, doc_id: str) -> list:
        while self.head is not None and self.head[0] < doc_id:  # rows of no stored document
            self.head = next(self.groups, None)
        if self.head is not None and self.head[0] == doc_id:
            records = self.head[1]
            self.head = next(self.groups, None)
            return records
        return []


def _citation(r: dict) -> Citation:
    return Citation(start=int(r["start"]), end=int(r["end"]), text=r["id"], id=r["id"],
                    doc_type=r["doc_type"], number=r["number"] or "",
                    year=int(r["year"]) if r["year"] is not None else None,
                    symbol=r["symbol"] or "", issuer_symbol=r["issuer_symbol"],
                    date=_iso(r["date"]), date_text=r["date_text"], issuer=r["issuer"],
                    subject=r["subject"], parenthetical=bool(r["parenthetical"]),
                    sentence=r["sentence"] or "", resolved_id=r["resolved_id"])


def _indicator(r: dict) -> Indicator:
    def opt_int(k):
        return int(r[k]) if r[k] is not None else None

    def index(k):  # the dataset numbers table cells from 1, records from 0
        return int(r[k]) - 1 if r[k] is not None else None
    return Indicator(indicator=r["indicator"], value=r["value"], field=r["field"],
                     procedure=r["procedure"], start=opt_int("start") if r["start"] is not None else -1,
                     end=opt_int("end") if r["end"] is not None else -1, sentence=r["sentence"] or "",
                     table=index("table_no"), row=index("row_no"), col=index("col_no"),
                     group=r["grp"], role=r["role"] or "single", approximate=bool(r["approximate"]))


def _date(r: dict) -> DateMention:
    return DateMention(start=int(r["start"]), end=int(r["end"]), text=r["text"], value=r["value"],
                       precision=r["precision"] or "day", valid=bool(r["valid"]),
                       role=r["role"] or "event", sentence=r["sentence"] or "")


def load_facts(store: Store) -> Iterator[DocFacts]:
    """One DocFacts per stored report, streamed in doc_id order (only one
    report's records are in memory at a time)."""
    cits = _Stream(_by_document(store, "citations", _citation))
    inds = _Stream(_by_document(store, "indicators", _indicator))
    dates = _Stream(_by_document(store, "dates", lambda r: _date(r) if r["kind"] == "date" else None))
    for d in _rows(store.con.cursor().execute("SELECT * FROM documents ORDER BY doc_id")):
        period = None
        if d["period_kind"]:
            period = Period(start=-1, end=-1, text="", kind=d["period_kind"],
                            year=int(d["period_year"]) if d["period_year"] is not None else None,
                            index=int(d["period_index"]) if d["period_index"] is not None else None,
                            start_date=_iso(d["period_start"]), end_date=_iso(d["period_end"]))
        meta = Metadata(province=d["province"], unit_2025=d["unit_2025"], agency=d["agency"],
                        report_type=d["report_type"] or "other", period=period,
                        issued_date=d["issued_date"], doc_number=d["doc_number"],
                        signer=d["signer"], title=d["title"], doc_kind=d["doc_kind"])
        yield DocFacts(doc_id=d["doc_id"], province=d["province"], citations=cits.take(d["doc_id"]),
                       indicators=inds.take(d["doc_id"]), dates=dates.take(d["doc_id"]), metadata=meta)


def _symbol_counts(store: Store) -> Counter:
    """How often each issuer symbol is cited across the store (what
    :func:`~parmine.audit.checks.audit_corpus` counts, without loading
    the citations)."""
    return Counter(dict(store.con.execute(
        "SELECT issuer_symbol, count(*) FROM citations WHERE extractor <> 'ner' "
        "AND coalesce(issuer_symbol, '') <> '' GROUP BY 1").fetchall()))


def _places(store: Store, findings: list[Finding]) -> dict[tuple[str, int | None], tuple]:
    """(doc_id, start) → (page, sentence) of the stored mention each finding
    points at (a citation first, then an indicator, then a date); a finding
    without a start finds none."""
    import pyarrow as pa

    keys = {(f.doc_id, f.start) for f in findings if f.start is not None and f.start >= 0}
    if not keys:
        return {}
    store.con.register("_keys", pa.table({"doc_id": [k[0] for k in keys], "start": [k[1] for k in keys]}))
    try:
        rows = store.con.execute(" UNION ALL ".join(
            f'SELECT {rank} AS rank, t.doc_id, t.start, t.page, t.sentence FROM "{table}" t '
            f'SEMI JOIN _keys k ON t.doc_id = k.doc_id AND t.start = k.start'
            for rank, table in enumerate(("dates", "indicators", "citations"))) + " ORDER BY rank").fetchall()
    finally:
        store.con.unregister("_keys")
    return {(d, s): (page, sentence) for _, d, s, page, sentence in rows}


def _write_resolutions(store: Store, resolved: Resolved) -> None:
    """The citations' ``registry_*`` columns: the entry each resolved
    mention stands for, none for the others (one hash join in DuckDB)."""
    import pyarrow as pa

    index: dict[int, int] = {}
    entries: list[RegistryEntry] = []
    for e in resolved.entries:
        if id(e) not in index:
            index[id(e)] = len(entries)
            entries.append(e)
    store.con.register("_resolved", pa.table({
        "doc_id": pa.array(resolved.doc_ids, pa.string()), "start": pa.array(resolved.starts, pa.int32()),
        "entry": pa.array([index[id(e)] for e in resolved.entries], pa.int32())}))
    store.con.register("_entries", pa.table({
        "entry": pa.array(range(len(entries)), pa.int32()),
        **{col: pa.array([getattr(e, field) for e in entries], pa.string())
           for col, field in REGISTRY_COLUMNS.items()}}))
    sets = ", ".join(f'"{col}" = r."{col}"' for col in REGISTRY_COLUMNS)
    store.con.execute("BEGIN TRANSACTION")
    try:
        store.con.execute("UPDATE citations SET " + ", ".join(f'"{c}" = NULL' for c in REGISTRY_COLUMNS)
                          + " WHERE registry_id IS NOT NULL")
        store.con.execute(f"UPDATE citations SET {sets} FROM (SELECT * FROM _resolved JOIN _entries "
                          "USING (entry)) r WHERE citations.doc_id = r.doc_id AND citations.start = r.start "
                          "AND citations.extractor <> 'ner'")
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
    finally:
        store.con.unregister("_resolved")
        store.con.unregister("_entries")


def run_audit(store: Store, registry: Registry | None = None) -> int:
    """Audit the whole store, against ``registry`` too when given (and
    write the entry each citation stands for in its ``registry_*``
    columns); returns the number of findings."""
    check = RegistryCheck(registry) if registry is not None else None
    findings = audit_corpus(load_facts(store), registry=check, frequent=_symbol_counts(store))
    places = _places(store, findings)
    table_pages = dict(((d, t), p) for d, t, p in store.con.execute(
        "SELECT doc_id, table_no, min(page) FROM cells GROUP BY ALL").fetchall())
    rows = []
    for f in findings:
        page, sentence = places.get((f.doc_id, f.start), (table_pages.get((f.doc_id, f.table_no)), None))
        rows.append({"kind": f.kind, "severity": f.severity, "id": f.id, "doc_id": f.doc_id,
                     "page": f.page if f.page is not None else page, "section": f.section,
                     "start": f.start if f.start is not None and f.start >= 0 else None,
                     "end": f.end if f.end is not None and f.end >= 0 else None,
                     "sentence": f.sentence or sentence, "explanation": f.explanation,
                     "expected": f.expected, "table_no": f.table_no, "col_no": f.col_no})
    store.replace_table("audit", rows)
    _write_resolutions(store, check.resolved if check else Resolved())
    return len(rows)
