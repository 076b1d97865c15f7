"""Mock interviews, the domain: STAR detection, picking, timing, saving, grading, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import FakeClock

from drill.interview.mock import (
    ANSWER,
    DONE,
    THINK,
    MockConfig,
    MockSession,
    parse_seed,
)
from drill.interview.picking import pick_cards, recent_agains
from drill.interview.report import ABANDONED, COMPLETE, build_report
from drill.interview.star import star_parts, suggested_grade
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.schedule import AGAIN, EASY, GOOD, HARD, iso

STAR_ANSWER = """\
- **Situation**: the release train kept missing its slot.
- **Task**: get the weekly release back on time.
- **Action**: split the build, added a canary stage.
- **Result**: four on-time releases in a row.
"""

HEADED_ANSWER = """\
We moved the cron box to containers.

### Situation
One old server ran everything.

### Actions
Listed owners, ran old and new side by side.

#### Results
Zero missed reports.
"""


def _deck(name: str, n: int, *, star: bool = False) -> ParsedDeck:
    cards = [
        ParsedCard(path=(f"{name} prompt {i}",), answer=STAR_ANSWER if star else f"plain answer {i}", line=i + 1)
        for i in range(n)
    ]
    return ParsedDeck(name=name, cards=cards)


@pytest.fixture
def filled(store: Store, tmp_path) -> Store:
    with store.writing():
        store.apply_import(_deck("Stories", 4, star=True), str(tmp_path / "stories.md"))
        store.apply_import(_deck("Design", 6), str(tmp_path / "design.md"))
    return store


def _session(store: Store, clock: FakeClock, **config) -> MockSession:
    defaults = {"count": 3, "answer_seconds": 60, "think_seconds": 10, "seed": 1}
    session = MockSession.create(store, MockConfig(**{**defaults, **config}), clock=clock)
    session.start()
    return session


# ----------------------------------------------------------------------------- STAR


def test_star_bold_labels_in_a_list():
    assert star_parts(STAR_ANSWER) == ["Situation", "Task", "Action", "Result"]


def test_star_sub_headings_plural_and_any_level():
    assert star_parts(HEADED_ANSWER) == ["Situation", "Action", "Result"]


def test_star_bold_label_with_colon_inside_and_paragraphs():
    text = "**Task:** keep the lights on.\n\n__Result__ — nothing fell over.\n"
    assert star_parts(text) == ["Task", "Result"]


def test_star_needs_two_parts_and_a_label_at_the_start():
    assert star_parts("### Results\n\n- latency down 40%\n") == []
    assert star_parts("The **Situation** was bad and the **Result** was worse.\n") == []
    assert star_parts("**Situation and Task**: combined\n\n**Outcome**: fine\n") == []


def test_star_ignores_code_blocks():
    text = "```\n**Situation**: not a label\n### Task\n```\n\n**Result**: shipped\n"
    assert star_parts(text) == []


def test_suggested_grade_follows_the_checklist():
    parts = ["Situation", "Task", "Action", "Result"]
    assert suggested_grade(parts, parts) == GOOD
    assert suggested_grade(parts, ["Task", "Result", "Action"]) == HARD
    assert suggested_grade(parts, ["Task", "Result"]) == HARD
    assert suggested_grade(parts, ["Task"]) == AGAIN
    assert suggested_grade(parts, []) == AGAIN
    assert suggested_grade([], []) is None


def test_parse_seed():
    assert parse_seed("07") == 7
    assert parse_seed(" onsite ") == "onsite"
    assert parse_seed(None) is None


# ----------------------------------------------------------------------------- picking


def test_pick_has_no_repeats_and_caps_at_deck_size(filled):
    now = FakeClock()()
    picked = pick_cards(filled, ["Stories"], 10, now=now, seed=5)
    assert len(picked) == 4
    assert len({c.id for c in picked}) == 4
    assert {c.deck for c in picked} == {"Stories"}
    assert pick_cards(filled, None, 0, now=now) == []


def test_same_seed_same_questions_other_seeds_differ(filled):
    now = FakeClock()()
    first = [c.id for c in pick_cards(filled, None, 4, now=now, seed="loop-1")]
    again = [c.id for c in pick_cards(Store(filled.path), None, 4, now=now, seed="loop-1")]
    assert first == again
    others = {tuple(c.id for c in pick_cards(filled, None, 4, now=now, seed=s)) for s in range(10)}
    assert len(others) > 5


def _count_picks(store: Store, card_id: int, now, runs: int = 200) -> int:
    return sum(card_id in {c.id for c in pick_cards(store, None, 2, now=now, seed=s)} for s in range(runs))


def test_recent_again_grades_make_a_card_likelier(filled):
    clock = FakeClock()
    cards = filled.cards(["Design"])
    weak, steady = cards[0], cards[1]
    for card, rating in ((weak, AGAIN), (steady, GOOD)):
        for _ in range(2):
            filled.append({"t": "review", "id": f"r{card.id}{_}", "card": card.id, "ts": iso(clock()), "rating": rating,
                           "state": {"state": 2, "due": iso(clock() + timedelta(days=3)), "stability": 3.0,
                                     "difficulty": 5.0, "last_review": iso(clock()), "step": None, "reps": 1, "lapses": 0}})
    assert recent_agains(filled, clock()) == {weak.id: 2}
    assert _count_picks(filled, weak.id, clock()) > 2 * _count_picks(filled, steady.id, clock())


def test_undone_again_does_not_count(filled):
    clock = FakeClock()
    card = filled.cards()[0]
    filled.append({"t": "review", "id": "x1", "card": card.id, "ts": iso(clock()), "rating": AGAIN, "state": None})
    filled.append({"t": "undo", "review": "x1", "card": card.id, "ts": iso(clock()), "state": None})
    assert recent_agains(filled, clock()) == {}


def test_old_agains_are_not_recent(filled):
    clock = FakeClock()
    card = filled.cards()[0]
    filled.append({"t": "review", "id": "old", "card": card.id, "ts": iso(clock() - timedelta(days=40)), "rating": AGAIN, "state": None})
    assert recent_agains(filled, clock()) == {}


def test_cards_never_asked_in_a_mock_are_preferred(filled):
    clock = FakeClock()
    design = filled.cards(["Design"])
    asked = design[:3]
    filled.save_mock({"started": iso(clock()), "questions": [{"card": c.id} for c in asked]})
    fresh = design[3]
    assert _count_picks(filled, fresh.id, clock()) > _count_picks(filled, asked[0].id, clock())


# ----------------------------------------------------------------------------- timing


def test_phases_auto_advance_on_the_clock(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    assert (s.index, s.phase, s.remaining()) == (0, THINK, 10)
    clock.advance(9)
    assert s.tick() is None and s.remaining() == 1
    clock.advance(1)
    assert s.tick() == ANSWER and s.remaining() == 60
    s.set_notes("first notes")
    clock.advance(61)
    assert s.tick() == THINK
    q = s.questions[0]
    assert (q.seconds_used, q.timed_out, q.notes) == (60, True, "first notes")
    assert s.index == 1 and s.current is s.questions[1]


def test_one_tick_ends_at_most_one_phase(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    clock.advance(500)
    assert s.tick() == ANSWER
    assert s.tick() is None  # the answer phase started at this tick
    assert s.index == 0


def test_next_moves_on_early_and_records_time(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    clock.advance(3)
    assert s.next() == ANSWER
    clock.advance(25.5)
    assert s.next() == THINK
    assert s.questions[0].seconds_used == 25.5 and not s.questions[0].timed_out


def test_no_think_time_goes_straight_to_answer(filled):
    clock = FakeClock()
    s = _session(filled, clock, think_seconds=0)
    assert s.phase == ANSWER
    clock.advance(5)
    assert s.next() == ANSWER and s.index == 1


def test_notes_only_while_answering(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    s.set_notes("typed while thinking")
    assert s.questions[0].notes == ""


def test_pause_stops_the_clock(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    s.next()
    clock.advance(20)
    s.pause()
    clock.advance(300)
    assert s.tick() is None and s.next() is None
    assert s.remaining() == 40
    s.resume()
    assert s.remaining() == 40
    clock.advance(40)
    assert s.tick() == THINK


def test_last_question_saves_the_session_at_once(filled):
    clock = FakeClock()
    s = _session(filled, clock, count=2)
    for notes in ("alpha notes", "beta notes"):
        s.next()
        s.set_notes(notes)
        clock.advance(30)
        s.next()
    assert s.finished and s.phase == DONE
    docs = Store(filled.path).mocks()  # what another process (or a restart) would see
    assert len(docs) == 1
    doc = docs[0]
    assert doc["status"] == COMPLETE
    assert [q["notes"] for q in doc["questions"]] == ["alpha notes", "beta notes"]
    assert [q["seconds_used"] for q in doc["questions"]] == [30, 30]
    assert doc["started"] == iso(FakeClock()())
    assert doc["settings"]["answer_seconds"] == 60


def test_progress_is_saved_after_each_question_as_abandoned(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    s.next()
    clock.advance(12)
    s.next()
    doc = Store(filled.path).mocks()[0]
    assert doc["status"] == ABANDONED
    assert len(doc["questions"]) == 1


def test_abandon_keeps_what_was_answered(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    s.next()
    clock.advance(12)
    s.next()  # question 1 done
    s.next()  # question 2: answering
    s.set_notes("half an answer")
    clock.advance(7)
    s.abandon()
    doc = Store(filled.path).mocks()[-1]
    assert doc["status"] == ABANDONED
    assert [q["seconds_used"] for q in doc["questions"]] == [12, 7]
    assert doc["questions"][1]["notes"] == "half an answer"
    assert len(Store(filled.path).mocks()) == 1  # updated in place, not a second session


def test_abandon_while_thinking_drops_the_unanswered_question(filled):
    clock = FakeClock()
    s = _session(filled, clock)
    s.abandon()
    assert s.finished
    assert Store(filled.path).mocks()[0]["questions"] == []


def test_decks_recorded(filled):
    clock = FakeClock()
    s = _session(filled, clock, decks=["Design"], count=1)
    assert s.decks == ["Design"]
    s2 = _session(filled, clock, count=10)
    assert s2.decks == ["Design", "Stories"]


# ----------------------------------------------------------------------------- grading


def _finished(store: Store, clock: FakeClock, **config) -> MockSession:
    s = _session(store, clock, **config)
    while not s.finished:
        s.next()
        clock.advance(20)
        s.next()
    return s


def test_grade_feeds_fsrs_and_is_saved(filled):
    clock = FakeClock()
    s = _finished(filled, clock, decks=["Stories"], count=2)
    card_id = s.questions[0].card
    assert s.grade(0, HARD)
    reviews = [r for r in filled.reviews() if r["t"] == "review"]
    assert len(reviews) == 1
    r = reviews[0]
    assert (r["card"], r["rating"], r["source"], r["ms"], r["kind"]) == (card_id, HARD, "mock", 20000, "new")
    assert Store(filled.path).card(card_id).state is not None
    assert Store(filled.path).mocks()[0]["questions"][0]["grade"] == HARD


def test_regrade_undoes_the_earlier_review(filled):
    clock = FakeClock()
    s = _finished(filled, clock, count=1)
    card_id = s.questions[0].card
    s.grade(0, AGAIN)
    s.grade(0, EASY)
    kinds = [(r["t"], r.get("rating")) for r in filled.reviews()]
    assert kinds == [("review", AGAIN), ("undo", None), ("review", EASY)]
    fresh = Store(filled.path)
    assert fresh.card(card_id).state["reps"] == 1  # one review counted, not two
    assert fresh.mocks()[0]["questions"][0]["grade"] == EASY


def test_no_schedule_keeps_mocks_out_of_the_journal(filled):
    clock = FakeClock()
    s = _finished(filled, clock, count=2, schedule=False)
    s.grade(0, GOOD)
    assert list(filled.reviews()) == []
    assert filled.mocks()[0]["questions"][0]["grade"] == GOOD
    assert filled.mocks()[0]["settings"]["schedule"] is False


def test_star_checklist_and_suggestion(filled):
    clock = FakeClock()
    s = _finished(filled, clock, decks=["Stories"], count=1)
    assert s.questions[0].star == ["Situation", "Task", "Action", "Result"]
    assert s.suggestion(0) == AGAIN
    for part in ("Result", "Situation", "Task", "Action"):
        s.toggle_star(0, part)
    assert s.suggestion(0) == GOOD
    s.toggle_star(0, "Task")
    assert s.suggestion(0) == HARD
    s.grade(0, HARD)
    saved = filled.mocks()[0]["questions"][0]
    assert saved["ticked"] == ["Situation", "Action", "Result"]  # in S/T/A/R order


def test_grade_failure_is_reported_not_raised(filled, monkeypatch):
    clock = FakeClock()
    s = _finished(filled, clock, count=1)

    def broken(record):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(filled, "append", broken)
    assert s.grade(0, GOOD) is False
    assert "No space" in s.save_error
    assert s.questions[0].grade is None


# ----------------------------------------------------------------------------- report


def test_report_values_and_weakest(filled):
    clock = FakeClock()
    s = _session(filled, clock, decks=["Stories"], count=4, answer_seconds=100)
    used = [40, 100, 70, 10]
    for seconds in used:
        s.next()
        clock.advance(seconds + (5 if seconds == 100 else 0))
        if seconds == 100:
            s.tick()
        else:
            s.next()
    s.toggle_star(0, "Situation")
    s.toggle_star(0, "Task")
    for part in ("Situation", "Task", "Action", "Result"):
        s.toggle_star(2, part)
    s.grade(0, HARD)
    s.grade(1, AGAIN)
    s.grade(2, GOOD)
    report = s.report()
    assert [r.seconds_used for r in report.rows] == [40, 100, 70, 10]
    assert [r.timed_out for r in report.rows] == [False, True, False, False]
    assert [r.grade for r in report.rows] == [HARD, AGAIN, GOOD, None]
    assert [r.star_label for r in report.rows] == ["2/4", "0/4", "4/4", "0/4"]
    assert (report.seconds_used, report.seconds_allowed) == (220, 400)
    assert report.graded == 3 and report.average_grade == 2.0
    assert (report.star_ticked, report.star_total, report.over_time) == (6, 16, 1)
    assert [r.number for r in report.weakest] == [2, 1, 4]


def test_report_from_a_damaged_doc():
    report = build_report({"started": "nonsense", "questions": [5, {"grade": 9, "star": "x", "seconds_used": "?"}]})
    assert report.started is None
    assert len(report.rows) == 1
    row = report.rows[0]
    assert (row.grade, row.star_total, row.seconds_used, row.grade_name) == (None, 0, None, "–")


# ----------------------------------------------------------------------------- store


def test_store_keeps_mocks_with_ids_oldest_first(store):
    first = store.save_mock({"started": "2026-01-02T00:00:00+00:00", "questions": []})
    second = store.save_mock({"started": "2026-01-01T00:00:00+00:00", "questions": []})
    assert (first, second) == (1, 2)
    doc = {"started": "2026-01-03T00:00:00+00:00", "notes": "a"}
    store.save_mock(doc, first)
    doc["notes"] = "changed after saving"
    reopened = Store(store.path)
    assert [m["id"] for m in reopened.mocks()] == [2, 1]
    assert reopened.mocks()[1]["notes"] == "a"
    assert store.mocks()[1]["notes"] == "a"
