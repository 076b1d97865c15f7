"""Time-outs that count: the on_time_out setting, its rule, and '+' (30 s once per card)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.store.settings import Settings
from drill.study.schedule import AGAIN, EASY, GOOD, HARD
from drill.study.timeout import TimeOutRule
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen
from drill.ui.widgets.countdown import Countdown


def test_reveal_never_asks_twice():
    rule = TimeOutRule("reveal")
    assert rule.cap(True) is None
    assert all(rule.press(r, True) for r in (AGAIN, HARD, GOOD, EASY))
    assert rule.suggested(True) == GOOD


def test_hard_caps_the_suggestion_and_good_or_easy_take_a_second_press():
    rule = TimeOutRule("hard")
    assert rule.cap(False) is None and rule.press(EASY, False)  # in time: no cap
    assert rule.cap(True) == HARD and rule.suggested(True) == HARD
    assert rule.press(HARD, True) and rule.press(AGAIN, True)
    assert not rule.press(GOOD, True)  # asks
    assert not rule.press(EASY, True)  # a different key asks again, for that key
    assert rule.press(EASY, True)  # the same key twice grades
    assert not rule.press(GOOD, True)
    rule.reset()  # next card
    assert not rule.press(GOOD, True)


def test_again_caps_everything_above_again():
    rule = TimeOutRule("again")
    assert rule.suggested(True) == AGAIN
    assert rule.press(AGAIN, True)
    assert not rule.press(HARD, True) and rule.press(HARD, True)


def test_unknown_mode_falls_back_to_reveal():
    assert TimeOutRule("explode").mode == "reveal"


def test_setting_is_validated_and_kept():
    assert Settings().on_time_out == "reveal"
    assert Settings().with_value("on_time_out", "Hard").on_time_out == "hard"
    with pytest.raises(ValueError, match="one of reveal, hard, again"):
        Settings().with_value("on_time_out", "skip")
    assert Settings.from_dict({"on_time_out": "again"}).on_time_out == "again"
    assert Settings.from_dict({"on_time_out": 3}).on_time_out == "reveal"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        deck = ParsedDeck("Alpha", [ParsedCard((f"Q {i}",), f"A {i}", 1 + i) for i in range(3)], time_limit=30)
        store.apply_import(deck, str(tmp_path / "alpha.md"))
    return store


async def _time_out(pilot, clock) -> ReviewScreen:
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    clock.advance(31)
    screen.query_one(Countdown).check()
    await pilot.pause()
    assert screen.revealed and screen.over_time
    return screen


async def test_hard_mode_in_the_review_screen(store):
    store.save_settings(store.settings.with_value("on_time_out", "hard"))
    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _time_out(pilot, clock)
        from drill.ui.widgets.answer_view import AnswerView

        assert "Hard at most" in str(screen.query_one(AnswerView).border_title)
        await pilot.press("3")
        await pilot.pause()
        assert list(store.reviews()) == []  # asked for a second press, graded nothing
        await pilot.press("3")
        await pilot.pause()
        records = list(store.reviews())
        assert [(r["rating"], r["over"]) for r in records] == [(GOOD, True)]
        # Next card, timed out again: Hard is one press.
        clock.advance(31)
        screen.query_one(Countdown).check()
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert [r["rating"] for r in store.reviews()] == [GOOD, HARD]


async def test_plus_adds_thirty_seconds_once_and_is_recorded_and_reveal_mode_grades_with_one_press(store):
    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        countdown = screen.query_one(Countdown)
        clock.advance(25)
        await pilot.press("plus")
        await pilot.press("plus")  # once per card
        await pilot.pause()
        assert countdown.limit == 60
        clock.advance(20)
        countdown.check()
        await pilot.pause()
        assert not screen.revealed  # 45 s in, 60 s allowed
        await pilot.press("space", "3")
        await pilot.pause()
        await pilot.press("space", "3")  # the next card: no '+'
        await pilot.pause()
        records = list(store.reviews())
        assert [r.get("plus", False) for r in records] == [True, False]
        assert screen.query_one(Countdown).limit == 30
        # reveal mode (the default): the third card times out and one press grades it
        clock.advance(31)
        screen.query_one(Countdown).check()
        await pilot.pause()
        assert screen.revealed and screen.over_time, "time out reveals"
        await pilot.press("4")
        await pilot.pause()
        assert [r["rating"] for r in store.reviews()][2:] == [EASY], "reveal mode grades with one press"


def test_practice_stats_share_over_time_trend_plus_and_cram():
    from datetime import datetime, timedelta, timezone

    from drill.stats.practice import practice, practice_lines
    from drill.study.schedule import iso

    now = datetime(2024, 3, 5, 12, tzinfo=timezone.utc)

    def rec(days_ago, *, over=False, plus=False, t="review", rid=None, deck="Alpha"):
        return {"t": t, "id": rid or f"{t}{days_ago}{over}{plus}", "deck": deck, "card": 1,
                "ts": iso(now - timedelta(days=days_ago)), "over": over, "plus": plus}

    oldest_first = [
        rec(70, over=True),  # beyond 60 days: not read
        rec(45, over=True), rec(44, over=True), rec(40), rec(35),  # before: 50 % over
        rec(20, over=True, plus=True), rec(10), rec(5), rec(2, plus=True),  # last 30 days: 25 % over
        rec(3, t="cram"), rec(1, t="cram", rid="c1"), {"t": "cram-undo", "review": "c1", "ts": iso(now)},
        rec(1, rid="gone"), {"t": "undo", "review": "gone", "ts": iso(now)},
    ]
    (deck,) = practice(reversed(oldest_first), now)
    assert (deck.recent.answers, deck.recent.over, deck.recent.plus, deck.cram) == (4, 1, 2, 1)
    assert (deck.before.answers, deck.before.over) == (4, 2)
    assert deck.trend == -0.25
    assert deck.to_json()["over_time_trend"] == -0.25
    assert practice_lines([deck])[2].split() == ["Alpha", "4", "25%", "50%", "↓25", "pts", "2", "1"]


def test_drill_stats_prints_the_practice_section(store):
    from test_cli import run

    from drill.study.cram import CramSession
    from drill.study.session import ReviewSession

    session = ReviewSession(store)
    session.next_card()
    session.grade(GOOD, over_time=True, extended=True)
    cram = CramSession(store)
    cram.next_card()
    cram.grade(GOOD)
    store.close()
    out = run("stats", db=store.path).stdout
    assert "Last 30 days (over = answers past the time limit" in out
    row = [line for line in out.splitlines() if line.startswith("Alpha")][-1]
    assert row.split()[1:4] == ["1", "100%", "—"]
    assert row.split()[-2:] == ["1", "1"]
    import json

    data = json.loads(run("stats", "--json", db=store.path).stdout)
    assert data["practice"] == [{
        "deck": "Alpha", "answers_30d": 1, "over_time_share_30d": 1.0, "over_time_share_previous_30d": None,
        "over_time_trend": None, "plus_30s_30d": 1, "cram_30d": 1,
    }]
