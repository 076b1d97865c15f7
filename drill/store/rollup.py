"""The stats roll-up: the review history folded into small running totals.

``drill stats`` used to read and parse the whole journal (1,000,000 reviews:
4 s and 1.8 GiB). The roll-up holds what the statistics need from the history,
whatever its length:

* reviews and milliseconds per (UTC hour, recorded UTC offset) -- the study day
  is worked out when the stats are read, so changing ``day_starts_at`` or the
  time zone needs no rebuild (a quarter hour for offsets that are not whole
  hours, and for old records without one, so a day boundary never cuts a bucket);
* per card: the interval its last review scheduled (for "mature") and how
  often it was graded Again;
* per deck (the name the review recorded) and in all: reviews, milliseconds,
  answers over the time limit, mature reviews and the mature ones passed;
* per deck and UTC hour, over the last :data:`PRACTICE_DAYS` days only: answers,
  answers over the time limit, answers given more time (``+``) and cram answers --
  the practice section of ``drill stats`` (drill.stats.practice), which used to read
  the journal backwards 60 days (55,000 records at 1,000,000 reviews: seconds);
* the last :data:`RECENT` reviews and cram answers folded, so that undoing one of
  them after it was folded subtracts exactly what it added.

It is saved next to the store (``drill.json.rollup``) by compaction, up to the
journal offset compaction folded, with the journal's bytes just before that
offset as a check: a journal that was replaced or rewritten (``drill doctor``)
no longer matches, and the roll-up is rebuilt from the start. It is derived
data: losing it (kill -9, a deleted file) costs one rebuild, never a review.
Readers fold the journal tail after ``upto`` in chunks (streaming) without
saving, so read-only commands write nothing.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from drill.store.filelock import atomic_write_bytes, json_bytes
from drill.store.reviewlog import Review, iter_chunks
from drill.store.timestamps import iso, parse_iso

VERSION = 3
"""2: per card by stable key (drill.store.keys), by local id only for records without one.
3: the per-deck practice hours (and ``plus`` in the recent reviews)."""
MATURE_DAYS = 21
"""A card whose previous interval was at least this many days is mature (see drill.stats.compute)."""
AGAIN = 1
RECENT = 512
"""Folded reviews remembered for an undo that comes after compaction folded its review."""
_MARK = 64
PRACTICE_DAYS = 61
"""Days of practice hours kept (drill.stats.practice looks 60 days back); older ones are
dropped when the roll-up is saved, so its size follows recent activity, not history."""


def bucket(ts: str, off: int | None) -> str:
    """The roll-up's time bucket of a canonical ISO UTC timestamp and the recorded offset."""
    if off is not None and off % 60 == 0:
        return f"{ts[:13]}|{off}"
    quarter = int(ts[14:16]) // 15 * 15
    return f"{ts[:13]}:{quarter:02d}|{'' if off is None else off}"


def bucket_time(key: str) -> tuple[str, int | None]:
    """(ISO UTC start of the bucket, its offset or None) of a :func:`bucket` key."""
    stamp, off = key.split("|")
    if len(stamp) == 13:
        stamp += ":00"
    return stamp + ":00+00:00", (int(off) if off else None)


class Rollup:
    """Running totals over reviews; :meth:`add` one review, :meth:`undo` one by id."""

    def __init__(self) -> None:
        self.upto = 0
        """Journal offset folded so far (reviews before it are in the totals)."""
        self.mark = ""
        self.hours: dict[str, list[int]] = {}
        self._cards: dict[str | int, list] | None = {}
        self._card_columns: tuple[list, list, list] | None = None
        """A loaded roll-up's per-card lists (ids, last intervals, Again counts), until
        :attr:`cards` is first needed: stats read only the Again counts."""
        self.decks: dict[str, list[int]] = {}
        """deck name -> [reviews, ms, over time, mature, mature passed]."""
        self.totals = [0, 0, 0, 0, 0]
        self.practice: dict[str, dict[str, list[int]]] = {}
        """deck name -> UTC hour (``YYYY-MM-DDTHH``) -> [answers, over time, plus, cram]."""
        self.recent: OrderedDict[str, tuple] = OrderedDict()
        self.recent_cram: OrderedDict[str, tuple[str, str]] = OrderedDict()
        """cram answer id -> (deck, hour): for a cram undo after its answer was folded."""

    @property
    def cards(self) -> dict[str | int, list]:
        """card (its stable key; its local id for a record without one: see :func:`card_ref`)
        -> [last scheduled interval in days or None, Again count]."""
        if self._cards is None:
            ids, last, again = self._card_columns
            self._cards = dict(zip(ids, map(list, zip(last, again))))
            self._card_columns = None
        return self._cards

    def again_counts(self) -> Iterator[tuple[str | int, int]]:
        """(card, Again count) of every card graded Again at least once."""
        if self._cards is None:
            ids, _, again = self._card_columns
            return ((ident, n) for ident, n in zip(ids, again) if n)
        return ((ident, values[1]) for ident, values in self._cards.items() if values[1])

    # ------------------------------------------------------------------ folding
    def add(self, r: Review) -> None:
        key = bucket(r.ts, r.off)
        hour = self.hours.get(key)
        if hour is None:
            self.hours[key] = [1, r.ms]
        else:
            hour[0] += 1
            hour[1] += r.ms
        ident = r.key or r.card
        cards = self.cards
        card = cards.get(ident)
        previous = card[0] if card is not None else None
        mature = passed = 0
        if r.kind == "review":
            before = previous if previous is not None else (r.elapsed_days or 0.0)
            if before >= MATURE_DAYS:
                mature = 1
                passed = int(r.rating != AGAIN)
        again = int(r.rating == AGAIN)
        over = int(r.over)
        if card is None:
            cards[ident] = [r.interval_days, again]
        else:
            card[0] = r.interval_days
            card[1] += again
        deck = self.decks.get(r.deck)
        if deck is None:
            deck = self.decks[r.deck] = [0, 0, 0, 0, 0]
        for row in (deck, self.totals):
            row[0] += 1
            row[1] += r.ms
            row[2] += over
            row[3] += mature
            row[4] += passed
        plus = int(r.plus)
        self._practice(r.deck, r.ts[:13], 1, over, plus, 0)
        self.recent[r.id] = (key, ident, r.deck, r.ms, over, mature, passed, again, previous, plus)
        if len(self.recent) > RECENT:
            self.recent.popitem(last=False)

    def _practice(self, deck: str, hour: str, answers: int, over: int, plus: int, cram: int) -> None:
        hours = self.practice.get(deck)
        if hours is None:
            hours = self.practice[deck] = {}
        row = hours.get(hour)
        if row is None:
            row = hours[hour] = [0, 0, 0, 0]
        row[0] += answers
        row[1] += over
        row[2] += plus
        row[3] += cram
        if not any(row):
            del hours[hour]
            if not hours:
                del self.practice[deck]

    def add_cram(self, record: dict) -> None:
        """One journal record of a cram answer (``{"t": "cram"}``) or of its undo."""
        if record.get("t") == "cram-undo":
            folded = self.recent_cram.pop(str(record.get("review")), None)
            if folded is not None:
                self._practice(folded[0], folded[1], 0, 0, 0, -1)
            return
        deck, ts, rid = record.get("deck"), record.get("ts"), record.get("id")
        if not (isinstance(deck, str) and isinstance(ts, str) and len(ts) >= 13 and isinstance(rid, str)):
            return
        if not (len(ts) == 25 and ts.endswith("+00:00")):  # not as drill writes it: its UTC hour
            try:
                ts = iso(parse_iso(ts))
            except (ValueError, OverflowError):
                return
        hour = ts[:13]
        self._practice(deck, hour, 0, 0, 0, 1)
        self.recent_cram[rid] = (deck, hour)
        if len(self.recent_cram) > RECENT:
            self.recent_cram.popitem(last=False)

    def prune_practice(self, before: str) -> None:
        """Drop practice hours earlier than *before* (an ``YYYY-MM-DDTHH`` hour)."""
        for deck in list(self.practice):
            hours = self.practice[deck]
            for hour in [h for h in hours if h < before]:
                del hours[hour]
            if not hours:
                del self.practice[deck]

    def undo(self, review_id: str) -> bool:
        """Subtract a folded review that was undone; False if it is not among the recent ones."""
        folded = self.recent.pop(review_id, None)
        if folded is None:
            return False
        key, card_id, deck_name, ms, over, mature, passed, again, previous, plus = folded
        hour = self.hours[key]
        hour[0] -= 1
        hour[1] -= ms
        if hour[0] <= 0:
            del self.hours[key]
        card = self.cards[card_id]
        card[0] = previous
        card[1] -= again
        if previous is None and card[1] <= 0:
            del self.cards[card_id]
        for row in (self.decks[deck_name], self.totals):
            row[0] -= 1
            row[1] -= ms
            row[2] -= over
            row[3] -= mature
            row[4] -= passed
        self._practice(deck_name, key[:13], -1, -over, -plus, 0)
        return True

    def fold(self, reviews: list[Review], undone: set[str], crams: list[dict] = ()) -> None:
        """One chunk of the journal: its reviews (undone ones included), the ids undone in
        it and its cram records (answers and undos, in order)."""
        for record in crams:
            self.add_cram(record)
        add = self.add
        if not undone:
            for r in reviews:
                add(r)
            return
        seen = set()
        for r in reviews:
            if r.id in undone:
                seen.add(r.id)
            else:
                add(r)
        for rid in undone - seen:
            self.undo(rid)

    def fold_journal(self, path: str | os.PathLike, end: int | None = None) -> None:
        """Fold the journal from :attr:`upto` to ``end`` (default: its last complete line), streaming."""
        for reviews, undone, crams, offset in iter_chunks(path, self.upto, end):
            self.fold(reviews, undone, crams)
            self.upto = offset
        self.mark = _mark(path, self.upto)

    # ------------------------------------------------------------------ saving
    def to_json(self) -> dict:
        return {
            "v": VERSION,
            "mature_days": MATURE_DAYS,
            "upto": self.upto,
            "mark": self.mark,
            "totals": self.totals,
            "hours": self.hours,
            "decks": self.decks,
            "card_ids": list(self.cards),
            "card_last": [c[0] for c in self.cards.values()],
            "card_again": [c[1] for c in self.cards.values()],
            "recent": [[rid, *values] for rid, values in self.recent.items()],
            "practice": self.practice,
            "recent_cram": [[rid, *values] for rid, values in self.recent_cram.items()],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Rollup":
        if data.get("v") != VERSION or data.get("mature_days") != MATURE_DAYS:
            raise ValueError("another roll-up version")
        r = cls()
        r.upto = int(data["upto"])
        r.mark = str(data["mark"])
        r.totals = [int(n) for n in data["totals"]]
        r.hours = data["hours"]  # written by save(), parsed as is: checked by shape, not per entry
        r.decks = data["decks"]
        if not (isinstance(r.hours, dict) and isinstance(r.decks, dict) and len(r.totals) == 5):
            raise ValueError("not a roll-up")
        ids, last, again = data["card_ids"], data["card_last"], data["card_again"]
        if not (isinstance(ids, list) and isinstance(last, list) and isinstance(again, list)
                and len(ids) == len(last) == len(again)):
            raise ValueError("not a roll-up")
        r._cards, r._card_columns = None, (ids, last, again)
        r.recent = OrderedDict((str(row[0]), tuple(row[1:])) for row in data["recent"])
        r.practice = data["practice"]
        if not isinstance(r.practice, dict):
            raise ValueError("not a roll-up")
        r.recent_cram = OrderedDict((str(row[0]), (row[1], row[2])) for row in data["recent_cram"])
        return r


def card_ref(ident: str | int) -> dict:
    """A key of :attr:`Rollup.cards` as a record-like reference for ``Store.card_id_of``."""
    return {"key": ident} if isinstance(ident, str) else {"card": ident}


def rollup_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".rollup")


def _mark(journal: str | os.PathLike, offset: int) -> str:
    """The journal's bytes just before ``offset`` (hex): how a saved roll-up knows its journal."""
    if offset <= 0:
        return ""
    try:
        with open(journal, "rb") as f:
            f.seek(max(0, offset - _MARK))
            return f.read(min(offset, _MARK)).hex()
    except OSError:
        return ""


def load(store_path: Path, journal: Path) -> Rollup:
    """The saved roll-up if it still matches the journal, else an empty one (fold from 0)."""
    try:
        with open(rollup_path(store_path), "rb") as f:
            rollup = Rollup.from_json(json.loads(f.read()))
        size = os.stat(journal).st_size
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return Rollup()
    if rollup.upto > size or _mark(journal, rollup.upto) != rollup.mark:
        return Rollup()  # the journal was replaced or rewritten since
    return rollup


def current(store_path: Path, journal: Path, end: int | None = None) -> Rollup:
    """The roll-up up to ``end`` (default: the end of the journal): saved part + tail, streaming."""
    rollup = load(store_path, journal)
    rollup.fold_journal(journal, end)
    return rollup


def is_saved(store_path: Path) -> bool:
    """A roll-up of this version is saved (it may still be behind the journal)."""
    try:
        with open(rollup_path(store_path), "rb") as f:
            return f.read(16).startswith(b'{"v":%d,' % VERSION)
    except OSError:
        return False


def save(store_path: Path, journal: Path, end: int, now: datetime | None = None) -> None:
    """Fold up to journal offset ``end`` and save it atomically (compaction calls this).
    Practice hours more than PRACTICE_DAYS before *now* (default: the clock) are dropped."""
    rollup = current(store_path, journal, end)
    now = now or datetime.now(timezone.utc)
    rollup.prune_practice(iso(now - timedelta(days=PRACTICE_DAYS))[:13])
    atomic_write_bytes(rollup_path(store_path), json_bytes(rollup.to_json()))
