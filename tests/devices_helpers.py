"""Stores that act as separate devices, for the history-sync tests (drill.devices)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from drill.devices import sync as devices
from drill.library.importer import import_paths
from drill.stats.compute import store_stats
from drill.store.collection import Store
from drill.study.schedule import Scheduler
from drill.study.session import review_record, studied_today

DECK = """\
# Networking

## What does TCP add over IP?
Ordered, reliable delivery with retransmission.

## What is a port?
A number naming one endpoint of a connection on a host.

## What does DNS resolve?
Names to addresses.
"""


def write_notes(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "networking.md").write_text(DECK)
    return folder


def open_device(root: Path, notes: Path, name: str, history: Path | None = None) -> Store:
    """A store under *root* that imported *notes*; set up on *history* when given."""
    root.mkdir(parents=True, exist_ok=True)
    store = Store(root / "drill.json")
    reports = import_paths(store, [notes])
    assert all(not r.error for r in reports), [r.error for r in reports]
    if history is not None:
        devices.setup(store, history, name)
    return store


def keys(store: Store) -> list[str]:
    return sorted(c.key for c in store.cards(archived=True))


def card_by_key(store: Store, key: str):
    return next(c for c in store.cards(archived=True) if c.key == key)


def grade(store: Store, key: str, rating: int, when: datetime, scheduler: Scheduler | None = None) -> dict:
    """Grade one card as the review screen does (its state as of now, one journal append)."""
    card = card_by_key(store, key)
    with store.card_as_of_now(card.id) as fresh:
        outcome = (scheduler or Scheduler(store.settings)).preview(fresh.id, fresh.state, when)[rating]
        record = review_record(fresh, outcome, when, 1500, False)
        store.append(record)
    return record


def views(store: Store) -> dict:
    """What must be equal on every device: each card's state, burying and suspension, by key."""
    store.refresh()
    return {
        c.key: (c.state, c.buried_until, c.suspended, c.suspend_reason) for c in store.cards(archived=True)
    }


def stats(store: Store, now: datetime) -> tuple:
    data = store_stats(store, now).to_json()
    today = studied_today(store, now, store.settings)
    return data, (today.new, today.reviews, today.future)


def copy_new_bytes(source: Path, target: Path) -> None:
    """What a file-sync tool does with append-only files: every journal of *source* that is
    longer than its copy in *target* (or missing there) is copied over."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.journal"):
        other = target / path.name
        if not other.exists() or other.stat().st_size < path.stat().st_size:
            shutil.copyfile(path, other)


def close(*stores: Store) -> None:
    for s in stores:
        s.close(compact=False)
