"""The document model every reader returns.

A :class:`Document` is what parmine knows about one input file before any
extraction: its identity (doc_id, path, sha256, format), the text of each
page and where that text came from (a text layer or OCR), the tables found
in it (rows of cells), and warnings the reader wants a person to see.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Page:
    """One page of text.  ``number`` counts from 1; ``source`` is ``text``
    (a text file, a DOCX, a PDF text layer) or ``ocr``."""

    number: int
    text: str
    source: str = "text"


@dataclass
class Table:
    """A table as rows of cell strings (blank cell = "").

    ``page`` is the page it stands on, ``offset`` the character offset in
    that page's text where it stood (the table's own text is not part of the
    page text), ``title`` the caption line just above it when there is one
    ("TỔNG HỢP SỐ LƯỢNG HỒ SƠ ...").
    """

    rows: list[list[str]]
    page: int = 1
    offset: int = 0
    title: Optional[str] = None


@dataclass
class Document:
    """One input file, read."""

    doc_id: str
    path: str
    sha256: str
    format: str  # txt | md | html | pdf | scan-pdf | image | docx | doc
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ocr_pages(self) -> list[int]:
        """Numbers of the pages whose text came from OCR."""
        return [p.number for p in self.pages if p.source == "ocr"]


class ReadError(Exception):
    """A file that cannot be read: ``stage`` names the step that failed
    (``detect``, ``decode``, ``pdf``, ``ocr``, ``docx``, ``convert``) and the
    message says why in plain words."""

    def __init__(self, reason: str, stage: str = "read"):
        super().__init__(reason)
        self.reason = reason
        self.stage = stage
