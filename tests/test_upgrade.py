"""A store written by the release before issue 16 (tests/fixtures/v1-store, built with that code:
a registered folder, grades over six days, an undo, a bury, a leech suspension, changed settings,
a mock, and two grades still only in the journal) opens, upgrades and keeps everything."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from drill.stats.compute import compute_stats, read_reviews, store_stats
from drill.store import index as due_index
from drill.store import rollup
from drill.store.collection import Store
from drill.store.doctor import doctor
from drill.store.keys import card_key
from drill.study.session import ReviewSession, deck_counts
from tests.helpers import FakeClock

FIXTURE = Path(__file__).parent / "fixtures" / "v1-store"
NOW = datetime(2026, 11, 9, 12, 0, tzinfo=timezone.utc)


def _copy(tmp_path) -> Path:
    for name in ("drill.json", "drill.json.journal"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    return tmp_path / "drill.json"


def _everything(store: Store) -> dict:
    clock = FakeClock(NOW)
    return {
        "cards": [(c.id, c.deck, c.path, c.answer, c.source, c.line, c.state, c.buried_until, c.suspended,
                   c.suspend_reason, c.archived, c.kind, c.prompt, c.cloze) for c in store.cards(archived=True)],
        "decks": store.decks(),
        "settings": store.settings,
        "mocks": store.mocks(),
        "sources": json.dumps(store.source_folders(), sort_keys=True),
        "counts": deck_counts(store, clock()),
        "queue": [c.id for c in ReviewSession(store, clock=clock).queue],
        "stats": store_stats(store, clock()).to_json(),
    }


def test_the_v1_fixture_is_what_it_claims():
    data = json.loads((FIXTURE / "drill.json").read_bytes())
    assert data["meta"]["1"]["schema"] == 1 and data["sources"] and data["mocks"]
    assert any(c.get("suspended") for c in data["cards"].values())
    kinds = {json.loads(line)["t"] for line in (FIXTURE / "drill.json.journal").read_text().splitlines()}
    assert {"review", "undo", "bury", "suspend"} <= kinds
    assert data["meta"]["1"]["journal_offset"] < (FIXTURE / "drill.json.journal").stat().st_size  # a tail


def _journal(store: Store) -> list[dict]:
    return [json.loads(line) for line in store.journal.path.read_bytes().splitlines() if line.strip()]


def _history(store: Store) -> list[tuple]:
    """Every journal record as the store resolves it: type, id of the card, the review it
    undoes, the state or bury it sets (what stays equal across an upgrade)."""
    return [(r["t"], store.card_id_of(r), r.get("review"), r.get("rating"), r.get("state"), r.get("until"),
             r.get("reason")) for r in _journal(store)]


def _legacy(db: Path, monkeypatch) -> Store:
    """The v1 store read as the old release read it: no upgrade, records resolved by card id."""
    with monkeypatch.context() as m:
        m.setattr(Store, "_upgrade", lambda self: None)
        return Store(db)


def test_a_v1_store_upgrades_on_first_open_and_keeps_everything(tmp_path, monkeypatch):
    db = _copy(tmp_path)
    original, original_journal = db.read_bytes(), db.with_name("drill.json.journal").read_bytes()
    v1 = _legacy(db, monkeypatch)
    before = _everything(v1)
    history = _history(v1)
    assert before["stats"] == compute_stats(read_reviews(v1.journal.path), v1.cards(), v1.decks(), NOW,
                                            v1.settings).to_json()
    assert db.read_bytes() == original  # nothing written yet
    v1.close(compact=False)

    upgraded = Store(db)  # the first open upgrades, atomically, keeping the old files
    assert (tmp_path / "drill.json.v1-backup").read_bytes() == original
    assert (tmp_path / "drill.json.journal.v1-backup").read_bytes() == original_journal
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == 4
    assert not list(tmp_path.glob("*upgrade*"))
    records = _journal(upgraded)
    assert len(records) == len(history)
    assert all(isinstance(r.get("id"), str) and r["id"] for r in records)
    assert len({r["id"] for r in records}) == len(records)  # every record has an id of its own
    named = [r for r in records if "card" in r]
    assert named and all(isinstance(r.get("key"), str) and len(r["key"]) == 20 for r in named)
    cards = upgraded.cards(archived=True)
    keys = [c.key for c in cards]
    assert all(keys) and len(set(keys)) == len(keys)
    assert all(upgraded.card_by_key(c.key) == c for c in cards)
    # Every card, review, undo, bury, suspension, mock, setting and registered folder survived.
    assert _history(upgraded) == history
    assert _everything(upgraded) == before
    upgraded.close()  # folds the tail, builds the index, the deck files and the roll-up
    assert due_index.decks_dir(db).is_dir() and rollup.rollup_path(db).exists()
    assert "cards" not in json.loads(db.read_bytes())  # schema 4: the cards live in the deck files
    reopened = Store(db)
    assert reopened._cols is not None  # opens from the index now
    assert _everything(reopened) == before and _history(reopened) == history
    reopened._full()
    assert _everything(reopened) == before
    assert Store(db).card_by_key(keys[0]).id == cards[0].id


def test_keys_of_an_upgraded_store_are_those_a_fresh_import_gives(tmp_path):
    db = _copy(tmp_path)
    upgraded = Store(db)
    for card in upgraded.cards(archived=True):
        assert card.key == card_key(card.deck, card.path, card.kind, card.prompt, card.cloze)


def test_grades_after_the_upgrade_are_journalled_by_key(tmp_path):
    db = _copy(tmp_path)
    store = Store(db)
    session = ReviewSession(store, clock=FakeClock(NOW))
    card = session.next_card()
    session.grade(3)
    last = _journal(store)[-1]
    assert last["t"] == "review" and last["key"] == card.key and last["card"] == card.id
    assert list(last)[:4] == ["t", "id", "key", "card"]
    assert Store(db).card(card.id).state == last["state"]


def test_an_upgrade_killed_before_its_commit_leaves_the_old_store(tmp_path, monkeypatch):
    db = _copy(tmp_path)
    original, journal = db.read_bytes(), db.with_name("drill.json.journal").read_bytes()

    def killed(path, data):
        raise KeyboardInterrupt  # as kill -9 at that point: nothing after it runs

    with monkeypatch.context() as m:
        m.setattr("drill.store.collection.atomic_write_bytes", killed)
        try:
            Store(db)
        except KeyboardInterrupt:
            pass
    assert db.read_bytes() == original and db.with_name("drill.json.journal").read_bytes() == journal
    expected = _everything(_legacy(db, monkeypatch))
    assert _everything(Store(db)) == expected  # the next open upgrades


def test_an_upgrade_killed_between_commit_and_journal_rename_is_finished_by_the_next_open(tmp_path, monkeypatch):
    db = _copy(tmp_path)
    expected = _everything(_legacy(db, monkeypatch))
    history = _history(_legacy(db, monkeypatch))

    def killed(self, meta):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(Store, "_finish_journal_swap", killed)
        try:
            Store(db)
        except KeyboardInterrupt:
            pass
    assert json.loads(db.read_bytes())["meta"]["1"]["journal_swap"]  # committed, rename pending
    assert b'"key"' not in db.with_name("drill.json.journal").read_bytes()
    store = Store(db)
    assert b'"key"' in store.journal.path.read_bytes()
    assert _everything(store) == expected and _history(store) == history


def test_two_opens_upgrade_once(tmp_path):
    db = _copy(tmp_path)
    first = Store(db)
    upgraded = db.with_name("drill.json.journal").read_bytes()
    second = Store(db)
    assert db.with_name("drill.json.journal").read_bytes() == upgraded
    assert _everything(first) == _everything(second)


def test_doctor_finds_an_upgraded_store_healthy_and_repairs_it(tmp_path):
    db = _copy(tmp_path)
    Store(db).close()
    assert not doctor(db).changed  # healthy: left alone
    before = _everything(Store(db))
    journal = db.with_name("drill.json.journal")
    journal.write_bytes(journal.read_bytes() + b'{"t": "review", "car')  # a torn last line
    report = doctor(db)
    assert report.changed and report.torn_tail
    repaired = Store(db)
    assert repaired._cols is not None  # doctor rebuilt the index for the repaired drill.json
    assert _everything(repaired) == before
