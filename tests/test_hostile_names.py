"""Hostile deck names, file names and messages walk through every screen as plain text.

A deck called ``[link="https://evil.example"]x`` must not make drill emit a hyperlink,
``Notes [draft]`` must keep ``[draft]``, ``# Unix paths [/etc/hosts]`` must not crash a
screen with a MarkupError, and an escape sequence in a name must be shown as text
(``\\x1b``), never sent to the terminal.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.mock_history import MockHistoryScreen
from drill.ui.screens.mock_question import MockQuestionScreen
from drill.ui.screens.mock_report import MockReportScreen
from drill.ui.screens.mock_review import MockReviewScreen
from drill.ui.screens.mock_setup import MockSetupScreen
from drill.ui.screens.review import ReviewScreen
from drill.ui.screens.stats import StatsScreen
from drill.ui.screens.summary import SummaryScreen

LINK = '[link="https://evil.example"]x'
DRAFT = "Notes [draft]"
PATHS = "# Unix paths [/etc/hosts]"
TITLE = "\x1b]0;PWNED\x07Retitled \x1b[2J\u202eevil"
LONG = "Long " + "y" * 100_000
HOSTILE = [LINK, DRAFT, PATHS, TITLE, LONG]
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """One deck per hostile name, as a store holds them (names are not re-checked on read)."""
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for i, name in enumerate(HOSTILE):
            card = ParsedCard(path=(f"Q{i} [b]not bold[/b] {name[:40]}",), answer=f"Answer {i}", line=1)
            store.apply_import(ParsedDeck(name=name, cards=[card], time_limit=30), str(tmp_path / f"deck{i}.md"))
    return store


def _text(app) -> str:
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def _assert_safe(app) -> None:
    """No notification is markup or carries a raw control character."""
    for note in list(app._notifications):
        assert note.markup is False, note.message
        assert not any(ch in note.message for ch in RAW), repr(note.message)


async def test_review_screen_shows_each_hostile_deck_name_as_text(store):
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        home = _text(app)
        for name in (LINK, DRAFT, PATHS):
            assert name in home
        assert "\\x1b]0;PWNED\\x07Retitled" in home
        await pilot.press("a")
        await pilot.pause()
        seen = set()
        for _ in HOSTILE:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            deck = screen.session.current.deck
            progress = screen.query_one("#review-progress").render()
            if deck == LONG:
                assert len(progress.plain) < 100, "a long deck name is cut, the countdown stays on screen"
                assert "0:30" in _text(app)
            elif deck == TITLE:
                assert progress.plain.startswith("\\x1b]0;PWNED\\x07Retitled \\x1b[2J\\u202eevil")
            else:
                assert progress.plain.startswith(deck + " · new")
                assert not any("link" in str(span.style) for span in progress.spans)
            seen.add(deck)
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()
            _assert_safe(app)
        assert seen == set(HOSTILE)
        await pilot.press("q")  # the learning steps would bring them back: end the session
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not any(ch in app.sub_title for ch in RAW)


async def test_stats_mock_setup_and_sub_title_with_hostile_names(store):
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        stats = _text(app)
        assert LINK in stats and DRAFT in stats and PATHS in stats
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        setup = _text(app)
        assert LINK in setup and PATHS in setup
        await pilot.press("escape")
        await pilot.pause()
        app.start_review([LINK, TITLE])
        await pilot.pause()
        assert LINK in app.sub_title and "\\x1b]0;PWNED" in app.sub_title
        _assert_safe(app)


async def test_mock_question_review_report_and_history_with_hostile_names(store):
    clock = FakeClock()
    mock = {"decks": None, "count": 5, "answer_seconds": 60, "think_seconds": 0, "seed": 1}
    app = make_app(store, clock=clock, mock=mock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MockQuestionScreen)
        for _ in range(5):
            progress = app.screen.query_one("#mock-progress").render()
            assert not any(ch in progress.plain for ch in RAW)
            assert len(progress.plain) < 100
            clock.advance(61)
            app.screen.check()
            await pilot.pause()
        assert isinstance(app.screen, MockReviewScreen)
        for _ in range(5):
            status = app.screen.query_one("#mrev-status").render()
            assert not any(ch in status.plain for ch in RAW)
            await pilot.press("3")
            await pilot.pause()
            _assert_safe(app)
        assert isinstance(app.screen, MockReportScreen)
        report = _text(app)
        assert LINK in report or DRAFT in report or PATHS in report
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, MockHistoryScreen)
        cell = app.screen.query_one("#mhist-table").get_row_at(0)[-1]
        # every deck's name is capped, and the column gives way to the screen: cut with "…"
        assert len(str(cell)) < 120 and str(cell).endswith("…")


async def test_notifications_with_hostile_file_names_are_plain_text(store, tmp_path):
    """"Re-imported NAME" and "Folder not found: DIR" show names escaped."""
    from drill.ui.background_sync import apply_in_app
    from drill.library.sources import Plan

    name = tmp_path / "bad\x1b]0;TITLE\x07\x1b[2Jname [b].md"
    name.write_text("# Deck\n\n## Q\n\nA\n", encoding="utf-8")
    with store.writing():
        store.apply_import(
            ParsedDeck(name="Deck", cards=[ParsedCard(path=("Q",), answer="A", line=3)]), str(name)
        )
    app = make_app(store, clock=FakeClock(), run_editor=lambda path, line: 0)
    async with app.run_test(size=(120, 40)) as pilot:
        app.start_review(["Deck"])
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert any(n.message.startswith("Re-imported bad\\x1b]0;TITLE\\x07\\x1b[2Jname [b].md") for n in app._notifications)
        apply_in_app(app, Plan(missing=[str(tmp_path / "gone\x1b[2J\u202e")]))
        await pilot.pause()
        _assert_safe(app)
        assert any("gone\\x1b[2J\\u202e" in n.message for n in app._notifications)
