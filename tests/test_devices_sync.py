"""Syncing history between stores through a shared folder (drill.devices.sync)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone

import pytest
from devices_helpers import close, copy_new_bytes, grade, keys, open_device, stats, views, write_notes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drill.cli import main
from drill.devices import sync as devices
from drill.study.schedule import AGAIN, EASY, GOOD, HARD
from drill.study.session import studied_today

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def notes(tmp_path):
    return write_notes(tmp_path / "notes")


def test_a_review_on_one_device_reaches_the_other(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    key = keys(laptop)[0]
    grade(laptop, key, GOOD, T0)
    report = devices.sync(desktop)
    assert report.imported == 1 and report.cards == 1 and report.pending == 0
    assert views(desktop) == views(laptop)
    # daily counts and stats count the other device's review
    assert studied_today(desktop, T0 + timedelta(minutes=5), desktop.settings).new == 1
    assert stats(desktop, T0 + timedelta(minutes=5)) == stats(laptop, T0 + timedelta(minutes=5))
    # nothing new: nothing merged again, nothing counted twice
    assert devices.sync(desktop).imported == 0 and devices.sync(laptop).imported == 0
    assert stats(desktop, T0 + timedelta(minutes=5))[0]["total_reviews"] == 1
    close(laptop, desktop)


def test_the_same_card_graded_on_both_while_apart_ends_the_same_on_both(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    key = keys(laptop)[0]
    grade(laptop, key, GOOD, T0)
    devices.sync(desktop)
    grade(laptop, key, GOOD, T0 + timedelta(days=1))  # both from the same state, apart
    grade(desktop, key, AGAIN, T0 + timedelta(days=1, hours=2))
    devices.sync(laptop)
    devices.sync(desktop)
    assert views(laptop) == views(desktop)
    state = views(laptop)[key][0]
    # The desktop graded Again from a learning card (no lapse); replayed after the laptop's Good
    # (which made it a review card) it is a lapse.
    assert state["reps"] == 3 and state["lapses"] == 1
    assert stats(laptop, T0 + timedelta(days=1, hours=3)) == stats(desktop, T0 + timedelta(days=1, hours=3))
    close(laptop, desktop)


def test_reviews_of_a_card_not_imported_yet_wait_for_it(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    for n, key in enumerate(keys(laptop)):
        grade(laptop, key, [GOOD, HARD, EASY][n], T0 + timedelta(minutes=n))
    from drill.store.collection import Store

    desktop = Store(tmp_path / "desktop" / "drill.json")
    devices.setup(desktop, shared, "desktop")
    assert desktop.cards() == []
    assert devices.status(desktop)["pending_cards"] == 3
    assert devices.sync(desktop).pending == 3
    # the desktop counts them already (they were made today, on the laptop)
    assert studied_today(desktop, T0 + timedelta(hours=1), desktop.settings).new == 3
    # importing the notes brings the cards: the next sync replays them
    assert main(["--db", str(desktop.path), "import", str(notes)]) == 0
    desktop.refresh()
    assert views(desktop) == views(laptop)
    close(laptop, desktop)


def test_a_folder_copied_by_a_sync_tool_partial_last_line_and_a_conflict_copy(tmp_path, notes):
    laptop_dir, desktop_dir = tmp_path / "laptop-sync", tmp_path / "desktop-sync"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", laptop_dir)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", desktop_dir)
    a, b, c = keys(laptop)
    grade(laptop, a, GOOD, T0)
    grade(laptop, b, AGAIN, T0 + timedelta(minutes=1))
    own = laptop_dir / f"{devices.config(laptop)['id']}.journal"
    data = own.read_bytes()
    # the transfer is under way: the desktop sees the first record and half of the second
    desktop_dir.joinpath(own.name).write_bytes(data[: data.index(b"\n", len(data) // 2 - 40) + 30])
    first = devices.sync(desktop)
    assert first.torn == 1 and first.imported <= 1
    status = devices.status(desktop)
    assert any(f.torn for f in status["files"])
    # the rest arrives, along with a conflict copy holding the same records and one more
    shutil.copyfile(own, desktop_dir / own.name)
    grade(laptop, c, HARD, T0 + timedelta(minutes=2))
    copy = desktop_dir / f"{own.stem}.sync-conflict-20261102-091500-ABCDEFG.journal"
    shutil.copyfile(own, copy)
    second = devices.sync(desktop)
    assert first.imported + second.imported == 3 and second.duplicates >= 2
    now = T0 + timedelta(minutes=10)
    assert studied_today(desktop, now, desktop.settings).new == 3  # never counted twice
    assert stats(desktop, now)[0]["total_reviews"] == 3
    copy_new_bytes(desktop_dir, laptop_dir)
    devices.sync(laptop)
    assert views(desktop) == views(laptop) and stats(desktop, now) == stats(laptop, now)
    close(laptop, desktop)


def test_a_record_the_device_file_missed_is_written_there_by_the_next_sync(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    a, b, _ = keys(laptop)
    grade(laptop, a, GOOD, T0)
    own = shared / f"{devices.config(laptop)['id']}.journal"
    kept = own.read_bytes()
    grade(laptop, b, GOOD, T0 + timedelta(minutes=1))
    own.write_bytes(kept + b'{"t":"review","id":"cut sho')  # a crash mid-append, before any sync
    report = devices.sync(laptop)
    assert report.exported == 1
    lines = own.read_bytes().splitlines()
    assert all(line.endswith(b"}") for line in lines)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    assert views(desktop) == views(laptop)
    close(laptop, desktop)


def test_history_made_before_setup_goes_to_the_device_file(tmp_path, notes):
    laptop = open_device(tmp_path / "laptop", notes, "laptop")
    for n, key in enumerate(keys(laptop)):
        grade(laptop, key, GOOD, T0 + timedelta(minutes=n))
    shared = tmp_path / "shared"
    report = devices.setup(laptop, shared, "laptop")
    assert report.exported == 3
    assert (shared / ".gitattributes").read_text() == "*.journal merge=union\n"
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    assert views(desktop) == views(laptop)
    close(laptop, desktop)


def test_the_devices_command(tmp_path, notes, capsys):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop")
    db = str(laptop.path)
    close(laptop)
    assert main(["--db", db, "devices"]) == 0
    assert "drill devices setup DIR" in capsys.readouterr().out
    assert main(["--db", db, "devices", "setup", str(shared), "--name", "laptop"]) == 0
    out = capsys.readouterr().out
    assert "this device: laptop" in out
    assert main(["--db", db, "devices", "name", "work laptop"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "devices", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    (me,) = listing["devices"]
    assert me["name"] == "work laptop" and me["this_device"] and me["file"].endswith(".journal")
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    grade(desktop, keys(desktop)[0], GOOD, T0)
    desktop_file = f"{devices.config(desktop)['id']}.journal"
    close(desktop)
    assert main(["--db", db, "devices", "status"]) == 0
    # its name and its review (this device's own rename is not "to merge")
    assert capsys.readouterr().out.splitlines()[0] == f"{desktop_file}: 2 records not merged yet"
    assert main(["--db", db, "sync"]) == 0
    assert "history: 1 record from other devices, 1 card replayed" in capsys.readouterr().out
    assert main(["--db", db, "devices", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unread"] == []
    assert main(["--db", db, "devices"]) == 0
    out = capsys.readouterr().out
    assert "desktop" in out and "work laptop" in out


# ---------------------------------------------------------------------------- property
RATINGS = st.sampled_from([AGAIN, HARD, GOOD, EASY])
ACTION = st.one_of(
    st.tuples(st.just("grade"), st.integers(0, 2), st.integers(0, 2), RATINGS),
    st.tuples(st.just("undo"), st.integers(0, 2)),
    st.tuples(st.just("bury"), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("copy"), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("sync"), st.integers(0, 2)),
    st.tuples(st.just("wait"), st.integers(1, 60 * 30)),
    st.tuples(st.just("skew"), st.integers(0, 2), st.integers(-60 * 26, 0)),  # a clock goes back
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n_devices=st.integers(2, 3), actions=st.lists(ACTION, max_size=25))
def test_any_interleaving_of_merges_gives_the_same_cards_stats_and_daily_counts(tmp_path_factory, n_devices, actions):
    root = tmp_path_factory.mktemp("devices")
    notes = write_notes(root / "notes")
    stores = [open_device(root / f"d{n}", notes, f"device {n}", root / f"sync{n}") for n in range(n_devices)]
    folders = [root / f"sync{n}" for n in range(n_devices)]
    card_keys = keys(stores[0])
    now = T0
    last: list[dict | None] = [None] * n_devices
    skew = [timedelta(0)] * n_devices
    for action in actions:
        kind = action[0]
        if kind == "wait":
            now += timedelta(minutes=action[1])
            continue
        if kind == "skew":
            skew[action[1] % n_devices] = timedelta(minutes=action[2])
            continue
        d = action[1] % n_devices
        store = stores[d]
        now += timedelta(seconds=7)
        if kind == "grade":
            key = card_keys[action[2]]
            before = views(store)[key][0]
            record = grade(store, key, action[3], now + skew[d])
            last[d] = {"record": record, "before": before, "key": key}
        elif kind == "undo" and last[d] is not None:
            done = last[d]
            last[d] = None
            if views(store)[done["key"]][0] == done["record"]["state"]:  # as the session checks
                store.append({"t": "undo", "review": done["record"]["id"], "card": done["record"]["card"],
                              "ts": now.isoformat(), "state": done["before"]})
        elif kind == "bury":
            card = next(c for c in store.cards(archived=True) if c.key == card_keys[action[2]])
            store.append({"t": "bury", "card": card.id, "ts": now.isoformat(),
                          "until": (now + timedelta(hours=20)).isoformat()})
        elif kind == "copy":
            copy_new_bytes(folders[d], folders[action[2] % n_devices])
        elif kind == "sync":
            devices.sync(store)
    # everything reaches everyone, then everyone merges
    for _ in range(2):
        for a in range(n_devices):
            for b in range(n_devices):
                copy_new_bytes(folders[a], folders[b])
    for store in stores:
        devices.sync(store)
    later = now + timedelta(minutes=1)
    first = views(stores[0]), stats(stores[0], later)
    for store in stores[1:]:
        assert (views(store), stats(store, later)) == first
    close(*stores)


def test_an_old_batch_merged_today_does_not_hide_todays_own_reviews(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    a, b, c = keys(laptop)
    for n in range(3):  # last month, on the laptop
        grade(laptop, [a, b, c][n], GOOD, T0 + timedelta(minutes=n))
    today = T0 + timedelta(days=30)
    grade(desktop, a, GOOD, today)
    grade(desktop, b, HARD, today + timedelta(minutes=1))
    devices.sync(desktop)  # appends last month's reviews after today's
    counts = studied_today(desktop, today + timedelta(minutes=5), desktop.settings)
    assert counts.new + counts.reviews == 2  # today's two, read past the old batch
    close(laptop, desktop)


def test_mock_sessions_travel_too(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    doc = {"started": "2026-11-02T09:00:00+00:00", "ended": None, "status": "abandoned", "decks": ["Networking"],
           "settings": {}, "questions": []}
    mock_id = laptop.save_mock(doc)
    devices.sync(desktop)
    assert [m["status"] for m in desktop.mocks()] == ["abandoned"]
    laptop.save_mock({**doc, "ended": "2026-11-02T09:20:00+00:00", "status": "finished"}, mock_id)
    devices.sync(desktop)
    (mock,) = desktop.mocks()  # the same session, replaced by its later save: not a second one
    assert mock["status"] == "finished" and mock["uid"] == laptop.mocks()[0]["uid"]
    close(laptop, desktop)


async def test_the_app_merges_another_devices_reviews_when_they_arrive(tmp_path, notes, monkeypatch):
    from drill.ui import history_watch
    from drill.ui.app import make_app

    monkeypatch.setattr(history_watch, "INTERVAL", 0.05)
    said: list[str] = []  # what the app said (a toast may have expired by the time we look, under load)
    real_notify = history_watch.notify
    monkeypatch.setattr(history_watch, "notify", lambda app, message, **kw: (said.append(str(message)),
                                                                             real_notify(app, message, **kw)))
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    key = keys(laptop)[0]
    app = make_app(desktop)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grade(laptop, key, GOOD, T0)  # while the desktop's app is open
        for _ in range(40):
            await pilot.pause(0.05)
            if views(desktop)[key][0] is not None:
                break
        assert views(desktop)[key] == views(laptop)[key]
        assert any("1 record from other devices" in m for m in said), said
    close(laptop, desktop)


def test_a_sync_killed_after_its_batch_and_before_its_state_counts_nothing_twice(tmp_path, notes, monkeypatch):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    a, b, _ = keys(laptop)
    grade(laptop, a, GOOD, T0)
    grade(laptop, b, AGAIN, T0 + timedelta(minutes=1))
    with monkeypatch.context() as m:
        m.setattr(devices, "_save_state", lambda store, state: None)  # killed right after the batch
        assert devices.sync(desktop).imported == 2
    again = devices.sync(desktop)
    assert again.imported == 0 and again.duplicates == 2
    now = T0 + timedelta(minutes=5)
    assert stats(desktop, now)[0]["total_reviews"] == 2
    assert views(desktop) == views(laptop)
    close(laptop, desktop)


def test_the_sync_state_is_small_to_check(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    head = json.loads(devices.state_path(laptop).read_bytes().split(b"\n", 1)[0])
    assert set(head) <= {"v", "device", "dir", "exported", "exported_mark", "signature", "pending_count"}
    assert devices.up_to_date(laptop)
    grade(laptop, keys(laptop)[0], GOOD, T0)
    assert not devices.up_to_date(laptop)  # an own record since: the next open writes it out if needed
    devices.sync(laptop)
    assert devices.up_to_date(laptop)
    close(laptop)


def test_grades_made_while_the_folder_is_away_go_there_when_it_is_back(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    shared.rename(tmp_path / "unmounted")
    grade(laptop, keys(laptop)[0], GOOD, T0)  # accepted: the local journal has it
    report = devices.sync(laptop)
    assert report.missing and "not found" in report.line()
    (tmp_path / "unmounted").rename(shared)
    assert devices.sync(laptop).exported == 1
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    assert views(desktop) == views(laptop)
    close(laptop, desktop)


def test_copies_of_other_devices_reviews_are_read_by_the_stats_fast_path(tmp_path, notes):
    from drill.store.reviewlog import REVIEW_LINE, read_reviews, reviews_from_records

    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    for n, key in enumerate(keys(laptop)):
        grade(laptop, key, [GOOD, AGAIN, EASY][n], T0 + timedelta(minutes=n))
    devices.sync(desktop)
    lines = desktop.journal.path.read_bytes().splitlines()
    copies = [line for line in lines if b'"dev":"' in line]
    assert len(copies) == 3 and all(REVIEW_LINE.match(line) for line in copies)
    assert read_reviews(desktop.journal.path) == reviews_from_records(desktop.reviews())
    assert sorted(r.key for r in read_reviews(desktop.journal.path)) == keys(laptop)
    close(laptop, desktop)


def test_a_store_copied_to_a_second_machine_writes_the_same_file_and_still_merges(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    close(laptop)
    shutil.copytree(tmp_path / "laptop", tmp_path / "clone")  # the same device id, the same folder
    from drill.store.collection import Store

    laptop, clone = Store(tmp_path / "laptop" / "drill.json"), Store(tmp_path / "clone" / "drill.json")
    a, b, _ = keys(laptop)
    grade(laptop, a, GOOD, T0)
    grade(clone, b, HARD, T0 + timedelta(minutes=1))
    report = devices.sync(laptop)
    assert report.foreign == 1 and "a copy of this store elsewhere" in report.line()
    devices.sync(clone)
    assert views(laptop) == views(clone)
    now = T0 + timedelta(minutes=5)
    assert stats(laptop, now) == stats(clone, now) and stats(laptop, now)[0]["total_reviews"] == 2
    assert devices.sync(laptop).foreign == 0  # merged once
    close(laptop, clone)


def test_drill_config_history_dir_is_the_same_as_devices_setup(tmp_path, notes, capsys):
    laptop = open_device(tmp_path / "laptop", notes, "laptop")
    db = str(laptop.path)
    close(laptop)
    assert main(["--db", db, "config", "history_dir"]) == 0
    assert "not set" in capsys.readouterr().out
    assert main(["--db", db, "config", "history_dir", str(tmp_path / "shared")]) == 0
    assert str(tmp_path / "shared") in capsys.readouterr().out
    assert main(["--db", db, "config", "history_dir"]) == 0
    assert capsys.readouterr().out.strip() == str((tmp_path / "shared").resolve())
    assert (tmp_path / "shared" / ".gitattributes").exists()
