"""Stats as pure functions over hand-built review logs, the fast journal reader, and `drill stats`."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.stats.compute import (
    FORECAST_DAYS,
    MIN_RETENTION_REVIEWS,
    ReviewLog,
    _DayOf,
    compute_stats,
    read_reviews,
    reviews_from_records,
    store_stats,
    streaks,
)
from drill.store.collection import DeckRecord, Store, StoredCard
from drill.store.reviewlog import _FAST_REVIEW
from drill.store.settings import Settings
from drill.study.schedule import AGAIN, GOOD, iso, local_offset_minutes, study_day
from drill.study.session import ReviewSession, review_record

UTC = timezone.utc
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday; TZ=UTC in tests, days start 04:00 UTC
TODAY = date(2026, 11, 23)

_ids = iter(range(10**9))


def rec(ts: str | datetime, *, card: int = 1, deck: str = "Deck", rating: int = GOOD, ms: int = 1000,
        kind: str = "review", interval: float = 1.0, over: bool = False, off: int | None = None,
        elapsed: float | None = None, rid: str | None = None) -> dict:
    """A review record as the journal holds it."""
    if isinstance(ts, datetime):
        ts = iso(ts)
    record = {
        "t": "review", "id": rid or f"r{next(_ids)}", "card": card, "deck": deck, "ts": ts, "rating": rating,
        "ms": ms, "kind": kind, "elapsed_days": elapsed, "interval_days": interval, "over": over,
        "state": {"state": 2, "lapses": 0, "due": ts},  # (a state always has its due date)
    }
    if off is not None:
        record["off"] = off
    return record


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def stats_of(records, *, cards=(), decks=(), now=NOW, tz=None, settings=None):
    return compute_stats(reviews_from_records(records), list(cards), list(decks), now, settings or Settings(), tz)


def a_card(cid: int, *, deck: str = "Deck", due: datetime | None = None, lapses: int = 0, archived: bool = False,
           suspended: bool = False, reason: str | None = None, buried: datetime | None = None) -> StoredCard:
    state = None if due is None else {"state": 2, "due": iso(due), "lapses": lapses, "reps": 3}
    return StoredCard(
        id=cid, deck=deck, path=(f"Question {cid}",), answer="", source="", line=1, archived=archived,
        state=state, buried_until=iso(buried) if buried else None, suspended=suspended, suspend_reason=reason,
    )


# ---------------------------------------------------------------- empty and basics
def test_empty_log():
    s = stats_of([])
    assert (s.total_reviews, s.reviews_today, s.minutes_today, s.streak_days, s.longest_streak) == (0, 0, 0, 0, 0)
    assert s.retention is None and s.avg_seconds is None
    assert s.forecast == [(TODAY + timedelta(days=i), 0) for i in range(FORECAST_DAYS)]
    assert s.due_today == 0 and s.decks == [] and s.hardest == [] and s.leeches == []
    data = s.to_json()
    assert data["retention"] is None and data["streak_days"] == 0 and len(data["forecast"]) == 30
    assert len(data["days"]) == 30 and data["days"][-1] == {"date": "2026-11-23", "reviews": 0, "minutes": 0}


def test_today_counts_reviews_and_minutes():
    records = [rec(at(TODAY, 5), ms=90_000), rec(at(TODAY, 11), ms=30_000), rec(at(TODAY, 3, 59), ms=60_000)]
    s = stats_of(records)
    assert s.total_reviews == 3
    assert s.reviews_today == 2  # 03:59 belongs to yesterday's study day
    assert s.minutes_today == pytest.approx(2.0)
    assert s.days[TODAY - timedelta(days=1)] == [1, 60_000]
    assert s.recent()[-1] == (TODAY, 2, pytest.approx(2.0))
    assert s.avg_seconds == pytest.approx(60.0)


def test_undone_reviews_do_not_count():
    kept, undone = rec(at(TODAY, 8)), rec(at(TODAY, 9), rating=AGAIN)
    records = [kept, undone, {"t": "undo", "review": undone["id"], "card": 1, "ts": iso(at(TODAY, 9)), "state": None}]
    s = stats_of(records)
    assert s.total_reviews == 1 and s.hardest == []


def test_malformed_records_are_skipped():
    records = [
        rec(at(TODAY, 8)),
        {"t": "review", "card": "x", "ts": iso(at(TODAY, 8)), "rating": 3},
        {"t": "review", "card": 1, "ts": "not a time", "rating": 3},
        {"t": "review", "card": 1, "ts": iso(at(TODAY, 8)), "rating": 9},
        {"t": "review", "card": 1, "rating": 3},
        {"t": "bury", "card": 1, "until": "x"},
        rec("2026-11-23T11:00:00Z"),  # another spelling of UTC is normalised (and before NOW)
    ]
    s = stats_of(records)
    assert s.total_reviews == 2 and s.reviews_today == 2


# ---------------------------------------------------------------- streaks
def test_streak_function():
    d = TODAY
    assert streaks([], d) == (0, 0)
    assert streaks([d], d) == (1, 1)
    # Today not reviewed yet: the streak through yesterday still stands.
    assert streaks([d - timedelta(days=2), d - timedelta(days=1)], d) == (2, 2)
    # Yesterday missed too: broken.
    assert streaks([d - timedelta(days=3), d - timedelta(days=2)], d) == (0, 2)


def test_gap_day_breaks_streak():
    days = [TODAY - timedelta(days=n) for n in (9, 8, 7, 6, 4, 3, 2, 1, 0)]  # day -5 missed
    s = stats_of([rec(at(day, 10)) for day in days])
    assert (s.streak_days, s.longest_streak) == (5, 4 + 1)
    days = [TODAY - timedelta(days=n) for n in (9, 8, 7, 6, 5, 3, 2, 0)]
    s = stats_of([rec(at(day, 10)) for day in days])
    assert (s.streak_days, s.longest_streak) == (1, 5)


def test_streak_across_the_day_boundary():
    # Late-night reviews before 04:00 count towards the previous day.
    day1, day2 = TODAY - timedelta(days=1), TODAY
    late_only = [rec(at(day1, 22)), rec(at(day2, 3, 30))]  # both study day 1
    s = stats_of(late_only)
    assert (s.streak_days, s.longest_streak, s.reviews_today) == (1, 1, 0)
    assert s.days == {day1: [2, 2000]}
    after = late_only + [rec(at(day2, 4, 0))]  # 04:00 starts study day 2
    s = stats_of(after)
    assert (s.streak_days, s.reviews_today) == (2, 1)


def test_day_boundary_follows_settings_and_tz():
    records = [rec("2026-11-23T01:30:00+00:00")]
    assert stats_of(records).days == {TODAY - timedelta(days=1): [1, 1000]}
    assert stats_of(records, settings=Settings(day_starts_at=0)).days == {TODAY: [1, 1000]}
    # 01:30 UTC is 10:30 in Tokyo: the same study day there.
    assert stats_of(records, tz=ZoneInfo("Asia/Tokyo")).days == {TODAY: [1, 1000]}


def test_streak_across_a_timezone_change_travel():
    # Day 1 and 2 in New York (UTC-5), then a flight to Tokyo (UTC+9) and day 3 there.
    ny, tokyo = -300, 540
    records = [
        rec("2026-11-11T01:00:00+00:00", off=ny),  # Nov 10, 20:00 New York
        rec("2026-11-11T13:00:00+00:00", off=ny),  # Nov 11, 08:00 New York
        rec("2026-11-12T13:00:00+00:00", off=tokyo),  # Nov 12, 22:00 Tokyo
    ]
    now = datetime(2026, 11, 12, 14, 0, tzinfo=UTC)  # Nov 12, 23:00 in Tokyo
    s = stats_of(records, now=now, tz=ZoneInfo("Asia/Tokyo"))
    assert sorted(s.days) == [date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)]
    assert (s.streak_days, s.longest_streak, s.reviews_today) == (3, 3, 1)
    # Without the recorded offsets every day is read in Tokyo time and a day is lost.
    bare = [{k: v for k, v in r.items() if k != "off"} for r in records]
    s = stats_of(bare, now=now, tz=ZoneInfo("Asia/Tokyo"))
    assert sorted(s.days) == [date(2026, 11, 11), date(2026, 11, 12)]
    assert s.streak_days == 2


def test_flying_west_repeats_a_day_without_breaking_the_streak():
    tokyo, la = 540, -480
    records = [
        rec("2026-11-21T00:00:00+00:00", off=tokyo),  # Nov 21, 09:00 Tokyo
        rec("2026-11-22T00:00:00+00:00", off=tokyo),  # Nov 22, 09:00 Tokyo
        rec("2026-11-22T18:00:00+00:00", off=la),  # Nov 22, 10:00 Los Angeles: same study day again
        rec("2026-11-23T18:00:00+00:00", off=la),  # Nov 23, 10:00 Los Angeles
    ]
    now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    s = stats_of(records, now=now, tz=ZoneInfo("America/Los_Angeles"))
    assert s.days[date(2026, 11, 22)][0] == 2
    assert (s.streak_days, s.longest_streak) == (3, 3)


def test_streak_across_dst_change_in_local_zone():
    ny = ZoneInfo("America/New_York")  # DST ends 2026-11-01 at 02:00
    days = [date(2026, 10, 29) + timedelta(days=i) for i in range(6)]
    records = [rec(datetime(d.year, d.month, d.day, 5, 0, tzinfo=ny)) for d in days]  # 05:00 local daily
    now = datetime(2026, 11, 3, 12, 0, tzinfo=ny)
    s = stats_of(records, now=now, tz=ny)
    assert sorted(s.days) == days
    assert s.streak_days == 6


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])
def test_cached_day_spans_agree_with_study_day(zone):
    tz = ZoneInfo(zone)
    day_of = _DayOf(4, tz)
    start = datetime(2026, 3, 26, tzinfo=UTC)  # around the spring changes in both hemispheres
    for step in range(0, 24 * 60 * 20, 17):
        ts = start + timedelta(minutes=step)
        assert day_of(iso(ts), None) == study_day(ts, 4, tz), iso(ts)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for step in range(0, 24 * 60 * 40, 23):
        ts = start + timedelta(minutes=step)
        assert day_of(iso(ts), None) == study_day(ts, 4, tz), iso(ts)


def test_local_offset_minutes():
    when = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert local_offset_minutes(when, ZoneInfo("Asia/Kolkata")) == 330
    assert local_offset_minutes(when, ZoneInfo("America/New_York")) == -240
    assert local_offset_minutes(when) == 0  # TZ=UTC in tests


# ---------------------------------------------------------------- retention
def _mature_history(card: int, results: list[int], deck: str = "Deck") -> list[dict]:
    """A card graduated with a 30-day interval, then reviewed with each rating in ``results``."""
    out = [rec(at(TODAY - timedelta(days=400), 10), card=card, deck=deck, kind="new", interval=30)]
    for i, rating in enumerate(results):
        out.append(rec(at(TODAY - timedelta(days=300 - 25 * i), 10), card=card, deck=deck, rating=rating, interval=30))
    return out


def test_true_retention_counts_mature_reviews_not_graded_again():
    records = _mature_history(1, [GOOD] * 6) + _mature_history(2, [GOOD, GOOD, AGAIN, GOOD])
    s = stats_of(records)
    assert s.mature_reviews == 10
    assert s.retention == pytest.approx(0.9)
    assert stats_of(records).to_json()["retention"] == 0.9


def test_retention_is_null_below_threshold():
    records = _mature_history(1, [GOOD] * (MIN_RETENTION_REVIEWS - 1))
    s = stats_of(records)
    assert s.mature_reviews == MIN_RETENTION_REVIEWS - 1 and s.retention is None


def test_young_cards_and_learning_steps_are_not_mature():
    records = [rec(at(TODAY - timedelta(days=100), 10), card=1, kind="new", interval=10)]
    records += [rec(at(TODAY - timedelta(days=90 - i), 10), card=1, interval=10) for i in range(12)]  # young
    records += [rec(at(TODAY - timedelta(days=50 - i), 10), card=1, kind="relearn", interval=30) for i in range(12)]
    s = stats_of(records)
    assert s.mature_reviews == 0 and s.retention is None


def test_maturity_falls_back_to_elapsed_days_without_earlier_reviews():
    records = [rec(at(TODAY - timedelta(days=i), 10), card=100 + i, elapsed=25.0, rating=AGAIN if i < 2 else GOOD)
               for i in range(10)]
    records.append(rec(at(TODAY, 10), card=200, elapsed=5.0))
    s = stats_of(records)
    assert s.mature_reviews == 10 and s.retention == pytest.approx(0.8)


# ---------------------------------------------------------------- forecast, decks, hardest
def test_forecast_and_due_today():
    cards = [
        a_card(1, due=NOW - timedelta(days=3)),  # overdue: today
        a_card(2, due=at(TODAY + timedelta(days=1), 3)),  # before 04:00 tomorrow: still today
        a_card(3, due=at(TODAY + timedelta(days=1), 4)),  # tomorrow
        a_card(4, due=at(TODAY + timedelta(days=29), 12)),  # the last forecast day
        a_card(5, due=at(TODAY + timedelta(days=30), 12)),  # beyond
        a_card(6, due=NOW, archived=True),
        a_card(7, due=NOW, suspended=True, reason="leech"),
        a_card(8, due=NOW, buried=at(TODAY + timedelta(days=1), 4)),  # buried until tomorrow
        a_card(9),  # new
    ]
    s = stats_of([], cards=cards)
    counts = dict(s.forecast)
    assert s.due_today == counts[TODAY] == 2
    assert counts[TODAY + timedelta(days=1)] == 2
    assert counts[TODAY + timedelta(days=29)] == 1
    assert sum(counts.values()) == 5


def test_deck_rows():
    decks = [DeckRecord("Beta", time_limit=90), DeckRecord("alpha")]
    cards = [a_card(1, deck="alpha", due=NOW), a_card(2, deck="alpha"), a_card(3, deck="Beta", due=NOW, archived=True)]
    records = [
        rec(at(TODAY, 9), card=1, deck="alpha", ms=30_000, over=True),
        rec(at(TODAY, 10), card=1, deck="alpha", ms=10_000),
        *_mature_history(2, [GOOD] * 9 + [AGAIN], deck="alpha"),
    ]
    s = stats_of(records, cards=cards, decks=decks)
    alpha, beta = s.decks
    assert (alpha.name, alpha.cards, alpha.due, alpha.time_limit) == ("alpha", 2, 1, 60)
    assert (beta.name, beta.cards, beta.due, beta.time_limit, beta.retention) == ("Beta", 0, 0, 90, None)
    assert alpha.retention == pytest.approx(0.9) and alpha.reviews == 13
    assert alpha.over_share == pytest.approx(1 / 13)
    row = s.to_json()["decks"][0]
    assert {"name", "retention", "due", "cards"} <= row.keys() and row["retention"] == 0.9


def test_hardest_and_leeches():
    cards = [
        a_card(1, due=NOW, lapses=2),
        a_card(2, due=NOW, lapses=8, suspended=True, reason="leech"),
        a_card(3, due=NOW, lapses=2),
        a_card(4, due=NOW),
        a_card(5, due=NOW, lapses=9, archived=True),
    ]
    records = [rec(at(TODAY, 9), card=3, rating=AGAIN), rec(at(TODAY, 9), card=3, rating=AGAIN)]
    s = stats_of(records, cards=cards)
    assert [c.card for c in s.hardest] == [2, 3, 1]
    assert s.hardest[1].again == 2
    assert [(c.card, c.leech, c.suspended) for c in s.leeches] == [(2, True, True)]
    assert s.to_json()["leeches"][0]["question"] == "Question 2"


# ---------------------------------------------------------------- the journal, fast and slow
def _store_with_history(path: Path) -> Store:
    store = Store(path)
    cards = [ParsedCard((f"Q{i}",), f"A{i}", line=i + 1) for i in range(4)]
    with store.writing():
        store.apply_import(ParsedDeck('Quotes "and" \\ back \u00e9', cards=cards), "/notes/q.md")
    clock = FakeClock(datetime(2026, 11, 1, 10, tzinfo=UTC))
    for day in range(6):
        session = ReviewSession(store, clock=clock)
        graded = 0
        # Again brings a card straight back (learn-ahead): 24 grades a day is plenty of
        # history, and each grade is an fsync.
        while graded < 24 and session.next_card() is not None:
            graded += 1
            clock.advance(12)
            session.grade(AGAIN if day == 2 else GOOD)
            if day == 3:
                session.undo()
                clock.advance(5)
                session.grade(GOOD)
        clock.advance(days=1)
    return store


def test_fast_reader_matches_full_parse(tmp_path):
    store = _store_with_history(tmp_path / "drill.json")
    with open(store.journal.path, "ab") as f:  # a torn line and garbage, as crashes leave them
        f.write(b'{"t":"bury","card":1,"until":"x"}\nnot json\n[1,2]\n{"t":"review","id":"zz","card":1,"deck":"D","ts":')
    expected = reviews_from_records(store.reviews())
    assert len(expected) > 10
    assert read_reviews(store.journal.path) == expected
    assert any(r.deck.startswith('Quotes "and"') for r in expected)


def test_session_review_lines_take_the_fast_path(store):
    with store.writing():
        store.apply_import(ParsedDeck("D", cards=[ParsedCard(("Q",), "A", line=1)]), "/notes/d.md")
    card = store.cards()[0]
    session = ReviewSession(store, clock=FakeClock(NOW))
    outcome = session.scheduler.outcome(card.id, None, GOOD, NOW)
    line = json.dumps(review_record(card, outcome, NOW, 1234, False), ensure_ascii=False, separators=(",", ":"))
    assert _FAST_REVIEW.match(line.encode()), "review records changed shape: update drill.store.reviewlog._FAST_REVIEW"


def test_read_reviews_missing_journal(tmp_path):
    assert read_reviews(tmp_path / "nope.journal") == []


def test_store_stats_on_a_real_session(tmp_path):
    store = _store_with_history(tmp_path / "drill.json")
    s = store_stats(store, datetime(2026, 11, 6, 12, tzinfo=UTC))
    assert s.total_reviews == len(reviews_from_records(store.reviews()))
    reviews = reviews_from_records(store.reviews())
    assert {r.off for r in reviews} == {0}  # the session records the local offset (TZ=UTC here)
    expected = {}
    for r in reviews:
        day = study_day(datetime.fromisoformat(r.ts))
        expected[day] = expected.get(day, 0) + 1
    assert {d: v[0] for d, v in s.days.items()} == expected
    assert s.longest_streak >= 1
    assert s.decks[0].cards == 4


# ---------------------------------------------------------------- `drill stats`
def _drill(*args: str, db: Path) -> subprocess.CompletedProcess:
    from test_cli import drill_command

    env = {**os.environ, "DRILL_DB": str(db)}
    proc = subprocess.run([*drill_command(), *args], capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in proc.stderr
    return proc


def test_cli_stats_json_on_empty_store(tmp_path):
    proc = _drill("stats", "--json", db=tmp_path / "s" / "drill.json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    for key in ("total_reviews", "reviews_today", "streak_days", "longest_streak", "due_today", "forecast",
                "retention", "minutes_today", "decks"):
        assert key in data
    assert data["retention"] is None and data["total_reviews"] == 0 and len(data["forecast"]) == 30


def test_cli_stats_text_and_json(tmp_path):
    db = tmp_path / "drill.json"
    store = _store_with_history(db)
    store.close()
    data = json.loads(_drill("stats", "--json", db=db).stdout)
    assert data["total_reviews"] == len(reviews_from_records(Store(db).reviews()))
    assert data["decks"][0]["cards"] == 4 and data["forecast"][0]["date"] == study_day(datetime.now(UTC)).isoformat()
    out = _drill("stats", db=db).stdout
    assert "Streak" in out and "Retention    not enough data yet" in out and "Quotes" in out
    assert "\x1b" not in out


def test_review_log_reads_only_what_was_appended(tmp_path):
    store = _store_with_history(tmp_path / "drill.json")
    log = ReviewLog(store.journal.path)
    first = log.reviews()
    assert first == reviews_from_records(store.reviews())
    session = ReviewSession(store, clock=FakeClock(datetime(2026, 11, 30, 10, tzinfo=UTC)))
    session.next_card()
    graded = session.grade(GOOD)
    with open(store.journal.path, "ab") as f:
        f.write(b'{"t":"review","id":"half"')  # an incomplete line is left for later
    again = log.reviews()
    assert again[:-1] == first and again[-1].id == graded.review_id
    session.undo()  # an undo cancels a review that was read before
    assert log.reviews() == first
    # A replaced journal (same size or not) is read afresh.
    store.journal.close()
    records = [json.loads(line) for line in store.journal.path.read_bytes().splitlines()[:3]]
    store.journal.path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert log.reviews() == reviews_from_records(records)
    store.journal.path.unlink()
    assert log.reviews() == []


def test_review_log_notices_a_rewritten_journal_of_the_same_size(tmp_path):
    path = tmp_path / "j"
    a = json.dumps(rec(at(TODAY, 8), rid="aaaa")) + "\n"
    path.write_text(a, encoding="utf-8")
    log = ReviewLog(path)
    assert [r.id for r in log.reviews()] == ["aaaa"]
    with open(path, "r+", encoding="utf-8") as f:  # same inode, same size, other content
        f.write(a.replace("aaaa", "bbbb"))
    assert [r.id for r in log.reviews()] == ["bbbb"]
