"""Journal records and store documents of the wrong shape: skipped and counted when
read, never applied, never a traceback; ``drill doctor`` reports and removes them.
Deeply nested JSON is an unreadable line / a corrupt file. Through the real entry point:
the first case of the journal-record matrix runs every command as a ``drill`` subprocess,
its other cases and the store-document matrix call the same entry function in-process
(tests/cli_main.py), ~0.1 s of CPU less per command; the deeply nested JSON test stays
all-subprocess (recursion depth differs in-process).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drill.library.importer import import_paths
from drill.store import schema
from drill.store.collection import Store
from drill.store.index import stored_cards
from cli_main import run_main
from test_cli import run

TS = "2026-01-01T10:00:00+00:00"
STATE = {"state": 2, "step": None, "stability": 3.0, "difficulty": 5.0, "due": "2026-01-04T10:00:00+00:00",
         "last_review": TS, "reps": 1, "lapses": 0}


def review(card: int, **changes) -> dict:
    record = {"t": "review", "id": f"r{card}", "card": card, "deck": "Deck", "ts": TS, "rating": 3, "ms": 1000,
              "kind": "new", "elapsed_days": None, "interval_days": 3.0, "over": False, "state": dict(STATE)}
    record.update(changes)
    return record


BAD_RECORDS = {
    "state-garbage": review(1, state="garbage"),
    "empty-object": {},
    "due-number": review(1, state={**STATE, "due": 5}),
    "bury-until-number": {"t": "bury", "card": 1, "ts": TS, "until": 5},
    "state-9": review(1, state={**STATE, "state": 9}),
    "rating-9": review(1, rating=9, state={**STATE, "due": "2030-01-01T00:00:00+00:00"}),
    "negative-ms": review(1, ms=-5),
}
BAD_DOCS = {"line-str": ("line", "7"), "path-ints": ("path", [1, 2]), "state-garbage": ("state", "garbage")}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.md").write_text("---\ndeck: Deck\n---\n## One\n\nA\n\n## Two\n\nB\n\n## Three\n\nC\n", encoding="utf-8")
    db = tmp_path / "store" / "drill.json"
    store = Store(db)  # what `drill import NOTES` does, in-process: the commands under test run as subprocesses
    import_paths(store, [notes])
    store.close()
    return db


def _runner(name: str, cases: dict):
    """The first case through the console script, the others in-process through ``drill.cli.main``."""
    return run if name == min(cases) else run_main


def _commands(db: Path, run=run) -> list:
    procs = []
    for args in (("decks",), ("decks", "--json"), ("stats",), ("stats", "--json"), ("export",), ("export", "--format", "csv"),
                 ("sync",), ("sources",), ("sources", "--json"), ("doctor", "--dry-run")):
        procs.append(run(*args, db=db))  # run() asserts: exit 0 and no traceback
    return procs


@pytest.mark.parametrize("name", sorted(BAD_RECORDS))
def test_a_journal_record_of_the_wrong_shape_is_skipped_counted_and_removed_by_doctor(db, name):
    assert schema.record_status(BAD_RECORDS[name]) == schema.BAD
    run = _runner(name, BAD_RECORDS)
    journal = db.with_name(db.name + ".journal")
    with journal.open("a", encoding="utf-8") as f:
        f.write(json.dumps(BAD_RECORDS[name]) + "\n")
    procs = _commands(db, run)
    assert "1 unreadable line(s) skipped" in procs[0].stderr
    card = Store(db).card(1)
    assert card.state is None and card.buried_until is None  # never applied
    assert json.loads(procs[3].stdout)["total_reviews"] == 0  # stats and store agree
    assert run("sync", db=db).returncode == 0 and "garbage" not in db.read_text() and "2030" not in db.read_text()
    out = run("doctor", db=db).stdout
    assert "1 record of the wrong shape dropped" in out and "repaired" in out
    assert journal.read_text() == ""
    assert "skipped" not in run("decks", db=db).stderr


def _with_cards(db) -> dict:
    """The store as drill.json of the layout before schema 4 (cards inside it), to edit a card
    document in place; opening it upgrades it (the bad document is set aside either way)."""
    data = json.loads(db.read_text())
    data["cards"] = stored_cards(db)
    data.pop("due_index", None)
    return data


@pytest.mark.parametrize("name", sorted(BAD_DOCS))
def test_a_store_document_of_the_wrong_shape_is_set_aside_and_removed_by_doctor(db, name):
    key, value = BAD_DOCS[name]
    run = run_main  # every command of the wrong-records matrix's first case ran as a subprocess
    data = _with_cards(db)
    first = min(data["cards"], key=int)
    data["cards"][first][key] = value
    deck = next(iter(data["decks"]))
    data["decks"][deck]["tags"] = 5 if name == "line-str" else data["decks"][deck].get("tags", [])
    db.write_text(json.dumps(data))
    procs = _commands(db, run)
    bad = 2 if name == "line-str" else 1
    assert f"{bad} entr" in procs[0].stderr and "of the wrong shape skipped" in procs[0].stderr
    out = run("doctor", db=db).stdout
    assert "of the wrong shape (cards, decks, folder files) removed" in out
    assert "skipped" not in run("decks", db=db).stderr
    assert first not in stored_cards(db) and "set_aside_cards" not in json.loads(db.read_text())


async def test_the_app_opens_on_a_store_with_bad_documents_and_records(db):
    from drill.ui.app import make_app

    data = _with_cards(db)
    data["cards"][min(data["cards"], key=int)]["path"] = [1, 2]
    db.write_text(json.dumps(data))
    with db.with_name(db.name + ".journal").open("a", encoding="utf-8") as f:
        for record in BAD_RECORDS.values():
            f.write(json.dumps(record) + "\n")
    store = Store(db)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
    assert store.bad_documents == 1


def test_deeply_nested_json_is_an_unreadable_line_or_a_corrupt_store(db):
    journal = db.with_name(db.name + ".journal")
    journal.write_text("[" * 5000 + "\n" + '{"t": "review", "x": ' + "[" * 5000 + "\n")
    proc = run("decks", db=db)
    assert "2 unreadable line(s) skipped" in proc.stderr
    run("stats", db=db)
    run("export", db=db)
    assert "2 unreadable lines dropped" in run("doctor", db=db).stdout
    db.write_text("[" * 5000)
    proc = run("decks", db=db, check_rc=1)
    assert "nested too deeply" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    proc = run("doctor", "--dry-run", db=db)
    assert "unreadable (not valid JSON: nested too deeply)" in proc.stdout
