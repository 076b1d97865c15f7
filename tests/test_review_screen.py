"""Review screen at small sizes: answer space, scrolling, lazy long answers, counts, confirmations."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Button

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen
from drill.ui.screens.summary import SummaryScreen
from drill.ui.widgets.answer_view import MORE_BELOW, AnswerView, split_chunks
from drill.ui.widgets.card_text import AnswerMarkdown
from helpers import FakeClock as Clock

STORY = "\n".join(["2021-03-04", "", "[incident doc](https://example.com)", ""] + [f"- step {i} of the story" for i in range(60)])
HUGE = "\n\n".join(f"Paragraph {i}: " + "words that wrap across the answer box " * 3 for i in range(3000))


def _store(tmp_path: Path, answers: list[str], *, deck: str = "Stories") -> Store:
    store = Store(tmp_path / "drill.json")
    cards = [ParsedCard(path=(f"question {i}",), answer=a, line=i + 1) for i, a in enumerate(answers)]
    with store.writing():
        store.apply_import(ParsedDeck(name=deck, cards=cards), str(tmp_path / "stories.md"))
    return store


async def _review(pilot) -> ReviewScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def _settle(pilot, view: AnswerView) -> None:
    """Wait until the answer's chunks being mounted are in."""
    for _ in range(50):
        await pilot.pause()
        if not view._appending:
            return


def test_split_chunks_joins_back_exactly():
    text = "a\n\n```\ncode\n```\n" + "line\n" * 500 + "no newline at the end"
    chunks = split_chunks(text, chars=50, lines=7)
    assert "".join(chunks) == text
    assert all(c.endswith("\n") for c in chunks[:-1])
    assert split_chunks("x" * 100, chars=10) == ["x" * 100]  # one long line stays whole
    assert split_chunks("") == []


async def test_revealed_answer_gets_the_rows_at_80x24_says_more_below_scrolls_without_focus_and_fits_60x20(tmp_path):
    """One long answer revealed at 80x24: its rows, the cue, then every way to scroll it
    (keys, then the mouse wheel) with nothing focused."""
    app = make_app(_store(tmp_path, [STORY]), clock=Clock(), review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _review(pilot)
        await pilot.press("space")
        view = screen.query_one(AnswerView)
        await _settle(pilot, view)
        assert view.size.height >= 14  # was 4 rows before
        assert view.border_subtitle == MORE_BELOW
        assert screen.query_one("#grades").region.height == 1
        assert screen.focused is None  # nothing needs focus to scroll
        await pilot.press("j", "j", "down")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("pagedown")
        assert view.scroll_y > 10
        await pilot.press("pageup", "pageup")
        assert view.scroll_y == 0
        for _ in range(3):  # Pilot has no wheel helper; this is what click() uses underneath
            await pilot._post_mouse_events([events.MouseScrollDown], view, offset=(10, 5))
        await pilot.pause()
        assert view.scroll_y > 0
        assert screen.focused is None
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        assert view.border_subtitle != MORE_BELOW  # at the end: no cue
        # made 60x20, the grade labels stay readable and the answer keeps its rows
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        for rating in (1, 2, 3, 4):
            button = screen.query_one(f"#grade-{rating}", Button)
            label = str(button.label)
            assert label.startswith(f"{rating} ")
            assert button.content_region.width >= len(label), f"60x20: {label}"
        assert screen.query_one(AnswerView).size.height >= 10, "60x20: answer rows"


async def test_no_old_answer_is_ever_in_the_screen_and_q_ends_the_review(tmp_path):
    app = make_app(_store(tmp_path, ["first ANSWER-ONE", "second ANSWER-TWO"]), clock=Clock(), review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _review(pilot)
        await pilot.press("space")
        await pilot.pause()
        assert "ANSWER-ONE" in screen.query_one(AnswerMarkdown).source
        await pilot.press("3")
        # the next question is up: no answer of any card anywhere in the DOM, shown or hidden
        assert not screen.query(AnswerMarkdown)
        await pilot.press("space")
        for _ in range(5):
            assert all("ANSWER-ONE" not in m.source for m in screen.query(AnswerMarkdown))
            await pilot.pause()
        assert "ANSWER-TWO" in screen.query_one(AnswerMarkdown).source
        await pilot.press("q")  # q ends the review (escape does too: the long-name test)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), "q ends the review"


async def test_a_huge_answer_renders_lazily_and_loads_as_you_scroll(tmp_path):
    app = make_app(_store(tmp_path, [HUGE]), clock=Clock(), review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _review(pilot)
        await pilot.press("space")
        view = screen.query_one(AnswerView)
        await _settle(pilot, view)
        markdown = screen.query_one(AnswerMarkdown)
        shown = len(markdown.source)
        assert 0 < shown < len(HUGE) // 20  # only the start is rendered
        assert view.pending and view.border_subtitle == MORE_BELOW
        for _ in range(10):
            await pilot.press("pagedown")
            await _settle(pilot, view)
        assert len(markdown.source) > shown
        assert HUGE.startswith(markdown.source.rstrip("\n"))  # chunks are contiguous


async def test_counts_show_new_learning_review_and_a_grade_is_confirmed_in_the_status_line_not_a_toast(tmp_path):
    clock = Clock()
    app = make_app(_store(tmp_path, ["a", "b", "c", "d"]), clock=clock, review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _review(pilot)
        counts = str(screen.query_one("#review-counts").render())
        assert counts == "new 4 · learning 0 · review 0"
        assert "· new" in str(screen.query_one("#review-progress").render())
        await pilot.press("space", "3")  # Good on a new card: a learning step, back in minutes
        await pilot.pause()
        assert str(screen.query_one("#review-counts").render()) == "new 3 · learning 1 · review 0"
        await pilot.press("space", "3", "space", "3")
        await pilot.pause()
        # three grades: each confirmed in the status line, never a toast
        assert not app._notifications, "a grade made a toast"
        hint = str(screen.query_one("#review-hint").render())
        assert "Good saved" in hint and "back in 10m" in hint and "u undo" in hint, hint
        await pilot.press("space", "3")  # the last new card
        await pilot.pause()
        clock.advance(minutes=11)
        # the learning cards come back labelled as learning
        assert "· learning" in str(screen.query_one("#review-progress").render())


async def test_long_deck_name_keeps_the_countdown_on_screen_and_escape_ends_review(tmp_path):
    name = "A deck with a very long name that goes on and on past the edge " * 2
    app = make_app(_store(tmp_path, ["a"], deck=name.strip()), clock=Clock(), review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _review(pilot)
        countdown = screen.query_one("#countdown")
        assert countdown.region.right <= 80 and countdown.region.width >= 10
        assert "…" in str(screen.query_one("#review-progress").render_line(0).text)
        await pilot.press("escape")  # escape ends the review like q
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), "escape ends the review"
