"""Audit checks over the extracted records (indicators.md, "Audit findings").

Within one report (:func:`audit_document`):

- ``citation_date_conflict`` — one document id cited with different dates;
- ``citation_malformed`` — a number that breaks its type's pattern: a Nghị
  định or Thông tư without its year ("107/NĐ-CP"), or a type word whose
  code is missing from the symbol ("Thông báo số 368/SKHCN-VP": no "TB");
- ``citation_issuer_mismatch`` — the issuer written with the mention cannot
  issue the symbol (a "NĐ-CP" decree "của Thủ tướng Chính phủ");
- ``citation_year_mismatch`` — "12/2019/QĐ-UBND ngày 3/1/2020";
- ``symbol_variant`` — an issuer symbol that is a near miss of a known or
  frequent one ("SKHCHN", "SKHHCN", "SKH&CN" for "SKHCN"), by an edit
  distance where doubled letters, an inserted "H"/"C", "&" or "-" and OCR
  confusions (Đ/D, O/0, I/l/1) cost less;
- ``arithmetic_mismatch`` — stated parts that contradict their total (new +
  carried over vs received; early + on time + late vs resolved; within +
  overdue vs pending; resolved + pending vs received; a field breakdown vs
  its total; a table's column vs its "Tổng cộng" row), one finding per
  total; a part that is not stated is unknown, so a total is contradicted
  only when the stated parts are complete or already exceed it; and a
  stated share its counts contradict ("trễ hạn 18 hồ sơ (chiếm 25%)" of 180);
- ``date_invalid`` — a date that does not exist, or lies after the
  report's own date: a cited document's, or in a report or portal item a
  past event's (not a deadline or a plan).

One report's findings (:func:`audit_report`) also depend on the symbol
frequencies of the whole corpus (:class:`FrequentSymbols`: a symbol as
written may be a near miss of a frequent one) and, with a registry check
(:class:`parmine.audit.registry.RegistryCheck`), its citations are held
against a registry of documents (kinds ``registry_*``, and
``symbol_variant`` for an id the registry spells otherwise).

Across reports (:func:`date_conflicts`): date conflicts of one document
cited by several reports — keyed (:func:`cited_key`) by the id alone for
national symbols (NĐ-CP, QĐ-TTg, TT-…, NQ/TW) and by id + province for
local ones, since local numbers repeat (``04/KH-SKHCN`` is another plan in
every province): the mentions that differ from the date most reports give,
or from the registry's date when the registry dates the document.
:func:`audit_corpus` is the whole audit of a corpus at once; the pipeline
keeps the same result up to date a report at a time
(:mod:`parmine.pipelines.audit_run`).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

import regex

from ..corpus.registry import known_symbols
from ..extract.kinds import KIND_CODES
from ..extract.metadata import REPORTING_KINDS
from ..extract.records import Citation, DateMention, Indicator, Metadata
from ..text.normalize import fold

GOLD_KINDS = ("citation_date_conflict", "citation_malformed", "citation_issuer_mismatch",
              "citation_year_mismatch", "symbol_variant", "arithmetic_mismatch", "date_invalid")

# the code each type word's symbol carries
TYPE_CODES = {"Quyết định": ("QĐ",), "Nghị định": ("NĐ",), "Nghị quyết": ("NQ",),
              "Thông tư": ("TT", "TTLT"), "Thông tư liên tịch": ("TTLT",), "Chỉ thị": ("CT",),
              "Kế hoạch": ("KH",), "Thông báo": ("TB",), "Tờ trình": ("TTr",), "Báo cáo": ("BC",),
              "Công điện": ("CĐ",), "Chương trình": ("CTr",), "Hướng dẫn": ("HD",),
              "Quy định": ("QĐ", "QyĐ"), "Quy chế": ("QC", "QyC"), "Đề án": ("ĐA",),
              "Kết luận": ("KL",)}
NATIONAL = {"CP", "TTg", "VPCP", "QH", "UBTVQH", "TW", "BCT"}


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str  # error | warning | info
    id: str | None
    doc_id: str
    start: int | None
    end: int | None
    sentence: str | None
    explanation: str
    expected: str | None = None
    page: int | None = None
    section: str | None = None
    table_no: int | None = None  # a table finding's table and column, numbered from 1
    col_no: int | None = None    # as in the dataset


@dataclass
class DocFacts:
    """What the audit needs of one report."""

    doc_id: str
    province: str | None
    citations: list[Citation] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    metadata: Metadata | None = None


def _norm_id(cid: str) -> str:
    return regex.sub(r"\s+", "", cid).replace("Ð", "Đ").replace("đ", "Đ")


def _is_national(c: Citation) -> bool:
    iss = c.issuer_symbol or ""
    return iss in NATIONAL or c.symbol.startswith(("NĐ-", "TT-", "TTLT-")) or \
        (len(iss) > 2 and iss.startswith("B") and iss[1:2].isupper() and iss not in ("BC",))


# -- symbol variants -----------------------------------------------------------
_CHEAP_INSERT = set("HC&-")
_CONFUSED = {frozenset(p) for p in (("Đ", "D"), ("O", "0"), ("I", "l"), ("I", "1"), ("l", "1"))}


def symbol_distance(a: str, b: str) -> float:
    """Weighted edit distance from symbol ``a`` as written to ``b``.

    >>> symbol_distance("SKHHCN", "SKHCN"), symbol_distance("SKH&CN", "SKHCN"), symbol_distance("UBDN", "UBND")
    (0.5, 0.3, 0.5)
    """
    n, m = len(a), len(b)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + _ins_cost(a, i - 1)
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + 1.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sub = 0.0 if a[i - 1] == b[j - 1] else (
                0.3 if frozenset((a[i - 1], b[j - 1])) in _CONFUSED else 1.0)
            d[i][j] = min(d[i - 1][j] + _ins_cost(a, i - 1), d[i][j - 1] + 1.0, d[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 0.5)  # two letters swapped
    return d[n][m]


def _ins_cost(a: str, i: int) -> float:
    """Cost of a character of ``a`` that the intended symbol lacks."""
    ch = a[i]
    if ch in "&-":
        return 0.3
    if (i > 0 and a[i - 1] == ch) or ch in _CHEAP_INSERT:
        return 0.5
    return 1.0


NEAR = 0.8  # the distance of a near miss: two cheap edits at most


def near_miss(sym: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``sym`` is a near miss of (the nearest, within
    ``NEAR``; the first in alphabetical order on a tie), or None.  A
    candidate with more than two letters ``sym`` lacks is never that near
    (each costs a confusion at least), so most are passed over unmeasured."""
    letters = set(sym)
    found = sorted((symbol_distance(sym, c), c) for c in candidates
                   if c != sym and len(c) >= 3 and abs(len(c) - len(sym)) <= 2 and len(set(c) - letters) <= 2)
    return found[0][1] if found and found[0][0] <= NEAR else None


@lru_cache(maxsize=65536)
def _known_miss(sym: str) -> str | None:
    return near_miss(sym, known_symbols())


def _near_known(sym: str, known: frozenset[str]) -> str | None:
    """The known symbol ``sym`` is a near miss of, or None."""
    return _known_miss(sym) if known is known_symbols() else near_miss(sym, known)


def open_symbol(sym: str, known: frozenset[str]) -> bool:
    """Whether ``sym`` may be a near miss of a symbol frequent in the corpus:
    not known, not too short, and no near miss of a known one."""
    return sym not in known and len(sym) >= 4 and _near_known(sym, known) is None


class FrequentSymbols:
    """How often each issuer symbol is cited in a corpus, and the frequent
    symbol an open one (:func:`open_symbol`) is a near miss of: one cited
    at least 3 times and more often than it, neither known nor itself a
    near miss of a known one."""

    def __init__(self, counts: Mapping[str, int], known: frozenset[str]):
        self.counts = counts
        self.known = known
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for sym, n in counts.items():
            if n >= 3 and sym not in known:
                self._by_length[len(sym)].append(sym)
        self._targets: dict[str, str | None] = {}

    def may_target(self, sym: str) -> bool:
        """Whether ``sym``, cited often enough, may be the target of others:
        neither known nor a near miss of a known symbol."""
        return sym not in self.known and len(sym) >= 3 and _near_known(sym, self.known) is None

    def target(self, sym: str) -> str | None:
        """The frequent symbol ``sym`` is a near miss of, or None."""
        if sym not in self._targets:
            n = self.counts.get(sym, 0)
            more = [c for k in range(len(sym) - 2, len(sym) + 3) for c in self._by_length.get(k, ())
                    if self.counts[c] > n]
            while (best := near_miss(sym, more)) is not None and not self.may_target(best):
                more.remove(best)
            self._targets[sym] = best
        return self._targets[sym]


def _variant_of(sym: str, known: frozenset[str], frequent: FrequentSymbols) -> str | None:
    """The known (else frequent) symbol ``sym`` is a near miss of.  Only
    cheap edits count (a doubled or inserted letter, "&"/"-", a swap, an OCR
    confusion): a plain substitution makes another body's symbol."""
    if sym in known or len(sym) < 4:
        return None
    return _near_known(sym, known) or frequent.target(sym)


def _symbol_parts(c: Citation) -> list[str]:
    parts = [c.issuer_symbol] if c.issuer_symbol else []
    return [p for p in parts if p]


# -- citation checks -------------------------------------------------------------
def _finding(kind, severity, cid, doc_id, rec, explanation, expected=None) -> Finding:
    return Finding(kind, severity, cid, doc_id, getattr(rec, "start", None), getattr(rec, "end", None),
                   getattr(rec, "sentence", None) or None, explanation, expected)


def _citation_checks(doc_id: str, cits: list[Citation], known, frequent) -> list[Finding]:
    out: list[Finding] = []
    by_id: dict[str, list[Citation]] = defaultdict(list)
    for c in cits:
        by_id[_norm_id(c.id)].append(c)
    for group in by_id.values():
        dates = Counter(c.date for c in group if c.date)
        if len(dates) > 1:
            majority = dates.most_common(1)[0][0]
            odd = next(c for c in group if c.date and c.date != majority)
            out.append(_finding("citation_date_conflict", "warning", group[0].id, doc_id, odd,
                                f"{group[0].id} is cited with different dates: "
                                + ", ".join(f"{d} ({n}×)" for d, n in dates.most_common()),
                                expected=majority))
    for c in cits:
        if "/" not in c.id and "-" not in c.id:  # a bare number: fine as a short form of a full one
            if c.resolved_id is None:
                out.append(_finding("citation_malformed", "warning", c.id, doc_id, c,
                                    f"{c.doc_type} {c.id} is cited by its number alone; "
                                    "the text never gives its full number and symbol"))
            continue
        variant = _spelling_variant(c)
        if variant:
            out.append(_finding("symbol_variant", "info", c.id, doc_id, c,
                                f"{c.id} is written for {variant} (hyphens, case or Đ/D)", expected=variant))
            continue
        code = c.symbol.split("-")[0] if "-" in c.symbol else c.symbol.split("/")[0]
        if c.symbol.startswith(("NĐ-", "TT-", "TTLT-")) and not regex.search(r"/(?:19|20)\d\d/", c.id):
            out.append(_finding("citation_malformed", "warning", c.id, doc_id, c,
                                f"{c.id}: a {'Nghị định' if code == 'NĐ' else 'Thông tư'} is numbered "
                                "with its year (số/năm/ký hiệu) since 2006; this number has none"))
        elif c.doc_type in TYPE_CODES and not _has_code(c, TYPE_CODES[c.doc_type]) \
                and c.doc_type != "Quy định" and not (c.doc_type == "Chương trình" and "KH" in c.symbol):
            out.append(_finding("citation_malformed", "warning", c.id, doc_id, c,
                                f"{c.id} is called a {c.doc_type} but its symbol has no "
                                f"{'/'.join(TYPE_CODES[c.doc_type])} code"))
        if c.year and c.date and int(c.date[:4]) != c.year:
            out.append(_finding("citation_year_mismatch", "warning", c.id, doc_id, c,
                                f"{c.id}: the number says {c.year}, the date {c.date}"))
        issuer = fold(c.issuer or "")
        if issuer:
            iss = c.issuer_symbol or ""
            bad = None
            if iss == "CP" and regex.search(r"thủ tướng|ttcp", issuer):
                bad = "a Government (Chính phủ) document attributed to the Prime Minister"
            elif iss == "TTg" and "chính phủ" in issuer and not regex.search(r"thủ tướng|ttcp|ttg", issuer):
                bad = "a Prime Minister's (Thủ tướng) document attributed to the Government"
            elif iss == "UBND" and regex.search(r"^(?:bộ|chính phủ|thủ tướng)", issuer):
                bad = "a People's Committee (UBND) document attributed to a central body"
            elif iss == "HĐND" and regex.search(r"ubnd|ủy ban nhân dân|uỷ ban nhân dân", issuer):
                bad = "a People's Council (HĐND) resolution attributed to the People's Committee"
            if bad:
                out.append(_finding("citation_issuer_mismatch", "warning", c.id, doc_id, c,
                                    f"{c.id} is {bad} (\"{c.issuer}\")"))
        for part in _symbol_parts(c):
            target = _variant_of(part, known, frequent)
            if target:
                out.append(_finding("symbol_variant", "info", c.id, doc_id, c,
                                    f"issuer symbol {part} looks like a misspelling of {target}",
                                    expected=target))
    return out


def _spelling_variant(c: Citation) -> str | None:
    """The standard spelling of a symbol whose type code is written without
    its hyphen, in another case, or with D for Đ: "63/2010/NĐCP" →
    "63/2010/NĐ-CP", "61/2018/ND-CP" → "61/2018/NĐ-CP" (the code must be the
    one the type word names)."""
    def key(x: str) -> str:
        return x.upper().replace("Đ", "D")

    if c.symbol.split("-")[0] in KIND_CODES:  # "TTLT-BTC-BNV" is already a kind code of its own
        return None
    for code in TYPE_CODES.get(c.doc_type or "", ()) if "/" not in c.symbol else ():
        if not key(c.symbol.replace("-", "")).startswith(key(code)):
            continue
        pos, seen = 0, 0
        while pos < len(c.symbol) and seen < len(code):
            seen += c.symbol[pos] != "-"
            pos += 1
        rest = c.symbol[pos:].lstrip("-")
        standard = f"{code}-{rest}" if rest else code
        if standard != c.symbol:
            return c.id[:len(c.id) - len(c.symbol)] + standard
    return None


def _has_code(c: Citation, codes: tuple[str, ...]) -> bool:
    pieces = regex.split(r"[-/]", c.symbol)
    return any(p in codes for p in pieces)


# -- arithmetic ---------------------------------------------------------------------
_SUMS = [  # total = sum of parts
    ("dossiers.received", ("dossiers.new", "dossiers.carried_over")),
    ("dossiers.resolved", ("dossiers.resolved.early", "dossiers.resolved.on_time", "dossiers.resolved.late")),
    ("dossiers.pending", ("dossiers.pending.within_deadline", "dossiers.pending.overdue")),
    ("dossiers.received", ("dossiers.resolved", "dossiers.pending")),
]


def _blocks(rows: list[Indicator]) -> list[list[Indicator]]:
    """Prose dossier statements that belong together: a lead-in and its list."""
    prose = sorted((r for r in rows if r.table is None and r.start >= 0 and r.procedure is None),
                   key=lambda r: r.start)
    blocks: list[list[Indicator]] = []
    for r in prose:
        if not r.indicator.startswith("dossiers."):
            continue
        gap = r.start - blocks[-1][-1].end if blocks else None
        if gap is not None and gap < 400 and (
                gap < 60 or r.group == blocks[-1][-1].group or r.sentence.lstrip()[:1] in "-+•" or
                blocks[-1][-1].sentence.rstrip().endswith(":") or r.field):
            blocks[-1].append(r)
        else:
            blocks.append([r])
    return blocks


def _arith_prose(doc_id: str, block: list[Indicator]) -> list[Finding]:
    first: dict[str, Indicator] = {}
    for r in block:
        if r.field is None:
            first.setdefault(r.indicator, r)
    value = {k: v.value for k, v in first.items()}
    if "dossiers.resolved" not in value:
        resolved_parts = [value[k] for k in ("dossiers.resolved.early", "dossiers.resolved.on_time",
                                             "dossiers.resolved.late") if k in value]
        if resolved_parts:
            value["dossiers.resolved"] = sum(resolved_parts)
    flagged: set[str] = set()
    out = []
    for total, parts in _SUMS:
        if total not in first or total in flagged:
            continue
        stated = [value[p] for p in parts if p in value]
        if not stated:
            continue
        complete = len(stated) == len(parts)
        s = sum(stated)
        if (complete and abs(s - value[total]) > 1e-9) or s > value[total] + 1e-9:
            t = first[total]
            flagged.add(total)
            out.append(Finding("arithmetic_mismatch", "warning", None, doc_id, t.start, t.end, t.sentence,
                               f"{total} is stated as {value[total]:g}, but "
                               + " + ".join(f"{p} {value[p]:g}" for p in parts if p in value)
                               + f" = {s:g}", expected=f"{s:g}"))
    # a total against its field breakdown
    for total, t in first.items():
        fields = [r for r in block if r.indicator == total and r.field]
        if fields and total not in flagged:
            s = sum(r.value for r in fields)
            if abs(s - t.value) > 1e-9:
                out.append(Finding("arithmetic_mismatch", "warning", None, doc_id, t.start, t.end,
                                   t.sentence, f"{total} {t.value:g} but its breakdown by field sums to {s:g}",
                                   expected=f"{s:g}"))
    return out


# a stated share → (the counts it may be the share of, the totals it may be taken over)
SHARES = {
    "rate.on_time": ((("dossiers.resolved.in_time",), ("dossiers.resolved.early", "dossiers.resolved.on_time")),
                     ("dossiers.resolved", "dossiers.received")),
    "rate.late": ((("dossiers.resolved.late",),), ("dossiers.resolved", "dossiers.received")),
    "rate.received_online": ((("dossiers.received.online",),), ("dossiers.received",)),
    "rate.one_stop": ((("procedures.one_stop",),), ("procedures.total",)),
    "rate.published": ((("procedures.published",),), ("procedures.total",)),
    "rate.online": ((("procedures.online",),), ("procedures.total",)),
    "rate.plan_done": ((("plan.tasks_done",),), ("plan.tasks",)),
}
SHARE_TOLERANCE = 0.6  # percentage points: rounding and "gần 97%"


def _arith_shares(doc_id: str, rows: list[Indicator]) -> list[Finding]:
    """A stated share that no stated count and total near it give: "đã giải
    quyết 180 hồ sơ, trễ hạn 18 hồ sơ (chiếm 25%)" (18/180 is 10%).  Each
    base the text may use (resolved or received) is tried; the share is
    flagged only when every base it can have contradicts it."""
    prose = sorted((r for r in rows if r.table is None and r.start >= 0 and r.field is None), key=lambda r: r.start)
    out = []
    for k, rate in enumerate(prose):
        if rate.indicator not in SHARES:
            continue
        if rate.approximate:  # "gần 97%": a bound, which no count contradicts
            continue
        near: dict[str, float] = {}
        for r in prose[:k][::-1]:
            if rate.start - r.end > 600:
                break
            if not r.approximate:
                near.setdefault(r.indicator, r.value)
        parts_options, bases = SHARES[rate.indicator]
        parts = next((sum(near[p] for p in opt) for opt in parts_options if all(p in near for p in opt)), None)
        shares = [100.0 * parts / near[b] for b in bases if parts is not None and near.get(b)]
        if shares and all(abs(x - rate.value) > SHARE_TOLERANCE for x in shares):
            out.append(Finding("arithmetic_mismatch", "warning", None, doc_id, rate.start, rate.end, rate.sentence,
                               f"{rate.indicator} is stated as {rate.value:g}%, but the counts stated with it "
                               f"give {', '.join(f'{x:.1f}%' for x in shares)}", expected=f"{shares[0]:.1f}"))
    return out


def _arith_tables(doc_id: str, rows: list[Indicator]) -> list[Finding]:
    out = []
    tables: dict[int, list[Indicator]] = defaultdict(list)
    for r in rows:
        if r.table is not None:
            tables[r.table].append(r)
    for t, cells in tables.items():
        totals = [c for c in cells if c.role == "total"]
        for tot in totals:
            parts = [c for c in cells if c.col == tot.col and c.role == "part"]
            if not parts or tot.col is None:
                continue
            part_rows = {c.row for c in cells if c.role == "part"}
            complete = len({c.row for c in parts}) == len(part_rows)
            s = sum(c.value for c in parts)
            if (complete and abs(s - tot.value) > 1e-9) or s > tot.value + 1e-9:
                out.append(Finding("arithmetic_mismatch", "warning", None, doc_id, None, None, None,
                                   f"table {t + 1}, column {tot.col + 1} ({tot.indicator}): the rows "
                                   f"sum to {s:g}, the total row says {tot.value:g}", expected=f"{s:g}",
                                   table_no=t + 1, col_no=tot.col + 1))
    return out


# -- dates --------------------------------------------------------------------------
# a date after these words is a deadline, a start or an end, not a past event ...
_AHEAD_WORDS = regex.compile(r"(?:trước|từ|kể\s+từ|đến|tới|hết|chậm\s+nhất|hạn|bắt\s+đầu|kết\s+thúc)"
                             r"\s+(?:(?:hết\s+)?ngày\s+)?$", regex.I)
# ... and in a clause with these, a plan
_AHEAD_CLAUSE = regex.compile(r"\b(?:dự\s+kiến|sẽ|kế\s+hoạch|thời\s+hạn|hạn\s+chót|hiệu\s+lực)\b", regex.I)


def _ahead(d: DateMention) -> bool:
    """Whether the text before the date makes it one still to come."""
    at = d.sentence.find(d.text)
    before = d.sentence[:at] if at >= 0 else ""
    clause = regex.split(r"[;:,]", before)[-1]
    return bool(_AHEAD_WORDS.search(before) or _AHEAD_CLAUSE.search(clause))


def _date_checks(doc_id: str, dates: list[DateMention], meta: Metadata | None,
                 citations: list[Citation]) -> list[Finding]:
    """Dates that do not exist, and dates after the document's own: a cited
    document's in any document (it cannot cite what was not yet issued; the
    finding of that citation's id), an event's only in a report or a portal
    item (they tell what happened), and not when the words before it make
    it a deadline, a start or a plan ("trước ngày", "kể từ ngày", "dự
    kiến").  The dates of a site's text around the document are not the
    document's."""
    out = []
    issued = meta.issued_date if meta else None
    reporting = meta is None or meta.doc_kind in REPORTING_KINDS
    for d in dates:
        if d.role in ("issued", "page"):
            continue
        cid = _cited_at(d, citations) if d.role == "citation" else None
        if not d.valid:
            out.append(_finding("date_invalid", "error", cid, doc_id, d, f"{d.text} is not a calendar date"))
        elif issued and d.value and d.precision == "day" and d.value[:len(issued)] > issued and \
                (cid or reporting and not _ahead(d)):
            what = f"{cid} is dated {d.text}" if cid else f"{d.text}"
            out.append(_finding("date_invalid", "warning", cid, doc_id, d,
                                f"{what}, after the document's own date ({issued})", expected=issued))
    return out


def _cited_at(d: DateMention, citations: list[Citation]) -> str | None:
    """The citation whose date ``d`` is (the nearest with that date text)."""
    near = [c for c in citations if c.date_text == d.text]
    return min(near, key=lambda c: abs(c.end - d.start)).id if near else None


# -- entry points -------------------------------------------------------------------
def audit_document(doc_id: str, citations: list[Citation], indicators: list[Indicator],
                   dates: list[DateMention], metadata: Metadata | None,
                   known=None, frequent: Counter | FrequentSymbols | None = None) -> list[Finding]:
    """The within-report checks (``frequent``: the corpus's symbol counts;
    by default the report's own)."""
    known = known_symbols() if known is None else known
    if frequent is None:
        frequent = Counter(p for c in citations for p in _symbol_parts(c))
    if not isinstance(frequent, FrequentSymbols):
        frequent = FrequentSymbols(frequent, known)
    out = _citation_checks(doc_id, citations, known, frequent)
    for block in _blocks(indicators):
        out.extend(_arith_prose(doc_id, block))
    out.extend(_arith_tables(doc_id, indicators))
    out.extend(_arith_shares(doc_id, indicators))
    out.extend(_date_checks(doc_id, dates, metadata, citations))
    return _dedupe(out)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.doc_id, f.kind, f.id if f.id is not None else f.explanation)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def audit_report(d: DocFacts, known: frozenset[str], frequent: FrequentSymbols, registry=None) -> list[Finding]:
    """One report's findings: its own checks, and the registry's when
    ``registry`` is given (a callable such as
    :class:`~parmine.audit.registry.RegistryCheck`: DocFacts → (findings,
    the (kind, id, start) of findings they replace)); one finding per kind
    and id."""
    found = audit_document(d.doc_id, d.citations, d.indicators, d.dates, d.metadata, known, frequent)
    if registry is not None:
        extra, replaced = registry(d)
        found = [f for f in found if (f.kind, f.id, f.start) not in replaced] + extra
    return _dedupe(found)


def cited_key(c: Citation, province: str | None) -> str:
    """The document a mention stands for across reports: its id (spaces
    dropped, Đ for Ð and đ) when its symbol is national, else the id and the
    citing report's province after a ``|`` (local numbers repeat from
    province to province).

    >>> from parmine.extract.citations import find_citations
    >>> [cited_key(c, "Huế") for c in find_citations("Nghị định 61/2018/NĐ-CP và Kế hoạch 04/KH-SKHCN")]
    ['61/2018/NĐ-CP', '04/KH-SKHCN|Huế']
    """
    nid = _norm_id(c.id)
    return nid if _is_national(c) else f"{nid}|{province or ''}"


@dataclass(frozen=True)
class Mention:
    """A dated citation, as the cross-report check compares it."""

    key: str  # cited_key
    doc_id: str
    citation: Citation
    registry_date: str | None = None  # the registry's date, when the report's finding on it gives one


def dated_mentions(d: DocFacts, found: list[Finding]) -> Iterator[Mention]:
    """The dated citations of one report, with the registry's date where
    the report's findings (``found``) hold it to one."""
    registry_dated = {(f.id, f.start): f.expected for f in found if f.kind == "registry_date_conflict"}
    for c in d.citations:
        if c.date:
            yield Mention(cited_key(c, d.province), d.doc_id, replace(c, sentence="", subject=None),
                          registry_dated.get((c.id, c.start)))


def held_date(dates: Counter, reports: int, registry_date: str | None) -> tuple[str, str] | None:
    """The date the mentions of one cited document are held to, and where
    it comes from: the registry's date when a report's finding gives it,
    else the date most mentions give (``dates`` counts them in the order
    they were first given: the first on a tie); None when there is nothing
    to hold them to (cited by fewer than two reports, or dated one way).

    "ngày 23/4/2018" twice and "ngày 24/4/2018" once, in three reports:
    ("2018-04-23", "in most reports citing it")."""
    if reports < 2 or len(dates) < 2:
        return None
    if registry_date:
        return registry_date, "the registry's date"
    return dates.most_common(1)[0][0], "in most reports citing it"


def date_conflicts(mentions: Iterable[Mention], within: set[tuple[str, str]],
                   held: dict[str, tuple[str, str]] | None = None) -> list[Finding]:
    """Across reports: the mentions of one document (one key, cited by at
    least two reports) whose date differs from the date they are held to
    (:func:`held_date`; the registry's date is the last a report's finding
    gives, in corpus order).  ``mentions`` come in corpus order (doc_id,
    then text order); ``within``: the (doc_id, id) of the reports' own date
    conflicts, which get no second finding; ``held``: the dates the keys
    are held to when the caller computed them (then ``mentions`` need only
    be those that differ).
    A finding carries no sentence (the caller takes it from the store), nor
    how many mentions give each date: a report citing the document later
    leaves the other reports' findings as they were unless it turns the
    majority (``parmine citations --id`` counts the mentions).

    "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018" in two reports and "ngày
    24/4/2018" in a third: the third gets "61/2018/NĐ-CP is dated 2018-04-24
    here but 2018-04-23 in most reports citing it"."""
    cited: dict[str, list[Mention]] = defaultdict(list)
    registry_date: dict[str, str] = {}  # documents the registry dates: its date, not the reports' vote
    for m in mentions:
        cited[m.key].append(m)
        if m.registry_date:
            registry_date[m.key] = m.registry_date
    seen = set(within)
    out: list[Finding] = []
    for key, group in cited.items():
        if held is not None:
            hold = held.get(key)
        else:
            hold = held_date(Counter(m.citation.date for m in group), len({m.doc_id for m in group}),
                             registry_date.get(key))
        if hold is None:
            continue
        truth, source = hold
        for m in group:
            c = m.citation
            if c.date != truth and (m.doc_id, c.id) not in seen:
                seen.add((m.doc_id, c.id))
                out.append(_finding("citation_date_conflict", "warning", c.id, m.doc_id, c,
                                    f"{c.id} is dated {c.date} here but {truth} {source}", expected=truth))
    return out


def audit_corpus(docs: Iterable[DocFacts], registry=None, frequent: Counter | None = None) -> list[Finding]:
    """Every report's findings (:func:`audit_report`) and the cross-report
    date conflicts (:func:`date_conflicts`).

    ``docs`` is gone through once, so it can be a stream, when ``frequent``
    (how often each issuer symbol is cited in the corpus) is given."""
    if frequent is None:
        docs = list(docs)
        frequent = Counter(p for d in docs for c in d.citations for p in _symbol_parts(c))
    known = known_symbols()
    symbols = FrequentSymbols(frequent, known)
    out: list[Finding] = []
    mentions: list[Mention] = []
    for d in docs:
        found = audit_report(d, known, symbols, registry)
        out.extend(found)
        mentions.extend(dated_mentions(d, found))
    within = {(f.doc_id, f.id) for f in out if f.kind == "citation_date_conflict" and f.id is not None}
    return out + date_conflicts(mentions, within)
