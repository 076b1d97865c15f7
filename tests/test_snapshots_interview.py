"""Snapshot tests of the interview screens at 80x24 and 120x40: the story bank and a
question-first mock (picking a story; the review). Same rules as tests/test_snapshots.py."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers import FakeClock
from test_snapshots import NOW, SIZES, still
from textual.widgets import DataTable, TextArea

from drill.library.importer import import_paths
from drill.store.collection import Store
from drill.store.paths import bundled_decks_dir
from drill.ui.app import make_app

QUESTIONS = {"count": 3, "answer_seconds": 120, "think_seconds": 20, "seed": 15, "mode": "questions"}

pytestmark = pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))


@pytest.fixture(autouse=True)
def _seeded():
    random.seed(2026)
    yield


@pytest.fixture
def samples(tmp_path: Path):
    store = Store(tmp_path / "drill.json")
    import_paths(store, [bundled_decks_dir()], register=False)
    yield store
    store.close(compact=False)


def test_story_bank(snap_compare, samples, size):
    app = make_app(samples, clock=FakeClock(NOW))

    async def run(pilot) -> None:
        await pilot.press("b")
        await pilot.pause()
        screen = pilot.app.screen
        row = [s.heading for s in screen.bank.stories].index("Disagreeing about secret distribution")
        column = 5 + [c.competency.id for c in screen.columns].index("conflict")
        screen.query_one(DataTable).cursor_coordinate = (row, column)
        await still(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run)


def test_mock_questions(snap_flow, samples, size):
    """A question-first mock: picking a story for the first question, then the review."""
    clock = FakeClock(NOW)
    app = make_app(samples, clock=clock, mock=QUESTIONS)

    async def flow(pilot, shot) -> None:
        await pilot.pause()
        clock.advance(6)
        pilot.app.screen.check()
        await still(pilot)
        await shot("pick-a-story")
        screen = pilot.app.screen
        question = screen.session.current
        pick = question.fitting[0] if question.fitting else question.options[0]
        clock.advance(2)
        await pilot.press(str(question.options.index(pick) + 1))
        await pilot.pause()
        screen.query_one(TextArea).insert("Four teams, one fragile server, nobody owned it.\nAll 42 jobs moved in six weeks")
        clock.advance(71)
        # ctrl+n moves on; enter (in the notes) adds a line since notes took several lines,
        # so the accepted picture had become question 2's pick list, not the review.
        for _ in range(2):
            await pilot.press("ctrl+n")
            clock.advance(2)
            await pilot.press("0")  # no story: improvise
            clock.advance(30)
        await pilot.press("ctrl+n")
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "MockReviewScreen"
        await shot("review")

    snap_flow(app, SIZES[size], flow)
