"""drill.devices.replay: a card's view from every device's records, whatever order they came in."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from drill.devices.replay import EMPTY, View, entry, follows, replay
from drill.store.timestamps import iso
from drill.study.schedule import AGAIN, GOOD, HARD, Scheduler

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
FUZZY = Scheduler()  # what grading uses (fuzz on)
EXACT = Scheduler(fuzz=False)  # what replay recomputes with


def review(state, rating, when, rid, scheduler=FUZZY):
    """A review record as drill.study.session.review_record writes it, graded from *state*."""
    outcome = scheduler.outcome(0, state, rating, when)
    elapsed = None
    if state and state.get("last_review"):
        elapsed = round((when - datetime.fromisoformat(state["last_review"])).total_seconds() / 86400, 4)
    kind = "new" if state is None else {1: "learn", 2: "review", 3: "relearn"}[state["state"]]
    return {"t": "review", "id": rid, "key": "k1", "deck": "d", "ts": iso(when), "rating": rating, "ms": 1000,
            "kind": kind, "elapsed_days": elapsed, "interval_days": 1.0, "over": False, "state": outcome.state}


def test_a_chain_graded_on_one_device_keeps_its_recorded_states_fuzz_included():
    r1 = review(None, GOOD, T0, "a1")
    r2 = review(r1["state"], GOOD, T0 + timedelta(days=1), "a2")
    r3 = review(r2["state"], GOOD, T0 + timedelta(days=5), "a3")
    assert follows(None, r1) and follows(r1["state"], r2) and not follows(None, r2)
    entries = [entry(r, "aaaaaa", i) for i, r in enumerate((r1, r2, r3))]
    assert replay(entries, EXACT).state == r3["state"]


def test_two_devices_grading_apart_get_one_recomputed_state_in_any_order():
    # Both devices start from the same first review, then grade the card while apart.
    r1 = review(None, GOOD, T0, "a1")
    on_a = review(r1["state"], GOOD, T0 + timedelta(days=2), "a2")
    on_b = review(r1["state"], AGAIN, T0 + timedelta(days=3), "b1")
    records = [entry(r1, "aaaaaa", 0), entry(on_a, "aaaaaa", 1), entry(on_b, "bbbbbb", 0)]
    views = [replay(order, EXACT) for order in itertools.permutations(records)]
    assert all(v == views[0] for v in views)
    view = views[0]
    # B's Again came last: it was recomputed from A's Good (reps 3), not kept as B recorded it (reps 2).
    assert view.state["reps"] == 3 and view.state != on_b["state"]
    expected = EXACT.outcome(0, on_a["state"], AGAIN, T0 + timedelta(days=3)).state
    assert view.state == expected


def test_an_undo_removes_its_review_wherever_it_comes():
    r1 = review(None, GOOD, T0, "a1")
    r2 = review(r1["state"], HARD, T0 + timedelta(days=1), "a2")
    undo = {"t": "undo", "id": "u1", "key": "k1", "review": "a2", "ts": iso(T0 + timedelta(days=1, minutes=1)),
            "state": r1["state"]}
    for order in itertools.permutations([entry(r1, "a", 0), entry(r2, "a", 1), entry(undo, "a", 2)]):
        assert replay(order, EXACT).state == r1["state"]


def test_bury_and_suspension_the_last_in_time_wins():
    bury = {"t": "bury", "id": "b1", "key": "k1", "ts": iso(T0), "until": iso(T0 + timedelta(days=1))}
    suspend = {"t": "suspend", "id": "s1", "key": "k1", "ts": iso(T0 + timedelta(hours=1)), "reason": "leech"}
    unsuspend = {"t": "unsuspend", "id": "s2", "key": "k1", "ts": iso(T0 + timedelta(hours=2)), "reason": "user"}
    entries = [entry(bury, "b", 0), entry(unsuspend, "a", 5), entry(suspend, "b", 1)]
    for order in itertools.permutations(entries):
        view = replay(order, EXACT)
        assert view == View(state=None, buried_until=iso(T0 + timedelta(days=1)), suspended=False, reason=None)
    assert replay([entry(suspend, "b", 1)], EXACT).suspended


def test_a_record_met_twice_counts_once():
    r1 = review(None, GOOD, T0, "a1")
    r2 = review(r1["state"], GOOD, T0 + timedelta(days=1), "a2")
    once = replay([entry(r1, "a", 0), entry(r2, "a", 1)], EXACT)
    twice = replay([entry(r1, "a", 0), entry(r2, "a", 1), entry(r2, "a", 99), entry(r1, "a", 98)], EXACT)
    assert once == twice and once.state["reps"] == 2


def test_ties_in_time_are_broken_by_device_then_place():
    when = T0 + timedelta(days=1)
    r1 = review(None, GOOD, T0, "x1")
    on_a = review(r1["state"], AGAIN, when, "a1")
    on_b = review(r1["state"], GOOD, when, "b1")
    records = [entry(r1, "a", 0), entry(on_b, "b", 0), entry(on_a, "a", 1)]
    views = [replay(order, EXACT) for order in itertools.permutations(records)]
    assert all(v == views[0] for v in views)


def test_nothing_gives_the_empty_view():
    assert replay([], EXACT) == EMPTY
