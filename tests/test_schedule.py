from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from drill.store.settings import Settings
from drill.study.schedule import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    RATING_NAMES,
    RELEARNING,
    REVIEW,
    Outcome,
    Scheduler,
    day_start,
    format_interval,
    iso,
    next_day_start,
    parse_iso,
    study_day,
)

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")


def local(tz, *args) -> datetime:
    return datetime(*args, tzinfo=tz)


# ---------------------------------------------------------------- study days


@pytest.mark.parametrize("tz", [BERLIN, LA, UTC])
def test_0359_belongs_to_previous_day_and_0400_to_new_one(tz):
    before = local(tz, 2024, 6, 12, 3, 59)
    at = local(tz, 2024, 6, 12, 4, 0)
    assert study_day(before, tz=tz) == date(2024, 6, 11)
    assert study_day(at, tz=tz) == date(2024, 6, 12)
    assert day_start(before, tz=tz) == local(tz, 2024, 6, 11, 4).astimezone(UTC)
    assert day_start(at, tz=tz) == at.astimezone(UTC)
    assert next_day_start(before, tz=tz) == at.astimezone(UTC)
    assert next_day_start(at, tz=tz) == local(tz, 2024, 6, 13, 4).astimezone(UTC)


@pytest.mark.parametrize("tz", [BERLIN, LA])
def test_results_are_utc_and_input_zone_does_not_matter(tz):
    moment = local(tz, 2024, 1, 20, 13, 30)
    start = day_start(moment, tz=tz)
    assert start.tzinfo == UTC
    assert day_start(moment.astimezone(UTC), tz=tz) == start
    assert start <= moment < next_day_start(moment, tz=tz)


def test_berlin_values():
    # Winter: CET = UTC+1 → 04:00 local is 03:00 UTC.
    assert day_start(datetime(2024, 1, 10, 12, tzinfo=UTC), tz=BERLIN) == datetime(2024, 1, 10, 3, tzinfo=UTC)
    # 02:30 UTC is 03:30 local: still the previous study day.
    assert day_start(datetime(2024, 1, 10, 2, 30, tzinfo=UTC), tz=BERLIN) == datetime(2024, 1, 9, 3, tzinfo=UTC)
    # Summer: CEST = UTC+2 → 04:00 local is 02:00 UTC.
    assert day_start(datetime(2024, 7, 10, 12, tzinfo=UTC), tz=BERLIN) == datetime(2024, 7, 10, 2, tzinfo=UTC)


def test_berlin_spring_forward_day_is_23_hours():
    # 2024-03-31 02:00 CET → 03:00 CEST.
    noon = local(BERLIN, 2024, 3, 31, 12)
    start, end = day_start(noon, tz=BERLIN), next_day_start(noon, tz=BERLIN)
    assert start == datetime(2024, 3, 31, 2, tzinfo=UTC)
    assert end == datetime(2024, 4, 1, 2, tzinfo=UTC)
    # The study day *before* the change spans the skipped hour: 23 h.
    sat = local(BERLIN, 2024, 3, 30, 12)
    assert next_day_start(sat, tz=BERLIN) - day_start(sat, tz=BERLIN) == timedelta(hours=23)
    # 03:30 CEST on the change day (after the jump) still belongs to Saturday.
    early = local(BERLIN, 2024, 3, 31, 3, 30)
    assert study_day(early, tz=BERLIN) == date(2024, 3, 30)
    assert study_day(local(BERLIN, 2024, 3, 31, 4, 0), tz=BERLIN) == date(2024, 3, 31)


def test_los_angeles_fall_back_day_is_25_hours():
    # 2024-11-03 02:00 PDT → 01:00 PST.
    sat = local(LA, 2024, 11, 2, 12)
    assert day_start(sat, tz=LA) == datetime(2024, 11, 2, 11, tzinfo=UTC)  # 04:00 PDT
    assert next_day_start(sat, tz=LA) == datetime(2024, 11, 3, 12, tzinfo=UTC)  # 04:00 PST
    assert next_day_start(sat, tz=LA) - day_start(sat, tz=LA) == timedelta(hours=25)
    # Both 01:30s (PDT then PST) belong to Saturday's study day.
    first = datetime(2024, 11, 3, 8, 30, tzinfo=UTC)  # 01:30 PDT
    second = datetime(2024, 11, 3, 9, 30, tzinfo=UTC)  # 01:30 PST
    assert study_day(first, tz=LA) == study_day(second, tz=LA) == date(2024, 11, 2)
    # 03:59 PST is the last minute of Saturday; 04:00 PST starts Sunday.
    assert study_day(datetime(2024, 11, 3, 11, 59, tzinfo=UTC), tz=LA) == date(2024, 11, 2)
    assert study_day(datetime(2024, 11, 3, 12, 0, tzinfo=UTC), tz=LA) == date(2024, 11, 3)


def test_los_angeles_spring_forward():
    # 2024-03-10 02:00 PST → 03:00 PDT; 04:00 PDT = 11:00 UTC.
    moment = local(LA, 2024, 3, 10, 9)
    assert day_start(moment, tz=LA) == datetime(2024, 3, 10, 11, tzinfo=UTC)
    assert day_start(moment, tz=LA) - day_start(local(LA, 2024, 3, 9, 9), tz=LA) == timedelta(hours=23)


def test_custom_day_start_hour():
    moment = datetime(2024, 5, 1, 5, 59, tzinfo=UTC)
    assert study_day(moment, hour=6, tz=UTC) == date(2024, 4, 30)
    assert day_start(moment, hour=6, tz=UTC) == datetime(2024, 4, 30, 6, tzinfo=UTC)
    assert day_start(moment, hour=0, tz=UTC) == datetime(2024, 5, 1, 0, tzinfo=UTC)


def test_system_local_zone_is_used_without_tz():
    # conftest pins TZ=UTC.
    moment = datetime(2024, 5, 1, 3, 59, tzinfo=UTC)
    assert day_start(moment) == datetime(2024, 4, 30, 4, tzinfo=UTC)
    assert next_day_start(moment) == datetime(2024, 5, 1, 4, tzinfo=UTC)


def test_system_local_zone_follows_tz_env(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        moment = datetime(2024, 7, 10, 12, tzinfo=UTC)
        assert day_start(moment) == day_start(moment, tz=BERLIN)
        assert next_day_start(moment) == next_day_start(moment, tz=BERLIN)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def _half_hours(start: datetime, hours: int):
    for i in range(hours * 2):
        yield start + timedelta(minutes=30 * i)


@pytest.mark.parametrize("tz_name", ["Europe/Berlin", "America/Los_Angeles", "America/Santiago"])
@pytest.mark.parametrize("hour", [0, 2, 3, 4])
def test_day_contains_now_around_dst_changes(tz_name, hour, monkeypatch):
    """day_start <= now < next_day_start, for an explicit zone and the system zone alike."""
    import time

    tz = ZoneInfo(tz_name)
    monkeypatch.setenv("TZ", tz_name)
    time.tzset()
    try:
        transitions = [datetime(2024, 3, 29, tzinfo=UTC), datetime(2024, 3, 8, tzinfo=UTC),
                       datetime(2024, 10, 25, tzinfo=UTC), datetime(2024, 11, 1, tzinfo=UTC),
                       datetime(2024, 4, 4, tzinfo=UTC), datetime(2024, 9, 5, tzinfo=UTC)]
        for first in transitions:
            for now in _half_hours(first, 4 * 24):
                for zone in (tz, None):
                    start, end = day_start(now, hour, zone), next_day_start(now, hour, zone)
                    assert start <= now < end, (now, hour, zone)
                    assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
                    assert study_day(start, hour, zone) == study_day(now, hour, zone)
                    assert study_day(end - timedelta(seconds=1), hour, zone) == study_day(now, hour, zone)
                assert day_start(now, hour) == day_start(now, hour, tz)
                assert next_day_start(now, hour) == next_day_start(now, hour, tz)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_system_zone_day_start_inside_dst_gap(monkeypatch):
    # Day starts at 02:00, a local time Berlin skips on 2024-03-31: that study
    # day starts at the jump (01:00 UTC), never before the previous one ends.
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        before_jump = datetime(2024, 3, 31, 0, 30, tzinfo=UTC)  # 01:30 CET
        assert study_day(before_jump, 2) == date(2024, 3, 30)
        assert next_day_start(before_jump, 2) == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
        assert day_start(datetime(2024, 3, 31, 1, 0, tzinfo=UTC), 2) == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


# ---------------------------------------------------------------- iso helpers


def test_iso_round_trip_is_utc_and_second_precision():
    moment = datetime(2024, 3, 31, 4, 5, 6, 789000, tzinfo=BERLIN)
    text = iso(moment)
    assert text == "2024-03-31T02:05:06+00:00"
    assert parse_iso(text) == moment.replace(microsecond=0)
    assert parse_iso("2024-01-01T00:00:00").tzinfo == UTC  # naive read as UTC
    assert iso(datetime(2024, 1, 1, 9, tzinfo=UTC)) < iso(datetime(2024, 1, 1, 10, tzinfo=UTC))


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "delta, label",
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=-5), "0s"),
        (timedelta(seconds=45), "45s"),
        (timedelta(seconds=59.9), "59s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=59), "59m"),
        (timedelta(minutes=59, seconds=50), "1h"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=3), "3h"),
        (timedelta(hours=23, minutes=50), "1d"),
        (timedelta(days=1), "1d"),
        (timedelta(days=4), "4d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=29, hours=20), "1mo"),
        (timedelta(days=30), "1mo"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=300), "10mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=438), "1.2y"),
        (timedelta(days=3650), "10y"),
    ],
)
def test_format_interval(delta, label):
    assert format_interval(delta) == label


def test_outcome_label():
    outcome = Outcome(GOOD, {}, timedelta(days=4))
    assert outcome.label == "Good · 4d"
    assert Outcome(AGAIN, {}, timedelta(minutes=1)).label == "Again · 1m"


# ---------------------------------------------------------------- scheduler

NOW = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
RATINGS = (AGAIN, HARD, GOOD, EASY)


def review_state(scheduler: Scheduler, now: datetime = NOW, *, goods: int = 2) -> dict:
    """A card reviewed with Good ``goods`` times, each time when due, and due exactly ``now``."""
    state, t = None, now - timedelta(days=365)
    for _ in range(goods):
        outcome = scheduler.outcome(1, state, GOOD, t)
        state, t = outcome.state, t + outcome.interval
    assert state["state"] == REVIEW
    # Shift the history so that the card falls due exactly now.
    shift = now - parse_iso(state["due"])
    return dict(
        state,
        due=iso(now),
        last_review=iso(parse_iso(state["last_review"]) + shift),
    )


def test_preview_new_card_has_four_increasing_outcomes():
    scheduler = Scheduler()
    preview = scheduler.preview(7, None, NOW)
    assert sorted(preview) == list(RATINGS)
    intervals = [preview[r].interval for r in RATINGS]
    assert intervals == sorted(intervals) and len(set(intervals)) == 4
    assert preview[AGAIN].interval == timedelta(minutes=1)
    assert preview[GOOD].interval == timedelta(minutes=10)
    assert preview[AGAIN].state["state"] == LEARNING
    assert preview[EASY].state["state"] == REVIEW
    for rating, outcome in preview.items():
        assert outcome.rating == rating
        assert outcome.state["reps"] == 1
        assert outcome.state["lapses"] == 0
        assert outcome.state["last_review"] == iso(NOW)
        assert parse_iso(outcome.state["due"]) == NOW + outcome.interval
        assert outcome.label.startswith(RATING_NAMES[rating] + " · ")


def test_preview_review_card_has_four_increasing_outcomes_despite_fuzz():
    # fsrs fuzzes each rating's interval independently; the preview must still
    # promise Again < Hard < Good < Easy (checked over many draws).
    scheduler = Scheduler()
    for attempt in range(300):
        now = NOW + timedelta(days=attempt)
        state = review_state(scheduler, now, goods=2 + attempt % 4)
        preview = scheduler.preview(1, state, now)
        intervals = [preview[r].interval for r in RATINGS]
        assert intervals[0] < intervals[1] < intervals[2] < intervals[3], intervals
        for outcome in preview.values():
            assert parse_iso(outcome.state["due"]) - parse_iso(outcome.state["last_review"]) == outcome.interval
        assert preview[AGAIN].state["state"] == RELEARNING
        assert all(preview[r].state["state"] == REVIEW for r in (HARD, GOOD, EASY))


def test_preview_matches_outcome():
    scheduler = Scheduler()
    preview = scheduler.preview(3, None, NOW)
    for rating in (AGAIN, HARD, GOOD):  # unfuzzed learning steps are deterministic
        assert scheduler.outcome(3, None, rating, NOW) == preview[rating]


def test_clock_before_last_review_never_gives_negative_interval():
    scheduler = Scheduler()
    state = scheduler.outcome(1, None, GOOD, NOW).state  # learning, last_review = NOW
    earlier = NOW - timedelta(hours=5)
    for rating in RATINGS:
        outcome = scheduler.outcome(1, state, rating, earlier)
        assert outcome.interval >= timedelta(0)
        assert outcome.state["due"] >= state["last_review"]
    review = review_state(scheduler)
    review = dict(review, last_review=iso(NOW + timedelta(days=2)))
    for rating, outcome in scheduler.preview(1, review, NOW).items():
        assert outcome.interval >= timedelta(0), rating


def test_non_utc_aware_clock_is_accepted():
    scheduler = Scheduler()
    berlin_now = NOW.astimezone(BERLIN)
    outcome = scheduler.outcome(1, None, AGAIN, berlin_now)
    assert outcome.interval == timedelta(minutes=1)
    assert outcome.state["last_review"] == iso(NOW)
    state = review_state(scheduler)
    assert scheduler.preview(1, state, berlin_now)[GOOD].interval >= timedelta(days=1)


def test_lapses_increment_only_on_again_of_review_card():
    scheduler = Scheduler()
    # New card: Again is not a lapse.
    learning = scheduler.outcome(1, None, AGAIN, NOW).state
    assert learning["lapses"] == 0 and learning["reps"] == 1
    # Learning card: Again is not a lapse.
    again = scheduler.outcome(1, learning, AGAIN, NOW + timedelta(minutes=2)).state
    assert again["lapses"] == 0 and again["reps"] == 2
    # Review card: Hard/Good/Easy are not lapses, Again is.
    review = review_state(scheduler)
    base = review["lapses"]
    for rating in (HARD, GOOD, EASY):
        assert scheduler.outcome(1, review, rating, NOW).state["lapses"] == base
    relearning = scheduler.outcome(1, review, AGAIN, NOW).state
    assert relearning["state"] == RELEARNING
    assert relearning["lapses"] == base + 1
    assert relearning["reps"] == review["reps"] + 1
    # Relearning card: Again again is not another lapse.
    again = scheduler.outcome(1, relearning, AGAIN, NOW + timedelta(minutes=11)).state
    assert again["lapses"] == base + 1


def test_retrievability():
    scheduler = Scheduler()
    assert scheduler.retrievability(1, None, NOW) == 0.0
    state = review_state(scheduler)
    soon = scheduler.retrievability(1, state, parse_iso(state["last_review"]) + timedelta(days=1))
    later = scheduler.retrievability(1, state, parse_iso(state["last_review"]) + timedelta(days=100))
    assert 0 < later < soon <= 1


def test_state_dict_is_json_safe():
    import json

    scheduler = Scheduler()
    state = review_state(scheduler)
    assert json.loads(json.dumps(state)) == state
    assert set(state) == {"state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"}


def test_desired_retention_changes_intervals():
    state = review_state(Scheduler())
    low = Scheduler(Settings(desired_retention=0.7)).outcome(1, state, HARD, NOW)
    high = Scheduler(Settings(desired_retention=0.97)).outcome(1, state, HARD, NOW)
    assert high.interval < low.interval


# ---------------------------------------------------------------- settings


def test_settings_round_trip():
    settings = Settings(desired_retention=0.85, new_per_day=5, reviews_per_day=50, day_starts_at=6,
                        learn_ahead_minutes=10, default_time_limit=90)
    data = settings.to_dict()
    assert Settings.from_dict(data) == settings
    import json

    assert Settings.from_dict(json.loads(json.dumps(data))) == settings


def test_settings_from_partial_or_unknown_dict():
    assert Settings.from_dict(None) == Settings()
    assert Settings.from_dict({}) == Settings()
    assert Settings.from_dict({"new_per_day": 3, "bogus": 1}) == Settings(new_per_day=3)


def test_fuzz_is_seeded_by_the_card_and_its_review_count_so_a_preview_shown_again_is_the_same():
    # The walk saw "4 Easy · 8d", then 3, u (undo), reveal again: "4 Easy · 7d". Anki seeds its
    # fuzz with the card and its review count; drill does too, whatever the global RNG holds.
    import random

    scheduler = Scheduler()
    state = review_state(scheduler, NOW, goods=4)
    later = NOW + timedelta(days=30)
    random.seed(1)
    first = scheduler.preview(7, state, later)
    random.seed(99)
    again = Scheduler().preview(7, state, later)
    assert {r: o.interval for r, o in first.items()} == {r: o.interval for r, o in again.items()}
    # Still fuzz: other cards with the same history spread over different days.
    easy = {Scheduler().preview(card, state, later)[EASY].interval for card in range(1, 40)}
    assert len(easy) > 1, easy
    # fsrs's own draw is given back after each review.
    from fsrs import scheduler as fsrs_scheduler

    assert fsrs_scheduler.random == random.random
