"""The parser's side of interview notes: drill comments, ``competencies:``, ``kind: questions``."""

from __future__ import annotations

import pytest

from drill.parse.cards import KIND_QUESTIONS, ParseError
from drill.parse.markdown import parse_text


def test_a_drill_comment_under_a_heading_names_its_competencies():
    deck = parse_text(
        "<!-- drill: competencies growth -->\n"
        "## Group\n<!-- drill: competencies leadership; ownership -->\n### Led it\nbody\n### Also\nmore\n"
        "## Conflict\n<!-- drill: competencies conflict, influence -->\n- **Situation**: x\n"
        "## Plain\ntext\n",
        "n.md",
    )
    got = {c.path: c.competencies for c in deck.cards}
    assert got[("Group", "Led it")] == ("leadership", "ownership")  # from its container heading
    assert got[("Group", "Also")] == ("leadership", "ownership")
    assert got[("Conflict",)] == ("conflict", "influence")
    assert got[("Plain",)] == ("growth",)  # the file-wide comment above every heading
    assert "drill" not in deck.cards[2].answer  # the comment is still stripped from the answer
    assert deck.warnings == []


def test_a_drill_comment_it_does_not_understand_is_a_warning():
    deck = parse_text("## A\n<!-- drill: frobnicate -->\ntext\n## B\n<!-- drill: competencies -->\nx\n", "n.md")
    assert [line for line, _ in deck.warnings] == [2, 5]
    assert "not understood" in deck.warnings[0][1]
    assert all(c.competencies == () for c in deck.cards)


def test_frontmatter_competencies_and_kind():
    deck = parse_text("---\ncompetencies: conflict, leadership\n---\n## A\ntext\n", "n.md")
    assert deck.competencies == ["conflict", "leadership"]
    with pytest.raises(ParseError) as err:
        parse_text("---\nkind: flashcards\n---\n## A\ntext\n", "n.md")
    assert err.value.line == 2 and "'kind' must be 'cards' or 'questions'" in err.value.reason
    with pytest.raises(ParseError, match="competencies"):
        parse_text("---\ncompetencies: {a: 1}\n---\n", "n.md")


def test_a_questions_file_has_questions_not_cards():
    deck = parse_text(
        "---\nkind: questions\n---\n- lonely bullet\n## conflict\n- Tell me about a row with a peer.\n"
        "  - my own note, not a question\n-\n## System design\n1. Design a rate limiter.\n",
        "q.md",
    )
    assert deck.kind == KIND_QUESTIONS and deck.cards == []
    assert [(q.competency, q.text, q.line) for q in deck.questions] == [
        ("conflict", "Tell me about a row with a peer.", 6),
        ("System design", "Design a rate limiter.", 10),
    ]
    assert [line for line, _ in deck.warnings] == [4, 8]
    empty = parse_text("---\nkind: questions\n---\n## conflict\nprose only\n", "q.md")
    assert empty.questions == [] and "no questions found" in empty.warnings[-1][1]
