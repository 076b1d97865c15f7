"""``drill import``: Markdown files and folders into the store."""

from __future__ import annotations

import argparse
from dataclasses import replace
import os
import sys

from drill.commands.common import print_problems, print_story_warnings
from drill.commands.output import print_json
from drill.parse.textsafe import clean, shown

NAME = "import"
HELP = "import Markdown files or folders"

#: Widest question ``--show`` prints on one line.
SHOW_WIDTH = 72


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    parser.add_argument(
        "--show", action="store_true", help="list each file's cards (line, kind, answer length, question) and skipped sections"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(store, args: argparse.Namespace) -> int:
    from drill.library.importer import import_paths, left_out_line

    reports = import_paths(store, args.paths, dry_run=args.dry_run)
    inline = args.show and args.dry_run and not args.json  # a dry run's warnings go with its card list
    failed = print_problems([replace(r, warnings=()) for r in reports] if inline else reports)
    for folder in args.paths:
        note = no_markdown_note(folder, reports)
        if note:
            print(shown(note), file=sys.stderr)
    if not args.dry_run:
        print_story_warnings(store, reports)
        from drill.commands.devices import sync_on_open

        sync_on_open(store, imported=True)  # cards other devices reviewed may have just been imported
    if args.json:
        payload = {"files": [r.to_json() for r in reports]}
        if args.show:
            for entry, r in zip(payload["files"], reports):
                entry["card_list"] = [_card_json(c) for c in (r.parsed.cards if r.parsed else [])]
        print_json(payload)
    else:
        for r in reports:
            if r.deleted or not (r.error or r.excluded):
                print("\n".join(r.lines()))
                if args.show:
                    print("\n".join(show_lines(r, with_warnings=inline)))
        left_out = left_out_line(reports)
        if left_out:
            print(left_out)
        print(import_total(reports, failed, dry_run=args.dry_run))
    return 1 if failed else 0


def import_total(reports, failed, *, dry_run: bool = False) -> str:
    """"imported 3 files, 1 with no cards, 2 failed": each file counted once (a file with no
    card is not "imported": it made no deck)."""
    empty = sum(1 for r in reports if r.empty)
    ok = sum(1 for r in reports if not r.error and not r.deleted and not r.excluded) - empty
    verb = "would import" if dry_run else "imported"
    parts = [f"{verb} {ok} file{'s' if ok != 1 else ''}"]
    if empty:
        parts.append(f"{empty} with no cards")
    if failed:
        parts.append(f"{len(failed)} failed")
    return ", ".join(parts)


def no_markdown_note(folder, reports) -> str | None:
    """For a folder that gave no file at all: which names were looked for, what was skipped.

    ``drill import NOTES/`` on a folder of ``.txt`` files said only "imported 0 files"."""
    from drill.library.importer import MARKDOWN_SUFFIXES

    folder = str(folder)
    if not os.path.isdir(folder):
        return None
    inside = folder.rstrip(os.sep) + os.sep
    if any(r.path == folder or r.path.startswith(inside) for r in reports):
        return None
    others, example = 0, None
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                others += 1
                example = example or os.path.relpath(os.path.join(top, name), folder)
    looked = ", ".join(f"*{suffix}" for suffix in MARKDOWN_SUFFIXES)
    if not others:
        return f"{folder}: no Markdown files ({looked}) in this folder"
    files = "file" if others == 1 else "files"
    return (
        f"{folder}: no Markdown files ({looked}); {others} other {files} skipped, e.g. {example} "
        f"(name a file to import it whatever its extension: drill import {os.path.join(folder, example)})"
    )


def _one_line(text: str, width: int = SHOW_WIDTH) -> str:
    return shown(" ".join(text.split()), width)


def _card_json(card) -> dict:
    return {
        "question": clean(card.question),
        "answer_chars": len(card.answer),
        "kind": card.kind,
        "origin": card.origin,
        "line": card.line,
    }


def show_lines(report, *, with_warnings: bool = False) -> list[str]:
    """The cards of one file, one line each (line, origin, kind, answer length, question).

    With *with_warnings* (a dry run) the file's warnings follow its cards; otherwise they
    go to stderr as for every import."""
    deck = report.parsed
    if deck is None:
        return []
    out = []
    for card in deck.cards:
        kind = card.origin if card.kind == "basic" else f"{card.origin}/{card.kind}"
        out.append(f"  {card.line:>5}  {kind:<16} {len(card.answer):>7,} chars  {_one_line(card.question)}")
    if not deck.cards:
        out.append("  (no cards)")
    if with_warnings:
        out.extend(shown(f"  warning: {warning}") for warning in report.warnings)
    return out
