"""The mock history fits an 80-column terminal with an abandoned mock listed: every column on
screen, headers whole (short ones when narrow), the Decks column kept (found in the walk at 80x24)."""

from __future__ import annotations

from helpers import FakeClock
from textual.widgets import DataTable

from drill.interview.mock import MockConfig, MockSession
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.mock_history import MockHistoryScreen


async def test_mock_history_fits_80_columns_and_widens_its_headers_at_120(tmp_path):
    store = Store(tmp_path / "drill.json")
    cards = [ParsedCard(path=(f"Question number {i}?",), answer="an answer", line=i + 1) for i in range(3)]
    with store.writing():
        store.apply_import(ParsedDeck(name="Design interview questions", cards=cards), str(tmp_path / "d.md"))
    clock = FakeClock()
    session = MockSession.create(store, MockConfig(count=3, answer_seconds=600, think_seconds=0, seed=4), clock=clock)
    session.start()
    clock.advance(20)
    session.next()
    clock.advance(10)
    session.abandon()  # "abandoned · 2 to grade": the widest status
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, MockHistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width, "a column is off the right edge at 80 columns"
        labels = [str(c.label) for c in table.columns.values()]
        assert labels == ["When", "Status", "Qs", "Time", "Avg", "Decks"], labels
        assert "2 to grade" in str(table.get_row_at(0)[1])
        assert str(table.get_row_at(0)[-1]).startswith("Design")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels == ["When", "Status", "Questions", "Time / allowed", "Avg grade", "Decks"], labels
        assert str(table.get_row_at(0)[-1]) == "Design interview questions"
