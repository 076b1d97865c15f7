"""The header names the screen the user is on, after a trip through the mock history.

Found by the new-user walk in tmux: history → a report → d (drill next) → q → escape
came back to home titled "drill — Mock interviews" (the history's resume, queued while
go_home popped it, set its own title over home's)."""

from __future__ import annotations

from pathlib import Path

from helpers import FakeClock

from drill.interview.report import COMPLETE
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.mock_report import MockReportScreen


async def test_home_is_titled_home_after_drilling_from_a_report_in_the_history(tmp_path: Path):
    store = Store(tmp_path / "drill.json")
    deck = ParsedDeck(name="Stories", cards=[ParsedCard(path=("Story",), answer="It went well.", line=1)])
    with store.writing():
        store.apply_import(deck, str(tmp_path / "stories.md"))
    card = store.cards()[0].id
    store.save_mock(
        {
            "started": "2026-11-20T09:00:00+00:00",
            "status": COMPLETE,
            "decks": ["Stories"],
            "questions": [{"card": card, "question": "Q", "seconds_allowed": 60, "seconds_used": 42, "grade": 1, "notes": ""}],
        }
    )
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("h", "enter"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        for key in ("d", "q", "escape"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.sub_title == ""


def _store_with_a_deck(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    deck = ParsedDeck(name="Systems", cards=[ParsedCard(path=("Cache",), answer="LRU.", line=1)])
    with store.writing():
        store.apply_import(deck, str(tmp_path / "systems.md"))
    return store


async def test_home_footer_refits_under_the_keys_panel_then_plans_footer_and_new_plan_form(tmp_path: Path):
    """Three walk findings at 80x24 on one store, checked in turn in one app run.

    1. ctrl+p › Keys left home's footer sized for the whole width, so it ran under the
       panel cut mid-word ("h Hi") with a stray letter after "^p palette".
    2. With no plans the plans footer said "d Clear", and d did nothing.
    3. p, n: typing a name went nowhere (nothing had focus), so tab + the date landed in Name.
    """
    from textual.widgets import Footer, Input

    from drill.ui.footer_fit import PALETTE_CELLS, key_cells
    from drill.ui.screens.plans import PlanFormScreen, PlansScreen

    app = make_app(_store_with_a_deck(tmp_path), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen), "footer refit: home first"

        def used() -> int:
            footer = screen.query_one(Footer)
            keys = [b.binding for b in screen.active_bindings.values() if b.node is screen and b.binding.show]
            return sum(key_cells(app.get_key_display(b), b.description, footer.compact) for b in keys) + PALETTE_CELLS[footer.compact]

        assert used() <= screen.query_one(Footer).size.width, "footer refit: the keys fit the whole width"
        app.action_show_help_panel()
        for _ in range(3):
            await pilot.pause()
        footer = screen.query_one(Footer)
        assert footer.size.width < 80, "footer refit: the panel took the right side"
        assert used() <= footer.size.width, "footer refit: the keys fit beside the panel"
        app.action_hide_keys()
        for _ in range(3):
            await pilot.pause()
        assert screen.query_one(Footer).size.width == 80, "footer refit: the whole width again"
        assert used() > 60, "footer refit: the keys came back with the room"
        # 2. the plans footer with no plans
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen), "plans footer: p opens plans"
        shown = {b.binding.action for b in app.screen.active_bindings.values()
                 if b.binding.show and app.screen.check_action(b.binding.action, ()) is True}
        assert "new_plan" in shown and "clear_plan" not in shown, ("plans footer: no plan, no d Clear", shown)
        # 3. the new plan form takes typing into its name field
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanFormScreen), "plan form: n opens it"
        await pilot.press("A", "c", "m", "e", "tab", "2", "0")
        await pilot.pause()
        assert app.screen.query_one("#plan-name", Input).value == "Acme", "plan form: the name typed into Name"
        assert app.screen.query_one("#plan-date", Input).value == "20", "plan form: tab moves to the date"


def test_talking_points_read_as_a_list_not_run_on_sentences():
    """Walk (mock review): 'Missed I estimated a feature at two weeks.; Deliver it for a cu…'."""
    from types import SimpleNamespace as NS

    from drill.ui.screens.mock_review import points_text

    coverage = NS(covered=[NS(text="Cut the scope.")], missed=[NS(text="I estimated it at two weeks."), NS(text="Deliver it for a demo.")])
    assert str(points_text(coverage)) == "Covered: Cut the scope  Missed: I estimated it at two weeks; Deliver it for a demo"
