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


def test_a_v1_store_upgrades_on_first_write_and_keeps_everything(tmp_path):
    db = _copy(tmp_path)
    original = db.read_bytes()
    v1 = Store(db)
    assert v1._cols is None  # no index yet: drill.json read whole, as the old release did
    before = _everything(v1)
    assert before["stats"] == compute_stats(read_reviews(v1.journal.path), v1.cards(), v1.decks(), NOW,
                                            v1.settings).to_json()
    v1.close()  # the first write: folds the tail, builds the index, the deck files and the roll-up
    assert (tmp_path / "drill.json.v1-backup").read_bytes() == original  # the old file, kept
    assert json.loads(db.read_bytes())["meta"]["1"]["schema"] == 2
    assert due_index.index_path(db).exists() and rollup.rollup_path(db).exists()
    upgraded = Store(db)
    assert upgraded._cols is not None  # opens from the index now
    assert _everything(upgraded) == before
    upgraded._full()
    assert _everything(upgraded) == before


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
