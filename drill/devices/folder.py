"""The shared history folder: which file is whose, and reading each one from where we left off.

One file per device, ``<device-id>.journal``, only ever appended to by that
device, so git merges the folder without conflicts (two clones never change the
same file; ``.gitattributes`` says ``merge=union`` as a safety net for a store
copied to a second machine with its device id) and a file-sync tool never has two
writers of one file. The copies such tools make when they do see two versions
are read too, and their records merged by id:

* Syncthing: ``<id>.sync-conflict-20261201-093000-ABCDEFG.journal``;
* Dropbox: ``<id> (Ann's conflicted copy 2026-12-01).journal``, and the same
  shape from Nextcloud/ownCloud (``<id> (conflicted copy 2026-12-01 093000).journal``).

Only whole lines are read: a line without its newline (the file is still
arriving, or its writer is mid-append) is left for the next read. A file that
got shorter, or whose bytes before the read offset changed, was replaced
(re-cloned, restored): it is read again from the start, and its records are
deduplicated by id by the caller.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from drill.store import schema

SUFFIX = ".journal"
GITATTRIBUTES = "*.journal merge=union\n"
_ID = r"[0-9a-z]{6,32}"
_MAIN = re.compile(rf"({_ID})\.journal")
_SYNCTHING = re.compile(rf"({_ID})\.sync-conflict-[0-9]{{8}}-[0-9]{{6}}(?:-[0-9A-Z]{{7}})?\.journal")
_DROPBOX = re.compile(rf"({_ID}) \([^()]*conflicted copy[^()]*\)\.journal")
_MARK = 32


@dataclass(frozen=True)
class DeviceFileName:
    name: str
    device: str
    copy: bool
    """A conflict copy a sync tool made (its records are merged by id)."""


def parse_name(name: str) -> DeviceFileName | None:
    for pattern, copy in ((_MAIN, False), (_SYNCTHING, True), (_DROPBOX, True)):
        m = pattern.fullmatch(name)
        if m:
            return DeviceFileName(name, m.group(1), copy)
    return None


def list_files(folder: Path) -> list[DeviceFileName]:
    """Device files and conflict copies in *folder*, main files first, each group by name."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [f for f in map(parse_name, names) if f is not None]
    found.sort(key=lambda f: (f.copy, f.name))
    return found


def signature(folder: Path) -> tuple:
    """A cheap fingerprint of the folder's device files (name, size, mtime): when it is
    unchanged, there is nothing new to read (the app polls this)."""
    out = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    for entry in entries:
        if entry.name.endswith(SUFFIX):
            try:
                st = entry.stat()
            except OSError:
                continue
            out.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


@dataclass
class Read:
    """What is new in one file since the last read."""

    records: list[tuple[int, dict]] = field(default_factory=list)
    """(offset of the line in the file, record) for each whole, readable line."""
    lines: list[bytes] = field(default_factory=list)
    """With ``keep_lines``: each record's line as read (parallel to :attr:`records`)."""
    end: int = 0
    mark: str = ""
    replaced: bool = False
    """The file is not the one read before: read from the start."""
    bad_lines: int = 0
    torn: int = 0
    """Bytes after the last newline, left for the next read."""
    size: int = 0


def mark_at(data_before: bytes) -> str:
    return data_before[-_MARK:].hex()


def read_new(path: Path, offset: int = 0, mark: str = "", *, keep_lines: bool = False) -> Read:
    """The whole lines of *path* after *offset* (or all of it if it was replaced)."""
    out = Read(end=offset, mark=mark)
    asked = offset
    try:
        with open(path, "rb") as f:
            size = out.size = os.fstat(f.fileno()).st_size
            if offset:
                f.seek(max(0, offset - _MARK))
                if size < offset or f.read(min(offset, _MARK)).hex() != mark:
                    offset = 0
            f.seek(offset)
            data = f.read()
    except OSError:
        return out
    out.replaced = bool(asked) and not offset
    before = bytes.fromhex(mark) if offset else b""
    cut = data.rfind(b"\n") + 1
    out.torn = len(data) - cut
    pos = offset
    for raw in data[:cut].split(b"\n")[:-1]:
        start = pos
        pos += len(raw) + 1
        if not raw.strip():
            continue
        ok, record = schema.decode(raw)
        if not ok or not isinstance(record, dict) or not isinstance(record.get("t"), str):
            out.bad_lines += 1
            continue
        out.records.append((start, record))
        if keep_lines:
            out.lines.append(raw)
    out.end = offset + cut
    out.mark = mark_at(before + data[:cut])
    return out


def write_gitattributes(folder: Path) -> bool:
    """``.gitattributes`` in the folder (if there is none): union merges for the journals."""
    path = folder / ".gitattributes"
    if path.exists():
        return False
    from drill.store.filelock import atomic_write_bytes

    atomic_write_bytes(path, GITATTRIBUTES.encode())
    return True
