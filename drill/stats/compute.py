"""Statistics over the review log: pure functions, no Textual, no writes.

The input is the journal's review records (``{"t": "review", ...}``), minus
the ones a later ``{"t": "undo", "review": id}`` cancelled, plus the cards'
current scheduling states for the due forecast. Everything is computed in one
pass over the reviews by :func:`compute_stats`.

Definitions (the numbers ``drill stats`` and the stats screen show):

* **Day**: the study day of :func:`drill.schedule.study_day` (it begins at
  ``settings.day_starts_at``, 04:00 local). A review that recorded the local
  UTC offset it was made at (``"off"``, minutes east of UTC) counts towards
  the study day *where it was made*, so travelling does not move past days
  around; reviews without it, and "today", use ``tz`` (None = system local).
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

import gc
import json
import os
import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Iterable, NamedTuple

from drill.store.settings import Settings
from drill.study.schedule import (
    AGAIN,
    day_start,
    iso,
    next_day_start,
    parse_iso,
    study_day,
)

MATURE_DAYS = 21
"""A card whose interval was at least this many days is mature."""
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


class Review(NamedTuple):
    """One review that counts (not undone), as the stats need it."""

    id: str
    card: int
    deck: str
    ts: str
    """ISO-8601 UTC, second precision (``2026-11-23T09:00:00+00:00``)."""
    rating: int
    ms: int
    kind: str
    """new / learn / review / relearn: the card's state before the review."""
    interval_days: float
    over: bool
    off: int | None = None
    """Local UTC offset in minutes when the review was made; None if not recorded."""
    elapsed_days: float | None = None


# ---------------------------------------------------------------------- reading
_CANONICAL_TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\Z")
_KINDS = {"new", "learn", "review", "relearn"}


def review_from_record(record: dict) -> Review | None:
    """A Review from a journal record, or None if the record is malformed."""
    try:
        ts = record["ts"]
        if not isinstance(ts, str):
            return None
        if not _CANONICAL_TS.match(ts):
            ts = iso(parse_iso(ts))
        rating = record["rating"]
        card = record["card"]
        if not (isinstance(rating, int) and 1 <= rating <= 4 and isinstance(card, int)):
            return None
        deck = record.get("deck")
        kind = record.get("kind")
        off = record.get("off")
        elapsed = record.get("elapsed_days")
        return Review(
            id=str(record.get("id", "")),
            card=card,
            deck=deck if isinstance(deck, str) else "",
            ts=ts,
            rating=rating,
            ms=max(0, int(record.get("ms") or 0)),
            kind=kind if kind in _KINDS else "review",
            interval_days=float(record.get("interval_days") or 0.0),
            over=bool(record.get("over")),
            off=off if isinstance(off, int) and -1440 < off < 1440 else None,
            elapsed_days=float(elapsed) if isinstance(elapsed, (int, float)) else None,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def reviews_from_records(records: Iterable[dict]) -> list[Review]:
    """The reviews in a journal (oldest first) that no undo cancelled; malformed ones skipped."""
    reviews: list[Review] = []
    undone: set[str] = set()
    for record in records:
        kind = record.get("t")
        if kind == "review":
            review = review_from_record(record)
            if review is not None:
                reviews.append(review)
        elif kind == "undo":
            undone.add(str(record.get("review")))
    if undone:
        reviews = [r for r in reviews if r.id not in undone]
    return reviews


# A review line exactly as ``json.dumps(record, separators=(",", ":"))`` writes drill's
# review records (see ``session.review_record``), from the newline before it to the one
# after. Matching it pulls out just the fields the stats need without building the
# nested state dict. ``_REVIEW_FIELDS`` is the same without the line anchors, for the
# line-by-line fallback.
_REVIEW_FIELDS = (
    rb'\{"t":"review","id":"([0-9A-Za-z_-]*)","card":(\d{1,18}),"deck":"([^"\\\n]*(?:\\.[^"\\\n]*)*)",'
    rb'"ts":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)","rating":([1-4]),"ms":(\d{1,12}),'
    rb'"kind":"(new|learn|review|relearn)","elapsed_days":(null|\d{1,9}(?:\.\d+)?),'
    rb'"interval_days":(\d{1,9}(?:\.\d+)?),"over":(true|false)(?:,"off":(-?\d{1,4}))?,"state":\{'
)
_FAST_REVIEW = re.compile(_REVIEW_FIELDS)
_FAST_REVIEW_LINES = re.compile(rb"\n" + _REVIEW_FIELDS + rb"[^\n]*\}\}(?=\n)")
_OTHER_LINES = re.compile(rb'\n(?!\{"t":"review")([^\n]*)')
_KIND_NAMES = {b"new": "new", b"learn": "learn", b"review": "review", b"relearn": "relearn"}


def read_reviews(journal_path: str | os.PathLike) -> list[Review]:
    """:func:`reviews_from_records` over a journal file, fast (see :class:`ReviewLog`)."""
    return ReviewLog(journal_path).reviews()


class ReviewLog:
    """The reviews in a journal file, read fast and incrementally.

    Same result as ``reviews_from_records(store.reviews())`` (the tests check
    that) at a fraction of the cost. Usually the whole file is one
    regular-expression scan: every review line matched, the few other lines
    (undo, bury, ...) parsed with json. If any review line does not match (a
    record from another version, odd values), that part is read line by line,
    json-parsing just the lines that do not match. Only complete lines count.

    The journal is append-only, so calling :meth:`reviews` again parses only
    what was appended since; a journal that was replaced is read afresh.
    """

    _CHECK = 4096
    """Bytes before the read offset remembered to notice a replaced journal."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._reset()

    def _reset(self) -> None:
        self._file: tuple[int, int] | None = None
        self._end = 0
        self._tail = b""
        self._reviews: list[Review] = []

    def reviews(self) -> list[Review]:
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            self._reset()
            return []
        with f:
            st = os.fstat(f.fileno())
            if self._file != (st.st_dev, st.st_ino) or st.st_size < self._end or not self._same_tail(f):
                self._reset()
                self._file = (st.st_dev, st.st_ino)
            f.seek(self._end)
            data = f.read()
        complete = data[: data.rfind(b"\n") + 1]
        if complete:
            reviews, undone = _parse(b"\n" + complete)
            self._reviews.extend(reviews)
            if undone:
                self._reviews = [r for r in self._reviews if r.id not in undone]
            self._end += len(complete)
            self._tail = complete[-self._CHECK :]
        return list(self._reviews)

    def _same_tail(self, f) -> bool:
        if not self._end:
            return True
        f.seek(self._end - len(self._tail))
        return f.read(len(self._tail)) == self._tail


def _parse(data: bytes) -> tuple[list[Review], set[str]]:
    """Reviews (in order, undone ones included) and undone review ids in ``data``.

    ``data`` is whole lines with a newline before each one.
    """
    # Hundreds of thousands of new tuples, none of them cyclic: the cyclic garbage
    # collector would only walk them again and again (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        found = _FAST_REVIEW_LINES.findall(data)
        others = _OTHER_LINES.findall(data)
        if len(found) + len(others) != data.count(b"\n"):
            return _parse_line_by_line(data)  # a review line the pattern did not match
        undone: set[str] = set()
        for line in others:
            if line.strip() and _other_record(line, None, undone) == "review":
                return _parse_line_by_line(data)  # a review spelled differently: keep the order
        return _reviews_from_groups(found), undone
    finally:
        if collecting:
            gc.enable()


def _reviews_from_groups(groups: list[tuple[bytes, ...]]) -> list[Review]:
    decks: dict[bytes, str] = {}
    kinds = _KIND_NAMES
    new = tuple.__new__  # builds the NamedTuple without its (slow) Python-level __new__
    out: list[Review] = []
    append = out.append
    for rid, card, deck, ts, rating, ms, kind, elapsed, interval, over, off in groups:
        name = decks.get(deck)
        if name is None:
            name = decks[deck] = _decode_json_string(deck)
        fields = (
            rid.decode(),
            int(card),
            name,
            ts.decode(),
            int(rating),
            int(ms),
            kinds[kind],
            float(interval),
            over == b"true",
            None if not off or not -1440 < int(off) < 1440 else int(off),
            None if elapsed == b"null" else float(elapsed),
        )
        append(new(Review, fields))
    return out


def _parse_line_by_line(data: bytes) -> tuple[list[Review], set[str]]:
    match = _FAST_REVIEW.match
    reviews: list[Review] = []
    undone: set[str] = set()
    for line in data.split(b"\n"):
        m = match(line)
        if m is not None and line.endswith(b"}}"):
            reviews.extend(_reviews_from_groups([m.groups()]))
        elif line.strip():
            _other_record(line, reviews, undone)
    return reviews, undone


def _other_record(line: bytes, reviews: list[Review] | None, undone: set[str]) -> object:
    """json-parse one line: note undos; add a review record to ``reviews`` if given.

    Returns the record's type (``"t"``), None for a line that is not a record.
    """
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    kind = record.get("t")
    if kind == "undo":
        undone.add(str(record.get("review")))
    elif kind == "review" and reviews is not None:
        review = review_from_record(record)
        if review is not None:
            reviews.append(review)
    return kind


def _decode_json_string(raw: bytes) -> str:
    if b"\\" not in raw:
        return raw.decode("utf-8", "replace")
    try:
        return json.loads(b'"' + raw + b'"')
    except ValueError:
        return raw.decode("utf-8", "replace")


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
) -> Stats:
    """Every number of the stats screen, from the reviews and the current cards.

    ``cards`` are :class:`drill.store.StoredCard` (archived ones are ignored),
    ``decks`` are :class:`drill.store.DeckRecord`. ``tz`` is the local time zone
    (None = the system's).
    """
    settings = settings or Settings()
    hour = settings.day_starts_at
    today = study_day(now, hour, tz)
    stats = Stats(today=today)
    cards = [card for card in cards if not card.archived]
    by_deck: dict[str, DeckStats] = {}
    for deck in decks:
        by_deck[deck.name] = DeckStats(deck.name, time_limit=deck.time_limit or settings.default_time_limit)
    for card in cards:
        if card.deck not in by_deck:
            by_deck[card.deck] = DeckStats(card.deck, time_limit=settings.default_time_limit)
    elsewhere = DeckStats("")  # reviews of decks the store no longer knows: in the totals only

    # One pass over the log.
    day_of = _DayOf(hour, tz)
    days = stats.days
    last_interval: dict[int, float] = {}
    again: dict[int, int] = {}
    total = total_ms = over = mature = passed = 0
    for r in reviews:
        try:
            day = day_of(r.ts, r.off)
        except (ValueError, OverflowError):
            continue
        total += 1
        total_ms += r.ms
        entry = days.get(day)
        if entry is None:
            days[day] = [1, r.ms]
        else:
            entry[0] += 1
            entry[1] += r.ms
        deck = by_deck.get(r.deck, elsewhere)
        deck.reviews += 1
        deck.total_ms += r.ms
        if r.over:
            over += 1
            deck.over_time += 1
        if r.rating == AGAIN:
            again[r.card] = again.get(r.card, 0) + 1
        if r.kind == "review":
            previous = last_interval.get(r.card)
            if previous is None:
                previous = r.elapsed_days or 0.0
            if previous >= MATURE_DAYS:
                mature += 1
                deck.mature_reviews += 1
                if r.rating != AGAIN:
                    passed += 1
                    deck.mature_passed += 1
        last_interval[r.card] = r.interval_days
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
    hard: list[HardCard] = []
    for card in cards:
        deck = by_deck[card.deck]
        deck.cards += 1
        suspended = getattr(card, "suspended", False)
        leech = suspended and getattr(card, "suspend_reason", None) == "leech"
        state = card.state
        lapses = state.get("lapses", 0) if state else 0
        misses = again.get(card.id, 0)
        if lapses or misses or leech:
            hard.append(HardCard(card.id, card.deck, card.question, lapses, misses, suspended, leech))
        if state is None or suspended or not isinstance(state.get("due"), str):
            continue
        due = state["due"]
        if card.buried_until and card.buried_until > due:
            due = card.buried_until
        index = bisect_right(ends, due)
        if index < FORECAST_DAYS:
            forecast[index] += 1
            if index == 0:
                deck.due += 1
    stats.forecast = [(today + timedelta(days=i), n) for i, n in enumerate(forecast)]
    hard.sort(key=lambda c: (-c.lapses, -c.again, c.card))
    stats.hardest = hard[:HARDEST]
    stats.leeches = [c for c in hard if c.leech]
    stats.decks = sorted(by_deck.values(), key=lambda d: d.name.casefold())
    return stats


def store_stats(store, now: datetime, tz: tzinfo | None = None) -> Stats:
    """:func:`compute_stats` over a :class:`drill.store.Store` (read only)."""
    return compute_stats(
        review_log(store).reviews(),
        store.cards(),
        store.decks(),
        now,
        store.settings,
        tz,
    )


_logs: "weakref.WeakKeyDictionary[object, ReviewLog]" = weakref.WeakKeyDictionary()


def review_log(store) -> ReviewLog:
    """The :class:`ReviewLog` of a store's journal, kept as long as the store object lives."""
    log = _logs.get(store)
    if log is None or log.path != Path(store.journal.path):
        log = _logs[store] = ReviewLog(store.journal.path)
    return log
