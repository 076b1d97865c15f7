"""Registered folders that stay in sync: drill import DIR, drill sync, drill sources."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from helpers import FakeClock
from cli_main import run_main
from test_cli import drill_command

from drill.library import sources
from drill.library.importer import import_paths, reports_of
from drill.library.sources import registered, summary_line, sync, unregister
from drill.store.collection import Store

DAY_AGO = time.time() - 86400


def write(path: Path, text: str, *, old: bool = True) -> Path:
    """Write a note; with *old*, date it a day back like notes usually are (not "racy")."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if old:
        os.utime(path, (DAY_AGO, DAY_AGO))
    return path


def review(store: Store, card_id: int, due: str = "2030-01-01T00:00:00+00:00") -> None:
    store.append({"t": "review", "card": card_id, "state": {"due": due, "state": 2, "reps": 1, "lapses": 0}})


def by_name(outcomes) -> dict:
    return {Path(r.path).name: r for r in reports_of(outcomes)}


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    write(root / "alpha.md", "# Alpha\n\n## First\n\none\n\n## Second\n\ntwo\n")
    write(root / "b.md", "Q: Bee question?\nA: Bee answer.\n\nC: The [hive] has a [queen].\n")
    write(root / "interview" / "behavioural" / "gamma.md", "# Gamma\n\n## Only\n\nalone\n")
    return root


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Names of the files the sync code parses."""
    seen: list[str] = []
    real = sources.parse_bytes

    def counting(data: bytes, name: str, **options):
        seen.append(name)
        return real(data, name, **options)

    monkeypatch.setattr(sources, "parse_bytes", counting)
    return seen


def file_signature(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns


# --------------------------------------------------------------------------- registering and no-change syncs

def test_import_dir_registers_it_and_a_no_change_sync_parses_and_writes_nothing(store, notes, parses):
    reports = import_paths(store, [notes])
    assert sorted(Path(r.path).name for r in reports) == ["alpha.md", "b.md", "gamma.md"]
    assert registered(store) == [str(notes.resolve())]
    assert len(parses) == 3
    parses.clear()
    before = file_signature(store.path)
    result = sync(store)
    assert (result.outcomes, result.unchanged, result.missing, result.folders) == ([], 3, [], 1)
    assert parses == []
    assert file_signature(store.path) == before


def test_dry_run_import_does_not_register(store, notes):
    import_paths(store, [notes], dry_run=True)
    assert registered(store) == []
    assert not store.path.exists()


def test_sub_folders_become_deck_groups(store, notes):
    import_paths(store, [notes])
    groups = {d.name: d.group for d in store.decks()}
    assert groups == {"Alpha": "", "b": "", "Gamma": "interview › behavioural"}


# --------------------------------------------------------------------------- edit, rename, delete

def test_edit_rename_and_delete_give_the_right_counts_and_keep_history(store, notes, parses):
    import_paths(store, [notes])
    first = next(c for c in store.cards(["Alpha"]) if c.path == ("First",))
    bee = next(c for c in store.cards(["b"]) if c.question == "Bee question?")
    review(store, first.id)
    review(store, bee.id)

    write(notes / "alpha.md", "# Alpha\n\n## First\n\none, said better\n\n## Second\n\ntwo\n\n## Third\n\nthree\n")
    (notes / "b.md").rename(notes / "bees.md")  # a deck named after its file: the deck is renamed
    (notes / "interview" / "behavioural" / "gamma.md").unlink()
    parses.clear()

    outcomes = sync(store).outcomes
    assert sorted(parses) == ["alpha.md", "bees.md"]
    got = {
        name: (r.added, r.updated, r.unchanged, r.archived, r.deleted) for name, r in by_name(outcomes).items()
    }
    assert got == {
        "alpha.md": (1, 1, 1, 0, False),
        "bees.md": (0, 0, 3, 0, False),
        "b.md": (0, 0, 0, 0, True),
        "gamma.md": (0, 0, 0, 1, True),
    }
    edited = store.card(first.id)
    assert edited.answer == "one, said better" and edited.state["due"].startswith("2030")
    moved = store.card(bee.id)
    assert (moved.deck, moved.source) == ("bees", str((notes / "bees.md").resolve()))
    assert moved.state["due"].startswith("2030")
    assert [d.name for d in store.decks()] == ["Alpha", "bees"]  # Gamma and b are archived
    assert all(c.archived for c in store.cards(["Gamma"], archived=True))
    assert summary_line(outcomes) == "Cards: 1 added, 1 updated, 1 archived across 2 files"


def test_a_renamed_file_with_a_title_keeps_its_deck(store, notes):
    import_paths(store, [notes])
    ids = sorted(c.id for c in store.cards(["Alpha"]))
    (notes / "alpha.md").rename(notes / "a-renamed.md")
    reports = by_name(sync(store).outcomes)
    assert (reports["a-renamed.md"].added, reports["a-renamed.md"].unchanged) == (0, 2)
    assert reports["alpha.md"].deleted and reports["alpha.md"].archived == 0
    assert sorted(c.id for c in store.cards(["Alpha"])) == ids
    assert store.deck("Alpha").sources == (str((notes / "a-renamed.md").resolve()),)


def test_renamed_and_edited_file_is_new_cards(store, notes):
    import_paths(store, [notes])
    (notes / "b.md").unlink()
    write(notes / "c.md", "Q: Bee question?\nA: A different answer.\n")
    reports = by_name(sync(store).outcomes)
    assert (reports["c.md"].added, reports["b.md"].archived) == (1, 3)


def test_deleted_file_coming_back_brings_its_cards_back(store, notes):
    import_paths(store, [notes])
    gamma = notes / "interview" / "behavioural" / "gamma.md"
    text = gamma.read_text(encoding="utf-8")
    card = store.cards(["Gamma"])[0]
    review(store, card.id)
    gamma.unlink()
    sync(store)
    assert store.deck("Gamma") is None
    write(gamma, text)
    report = by_name(sync(store).outcomes)["gamma.md"]
    assert (report.added, report.updated) == (0, 1)  # un-archived
    assert store.deck("Gamma").group == "interview › behavioural"
    assert store.card(card.id).state is not None and not store.card(card.id).archived


def test_changing_the_deck_name_moves_cards_with_their_history(store, notes):
    import_paths(store, [notes])
    first = store.cards(["Alpha"])[0]
    review(store, first.id)
    write(notes / "alpha.md", "# Alpha, renamed\n\n## First\n\none\n\n## Second\n\ntwo\n")
    report = by_name(sync(store).outcomes)["alpha.md"]
    assert (report.deck, report.added, report.unchanged, report.archived) == ("Alpha, renamed", 0, 2, 0)
    assert store.card(first.id).deck == "Alpha, renamed" and store.card(first.id).state
    assert store.deck("Alpha") is None


# --------------------------------------------------------------------------- bad input and odd folders

def test_a_file_turning_bad_keeps_its_cards_and_is_reported_until_fixed(store, notes, parses):
    import_paths(store, [notes])
    alpha = notes / "alpha.md"
    good = alpha.read_text(encoding="utf-8")
    write(alpha, "---\ndeck: [unclosed\n---\n" + good)
    for _ in range(2):  # reported again on the next sync, not forgotten
        result = sync(store)
        assert [Path(o.change.shown).name for o in result.errors] == ["alpha.md"]
        assert result.errors[0].change.error[1].startswith("invalid frontmatter")
        assert len(store.cards(["Alpha"])) == 2
    write(alpha, good.replace("two", "two!"))
    report = by_name(sync(store).outcomes)["alpha.md"]
    assert (report.error, report.updated) == (None, 1)
    parses.clear()
    sync(store)
    assert parses == []
    # A bad file that is then deleted still takes its cards with it.
    write(alpha, "\x00binary")
    sync(store)
    alpha.unlink()
    assert by_name(sync(store).outcomes)["alpha.md"].archived == 2


def test_a_missing_folder_is_reported_and_its_cards_are_kept(store, notes, tmp_path):
    import_paths(store, [notes])
    notes.rename(tmp_path / "elsewhere")
    result = sync(store)
    assert result.missing == [str(notes.resolve())] and result.outcomes == []
    assert len(store.cards()) == 6


def test_an_unreadable_sub_folder_is_not_taken_for_deleted(store, notes, monkeypatch):
    import_paths(store, [notes])
    real = os.scandir
    blocked = str(notes / "interview")

    def scandir(path):
        if os.fspath(path).rstrip("/") == blocked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = sync(store)
    # Said in one line (issue 12: it used to be skipped silently), nothing taken for deleted.
    assert [o.change.error for o in result.outcomes] == [(0, "cannot read folder: Permission denied")]
    assert result.outcomes[0].shown.rstrip("/").endswith("interview") and result.unchanged == 2
    assert store.deck("Gamma") is not None


def test_a_just_saved_file_is_checked_by_content_not_only_size_and_mtime(store, tmp_path, parses):
    note = write(tmp_path / "racy" / "n.md", "## Q\n\nabc\n", old=False)
    import_paths(store, [note.parent])
    st = os.stat(note)
    note.write_text("## Q\n\nxyz\n", encoding="utf-8")  # same size, and force the same mtime
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))
    parses.clear()
    report = by_name(sync(store).outcomes)["n.md"]
    assert report.updated == 1 and parses == ["n.md"]
    assert store.cards()[0].answer == "xyz"


def test_importing_a_file_inside_a_registered_folder_updates_its_cache(store, notes, parses):
    import_paths(store, [notes])
    write(notes / "alpha.md", "# Alpha\n\n## First\n\nchanged\n\n## Second\n\ntwo\n")
    import_paths(store, [notes / "alpha.md"])
    parses.clear()
    assert sync(store).outcomes == [] and parses == []


def test_an_explicitly_imported_non_markdown_file_in_a_folder_is_tracked_not_deleted(store, notes, parses):
    import_paths(store, [notes])
    txt = write(notes / "extra.txt", "# Extra\n\n## Kept\n\nstill here\n")
    import_paths(store, [txt])
    parses.clear()
    assert sync(store).outcomes == [] and parses == []  # not archived for being invisible to the walk
    assert [c.question for c in store.cards(["Extra"])] == ["Kept"]
    write(txt, "# Extra\n\n## Kept\n\nedited\n")
    assert by_name(sync(store).outcomes)["extra.txt"].updated == 1
    txt.unlink()
    assert by_name(sync(store).outcomes)["extra.txt"].archived == 1


def test_importing_a_sub_folder_or_a_parent_folder(store, notes):
    import_paths(store, [notes / "interview"])
    assert registered(store) == [str((notes / "interview").resolve())]
    assert store.deck("Gamma").group == "behavioural"
    import_paths(store, [notes])  # the parent absorbs the registered child
    assert registered(store) == [str(notes.resolve())]
    assert store.deck("Gamma").group == "interview › behavioural"
    import_paths(store, [notes / "interview" / "behavioural"])  # already covered by notes
    assert registered(store) == [str(notes.resolve())]
    assert store.deck("Gamma").group == "interview › behavioural"


def test_unregister_keeps_decks_unless_archive(store, notes, tmp_path):
    import_paths(store, [notes])
    assert unregister(store, str(tmp_path / "nope")) is None
    assert unregister(store, str(notes.resolve())) == (3, 0)
    assert registered(store) == [] and len(store.decks()) == 3
    import_paths(store, [notes])
    assert unregister(store, str(notes.resolve()), archive=True) == (3, 6)
    assert store.decks() == [] and store.cards() == []


def test_dry_run_sync_changes_nothing(store, notes):
    import_paths(store, [notes])
    (notes / "alpha.md").unlink()
    before = file_signature(store.path)
    result = sync(store, dry_run=True)
    assert by_name(result.outcomes)["alpha.md"].archived == 2
    assert file_signature(store.path) == before and len(store.cards(["Alpha"])) == 2


def test_summary_lines():
    from drill.library.sources import Deleted, FileChange, Outcome
    from drill.store.merge import ImportCounts

    one = FileChange(shown="/n/interview/stories.md", source="/n/interview/stories.md", root="/n", rel="interview/stories.md")
    assert summary_line([Outcome(one, ImportCounts("S", updated=3))]) == "3 cards updated in interview/stories.md"
    assert summary_line([Outcome(one, ImportCounts("S", added=1))]) == "1 card added in interview/stories.md"
    assert summary_line([Outcome(one, ImportCounts("S", unchanged=4))]) is None
    bad = FileChange(shown="/n/x.md", source="/n/x.md", error=(1, "binary"))
    gone = Deleted("/n", "old.md", "/n/old.md")
    assert summary_line([Outcome(bad), Outcome(gone, ImportCounts("O", archived=2), deleted=True)]) == (
        "2 cards archived in old.md; 1 file could not be imported (`drill sync` shows why)"
    )
    assert summary_line([Outcome(bad)]) == "1 file could not be imported (`drill sync` shows why)"


# --------------------------------------------------------------------------- command line

def cli(*args: str, db: Path, rc: int = 0) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [*drill_command(), *args], capture_output=True, text=True, env={**os.environ, "DRILL_DB": str(db)}, timeout=60
    )
    assert proc.returncode == rc, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc


def inproc(*args: str, db: Path, rc: int = 0) -> subprocess.CompletedProcess:
    """:func:`cli` through drill.cli:main in-process (tests/cli_main.py), same checks."""
    return run_main(*args, db=db, check_rc=rc)


def test_cli_sync_and_sources(tmp_path, notes):
    db = tmp_path / "cli.json"
    # `sync` and `sources` once each through the console script, the rest in-process
    assert "no folders registered" in cli("sync", db=db).stdout
    assert "no folders registered" in cli("sources", db=db).stdout
    inproc("import", str(notes), db=db)
    assert inproc("sync", db=db).stdout.strip() == "synced 1 folder: 0 changed, 0 deleted, 3 unchanged"
    listed = json.loads(inproc("sources", "--json", db=db).stdout)["sources"]
    assert listed == [{"path": str(notes.resolve()), "files": 3, "decks": 3, "cards": 6, "exists": True}]
    write(notes / "alpha.md", "# Alpha\n\n## First\n\none\n")
    write(notes / "broken.md", "---\ntime_limit: soon\n---\n## Q\n\nA\n")
    proc = inproc("sync", "--json", db=db, rc=1)
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert (files["alpha.md"]["archived"], files["broken.md"]["error"] is not None) == (1, True)
    assert proc.stderr.startswith(f"{notes / 'broken.md'}:2: invalid frontmatter")
    assert inproc("sync", db=db, rc=1).stdout.strip() == "synced 1 folder: 0 changed, 0 deleted, 3 unchanged, 1 failed"
    assert "not a registered folder" in inproc("sources", "--remove", str(tmp_path), db=db, rc=2).stderr
    assert "--archive goes with --remove" in inproc("sources", "--archive", db=db, rc=2).stderr
    out = inproc("sources", "--remove", str(notes), "--archive", db=db).stdout
    assert out.strip() == f"forgot {notes.resolve()} (4 files); 5 cards archived"
    assert json.loads(inproc("decks", "--json", db=db).stdout)["decks"] == []


# --------------------------------------------------------------------------- the app syncs on start

async def test_app_syncs_quietly_on_start_and_says_so_in_one_line(store, notes):
    from textual.widgets import DataTable

    from drill.ui.app import make_app

    import_paths(store, [notes])
    write(notes / "interview" / "behavioural" / "gamma.md", "# Gamma\n\n## Only\n\nalone, edited\n\n## More\n\nnew\n")
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages == ["Cards: 1 added, 1 updated in interview/behavioural/gamma.md"]
        table = app.screen.query_one(DataTable)
        cells = {str(table.get_row_at(i)[0]).strip(): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert cells["Gamma"] == "2"


async def test_app_start_without_changes_says_nothing(store, notes):
    from drill.ui.app import make_app

    import_paths(store, [notes])
    before = file_signature(store.path)
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list(app._notifications) == []
    assert file_signature(store.path) == before
