"""drill optimize: histories fsrs-rs accepts, held-out comparison, keep only better, never crash."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from test_cli import run

from drill.store.collection import Store
from drill.study.optimize import MIN_REVIEWS, graded_reviews, histories, optimize, split
from drill.study.plans import PARAMETERS_KEY, fitted_parameters
from drill.study.schedule import iso

START = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)


def simulated_records(cards: int, days: int, seed: int = 7) -> list[dict]:
    """Review records of a learner who forgets much faster than FSRS's defaults assume,
    scheduled by plain FSRS (defaults): the kind of history fitting should improve on."""
    rng = random.Random(seed)
    default = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    truth = fsrs.Scheduler(parameters=[default[0] / 4, default[1] / 4, default[2] / 4, default[3] / 4, *default[4:]],
                           enable_fuzzing=False)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    records = []
    for cid in range(1, cards + 1):
        first = START + timedelta(days=rng.randrange(days // 3), hours=rng.random())
        sched_card, true_card, now, kind = fsrs.Card(card_id=cid, due=first), fsrs.Card(card_id=cid, due=first), first, "new"
        while now < START + timedelta(days=days):
            p = 0.6 if kind == "new" else truth.get_card_retrievability(true_card, now)
            rating = fsrs.Rating.Good if rng.random() < p else fsrs.Rating.Again
            true_card, _ = truth.review_card(true_card, rating, now)
            sched_card, _ = scheduler.review_card(sched_card, rating, now)
            records.append({"t": "review", "id": f"{cid}-{len(records)}", "card": cid, "deck": "D", "ts": iso(now),
                            "rating": int(rating), "kind": kind})
            kind = "review"
            now = max(sched_card.due, now + timedelta(minutes=1))
    records.sort(key=lambda r: r["ts"])
    return records


@pytest.fixture(scope="module")
def history() -> list[dict]:
    return simulated_records(120, 90)


def test_too_little_history_says_how_many_more():
    records = simulated_records(10, 20)
    result = optimize(records, None)
    assert result.needed == MIN_REVIEWS - len(records) > 0
    assert result.parameters is None and not result.kept_new


def test_histories_skip_what_fsrs_rs_panics_on_or_rejects():
    day = timedelta(days=1)
    records = [
        # Card 1: new, then the same day, then two days later: one item (the same-day one has no long-term review).
        {"t": "review", "id": "a", "card": 1, "ts": iso(START), "rating": 3, "kind": "new"},
        {"t": "review", "id": "b", "card": 1, "ts": iso(START + timedelta(minutes=10)), "rating": 3, "kind": "learn"},
        {"t": "review", "id": "c", "card": 1, "ts": iso(START + 2 * day), "rating": 1, "kind": "review"},
        # Card 2: only same-day reviews: no item (fsrs-rs would panic on it).
        {"t": "review", "id": "d", "card": 2, "ts": iso(START), "rating": 3, "kind": "new"},
        {"t": "review", "id": "e", "card": 2, "ts": iso(START + timedelta(minutes=5)), "rating": 4, "kind": "learn"},
        # Card 3: history starts before the journal: skipped.
        {"t": "review", "id": "f", "card": 3, "ts": iso(START + day), "rating": 3, "kind": "review"},
        {"t": "review", "id": "g", "card": 3, "ts": iso(START + 3 * day), "rating": 3, "kind": "review"},
        # Card 4: a rating fsrs-rs rejects: skipped.
        {"t": "review", "id": "h", "card": 4, "ts": iso(START), "rating": 0, "kind": "new"},
        {"t": "review", "id": "i", "card": 4, "ts": iso(START + day), "rating": 3, "kind": "review"},
        # Undone and cram answers are not history.
        {"t": "review", "id": "j", "card": 1, "ts": iso(START + 5 * day), "rating": 3, "kind": "review"},
        {"t": "undo", "review": "j", "card": 1, "ts": iso(START + 5 * day)},
        {"t": "cram", "id": "k", "card": 1, "ts": iso(START + 6 * day), "rating": 3},
    ]
    items, skipped = histories(graded_reviews(records))
    assert [(h.card, h.reviews) for h in items] == [(1, ((3, 0), (3, 0), (1, 2)))]
    assert skipped == 2
    # And fsrs-rs takes them without a panic.
    import fsrs_rs_python as fr

    fr.FSRS(fr.DEFAULT_PARAMETERS).compute_parameters([fr.FSRSItem([fr.FSRSReview(*r) for r in h.reviews]) for h in items])


def test_split_holds_out_the_most_recent():
    items, _ = histories(graded_reviews(simulated_records(30, 40)))
    train, test = split(items)
    assert train and test and max(h.ts for h in train) < min(h.ts for h in test)
    assert abs(len(test) - 0.2 * len(items)) <= len(items) * 0.05 + 1


def test_fitting_a_learner_unlike_the_defaults_is_better_and_kept(history):
    result = optimize(history, None)
    assert result.error is None and result.needed == 0
    assert result.new[0] < result.old[0] and result.new[1] < result.old[1]
    assert result.kept_new and len(result.parameters) == len(fsrs.scheduler.DEFAULT_PARAMETERS)
    fsrs.Scheduler(parameters=result.parameters)  # the scheduler accepts them


def test_worse_parameters_are_not_kept(history):
    bad = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    bad[0:4] = [100.0, 100.0, 100.0, 100.0]  # promises recall the learner never had

    result = optimize(history, None, fit=lambda train, start: bad)
    assert result.new[0] > result.old[0]
    assert not result.kept_new


def test_a_panic_inside_fsrs_rs_is_reported_not_raised(history):
    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def panicking(train, start):
        raise PanicException("Invalid FSRS item: at least one review with delta_t > 0 is required")

    result = optimize(history, None, fit=panicking)
    assert "PanicException" in result.error and not result.kept_new


def write_journal(path, records):
    store = Store(path)
    store.close()
    with open(path.with_name(path.name + ".journal"), "a", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")


def test_cli_too_little_history(tmp_path):
    db = tmp_path / "drill.json"
    write_journal(db, simulated_records(10, 20))
    out = run("optimize", db=db).stdout
    assert "more. Nothing changed." in out
    assert fitted_parameters(Store(db)) is None


def test_cli_dry_run_then_save_and_json(tmp_path, history):
    db = tmp_path / "drill.json"
    write_journal(db, history)
    out = run("optimize", "--dry-run", db=db).stdout
    assert "log loss" in out and "current (FSRS defaults)" in out and "run without --dry-run" in out
    assert fitted_parameters(Store(db)) is None
    data = json.loads(run("optimize", "--json", db=db).stdout)
    assert data["kept_new"] and data["saved"] and data["new"]["log_loss"] < data["old"]["log_loss"]
    stored = Store(db).extra(PARAMETERS_KEY)
    assert stored["parameters"] == data["parameters"] and stored["reviews"] == len(history)
    # A second run compares against the fitted ones.
    out = run("optimize", "--dry-run", db=db).stdout
    assert "current (fitted)" in out
