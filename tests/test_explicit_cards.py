"""Explicit card syntaxes: hashcards Q:/A:/C: and Obsidian ::, :::, ?, ==highlights==."""

from __future__ import annotations

from pathlib import Path

import pytest

from drill.parse.cards import ParseError
from drill.parse.explicit import REVERSE
from drill.parse.markdown import parse_file, parse_text
from drill.store.collection import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "explicit"


def parse(text: str, name: str = "notes.md"):
    return parse_text(text, name)


def questions(deck) -> list[str]:
    return [c.question for c in deck.cards]


# --------------------------------------------------------------------------- fixtures

@pytest.mark.parametrize(
    ("name", "cards", "basic", "cloze", "warnings"),
    [
        ("hashcards.md", 7, 3, 4, 0),
        ("obsidian.md", 9, 7, 2, 0),
        ("mixed.md", 2, 2, 0, 0),
        ("forced-headings.md", 2, 2, 0, 0),
        ("malformed.md", 5, 2, 3, 7),
        ("resume-prompt.md", 3, 3, 0, 0),
    ],
)
def test_fixture_card_counts(name, cards, basic, cloze, warnings):
    deck = parse_file(FIXTURES / name)
    kinds = [c.kind for c in deck.cards]
    assert (len(deck.cards), kinds.count("basic"), kinds.count("cloze"), len(deck.warnings)) == (
        cards,
        basic,
        cloze,
        warnings,
    ), (deck.cards, deck.warnings)


def test_hashcards_fixture_details():
    deck = parse_file(FIXTURES / "hashcards.md")
    assert deck.name == "Storage engines"
    assert deck.description.startswith("Cards written the hashcards way")
    wal, lsm, amp = deck.cards[:3]
    assert wal.path == ("What does a write-ahead log buy you?",)
    assert wal.answer == (
        "Durability: a change is on disk in the log before the data pages move, so a\ncrash can be replayed."
    )
    assert wal.line == 6
    # The question may span lines; the answer runs on over a blank line until the next marker.
    assert lsm.path == ("Why do LSM trees compact their sorted runs?",)  # identity: collapsed
    assert lsm.question == "Why do LSM trees compact\ntheir sorted runs?"  # shown with its line break
    assert lsm.answer.endswith("- fewer files per lookup\n- reclaimed disk space")
    assert amp.question == "What is write amplification?"
    # One C: line with three brackets is three cards; links and code spans are not deletions.
    btree = [c for c in deck.cards if c.line == 20]
    assert [c.cloze[1] for c in btree] == ["B-tree", "sorted order", "fixed-size pages"]
    bloom = [c for c in deck.cards if c.line == 22]
    assert len(bloom) == 1
    assert "[the original paper](https://example.org/bloom)" in bloom[0].question
    assert "`arr[i]`" in bloom[0].question


def test_obsidian_fixture_details():
    deck = parse_file(FIXTURES / "obsidian.md")
    by_question = {c.question: c for c in deck.cards}
    assert by_question["Idempotent request"].answer == "one you can safely send twice"
    # ::: gives a card each way, with distinct paths.
    forward = by_question["TCP handshake"]
    reverse = by_question["SYN, SYN-ACK, ACK"]
    assert forward.answer == "SYN, SYN-ACK, ACK" and reverse.answer == "TCP handshake"
    assert reverse.path == ("SYN, SYN-ACK, ACK", REVERSE) != forward.path
    # :: inside a code span is not the separator.
    assert by_question["A `std::map` lookup costs"].answer == "logarithmic time"
    health = by_question["What does a load balancer health check protect against?"]
    assert health.answer == "Sending traffic to a backend that is down.\nIt also lets you drain a host before maintenance."
    assert health.line == 9
    # Code blocks hold no cards.
    assert not any("is code" in q or "neither" in q for q in by_question)
    dns = [c for c in deck.cards if c.kind == "cloze"]
    assert [c.cloze[1] for c in dns] == ["TTL", "root servers"]


def test_explicit_cards_win_over_headings_unless_frontmatter_says_headings():
    mixed = parse_file(FIXTURES / "mixed.md")
    # Decided per section: the Q: section gives its card; the other section, whose only
    # "::" is glued between two words (index::an), stays a heading card.
    assert questions(mixed) == ["Which isolation level prevents phantom reads?", "Indexes"]
    assert mixed.mode == "mixed (1 heading, 1 explicit)"
    forced = parse_file(FIXTURES / "forced-headings.md")
    assert [c.path for c in forced.cards] == [("Questions to ask them",), ("A ratio to remember",)]
    assert "Q: What does a good first month" in forced.cards[0].answer


def test_format_explicit_forces_explicit_parsing():
    deck = parse("---\nformat: explicit\n---\n# T\n\n## Heading\n\nJust prose.\n")
    assert deck.cards == []
    assert (1, "no cards found: no explicit card (format: explicit)") in deck.warnings


@pytest.mark.parametrize("value", ["cards", "[headings]", "1"])
def test_bad_format_value_is_a_frontmatter_error_with_its_line(value):
    with pytest.raises(ParseError) as info:
        parse(f"---\ndeck: D\nformat: {value}\n---\nQ: a\nA: b\n")
    assert info.value.line == 3
    assert "'format' must be 'headings' or 'explicit'" in info.value.reason


# --------------------------------------------------------------------------- malformed input

def test_malformed_fixture_warns_with_lines_and_keeps_the_rest():
    deck = parse_file(FIXTURES / "malformed.md")
    assert deck.warnings == [
        (3, "A: without a Q: before it; skipped"),
        (8, "empty cloze deletion '[]' ignored"),
        (12, "unbalanced '==': highlight has no closing '=='"),
        (14, "':::' card needs text on both sides; skipped"),
        (15, "':::' card needs text on both sides; skipped"),
        (17, "Q: without an A: after it; skipped"),
        (19, "'?' with no question line above it; skipped"),
    ]
    assert questions(deck) == [
        "A fine question?",
        "Good",
        "The […] works but this one ==does not close.",
        "The […] flows into the Black Sea.",
        "The Danube flows into the […].",
    ]


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("A: lonely\n\nQ: ok\nA: fine\n", (1, "A: without a Q: before it; skipped")),
        ("C: empty [] here\n\nQ: ok\nA: fine\n", (1, "empty cloze deletion '[]' ignored")),
        ("C: nothing hidden\n\nQ: ok\nA: fine\n", (1, "C: card has no cloze deletion; skipped")),
        ("An ==open mark\n\nQ: ok\nA: fine\n", (1, "unbalanced '==': highlight has no closing '=='")),
        ("side:::\n\nQ: ok\nA: fine\n", (1, "':::' card needs text on both sides; skipped")),
        (":::side\n\nQ: ok\nA: fine\n", (1, "':::' card needs text on both sides; skipped")),
        ("::answer only\n\nQ: ok\nA: fine\n", (1, "'::' card has an empty question; skipped")),
        ("question only::\n\nQ: ok\nA: fine\n", (1, "'::' card has an empty answer; skipped")),
        ("Q: no answer\n\nQ: ok\nA: fine\n", (1, "Q: without an A: after it; skipped")),
        ("Q: empty answer\nA:\n\nQ: ok\nA: fine\n", (1, "Q: card has an empty answer; skipped")),
        ("Question\n?\n\nQ: ok\nA: fine\n", (1, "'?' card has an empty answer; skipped")),
    ],
)
def test_each_malformed_card_is_one_warning_and_the_good_card_stays(text, warning):
    deck = parse(text)
    assert deck.warnings == [warning]
    assert questions(deck) == ["ok"]


def test_duplicate_explicit_question_keeps_the_first():
    deck = parse("Q: same\nA: one\n\nQ: same\nA: two\n")
    assert [c.answer for c in deck.cards] == ["one"]
    assert deck.warnings == [(4, "duplicate card 'same' (first at line 1); skipped")]


# --------------------------------------------------------------------------- details

def test_markers_in_code_blocks_and_mid_line_are_not_cards():
    text = "# T\n\n## Real\n\nSay Q: like this.\n\n```\nQ: in code\nA: still code\n```\n\n    Q: indented code\n    A: too\n"
    deck = parse(text)
    assert [c.path for c in deck.cards] == [("Real",)]  # heading rule: no explicit card found


def test_answer_ends_at_heading_rule_and_next_marker():
    deck = parse("Q: one\nA: first\n## Next part\nQ: two\nA: second\n---\nQ: three\nA: third\nQ: four\nA: fourth\n")
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("one", "first"),
        ("two", "second"),
        ("three", "third"),
        ("four", "fourth"),
    ]


def test_answer_followed_by_rule_is_not_a_setext_heading():
    deck = parse("Q: what\nA: that\n---\nQ: next\nA: one\n")
    assert [(c.question, c.answer) for c in deck.cards] == [("what", "that"), ("next", "one")]


def test_question_and_answer_may_be_separated_by_a_blank_line():
    deck = parse("Q: a question\n\nA: its answer\n")
    assert [(c.question, c.answer, c.line) for c in deck.cards] == [("a question", "its answer", 1)]


def test_double_colon_lines_next_to_a_question_mark_card():
    deck = parse("Term::meaning\nWhat is it?\n?\nThis.\n")
    assert [(c.question, c.answer) for c in deck.cards] == [("Term", "meaning"), ("What is it?", "This.")]


def test_explicit_description_stops_at_the_first_card():
    deck = parse("# Deck\n\nAbout this deck.\n\nQ: a\nA: b\n")
    assert deck.description == "About this deck."


def test_escape_sequences_are_removed_from_explicit_cards():
    deck = parse("Q: bad \x1b]0;title\x07 question\nA: clear \x1b[2J screen\n\nC: a [\x1b[31mred\x1b[0m] word\n")
    assert [c.question for c in deck.cards] == ["bad question", "a […] word"]
    assert deck.cards[0].answer == "clear  screen"
    assert deck.cards[1].cloze == (2, "red")


def test_prompt_template_turns_headings_into_interview_questions():
    deck = parse_file(FIXTURES / "resume-prompt.md")
    assert questions(deck) == [
        "Walk me through The billing rewrite",
        "Walk me through A search service",
        "Walk me through Why I am leaving",
    ]
    assert deck.cards[0].path == ("Projects", "The billing rewrite")  # identity stays the path
    deck = parse("---\nprompt: '{deck}: {path}?'\n---\n# Notes\n\n## A\n\n### B\n\ntext\n")
    assert questions(deck) == ["Notes: A › B?"]


@pytest.mark.parametrize(
    ("value", "why"),
    [("'Tell me about {project}'", "uses {project}"), ("'Broken {heading'", "is not a valid template"), ("[a]", "must be a string")],
)
def test_bad_prompt_template_is_a_frontmatter_error(value, why):
    with pytest.raises(ParseError) as info:
        parse(f"---\nprompt: {value}\n---\n## H\n\nbody\n")
    assert info.value.line == 2
    assert why in info.value.reason


# --------------------------------------------------------------------------- identity in the store

def _import(store: Store, text: str, source: str = "/notes/cards.md"):
    with store.writing():
        return store.apply_import(parse(text, "cards.md"), source)


def test_editing_an_explicit_answer_keeps_the_card_and_its_history(store):
    _import(store, "Q: Cap theorem?\nA: Pick two.\n\nTerm::old meaning\n")
    card = next(c for c in store.cards() if c.question == "Cap theorem?")
    store.append({"t": "review", "card": card.id, "state": {"due": "2030-01-01T00:00:00+00:00", "state": 2}})
    counts = _import(store, "Q: Cap theorem?\nA: Under a partition, choose consistency or availability.\n\nTerm::new meaning\n")
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (0, 2, 0, 0)
    kept = store.card(card.id)
    assert kept.answer.startswith("Under a partition") and kept.state["due"].startswith("2030")


def test_changing_the_question_is_a_new_card_unless_the_answer_is_the_same(store):
    _import(store, "Q: one\nA: alpha\n\nQ: two\nA: beta\n")
    ids = {c.question: c.id for c in store.cards()}
    counts = _import(store, "Q: one, reworded\nA: alpha\n\nQ: something else\nA: gamma\n")
    assert (counts.added, counts.updated, counts.archived) == (1, 1, 1)
    assert store.card(ids["one"]).question == "one, reworded"  # same body: a rename
    assert store.card(ids["two"]).archived


def test_cloze_identity_is_the_blanked_sentence(store):
    _import(store, "C: The [Thames] flows through [London].\n")
    first = {c.cloze[1]: c.id for c in store.cards()}
    counts = _import(store, "C: The [Thames] flows through [Oxford].\n")
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (0, 2, 0, 0)
    after = {c.id: c for c in store.cards()}
    assert after[first["London"]].cloze[1] == "Oxford"
    assert after[first["Thames"]].question == "The […] flows through Oxford."


def test_reverse_cards_are_stored_with_prompts_and_survive_a_reopen(store, tmp_path):
    _import(store, "Latency:::time for one request\n")
    store.close()
    again = Store(tmp_path / "drill.json")
    cards = sorted(again.cards(), key=lambda c: len(c.path))
    assert [(c.question, c.answer, c.kind) for c in cards] == [
        ("Latency", "time for one request", "basic"),
        ("time for one request", "Latency", "basic"),
    ]
    assert cards[1].prompt == "time for one request"
    again.journal.close()
    again.lock.close()


def test_inline_html_in_a_details_answer_becomes_markdown():
    """GitHub renders <em>/<code> between the tags of a <details> block; the answer view
    must not show the tags (Markdown without inline HTML is kept as written)."""
    deck = parse(
        "# D\n\n<details>\n<summary>Why a queue?</summary>\n\n"
        "It <em>decouples</em> the <code>producer</code>, **bold** stays.\n\n- one\n\n</details>\n\n"
        "<details>\n<summary>Plain?</summary>\n\nJust *md* snake_case.\n\n</details>\n"
    )
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("Why a queue?", "It *decouples* the `producer`, **bold** stays.\n\n- one"),
        ("Plain?", "Just *md* snake_case."),
    ]
