"""``drill decks``: decks with new / due / total counts; ``--remove NAME`` removes one."""

from __future__ import annotations

import argparse
import sys

from drill.commands.common import UsageError, fit_name, resolve_decks
from drill.parse.textsafe import shown
from drill.commands.output import print_json

NAME = "decks"
HELP = "list decks with new / due / total counts"
READ_ONLY = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--remove", metavar="NAME", help="remove a deck and its cards (asks first; the Markdown files are not touched)"
    )
    parser.add_argument(
        "--archive", action="store_true", help="with --remove: hide the deck, keeping its schedule and history"
    )
    parser.add_argument("--yes", "-y", action="store_true", help="with --remove: do not ask (for scripts)")


def run(store, args: argparse.Namespace) -> int:
    if args.remove is not None:
        return remove(store, args)
    if args.archive or args.yes:
        raise UsageError("--archive and --yes go with --remove NAME")
    from drill.study.plans import plan_today
    from drill.study.schedule import utcnow
    from drill.study.session import deck_counts

    now = utcnow()
    held_back = plan_today(store, now).held_back  # new cards an interview plan keeps for later days
    counts = {c.name: c for c in deck_counts(store, now, held_back=held_back)}
    rows = [
        {
            "name": deck.name,
            "cards": counts[deck.name].total,
            "new": counts[deck.name].new,
            "due": counts[deck.name].due,
            "source": deck.sources[0] if deck.sources else None,
            "group": deck.group,
        }
        for deck in store.decks()
    ]
    if args.json:
        print_json({"decks": rows})
        return 0
    if not rows:
        from drill.store.collection import DECKS_REMOVED

        if store.extra(DECKS_REMOVED):
            print("no decks: run `drill import PATH`")
        else:
            print("no decks yet: run `drill import PATH`, or just `drill` to start with the sample decks")
        return 0
    width = max(len(fit_name(shown(r["name"]))) for r in rows)
    print(f"{'deck':<{width}}  {'new':>5}  {'due':>5}  {'cards':>5}")
    for r in rows:
        print(f"{fit_name(shown(r['name'])):<{width}}  {r['new']:>5}  {r['due']:>5}  {r['cards']:>5}")
    return 0


def remove(store, args: argparse.Namespace) -> int:
    """``drill decks --remove NAME [--archive] [--yes]``: say exactly what goes, ask, then remove."""
    from drill.library.removal import plan_removal, remove_deck

    removal = plan_removal(store, args.remove, archive=args.archive)
    if removal is None:
        resolve_decks(store, [args.remove])  # names the decks there are (or the group's)
        raise UsageError(f"{shown(repr(args.remove))} is a group of decks: remove its decks one by one")
    print(removal.headline())
    for line in removal.details():
        print(line)
    if not args.yes:
        try:
            answer = input("Archive it? [y/N] " if args.archive else "Remove it? [y/N] ")
        except EOFError:  # no answer (stdin closed): end the prompt's line before saying so
            print()
            answer = ""
        if answer.strip().casefold() not in ("y", "yes"):
            print("nothing changed", file=sys.stderr)
            return 1
    done = remove_deck(store, removal.deck, archive=args.archive)
    if done is None:  # another drill removed it meanwhile
        print(f"drill: deck '{shown(removal.deck)}' is already gone", file=sys.stderr)
        return 1
    verb = "archived" if args.archive else "removed"
    print(f"{verb} deck '{fit_name(shown(done.deck))}'")
    return 0
