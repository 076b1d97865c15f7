"""Leeches: lapsing too often suspends a card (journalled), undo and unsuspend bring it back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.store.settings import Settings
from drill.study.leeches import is_leech_lapse, unsuspend
from drill.study.schedule import AGAIN, GOOD, REVIEW, iso
from drill.study.session import ReviewSession, deck_counts

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "prev, now, threshold, expected",
    [
        (7, 8, 8, True),
        (6, 7, 8, False),
        (8, 8, 8, False),  # no new lapse (a Good on a leech that was unsuspended)
        (8, 9, 8, False),
        (11, 12, 8, True),  # again every half threshold after
        (15, 16, 8, True),
        (0, 1, 1, True),
        (1, 2, 1, True),
        (7, 8, 0, False),  # 0 turns leeches off
    ],
)
def test_is_leech_lapse(prev, now, threshold, expected):
    assert is_leech_lapse(prev, now, threshold) is expected


def _lapsing_store(path, lapses: int, settings: Settings | None = None) -> tuple[Store, int]:
    """A store with two cards; card 1 is a due review card with ``lapses`` lapses."""
    store = Store(path)
    cards = [ParsedCard(("Shaky fact",), "A", line=1), ParsedCard(("Solid fact",), "B", line=3)]
    with store.writing():
        store.apply_import(ParsedDeck("D", cards=cards), "/notes/d.md")
        if settings is not None:
            store._data["meta"]["1"]["settings"] = settings.to_dict()
    card = store.cards()[0]
    state = {
        "state": REVIEW, "step": None, "stability": 30.0, "difficulty": 6.0, "due": iso(NOW - timedelta(days=1)),
        "last_review": iso(NOW - timedelta(days=31)), "reps": 12, "lapses": lapses,
    }
    store.append({"t": "review", "id": "seed", "card": card.id, "ts": iso(NOW - timedelta(days=31)), "rating": 3,
                  "state": state})
    return store, card.id


def _grade_card(session: ReviewSession, card_id: int, rating: int):
    while (card := session.next_card()) is not None and card.id != card_id:
        session.grade(GOOD)
    assert card is not None
    return session.grade(rating)


def test_eighth_lapse_suspends_the_card(tmp_path):
    store, cid = _lapsing_store(tmp_path / "drill.json", lapses=7)
    session = ReviewSession(store, clock=FakeClock(NOW))
    graded = _grade_card(session, cid, AGAIN)
    assert graded.leech
    card = store.card(cid)
    assert card.suspended and card.suspend_reason == "leech" and card.state["lapses"] == 8
    records = list(store.reviews())
    last = records[-1]
    assert isinstance(last.pop("id"), str) and last.pop("key") == card.key  # named by stable key, with an id
    assert last == {"t": "suspend", "card": cid, "ts": iso(NOW), "reason": "leech", "review": graded.review_id}
    # Not shown again, today or later, and not counted as due.
    assert all(c.id != cid for c in session.learning)
    later = ReviewSession(store, clock=FakeClock(NOW + timedelta(days=40)))
    assert all(c.id != cid for c in later.queue + later.learning)
    assert deck_counts(store, NOW + timedelta(days=40))[0].due == 1  # only the other card
    # Survives a reopen (journal replay) and compaction.
    store.close()
    assert Store(tmp_path / "drill.json").card(cid).suspended


def test_other_lapses_do_not_suspend(tmp_path):
    store, cid = _lapsing_store(tmp_path / "drill.json", lapses=5)
    graded = _grade_card(ReviewSession(store, clock=FakeClock(NOW)), cid, AGAIN)
    assert not graded.leech and not store.card(cid).suspended


def test_threshold_is_a_setting(tmp_path):
    store, cid = _lapsing_store(tmp_path / "drill.json", lapses=2, settings=Settings(leech_threshold=3))
    assert _grade_card(ReviewSession(store, clock=FakeClock(NOW)), cid, AGAIN).leech
    store2, cid2 = _lapsing_store(tmp_path / "other.json", lapses=7, settings=Settings(leech_threshold=0))
    assert not _grade_card(ReviewSession(store2, clock=FakeClock(NOW)), cid2, AGAIN).leech


def test_undo_takes_the_suspension_back(tmp_path):
    store, cid = _lapsing_store(tmp_path / "drill.json", lapses=7)
    session = ReviewSession(store, clock=FakeClock(NOW))
    _grade_card(session, cid, AGAIN)
    restored = session.undo()
    assert restored.id == cid and not restored.suspended and restored.state["lapses"] == 7
    assert [r["t"] for r in store.reviews()][-2:] == ["unsuspend", "undo"]


def test_unsuspend_puts_it_back_in_reviews(tmp_path):
    store, cid = _lapsing_store(tmp_path / "drill.json", lapses=7)
    _grade_card(ReviewSession(store, clock=FakeClock(NOW)), cid, AGAIN)
    unsuspend(store, cid, NOW + timedelta(hours=1))
    card = store.card(cid)
    assert not card.suspended and card.suspend_reason is None
    later = ReviewSession(store, clock=FakeClock(NOW + timedelta(days=2)))
    assert any(c.id == cid for c in later.queue + later.learning)
    other = Store(tmp_path / "drill.json")  # another process sees the same
    assert not other.card(cid).suspended
