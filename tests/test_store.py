from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import DeckRecord, Store, StoreCorrupt
from drill.store.index import stored_cards
from drill.store.filelock import StoreBusy, WriteLock, atomic_write_bytes
from drill.store.merge import ImportCounts
from drill.store.settings import Settings
from drill.study.schedule import AGAIN, GOOD, Scheduler, iso

SRC = "/notes/deck.md"
NOW = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)


def card(*path: str, answer: str | None = None, line: int = 1) -> ParsedCard:
    return ParsedCard(path=tuple(path), answer=answer if answer is not None else f"Answer to {path[-1]}.", line=line)


def deck(name: str = "Deck", *cards: ParsedCard, **kwargs) -> ParsedDeck:
    return ParsedDeck(name=name, cards=list(cards), **kwargs)


def three_cards(name: str = "Deck", **kwargs) -> ParsedDeck:
    return deck(
        name,
        card("Alpha", line=3),
        card("Beta", "Detail", answer="Beta detail body.\n\n- point one\n- point two", line=7),
        card("Gamma", line=12),
        **kwargs,
    )


def do_import(store: Store, parsed: ParsedDeck, source: str = SRC) -> ImportCounts:
    with store.writing():
        return store.apply_import(parsed, source)


def by_question(store: Store, *, archived: bool = False) -> dict[str, object]:
    return {c.question: c for c in store.cards(archived=archived)}


def review(store: Store, card_id: int, rating: int = GOOD, when: datetime = NOW) -> dict:
    """Journal one grade the way a review session does; return the new state."""
    current = store.card(card_id)
    outcome = Scheduler().outcome(card_id, current.state, rating, when)
    store.append(
        {
            "t": "review",
            "id": f"r{card_id}-{when.timestamp():.0f}-{rating}",
            "card": card_id,
            "deck": current.deck,
            "ts": iso(when),
            "rating": rating,
            "kind": "new" if current.state is None else "review",
            "state": outcome.state,
        }
    )
    return outcome.state


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def on_disk(path: Path) -> dict:
    """drill.json as committed, its ``cards`` put back from the deck files it names (schema 4)."""
    data = json.loads(path.read_bytes())
    data["cards"] = stored_cards(path)
    return data


# ---------------------------------------------------------------- importing


def test_empty_store(store):
    assert store.is_empty()
    assert store.cards() == [] and store.decks() == []
    assert store.settings == Settings()
    assert not store.path.exists()


def test_first_import_adds_cards_and_deck(store):
    counts = do_import(store, three_cards(description="About things", tags=["a", "b"], time_limit=90))
    assert counts == ImportCounts(deck="Deck", cards=3, added=3, updated=0, unchanged=0, archived=0)
    cards = store.cards()
    assert [c.question for c in cards] == ["Alpha", "Beta › Detail", "Gamma"]
    assert [c.line for c in cards] == [3, 7, 12]
    assert all(c.is_new and not c.archived and c.source == SRC and c.deck == "Deck" for c in cards)
    assert len({c.id for c in cards}) == 3
    assert store.card(cards[1].id).answer.startswith("Beta detail body.")
    assert store.decks() == [DeckRecord("Deck", "About things", ("a", "b"), 90, (SRC,))]
    assert store.deck("deck") == store.deck("DECK") == store.decks()[0]
    assert store.deck("nope") is None
    assert not store.is_empty()
    assert store.path.exists()


def test_reimport_unchanged(store):
    do_import(store, three_cards())
    before = {c.id: c for c in store.cards()}
    counts = do_import(store, three_cards())
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (0, 0, 3, 0)
    assert {c.id: c for c in store.cards()} == before


def test_deck_metadata_updates_and_sources_accumulate(store):
    do_import(store, three_cards(description="old"))
    do_import(store, deck("Deck", card("Delta"), description="new", tags=["t"]), source="/notes/other.md")
    (record,) = store.decks()
    assert record.description == "new" and record.tags == ("t",)
    assert record.sources == (SRC, "/notes/other.md")
    # Importing the second file did not archive the first file's cards.
    assert len(store.cards()) == 4


def test_edited_answer_keeps_id_and_history(store):
    do_import(store, three_cards())
    alpha = by_question(store)["Alpha"]
    state = review(store, alpha.id)
    edited = three_cards()
    edited.cards[0] = card("Alpha", answer="A brand new answer.", line=3)
    counts = do_import(store, edited)
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (0, 1, 2, 0)
    after = by_question(store)["Alpha"]
    assert after.id == alpha.id
    assert after.answer == "A brand new answer."
    assert after.state == state


def test_moved_card_updates_line_without_counting_as_update(store):
    do_import(store, three_cards())
    moved = three_cards()
    moved.cards[0] = card("Alpha", line=40)
    counts = do_import(store, moved)
    assert counts.unchanged == 3 and counts.updated == 0
    assert by_question(store)["Alpha"].line == 40


def test_removed_heading_archives_not_deletes(store):
    do_import(store, three_cards())
    gamma = by_question(store)["Gamma"]
    state = review(store, gamma.id)
    parsed = three_cards()
    del parsed.cards[2]
    counts = do_import(store, parsed)
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (0, 0, 2, 1)
    assert "Gamma" not in by_question(store)
    kept = by_question(store, archived=True)["Gamma"]
    assert kept.archived and kept.id == gamma.id and kept.state == state
    assert store.card(gamma.id).archived
    # Importing again does not archive it a second time.
    assert do_import(store, parsed).archived == 0


def test_renamed_heading_with_same_body_keeps_id_and_state(store):
    do_import(store, three_cards())
    beta = by_question(store)["Beta › Detail"]
    state = review(store, beta.id)
    parsed = three_cards()
    # Same body, re-wrapped whitespace; new heading.
    parsed.cards[1] = card("Beta", "Details, renamed", answer="Beta  detail body.\n- point one\n- point   two", line=7)
    counts = do_import(store, parsed)
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (0, 1, 2, 0)
    renamed = store.card(beta.id)
    assert renamed.path == ("Beta", "Details, renamed")
    assert renamed.state == state and not renamed.archived
    assert len(store.cards(archived=True)) == 3


def test_renamed_heading_with_new_body_is_add_plus_archive(store):
    do_import(store, three_cards())
    parsed = three_cards()
    parsed.cards[2] = card("Gamma two", answer="Completely different.", line=12)
    counts = do_import(store, parsed)
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (1, 0, 2, 1)


def test_card_vanishing_from_another_file_is_not_archived(store):
    do_import(store, three_cards())
    do_import(store, deck("Deck", card("Other")), source="/notes/other.md")
    counts = do_import(store, deck("Deck", card("Other")), source="/notes/other.md")
    assert counts.archived == 0
    assert len(store.cards()) == 4


def test_archived_card_reappearing_is_unarchived(store):
    do_import(store, three_cards())
    alpha = by_question(store)["Alpha"]
    state = review(store, alpha.id)
    parsed = three_cards()
    del parsed.cards[0]
    assert do_import(store, parsed).archived == 1
    counts = do_import(store, three_cards())
    assert counts.added == 0 and counts.updated == 1 and counts.unchanged == 2
    back = by_question(store)["Alpha"]
    assert back.id == alpha.id and not back.archived and back.state == state


def test_card_ids_are_never_reused(store):
    do_import(store, three_cards())
    ids = {c.id for c in store.cards()}
    do_import(store, deck("Deck"))  # archive all
    do_import(store, deck("Deck", card("Fresh", answer="nothing like before")))
    fresh = by_question(store)["Fresh"]
    assert fresh.id not in ids
    reopened = Store(store.path)
    do_import(reopened, deck("Other", card("X")), source="/o.md")
    assert by_question(reopened)["X"].id not in ids | {fresh.id}


def test_cards_filter_by_deck_and_order(store):
    do_import(store, three_cards("beta deck"))
    do_import(store, deck("Alpha deck", card("Z", line=9), card("A", line=2)), source="/a.md")
    assert [c.question for c in store.cards()] == ["A", "Z", "Alpha", "Beta › Detail", "Gamma"]
    assert [c.question for c in store.cards(["Alpha deck"])] == ["A", "Z"]
    assert store.cards(["missing"]) == []
    assert [d.name for d in store.decks()] == ["Alpha deck", "beta deck"]


# ---------------------------------------------------------------- dry run


def test_dry_run_on_missing_store_creates_nothing(tmp_path):
    path = tmp_path / "data" / "drill.json"
    store = Store(path)
    counts = store.apply_import(three_cards(), SRC, dry_run=True)
    assert counts == ImportCounts("Deck", cards=3, added=3)
    assert store.cards() == [] and store.decks() == []
    store.close()
    assert not path.parent.exists() or list(path.parent.iterdir()) == []


def test_dry_run_leaves_bytes_unchanged(store):
    do_import(store, three_cards())
    review(store, by_question(store)["Alpha"].id)
    store.compact()
    before = store.path.read_bytes()
    journal_before = store.journal.path.read_bytes()
    cards_before = store.cards(archived=True)
    parsed = deck("Deck", card("Alpha", answer="edited", line=3), card("New one"))
    counts = store.apply_import(parsed, SRC, dry_run=True)
    assert (counts.added, counts.updated, counts.unchanged, counts.archived) == (1, 1, 0, 2)
    assert store.cards(archived=True) == cards_before
    assert store.decks()[0].sources == (SRC,)
    assert store.path.read_bytes() == before
    assert store.journal.path.read_bytes() == journal_before
    # The dry-run numbers are what a real import then does.
    assert do_import(store, parsed) == counts


# ---------------------------------------------------------------- files on disk


def test_files_are_private(tmp_path):
    old = os.umask(0)  # the modes must not depend on a restrictive umask
    try:
        store = Store(tmp_path / "s" / "drill.json")
        do_import(store, three_cards())
        review(store, store.cards()[0].id)
    finally:
        os.umask(old)
    assert mode(store.path) == 0o600
    assert mode(store.journal.path) == 0o600
    assert mode(store.lock.path) == 0o600
    assert store.journal.path.name == "drill.json.journal"
    assert store.lock.path.name == "drill.json.lock"
    assert mode(store.path.parent) == 0o700


def test_atomic_writes_leave_no_temp_files(store):
    for i in range(5):
        do_import(store, deck("Deck", card(f"Card {i}")), source=f"/n/{i}.md")
        review(store, store.cards()[0].id, when=NOW + timedelta(days=i))
        store.compact()
    assert sorted(p.name for p in store.path.parent.iterdir()) == [
        "drill.json",
        "drill.json.decks",  # one file per deck, named by drill.json's due index (drill.store.index)
        "drill.json.journal",
        "drill.json.lock",
        "drill.json.prev",  # drill.json before the last write (a hard link), for drill doctor
        "drill.json.rollup",  # the stats roll-up compaction folds (drill.store.rollup)
    ]
    assert [p.name for p in (store.path.parent / "drill.json.decks").iterdir() if not p.name.endswith(".json")] == []


def test_atomic_write_bytes_replaces_and_cleans_up(tmp_path):
    target = tmp_path / "f.json"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    target.write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_store_file_is_plain_tinydb_json(store):
    do_import(store, three_cards())
    data = on_disk(store.path)
    assert set(data) >= {"decks", "cards", "meta", "due_index"}
    assert data["meta"]["1"]["schema"] == 4
    assert len(data["cards"]) == 3
    raw = json.loads(store.path.read_bytes())
    assert "cards" not in raw and b"Answer" not in store.path.read_bytes()  # card text only in the deck files


def test_home_relative_path():
    store = Store("~/sub/drill.json")  # HOME is a tmp dir (conftest)
    assert store.path == (Path(os.environ["HOME"]) / "sub" / "drill.json").resolve()
    assert "pytest" in str(store.path)


def test_env_is_isolated(tmp_path):
    from drill.store.paths import default_store_path

    home = Path(os.environ["HOME"])
    assert default_store_path() == tmp_path / "drill.json"
    assert not Path(os.environ["HOME"]).is_relative_to(tmp_path)
    assert Path(os.environ["XDG_DATA_HOME"]).is_relative_to(home)
    assert Path(os.environ["XDG_CONFIG_HOME"]).is_relative_to(home)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- persistence


def test_reopen_replays_journal_then_compaction_folds_it(store):
    do_import(store, three_cards())
    ids = [c.id for c in store.cards()]
    s1 = review(store, ids[0], GOOD)
    s2 = review(store, ids[1], AGAIN)
    s1b = review(store, ids[0], GOOD, when=NOW + timedelta(minutes=15))
    # The grades live only in the journal so far.
    assert on_disk(store.path)["meta"]["1"]["journal_offset"] == 0
    assert all(doc["state"] is None for doc in on_disk(store.path)["cards"].values())

    reopened = Store(store.path)
    assert reopened.cards() == store.cards()
    assert reopened.card(ids[0]).state == s1b != s1
    assert reopened.card(ids[1]).state == s2
    assert reopened.card(ids[2]).is_new
    assert reopened.decks() == store.decks()

    assert reopened.compact()
    offset = on_disk(store.path)["meta"]["1"]["journal_offset"]
    assert offset == store.journal.size()
    assert on_disk(store.path)["cards"][str(ids[0])]["state"] == s1b

    again = Store(store.path)
    assert again.cards() == store.cards()
    assert again.card(ids[1]).state == s2
    assert [r["card"] for r in again.reviews()] == [ids[0], ids[1], ids[0]]
    assert [r["card"] for r in again.recent_records()] == [ids[0], ids[1], ids[0]]
    # Nothing new to fold: compaction is a no-op that does not rewrite the file.
    before = store.path.stat().st_ino
    assert again.compact()
    assert store.path.stat().st_ino == before


def test_undo_and_bury_records_replay(store):
    do_import(store, three_cards())
    cid = store.cards()[0].id
    review(store, cid)
    store.append({"t": "bury", "card": cid, "ts": iso(NOW), "until": iso(NOW + timedelta(hours=10))})
    assert store.card(cid).buried_until == iso(NOW + timedelta(hours=10))
    store.append({"t": "undo", "review": "x", "card": cid, "ts": iso(NOW), "state": None})
    reopened = Store(store.path)
    assert reopened.card(cid).state is None
    assert reopened.card(cid).buried_until is None


def test_grades_survive_a_deleted_journal(store):
    # The store file remembers a journal offset; if the journal goes away (deleted,
    # or the store file synced/restored without it), new grades must still count.
    do_import(store, three_cards())
    ids = [c.id for c in store.cards()]
    for cid in ids:
        review(store, cid, AGAIN)
    store.close()
    assert on_disk(store.path)["meta"]["1"]["journal_offset"] > 0
    store.journal.path.unlink()

    second = Store(store.path)
    state = review(second, ids[0], GOOD, when=NOW + timedelta(minutes=5))
    second.journal.close()
    second.lock.close()
    third = Store(store.path)
    assert third.card(ids[0]).state == state
    assert third.card(ids[1]).state["reps"] == 1
    assert third.bad_journal_lines == 0


def test_journal_records_for_unknown_cards_are_ignored(store):
    do_import(store, three_cards())
    store.append({"t": "review", "card": 999, "state": {"due": "x"}})
    store.append({"t": "mystery", "card": store.cards()[0].id})
    assert Store(store.path).cards() == store.cards()


def test_close_compacts(store):
    do_import(store, three_cards())
    cid = store.cards()[0].id
    state = review(store, cid)
    store.close()
    assert on_disk(store.path)["cards"][str(cid)]["state"] == state


def test_needs_compaction(store, monkeypatch):
    import drill.store.collection as store_module

    do_import(store, three_cards())
    assert not store.needs_compaction()
    monkeypatch.setattr(store_module, "COMPACT_AFTER_BYTES", 100)
    review(store, store.cards()[0].id)
    review(store, store.cards()[1].id)
    assert store.needs_compaction()
    store.compact()
    assert not store.needs_compaction()


def test_torn_and_garbage_journal_lines_do_not_break_opening(store):
    do_import(store, three_cards())
    ids = [c.id for c in store.cards()]
    state = review(store, ids[0])
    with open(store.journal.path, "ab") as f:
        f.write(b"garbage line\n")
        f.write(b'{"t":"review","card":%d,"sta' % ids[1])  # torn: writer died
    reopened = Store(store.path)
    assert reopened.bad_journal_lines == 1
    assert reopened.card(ids[0]).state == state
    assert reopened.card(ids[1]).is_new
    state2 = review(reopened, ids[2])
    third = Store(store.path)
    assert third.card(ids[2]).state == state2
    assert third.card(ids[0]).state == state
    assert third.bad_journal_lines == 1  # the garbage; the torn, unacknowledged line was cut off


def test_settings_persist(store):
    custom = Settings(new_per_day=7, reviews_per_day=30, day_starts_at=5, desired_retention=0.85)
    store.save_settings(custom)
    assert store.settings == custom
    assert Store(store.path).settings == custom


def test_writing_rolls_back_on_error(store):
    do_import(store, three_cards())
    before = store.path.read_bytes()
    with pytest.raises(RuntimeError):
        with store.writing():
            store.apply_import(deck("Deck", card("Only")), SRC)
            assert len(store.cards()) == 1
            raise RuntimeError("boom")
    assert store.path.read_bytes() == before
    assert [c.question for c in store.cards()] == ["Alpha", "Beta › Detail", "Gamma"]


# ---------------------------------------------------------------- corruption


@pytest.mark.parametrize(
    "raw",
    [
        b'{"cards": {"1": {"foo": 1}}}',
        b'{"cards": {"1": ["D", "Q"]}}',
        b'{"decks": {"1": {"title": "no name"}}}',
    ],
    ids=["card-without-fields", "card-is-list", "deck-without-name"],
)
def test_a_document_of_the_wrong_shape_is_set_aside_not_the_whole_store(tmp_path, raw):
    """One bad card or deck document no longer makes the store unreadable (issue 12):
    it is skipped and counted, and written back as it was until `drill doctor`."""
    path = tmp_path / "drill.json"
    path.write_bytes(raw)
    store = Store(path)
    assert store.bad_documents == 1 and store.cards() == [] and store.decks() == []
    with store.writing():
        pass
    table = "cards" if b"cards" in raw else "decks"
    stored = json.loads(path.read_bytes())["set_aside_cards" if table == "cards" else table]
    assert stored == json.loads(raw)[table]


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\xff\xfe garbage \x80\x81",
        b'{"decks": {}, "cards": {"1": {"deck": "D", "pa',
        b'[{"decks": {}}]',
        b"42",
        b'{"cards": []}',
        b"",
        b'{"cards": {"x": {"deck": "D", "path": ["Q"], "answer": "A"}}}',
        b'{"meta": {"1": []}}',
        b'{"meta": {"1": {"journal_offset": "12"}}}',
    ],
    ids=["garbage", "truncated", "list", "number", "table-is-list", "empty",
         "card-key-not-int", "meta-is-list", "offset-not-int"],
)
def test_corrupt_store_raises_and_keeps_backup(tmp_path, raw):
    path = tmp_path / "drill.json"
    path.write_bytes(raw)
    with pytest.raises(StoreCorrupt) as info:
        Store(path)
    err = info.value
    assert str(path) in str(err)
    assert err.path == path
    assert err.backup is not None and err.backup.exists()
    assert str(err.backup) in str(err)
    assert err.backup.read_bytes() == raw
    assert mode(err.backup) == 0o600
    assert path.read_bytes() == raw  # the original is left alone


def test_foreign_tinydb_file_with_valid_layout_opens(tmp_path):
    path = tmp_path / "drill.json"
    path.write_text('{"_default": {"1": {"x": 1}}}')
    store = Store(path)
    assert store.is_empty()


def test_valid_store_with_all_fields_opens(store):
    do_import(store, three_cards())
    review(store, store.cards()[0].id)
    store.save_settings(Settings(new_per_day=1))
    reopened = Store(store.path)
    assert reopened.cards() == store.cards()


# ---------------------------------------------------------------- two writers


def test_two_instances_grade_and_import_lose_nothing(tmp_path):
    path = tmp_path / "drill.json"
    setup = Store(path)
    do_import(setup, three_cards())
    setup.close()

    a, b = Store(path), Store(path)
    cid = a.cards()[0].id
    state = review(a, cid)  # A grades (journal only)
    counts = do_import(b, deck("Second", card("New card")), source="/notes/second.md")
    assert counts.added == 1
    assert b.card(cid).state == state  # B caught up with A's grade before flushing

    assert a.refresh() is True
    assert a.card(cid).state == state
    assert "New card" in by_question(a)
    assert [d.name for d in a.decks()] == ["Deck", "Second"]
    assert a.refresh() is False

    fresh = Store(path)
    assert fresh.card(cid).state == state
    assert "New card" in by_question(fresh)


def test_stale_instance_grading_after_other_import_loses_nothing(tmp_path):
    path = tmp_path / "drill.json"
    a = Store(path)
    do_import(a, three_cards())
    b = Store(path)
    do_import(b, deck("Second", card("New card")), source="/notes/second.md")
    cid = a.cards()[0].id
    state = review(a, cid)  # A has not refreshed: it does not know "Second" yet
    assert a.compact()  # folds A's grade into B's file, not over it
    fresh = Store(path)
    assert fresh.card(cid).state == state
    assert "New card" in by_question(fresh)
    b.refresh()
    assert b.card(cid).state == state


def test_append_catches_up_with_other_instance(tmp_path):
    path = tmp_path / "drill.json"
    a = Store(path)
    do_import(a, three_cards())
    b = Store(path)
    ids = [c.id for c in a.cards()]
    sa = review(a, ids[0])
    sb = review(b, ids[1])
    assert b.card(ids[0]).state == sa  # B applied A's line before its own
    assert a.refresh() is True
    assert a.card(ids[1]).state == sb


def test_write_lock_objects_exclude_each_other(tmp_path):
    lock_path = tmp_path / "drill.json.lock"
    first, second = WriteLock(lock_path), WriteLock(lock_path, timeout=0.05)
    with first.held():
        with pytest.raises(StoreBusy) as info:
            with second.held():
                pass
        with first.held():  # re-entrant for the holder
            pass
    message = str(info.value)
    assert str(tmp_path / "drill.json") in message
    assert "another drill process" in message and "0.05s" in message
    with second.held():  # free again once released
        pass
    first.close()
    second.close()


def test_busy_store_in_same_process(tmp_path):
    path = tmp_path / "drill.json"
    a = Store(path)
    do_import(a, three_cards())
    b = Store(path, lock_timeout=0.05)
    first, second = (c.id for c in b.cards()[:2])
    state = review(b, first)  # journaled, not yet compacted
    with a.lock.held():
        with pytest.raises(StoreBusy):
            review(b, second)
        with pytest.raises(StoreBusy):
            with b.writing():
                pass
        assert b.compact(wait=0) is False  # busy: try again later
    assert b.card(second).is_new  # the refused grade was neither applied
    assert Store(path).card(second).is_new  # nor written
    assert b.compact(wait=0) is True
    assert on_disk(path)["cards"][str(first)]["state"] == state


def test_busy_store_held_by_another_process(tmp_path):
    path = tmp_path / "drill.json"
    store = Store(path, lock_timeout=0.1)
    do_import(store, three_cards())
    cid = store.cards()[0].id
    script = textwrap.dedent(
        f"""
        import sys
        from drill.store.collection import Store
        s = Store({str(path)!r})
        with s.lock.held():
            print("locked", flush=True)
            sys.stdin.readline()
        """
    )
    repo = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(repo))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusy, match="another drill process is writing"):
            review(store, cid)
        assert store.card(cid).is_new
        assert Store(path).cards() == store.cards()  # readers never wait for the lock
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
    review(store, cid)  # the lock is free again
    assert not store.card(cid).is_new


def test_recent_reviews_newest_first_without_undone_and_stops_at_since(store):
    def review(rid, ts, card=1):
        state = {"state": 2, "due": "2026-02-01T00:00:00+00:00"}
        store.append({"t": "review", "id": rid, "card": card, "ts": ts, "rating": 3, "state": state})

    review("old", "2026-01-01T10:00:00+00:00")
    review("a", "2026-01-02T10:00:00+00:00")
    review("b", "2026-01-02T11:00:00+00:00")
    store.append({"t": "undo", "review": "b", "card": 1, "ts": "2026-01-02T11:01:00+00:00", "state": None})
    review("c", "2026-01-02T12:00:00+00:00")
    since = "2026-01-02T00:00:00+00:00"
    assert [r["id"] for r in store.recent_reviews(since)] == ["c", "a"]
    assert [r["id"] for r in store.recent_reviews(since, limit=2)] == ["c"]
