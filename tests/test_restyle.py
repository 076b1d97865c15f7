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


async def test_question_box_shrinks_on_reveal_and_grows_back(store, tmp_path):
    _fill(store, tmp_path)
    for size, asking, revealed in (((100, 34), 14, 10), ((80, 24), 7, 5)):
        app = make_app(store, clock=FakeClock())
        async with app.run_test(size=size) as pilot:
            await pilot.press("a")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            box = screen.query_one("#question-box")
            assert box.styles.max_height.value == asking
            await pilot.press("space")
            await pilot.pause()
            assert box.styles.max_height.value == revealed
            await pilot.press("3")
            await pilot.pause()
            assert box.styles.max_height.value == asking


async def test_countdown_label_is_muted_when_stopped_and_red_when_urgent(store, tmp_path):
    _fill(store, tmp_path)
    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        countdown = app.screen.query_one(Countdown)
        label = countdown.query_one(Label)
        variables = app.theme_variables
        running = label.styles.color
        assert label.styles.text_style.bold
        clock.advance(35)  # 5 s of 40 left: urgent
        countdown.check()
        await pilot.pause()
        assert label.styles.color == Color.parse(variables["error"])
        clock.advance(-35)
        countdown.check()
        await pilot.pause()
        assert label.styles.color == running
        await pilot.press("space")  # revealed: the countdown stops, its time is muted and not bold
        await pilot.pause()
        assert not countdown.running
        assert not label.styles.text_style.bold
        assert label.styles.color != running
        await pilot.press("3")
        await pilot.pause()
        assert countdown.running and label.styles.text_style.bold and label.styles.color == running


async def test_breakpoint_classes_are_set_when_a_screen_is_made_and_follow_resizes(store, tmp_path):
    _fill(store, tmp_path)
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert {"-short", "-medium"} <= screen.classes and not {"-tall", "-narrow", "-wide"} & screen.classes
        fresh = ReviewScreen(screen.session)  # not mounted: already styled for this size
        assert {"-short", "-medium"} <= fresh.classes
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert {"-tall", "-wide"} <= screen.classes and not {"-short", "-medium"} & screen.classes
        assert screen.query_one("#question-box").styles.max_height.value == 14


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
