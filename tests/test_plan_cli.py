"""`drill plan`: one set and one usage error through the real entry point, the rest in-process (tests/cli_main.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from cli_main import run_main
from test_cli import run

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.study.schedule import study_day, utcnow


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "drill.json"
    store = Store(path)
    with store.writing():
        for name, count in (("Behavioural", 31), ("Systems", 5)):
            deck = ParsedDeck(name, [ParsedCard((f"{name} {i}",), f"answer {i}", 1 + i) for i in range(count)])
            store.apply_import(deck, f"/notes/{name}.md")
    store.close()
    return path


def in_days(n: int) -> str:
    return (study_day(utcnow()) + timedelta(days=n)).isoformat()


def test_set_list_json_and_clear(db):
    out = run("plan", "set", in_days(9), "behavioural", "--name", "Acme onsite", db=db).stdout
    assert out.splitlines()[0] == f"Set plan 'Acme onsite': {in_days(9)} · Behavioural · target 90%"
    run_main("plan", "set", in_days(3), "--name", "Globex", "--target", "85%", db=db)
    listing = run_main("plan", db=db).stdout
    assert "Globex in 3 days · 0 of 36 ready" in listing
    assert "Acme onsite in 9 days · 0 of 31 ready · " in listing
    data = json.loads(run_main("plan", "--json", db=db).stdout)
    assert list(data) == ["plans"]
    acme = next(p for p in data["plans"] if p["name"] == "Acme onsite")
    assert set(acme) == {"name", "date", "days_left", "decks", "cards", "ready", "target", "today"}
    assert (acme["date"], acme["days_left"], acme["decks"], acme["cards"], acme["ready"], acme["target"]) == (
        in_days(9), 9, ["Behavioural"], 31, 0, 0.9,
    )
    assert 1 <= acme["today"] <= 5  # 31 cards over the 7 days before the last pass
    assert run_main("plan", "clear", "acme onsite", db=db).stdout.strip() == f"Cleared plan 'Acme onsite' ({in_days(9)})"
    assert [p["name"] for p in json.loads(run_main("plan", "--json", db=db).stdout)["plans"]] == ["Globex"]
    run_main("plan", "clear", db=db)
    assert json.loads(run_main("plan", "--json", db=db).stdout) == {"plans": []}
    assert "No interview plans" in run_main("plan", db=db).stdout


BAD_INPUT = [
    (("plan", "set", "next week"), "DATE must look like"),
    (("plan", "set", "2001-01-01"), "has passed"),
    (("plan", "set", "+9", "Nope"), "DATE must look like"),
    (("plan", "set", "TODAY", "Nope"), "no deck named 'Nope'"),
    (("plan", "set", "TODAY", "--target", "2"), "target must be between"),
    (("plan", "clear", "nobody"), "no plan named 'nobody'"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_is_one_line(db, args, message):
    # the first case through the drill console script (exit code 2 as a shell sees it), the rest in-process
    runner = run if args == BAD_INPUT[0][0] else run_main
    args = tuple(in_days(0) if a == "TODAY" else a for a in args)
    proc = runner(*args, db=db, check_rc=2)
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_plan_for_today_is_allowed_and_default_name(db):
    today = date.fromisoformat(in_days(0))
    out = run_main("plan", "set", in_days(0), db=db).stdout
    assert f"'Interview {today.day} {today.strftime('%b')}'" in out
    assert "today" in run_main("plan", db=db).stdout
