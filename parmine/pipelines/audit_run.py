"""The audit as the store holds it.

The checks themselves (:mod:`parmine.audit.checks`) work on records; this
module turns a report's rows into records (:func:`facts`, the same way for
rows just mined and rows read back from the store) and keeps the ``audit``
table up to date without going over the whole store:

- :func:`report_audit` runs in the worker, with the mining: the report's own
  findings and the registry's (rows of ``scope`` ``report``), its citations'
  ``cited_key`` and ``registry_*`` columns;
- :func:`update_audit` runs at the end of a run, on what changed: the
  reports whose symbol variants depend on symbol counts that moved
  (re-audited with the corpus's counts), and the cross-report date
  conflicts (rows of ``scope`` ``corpus``) of the documents cited by the
  reports mined in the run (and by the old versions of reports mined
  again).  When the registry differs from the one the store was audited
  with, every report is audited again.

The result equals a single audit of the whole store
(:func:`~parmine.audit.checks.audit_corpus`).
"""
from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict
from contextlib import nullcontext
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from ..audit.checks import (
    DocFacts,
    Finding,
    FrequentSymbols,
    Mention,
    audit_report,
    cited_key,
    date_conflicts,
    held_date,
    near_miss,
    open_symbol,
)
from ..audit.registry import RegistryCheck
from ..corpus.registry import Registry, known_symbols
from ..extract.records import Citation, DateMention, Indicator, Metadata, Period
from .rows import REGISTRY_COLUMNS
from .schema import arrow_table
from .store import Store, fetch_batches, ids_table

CHUNK = 500  # reports read back from the store at a time
# cross-report conflicts (now and stored) brought up to date at a time: their mentions, sentences
# and audit rows are Python objects, ~20 MB at 10,000 that the process kept after the audit of a
# cold 10,000-document run (peak 258 MB, 244 at 2,500; the audit 2.1 → 3.4 s)
MENTIONS = 2_500


def _iso(v):
    return None if v is None else str(v)[:10]


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


def _text_order(r: dict) -> tuple:
    """Rows in text order (rows without a place, such as table cells', last;
    ties broken by the cell and the indicator, so every reading of the rows
    gives one order)."""
    return (r["start"] is None, r["start"] or 0, r["end"] or 0, r.get("table_no") or 0, r.get("row_no") or 0,
            r.get("col_no") or 0, r.get("indicator") or "")


def _rules(rows: Iterable[dict]) -> list[dict]:
    """The rules' rows in text order (the audit prefers the rules)."""
    return sorted((r for r in rows if r["extractor"] != "ner"), key=_text_order)


def facts(doc: dict, citations: Iterable[dict], indicators: Iterable[dict], dates: Iterable[dict]) -> DocFacts:
    """What the audit needs of one report, from its rows (dicts with the
    store's columns)."""
    period = None
    if doc["period_kind"]:
        period = Period(start=-1, end=-1, text="", kind=doc["period_kind"],
                        year=int(doc["period_year"]) if doc["period_year"] is not None else None,
                        index=int(doc["period_index"]) if doc["period_index"] is not None else None,
                        start_date=_iso(doc["period_start"]), end_date=_iso(doc["period_end"]))
    meta = Metadata(province=doc["province"], unit_2025=doc["unit_2025"], agency=doc["agency"],
                    report_type=doc["report_type"] or "other", period=period,
                    issued_date=doc["issued_date"], doc_number=doc["doc_number"],
                    signer=doc["signer"], title=doc["title"], doc_kind=doc["doc_kind"])
    return DocFacts(doc_id=doc["doc_id"], province=doc["province"],
                    citations=[_citation(r) for r in _rules(citations)],
                    indicators=[_indicator(r) for r in _rules(indicators)],
                    dates=[_date(r) for r in _rules(dates) if r["kind"] == "date"], metadata=meta)


def _audit_rows(findings: list[Finding], rows: dict[str, list[dict]], scope: str) -> list[dict]:
    """Audit rows for one report's findings, with the page and sentence of
    the mention each points at (a citation first, then an indicator, then a
    date; a table finding: the table's first page)."""
    places = {r["start"]: (r["page"], r["sentence"])
              for table in ("dates", "indicators", "citations") for r in rows.get(table, ()) if r["start"] is not None}
    table_pages: dict[int, int] = {}
    for c in rows.get("cells", ()):
        if c["page"] is not None:
            table_pages[c["table_no"]] = min(c["page"], table_pages.get(c["table_no"], c["page"]))
    out = []
    for f in findings:
        start = f.start if f.start is not None and f.start >= 0 else None
        table_page = table_pages.get(f.table_no) if f.table_no is not None else None
        page, sentence = places.get(start, (table_page, None)) if start is not None else (table_page, None)
        out.append({"kind": f.kind, "severity": f.severity, "id": f.id, "doc_id": f.doc_id,
                    "page": f.page if f.page is not None else page, "section": f.section, "start": start,
                    "end": f.end if f.end is not None and f.end >= 0 else None,
                    "sentence": f.sentence or sentence, "explanation": f.explanation,
                    "expected": f.expected, "table_no": f.table_no, "col_no": f.col_no, "scope": scope})
    return out


def _fill_citations(citations: list[dict], province: str | None, check: RegistryCheck | None) -> None:
    """Set the rules' citation rows' ``cited_key``, and the registry entry
    each resolved one stands for (``registry_*``), in place."""
    entries = dict(zip(check.resolved.starts, check.resolved.entries)) if check else {}
    for r in citations:
        if r["extractor"] == "ner":
            continue
        r["cited_key"] = cited_key(_citation(r), province)
        entry = entries.get(r["start"])
        for col, field in REGISTRY_COLUMNS.items():
            r[col] = getattr(entry, field) if entry is not None else None


@lru_cache(maxsize=1)
def _no_counts() -> FrequentSymbols:
    """Symbol counts of nobody: a report on its own (the end of the run
    audits again the few whose symbols are near misses of frequent ones)."""
    return FrequentSymbols({}, known_symbols())


def report_audit(rows: dict[str, list[dict]], registry: Registry | None) -> list[dict]:
    """One report's audit rows (``scope`` report), from its rows as mined;
    sets its citation rows' ``cited_key`` and ``registry_*`` in place."""
    doc = rows["documents"][0]
    check = RegistryCheck(registry) if registry is not None else None
    found = audit_report(facts(doc, rows["citations"], rows["indicators"], rows["dates"]),
                         known_symbols(), _no_counts(), check)
    _fill_citations(rows["citations"], doc["province"], check)
    return _audit_rows(found, rows, "report")


# -- reading reports back -------------------------------------------------------------
def _dicts(cur) -> Iterator[dict]:
    """The rows of an executed cursor as dicts (straight from DuckDB)."""
    names = [d[0] for d in cur.description]
    for batch in fetch_batches(cur):
        for values in batch:
            yield dict(zip(names, values))


class Reports:
    """Some reports' rows, held as Arrow tables sorted by doc_id (compact);
    iterating gives each report's rows as dicts (the store's columns), one
    report at a time, in doc_id order."""

    def __init__(self, tables: dict[str, pa.Table]):
        self._tables = tables
        self._spans = {name: _spans(t) for name, t in tables.items()}
        self.doc_ids = list(self._spans["documents"])
        self.closed = False

    def close(self) -> None:
        """Let go of the rows (``doc_ids`` stay); iterating then raises."""
        self._tables, self._spans, self.closed = {}, {}, True

    def __iter__(self) -> Iterator[dict[str, list[dict]]]:
        if self.closed:
            raise RuntimeError("these reports' rows were let go of: read a chunk before asking for the next")
        for d in self.doc_ids:
            yield {name: t.slice(*self._spans[name][d]).to_pylist() if d in self._spans[name] else []
                   for name, t in self._tables.items()}


def _spans(table: pa.Table) -> dict[str, tuple[int, int]]:
    """doc_id → (offset, length) of its rows in ``table`` (sorted by doc_id)."""
    if not table.num_rows:
        return {}
    runs = pc.run_end_encode(table.column("doc_id").combine_chunks())
    ends = runs.run_ends.to_pylist()
    return {d: (start, end - start) for d, start, end in zip(runs.values.to_pylist(), [0] + ends[:-1], ends)}


def stored_rows(store: Store, doc_ids: Iterable[str] | pa.Table,
                tables: tuple[str, ...] | Mapping[str, tuple[str, ...]]) -> Iterator[Reports]:
    """The reports of ``doc_ids`` (or of an :func:`~.store.ids_table`) still
    stored, ``CHUNK`` at a time (in doc_id order): their rows of ``tables``
    (``documents`` among them), with every column, or those ``tables`` maps
    each table to (and ``doc_id``).  A chunk's rows are let go of when the
    next chunk is asked for, before it is read (the loop that holds the last
    chunk would otherwise hold two: 500 reports' rows of the prediction
    files are 20 MB of Arrow tables, of the audit's tables 74 MB)."""
    ids = doc_ids if isinstance(doc_ids, pa.Table) else ids_table(doc_ids)
    last: Reports | None = None
    for i in range(0, ids.num_rows, CHUNK):
        if last is not None:
            last.close()
        read = {}
        with store.registered("_chunk", ids.slice(i, CHUNK)):
            for table in tables:
                cols = ("doc_id, " + ", ".join(f'"{c}"' for c in tables[table])
                        if isinstance(tables, Mapping) else "*")
                read[table] = store.con.sql(
                    f'SELECT {cols} FROM "{table}" SEMI JOIN _chunk USING (doc_id) ORDER BY doc_id').to_arrow_table()
        last = Reports(read)
        yield last


_AUDITED = ("documents", "citations", "indicators", "dates", "cells", "audit")


def _reaudit(store: Store, doc_ids: Iterable[str] | pa.Table, registry: Registry | None, symbols: FrequentSymbols,
             citations: bool) -> None:
    """Audit these reports again with the corpus's symbol counts: their
    ``report`` rows replaced (and, with ``citations``, their citation rows,
    for the registry's columns); the reports whose rows changed are marked
    (``_changed``: ``audit``)."""
    for chunk in stored_rows(store, doc_ids, _AUDITED):
        new_rows, cited = [], []
        changed: set[str] = set()
        for rows in chunk:
            doc = rows["documents"][0]
            check = RegistryCheck(registry) if registry is not None else None
            found = audit_report(facts(doc, rows["citations"], rows["indicators"], rows["dates"]),
                                 known_symbols(), symbols, check)
            new = _audit_rows(found, rows, "report")
            if _row_set(r for r in rows["audit"] if r["scope"] == "report") != _row_set(new):
                changed.add(doc["doc_id"])
                new_rows.extend(new)
            if citations:
                _fill_citations(rows["citations"], doc["province"], check)
                cited.extend(rows["citations"])
        redone = set(chunk.doc_ids) if citations else set()
        with store.transaction():
            if redone:
                with store.registered("_docs", ids_table(redone)):
                    store.execute("DELETE FROM citations WHERE doc_id IN (SELECT doc_id FROM _docs)")
                store.insert("citations", arrow_table("citations", cited))
            if changed:
                with store.registered("_docs", ids_table(changed)):
                    store.execute("DELETE FROM audit WHERE scope = 'report' "
                                      "AND doc_id IN (SELECT doc_id FROM _docs)")
                store.insert("audit", arrow_table("audit", new_rows))
                store.mark_changed(changed, "audit")


def _digest(row: dict) -> bytes:
    """A row's columns and values in 16 bytes (the audit's are strings,
    integers and NULLs: equal rows, and only those, have equal digests) —
    held for thousands of rows where the rows themselves would be ten
    times larger."""
    return hashlib.blake2b(repr(sorted(row.items())).encode(), digest_size=16).digest()


def _row_set(rows: Iterable[dict]) -> set[bytes]:
    return {_digest(r) for r in rows}


# -- the registry the store was audited with ------------------------------------------
def registry_digest(registry: Registry | None) -> str:
    """A digest of the registry's entries ("none" without one)."""
    if registry is None:
        return "none"
    h = hashlib.blake2b(digest_size=16)
    for key in sorted(registry.by_id):
        h.update(repr((key, registry.by_id[key])).encode())
    return h.hexdigest()


def note_registry(store: Store, registry: Registry | None) -> None:
    """At the start of a run: when the registry differs from the one the
    stored reports were audited with, every report is audited again at the
    end of the run (remembered until that is done)."""
    digest = registry_digest(registry)
    if store.state("registry") == digest:
        return
    with store.transaction():
        if store.value("SELECT count(*) FROM documents"):
            store.set_state("reaudit", "all")
        store.set_state("registry", digest)


# -- symbol counts ----------------------------------------------------------------------
def _symbol_updates(store: Store) -> tuple[FrequentSymbols, set[str], list[tuple[str, int, str | None]]]:
    """The corpus's symbol counts now, the open symbols whose frequent
    target moved since the last audit, and the new ``_symbols`` rows."""
    known = known_symbols()
    counts = dict(store.con.execute(
        "SELECT issuer_symbol, count(*) FROM citations WHERE extractor <> 'ner' "
        "AND coalesce(issuer_symbol, '') <> '' GROUP BY 1").fetchall())
    old = {s: (n, t) for s, n, t in store.con.execute("SELECT symbol, n, target FROM _symbols").fetchall()}
    symbols = FrequentSymbols(counts, known)
    moved = {s for s in counts.keys() | old.keys() if counts.get(s, 0) != old.get(s, (0, None))[0]}
    # a frequent symbol whose count moved can become, or stop being, the target of those near it
    pulls = [t for t in moved if max(counts.get(t, 0), old.get(t, (0, None))[0]) >= 3 and symbols.may_target(t)]
    affected = {s for s in counts if open_symbol(s, known) and (s in moved or near_miss(s, pulls) is not None)}
    rows, retargeted = [], set()
    for s, n in counts.items():
        target = symbols.target(s) if s in affected else old.get(s, (0, None))[1]
        if target != old.get(s, (0, None))[1]:
            retargeted.add(s)
        rows.append((s, n, target))
    return symbols, retargeted | {s for s in old.keys() - counts.keys() if old[s][1]}, rows


def _write_symbols(store: Store, rows: list[tuple[str, int, str | None]]) -> None:
    store.execute("DELETE FROM _symbols")
    if rows:
        store.insert("_symbols", pa.table({"symbol": pa.array([r[0] for r in rows], pa.string()),
                                            "n": pa.array([r[1] for r in rows], pa.int32()),
                                            "target": pa.array([r[2] for r in rows], pa.string())}))


def _citing(store: Store, symbols: Iterable[str], among: pa.Table | None = None) -> set[str]:
    """The reports citing one of ``symbols`` (only those of ``among``, an
    :func:`~.store.ids_table`, when given)."""
    sql = ("SELECT DISTINCT doc_id FROM citations SEMI JOIN _syms ON issuer_symbol = _syms.symbol "
           "WHERE extractor <> 'ner'")
    with store.registered("_syms", ids_table(symbols, "symbol")):
        if among is None:
            return {r[0] for r in store.con.execute(sql).fetchall()}
        with store.registered("_among", among):
            return {r[0] for r in store.con.execute(sql + " AND doc_id IN (SELECT doc_id FROM _among)").fetchall()}


# -- across reports ---------------------------------------------------------------------
# the dated mentions of the documents in _keys ({among}: only those of the reports in _among)
_MENTIONS = """
SELECT c.cited_key, c.doc_id, c.id, c.start, c."end", substr(CAST(c.date AS VARCHAR), 1, 10) AS date, c.page,
       c.sentence
FROM citations c SEMI JOIN _keys USING (cited_key)
WHERE c.extractor <> 'ner' AND c.date IS NOT NULL {among}
"""


# per document in _keys cited by two reports or more and dated two ways or more: how many
# mentions give each date (in the order the dates are first given), the reports citing it and
# the registry's date the last of its mentions the registry contradicts gives (in corpus order).
# The registry's findings are joined to the mentions (an inner join: only the few they
# contradict); a LEFT JOIN of every dated mention to them held far more than 64 MB at 50,000.
_HELD_COUNTS = f"""
WITH dated AS ({_MENTIONS.format(among='')}),
disputed AS (
    SELECT cited_key, count(*) AS reports FROM (
        SELECT cited_key, doc_id, min(date) AS first, max(date) AS last FROM dated GROUP BY 1, 2)
    GROUP BY 1 HAVING count(*) > 1 AND min(first) < max(last)),
registry AS (
    SELECT d.cited_key, arg_max(a.expected, (d.doc_id, d.start)) AS reg
    FROM audit a JOIN dated d USING (doc_id, id, start)
    WHERE a.kind = 'registry_date_conflict' AND a.scope = 'report'
    GROUP BY 1)
SELECT d.cited_key, d.date, count(*), any_value(k.reports), any_value(r.reg)
FROM dated d JOIN disputed k USING (cited_key) LEFT JOIN registry r USING (cited_key)
GROUP BY 1, 2 ORDER BY 1, min((d.doc_id, d.start))
"""


def _among(table: str) -> str:
    """The condition keeping the rows of ``table`` (an alias) by the reports in ``_among``."""
    return f"AND {table}.doc_id IN (SELECT doc_id FROM _among)"


HELD = pa.schema([("cited_key", pa.string()), ("held", pa.string()), ("source", pa.string()),
                  ("differing", pa.int64())])
HELD_BATCH = 10_000  # held dates (and chunk weights) made Python objects at a time


def _held_dates(store: Store) -> pa.Table:
    """The date the mentions of each document in ``_keys`` are held to
    (:func:`~parmine.audit.checks.held_date`), where it comes from, and how
    many of its mentions differ from it (the cross-report conflicts it has
    now), as an Arrow table (:data:`HELD`, by key), from counts DuckDB makes
    (in corpus order: doc_id, then place in the text), read a key at a
    time: a document cited by every report is not read mention by mention,
    nor are the counts or the dates of every document held in memory as
    Python objects (6,892 held at 17,029 reports)."""
    cur = store.con.execute(_HELD_COUNTS)
    batches, rows = [], []
    for key, group in itertools.groupby(itertools.chain.from_iterable(fetch_batches(cur)), key=lambda r: r[0]):
        counts = list(group)
        dates = Counter({date: n for _, date, n, *_ in counts})
        _, _, _, reports, registry_date = counts[0]
        if (h := held_date(dates, reports, registry_date)) is not None:
            rows.append((key, *h, sum(n for d, n in dates.items() if d != h[0])))
            if len(rows) == HELD_BATCH:
                batches.append(_held_batch(rows))
                rows = []
    batches.append(_held_batch(rows))
    return pa.Table.from_batches(batches, HELD)


def _held_batch(rows: list[tuple[str, str, str, int]]) -> pa.RecordBatch:
    columns = list(zip(*rows)) or [()] * len(HELD)
    return pa.RecordBatch.from_arrays([pa.array(col, t) for col, t in zip(columns, HELD.types)], schema=HELD)


def _conflict_rows(store: Store, holding: pa.Table, among: bool) -> list[dict]:
    """The cross-report date conflicts on the mentions of the documents in
    ``_keys`` (``among``: by the reports in ``_among`` only), held to the
    dates ``holding`` (their rows of :func:`_held_dates`), as audit rows:
    the mentions whose date differs, read from the store (only those)."""
    mentions_sql = _MENTIONS.format(among=_among("c") if among else "")
    held = {k: (d, src) for k, d, src in zip(*(holding[c].to_pylist() for c in ("cited_key", "held", "source")))}
    with store.registered("_holding", holding):
        cur = store.con.execute(f"SELECT m.* FROM ({mentions_sql}) m JOIN _holding h USING (cited_key) "
                                "WHERE m.date <> h.held ORDER BY m.doc_id, m.start")
        mentions, places = [], {}
        for r in _dicts(cur):
            c = Citation(start=r["start"], end=r["end"], text=r["id"], id=r["id"], doc_type=None, number="",
                         year=None, symbol="", issuer_symbol=None, date=r["date"])
            mentions.append(Mention(r["cited_key"], r["doc_id"], c))  # held: no registry date needed
            places[(r["doc_id"], r["start"])] = (r["page"], r["sentence"])
    with store.registered("_citing", ids_table({m.doc_id for m in mentions})):
        within = set(store.con.execute(
            "SELECT doc_id, id FROM audit SEMI JOIN _citing USING (doc_id) "
            "WHERE kind = 'citation_date_conflict' AND scope = 'report' AND id IS NOT NULL").fetchall())
    rows = []
    for f in date_conflicts(mentions, within, held):
        page, sentence = places[(f.doc_id, f.start)]
        rows.append({**_audit_rows([f], {}, "corpus")[0], "page": page, "sentence": sentence})
    return rows


def _update_conflicts(store: Store, keys: pa.Table, held: pa.Table, among: pa.Table | None = None) -> None:
    """Replace the cross-report date conflicts of ``keys`` (an
    :func:`~.store.ids_table` of ``cited_key``; held to the dates ``held``,
    :func:`_held_dates`; ``among``: only those on the mentions by these
    reports, an :func:`~.store.ids_table`), in one transaction; the
    reports whose conflicts changed are marked (``_changed``: ``audit``)."""
    holding = held.filter(pc.is_in(held["cited_key"], value_set=keys["cited_key"]))
    with store.transaction(), store.registered("_keys", keys), \
            (store.registered("_among", among) if among is not None else nullcontext()):
        rows = _conflict_rows(store, holding, among is not None)
        before: dict[str, set[bytes]] = defaultdict(set)
        after: dict[str, set[bytes]] = defaultdict(set)
        for r in _old_conflicts(store, among is not None):
            before[r["doc_id"]].add(_digest(r))
        for r in rows:
            after[r["doc_id"]].add(_digest(r))
        changed = {d for d in before.keys() | after.keys() if before[d] != after[d]}
        if changed:
            with store.registered("_docs", ids_table(changed)):
                store.execute(
                    "DELETE FROM audit WHERE scope = 'corpus' AND doc_id IN (SELECT doc_id FROM _docs) AND EXISTS "
                    "(SELECT 1 FROM citations c SEMI JOIN _keys USING (cited_key) WHERE c.doc_id = audit.doc_id "
                    "AND c.start = audit.start AND c.extractor <> 'ner')")
            if new := [r for r in rows if r["doc_id"] in changed]:
                store.insert("audit", arrow_table("audit", new))
            store.mark_changed(changed, "audit")


def _old_conflicts(store: Store, among: bool) -> Iterator[dict]:
    """The stored cross-report conflicts on mentions of the documents in
    ``_keys`` (``among``: of the reports in ``_among`` only), as they stream in."""
    return _dicts(store.con.execute(
        f"SELECT a.* FROM audit a WHERE a.scope = 'corpus' {_among('a') if among else ''} "
        "AND EXISTS (SELECT 1 FROM citations c SEMI JOIN _keys USING (cited_key) "
        "WHERE c.doc_id = a.doc_id AND c.start = a.start AND c.extractor <> 'ner')"))


def _dated_keys(store: Store, docs: pa.Table) -> pa.Table:
    """The documents the dated citations of the reports ``docs`` (an
    :func:`~.store.ids_table`) stand for, and those an earlier run left to
    look at again (``_stale_keys``): an Arrow table (``cited_key``,
    sorted), never Python strings — a cold run of 50,000 reports has 94,000
    of them, 2 MB as Arrow, 11 MB as a set."""
    with store.registered("_docs", docs):
        return store.con.sql(
            "SELECT cited_key FROM citations SEMI JOIN _docs USING (doc_id) "
            "WHERE extractor <> 'ner' AND date IS NOT NULL AND cited_key IS NOT NULL "
            "UNION SELECT cited_key FROM _stale_keys ORDER BY cited_key").to_arrow_table()


def _chunks(weights: Iterable[tuple[str, int]]) -> list[pa.Table]:
    """Keys and their weights (in key order) in chunks of at most
    ``MENTIONS`` (a heavier key alone), each an :func:`~.store.ids_table`
    of ``cited_key``; a key of no weight in none."""
    chunks: list[pa.Table] = []
    chunk: list[str] = []
    size = 0
    for key, n in weights:
        if not n:
            continue
        if chunk and size + n > MENTIONS:
            chunks.append(ids_table(chunk, "cited_key"))
            chunk, size = [], 0
        chunk.append(key)
        size += n
    if chunk:
        chunks.append(ids_table(chunk, "cited_key"))
    return chunks


# per document in _keys held now (_held_now) or with cross-report conflicts stored: its weight (the
# conflicts it has now and those stored), whether its held date moved since the last audit (_held;
# {known}: whether one recorded them) and whether it was held where it is now
_PLAN = """
WITH stored AS (
    SELECT c.cited_key, count(*) AS n FROM audit a JOIN citations c ON c.doc_id = a.doc_id AND c.start = a.start
    SEMI JOIN _keys USING (cited_key) WHERE a.scope = 'corpus' AND c.extractor <> 'ner' GROUP BY 1)
SELECT cited_key, coalesce(h.differing, 0) + coalesce(s.n, 0) AS weight,
       NOT {known} OR h.held IS DISTINCT FROM b.held OR h.source IS DISTINCT FROM b.source AS moved,
       coalesce({known} AND h.held = b.held AND h.source = b.source, false) AS steady
FROM _held_now h FULL JOIN stored s USING (cited_key) LEFT JOIN _held b USING (cited_key)
ORDER BY cited_key
"""


def _conflict_plan(store: Store, keys: pa.Table, new: pa.Table) -> tuple[pa.Table, list[pa.Table], list[pa.Table]]:
    """What the cross-report conflicts of ``keys`` need, the reports ``new``
    mined since the last finished run (an :func:`~.store.ids_table`): the
    dates the keys are held to now (:func:`_held_dates`); the keys whose
    held date moved since the last audit (``_held``), with their conflicts
    now or stored, in chunks of at most ``MENTIONS`` such conflicts (every
    report citing them is looked at again); and the keys held where they
    were, in chunks of at most ``MENTIONS`` mentions by the ``new`` reports
    (only those reports' mentions can change: a report citing a document
    later leaves the others' findings as they were).  A key with neither
    conflicts nor a held date is left out.  Held dates and weights stay in
    DuckDB and Arrow: a key becomes a Python string only in the chunk
    being made."""
    with store.registered("_keys", keys):  # (at 50,000 reports these need DuckDB's whole limit: Store.roomier)
        held = store.roomier(_held_dates, store)
        known = "true" if store.state("held") is not None else "false"
        with store.registered("_held_now", held):
            plan = store.roomier(lambda: store.con.sql(_PLAN.format(known=known)).to_arrow_table())
    moved = plan.filter(plan["moved"])
    steady = plan.filter(plan["steady"]).select(["cited_key"])  # (distinct, sorted)
    if not steady.num_rows:
        return held, _chunks(_pairs(moved, "weight")), []
    with store.registered("_keys", steady), store.registered("_among", new):
        mentions = store.roomier(lambda: store.con.sql(
            "SELECT cited_key, count(*) AS n FROM citations c SEMI JOIN _keys USING (cited_key) "
            f"WHERE c.extractor <> 'ner' AND c.date IS NOT NULL {_among('c')} GROUP BY 1 ORDER BY 1").to_arrow_table())
    return held, _chunks(_pairs(moved, "weight")), _chunks(_pairs(mentions, "n"))


def _pairs(table: pa.Table, weight: str) -> Iterator[tuple[str, int]]:
    """(cited_key, ``weight``) of ``table``'s rows, a batch at a time."""
    for batch in table.to_batches(HELD_BATCH):
        yield from zip(batch["cited_key"].to_pylist(), batch[weight].to_pylist())


def _keep_held(store: Store, keys: pa.Table, held: pa.Table) -> None:
    """Record the dates ``keys`` (:func:`_dated_keys`) are held to now (``_held``)."""
    with store.registered("_keys", keys):
        store.execute("DELETE FROM _held WHERE cited_key IN (SELECT cited_key FROM _keys)")
    store.insert("_held", held.select(["cited_key", "held", "source"]))
    store.set_state("held", "1")


def update_audit(store: Store, registry: Registry | None, new: pa.Table) -> None:
    """Bring the audit up to date with the reports ``new`` (an
    :func:`~.store.ids_table`) mined since the last finished run
    (``Store.changed("mined")``); the reports whose audit rows it changes
    are marked (``_changed``: ``audit``), for their prediction files to be
    written again."""
    symbols, retargeted, symbol_rows = _symbol_updates(store)
    if store.state("reaudit") == "all":
        new = store.con.sql("SELECT doc_id FROM documents ORDER BY doc_id").to_arrow_table()
        _reaudit(store, new, registry, symbols, citations=True)
        store.execute("INSERT INTO _changed SELECT doc_id, 'mined' FROM documents")  # their registry columns too
    else:
        targeted = {s for s, _, t in symbol_rows if t}
        again = _citing(store, retargeted) | (_citing(store, targeted, among=new) if targeted else set())
        _reaudit(store, again, registry, symbols, citations=False)
    keys = store.roomier(_dated_keys, store, new)
    held, moved, steady = _conflict_plan(store, keys, new)
    # a transaction each (one over all holds every change in memory); one cut short leaves the rest pending:
    # the next run does them all again (the held dates are recorded with the last transaction)
    for chunk in moved:
        store.roomier(_update_conflicts, store, chunk, held)
    for chunk in steady:
        store.roomier(_update_conflicts, store, chunk, held, among=new)
    store.roomier(_record_audit, store, keys, held, symbol_rows)


def _record_audit(store: Store, keys: pa.Table, held: pa.Table, symbol_rows: list[tuple[str, int, str | None]]) -> None:
    """In one transaction: the held dates and the symbol counts recorded,
    nothing left to look at again."""
    with store.transaction():
        _keep_held(store, keys, held)
        _write_symbols(store, symbol_rows)
        store.execute("DELETE FROM _stale_keys")
        store.set_state("reaudit", None)
