"""Property-based tests: random Markdown, mixed with every card syntax, never breaks the parser."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drill.parse.cards import ParseError
from drill.parse.cloze import BLANK
from drill.parse.markdown import parse_text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_PIECES = st.sampled_from(
    [
        "Q: ", "A: ", "C: ", "Q:", "A:", "C:", "?", "\n?\n", "::", ":::", "==", "=", "[", "]", "[]",
        "[x]", "(y)", "![i]", "\\", "==hi==", "`", "``", "```\n", "~~~\n", "    ", "# ", "## ", "---",
        "\n", "\n\n", "\n\n\n", " ", "\t", "text", "word", "- ", "> ", "<!--", "-->", "…", "›",
        "\x1b[2J", "\x9b", "\r\n", "format: explicit", "format: headings", "prompt: '{heading}'",
        "---\nformat: explicit\n---\n", "---\nprompt: 'Why {heading}?'\n---\n", "罗", "\ufeff",
    ]
)

_DOCS = st.lists(_PIECES | st.text(max_size=4), max_size=50).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
@example("==\n?\n?\n\nQ:Q: \r\n==hi==")  # a trailing space before the blank's line shifted its offset
def test_random_markdown_never_raises_and_never_gives_an_empty_question(text: str) -> None:
    try:
        deck = parse_text(text, "fuzz.md")
    except ParseError as exc:
        # Only frontmatter can stop a file, always with a one-line reason.
        assert exc.line >= 1
        assert exc.reason.startswith("invalid frontmatter: ")
        assert "\n" not in exc.reason
        return
    assert deck.name
    assert len({c.path for c in deck.cards}) == len(deck.cards)
    for card in deck.cards:
        assert card.question.strip(), card
        assert card.path and all(part.strip() for part in card.path), card
        assert card.line >= 1
        for s in (*card.path, card.question, card.answer, card.prompt):
            assert not _CONTROL.search(s), repr(s)
        if card.kind == "cloze":
            offset, hidden = card.cloze
            assert card.question[offset : offset + len(BLANK)] == BLANK
            assert hidden.strip()
        else:
            assert card.answer.strip()
    for line, message in deck.warnings:
        assert line >= 1 and "\n" not in message
    if not deck.cards:
        assert any(message.startswith("no cards found") for _, message in deck.warnings)


_UNRELATED = "\n\nAn unrelated closing paragraph, added later.\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS, st.sampled_from([4000, 200]))
def test_appending_an_unrelated_paragraph_never_archives_a_card(text: str, limit: int) -> None:
    """Re-importing a file with one more plain paragraph at its end keeps every card:
    an answer may change (updated), no card vanishes (archived) — also when the longer
    answer crosses ``max_answer_chars`` (200 here) and is split at its sub-headings."""
    import tempfile
    from pathlib import Path

    from drill.store.collection import Store

    try:
        before = parse_text(text, "fuzz.md", max_answer_chars=limit)
        after = parse_text(text + _UNRELATED, "fuzz.md", max_answer_chars=limit)
    except ParseError:
        return
    if before.name != after.name:  # the paragraph became the deck's description or title text
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        with store.writing():
            store.apply_import(before, "/notes/fuzz.md")
        counts = store.apply_import(after, "/notes/fuzz.md", dry_run=True)
        store.close(compact=False)
    assert counts.archived == 0, (text, [c.path for c in before.cards], [c.path for c in after.cards])


def test_cloze_offset_points_at_the_blank_after_a_line_with_trailing_spaces() -> None:
    deck = parse_text("==\n?\n?\n\nQ:Q: \n==hi==", "t.md")
    (card,) = [c for c in deck.cards if c.kind == "cloze"]
    offset, hidden = card.cloze
    assert card.question[offset : offset + len(BLANK)] == BLANK and hidden == "hi"
