"""``drill sync``: re-import what changed in the registered folders."""

from __future__ import annotations

import argparse
import sys

from drill.commands.common import print_problems, print_story_warnings
from drill.commands.output import print_json
from drill.parse.textsafe import shown

NAME = "sync"
MERGES_HISTORY = True  # after re-importing the notes (cards other devices reviewed may be among them)
HELP = "re-import the files that changed in registered folders, and merge other devices' history"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(store, args: argparse.Namespace) -> int:
    from drill.library.importer import left_out_line, reports_of
    from drill.library.sources import sync

    result = sync(store, dry_run=args.dry_run)
    history = None if args.dry_run else _sync_history(store)
    reports = reports_of(result.outcomes)
    for root in result.missing:
        print(shown(f"{root}: folder not found; skipped (its cards are kept)"), file=sys.stderr)
    failed = print_problems(reports)
    if not args.dry_run:
        print_story_warnings(store, reports)
    if args.json:
        payload = {
            "folders": result.folders,
            "unchanged": result.unchanged,
            "missing": result.missing,
            "files": [r.to_json() for r in reports],
        }
        if history is not None:
            from drill.commands.devices import _report_json

            payload["history"] = _report_json(history)
        print_json(payload)
        return 1 if failed or result.missing else 0
    if history is not None:
        print(shown(history.line()))
    if not result.folders:
        print("no folders registered yet: `drill import DIR` registers one")
        return 0
    for r in reports:
        if r.deleted or not (r.error or r.excluded):
            print("\n".join(r.lines()))
    left_out = left_out_line(reports)
    if left_out:
        print(left_out)
    changed = sum(1 for r in reports if not r.error and not r.deleted and not r.excluded)
    deleted = sum(1 for r in reports if r.deleted)
    verb = "would sync" if args.dry_run else "synced"
    folders = f"{result.folders} folder{'s' if result.folders != 1 else ''}"
    excluded = sum(1 for r in reports if r.excluded)
    tail = (f", {excluded} left out" if excluded else "") + (f", {len(failed)} failed" if failed else "")
    print(f"{verb} {folders}: {changed} changed, {deleted} deleted, {result.unchanged} unchanged{tail}")
    return 1 if failed or result.missing else 0


def _sync_history(store):
    """Other devices' reviews (after the notes: cards they name may just have been imported)."""
    from drill.store.history import CONFIG_KEY

    if store.extra(CONFIG_KEY) is None:
        return None
    from drill.devices.sync import sync as sync_history

    return sync_history(store)
