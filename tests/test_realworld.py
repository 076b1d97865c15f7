"""Real-world Markdown: per-section modes, the `::` rule, document shapes, skipped sections,
splits, overrides, hashcards/Obsidian/Anki rules, and what the import report says."""

from __future__ import annotations

import json

import pytest

from drill.cli import main
from drill.library.importer import import_paths
from drill.parse.explicit import REVERSE, inline_separator
from drill.parse.markdown import parse_text


def parse(text: str, name: str = "notes.md", **options):
    return parse_text(text, name, **options)


def questions(deck) -> list[str]:
    return [c.question for c in deck.cards]


# --------------------------------------------------------------------------- 1. per-section modes

GUIDE = """# C++ guide

## Containers

Use std::vector for a growable array and std::list when you splice often.
Vec::new() is the Rust spelling; Foo::Bar names a nested type.

## Quick facts

Q: What does RAII stand for?
A: Resource acquisition is initialisation.

## Memory

The stack is ==fast== and the heap is flexible.
"""


def test_each_section_decides_its_own_mode():
    deck = parse(GUIDE)
    assert questions(deck) == ["Containers", "What does RAII stand for?", "Memory"]
    assert [c.origin for c in deck.cards] == ["heading", "explicit", "heading"]
    assert deck.mode == "mixed (2 heading, 1 explicit)"
    assert deck.mode_counts() == {"heading": 2, "explicit": 1}
    # In a heading section, ==x== is emphasis: the answer keeps it as written.
    assert deck.cards[2].answer == "The stack is ==fast== and the heap is flexible."
    assert deck.warnings == []


@pytest.mark.parametrize(
    "line",
    [
        "Use std::vector for arrays",
        "call Vec::new() first",
        "Vec::new()",
        "a Foo::Bar is nested",
        "Foo::Bar",
        "the loopback is ::1 here",
        "ping fe80::1%eth0 now",
        "listen on [::1]:8080",
        "see a::b",
        "map :: (a -> b) -> [a] -> [b]",
        "- length :: [a] -> Int",
        "x :: Int",
        "std::map<K, V> keeps keys sorted",
        "::answer only",
        "question only::",
        "four:::: colons",
        "`code::span`",
        "{{c1::Paris}} is a city",
    ],
)
def test_code_like_double_colons_are_not_cards(line):
    assert inline_separator(line) is None


@pytest.mark.parametrize(
    ("line", "left"),
    [
        ("Covering index :: an index that holds every column", "Covering index "),
        ("What does RAII mean?::resource handling", "What does RAII mean?"),
        ("Cost of caching (1.2)::memory", "Cost of caching (1.2)"),
        ("Q2:: A2", "Q2"),
        ("What does std::move do? :: casts to an rvalue", "What does std::move do? "),
        ("TCP handshake:::SYN, SYN-ACK, ACK", "TCP handshake"),
    ],
)
def test_spaced_or_punctuated_double_colons_are_cards(line, left):
    at, _width = inline_separator(line)
    assert line[:at] == left


def test_glued_double_colon_is_a_card_when_the_file_or_section_asks_for_explicit_cards():
    assert inline_separator("Idempotent::safe to repeat") is None
    assert inline_separator("Idempotent::safe to repeat", loose=True) == (10, 2)
    assert inline_separator("Vec::new()", loose=True) is None  # still code
    tagged = parse("#flashcards\n\nIdempotent::safe to repeat\n")
    assert [(c.question, c.answer, c.tags) for c in tagged.cards] == [("Idempotent", "safe to repeat", ())]
    forced = parse("---\nformat: explicit\n---\nQ1::A1\n")
    assert questions(forced) == ["Q1"]
    section = parse("## Terms\n\nQ: What is a leader?\nA: The node that orders writes.\n\nQuorum::a majority\n")
    assert questions(section) == ["What is a leader?", "Quorum"]
    prose = parse("## Terms\n\nQuorum::a majority\n")
    assert [c.path for c in prose.cards] == [("Terms",)] and prose.cards[0].origin == "heading"


def test_highlights_are_clozes_only_in_explicit_sections_or_files():
    section = parse("## Facts\n\nQ: Capital of Peru?\nA: Lima.\n\nThe ==Andes== run north to south.\n")
    assert [c.kind for c in section.cards] == ["basic", "cloze"]
    explicit = parse("---\nformat: explicit\n---\n## Facts\n\nThe ==Andes== run north to south.\n")
    assert questions(explicit) == ["The […] run north to south."]
    assert parse("## Facts\n\nThe ==Andes== run north to south.\n").cards[0].kind == "basic"


def test_highlights_do_not_pair_across_lines_or_spaced_markers():
    deck = parse("---\nformat: explicit\n---\nlorem ==p\ndolor won==\n\nan ==x == and ==y== end\n")
    assert questions(deck) == ["an ==x == and […] end"]


def test_a_file_of_explicit_cards_keeps_working_without_headings():
    deck = parse("Q: one?\nA: first\n\nQ: two?\nA: second\n")
    assert deck.mode == "explicit" and questions(deck) == ["one?", "two?"]


# --------------------------------------------------------------------------- import report, archives

def test_import_report_names_the_mode_and_mode_change_archives_loudly(tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("# Deck\n\n## Caching\n\nWrite-through keeps the cache warm.\n\n## Queues\n\nBack-pressure.\n")
    db = tmp_path / "drill.json"
    assert main(["--db", str(db), "import", str(notes)]) == 0
    out = capsys.readouterr().out
    assert "2 cards (2 added, 0 updated, 0 unchanged, 0 archived); headings" in out
    # Study one card, then rewrite the file as explicit cards.
    from drill.store.collection import Store

    store = Store(db)
    card = store.cards()[0]
    store.append({"t": "review", "card": card.id, "state": {"due": "2030-01-01T00:00:00+00:00", "state": 2}})
    store.close()
    notes.write_text("# Deck\n\nQ: What keeps a cache warm?\nA: Write-through.\n")
    assert main(["--db", str(db), "import", str(notes)]) == 0
    captured = capsys.readouterr()
    assert "; explicit" in captured.out
    assert "2 studied card" not in captured.err
    assert "1 studied card archived" in captured.err and "history is kept" in captured.err


def test_dry_run_show_lists_cards_and_skipped_sections(tmp_path, capsys):
    notes = tmp_path / "resume.md"
    notes.write_text(
        "# Resume\n\n## Introduction\n\nI build databases.\n\n## Email\n\nme@example.org\n\n"
        "## Projects\n\n### Pooler\n\nShared connections.\n"
    )
    assert main(["--db", str(tmp_path / "drill.json"), "import", "--dry-run", "--show", str(notes)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("2 cards (2 added, 0 updated, 0 unchanged, 0 archived); headings")
    assert out[1].endswith("resume.md: skipped 1 section: Email (contact details)")
    assert "heading" in out[2] and "18 chars" in out[2] and out[2].endswith("Introduction")
    assert out[3].endswith("Projects › Pooler")
    assert out[-1] == "would import 1 file"


def test_export_json_has_question_answer_kind_deck_source_line(tmp_path, capsys):
    notes = tmp_path / "n.md"
    notes.write_text("## Quorum\n\nA majority of nodes.\n\nC: A [leader] orders writes.\n")
    db = str(tmp_path / "drill.json")
    main(["--db", db, "import", str(notes)])
    capsys.readouterr()
    assert main(["--db", db, "export", "--format", "json"]) == 0
    cards = json.loads(capsys.readouterr().out)["cards"]
    assert [(c["question"], c["answer"], c["kind"], c["deck"], c["line"]) for c in cards] == [
        ("A […] orders writes.", "A **leader** orders writes.", "cloze", "n", 5),
    ]
    assert cards[0]["source"] == str(notes.resolve())


# --------------------------------------------------------------------------- 2. document shapes

README = """<p align="center"><img src="logo.png" alt="logo"></p>

[![build](https://img.example/b.svg)](https://ci.example) [![pypi](https://img.example/p.svg)](https://pypi.example)

English | [中文](README.zh.md) | [Español](README.es.md)

# Awesome Interviews

<img src="banner.png">

## What is a closure?

A function together with the variables it captured.
"""


def test_title_found_below_badges_logo_and_language_bar():
    deck = parse(README, "README.md")
    assert deck.name == "Awesome Interviews"
    assert questions(deck) == ["What is a closure?"]


def test_html_h1_and_frontmatter_title_name_the_deck():
    html = parse('<h1 align="center">System Design</h1>\n\n## Caching\n\nKeep hot data close.\n', "README.md")
    assert html.name == "System Design" and questions(html) == ["Caching"]
    docusaurus = parse("---\ntitle: Promises\nsidebar_position: 2\n---\n\n## States\n\nPending, fulfilled, rejected.\n", "p.md")
    assert docusaurus.name == "Promises"
    assert parse("---\ndeck: Wins\ntitle: Promises\n---\n## A\n\nb\n").name == "Wins"


def test_a_logo_under_the_h1_does_not_make_the_document_one_card():
    deck = parse("# Guide\n\n<p align=\"center\"><img src=\"x.png\"></p>\n\n## One\n\nfirst\n\n## Two\n\nsecond\n")
    assert questions(deck) == ["One", "Two"]
    nested = parse("## Topic\n\n<img src=\"x.png\">\n\n### Sub\n\nbody\n")
    assert [c.path for c in nested.cards] == [("Topic", "Sub")]


DETAILS = """# Behavioural

## Stories

<details>
<summary>Tell me about a conflict</summary>

- **Situation**: two teams owned one queue
- **Result**: one owner, fewer pages

</details>

<details><summary>Your biggest failure?</summary><p>A migration with <b>no rollback</b>.</p></details>
"""


def test_details_blocks_are_one_card_each():
    deck = parse(DETAILS)
    assert [(c.path, c.origin) for c in deck.cards] == [
        (("Stories", "Tell me about a conflict"), "details"),
        (("Stories", "Your biggest failure?"), "details"),
    ]
    assert deck.cards[0].answer == "- **Situation**: two teams owned one queue\n- **Result**: one owner, fewer pages"
    assert deck.cards[1].answer == "A migration with **no rollback**."
    assert deck.mode == "details"


def test_headings_inside_list_items_are_cards():
    deck = parse("## JavaScript\n\n1. ### What is a closure?\n   A function plus its scope.\n2. ### What is hoisting?\n   Declarations move up.\n")
    assert [(c.path, c.answer) for c in deck.cards] == [
        (("JavaScript", "What is a closure?"), "A function plus its scope."),
        (("JavaScript", "What is hoisting?"), "Declarations move up."),
    ]


def test_same_deck_name_in_two_folders_is_two_decks_and_keeps_history(store, tmp_path):
    root = tmp_path / "notes"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "README.md").write_text("# Algorithms\n\n## Sorting\n\nMerge sort is stable.\n")
    (root / "b" / "README.md").write_text("# Algorithms\n\n## Sorting\n\nQuicksort is in place.\n")
    reports = import_paths(store, [root])
    assert sorted(r.deck for r in reports) == ["Algorithms", "Algorithms (b)"]
    store.refresh()
    assert sorted(d.name for d in store.decks()) == ["Algorithms", "Algorithms (b)"]
    ids = {c.deck: c.id for c in store.cards()}
    (root / "b" / "README.md").write_text("# Algorithms\n\n## Sorting\n\nQuicksort sorts in place.\n")
    again = import_paths(store, [root])
    assert sorted((r.deck, r.archived) for r in again) == [("Algorithms", 0), ("Algorithms (b)", 0)]
    store.refresh()
    assert {c.deck: c.id for c in store.cards()} == ids


# --------------------------------------------------------------------------- 3. giant cards, non-cards, overrides

def _guide(sections: int, size: int) -> str:
    parts = ["# Guide", "", "## Everything", "", "Intro paragraph.", ""]
    for n in range(sections):
        parts += [f"### Part {n}", "", ("word " * (size // 5)).strip(), ""]
    return "\n".join(parts)


def test_long_sections_split_at_their_sub_headings():
    deck = parse(_guide(4, 1500))
    assert [c.path for c in deck.cards] == [("Everything",)] + [("Everything", f"Part {n}") for n in range(4)]
    assert deck.cards[0].answer == "Intro paragraph."
    assert deck.notices and "split at its 4 sub-headings" in deck.notices[0][1]
    whole = parse(_guide(4, 1500), max_answer_chars=10_000)
    assert [c.path for c in whole.cards] == [("Everything",)]


def test_a_card_still_too_long_is_imported_with_a_warning():
    deck = parse("## Wall\n\n" + "x" * 5000 + "\n")
    assert [c.path for c in deck.cards] == [("Wall",)]
    assert deck.warnings == [(1, "'Wall' is 5,000 characters, over max_answer_chars (4,000), with no sub-headings to split at")]


@pytest.mark.parametrize(
    ("section", "reason"),
    [
        ("## Table of Contents\n\n- [One](#one)\n- [Two](#two)\n", "table of contents"),
        ("## Useful\n\n- [Docs](https://d.example)\n- <https://w.example>\n", "links only"),
        ("## License\n\nMIT, see LICENSE.\n", "licence"),
        ("## Contributing\n\nPull requests welcome.\n", "contributing"),
        ("## Phone\n\n+351 912 345 678\n", "contact details"),
        ("## Reach me\n\nmara@example.org · https://example.org\n", "contact details"),
    ],
)
def test_sections_that_are_not_rehearsal_material_are_skipped_and_named(section, reason):
    deck = parse("# Notes\n\n## Real\n\nSomething to learn.\n\n" + section)
    assert questions(deck) == ["Real"]
    assert [why for _, _, why in deck.skipped] == [reason]


def test_mdx_imports_and_jsx_components_are_not_answers():
    deck = parse(
        "---\ntitle: Tabs\n---\nimport Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n"
        "## Install\n\n<Tabs>\n<TabItem value=\"npm\">\n\nRun the installer.\n\n</TabItem>\n</Tabs>\n"
    )
    assert [(c.path, c.answer) for c in deck.cards] == [(("Install",), "Run the installer.")]
    assert deck.description == ""
    assert {name for _, name, _ in deck.skipped} == {"MDX import lines", "JSX components"}


def test_overrides_in_html_comments():
    deck = parse(
        "## Links\n<!-- drill: card -->\n\n- https://example.org\n\n"
        "## Scratch\n\n<!-- drill: skip -->\nhalf-written thoughts\n\n"
        "## Weaknesses\n<!-- drill: question \"What's your biggest weakness?\" -->\n\nI over-prepare.\n"
    )
    assert [(c.path, c.question) for c in deck.cards] == [
        (("Links",), "Links"),
        (("Weaknesses",), "What's your biggest weakness?"),
    ]
    assert deck.skipped == [(6, "Scratch", "drill: skip")]


# --------------------------------------------------------------------------- 4. peers' syntaxes

def test_obsidian_rules():
    deck = parse(
        "#flashcards/networking\n\n"
        "What does TCP guarantee?\n?\nOrdered, reliable bytes. ^a1b2c3\n\nProse after a blank line is not the answer.\n\n"
        "Latency\n??\nThe time one request takes\n\n"
        "- first point\n- second point\n?\nA list question keeps its lines.\n<!--SR:!2024-01-01,3,250-->\n"
    )
    cards = {c.question: c for c in deck.cards}
    tcp = cards["What does TCP guarantee?"]
    assert tcp.answer == "Ordered, reliable bytes."
    assert cards["Latency"].answer == "The time one request takes"
    assert cards["The time one request takes"].path == ("The time one request takes", REVERSE)
    assert cards["- first point\n- second point"].answer == "A list question keeps its lines."
    assert all(c.tags == () for c in deck.cards)
    tagged = parse("#flashcards/net Ports::numbered endpoints\n")
    assert [(c.question, c.tags) for c in tagged.cards] == [("Ports", ("flashcards/net",))]


def test_hashcards_rules():
    deck = parse(
        '+++\nname = "Geography"\n+++\n\nQ: Which river is this?\n\n![river](nile.png)\n\n```\nlength: 6650 km\n```\nA: The Nile.\n\n'
        "C: [Lima] is in [Peru].\n"
    )
    assert deck.name == "Geography"
    nile = deck.cards[0]
    assert nile.path == ("Which river is this? ![river](nile.png) ``` length: 6650 km ```",)
    assert "```\nlength: 6650 km\n```" in nile.question
    assert [c.question for c in deck.cards[1:]] == ["[…] is in Peru.", "Lima is in […]."]
    toml_dashes = parse('---\nname = "Rivers"\n---\nQ: Longest?\nA: Nile\n')
    assert toml_dashes.name == "Rivers" and questions(toml_dashes) == ["Longest?"]


def test_anki_cloze_numbers_and_hints():
    deck = parse("{{c1::Lima}} is the capital of {{c2::Peru::country}}; {{c1::Quito}} is Ecuador's.\n")
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("[…] is the capital of Peru; […] is Ecuador's.", "**Lima** is the capital of Peru; **Quito** is Ecuador's."),
        ("Lima is the capital of [country…]; Quito is Ecuador's.", "Lima is the capital of **Peru**; Quito is Ecuador's."),
    ]


def test_paragraph_above_a_rule_is_part_of_the_answer():
    deck = parse("Q: Why sort?\nA: To search fast.\n\nAnd to merge.\n---\nQ: Next?\nA: Yes.\n")
    assert [(c.question, c.answer) for c in deck.cards] == [("Why sort?", "To search fast.\n\nAnd to merge."), ("Next?", "Yes.")]


# --------------------------------------------------------------------------- 5. images and links

def test_images_embeds_and_wikilinks_render_as_readable_text():
    from drill.parse.readable import readable_parser

    md = readable_parser()
    tokens = md.parse("See ![Flow diagram](img/flow.png) and ![](raw.png).\n\n![[whiteboard.png]] in [[Consensus#Raft|Raft]], [[Consensus#Paxos]] and `[[code]]`.\n")
    texts = ["".join(c.content for c in t.children) for t in tokens if t.type == "inline"]
    assert texts == [
        "See 🖼 Flow diagram (img/flow.png) and 🖼 raw.png.",
        "🖼 whiteboard.png in Raft, Consensus › Paxos and [[code]].",
    ]


async def test_the_answer_widget_shows_the_image_address(tmp_path):
    from textual.app import App, ComposeResult

    from drill.ui.widgets.card_text import AnswerMarkdown

    class One(App):
        def compose(self) -> ComposeResult:
            yield AnswerMarkdown(id="a")

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.query_one(AnswerMarkdown).show("A diagram: ![Flow diagram](img/flow.png)")
        await pilot.pause()
        screen = app.export_screenshot()
        assert "flow.png" in screen and "Flow" in screen


def test_two_c_lines_are_two_cards_and_one_c_line_with_two_brackets_is_two_cards():
    assert questions(parse("C: [foo] is here\nC: and [bar] too\n")) == ["[…] is here", "and […] too"]
    assert questions(parse("C: [foo] and [bar]\n")) == ["[…] and bar", "foo and […]"]


def test_tagged_note_title_below_its_tag_line():
    deck = parse("#flashcards/net\n\n# Networking\n\nPort 22::SSH\n")
    assert deck.name == "Networking" and deck.tags == ["flashcards/net"] and questions(deck) == ["Port 22"]


def test_same_title_in_one_folder_is_two_decks_but_a_shared_deck_key_merges(store, tmp_path):
    notes = tmp_path / "n"
    notes.mkdir()
    (notes / "algo.md").write_text("# Algorithms\n\n## Heaps\n\nA heap keeps its minimum on top.\n")
    (notes / "algo2.md").write_text("# Algorithms\n\n## Tries\n\nA trie shares prefixes.\n")
    (notes / "a.md").write_text("---\ndeck: Shared\n---\n## One\n\nfirst\n")
    (notes / "b.md").write_text("---\ndeck: Shared\n---\n## Two\n\nsecond\n")
    reports = import_paths(store, [notes])
    assert sorted(r.deck for r in reports) == ["Algorithms", "Algorithms (algo2)", "Shared", "Shared"]
    again = import_paths(store, [notes])
    assert sorted((r.deck, r.unchanged, r.archived) for r in again) == [
        ("Algorithms", 1, 0), ("Algorithms (algo2)", 1, 0), ("Shared", 1, 0), ("Shared", 1, 0),
    ]


def test_html_title_at_the_top_names_the_deck_even_with_markdown_h1_sections():
    deck = parse('<h1 align="center">Queue Lab</h1>\n\n# Install\n\nRun the script.\n\n# Use\n\nSend a message.\n', "README.md")
    assert deck.name == "Queue Lab"
    assert [c.path for c in deck.cards] == [("Install",), ("Use",)]


@pytest.mark.parametrize(
    "text",
    [
        "{{c1::" * 20000,
        "{{c1::a" + "::a" * 20000,
        "a::" * 30000,
        "f :: " + "a -> " * 20000,
        ("word " * 100000) + "\n\n# T\n\n## A\n\nb\n",
    ],
)
def test_card_syntax_scans_stay_linear_on_hostile_lines(text):
    """Regression: before the fix the first case ran for 46 s. No timed assertion (speed is for
    bench/); a quadratic scan here would show as a slow suite."""
    deck = parse(text)
    assert isinstance(deck.cards, list)


def test_docusaurus_admonitions_read_as_a_labelled_paragraph():
    from drill.parse.readable import readable_parser

    tokens = readable_parser().parse(":::tip\nAlways attach a catch handler.\n:::\n\n:::warning Mind the gap\n\nBody.\n\n:::\n\nx ::: y\n")
    inline = [t for t in tokens if t.type == "inline"]
    rendered = ["".join(c.content if c.type != "softbreak" else "\n" for c in t.children) for t in inline]
    assert rendered == ["Tip:\nAlways attach a catch handler.", "Warning: Mind the gap", "Body.", "", "x ::: y"]
    assert "strong_open" in [c.type for c in inline[0].children]


def test_dry_run_show_puts_each_files_warnings_with_its_cards(tmp_path, capsys):
    notes = tmp_path / "wall.md"
    notes.write_text("## Wall\n\n" + "y" * 4100 + "\n")
    assert main(["--db", str(tmp_path / "drill.json"), "import", "--dry-run", "--show", str(notes)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[1].endswith("Wall") and "4,100 chars" in lines[1]
    assert lines[2].startswith("  warning: ") and "over max_answer_chars" in lines[2]
    assert "over max_answer_chars" not in captured.err
