"""parmine: mining Vietnamese public-administration-reform reports into a dataset.

The public verbs (see :mod:`parmine.pipelines.extraction`)::

    from parmine import extract_text, extract_file
    ex = extract_text("Sở đã tiếp nhận 34 hồ sơ theo Quyết định số 41/2019/QĐ-UBND ngày 22/10/2019.")
    ex.metadata, ex.citations, ex.indicators   # typed records, each with its span and sentence

``parmine.pipelines.run.run`` mines folders and archives into a dataset;
the ``parmine`` command wraps both.
"""

__version__ = "0.1.0"
# Bumped whenever extraction output changes: the run cache keys documents by
# (sha256, PIPELINE_VERSION), so a new version reprocesses everything.
PIPELINE_VERSION = f"{__version__}+8"

__all__ = ["extract_text", "extract_file", "extract_document", "Extraction", "Options",
           "__version__", "PIPELINE_VERSION"]


def __getattr__(name: str):
    """The verbs load spaCy and the rules on first use, not on ``import parmine``."""
    if name in ("extract_text", "extract_file", "extract_document", "Extraction", "Options"):
        from .pipelines import extraction

        return getattr(extraction, name)
    raise AttributeError(f"module 'parmine' has no attribute {name!r}")
