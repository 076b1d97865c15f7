"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse


class UsageError(Exception):
    """A mistake on the command line; printed as one line, exit status 2."""


def positive_int(text: str) -> int:
    value = _int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
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
    """Deck names as stored, matched case-insensitively; None for 'all decks'."""
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


def seed_if_empty(store) -> str | None:
    """Import the bundled sample decks into an empty store; say what happened."""
    if not store.is_empty():
        return None
    from ..importer import import_paths
    from ..paths import bundled_decks_dir

    samples = bundled_decks_dir()
    if samples is None:
        return None
    reports = [r for r in import_paths(store, [samples]) if not r.error]
    cards = sum(r.cards for r in reports)
    return f"Welcome! Imported {len(reports)} sample decks ({cards} cards). Add your own with `drill import PATH`."


def run_app(store, **kwargs) -> int:
    """Open the Textual app (the only place the CLI imports Textual)."""
    from ..ui.app import make_app

    app = make_app(store, notice=seed_if_empty(store), **kwargs)
    app.run()
    return app.return_code or 0
