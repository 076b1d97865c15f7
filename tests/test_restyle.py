"""State classes restyle the widget they style, and it still looks as before.

A class on a screen re-applies the CSS of every widget on it, so the review's
``-revealed`` lives on the question box and the countdown's ``-stopped`` and
``-urgent`` on its time label. These tests pin what each state looks like.
"""

from __future__ import annotations

from helpers import FakeClock
from textual.color import Color
from textual.widgets import Label

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen
from drill.ui.widgets.countdown import Countdown


def _fill(store, tmp_path) -> None:
    cards = [ParsedCard(path=(f"question {i}",), answer=f"answer {i}", line=i + 1) for i in range(2)]
    with store.writing():
        store.apply_import(ParsedDeck(name="Alpha", cards=cards, time_limit=40), str(tmp_path / "alpha.md"))


async def test_question_box_and_countdown_label_follow_reveal_and_grade_at_100x34(store, tmp_path):
    """The question box shrinks on reveal and grows back; the countdown label is red when
    urgent, muted when stopped (revealed), and running again after the grade. One app run."""
    _fill(store, tmp_path)
    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        box = screen.query_one("#question-box")
        assert box.styles.max_height.value == 14, "question box: asking at 100x34"
        countdown = screen.query_one(Countdown)
        label = countdown.query_one(Label)
        variables = app.theme_variables
        running = label.styles.color
        assert label.styles.text_style.bold, "countdown: bold while running"
        clock.advance(35)  # 5 s of 40 left: urgent
        countdown.check()
        await pilot.pause()
        assert label.styles.color == Color.parse(variables["error"]), "countdown: red when urgent"
        clock.advance(-35)
        countdown.check()
        await pilot.pause()
        assert label.styles.color == running, "countdown: its colour again when no longer urgent"
        await pilot.press("space")  # revealed: the countdown stops, its time is muted and not bold
        await pilot.pause()
        assert box.styles.max_height.value == 10, "question box: revealed at 100x34"
        assert not countdown.running, "countdown: stopped on reveal"
        assert not label.styles.text_style.bold, "countdown: not bold when stopped"
        assert label.styles.color != running, "countdown: muted when stopped"
        await pilot.press("3")
        await pilot.pause()
        assert box.styles.max_height.value == 14, "question box: asking again after the grade"
        assert countdown.running and label.styles.text_style.bold and label.styles.color == running, (
            "countdown: running, bold and its colour for the next card"
        )


async def test_question_box_at_80x24_and_breakpoint_classes_set_when_made_and_following_resizes(store, tmp_path):
    """At 80x24 the question box shrinks on reveal and grows back; the breakpoint classes are
    set when a screen is made and follow a resize to 120x40. One app run."""
    _fill(store, tmp_path)
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert {"-short", "-medium"} <= screen.classes and not {"-tall", "-narrow", "-wide"} & screen.classes, (
            "breakpoints: at 80x24", screen.classes
        )
        fresh = ReviewScreen(screen.session)  # not mounted: already styled for this size
        assert {"-short", "-medium"} <= fresh.classes, ("breakpoints: a screen made at 80x24", fresh.classes)
        box = screen.query_one("#question-box")
        assert box.styles.max_height.value == 7, "question box: asking at 80x24"
        await pilot.press("space")
        await pilot.pause()
        assert box.styles.max_height.value == 5, "question box: revealed at 80x24"
        await pilot.press("3")
        await pilot.pause()
        assert box.styles.max_height.value == 7, "question box: asking again after the grade"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert {"-tall", "-wide"} <= screen.classes and not {"-short", "-medium"} & screen.classes, (
            "breakpoints: after a resize to 120x40", screen.classes
        )
        assert screen.query_one("#question-box").styles.max_height.value == 14, "question box: 120x40 after the resize"


async def test_grade_buttons_come_after_the_first_paint_and_are_there_at_any_reveal(store, tmp_path):
    from textual.widgets import Button

    _fill(store, tmp_path)
    app = make_app(store, clock=FakeClock(), review={"decks": None})  # `drill review`: straight in
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        grades = screen.query_one("#grades")
        assert len(grades.query(Button)) == 4 and not grades.display  # built once painted, hidden
        await grades.remove_children()  # as if space came before the first paint
        await pilot.press("space")
        await pilot.pause()
        labels = [str(b.label) for b in grades.query(Button)]
        assert grades.display and len(labels) == 4
        assert labels[0].startswith("1 Again · ") and labels[2].startswith("3 Good · ")
        await pilot.press("3")  # and they grade
        await pilot.pause()
        assert len(list(store.reviews())) == 1


async def test_mock_phase_and_clock_labels_take_their_state_colours(store, tmp_path):
    from drill.interview.mock import ANSWER
    from drill.ui.screens.mock_question import MockQuestionScreen

    _fill(store, tmp_path)
    clock = FakeClock()
    mock = {"decks": ["Alpha"], "count": 1, "answer_seconds": 60, "think_seconds": 10, "seed": 4}
    app = make_app(store, clock=clock, mock=mock)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockQuestionScreen)
        variables = app.theme_variables
        phase, time_label = screen.query_one("#mock-phase"), screen.query_one("#mock-time")
        assert phase.styles.color == Color.parse(variables["warning"])  # thinking
        calm = time_label.styles.color
        clock.advance(10)
        screen.check()
        await pilot.pause()
        assert screen.session.phase == ANSWER
        assert phase.styles.color == Color.parse(variables["success"])  # answering
        clock.advance(52)  # 8 s left: urgent
        screen.check()
        await pilot.pause()
        assert time_label.styles.color == Color.parse(variables["error"]) != calm
