"""Pilot tests for the mock interview screens, driven by a fake clock (no real waiting)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock, type_text
from textual.widgets import Checkbox, DataTable, Input, TextArea

from drill.interview.mock import ANSWER, THINK
from drill.interview.report import ABANDONED, COMPLETE
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.schedule import GOOD, HARD
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.mock_history import MockHistoryScreen
from drill.ui.screens.mock_question import ConfirmLeaveScreen, MockQuestionScreen
from drill.ui.screens.mock_report import MockReportScreen
from drill.ui.screens.mock_review import MockReviewScreen
from drill.ui.screens.mock_setup import MockSetupScreen
from drill.ui.widgets.card_text import AnswerMarkdown

SIZE = (110, 34)

STORY = """\
- **Situation**: the nightly export kept timing out (marker Quokkaanswer).
- **Task**: make it finish before the morning standup.
- **Action**: streamed rows instead of loading them all.
- **Result**: done in twelve minutes.
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    stories = ParsedDeck(
        name="Stories",
        cards=[ParsedCard(path=(f"Story {i}",), answer=STORY.replace("Quokka", f"Quokka{i}"), line=i + 1) for i in range(3)],
    )
    design = ParsedDeck(
        name="Design",
        cards=[ParsedCard(path=(f"Design {i}",), answer=f"Plain answer Wombatanswer{i}", line=i + 1) for i in range(2)],
    )
    with store.writing():
        store.apply_import(stories, str(tmp_path / "stories.md"))
        store.apply_import(design, str(tmp_path / "design.md"))
    return store


def _mock(**overrides) -> dict:
    return {"decks": None, "count": 3, "answer_seconds": 60, "think_seconds": 10, "seed": 4, **overrides}


async def _type(pilot, text: str) -> None:
    await type_text(pilot, *["space" if ch == " " else ch for ch in text])


def _screen_text(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def _tick(pilot, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    pilot.app.screen.check()
    await pilot.pause()


async def test_full_mock_session_auto_advance_notes_review_report(store):
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=_mock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockQuestionScreen)
        session = screen.session
        answers = {c.id: c.answer for c in store.cards()}
        assert "Question 1/3" in str(screen.query_one("#mock-progress").render())
        assert session.phase == THINK
        assert screen.query_one(TextArea).disabled
        assert str(screen.query_one("#mock-time").render()) == "0:10"

        # thinking runs out: the answer clock starts, notes take the keyboard
        await _tick(pilot, clock, 10)
        assert session.phase == ANSWER
        assert str(screen.query_one("#mock-phase").render()) == "Answer"
        assert app.focused is screen.query_one(TextArea)
        await _type(pilot, "first notes")
        assert str(screen.query_one("#mock-time").render()) == "1:00"

        # the answer is nowhere on screen during the interview
        text = _screen_text(app)
        for answer_marker in ("Quokka", "Wombat"):
            assert answer_marker not in text

        # time is up: the next question comes by itself
        await _tick(pilot, clock, 60)
        assert "Question 2/3" in str(screen.query_one("#mock-progress").render())
        assert session.phase == THINK
        assert screen.query_one(TextArea).text == ""
        assert session.questions[0].notes == "first notes"
        assert session.questions[0].seconds_used == 60 and session.questions[0].timed_out

        # a double press right as a phase begins is ignored; then enter skips thinking
        await pilot.press("enter")
        assert session.phase == THINK
        clock.advance(1)
        await pilot.press("enter")
        assert session.phase == ANSWER
        await _type(pilot, "second")
        clock.advance(21)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert session.questions[1].seconds_used == 21 and not session.questions[1].timed_out
        assert not session.finished and store.mocks()[0]["status"] == ABANDONED  # progress saved

        clock.advance(1)
        await pilot.press("enter")
        clock.advance(5)
        await pilot.press("ctrl+n")
        await pilot.pause()
        # the last question ended: saved at once, then the review
        assert isinstance(app.screen, MockReviewScreen)
        saved = Store(store.path).mocks()
        assert len(saved) == 1 and saved[0]["status"] == COMPLETE
        assert [q["notes"] for q in saved[0]["questions"]] == ["first notes", "second", ""]

        review = app.screen
        assert "Review 1/3" in str(review.query_one("#mrev-status").render())
        assert "first notes" in str(review.query_one("#mrev-notes").render())
        first = session.questions[0]
        assert review.query_one(AnswerMarkdown).source == answers[first.card]
        assert any(marker in _screen_text(app) for marker in ("Quokka", "Wombat"))  # the check above can fail
        for q_index in range(3):
            assert review.index == q_index
            q = session.questions[q_index]
            star_shown = review.query_one("#mrev-star").display
            assert star_shown == bool(q.star)
            await pilot.press("3")
            await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        report = app.screen.report
        assert [r.seconds_used for r in report.rows] == [60, 21, 5]
        assert [r.grade for r in report.rows] == [GOOD, GOOD, GOOD]
        assert report.seconds_allowed == 180
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert str(table.get_row_at(0)[2]).startswith("1:00 / 1:00")
        assert "Drill next" in str(app.screen.query_one("#mrep-weakest").render())
        assert [q["grade"] for q in Store(store.path).mocks()[0]["questions"]] == [GOOD] * 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_star_checklist_drives_the_suggested_grade(store):
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=_mock(decks=["Stories"], count=1, think_seconds=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.advance(2)
        await pilot.press("ctrl+n")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, MockReviewScreen)
        boxes = [b for b in review.query(Checkbox) if b.display]
        assert [str(b.label) for b in boxes] == ["s  Situation", "t  Task", "a  Action", "r  Result"]
        assert "suggested Again" in str(review.query_one("#mrev-grade").render())
        await pilot.press("s", "a")
        await pilot.pause()
        assert review.session.questions[0].ticked == ["Situation", "Action"]
        assert "suggested Hard" in str(review.query_one("#mrev-grade").render())
        await pilot.click("#star-task")
        await pilot.press("r")
        await pilot.pause()
        assert "suggested Good" in str(review.query_one("#mrev-grade").render())
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")  # accept the suggestion
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        row = app.screen.report.rows[0]
        assert (row.grade, row.star_label) == (HARD, "3/4")
        reviews = [r for r in store.reviews() if r["t"] == "review"]
        assert [(r["rating"], r["source"]) for r in reviews] == [(HARD, "mock")]


async def test_plain_cards_have_no_checklist_and_enter_needs_a_grade(store):
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=_mock(decks=["Design"], count=1, think_seconds=0, schedule=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.advance(2)
        await pilot.press("ctrl+n")
        await pilot.pause()
        review = app.screen
        assert not review.query_one("#mrev-star").display
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is review  # nothing suggested, nothing graded yet
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert list(store.reviews()) == []  # schedule=False


async def test_setup_form_rejects_bad_numbers_escape_cancels_and_ctrl_s_starts(store):
    """Home's m: a bad number is refused and escape cancels; opened again, the form
    has the defaults, ctrl+s starts with the values typed, and (from home, not a mock
    started by the test) the hidden story list does not keep the keyboard and swallow
    the enter the hint offers."""
    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MockSetupScreen)
        form.query_one("#mock-count", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "Questions: must be between 1 and 50" in str(form.query_one("#mock-setup-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert store.mocks() == []

        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MockSetupScreen)
        values = [form.query_one(f"#{fid}", Input).value for fid in ("mock-count", "mock-answer", "mock-think")]
        assert values == ["5", "120", "10"]
        assert form.query_one("#mock-setup-schedule", Checkbox).value is True
        form.query_one("#mock-count", Input).value = "2"
        form.query_one("#mock-think", Input).value = "7"
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockQuestionScreen)
        session = screen.session
        assert len(session.questions) == 2
        assert session.config.answer_seconds == 120 and session.config.think_seconds == 7
        assert session.phase == THINK and not session.current.first
        assert app.focused is None
        assert "enter" in {key for key, b in screen.active_bindings.items() if b.binding.action == "start_answering"}
        clock.advance(1)
        await pilot.press("enter")
        await pilot.pause()
        assert session.phase == ANSWER
        assert app.focused is screen.query_one(TextArea)


def test_the_form_allows_no_thinking_time_and_refuses_what_is_out_of_range():
    from drill.ui.screens.mock_setup import FIELDS, read_number

    think = next(field for field in FIELDS if field[0] == "mock-think")
    assert read_number(" 0 ", think[1], *think[3:]) == 0
    with pytest.raises(ValueError, match="Seconds to think: must be between 0 and 600"):
        read_number("601", think[1], *think[3:])
    with pytest.raises(ValueError, match="not a whole number: '1.5'"):
        read_number("1.5", think[1], *think[3:])


async def test_q_asks_to_confirm_the_clock_pauses_and_quitting_the_app_mid_interview_saves_it_as_abandoned(store):
    """q asks to confirm and the clock stands still under the dialog; n goes back; later,
    while answering, ctrl+q quits the app and the interview is saved as abandoned."""
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=_mock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await _tick(pilot, clock, 4)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLeaveScreen), "q asks to confirm"
        clock.advance(600)  # time does not run while the dialog is open
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen, "n goes back to the interview"
        assert screen.session.phase == THINK and screen.session.remaining() == 6
        assert store.mocks() == []
        await _tick(pilot, clock, 6)  # thinking time is up: answering
        assert screen.session.phase != THINK, "the answer clock starts when thinking time is up"
        await _type(pilot, "cut short")
        clock.advance(3)
        await pilot.press("ctrl+q")
        await pilot.pause()
    docs = Store(store.path).mocks()
    assert len(docs) == 1 and docs[0]["status"] == ABANDONED, "ctrl+q saves the interview as abandoned"
    assert docs[0]["questions"][0]["notes"] == "cut short"


async def test_ctrl_c_while_typing_confirms_and_abandon_saves_what_was_answered(store):
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=_mock(think_seconds=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _type(pilot, "quick answer")  # q types into the notes while answering
        assert app.screen.query_one(TextArea).text == "quick answer"
        clock.advance(30)
        await pilot.press("ctrl+n")
        await _type(pilot, "partial")
        clock.advance(9)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLeaveScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    docs = Store(store.path).mocks()
    assert len(docs) == 1 and docs[0]["status"] == ABANDONED
    assert [(q["notes"], q["seconds_used"]) for q in docs[0]["questions"]] == [("quick answer", 30), ("partial", 9)]


async def test_history_lists_sessions_newest_last_and_opens_a_report(store):
    clock = FakeClock()
    for n, notes in enumerate(["older", "newer"]):
        store.save_mock(
            {
                "started": f"2026-11-2{n}T09:00:00+00:00",
                "status": COMPLETE,
                "decks": ["Stories"],
                "questions": [{"card": 1, "question": f"Q {notes}", "seconds_allowed": 60, "seconds_used": 42, "grade": 3, "notes": notes}],
            }
        )
    app = make_app(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, MockHistoryScreen)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(2)] == ["2026-11-20 09:00", "2026-11-21 09:00"]
        assert table.cursor_row == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert app.screen.report.rows[0].question == "Q newer"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MockHistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_mock_with_no_cards_stays_home(tmp_path):
    app = make_app(Store(tmp_path / "empty.json"), clock=FakeClock(), mock=_mock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_escape_sequences_in_questions_and_notes_are_cleaned(tmp_path):
    store = Store(tmp_path / "drill.json")
    evil = ParsedDeck(name="Evil", cards=[ParsedCard(path=("Ask \x1b]0;pwned\x07 me",), answer="x \x1b[2J y", line=1)])
    with store.writing():
        store.apply_import(evil, str(tmp_path / "evil.md"))
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=_mock(think_seconds=0, count=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#mock-question").render()) == "Ask  me"
        app.screen.query_one(TextArea).insert("note \x1b[31mred")
        clock.advance(2)
        await pilot.press("ctrl+n")
        await pilot.pause()
        review = app.screen
        assert "\x1b" not in str(review.query_one("#mrev-notes").render())
        assert "\x1b" not in review.query_one(AnswerMarkdown).source
