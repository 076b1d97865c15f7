"""``drill export``: the review log and card states as JSON or CSV (never changes the store)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drill.commands.common import UsageError

NAME = "export"
HELP = "export the review log and card states (JSON or CSV)"
READ_ONLY = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="output format (default: json)")
    parser.add_argument("--out", metavar="FILE", help="write to FILE (replaced atomically) instead of stdout")


def run(store, args: argparse.Namespace) -> int:
    from drill.stats.export import render
    from drill.store.filelock import atomic_write_bytes

    out = Path(args.out).expanduser() if args.out else None
    if out is not None:
        target = out.resolve()
        store_files = {store.path, store.journal.path.resolve(), store.lock.path.resolve()}
        if target in store_files:
            raise UsageError(f"{args.out}: refusing to overwrite the store's own files")
        if target.is_dir():
            raise UsageError(f"{args.out}: is a directory")
    text = render(args.format, store.reviews(), store.cards(archived=True))
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        atomic_write_bytes(out, text.encode("utf-8"))
    except OSError as exc:
        print(f"drill: {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
