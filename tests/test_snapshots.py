"""Snapshot tests: every screen at 80x24 and 120x40 (pytest-textual-snapshot).

A layout that hides content (an answer squeezed to four rows, buttons cut off
a dialog) passes every widget-state assertion but changes the picture, so it
fails here. After an intended change, look at the report
(snapshot_report.html), then accept with ``pytest tests/test_snapshots.py
--snapshot-update``.

A flow of screens is walked once per size and pictured at each screen
(``snap_flow``, tests/snapshot_flow.py): ``test_mock[80x24][report].svg`` is the
mock report at 80x24, taken on the way from the question to the history.

Deterministic: a fixed clock, the global RNG (FSRS fuzz) seeded, cursors not
blinking, toasts cleared (they expire by wall-clock time), the sample decks
imported from the checkout.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import FakeClock, type_text
from textual.widgets import Input, TextArea

from drill.library.importer import import_paths
from drill.store.collection import Store
from drill.store.paths import bundled_decks_dir
from drill.study.session import ReviewSession
from drill.ui.app import make_app
from drill.ui.widgets.answer_view import AnswerView
from drill.ui.widgets.countdown import Countdown

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
MOCK = {"decks": ["Behavioural Stories"], "count": 3, "answer_seconds": 120, "think_seconds": 10, "seed": 7}

pytestmark = pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))


@pytest.fixture(autouse=True)
def _seeded():
    random.seed(2026)  # FSRS fuzzes intervals with the global RNG
    yield


@pytest.fixture
def samples(tmp_path: Path):
    store = Store(tmp_path / "drill.json")
    import_paths(store, [bundled_decks_dir()], register=False)
    yield store
    store.close(compact=False)


def history(store: Store, clock: FakeClock, days: int = 20) -> None:
    """A few weeks of reviewing with the real session, the same every run."""
    rng = random.Random(5)
    end = clock.now
    for day in range(days, 0, -1):
        clock.now = end - timedelta(days=day, hours=-rng.randint(0, 8))
        session = ReviewSession(store, clock=clock, new_limit=2)
        while session.next_card() is not None:
            clock.advance(rng.randint(20, 90))
            r = rng.random()
            session.grade(1 if r < 0.15 else 2 if r < 0.25 else 3 if r < 0.9 else 4)
    clock.now = end


async def still(pilot) -> None:
    """Let mounting finish, stop cursors blinking, finish lazy answers, drop toasts (they time out)."""
    await pilot.pause()
    pilot.app.clear_notifications()
    for widget in pilot.app.screen.query("TextArea, Input"):
        widget.cursor_blink = False
    for view in pilot.app.screen.query(AnswerView):
        for _ in range(50):
            if not view._appending:
                break
            await pilot.pause()
    await pilot.pause()


def test_home(snap_flow, samples, size):
    """Home, then the mock setup dialog (m) and the remove-deck dialog (x) over it."""

    async def flow(pilot, shot) -> None:
        await still(pilot)
        await shot("home")
        await pilot.press("m")
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "MockSetupScreen"
        await shot("mock-setup")
        await pilot.press("escape")
        await pilot.press("x")
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "RemoveDeckScreen"
        await shot("remove-deck-dialog")

    snap_flow(make_app(samples, clock=FakeClock(NOW)), SIZES[size], flow)


def test_home_empty(snap_compare, tmp_path, size):
    store = Store(tmp_path / "drill.json")
    app = make_app(store, clock=FakeClock(NOW))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=still)
    store.close(compact=False)


def test_review(snap_flow, samples, size):
    """The question; a long STAR answer revealed (at 80x24 it gets every spare row and
    says there is more below); after a grade, the next question."""
    clock = FakeClock(NOW)
    app = make_app(samples, clock=clock, review={"decks": ["Behavioural Stories"]})

    async def flow(pilot, shot) -> None:
        await still(pilot)
        await shot("question")
        # The countdown reads the clock on a 0.2 s timer, so whether it showed 2:00 or
        # 1:37 at the reveal (which stops it) depended on the machine's load: it is read
        # once the 23 s have passed, after it started.
        countdown = pilot.app.screen.query_one(Countdown)
        for _ in range(50):
            await pilot.pause()
            if countdown.running:
                break
        clock.advance(23)
        countdown.check()
        await pilot.press("space")
        await still(pilot)
        await shot("answer")
        await pilot.press("3")
        await still(pilot)
        await shot("next-question-after-a-grade")

    snap_flow(app, SIZES[size], flow)


def test_summary(snap_compare, samples, size):
    clock = FakeClock(NOW)
    app = make_app(samples, clock=clock, review={"decks": ["System Design Trade-offs"]})

    async def run(pilot) -> None:
        await pilot.pause()
        for rating in "31":
            clock.advance(12)
            await pilot.press("space", rating)
        await pilot.press("q")
        await still(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run)


def test_stats(snap_compare, samples, size):
    clock = FakeClock(NOW)
    history(samples, clock)
    app = make_app(samples, clock=clock, start="stats")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=still)


async def _answering(pilot, clock: FakeClock) -> None:
    """The first mock question, thinking time over, three lines of notes typed."""
    await pilot.pause()
    clock.advance(10)
    pilot.app.screen.check()
    await pilot.pause()
    notes = "Four teams\nListed jobs\nNo misses"
    await type_text(pilot, *["enter" if c == "\n" else c for c in notes])  # typed: enter adds a line
    assert pilot.app.screen.query_one(TextArea).text == notes
    clock.advance(47)
    pilot.app.screen.check()


def test_mock(snap_flow, samples, size):
    """One mock interview: the question with notes typed, the leave dialog (kept going),
    the review with STAR parts ticked, the report after the last grade, the history."""
    clock = FakeClock(NOW)
    app = make_app(samples, clock=clock, mock=MOCK)

    async def flow(pilot, shot) -> None:
        await _answering(pilot, clock)
        await still(pilot)
        await shot("question")
        await pilot.press("escape")
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "ConfirmLeaveScreen"
        await shot("leave-dialog")
        await pilot.press("n")  # keep going: the clock was paused
        await pilot.pause()
        for seconds in (64, 38):
            await pilot.press("ctrl+n")  # next question
            clock.advance(2)
            await pilot.press("enter")  # skip its thinking time
            clock.advance(seconds)
        await pilot.press("ctrl+n")  # the last one: on to the review
        await pilot.pause()
        await pilot.press("s", "a", "r")
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "MockReviewScreen"
        await shot("review")
        await pilot.press("s", "a", "r")  # unticked again: the report shows the grades alone
        await pilot.press("3", "2", "1")  # the last grade opens the report
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "MockReportScreen"
        await shot("report")
        await pilot.press("h")
        await still(pilot)
        await shot("history")

    snap_flow(app, SIZES[size], flow)


def test_mock_review_star_row(snap_compare, samples, size):
    """A card with STAR parts, asked as written: the STAR row fits at 80 columns."""
    clock = FakeClock(NOW)
    mock = {**MOCK, "count": 1, "think_seconds": 0, "mode": "cards"}
    app = make_app(samples, clock=clock, mock=mock)

    async def run(pilot) -> None:
        await pilot.pause()
        clock.advance(30)
        await pilot.press("ctrl+n")
        await still(pilot)
        assert type(pilot.app.screen).__name__ == "MockReviewScreen"

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run)
