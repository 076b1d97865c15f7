"""``drill export``: the review log and card states as JSON or CSV (never changes the store)."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from drill.commands.common import UsageError
from drill.parse.textsafe import shown

NAME = "export"
HELP = "export the review log and card states (JSON or CSV)"
READ_ONLY = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="output format (default: json)")
    parser.add_argument(
        "--out", metavar="FILE",
        help="write to FILE (replaced atomically; through a symlink, its target) instead of stdout; - is stdout",
    )


def run(store, args: argparse.Namespace) -> int:
    from drill.stats.export import render
    from drill.store.filelock import atomic_write_bytes

    out = Path(args.out).expanduser() if args.out not in (None, "-") else None
    stream = False
    if out is not None:
        target = Path(os.path.realpath(out))  # a symlink is written through, never replaced
        store_files = {store.path, store.journal.path.resolve(), store.lock.path.resolve()}
        if target in store_files:
            raise UsageError(f"{shown(args.out)}: refusing to overwrite the store's own files")
        if target.is_dir():
            raise UsageError(f"{shown(args.out)}: is a directory")
        try:
            # /dev/stdout, a pipe, a terminal: written into as it is (it cannot be replaced).
            stream = not stat.S_ISREG(os.stat(out).st_mode)
        except OSError:
            stream = False
        if not stream:
            out = target
    text = render(args.format, store.reviews(), store.cards(archived=True), store.card_id_of)
    if out is None:
        sys.stdout.write(text)
        return 0
    data = text.encode("utf-8", "surrogateescape")
    try:
        if stream:
            with open(out, "wb") as f:
                f.write(data)
        else:
            atomic_write_bytes(out, data)
    except OSError as exc:
        print(shown(f"drill: {args.out}: {exc.strerror or exc}"), file=sys.stderr)
        return 1
    return 0
