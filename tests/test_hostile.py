"""A hostile corpus next to good files: import and sync finish fast, one line per bad
entry, every good file imports, and nothing printed (or in --json) carries a raw
control character. Through the real entry point (the import and text sync of the hostile
folder, a usage error, the deep journal, the app in a pty); further reports on the same
store call drill.cli:main in-process (tests/cli_main.py).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from cli_main import run_main
from test_cli import run

RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")

ALIAS_BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "time_limit: *i\n"
    "---\n## Q\n\nA\n"
)
SMALL_BOMB = (  # under the expansion limit, yet its repr is ~60 KB: the error shows an excerpt
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "format: *c\n"
    "---\n## Q\n\nA\n"
)

GOOD = {"good.md": "good", "sub/also-good.md": "also-good", "back\\slash.md": "back\\slash"}


def _corpus(root: Path) -> dict[str, str]:
    """The folder; returns {entry: what its one line must say}."""
    (root / "sub").mkdir(parents=True)
    for rel, deck in GOOD.items():
        (root / rel).write_text(f"## Question of {deck}\n\nAn answer.\n", encoding="utf-8")
    bad = {}
    os.mkfifo(root / "pipe.md")
    bad["pipe.md"] = "named pipe"
    (root / "zero.md").symlink_to("/dev/zero")
    bad["zero.md"] = "character device"
    (root / "loop.md").symlink_to(root / "loop.md")
    bad["loop.md"] = "symbolic links"
    os.close(os.open(os.fsencode(root) + b"/caf\xe9.md", os.O_CREAT | os.O_WRONLY, 0o644))
    bad["caf\\xe9.md"] = "not valid UTF-8"
    (root / "esc\x1b]0;TITLE\x07\x1b[2J\u202e\nline.md").write_text("---\ndeck: [oops\n---\n", encoding="utf-8")
    bad["esc\\x1b]0;TITLE\\x07\\x1b[2J\\u202e\\nline.md"] = "invalid frontmatter"
    (root / "bomb.md").write_text(ALIAS_BOMB, encoding="utf-8")
    bad["bomb.md"] = "aliases are expanded"
    (root / "nested.md").write_text(SMALL_BOMB, encoding="utf-8")
    bad["nested.md"] = "'format' must be"
    (root / "width.md").write_text("---\nprompt: '{heading:x>20000000}'\n---\n## Q\n\nA\n", encoding="utf-8")
    bad["width.md"] = "'prompt' uses {heading:x>20000000}"
    (root / "forever.md").write_text("---\ntime_limit: 100000000000000000000000000000\n---\n## Q\n\nA\n", encoding="utf-8")
    bad["forever.md"] = "at most 3600 seconds"
    return bad


def _check_lines(stderr: str, bad: dict[str, str]) -> None:
    lines = stderr.strip().splitlines()
    assert not RAW.search(stderr), repr(RAW.search(stderr))
    assert len(lines) == len(bad), lines
    for name, why in bad.items():
        hits = [line for line in lines if name in line]
        assert len(hits) == 1 and why in hits[0], (name, lines)
        assert len(hits[0]) < 400  # a bounded excerpt, not a 428 KB repr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_import_and_sync_of_a_hostile_folder(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    root = tmp_path / "notes"
    bad = _corpus(root)

    started = time.monotonic()
    proc = run("import", str(root), db=db, check_rc=1)
    assert time.monotonic() - started < 20
    _check_lines(proc.stderr, bad)
    assert not RAW.search(proc.stdout)
    decks = json.loads(run_main("decks", "--json", db=db).stdout)["decks"]
    assert sorted(d["name"] for d in decks) == sorted(GOOD.values())
    assert db.stat().st_size < 100_000  # no 100 MB prompt

    for args in (("sync",), ("sync", "--dry-run"), ("sync", "--json"), ("import", str(root), "--json")):
        started = time.monotonic()
        # the console script for the text sync (its names, undecodable bytes included, go to
        # a real pipe, as the import's did above), the other reports in-process
        proc = (run if args == ("sync",) else run_main)(*args, db=db, check_rc=1)
        assert time.monotonic() - started < 20, args
        assert not RAW.search(proc.stdout) and not RAW.search(proc.stderr), args
        if "--json" in args:
            json.loads(proc.stdout)
        else:
            _check_lines(proc.stderr, bad)


def test_a_file_over_the_size_setting_gets_one_line(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    run_main("config", "max_file_mb", "1", db=db)
    big = tmp_path / "big.md"
    big.write_bytes(b"## Q\n\n" + b"a" * (2 * 1024 * 1024) + b"\n")
    (tmp_path / "ok.md").write_text("## Q\n\nA\n", encoding="utf-8")
    proc = run_main("import", str(big), str(tmp_path / "ok.md"), db=db, check_rc=1)
    assert proc.stderr.strip() == f"{big}:1: file too large (2.0 MB; drill reads files up to 1 MB, setting max_file_mb)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
async def test_the_apps_start_up_sync_skips_a_fifo_and_quits(tmp_path: Path):
    from drill.library.importer import import_paths
    from drill.store.collection import Store
    from drill.ui.app import make_app

    root = tmp_path / "notes"
    root.mkdir()
    (root / "good.md").write_text("## Q\n\nA\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    import_paths(store, [root])
    os.mkfifo(root / "pipe.md")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("could not be imported" in n.message for n in app._notifications)
        await pilot.press("q")
    assert app.return_code == 0


def test_time_limits_on_the_command_line_are_capped_at_an_hour(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    for runner, args in ((run, ("review", "--time", "4000")), (run_main, ("mock", "--time", "100000000000000000000000000000"))):
        proc = runner(*args, db=db, check_rc=2)
        assert "must be at most 3600 seconds (1 hour)" in proc.stderr


def test_nested_json_next_to_a_hostile_corpus_is_one_line_each(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    root = tmp_path / "notes"
    root.mkdir()
    (root / "good.md").write_text("## Q\n\nA\n", encoding="utf-8")
    run_main("import", str(root), db=db)  # the sync below reads the deep journal: a subprocess (recursion depth differs in-process)
    journal = db.with_name(db.name + ".journal")
    journal.write_text("[" * 5000 + "\n" + '{"t":"bury","card":1,"ts":' + "[" * 5000 + "\n", encoding="utf-8")
    (root / "new.md").write_text("## New\n\nB\n", encoding="utf-8")
    started = time.monotonic()
    proc = run("sync", db=db)
    assert time.monotonic() - started < 20
    assert proc.stderr.strip().splitlines() == [f"drill: {journal}: 2 unreadable line(s) skipped; `drill doctor` cleans the journal (keeping a backup)"]
    assert "new.md" in proc.stdout


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pty")
def test_the_real_app_in_a_terminal_never_emits_a_hostile_name_as_escapes(tmp_path: Path):
    """End to end: the bytes drill writes to a real terminal carry no OSC title, no OSC 8
    hyperlink and no screen clear that came from a deck name."""
    import fcntl
    import select
    import struct
    import subprocess
    import termios

    from drill.parse.cards import ParsedCard, ParsedDeck
    from drill.store.collection import Store
    from test_cli import drill_command

    db = tmp_path / "drill.json"
    store = Store(db)
    with store.writing():
        for i, name in enumerate(['[link="https://evil.example"]x', "\x1b]0;PWNED\x07t\x1b[2J\x9b2J", "Notes [draft]"]):
            card = ParsedCard(path=(f"Q{i}",), answer="A", line=1)
            store.apply_import(ParsedDeck(name=name, cards=[card]), str(tmp_path / f"d{i}.md"))
    store.close()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "DRILL_DB": str(db), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    proc = subprocess.Popen(drill_command(), stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 30
    sent = []
    step_at = last_output = time.monotonic()
    redrawn = False  # output came after the last key

    def settled() -> bool:
        """The app has drawn the last key's result: output came, then 0.15 s of quiet; or
        0.5 s without any (a key with nothing to redraw). Keys sent early only queue up in
        order, so the test waits about as long as drill takes, not a fixed time."""
        now = time.monotonic()
        return (redrawn and now - last_output > 0.15) or (not redrawn and now - step_at > 0.5)

    def send(key: bytes) -> None:
        nonlocal step_at, redrawn
        os.write(master, key)
        sent.append(key)
        step_at, redrawn = time.monotonic(), False

    try:
        while time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
                last_output, redrawn = time.monotonic(), True
            if b"Notes [draft]" in out and not sent:
                send(b"a")  # review all: each hostile name in the status line in turn
            elif sent and len(sent) < 8 and settled():
                send(b" " if len(sent) % 2 else b"4")  # reveal, then Easy: the next deck's card
            elif len(sent) >= 8 and settled():
                send(b"q")  # summary, then home, then quit
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)
    assert b"Notes [draft]" in out, out[-2000:]
    assert b"\x1b]0;PWNED" not in out and b"PWNED\x07" not in out
    assert b"evil.example" not in out.replace(b'[link="https://evil.example"]x', b"")  # only as plain text
    assert b"\x1b]8;" not in out  # no hyperlink at all
