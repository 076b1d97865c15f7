"""Mock interview gaps: ungraded answers at the last grade, grading an abandoned mock
from the history, and the report's "Drill next" key."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock

from drill.interview.mock import MockConfig, MockSession
from drill.interview.report import ABANDONED
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.cram import CardsCram
from drill.study.schedule import AGAIN, GOOD, HARD
from drill.ui.app import make_app
from drill.ui.screens.mock_history import MockHistoryScreen
from drill.ui.screens.mock_report import MockReportScreen
from drill.ui.screens.mock_review import MockReviewScreen
from drill.ui.screens.review import ReviewScreen

SIZE = (80, 24)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    deck = ParsedDeck(
        name="Design",
        cards=[ParsedCard(path=(f"Design question {i}",), answer=f"Plain answer {i}", line=i + 1) for i in range(4)],
    )
    with store.writing():
        store.apply_import(deck, str(tmp_path / "design.md"))
    return store


MOCK = {"decks": None, "count": 3, "answer_seconds": 60, "think_seconds": 0, "seed": 4}


async def _to_review(pilot, clock: FakeClock) -> MockReviewScreen:
    await pilot.pause()
    for _ in range(3):
        clock.advance(5)
        await pilot.press("ctrl+n")
        await pilot.pause()
    assert isinstance(pilot.app.screen, MockReviewScreen)
    return pilot.app.screen


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_last_grade_returns_to_the_first_ungraded_answer_and_drill_next_crams_the_weakest(store):
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=MOCK)
    async with app.run_test(size=SIZE) as pilot:
        review = await _to_review(pilot, clock)
        await pilot.press("right", "3", "3")  # skip answer 1, grade 2 and 3 (the last)
        await pilot.pause()
        assert app.screen is review and review.index == 0
        note = str(review.query_one("#mrev-grade").render())
        assert "1 answer not graded yet: back to answer 1" in note, note
        assert not _toasts(app)  # said on the grade line, not in a toast over the answer
        await pilot.press("2")  # all graded now: the report
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert [r.grade for r in app.screen.report.rows] == [HARD, GOOD, GOOD]
        # the report's "Drill next" key crams exactly its weakest cards
        report = app.screen
        shown = {b.binding.key for b in report.active_bindings.values() if b.binding.show and b.enabled}
        assert "d" in shown, "d is in the report's footer"
        wanted = [row.card for row in report.report.weakest]
        assert wanted and "d drills these now" in str(report.query_one("#mrep-weakest").render())
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and isinstance(screen.session, CardsCram), "d opens a cram"
        session = screen.session
        ids = ([session.current.id] if session.current else []) + [c.id for c in session.queue]
        assert ids == wanted, "the cram is the weakest cards"
        assert "Drill next" in app.sub_title


def _abandoned_mock(store: Store, clock: FakeClock) -> MockSession:
    session = MockSession.create(store, MockConfig(count=3, answer_seconds=60, think_seconds=0, seed=4), clock=clock)
    session.start()
    clock.advance(20)
    session.set_notes("first answer notes")
    session.next()
    clock.advance(10)
    session.set_notes("second, cut short")
    session.abandon()  # two answered, none graded
    return session


async def test_enter_on_an_abandoned_mock_opens_its_review_to_grade_it(store):
    clock = FakeClock()
    abandoned = _abandoned_mock(store, clock)
    reviews_before = len(list(store.reviews()))
    app = make_app(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, MockHistoryScreen)
        assert "2 to grade" in str(history.query_one("DataTable").get_row_at(0)[1])
        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, MockReviewScreen) and review.from_history and review.index == 0
        assert "first answer notes" in str(review.query_one("#mrev-notes").render())
        await pilot.press("3", "1")  # both graded: the report, then back to the history
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is history
        assert "to grade" not in str(history.query_one("DataTable").get_row_at(0)[1])
        await pilot.press("enter")  # all graded: enter opens the report now
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
    saved = Store(store.path).mocks()
    assert len(saved) == 1 and saved[0]["id"] == abandoned.doc_id and saved[0]["status"] == ABANDONED
    assert [q["grade"] for q in saved[0]["questions"]] == [GOOD, AGAIN]
    assert [q["notes"] for q in saved[0]["questions"]] == ["first answer notes", "second, cut short"]
    mock_reviews = [r for r in store.reviews() if r.get("t") == "review"][reviews_before:]
    assert len(mock_reviews) == 2 and {r.get("source") for r in mock_reviews} == {"mock"}


def test_regrading_a_reopened_mock_changes_only_its_saved_grade(store):
    clock = FakeClock()
    _abandoned_mock(store, clock)
    doc = store.mocks()[0]
    session = MockSession.from_doc(store, doc, clock=clock)
    assert session.first_ungraded() == 0 and session.finished
    assert session.grade(0, GOOD)
    journal = store.journal.path.read_bytes()
    again = MockSession.from_doc(store, store.mocks()[0], clock=clock)
    assert again.questions[0].grade == GOOD and again.first_ungraded() == 1
    assert again.grade(0, HARD)  # its review is in the schedule already: no second one
    assert store.journal.path.read_bytes() == journal
    assert store.mocks()[0]["questions"][0]["grade"] == HARD
