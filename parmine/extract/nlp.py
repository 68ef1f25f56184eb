"""parmine's spaCy pipeline: a Vietnamese ``Language`` whose components build
on each other.

``build_nlp()`` returns ``spacy.blank("vi")`` with the
:class:`~parmine.extract.tokenizer.UndertheseaTokenizer` and, in order:

=====================  ===================================  ==================================
component              reads                                writes
=====================  ===================================  ==================================
``parmine_header``     the text                             ``doc._.header``, ``doc._.sections``,
                                                            ``doc._.metadata``
``parmine_dates``      the text                             ``doc.spans["dates"]``,
                                                            ``doc.spans["periods"]``
``parmine_citations``  ``doc.spans["dates"]``,              ``doc.spans["citations"]``,
                       ``doc._.metadata`` (own number)      ``doc.spans["self_references"]``
``parmine_quantities`` ``doc.spans["citations"]``,          ``doc.spans["quantities"]``
                       ``…["self_references"]``,
                       ``doc.spans["dates"]`` (masked)
``parmine_indicators`` ``doc.spans["quantities"]``,         ``doc._.indicators``
                       ``doc._.sections``, ``doc._.tables``
=====================  ===================================  ==================================

Span keys are each factory's config (``nlp.add_pipe("parmine_dates",
config={"dates_key": "my_dates"})``); spaCy checks each component's
``requires`` against the ``assigns`` before it.  Every span's record is
``span._.record`` (the span's id indexes ``doc._.records[key]``, so a date
and a period over the same characters keep their own records).  What one
document needs more than once — its text, its sentence bounds — lives on
its ``Doc`` (``doc._.text``, ``doc._.sentences``), never in module state.
Records keep exact character offsets; spans are widened to token bounds.

>>> nlp = build_nlp()
>>> doc = nlp("Thực hiện Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019 của UBND tỉnh.")
>>> [(s.text, s._.record.date) for s in doc.spans["citations"]]
[('41/2019/QĐ-UBND', '2019-10-22')]
"""
from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Sequence, TypeVar, Union

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..text.normalize import id_key
from ..text.sentences import Sentences
from .citations import find_citations
from .dates import find_dates, find_periods
from .header import read_header
from .indicators import find_indicators
from .metadata import extract_metadata
from .quantities import find_quantities
from .records import Citation, DateMention, Header, Period, Quantity
from .sections import parse_sections
from .tables import table_indicators
from .tokenizer import UndertheseaTokenizer

MAX_LENGTH = 50_000_000
COMPONENTS = ("parmine_header", "parmine_dates", "parmine_citations", "parmine_quantities",
              "parmine_indicators")
Located = Union[DateMention, Period, Citation, Quantity]  # a record the components store as spans
R = TypeVar("R", bound=Located)


def _text(doc: Doc) -> str:
    """The Doc's text, built once (spaCy rebuilds ``doc.text`` from every
    token on each call, which costs more than the extraction rules)."""
    text = doc.user_data.get("_text")
    if not isinstance(text, str):
        text = doc.user_data["_text"] = doc.text
    return text


def _sentences(doc: Doc) -> Sentences:
    sentences = doc.user_data.get("_sentences")
    if not isinstance(sentences, Sentences):
        sentences = doc.user_data["_sentences"] = Sentences(_text(doc))
    return sentences


def _record_of(span: Span) -> Located | None:
    """A span's own record: ``doc._.records[key][span.id]`` for the span
    group ``key`` whose spans carry its label."""
    group = span.doc.user_data.get("_label_keys", {}).get(span.label_)
    found = _stored(span.doc, group) if group is not None else []
    return found[span.id] if span.id < len(found) else None


for _name in ("header", "sections", "metadata", "indicators", "records", "tables"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("text"):
    Doc.set_extension("text", getter=_text)
if not Doc.has_extension("sentences"):
    Doc.set_extension("sentences", getter=_sentences)
if not Span.has_extension("record"):
    Span.set_extension("record", getter=_record_of)


def _token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens (computed once per Doc)."""
    if "_bounds" not in doc.user_data:
        arr = doc.to_array([IDX, LENGTH])
        starts = arr[:, 0].tolist() if len(doc) else []
        doc.user_data["_bounds"] = (starts, (arr[:, 0] + arr[:, 1]).tolist() if len(doc) else [])
    bounds: tuple[list[int], list[int]] = doc.user_data["_bounds"]
    return bounds


def store(doc: Doc, key: str, label: str, found: Sequence[Located]) -> None:
    """Keep ``found`` as ``doc._.records[key]`` and as the span group
    ``key``: spans widened to token bounds (the same as
    ``Doc.char_span(alignment_mode="expand")``, by bisection), each span's
    id its record's index."""
    if doc._.records is None:
        doc._.records = {}
    doc._.records[key] = found
    doc.user_data.setdefault("_label_keys", {})[label] = key
    starts, ends = _token_bounds(doc)
    spans = []
    for k, rec in enumerate(found):
        i = bisect.bisect_right(ends, rec.start)
        j = bisect.bisect_left(starts, rec.end)
        if i < j:
            spans.append(Span(doc, i, j, label=label, span_id=k))
    doc.spans[key] = spans


def _stored(doc: Doc, key: str) -> list[Located]:
    """The records a component stored under ``key``, in text order."""
    found: list[Located] = (doc._.records or {}).get(key, [])
    return found


def records(doc: Doc, key: str, kind: type[R]) -> list[R]:
    """The records of ``kind`` a component stored under ``key`` (all of
    them, when the key is that kind's), in text order."""
    return [r for r in _stored(doc, key) if isinstance(r, kind)]


class HeaderReader:
    """The header, the section tree and the document's metadata
    (:mod:`~parmine.extract.header`, :mod:`~parmine.extract.sections`,
    :mod:`~parmine.extract.metadata`)."""

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        doc._.header = read_header(text)
        doc._.sections = parse_sections(text, doc._.header)
        doc._.metadata = extract_metadata(text, doc._.header)
        return doc


class DateFinder:
    """Dates and the periods written around them (:mod:`~parmine.extract.dates`).
    A date's role: ``issued`` in the header's place-date line or a portal's
    posting date, ``page`` before the header (a site's or crawler's text
    around the document), ``event`` elsewhere (``citation`` once a citation
    claims it)."""

    def __init__(self, dates_key: str, periods_key: str):
        self.dates_key, self.periods_key = dates_key, periods_key

    def __call__(self, doc: Doc) -> Doc:
        text, header = _text(doc), doc._.header
        dates = find_dates(text)
        if header is not None:
            dates = [replace(d, role=_date_role(d, header)) for d in dates]
        store(doc, self.dates_key, "DATE", dates)
        store(doc, self.periods_key, "PERIOD", find_periods(text, dates))
        return doc


def _date_role(d: DateMention, header: Header) -> str:
    if header.date_start <= d.start < max(header.date_end, header.date_start + 1):
        return "issued"
    return "page" if d.end <= header.start else d.role


class CitationFinder:
    """Citations of other documents (:mod:`~parmine.extract.citations`),
    dated from the dates already found; the document's own number (in its
    header, a site's title or metadata, "(Ban hành kèm theo Quyết định số
    …)" above an annex) is no citation."""

    def __init__(self, key: str, self_key: str, dates_key: str):
        self.key, self.self_key, self.dates_key = key, self_key, dates_key

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.metadata
        own = id_key(meta.doc_number) if meta is not None and meta.doc_number else None
        dates = records(doc, self.dates_key, DateMention)
        found = find_citations(_text(doc), dates, _sentences(doc))
        store(doc, self.key, "CITATION", [c for c in found if own is None or id_key(c.id) != own])
        store(doc, self.self_key, "SELF_REFERENCE", [c for c in found if own is not None and id_key(c.id) == own])
        if dates:  # the dates a citation claims are a cited document's
            doc._.records[self.dates_key] = _claimed(dates, found)
        return doc


def _claimed(dates: list[DateMention], citations: list[Citation]) -> list[DateMention]:
    """``dates`` with role ``citation`` where a citation took its date (the
    nearest date of that text)."""
    out = list(dates)
    for c in citations:
        if c.date_text is None:
            continue
        near = [k for k, d in enumerate(out) if d.text == c.date_text and d.role != "issued"]
        if near:
            k = min(near, key=lambda k: abs(out[k].start - c.end))
            out[k] = replace(out[k], role="citation")
    return out


class QuantityFinder:
    """Stated numbers (:mod:`~parmine.extract.quantities`), with the
    characters of dates and document numbers masked."""

    def __init__(self, key: str, mask_keys: list[str]):
        self.key, self.mask_keys = key, list(mask_keys)

    def __call__(self, doc: Doc) -> Doc:
        masks = [(r.start, r.end) for k in self.mask_keys for r in _stored(doc, k)]
        store(doc, self.key, "QUANTITY", find_quantities(_text(doc), masks, _sentences(doc)))
        return doc


class IndicatorReader:
    """Reform indicators from the quantities of the prose and from the
    tables in ``doc._.tables`` (:mod:`~parmine.extract.indicators`,
    :mod:`~parmine.extract.tables`)."""

    def __init__(self, quantities_key: str):
        self.quantities_key = quantities_key

    def __call__(self, doc: Doc) -> Doc:
        found = find_indicators(_text(doc), records(doc, self.quantities_key, Quantity), doc._.sections or [],
                                _sentences(doc))
        for i, table in enumerate(doc._.tables or []):
            found.extend(table_indicators(table.rows, i, table.title))
        doc._.indicators = found
        return doc


@Language.factory("parmine_header", assigns=["doc._.header", "doc._.sections", "doc._.metadata"])
def make_header(nlp: Language, name: str) -> HeaderReader:
    return HeaderReader()


@Language.factory("parmine_dates", default_config={"dates_key": "dates", "periods_key": "periods"},
                  requires=["doc._.header"], assigns=["doc.spans", "doc._.records"])
def make_dates(nlp: Language, name: str, dates_key: str, periods_key: str) -> DateFinder:
    return DateFinder(dates_key, periods_key)


@Language.factory("parmine_citations",
                  default_config={"key": "citations", "self_key": "self_references", "dates_key": "dates"},
                  requires=["doc._.records", "doc._.metadata"], assigns=["doc.spans", "doc._.records"])
def make_citations(nlp: Language, name: str, key: str, self_key: str, dates_key: str) -> CitationFinder:
    return CitationFinder(key, self_key, dates_key)


@Language.factory("parmine_quantities",
                  default_config={"key": "quantities", "mask_keys": ["citations", "self_references", "dates"]},
                  requires=["doc._.records"], assigns=["doc.spans", "doc._.records"])
def make_quantities(nlp: Language, name: str, key: str, mask_keys: list[str]) -> QuantityFinder:
    return QuantityFinder(key, mask_keys)


@Language.factory("parmine_indicators", default_config={"quantities_key": "quantities"},
                  requires=["doc._.records", "doc._.sections"], assigns=["doc._.indicators"])
def make_indicators(nlp: Language, name: str, quantities_key: str) -> IndicatorReader:
    return IndicatorReader(quantities_key)


def build_nlp(disable: tuple[str, ...] = (), segment: str = "none") -> Language:
    """A new parmine pipeline (``disable``: component names left out;
    ``segment``: what the tokenizer segments, see
    :class:`~parmine.extract.tokenizer.UndertheseaTokenizer`)."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = UndertheseaTokenizer(nlp.vocab, segment)
    # no component keeps per-token state that grows with the square of the
    # length: a 75-page report (1.2 M characters) is mined whole
    nlp.max_length = MAX_LENGTH
    for name in COMPONENTS:
        if name not in disable:
            nlp.add_pipe(name)
    return nlp
