"""Cram: every card of the chosen decks, lowest current recall first, graded
as usual but without touching the schedule.

A cram grade is journalled as ``{"t": "cram", ...}``: the store never applies
such a record to a card (its state stays byte-identical), daily limits and
retention only count ``"review"`` records, and the optimiser reads only those,
so cramming never counts as a review. Stats count cram answers separately.
Undoing one journals ``{"t": "cram-undo", "review": id}``.

Peers: Anki's filtered decks with "reschedule cards based on my answers" off
and the Obsidian "Decks" plugin's cram keep no history at all; drill keeps
the answers (the issue asks for them in stats) but applies none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from drill.store.collection import StoredCard
from drill.store.reviewlog import records_not_undone
from drill.study.plans import PlanAgenda
from drill.study.schedule import AGAIN, RATING_NAMES, Outcome, iso, local_offset_minutes
from drill.study.session import BuryRecord, GradeRecord, ReviewSession

AGAIN_GAP = 3
"""A card graded Again comes back after this many other cards (or at the end)."""


class CramSession(ReviewSession):
    """A ReviewSession whose grades change nothing but the journal's cram log."""

    cram = True

    def _build_queue(self) -> None:
        now = self.clock()
        store = self.store
        items = []
        for cid, doc in store.card_docs(self.decks):
            if doc.get("archived") or doc.get("suspended"):
                continue
            state = doc.get("state")
            recall = self.scheduler.retrievability(cid, state, now) if state is not None else 0.0
            items.append((recall, store.card_order(cid, doc), cid, doc))
        items.sort(key=lambda item: (item[0], item[1]))
        self.queue = [store.card_of(cid, doc) for _, _, cid, doc in items]
        self.learning = []
        self.plans = PlanAgenda([])
        self._plan_ids = set()

    def outcomes(self) -> dict[int, Outcome]:
        assert self.current is not None, "no current card"
        return {rating: Outcome(rating, self.current.state, timedelta(0)) for rating in RATING_NAMES}

    def grade(self, rating: int, *, over_time: bool = False, extended: bool = False) -> GradeRecord:
        """Journal a cram answer (fsync'd when this returns); the card's state is untouched."""
        card = self.current
        assert card is not None, "no current card"
        now = self.clock()
        duration_ms = int(self.elapsed() * 1000)
        record = {
            "t": "cram",
            "id": _new_id(),
            "card": card.id,
            "deck": card.deck,
            "ts": iso(now),
            "rating": rating,
            "ms": duration_ms,
            "over": over_time,
            "off": local_offset_minutes(now),
        }
        if extended:
            record["plus"] = True
        self.store.append(record)
        graded = GradeRecord(record["id"], card, rating, duration_ms, over_time, card.state)
        self.history.append(graded)
        self.actions.append(graded)
        if rating == AGAIN:
            self.queue.insert(min(AGAIN_GAP, len(self.queue)), card)
        self.current = None
        self._preview = None
        return graded

    def undo(self) -> StoredCard | None:
        if not self.actions:
            return None
        if isinstance(self.actions[-1], BuryRecord):
            return self._undo_bury()  # a skipped card: shown again (nothing was written)
        last = self.history.pop()
        self.actions.pop()
        self.store.append({"t": "cram-undo", "review": last.review_id, "card": last.card.id, "ts": iso(self.clock())})
        if last.rating == AGAIN:
            again = next((i for i, c in enumerate(self.queue) if c.id == last.card.id), None)
            if again is not None:
                del self.queue[again]
        if self.current is not None and self.current.id != last.card.id:
            self.queue.insert(0, self.current)
        self.current = self.store.card(last.card.id)
        self.shown_at = self.clock()
        self._preview = None
        return self.current

    def _journal_unbury(self, last) -> None:
        """Nothing to write: a cram's skip wrote nothing."""

    def bury(self) -> None:
        """Skip the current card for this cram (burying is scheduling: nothing is written)."""
        assert self.current is not None, "no current card"
        self.actions.append(BuryRecord(self.current))
        self.current = None
        self._preview = None


@dataclass
class CardsCram(CramSession):
    """Cram exactly the cards *card_ids*, in that order (a mock report's "Drill next"):
    archived, suspended and removed cards are left out. As in any cram the schedule is
    untouched -- the mock's own grades already went into it."""

    card_ids: tuple[int, ...] = ()

    def _build_queue(self) -> None:
        cards = [self.store.card(cid) for cid in dict.fromkeys(self.card_ids)]
        self.queue = [c for c in cards if c is not None and not c.archived and not c.suspended]
        self.learning = []
        self.plans = PlanAgenda([])
        self._plan_ids = set()


def cram_answers(records) -> list[dict]:
    """Cram records less the undone ones (for stats)."""
    return records_not_undone(records, "cram", "cram-undo")


def _new_id() -> str:
    import uuid  # at the first grade, not at start-up (uuid imports platform)

    return uuid.uuid4().hex[:16]
