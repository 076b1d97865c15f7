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
from typing import Callable, Iterator

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
        size, before = cut_torn_tail(fd)
        try:
            write_all(fd, before + data)
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
        return iter_reverse(self.path)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def iter_whole_lines(path: str | os.PathLike, start: int = 0, end: int | None = None,
                     chunk: int = 4 << 20) -> Iterator[tuple[bytes, int]]:
    """Read the file at *path* forwards from *start* (to *end*, or its last complete line):
    (whole lines, offset after them) per chunk of about *chunk* bytes. A last line without
    its newline is never yielded (it is torn, or still being written)."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return
    with f:
        f.seek(start)
        pos = start
        carry = b""
        while end is None or pos < end:
            data = f.read(chunk if end is None else min(chunk, end - pos))
            if not data:
                break
            pos += len(data)
            data = carry + data
            cut = data.rfind(b"\n") + 1
            carry = data[cut:]
            if cut:
                yield data[:cut], pos - len(carry)


LEAVE_OUT = -1
"""What a *skip* hook of :func:`iter_reverse` returns to leave one record out."""


def iter_reverse(path: Path, skip: Callable[[dict, int, Callable[[int], bool]], int | None] | None = None
                 ) -> Iterator[dict]:
    """The records of the journal file at *path*, newest first, read backwards in chunks.

    *skip*, if given, sees each record first, as ``skip(record, start, starts_line)``: *start* is
    the offset of its line, ``starts_line(offset)`` says whether a line begins at *offset*. It
    returns None to yield the record, :data:`LEAVE_OUT` to leave it out, or an offset below
    *start* to leave out, unread, every line from that offset to this one (the reading goes on
    backwards from there: drill.store.history jumps over the old part of a batch so)."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return
    with f:

        def starts_line(offset: int) -> bool:
            if offset == 0:
                return True
            f.seek(offset - 1)
            return f.read(1) == b"\n"

        f.seek(0, os.SEEK_END)
        pos = f.tell()
        remainder = b""
        done = False
        while not done:
            if pos > 0:
                step = min(_CHUNK, pos)
                pos -= step
                f.seek(pos)
                lines = (f.read(step) + remainder).split(b"\n")
                remainder = lines[0]
                first = pos + len(remainder) + 1  # where lines[1] starts
                del lines[0]
            else:  # the file's first line
                lines, first, remainder, done = [remainder], 0, b"", True
            starts: list[int] = []
            if skip is not None:
                for raw in lines:
                    starts.append(first)
                    first += len(raw) + 1
            for i in range(len(lines) - 1, -1, -1):
                record = _decode(lines[i])
                if record is None:
                    continue
                if skip is not None:
                    verdict = skip(record, starts[i], starts_line)
                    if verdict == LEAVE_OUT:
                        continue
                    if verdict is not None:
                        pos, remainder, done = verdict, b"", False
                        break
                yield record


def cut_torn_tail(fd: int, limit: int = MAX_TORN) -> tuple[int, bytes]:
    """Before an append to the file open at *fd*: cut off its unterminated last line (a writer
    died mid-line; no reader consumed it) if it is at most *limit* bytes long. Returns the
    size after, and what to write before the new lines: a newline when the tail was too long
    to be a torn record (it is kept, as one unreadable line), else nothing."""
    size = os.fstat(fd).st_size
    if not size or os.pread(fd, 1, size - 1) == b"\n":
        return size, b""
    start = max(0, size - limit - 1)
    newline = os.pread(fd, size - start, start).rfind(b"\n")
    if newline < 0 and start > 0:
        return size, b"\n"
    end = start + newline + 1 if newline >= 0 else 0
    os.ftruncate(fd, end)
    return end, b""


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _decode(raw: bytes) -> dict | None:
    """The JSON object on one line; None if it is not one (nesting too deep included).

    Whether a record fits its type's schema is the store's business (drill.store.schema)."""
    if not raw.strip():
        return None
    ok, record = schema.decode(raw)
    return record if ok and isinstance(record, dict) else None
