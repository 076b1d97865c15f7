"""``drill mock`` through the real entry point (one --history and one usage error as ``drill``
subprocesses, the rest in-process: tests/cli_main.py), including a kill -9 right after the last question."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drill.interview.report import COMPLETE
from drill.store.collection import Store
from tests.cli_main import run_main
from tests.test_cli import drill_command, run
from tests.test_crash import Terminal

DECK = """\
# Practice

## Talk me through a rollback you led

- **Situation**: a bad schema change reached production.
- **Action**: paused writes and restored from the replica.
- **Result**: twenty minutes of read-only mode, no data lost.

## Why pick a queue over direct calls

Spikes get absorbed and the caller is not blocked.
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    notes = tmp_path / "practice.md"
    notes.write_text(DECK, encoding="utf-8")
    db = tmp_path / "store" / "drill.json"
    run_main("import", str(notes), db=db)
    return db


def _save_session(db: Path) -> None:
    store = Store(db)
    card = store.cards()[0]
    store.save_mock(
        {
            "started": "2026-11-20T08:30:00+00:00",
            "ended": "2026-11-20T08:36:00+00:00",
            "status": COMPLETE,
            "decks": ["Practice"],
            "settings": {"count": 1},
            "questions": [
                {
                    "card": card.id,
                    "deck": card.deck,
                    "question": card.question,
                    "seconds_allowed": 120,
                    "seconds_used": 95.5,
                    "timed_out": False,
                    "grade": 3,
                    "notes": "rollback \x1b[2J story",
                    "star": ["Situation", "Action", "Result"],
                    "ticked": ["Situation"],
                }
            ],
        }
    )
    store.close()


def test_history_json_empty_then_with_a_session(db):
    assert json.loads(run("mock", "--history", "--json", db=db).stdout) == {"sessions": []}
    _save_session(db)
    data = json.loads(run_main("mock", "--history", "--json", db=db).stdout)
    (session,) = data["sessions"]
    assert session["started"] == "2026-11-20T08:30:00+00:00"
    assert session["decks"] == ["Practice"]
    assert session["status"] == COMPLETE
    (q,) = session["questions"]
    assert set(q) == {"card", "question", "seconds_allowed", "seconds_used", "grade", "notes"}
    assert (q["question"], q["seconds_allowed"], q["seconds_used"], q["grade"]) == (
        "Talk me through a rollback you led",
        120,
        95.5,
        3,
    )


def test_history_text(db):
    assert "no mock interviews yet" in run_main("mock", "--history", db=db).stdout
    _save_session(db)
    out = run_main("mock", "--history", db=db).stdout
    assert "2026-11-20 08:30" in out and "complete" in out and "1:36 of 2:00" in out and "Practice" in out
    assert "\x1b" not in out


def test_bad_arguments_are_one_line_errors(db):
    proc = run("mock", "--json", db=db, check_rc=2)
    assert proc.stderr.strip() == "drill: --json only goes with --history"
    proc = run_main("mock", "Nope", db=db, check_rc=2)
    assert proc.stderr.count("\n") == 1 and "no deck named 'Nope'" in proc.stderr
    proc = run_main("mock", "-n", "0", db=db, check_rc=2)
    assert "must be more than 0" in proc.stderr


def test_history_does_not_import_textual(db):
    code = (
        "import sys; from drill.cli import main; "
        f"main(['--db', {str(db)!r}, 'mock', '--history']); main(['--db', {str(db)!r}, 'mock', '--history', '--json']); "
        "assert 'textual' not in sys.modules, 'textual imported'; "
        "assert 'rich' not in sys.modules, 'rich imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX only")
def test_kill_9_right_after_the_last_question_keeps_the_session(db):
    env = {**os.environ, "DRILL_DB": str(db), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    term = Terminal([*drill_command(), "mock", "practice", "-n", "1", "--think", "0", "--seed", "2", "--cards"], env)
    try:
        term.wait_for("Question 1/1")
        term.send("kept notes")
        term.wait_for("kept notes")
        time.sleep(0.6)  # enter right as a question appears is ignored as a double press
        term.screen = b""
        term.send("\x0e")  # ctrl+n ends the last question (enter adds a line to the notes)
        term.wait_for("Review 1/1")  # the review is on screen: the session was saved before it
    finally:
        term.kill()
    assert term.proc.returncode == -signal.SIGKILL

    (doc,) = Store(db).mocks()
    assert doc["status"] == COMPLETE
    assert [q["notes"] for q in doc["questions"]] == ["kept notes"]
    assert doc["questions"][0]["seconds_allowed"] == 120
