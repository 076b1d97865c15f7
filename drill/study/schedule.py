"""Scheduling: the FSRS scheduler, study days and interval labels.

Card scheduling state is a plain dict (what the journal and the store keep):
``{"state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"}``
with times as ISO-8601 UTC strings. ``None`` means a new, never-reviewed card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import fsrs

from drill.store.settings import Settings
from drill.store.timestamps import iso, parse_iso

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

LEARNING, REVIEW, RELEARNING = 1, 2, 3




def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local_offset_minutes(now: datetime, tz: tzinfo | None = None) -> int:
    """Minutes east of UTC of the local time at ``now`` (what review records keep as ``off``)."""
    offset = now.astimezone(tz).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def day_start(now: datetime, hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """Start (UTC) of the study day containing ``now``; days begin at ``hour`` local time.

    ``tz=None`` means the system's local time zone (with its DST rules).
    """
    return _local_time_on(study_day(now, hour, tz), hour, tz)


def next_day_start(now: datetime, hour: int = 4, tz: tzinfo | None = None) -> datetime:
    return _local_time_on(study_day(now, hour, tz) + timedelta(days=1), hour, tz)


def _local_time_on(day: date, hour: int, tz: tzinfo | None) -> datetime:
    naive = datetime(day.year, day.month, day.day, hour)
    if tz is None:
        utc = naive.astimezone(timezone.utc)  # naive is read as system local time
        wall = utc.astimezone().replace(tzinfo=None)
        if wall < naive:
            # ``hour`` was skipped by a DST jump and mktime resolved it to before
            # the jump, i.e. into the previous study day: start at the jump instead
            # (what a zoneinfo ``tz`` gives).
            utc += naive - wall
        return utc
    return naive.replace(tzinfo=tz).astimezone(timezone.utc)


def start_of_study_day(day: date, hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """When (UTC) the study day *day* begins."""
    return _local_time_on(day, hour, tz)


def study_day(ts: datetime, hour: int = 4, tz: tzinfo | None = None) -> date:
    """The calendar date a review at ``ts`` counts towards."""
    return (ts.astimezone(tz) - timedelta(hours=hour)).date()


def format_interval(delta: timedelta) -> str:
    """Short human label: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0, delta.total_seconds())
    if seconds < 60:
        return f"{int(seconds)}s"
    # Compare the *rounded* value with the unit's limit, so 59m50s reads "1h", not "60m".
    minutes = seconds / 60
    if round(minutes) < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if round(hours) < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if round(days) < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


@dataclass(frozen=True)
class Outcome:
    """What grading a card with ``rating`` now would do."""

    rating: int
    state: dict
    interval: timedelta

    @property
    def label(self) -> str:
        return f"{RATING_NAMES[self.rating]} · {format_interval(self.interval)}"


class Scheduler:
    """drill's thin wrapper over ``fsrs.Scheduler``, working on state dicts."""

    def __init__(self, settings: Settings | None = None, parameters: Sequence[float] | None = None,
                 *, fuzz: bool = True) -> None:
        """*parameters*: FSRS parameters fitted to the user (``drill optimize``); None for the defaults.
        *fuzz*: False for the same interval every time (replaying history, drill.devices.replay)."""
        import fsrs  # here, not at start-up: `drill decks` and `drill stats` never schedule

        self.settings = settings or Settings()
        self.parameters = None
        try:
            if parameters:
                self._fsrs = fsrs.Scheduler(parameters=tuple(parameters), desired_retention=self.settings.desired_retention,
                                            enable_fuzzing=fuzz)
                self.parameters = tuple(parameters)
                return
        except (ValueError, TypeError):
            pass  # parameters this fsrs version does not accept: fall back to its defaults
        self._fsrs = fsrs.Scheduler(desired_retention=self.settings.desired_retention, enable_fuzzing=fuzz)

    def preview(self, card_id: int, state: dict | None, now: datetime) -> dict[int, Outcome]:
        """The outcome of each rating, computed once so labels match what grading does."""
        outcomes = {rating: self.outcome(card_id, state, rating, now) for rating in RATING_NAMES}
        # fsrs fuzzes each rating's interval independently, so Good can come out
        # no longer than Hard (or Easy than Good). Keep the buttons' promise.
        for lower, higher in ((HARD, GOOD), (GOOD, EASY)):
            low, high = outcomes[lower], outcomes[higher]
            if high.interval <= low.interval and high.state["state"] == REVIEW:
                interval = low.interval + timedelta(days=1)
                reviewed = parse_iso(high.state["last_review"])
                outcomes[higher] = Outcome(higher, {**high.state, "due": iso(reviewed + interval)}, interval)
        return outcomes

    def outcome(self, card_id: int, state: dict | None, rating: int, now: datetime) -> Outcome:
        import fsrs

        now = now.astimezone(timezone.utc)  # fsrs insists on tzinfo=timezone.utc
        card = to_fsrs_card(card_id, state, now)
        # A clock that went backwards must not produce negative elapsed time.
        when = max(now, card.last_review) if card.last_review else now
        reps = (state or {}).get("reps", 0) + 1
        new_card = self._review(card, rating, when, seed=f"{card_id}:{reps}")
        lapses = (state or {}).get("lapses", 0)
        if rating == AGAIN and state is not None and state.get("state") == REVIEW:
            lapses += 1
        new_state = from_fsrs_card(new_card, reps=reps, lapses=lapses)
        return Outcome(rating, new_state, max(timedelta(0), new_card.due - when))

    def _review(self, card: fsrs.Card, rating: int, when: datetime, *, seed: str) -> fsrs.Card:
        """fsrs's review, its fuzz drawn from a generator seeded by the card and its review count
        (as Anki seeds its fuzz): the intervals shown stay the same when a card is shown again
        (after an undo, on a second device) and the same fuzz applies to every rating, so
        Hard ≤ Good ≤ Easy holds more often. fsrs draws from ``random.random``, which its
        scheduler module imports by name; it is swapped for the seeded one for this call only."""
        import random

        import fsrs
        from fsrs import scheduler as fsrs_scheduler

        drawn = getattr(fsrs_scheduler, "random", None)
        if callable(drawn):
            fsrs_scheduler.random = random.Random(seed).random
        try:
            new_card, _ = self._fsrs.review_card(card, fsrs.Rating(rating), when)
        finally:
            if callable(drawn):
                fsrs_scheduler.random = drawn
        return new_card

    def retrievability(self, card_id: int, state: dict | None, now: datetime) -> float:
        if state is None:
            return 0.0
        return self._fsrs.get_card_retrievability(to_fsrs_card(card_id, state, now), now)


def to_fsrs_card(card_id: int, state: dict | None, now: datetime) -> fsrs.Card:
    import fsrs

    if state is None:
        return fsrs.Card(card_id=card_id, due=now)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(state["state"]),
        step=state.get("step"),
        stability=state.get("stability"),
        difficulty=state.get("difficulty"),
        due=parse_iso(state["due"]),
        last_review=parse_iso(state["last_review"]) if state.get("last_review") else None,
    )


def from_fsrs_card(card: fsrs.Card, *, reps: int, lapses: int) -> dict:
    return {
        "state": int(card.state),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": iso(card.due),
        "last_review": iso(card.last_review) if card.last_review else None,
        "reps": reps,
        "lapses": lapses,
    }
