"""``drill config``: show or change scheduling settings (kept in the store)."""

from __future__ import annotations

import argparse

from drill.commands.common import UsageError
from drill.commands.output import print_json

NAME = "config"
HELP = "show or change settings (daily limits, day start, retention, time limit)"
READ_ONLY = True  # listing never rewrites the store; setting a value writes it atomically itself

DESCRIPTIONS = {
    "desired_retention": "share of cards you want to recall when they come due (FSRS)",
    "new_per_day": "new cards introduced per study day",
    "reviews_per_day": "due reviews shown per study day",
    "day_starts_at": "local hour at which a new study day begins",
    "learn_ahead_minutes": "show learning cards this early when nothing else is left",
    "default_time_limit": "seconds per prompt when the deck sets none",
    "leech_threshold": "lapses that make a card a leech (0: never)",
    "story_hint": "1: a story asked by an interview question shows its heading as a hint; 0: no hint",
    "max_answer_chars": "longer heading cards are split at their sub-headings on import",
    "on_time_out": "when time runs out: reveal, hard or again (caps the grade; above it takes two presses)",
    "max_file_mb": "largest file import and sync read (MB); a larger one is skipped with one line",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", nargs="?", help="setting name; omit to list all")
    parser.add_argument("value", nargs="?", help="new value; omit to show the current one")
    parser.add_argument("--json", action="store_true", help="print settings as JSON")


def run(store, args: argparse.Namespace) -> int:
    settings = store.settings
    if args.value is not None:
        try:
            settings = settings.with_value(args.key, args.value)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        store.save_settings(settings)
    current = settings.to_dict()
    if args.key is not None and args.key not in current:
        raise UsageError(f"unknown setting {args.key!r} (settings: {', '.join(current)})")
    shown = {args.key: current[args.key]} if args.key else current
    if args.json:
        print_json(shown)
        return 0
    width = max(len(k) for k in shown)
    for key, value in shown.items():
        print(f"{key:<{width}}  {value!s:<6}  {DESCRIPTIONS.get(key, '')}".rstrip())
    return 0
