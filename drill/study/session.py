"""A review session: which card comes next, grading, undo, bury, summary.

Pure domain logic over a Store and an injected clock; the review screen is a
thin view over this class.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from drill.store.collection import Store, StoredCard
from drill.store.index import ARCHIVED, NEW, SUSPENDED
from drill.store.settings import Settings
from drill.study.leeches import is_leech_lapse, suspend_record, unsuspend_record
from drill.study.plans import PlanAgenda, plan_agenda, scheduler_for
from drill.study.schedule import (
    AGAIN,
    LEARNING,
    RELEARNING,
    REVIEW,
    Outcome,
    Scheduler,
    day_start,
    iso,
    local_offset_minutes,
    next_day_start,
    parse_iso,
    utcnow,
)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class DeckCounts:
    name: str
    new: int
    due: int
    total: int


@dataclass
class TodayCounts:
    new: int = 0
    reviews: int = 0
    future: int = 0
    """Reviews stamped after now (the clock was ahead): they count for nothing yet."""


def studied_today(store: Store, now: datetime, settings: Settings) -> TodayCounts:
    """New cards introduced and reviews done in the current study day.

    The rule (stats agree, see drill.stats.compute): a review counts towards today if it
    was made at or after the start of the current study day, in the time zone you are
    in now; a review stamped after *now* (the clock was ahead) counts for nothing yet.
    """
    start, now_iso = iso(day_start(now, settings.day_starts_at)), iso(now)
    counts = TodayCounts()
    for record in store.recent_reviews(start):
        if record["ts"] > now_iso:
            counts.future += 1
        elif record.get("kind") == "new":
            counts.new += 1
        elif record.get("kind") == "review":
            counts.reviews += 1
    return counts


def is_buried(card: StoredCard, now_iso: str) -> bool:
    return card.buried_until is not None and card.buried_until > now_iso


def is_due(card: StoredCard, now_iso: str) -> bool:
    return card.state is not None and card.state["due"] <= now_iso


def left_today(store: Store, now: datetime, settings: Settings) -> TodayCounts:
    """New cards and due reviews the daily limits still allow in the current study day."""
    done = studied_today(store, now, settings)
    return TodayCounts(
        new=max(0, settings.new_per_day - done.new),
        reviews=max(0, settings.reviews_per_day - done.reviews),
    )


def deck_counts(
    store: Store,
    now: datetime,
    settings: Settings | None = None,
    *,
    left: TodayCounts | None = None,
    held_back: set[int] | None = None,
) -> list[DeckCounts]:
    """Per deck: new cards available today (within the daily limit), cards due now, total.

    ``left`` is ``left_today(...)`` when the caller has it already. ``held_back``: new
    cards an interview plan paces over later days (``PlanAgenda.held_back``), not
    available today.
    """
    held_back = held_back or set()
    left = left or left_today(store, now, settings or store.settings)
    new_left, reviews_left = left.new, left.reviews
    now_iso = iso(now)
    out = []
    columns = store.due_columns()  # the due index's arrays: no card body, no object per card
    for deck in store.decks():
        new = due = total = 0
        cols = columns.get(deck.name)
        if cols is not None:
            for cid, kind, when, flags, bury in zip(cols["ids"], cols["kind"], cols["due"], cols["flags"], cols["bury"]):
                if flags & ARCHIVED:
                    continue
                total += 1
                if flags & SUSPENDED or (bury is not None and bury > now_iso):
                    continue
                if kind == NEW:
                    if cid not in held_back:
                        new += 1
                elif when is not None and when <= now_iso:
                    due += 1
        out.append(DeckCounts(deck.name, min(new, new_left), min(due, reviews_left), total))
    return out


@dataclass(frozen=True)
class LaterToday:
    """What home says when nothing (or not everything) is due now."""

    count: int = 0
    """Cards that come due after now but within the current study day (learning steps)."""
    next_due: datetime | None = None
    suspended: int = 0
    """Suspended cards (leeches), which no queue shows until they are unsuspended."""


def later_today(store: Store, now: datetime, settings: Settings | None = None) -> LaterToday:
    """Cards due later in this study day, the first of them, and the suspended cards."""
    settings = settings or store.settings
    now_iso = iso(now)
    end_iso = iso(next_day_start(now, settings.day_starts_at))
    count, first, suspended = 0, None, 0
    for cols in store.due_columns().values():  # the due index only
        for kind, due, flags, bury in zip(cols["kind"], cols["due"], cols["flags"], cols["bury"]):
            if flags & ARCHIVED:
                continue
            if flags & SUSPENDED:
                suspended += 1
                continue
            if kind == NEW or due is None or (bury is not None and bury > now_iso):
                continue
            if now_iso < due <= end_iso:
                count += 1
                first = due if first is None or due < first else first
    return LaterToday(count, parse_iso(first) if first else None, suspended)


@dataclass(frozen=True)
class QueueCounts:
    """What is left in a session, as Anki counts it: new, learning, review cards."""

    new: int
    learning: int
    review: int


def card_kind(card: StoredCard) -> str:
    """"new", "learning", "relearning" or "review": what the card is for the person reviewing."""
    if card.state is None:
        return "new"
    return {LEARNING: "learning", RELEARNING: "relearning"}.get(card.state["state"], "review")


class UndoConflict(Exception):
    """The last grade cannot be undone: the card changed since (another window graded it)."""


@dataclass
class GradeRecord:
    review_id: str
    card: StoredCard
    rating: int
    duration_ms: int
    over_time: bool
    prev_state: dict | None
    leech: bool = False
    """This grade made the card a leech, and it was suspended."""
    recomputed: bool = False
    """The card was graded (or undone) elsewhere since it was shown: this grade was
    computed from its new state, not the one on screen."""
    state: dict | None = None
    """The card's state this grade saved."""
    siblings: tuple[int, ...] = ()
    """Siblings this grade buried until the next study day (undo unburies them)."""


@dataclass
class BuryRecord:
    """A card the user buried in this session (undo brings it back)."""

    card: StoredCard


@dataclass
class Summary:
    done: int
    again: int
    seconds: float
    next_due: datetime | None
    left: int = 0
    """Cards this session still had to show when it ended (0 when it ran to the end)."""

    @property
    def again_rate(self) -> float:
        return self.again / self.done if self.done else 0.0


@dataclass
class ReviewSession:
    """Cards to review now, in order, with durable grading.

    ``decks=None`` means every deck. ``new_limit`` overrides the number of new
    cards left for today.
    """

    store: Store
    decks: list[str] | None = None
    clock: Clock = utcnow
    new_limit: int | None = None
    settings: Settings | None = None
    scheduler: Scheduler | None = None
    queue: list[StoredCard] = field(default_factory=list)
    learning: list[StoredCard] = field(default_factory=list)
    history: list[GradeRecord] = field(default_factory=list)
    actions: list = field(default_factory=list)
    """Grades (GradeRecord) and buries (BuryRecord), newest last: what undo takes back."""
    current: StoredCard | None = None
    shown_at: datetime | None = None

    def __post_init__(self) -> None:
        self.settings = self.settings or self.store.settings
        self.scheduler = self.scheduler or scheduler_for(self.store, self.settings)
        self.plans = PlanAgenda([])
        """What active interview plans put in this session's queue (first)."""
        self._build_queue()
        self._preview: dict[int, Outcome] | None = None
        self.last_outcome: Outcome | None = None
        """What the last grade saved (its label is what the user should be told)."""

    # ---------------------------------------------------------------- queue
    def _build_queue(self) -> None:
        now = self.clock()
        now_iso = iso(now)
        left = left_today(self.store, now, self.settings)
        new_left = self.new_limit if self.new_limit is not None else left.new
        reviews_left = left.reviews
        store = self.store
        # Interview plans go first, within the same daily limits.
        self.plans = plan_agenda(
            store, now, self.settings, new_left=new_left, reviews_left=reviews_left, scheduler=self.scheduler
        )
        wanted = set(self.decks) if self.decks is not None else None
        planned = [cid for cid in self.plans.ordered if wanted is None or _deck_of(store, cid) in wanted]
        plan_ids = set(planned)
        plan_new = set(self.plans.new)
        new_left -= sum(1 for cid in planned if cid in plan_new)
        reviews_left -= sum(1 for cid in planned if cid in self.plans.counted_reviews)
        held_back = self.plans.held_back
        self._plan_ids = plan_ids
        # One pass over the due index's arrays; StoredCard objects only for the cards kept,
        # so the cost per card of the store is a few comparisons. Items sort in the order
        # store.cards() gives (deck, file, line), reviews and learning cards by due date first.
        due, new, learning = [], [], []
        hidden = ARCHIVED | SUSPENDED
        for name, cols in store.due_columns(self.decks).items():
            folded = name.casefold()
            sources, src, lines = cols["sources"], cols["src"], cols["line"]
            for pos, (cid, kind, when, flags, bury) in enumerate(
                    zip(cols["ids"], cols["kind"], cols["due"], cols["flags"], cols["bury"])):
                if flags & hidden or (bury is not None and bury > now_iso) or cid in plan_ids or cid in held_back:
                    continue
                if kind == NEW:
                    new.append((folded, sources[src[pos]], lines[pos], cid, name, pos))
                elif kind in (LEARNING, RELEARNING):
                    learning.append((when or "", folded, sources[src[pos]], lines[pos], cid, name, pos))  # shown when due
                elif when is not None and when <= now_iso:
                    due.append((when, folded, sources[src[pos]], lines[pos], cid, name, pos))
        due = heapq.nsmallest(reviews_left, due)
        new = heapq.nsmallest(new_left, new)
        learning.sort()
        # Cards wait as stubs (no deck file read) until they are shown: after a break
        # thousands of learning cards can be due, and today's reviews are spread over
        # every deck (see Store.card_stub). The first few of the queue are read whole.
        self._stub_ids: set[int] = set()

        def waiting(items: list) -> list[StoredCard]:
            out = []
            for item in items:
                card, stub = store.card_stub_at(item[-2], item[-1])
                out.append(card)
                if stub:
                    self._stub_ids.add(card.id)
            return out

        self.learning = waiting(learning)
        first = [store.card(cid) for cid in planned]
        self.queue = [c for c in first if c is not None] + _interleave(waiting(due), waiting(new))
        for i, card in enumerate(self.queue[:EAGER_CARDS]):
            if card.id in self._stub_ids:
                self._stub_ids.discard(card.id)
                self.queue[i] = store.card(card.id, card.deck) or card

    def remaining(self) -> int:
        return len(self.queue) + len(self.learning) + (1 if self.current else 0)

    def counts(self) -> QueueCounts:
        """New, learning and review cards left, the current one included.

        Learning cards count once they are due within the learn-ahead window
        (the ones this session will still show); later ones come back in a
        later session, as in Anki.
        """
        ahead = iso(self.clock() + timedelta(minutes=self.settings.learn_ahead_minutes))
        counts = {"new": 0, "learning": 0, "review": 0}
        shown = [*self.queue, *([self.current] if self.current is not None else [])]
        shown += [card for card in self.learning if card.state["due"] <= ahead]
        for card in shown:
            kind = card_kind(card)
            counts["learning" if kind == "relearning" else kind] += 1
        new, learning, review = counts["new"], counts["learning"], counts["review"]
        return QueueCounts(new, learning, review)

    def next_card(self) -> StoredCard | None:
        """Advance to the next card (learning cards first when due), or None when done."""
        now = self.clock()
        now_iso = iso(now)
        card = None
        if self.learning and self.learning[0].state["due"] <= now_iso:
            card = self.learning.pop(0)
        elif self.queue:
            card = self.queue.pop(0)
        elif self.learning:
            ahead = iso(now + timedelta(minutes=self.settings.learn_ahead_minutes))
            if self.learning[0].state["due"] <= ahead:
                card = self.learning.pop(0)
        if card is not None and card.id in getattr(self, "_stub_ids", ()):
            self._stub_ids.discard(card.id)
            card = self.store.card(card.id, card.deck) or card  # the whole card, now that it is shown
        self.current = card
        self.shown_at = now if card else None
        self._preview = None
        return card

    # ---------------------------------------------------------------- grading
    def outcomes(self) -> dict[int, Outcome]:
        """What each grade would do to the current card (labels for the buttons)."""
        assert self.current is not None, "no current card"
        if self._preview is None:
            self._preview = self.scheduler.preview(self.current.id, self.current.state, self.clock())
        return self._preview

    def elapsed(self) -> float:
        if self.shown_at is None:
            return 0.0
        return max(0.0, (self.clock() - self.shown_at).total_seconds())

    def grade(self, rating: int, *, over_time: bool = False, extended: bool = False) -> GradeRecord:
        """Grade the current card. Durable (journal fsync'd) when this returns.

        *extended*: the user added time to this card's countdown (``+``); recorded for stats."""
        card = self.current
        assert card is not None, "no current card"
        now = self.clock()
        duration_ms = int(self.elapsed() * 1000)
        recomputed = False
        # Under the write lock, from the card's state as of now: another window may have
        # graded it since it was shown, and its grade must not be silently replaced.
        with self.store.card_as_of_now(card.id) as fresh:
            if fresh is not None and fresh.state != card.state:
                card = self.current = fresh
                self._preview = None
                recomputed = True
            outcome = self.outcomes()[rating]
            prev = card.state
            record = review_record(card, outcome, now, duration_ms, over_time)
            if card.id in self._plan_ids:
                record["plan"] = True  # in today's queue because of an interview plan
            if extended:
                record["plus"] = True
            self.store.append(record)
            leech = is_leech_lapse((prev or {}).get("lapses", 0), outcome.state["lapses"], self.settings.leech_threshold)
            if leech:
                self.store.append(suspend_record(card.id, now, record["id"]))
        siblings = self._bury_siblings(card, now)
        graded = GradeRecord(
            record["id"], card, rating, duration_ms, over_time, prev, leech, recomputed=recomputed, state=outcome.state,
            siblings=siblings,
        )
        self.last_outcome = outcome
        self.history.append(graded)
        self.actions.append(graded)
        updated = self.store.card(card.id)
        if updated is not None and not updated.suspended and updated.state["state"] in (LEARNING, RELEARNING):
            if updated.state["due"] < iso(next_day_start(now, self.settings.day_starts_at)):
                self.learning.append(updated)
                self.learning.sort(key=lambda c: c.state["due"])
        self.current = None
        self._preview = None
        return graded

    def can_undo(self) -> bool:
        return bool(self.actions)

    def last_was_bury(self) -> bool:
        return bool(self.actions) and isinstance(self.actions[-1], BuryRecord)

    def undo(self) -> StoredCard | None:
        """Take back the last grade or bury; that card becomes current again."""
        if not self.actions:
            return None
        if isinstance(self.actions[-1], BuryRecord):
            return self._undo_bury()
        last = self.actions[-1]
        with self.store.card_as_of_now(last.card.id) as now_card:
            if now_card is not None and last.state is not None and now_card.state != last.state:
                # Graded again in another window since: undoing would roll that back too.
                raise UndoConflict("not undone: that card was graded again in another window since")
            self.history.pop()
            self.actions.pop()
            if last.leech:
                self.store.append(unsuspend_record(last.card.id, self.clock(), reason="undo"))
            self.store.append(
                {"t": "undo", "review": last.review_id, "card": last.card.id, "ts": iso(self.clock()), "state": last.prev_state}
            )
        self.learning = [c for c in self.learning if c.id != last.card.id]
        if self.current is not None and self.current.id != last.card.id:
            self.queue.insert(0, self.current)
        self._unbury_siblings(last.siblings)
        restored = self.store.card(last.card.id)
        self.current = restored
        self.shown_at = self.clock()
        self._preview = None
        return restored

    def _bury_siblings(self, card: StoredCard, now: datetime) -> tuple[int, ...]:
        """Bury, until the next study day, the cards still queued that share *card*'s line.

        Both sides of a ``:::``/``??`` card and the blanks of one cloze sentence are
        written on one line; asked back to back, the second gives itself away. As in
        Anki, reviewing one buries the others (new and due ones) for the day."""
        siblings = [c for c in self.queue if c.id != card.id and c.line == card.line and c.source == card.source]
        if not siblings:
            return ()
        until = iso(next_day_start(now, self.settings.day_starts_at))
        for sibling in siblings:
            self.store.append({"t": "bury", "card": sibling.id, "ts": iso(now), "until": until, "sibling": card.id})
        ids = {c.id for c in siblings}
        self.queue = [c for c in self.queue if c.id not in ids]
        return tuple(c.id for c in siblings)

    def _unbury_siblings(self, ids: tuple[int, ...]) -> None:
        """Undo of a grade: the siblings it buried come back (next, after the undone card)."""
        if not ids:
            return
        now = iso(self.clock())
        back = []
        for cid in ids:
            self.store.append({"t": "bury", "card": cid, "ts": now, "until": now})
            card = self.store.card(cid)
            if card is not None and not card.archived and not card.suspended:
                back.append(card)
        self.queue[0:0] = back

    def bury(self) -> None:
        """Hide the current card until the next study day (undo takes it back)."""
        card = self.current
        assert card is not None, "no current card"
        until = next_day_start(self.clock(), self.settings.day_starts_at)
        self.store.append({"t": "bury", "card": card.id, "ts": iso(self.clock()), "until": iso(until)})
        self.actions.append(BuryRecord(card))
        self.current = None
        self._preview = None

    def _undo_bury(self) -> StoredCard | None:
        """The last bury taken back: journaled as a bury until now, which the store and
        every device replay in order, as the unburying of siblings after an undone grade
        is; the card is shown again."""
        last = self.actions.pop()
        self._journal_unbury(last)
        if self.current is not None and self.current.id != last.card.id:
            self.queue.insert(0, self.current)
        self.current = self.store.card(last.card.id) or last.card
        self.shown_at = self.clock()
        self._preview = None
        return self.current

    def _journal_unbury(self, last: BuryRecord) -> None:
        now = iso(self.clock())  # buried until now: due again (a record the schema, the store and replay know)
        self.store.append({"t": "bury", "card": last.card.id, "ts": now, "until": now, "undo": True})

    # ---------------------------------------------------------------- summary
    def summary(self) -> Summary:
        done = len(self.history)
        again = sum(1 for g in self.history if g.rating == AGAIN)
        seconds = sum(g.duration_ms for g in self.history) / 1000
        counts = self.counts()
        return Summary(done, again, seconds, self.next_due(), counts.new + counts.learning + counts.review)

    def next_due(self) -> datetime | None:
        now_iso = iso(self.clock())
        dues = [
            doc["state"]["due"]
            for _, doc in self.store.scan(self.decks)
            if doc.get("state") is not None
            and doc["state"]["due"] > now_iso
            and not doc.get("suspended")
            and not doc.get("archived")
        ]
        return parse_iso(min(dues)) if dues else None


def review_record(card: StoredCard, outcome: Outcome, now: datetime, duration_ms: int, over_time: bool) -> dict:
    """The journal record for grading ``card`` (its state before the grade) with ``outcome``."""
    prev = card.state
    return {
        "t": "review",
        "id": _new_id(),
        "key": card.key,
        "card": card.id,
        "deck": card.deck,
        "ts": iso(now),
        "rating": outcome.rating,
        "ms": duration_ms,
        "kind": _kind(prev),
        "elapsed_days": _elapsed_days(prev, now),
        "interval_days": round(outcome.interval.total_seconds() / 86400, 4),
        "over": over_time,
        "off": local_offset_minutes(now),
        "state": outcome.state,
    }


def _kind(prev: dict | None) -> str:
    if prev is None:
        return "new"
    return {LEARNING: "learn", REVIEW: "review", RELEARNING: "relearn"}.get(prev["state"], "review")


def _elapsed_days(prev: dict | None, now: datetime) -> float | None:
    if not prev or not prev.get("last_review"):
        return None
    return round(max(0.0, (now - parse_iso(prev["last_review"])).total_seconds() / 86400), 4)


EAGER_CARDS = 8
"""Cards at the head of a new session's queue read whole at once; the rest when shown."""


def _deck_of(store: Store, cid: int) -> str | None:
    card = store.card(cid)
    return card.deck if card is not None else None


def _interleave(reviews: list[StoredCard], new: list[StoredCard]) -> list[StoredCard]:
    """Spread new cards evenly among due reviews, as Anki does by default."""
    total = len(reviews) + len(new)
    out: list[StoredCard] = []
    r = n = 0
    for i in range(total):
        new_is_due = n < len(new) and (n + 0.5) * total / len(new) <= i + 1
        if new_is_due or r >= len(reviews):
            out.append(new[n])
            n += 1
        else:
            out.append(reviews[r])
            r += 1
    return out


def _new_id() -> str:
    import uuid  # at the first grade, not at start-up (uuid imports platform)

    return uuid.uuid4().hex[:16]
