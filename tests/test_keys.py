"""Stable card keys (drill.store.keys): the same notes give the same keys in two stores."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from drill.library.importer import import_paths
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.store.index import stored_cards
from drill.store.keys import card_key
from drill.study.leeches import unsuspend_record
from drill.study.session import ReviewSession
from tests.helpers import FakeClock

FIXTURES = Path(__file__).parent / "fixtures"


def _keys(tmp_path, name: str, notes: Path) -> dict:
    store = Store(tmp_path / name / "drill.json")
    import_paths(store, [notes], register=False)
    store.close()
    store = Store(store.path)
    return {(c.deck, c.question): c.key for c in store.cards()}


def test_the_same_notes_give_the_same_keys_in_two_stores(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "explicit", notes)
    first = _keys(tmp_path, "a", notes)
    # The other store saw another file first, so its card ids differ.
    other = tmp_path / "other.md"
    other.write_text("# Other\n\n## One\n\nA\n", encoding="utf-8")
    store = Store(tmp_path / "b" / "drill.json")
    import_paths(store, [other], register=False)
    store.close()
    second = _keys(tmp_path, "b", notes)
    assert first and all(first[k] == second[k] for k in first)
    assert len(set(first.values())) == len(first)  # one key per card, cloze siblings included
    assert all(isinstance(k, str) and len(k) == 20 for k in first.values())


def test_keys_follow_deck_and_heading_path(tmp_path):
    a = tmp_path / "a.md"
    a.write_text("---\ndeck: Alpha\n---\n# Alpha\n\n## Why\n\nBecause.\n", encoding="utf-8")
    b = tmp_path / "b.md"
    b.write_text("---\ndeck: Beta\n---\n# Beta\n\n## Why\n\nBecause.\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    import_paths(store, [a, b], register=False)
    alpha, beta = (store.cards([name])[0] for name in ("Alpha", "Beta"))
    assert alpha.path == beta.path and alpha.key != beta.key


# ---------------------------------------------------------------------- keys in the store and the journal
NOW = datetime(2026, 11, 9, 12, 0, tzinfo=timezone.utc)


def _deck(*cards: tuple[str, str]) -> ParsedDeck:
    return ParsedDeck(name="D", cards=[ParsedCard((q,), a, line=1 + 3 * i) for i, (q, a) in enumerate(cards)])


def _import(store: Store, parsed: ParsedDeck) -> None:
    with store.writing():
        store.apply_import(parsed, "/notes/d.md")


def test_a_key_is_stored_once_and_kept_when_a_renamed_heading_is_matched_by_body(tmp_path):
    store = Store(tmp_path / "drill.json")
    _import(store, _deck(("Old heading", "The same body"), ("Other", "B")))
    card = store.cards()[0]
    assert stored_cards(store.path)[str(card.id)]["key"] == card.key
    _import(store, _deck(("New heading", "The same body"), ("Other", "B")))
    renamed = Store(store.path).card(card.id)
    assert renamed.path == ("New heading",) and renamed.key == card.key  # its history goes with it
    # A new card under the old heading derives the renamed card's key: it gets the next one.
    _import(store, _deck(("New heading", "The same body"), ("Other", "B"), ("Old heading", "Another body")))
    keys = [c.key for c in Store(store.path).cards()]
    assert len(set(keys)) == 3 and card_key("D", ("Old heading",), salt=1) in keys


def test_card_by_key_and_card_id_of(tmp_path):
    store = Store(tmp_path / "drill.json")
    _import(store, _deck(("Q1", "A1"), ("Q2", "A2")))
    store.close()
    for reopened in (Store(store.path), Store(store.path)):
        if reopened._cols is not None:
            reopened._full()  # both the index and the whole file answer alike
    store = Store(store.path)
    one, two = store.cards()
    assert store.card_by_key(one.key) == one and store.card_by_key("0" * 20) is None
    assert store.card_id_of({"key": two.key, "card": one.id}) == two.id  # the key wins over the id hint
    assert store.card_id_of({"key": "f" * 20, "card": one.id}) is None  # a card of another store: not ours
    assert store.card_id_of({"card": one.id}) == one.id  # a record of an older drill
    assert store.card_id_of({"card": 999}) is None and store.card_id_of(two.key) == two.id


def test_every_record_names_its_card_by_key_and_has_an_id(tmp_path):
    store = Store(tmp_path / "drill.json")
    _import(store, _deck(*[(f"Q{i}", f"A{i}") for i in range(4)]))
    session = ReviewSession(store, clock=FakeClock(NOW))
    card = session.next_card()
    session.grade(3)
    session.undo()
    session.next_card()
    session.bury()
    store.append(unsuspend_record(card.id, NOW))
    records = [json.loads(line) for line in store.journal.path.read_bytes().splitlines()]
    assert {r["t"] for r in records} >= {"review", "undo", "bury", "unsuspend"}
    for record in records:
        assert store.card_by_key(record["key"]).id == record["card"]
    assert len({r["id"] for r in records}) == len(records)


def test_an_append_after_the_journal_was_replaced_goes_to_the_new_file(tmp_path):
    store = Store(tmp_path / "drill.json")
    _import(store, _deck(("Q1", "A1")))
    card = store.cards()[0]
    store.append({"t": "bury", "card": card.id, "ts": "2026-11-09T12:00:00+00:00", "until": "2026-11-10T04:00:00+00:00"})
    replaced = store.journal.path.with_name("new")
    replaced.write_bytes(store.journal.path.read_bytes())
    replaced.replace(store.journal.path)  # as drill doctor or an upgrade does, under the lock
    store.append({"t": "bury", "card": card.id, "ts": "2026-11-09T12:00:01+00:00", "until": "2026-11-10T04:00:00+00:00"})
    assert len(store.journal.path.read_bytes().splitlines()) == 2
