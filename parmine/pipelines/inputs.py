"""What a run works on: the files found in folders and .zip archives, each
with the source it is read from and a doc_id.

**Sources.** A file's source is its absolute path (links resolved); an
archive member's is ``/abs/ARCHIVE.zip!member/path`` (a second member of the
same name is ``…!member/path#2``).  The source is what the ``path`` column
records, and what identifies a document from one run to the next.

**doc_ids** (:func:`_assign_doc_ids`).  A source stored before keeps its
doc_id.  A new one gets its stem (``báo-cáo.txt`` → ``báo-cáo``) when no
other source holds it — in this run or in the store.  When one does, a file
in the same folder as the holder (a format variant: ``báo-cáo.pdf`` beside
``báo-cáo.txt``) gets its file name (``báo-cáo.pdf``); any other gets
``<stem>~<first 8 hex digits of the sha256 of its source>``, and unless it
is a variant within this run the run warns.  Among new files sharing a
stem, text formats come first (``.txt`` keeps the bare stem).  So nothing
stored is ever replaced by another file, and a unique stem stays the
doc_id, as the scorer expects.  (Rows stored by a parmine that recorded
relative paths, or archive members by their extraction folder, cannot be
matched to a source: their doc_ids go to whichever file has that stem, as
they did then.)

**Walking.** Hidden files and folders are skipped, and so is the output
folder when it lies inside an input.  A symbolic link is followed only when
it points inside the input folder given; a link leaving it, a broken link,
something that is not a regular file (a pipe, a device) and a folder that
cannot be listed become error rows (stage ``input``).  A file reached twice
(a folder and a path inside it, or a link) is read once.

**Archives** are extracted into ``workdir`` under numbered file names (a
member's name never reaches the file system) with guards: no member named
outside the archive (absolute paths, ``..``), at most ``MAX_MEMBERS``
members, at most ``MAX_BYTES`` uncompressed bytes and ``MAX_RATIO`` times
the archive's size (also while decompressing, since headers can lie), and
at most ``RUN_MAX_BYTES`` for all the archives of a run.  A refused archive
is an error row.  The limits can be changed through the environment
variables named below.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import zipfile
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Optional, Sequence, overload

MAX_MEMBERS = int(os.environ.get("PARMINE_ZIP_MAX_MEMBERS", 5000))
MAX_BYTES = int(os.environ.get("PARMINE_ZIP_MAX_BYTES", 2 * 1024**3))
MAX_RATIO = int(os.environ.get("PARMINE_ZIP_MAX_RATIO", 200))  # uncompressed / compressed
RUN_MAX_BYTES = int(os.environ.get("PARMINE_RUN_MAX_EXTRACTED_BYTES", 20 * 1024**3))
SETTLED_NS = 2_000_000_000  # a file modified longer ago than this is judged by its size and time
RATIO_FLOOR = 10 * 1024**2  # smaller expansions are not checked for their ratio
MANIFEST = ".members.json"  # written last: an extraction is complete when it is there

# Which new file keeps the bare stem when several share one.
_FORMAT_RANK = {".txt": 0, ".md": 1, ".html": 2, ".htm": 2, ".docx": 3, ".doc": 4, ".pdf": 5}
_ARCHIVE_SOURCE = re.compile(r"(.*?\.zip)!(.*)\Z", re.I | re.S)


@dataclass(slots=True)
class Item:
    """A file to mine: where to read it, its doc_id, and its source (see
    the module docstring; the file itself when not given).  Plain strings
    (a run holds one item per input: a ``Path`` costs five times more)."""

    file: str
    doc_id: str
    source: str = ""

    def __post_init__(self):
        self.file = os.fspath(self.file)
        self.source = self.source or self.file


class Items:
    """Files to mine, packed: their strings in one buffer, with a list's
    order (:meth:`sort`, :meth:`reverse`, :meth:`pop` from the end) kept
    as item numbers.  50,000 inputs take 5 MB, where as :class:`Item`
    objects they took 18 MB for most of a run: the pool hands them out by
    size, so the memory of almost none is freed before the end.  A source
    that is its file is not stored twice; a file name that is not UTF-8
    comes back as it was (``surrogateescape``)."""

    def __init__(self, items: Iterable[Item] = ()):
        self._text = bytearray()
        self._ends = array("Q")  # where each item's file, doc_id and source end in _text
        self._order = array("I")  # item numbers, in the order of the sequence
        for item in items:
            self.append(item)

    def append(self, item: Item) -> None:
        self._order.append(len(self._ends) // 3)
        for s in (item.file, item.doc_id, "" if item.source == item.file else item.source):
            self._text += s.encode("utf-8", "surrogateescape")
            self._ends.append(len(self._text))

    def _item(self, n: int) -> Item:
        start = self._ends[3 * n - 1] if n else 0
        parts = []
        for end in self._ends[3 * n:3 * n + 3]:
            parts.append(self._text[start:end].decode("utf-8", "surrogateescape"))
            start = end
        return Item(*parts)

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> Item: ...
    @overload
    def __getitem__(self, i: slice) -> list[Item]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._item(n) for n in self._order[i]]
        return self._item(self._order[i])

    def __iter__(self) -> Iterator[Item]:
        return (self._item(n) for n in self._order)

    def sort(self, *, key: Callable[[Item], int], reverse: bool = False) -> None:
        self._order = array("I", sorted(self._order, key=lambda n: key(self._item(n)), reverse=reverse))

    def reverse(self) -> None:
        self._order.reverse()

    def pop(self) -> Item:
        return self._item(self._order.pop())


@dataclass
class Collected:
    items: Items = field(default_factory=Items)
    errors: list[dict] = field(default_factory=list)  # (doc_id, path, stage, reason)
    warnings: list[str] = field(default_factory=list)


class UnsafeArchive(Exception):
    pass


def file_sha256(path: str | Path) -> str:
    """sha256 of a file, read 1 MB at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def stamp(path: str | Path) -> tuple[int, int] | None:
    """A file's (size, modification time in ns), by which a later run takes
    it as unchanged without reading it (as make and rsync judge a file);
    None when it was modified in the last :data:`SETTLED_NS` or is dated
    ahead of the clock: written again within the clock's resolution, it
    would look the same."""
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns) if time.time_ns() - st.st_mtime_ns > SETTLED_NS else None


class _Budget:
    """Bytes the archives of one run may still expand to."""

    def __init__(self, limit: int):
        self.left = limit

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise UnsafeArchive(f"the archives of this run expand to more than {RUN_MAX_BYTES} bytes "
                                "(PARMINE_RUN_MAX_EXTRACTED_BYTES)")


def _members_ok(zf: zipfile.ZipFile, size: int) -> list[zipfile.ZipInfo]:
    """The members to extract, after the guards on what the headers say."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"archive has {len(infos)} members, more than the limit of {MAX_MEMBERS} "
                            "(PARMINE_ZIP_MAX_MEMBERS)")
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or re.match(r"[A-Za-z]:", name.as_posix()):
            raise UnsafeArchive(f"member {info.filename!r} would be written outside the extraction folder")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > RATIO_FLOOR:
            raise UnsafeArchive(f"member {info.filename!r} has a compression ratio of "
                                f"{info.file_size // info.compress_size}:1 (zip bomb?)")
    _check_total(sum(i.file_size for i in infos), size)
    return infos


def _check_total(total: int, size: int) -> None:
    if total > MAX_BYTES:
        raise UnsafeArchive(f"archive expands to more than {MAX_BYTES} bytes (zip bomb?; "
                            "PARMINE_ZIP_MAX_BYTES)")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(size, 1):
        raise UnsafeArchive(f"archive of {size} bytes expands to more than {total} bytes, over "
                            f"{MAX_RATIO} times its size (zip bomb?; PARMINE_ZIP_MAX_RATIO)")


def _suffix(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def extract_zip(archive: Path, into: Path,
                budget: Optional[_Budget] = None) -> list[tuple[str, str, Path]]:
    """Extract ``archive`` under ``into`` (a folder named by its hash), safely;
    returns (member label, member file name, extracted file) for every
    member, in archive order."""
    budget = budget or _Budget(RUN_MAX_BYTES)
    target = into / f"{archive.stem}-{file_sha256(archive)[:16]}"
    if (target / MANIFEST).exists():
        members = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        budget.take(sum(m[3] for m in members))
        return [(label, name, target / file) for label, name, file, _ in members]
    tmp = into / f".{target.name}.part"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    written = 0
    try:
        size = archive.stat().st_size
        members = []
        seen: Counter[str] = Counter()
        with zipfile.ZipFile(archive) as zf:
            for k, info in enumerate(_members_ok(zf, size)):
                label = name = info.filename.replace("\\", "/")
                if any(part.startswith(".") for part in PurePosixPath(name).parts):
                    continue  # hidden, as in a folder (__MACOSX/._x.pdf, .DS_Store)
                seen[name] += 1
                if seen[name] > 1:  # a second member of the same name is a document too
                    label = f"{name}#{seen[name]}"
                dest = tmp / f"{k:05d}{_suffix(info.filename)}"
                start = written
                with zf.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        budget.take(len(chunk))
                        _check_total(written, size)
                        out.write(chunk)
                members.append((label, PurePosixPath(name).name, dest.name, written - start))
        (tmp / MANIFEST).write_text(json.dumps(members, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        budget.left += written  # nothing of a refused archive is kept
        raise
    return [(label, name, target / file) for label, name, file, _ in members]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _walk(top: Path, root: Path, skip: set[Path],
          visited: set[Path]) -> Iterator[tuple[Path, Optional[str]]]:
    """(file, None) for every file under ``top``, or (path, why it is skipped)."""
    real = top.resolve()
    if real in visited or real in skip:
        return
    visited.add(real)
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        yield top, f"cannot list the folder ({exc.strerror or exc})"
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                yield path, "a broken symbolic link: skipped"
                continue
            if not _inside(target, root):
                yield path, f"a symbolic link to {target}, outside the input folder {root}: not followed"
                continue
        try:
            if entry.is_dir():
                yield from _walk(path, root, skip, visited)
            elif entry.is_file():
                yield path, None
            else:
                yield path, "not a regular file (a pipe, socket or device): skipped"
        except OSError as exc:
            yield path, f"cannot read it ({exc.strerror or exc})"


def _files(inp: Path, skip: set[Path]) -> Iterator[tuple[Path, Optional[str]]]:
    """What one input holds (a file given by name is read even through a link)."""
    if inp.is_dir():
        root = inp.resolve()
        yield from _walk(inp, root, skip, set())
    elif inp.is_file():
        yield inp, None
    else:
        yield inp, "not a regular file (a pipe, socket or device): skipped"


def files_in(inp: str | Path) -> Iterator[Path]:
    """The files a run takes from one input (a folder walked as a run walks
    it: links leaving it and special files left out)."""
    for path, problem in _files(Path(inp), set()):
        if problem is None:
            yield path


@dataclass(slots=True)
class _Entry:
    source: str
    name: str  # the file name its doc_id comes from
    file: Optional[str] = None  # what to read (None: an error)
    stage: str = ""
    reason: str = ""
    doc_id: str = ""


def _stem(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return name[: -len(suffix)] if suffix else name


def _folder(source: str) -> str:
    m = _ARCHIVE_SOURCE.match(source)
    if m:
        return f"{m.group(1)}!{PurePosixPath(m.group(2)).parent}"
    return os.path.dirname(source)


def _legacy(source: str) -> bool:
    """A path stored before sources were recorded (relative, or an archive
    member's extraction folder)."""
    return not os.path.isabs(source) or f"{os.sep}.inputs{os.sep}" in source


def _assign_doc_ids(entries: list[_Entry], known: dict[str, str], warnings: list[str]) -> None:
    """Give every entry its doc_id (rules in the module docstring);
    ``known`` maps the sources already stored to their doc_ids."""
    known = {source: doc_id for source, doc_id in known.items() if not _legacy(source)}
    holder = {doc_id: source for source, doc_id in known.items()}
    from_store = set(holder)
    fresh = []
    for e in entries:
        if e.source in known:
            e.doc_id = known[e.source]
        else:
            fresh.append(e)
    fresh.sort(key=lambda e: (_stem(e.name), _FORMAT_RANK.get(_suffix(e.name), 9), e.source))
    for e in fresh:
        stem = e.doc_id = _stem(e.name)
        if stem in holder:
            other = holder[stem]
            if _folder(other) == _folder(e.source) and e.name not in holder:
                e.doc_id = e.name
            else:
                base = f"{stem}~{hashlib.sha256(e.source.encode()).hexdigest()[:8]}"
                e.doc_id, n = base, 2
                while e.doc_id in holder:
                    e.doc_id, n = f"{base}-{n}", n + 1
            if stem in from_store or e.doc_id != e.name:
                warnings.append(f"{e.source}: doc_id {stem!r} is held by {other}"
                                f"{' (stored earlier)' if stem in from_store else ''}; "
                                f"stored as {e.doc_id!r}")
        holder[e.doc_id] = e.source


def collect(inputs: Sequence[str | Path], workdir: Path, *, skip: tuple = (),
            known: Optional[dict[str, str]] = None) -> Collected:
    """Every file under ``inputs`` (archives extracted into ``workdir``),
    leaving out the folders in ``skip``; ``known`` maps the sources stored
    before to their doc_ids."""
    skip_real = {Path(p).resolve() for p in skip}
    entries: list[_Entry] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    budget = _Budget(RUN_MAX_BYTES)
    for inp in inputs:
        inp = Path(inp)
        if not inp.exists():
            entries.append(_Entry(os.path.abspath(inp), inp.name, None, "input", "no such file or folder"))
            continue
        for path, problem in _files(inp, skip_real):
            source = os.path.abspath(path) if problem else str(path.resolve())
            if source in seen:
                if seen[source] != str(path):
                    warnings.append(f"{path}: the same file as {seen[source]}, read once")
                continue
            seen[source] = str(path)
            if problem:
                entries.append(_Entry(source, path.name, None, "input", problem))
                continue
            if path.suffix.lower() != ".zip":
                entries.append(_Entry(source, path.name, str(path)))
                continue
            try:
                members = extract_zip(path, workdir, budget)
            except (UnsafeArchive, zipfile.BadZipFile, OSError) as exc:
                entries.append(_Entry(source, path.name, None, "archive", f"archive refused: {exc}"))
                continue
            for label, name, file in members:
                entries.append(_Entry(f"{source}!{label}", name, str(file)))
    _assign_doc_ids(entries, known or {}, warnings)
    out = Collected(warnings=warnings)
    for e in sorted(entries, key=lambda e: e.source):
        if e.file is None:
            out.errors.append({"doc_id": e.doc_id, "path": e.source, "stage": e.stage, "reason": e.reason})
        else:
            out.items.append(Item(e.file, e.doc_id, e.source))
    return out
