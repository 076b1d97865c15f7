"""Pilot tests: every key of the home and review screens, with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock as Clock
from textual.widgets import Button, DataTable

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.review import ReviewScreen
from drill.ui.screens.summary import SummaryScreen
from drill.ui.widgets.card_text import AnswerMarkdown, QuestionText
from drill.ui.widgets.countdown import Countdown


def _deck(name: str, n: int, *, time_limit: int | None = None, source: str = "") -> ParsedDeck:
    cards = [ParsedCard(path=(f"{name} question {i}",), answer=f"Answer **{i}** of {name}", line=2 * i + 1) for i in range(n)]
    return ParsedDeck(name=name, cards=cards, time_limit=time_limit)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(_deck("Alpha", 3, time_limit=30), str(tmp_path / "alpha.md"))
        store.apply_import(_deck("Beta", 2), str(tmp_path / "beta.md"))
    return store


def _question(app) -> str:
    return str(app.screen.query_one(QuestionText).render())


def _journal(store: Store) -> list[dict]:
    return list(store.reviews())


async def _start_review(pilot, key: str = "a") -> ReviewScreen:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


async def test_home_lists_decks_with_counts_and_enter_reviews_the_selected_deck(store):
    """Home lists each deck with its counts; down then enter reviews the selected deck."""
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(2)]
        assert rows == [["Alpha", "3", "0", "3"], ["Beta", "2", "0", "2"]], "home list"
        await pilot.press("down")
        screen = await _start_review(pilot, "enter")
        assert screen.session.decks == ["Beta"], "enter on the second row"
        assert _question(app).startswith("Beta question")


async def test_home_a_reviews_all_decks_and_r_refreshes(store, tmp_path):
    clock = Clock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        other = Store(store.path)
        with other.writing():
            other.apply_import(_deck("Gamma", 1), str(tmp_path / "gamma.md"))
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 3
        screen = await _start_review(pilot, "a")
        assert screen.session.decks is None
        assert screen.session.remaining() == 6


async def test_space_and_enter_reveal_and_the_grade_buttons_are_clickable(store):
    """space reveals the answer and the grade labels; a click on a grade button grades;
    on the next card enter reveals too."""
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _start_review(pilot)
        assert not screen.query_one("#answer-scroll").display
        assert not screen.query_one("#grades").display
        await pilot.press("space")
        await pilot.pause()
        assert screen.revealed
        assert screen.query_one("#answer-scroll").display
        labels = [str(screen.query_one(f"#grade-{r}", Button).label) for r in (1, 2, 3, 4)]
        assert labels[0].startswith("1 Again · ")
        assert labels[2].startswith("3 Good · ")
        assert "Answer" in screen.query_one(AnswerMarkdown).source
        await pilot.click("#grade-3")
        await pilot.pause()
        assert [r["rating"] for r in _journal(store)] == [3]
        assert not screen.revealed
        await pilot.press("enter")
        await pilot.pause()
        assert screen.revealed


async def test_each_grade_key_is_journaled_and_advances(store):
    """1, 2, 3 and 4, one card each in one session: ignored before the reveal, then
    journaled with its rating and time, and the next card is asked."""
    clock = Clock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _start_review(pilot)
        for n, (key, rating) in enumerate([("1", 1), ("2", 2), ("3", 3), ("4", 4)]):
            first = screen.session.current.id
            await pilot.press(key)  # before reveal: ignored
            assert len(_journal(store)) == n, key
            await pilot.press("space")
            clock.advance(7)
            await pilot.press(key)
            await pilot.pause()
            records = _journal(store)
            assert [r["rating"] for r in records] == [1, 2, 3, 4][: n + 1]
            assert records[-1]["card"] == first
            assert records[-1]["ms"] == 7000
            assert screen.session.current.id != first, key
            assert not screen.revealed


async def test_countdown_uses_deck_time_limit_and_expiry_reveals_over_time(store):
    clock = Clock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("home")
        screen = await _start_review(pilot, "enter")  # Alpha: time_limit 30
        countdown = screen.query_one(Countdown)
        assert countdown.limit == 30
        clock.advance(12)
        countdown.check()
        await pilot.pause()
        assert str(countdown.query_one("#countdown-time").render()) == "0:18"
        assert not screen.revealed
        clock.advance(19)
        countdown.check()
        await pilot.pause()
        assert screen.revealed and screen.over_time
        await pilot.press("1")
        await pilot.pause()
        record = _journal(store)[0]
        assert record["over"] is True and record["ms"] == 31000


async def test_time_override_beats_deck_limit(store):
    app = make_app(store, clock=Clock(), review={"decks": ["Alpha"], "time_limit": 5, "new_limit": None})
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(Countdown).limit == 5


async def test_new_limit_from_command_line(store):
    app = make_app(store, clock=Clock(), review={"decks": None, "new_limit": 1})
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.screen.session.remaining() == 1


async def test_u_undoes_last_grade_and_s_buries_card_until_tomorrow(store):
    """u undoes the last grade (the card is asked again); s then buries that card."""
    clock = Clock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _start_review(pilot)
        first = screen.session.current.id
        await pilot.press("space", "3")
        await pilot.pause()
        assert store.card(first).state is not None, "graded"
        await pilot.press("u")
        await pilot.pause()
        assert screen.session.current.id == first, "undo asks the card again"
        assert not screen.revealed
        assert store.card(first).state is None, "undo restores the card"
        assert [r["t"] for r in _journal(store)] == ["review", "undo"]
        buried = screen.session.current.id
        await pilot.press("s")
        await pilot.pause()
        assert screen.session.current.id != buried, "s moves on"
        assert store.card(buried).buried_until is not None, "s buries"
        assert _journal(store)[-1]["t"] == "bury"


async def test_e_opens_editor_at_line_and_reimports(tmp_path):
    source = tmp_path / "notes.md"
    source.write_text("# Notes\n\n## First\n\nold answer\n\n## Second\n\nsecond answer\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    from drill.library.importer import import_paths

    import_paths(store, [source])
    calls = []

    def fake_editor(path: str, line: int) -> None:
        calls.append((path, line))
        text = Path(path).read_text(encoding="utf-8")
        Path(path).write_text(text.replace("old answer", "new answer"), encoding="utf-8")

    app = make_app(store, clock=Clock(), run_editor=fake_editor)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await _start_review(pilot)
        card_id = screen.session.current.id
        await pilot.press("e")
        await pilot.pause()
        assert calls == [(str(source.resolve()), 3)]
        assert screen.session.current.id == card_id
        await pilot.press("space")
        await pilot.pause()
        assert "new answer" in screen.query_one(AnswerMarkdown).source


async def test_q_ends_with_summary_then_home_and_a_session_ended_before_any_grade_shows_no_again_rate(store):
    clock = Clock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await _start_review(pilot)
        await pilot.press("space")
        clock.advance(4)
        await pilot.press("1")
        await pilot.press("space")
        clock.advance(6)
        await pilot.press("3")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
        assert (summary.done, summary.again) == (2, 1)
        assert summary.seconds == 10
        assert "50%" in str(app.screen.query_one("#summary-again").render())
        assert summary.next_due is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # QA: "Again rate 0% (0 of 0)" after ending at the first question; a dash says it plainly.
        await _start_review(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), "q at the first question of a second session"
        text = str(app.screen.query_one("#summary-again").render())
        assert "—" in text and "no card graded" in text and "0%" not in text, text


async def test_default_time_limit_is_sixty_seconds_and_finishing_every_card_shows_summary(store):
    app = make_app(store, clock=Clock(), review={"decks": ["Beta"]})
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(Countdown).limit == 60, "Beta has no time limit: the default"
        for _ in range(2):
            await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.done == 2


async def test_empty_store_home_says_how_to_import(tmp_path):
    app = make_app(Store(tmp_path / "empty.json"), clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#home-empty").display
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Nothing to review" in str(app.screen.query_one("#summary-title").render())


async def test_escape_sequences_in_cards_never_reach_the_screen(tmp_path):
    store = Store(tmp_path / "drill.json")
    evil = ParsedDeck(
        name="Evil",
        cards=[ParsedCard(path=("Title \x1b]0;pwned\x07 here",), answer="Clear \x1b[2J\x1b[H now", line=1)],
    )
    with store.writing():
        store.apply_import(evil, str(tmp_path / "evil.md"))
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        await _start_review(pilot)
        await pilot.press("space")
        await pilot.pause()
        assert "\x1b" not in _question(app)
        assert _question(app) == "Title  here"
        assert "\x1b" not in app.screen.query_one(AnswerMarkdown).source


async def test_home_footer_keys_fit_an_80_column_terminal_and_q_quits(store):
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.export_screenshot().replace("&#160;", " ")
        for label in ("Review", "All due", "Stats", "Mock", "History", "Quit"):
            assert label in footer, label
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0, "q on home quits"
