"""Wrong output, fixed: future-stamped reviews, unreadable folders, export targets,
backups, file modes, time zones, and the messages of a store that cannot be written."""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from drill.cli import main
from drill.store.collection import Store
from cli_main import run_main
from test_cli import drill_command, run

STATE = {"state": 2, "step": None, "stability": 3.0, "difficulty": 5.0, "due": "2099-01-04T10:00:00+00:00",
         "last_review": "2099-01-01T10:00:00+00:00", "reps": 1, "lapses": 0}


def _notes(tmp_path: Path, n: int = 25) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.md").write_text("---\ndeck: Deck\n---\n" + "".join(f"## Q{i}\n\nA{i}\n\n" for i in range(n)), encoding="utf-8")
    return notes


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_reviews_stamped_in_the_future_do_not_use_up_todays_limits(tmp_path):
    db = tmp_path / "store" / "drill.json"
    run_main("import", str(_notes(tmp_path)), db=db)
    with db.with_name(db.name + ".journal").open("a", encoding="utf-8") as f:
        for cid in range(1, 21):  # a clock set to 2099 and back: 20 new cards "done today"
            f.write(json.dumps({"t": "review", "id": f"f{cid}", "card": cid, "deck": "Deck", "ts": "2099-01-01T10:00:00+00:00",
                                "rating": 3, "ms": 1000, "kind": "new", "state": STATE}) + "\n")
    decks = json.loads(run_main("decks", "--json", db=db).stdout)["decks"]
    assert decks[0]["new"] == 5  # 25 cards, 20 of them not new any more; the limit is not used up
    stats = json.loads(run_main("stats", "--json", db=db).stdout)
    assert stats["future_reviews"] == 20 and stats["reviews_today"] == 0
    assert "stamped later than now (the clock was ahead?)" in run("stats", db=db).stdout


async def test_the_app_says_the_clock_was_ahead(tmp_path):
    from drill.ui.app import make_app
    from helpers import FakeClock

    db = tmp_path / "drill.json"
    store = Store(db)
    now = FakeClock()
    store.append({"t": "review", "id": "f", "card": 1, "deck": "D", "ts": (now() + timedelta(minutes=1)).isoformat(),
                  "rating": 3, "ms": 5, "kind": "new", "state": STATE})
    app = make_app(store, clock=now)
    async with app.run_test(size=(100, 30)):
        assert any("the clock was ahead" in n.message for n in app._notifications)


def test_an_unreadable_sub_folder_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    notes = _notes(tmp_path)
    (notes / "private").mkdir()
    (notes / "private" / "x.md").write_text("## Q\n\nA\n", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if os.fspath(path).rstrip("/").endswith("private"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["--db", str(tmp_path / "s" / "drill.json"), "import", str(notes)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{notes / 'private'}: cannot read folder: Permission denied"]


def test_export_out_writes_through_a_symlink_and_dash_is_stdout(tmp_path):
    db = tmp_path / "store" / "drill.json"
    run_main("import", str(_notes(tmp_path, 2)), db=db)
    real = tmp_path / "exports" / "log.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    run_main("export", "--out", str(link), db=db)
    assert link.is_symlink() and json.loads(real.read_text())["cards"]
    proc = run("export", "--out", "-", "--format", "csv", db=db)
    assert proc.stdout.startswith("review_id,card,deck")
    import subprocess

    env = {**os.environ, "DRILL_DB": str(db)}
    piped = subprocess.run([*drill_command(), "export", "--out", "/dev/stdout"], capture_output=True, env=env, timeout=60)
    assert piped.returncode == 0 and json.loads(piped.stdout)["cards"], piped.stderr


def test_each_open_of_the_same_corrupt_store_keeps_one_backup(tmp_path):
    db = tmp_path / "drill.json"
    db.write_bytes(b"{ not json " * 1000)
    for runner in (run, run_main, run_main):  # the console script once, then in-process
        runner("decks", db=db, check_rc=1)
    assert len(list(tmp_path.glob("drill.json.corrupt-*"))) == 1
    db.write_bytes(b"{ other damage ")
    run_main("decks", db=db, check_rc=1)
    assert len(list(tmp_path.glob("drill.json.corrupt-*"))) == 2  # one per distinct damaged file


def test_journal_becomes_0600_and_created_folders_are_0700(tmp_path):
    db = tmp_path / "a" / "b" / "c" / "drill.json"
    run_main("import", str(_notes(tmp_path, 1)), db=db)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert _mode(folder) == 0o700, folder
    journal = db.with_name(db.name + ".journal")
    journal.write_text("", encoding="utf-8")
    os.chmod(journal, 0o644)
    run_main("import", str(tmp_path / "notes"), db=db)
    assert _mode(journal) == 0o600 and _mode(db) == 0o600


def test_stats_today_and_the_daily_limits_agree_after_a_time_zone_change(tmp_path, monkeypatch):
    """Reviewed in Tokyo minutes ago, now in Los Angeles: both count it as today's."""
    from drill.stats.compute import store_stats
    from drill.study.session import studied_today

    store = Store(tmp_path / "drill.json")
    now = datetime(2026, 3, 10, 1, 0, tzinfo=timezone.utc)  # 10:00 in Tokyo, 18:00 the day before in LA
    state = {**STATE, "due": "2026-03-12T01:00:00+00:00", "last_review": "2026-03-10T00:55:00+00:00"}
    store.append({"t": "review", "id": "t", "card": 1, "deck": "D", "ts": "2026-03-10T00:55:00+00:00", "rating": 3,
                  "ms": 60_000, "kind": "new", "off": 540, "state": state})
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    done = studied_today(store, now, store.settings)
    stats = store_stats(store, now)
    assert done.new == 1 and stats.reviews_today == 1


def test_a_store_path_that_is_a_directory_does_not_send_you_to_doctor(tmp_path):
    db = tmp_path / "dir.json"
    db.mkdir()
    proc = run_main("decks", db=db, check_rc=1)
    assert "is a directory" in proc.stderr and "doctor" not in proc.stderr
    proc = run_main("doctor", db=db, check_rc=1)
    assert "is a directory" in proc.stderr and "Traceback" not in proc.stderr


def test_a_full_disk_and_a_read_only_folder_name_the_store(tmp_path, monkeypatch, capsys):
    db = tmp_path / "s" / "drill.json"
    notes = _notes(tmp_path, 1)
    assert main(["--db", str(db), "import", str(notes)]) == 0
    capsys.readouterr()
    real_open, real_write = os.open, os.write

    def read_only(path, flags, *args):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    (notes / "deck.md").write_text("---\ndeck: Deck\n---\n## Changed\n\nA\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(notes)]) == 1
    assert capsys.readouterr().err.strip() == f"drill: {db}: Permission denied"
    monkeypatch.setattr(os, "open", real_open)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    assert main(["--db", str(db), "import", str(notes)]) == 1
    assert capsys.readouterr().err.strip() == f"drill: {db}: No space left on device"


def test_doctor_dry_run_works_on_a_full_disk(tmp_path, monkeypatch, capsys):
    db = tmp_path / "drill.json"
    assert main(["--db", str(db), "import", str(_notes(tmp_path, 2))]) == 0
    db.with_name(db.name + ".lock").unlink()
    real_open = os.open

    def no_space(path, flags, *args):
        if flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_space)
    monkeypatch.setattr("tempfile.mkdtemp", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    capsys.readouterr()
    assert main(["--db", str(db), "doctor", "--dry-run"]) == 0
    assert "healthy: nothing to repair" in capsys.readouterr().out
