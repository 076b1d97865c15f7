"""The store under faults: kill -9, two writers, damaged files, a full disk, odd clocks.

Kill tests run real child processes (tests/fault_helpers.py) that print an ``ack``
line only after a write returned; the parent kills them at random moments and
checks that every acknowledged write is there, nothing is duplicated, and the
store opens. A longer soak of the same loops: ``python bench/soak.py``.
"""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fault_helpers import check_store, child, read_acks, seed_store, start, temp_files
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.stats.compute import compute_stats, read_reviews
from drill.store.collection import Store
from drill.store.doctor import doctor, salvage
from drill.store.index import stored_cards
from drill.store.filelock import WriteLock
from drill.store.settings import Settings
from drill.study.schedule import AGAIN, GOOD, parse_iso
from drill.study.session import ReviewSession, deck_counts, studied_today
from tests.test_cli import drill_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, flock and rlimits")


# ---------------------------------------------------------------------------- kill -9
def test_kill_9_at_random_points_of_a_grading_loop_loses_no_acknowledged_grade(tmp_path):
    db = tmp_path / "drill.json"
    seed_store(db)
    rng = random.Random(20261123)
    acked: set[str] = set()
    graded = 0
    rounds = 0
    # At least 14 kills, and more on a loaded machine until they landed in busy grading.
    while rounds < 14 or (graded <= 50 and rounds < 60):
        rounds += 1
        proc = start("grade", str(db))
        time.sleep(rng.uniform(0.0, 0.12))
        proc.kill()
        acks, _ = read_acks(proc)
        assert proc.returncode == -9
        acked |= {a.split()[0] for a in acks}
        graded += len(acks)
        check_store(db, acked, cards=30).close(compact=False)
        # A kill mid-commit leaves that writer's temp files (the manifest's, the .prev link's);
        # the next writer removes them, so only the last killed process's can be there.
        assert len({f.name.rsplit(".", 2)[-2] for f in temp_files(db)}) <= 1, temp_files(db)
    assert graded > 50  # the kills did land in the middle of busy grading
    proc = child("grade", str(db), "3")  # a last, clean run: compacts and tidies up
    acks, _ = read_acks(proc)
    assert proc.returncode == 0 and len(acks) == 3
    check_store(db, acked | {a.split()[0] for a in acks}, cards=30).close(compact=False)
    assert temp_files(db) == []


def test_kill_9_at_random_points_of_an_import_loses_no_acknowledged_file(tmp_path):
    db = tmp_path / "drill.json"
    folder = tmp_path / "notes"
    folder.mkdir()
    rng = random.Random(7)
    acked: set[int] = set()
    for _ in range(10):
        proc = start("import", str(db), str(folder))
        time.sleep(rng.uniform(0.0, 0.25))
        proc.kill()
        acks, _ = read_acks(proc)
        acked |= {int(a) for a in acks}
        store = check_store(db, set())
        decks = {d.name for d in store.decks()}
        assert {f"Import deck {i:03d}" for i in acked} <= decks
        for name in decks:  # an import is all or nothing: never a deck with some of its cards
            assert len(store.cards([name])) == 3
        assert not store.cards(archived=True) or all(not c.archived for c in store.cards(archived=True))
        store.close(compact=False)
    assert len(acked) >= 5
    proc = child("import", str(db), str(folder), "1")
    read_acks(proc)
    assert proc.returncode == 0
    assert temp_files(db) == []


# ---------------------------------------------------------------------------- two writers
def test_grading_and_importing_at_once_lose_nothing(tmp_path):
    db = tmp_path / "drill.json"
    seed_store(db)
    folder = tmp_path / "notes"
    folder.mkdir()
    grader = child("grade", str(db), "150")
    importer = child("import", str(db), str(folder), "12")
    grades, _ = read_acks(grader, timeout=60)
    imports, _ = read_acks(importer, timeout=60)
    assert grader.returncode == 0 and importer.returncode == 0
    assert len(grades) == 150 and len(imports) == 12
    store = check_store(db, {g.split()[0] for g in grades}, cards=30 + 12 * 3)
    assert {f"Import deck {i:03d}" for i in range(12)} <= {d.name for d in store.decks()}
    # The compacted file alone (journal folded in) holds every grade too.
    on_disk = json.loads(db.read_bytes())
    assert on_disk["meta"]["1"]["journal_offset"] == db.with_name("drill.json.journal").stat().st_size
    cards = stored_cards(db)  # the deck files drill.json names (store schema 4)
    for card in store.cards():
        assert cards[str(card.id)]["state"] == card.state


def test_a_grade_while_another_process_holds_the_lock_for_too_long_says_so(tmp_path):
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=2)
    store = Store(db, lock_timeout=0.05)
    session = ReviewSession(store, clock=FakeClock())
    card = session.next_card()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from drill.store.filelock import WriteLock
            lock = WriteLock(__import__("pathlib").Path({str(db) + '.lock'!r}))
            with lock.held():
                print("locked", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    try:
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(OSError, match="another drill process is writing"):
            session.grade(GOOD)
        assert session.current == card and store.card(card.id).is_new
    finally:
        holder.communicate("\n", timeout=10)
    session.grade(GOOD)  # the lock is free again: the same grade goes through
    assert not Store(db).card(card.id).is_new


# ---------------------------------------------------------------------------- damaged files
def _graded_store(db: Path, grades: int = 12) -> tuple[Store, dict[int, dict]]:
    seed_store(db, decks=3, cards=10)
    store = Store(db)
    clock = FakeClock(datetime(2026, 3, 1, 12, tzinfo=timezone.utc))
    session = ReviewSession(store, clock=clock, new_limit=100)
    for _ in range(grades):
        session.next_card()
        session.grade(GOOD)
        clock.advance(minutes=1)
    store.compact()
    return store, {c.id: c.state for c in store.cards()}


def test_truncated_store_is_a_clear_error_and_doctor_rebuilds_it_from_the_journal(tmp_path):
    db = tmp_path / "drill.json"
    store, states = _graded_store(db)
    store.close()
    whole = db.read_bytes()
    cut = whole[: int(len(whole) * 0.8)]
    db.write_bytes(cut)

    proc = subprocess.run([*drill_command(), "--db", str(db), "decks"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert str(db) in proc.stderr and "copy was kept" in proc.stderr and "drill doctor" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1

    proc = subprocess.run([*drill_command(), "--db", str(db), "doctor"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "unreadable" in proc.stdout and "recovered" in proc.stdout and "repaired" in proc.stdout
    backups = sorted(tmp_path.glob("drill.json.doctor-*"))
    assert [b.read_bytes() for b in backups] == [cut]  # the damaged original, kept as it was
    assert list(tmp_path.glob("drill.json.journal.doctor-*"))

    repaired = Store(db)
    kept = {c.id: c for c in repaired.cards()}
    assert len(kept) >= 20  # everything before the damage
    for cid, card in kept.items():
        assert card.state == states[cid]  # scheduling back from the journal
    assert "healthy" in subprocess.run(
        [*drill_command(), "--db", str(db), "doctor"], capture_output=True, text=True, timeout=60
    ).stdout


def test_garbage_store_without_any_backup_starts_empty_and_says_so(tmp_path):
    db = tmp_path / "drill.json"
    db.write_bytes(b"\x00\xff garbage \x80" * 50)
    db.with_name("drill.json.journal").write_text(
        '{"t":"review","id":"r","card":1,"ts":"2026-01-01T10:00:00+00:00","rating":3,'
        '"state":{"state":2,"due":"2026-01-02T10:00:00+00:00"}}\n'
    )
    report = doctor(db)
    assert report.store_problem and report.base == "empty" and report.changed
    assert report.unknown_cards == 1
    assert Store(db).is_empty()
    assert [b.read_bytes() for b in tmp_path.glob("drill.json.doctor-*")] == [b"\x00\xff garbage \x80" * 50]


def test_doctor_tops_up_a_salvaged_store_from_an_older_backup(tmp_path):
    db = tmp_path / "drill.json"
    store, states = _graded_store(db)
    store.close()
    (tmp_path / "drill.json.doctor-20260101T000000").write_bytes(db.read_bytes())  # an earlier doctor's copy
    data = json.loads(db.read_bytes())
    first = min(data["decks"], key=int)  # cards are in the deck files (store schema 4): garble a deck
    text = db.read_text()
    start = text.index(f'"{first}":{{', text.index('"decks":'))
    db.write_text(text[:start] + '"' + "\x01" * 40 + text[start + 60 :])  # garble the first deck only
    report = doctor(db)
    assert report.base == "salvaged + backup"
    repaired = Store(db)
    assert {c.id: c.state for c in repaired.cards()} == states


def test_salvage_keeps_every_entry_that_still_decodes():
    good = {
        "decks": {"1": {"name": "D"}},
        "cards": {str(i): {"deck": "D", "path": [f"Q{i}"], "answer": "A", "state": None} for i in range(1, 6)},
        "meta": {"1": {"journal_offset": 5, "settings": {"new_per_day": 3}}},
    }
    raw = json.dumps(good, separators=(",", ":"))
    assert salvage(raw.encode()) == {**good}
    damaged = raw.replace('"Q3"', '"Q3\x00').encode()[:-30]
    got = salvage(damaged)
    assert set(got["cards"]) == {"1", "2", "4", "5"}
    assert got["decks"] == good["decks"]


def test_garbage_journal_lines_are_reported_and_doctor_cleans_them(tmp_path):
    db = tmp_path / "drill.json"
    store, states = _graded_store(db)
    session = ReviewSession(store, clock=FakeClock(datetime(2026, 3, 2, 12, tzinfo=timezone.utc)))
    session.next_card()
    session.grade(AGAIN)  # in the journal tail only (not compacted)
    states = {c.id: c.state for c in store.cards()}
    store.close(compact=False)
    journal = db.with_name("drill.json.journal")
    lines = journal.read_bytes().split(b"\n")
    lines.insert(len(lines) - 2, b"\x00\x01 disk noise \xff")
    damaged = b"\n".join(lines)
    journal.write_bytes(damaged)

    proc = subprocess.run([*drill_command(), "--db", str(db), "decks"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert f"{journal}: 1 unreadable line(s) skipped" in proc.stderr and "drill doctor" in proc.stderr

    dry = doctor(db, dry_run=True)
    assert dry.changed and dry.bad_lines == 1 and journal.read_bytes() == damaged  # a dry run writes nothing
    report = doctor(db)
    assert report.bad_lines == 1 and report.states_restored == 0
    assert [b.read_bytes() for b in tmp_path.glob("drill.json.journal.doctor-*")] == [damaged]
    reopened = Store(db)
    assert reopened.bad_journal_lines == 0
    assert {c.id: c.state for c in reopened.cards()} == states


def test_doctor_leaves_a_healthy_store_alone(tmp_path):
    db = tmp_path / "drill.json"
    store, _ = _graded_store(db)
    session = ReviewSession(store, clock=FakeClock(datetime(2026, 3, 2, 12, tzinfo=timezone.utc)))
    session.next_card()
    session.grade(GOOD)  # an uncompacted tail is normal, not damage
    store.close(compact=False)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    report = doctor(db)
    assert not report.changed and report.backups == []
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_a_journal_that_lost_its_tail_never_rolls_cards_back(tmp_path):
    db = tmp_path / "drill.json"
    store, states = _graded_store(db, grades=20)
    store.close()
    journal = db.with_name("drill.json.journal")
    lines = journal.read_bytes().split(b"\n")
    journal.write_bytes(b"\n".join(lines[:5]) + b"\n")  # an old copy of the journal came back
    assert {c.id: c.state for c in Store(db).cards()} == states
    report = doctor(db)
    assert report.states_restored == 0
    assert {c.id: c.state for c in Store(db).cards()} == states


# ---------------------------------------------------------------------------- disk full
def _one_card_session(tmp_path: Path) -> tuple[Store, ReviewSession]:
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=3)
    store = Store(db)
    session = ReviewSession(store, clock=FakeClock())
    session.next_card()
    return store, session


@pytest.mark.parametrize("fail", ["write", "fsync"])
def test_disk_full_during_a_grade_reports_it_and_keeps_the_journal_clean(tmp_path, monkeypatch, fail):
    store, session = _one_card_session(tmp_path)
    session.outcomes()
    journal = store.journal.path
    before = journal.read_bytes() if journal.exists() else b""
    card = session.current
    real_write, real_fsync = os.write, os.fsync

    def half_write(fd, data):
        if fd == store.journal._fd:
            real_write(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    def failing_fsync(fd):
        if fd == store.journal._fd:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    if fail == "write":
        monkeypatch.setattr(os, "write", half_write)
    else:
        monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        session.grade(GOOD)
    monkeypatch.undo()
    assert journal.read_bytes() == before  # no half line, no unacknowledged record
    assert store.card(card.id).is_new and session.current == card and session.history == []
    assert Store(store.path).card(card.id).is_new

    session.grade(GOOD)  # space again: the same grade now saves
    reopened = Store(store.path)
    assert reopened.bad_journal_lines == 0
    assert not reopened.card(card.id).is_new


def test_disk_full_during_an_import_keeps_the_old_store(tmp_path, monkeypatch):
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=3)
    store = Store(db)
    before_bytes, before_cards = db.read_bytes(), store.cards()

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError):
        with store.writing():
            store.apply_import(ParsedDeck("New deck", cards=[ParsedCard(("Fresh prompt",), "Fresh answer", 3)]), "/n.md")
    monkeypatch.undo()
    assert db.read_bytes() == before_bytes and temp_files(db) == []
    assert store.cards() == before_cards and store.deck("New deck") is None  # memory rolled back too


def _limited(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def _no_bytecode(env: dict[str, str]) -> dict[str, str]:
    """A process under RLIMIT_FSIZE must not write bytecode: Python writes a .pyc with one
    write() call, the limit cuts it short, and the truncated file is renamed into place,
    breaking every later import of that module (EOFError: marshal data too short)."""
    env = {k: v for k, v in env.items() if k != "PYTHONPYCACHEPREFIX"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def test_a_real_short_write_rolls_the_journal_back(tmp_path):
    """RLIMIT_FSIZE makes the kernel cut a write short (EFBIG), as a full disk does."""
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=3)
    first = Store(db)
    session = ReviewSession(first, clock=FakeClock())
    session.next_card()
    session.grade(GOOD)
    first.close(compact=False)
    journal = db.with_name("drill.json.journal")
    before = journal.read_bytes()
    script = textwrap.dedent(f"""
        from drill.study.session import ReviewSession
        from drill.store.collection import Store
        from helpers import FakeClock
        store = Store({str(db)!r})
        session = ReviewSession(store, clock=FakeClock())
        session.next_card()
        try:
            session.grade(3)
        except OSError as exc:
            print("not saved:", exc.strerror)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), str(Path(__file__).parent)])}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_no_bytecode(env),
                          timeout=60, preexec_fn=_limited(len(before) + 40))
    assert proc.stdout.strip() == "not saved: File too large", proc.stderr
    assert journal.read_bytes() == before
    assert len([c for c in Store(db).cards() if not c.is_new]) == 1


def test_cli_import_on_a_full_disk_is_one_line_and_changes_nothing(tmp_path):
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=3)
    before = db.read_bytes()
    notes = tmp_path / "big.md"
    notes.write_text("# Big\n\n" + "".join(f"## Roomy heading {i}\n\n{'words ' * 40}\n\n" for i in range(200)))
    proc = subprocess.run([*drill_command(), "--db", str(db), "import", str(notes)], capture_output=True, text=True,
                          timeout=60, env=_no_bytecode(dict(os.environ)), preexec_fn=_limited(len(before) + 2000))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("drill: ") and lines[0].endswith("File too large"), lines
    assert db.read_bytes() == before and temp_files(db) == []


async def test_review_screen_says_grade_not_saved_when_the_disk_is_full(tmp_path, monkeypatch):
    from drill.ui.app import make_app
    from drill.ui.screens.review import ReviewScreen
    from drill.ui.widgets.card_text import QuestionText

    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=2)
    store = Store(db)
    app = make_app(store, clock=FakeClock(), review={"decks": None})
    real_fsync = os.fsync

    def failing_fsync(fd):
        if fd == store.journal._fd:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        question = str(screen.query_one(QuestionText).render())
        await pilot.press("space")
        monkeypatch.setattr(os, "fsync", failing_fsync)
        await pilot.press("3")
        await pilot.pause()
        monkeypatch.undo()
        assert any("Grade NOT saved: No space left on device" in n.message for n in app._notifications)
        assert app.screen is screen and screen.revealed
        assert str(screen.query_one(QuestionText).render()) == question
        assert [r for r in store.reviews() if r.get("t") == "review"] == []
        await pilot.press("3")  # space again: grading works and moves on
        await pilot.pause()
        assert len([r for r in store.reviews() if r.get("t") == "review"]) == 1
        assert str(screen.query_one(QuestionText).render()) != question


async def test_review_screen_says_grade_not_saved_when_another_process_keeps_the_lock(tmp_path):
    from drill.ui.app import make_app

    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=2)
    store = Store(db, lock_timeout=0.05)
    app = make_app(store, clock=FakeClock(), review={"decks": None})
    other = WriteLock(db.with_name("drill.json.lock"))
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("space")
        with other.held():
            await pilot.press("3")
            await pilot.pause()
        assert any("Grade NOT saved" in n.message and "another drill process" in n.message for n in app._notifications)
        assert [r for r in store.reviews() if r.get("t") == "review"] == []
    other.close()


# ---------------------------------------------------------------------------- clocks
def _assert_sane(record: dict) -> None:
    assert record["interval_days"] >= 0
    assert record["elapsed_days"] is None or record["elapsed_days"] >= 0
    state = record["state"]
    assert parse_iso(state["due"]) >= parse_iso(state["last_review"])


def test_clock_going_backwards_between_two_grades(tmp_path):
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=3)
    store = Store(db)
    clock = FakeClock(datetime(2026, 6, 1, 12, tzinfo=timezone.utc))
    session = ReviewSession(store, clock=clock)
    card = session.next_card()
    session.grade(GOOD)
    clock.advance(days=3)
    session = ReviewSession(store, clock=clock)
    session.current = store.card(card.id)
    session.grade(GOOD)  # now in review
    clock.set(datetime(2026, 5, 20, 12, tzinfo=timezone.utc))  # NTP, a dead RTC battery, a manual change
    session = ReviewSession(store, clock=clock)
    session.current = store.card(card.id)
    outcomes = session.outcomes()
    assert all(o.interval >= timedelta(0) and not o.label.split(" · ")[1].startswith("-") for o in outcomes.values())
    session.grade(AGAIN)
    session.next_card()
    session.grade(GOOD)
    records = [r for r in store.reviews() if r["t"] == "review"]
    for record in records:
        _assert_sane(record)
    assert records[-2]["card"] == card.id and records[-2]["rating"] == AGAIN
    assert Store(db).card(card.id).state == records[-2]["state"]
    assert all(c.due >= 0 and c.new >= 0 for c in deck_counts(store, clock()))
    stats = compute_stats(read_reviews(store.journal.path), store.cards(), store.decks(), clock(), store.settings)
    assert stats is not None  # reviews "from the future" do not break the statistics


def test_a_review_exactly_at_the_0400_boundary_counts_for_the_new_day(tmp_path):
    db = tmp_path / "drill.json"
    seed_store(db, decks=1, cards=6)
    store = Store(db)
    store.save_settings(Settings(new_per_day=2))
    last_second = datetime(2026, 11, 23, 3, 59, 59, tzinfo=timezone.utc)  # TZ=UTC (conftest)
    clock = FakeClock(last_second)
    session = ReviewSession(store, clock=clock)
    for _ in range(2):
        session.next_card()
        session.grade(GOOD)
    assert ReviewSession(store, clock=clock).queue == []  # the day's two new cards are used up
    clock.set(datetime(2026, 11, 23, 4, 0, 0, tzinfo=timezone.utc))
    session = ReviewSession(store, clock=clock)
    assert len([c for c in session.queue if c.is_new]) == 2  # a new day, exactly now
    session.next_card()
    session.grade(GOOD)  # graded at exactly 04:00:00
    assert studied_today(store, clock(), store.settings).new == 1
    clock.set(datetime(2026, 11, 24, 3, 59, 59, tzinfo=timezone.utc))
    assert studied_today(store, clock(), store.settings).new == 1  # still that day
    clock.set(datetime(2026, 11, 24, 4, 0, 0, tzinfo=timezone.utc))
    assert studied_today(store, clock(), store.settings).new == 0
    session = ReviewSession(store, clock=clock)
    session.next_card()
    session.bury()  # buried at exactly 04:00: until the next 04:00, a whole day
    buried = [r for r in store.reviews() if r["t"] == "bury"][-1]
    assert buried["until"] == "2026-11-25T04:00:00+00:00"
    for record in store.reviews():
        if record["t"] == "review":
            _assert_sane(record)


def test_a_timezone_change_between_sessions(tmp_path, monkeypatch):
    db = tmp_path / "drill.json"
    seed_store(db, decks=2, cards=5)
    store = Store(db)
    clock = FakeClock(datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc))  # 02:30 in UTC: still yesterday's study day
    session = ReviewSession(store, clock=clock)
    for _ in range(3):
        session.next_card()
        session.grade(GOOD)
    store.close()
    for zone, offset in (("Asia/Tokyo", 540), ("America/Los_Angeles", -480), ("Asia/Kolkata", 330)):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        clock.advance(hours=5)
        store = Store(db)
        today = studied_today(store, clock(), store.settings)
        assert today.new >= 0 and today.reviews >= 0
        assert all(c.new >= 0 and c.due >= 0 for c in deck_counts(store, clock()))
        session = ReviewSession(store, clock=clock)
        card = session.next_card()
        if card is not None:
            session.grade(GOOD)
            assert [r for r in store.reviews() if r["t"] == "review"][-1]["off"] == offset
        if session.next_card() is not None:
            session.bury()
            until = [r for r in store.reviews() if r["t"] == "bury"][-1]["until"]
            assert parse_iso(until) > clock()
        store.close()
    for record in Store(db).reviews():
        if record["t"] == "review":
            _assert_sane(record)


def test_doctor_names_the_files_to_import_again_for_decks_that_lost_every_card(tmp_path):
    db = tmp_path / "drill.json"
    store = Store(db)
    with store.writing():
        for name in ("First", "Second"):
            cards = [ParsedCard((f"{name} prompt {i}",), f"{name} answer {i}", 3 + i) for i in range(3)]
            store.apply_import(ParsedDeck(name, cards=cards), f"/notes/{name.lower()}.md")
    store.close()
    # Second's deck file is gone (store schema 4: cards live in the deck files; with its file,
    # doctor brings a deck's cards back: tests/test_doctor_rebuild.py).
    second = json.loads(db.read_bytes())["due_index"]["Second"]["file"]
    (db.with_name("drill.json.decks") / second).unlink()
    report = doctor(db)
    assert report.cards == 3 and report.decks == 2
    assert report.reimport == ["/notes/second.md"]
    proc = subprocess.run([*drill_command(), "--db", str(db), "doctor"], capture_output=True, text=True, timeout=60)
    assert "healthy" in proc.stdout  # repaired already; the cards did not come back by themselves
