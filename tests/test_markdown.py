"""Tests for drill.markdown: Markdown files to decks of cards."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.parse.cards import ParsedDeck, ParseError
from drill.parse.markdown import UNTITLED, parse_file, parse_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DECKS = ROOT / "decks"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse(text: str, name: str = "notes.md") -> ParsedDeck:
    return parse_text(text, name)


def paths(deck: ParsedDeck) -> list[tuple[str, ...]]:
    return [card.path for card in deck.cards]


def card(deck: ParsedDeck, *path: str):
    for c in deck.cards:
        if c.path == path:
            return c
    raise AssertionError(f"no card {path!r} in {paths(deck)!r}")


# --------------------------------------------------------------------------
# Deck name and description


def test_deck_name_from_single_top_h1_which_is_not_in_paths() -> None:
    deck = parse("# My Deck\n\n## Question\n\nAnswer\n")
    assert deck.name == "My Deck"
    assert paths(deck) == [("Question",)]


def test_deck_name_from_frontmatter_beats_h1_and_h1_is_still_the_title() -> None:
    deck = parse("---\ndeck: From Meta\n---\n# Title\n\n## Q\n\nA\n")
    assert deck.name == "From Meta"
    assert paths(deck) == [("Q",)]


@pytest.mark.parametrize(
    ("source", "stem"),
    [("notes.md", "notes"), ("a.b.markdown", "a.b"), ("dir/sub/x.md", "x"), ("README", "README")],
)
def test_deck_name_falls_back_to_file_stem(source: str, stem: str) -> None:
    assert parse("## Q\n\nA\n", source).name == stem


def test_two_h1s_mean_no_title_and_h1s_are_path_parts() -> None:
    deck = parse("# One\n\n## A\n\nx\n\n# Two\n\n## B\n\ny\n")
    assert deck.name == "notes"
    assert paths(deck) == [("One", "A"), ("Two", "B")]


def test_h1_that_is_not_the_first_block_is_not_the_title() -> None:
    deck = parse("Intro text.\n\n# Heading\n\nBody\n")
    assert deck.name == "notes"
    assert deck.description == "Intro text."
    assert paths(deck) == [("Heading",)]


def test_setext_h1_can_be_the_title() -> None:
    deck = parse("My Deck\n=======\n\nQ\n-\n\nA\n")
    assert deck.name == "My Deck"
    assert paths(deck) == [("Q",)]


def test_text_under_the_title_is_the_description_not_a_card() -> None:
    deck = parse("# Deck\n\nAbout this deck.\n\nMore *about* it.\n\n## Q\n\nA\n")
    assert deck.description == "About this deck.\n\nMore *about* it."
    assert len(deck.cards) == 1


def test_text_before_first_heading_without_title_is_the_description() -> None:
    deck = parse("\n\nSome preamble.\n\n## Q\n\nA\n")
    assert deck.description == "Some preamble."
    assert paths(deck) == [("Q",)]


def test_trailing_thematic_break_is_not_part_of_description_or_answer() -> None:
    deck = parse("# D\n\nIntro\n\n---\n\n## Q\n\nA\n\n***\n\n## R\n\nB\n")
    assert deck.description == "Intro"
    assert card(deck, "Q").answer == "A"


# --------------------------------------------------------------------------
# Cards and sections


def test_outermost_section_with_body_is_the_card_including_subsections() -> None:
    text = "## Story\n\nIntro.\n\n### Results\n\n- won\n\n### Challenges\n\n- hard\n\n## Next\n\nx\n"
    deck = parse(text)
    assert paths(deck) == [("Story",), ("Next",)]
    answer = card(deck, "Story").answer
    assert answer == "Intro.\n\n### Results\n\n- won\n\n### Challenges\n\n- hard"


def test_heading_without_own_body_is_a_container() -> None:
    deck = parse("# T\n\n## Projects\n\n### Alpha\n\nA\n\n### Beta\n\nB\n\n## Other\n\nC\n")
    assert paths(deck) == [("Projects", "Alpha"), ("Projects", "Beta"), ("Other",)]


def test_whitespace_only_body_does_not_count() -> None:
    deck = parse("## Box\n\n   \n\t\n### Inside\n\nx\n")
    assert paths(deck) == [("Box", "Inside")]


def test_thematic_break_alone_is_not_body() -> None:
    deck = parse("## Box\n\n---\n\n### Inside\n\nx\n")
    assert paths(deck) == [("Box", "Inside")]


def test_leaf_heading_without_body_is_skipped() -> None:
    deck = parse("## Empty\n\n## Full\n\nx\n")
    assert paths(deck) == [("Full",)]
    assert deck.warnings == []


def test_skipped_heading_levels() -> None:
    deck = parse("# A\n\n### Deep\n\nx\n\n## Mid\n\ny\n\n# B\n\nz\n")
    assert paths(deck) == [("A", "Deep"), ("A", "Mid"), ("B",)]


def test_first_heading_deeper_than_later_ones() -> None:
    deck = parse("### Deep\n\nx\n\n## Shallow\n\n### Child\n\ny\n")
    assert paths(deck) == [("Deep",), ("Shallow", "Child")]


def test_card_line_numbers_are_heading_lines() -> None:
    deck = parse("# T\n\n## A\n\nx\n\nSetext\n------\n\ny\n")
    assert [c.line for c in deck.cards] == [3, 7]


def test_answer_strips_blank_lines_but_keeps_markdown() -> None:
    text = "## Q\n\n\n- **bold**\n  - nested\n\n```\ncode\n```\n\n\n"
    assert parse(text).cards[0].answer == "- **bold**\n  - nested\n\n```\ncode\n```"


def test_hash_lines_in_fenced_code_are_not_headings() -> None:
    deck = parse("## Q\n\n```sh\n# comment\n## also not\n```\n")
    assert paths(deck) == [("Q",)]
    assert "# comment" in deck.cards[0].answer


def test_hash_without_space_is_paragraph_text() -> None:
    deck = parse("## Q\n\n##NoSpace\n")
    assert paths(deck) == [("Q",)]
    assert deck.cards[0].answer == "##NoSpace"


def test_heading_inside_list_item_is_content() -> None:
    deck = parse("## Q\n\n- item\n  # nested heading\n")
    assert paths(deck) == [("Q",)]


def test_setext_headings_count() -> None:
    deck = parse("Top\n===\n\nSection\n-------\n\nBody\n")
    assert deck.name == "Top"
    assert paths(deck) == [("Section",)]


# --------------------------------------------------------------------------
# Heading text


def test_heading_text_is_plain_text() -> None:
    deck = parse("## The *big* `code()` [link](http://x) **bold** ![img](i.png)\n\nx\n")
    assert paths(deck) == [("The big code() link bold img",)]


def test_heading_whitespace_collapsed_and_closing_hashes_stripped() -> None:
    deck = parse("##   Spaced    out   ##\n\nx\n")
    assert paths(deck) == [("Spaced out",)]


def test_heading_entities_decoded() -> None:
    assert paths(parse("## Fish &amp; chips\n\nx\n")) == [("Fish & chips",)]


def test_empty_heading_is_untitled_with_warning() -> None:
    deck = parse("## A\n\nx\n\n##\n\ny\n")
    assert paths(deck) == [("A",), (UNTITLED,)]
    assert (5, "empty heading") in deck.warnings


def test_duplicate_paths_keep_first_and_warn() -> None:
    deck = parse("# One\n\n## A\n\nfirst\n\n# One\n\n## A\n\nsecond\n")
    assert len(deck.cards) == 1
    assert deck.cards[0].answer == "first"
    assert deck.warnings == [
        (9, "duplicate heading path 'One › A' (first at line 3); skipped")
    ]


# --------------------------------------------------------------------------
# No cards / degenerate input




NO_HEADING = "no heading in the file (a card is a heading with text under it)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("just some text\n", NO_HEADING),
        ("---\ndeck: X\n---\n", "nothing after the frontmatter"),
        ("---\n", NO_HEADING),
        ("---\n---\n", "nothing after the frontmatter"),
        ("## Only\n### Headings\n", "no heading has body text"),
        ("# Title only\n\nAnd a description.\n", "no heading under the title (a card is a heading with text under it)"),
        ("\x00\x1b[2J", NO_HEADING),
        ("<!-- all commented -->\n", "nothing outside comments"),
        ("````\nunclosed fence\n# x\n", NO_HEADING),
    ],
)
def test_degenerate_files_give_zero_cards_and_a_warning(text: str, reason: str) -> None:
    # the reason is true of the file: "no heading has body text" was said of files with none
    deck = parse(text)
    assert deck.cards == []
    assert (1, f"no cards found: {reason}") in deck.warnings


def test_just_text_becomes_description() -> None:
    deck = parse("Hello there.\n")
    assert deck.description == "Hello there."


# --------------------------------------------------------------------------
# HTML comments


def test_block_comment_hides_heading_and_keeps_line_numbers() -> None:
    text = "## A\n\nx\n\n<!--\n## Hidden\n\nsecret\n-->\n\n## B\n\ny\n"
    deck = parse(text)
    assert paths(deck) == [("A",), ("B",)]
    assert card(deck, "B").line == 11
    assert "secret" not in card(deck, "A").answer


def test_comment_alone_is_not_body() -> None:
    deck = parse("## Box\n\n<!-- todo -->\n\n### Inside\n\nx\n")
    assert paths(deck) == [("Box", "Inside")]


def test_inline_and_multiline_inline_comments_removed() -> None:
    deck = parse("## Q\n\nkeep <!-- drop --> this\nand <!-- drop\nmore --> that\n")
    answer = deck.cards[0].answer
    assert "drop" not in answer
    assert "keep" in answer and "this" in answer and "that" in answer


def test_comments_in_code_are_kept() -> None:
    deck = parse("## Q\n\n`<!-- span -->` <!-- gone -->\n\n```html\n<!-- in fence -->\n```\n")
    answer = deck.cards[0].answer
    assert "<!-- span -->" in answer
    assert "<!-- in fence -->" in answer
    assert "gone" not in answer


def test_unclosed_comment_hides_the_rest_with_warning() -> None:
    deck = parse("## A\n\nx\n\n<!-- oops\n\n## B\n\ny\n")
    assert paths(deck) == [("A",)]
    assert deck.cards[0].answer == "x"
    assert (5, "unclosed HTML comment") in deck.warnings


# --------------------------------------------------------------------------
# Frontmatter


def test_frontmatter_fields() -> None:
    deck = parse("---\ndeck: Mine\ntags: [a, b]\ntime_limit: 90\nother: 1\n---\n## Q\n\nA\n")
    assert (deck.name, deck.tags, deck.time_limit) == ("Mine", ["a", "b"], 90)


def test_frontmatter_keeps_file_line_numbers() -> None:
    deck = parse("---\ndeck: Mine\n---\n\n## Q\n\nA\n")
    assert deck.cards[0].line == 5


@pytest.mark.parametrize(
    ("value", "tags"),
    [
        ("solo", ["solo"]),
        ("a, b ,c,,", ["a", "b", "c"]),
        ("[x, y, x]", ["x", "y"]),
        ("[2024, go]", ["2024", "go"]),
        ("", []),
    ],
)
def test_frontmatter_tags_forms(value: str, tags: list[str]) -> None:
    assert parse(f"---\ntags: {value}\n---\n").tags == tags


def test_frontmatter_time_limit_float_is_rounded() -> None:
    assert parse("---\ntime_limit: 44.6\n---\n").time_limit == 45


def test_frontmatter_non_string_deck_is_converted() -> None:
    assert parse("---\ndeck: 2024\n---\n").name == "2024"


def test_frontmatter_empty_is_fine() -> None:
    deck = parse("---\n---\n## Q\n\nA\n")
    assert deck.name == "notes" and paths(deck) == [("Q",)]


def test_leading_rule_without_closing_fence_is_not_frontmatter() -> None:
    deck = parse("---\n\n## Q\n\nA\n")
    assert paths(deck) == [("Q",)]


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("---\ndeck: x\ntime_limit: soon\n---\n", 3, "time_limit"),
        ("---\ntime_limit: 0\n---\n", 2, "time_limit"),
        ("---\ntime_limit: -5\n---\n", 2, "time_limit"),
        ("---\ntime_limit: true\n---\n", 2, "time_limit"),
        ("---\ntime_limit: 0.2\n---\n", 2, "time_limit"),
        ("---\n\ntime_limit: [1]\n---\n", 3, "time_limit"),
        ("---\ndeck: [a, b]\n---\n", 2, "deck"),
        ("---\ndeck: x\ntags: {a: 1}\n---\n", 3, "tags"),
        ("---\ntags: [[nested]]\n---\n", 2, "tags"),
    ],
)
def test_frontmatter_bad_field_types(text: str, line: int, field: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.line == line
    assert info.value.reason.startswith("invalid frontmatter:")
    assert field in info.value.reason


def test_frontmatter_invalid_yaml_reports_file_line() -> None:
    with pytest.raises(ParseError) as info:
        parse("---\ndeck: ok\ntags: a: b\n---\n## Q\n\nA\n")
    assert info.value.line == 3
    assert info.value.reason.startswith("invalid frontmatter: ")
    assert "\n" not in info.value.reason


def test_frontmatter_not_a_mapping() -> None:
    with pytest.raises(ParseError) as info:
        parse("---\n- a\n- b\n---\n")
    assert info.value.line == 2
    assert "mapping" in info.value.reason


# --------------------------------------------------------------------------
# Terminal safety


def test_escape_sequences_removed_from_every_string() -> None:
    osc = "\x1b]0;pwned\x07"
    text = (
        f"---\ntags: [ok]\n---\n# Deck{osc}\n\nAbout{osc} it\x1b[2J\n\n"
        f"## Q{osc}uestion\n\nAn\x9b2J{osc}swer\rhere\n"
    )
    deck = parse(text)
    assert deck.name == "Deck"
    assert deck.description == "About it"
    assert paths(deck) == [("Question",)]
    assert deck.cards[0].answer == "Answer\nhere"  # a lone CR is a line ending


def test_heading_of_only_escapes_is_untitled() -> None:
    deck = parse("## \x1b[2J\n\nx\n")
    assert paths(deck) == [(UNTITLED,)]


# --------------------------------------------------------------------------
# Fixtures


def test_resume_fixture() -> None:
    deck = parse_file(FIXTURES / "resume.md")
    assert deck.name == "Resume of Mara Quill"
    assert deck.warnings == []
    assert len(deck.cards) == 6
    top = [c.path for c in deck.cards if len(c.path) == 1]
    assert top == [("Summary",), ("Employment",)]
    assert [(line, name, why) for line, name, why in deck.skipped] == [
        (9, "Location", "contact details"),
        (13, "Contact", "contact details"),
        (17, "Links", "contact details"),
    ]
    projects = [c.path[1] for c in deck.cards if c.path[0] == "Projects"]
    assert projects == [
        "Connection pooler rewrite",
        "SOAP bridge",
        "Mutual TLS allow-list",
        "Change-data-capture tool",
    ]  # "Pager sidecar" has no body
    assert "#### Lessons" in card(deck, "Projects", "Change-data-capture tool").answer
    assert "   - listed:" in card(deck, "Projects", "Mutual TLS allow-list").answer


def test_stories_fixture() -> None:
    deck = parse_file(FIXTURES / "stories.md")
    assert deck.name == "stories"
    assert deck.warnings == []
    assert len(deck.cards) == 7
    ci = card(deck, "Manager Round", "Current work", "Moving builds to a hosted CI service")
    assert ci.line == 19
    assert ci.answer.startswith("- **Situation**:")
    assert "#### Results" in ci.answer and "#### Challenges" in ci.answer
    assert ci.answer.endswith("- Staff turnover during the project")
    assert card(deck, "Manager Round", "A mistake").answer.startswith("- **Situation**")
    assert ("Manager Round", "Growth areas", "People skills") in paths(deck)


def _write_tricky(tmp_path: Path) -> Path:
    text = (FIXTURES / "tricky.md").read_text(encoding="utf-8")
    text = text.replace("{OSC}", "\x1b]0;pwned\x07")
    path = tmp_path / "tricky.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_tricky_fixture(tmp_path: Path) -> None:
    path = _write_tricky(tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    deck = parse_file(path)
    assert deck.name == "Tricky Parsing"
    assert deck.tags == ["parser", "edge-cases"]
    assert deck.time_limit == 45
    assert deck.warnings == []
    assert deck.description.startswith("This deck exercises the parser.")
    assert [(c.path, c.line) for c in deck.cards] == [
        (("Fenced code",), 13),
        (("Closing hashes",), 21),
        (("Escape sequence",), 33),
        (("code and a link in a heading",), 37),
    ]
    assert "# not a heading" in deck.cards[0].answer
    assert "##NoSpace" in deck.cards[1].answer
    assert "Hidden" not in " ".join(c.answer for c in deck.cards)
    for c in deck.cards:
        assert not _CONTROL.search(c.answer + c.question)
    assert deck.cards[2].answer == "Answer text with a title change hidden in it."


# --------------------------------------------------------------------------
# parse_file errors and encodings


def test_crlf_and_cr_line_endings(tmp_path: Path) -> None:
    for newline in ("\r\n", "\r"):
        path = tmp_path / "x.md"
        path.write_bytes(newline.join(["# T", "", "## Q", "", "line 1", "line 2", ""]).encode())
        deck = parse_file(path)
        assert deck.cards[0].answer == "line 1\nline 2"
        assert deck.cards[0].line == 3


def test_parse_file_uses_file_name_for_fallback(tmp_path: Path) -> None:
    path = tmp_path / "my.notes.markdown"
    path.write_text("## Q\n\nA\n", encoding="utf-8")
    assert parse_file(str(path)).name == "my.notes"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"# T\n\nok\n\x00\x01\x02")
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.line == 4
    assert info.value.reason.startswith("binary file, not Markdown")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes("# T\n\n## Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.line == 3
    assert info.value.reason == "not valid UTF-8 (byte 0xe9)"


def test_not_utf8_after_bom_reports_right_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"\xef\xbb\xbfok\n\xff")
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert (info.value.line, info.value.reason) == (2, "not valid UTF-8 (byte 0xff)")


def test_invalid_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"---\r\ndeck: [unclosed\r\n---\r\n## Q\r\n\r\nA\r\n")
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.reason.startswith("invalid frontmatter: ")
    assert 2 <= info.value.line <= 3


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        parse_file(tmp_path / "nope.md")
    assert info.value.line == 1
    assert info.value.reason.startswith("cannot read: ")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        parse_file(tmp_path)
    assert info.value.reason.startswith("cannot read: ")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything"
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("## Q\n\nA\n", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(ParseError) as info:
            parse_file(path)
    finally:
        path.chmod(0o644)
    assert info.value.line == 1
    assert info.value.reason == "cannot read: Permission denied"


def test_permission_error_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same check as above, but works as root too."""

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    (tmp_path / "x.md").write_text("## Q\n\nA\n", encoding="utf-8")
    monkeypatch.setattr("os.open", deny)  # read_source opens with os.open (O_NONBLOCK)
    with pytest.raises(ParseError) as info:
        parse_file(tmp_path / "x.md")
    assert (info.value.line, info.value.reason) == (1, "cannot read: Permission denied")


# --------------------------------------------------------------------------
# Bundled decks and real-world seeds


def test_bundled_decks_parse_cleanly() -> None:
    files = sorted(DECKS.glob("*.md"))
    assert len(files) >= 2
    for path in files:
        deck = parse_file(path)
        assert len(deck.cards) > 0, path.name
        assert deck.warnings == [], (path.name, deck.warnings)


def test_bundled_deck_details() -> None:
    stories = parse_file(DECKS / "behavioural-stories.md")
    assert stories.name == "Behavioural Stories"
    assert stories.tags == ["interview", "star"]
    assert stories.time_limit == 120
    assert all(len(c.path) == 2 for c in stories.cards)
    assert parse_file(DECKS / "resume-projects.md").cards[-1].path[0] == "Projects"


def _seed(name: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not available")
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def test_seed_resume() -> None:
    deck = parse_file(_seed("000_0ca97665b76da97b.txt"))
    assert deck.name == "My Resume"
    assert len(deck.cards) == 31
    # Contact details are skipped and named; the introduction ("tell me about yourself") stays.
    assert [c.path for c in deck.cards if len(c.path) == 1] == [("Introduction",), ("Education",), ("Career",)]
    assert [(name, why) for _, name, why in deck.skipped] == [
        ("Location", "contact details"),
        ("Email", "contact details"),
        ("Links", "contact details"),
    ]
    assert sum(1 for c in deck.cards if c.path[0] == "Projects") == 28
    assert max(len(c.answer) for c in deck.cards) < 4000
    assert deck.warnings == [] and deck.mode == "headings"


def test_seed_interview_notes() -> None:
    deck = parse_file(_seed("001_9a66287d588f63d7.txt"))
    assert deck.name == "001_9a66287d588f63d7"
    assert len(deck.cards) == 10
    migration = [c for c in deck.cards if c.path[:2] == ("Hiring Manager", "Current Project(s)")]
    assert len(migration) == 1
    assert "#### Results" in migration[0].answer
    assert "#### Challenges" in migration[0].answer
    assert "stackedit" not in deck.cards[-1].answer


# --------------------------------------------------------------------------
# Robustness

_PIECES = st.sampled_from(
    [
        "# ", "## ", "### ", "#### ", "#", "\n", "\n\n", "---", "===", "```", "~~~",
        "<!--", "-->", "- ", "* ", "1. ", "> ", "    ", "`", "**", "_", "[a](b)",
        "text", "Q", "\x1b]0;x\x07", "\x1b[2J", "\x9b", "\r", "\r\n", "\x00", "\t",
        "deck: x", "tags: [a", "time_limit: 5", ":", "罗", "›", "\ufeff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_parse_text_never_raises_other_errors_and_output_is_clean(text: str) -> None:
    try:
        deck = parse(text)
    except ParseError as exc:
        assert exc.line >= 1
        assert exc.reason.startswith("invalid frontmatter: "), exc.reason
        assert "\n" not in exc.reason
        return
    strings = [deck.name, deck.description, *deck.tags]
    for c in deck.cards:
        strings += [*c.path, c.answer]
        assert c.line >= 1 and c.path and all(c.path)
    for s in strings:
        assert not _CONTROL.search(s), repr(s)
    assert deck.name
    if not deck.cards:
        assert any(w[0] == 1 and w[1].startswith("no cards found: ") for w in deck.warnings)
    assert len({c.path for c in deck.cards}) == len(deck.cards)


def test_empty_title_falls_back_to_file_stem() -> None:
    deck = parse("#\n\n## Q\n\nA\n")
    assert deck.name == "notes"
    assert paths(deck) == [("Q",)]
    assert deck.warnings == [(1, "empty heading")]


def test_answer_lines_made_blank_by_cleaning_are_trimmed() -> None:
    deck = parse("## Q\n\n  \x1b[2J  \nAnswer\n\x07\n")
    assert deck.cards[0].answer == "Answer"
