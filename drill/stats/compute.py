"""Statistics over the review log: pure functions, no Textual, no writes.

The input is the journal's review records (``{"t": "review", ...}``), minus
the ones a later ``{"t": "undo", "review": id}`` cancelled, plus the cards'
current scheduling states for the due forecast. Everything is computed in one
pass over the reviews by :func:`compute_stats`.

Definitions (the numbers ``drill stats`` and the stats screen show):

* **Day**: the study day of :func:`drill.schedule.study_day` (it begins at
  ``settings.day_starts_at``, 04:00 local). **Today** is everything since the
  start of the current study day in the time zone you are in now, as for the
  daily limits (so after a time-zone change both count the same reviews). An
  earlier review that recorded the local UTC offset it was made at (``"off"``,
  minutes east of UTC) counts towards the study day *where it was made*, so
  travelling does not move past days around; reviews without it use ``tz``
  (None = system local). A review stamped after now (the clock was ahead)
  counts on no day until its time (``future_reviews``).
* **Streak**: consecutive days with at least one review, ending today, or
  yesterday while today has none yet (a day is not lost before it ends).
* **Mature review**: a review of a card in review state whose previous
  scheduled interval (the ``interval_days`` of its previous review; if the log
  has none, the days elapsed since its last review) was at least
  :data:`MATURE_DAYS` days.
* **True retention**: the share of mature reviews not graded Again; ``None``
  when there are fewer than :data:`MIN_RETENTION_REVIEWS` of them.
* **Due on a day**: non-archived, non-suspended cards whose due time (or the
  end of their burying, if later) falls in that study day; overdue cards count
  today.
"""

from __future__ import annotations

import heapq
import weakref
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Callable, Iterable

from drill.store import rollup as rollups
from drill.store.reviewlog import (  # noqa: F401  (re-exported: the stats' reading API)
    Review,
    ReviewLog,
    read_reviews,
    review_from_record,
    reviews_from_records,
)
from drill.store.index import ARCHIVED, NEW, SUSPENDED
from drill.store.rollup import Rollup, bucket_time, card_ref
from drill.store.settings import Settings
from drill.study.schedule import (
    day_start,
    iso,
    next_day_start,
    parse_iso,
    study_day,
)

MIN_RETENTION_REVIEWS = 10
"""Fewer mature reviews than this give ``retention = None`` (not enough data)."""
FORECAST_DAYS = 30
RECENT_DAYS = 30
HARDEST = 10
"""How many hardest cards the stats list."""

__all__ = [
    "Review",
    "Stats",
    "DeckStats",
    "HardCard",
    "compute_stats",
    "review_from_record",
    "reviews_from_records",
    "read_reviews",
    "ReviewLog",
    "review_log",
    "streaks",
]


# ---------------------------------------------------------------------- days
class _DayOf:
    """Study day of a review, caching the current day's [start, end) as ISO strings.

    Reviews come roughly in time order, so nearly every lookup is two string
    comparisons; a timestamp outside the cached span recomputes it.
    """

    def __init__(self, hour: int, tz: tzinfo | None) -> None:
        self.hour = hour
        self.tz = tz
        self.spans: dict[int | None, tuple[str, str, date]] = {}

    def __call__(self, ts: str, off: int | None) -> date:
        span = self.spans.get(off)
        if span is not None and span[0] <= ts < span[1]:
            return span[2]
        tz = self.tz if off is None else timezone(timedelta(minutes=off))
        when = parse_iso(ts)
        day = study_day(when, self.hour, tz)
        start, end = iso(day_start(when, self.hour, tz)), iso(next_day_start(when, self.hour, tz))
        if start <= ts < end:
            self.spans[off] = (start, end, day)
        return day


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days in ``days``.

    The current streak ends today, or yesterday if today has no review yet.
    """
    ordered = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    present = set(ordered)
    end = today if today in present else today - timedelta(days=1)
    current = 0
    while end in present:
        current += 1
        end -= timedelta(days=1)
    return current, longest


# ---------------------------------------------------------------------- results
@dataclass
class DeckStats:
    name: str
    cards: int = 0
    due: int = 0
    reviews: int = 0
    mature_reviews: int = 0
    mature_passed: int = 0
    total_ms: int = 0
    over_time: int = 0
    time_limit: int = 60

    @property
    def retention(self) -> float | None:
        return _retention(self.mature_passed, self.mature_reviews)

    @property
    def avg_seconds(self) -> float | None:
        return self.total_ms / self.reviews / 1000 if self.reviews else None

    @property
    def over_share(self) -> float | None:
        return self.over_time / self.reviews if self.reviews else None


@dataclass
class HardCard:
    card: int
    deck: str
    question: str
    lapses: int
    again: int
    suspended: bool
    leech: bool


@dataclass
class Stats:
    today: date
    days: dict[date, list[int]] = field(default_factory=dict)
    """Study day -> [reviews, milliseconds]."""
    total_reviews: int = 0
    streak_days: int = 0
    longest_streak: int = 0
    mature_reviews: int = 0
    mature_passed: int = 0
    total_ms: int = 0
    over_time: int = 0
    forecast: list[tuple[date, int]] = field(default_factory=list)
    decks: list[DeckStats] = field(default_factory=list)
    hardest: list[HardCard] = field(default_factory=list)
    leeches: list[HardCard] = field(default_factory=list)
    future_reviews: int = 0
    """Reviews stamped later than now (the clock was ahead): on no day until their time."""

    @property
    def reviews_today(self) -> int:
        return self.days.get(self.today, (0, 0))[0]

    @property
    def minutes_today(self) -> float:
        return self.days.get(self.today, (0, 0))[1] / 60000

    @property
    def due_today(self) -> int:
        return self.forecast[0][1] if self.forecast else 0

    @property
    def retention(self) -> float | None:
        return _retention(self.mature_passed, self.mature_reviews)

    @property
    def avg_seconds(self) -> float | None:
        return self.total_ms / self.total_reviews / 1000 if self.total_reviews else None

    def recent(self, n: int = RECENT_DAYS) -> list[tuple[date, int, float]]:
        """(day, reviews, minutes) for the last ``n`` days, oldest first, today last."""
        out = []
        for i in range(n - 1, -1, -1):
            day = self.today - timedelta(days=i)
            count, ms = self.days.get(day, (0, 0))
            out.append((day, count, ms / 60000))
        return out

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "total_reviews": self.total_reviews,
            "reviews_today": self.reviews_today,
            "future_reviews": self.future_reviews,
            "minutes_today": round(self.minutes_today, 1),
            "streak_days": self.streak_days,
            "longest_streak": self.longest_streak,
            "due_today": self.due_today,
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "retention": _round(self.retention),
            "mature_reviews": self.mature_reviews,
            "avg_seconds": _round(self.avg_seconds, 1),
            "days": [
                {"date": d.isoformat(), "reviews": n, "minutes": round(m, 1)} for d, n, m in self.recent()
            ],
            "decks": [
                {
                    "name": d.name,
                    "retention": _round(d.retention),
                    "due": d.due,
                    "cards": d.cards,
                    "reviews": d.reviews,
                    "mature_reviews": d.mature_reviews,
                    "avg_seconds": _round(d.avg_seconds, 1),
                    "time_limit": d.time_limit,
                    "over_time": _round(d.over_share),
                }
                for d in self.decks
            ],
            "hardest": [_card_json(c) for c in self.hardest],
            "leeches": [_card_json(c) for c in self.leeches],
        }


def _card_json(c: HardCard) -> dict:
    return {
        "card": c.card,
        "deck": c.deck,
        "question": c.question,
        "lapses": c.lapses,
        "again": c.again,
        "suspended": c.suspended,
        "leech": c.leech,
    }


def _retention(passed: int, total: int) -> float | None:
    return passed / total if total >= MIN_RETENTION_REVIEWS else None


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


# ---------------------------------------------------------------------- computing
def compute_stats(
    reviews: Iterable[Review],
    cards: Iterable,
    decks: Iterable,
    now: datetime,
    settings: Settings | None = None,
    tz: tzinfo | None = None,
    card_id_of: Callable[[dict], int | None] | None = None,
) -> Stats:
    """Every number of the stats screen, from the reviews and the current cards.

    ``reviews`` are :class:`Review` tuples (oldest first, undone ones left out) or a
    :class:`drill.store.rollup.Rollup` they were folded into.

    ``cards`` are :class:`drill.store.StoredCard` (archived ones are ignored) or the
    :class:`CardColumns` of a store, ``decks`` are :class:`drill.store.DeckRecord`. ``tz`` is the local time zone
    (None = the system's). ``card_id_of`` resolves a review's card (``Store.card_id_of``);
    by default, by the stable keys of ``cards``.
    """
    settings = settings or Settings()
    hour = settings.day_starts_at
    today = study_day(now, hour, tz)
    stats = Stats(today=today)
    columns = cards if isinstance(cards, CardColumns) else CardColumns.from_cards(cards)
    by_deck: dict[str, DeckStats] = {}
    for deck in decks:
        by_deck[deck.name] = DeckStats(deck.name, time_limit=deck.time_limit or settings.default_time_limit)
    for name, cols in columns.by_deck.items():
        if name not in by_deck and not all(f & ARCHIVED for f in cols["flags"]):
            by_deck[name] = DeckStats(name, time_limit=settings.default_time_limit)
    elsewhere = DeckStats("")  # reviews of decks the store no longer knows: in the totals only

    # One pass over the log, folded as compaction folds it (drill.store.rollup).
    if isinstance(reviews, Rollup):
        rollup = reviews
    else:
        rollup = Rollup()
        for r in reviews:
            rollup.add(r)
    days = stats.days
    stats.future_reviews = _days_from_buckets(rollup.hours, hour, tz, days, today, iso(day_start(now, hour, tz)), iso(now))
    for name, (count, ms, over_time, mature_reviews, mature_passed) in rollup.decks.items():
        deck = by_deck.get(name, elsewhere)
        deck.reviews += count
        deck.total_ms += ms
        deck.over_time += over_time
        deck.mature_reviews += mature_reviews
        deck.mature_passed += mature_passed
    # Again counts per card: by stable key, and by id for records without one (the rule of
    # Store.card_id_of), looked up card by card below: no map over every card is built.
    again_by_key: dict[str, int] = {}
    again_by_id: dict[int, int] = {}
    for ident, count in rollup.again_counts():
        if card_id_of is not None:
            cid = card_id_of(card_ref(ident))
            if cid is not None:
                again_by_id[cid] = again_by_id.get(cid, 0) + count
        elif isinstance(ident, str):
            again_by_key[ident] = count
        else:
            again_by_id[ident] = count
    total, total_ms, over, mature, passed = rollup.totals
    stats.total_reviews, stats.total_ms, stats.over_time = total, total_ms, over
    stats.mature_reviews, stats.mature_passed = mature, passed
    stats.streak_days, stats.longest_streak = streaks(days, today)

    # The due forecast: the end of each of the next FORECAST_DAYS study days, as ISO strings.
    ends = []
    edge = now
    for _ in range(FORECAST_DAYS):
        edge = next_day_start(edge, hour, tz)
        ends.append(iso(edge))
    forecast = [0] * FORECAST_DAYS
    hard: list[tuple] = []
    """A heap of the HARDEST hardest cards: (lapses, misses, -id, ...), the least hard on top."""
    leeches: list[tuple] = []
    last = ends[-1] if ends else ""
    key_misses, id_misses = again_by_key.get, again_by_id.get
    for name, cols in columns.by_deck.items():
        # One pass over the due index's arrays: no object per card (a store holds 100,000).
        deck = by_deck.get(name)
        if deck is None:
            continue  # every card of it archived
        reasons = cols["reasons"]
        due_today = 0
        for pos, (cid, key, kind, due, lapses, flags, bury) in enumerate(zip(
                cols["ids"], cols["keys"], cols["kind"], cols["due"], cols["lapses"], cols["flags"], cols["bury"])):
            if flags & ARCHIVED:
                continue
            suspended = flags & SUSPENDED
            misses = (key_misses(key, 0) if again_by_key else 0) + (id_misses(cid, 0) if again_by_id else 0)
            if lapses or misses or suspended:
                leech = bool(suspended) and reasons.get(str(pos)) == "leech"
                if lapses or misses or leech:
                    item = (lapses, misses, -cid, bool(suspended), leech, name)  # questions only for the ones kept
                    if leech:
                        leeches.append(item)
                    if len(hard) < HARDEST:
                        heapq.heappush(hard, item)
                    elif item > hard[0]:
                        heapq.heapreplace(hard, item)
            if kind == NEW or suspended or not isinstance(due, str):
                continue
            if bury and bury > due:
                due = bury
            if due >= last:
                continue
            index = bisect_right(ends, due)
            forecast[index] += 1
            if index == 0:
                due_today += 1
        deck.cards += sum(1 for f in cols["flags"] if not f & ARCHIVED)
        deck.due += due_today
    stats.forecast = [(today + timedelta(days=i), n) for i, n in enumerate(forecast)]
    made: dict[int, HardCard] = {}

    def hard_card(h: tuple) -> HardCard:
        lapses, misses, negative_id, suspended, leech, deck_name = h
        cid = -negative_id
        if cid not in made:
            made[cid] = HardCard(cid, deck_name, columns.question(cid), lapses, misses, suspended, leech)
        return made[cid]

    # Most lapses first, then most Agains, then the oldest card.
    stats.hardest = [hard_card(h) for h in sorted(hard, reverse=True)]
    stats.leeches = [hard_card(h) for h in sorted(leeches, reverse=True)]
    stats.decks = sorted(by_deck.values(), key=lambda d: d.name.casefold())
    return stats


def _days_from_buckets(
    hours: dict, hour: int, tz: tzinfo | None, days: dict, today: date, today_start: str, now: str
) -> int:
    """Add the roll-up's (UTC hour, offset) buckets into ``days`` (study day -> [reviews, ms]);
    return how many reviews are stamped after *now* (left out).

    The rule the daily limits follow too (drill.study.session.studied_today): a review
    made since the start of the current study day in the time zone you are in now
    (*today_start*) counts towards today, wherever it was made; an older one counts
    towards the study day of the place it was made (its recorded offset). A bucket with a
    whole-hour offset is one integer sum away from its study day; the others (quarter
    hours, old records without an offset: local time ``tz``) go through :class:`_DayOf`."""
    day_of = _DayOf(hour, tz)
    dates: dict[str, date] = {}
    one_day = timedelta(days=1)
    today_hour, now_hour = today_start[:13], now[:13]
    future = 0
    for key, (count, ms) in hours.items():
        if count <= 0:
            continue
        try:
            if key[:13] > now_hour:
                future += count  # the clock was ahead: these count from their time
                continue
            if key[:13] >= today_hour:
                day = today
            elif len(key) > 14 and key[13] == "|":  # "YYYY-MM-DDTHH|off"
                utc_date = dates.get(key[:10])
                if utc_date is None:
                    utc_date = dates[key[:10]] = date.fromisoformat(key[:10])
                shift = (int(key[11:13]) * 60 + int(key[14:]) - hour * 60) // 1440
                day = utc_date + shift * one_day if shift else utc_date
            else:
                day = day_of(*bucket_time(key))
        except (ValueError, OverflowError):
            continue
        entry = days.get(day)
        if entry is None:
            days[day] = [count, ms]
        else:
            entry[0] += count
            entry[1] += ms
    return future


@dataclass
class CardColumns:
    """The current cards as the due index keeps them (``Store.due_columns()``): deck name
    -> parallel arrays, archived cards included. *question* gives one card's question by
    id; only the hardest cards and the leeches are asked for (they may read a deck file)."""

    by_deck: dict[str, dict]
    question: Callable[[int], str]

    @classmethod
    def from_cards(cls, cards: Iterable) -> "CardColumns":
        """From card objects (:class:`drill.store.StoredCard` or alike)."""
        by_deck: dict[str, dict] = {}
        kept: dict[int, object] = {}
        for card in cards:
            cols = by_deck.get(card.deck)
            if cols is None:
                cols = by_deck[card.deck] = {
                    "ids": [], "keys": [], "kind": [], "due": [], "lapses": [], "flags": [], "bury": [], "reasons": {},
                }
            state = card.state
            suspended = getattr(card, "suspended", False)
            reason = getattr(card, "suspend_reason", None)
            if suspended and reason is not None:
                cols["reasons"][str(len(cols["ids"]))] = reason
            cols["ids"].append(card.id)
            cols["keys"].append(getattr(card, "key", None))
            cols["kind"].append(state.get("state", 2) if state else NEW)
            cols["due"].append(state.get("due") if state else None)
            cols["lapses"].append(state.get("lapses", 0) if state else 0)
            cols["flags"].append((ARCHIVED if card.archived else 0) | (SUSPENDED if suspended else 0))
            cols["bury"].append(card.buried_until)
            kept[card.id] = card
        return cls(by_deck, lambda cid: kept[cid].question)


def store_rollup(store) -> Rollup:
    """The roll-up compaction saved plus the journal tail after it, read streaming:
    time and memory follow the tail, not the whole history (read only)."""
    return rollups.current(store.path, store.journal.path)


def store_stats(
    store, now: datetime, tz: tzinfo | None = None, *, settings: Settings | None = None, rollup: Rollup | None = None
) -> Stats:
    """:func:`compute_stats` over a :class:`drill.store.Store` (read only), from
    :func:`store_rollup` (or the *rollup* the caller has read already); *settings*: the
    store's unless given (with the person's default time limit, drill.store.userconfig.applied)."""
    def question(cid: int) -> str:
        card = store.card(cid)  # reads this one card's deck file
        return card.question if card is not None else ""

    return compute_stats(
        rollup if rollup is not None else store_rollup(store),
        CardColumns(store.due_columns(), question),
        store.decks(),
        now,
        settings or store.settings,
        tz,
    )


_logs: "weakref.WeakKeyDictionary[object, ReviewLog]" = weakref.WeakKeyDictionary()


def review_log(store) -> ReviewLog:
    """The :class:`ReviewLog` of a store's journal, kept as long as the store object lives."""
    log = _logs.get(store)
    if log is None or log.path != Path(store.journal.path):
        log = _logs[store] = ReviewLog(store.journal.path)
    return log
