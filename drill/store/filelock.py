"""Inter-process locking and durable file writes for the store.

Writers take an exclusive ``flock`` on a side file; readers never lock,
because every write either appends whole lines to the journal or replaces
the store file with an atomic rename.
"""

from __future__ import annotations

import errno
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl
    fcntl = None  # type: ignore[assignment]

FILE_MODE = 0o600
DIR_MODE = 0o700


class StoreBusy(OSError):
    """Another drill process holds the write lock for longer than we wait.

    An OSError, so that every "could not save" path (the review screen's grade,
    undo and bury among them) reports it instead of crashing."""


def ensure_dir(path: Path) -> None:
    """*path* and any missing parents, each created 0700 (``mkdir(parents=True)`` gives the
    parents the default mode); existing folders are left as they are."""
    missing = []
    current = Path(path)
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask


def restrict_path_mode(path: Path) -> None:
    """:func:`restrict_mode` for a file by path, if it is there."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    try:
        restrict_mode(fd)
    finally:
        os.close(fd)


def restrict_mode(fd: int) -> None:
    """Make the file behind *fd* 0600 if it is ours and more open than that."""
    try:
        st = os.fstat(fd)
        if st.st_uid == os.getuid() and st.st_mode & 0o777 != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except (OSError, AttributeError):  # pragma: no cover - not POSIX, or not allowed
        pass


def json_bytes(data: object) -> bytes:
    """Compact UTF-8 JSON for the store and the journal.

    Normally UTF-8 as it is; should a string hold a lone surrogate (the undecodable
    bytes of a file name), the whole text is ASCII-escaped instead, which encodes and
    reads back to exactly the same strings, instead of failing the write.
    """
    import json

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - some filesystems refuse
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half.

    temp file in the same directory (mode 0600) → write → fsync → rename → fsync dir.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    except OSError as exc:
        raise _naming(exc, path) from None  # a read-only folder: name the file, not its temp file
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, StoreBusy):
            raise _naming(exc, path) from None  # a full disk: say which file could not be written
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise _naming(exc, path) from None
    fsync_dir(path.parent)


def _naming(exc: OSError, path: Path) -> OSError:
    """*exc* (same type and errno) about *path*."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


class WriteLock:
    """An exclusive, inter-process lock held while the store is written."""

    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    @contextmanager
    def held(self, timeout: float | None = None) -> Iterator[None]:
        if self._depth:  # re-entrant within one process
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._acquire(self.timeout if timeout is None else timeout)
        self._depth = 1
        try:
            yield
        finally:
            self._depth = 0
            self._release()

    def _acquire(self, timeout: float) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            restrict_mode(self._fd)
        if fcntl is None:  # pragma: no cover
            return
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{self.path.with_suffix('')}: another drill process is writing "
                    f"to this store; waited {timeout:g}s, try again in a moment"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _release(self) -> None:
        if self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
