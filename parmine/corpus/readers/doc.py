"""Legacy Word (.doc): LibreOffice headless converts it to .docx, which the
DOCX reader reads.  Each conversion uses its own LibreOffice profile, so
parallel workers do not collide, and a time limit."""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..document import Document, ReadError
from .docx import read_docx

CONVERT_TIMEOUT = float(os.environ.get("PARMINE_DOC_TIMEOUT", 120))


def read_doc(data: bytes, path: Path, doc_id: str, sha256: str) -> Document:
    with tempfile.TemporaryDirectory(prefix="parmine-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        cmd = ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT,
                           env=dict(os.environ, HOME=tmp))
        except FileNotFoundError:
            raise ReadError("LibreOffice is not installed (apt-get install "
                            "libreoffice-writer-nogui, or `make deps`)", "convert") from None
        except subprocess.TimeoutExpired:
            raise ReadError(f"LibreOffice took longer than {CONVERT_TIMEOUT:g} s to convert the .doc",
                            "convert") from None
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise ReadError("LibreOffice could not convert the .doc file (damaged or not a Word file)",
                            "convert")
        return read_docx(out.read_bytes(), path, doc_id, sha256, fmt="doc")
