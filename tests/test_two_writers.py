"""Two drill processes on one card: no grade is computed from a stale state or lost.

Window A (this process) shows a card; window B (another process) grades it Easy; then
A grades it Again. A's grade must start from the state B saved: two reviews, the
second not of a new card, ``reps`` 2, and A told so in one notice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.schedule import AGAIN, EASY, GOOD
from drill.study.session import ReviewSession, UndoConflict

OTHER_WINDOW = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from drill.store.collection import Store
    from drill.study.session import ReviewSession

    store = Store(sys.argv[1])
    session = ReviewSession(store, clock=lambda: datetime(2024, 3, 5, 12, 1, tzinfo=timezone.utc))
    card = session.next_card()
    assert card is not None and card.id == int(sys.argv[2]), card
    session.grade(int(sys.argv[3]))
    store.close()
    print("graded")
    """
)


def _other_window_grades(path: Path, card_id: int, rating: int) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        [sys.executable, "-c", OTHER_WINDOW, str(path), str(card_id), str(rating)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 0 and "graded" in proc.stdout, proc.stderr


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(ParsedDeck(name="Deck", cards=[ParsedCard(path=("Q",), answer="A", line=1)]), "deck.md")
    return store


def test_a_grade_is_computed_from_the_state_another_process_saved(store):
    clock = FakeClock()
    window_a = ReviewSession(store, clock=clock)
    card = window_a.next_card()
    window_a.outcomes()  # A's buttons show labels computed before B's grade

    _other_window_grades(store.path, card.id, EASY)
    clock.advance(120)
    graded = window_a.grade(AGAIN)

    assert graded.recomputed
    reviews = [r for r in store.reviews() if r["t"] == "review"]
    assert [r["rating"] for r in reviews] == [EASY, AGAIN]
    assert [r["kind"] for r in reviews] == ["new", "review"]  # A's grade knows B's review
    assert Store(store.path).card(card.id).state["reps"] == 2
    assert reviews[1]["state"] == graded.state  # what A reports is what was saved
    assert window_a.last_outcome.state == graded.state  # the notice's label is the saved one


def test_undo_does_not_roll_back_another_windows_later_grade(store):
    clock = FakeClock()
    window_a = ReviewSession(store, clock=clock)
    card = window_a.next_card()
    window_a.grade(GOOD)
    clock.advance(600)
    _other_window_grades_later(store.path, card.id)
    with pytest.raises(UndoConflict):
        window_a.undo()
    assert Store(store.path).card(card.id).state["reps"] == 2  # B's grade stands
    assert window_a.history  # nothing taken back


def _other_window_grades_later(path: Path, card_id: int) -> None:
    other = Store(path)
    session = ReviewSession(other, clock=FakeClock())
    session.current = other.card(card_id)
    session.shown_at = session.clock()
    session.grade(GOOD)
    other.close()


async def test_review_screen_says_once_that_the_grade_used_the_new_state(store):
    from drill.ui.app import make_app

    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        card = app.screen.session.current
        _other_window_grades(store.path, card.id, EASY)
        await pilot.press("1")
        await pilot.pause()
        notes = [n.message for n in app._notifications if "another window" in n.message]
        assert len(notes) == 1, notes
        saved = [json.loads(line) for line in store.journal.path.read_text().splitlines()]
        assert [r["kind"] for r in saved if r["t"] == "review"] == ["new", "review"]
