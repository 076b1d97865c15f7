"""QA finding (issue 16): a truncated or damaged drill.json must not cost the schedules when
the per-deck card files, the due index or an upgrade's backup are intact. ``drill doctor``
rebuilds the store from them and replays the whole journal onto it by stable key."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from drill.cli import main
from drill.library.importer import import_paths
from drill.store import index as due_index
from drill.store.collection import Store, StoreCorrupt, previous_path
from drill.store.settings import Settings
from drill.study.leeches import suspend_record
from drill.study.session import ReviewSession
from tests.helpers import FakeClock

NOW = datetime(2026, 11, 9, 12, 0, tzinfo=timezone.utc)
UPGRADE_FIXTURE = Path(__file__).parent / "fixtures" / "v1-store"


def _notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    for d in range(3):
        body = [f"# Rebuild deck {d}", ""]
        for i in range(6):
            body += [f"## Rebuild {d} question {i}", "", f"Answer {d}.{i}, in a few words.", ""]
        (notes / f"deck-{d}.md").write_text("\n".join(body), encoding="utf-8")
    return notes


def _studied_store(tmp_path: Path) -> Path:
    """Imported (a registered folder), graded over two days, a bury and a suspension, settings
    changed, compacted (so the index and deck files exist), then more grades in the journal tail."""
    db = tmp_path / "store" / "drill.json"
    store = Store(db)
    import_paths(store, [_notes(tmp_path)])
    store.save_settings(Settings(new_per_day=7))
    clock = FakeClock(NOW)
    session = ReviewSession(store, clock=clock)
    for rating in (3, 1, 4, 3):
        session.next_card()
        session.grade(rating)
        clock.advance(seconds=20)
    session.next_card()
    session.bury()
    victim = store.cards()[-1]
    store.append(suspend_record(victim.id, clock()))
    store.close()  # compaction: drill.json, the index and the deck files as of now
    clock.advance(days=1)
    store = Store(db)
    session = ReviewSession(store, clock=clock)
    for rating in (3, 3, 2):
        session.next_card()
        session.grade(rating)
        clock.advance(seconds=20)
    store.close(compact=False)  # these grades are only in the journal
    return db


def _state(store: Store) -> dict:
    return {
        "cards": {c.id: (c.key, c.deck, c.path, c.answer, c.state, c.buried_until, c.suspended, c.suspend_reason)
                  for c in store.cards(archived=True)},
        "decks": [d.name for d in store.decks()],
        "settings": store.settings,
        "folders": sorted(store.source_folders()),
    }


def _doctor(db: Path, capsys) -> str:
    assert main(["--db", str(db), "doctor"]) == 0
    return capsys.readouterr().out


def test_a_truncated_store_is_rebuilt_from_its_deck_files_and_journal(tmp_path, capsys):
    db = _studied_store(tmp_path)
    before = _state(Store(db))
    assert any(s[4] for s in before["cards"].values()) and any(s[6] for s in before["cards"].values())
    db.write_bytes(db.read_bytes()[:40])  # nothing of it decodes any more
    try:
        Store(db)
    except StoreCorrupt:
        pass
    else:
        raise AssertionError("a truncated drill.json must not open as a store")
    out = _doctor(db, capsys)
    assert "recovered" in out and "drill.json.decks" in out and "repaired" in out
    repaired = Store(db)
    assert _state(repaired) == before  # every card, schedule, bury, suspension, setting and folder
    assert "healthy" in _doctor(db, capsys)


def test_a_store_file_cut_anywhere_loses_no_schedule(tmp_path, capsys):
    db = _studied_store(tmp_path)
    before = _state(Store(db))
    whole = db.read_bytes()
    for share in (0.3, 0.7):
        db.write_bytes(whole[: int(len(whole) * share)])
        _doctor(db, capsys)
        assert _state(Store(db)) == before
        db.write_bytes(whole)


def test_a_deleted_store_file_is_rebuilt_too(tmp_path, capsys):
    db = _studied_store(tmp_path)
    before = _state(Store(db))
    db.unlink()
    assert "recovered" in _doctor(db, capsys)
    assert _state(Store(db)) == before


def test_without_any_copy_of_drill_json_the_deck_files_alone_bring_the_cards_back(tmp_path, capsys):
    db = _studied_store(tmp_path)
    before = _state(Store(db))
    previous_path(db).unlink()
    db.write_bytes(b"\x00garbage")
    _doctor(db, capsys)
    after = _state(Store(db))
    assert after["cards"] == before["cards"] and after["decks"] == before["decks"]
    assert after["settings"] == Settings()  # the small tables went with drill.json and its copy


def test_an_upgraded_store_comes_back_from_its_backup_when_all_else_is_gone(tmp_path, capsys):
    for name in ("drill.json", "drill.json.journal"):
        shutil.copy(UPGRADE_FIXTURE / name, tmp_path / name)
    db = tmp_path / "drill.json"
    before = _state(Store(db))  # upgraded on open: drill.json.v1-backup kept
    assert (tmp_path / "drill.json.v1-backup").exists()
    db.write_bytes(b"{")
    shutil.rmtree(due_index.decks_dir(db), ignore_errors=True)
    previous_path(db).unlink(missing_ok=True)
    out = _doctor(db, capsys)
    assert "v1-backup" in out
    after = _state(Store(db))
    assert {cid: s[4:] for cid, s in after["cards"].items()} == {cid: s[4:] for cid, s in before["cards"].items()}
    assert after["settings"] == before["settings"] and after["folders"] == before["folders"]
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == 4


def test_a_deleted_store_file_is_not_a_first_start(tmp_path, capsys, monkeypatch):
    """QA finding: with drill.json deleted but its deck files left, `drill` treated the store as
    new, imported the sample decks over it, and doctor could no longer bring the user's decks back.
    Every command now says the store is missing and points at doctor, which rebuilds it -- also
    before any grade was made (no journal)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "store" / "drill.json"
    store = Store(db)
    import_paths(store, [_notes(tmp_path)])
    store.close()
    before = _state(Store(db))
    db.unlink()
    previous_path(db).unlink(missing_ok=True)
    assert not db.with_name("drill.json.journal").exists() or db.with_name("drill.json.journal").stat().st_size == 0
    for argv in (["decks"], []):
        assert main(["--db", str(db), *argv]) == 1
        err = capsys.readouterr().err
        assert "it is missing, but its deck files are still there" in err and "drill doctor" in err
    assert not db.exists()  # nothing was written over it
    out = _doctor(db, capsys)
    assert "recovered 18 cards and 3 decks" in out and "kept at \n" not in out + "\n"
    after = _state(Store(db))
    assert after["cards"] == before["cards"] and after["decks"] == before["decks"]
