"""Citations checked against a registry of documents: citations and a
:class:`~parmine.corpus.registry.Registry` in, findings out (no I/O).

:func:`resolve` finds the entry a citation stands for.  Its id (a short
form's full number: "Nghị quyết 36a" → ``36a/NQ-CP``) is looked up as
written (:func:`~parmine.text.normalize.id_key`), else by its skeleton (a
misspelt id: "61/2018/ND-CP", "61/2018/NĐCP").  Only entries of the
citation's scope count: national ones, and local ones of the province the
citation's issuer names ("của UBND tỉnh Bình Dương"), else of the citing
report's province — local numbers repeat from province to province.
Several entries under one id are told apart by the cited type ("Luật" and
"Nghị quyết" 24/2008/QH12), then by the cited date; a number without its
year ("1707/QĐ-UBND", numbered anew every year) stands for an entry only
of the year it is dated in — by this mention, or by another mention of the
same id in the report.  When that leaves no single entry the citation
stays unresolved: nothing is guessed.

The findings (:class:`RegistryCheck`, one report at a time):

- ``registry_date_conflict`` (warning) — the cited date is not the
  registry's; expected: the registry's date, with its title and link.  A
  registry date whose year disagrees with the year in the number is not
  trusted (the number's year wins) and checks nothing.  When the cited date
  is not even in the number's year and the registry's is, the date
  written is not this document's (often that of the text that amends it):
  this finding then replaces ``citation_year_mismatch`` for the mention.
- ``registry_issuer_conflict`` (warning) — the issuer written with the
  mention is another body than the registry's (Chính phủ / Thủ tướng /
  Văn phòng Chính phủ / Quốc hội / its Standing Committee / the State
  Bank / a People's Committee or Council / a ministry by its name); joint
  documents and issuers not recognised are not judged.
- ``registry_type_conflict`` (warning) — the type word is another kind of
  document than the registry's (a "Nghị định" cited with a TT number).
- ``registry_unknown`` (warning, never an error: registries are partial) —
  a number with its year, of a kind, issuer and year of which the registry
  holds most numbers (:meth:`~parmine.corpus.registry.Registry.covers`),
  that is not in it.
- ``symbol_variant`` (info) — an id matched only by its skeleton, the
  registry's spelling as the expected form.  The registry's spelling wins:
  this finding replaces the registry-less ``symbol_variant`` of the
  mention, and an id written exactly as the registry writes it is no
  variant.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

from ..corpus.registry import (
    Registry,
    RegistryEntry,
    named_province,
    number_year,
    type_family,
)
from ..extract.records import Citation
from ..text.normalize import id_key, strip_diacritics
from .checks import DocFacts, Finding

# bodies an issuer can be told by, most specific first (text without diacritics)
_BODIES = [(key, regex.compile(pattern)) for key, pattern in (
    ("TTg", r"\bthu tuong\b"), ("VPCP", r"\bvan phong chinh phu\b"), ("TTCP", r"\bthanh tra chinh phu\b"),
    ("CP", r"\bchinh phu\b"), ("UBTVQH", r"\bthuong vu quoc hoi\b|\bubtvqh\b"), ("QH", r"\bquoc hoi\b"),
    ("CTN", r"\bchu tich nuoc\b"), ("NHNN", r"\bngan hang nha nuoc\b"),
    ("UBND", r"\buy ban nhan dan\b|\bubnd\b"), ("HĐND", r"\bhoi dong nhan dan\b|\bhdnd\b"))]
# a ministry: "Bộ" (capital B: not "bổ sung") and its name, not the minister's title alone
_MINISTRY = regex.compile(r"(?<!\p{L})(?:Bộ|BỘ)\s+(?!(?:trưởng|Trưởng|TRƯỞNG)\b)(\p{L}.*)$")
_STOPWORDS = frozenset(("va", "bo"))
_GENERIC_TYPES = frozenset(("văn bản", "văn bản hợp nhất"))
_WELL_FORMED = regex.compile(r"^\d+\p{Ll}?/(?:(?:19|20)\d\d/)?\p{Lu}[\p{L}&]*\d*(?:-\p{L}[\p{L}&]*\d*)*$")


@dataclass(frozen=True)
class Resolution:
    """The entry a citation stands for; ``exact``: found under its id as
    written (else under its skeleton: a misspelt id)."""

    entry: RegistryEntry
    exact: bool


def citation_province(c: Citation, province: str | None, registry: Registry) -> str | None:
    """The province a citation belongs to: the one its issuer names as a
    local body's ("UBND tỉnh Bạc Liêu"), else the citing report's — of
    interest only to a registry with local documents."""
    return (named_province(c.issuer) or province) if registry.provinces else None


def full_id(c: Citation) -> str:
    """The number a mention stands for: its own, or the full number of a
    short form ("Nghị quyết 36a" → ``36a/NQ-CP``)."""
    return c.resolved_id or c.id


def _pick(c: Citation, date: str | None, entries: list[RegistryEntry]) -> RegistryEntry | None:
    """The one entry of ``entries`` the citation (dated ``date``) stands for, or None."""
    family = type_family(c.doc_type)
    entries = [e for e in entries if type_family(e.type) == family] or entries
    yearless = number_year(full_id(c)) is None
    if date:
        same_day = [e for e in entries if e.date == date]
        if same_day:
            entries = same_day
        elif yearless:  # numbered anew every year: only that year's document
            entries = [e for e in entries if e.date and e.date[:4] == date[:4]]
    elif yearless:
        return None
    return entries[0] if len(entries) == 1 else None


def resolve(c: Citation, province: str | None, registry: Registry,
            date: str | None = None) -> Resolution | None:
    """The registry entry citation ``c`` of a report of ``province`` stands
    for (``date``: the date the report gives it, when this mention has
    none), or None."""
    scope = citation_province(c, province, registry)
    cid = full_id(c)
    for exact, found in ((True, registry.entries(cid)), (False, registry.near(cid))):
        candidates = [e for e in found if e.province is None or e.province == scope]
        if candidates:
            entry = _pick(c, c.date or date, candidates)
            return Resolution(entry, exact) if entry else None
    return None


def _words(text: str) -> list[str]:
    return regex.sub(r"[^\p{L}\d]+", " ", strip_diacritics(text)).split()


def _body(issuer: str) -> tuple[str, frozenset[str]] | None:
    """(body key, a ministry's name words) of an issuer as written, or None."""
    plain = " ".join(_words(issuer))
    for key, pattern in _BODIES:
        if pattern.search(plain):
            return key, frozenset()
    m = _MINISTRY.search(issuer)
    words = frozenset(_words(m.group(1))) - _STOPWORDS if m else frozenset()
    return ("Bộ", words) if words else None


def same_issuer(cited: str, registered: str) -> bool | None:
    """Whether two issuers are one body; None when that cannot be told (a
    title alone such as "Bộ trưởng", a body not recognised).  Ministries
    are one when most words of the shorter name are in the other ("Bộ Văn
    hóa, Thể thao và Du lịch" / "Bộ Văn hoá Thông tin Thể thao và Du lịch").

    >>> same_issuer("Thủ tướng Chính phủ", "Chính phủ"), same_issuer("Chinh phủ", "Chính phủ")
    (False, True)
    >>> same_issuer("Bộ Tài chính", "Bộ Tư pháp"), same_issuer("Bộ trưởng", "Bộ Tư pháp")
    (False, None)
    """
    a, b = _body(cited), _body(registered)
    if a is None or b is None:
        return None
    if a[0] != b[0]:
        return False
    if a[0] != "Bộ":
        return True
    return len(a[1] & b[1]) >= 0.6 * min(len(a[1]), len(b[1]))


def _joint(entry: RegistryEntry) -> bool:
    return "liên" in (entry.type or "").lower() or "LT-" in entry.id.upper()


def _evidence(e: RegistryEntry) -> str:
    """The registry's entry in words, for an explanation."""
    what = " ".join(x for x in (e.type, e.id) if x)
    title = f" “{e.title}”" if e.title else ""
    date = f" of {e.date}" if e.date else ""
    issuer = f" by {e.issuer}" if e.issuer else ""
    link = f" {e.url}" if e.url else ""
    return f"{what}{title}{date}{issuer} ({e.source}){link}"


def _finding(kind: str, severity: str, doc_id: str, c: Citation, explanation: str,
             expected: str | None) -> Finding:
    return Finding(kind, severity, c.id, doc_id, c.start, c.end, c.sentence or None, explanation, expected)


def citation_findings(doc_id: str, c: Citation, found: Resolution) -> tuple[list[Finding], bool]:
    """What the registry says against one resolved citation, and whether its
    date is not this document's at all (see the module docstring)."""
    e, out, misdated = found.entry, [], False
    if not found.exact and _WELL_FORMED.match(e.id):
        out.append(_finding("symbol_variant", "info", doc_id, c,
                            f"{c.id} is written for {e.id}, as the registry spells it: {_evidence(e)}", e.id))
    year = number_year(e.id)
    if c.date and e.date and c.date != e.date and (year is None or int(e.date[:4]) == year):
        misdated = year is not None and int(c.date[:4]) != year and c.date[5:] != e.date[5:]
        note = (" — the date written is not this document's (perhaps that of a text amending it)"
                if misdated else "")
        out.append(_finding("registry_date_conflict", "warning", doc_id, c,
                            f"{c.id} is dated {c.date} here; the registry dates it {e.date}{note}: {_evidence(e)}",
                            e.date))
    if c.issuer and e.issuer and not _joint(e) and same_issuer(c.issuer, e.issuer) is False:
        out.append(_finding("registry_issuer_conflict", "warning", doc_id, c,
                            f"{c.id} is attributed to {c.issuer}; the registry's issuer is {e.issuer}: "
                            f"{_evidence(e)}", e.issuer))
    cited, registered = type_family(c.doc_type), type_family(e.type)
    if cited and registered and cited != registered and cited not in _GENERIC_TYPES:
        out.append(_finding("registry_type_conflict", "warning", doc_id, c,
                            f"{c.id} is cited as a {c.doc_type}; the registry has a {e.type}: {_evidence(e)}",
                            e.type))
    return out, misdated


@dataclass
class Resolved:
    """The citations the checks resolved: each mention's start and its
    entry (the run makes one check per report, so starts do not clash)."""

    starts: list[int] = field(default_factory=list)
    entries: list[RegistryEntry] = field(default_factory=list)


class RegistryCheck:
    """The registry checks, one report at a time:
    ``check(doc)`` → (findings, the (kind, id, start) of the registry-less
    findings they replace); the citations it resolves are kept in
    ``resolved`` (for the dataset's ``registry_*`` columns)."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.resolved = Resolved()

    def __call__(self, doc: DocFacts) -> tuple[list[Finding], set[tuple]]:
        out: list[Finding] = []
        replaced: set[tuple] = set()
        dated = _report_dates(doc.citations)
        for c in doc.citations:
            found = resolve(c, doc.province, self.registry, dated.get(id_key(full_id(c))))
            if found is not None:
                self.resolved.starts.append(c.start)
                self.resolved.entries.append(found.entry)
                findings, misdated = citation_findings(doc.doc_id, c, found)
                out.extend(findings)
                if misdated:
                    replaced.add(("citation_year_mismatch", c.id, c.start))
                if any(f.kind == "symbol_variant" for f in findings) or c.id == found.entry.id:
                    replaced.add(("symbol_variant", c.id, c.start))  # the registry's spelling wins
            else:
                out.extend(self._unknown(doc.doc_id, c, doc.province))
        return out, replaced

    def _unknown(self, doc_id: str, c: Citation, province: str | None) -> list[Finding]:
        scope, cid = citation_province(c, province, self.registry), full_id(c)
        covered = self.registry.covers(cid, scope)
        if covered is None or any(e.province is None or e.province == scope
                                  for e in self.registry.entries(cid) + self.registry.near(cid)):
            return []
        held, highest = covered
        return [_finding("registry_unknown", "warning", doc_id, c,
                         f"{c.id} is not in the registry ({', '.join(self.registry.sources)}), which holds "
                         f"{held} of the numbers 1–{highest} of its kind, issuer and year: a wrong number, "
                         "or a document the registry lacks", None)]


def _report_dates(citations: list[Citation]) -> dict[str, str]:
    """id key → the date a report gives a document most often."""
    dates: dict[str, Counter] = {}
    for c in citations:
        if c.date:
            dates.setdefault(id_key(full_id(c)), Counter())[c.date] += 1
    return {k: v.most_common(1)[0][0] for k, v in dates.items()}
