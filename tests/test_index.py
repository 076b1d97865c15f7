"""The due index and per-deck card files (drill.store.index): same answers as drill.json, never trusted stale."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store import index as due_index
from drill.store.collection import Store
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


def test_a_compacted_store_opens_from_the_index_with_the_same_answers(tmp_path):
    store = _build(tmp_path)
    store.close()  # compacts: drill.json, then the deck files, then the index
    assert due_index.is_current(store.path, (store.path.stat().st_ino, store.path.stat().st_mtime_ns,
                                             store.path.stat().st_size))
    fast = Store(store.path)
    assert fast._cols is not None  # nothing but the index read
    assert fast.card(2) is not None and fast._bodies.keys() == {fast.card(2).deck}  # one deck file
    full = Store(store.path)
    full._full()
    assert _view(fast) == _view(full)


def test_grades_after_the_index_was_written_are_replayed_onto_it(tmp_path):
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


def test_an_index_of_another_drill_json_is_ignored(tmp_path, monkeypatch):
    store = _build(tmp_path)
    store.close()
    store = Store(store.path)
    # A kill -9 after drill.json was renamed into place but before the index was written.
    monkeypatch.setattr(due_index, "write", lambda *a, **k: (_ for _ in ()).throw(OSError("killed")))
    with store.writing():
        store.apply_import(ParsedDeck("Deck 9", cards=[ParsedCard(("New",), "A", line=1)]), str(tmp_path / "n.md"))
    monkeypatch.undo()
    reopened = Store(store.path)
    assert reopened._cols is None  # the index describes the old file: loaded whole instead
    assert "Deck 9" in {d.name for d in reopened.decks()}


def test_a_missing_deck_file_falls_back_to_drill_json(tmp_path):
    store = _build(tmp_path)
    store.close()
    for path in due_index.decks_dir(store.path).iterdir():
        path.unlink()
    reopened = Store(store.path)
    assert reopened._cols is not None
    assert reopened.card(1).answer == "A0"
    assert reopened._cols is None


def test_a_garbled_index_is_ignored(tmp_path):
    store = _build(tmp_path)
    store.close()
    path = due_index.index_path(store.path)
    head, _ = path.read_bytes().split(b"\n", 1)
    path.write_bytes(head + b"\n{\"small\": ")
    assert Store(store.path)._cols is None


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


def test_the_index_header_names_the_drill_json(tmp_path):
    store = _build(tmp_path)
    store.close()
    head = json.loads(due_index.index_path(store.path).read_bytes().split(b"\n", 1)[0])
    st = store.path.stat()
    assert head == {"v": due_index.VERSION, "sig": [st.st_ino, st.st_mtime_ns, st.st_size]}


def test_a_deck_file_cut_short_is_noticed_and_written_again(tmp_path):
    store = _build(tmp_path)
    store.close()
    victim = sorted(due_index.decks_dir(store.path).iterdir())[0]
    victim.write_bytes(victim.read_bytes()[:-5])  # a crash before the data reached the disk
    reopened = Store(store.path)
    for card in reopened.cards(archived=True):  # whole cards, whichever deck: right answers
        assert card.answer.startswith("A")
    with reopened.writing():
        reopened.apply_import(ParsedDeck("Deck 7", cards=[ParsedCard(("Q",), "A", line=1)]), str(tmp_path / "x.md"))
    assert victim.stat().st_size == int(victim.name.rsplit("-", 1)[1][:-5])  # rewritten whole
