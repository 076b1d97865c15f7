"""``drill review``: start reviewing now (``drill`` alone opens the home screen)."""

from __future__ import annotations

import argparse

from drill.commands.common import (
    non_negative_int,
    resolve_decks_or_samples,
    run_app,
    seconds,
)

NAME = "review"
HELP = "review due cards now"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("decks", nargs="*", metavar="DECK", help="deck names (case-insensitive); default: all")
    parser.add_argument("--time", type=seconds, metavar="S", help="seconds per prompt")
    parser.add_argument("--new", type=non_negative_int, metavar="N", help="new cards for this session")
    parser.add_argument(
        "--cram",
        action="store_true",
        help="every card of the decks, lowest recall first, without changing their schedule",
    )


def run(store, args: argparse.Namespace) -> int:
    names, notice = resolve_decks_or_samples(store, args.decks)
    return run_app(store, notice=notice, review={"decks": names, "time_limit": args.time, "new_limit": args.new, "cram": args.cram})
