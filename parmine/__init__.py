"""parmine: mining Vietnamese public-administration-reform reports into a dataset."""

__version__ = "0.1.0"
# Bumped whenever extraction output changes: the run cache keys documents by
# (sha256, PIPELINE_VERSION), so a new version reprocesses everything.
PIPELINE_VERSION = f"{__version__}+6"
