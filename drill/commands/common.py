"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse
import os
import sys

from drill.parse.textsafe import shown
from drill.parse.wording import count

#: Widest a deck name may make a table's first column, so the numbers stay on screen.
NAME_WIDTH = 48


def fit_name(name: str, width: int = NAME_WIDTH) -> str:
    """*name* cut to *width* characters, ending in an ellipsis when it was longer."""
    return name if len(name) <= width else name[: width - 1] + "…"


class UsageError(Exception):
    """A mistake on the command line; printed as one line, exit status 2."""


def positive_int(text: str) -> int:
    value = _int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
    return value


#: Longest time a prompt may be given (seconds), as for a deck's ``time_limit``.
MAX_SECONDS = 3600


def seconds(text: str) -> int:
    """A time limit in seconds: 1 to MAX_SECONDS (an hour)."""
    value = positive_int(text)
    if value > MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SECONDS} seconds (1 hour): {text}")
    return value


def think_seconds(text: str) -> int:
    value = non_negative_int(text)
    if value > 600:
        raise argparse.ArgumentTypeError(f"must be at most 600 seconds: {text}")
    return value


def non_negative_int(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def resolve_decks(store, requested: list[str]) -> list[str] | None:
    """Deck names as stored, matched case-insensitively; None for 'all decks'.

    A name that is not a deck but a deck group (``interview › behavioural`` or
    ``interview/behavioural``) stands for every deck under that group.
    """
    if not requested:
        return None
    from drill.library.groups import decks_in_group, group_names

    names = []
    for name in requested:
        deck = store.deck(name)
        if deck is None:
            members = decks_in_group(store.decks(), name)
            if members:
                names.extend(m for m in members if m not in names)
                continue
            known = ", ".join(fit_name(shown(d.name)) for d in store.decks()) or "none yet"
            groups = ", ".join(fit_name(shown(g)) for g in group_names(store.decks()))
            extra = f"; groups: {groups}" if groups else ""
            raise UsageError(f"no deck named {shown(repr(name))} (decks: {known}{extra})")
        if deck.name not in names:
            names.append(deck.name)
    return names


def seed_if_empty(store, only_for: list[str] | None = None) -> str | None:
    """Import the sample decks into an empty store; say what happened.

    They are imported from the user's copy (``drill.store.paths.copy_samples``),
    so that editing a sample card edits a file of the user's. With *only_for*
    (deck names asked for on the command line) nothing is imported unless every
    name is a sample deck: a mistyped ``drill review NOSUCH`` on an empty store
    must not import the samples silently.
    """
    if not store.is_empty():
        return None
    from drill.store.collection import DECKS_REMOVED

    if store.extra(DECKS_REMOVED):  # emptied by `drill decks --remove`: not a first run
        return None
    from drill.library.importer import import_paths
    from drill.store.paths import copy_samples

    samples = copy_samples()
    if samples is None:
        return None
    if only_for:
        names = {r.deck.casefold() for r in import_paths(store, [samples], dry_run=True, register=False) if r.deck}
        if not all(name.casefold() in names for name in only_for):
            return None
    reports = [r for r in import_paths(store, [samples], register=False) if not r.error]
    cards = sum(r.cards for r in reports)
    where = shown(str(samples).replace(os.path.expanduser("~"), "~", 1))
    return (
        f"Welcome! Imported {count(len(reports), 'sample deck')} ({count(cards, 'card')}) from {where}. "
        "Add your own with `drill import PATH`."
    )


def resolve_decks_or_samples(store, requested: list[str]) -> tuple[list[str] | None, str | None]:
    """Like resolve_decks, but a first run imports the sample decks before looking
    (when every deck asked for is one of them).

    Returns the deck names and the welcome notice (if samples were imported).
    """
    notice = seed_if_empty(store, only_for=requested)
    return resolve_decks(store, requested), notice


def run_app(store, *, notice: str | None = None, **kwargs) -> int:
    """Open the Textual app (the only place the CLI imports Textual)."""
    from drill.ui.app import make_app

    app = make_app(store, notice=notice or seed_if_empty(store), **kwargs)
    app.run()
    return app.return_code or 0


def print_problems(reports) -> list:
    """Errors (one ``path:line: reason`` line each) and warnings on stderr; returns the failed reports."""
    from drill.library.importer import error_line

    failed = [r for r in reports if r.error]
    for report in failed:
        print(shown(error_line(report)), file=sys.stderr)
    for report in reports:
        for warning in report.warnings:
            print(shown(f"warning: {warning}"), file=sys.stderr)
    return failed


def print_story_warnings(store, reports) -> list[str]:
    """One ``warning:`` line on stderr per imported story that is incomplete or too long to tell."""
    from drill.interview.stories import import_warnings

    lines = import_warnings(store, reports)
    for line in lines:
        print(shown(f"warning: {line}"), file=sys.stderr)
    return lines
