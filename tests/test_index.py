"""drill.json's due index and the per-deck card files (drill.store.index, store schema 4): the
same answers as a whole load, a commit that rewrites only the decks it touched, and a kill -9
anywhere in a commit leaving the old state or the new one."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store import index as due_index
from drill.store.collection import Store, StoreCorrupt
from drill.store.doctor import doctor
from drill.study.schedule import AGAIN, GOOD
from drill.study.session import ReviewSession, deck_counts
from tests.helpers import FakeClock

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _build(tmp_path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        for d in range(3):
            cards = [ParsedCard((f"D{d} Q{i}",), f"A{i}", line=i + 1) for i in range(6)]
            store.apply_import(ParsedDeck(f"Deck {d}", cards=cards), str(tmp_path / f"d{d}.md"))
    session = ReviewSession(store, clock=FakeClock(NOW))
    for rating in (GOOD, AGAIN, GOOD):
        session.next_card()
        session.grade(rating)
    session.next_card()
    store.append({"t": "bury", "card": session.current.id, "ts": "2026-11-20T09:00:00+00:00",
                  "until": "2026-11-21T04:00:00+00:00"})
    return store


def _view(store: Store) -> dict:
    clock = FakeClock(NOW)
    return {
        "cards": [(c.id, c.deck, c.path, c.state, c.buried_until, c.suspended) for c in store.cards(archived=True)],
        "decks": store.decks(),
        "counts": deck_counts(store, clock()),
        "queue": [c.id for c in ReviewSession(store, clock=clock).queue],
        "one": store.card(2),
    }


def test_a_compacted_store_opens_from_the_due_index_with_the_same_answers(tmp_path):
    store = _build(tmp_path)
    store.close()  # compacts: the deck files, then drill.json naming them
    raw = json.loads(store.path.read_bytes())
    assert "cards" not in raw and set(raw["due_index"]) == {"Deck 0", "Deck 1", "Deck 2"}
    fast = Store(store.path)
    assert fast._cols is not None  # nothing but drill.json read
    assert fast.card(2) is not None and fast._bodies.keys() == {fast.card(2).deck}  # one deck file
    full = Store(store.path)
    full._full()
    assert _view(fast) == _view(full)


def test_grades_after_the_last_commit_are_replayed_onto_the_index(tmp_path):
    store = _build(tmp_path)
    store.close()
    other = Store(store.path)
    session = ReviewSession(other, clock=FakeClock(NOW))
    card = session.next_card()
    session.grade(GOOD)
    other.close(compact=False)  # in the journal only
    reopened = Store(store.path)
    assert reopened._cols is not None
    assert reopened.card(card.id).state == other.card(card.id).state
    assert dict(reopened.scan([card.deck]))[card.id]["state"]["due"] == other.card(card.id).state["due"]


@pytest.mark.parametrize("kill_at", ["deck files written", "drill.json renamed"])
def test_a_commit_killed_anywhere_leaves_the_old_state_or_the_new_one(tmp_path, monkeypatch, kill_at):
    store = _build(tmp_path)
    store.close()
    before = _view(Store(store.path))
    store = Store(store.path)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # as kill -9 there: nothing after it runs

    if kill_at == "deck files written":
        monkeypatch.setattr("drill.store.collection.atomic_write_bytes", killed)
    else:
        monkeypatch.setattr(due_index, "remove_unreferenced", killed)
    with pytest.raises(KeyboardInterrupt):
        with store.writing():
            store.apply_import(ParsedDeck("Deck 0", cards=[ParsedCard(("Changed",), "B", line=1)]),
                               str(tmp_path / "d0.md"))
            store.apply_import(ParsedDeck("Deck 9", cards=[ParsedCard(("New",), "A", line=1)]), str(tmp_path / "n.md"))
    monkeypatch.undo()
    reopened = Store(store.path)
    names = {d.name for d in reopened.decks()}
    if kill_at == "deck files written":
        assert _view(reopened) == before and "Deck 9" not in names  # old: drill.json still names the old files
    else:
        assert "Deck 9" in names and reopened.cards(["Deck 9"])[0].answer == "A"  # new, whole
    reopened._full()
    with reopened.writing():
        pass  # the next commit removes the files no drill.json names
    named = {d["file"] for d in json.loads(store.path.read_bytes())["due_index"].values()}
    assert {p.name for p in due_index.decks_dir(store.path).iterdir()} == named


def test_a_missing_deck_file_is_a_damaged_store_that_doctor_repairs(tmp_path):
    store = _build(tmp_path)
    store.close()
    lost = json.loads(store.path.read_bytes())["due_index"]["Deck 1"]["file"]
    (due_index.decks_dir(store.path) / lost).unlink()
    reopened = Store(store.path)  # opens from the due index: the deck files are read on demand
    with pytest.raises(StoreCorrupt, match="doctor"):
        reopened.cards(archived=True)
    report = doctor(store.path)
    assert report.store_problem and lost in report.store_problem
    assert report.reimport == [str(tmp_path / "d1.md")]  # its cards are gone with the file: import it again
    repaired = Store(store.path)
    assert {c.deck for c in repaired.cards()} == {"Deck 0", "Deck 2"}


def test_a_garbled_due_index_is_a_clear_error(tmp_path):
    store = _build(tmp_path)
    store.close()
    data = json.loads(store.path.read_bytes())
    data["due_index"]["Deck 0"]["due"] = data["due_index"]["Deck 0"]["due"][:-1]  # columns out of step
    store.path.write_text(json.dumps(data))
    with pytest.raises(StoreCorrupt, match="due index"):
        Store(store.path)


@pytest.mark.parametrize("deck_count", [1, 3])
def test_a_commit_rewrites_only_the_deck_files_that_changed(tmp_path, deck_count):
    store = _build(tmp_path)
    store.close()
    before = set(p.name for p in due_index.decks_dir(store.path).iterdir())
    store = Store(store.path)
    with store.writing():
        for d in range(deck_count):
            store.apply_import(ParsedDeck(f"Deck {d}", cards=[ParsedCard(("Only",), "A", line=1)]),
                               str(tmp_path / f"d{d}.md"))
    after = set(p.name for p in due_index.decks_dir(store.path).iterdir())
    assert len(after) == 3 and len(before & after) == 3 - deck_count


def test_each_commit_has_the_next_generation_and_keeps_the_previous_drill_json(tmp_path):
    store = _build(tmp_path)
    store.close()
    first = json.loads(store.path.read_bytes())
    store = Store(store.path)
    with store.writing():
        store.apply_import(ParsedDeck("Deck 5", cards=[ParsedCard(("Q",), "A", line=1)]), str(tmp_path / "x.md"))
    second = json.loads(store.path.read_bytes())
    assert second["meta"]["1"]["generation"] == first["meta"]["1"]["generation"] + 1
    assert json.loads(store.path.with_name("drill.json.prev").read_bytes()) == first


def test_a_deck_file_cut_short_is_noticed(tmp_path):
    store = _build(tmp_path)
    store.close()
    victim = sorted(due_index.decks_dir(store.path).iterdir())[0]
    victim.write_bytes(victim.read_bytes()[:-5])  # damage: files are fsync'd before drill.json names them
    with pytest.raises(StoreCorrupt, match="cut short"):
        Store(store.path).cards(archived=True)
