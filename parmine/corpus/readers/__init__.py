"""One reader per format, each ``read(path, doc_id, sha256, **options) -> Document``."""
