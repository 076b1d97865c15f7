"""Pilot tests: home's plan line and shortfall, the plan screen (list, add, clear)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import FakeClock
from textual.widgets import DataTable, Input, SelectionList, Static

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.plans import Plan, load_plans, save_plan
from drill.study.schedule import iso
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.plans import PlanFormScreen, PlansScreen
from drill.ui.screens.review import ReviewScreen

START = datetime(2024, 3, 5, 9, 0, tzinfo=timezone.utc)
TODAY = date(2024, 3, 5)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for name, count in (("Behavioural [/b]", 31), ("Systems", 4)):
            deck = ParsedDeck(name, [ParsedCard((f"{name} {i}",), f"answer {i}", 1 + i) for i in range(count)])
            store.apply_import(deck, str(tmp_path / f"{count}.md"))
    return store


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_home_shows_each_plan_and_the_shortfall(store):
    save_plan(store, Plan("Acme onsite", TODAY + timedelta(days=9), ("Behavioural [/b]",), 0.9, iso(START)), TODAY)
    store.save_settings(store.settings.with_value("new_per_day", 3))
    app = make_app(store, clock=FakeClock(START))
    async with app.run_test(size=(100, 32)):
        assert isinstance(app.screen, HomeScreen)
        lines = text_of(app.screen, "#home-plans").splitlines()
        assert lines[0] == "Acme onsite in 9 days · 0 of 31 ready · 3 today"
        assert lines[1] == "Daily limits leave out 2 plan cards today; to fit them: `drill config new_per_day 5`"


async def test_plan_screen_adds_lists_and_clears(store):
    clock = FakeClock(START)
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        assert app.screen.query_one(DataTable).row_count == 0
        assert "No interview plans yet" in text_of(app.screen, "#plans-intro")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        # A bad date says why and keeps the form open.
        form.query_one("#plan-name", Input).value = "Acme onsite"
        form.query_one("#plan-date", Input).value = "soon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanFormScreen)
        assert "DATE must look like" in text_of(form, "#plan-form-error")
        form.query_one("#plan-date", Input).value = (TODAY + timedelta(days=9)).isoformat()
        form.query_one(SelectionList).select("Behavioural [/b]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)] == [
            "Acme onsite", "2024-03-14", "in 9 days", "0 of 31", "5", "Behavioural [/b]"
        ]
        assert [p.name for p in load_plans(Store(store.path))] == ["Acme onsite"]
        await pilot.press("d")
        await pilot.pause()
        assert table.row_count == 0
        assert load_plans(Store(store.path)) == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_home_has_no_plan_line_without_plans_and_plan_form_cancel_changes_nothing(store):
    app = make_app(store, clock=FakeClock(START))
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query_one("#home-plans", Static).display, "no plan line without plans"
        await pilot.press("p", "n")
        await pilot.pause()
        assert isinstance(app.screen, PlanFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        assert load_plans(store) == []


async def test_mock_report_shows_readiness_of_the_plans_for_its_decks(store):
    from drill.interview.report import build_report
    from drill.ui.screens.mock_report import MockReportScreen

    save_plan(store, Plan("Acme onsite", TODAY + timedelta(days=9), ("Behavioural [/b]",), 0.9, iso(START)), TODAY)
    save_plan(store, Plan("Globex", TODAY + timedelta(days=2), ("Systems",), 0.9, iso(START)), TODAY)
    doc = {"started": iso(START), "status": "complete", "decks": ["Behavioural [/b]"], "questions": []}
    app = make_app(store, clock=FakeClock(START))
    async with app.run_test(size=(100, 32)) as pilot:
        app.push_screen(MockReportScreen(build_report(doc)))
        await pilot.pause()
        text = text_of(app.screen, "#mrep-plans")
        assert text == "Plan Acme onsite (in 9 days): 0 of 31 cards ready"


async def test_home_new_counts_leave_out_the_cards_a_plan_keeps_for_later_and_review_takes_the_plan_cards_first(store):
    save_plan(store, Plan("Acme onsite", TODAY + timedelta(days=9), ("Behavioural [/b]",), 0.9, iso(START)), TODAY)
    app = make_app(store, clock=FakeClock(START))
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)[1:]] for i in range(table.row_count)}
        assert rows["Behavioural [/b]"] == ["5", "0", "31"]  # the plan's 5 today, not 20
        assert rows["Systems"] == ["4", "0", "4"]
        # review from home takes the plan cards first
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), "a on home reviews"
        session = app.screen.session
        assert session.current.deck == "Behavioural [/b]"
        assert [c.deck for c in session.queue[:4]] == ["Behavioural [/b]"] * 4
        assert sum(1 for c in session.queue if c.deck == "Behavioural [/b]") == 4  # 31 over 7 days, rounded up, less the current
