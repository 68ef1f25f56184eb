"""Report identity: which stored documents are copies of one report.

The same report often arrives in several files (the .txt and the .pdf, a
scan of the signed copy).  Every aggregate must count it once, so each
document gets

- ``fingerprint``: a bottom-k sketch of its cleaned text (the ``SKETCH``
  smallest hashes of its word trigrams, diacritics and case dropped, digits
  left out, so OCR's and layout's small differences barely matter),
  computed in the worker;
- ``report_key``: the report's identity — issuer (as the header names it,
  else the agency; with its province) + number + issue date when all are known, else ``text:`` and a digest of
  the fingerprint and doc_id of the copy kept;
- ``duplicate_of``: for a copy, the doc_id of the copy aggregates keep
  (NULL for that one).

Two documents are copies of one report when nothing known about them
disagrees (issuer, province, agency, report type, period, number, issue
date) and
either their issuer + number + date are known and equal, or their texts
are near-identical (estimated Jaccard similarity of the word trigrams at
least ``SIMILAR``; different reports, even consecutive ones of one agency
written on one template, stay far below it).  The copy kept is the one
read most directly: a text file before DOCX, .doc, a PDF's text layer and
OCR, then the one with fewest OCR pages, then the smallest doc_id.
"""
from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import regex

from ..text.normalize import strip_diacritics
from .schema import COPY_COLUMNS
from .store import ids_table

SKETCH = 128
SIMILAR = 0.7
FIRST = 8  # near-identical texts share one of their FIRST smallest hashes
_WORD = regex.compile(r"[^\W\d_]+")
_FORMAT_RANK = {"txt": 0, "md": 1, "html": 2, "docx": 3, "doc": 4, "pdf": 5, "scan-pdf": 6, "image": 7}
# what must not disagree between two copies of one report
_AGREE = tuple(c for c in COPY_COLUMNS if c not in ("doc_id", "format", "ocr_pages", "fingerprint"))


def fingerprint(text: str) -> str | None:
    """The bottom-k sketch of ``text``'s word trigrams (hex, space-separated),
    None for a text too short to tell.

    >>> a = fingerprint("Sở Khoa học và Công nghệ báo cáo kết quả cải cách hành chính quý III")
    >>> a == fingerprint("SỞ KHOA HỌC VÀ CÔNG NGHỆ báo cáo kết quả  cải cách hành chính quý 3 III")
    True
    """
    words = _WORD.findall(strip_diacritics(text))
    if len(words) < 3:
        return None
    hashes = {int.from_bytes(hashlib.blake2b(" ".join(words[i:i + 3]).encode(), digest_size=8).digest(), "big")
              for i in range(len(words) - 2)}
    return " ".join(f"{h:016x}" for h in sorted(hashes)[:SKETCH])


def _sketch(fp: str | None) -> list[str]:
    """A fingerprint's hashes, smallest first (fixed-width hex: as strings
    they sort as numbers)."""
    return fp.split() if fp else []


def similarity(a: list[str], b: list[str]) -> float:
    """Estimated Jaccard similarity of two texts from their sketches (sorted
    hash lists): the share of the union's ``SKETCH`` smallest hashes that
    both texts have."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:SKETCH]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


def _agree(x: dict, y: dict) -> bool:
    return all(x[k] is None or y[k] is None or x[k] == y[k] for k in _AGREE)


def _issuer_key(d: dict) -> str | None:
    """issuer, province|number|date when all are known (the issuer as the
    header names it, else the agency; the province added when the issuer's
    name lacks it, since every province has a "Sở Khoa học và Công nghệ")."""
    body = d["issuer"] or d["agency"]
    if not (body and d["doc_number"] and d["issued_date"]):
        return None
    province = d["province"]
    if province and province.casefold() not in body.casefold():
        body = f"{body}, {province}"
    return f"{body}|{d['doc_number']}|{d['issued_date']}"


def _rank(d: dict) -> tuple:
    ocr = len(d["ocr_pages"].split(",")) if d["ocr_pages"] else 0
    return (_FORMAT_RANK.get(d["format"], 9), ocr, d["doc_id"])


@dataclass(frozen=True)
class _Text:
    """What two documents' pair check compares, computed once per document."""

    key: str | None  # issuer + number + date
    sketch: list[str]
    hashes: frozenset[str]
    first: frozenset[str]  # the hashes near-identical texts are expected to share: the smallest few


def _text(d: dict) -> _Text:
    sketch = _sketch(d["fingerprint"])
    return _Text(_issuer_key(d), sketch, frozenset(sketch), frozenset(sketch[:FIRST]))


def _passes(x: _Text, y: _Text) -> bool:
    """Whether two documents are a pair of copies, as far as their texts and
    headers tell (before their other metadata is compared): the same issuer
    + number + date, or near-identical texts sharing a first hash (the
    overlap such texts have is checked first: most pairs fail it at once)."""
    if x.key is not None and x.key == y.key:
        return True
    return (bool(x.first & y.first) and len(x.hashes & y.hashes) >= SIMILAR * max(len(x.hashes), len(y.hashes)) - 1e-9
            and similarity(x.sketch, y.sketch) >= SIMILAR)


def candidate_pairs(docs: list[dict]) -> set[tuple[str, str]]:
    """Pairs of ``docs`` that may be copies: the same issuer + number +
    date, or a shared hash among the smallest few (near-identical texts
    nearly always share one)."""
    buckets: dict[object, list[str]] = defaultdict(list)
    for d in docs:
        if key := _issuer_key(d):
            buckets[key].append(d["doc_id"])
        for h in _sketch(d["fingerprint"])[:FIRST]:
            buckets[h].append(d["doc_id"])
    return {(a, b) for ids in buckets.values() for i, a in enumerate(sorted(ids)) for b in sorted(ids)[i + 1:]}


def group_copies(docs: list[dict], pairs: set[tuple[str, str]] | None = None) -> dict[str, tuple[str, str | None]]:
    """doc_id → (report_key, duplicate_of) for ``docs`` (dicts with the
    documents columns of ``COPY_COLUMNS``); ``pairs``: the pairs that may be
    copies (by default :func:`candidate_pairs`; any superset of the pairs
    that pass gives the same groups)."""
    by_id = {d["doc_id"]: d for d in docs}
    texts = {d["doc_id"]: _text(d) for d in docs}
    group_of = {d["doc_id"]: [d["doc_id"]] for d in docs}
    for a, b in sorted(candidate_pairs(docs) if pairs is None else {tuple(sorted(p)) for p in pairs}):
        ga, gb = group_of[a], group_of[b]
        if ga is gb or not _passes(texts[a], texts[b]):
            continue
        if all(_agree(by_id[m], by_id[n]) for m in ga for n in gb):
            ga.extend(gb)
            for m in gb:
                group_of[m] = ga
    out = {}
    for group in {id(g): g for g in group_of.values()}.values():
        ranked = sorted((by_id[m] for m in group), key=_rank)
        kept = ranked[0]
        key = next((k for k in map(_issuer_key, ranked) if k), None)
        if key is None:
            # the kept copy's doc_id too: two reports whose texts sketch alike stay apart
            basis = f"{kept['fingerprint'] or ''}|{kept['doc_id']}"
            key = "text:" + hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()
        for d in ranked:
            out[d["doc_id"]] = (key, None if d is kept else kept["doc_id"])
    return out


# -- in the store ---------------------------------------------------------------------------
STALE = "old/"  # doc_id prefix of a reprocessed document's old version (no doc_id has a "/")

# The hashes a document shares with every text near-identical to it (a
# prefix filter): its rarest hashes, as many as its sketch has beyond the
# overlap SIMILAR requires — in one order for all documents, the first hash
# two such texts share is in both prefixes.  The order is by how many
# documents had the hash when the counts were last taken (``_hash_counts``:
# the hashes of more than one; retaken, with every prefix, each time the
# store has doubled), so a run computes the prefixes of its new documents
# only (kept in ``_prefixes``).
_HASHES = """
SELECT doc_id, CAST('0x' || unnest(string_split(fingerprint, ' ')) AS UBIGINT) AS h FROM {source}
WHERE fingerprint IS NOT NULL
"""
_PREFIXES = """
SELECT doc_id, h FROM (
  SELECT doc_id, h, count(*) OVER (PARTITION BY doc_id) AS n,
         row_number() OVER (PARTITION BY doc_id ORDER BY coalesce(c.cnt, 1), h) AS r
  FROM ({hashes}) LEFT JOIN _hash_counts c USING (h))
WHERE r <= n - ceil(? * n - 1e-6) + 1
"""
# pairs of a frontier document and another that may be copies: a shared
# prefix hash (``_SHARED_HASH``), or the same number and date (``_SAME_NUMBER``;
# the issuer compared in Python), and nothing known about the two disagreeing
# (such a pair never joins two groups: reports of one template, near-identical
# but of other provinces or periods, would otherwise link half the store).
# The frontier's prefixes are put in a table of their own first, each with
# its document's metadata (``_FRONTIER_PREFIXES``), and the two kinds of pair
# asked apart: DuckDB then builds its hash tables on the frontier's prefixes
# and on the documents, and streams the store's prefixes past them.  Asked as
# one statement, with the frontier's prefixes picked in a subquery, it built
# on the store's prefixes joined to the documents (1.95 million rows for
# 50,000 template-made reports): the search of a cold 50,000-document store
# failed at 44 MB of DuckDB's memory.  With the frontier's metadata joined in
# the search itself, a third hash table, it failed at 40 MB; carried in the
# frontier's prefixes, it runs within two thirds of the limit (32 MB, where
# the whole search runs: :func:`mark_copies`), though 1,000 template-made
# reports' prefixes meet 40 million of the store's (every document a
# candidate, nearly none agreeing).
_AGREE_SQL = " AND ".join(f'(f."{c}" IS NULL OR d."{c}" IS NULL OR f."{c}" = d."{c}")' for c in _AGREE)
_FRONTIER_PREFIXES = f"""
CREATE OR REPLACE TEMP TABLE _frontier_prefixes AS
SELECT p.doc_id, p.h, {", ".join(f'f."{c}"' for c in _AGREE)}
FROM (SELECT * FROM _prefixes UNION ALL SELECT * FROM _old_prefixes) p JOIN _frontier f USING (doc_id)
"""
_SHARED_HASH = f"""
SELECT DISTINCT f.doc_id, d.doc_id FROM _frontier_prefixes f
JOIN _prefixes b ON b.h = f.h AND b.doc_id <> f.doc_id JOIN documents d ON d.doc_id = b.doc_id
WHERE {_AGREE_SQL}
"""
_SAME_NUMBER = f"""
SELECT f.doc_id, d.doc_id FROM _frontier f JOIN documents d
  ON d.doc_number = f.doc_number AND d.issued_date = f.issued_date AND d.doc_id <> f.doc_id
WHERE coalesce(d.issuer, d.agency) IS NOT NULL AND {_AGREE_SQL}
"""
CHUNK = 1000  # documents looked at a time
# documents whose prefixes are computed at a time: at two thirds of DuckDB's limit, on a store of
# 50,000 documents, the window over 1,000 documents' hashes failed at once, over 500 passed
PREFIX_CHUNK = 250


def _docs(store, ids: set[str]) -> dict[str, dict]:
    """The copy-finding columns of these documents (an old version's under
    its ``STALE`` name)."""

    cols = ", ".join(f'"{c}"' for c in COPY_COLUMNS if c != "doc_id")
    with store.registered("_want", ids_table(ids)):
        names, rows = store.query(
            f"SELECT doc_id, {cols} FROM documents SEMI JOIN _want USING (doc_id) UNION ALL "
            f"SELECT ? || doc_id, {cols} FROM _stale_documents WHERE ? || doc_id IN (SELECT doc_id FROM _want)",
            [STALE, STALE])
    return {r[0]: dict(zip(names, r)) for r in rows}


def _pairs_from(store, frontier: list[str]) -> set[tuple[str, str]]:
    """The pairs of copies between these documents and any other, found
    ``CHUNK`` frontier documents at a time (only those documents and their
    candidates in memory)."""
    out: set[tuple[str, str]] = set()
    for i in range(0, len(frontier), CHUNK):
        out |= _pairs_of(store, frontier[i:i + CHUNK])
    return out


def _pairs_of(store, chunk: list[str]) -> set[tuple[str, str]]:
    """The pairs of copies between the documents of ``chunk`` and any
    other; a chunk whose search does not fit in DuckDB's limit is searched
    in halves (a chunk of template-made reports can meet every document of
    the store: 40 million prefix matches for 1,000 of 50,000).

    DuckDB's memory running out in a query that writes nothing leaves the
    store as it was, so the halves start afresh."""
    import pyarrow as pa

    docs = _docs(store, set(chunk))
    if not docs:  # documents that failed: nothing of theirs is stored to compare
        return set()
    found: set[tuple[str, str]] | None = None
    try:
        with store.registered("_frontier", pa.Table.from_pylist(list(docs.values()))):
            store.execute(_FRONTIER_PREFIXES)
            found = {pair for sql in (_SHARED_HASH, _SAME_NUMBER) for pair in store.con.execute(sql).fetchall()}
    except duckdb.OutOfMemoryException:
        if len(chunk) == 1:
            raise
    finally:  # (dropped before the halves are searched: they make their own)
        store.execute("DROP TABLE IF EXISTS _frontier_prefixes")
    if found is None:
        return _pairs_of(store, chunk[:len(chunk) // 2]) | _pairs_of(store, chunk[len(chunk) // 2:])
    docs.update(_docs(store, {b for _, b in found} - docs.keys()))
    texts = {d: _text(docs[d]) for d in {d for pair in found for d in pair}}  # only those paired
    return {(a, b) for a, b in found if _passes(texts[a], texts[b])}


def _recount(store) -> None:
    """The hash counts retaken over every document, and the prefixes
    dropped, in one transaction; the store notes no count until every
    prefix is in again (a run stopped before that recounts).  Taken at the
    limit the search runs at (:meth:`~.store.Store.roomier`): on a
    50,000-document store they pass at 32 MB in 0.8 s, the process's peak
    RSS 151 MB where at 64 MB it was 172 (DuckDB fills the limit it is
    given with the fingerprints' blocks)."""
    with store.transaction():
        store.execute("DELETE FROM _hash_counts")
        store.execute("INSERT INTO _hash_counts SELECT h, count(*) FROM ("
                      + _HASHES.format(source="documents") + ") GROUP BY h HAVING count(*) > 1")
        store.execute("DELETE FROM _prefixes")
        store.set_state("hash_counts", "0")


def _prefixes(store, seeds: set[str]) -> None:
    """Bring ``_prefixes`` up to date for the documents ``seeds`` (all of
    them, with the counts retaken, when the store has doubled since), and
    put the old versions' prefixes in the temporary ``_old_prefixes``."""

    docs = store.value("SELECT count(*) FROM documents")
    recount = docs >= 2 * int(store.state("hash_counts") or 0)
    if recount:
        store.roomier(_recount, store)
        seeds = {r[0] for r in store.con.execute("SELECT doc_id FROM documents").fetchall()}
    ids = sorted(seeds)
    for i in range(0, len(ids), PREFIX_CHUNK):  # a window over a chunk's hashes at a time, a transaction each:
        with store.transaction(), store.registered("_seeds", ids_table(ids[i:i + PREFIX_CHUNK])):  # bounded memory
            if not recount:
                store.execute("DELETE FROM _prefixes WHERE doc_id IN (SELECT doc_id FROM _seeds)")
            store.execute("INSERT INTO _prefixes " + _PREFIXES.format(hashes=_HASHES.format(
                source="documents SEMI JOIN _seeds USING (doc_id)")), [SIMILAR])
    if recount:
        store.set_state("hash_counts", str(docs))
        store.release()  # the blocks every document's hashes were read through: the joins plan with what is free
    store.execute("CREATE OR REPLACE TEMP TABLE _old_prefixes AS " + _PREFIXES.format(hashes=_HASHES.format(
        source=f"(SELECT '{STALE}' || doc_id AS doc_id, fingerprint FROM _stale_documents)")), [SIMILAR])


def _linked(store, seeds: set[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """The documents reached from ``seeds`` by pairs of copies (followed
    from document to document), and those pairs."""
    _prefixes(store, seeds)
    pairs: set[tuple[str, str]] = set()
    done: set[str] = set()
    frontier = seeds
    while frontier:
        linked = _pairs_from(store, sorted(frontier))
        pairs |= linked
        done |= frontier
        frontier = {b for _, b in linked} - done
    store.execute("DROP TABLE _old_prefixes")
    return done, pairs


def _components(ids: set[str], pairs: set[tuple[str, str]]) -> list[tuple[set[str], set[tuple[str, str]]]]:
    """The documents of ``ids`` grouped by the pairs that link them (each
    group with its pairs)."""
    parent = {d: d for d in ids}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d
    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[str, tuple[set[str], set[tuple[str, str]]]] = defaultdict(lambda: (set(), set()))
    for d in ids:
        groups[root(d)][0].add(d)
    for a, b in pairs:
        groups[root(a)][1].add((a, b))
    return list(groups.values())


def _mark(store, groups: list[tuple[set[str], set[tuple[str, str]]]]) -> list[str]:
    """Mark the documents of these groups of copies (each with its pairs);
    returns those whose marks changed."""
    import pyarrow as pa

    docs = _docs(store, set().union(*(members for members, _ in groups)))  # those still stored
    marks = {}
    for members, linked in groups:
        marks.update(group_copies([docs[d] for d in members if d in docs], linked))
    with store.registered("_want", ids_table(marks)):
        before = {d: (k, c) for d, k, c in store.con.execute(
            "SELECT doc_id, report_key, duplicate_of FROM documents SEMI JOIN _want USING (doc_id)").fetchall()}
    now = sorted(d for d, m in marks.items() if before.get(d) != m)
    table = pa.table({"doc_id": pa.array(now, pa.string()),
                      "report_key": pa.array([marks[d][0] for d in now], pa.string()),
                      "duplicate_of": pa.array([marks[d][1] for d in now], pa.string())})
    with store.transaction(), store.registered("_keys", table):
        store.execute("UPDATE documents SET report_key = k.report_key, duplicate_of = k.duplicate_of "
                      "FROM _keys k WHERE documents.doc_id = k.doc_id")
        store.mark_changed(now, "documents")
    return now


def mark_copies(store, seeds: list[str]) -> set[str]:
    """Set ``report_key`` and ``duplicate_of`` on the documents ``seeds``
    (those mined since the last finished run) and on every document whose
    copies they change — also those the old version of a reprocessed
    document was a copy of; returns the documents whose marks changed."""
    stale = {STALE + r[0] for r in store.con.execute("SELECT doc_id FROM _stale_documents").fetchall()}
    if not seeds and not stale:
        return set()
    with store.lean():  # (the search's joins stream the store past a chunk's tables: a cold 50,000-document
        reached, pairs = _linked(store, set(seeds) | stale)  # store's search peaked 9 MB lower than at the limit)
    reached = {d for d in reached if not d.startswith(STALE)}
    pairs = {p for p in pairs if not (p[0].startswith(STALE) or p[1].startswith(STALE))}
    paired = {d for p in pairs for d in p}
    groups = itertools.chain(sorted(_components(paired, pairs), key=lambda g: min(g[0])),
                             (({d}, set()) for d in sorted(reached - paired)))
    changed: set[str] = set()
    while chunk := list(itertools.islice(groups, CHUNK)):  # a chunk of reports (with their copies) at a time
        changed.update(_mark(store, chunk))
    store.execute("DELETE FROM _stale_documents")
    return changed
