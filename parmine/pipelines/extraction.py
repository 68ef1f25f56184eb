"""parmine's public verbs: one text or one file in, typed records out.

:func:`extract_text` mines a string, :func:`extract_file` a file in any
format parmine reads (text in any Vietnamese encoding, PDF with a text
layer or scanned, image, DOCX, .doc); both return an :class:`Extraction`:
the document's metadata, its header, sections, citations, dates, periods,
quantities and indicators, each record with its character span in
``Extraction.text`` and its sentence.  :func:`extract_document` does the
same for a :class:`~parmine.corpus.document.Document` already read; the
batch run (:mod:`parmine.pipelines.process`) turns its result into rows.

>>> from parmine import extract_text
>>> ex = extract_text("Sở Tư pháp đã tiếp nhận 34 hồ sơ theo Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019.")
>>> [(c.id, c.date) for c in ex.citations], [(i.indicator, i.value) for i in ex.indicators]
([('41/2019/QĐ-UBND', '2019-10-22')], [('dossiers.received', 34)])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from ..corpus.document import Document, Page, Table
from ..corpus.ingest import read
from ..extract.cleanup import CleanText, clean
from ..extract.nlp import build_nlp, records
from ..extract.records import Citation, DateMention, Header, Indicator, Metadata, Period, Quantity, Section
from ..text.sentences import Sentences
from .task import Options

# formats whose text comes line by line from a page layout (PDF, OCR)
LAYOUT_FORMATS = ("pdf", "scan-pdf", "image")


@dataclass(frozen=True)
class Extraction:
    """Everything parmine reads in one document; every record's
    ``start``/``end`` are offsets into :attr:`text` (the cleaned text)."""

    text: str
    metadata: Metadata
    header: Header
    sections: list[Section]
    citations: list[Citation]
    dates: list[DateMention]
    periods: list[Period]
    quantities: list[Quantity]
    indicators: list[Indicator]
    tables: list[Table] = field(default_factory=list)
    clean: CleanText | None = None        # the page map of a file's text
    sentences: Sentences | None = None
    statistical: list = field(default_factory=list)  # (start, end, label) of the learned extractor


@lru_cache(maxsize=2)
def _pipeline(disable: tuple[str, ...], statistical: bool, segment: str) -> Language:
    nlp = build_nlp(disable, segment)
    if statistical:
        from ..models import ner  # noqa: F401  registers the "parmine_statistical" factory

        nlp.add_pipe("parmine_statistical")
    return nlp


def pipeline(options: Options) -> Language:
    """The spaCy pipeline ``options`` ask for, built once per process (a
    worker's warm-up and its documents share it)."""
    return _pipeline(tuple(options.disable), options.statistical, options.segment)


def _extract(text: CleanText, tables: list[Table], options: Options) -> Extraction:
    nlp = pipeline(options)
    doc = nlp.make_doc(text.text)
    doc._.tables = tables
    doc = nlp(doc)
    return Extraction(
        text=text.text, metadata=doc._.metadata or Metadata(), header=doc._.header or Header(),
        sections=doc._.sections or [], citations=records(doc, "citations", Citation),
        dates=records(doc, "dates", DateMention), periods=records(doc, "periods", Period),
        quantities=records(doc, "quantities", Quantity),
        indicators=doc._.indicators or [], tables=tables, clean=text, sentences=doc._.sentences,
        statistical=[(s.start_char, s.end_char, s.label_) for s in doc.spans.get("statistical", [])])


def extract_document(doc: Document, options: Options | None = None) -> Extraction:
    """A document already read: its pages cleaned (PDF and OCR lines
    reflowed into paragraphs), then mined."""
    text = clean(doc.pages, reflow_lines=doc.format in LAYOUT_FORMATS)
    return _extract(text, doc.tables, options or Options())


def extract_text(text: str, *, options: Options | None = None) -> Extraction:
    """One string, mined as a text file's page would be."""
    return _extract(clean([Page(1, text)]), [], options or Options())


def extract_file(path: str | Path, *, options: Options | None = None) -> Extraction:
    """One file, read and mined (raises
    :class:`~parmine.corpus.document.ReadError` when it cannot be read)."""
    options = options or Options()
    cache = Path(options.ocr_cache) if options.ocr_cache else None
    return extract_document(read(path, ocr_cache=cache), options)
