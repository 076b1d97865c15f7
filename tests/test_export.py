"""Export: the review log and card states as JSON and CSV, pure and through `drill export`."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.stats.export import CSV_FIELDS, review_rows, to_csv, to_json
from drill.store.collection import Store, StoredCard
from drill.study.schedule import AGAIN, GOOD, iso
from drill.study.session import ReviewSession

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def _card(cid: int, question: str = "Q", deck: str = "D") -> StoredCard:
    return StoredCard(cid, deck, (question,), "A", "/notes/d.md", 3, False, None, None)


def _review(rid: str, card: int = 1, rating: int = GOOD, **extra) -> dict:
    return {
        "t": "review", "id": rid, "card": card, "deck": "D", "ts": iso(NOW), "rating": rating, "ms": 4200,
        "kind": "new", "elapsed_days": None, "interval_days": 2.5, "over": False,
        "state": {"state": 2, "stability": 2.5, "difficulty": 5.0, "due": "2026-11-25T12:00:00+00:00", "reps": 1,
                  "lapses": 0},
        **extra,
    }


def test_review_rows_leave_out_undone_and_malformed():
    records = [
        _review("a"),
        _review("b", rating=AGAIN),
        {"t": "undo", "review": "b", "card": 1},
        {"t": "review", "id": "c", "card": 1, "rating": 3},  # no time
        {"t": "bury", "card": 1, "until": iso(NOW)},
        _review("d", card=99),  # card gone from the store: still exported
    ]
    rows = review_rows(records, {1: _card(1, "Why \x1b]0;pwned\x07queues?")})
    assert [r["review_id"] for r in rows] == ["a", "d"]
    first = rows[0]
    assert first["question"] == "Why queues?"  # escape sequences removed
    assert (first["card"], first["time"], first["rating"], first["rating_name"]) == (1, iso(NOW), 3, "Good")
    assert (first["duration_ms"], first["interval_days"], first["state"], first["due"]) == (
        4200, 2.5, "review", "2026-11-25T12:00:00+00:00")
    assert rows[1]["question"] == ""


def test_csv_has_a_header_and_one_row_per_review():
    records = [_review("a"), _review("b", rating=AGAIN, over=True)]
    text = to_csv(records, [_card(1, 'Commas, "quotes"\nand lines')])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == CSV_FIELDS
    assert len(parsed) == 3
    row = dict(zip(CSV_FIELDS, parsed[2]))
    assert row["question"] == 'Commas, "quotes"\nand lines'
    assert (row["rating"], row["rating_name"], row["over_time"], row["duration_ms"]) == ("1", "Again", "true", "4200")


def test_csv_of_an_empty_log_is_just_the_header():
    assert to_csv([], []) == ",".join(CSV_FIELDS) + "\n"


def test_json_has_reviews_and_card_states():
    cards = [_card(1), StoredCard(2, "D", ("New one",), "", "", 1, True, None, None, True, "leech")]
    text = to_json([_review("a")], cards)
    assert text.startswith('{\n  "reviews": [')  # indented as every --json output (2 spaces)
    data = json.loads(text)
    assert len(data["reviews"]) == 1 and data["reviews"][0]["question"] == "Q"
    assert [c["card"] for c in data["cards"]] == [1, 2]
    assert data["cards"][1] == {**data["cards"][1], "state": "new", "archived": True, "suspended": True,
                                "suspend_reason": "leech", "reps": 0, "lapses": 0}


# ---------------------------------------------------------------- `drill export`
def _drill(*args: str, db: Path, rc: int = 0) -> subprocess.CompletedProcess:
    from test_cli import drill_command

    env = {**os.environ, "DRILL_DB": str(db)}
    proc = subprocess.run([*drill_command(), *args], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == rc, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def _inproc(*args: str, db: Path, rc: int = 0) -> subprocess.CompletedProcess:
    """:func:`_drill` through drill.cli:main in-process (tests/cli_main.py), same checks."""
    from cli_main import run_main

    return run_main(*args, db=db, check_rc=rc)


@pytest.fixture
def reviewed(tmp_path) -> Path:
    db = tmp_path / "drill.json"
    store = Store(db)
    cards = [ParsedCard((f"Card {i}",), f"Body {i}", line=1 + 2 * i) for i in range(3)]
    with store.writing():
        store.apply_import(ParsedDeck("Export deck", cards=cards), str(tmp_path / "deck.md"))
    clock = FakeClock(NOW - timedelta(days=3))
    session = ReviewSession(store, clock=clock)
    while session.next_card() is not None:
        clock.advance(20)
        session.grade(GOOD)
    session.undo()
    store.close()
    return db


def _snapshot(db: Path) -> dict:
    return {p.name: p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name) and p.is_file()}


def test_cli_export_csv_to_a_file_changes_nothing(reviewed, tmp_path):
    before = _snapshot(reviewed)
    out = tmp_path / "out" / "log.csv"
    out.parent.mkdir()
    _drill("export", "--format", "csv", "--out", str(out), db=reviewed)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    journal = [json.loads(line) for line in reviewed.with_name("drill.json.journal").read_text().splitlines()]
    reviews = [r for r in journal if r["t"] == "review"]
    assert len(rows) == len(reviews) - 1  # the undone one is left out
    assert {r["question"] for r in rows} <= {"Card 0", "Card 1", "Card 2"}
    assert _snapshot(reviewed) == before


def test_cli_export_json_to_stdout(reviewed):
    data = json.loads(_inproc("export", db=reviewed).stdout)
    assert len(data["cards"]) == 3
    assert all({"card", "deck", "question", "time", "rating", "duration_ms", "interval_days"} <= r.keys()
               for r in data["reviews"])


def test_cli_export_errors_are_one_line(reviewed, tmp_path):
    before = _snapshot(reviewed)
    proc = _inproc("export", "--out", str(reviewed), db=reviewed, rc=2)
    assert proc.stderr.count("\n") == 1 and "refusing to overwrite" in proc.stderr
    proc = _inproc("export", "--out", str(tmp_path / "no" / "such" / "dir.json"), db=reviewed, rc=1)
    assert proc.stderr.count("\n") == 1 and "dir.json" in proc.stderr
    proc = _inproc("export", "--format", "xml", db=reviewed, rc=2)
    assert "invalid choice" in proc.stderr
    assert _snapshot(reviewed) == before


def test_read_only_commands_leave_an_uncompacted_store_untouched(tmp_path):
    db = tmp_path / "drill.json"
    store = Store(db)
    with store.writing():
        store.apply_import(ParsedDeck("Deck", cards=[ParsedCard(("Q",), "A", line=1)]), str(tmp_path / "d.md"))
    session = ReviewSession(store, clock=FakeClock(NOW))
    session.next_card()
    session.grade(GOOD)
    store.close(compact=False)  # the journal holds a grade the TinyDB file does not
    before = _snapshot(db)
    for args in (["export"], ["export", "--format", "csv"], ["decks", "--json"], ["stats", "--json"]):
        _inproc(*args, db=db)
        assert _snapshot(db) == before, args
