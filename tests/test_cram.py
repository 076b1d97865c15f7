"""Cram: every card, lowest recall first, graded without touching the schedule."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import FakeClock
from textual.widgets import Button

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.cram import CramSession, cram_answers
from drill.study.optimize import graded_reviews
from drill.study.schedule import AGAIN, EASY, GOOD, HARD
from drill.study.session import ReviewSession, studied_today
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.review import ReviewScreen

START = datetime(2024, 3, 5, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for name in ("Alpha", "Beta"):
            deck = ParsedDeck(name, [ParsedCard((f"{name} {i}",), f"answer {i}", 1 + i) for i in range(4)])
            store.apply_import(deck, str(tmp_path / f"{name}.md"))
    # Some history: Alpha 0 learned well long ago, Alpha 1 yesterday, the rest new.
    clock = FakeClock(START - timedelta(days=30))
    session = ReviewSession(store, decks=["Alpha"], clock=clock)
    for rating in (EASY, GOOD):
        session.next_card()
        session.grade(rating)
    return store


def states(store: Store) -> dict[int, str]:
    """Each card's stored document, serialised: byte-for-byte comparable."""
    return {cid: json.dumps(doc, sort_keys=True) for cid, doc in store.card_docs()}


def test_cram_leaves_every_card_byte_identical(store):
    before = states(store)
    clock = FakeClock(START)
    cram = CramSession(store, decks=["Alpha", "Beta"], clock=clock)
    assert cram.remaining() == 8
    ratings = [AGAIN, HARD, GOOD, EASY]
    n = 0
    while cram.next_card() is not None and n < 20:
        cram.grade(ratings[n % 4])
        clock.advance(seconds=5)
        n += 1
    cram.undo()
    store.compact()
    assert states(store) == before
    assert states(Store(store.path)) == before  # and so on disk, after replaying the journal
    answers = cram_answers(store.reviews())
    assert len(answers) == n - 1 and all(r["t"] == "cram" for r in answers)
    # Not reviews: not in today's counts, not in the optimiser's input.
    assert studied_today(store, clock(), store.settings).reviews == 0
    assert studied_today(store, clock(), store.settings).new == 0
    assert all(r["t"] == "review" for r in graded_reviews(store.reviews()))
    assert len(graded_reviews(store.reviews())) == 2


def test_cram_order_is_lowest_recall_first_and_again_comes_back(store):
    cram = CramSession(store, decks=["Alpha"], clock=FakeClock(START))
    order = [c.path[0] for c in cram.queue]
    assert order[:2] == ["Alpha 2", "Alpha 3"]  # new cards (recall 0) first, in file order
    assert order[2:] == ["Alpha 1", "Alpha 0"]  # then the weaker of the two learned cards
    first = cram.next_card()
    cram.grade(AGAIN)
    assert [c.id for c in cram.queue].index(first.id) == 3  # back after the three other cards
    cram.undo()
    assert cram.current.id == first.id and first.id not in [c.id for c in cram.queue]


def test_cram_bury_skips_without_writing(store):
    cram = CramSession(store, decks=["Beta"], clock=FakeClock(START))
    size = store.journal.size()
    cram.next_card()
    cram.bury()
    assert store.journal.size() == size
    assert cram.remaining() == 3


async def test_home_c_crams_the_selected_deck_and_buttons_say_no_change(store):
    before = states(store)
    app = make_app(store, clock=FakeClock(START))
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.session.cram and screen.session.remaining() == 4
        assert "cram" in str(screen.query_one("#review-progress").render())
        await pilot.press("space")
        await pilot.pause()
        assert str(screen.query_one("#grade-3", Button).label).endswith("no change")
        await pilot.press("3")
        await pilot.pause()
    assert states(store) == before
    assert len(cram_answers(store.reviews())) == 1


async def test_drill_review_cram_starts_a_cram(store):
    app = make_app(store, clock=FakeClock(START), review={"decks": ["Beta"], "cram": True})
    async with app.run_test(size=(80, 24)):
        assert isinstance(app.screen, ReviewScreen)
        assert isinstance(app.screen.session, CramSession)
        assert "Cram" in app.sub_title
