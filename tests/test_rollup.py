"""The stats roll-up (drill.store.rollup): folded at compaction, equal to a full pass."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.stats.compute import compute_stats, read_reviews, store_stats
from drill.store import rollup
from drill.store.collection import Store
from drill.study.schedule import AGAIN, GOOD, HARD
from drill.study.session import ReviewSession
from tests.helpers import FakeClock

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _store(tmp_path, cards: int = 12) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(
            ParsedDeck("Deck", cards=[ParsedCard((f"Q{i}",), f"A{i}", line=i + 1) for i in range(cards)]),
            str(tmp_path / "d.md"),
        )
    return store


def _review_days(store: Store, clock: FakeClock, days: int, rng: random.Random, undo_every: int = 0) -> None:
    n = 0
    for _ in range(days):
        session = ReviewSession(store, clock=clock)
        while session.next_card() is not None:
            session.grade(rng.choice((AGAIN, HARD, GOOD, GOOD)))
            n += 1
            if undo_every and n % undo_every == 0:
                session.undo()
        clock.advance(days=1, minutes=rng.randint(0, 300))


def _full(store: Store, now: datetime):
    return compute_stats(read_reviews(store.journal.path), store.cards(), store.decks(), now, store.settings)


def test_stats_from_rollup_and_tail_equal_a_full_pass(tmp_path):
    store = _store(tmp_path)
    clock = FakeClock(NOW)
    rng = random.Random(3)
    _review_days(store, clock, 20, rng, undo_every=7)
    assert store.compact()  # saves the roll-up ...
    saved = json.loads(rollup.rollup_path(store.path).read_bytes())
    assert saved["upto"] == store.journal.size()
    _review_days(store, clock, 15, rng, undo_every=5)  # ... and more reviews land in the tail
    assert store_stats(store, clock()).to_json() == _full(store, clock()).to_json()
    store.close()
    again = Store(store.path)
    assert store_stats(again, clock()).to_json() == _full(again, clock()).to_json()


def test_undoing_a_review_already_folded_subtracts_it(tmp_path):
    store = _store(tmp_path, cards=3)
    clock = FakeClock(NOW)
    session = ReviewSession(store, clock=clock)
    session.next_card()
    session.grade(AGAIN)
    session.next_card()
    session.grade(GOOD)
    assert store.compact()
    session.undo()  # the journal's undo refers to a review the roll-up holds
    stats = store_stats(store, clock())
    assert stats.total_reviews == 1
    assert stats.to_json() == _full(store, clock()).to_json()


def test_a_replaced_journal_rebuilds_the_rollup(tmp_path):
    store = _store(tmp_path)
    clock = FakeClock(NOW)
    _review_days(store, clock, 5, random.Random(1))
    assert store.compact()
    store.close()
    journal = store.journal.path
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[: len(lines) // 2]))  # as a restore from an older copy would
    reopened = Store(store.path)
    assert store_stats(reopened, clock()).total_reviews == len(read_reviews(journal))


def test_a_corrupt_rollup_is_ignored(tmp_path):
    store = _store(tmp_path)
    clock = FakeClock(NOW)
    _review_days(store, clock, 3, random.Random(2))
    assert store.compact()
    rollup.rollup_path(store.path).write_bytes(b'{"v": 1, "upto": ')
    assert store_stats(store, clock()).to_json() == _full(store, clock()).to_json()


def test_compaction_with_nothing_new_writes_nothing(tmp_path):
    store = _store(tmp_path)
    assert store.compact()
    assert not rollup.rollup_path(store.path).exists()  # no reviews: nothing to roll up
    before = store.path.stat().st_mtime_ns
    store.close()
    assert store.path.stat().st_mtime_ns == before


def test_buckets_keep_quarter_hours_for_odd_offsets():
    assert rollup.bucket("2026-11-20T09:47:12+00:00", 60) == "2026-11-20T09|60"
    assert rollup.bucket("2026-11-20T09:47:12+00:00", 330) == "2026-11-20T09:45|330"
    assert rollup.bucket("2026-11-20T09:07:12+00:00", None) == "2026-11-20T09:00|"
    assert rollup.bucket_time("2026-11-20T09|60") == ("2026-11-20T09:00:00+00:00", 60)
    assert rollup.bucket_time("2026-11-20T09:45|") == ("2026-11-20T09:45:00+00:00", None)


def test_streaming_reads_in_chunks(tmp_path, monkeypatch):
    store = _store(tmp_path)
    clock = FakeClock(NOW)
    _review_days(store, clock, 6, random.Random(4), undo_every=4)
    whole = rollup.current(store.path, store.journal.path)
    small = rollup.Rollup()
    from drill.store import reviewlog

    for reviews, undone, offset in reviewlog.iter_review_chunks(store.journal.path, 0, chunk=700):
        small.fold(reviews, undone)
        small.upto = offset
    assert small.to_json()["totals"] == whole.to_json()["totals"]
    assert small.hours == whole.hours and small.cards == whole.cards


async def test_the_app_compacts_a_long_tail_in_a_child_process(tmp_path, monkeypatch):
    from drill.store import collection
    from drill.ui.app import make_app
    from drill.ui.screens.review import ReviewScreen

    store = _store(tmp_path, cards=4)
    monkeypatch.setattr(collection, "COMPACT_AFTER_BYTES", 100)  # one grade passes it
    app = make_app(store, clock=FakeClock(NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "3")
        await pilot.pause()
        await app.workers.wait_for_complete()
        meta = json.loads(store.path.read_bytes())["meta"]["1"]
        assert meta["journal_offset"] == store.journal.size() > 0  # folded by the child
        assert json.loads(rollup.rollup_path(store.path).read_bytes())["totals"][0] == 1
        assert not store.needs_compaction()  # asked once, not after every grade
