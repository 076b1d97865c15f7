"""Pilot tests for the stats screen: opening it, what it shows, and its keys."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import FakeClock
from textual.widgets import DataTable, Static

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.schedule import AGAIN, GOOD, REVIEW, iso
from drill.study.session import ReviewSession
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.review import ReviewScreen
from drill.ui.screens.stats import StatsScreen
from drill.ui.widgets.barchart import BarChart, bar_rows
from drill.ui.widgets.heatmap import (
    TODAY_CELL,
    Heatmap,
    grid_start,
    heatmap_text,
    level,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 23)
SIZE = (110, 34)


def _review_state(lapses: int, due: datetime) -> dict:
    return {
        "state": REVIEW, "step": None, "stability": 30.0, "difficulty": 6.0, "due": iso(due),
        "last_review": iso(due - timedelta(days=30)), "reps": 10, "lapses": lapses,
    }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Two decks; a week of reviews of "Alpha"; card "Alpha 0" is a suspended leech."""
    store = Store(tmp_path / "drill.json")
    source = tmp_path / "alpha.md"
    source.write_text("# Alpha\n\n## Alpha 0\n\nzero\n\n## Alpha 1\n\none\n\n## Alpha 2\n\ntwo\n", encoding="utf-8")
    alpha = [ParsedCard((f"Alpha {i}",), f"Answer {i}", line=3 + 4 * i) for i in range(3)]
    beta = [ParsedCard(("Beta \x1b[31mred\x1b[0m 0",), "B", line=1)]
    with store.writing():
        store.apply_import(ParsedDeck("Alpha", cards=alpha, time_limit=30), str(source))
        store.apply_import(ParsedDeck("Beta", cards=beta), str(tmp_path / "beta.md"))
    first, second, third = store.cards(["Alpha"])
    for days_ago in range(6, -1, -1):  # a review a day for a week, two on the last day
        when = NOW - timedelta(days=days_ago, hours=1)
        for n, card in enumerate((second, third)[: 1 + (days_ago == 0)]):
            store.append({"t": "review", "id": f"d{days_ago}-{n}", "card": card.id, "deck": "Alpha", "ts": iso(when),
                          "rating": AGAIN if n else GOOD, "ms": 20_000, "kind": "review", "elapsed_days": 1.0, "interval_days": 2.0,
                          "over": False, "state": _review_state(0, NOW + timedelta(days=2 - n))})
    leech = first
    store.append({"t": "review", "id": "x", "card": leech.id, "ts": iso(NOW - timedelta(days=1)), "rating": 1,
                  "state": _review_state(8, NOW + timedelta(days=1))})
    store.append({"t": "suspend", "card": leech.id, "ts": iso(NOW - timedelta(days=1)), "reason": "leech"})
    return store


async def _open(app, pilot, key: str = "t") -> StatsScreen:
    if key:
        await pilot.press(key)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, StatsScreen)
    assert app.screen.stats is not None
    return app.screen


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_t_on_home_opens_stats_with_the_numbers_cleaned_and_u_unsuspends_the_selected_leech(store):
    leech_id = store.cards(["Alpha"])[0].id
    app = make_app(store, clock=FakeClock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        s = screen.stats
        assert (s.streak_days, s.reviews_today, s.total_reviews) == (7, 2, 9)
        glance = str(screen.query_one("#stats-glance", Static).render())
        assert "Streak     7 days" in glance and f"{s.reviews_today} reviews" in glance
        heat = screen.query_one(Heatmap)
        assert heat.today == TODAY and heat.counts[TODAY] == s.reviews_today
        assert TODAY_CELL in str(heat.render())
        reviews = screen.query_one("#stats-reviews", BarChart)
        assert reviews.values[-1] == s.reviews_today and len(reviews.values) == 30
        forecast = screen.query_one("#stats-forecast", BarChart)
        assert forecast.values == [n for _, n in s.forecast] and forecast.first_label == "today"
        decks = _rows(screen.query_one("#stats-decks", DataTable))
        assert [row[0] for row in decks] == ["Alpha", "Beta"]
        assert decks[0][1:3] == ["3", "0"] and decks[0][4:6] == ["20 s", "30 s"] and decks[1][5] == "60 s"
        hard = _rows(screen.query_one("#stats-hard", DataTable))
        assert hard[0][:2] == ["leech · suspended", "8"] and hard[0][4] == "Alpha 0"
        # user text is cleaned
        texts = [str(c) for row in hard for c in row] + [str(c) for row in decks for c in row]
        assert not any("\x1b" in t for t in texts), "an escape sequence in the tables"

        assert screen.selected_card() == leech_id
        assert screen.check_action("unsuspend", ()) is True
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not store.card(leech_id).suspended
        assert list(store.reviews())[-1]["t"] == "unsuspend"
        hard = _rows(screen.query_one("#stats-hard", DataTable))
        assert hard[0][0] == "" and hard[0][4] == "Alpha 0"  # still among the hardest, no longer suspended
        assert screen.check_action("unsuspend", ()) is False
        await pilot.press("u")  # nothing to unsuspend: no second record
        assert [r["t"] for r in store.reviews()].count("unsuspend") == 1

        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_start_on_stats_and_back_home(store):
    app = make_app(store, clock=FakeClock(NOW), start="stats")
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, key="")
        assert app.sub_title == "Stats"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.sub_title == ""


async def test_e_opens_the_card_in_the_editor_and_reimports_and_r_refreshes_with_reviews_from_another_process(store, tmp_path):
    opened = []

    def fake_editor(path: str, line: int) -> None:
        opened.append((path, line))
        Path(path).write_text(Path(path).read_text(encoding="utf-8").replace("zero", "nought"), encoding="utf-8")

    app = make_app(store, clock=FakeClock(NOW), run_editor=fake_editor)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert opened == [(str(tmp_path / "alpha.md"), 3)]
        assert store.cards(["Alpha"])[0].answer == "nought"
        assert isinstance(app.screen, StatsScreen), "e comes back to stats"
        # r refreshes with reviews from another process
        screen = app.screen
        before = screen.stats.total_reviews
        other = Store(store.path)
        card = other.cards(["Beta"])[0]
        session = ReviewSession(other, decks=["Beta"], clock=FakeClock(NOW))
        session.next_card()
        session.grade(GOOD)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.stats.total_reviews == before + 1
        assert card.id in {c.id for c in store.cards(["Beta"]) if c.state}


async def test_empty_store_stats(tmp_path):
    app = make_app(Store(tmp_path / "empty.json"), clock=FakeClock(NOW), start="stats")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot, key="")
        assert screen.stats.total_reviews == 0
        assert screen.query_one("#stats-hard-empty").display
        assert "nothing yet" in str(screen.query_one("#stats-reviews", BarChart).render())
        assert "not enough data" in str(screen.query_one("#stats-glance", Static).render())
        assert screen.check_action("edit", ()) is False
        await pilot.press("e", "u")  # no card: nothing happens
        assert isinstance(app.screen, StatsScreen)


async def test_leech_notice_in_review(tmp_path):
    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(ParsedDeck("D", cards=[ParsedCard(("Slippery one",), "A", line=1)]), "/notes/d.md")
    cid = store.cards()[0].id
    store.append({"t": "review", "id": "seed", "card": cid, "ts": iso(NOW - timedelta(days=30)), "rating": 3,
                  "state": _review_state(7, NOW - timedelta(hours=1))})
    app = make_app(store, clock=FakeClock(NOW))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", str(AGAIN))
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Leech: Slippery one suspended" in messages
        assert store.card(cid).suspended


# ---------------------------------------------------------------- widget drawing
def test_heatmap_layout():
    assert grid_start(TODAY).weekday() == 0 and (TODAY - grid_start(TODAY)).days == 52 * 7
    counts = {TODAY - timedelta(days=1): 4, TODAY - timedelta(days=400): 9}
    lines = heatmap_text(counts, TODAY).plain.splitlines()
    assert len(lines) == 9  # months, seven weekdays, legend
    assert lines[1].startswith("Mon ") and len(lines[1]) == 4 + 53  # today (a Monday) is the last cell
    assert lines[1].endswith(TODAY_CELL) and len(lines[2]) == 4 + 52  # Tuesday's column stops last week
    assert "Dec" in lines[0] and "Nov" in lines[0]
    assert [level(n, 8) for n in (0, 1, 2, 3, 4, 6, 8)] == [0, 1, 1, 2, 2, 3, 4]


def test_bar_rows():
    assert bar_rows([0, 4, 8], 1) == [" ▄█"]
    rows = bar_rows([1, 16], 2, bar_width=2, gap=1)
    assert rows == ["   ██", "▁▁ ██"]
    assert bar_rows([0, 0], 3) == ["", "", ""]


async def test_tab_moves_into_the_card_list_and_scrolls_to_it(store):
    app = make_app(store, clock=FakeClock(NOW))
    async with app.run_test(size=(110, 24)) as pilot:
        screen = await _open(app, pilot)
        page = screen.query_one("#stats")
        table = screen.query_one("#stats-hard", DataTable)
        assert page.has_focus and page.scroll_y == 0
        await pilot.press("tab")
        await pilot.pause()
        assert table.has_focus and page.scroll_y > 0
        first = screen.selected_card()
        await pilot.press("down")
        assert screen.selected_card() != first
