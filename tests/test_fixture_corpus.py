"""The real-world corpus (tests/fixtures/realworld/): every shape from issue 11, with the
exact cards each file must give, and the seed documents across an upgrade of the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from drill.library.importer import import_paths
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.parse.markdown import parse_file

CORPUS = Path(__file__).resolve().parent / "fixtures" / "realworld"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: file -> (deck name, mode, skipped (name, reason), cards (line, origin, kind, question))
EXPECTED = {
    "answers-with-media.md": (
        'Data structures', 'mixed (2 heading, 2 explicit)', [],
        [
            (3, 'heading', 'basic', 'How does a B-tree keep lookups shallow?'),
            (16, 'heading', 'basic', 'What is the amortised cost of appending to a dynamic array?'),
            (30, 'explicit', 'cloze', '[…] needs a sorted array and runs in […] time.'),
            (30, 'explicit', 'cloze', 'Binary search needs a [property…] array and runs in logarithmic time.'),
        ],
    ),
    "details-stories.md": (
        'Behavioural stories', 'details', [],
        [
            (7, 'details', 'basic', 'Conflict › Tell me about a time you disagreed with a senior engineer'),
            (17, 'details', 'basic', 'Conflict › Describe a conflict inside your own team'),
            (25, 'details', 'basic', 'Failure › What is a mistake you learned from?'),
        ],
    ),
    "docusaurus-page.md": (
        'Promises in JavaScript', 'headings', [('JSX components', 'JSX components'), ('MDX import lines', 'MDX import lines')],
        [
            (11, 'heading', 'basic', 'What states can a promise be in?'),
            (16, 'heading', 'basic', 'How do you run promises in parallel?'),
            (31, 'heading', 'basic', 'Why is an unhandled rejection a problem?'),
        ],
    ),
    "github-readme.md": (
        'Queue Notes', 'headings', [('Table of Contents', 'table of contents'), ('Further reading', 'links only'), ('Contributing', 'contributing'), ('License', 'licence')],
        [
            (23, 'heading', 'basic', 'Delivery guarantees'),
            (28, 'heading', 'basic', 'Back-pressure'),
            (33, 'heading', 'basic', 'Ordering'),
        ],
    ),
    "hashcards-deck.md": (
        'Geography drills', 'explicit', [],
        [
            (5, 'explicit', 'basic', 'Which river is shown here?\n\n![A long river crossing a desert](images/river.jpg)'),
            (11, 'explicit', 'basic', 'What does this snippet print?\n\n```python\nprint(sorted({3, 1, 2}))\n```'),
            (19, 'explicit', 'cloze', '[…] is the capital of Australia.'),
            (19, 'explicit', 'cloze', 'Canberra is the capital of […].'),
            (21, 'explicit', 'cloze', 'The longest mountain range on land is the […].'),
            (23, 'explicit', 'basic', 'Which ocean is the largest?'),
        ],
    ),
    "list-headings.md": (
        'JavaScript interview questions', 'headings', [],
        [
            (3, 'heading', 'basic', 'What is a closure?'),
            (8, 'heading', 'basic', 'What does this refer to in an arrow function?'),
            (12, 'heading', 'basic', 'What is event delegation?'),
        ],
    ),
    "obsidian-note.md": (
        'TCP basics', 'explicit', [],
        [
            (8, 'explicit', 'basic', 'What does the three-way handshake establish?'),
            (15, 'explicit', 'basic', 'Maximum segment lifetime'),
            (15, 'explicit', 'basic', 'How long a segment may survive in the network'),
            (19, 'explicit', 'cloze', 'The […] state lasts twice the maximum segment lifetime.'),
            (21, 'explicit', 'basic', 'Well-known ports'),
            (23, 'explicit', 'basic', '- SYN\n- SYN-ACK\n- ACK'),
        ],
    ),
    "systems-prose.md": (
        'Systems languages', 'mixed (4 heading, 2 explicit)', [],
        [
            (3, 'heading', 'basic', 'C++ containers'),
            (9, 'heading', 'basic', 'Rust constructors'),
            (14, 'heading', 'basic', 'Networking'),
            (18, 'heading', 'basic', 'Haskell signatures'),
            (25, 'explicit', 'basic', "What does RAII tie a resource's lifetime to?"),
            (28, 'explicit', 'basic', 'Ownership'),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_gives_exactly_its_cards(name):
    deck = parse_file(CORPUS / name)
    want_name, mode, skipped, cards = EXPECTED[name]
    assert deck.name == want_name
    assert deck.mode == mode
    assert [(n, why) for _, n, why in deck.skipped] == skipped
    assert [(c.line, c.origin, c.kind, c.question) for c in deck.cards] == cards
    assert deck.warnings == []


def test_corpus_answers():
    by = {name: {c.question: c for c in parse_file(CORPUS / name).cards} for name in EXPECTED}
    readme = by["github-readme.md"]
    assert readme["Ordering"].answer == "A single partition keeps order; across partitions only a key keeps its own order."
    docs = by["docusaurus-page.md"]
    assert docs["How do you run promises in parallel?"].answer == (
        "`Promise.all` waits for every promise and fails fast on the first rejection.\n\n"
        "`Promise.allSettled` waits for all of them and reports each outcome."
    )
    stories = by["details-stories.md"]
    assert stories["Conflict › Describe a conflict inside your own team"].answer == (
        "Two people wanted to own the same release tooling. I split it into a build half\n"
        "and a deploy half, with **one owner each**."
    )
    assert stories["Failure › What is a mistake you learned from?"].answer.startswith("I copied a network config")
    lists = by["list-headings.md"]
    assert lists["What is event delegation?"].answer == (
        "One listener on a parent handles events from many children, using\n`event.target` to tell them apart."
    )
    prose = by["systems-prose.md"]
    assert "std::map<K, V> keeps its keys" in prose["C++ containers"].answer
    assert prose["Ownership"].answer == "each value in Rust has exactly one owner at a time"
    note = by["obsidian-note.md"]
    assert note["What does the three-way handshake establish?"].answer == (
        "Both sides agree on initial sequence numbers and know the other can hear them."
    )
    assert note["Well-known ports"].tags == ("flashcards/networking/ports",)
    assert note["Well-known ports"].answer == "0 to 1023"
    hashcards = by["hashcards-deck.md"]
    assert hashcards["Which ocean is the largest?"].answer == (
        "The Pacific.\n\nMore detail: it covers about a third of the planet's surface."
    )
    media = by["answers-with-media.md"]
    btree = media["How does a B-tree keep lookups shallow?"].answer
    assert "| 100           | 3                         |" in btree and "![A B-tree with three levels](img/btree.png)" in btree
    assert "$$\nO(1)\n$$" in media["What is the amortised cost of appending to a dynamic array?"].answer


def test_corpus_deck_tags_and_descriptions():
    note = parse_file(CORPUS / "obsidian-note.md")
    assert note.tags == ["networking", "flashcards/networking"] and note.description == ""
    assert parse_file(CORPUS / "github-readme.md").description == "Notes for system design interviews about message queues."
    assert parse_file(CORPUS / "docusaurus-page.md").description == "A promise stands for a value that is not there yet."


# --------------------------------------------------------------------------- the seeds across an upgrade


def _seed(name: str) -> Path:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def test_seeds_give_31_and_10_cards():
    resume = parse_file(_seed("000_0ca97665b76da97b.txt"))
    notes = parse_file(_seed("001_9a66287d588f63d7.txt"))
    assert (len(resume.cards), len(notes.cards)) == (31, 10)
    assert [n for _, n, _ in resume.skipped] == ["Location", "Email", "Links"]
    assert resume.cards[0].path == ("Introduction",)


def test_upgrading_the_rules_keeps_history_and_says_what_it_archives(store, tmp_path):
    """A store filled by the old rules (which made cards of Location, Email and Links) keeps every
    studied card's history on re-import; the three contact cards are archived, with a warning
    because one of them had been studied."""
    seed = tmp_path / "resume.md"
    seed.write_bytes(_seed("000_0ca97665b76da97b.txt").read_bytes())
    new = parse_file(seed)
    old_cards = list(new.cards) + [
        ParsedCard(path=("Location",), answer="(a city)", line=9),
        ParsedCard(path=("Email",), answer="someone@example.org", line=13),
        ParsedCard(path=("Links",), answer="https://example.org", line=17),
    ]
    source = str(seed.resolve())
    with store.writing():
        store.apply_import(ParsedDeck(name=new.name, cards=old_cards), source)
    studied = {c.path: c.id for c in store.cards() if c.path in {("Introduction",), ("Email",), ("Projects", "pgcat")}}
    for cid in studied.values():
        store.append({"t": "review", "card": cid, "state": {"due": "2030-01-01T00:00:00+00:00", "state": 2}})
    (report,) = import_paths(store, [seed])
    assert (report.cards, report.unchanged, report.archived, report.archived_studied) == (31, 31, 3, 1)
    assert any("1 studied card archived" in w for w in report.warnings)
    store.refresh()
    kept = {c.path: c for c in store.cards()}
    assert kept[("Introduction",)].id == studied[("Introduction",)] and kept[("Introduction",)].state["state"] == 2
    assert kept[("Projects", "pgcat")].state["state"] == 2
    assert store.card(studied[("Email",)]).archived and store.card(studied[("Email",)]).state is not None
