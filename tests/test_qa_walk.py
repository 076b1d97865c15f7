"""Regression tests for what the second QA walk (tmux, 80x24 / 120x40 / 60x20) found."""

from __future__ import annotations

from pathlib import Path

from cli_main import run_main
from helpers import FakeClock
from terminal_screen import TerminalScreen
from test_cli import run

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen

LONG = "\n".join(f"- old answer line {i} of a long story" for i in range(60))


def _store(tmp_path: Path, cards: list[tuple[str, str]], deck: str = "Stories") -> Store:
    store = Store(tmp_path / "drill.json")
    parsed = [ParsedCard(path=(q,), answer=a, line=i + 1) for i, (q, a) in enumerate(cards)]
    with store.writing():
        store.apply_import(ParsedDeck(name=deck, cards=parsed), str(tmp_path / "stories.md"))
    return store


async def test_a_scrolled_answer_is_never_left_on_the_terminal_under_the_next_question(tmp_path):
    # Grading a scrolled answer left its rows (and the grade row) on the terminal under the
    # next question: Textual repainted nothing where the hidden answer had been.
    store = _store(tmp_path, [("first question", LONG), ("second question", "short")])
    app = make_app(store, clock=FakeClock())
    term = TerminalScreen.attach(app, 80, 24)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space")
        for _ in range(5):
            await pilot.pause()
        await pilot.press("j", "j", "j", "pagedown")
        await pilot.pause()
        assert "old answer line" in term.text()  # the long answer is first, and scrolled
        before = len(term.frames)
        await pilot.press("3")
        for _ in range(5):
            await pilot.pause()
        assert app.screen.session.current.question == "second question"
        frames = term.frames[before:]
        assert "second question" in frames[-1]
        for frame in frames:
            assert "old answer line" not in frame, frame
            assert "Again ·" not in frame, frame


def _labels_fit(screen) -> list[tuple[str, int]]:
    """(label, width it has) of each grade button whose label does not fit."""
    from rich.cells import cell_len
    from textual.widgets import Button

    cut = []
    for button in screen.query("#grades Button").results(Button):
        label = str(button.label)
        if cell_len(label) > button.content_region.width:
            cut.append((label, button.content_region.width))
    return cut


async def test_cram_grade_buttons_are_not_cut_at_80_columns(tmp_path):
    # "1 Again · no change" was cut to "1 Again · no" four abreast at 80 columns.
    store = _store(tmp_path, [("first question", "an answer"), ("second question", "short")])
    app = make_app(store, clock=FakeClock(), review={"decks": ["Stories"], "cram": True})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space")
        await pilot.pause()
        assert [str(b.label) for b in app.screen.query("#grades Button")] == ["1 Again", "2 Hard", "3 Good", "4 Easy"]
        assert _labels_fit(app.screen) == []


async def test_grade_labels_follow_a_resize_after_the_reveal(tmp_path):
    # Labels were built once at the reveal: revealed at 120 columns, then shrunk to 60,
    # the buttons kept "1 Again · 1m" and showed "1 Again ·".
    store = _store(tmp_path, [("first question", "an answer")])
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert str(app.screen.query_one("#grade-1").label) == "1 Again · 1m"
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        assert str(app.screen.query_one("#grade-1").label) == "1 Again 1m"
        assert _labels_fit(app.screen) == []


def test_import_of_a_folder_without_markdown_says_what_it_looked_for(tmp_path):
    # A folder of .txt notes said only "imported 0 files".
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "resume.txt").write_text("# Resume\n\n## Intro\n\nHello\n")
    (notes / "sub" / "prep.txt").write_text("# Prep\n\n## Q\n\nA\n")
    (notes / ".hidden").write_text("x")
    proc = run("import", str(notes), db=tmp_path / "drill.json")
    assert proc.stdout.strip() == "imported 0 files"
    assert proc.stderr.strip() == (
        f"{notes}: no Markdown files (*.md, *.markdown); 2 other files skipped, e.g. resume.txt "
        f"(name a file to import it whatever its extension: drill import {notes / 'resume.txt'})"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_main("import", str(empty), db=tmp_path / "drill.json")  # the rest in-process
    assert proc.stderr.strip() == f"{empty}: no Markdown files (*.md, *.markdown) in this folder"
    (notes / "real.md").write_text("# Real\n\n## Q\n\nA\n")
    proc = run_main("import", str(notes), db=tmp_path / "drill.json")
    assert "no Markdown files" not in proc.stderr


async def test_home_palette_plans_keys_panel_ctrl_c_and_ending_a_review_in_one_walk(tmp_path):
    """Five walk findings on one three-card store, checked in turn in one app run.

    1. Palette: at 80 columns home's footer hides c Cram, p Plans, b Stories, r Refresh,
       and the command palette offered only Textual's own commands: "ref" found nothing.
    2. Plans header: every screen's header says "drill — Stats"...; the plans screen said "drill".
    3. ctrl+c said "Press q to quit the app" on home and "Press ctrl+q to quit the app" in a review.
    4. The Keys panel (ctrl+p › Keys) stayed open on escape; it closed only through the palette.
    5. Ending a review with q/escape while cards were left said "Next card due in 2d"
       (the first card due *after* now), though the cards it had not shown were due now.
    """
    from textual.command import CommandPalette
    from textual.widgets import Static

    from drill.ui.screens.home import HomeScreen
    from drill.ui.screens.plans import PlansScreen
    from drill.ui.screens.summary import SummaryScreen

    store = _store(tmp_path, [("first question", "a"), ("second question", "b"), ("third question", "c")])
    app = make_app(store, clock=FakeClock())
    said = []
    async with app.run_test(size=(80, 24)) as pilot:
        # 1. the palette finds every home action
        assert isinstance(app.screen, HomeScreen), "palette: home first"
        names = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for title in ("Refresh", "Cram", "Plans", "Stories", "Stats", "Mock", "History", "All due"):
            assert title in names, ("palette: home's system commands", title, sorted(names))
        assert names["Cram"].endswith("key: c"), "palette: Cram names its key"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette), "palette: ctrl+p opens it"
        await pilot.press(*"plans")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen), "palette: 'plans' + enter opens the plans screen"
        await pilot.press("escape")
        await pilot.pause()
        # 2. the plans screen names itself in the header (opened with its key)
        assert isinstance(app.screen, HomeScreen) and app.sub_title == "", "plans header: home again, untitled"
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen) and app.sub_title == "Plans", "plans header: p opens 'Plans'"
        await pilot.press("escape")
        await pilot.pause()
        assert app.sub_title == "", "plans header: escape back home clears it"
        # 3. ctrl+c on home (the review's is below)
        assert isinstance(app.screen, HomeScreen), "ctrl+c: home first"
        app.clear_notifications()
        await pilot.press("ctrl+c")
        await pilot.pause()
        said.append([n.message for n in app._notifications])
        app.clear_notifications()
        # 4. escape closes the keys panel, on home and in a review
        app.action_show_help_panel()
        await pilot.pause()
        assert app.screen.query("HelpPanel"), "keys panel: opens on home"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel"), "keys panel: escape closes it on home"
        assert isinstance(app.screen, HomeScreen), "keys panel: escape on home stays home"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), "keys panel: a starts a review"
        await pilot.press("ctrl+c")
        await pilot.pause()
        said.append([n.message for n in app._notifications])
        assert isinstance(app.screen, ReviewScreen), "ctrl+c: does not end the review"
        app.action_show_help_panel()
        await pilot.pause()
        await pilot.press("escape")  # closes the panel, does not end the review
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and not app.screen.query("HelpPanel"), (
            "keys panel: escape in a review closes only the panel"
        )
        await pilot.press("escape")  # now it ends the review (nothing graded)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), "keys panel: the second escape ends the review"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "summary: enter goes home"
        # 5. a session ended early says the rest is due now
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen), "ended early: escape shows the summary"
        line = str(app.screen.query_one("#summary-next", Static).render())
        assert line.split() == ["Next", "card", "due", "now", "·", "2", "cards", "left", "in", "this", "session"], (
            "ended early: " + line
        )
    assert said[0] == said[1] == ["Press ctrl+q to quit drill"], ("ctrl+c: home, then review", said)


def test_first_run_imports_the_samples_from_a_copy_in_the_user_data_dir(tmp_path):
    # `e` on a sample card opened site-packages/drill/sample_decks/…: the next pip
    # install overwrote the edit, and a system install is read-only.
    from drill.commands.common import seed_if_empty
    from drill.store.paths import bundled_decks_dir, user_samples_dir

    store = Store(tmp_path / "drill.json")
    notice = seed_if_empty(store)
    copy = user_samples_dir()
    assert notice is not None and "Welcome! Imported 3 sample decks" in notice
    assert copy.is_dir() and str(bundled_decks_dir()) not in str(copy)
    sources = {c.source for c in store.cards()}
    assert sources and all(s.startswith(str(copy.resolve())) for s in sources), sources
    # a copy the user edited is kept when the samples are seeded again (say, a new store)
    edited = sorted(copy.iterdir())[0]
    edited.write_text("# Mine\n\n## Q\n\nmy answer\n")
    other = Store(tmp_path / "other.json")
    seed_if_empty(other)
    assert edited.read_text() == "# Mine\n\n## Q\n\nmy answer\n"
    assert "Mine" in {d.name for d in other.decks()}


def test_a_mistyped_deck_on_an_empty_store_imports_nothing(tmp_path):
    # `drill review NOSUCH` on an empty store imported the sample decks silently.
    db = tmp_path / "drill.json"
    proc = run("review", "NOSUCH", db=db, check_rc=2)
    assert "no deck named 'NOSUCH'" in proc.stderr
    assert Store(db).is_empty()
    proc = run_main("decks", db=db)
    assert proc.stdout.startswith("no decks yet")


def test_drill_config_describes_every_setting(tmp_path):
    # `drill config` listed `story_hint  1` with no word of what it does.
    proc = run("config", "--json", db=tmp_path / "drill.json")
    import json

    names = set(json.loads(proc.stdout)) if proc.stdout.strip().startswith("{") else set()
    listing = run_main("config", db=tmp_path / "drill.json").stdout.splitlines()
    assert names and len(listing) >= len(names)
    for line in listing:
        name, value, *description = line.split()
        assert description, f"no description for {name}"


async def test_a_preselected_deck_below_the_fold_is_shown_in_the_mock_and_plan_forms(tmp_path):
    # With many decks, the deck preselected from home's highlighted row sat below the fold:
    # the form looked like "none ticked = all decks" and the mock drew from that deck only.
    from textual.widgets import SelectionList

    from drill.ui.screens.mock_setup import MockSetupScreen
    from drill.ui.screens.plans import PlanFormScreen

    store = Store(tmp_path / "drill.json")
    with store.writing():
        for i in range(15):
            store.apply_import(ParsedDeck(f"Deck {i:02}", [ParsedCard(("q",), "a", 1)]), str(tmp_path / f"d{i}.md"))
    names = [d.name for d in store.decks()]
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for screen in (MockSetupScreen(names, ["Deck 13"]), PlanFormScreen(names, ["Deck 13"])):
            app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            picker = screen.query_one(SelectionList)
            assert picker.highlighted == names.index("Deck 13")
            top = picker.scroll_offset.y
            assert top <= names.index("Deck 13") < top + picker.scrollable_content_region.height
            app.pop_screen()
            await pilot.pause()


async def test_home_shows_space_fold_only_when_there_are_groups(tmp_path):
    # "space Fold" sat in home's footer (taking room from c/p/b) with no group to fold,
    # and one deck read "across 1 decks".
    from textual.widgets import Static
    from textual.widgets._footer import FooterKey

    store = _store(tmp_path, [("first question", "a")])
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        keys = [k.description for k in app.screen.query(FooterKey)]
        assert "Fold" not in keys and "Stats" in keys
        assert str(app.screen.query_one("#home-totals", Static).render()).endswith("across 1 deck")
    grouped = Store(tmp_path / "grouped.json")
    with grouped.writing():
        for name in ("one", "two"):
            grouped.apply_import(ParsedDeck(name, [ParsedCard(("q",), "x", 1)], group="a"), f"/n/a/{name}.md")
    app = make_app(grouped, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Fold" in [k.description for k in app.screen.query(FooterKey)]


def test_import_report_says_1_card(tmp_path):
    # The import report read "deck 'Odd': 1 cards (1 added, ...)".
    notes = tmp_path / "one.md"
    notes.write_text("# One\n\n## Q\n\nA\n")
    proc = run("import", str(notes), db=tmp_path / "drill.json")
    assert f"{notes}: deck 'One': 1 card (1 added, 0 updated, 0 unchanged, 0 archived); headings" in proc.stdout


async def test_home_says_what_comes_back_later_today_and_what_is_suspended(tmp_path):
    # Home said "0 due" while stats said "Due today 4" (learning cards back in minutes), and
    # nothing at all when leeches were suspended and nothing else was left.
    from textual.widgets import Static

    from drill.study.leeches import suspend_record
    from drill.ui.screens.home import HomeScreen

    store = _store(tmp_path, [("first question", "a"), ("second question", "b")])
    clock = FakeClock()
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space", "3")  # a new card's Good: back in 10 minutes
        await pilot.pause()
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        totals = str(app.screen.query_one("#home-totals", Static).render())
        assert totals == "0 due · 1 new today across 1 deck · 1 more later today (next in 10m)"
    other = next(c for c in store.cards() if c.state is None)
    with store.writing():
        store.append(suspend_record(other.id, clock()))
    app = make_app(Store(tmp_path / "drill.json"), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = str(app.screen.query_one("#home-totals", Static).render()).splitlines()
        assert lines[0] == "0 due · 0 new today across 1 deck · 1 more later today (next in 10m)"
        assert lines[1] == "1 suspended card (leeches): t › Hardest cards and leeches, u unsuspends"


async def test_home_keeps_the_counts_on_a_60_column_screen(tmp_path):
    # At 60x20 a 49-character deck name kept the name column 48 cells wide: only "New"
    # was on screen, Due and Cards behind a horizontal scrollbar.
    from textual.widgets import DataTable

    name = "Odd [bold]name[/bold] [link=https://x.example]x"
    store = _store(tmp_path, [("first question", "a")], deck=name)
    app = make_app(store, clock=FakeClock())
    term = TerminalScreen.attach(app, 60, 20)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        header = next(line for line in term.text().splitlines() if "Deck" in line)
        assert header.split()[-3:] == ["New", "Due", "Cards"]
        row = next(line for line in term.text().splitlines() if "Odd" in line)
        assert "…" in row and row.split()[-3:] == ["1", "0", "1"]
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        await pilot.pause()
        assert name in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_stats_decks_table_keeps_its_last_column_at_80_columns(tmp_path):
    # At 80 columns a long deck name pushed "Avg answer", "Limit" and "Over time" off the
    # Decks table, cut without an ellipsis.
    from textual.widgets import DataTable

    from drill.ui.screens.stats import StatsScreen

    name = "Odd [bold]name[/bold] [link=https://x.example]x"
    store = _store(tmp_path, [("first question", "a")], deck=name)
    app = make_app(store, clock=FakeClock(), start="stats")
    term = TerminalScreen.attach(app, 80, 24)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        table = app.screen.query_one("#stats-decks", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        app.screen.query_one("#stats-decks").scroll_visible(animate=False)
        for _ in range(3):
            await pilot.pause()
        header = next(line for line in term.text().splitlines() if "Cards" in line and "Retention" in line)
        assert header.rstrip().endswith("Over time"), header


def test_every_command_help_has_examples_and_config_lists_the_settings(tmp_path, monkeypatch):
    # `drill plan --help`, `drill review --help` ... had no example; `drill config --help`
    # did not name a single setting.
    from drill.commands import load_commands
    from drill.store.settings import Settings

    # The first command's help through the real entry point, the others in-process; argparse
    # wraps at $COLUMNS or the terminal's width, and a subprocess writing to a pipe has none:
    # 80 columns unless COLUMNS says otherwise, as here.
    monkeypatch.setenv("COLUMNS", "80")
    for i, module in enumerate(load_commands()):
        out = (run if i == 0 else run_main)(module.NAME, "--help", db=tmp_path / "drill.json").stdout
        assert "\nexamples:\n  drill " + module.NAME in out, module.NAME
        assert max(len(line) for line in out.splitlines()) <= 80, module.NAME
    out = run_main("config", "--help", db=tmp_path / "drill.json").stdout
    listed = out.split("settings (drill config NAME VALUE):", 1)[1]
    for name in Settings.__dataclass_fields__:
        assert name in listed, name


async def test_plan_form_and_competency_picker_show_their_buttons_and_keys_at_80x24(tmp_path):
    # At 80x24 the competency picker's Save button was below the screen and both modals'
    # footers showed the screen underneath (story bank / plans keys), not ctrl+s / esc.
    from textual.widgets import Button
    from textual.widgets._footer import FooterKey

    from drill.interview.stories import analyse
    from drill.ui.screens.plans import PlanFormScreen
    from drill.ui.screens.story_bank import CompetencyPicker

    store = _store(tmp_path, [("Leading a migration", "- Situation: x\n- Task: y\n- Action: z\n- Result: w\n")])
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        analysed = analyse(store, None)
        story = analysed.stories[0]
        for screen in (PlanFormScreen([d.name for d in store.decks()]), CompetencyPicker(analysed.bank, story)):
            app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            keys = {k.description for k in screen.query(FooterKey)}
            assert {"Save", "Cancel"} <= keys, keys
            save = [b for b in screen.query(Button) if "Save" in str(b.label)][0]
            save.scroll_visible(animate=False)
            await pilot.pause()
            assert screen.region.contains_region(save.region), (save.region, screen.region)
            app.pop_screen()
            await pilot.pause()


async def test_siblings_of_a_reviewed_card_are_buried_for_the_day_and_undo_brings_them_back(tmp_path):
    # `C: The [loopback] address in IPv6 is [::1].` gave two cards asked back to back: the
    # second was answered by the first one's revealed sentence.
    from drill.library.importer import import_paths
    from drill.study.session import ReviewSession

    notes = tmp_path / "net.md"
    notes.write_text('+++\nname = "Net"\n+++\n\nQ: What port does HTTPS use?\nA: 443\n\nC: The [loopback] address in IPv6 is [::1].\n')
    store = Store(tmp_path / "drill.json")
    import_paths(store, [notes], register=False)
    clock = FakeClock()
    session = ReviewSession(store, clock=clock)
    shown = []
    graded = None
    while (card := session.next_card()) is not None and len(shown) < 5:
        shown.append(card.question)
        graded = session.grade(3)
        if card.cloze is not None:
            break
    assert sum(1 for q in shown if "[…]" in q) == 1, shown
    assert graded is not None and len(graded.siblings) == 1
    sibling = store.card(graded.siblings[0])
    assert sibling.buried_until is not None and sibling.buried_until > clock().isoformat()
    assert session.next_card() is None or session.current.cloze is None
    # undo: the grade is taken back and the sibling is queued again, unburied
    session.current = None
    session.undo()
    assert store.card(sibling.id).buried_until <= clock().isoformat()
    assert sibling.id in [c.id for c in session.queue]


async def test_stats_heatmap_fits_a_60_column_screen_with_today_on_it(tmp_path):
    # At 60x20 the heatmap box stayed 63 cells wide: its right edge and today's ◆ were cut off.
    from drill.ui.screens.stats import StatsScreen
    from drill.ui.widgets.heatmap import TODAY_CELL, Heatmap

    store = _store(tmp_path, [("first question", "a")])
    app = make_app(store, clock=FakeClock(), start="stats")
    term = TerminalScreen.attach(app, 60, 20)
    async with app.run_test(size=(60, 20)) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        heatmap = app.screen.query_one(Heatmap)
        assert heatmap.region.right <= 60
        rows = term.text().splitlines()
        assert any(TODAY_CELL in row and "less" not in row for row in rows[:12]), "\n".join(rows[:12])


async def test_a_mock_pick_the_time_ran_out_on_is_not_called_improvising(tmp_path):
    # When the thinking time ran out before a story was picked, the review said
    # "(no story picked: you improvised)" though the user never chose to improvise.
    from test_question_first import _store as stories_store
    from textual.widgets import Markdown

    from drill.interview.mock import ANSWER
    from drill.ui.screens.mock_review import MockReviewScreen

    store = stories_store(tmp_path)
    clock = FakeClock()
    app = make_app(store, clock=clock, mock={"count": 1, "seed": 2, "answer_seconds": 60, "think_seconds": 5})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.screen.session
        clock.advance(6)
        app.screen.check()  # the thinking time is up: the answer clock starts, nothing picked
        await pilot.pause()
        assert session.phase == ANSWER and not session.current.picked
        clock.advance(3)
        await pilot.press("ctrl+n")  # enter would add a line to the notes
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, MockReviewScreen)
        answer = app.screen.query_one("#mrev-answer", Markdown)
        text = answer.source if hasattr(answer, "source") else answer._markdown
        assert "thinking time ran out" in text and "improvised" not in text
