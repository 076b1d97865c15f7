"""The stats roll-up (drill.store.rollup): folded at compaction, equal to a full pass."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.stats.compute import compute_stats, read_reviews, store_stats
from drill.store import rollup
from drill.store.collection import Store
from drill.store.timestamps import parse_iso
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


def _practise_days(store: Store, clock: FakeClock, days: int, rng: random.Random) -> None:
    """Reviews (some past the time limit, some given more time), cram answers and undos of both."""
    from drill.study.cram import CramSession

    for day in range(days):
        session = ReviewSession(store, clock=clock)
        n = 0
        while session.next_card() is not None:
            clock.advance(seconds=rng.randint(5, 90))
            session.grade(rng.choice((AGAIN, GOOD, GOOD)), over_time=rng.random() < 0.3, extended=rng.random() < 0.2)
            n += 1
            if n % 6 == 0:
                session.undo()
        if day % 3 == 0:
            cram = CramSession(store, clock=clock)
            for k in range(3):
                if cram.next_card() is None:
                    break
                cram.grade(GOOD, over_time=k == 1, extended=k == 2)
            if day % 2 == 0:
                cram.undo()
        if day % 4 == 1:
            store.compact()  # some folded, some in the tail; undos after their answer was folded
        clock.advance(days=1, minutes=rng.randint(0, 300))


def test_practice_from_the_rollup_equals_reading_the_journal_backwards(tmp_path):
    from drill.stats.compute import store_rollup
    from drill.stats.practice import practice, practice_from_hours

    store = _store(tmp_path, cards=8)
    clock = FakeClock(NOW)
    _practise_days(store, clock, 75, random.Random(5))
    # On the hour, both cut the windows at the same instant (the roll-up's hours are whole).
    now = clock().replace(minute=0, second=0)
    expected = [d.to_json() for d in practice(store.recent_records(), now)]
    assert expected and any(d["cram_30d"] for d in expected) and any(d["plus_30s_30d"] for d in expected)
    assert [d.to_json() for d in practice_from_hours(store_rollup(store).practice, now)] == expected
    store.close()  # compacts: all of it folded and saved
    again = Store(store.path)
    assert [d.to_json() for d in practice_from_hours(store_rollup(again).practice, now)] == expected


def test_saving_drops_practice_hours_older_than_the_window(tmp_path):
    store = _store(tmp_path, cards=4)
    clock = FakeClock(NOW)
    _review_days(store, clock, 3, random.Random(6))
    hours = sorted({h for hs in rollup.current(store.path, store.journal.path).practice.values() for h in hs})
    assert len(hours) >= 3
    cut = parse_iso(hours[1] + ":00:00+00:00") + timedelta(days=rollup.PRACTICE_DAYS)
    rollup.save(store.path, store.journal.path, store.journal.size(), now=cut)
    kept = rollup.load(store.path, store.journal.path)
    assert sorted({h for hs in kept.practice.values() for h in hs}) == hours[1:]
    assert kept.totals[0] == len(read_reviews(store.journal.path))  # the totals keep the whole history


def test_a_rollup_of_an_older_version_is_rebuilt_at_the_next_compaction(tmp_path):
    store = _store(tmp_path, cards=4)
    clock = FakeClock(NOW)
    _review_days(store, clock, 2, random.Random(7))
    assert store.compact()
    path = rollup.rollup_path(store.path)
    old = json.loads(path.read_bytes())
    old["v"] = 1
    path.write_bytes(json.dumps(old, separators=(",", ":")).encode())
    assert not rollup.is_saved(store.path)
    assert store.compact()  # nothing left to fold, but the roll-up is of another version
    assert rollup.is_saved(store.path)
    assert json.loads(path.read_bytes())["v"] == rollup.VERSION


def test_review_lines_with_plan_and_plus_take_the_fast_path():
    from drill.store import reviewlog

    line = (
        b'{"t":"review","id":"ab12","card":3,"deck":"D","ts":"2026-11-20T09:00:00+00:00","rating":3,"ms":1200,'
        b'"kind":"review","elapsed_days":2.5,"interval_days":6.1,"over":false,"off":60,"state":{"state":2,'
        b'"step":null,"stability":6.2,"difficulty":5.1,"due":"2026-11-26T11:00:00+00:00",'
        b'"last_review":"2026-11-20T09:00:00+00:00","reps":4,"lapses":0}'
    )
    for tail, plus in ((b"}", False), (b',"plus":true}', True), (b',"plan":true,"plus":true}', True), (b',"plan":true}', False)):
        assert reviewlog._FAST_REVIEW.match(line + tail), tail
        (review,), _ = reviewlog._parse(b"\n" + line + tail + b"\n")
        assert review.plus is plus
        assert review == reviewlog.review_from_record(json.loads(line + tail))
