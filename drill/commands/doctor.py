"""``drill doctor``: check the store and rebuild it from the journal if needed.

Works on a store that will not open: the CLI hands it the path, not a Store.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from drill.parse.textsafe import shown
from drill.parse.wording import count
from drill.commands.output import print_json

NAME = "doctor"
HELP = "check the store; rebuild it from the journal (keeping backups) if something is wrong"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="report what would be repaired, write nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(store, args: argparse.Namespace) -> int:
    return run_on_path(store.path, args)


def run_on_path(path, args: argparse.Namespace) -> int:
    from drill.store.doctor import doctor
    from drill.store.paths import ENV_DB

    if Path(path).is_dir():
        print(shown(f"drill: {path}: is a directory, not a store file; point --db or ${ENV_DB} at a file, "
                    f"such as {Path(path) / 'drill.json'}"), file=sys.stderr)
        return 1
    report = doctor(path, dry_run=args.dry_run)
    if args.json:
        print_json(report.to_json())
        return 0
    for line in report_lines(report):
        print(shown(line))
    return 0


def report_lines(report) -> list[str]:
    if not report.store.exists() and not report.journal.exists() and not report.changed and not report.store_problem:
        return [f"{report.store}: no store here yet; nothing to check"]
    lines = []
    if report.store_problem:
        lines.append(f"{report.store}: unreadable ({report.store_problem})")
        if report.salvaged_from:
            lines.append("  recovered " + _n(report.cards, "card") + " and " + _n(report.decks, "deck")
                         + " from " + ", ".join(report.salvaged_from))
        else:
            lines.append("  nothing could be decoded from it or from a backup: starting from an empty store;"
                         " re-import your notes with `drill import`")
    else:
        lines.append(f"{report.store}: readable, {_n(report.cards, 'card')} in {_n(report.decks, 'deck')}")
    journal = f"{report.journal}: {_n(report.records, 'record')}"
    if report.bad_lines:
        journal += f", {_n(report.bad_lines, 'unreadable line')} dropped"
    if report.invalid_records:
        journal += f", {_n(report.invalid_records, 'record')} of the wrong shape dropped"
    if report.torn_tail:
        journal += ", a torn last line (never acknowledged) dropped"
    lines.append(journal)
    names = "names a card" if report.unknown_cards == 1 else "name cards"
    lines += ["  " + text.format(_n(n, noun)) for n, noun, text in (
        (report.invalid_documents, "entry", "{} of the wrong shape (cards, decks, folder files) removed"),
        (report.states_restored, "card", "scheduling of {} rebuilt from the journal"),
        (report.kept_newer, "card", "{} kept a newer state the journal had lost"),
        (report.unknown_cards, "record", "{} " + names + " this store does not have (ignored)"),
    ) if n]
    if report.reimport:
        lines.append("  decks whose cards were lost with the damage come back with: drill import "
                     + " ".join(shlex.quote(src) for src in report.reimport))
    if report.duplicates:
        lines.append(f"  {_n(report.duplicates, 'card')} share a deck and question with another (left alone)")
    if not report.changed:
        lines.append("healthy: nothing to repair")
    elif report.dry_run:
        lines.append("would repair it (run without --dry-run; the originals are kept as backups)")
    else:
        kept = ", ".join(str(b) for b in report.backups)
        lines.append("repaired; the originals were kept at " + kept if kept else "repaired (there was no original to keep)")
    return lines


def _n(n: int, noun: str) -> str:
    """:func:`drill.parse.wording.count`, digits grouped ("12,345 records")."""
    return f"{n:,}" + count(n, noun)[len(str(n)):]
