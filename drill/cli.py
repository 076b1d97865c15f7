"""Command line: ``drill [--db PATH] [COMMAND]``.

Non-UI commands (import, decks) never import Textual; the UI is imported
only by the commands that open it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .filelock import StoreBusy
from .paths import ENV_DB, bundled_decks_dir, default_store_path
from .textsafe import clean


class UsageError(Exception):
    """A mistake on the command line; printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drill",
        description="Terminal flashcards and interview drills from your Markdown notes.",
    )
    parser.add_argument("--version", action="version", version=f"drill {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help=f"store file (default: ${ENV_DB} or drill.json in your user data dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import Markdown files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("decks", help="list decks with new / due / total counts")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("review", help="review due cards now")
    p.add_argument("decks", nargs="*", metavar="DECK", help="deck names (case-insensitive); default: all")
    p.add_argument("--time", type=_positive_int, metavar="S", help="seconds per prompt")
    p.add_argument("--new", type=_non_negative_int, metavar="N", help="new cards for this session")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .store import StoreCorrupt

    try:
        return _dispatch(args)
    except (StoreCorrupt, StoreBusy) as exc:
        print(f"drill: {exc}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"drill: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    store = _open_store(args.db)
    try:
        if args.command == "import":
            return cmd_import(store, args)
        if args.command == "decks":
            return cmd_decks(store, args)
        return cmd_ui(store, args)
    finally:
        store.close()


def _open_store(db: str | None):
    from .store import Store

    return Store(Path(db).expanduser() if db else default_store_path())


def cmd_import(store, args: argparse.Namespace) -> int:
    from .importer import error_line, import_paths

    reports = import_paths(store, args.paths, dry_run=args.dry_run)
    failed = [r for r in reports if r.error]
    for report in failed:
        print(clean(error_line(report)), file=sys.stderr)
    for report in reports:
        for warning in report.warnings:
            print(clean(f"warning: {warning}"), file=sys.stderr)
    if args.json:
        print(json.dumps({"files": [r.to_json() for r in reports]}, ensure_ascii=False, indent=2))
    else:
        prefix = "would import" if args.dry_run else "imported"
        for r in reports:
            if r.error:
                continue
            print(
                clean(
                    f"{r.path}: deck {r.deck!r}: {r.cards} cards "
                    f"({r.added} added, {r.updated} updated, {r.unchanged} unchanged, {r.archived} archived)"
                )
            )
        ok = len(reports) - len(failed)
        tail = f", {len(failed)} failed" if failed else ""
        print(f"{prefix} {ok} file{'s' if ok != 1 else ''}{tail}")
    return 1 if failed else 0


def cmd_decks(store, args: argparse.Namespace) -> int:
    from .schedule import utcnow
    from .session import deck_counts

    counts = {c.name: c for c in deck_counts(store, utcnow())}
    rows = []
    for deck in store.decks():
        c = counts[deck.name]
        rows.append(
            {
                "name": deck.name,
                "cards": c.total,
                "new": c.new,
                "due": c.due,
                "source": deck.sources[0] if deck.sources else None,
            }
        )
    if args.json:
        print(json.dumps({"decks": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no decks yet: run `drill import PATH` or just `drill` to start with the samples")
        return 0
    width = max(len(r["name"]) for r in rows)
    print(f"{'deck':<{width}}  {'new':>5}  {'due':>5}  {'cards':>5}")
    for r in rows:
        print(clean(f"{r['name']:<{width}}  {r['new']:>5}  {r['due']:>5}  {r['cards']:>5}"))
    return 0


def seed_if_empty(store) -> str | None:
    """Import the bundled sample decks into an empty store; say what happened."""
    if not store.is_empty():
        return None
    samples = bundled_decks_dir()
    if samples is None:
        return None
    from .importer import import_paths

    reports = import_paths(store, [samples])
    cards = sum(r.cards for r in reports if not r.error)
    decks = sum(1 for r in reports if not r.error)
    return f"Welcome! Imported {decks} sample decks ({cards} cards). Add your own with `drill import PATH`."


def cmd_ui(store, args: argparse.Namespace) -> int:
    notice = seed_if_empty(store)
    review = None
    if args.command == "review":
        names = _resolve_decks(store, args.decks)
        review = {"decks": names, "time_limit": args.time, "new_limit": args.new}
    from .ui.app import make_app

    app = make_app(store, notice=notice, review=review)
    app.run()
    return app.return_code or 0


def _resolve_decks(store, requested: list[str]) -> list[str] | None:
    if not requested:
        return None
    names = []
    for name in requested:
        deck = store.deck(name)
        if deck is None:
            known = ", ".join(d.name for d in store.decks()) or "none yet"
            raise UsageError(f"no deck named {name!r} (decks: {known})")
        names.append(deck.name)
    return names
