"""Nothing the command line prints carries a raw control, bidi or invisible character.

:func:`guarded_streams` wraps ``sys.stdout`` and ``sys.stderr`` for the whole run of
``drill``: every write goes through :func:`drill.parse.textsafe.shown_lines`, so a
control character, bidi override or invisible character from a file name, deck name
or store entry is printed escaped (``\\x1b``), never raw, whatever the call site
forgot; and an undecodable file-name byte is printed as ``\\xe9`` instead of
crashing the print. Newlines stay.

``--json`` output goes through :func:`print_json`, whose ``\\uXXXX`` escapes leave the
guard nothing to do, so the JSON stays valid and the exact paths recoverable.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from drill.parse.textsafe import json_dumps, shown_lines

__all__ = ["GuardedStream", "guarded_streams", "print_json"]


class GuardedStream(io.TextIOBase):
    """A text stream that escapes what a terminal must not get raw, then writes it on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(shown_lines(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


@contextmanager
def guarded_streams() -> Iterator[None]:
    """``sys.stdout`` / ``sys.stderr`` guarded for the duration (restored after)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = GuardedStream(out), GuardedStream(err)
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        sys.stdout, sys.stderr = out, err


def print_json(payload: object) -> None:
    """*payload* as indented JSON on stdout, every unsafe character ``\\uXXXX``-escaped."""
    print(json_dumps(payload, indent=2))
