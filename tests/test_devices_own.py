"""What this device says about its own history (drill devices, drill devices status), mock sessions
that missed the folder, and records that arrive out of time order (drill.devices.sync)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from devices_helpers import close, grade, keys, open_device, views, write_notes

from drill.cli import main
from drill.devices import sync as devices
from drill.study.schedule import AGAIN, GOOD, HARD

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def notes(tmp_path):
    return write_notes(tmp_path / "notes")


def _devices_json(db: str, capsys) -> dict:
    assert main(["--db", db, "devices", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_this_devices_row_counts_its_own_reviews_before_any_sync(tmp_path, notes, capsys):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    a, b, _ = keys(laptop)
    grade(laptop, a, GOOD, T0)
    grade(laptop, b, HARD, T0 + timedelta(minutes=1))
    db = str(laptop.path)
    close(laptop)
    (me,) = _devices_json(db, capsys)["devices"]
    assert me["this_device"] and me["reviews"] == 2 and me["last_review"] == "2026-11-02T09:01:00+00:00"
    assert me["not_in_folder"] == 0
    assert main(["--db", db, "devices"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("* laptop"))
    assert "2026-11-02 09:01" in row and " 2 " in row and "of" not in row  # its own file is not "read"
    # the same after a sync (nothing counted twice), and after more grades
    assert main(["--db", db, "sync"]) == 0
    capsys.readouterr()
    assert _devices_json(db, capsys)["devices"][0]["reviews"] == 2


def test_this_devices_row_counts_reviews_that_never_reached_the_folder(tmp_path, notes, capsys):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    own = shared / f"{devices.config(laptop)['id']}.journal"
    kept = own.read_bytes()
    grade(laptop, keys(laptop)[0], GOOD, T0)
    own.write_bytes(kept)  # the line never got there (a crash, a full disk)
    db = str(laptop.path)
    close(laptop)
    (me,) = _devices_json(db, capsys)["devices"]
    assert me["reviews"] == 1 and me["not_in_folder"] == 1
    assert main(["--db", db, "devices", "status"]) == 0
    out = capsys.readouterr().out
    assert "1 own record not yet in the shared folder; `drill sync` publishes it" in out
    assert "not merged" not in out
    assert main(["--db", db, "sync"]) == 0
    assert "1 own record written out again" in capsys.readouterr().out
    assert main(["--db", db, "devices", "status"]) == 0
    assert capsys.readouterr().out.strip() == "everything in the history folder is merged"


def test_status_does_not_call_this_devices_own_writes_not_merged(tmp_path, notes, capsys):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    db = str(laptop.path)
    grade(laptop, keys(laptop)[0], GOOD, T0)
    close(laptop)
    assert main(["--db", db, "devices", "name", "work laptop"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "devices", "status"]) == 0
    out = capsys.readouterr().out
    assert "not merged" not in out and "since the last sync" not in out
    assert out.strip() == "everything in the history folder is merged"
    assert main(["--db", db, "devices", "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unread"] == [] and data["own_records_not_in_folder"] == 0
    # another device's record is still "not merged yet"
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    grade(desktop, keys(desktop)[1], GOOD, T0)
    desktop_file = f"{devices.config(desktop)['id']}.journal"
    close(desktop)
    assert main(["--db", db, "devices", "status"]) == 0
    out = capsys.readouterr().out
    assert f"{desktop_file}: 2 records not merged yet" in out  # its name and its review and "`drill sync` merges them" in out
    assert "work laptop" not in out


DOC = {"started": "2026-11-02T09:00:00+00:00", "ended": None, "status": "abandoned", "decks": ["Networking"],
       "settings": {}, "questions": []}


def _mock_records(path) -> list[dict]:
    return [r for r in map(json.loads, path.read_bytes().splitlines()) if r["t"] == "mock"]


def test_a_mock_saved_while_the_folder_was_away_is_sent_when_it_is_back(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    shared.rename(tmp_path / "unmounted")
    mock_id = laptop.save_mock(DOC)  # saved here; its device file is not there
    assert devices.sync(laptop).missing
    (tmp_path / "unmounted").rename(shared)
    assert not devices.up_to_date(laptop)  # the next command that opens the store syncs
    devices.sync(laptop)
    devices.sync(desktop)
    assert [m["status"] for m in desktop.mocks()] == ["abandoned"]
    # a later save while the folder is away again replaces it on the other device
    shared.rename(tmp_path / "unmounted")
    laptop.save_mock({**DOC, "ended": "2026-11-02T09:20:00+00:00", "status": "finished"}, mock_id)
    (tmp_path / "unmounted").rename(shared)
    devices.sync(laptop)
    devices.sync(desktop)
    (mock,) = desktop.mocks()
    assert mock["status"] == "finished"
    # sent once each: nothing more on the next syncs, and the desktop does not send it back
    own = shared / f"{devices.config(laptop)['id']}.journal"
    assert len(_mock_records(own)) == 2
    devices.sync(laptop)
    devices.sync(desktop)
    assert len(_mock_records(own)) == 2
    assert _mock_records(shared / f"{devices.config(desktop)['id']}.journal") == []
    close(laptop, desktop)


def test_a_mock_saved_before_setup_travels_after_it(tmp_path, notes):
    laptop = open_device(tmp_path / "laptop", notes, "laptop")
    laptop.save_mock(DOC)
    shared = tmp_path / "shared"
    devices.setup(laptop, shared, "laptop")
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    assert [m["status"] for m in desktop.mocks()] == ["abandoned"]
    close(laptop, desktop)


def test_status_names_a_mock_the_folder_lacks_and_a_state_from_before_still_sends_it(tmp_path, notes, capsys):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    laptop.save_mock(DOC)  # reaches the folder
    db = str(laptop.path)
    assert main(["--db", db, "devices", "status"]) == 0
    assert capsys.readouterr().out.strip() == "everything in the history folder is merged"
    shared.rename(tmp_path / "unmounted")
    laptop.save_mock({**DOC, "started": "2026-11-03T09:00:00+00:00"})  # does not
    (tmp_path / "unmounted").rename(shared)
    # the sync state as a drill from before mock sessions were checked left it
    path = devices.state_path(laptop)
    head, body = path.read_bytes().splitlines()
    body = json.loads(body)
    del body["mocks"]
    path.write_bytes(head + b"\n" + json.dumps(body).encode() + b"\n")
    assert devices.sync(laptop).exported == 1  # the one the folder lacks, not the one it has
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    assert len(desktop.mocks()) == 2
    shared.rename(tmp_path / "unmounted")
    laptop.save_mock({**DOC, "started": "2026-11-04T09:00:00+00:00"})
    (tmp_path / "unmounted").rename(shared)
    close(laptop, desktop)
    assert main(["--db", db, "devices", "status"]) == 0
    assert "1 mock interview saved here not yet in the shared folder; `drill sync` publishes it" in capsys.readouterr().out


# ---------------------------------------------------------------------------- records out of time order
def _count_full_reads(monkeypatch) -> list:
    """The keys each sync had to read every device file for (drill.devices.sync._histories)."""
    asked: list = []
    real = devices._histories

    def spy(folder, keys, mem):
        asked.extend(sorted(keys))
        return real(folder, keys, mem)

    monkeypatch.setattr(devices, "_histories", spy)
    return asked


def test_a_record_arriving_out_of_order_is_merged_without_reading_every_file(tmp_path, notes, monkeypatch):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    a, b, c = keys(laptop)
    grade(laptop, a, GOOD, T0)
    devices.sync(desktop)
    asked = _count_full_reads(monkeypatch)
    # apart: the desktop grades a at noon, the laptop graded it at eleven; the laptop's record
    # reaches the desktop after the desktop's own
    grade(desktop, a, HARD, T0 + timedelta(days=1, hours=3))
    grade(laptop, a, AGAIN, T0 + timedelta(days=1, hours=2))
    grade(laptop, b, GOOD, T0 + timedelta(days=1, hours=2))  # a card this store never saw merged
    report = devices.sync(desktop)
    assert report.imported == 2 and report.cards == 2
    devices.sync(laptop)
    assert views(laptop) == views(desktop)
    assert views(desktop)[a][0]["reps"] == 3
    assert asked == []  # replayed from what the last sync knew, not from every device's whole file
    close(laptop, desktop)


def test_a_clock_going_backwards_on_one_device_ends_the_same_on_every_device(tmp_path, notes):
    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    a, _, _ = keys(laptop)
    grade(laptop, a, GOOD, T0)
    devices.sync(laptop)
    grade(laptop, a, GOOD, T0 + timedelta(days=2))
    grade(laptop, a, AGAIN, T0 + timedelta(days=1))  # the laptop's clock went back a day
    devices.sync(laptop)
    devices.sync(desktop)
    assert views(laptop) == views(desktop)
    devices.sync(laptop)
    assert views(laptop) == views(desktop)
    close(laptop, desktop)


def test_todays_counts_read_past_an_own_record_made_with_the_clock_gone_back(tmp_path, notes):
    from devices_helpers import stats

    shared = tmp_path / "shared"
    laptop = open_device(tmp_path / "laptop", notes, "laptop", shared)
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    a, b, _ = keys(laptop)
    grade(laptop, a, GOOD, T0)
    grade(laptop, b, GOOD, T0 - timedelta(hours=6))  # yesterday's study day: the clock went back
    devices.sync(laptop)
    devices.sync(desktop)
    now = T0 + timedelta(minutes=5)
    assert stats(laptop, now)[1] == stats(desktop, now)[1] == (1, 0, 0)  # a, today, on both
    close(laptop, desktop)


def test_a_device_file_that_was_empty_when_last_read_is_read_on_not_compared_with_all_history(
        tmp_path, notes, monkeypatch):
    from drill.store import history

    shared = tmp_path / "shared"
    desktop = open_device(tmp_path / "desktop", notes, "desktop", shared)
    grade(desktop, keys(desktop)[0], GOOD, T0)
    laptop = open_device(tmp_path / "laptop", notes, "laptop")
    with laptop.writing():  # set up without a name record: its file is empty at the first sync
        laptop.set_extra(history.CONFIG_KEY, {"id": "1a9709000001", "name": "laptop", "dir": str(shared)})
    assert devices.sync(laptop).imported == 1  # the local journal now holds the desktop's history
    grade(laptop, keys(laptop)[1], GOOD, T0)
    starts = []
    real = history.own_records
    monkeypatch.setattr(history, "own_records", lambda path, start=0, copies=None: (
        starts.append(start), real(path, start, copies))[1])
    assert devices.sync(laptop).exported == 0
    assert starts and all(s > 0 for s in starts)  # from where the last sync left the local journal
    close(laptop, desktop)
