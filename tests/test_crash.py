"""A grade the user saw accepted survives SIGKILL of a real drill process."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from drill.store.collection import Store
from tests.test_cli import drill_command

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


class Terminal:
    """A real drill process on a pseudo-terminal, read as plain text."""

    def __init__(self, args: list[str], env: dict) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.screen = b""

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text.encode() in ANSI.sub(b"", self.screen):
                return
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:
                    break
        plain = ANSI.sub(b"", self.screen).decode("utf-8", "replace")
        raise AssertionError(f"{text!r} never appeared; screen text: {plain[-2000:]!r}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX only")
def test_kill_9_right_after_a_grade_loses_nothing(tmp_path: Path):
    notes = tmp_path / "deck.md"
    notes.write_text("# Crash\n\n## Apple pie recipe\n\nflour\n\n## Zebra crossing rules\n\nstripes\n", encoding="utf-8")
    db = tmp_path / "drill.json"
    env = {**os.environ, "DRILL_DB": str(db), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    subprocess.run([*drill_command(), "import", str(notes)], env=env, check=True, capture_output=True, timeout=60)

    term = Terminal([*drill_command(), "review", "crash"], env)
    try:
        term.wait_for("Apple pie recipe")
        term.send(" ")
        term.wait_for("answered in")  # the answer box title: the answer is up, grades are accepted
        term.screen = b""
        term.send("3")
        term.wait_for("Zebra crossing rules")  # the next card is on screen: the grade was accepted
    finally:
        term.kill()
    assert term.proc.returncode == -signal.SIGKILL

    store = Store(db)
    reviews = [r for r in store.reviews() if r["t"] == "review"]
    assert len(reviews) == 1 and reviews[0]["rating"] == 3
    apple = next(c for c in store.cards() if c.path[-1] == "Apple pie recipe")
    assert apple.state is not None and reviews[0]["card"] == apple.id
    assert len(store.cards()) == 2  # nothing duplicated, store opens cleanly


def test_first_run_review_of_a_sample_deck_by_name(tmp_path: Path):
    """`drill review DECK` on an empty store imports the samples before looking the deck up."""
    env = {**os.environ, "DRILL_DB": str(tmp_path / "drill.json"), "TERM": "xterm-256color"}
    term = Terminal([*drill_command(), "review", "system design trade-offs"], env)
    try:
        term.wait_for("Think it through")
    finally:
        term.kill()
    assert {d.name for d in Store(tmp_path / "drill.json").decks()} >= {"System Design Trade-offs"}
