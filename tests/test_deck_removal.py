"""Removing a deck: ``drill decks --remove NAME [--archive] [--yes]``, ``x`` on home,
registered folders that must not bring it back, files with no cards."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from helpers import FakeClock
from textual.widgets import DataTable, Footer

from drill.library.importer import import_paths
from drill.library.removal import plan_removal, remove_deck
from drill.library.sources import sync
from drill.store.collection import Store
from drill.study.session import ReviewSession
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.remove_deck import RemoveDeckScreen

GO = "# Go\n\n## What is a goroutine?\n\nA light thread.\n\n## What is a channel?\n\nA typed pipe.\n"
SQL = "# SQL\n\n## What is an index?\n\nA sorted lookup structure.\n"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "go.md").write_text(GO)
    (folder / "sql.md").write_text(SQL)
    return folder


@pytest.fixture
def filled(store: Store, notes: Path) -> Store:
    import_paths(store, [notes])
    return store


def _review_go(store: Store, clock: FakeClock) -> int:
    session = ReviewSession(store, decks=["Go"], clock=clock)
    n = 0
    while session.next_card() is not None:
        clock.advance(10)
        session.grade(3)
        n += 1
    return n


def test_plan_counts_cards_and_reviews(filled):
    clock = FakeClock()
    reviewed = _review_go(filled, clock)
    removal = plan_removal(filled, "go")  # any case
    assert removal is not None and removal.deck == "Go"
    assert (removal.cards, removal.reviews) == (2, reviewed) and reviewed >= 2
    assert removal.headline() == f"Remove deck 'Go': 2 cards and {reviewed} reviews."
    assert any("left out of syncs" in line for line in removal.details())
    assert plan_removal(filled, "nosuch") is None


def test_remove_deletes_cards_and_deck_keeps_the_journal(filled, notes):
    clock = FakeClock()
    _review_go(filled, clock)
    journal = filled.journal.path.read_bytes()
    removal = remove_deck(filled, "Go")
    assert removal is not None and removal.cards == 2
    reopened = Store(filled.path)
    assert [d.name for d in reopened.decks()] == ["SQL"]
    assert all(c.deck != "Go" for c in reopened.cards(archived=True))
    assert filled.journal.path.read_bytes() == journal  # append-only: never rewritten
    from drill.stats.compute import store_stats

    stats = store_stats(reopened, clock())
    assert [d.name for d in stats.decks] == ["SQL"]  # the deck left every per-deck view
    assert (notes / "go.md").read_text() == GO  # the user's file is not touched


def test_a_removed_decks_file_is_left_out_of_sync_until_imported_by_name(filled, notes):
    remove_deck(filled, "Go")
    (notes / "go.md").write_text(GO + "\n## What is a select?\n\nWaits on channels.\n")  # changed: still left out
    result = sync(filled)
    from drill.library.importer import reports_of

    lines = [line for r in reports_of(result.outcomes) for line in r.lines()]
    assert any("go.md: left out: its deck 'Go' was removed" in line for line in lines), lines
    assert filled.deck("Go") is None
    import_paths(filled, [notes])  # the folder again: still left out, and said
    assert filled.deck("Go") is None
    reports = import_paths(filled, [notes / "go.md"])  # named: imported again
    assert filled.deck("Go") is not None and reports[0].cards == 3
    sync(filled)
    assert filled.deck("Go") is not None  # and syncs keep it from now on


def test_archive_keeps_schedule_and_reimport_brings_it_back(filled, notes):
    clock = FakeClock()
    _review_go(filled, clock)
    states = {c.path: c.state for c in filled.cards(["Go"])}
    removal = remove_deck(filled, "Go", archive=True)
    assert removal is not None and removal.archive
    assert filled.deck("Go") is None
    assert {c.path for c in filled.cards(["Go"], archived=True)} == set(states)
    import_paths(filled, [notes / "go.md"])
    assert {c.path: c.state for c in filled.cards(["Go"])} == states


def test_removing_every_sample_deck_does_not_bring_the_samples_back(store):
    from drill.commands.common import seed_if_empty

    assert seed_if_empty(store) is not None
    for deck in store.decks():
        remove_deck(store, deck.name)
    assert store.is_empty()
    assert seed_if_empty(store) is None and not store.decks()


def test_a_file_with_no_cards_makes_no_deck(store, tmp_path):
    empty = tmp_path / "prose.md"
    empty.write_text("# Prose\n\nJust a paragraph, no questions.\n")
    reports = import_paths(store, [empty])
    assert store.deck("Prose") is None and not store.decks()
    assert reports[0].lines()[0] == (
        f"{empty}: no cards, no deck made: no heading under the title (a card is a heading with text under it)"
    )
    # a file that had cards and lost them all: its cards archived, the deck hidden
    empty.write_text("# Prose\n\n## Q\n\nA\n")
    import_paths(store, [empty])
    assert store.deck("Prose") is not None
    empty.write_text("# Prose\n\nNothing now.\n")
    reports = import_paths(store, [empty])
    assert store.deck("Prose") is None
    assert reports[0].lines()[0].startswith(f"{empty}: no cards now: 1 card archived from deck 'Prose'; no heading")


# ---------------------------------------------------------------------- CLI


def _drill(*args: str, db: Path, stdin: str = "") -> subprocess.CompletedProcess:
    import sys

    script = Path(sys.executable).with_name("drill")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "drill"]
    env = {**os.environ, "DRILL_DB": str(db)}
    proc = subprocess.run([*cmd, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in proc.stderr
    return proc


def test_cli_asks_says_what_goes_and_yes_skips_the_question(filled):
    db = filled.path
    filled.close(compact=False)
    proc = _drill("decks", "--remove", "go", db=db, stdin="n\n")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("Remove deck 'Go': 2 cards and 0 reviews.\n")
    assert "Remove it? [y/N]" in proc.stdout and "nothing changed" in proc.stderr
    assert Store(db).deck("Go") is not None
    proc = _drill("decks", "--remove", "go", db=db, stdin="")  # stdin at EOF: the prompt's line is ended
    assert proc.returncode == 1 and proc.stdout.endswith("Remove it? [y/N] \n"), proc.stdout
    assert Store(db).deck("Go") is not None
    proc = _drill("decks", "--remove", "Go", "--yes", db=db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("removed deck 'Go'")
    assert Store(db).deck("Go") is None
    proc = _drill("decks", "--remove", "Go", "--yes", db=db)
    assert proc.returncode == 2 and "no deck named 'Go' (decks: SQL)" in proc.stderr


# ---------------------------------------------------------------------- home


async def test_welcome_shows_on_home_never_covers_a_review_and_x_asks_then_removes_or_archives_or_cancels(filled):
    app = make_app(filled, clock=FakeClock(), notice="Welcome! Imported 2 sample decks.")
    async with app.run_test(size=(80, 24)) as pilot:
        welcome = app.screen.query_one("#home-welcome")
        assert welcome.display and "Welcome!" in str(welcome.render())
        assert not app._notifications  # not a toast
        await pilot.press("a")
        await pilot.pause()
        assert not app._notifications, "the welcome covers the review as a toast"
        await pilot.press("q")
        await pilot.pause()
        while not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert not app.screen.query_one("#home-welcome").display  # read once: gone
        # x asks, then removes or archives or cancels
        await pilot.press("x")  # cursor on Go (first row)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RemoveDeckScreen), "x asks"
        footer_keys = {b.binding.key for b in dialog.active_bindings.values() if b.binding.show}
        assert {"y", "a", "n", "escape"} <= footer_keys and dialog.query(Footer)
        assert "2 cards and 0 reviews" in str(dialog.query_one("#remove-deck-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and filled.deck("Go") is not None, "escape cancels"
        await pilot.press("x", "a")  # archive instead
        await pilot.pause()
        assert filled.deck("Go") is None and filled.cards(["Go"], archived=True), "a archives"
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("x", "y")  # remove SQL for good
        await pilot.pause()
        assert not filled.decks() and not filled.cards(["SQL"], archived=True), "y removes"
        assert app.screen.query_one(DataTable).row_count == 0


async def test_home_footer_keys_fit_80_columns_with_groups(store, tmp_path):
    notes = tmp_path / "grouped"
    (notes / "interview" / "behavioural").mkdir(parents=True)
    (notes / "go.md").write_text(GO)
    (notes / "interview" / "behavioural" / "sql.md").write_text(SQL)
    import_paths(store, [notes])
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query("FooterKey"))
        shown = {k.description for k in keys}
        # Remove gives way to Stories, Stats... at 80 columns (home.FOOTER_PRIORITY): x still works
        assert {"Review", "Fold", "Quit"} <= shown, shown
        palette = [k.region.x for k in keys if "palette" in (k.description or "")]
        edge = min([80, *palette])  # the "^p palette" hint is docked over the right end
        assert all(k.region.right <= edge for k in keys if "palette" not in (k.description or "")), edge
