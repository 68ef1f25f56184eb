"""What the main process and the workers hand each other: the
:class:`Options` a document is mined with, and its :class:`Result` (rows,
or an error row made by :func:`error_row`).

A module of plain dataclasses on purpose: the main process of a run needs
these and never the extraction itself, so it does not import spaCy, the
readers or the rules (the workers do: :mod:`parmine.pipelines.process`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional


@dataclass(frozen=True)
class Options:
    """How a document is mined: components left out, the learned extractor
    beside the rules, what underthesea segments (``none``, ``numeric``,
    ``all``: :class:`~parmine.extract.tokenizer.UndertheseaTokenizer`), and
    where OCR results are cached; the registry files the report's audit
    checks its citations against (:func:`~parmine.corpus.registry.load_registry`
    specs; none: no registry)."""

    ocr_cache: str | None = None
    disable: tuple[str, ...] = ()
    statistical: bool = False
    segment: str = "none"
    registry: tuple[str, ...] = ()


@dataclass
class Result:
    """The rows of one document (``rows[table]``, Arrow tables in the
    store's schema), or its ``error`` row."""

    doc_id: str
    path: str
    sha256: Optional[str] = None
    stamp: Optional[tuple[int, int]] = None  # the file's size and time before it was read (inputs.stamp)
    rows: dict = field(default_factory=dict)
    error: Optional[dict] = None
    pages: int = 0
    ocr_pages: int = 0
    seconds: float = 0.0


def utc_now() -> datetime:
    """Now, in UTC, without a time zone (as the store keeps times)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def error_row(doc_id: str, path: str, stage: str, reason: str, sha256: str | None = None) -> dict:
    """The ``errors`` row of a document that could not be read or mined."""
    return {"doc_id": doc_id, "path": path, "sha256": sha256, "stage": stage,
            "reason": reason, "at": utc_now()}
