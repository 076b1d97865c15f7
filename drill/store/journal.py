"""The review journal: an append-only, fsync'd file of JSON lines.

Every grade, undo and bury is one line. The journal is the source of truth
for scheduling state; the TinyDB file holds a compacted copy plus the byte
offset up to which the journal has been folded in. Appending one line is the
whole cost of a grade, whatever the size of the store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from drill.store import schema
from drill.store.filelock import FILE_MODE, json_bytes, restrict_mode

_CHUNK = 64 * 1024
MAX_TORN = _CHUNK
"""A tail without a newline up to this long is a torn, unacknowledged record."""


@dataclass
class Tail:
    """Records read from a journal offset onwards."""

    records: list[dict] = field(default_factory=list)
    end: int = 0
    """Offset just after the last complete line read."""
    bad_lines: int = 0


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is not None:
            # The file was replaced since we opened it (a store upgrade, ``drill doctor``): an
            # append to the old inode would be lost. One stat; the caller holds the write lock.
            try:
                current = os.stat(self.path)
                mine = os.fstat(self._fd)
                if (current.st_ino, current.st_dev) != (mine.st_ino, mine.st_dev):
                    self.close()
            except FileNotFoundError:
                self.close()
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, FILE_MODE)
            restrict_mode(self._fd)  # a journal created 0644 by an older drill becomes 0600
        return self._fd

    def size(self) -> int:
        try:
            return os.stat(self.path).st_size
        except FileNotFoundError:
            return 0

    def append(self, record: dict) -> int:
        """Append one record durably; return the offset after it.

        The caller holds the store's write lock. If an earlier process died
        mid-line, that torn line was never acknowledged: it is cut off first
        (readers never consume a line without its newline), so it neither
        corrupts this record nor lingers as an unreadable line.

        If writing or syncing fails (disk full, I/O error), the file is cut back
        to where it was and the error propagates: a grade reported as not saved
        must not come back on the next read, nor leave half a line behind.
        """
        return self.append_many([record])

    def append_many(self, records: list[dict], lines: list[bytes] | None = None) -> int:
        """:meth:`append` for several records: one write, one fsync (a sync's batch).
        *lines*: the records already encoded (``json_bytes``), one per record."""
        fd = self._open()
        data = b"".join(line + b"\n" for line in (lines if lines is not None else map(json_bytes, records)))
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            end = _torn_tail_start(fd, size)
            if end is not None:
                os.ftruncate(fd, end)
                size = end
            else:  # too long to be one torn record: keep it, as one unreadable line
                data = b"\n" + data
        try:
            while data:
                written = os.write(fd, data)
                data = data[written:]
            os.fsync(fd)
        except BaseException as exc:
            try:
                os.ftruncate(fd, size)
                os.fsync(fd)
            except OSError:  # pragma: no cover - the torn line stays; readers skip it
                pass
            if isinstance(exc, OSError) and exc.filename is None:  # a full disk: name the journal
                raise type(exc)(exc.errno, exc.strerror or str(exc), str(self.path)) from None
            raise
        return os.fstat(fd).st_size

    def read_from(self, offset: int) -> Tail:
        """Read complete lines from ``offset`` to the end of the file."""
        tail = Tail(end=offset)
        try:
            with open(self.path, "rb") as f:
                f.seek(offset)
                data = f.read()
        except FileNotFoundError:
            return tail
        last_newline = data.rfind(b"\n")
        if last_newline < 0:
            return tail
        complete = data[: last_newline + 1]
        tail.end = offset + len(complete)
        for raw in complete.splitlines():
            if not raw.strip():
                continue
            record = _decode(raw)
            if record is None:  # not JSON, nested too deeply, or not an object
                tail.bad_lines += 1
            else:
                tail.records.append(record)
        return tail

    def iter_reverse(self) -> Iterator[dict]:
        """Yield records newest first, reading the file backwards in chunks."""
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return
        with f:
            f.seek(0, os.SEEK_END)
            pos = f.tell()
            remainder = b""
            while pos > 0:
                step = min(_CHUNK, pos)
                pos -= step
                f.seek(pos)
                chunk = f.read(step) + remainder
                lines = chunk.split(b"\n")
                remainder = lines[0]
                for raw in reversed(lines[1:]):
                    record = _decode(raw)
                    if record is not None:
                        yield record
            record = _decode(remainder)
            if record is not None:
                yield record

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _torn_tail_start(fd: int, size: int) -> int | None:
    """Where the unterminated last line of a file of *size* bytes starts, or None
    if it is longer than MAX_TORN (then it is not a torn record)."""
    start = max(0, size - MAX_TORN - 1)
    newline = os.pread(fd, size - start, start).rfind(b"\n")
    if newline >= 0:
        return start + newline + 1
    return 0 if start == 0 else None


def _decode(raw: bytes) -> dict | None:
    """The JSON object on one line; None if it is not one (nesting too deep included).

    Whether a record fits its type's schema is the store's business (drill.store.schema)."""
    if not raw.strip():
        return None
    ok, record = schema.decode(raw)
    return record if ok and isinstance(record, dict) else None
