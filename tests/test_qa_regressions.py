"""Regression tests for bugs found by hand (QA pass)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from cli_main import run_main
from helpers import FakeClock
from rich.text import Text
from test_cli import drill_command
from textual.widgets import Checkbox, DataTable

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.home import NAME_WIDTH
from drill.ui.screens.mock_review import MockReviewScreen
from drill.ui.screens.stats import StatsScreen
from drill.ui.widgets.barchart import BarChart

STORY = """\
- **Situation**: the nightly export kept timing out.
- **Task**: make it finish before the morning standup.
- **Action**: streamed rows instead of loading them all.
- **Result**: done in twelve minutes.
"""


def _drill(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DRILL_DB": str(db)}
    proc = subprocess.run([*drill_command(), *args], capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in proc.stderr
    return proc


def test_sync_dry_run_reports_a_renamed_file_as_archiving_nothing(tmp_path: Path):
    # `drill sync --dry-run` said a renamed file's cards would be archived; the real
    # sync (rightly) moves them to the new name and archives none.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "resume.md").write_text("# Resume\n\n## Search\n\nBuilt it.\n\n## Payments\n\nRetries.\n", encoding="utf-8")
    db = tmp_path / "drill.json"
    # The dry run through the real entry point; the import and the real sync in-process.
    assert run_main("import", str(notes), db=db, check_rc=None).returncode == 0
    (notes / "resume.md").rename(notes / "cv.md")

    dry = json.loads(_drill("sync", "--dry-run", "--json", db=db).stdout)
    real = json.loads(run_main("sync", "--json", db=db, check_rc=None).stdout)

    def archived(result: dict) -> dict:
        return {Path(f["path"]).name: f["archived"] for f in result["files"]}

    assert archived(real) == {"cv.md": 0, "resume.md": 0}
    assert archived(dry) == archived(real)


def _store(tmp_path: Path, decks: list[ParsedDeck]) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for deck in decks:
            store.apply_import(deck, str(tmp_path / f"{deck.name[:20]}.md"))
    return store


async def test_home_long_deck_name_does_not_push_the_counts_off_screen(tmp_path: Path):
    long_name = "H" * 300
    store = _store(
        tmp_path,
        [
            ParsedDeck(name=long_name, cards=[ParsedCard(path=("q",), answer="a", line=1)]),
            ParsedDeck(name="Short", cards=[ParsedCard(path=("q",), answer="a", line=1)]),
        ],
    )
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        name_cell = table.get_row(long_name)[0]
        assert isinstance(name_cell, Text)
        assert name_cell.cell_len <= NAME_WIDTH
        assert name_cell.plain.endswith("…")
        assert table.get_row("Short")[0].plain == "Short"
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 80


async def test_stats_bar_charts_fit_a_narrow_terminal(tmp_path: Path):
    # At 80 columns each chart is narrower than its 30 days: rows wrapped and the
    # chart turned into stripes with its date labels pushed out of the box.
    store = _store(tmp_path, [ParsedDeck(name="Deck", cards=[ParsedCard(path=("q",), answer="a", line=1)])])
    app = make_app(store, clock=FakeClock(), start="stats")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        chart = screen.query_one("#stats-reviews", BarChart)
        chart.show([float(i % 5) for i in range(30)], "Oct 25", "today")
        await pilot.pause()
        width = chart.content_size.width
        assert width < 30
        lines = chart.render().split("\n")
        assert all(line.cell_len <= width for line in lines)
        assert lines[-1].plain.startswith("Oct 25") and lines[-1].plain.rstrip().endswith("today")


async def test_mock_review_star_checklist_fits_80_columns(tmp_path: Path):
    # At 80 columns the STAR row was cut after "Acti": the Result box was off screen.
    store = _store(tmp_path, [ParsedDeck(name="Stories", cards=[ParsedCard(path=("Story",), answer=STORY, line=1)])])
    mock = {"decks": None, "count": 1, "answer_seconds": 60, "think_seconds": 0, "seed": 1}
    clock = FakeClock()
    app = make_app(store, clock=clock, mock=mock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.advance(2)
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockReviewScreen)
        result = screen.query_one("#star-result", Checkbox)
        assert result.display
        assert result.region.right <= 80 and result.region.width >= len("Result")


def test_decks_and_stats_tables_cut_a_long_deck_name(tmp_path: Path):
    # A 300-character H1 padded every row of `drill decks` / `drill stats` to 300 columns.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "long.md").write_text("# " + "H" * 300 + "\n\n## q\n\nanswer\n", encoding="utf-8")
    (notes / "short.md").write_text("# Short\n\n## q\n\nanswer\n", encoding="utf-8")
    db = tmp_path / "drill.json"
    # `drill decks` through the real entry point; the import and the rest in-process.
    assert run_main("import", str(notes), db=db, check_rc=None).returncode == 0
    decks = _drill("decks", db=db).stdout.splitlines()
    assert max(len(line) for line in decks) < 80
    assert any(line.startswith("H" * 47 + "…") for line in decks)
    assert any(line.startswith("Short ") for line in decks)
    table = run_main("stats", db=db, check_rc=None).stdout.split("\n\n")[1].splitlines()
    assert max(len(line) for line in table) < 100
    json_names = [d["name"] for d in json.loads(run_main("decks", "--json", db=db, check_rc=None).stdout)["decks"]]
    assert "H" * 300 in json_names  # JSON keeps the whole name


async def test_stats_deck_table_cuts_a_long_deck_name(tmp_path: Path):
    long_name = "H" * 300
    store = _store(tmp_path, [ParsedDeck(name=long_name, cards=[ParsedCard(path=("q",), answer="a", line=1)])])
    app = make_app(store, clock=FakeClock(), start="stats")
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#stats-decks", DataTable)
        assert table.row_count == 1
        assert table.get_row(long_name)[0].cell_len <= NAME_WIDTH
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 110


def test_a_file_of_only_malformed_explicit_cards_says_what_is_wrong_with_each():
    from drill.parse.markdown import parse_text

    deck = parse_text("A: an answer with no question\n\nC: an empty [] cloze\n", "bad.md")
    assert deck.cards == []
    messages = [message for _, message in deck.warnings]
    assert any("without a Q:" in m for m in messages) and any("empty cloze" in m for m in messages)
    assert any(m.startswith("no cards found") for m in messages)
    assert (3, "empty cloze deletion '[]' ignored") in deck.warnings


async def test_stats_glance_panel_stacks_under_the_heatmap_when_narrow(tmp_path: Path):
    store = _store(tmp_path, [ParsedDeck(name="Deck", cards=[ParsedCard(path=("q",), answer="a", line=1)])])
    for width, stacked in ((80, True), (120, False)):
        app = make_app(store, clock=FakeClock(), start="stats")
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            heatmap = app.screen.query_one("#stats-heatmap")
            glance = app.screen.query_one("#stats-glance")
            assert (glance.region.y > heatmap.region.y) is stacked, width
            assert glance.region.width >= 40  # room for "Retention  94.5% of 55"
