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
from collections import defaultdict

import regex

from ..text.normalize import strip_diacritics

SKETCH = 128
SIMILAR = 0.7
_WORD = regex.compile(r"[^\W\d_]+")
_FORMAT_RANK = {"txt": 0, "md": 1, "html": 2, "docx": 3, "doc": 4, "pdf": 5, "scan-pdf": 6, "image": 7}
# what must not disagree between two copies of one report
_AGREE = ("issuer", "province", "agency", "report_type", "period_kind", "period_year", "period_index",
          "doc_number", "issued_date")


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


def _sketch(fp: str | None) -> list[int]:
    return [int(h, 16) for h in fp.split()] if fp else []


def similarity(a: list[int], b: list[int]) -> float:
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


def group_copies(docs: list[dict]) -> dict[str, tuple[str, str | None]]:
    """doc_id → (report_key, duplicate_of) for ``docs`` (dicts with the
    documents columns named in this module)."""
    by_id = {d["doc_id"]: d for d in docs}
    sketches = {d["doc_id"]: _sketch(d["fingerprint"]) for d in docs}
    # candidate pairs: the same issuer + number + date, or a shared hash among
    # the smallest few (near-identical texts nearly always share one)
    buckets: dict[object, list[str]] = defaultdict(list)
    for d in docs:
        if key := _issuer_key(d):
            buckets[key].append(d["doc_id"])
        for h in sketches[d["doc_id"]][:8]:
            buckets[h].append(d["doc_id"])
    pairs = sorted({(a, b) for ids in buckets.values() for i, a in enumerate(sorted(ids))
                    for b in sorted(ids)[i + 1:]})
    group_of = {d["doc_id"]: [d["doc_id"]] for d in docs}
    for a, b in pairs:
        ga, gb = group_of[a], group_of[b]
        if ga is gb:
            continue
        x, y = by_id[a], by_id[b]
        same = _issuer_key(x) is not None and _issuer_key(x) == _issuer_key(y)
        if not (same or similarity(sketches[a], sketches[b]) >= SIMILAR):
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


def mark_copies(store) -> int:
    """Set ``report_key`` and ``duplicate_of`` on every document of ``store``
    (a :class:`~parmine.pipelines.store.Store`; the
    whole store, so copies across runs are found); returns the number of
    documents that are copies of another."""
    import pyarrow as pa

    cols = ("doc_id", "format", "ocr_pages", "fingerprint") + _AGREE
    names, rows = store.query(f"SELECT {', '.join(cols)} FROM documents")
    docs = [dict(zip(names, r)) for r in rows]
    if not docs:
        return 0
    keys = group_copies(docs)
    table = pa.table({"doc_id": list(keys), "report_key": [k for k, _ in keys.values()],
                      "duplicate_of": [c for _, c in keys.values()]})
    store.con.register("_keys", table)
    try:
        store.con.execute("UPDATE documents SET report_key = k.report_key, duplicate_of = k.duplicate_of "
                          "FROM _keys k WHERE documents.doc_id = k.doc_id")
    finally:
        store.con.unregister("_keys")
    return sum(1 for _, c in keys.values() if c)
