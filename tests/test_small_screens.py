"""Modals and mock screens at 80x24: they fit or scroll, show their own keys; notes take several lines."""

from __future__ import annotations

from pathlib import Path

from helpers import FakeClock, type_text
from textual.widgets import Button, Footer, TextArea

from drill.interview.mock import ANSWER
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.mock_question import ConfirmLeaveScreen, MockQuestionScreen
from drill.ui.screens.mock_setup import MockSetupScreen


def _store(tmp_path: Path, decks: int = 3) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for d in range(decks):
            cards = [ParsedCard(path=(f"Deck {d} question {i}",), answer=f"answer {i}", line=i + 1) for i in range(3)]
            store.apply_import(ParsedDeck(name=f"Deck {d}", cards=cards), str(tmp_path / f"deck{d}.md"))
    return store


def _footer_keys(screen) -> dict[str, str]:
    """What the screen's own footer offers: key -> description."""
    assert screen.query_one(Footer).region.bottom == screen.region.bottom  # its own footer, docked
    return {
        binding.key: binding.description
        for _, binding, enabled, _ in screen.active_bindings.values()
        if binding.show and enabled
    }


async def test_mock_setup_fits_80x24_with_its_own_keys(tmp_path):
    app = make_app(_store(tmp_path, decks=4), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockSetupScreen)
        for button in screen.query(Button):
            assert button.region.bottom <= 23 and button.region.height >= 1  # above the footer, on screen
        assert screen.query_one("#mock-setup-schedule").region.bottom <= 23
        keys = _footer_keys(screen)
        assert keys.get("ctrl+s") == "Start" and keys.get("escape") == "Cancel"
        assert "Review" not in keys.values()  # home's keys are not offered under the dialog


async def test_mock_setup_with_many_decks_scrolls_to_its_buttons(tmp_path):
    app = make_app(_store(tmp_path, decks=14), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        form = app.screen.query_one("#mock-setup")
        assert form.region.bottom <= 23
        form.scroll_end(animate=False)
        await pilot.pause()
        start = app.screen.query_one("#mock-setup-start-button", Button)
        assert form.region.contains_region(start.region)


async def test_mock_notes_take_several_lines_ctrl_n_moves_on_and_the_leave_dialog_shows_its_own_keys(tmp_path):
    clock = FakeClock()
    mock = {"decks": None, "count": 2, "answer_seconds": 120, "think_seconds": 0, "seed": 1}
    app = make_app(_store(tmp_path), clock=clock, mock=mock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockQuestionScreen) and screen.session.phase == ANSWER
        clock.advance(2)
        await type_text(pilot, *"first", "enter", *"second", "enter", *"third")
        assert screen.query_one(TextArea).text == "first\nsecond\nthird"
        assert screen.session.index == 0  # enter did not move on
        keys = _footer_keys(screen)
        assert keys.get("ctrl+n") == "Next question" and "enter" not in keys
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.session.questions[0].notes == "first\nsecond\nthird"
        assert screen.session.index == 1
        # the leave dialog, opened from the second question, shows its own keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLeaveScreen), "escape asks to leave"
        keys = _footer_keys(app.screen)
        assert keys.get("y") == "Abandon" and "Keep going" in keys.values()
        assert "Next question" not in keys.values()


async def test_mock_report_fits_80_columns_cutting_questions_with_an_ellipsis(tmp_path):
    from textual.widgets import DataTable

    from drill.ui.screens.mock_report import MockReportScreen

    store = Store(tmp_path / "drill.json")
    long = "Tell me about a time you had to change the plan halfway through a project with a fixed date"
    cards = [ParsedCard(path=(f"{long} ({i})",), answer="answer", line=i + 1) for i in range(2)]
    with store.writing():
        store.apply_import(ParsedDeck(name="A rather long deck name for stories " * 2, cards=cards), str(tmp_path / "s.md"))
    mock = {"decks": None, "count": 2, "answer_seconds": 120, "think_seconds": 0, "seed": 1}
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=mock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):
            clock.advance(2)
            await pilot.press("ctrl+n")
            await pilot.pause()
        await pilot.press("3", "2")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # every column on screen: nothing scrolled away
        assert str(table.get_row_at(0)[1]).endswith("…")
        narrow = str(table.get_row_at(0)[1])
        weakest = str(app.screen.query_one("#mrep-weakest").render()).splitlines()
        assert all(len(line) <= 76 for line in weakest) and weakest[1].rstrip().endswith(")")
        # Made wider, the report fits the new width: the questions get the room back.
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert len(str(table.get_row_at(0)[1])) > len(narrow)
        wide = str(app.screen.query_one("#mrep-weakest").render()).splitlines()
        assert long[:80] in wide[1] and len(wide[1]) > 76
