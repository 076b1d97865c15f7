"""A card's view from every device's records: replayed in one order, the same on every device.

Pure: no files, no store. The input is the card's records from all devices, each
with the device it came from and its place in that device's file; the output is
the card's scheduling state, burying and suspension. Two devices holding the same
records reach the same view, whatever order the records arrived in, because the
view depends only on the set of records:

* records are ordered by (time, device, place in the device's file, id);
* an undo removes the review it names, wherever it comes in that order;
* reviews are replayed in order. A review whose recorded state follows from the
  replayed state before it (one more repetition, graded that long after the last
  review, from the same kind of state) keeps its recorded state -- the interval
  the grading device showed, fuzz included. Any other review (two devices graded
  the card while apart, so its recorded state started from a history that is not
  the merged one) is recomputed by FSRS, without fuzz, so every device computes
  the very same interval;
* the last bury, suspend/unsuspend (and undo, which clears burying) in order win.

Peers: Anki's sync keeps the card row modified last (by mtime) and logs both
reviews, so the two grades' effects are not combined; a CRDT register would do
the same. Replaying the union of the logs is what an append-only event log
allows, and it gives the state the reviews imply in time order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Iterable, NamedTuple

from drill.store.timestamps import parse_iso
from drill.study.schedule import LEARNING, RELEARNING, REVIEW, Scheduler

_SLACK = timedelta(seconds=60)
"""``elapsed_days`` is rounded to 1e-4 days (8.6 s) when recorded."""


class Entry(NamedTuple):
    """One record of one card, with where it came from."""

    ts: str
    dev: str
    seq: int
    id: str
    record: dict
    line: bytes = b""
    """The record's line as read, when it is a review exactly as drill writes it (then a copy of
    it is made from these bytes, not encoded again); else empty."""

    @property
    def order(self) -> tuple:
        """(time, device, place, id): how every device orders the records."""
        return (self.ts, self.dev, self.seq, self.id)


ORDER = itemgetter(0, 1, 2, 3)
"""Sort key of an Entry: its :attr:`Entry.order` (C speed)."""


def entry(record: dict, dev: str, seq: int, line: bytes = b"") -> Entry:
    return Entry(str(record.get("ts", "")), dev, seq, str(record.get("id", "")), record, line)


@dataclass(frozen=True)
class View:
    """What the store keeps of a card's history: its state, burying and suspension."""

    state: dict | None = None
    buried_until: str | None = None
    suspended: bool = False
    reason: str | None = None


EMPTY = View()


def _kind(state: dict | None) -> str:
    if state is None:
        return "new"
    return {LEARNING: "learn", REVIEW: "review", RELEARNING: "relearn"}.get(state.get("state"), "review")


@lru_cache(maxsize=8192)
def _when(ts: str):
    return parse_iso(ts)


def follows(before: dict | None, record: dict) -> bool:
    """Was *record* graded from the state *before*? (Then its recorded state is kept.)

    *record* fits drill.store.schema (the caller checked it when it was read)."""
    state = record.get("state")
    if not isinstance(state, dict) or record.get("kind", "review") != _kind(before):
        return False
    if before is None:
        return state.get("reps") == 1 and record.get("elapsed_days") is None
    if state.get("reps") != before.get("reps", 0) + 1 or state.get("lapses", 0) < before.get("lapses", 0):
        return False
    last, elapsed = before.get("last_review"), record.get("elapsed_days")
    if last is None or elapsed is None:
        return last is None and elapsed is None
    try:
        gap = _when(record["ts"]) - _when(last)
    except (KeyError, TypeError, ValueError):
        return False
    return abs(gap - timedelta(days=float(elapsed))) <= _SLACK


def step(scheduler: Scheduler, before: dict | None, record: dict) -> dict | None:
    """The state after one review, from the replayed state before it."""
    if follows(before, record):
        return record["state"]
    rating = record.get("rating")
    if not isinstance(rating, int) or not 1 <= rating <= 4:
        return before
    try:
        return scheduler.outcome(0, before, rating, _when(record["ts"])).state
    except (KeyError, TypeError, ValueError):
        return before


def replay(entries: Iterable[Entry], scheduler: Scheduler, start: View = EMPTY) -> View:
    """The view after *entries* (any order, duplicates by id dropped), from *start*.
    The records fit drill.store.schema (checked when they were read)."""
    seen: set[str] = set()
    unique = []
    for e in entries:
        if e.id and e.id in seen:
            continue
        seen.add(e.id)
        unique.append(e)
    undone = {str(e.record.get("review")) for e in unique if e.record.get("t") == "undo"}
    state, buried, suspended, reason = start.state, start.buried_until, start.suspended, start.reason
    for e in sorted(unique, key=ORDER):
        record = e.record
        kind = record.get("t")
        if kind == "review":
            if e.id not in undone and record.get("state") is not None:
                state = step(scheduler, state, record)
        elif kind == "undo":
            buried = None
        elif kind == "bury":
            until = record.get("until")
            buried = until if isinstance(until, str) else None
        elif kind == "suspend":
            suspended, reason = True, record.get("reason") if isinstance(record.get("reason"), str) else None
        elif kind == "unsuspend":
            suspended, reason = False, None
    return View(state, buried, suspended, reason)


def can_continue(last: tuple | None, new: list[Entry]) -> bool:
    """Can *new* entries be replayed on top of a view that already holds every entry up to
    the order *last*? Only if they all come after it and undo nothing (an undo may name a
    review already replayed)."""
    if not new:
        return True
    if any(e.record.get("t") == "undo" for e in new):
        return False
    return last is None or ORDER(min(new, key=ORDER)) > tuple(last)
