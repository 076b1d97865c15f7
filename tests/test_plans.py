"""Interview plans: readiness on the date, the spread of plan cards over the days
left, the last pass, two plans at once, limits and shortfall (injected clock)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.plans import (
    PARAMETERS_KEY,
    Plan,
    clear_plans,
    load_plans,
    parse_target,
    plan_line,
    plan_today,
    save_plan,
    scheduler_for,
    shortfall_line,
)
from drill.study.schedule import GOOD, iso, study_day
from drill.study.session import ReviewSession

START = datetime(2024, 3, 5, 9, 0, tzinfo=timezone.utc)  # TZ=UTC: the study day starts 04:00 UTC
TODAY = date(2024, 3, 5)


def fill(store: Store, name: str, count: int) -> None:
    deck = ParsedDeck(name, [ParsedCard((f"{name} {i}",), f"answer {i}", 1 + 3 * i) for i in range(count)])
    with store.writing():
        store.apply_import(deck, f"/notes/{name}.md")


def plan(name: str, days: int, *decks: str, target: float = 0.9, created: datetime = START) -> Plan:
    return Plan(name, TODAY + timedelta(days=days), tuple(decks), target, iso(created))


def study(store: Store, clock: FakeClock, rating: int = GOOD) -> list[dict]:
    """One study session: every card shown is graded *rating*; returns the records written."""
    session = ReviewSession(store, clock=clock)
    records = []
    while session.next_card() is not None:
        graded = session.grade(rating)
        records.append(next(r for r in store.recent_reviews("") if r["id"] == graded.review_id))
        clock.advance(minutes=11)  # past the 10-minute learning step
    return records


def test_new_cards_are_not_ready_and_reviewed_ones_are_predicted_on_the_date(store):
    fill(store, "Onsite", 3)
    clock = FakeClock(START)
    save_plan(store, plan("Acme onsite", 30, "Onsite"), TODAY)
    day = plan_today(store, clock()).days[0]
    assert (day.cards, day.ready, day.days_left) == (3, 0, 30)
    # A card learned long ago with a huge stability is ready; the others stay new.
    cid = store.cards()[0].id
    state = {"state": 2, "step": None, "stability": 400.0, "difficulty": 5.0, "due": iso(START + timedelta(days=300)),
             "last_review": iso(START - timedelta(days=1)), "reps": 5, "lapses": 0}
    store.append({"t": "review", "id": "x", "card": cid, "ts": iso(START - timedelta(days=1)), "rating": 3,
                  "kind": "review", "state": state})
    day = plan_today(store, clock()).days[0]
    assert day.ready == 1
    assert cid not in day.planned  # ready cards are not brought in before the last pass
    # A target above what the card will have on the day makes it not ready.
    save_plan(store, plan("Acme onsite", 30, "Onsite", target=0.99), TODAY)
    assert plan_today(store, clock()).days[0].ready == 0


def test_ten_day_plan_of_thirty_new_cards_spreads_them_and_ends_with_a_last_pass(store):
    fill(store, "Stories", 30)
    clock = FakeClock(START)
    save_plan(store, plan("Acme", 10, "Stories"), TODAY)
    introduced: Counter = Counter()
    passes: dict[int, set[int]] = {}
    planned_per_day = []
    for day in range(12):
        clock.set(START + timedelta(days=day))
        agenda = plan_today(store, clock())
        planned_per_day.append(agenda.days[0].today if agenda.days else 0)
        for record in study(store, clock):
            if record["kind"] == "new":
                introduced[day] += 1
            passes.setdefault(day, set()).add(record["card"])
    # Before the last-pass window (days 0-7): 3-4 new cards a day, all 30 in.
    assert [introduced[d] for d in range(8)] == [planned_per_day[d] for d in range(8)]
    assert all(3 <= introduced[d] <= 4 for d in range(8)), introduced
    assert sum(introduced.values()) == 30
    # The 48 hours before the date: every card once, split over both days (no pile-up on the last one).
    ids = {c.id for c in store.cards()}
    assert passes[8] | passes[9] == ids
    assert abs(planned_per_day[8] - planned_per_day[9]) <= len(ids) // 2
    assert planned_per_day[9] <= 16
    # After the date the plan has ended: it plans nothing and the queue is plain FSRS again.
    assert plan_today(store, START + timedelta(days=11)).days == []
    session = ReviewSession(store, clock=FakeClock(START + timedelta(days=11)))
    assert session.plans.ordered == []


def test_plan_grades_are_marked_and_today_counts_down(store):
    fill(store, "Stories", 30)
    clock = FakeClock(START)
    save_plan(store, plan("Acme", 10, "Stories"), TODAY)
    before = plan_today(store, clock()).days[0]
    assert before.today == 4
    session = ReviewSession(store, clock=clock)
    assert [c.id for c in session.queue] == before.fitted  # plan cards first, and only those new ones
    session.next_card()
    graded = session.grade(GOOD)
    record = next(r for r in store.recent_reviews("") if r["id"] == graded.review_id)
    assert record["plan"] is True
    assert plan_today(store, clock()).days[0].today == 3  # the quota holds for the day


def test_two_plans_at_once(store):
    fill(store, "Behavioural", 6)
    fill(store, "Systems", 8)
    clock = FakeClock(START)
    save_plan(store, plan("Acme onsite", 5, "Behavioural"), TODAY)
    save_plan(store, plan("Globex screen", 8, "Systems"), TODAY)
    days = plan_today(store, clock()).days
    assert [(d.plan.name, d.days_left, d.cards) for d in days] == [("Acme onsite", 5, 6), ("Globex screen", 8, 8)]
    assert [d.today for d in days] == [2, 2]  # 6 over 3 days, 8 over 6 days (rounded up)
    session = ReviewSession(store, clock=clock)
    decks = [c.deck for c in session.queue]
    assert decks.count("Behavioural") == 2 and decks.count("Systems") == 2
    assert plan_line(days[0]) == "Acme onsite in 5 days · 0 of 6 ready · 2 today"


def test_daily_limits_apply_and_the_shortfall_is_reported(store):
    fill(store, "Stories", 30)
    settings = store.settings.with_value("new_per_day", 2)
    store.save_settings(settings)
    save_plan(store, plan("Acme", 10, "Stories"), TODAY)
    agenda = plan_today(store, START)
    assert (agenda.days[0].today, agenda.days[0].short) == (2, 2)
    line = shortfall_line(agenda, store.settings)
    assert line == "Daily limits leave out 2 plan cards today; to fit them: `drill config new_per_day 4`"
    session = ReviewSession(store, clock=FakeClock(START))
    assert len(session.queue) == 2


def test_plan_cards_go_first_and_pace_the_other_new_cards_of_their_decks(store):
    fill(store, "Stories", 30)
    fill(store, "Other", 5)
    save_plan(store, plan("Acme", 10, "Stories"), TODAY)
    session = ReviewSession(store, clock=FakeClock(START))
    decks = [c.deck for c in session.queue]
    assert decks[:4] == ["Stories"] * 4
    assert decks.count("Stories") == 4 and decks.count("Other") == 5


def test_plans_are_stored_replaced_cleared_and_end_by_themselves(store):
    fill(store, "Stories", 2)
    save_plan(store, plan("Acme", 3, "Stories"), TODAY)
    assert save_plan(store, plan("acme", 4, "Stories"), TODAY) is not None  # same name, any case: replaced
    save_plan(store, plan("Globex", 1), TODAY)
    assert [(p.name, p.date) for p in load_plans(Store(store.path))] == [
        ("Globex", TODAY + timedelta(days=1)),
        ("acme", TODAY + timedelta(days=4)),
    ]
    # Ended plans are dropped the next time plans are written.
    save_plan(store, plan("Initech", 6), TODAY + timedelta(days=2))
    assert [p.name for p in load_plans(store)] == ["acme", "Initech"]
    assert [p.name for p in clear_plans(store, "ACME")] == ["acme"]
    assert clear_plans(store, "nope") == []
    assert [p.name for p in clear_plans(store)] == ["Initech"]
    assert load_plans(store) == []


def test_bad_stored_plans_are_skipped(store):
    with store.writing():
        store.set_extra("plans", [{"name": "ok", "date": "2024-03-09"}, {"name": 3}, "junk", {"name": "x", "date": "soon"}])
    assert [p.name for p in load_plans(store)] == ["ok"]


@pytest.mark.parametrize(("text", "value"), [("0.9", 0.9), ("85%", 0.85), ("95", 0.95)])
def test_parse_target(text, value):
    assert parse_target(text) == value


@pytest.mark.parametrize("text", ["2", "0.1", "abc", "150%"])
def test_parse_target_rejects(text):
    with pytest.raises(ValueError):
        parse_target(text)


def test_predictions_use_fitted_parameters(store):
    import fsrs

    fitted = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    fitted[20] = 0.5  # a steeper forgetting curve
    with store.writing():
        store.set_extra(PARAMETERS_KEY, {"parameters": fitted})
    scheduler = scheduler_for(store)
    assert scheduler.parameters == tuple(fitted)
    state = {"state": 2, "step": None, "stability": 10.0, "difficulty": 5.0, "due": iso(START),
             "last_review": iso(START - timedelta(days=20)), "reps": 3, "lapses": 0}
    default = scheduler_for(Store(store.path.with_name("other.json"))).retrievability(1, state, START)
    assert scheduler.retrievability(1, state, START) != pytest.approx(default)


def test_study_day_of_start_is_today():
    assert study_day(START) == TODAY
