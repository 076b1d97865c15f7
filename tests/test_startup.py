"""Start-up and review-path work that must not grow with the store (see bench/run.py).

The due queue and deck counts are built from raw dicts; these tests pin that the
fast path gives exactly what the plain StoredCard path gave, and that `drill
review` paints its first question before building the home screen.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpers import FakeClock, run_python

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.schedule import LEARNING, REVIEW, iso
from drill.study.session import ReviewSession, deck_counts, is_buried, is_due

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def _mixed_store(tmp_path: Path) -> Store:
    """Three decks (one name differing only in case), cards in every condition the queue cares about."""
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for d, name in enumerate(["beta", "Alpha", "gamma"]):
            cards = [ParsedCard((f"{name} card {i}",), f"answer {i}", line=40 - 3 * i) for i in range(12)]
            store.apply_import(ParsedDeck(name, cards=cards), f"/notes/{d}.md")
        raw = store._raw_cards()
        for n, (key, doc) in enumerate(sorted(raw.items(), key=lambda kv: int(kv[0]))):
            kind = n % 6
            due = iso(NOW + timedelta(hours=(n * 7) % 50 - 25))
            if kind in (1, 2):
                doc["state"] = {"state": REVIEW, "due": due, "last_review": iso(NOW - timedelta(days=3)), "reps": 2, "lapses": 0}
            elif kind == 3:
                doc["state"] = {"state": LEARNING, "due": due, "last_review": iso(NOW), "reps": 1, "lapses": 0}
            elif kind == 4:
                doc["buried_until"] = iso(NOW + timedelta(hours=(n % 3) - 1))
            elif kind == 5 and n % 4 == 1:
                doc["suspended"] = True
            if n % 11 == 0:
                doc["archived"] = True
    return store


def _slow_queue(store: Store, decks, new_left: int, reviews_left: int):
    """The queue as it was built before the raw-dict fast path (StoredCard for every card)."""
    now_iso = iso(NOW)
    due, new, learning = [], [], []
    for card in store.cards(decks):
        if is_buried(card, now_iso) or card.suspended:
            continue
        if card.state is None:
            new.append(card)
        elif card.state["state"] in (1, 3):
            learning.append(card)
        elif is_due(card, now_iso):
            due.append(card)
    due.sort(key=lambda c: c.state["due"])
    return due[:reviews_left], new[:new_left], sorted(learning, key=lambda c: c.state["due"])


def test_fast_queue_matches_the_plain_one(tmp_path):
    store = _mixed_store(tmp_path)
    for decks in (None, ["gamma", "Alpha"], ["beta"]):
        for new_limit in (0, 3, 100):
            session = ReviewSession(store, decks=decks, clock=FakeClock(NOW), new_limit=new_limit)
            due, new, learning = _slow_queue(store, decks, new_limit, 200)
            assert session.learning == learning
            assert [c for c in session.queue if c.is_new] == new
            assert [c for c in session.queue if not c.is_new] == due
            assert len(session.queue) == len(due) + len(new)


def test_fast_deck_counts_and_next_due_match_the_plain_ones(tmp_path):
    store = _mixed_store(tmp_path)
    now_iso = iso(NOW)
    counts = {c.name: c for c in deck_counts(store, NOW)}
    for deck in store.decks():
        cards = store.cards([deck.name])
        live = [c for c in cards if not is_buried(c, now_iso) and not c.suspended]
        assert counts[deck.name].total == len(cards)
        assert counts[deck.name].new == min(20, sum(1 for c in live if c.state is None))
        assert counts[deck.name].due == sum(1 for c in live if c.state is not None and is_due(c, now_iso))
    session = ReviewSession(store, clock=FakeClock(NOW))
    later = [c.state["due"] for c in store.cards() if c.state and c.state["due"] > now_iso and not c.suspended]
    assert iso(session.next_due()) == min(later)


def test_store_deck_lookup_is_case_insensitive_and_skips_archived(tmp_path):
    store = _mixed_store(tmp_path)
    assert store.deck("ALPHA").name == "Alpha"
    assert store.deck("alpha") == next(d for d in store.decks() if d.name == "Alpha")
    assert store.deck("nope") is None
    with store.writing():
        store._data["decks"][next(k for k, d in store._data["decks"].items() if d["name"] == "beta")]["archived"] = True
    assert store.deck("beta") is None


async def test_drill_review_paints_the_question_first_and_builds_home_after(tmp_path):
    from textual.widgets import DataTable

    from drill.ui.app import make_app
    from drill.ui.screens.home import HomeScreen
    from drill.ui.screens.review import ReviewScreen
    from drill.ui.screens.summary import SummaryScreen

    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(ParsedDeck("Solo", cards=[ParsedCard(("Only prompt",), "Only answer", 3)]), "/s.md")
    app = make_app(store, clock=FakeClock(NOW), review={"decks": None})
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await pilot.press("space", "3")
        await pilot.pause()
        assert len(list(store.reviews())) == 1
        await pilot.press("q")  # a learning step brings the card back: end the session here
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 2
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("a")  # and reviewing from home works as usual
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2


def test_the_app_module_does_not_load_the_markdown_importer():
    """Parsing notes (markdown-it, YAML) is only for imports and syncs: not at start-up."""
    code = (
        "import sys; import drill.ui.app; "
        "bad = [m for m in ('drill.library.importer', 'drill.library.sources', 'drill.parse.markdown', 'yaml', 'frontmatter', 'drill.store.doctor') "
        "if m in sys.modules]; assert not bad, bad"
    )
    run_python(code)


def test_each_command_module_is_named_after_its_subcommand():
    """drill.cli picks the one module a command line needs by its name (drill.commands.command_name)."""
    from drill.commands import COMMAND_MODULES, command_name, load_commands

    for module in load_commands():
        assert command_name(module.__name__) == module.NAME
    assert [m.__name__ for m in load_commands("import")] == ["drill.commands.import_"]
    assert load_commands("") == [] and len(load_commands()) == len(COMMAND_MODULES)


def test_chosen_command_is_only_the_sure_cases():
    from drill.cli import chosen_command

    assert chosen_command(["decks", "--json"]) == "decks"
    assert chosen_command(["--db", "x.json", "stats"]) == "stats"
    assert chosen_command(["--db=x.json", "import", "notes"]) == "import"
    assert chosen_command([]) == "" and chosen_command(["--db", "x.json"]) == ""
    for unsure in (["--help"], ["--version"], ["deks"], ["--db"], ["-h", "decks"], ["--d", "x", "decks"]):
        assert chosen_command(unsure) is None, unsure


def test_a_listing_loads_only_its_own_command_and_no_scheduler_or_hashing(tmp_path):
    """`drill decks` / `drill stats`: one command module, and none of fsrs, hashlib, uuid,
    markdown-it or Textual (they cost start-up time and are only for grading, importing, the app)."""
    code = (
        "import sys, io, contextlib; from drill.cli import main\n"
        f"db = {str(tmp_path / 'drill.json')!r}\n"
        "for args in (['decks'], ['stats']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(['--db', db, *args]) == 0\n"
        "commands = sorted(m for m in sys.modules if m.startswith('drill.commands.') and m not in\n"
        "                  ('drill.commands.common', 'drill.commands.examples', 'drill.commands.output'))\n"
        "assert commands == ['drill.commands.decks', 'drill.commands.stats'], commands\n"
        "bad = [m for m in ('fsrs', 'hashlib', 'uuid', 'markdown_it', 'textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    run_python(code)


def test_the_app_and_review_screen_load_markdown_it_only_at_the_first_reveal():
    """markdown-it (with Rich's Syntax and Pygments, through Textual's Markdown widget) is for
    the revealed answer: the first question is painted without it."""
    code = (
        "import sys; import drill.ui.app, drill.ui.screens.review, drill.ui.widgets.card_text; "
        "bad = [m for m in ('markdown_it', 'pygments', 'textual.widgets._markdown', 'hashlib') if m in sys.modules]; "
        "assert not bad, bad; "
        "from drill.ui.widgets.card_text import AnswerMarkdown; assert 'markdown_it' in sys.modules"
    )
    run_python(code)
