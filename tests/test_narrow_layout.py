"""80 columns: chart titles, the hardest-cards table, the mock review's STAR row; plurals."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock
from textual.widgets import Checkbox, DataTable

from drill.interview.report import build_report
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.parse.wording import count
from drill.store.collection import Store
from drill.study.session import ReviewSession
from drill.ui.app import make_app
from drill.ui.screens.mock_review import MockReviewScreen
from drill.ui.screens.stats import CHART_TITLES, StatsScreen, _glance

STORY = "- **Situation**: a slow export.\n- **Task**: speed it up.\n- **Action**: streamed rows.\n- **Result**: twelve minutes.\n"
LONG = "An unusually long deck name about distributed systems interview preparation"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    stories = ParsedDeck(name="Stories", cards=[ParsedCard(path=(f"Story {i}",), answer=STORY, line=i + 1) for i in range(2)])
    long = ParsedDeck(
        name=LONG,
        cards=[ParsedCard(path=(f"A rather long question about consensus and replication number {i}",), answer="x", line=1)
               for i in range(2)],
    )
    with store.writing():
        store.apply_import(stories, str(tmp_path / "stories.md"))
        store.apply_import(long, str(tmp_path / "long.md"))
    return store


def test_count_says_one_card_and_two_cards():
    assert [count(1, "card"), count(2, "card"), count(0, "question"), count(1, "story"), count(3, "story")] == [
        "1 card", "2 cards", "0 questions", "1 story", "3 stories"
    ]


def test_one_question_and_one_review_are_singular():
    report = build_report({"started": "2026-11-23T09:00:00+00:00", "status": "complete", "decks": ["D"],
                           "questions": [{"deck": "D", "question": "Q", "seconds_allowed": 60, "seconds_used": 5}]})
    from drill.ui.screens.mock_report import MockReportScreen

    assert "1 question," in str(MockReportScreen(report).totals_text())

    class Numbers:
        streak_days = longest_streak = reviews_today = total_reviews = 1
        minutes_today, due_today, retention, avg_seconds, mature_reviews = 0.5, 0, None, None, 0

    glance = str(_glance(Numbers()))
    assert "1 review ·" in glance and "All time   1 review" in glance and "1 day" in glance


def _grade_all(store: Store, clock: FakeClock, rating: int) -> None:
    session = ReviewSession(store, clock=clock)
    for _ in range(len(store.cards())):  # each card once (Again brings it back: no loop to the end)
        if session.next_card() is None:
            break
        clock.advance(5)
        session.grade(rating)


@pytest.mark.parametrize("width", [80, 120])
async def test_stats_titles_and_hardest_cards_fit_the_width(store, width):
    clock = FakeClock()
    _grade_all(store, clock, 1)  # lapses: every card is a "hardest" one
    app = make_app(store, clock=clock, start="stats")
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        for chart_id, (long, short) in CHART_TITLES.items():
            title = screen.query_one(f"#{chart_id}").border_title
            assert title == (long if width >= 100 else short)
            assert len(title) + 6 <= screen.query_one(f"#{chart_id}").outer_size.width  # "╭─ title ─╮" fits
        table = screen.query_one("#stats-hard", DataTable)
        assert table.row_count
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert widths <= width - 4  # every column on screen, the question's included
        long_rows = [table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[3]).startswith("An unusually")]
        assert long_rows
        deck, question = str(long_rows[0][3]), str(long_rows[0][4])
        if width == 80:
            assert deck.endswith("…") and question.endswith("…")
        else:
            assert question.startswith("A rather long question about consensus")  # more room: more of it


@pytest.mark.parametrize("width", [80, 120])
async def test_mock_review_star_row_fits(store, width):
    clock = FakeClock()
    mock = {"decks": ["Stories"], "count": 1, "answer_seconds": 60, "think_seconds": 0, "seed": 1, "mode": "cards"}
    app = make_app(store, clock=clock, mock=mock)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        clock.advance(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockReviewScreen)
        row = screen.query_one("#mrev-star")
        assert row.display
        boxes = list(row.query(Checkbox))
        assert len(boxes) == 4 and all(b.display for b in boxes)
        last = boxes[-1]
        assert last.region.right <= width  # "r Result" is on the screen
        assert "Result" in str(last.label)
