"""The Vietnamese spaCy pipeline: an underthesea-backed tokenizer and the
extraction components.

``build_nlp()`` returns a spaCy ``Language`` ("vi" + parmine's components):

- the tokenizer runs underthesea's word segmentation where it pays — by
  default on the sentences and clauses that state a count or an absence
  ("34 hồ sơ", "không có ...": where indicators come from), or on every
  line with ``segment="all"`` — so multi-syllable words there are single
  tokens ("hồ sơ", "thủ tục"); the rest is split into syllables and
  punctuation.
  Either way the ``Doc`` reproduces the text character for character
  (``doc.text == text``);
- ``parmine_sections`` → ``doc._.sections`` (the section tree) and
  ``doc._.metadata`` (province, agency, period, ...);
- ``parmine_citations`` → ``doc.spans["citations"]``, each span's
  ``span._.record`` a :class:`~parmine.extract.records.Citation`;
- ``parmine_dates`` → ``doc.spans["dates"]`` and ``doc.spans["periods"]``;
- ``parmine_quantities`` → ``doc.spans["quantities"]``;
- ``parmine_indicators`` → ``doc._.indicators`` (prose and table indicators;
  tables are passed in ``doc.user_data["tables"]`` as rows of cells).

Every record keeps its exact character offsets; the spans are the records'
offsets snapped to token boundaries (``alignment_mode="expand"``).
Citations and dates are found by compiled regexes on the raw text, never on
tokens (underthesea splits ``41/2019/QĐ-UBND`` into three tokens).

Components are switched off by name: ``build_nlp(disable=("parmine_quantities",))``.

>>> nlp = build_nlp()
>>> doc = nlp("Thực hiện Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019 của UBND tỉnh.")
>>> [(s.text, s._.record.date) for s in doc.spans["citations"]]
[('41/2019/QĐ-UBND', '2019-10-22')]
"""
from __future__ import annotations

import bisect
from functools import lru_cache

import regex
import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

MAX_LENGTH = 50_000_000
COMPONENTS = ("parmine_sections", "parmine_citations", "parmine_dates",
              "parmine_quantities", "parmine_indicators")

# span label → the key of its records in ``doc._.records``
RECORD_GROUPS = {"CITATION": "citations", "DATE": "dates", "PERIOD": "periods", "QUANTITY": "quantities"}


def _record_of(span: Span):
    """A span's record: its own entry in ``doc._.records`` (the span's id
    is the record's index), never looked up by offsets two kinds of span
    can share."""
    group = RECORD_GROUPS.get(span.label_)
    records = (span.doc._.records or {}).get(group) if group else None
    return records[span.id] if records is not None and span.id < len(records) else None


for _name in ("sections", "metadata", "header", "indicators", "records"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("record"):
    Span.set_extension("record", getter=_record_of)

_NON_SPACE = regex.compile(r"\S+")


# a count ("34 hồ sơ", "100%"), not a date or a year, or a stated absence
_PAYS = regex.compile(r"(?<![\d/.\-])(?!(?:19|20)\d\d\b)\d{1,7}(?:\s*%|\s+\p{Ll})|[Kk]hông\s+(?:có|nhận)")
_SYLLABLE = regex.compile(r"[\p{L}\p{M}\d]+(?:[./,:\-][\p{L}\p{M}\d]+)*|[^\s\p{L}\p{M}\d]")


class UndertheseaTokenizer:
    """Word segmentation by underthesea, one call per line, aligned back to
    the text: "tiếp nhận 34 hồ sơ" → ["tiếp nhận", "34", "hồ sơ"].

    ``segment`` says what is segmented: ``"numeric"`` (the sentences and
    clauses that state a count or an absence, default) or ``"all"`` (every
    line).  Whitespace other than the single
    space after a token becomes a token of its own, as spaCy expects, so the
    ``Doc`` text equals the input.
    """

    def __init__(self, vocab: Vocab, segment: str = "numeric"):
        if segment not in ("numeric", "all"):
            raise ValueError(f"segment must be 'numeric' or 'all', not {segment!r}")
        self.vocab = vocab
        self.segment = segment

    def __call__(self, text: str) -> Doc:
        words, spaces = _segment(text, self.segment == "all")
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["_text"] = text
        return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept after the first call (spaCy rebuilds it from every
    token each time, which costs more than the extraction rules)."""
    if "_text" not in doc.user_data:
        doc.user_data["_text"] = doc.text
    return doc.user_data["_text"]


def _segment(text: str, every_line: bool = False) -> tuple[list[str], list[bool]]:
    from underthesea import word_tokenize

    pieces: list[tuple[int, int]] = []  # token spans in text
    pos = 0
    for line in text.split("\n"):
        for a, b in _clauses(line) if not every_line else ((0, len(line)),):
            chunk = line[a:b]
            if not chunk.strip():
                continue
            if not every_line and not _PAYS.search(chunk):
                pieces.extend((pos + a + m.start(), pos + a + m.end()) for m in _SYLLABLE.finditer(chunk))
                continue
            cursor = 0
            for tok in word_tokenize(chunk):
                at = chunk.find(tok, cursor)
                if at < 0:  # the segmenter changed the token: fall back to spaces
                    continue
                for sub in _split_between(chunk, cursor, at):
                    pieces.append((pos + a + sub[0], pos + a + sub[1]))
                pieces.append((pos + a + at, pos + a + at + len(tok)))
                cursor = at + len(tok)
            for sub in _split_between(chunk, cursor, len(chunk)):
                pieces.append((pos + a + sub[0], pos + a + sub[1]))
        pos += len(line) + 1
    return _words_and_spaces(text, pieces)


# the end of a sentence or clause inside a line: ". " or "; " ("1.198" is no end)
_CLAUSE_END = regex.compile(r"[.;!?](?=\s)")


def _clauses(line: str):
    """(start, end) of the sentences and clauses of a line — a reflowed PDF
    paragraph is one line, and only its clauses that state a count need
    segmenting: "Tổng số 34 hồ sơ; đã giải quyết 30 hồ sơ." → two."""
    start = 0
    for m in _CLAUSE_END.finditer(line):
        yield start, m.end()
        start = m.end()
    yield start, len(line)


def _split_between(line: str, a: int, b: int):
    """Non-space runs of ``line[a:b]`` that the segmenter skipped."""
    for m in _NON_SPACE.finditer(line, a, b):
        yield m.start(), m.end()


def _words_and_spaces(text: str, pieces: list[tuple[int, int]]):
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for s, e in pieces:
        if s > pos:  # whitespace not absorbed as a trailing space
            gap = text[pos:s]
            if words and spaces and not spaces[-1] and gap.startswith(" "):
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    if pos < len(text):
        gap = text[pos:]
        if words and not spaces[-1] and gap.startswith(" "):
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
    return words, spaces


def _token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens (computed once per Doc)."""
    if "_bounds" not in doc.user_data:
        arr = doc.to_array([IDX, LENGTH])
        starts = arr[:, 0].tolist() if len(doc) else []
        doc.user_data["_bounds"] = (starts, (arr[:, 0] + arr[:, 1]).tolist() if len(doc) else [])
    return doc.user_data["_bounds"]


def _spans(doc: Doc, records, label: str) -> list[Span]:
    """Records as spans, their offsets widened to token boundaries (the same
    as ``Doc.char_span(alignment_mode="expand")``, by bisection); each span's
    id is its record's index in ``doc._.records``."""
    starts, ends = _token_bounds(doc)
    out = []
    for k, rec in enumerate(records):
        i = bisect.bisect_right(ends, rec.start)
        j = bisect.bisect_left(starts, rec.end)
        if i >= j:
            continue
        out.append(Span(doc, i, j, label=label, span_id=k))
    return out


def records(doc: Doc, group: str) -> list:
    """Every record a component stored under ``group`` ("citations",
    "dates", "periods", "quantities"), in text order."""
    return (doc._.records or {}).get(group, [])


@Language.factory("parmine_sections", assigns=["doc._.header", "doc._.sections", "doc._.metadata"])
def make_sections(nlp: Language, name: str):
    """Header, section tree and document metadata (see extract.header,
    extract.sections, extract.metadata)."""
    from .header import read_header
    from .metadata import extract_metadata
    from .sections import parse_sections

    def component(doc: Doc) -> Doc:
        text = doc_text(doc)
        doc._.header = read_header(text)
        doc._.sections = parse_sections(text, doc._.header)
        doc._.metadata = extract_metadata(text, doc._.sections, header=doc._.header)
        return doc

    return component


def _store(doc: Doc, key: str, label: str, found: list) -> None:
    """Keep ``found`` as the records of ``key`` and as its span group."""
    if doc._.records is None:
        doc._.records = {}
    doc._.records[key] = found
    doc.spans[key] = _spans(doc, found, label)


def _span_component(*groups: tuple[str, str, object]):
    """A component that stores the records each finder returns as spans:
    ``groups`` are (span group key, label, finder)."""
    def component(doc: Doc) -> Doc:
        for key, label, find in groups:
            _store(doc, key, label, find(doc_text(doc)))
        return doc

    return component


@Language.factory("parmine_citations", assigns=["doc.spans"])
def make_citations(nlp: Language, name: str):
    """Legal-document citations (see extract.citations), without the
    document's references to itself: its own number in the header, a site's
    title or metadata, "(Ban hành kèm theo Quyết định số …)" above an annex."""
    from .citations import find_citations
    from .normalize import id_key

    def component(doc: Doc) -> Doc:
        meta = doc._.metadata
        own = id_key(meta.doc_number) if meta and meta.doc_number else None
        found = [c for c in find_citations(doc_text(doc)) if own is None or id_key(c.id) != own]
        _store(doc, "citations", "CITATION", found)
        return doc

    return component


@Language.factory("parmine_dates", assigns=["doc.spans"])
def make_dates(nlp: Language, name: str):
    """Dates and covered periods (see extract.dates)."""
    from .dates import find_dates, find_periods

    return _span_component(("dates", "DATE", find_dates), ("periods", "PERIOD", find_periods))


@Language.factory("parmine_quantities", assigns=["doc.spans"])
def make_quantities(nlp: Language, name: str):
    """Stated quantities (see extract.quantities)."""
    from .quantities import find_quantities

    return _span_component(("quantities", "QUANTITY", find_quantities))


@Language.factory("parmine_indicators", assigns=["doc._.indicators"])
def make_indicators(nlp: Language, name: str):
    """Reform indicators from prose and from tables (extract.indicators,
    extract.tables); tables come in ``doc.user_data["tables"]``."""
    from .indicators import find_indicators
    from .tables import table_indicators

    def component(doc: Doc) -> Doc:
        quantities = records(doc, "quantities") or None
        found = list(find_indicators(doc_text(doc), quantities, doc._.sections))
        for i, table in enumerate(doc.user_data.get("tables", [])):
            found.extend(table_indicators(table.rows, i, table.title))
        doc._.indicators = found
        return doc

    return component


@Language.factory("parmine_statistical", assigns=["doc.spans"])
def make_statistical(nlp: Language, name: str):
    """The statistical extractor's spans (models.ner), beside the rules'."""
    from ..models.ner import predict_spans

    def component(doc: Doc) -> Doc:
        spans = []
        for start, end, label in predict_spans(doc_text(doc)):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["statistical"] = spans
        return doc

    return component


@lru_cache(maxsize=4)
def build_nlp(disable: tuple[str, ...] = (), segment: str = "numeric",
              statistical: bool = False) -> Language:
    """The parmine pipeline (cached per process: workers load it once);
    ``statistical`` adds the learned extractor after the rules."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = UndertheseaTokenizer(nlp.vocab, segment)
    # no component keeps per-token state that grows with the square of the
    # length: a 75-page report (1.2 M characters) is mined whole
    nlp.max_length = MAX_LENGTH
    for name in COMPONENTS + (("parmine_statistical",) if statistical else ()):
        if name not in disable:
            nlp.add_pipe(name)
    return nlp
