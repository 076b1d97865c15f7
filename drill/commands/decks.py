"""``drill decks``: decks with new / due / total counts."""

from __future__ import annotations

import argparse

from drill.commands.common import fit_name
from drill.parse.textsafe import shown
from drill.commands.output import print_json

NAME = "decks"
HELP = "list decks with new / due / total counts"
READ_ONLY = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(store, args: argparse.Namespace) -> int:
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
        print("no decks yet: run `drill import PATH`, or just `drill` to start with the sample decks")
        return 0
    width = max(len(fit_name(shown(r["name"]))) for r in rows)
    print(f"{'deck':<{width}}  {'new':>5}  {'due':>5}  {'cards':>5}")
    for r in rows:
        print(f"{fit_name(shown(r['name'])):<{width}}  {r['new']:>5}  {r['due']:>5}  {r['cards']:>5}")
    return 0
