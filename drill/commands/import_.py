"""``drill import``: Markdown files and folders into the store."""

from __future__ import annotations

import argparse

from drill.commands.common import print_problems, print_story_warnings
from drill.commands.output import print_json

NAME = "import"
HELP = "import Markdown files or folders"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(store, args: argparse.Namespace) -> int:
    from drill.library.importer import import_paths

    reports = import_paths(store, args.paths, dry_run=args.dry_run)
    failed = print_problems(reports)
    if not args.dry_run:
        print_story_warnings(store, reports)
    if args.json:
        print_json({"files": [r.to_json() for r in reports]})
    else:
        for r in reports:
            if r.deleted or not r.error:
                print(r.summary())
        ok = sum(1 for r in reports if not r.error and not r.deleted)
        verb = "would import" if args.dry_run else "imported"
        tail = f", {len(failed)} failed" if failed else ""
        print(f"{verb} {ok} file{'s' if ok != 1 else ''}{tail}")
    return 1 if failed else 0
