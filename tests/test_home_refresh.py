"""Home counts its decks once when it is shown, and again whenever it comes back."""

from __future__ import annotations

from helpers import FakeClock
from textual.widgets import DataTable

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen


def _deck(name: str) -> ParsedDeck:
    return ParsedDeck(name=name, cards=[ParsedCard(path=(f"{name} q",), answer="a", line=1)])


async def test_home_counts_once_at_start_and_again_after_a_screen_over_it(store, tmp_path, monkeypatch):
    with store.writing():
        store.apply_import(_deck("Alpha"), str(tmp_path / "alpha.md"))
    counted = []
    real = HomeScreen.refresh_decks
    monkeypatch.setattr(HomeScreen, "refresh_decks", lambda self: counted.append(1) or real(self))
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(counted) == 1  # on mount; the ScreenResume of the push adds nothing
    counted.clear()
    app = make_app(store, clock=FakeClock(), start="stats")  # `drill stats`: home under stats
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)
        other = Store(store.path)
        with other.writing():
            other.apply_import(_deck("Beta"), str(tmp_path / "beta.md"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(DataTable).row_count == 2  # counted again when it came back
