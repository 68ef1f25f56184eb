"""Progress beats from long reads, for the executor's time limit.

A reader calls :func:`beat` after every page it reads (``ocr=True`` after
an OCRed one).  The process pool's worker listens and passes each beat to
the main process, which stops a document only when it has gone ``timeout``
seconds without one — so a 300-page scan is not cut off while a page that
hangs Tesseract still is.  Without a listener a beat does nothing.
"""
from __future__ import annotations

from typing import Callable, Optional

_listener: Optional[Callable[[bool], None]] = None


def listen(listener: Optional[Callable[[bool], None]]) -> None:
    """Send every beat of this process to ``listener(ocr)`` (None: stop)."""
    global _listener
    _listener = listener


def beat(ocr: bool = False) -> None:
    """One more page read."""
    if _listener is not None:
        _listener(ocr)
