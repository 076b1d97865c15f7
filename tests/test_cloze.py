"""Cloze deletions: finding them, the cards they make, and the review screen revealing in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock

from drill.library.importer import import_paths
from drill.parse.cloze import BLANK, bracket_deletions, cloze_cards, highlight_deletions
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen
from drill.ui.widgets.card_text import CLOZE_STYLE, QuestionText


def hidden(found) -> list[str]:
    return [d.hidden for d in found]


# --------------------------------------------------------------------------- finding deletions

def test_brackets_each_one_a_deletion():
    found, warnings = bracket_deletions("A [heap] gives [O(log n)] inserts.")
    assert hidden(found) == ["heap", "O(log n)"]
    assert warnings == []


@pytest.mark.parametrize(
    "text",
    ["see [docs](https://x.org)", "![diagram](d.png)", "[ref][1]", "`a[i]`", r"\[not\]"],
)
def test_links_images_references_code_and_escapes_are_not_deletions(text):
    assert bracket_deletions(text) == ([], [])


def test_a_deletion_may_be_followed_by_a_colon():
    found, _ = bracket_deletions("[TCP]: reliable, ordered bytes")
    assert hidden(found) == ["TCP"]


def test_empty_brackets_warn_with_their_line():
    found, warnings = bracket_deletions("one [ok]\ntwo [] and [  ]", first_line=7)
    assert hidden(found) == ["ok"]
    assert warnings == [(8, "empty cloze deletion '[]' ignored"), (8, "empty cloze deletion '[]' ignored")]


def test_highlights_and_unbalanced_marks():
    found, warnings = highlight_deletions("The ==leader== replicates to ==followers==.")
    assert hidden(found) == ["leader", "followers"]
    assert warnings == []
    found, warnings = highlight_deletions("ok ==one== but ==two", first_line=3)
    assert hidden(found) == ["one"]
    assert warnings == [(3, "unbalanced '==': highlight has no closing '=='")]


@pytest.mark.parametrize("text", ["if a == b then", "x === y", "`==code==`", "a ==== b"])
def test_comparisons_and_code_are_not_highlights(text):
    assert highlight_deletions(text) == ([], [])


def test_cards_blank_one_deletion_each_and_bold_it_in_the_answer():
    text = "Raft elects a [leader]\nby [majority vote]."
    found, _ = bracket_deletions(text)
    first, second = cloze_cards(text, found, line=4)
    # The sentence keeps its line break; its identity (the path) is the collapsed text.
    assert first.path == ("Raft elects a […] by majority vote.",)
    assert first.question == "Raft elects a […]\nby majority vote."
    assert first.answer == "Raft elects a **leader**\nby majority vote."
    assert second.path == ("Raft elects a leader by […].",)
    assert second.question == "Raft elects a leader\nby […]."
    assert second.answer == "Raft elects a leader\nby **majority vote**."
    for card in (first, second):
        offset, text_hidden = card.cloze
        assert card.question[offset : offset + len(BLANK)] == BLANK
        assert card.kind == "cloze" and card.line == 4
    assert first.cloze == (14, "leader") and second.cloze == (24, "majority vote")


def test_deletion_at_the_start_has_offset_zero():
    found, _ = bracket_deletions("[Quorum] reads overlap writes.")
    (card,) = cloze_cards("[Quorum] reads overlap writes.", found, line=1)
    assert card.cloze == (0, "Quorum")
    assert card.question == "[…] reads overlap writes."


# --------------------------------------------------------------------------- store and review screen

@pytest.fixture
def cloze_store(tmp_path: Path) -> Store:
    notes = tmp_path / "facts.md"
    notes.write_text("C: A [mutex] lets one thread at a time into a [critical section].\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    import_paths(store, [notes])
    return store


async def test_review_hides_the_deletion_then_reveals_it_in_place(cloze_store):
    app = make_app(cloze_store, clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        question = screen.query_one(QuestionText)
        assert str(question.render()) == "A […] lets one thread at a time into a critical section."
        assert "Fill in the blank" in str(screen.query_one("#review-hint").render())
        await pilot.press("space")
        await pilot.pause()
        rendered = question.render()
        assert str(rendered) == "A mutex lets one thread at a time into a critical section."
        spans = [(rendered.plain[s.start : s.end], str(s.style)) for s in rendered.spans]
        assert ("mutex", CLOZE_STYLE) in spans
        assert not screen.query_one("#answer-scroll").display  # the answer is in place, not below
        assert screen.query_one("#grades").display
        await pilot.press("3")
        await pilot.pause()
        # the sentence's other blank is its sibling, buried for the day (it would give itself
        # away); with nothing else left, learning ahead brings this card back, blank hidden
        assert str(question.render()) == "A […] lets one thread at a time into a critical section."


async def test_basic_cards_still_show_the_answer_below(tmp_path):
    notes = tmp_path / "qa.md"
    notes.write_text("Q: What is a semaphore?\nA: A counter that limits concurrent access.\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    import_paths(store, [notes])
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a", "space")
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one(QuestionText).render()) == "What is a semaphore?"
        assert screen.query_one("#answer-scroll").display
