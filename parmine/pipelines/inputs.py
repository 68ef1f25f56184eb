"""What a run works on: files found in folders and .zip archives.

:func:`collect` walks the inputs, extracts archives safely and gives every
file a doc_id (its stem; when two files share a stem, the text version
keeps the bare stem and the others get their format appended, e.g.
``báo-cáo.pdf`` → ``báo-cáo.pdf``).  Archives are extracted into the
output folder with three guards: no member may land outside the target
(absolute paths, ``..``), at most ``MAX_MEMBERS`` members, and at most
``MAX_BYTES`` uncompressed bytes (also checked while decompressing, since
headers can lie) — a refused archive becomes an error row.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 5000
MAX_BYTES = 2 * 1024**3
MAX_RATIO = 200  # uncompressed / compressed for one member

# Which file keeps the bare stem when several share one.
_FORMAT_RANK = {".txt": 0, ".md": 1, ".docx": 2, ".doc": 3, ".pdf": 4}


@dataclass
class Item:
    path: Path
    doc_id: str


@dataclass
class Collected:
    items: list[Item] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # (doc_id, path, stage, reason)


class UnsafeArchive(Exception):
    pass


def _members_ok(zf: zipfile.ZipFile, target: Path) -> list[zipfile.ZipInfo]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"archive has {len(infos)} members, more than the limit of {MAX_MEMBERS}")
    total = 0
    root = target.resolve()
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts:
            raise UnsafeArchive(f"member {info.filename!r} would be written outside the extraction folder")
        if not str((root / name).resolve()).startswith(str(root) + os.sep):
            raise UnsafeArchive(f"member {info.filename!r} would be written outside the extraction folder")
        total += info.file_size
        if total > MAX_BYTES:
            raise UnsafeArchive(f"archive expands to more than {MAX_BYTES} bytes (zip bomb?)")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10 * 1024**2:
            raise UnsafeArchive(f"member {info.filename!r} has a compression ratio of "
                                f"{info.file_size // info.compress_size}:1 (zip bomb?)")
    return infos


def extract_zip(archive: Path, into: Path) -> Path:
    """Extract ``archive`` under ``into`` (a folder named by its hash), safely."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    target = into / f"{archive.stem}-{digest}"
    if (target / ".complete").exists():
        return target
    tmp = into / f".{archive.stem}-{digest}.part"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as zf:
            written = 0
            for info in _members_ok(zf, tmp):
                dest = tmp / PurePosixPath(info.filename.replace("\\", "/"))
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > MAX_BYTES:
                            raise UnsafeArchive(f"archive expands to more than {MAX_BYTES} bytes (zip bomb?)")
                        out.write(chunk)
        (tmp / ".complete").touch()
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _files(root: Path):
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def collect(inputs: list[str | Path], workdir: Path) -> Collected:
    """Every file under ``inputs`` (archives extracted into ``workdir``)."""
    found: list[Path] = []
    out = Collected()
    for inp in inputs:
        inp = Path(inp)
        if not inp.exists():
            out.errors.append({"doc_id": _stem(inp), "path": str(inp), "stage": "input",
                               "reason": "no such file or folder"})
            continue
        for path in _files(inp):
            if path.suffix.lower() == ".zip":
                try:
                    found.extend(_files(extract_zip(path, workdir)))
                except (UnsafeArchive, zipfile.BadZipFile, OSError) as exc:
                    out.errors.append({"doc_id": _stem(path), "path": str(path),
                                       "stage": "archive", "reason": f"archive refused: {exc}"})
            else:
                found.append(path)
    found = [p for p in found if p.name != ".complete"]
    found.sort(key=lambda p: (_stem(p), _FORMAT_RANK.get(p.suffix.lower(), 9), str(p)))
    taken: set[str] = set()
    for path in found:
        doc_id = _stem(path)
        if doc_id in taken:
            doc_id = path.name
            n = 2
            while doc_id in taken:
                doc_id, n = f"{path.name}~{n}", n + 1
        taken.add(doc_id)
        out.items.append(Item(path, doc_id))
    return out
