from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.store.settings import Settings
from drill.study.schedule import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    RELEARNING,
    REVIEW,
    iso,
    parse_iso,
)
from drill.study.session import (
    DeckCounts,
    ReviewSession,
    TodayCounts,
    _interleave,
    deck_counts,
    studied_today,
)

START = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)  # TZ=UTC (conftest): day starts 04:00 UTC


def make_deck(name: str, count: int, prefix: str | None = None) -> ParsedDeck:
    prefix = prefix or name
    return ParsedDeck(
        name=name,
        cards=[ParsedCard((f"{prefix} {i}",), f"Answer {prefix} {i}", line=1 + 3 * i) for i in range(count)],
    )


def fill(store: Store, *decks: ParsedDeck) -> None:
    with store.writing():
        for parsed in decks:
            store.apply_import(parsed, f"/notes/{parsed.name}.md")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def deck5(store):
    fill(store, make_deck("Deck", 5))
    return store


def session(store, clock, **kwargs) -> ReviewSession:
    return ReviewSession(store, clock=clock, **kwargs)


def drain(s: ReviewSession, rating: int = EASY) -> list[int]:
    """Show and grade every card the session offers now; return card ids in order."""
    seen = []
    while (card := s.next_card()) is not None:
        seen.append(card.id)
        s.grade(rating)
    return seen


def questions(cards) -> list[str]:
    return [c.question for c in cards]


def journal_lines(store: Store) -> int:
    return len(store.journal.path.read_bytes().splitlines()) if store.journal.path.exists() else 0


def make_reviews_due(store: Store, clock: FakeClock, count: int | None = None) -> list[int]:
    """Introduce cards with Easy (→ review state), then jump far enough that all are due."""
    s = session(store, clock, new_limit=count if count is not None else 10_000)
    ids = drain(s, EASY)
    clock.advance(days=400)
    return ids


# ---------------------------------------------------------------- clock helper


def test_fake_clock():
    c = FakeClock(START)
    assert c() == START and c().tzinfo == timezone.utc
    c.advance(seconds=90)
    assert c() == START + timedelta(seconds=90)
    c.advance(days=1, minutes=1)
    assert c() == START + timedelta(days=1, seconds=150)
    assert FakeClock()().tzinfo is not None


# ---------------------------------------------------------------- new card limit


def test_new_card_limit_and_todays_count(deck5, clock):
    store = deck5
    store.save_settings(Settings(new_per_day=3))
    s = session(store, clock)
    assert s.remaining() == 3
    assert questions(s.queue) == ["Deck 0", "Deck 1", "Deck 2"]  # file order
    for _ in range(2):
        s.next_card()
        s.grade(EASY)
    assert studied_today(store, clock(), store.settings) == TodayCounts(new=2, reviews=0)

    later = session(store, clock.advance(hours=3) and clock)
    assert questions(later.queue) == ["Deck 2"]  # 3 - 2 studied today

    clock.set(datetime(2024, 3, 6, 3, 59, tzinfo=timezone.utc))
    assert questions(session(store, clock).queue) == ["Deck 2"]  # still the same study day
    clock.set(datetime(2024, 3, 6, 4, 0, tzinfo=timezone.utc))
    assert studied_today(store, clock(), store.settings) == TodayCounts()
    assert questions(session(store, clock).queue) == ["Deck 2", "Deck 3", "Deck 4"]


def test_new_limit_override(deck5, clock):
    deck5.save_settings(Settings(new_per_day=1))
    assert len(session(deck5, clock, new_limit=4).queue) == 4
    assert len(session(deck5, clock, new_limit=0).queue) == 0
    s = session(deck5, clock)
    assert len(s.queue) == 1
    drain(s)
    assert session(deck5, clock).queue == []  # today's allowance used up
    assert len(session(deck5, clock, new_limit=2).queue) == 2  # the override ignores it


def test_settings_argument_wins_over_store(deck5, clock):
    s = session(deck5, clock, settings=Settings(new_per_day=2))
    assert len(s.queue) == 2


# ---------------------------------------------------------------- grading


def test_grade_appends_one_journal_line_and_card_is_no_longer_new(deck5, clock):
    store = deck5
    s = session(store, clock)
    card = s.next_card()
    assert card.is_new and s.current == card
    labels = {r: o.label for r, o in s.outcomes().items()}
    assert set(labels) == {AGAIN, HARD, GOOD, EASY}
    expected = s.outcomes()[GOOD].state
    clock.advance(seconds=4)
    before = journal_lines(store)
    graded = s.grade(GOOD)
    assert journal_lines(store) == before + 1
    (record,) = list(itertools.islice(store.recent_records(), 1))
    assert record["t"] == "review" and record["id"] == graded.review_id
    assert record["card"] == card.id and record["deck"] == "Deck"
    assert record["ts"] == iso(clock()) and record["rating"] == GOOD
    assert record["kind"] == "new" and record["elapsed_days"] is None
    assert record["ms"] == 4000 and record["over"] is False
    assert record["state"] == expected == store.card(card.id).state
    assert s.current is None
    assert graded.prev_state is None and graded.duration_ms == 4000

    fresh_store = Store(store.path)  # another process sees it too
    assert not fresh_store.card(card.id).is_new
    nxt = session(fresh_store, clock)
    assert card.id not in [c.id for c in nxt.queue]
    assert card.id in [c.id for c in nxt.learning]  # Good on a new card = learning step
    fresh_store.journal.close()
    fresh_store.lock.close()


def test_record_kinds(deck5, clock):
    store = deck5
    s = session(store, clock, new_limit=1)
    s.next_card()
    s.grade(AGAIN)  # new
    clock.advance(minutes=2)
    s.next_card()
    s.grade(GOOD)  # learn
    clock.advance(minutes=11)
    s.next_card()
    s.grade(GOOD)  # learn → review
    clock.advance(days=60)
    s = session(store, clock, new_limit=0)
    s.next_card()
    s.grade(AGAIN)  # review → relearning (a lapse)
    clock.advance(minutes=11)
    s.next_card()
    s.grade(GOOD)  # relearn
    kinds = [r["kind"] for r in store.reviews()]
    assert kinds == ["new", "learn", "learn", "review", "relearn"]
    lapsed = list(store.reviews())[3]
    assert lapsed["elapsed_days"] > 50
    assert lapsed["state"]["state"] == RELEARNING and lapsed["state"]["lapses"] == 1
    assert studied_today(store, clock(), store.settings) == TodayCounts(new=0, reviews=1)


def test_outcomes_are_computed_once_and_match_grading(deck5, clock):
    s = session(deck5, clock)
    card = s.next_card()
    first = s.outcomes()
    clock.advance(seconds=30)
    assert s.outcomes() is first
    s.grade(EASY, over_time=True)
    assert deck5.card(card.id).state == first[EASY].state
    assert next(deck5.recent_records())["over"] is True


def test_again_on_new_card_returns_after_a_minute(store, clock):
    fill(store, make_deck("Deck", 3))
    s = session(store, clock)
    a = s.next_card()
    s.grade(AGAIN)
    assert [c.id for c in s.learning] == [a.id]
    assert s.learning[0].state["state"] == LEARNING
    assert parse_iso(s.learning[0].state["due"]) == clock() + timedelta(minutes=1)
    b = s.next_card()
    assert b.id != a.id  # not due yet, and other cards are waiting
    s.grade(EASY)
    clock.advance(seconds=61)
    assert s.next_card().id == a.id  # due learning cards come before the queue
    s.grade(GOOD)  # next learning step: 10 minutes
    c = s.next_card()
    assert c.id not in (a.id, b.id)
    s.grade(EASY)
    # Nothing else is left: A is shown early (learn-ahead, 20 min) though due in ~10 min.
    assert clock() < parse_iso(store.card(a.id).state["due"])
    assert s.next_card().id == a.id
    s.grade(GOOD)  # graduates
    assert store.card(a.id).state["state"] == REVIEW
    assert s.next_card() is None
    assert s.remaining() == 0


def test_learn_ahead_window_is_respected(store, clock):
    fill(store, make_deck("Deck", 1))
    store.save_settings(Settings(learn_ahead_minutes=5))
    s = session(store, clock)
    a = s.next_card()
    s.grade(GOOD)  # due in 10 minutes: outside a 5 minute learn-ahead
    assert s.next_card() is None
    assert s.remaining() == 1
    clock.advance(minutes=6)
    assert s.next_card().id == a.id


def test_learning_cards_from_an_earlier_session_come_back(store, clock):
    fill(store, make_deck("Deck", 2))
    s = session(store, clock)
    a = s.next_card()
    s.grade(AGAIN)
    clock.advance(minutes=5)
    s2 = session(store, clock)
    assert [c.id for c in s2.learning] == [a.id]
    assert s2.next_card().id == a.id  # due: before the new card
    assert s2.remaining() == 2  # the current card and the other new one


def test_again_on_review_card_relearns(store, clock):
    fill(store, make_deck("Deck", 1))
    (cid,) = make_reviews_due(store, clock)
    s = session(store, clock)
    assert s.next_card().id == cid
    s.grade(AGAIN)
    assert store.card(cid).state["state"] == RELEARNING
    assert store.card(cid).state["lapses"] == 1
    assert [c.id for c in s.learning] == [cid]
    assert studied_today(store, clock(), store.settings).reviews == 1


# ---------------------------------------------------------------- undo


def test_undo_restores_previous_state_and_makes_card_current(deck5, clock):
    store = deck5
    s = session(store, clock)
    a = s.next_card()
    s.grade(GOOD)
    assert studied_today(store, clock(), store.settings).new == 1
    b = s.next_card()
    assert b.id != a.id
    clock.advance(seconds=10)
    restored = s.undo()
    assert restored.id == a.id and restored.is_new
    assert s.current == restored
    assert s.shown_at == clock()
    assert store.card(a.id).is_new
    assert all(c.id != a.id for c in s.learning)
    assert s.queue[0].id == b.id  # the card that was showing goes back first
    assert studied_today(store, clock(), store.settings).new == 0
    assert s.history == []
    assert s.undo() is None
    undo_record = next(store.recent_records())
    assert undo_record["t"] == "undo" and undo_record["card"] == a.id

    # Durable: another session/process sees the card as new again.
    assert a.id in [c.id for c in session(Store(store.path), clock).queue]
    # Grading again after the undo counts once.
    s.grade(EASY)
    assert studied_today(store, clock(), store.settings).new == 1
    assert s.summary().done == 1


def test_undo_frees_the_new_card_allowance(deck5, clock):
    deck5.save_settings(Settings(new_per_day=1))
    s = session(deck5, clock)
    s.next_card()
    s.grade(EASY)
    assert session(deck5, clock).queue == []
    s.undo()
    assert len(session(deck5, clock).queue) == 1


def test_undo_twice_on_the_same_card_does_not_duplicate_it(store, clock):
    fill(store, make_deck("Deck", 2))
    s = session(store, clock)
    a = s.next_card()
    s.grade(AGAIN)
    after_again = store.card(a.id).state
    clock.advance(minutes=2)
    assert s.next_card().id == a.id
    s.grade(GOOD)
    assert s.undo().state == after_again
    assert s.current.id == a.id
    restored = s.undo()
    assert restored.id == a.id and restored.is_new
    assert s.current.id == a.id
    ids = [c.id for c in s.queue + s.learning]
    assert a.id not in ids  # it is current; it must not also wait in a queue
    assert s.remaining() == 2
    s.grade(EASY)
    assert [c.id for c in s.queue] == [c.id for c in store.cards() if c.id != a.id]
    assert len(drain(s)) == 1  # only the other card is left
    last_a = [r for r in store.reviews() if r["t"] == "review" and r["card"] == a.id][-1]
    assert last_a["kind"] == "new" and last_a["rating"] == EASY


def test_undo_resets_bury(deck5, clock):
    s = session(deck5, clock)
    a = s.next_card()
    s.grade(GOOD)
    # Another process buries the card; undoing the grade also un-buries it.
    deck5.append({"t": "bury", "card": a.id, "ts": iso(clock()), "until": iso(clock() + timedelta(hours=5))})
    assert s.undo().buried_until is None


# ---------------------------------------------------------------- bury


def test_bury_hides_card_until_next_day_start(deck5, clock):
    store = deck5
    s = session(store, clock)
    a = s.next_card()
    s.bury()
    assert s.current is None
    assert store.card(a.id).buried_until == iso(datetime(2024, 3, 6, 4, 0, tzinfo=timezone.utc))
    assert a.id not in [c.id for c in s.queue]
    assert s.summary().done == 0
    counts = deck_counts(store, clock())
    assert counts == [DeckCounts("Deck", new=4, due=0, total=5)]

    clock.advance(hours=10)
    assert a.id not in [c.id for c in session(store, clock).queue]
    clock.set(datetime(2024, 3, 6, 3, 59, 59, tzinfo=timezone.utc))
    assert a.id not in [c.id for c in session(store, clock).queue]
    clock.set(datetime(2024, 3, 6, 4, 0, tzinfo=timezone.utc))
    assert session(store, clock).queue[0].id == a.id
    assert deck_counts(store, clock())[0].new == 5


def test_bury_after_midnight_lasts_until_0400_same_date(deck5, clock):
    clock.set(datetime(2024, 3, 6, 1, 30, tzinfo=timezone.utc))  # still Mar 5's study day
    s = session(deck5, clock)
    a = s.next_card()
    s.bury()
    assert deck5.card(a.id).buried_until == iso(datetime(2024, 3, 6, 4, 0, tzinfo=timezone.utc))


def test_bury_learning_card_removes_it_from_session(store, clock):
    fill(store, make_deck("Deck", 1))
    s = session(store, clock)
    s.next_card()
    s.grade(AGAIN)
    clock.advance(minutes=2)
    a = s.next_card()
    s.bury()
    assert s.next_card() is None and s.remaining() == 0
    clock.advance(minutes=30)
    assert session(store, clock).remaining() == 0
    assert store.card(a.id).state["state"] == LEARNING


# ---------------------------------------------------------------- summary


def test_summary_counts(deck5, clock):
    s = session(deck5, clock)
    assert s.summary().done == 0 and s.summary().again_rate == 0.0
    s.next_card()
    clock.advance(seconds=5)
    s.grade(AGAIN)
    s.next_card()
    clock.advance(seconds=7.5)
    s.grade(GOOD)
    s.next_card()
    clock.advance(seconds=2)
    s.grade(EASY)
    summary = s.summary()
    assert summary.done == 3 and summary.again == 1
    assert summary.seconds == pytest.approx(14.5)
    assert summary.again_rate == pytest.approx(1 / 3)
    # Soonest future due: the Again card, one minute after it was graded.
    assert summary.next_due == START + timedelta(seconds=5) + timedelta(minutes=1)


def test_summary_next_due_none_without_scheduled_cards(deck5, clock):
    assert session(deck5, clock).summary().next_due is None


def test_elapsed(deck5, clock):
    s = session(deck5, clock)
    assert s.elapsed() == 0.0
    s.next_card()
    clock.advance(seconds=3)
    assert s.elapsed() == 3.0


# ---------------------------------------------------------------- deck counts and limits


def test_deck_counts(store, clock):
    fill(store, make_deck("Alpha", 4), make_deck("Beta", 2))
    store.save_settings(Settings(new_per_day=3))
    assert deck_counts(store, clock()) == [DeckCounts("Alpha", 3, 0, 4), DeckCounts("Beta", 2, 0, 2)]

    s = session(store, clock, decks=["Beta"])
    assert [c.deck for c in s.queue] == ["Beta", "Beta"]
    drain(s, EASY)  # two new cards introduced today
    assert deck_counts(store, clock()) == [DeckCounts("Alpha", 1, 0, 4), DeckCounts("Beta", 0, 0, 2)]

    clock.advance(days=400)  # new day, Beta's cards are due
    assert deck_counts(store, clock()) == [DeckCounts("Alpha", 3, 0, 4), DeckCounts("Beta", 0, 2, 2)]
    store.save_settings(Settings(new_per_day=3, reviews_per_day=1))
    assert deck_counts(store, clock())[1] == DeckCounts("Beta", 0, 1, 2)
    assert deck_counts(store, clock(), Settings(new_per_day=0))[0].new == 0


def test_deck_counts_ignore_archived_cards(store, clock):
    fill(store, make_deck("Alpha", 3))
    with store.writing():
        store.apply_import(make_deck("Alpha", 1), "/notes/Alpha.md")
    assert deck_counts(store, clock()) == [DeckCounts("Alpha", 1, 0, 1)]
    assert len(session(store, clock).queue) == 1


def test_reviews_per_day_caps_due_reviews(store, clock):
    fill(store, make_deck("Deck", 6))
    ids = make_reviews_due(store, clock)
    assert len(ids) == 6
    store.save_settings(Settings(reviews_per_day=4))
    s = session(store, clock)
    assert len(s.queue) == 4
    dues = [c.state["due"] for c in s.queue]
    assert dues == sorted(dues)  # most overdue first
    s.next_card()
    s.grade(GOOD)
    s.next_card()
    s.grade(HARD)
    assert studied_today(store, clock(), store.settings).reviews == 2
    assert len(session(store, clock).queue) == 2  # 4 due left, 2 reviews left today
    assert deck_counts(store, clock())[0].due == 2


def test_interleaving_keeps_every_card_once(store, clock):
    fill(store, make_deck("Old", 6))
    review_ids = make_reviews_due(store, clock)
    fill(store, make_deck("Fresh", 3))
    s = session(store, clock)
    kinds = ["new" if c.is_new else "review" for c in s.queue]
    assert sorted(kinds) == ["new"] * 3 + ["review"] * 6
    assert kinds[0] == "review" and kinds[-1] == "review"  # spread out, not bunched
    assert "new,new" not in ",".join(kinds)
    shown = drain(s, EASY)
    assert len(shown) == 9 == len(set(shown))
    assert set(review_ids) <= set(shown)


@pytest.mark.parametrize("reviews, new", [(0, 0), (0, 3), (3, 0), (1, 1), (10, 3), (3, 10), (7, 7), (20, 1), (1, 20)])
def test_interleave_is_a_stable_merge(reviews, new):
    r = [f"r{i}" for i in range(reviews)]
    n = [f"n{i}" for i in range(new)]
    out = _interleave(r, n)  # works on any items
    assert sorted(out) == sorted(r + n)
    assert [x for x in out if x.startswith("r")] == r
    assert [x for x in out if x.startswith("n")] == n
    if reviews >= new > 0:
        assert all(not (a.startswith("n") and b.startswith("n")) for a, b in zip(out, out[1:]))


def test_decks_filter(store, clock):
    fill(store, make_deck("Alpha", 2), make_deck("Beta", 2))
    s = session(store, clock, decks=["Alpha"])
    assert {c.deck for c in s.queue} == {"Alpha"}
    assert session(store, clock, decks=[]).queue == []
    assert len(session(store, clock).queue) == 4


def test_session_on_empty_store(store, clock):
    s = session(store, clock)
    assert s.next_card() is None
    assert s.remaining() == 0
    assert deck_counts(store, clock()) == []
    assert s.summary().done == 0


def test_counts_split_new_learning_review_like_anki(deck5, clock):
    from drill.study.session import QueueCounts, card_kind

    s = session(deck5, clock)
    s.next_card()
    assert s.counts() == QueueCounts(new=5, learning=0, review=0)  # the current card counts
    assert card_kind(s.current) == "new"
    s.grade(GOOD)  # a new card graded Good comes back in a learning step, minutes later
    s.next_card()
    assert s.counts() == QueueCounts(new=4, learning=1, review=0)
    s.grade(AGAIN)
    s.next_card()
    assert s.counts() == QueueCounts(new=3, learning=2, review=0)
    s.grade(EASY)  # Easy on a new card: straight to review, not back today
    assert s.counts() == QueueCounts(new=2, learning=2, review=0)
    clock.advance(minutes=30)
    card = s.next_card()  # due learning cards come first, and are called learning
    assert card_kind(card) == "learning"
    assert s.counts() == QueueCounts(new=2, learning=2, review=0)


def test_learning_cards_due_after_the_learn_ahead_window_are_not_counted(deck5, clock):
    s = session(deck5, clock, settings=Settings(learn_ahead_minutes=0))
    s.next_card()
    s.grade(GOOD)
    s.next_card()
    assert s.counts().learning == 0  # back in 10 minutes: not shown in this session yet
    assert s.counts().new == 4
