"""The shared folder's files (drill.devices.folder) and the store's side of them (drill.store.history)."""

from __future__ import annotations

import json

from drill.devices import folder as shared
from drill.store import history


def line(**record) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def test_file_names_main_files_and_conflict_copies():
    main = shared.parse_name("a1b2c3d4e5f6.journal")
    assert main == shared.DeviceFileName("a1b2c3d4e5f6.journal", "a1b2c3d4e5f6", False)
    syncthing = shared.parse_name("a1b2c3d4e5f6.sync-conflict-20261201-093000-ABCDEFG.journal")
    assert syncthing is not None and syncthing.device == "a1b2c3d4e5f6" and syncthing.copy
    dropbox = shared.parse_name("a1b2c3d4e5f6 (Ann's conflicted copy 2026-12-01).journal")
    assert dropbox is not None and dropbox.device == "a1b2c3d4e5f6" and dropbox.copy
    nextcloud = shared.parse_name("a1b2c3d4e5f6 (conflicted copy 2026-12-01 093000).journal")
    assert nextcloud is not None and nextcloud.copy
    for other in (".gitattributes", "notes.md", ".syncthing.a1b2c3d4e5f6.journal.tmp", "x.journal", "A1B2C3D4.journal"):
        assert shared.parse_name(other) is None, other


def test_reading_from_the_last_offset_whole_lines_only(tmp_path):
    path = tmp_path / "aaaaaa.journal"
    path.write_bytes(line(t="review", id="r1") + line(t="review", id="r2") + b'{"t":"review","id":"r')
    first = shared.read_new(path)
    assert [r["id"] for _, r in first.records] == ["r1", "r2"]
    assert first.torn and not first.replaced
    assert first.records[1][0] == len(line(t="review", id="r1"))  # each record's place in the file
    # the partial line arrives whole, and another after it
    path.write_bytes(path.read_bytes() + b'3"}\n' + line(t="bury", id="b1"))
    second = shared.read_new(path, first.end, first.mark)
    assert [r["id"] for _, r in second.records] == ["r3", "b1"] and not second.torn
    assert shared.read_new(path, second.end, second.mark).records == []


def test_a_replaced_file_is_read_again_from_the_start(tmp_path):
    path = tmp_path / "aaaaaa.journal"
    path.write_bytes(line(t="review", id="r1") + line(t="review", id="r2"))
    got = shared.read_new(path)
    path.write_bytes(line(t="review", id="x1") + line(t="review", id="x2") + line(t="review", id="x3"))
    again = shared.read_new(path, got.end, got.mark)
    assert again.replaced and [r["id"] for _, r in again.records] == ["x1", "x2", "x3"]
    path.write_bytes(line(t="review", id="x1"))  # shorter than what was read
    assert shared.read_new(path, again.end, again.mark).replaced


def test_unreadable_lines_are_counted_and_skipped(tmp_path):
    path = tmp_path / "aaaaaa.journal"
    path.write_bytes(line(t="review", id="r1") + b"not json\n" + b"[1, 2]\n" + line(t="review", id="r2"))
    got = shared.read_new(path)
    assert got.bad_lines == 2 and [r["id"] for _, r in got.records] == ["r1", "r2"]


def test_the_device_file_cuts_a_torn_last_line_before_appending(tmp_path):
    path = tmp_path / "aaaaaa.journal"
    path.write_bytes(line(t="review", id="r1") + b'{"t":"review","id":"half')
    history.DeviceFile(path).append([{"t": "review", "id": "r2"}])
    assert path.read_bytes() == line(t="review", id="r1") + line(t="review", id="r2")


def test_the_folder_signature_changes_when_a_journal_does(tmp_path):
    before = shared.signature(tmp_path)
    (tmp_path / "aaaaaa.journal").write_bytes(line(t="review", id="r1"))
    after = shared.signature(tmp_path)
    assert after != before
    (tmp_path / "notes.md").write_text("not a journal")
    assert shared.signature(tmp_path) == after


def test_reading_newest_first_skips_the_old_part_of_an_imported_batch(tmp_path):
    journal = tmp_path / "drill.json.journal"
    own_old = line(t="review", id="o1", ts="2026-11-01T09:00:00+00:00")
    batch = [line(t="review", id=f"i{n}", ts=f"2026-11-{n:02d}T09:00:00+00:00", dev="bbbbbb") for n in range(2, 30)]
    marker = line(t="synced", id="m1", ts="2026-12-01T10:00:00+00:00", bytes=sum(map(len, batch)),
                  oldest="2026-11-02T09:00:00+00:00", n=len(batch))
    own_new = line(t="review", id="o2", ts="2026-12-01T11:00:00+00:00")
    journal.write_bytes(own_old + b"".join(batch) + marker + own_new)
    every = [r["id"] for r in history.iter_reverse(journal)]
    assert every == ["o2"] + [f"i{n}" for n in range(29, 1, -1)] + ["o1"]
    recent = [r["id"] for r in history.iter_reverse(journal, since="2026-11-27T00:00:00+00:00")]
    # the batch's records from the 27th on, then straight to what came before the batch
    assert recent == ["o2", "i29", "i28", "i27", "o1"]


def test_reading_newest_first_jumps_a_batch_bigger_than_a_read(tmp_path):
    journal = tmp_path / "drill.json.journal"
    batch = [line(t="review", id=f"i{n}", ts="2026-11-02T09:00:00+00:00", dev="bbbbbb", pad="x" * 300)
             for n in range(1000)]
    marker = line(t="synced", id="m1", ts="2026-12-01T10:00:00+00:00", bytes=sum(map(len, batch)),
                  oldest="2026-11-02T09:00:00+00:00", n=len(batch))
    journal.write_bytes(line(t="review", id="o1", ts="2026-10-01T09:00:00+00:00") + b"".join(batch) + marker)
    assert [r["id"] for r in history.iter_reverse(journal, since="2026-12-01T00:00:00+00:00")] == ["o1"]
    assert len(list(history.iter_reverse(journal))) == 1001


def test_own_records_leave_out_copies_and_merge_results(tmp_path):
    journal = tmp_path / "drill.json.journal"
    journal.write_bytes(
        line(t="review", id="o1") + line(t="review", id="i1", dev="bbbbbb") + line(t="merged", id="m1")
        + line(t="synced", id="s1") + line(t="bury", id="o2") + b'{"t":"review","id":"torn'
    )
    assert [r["id"] for _, r in history.own_records(journal)] == ["o1", "o2"]


def test_a_batch_marker_that_no_longer_fits_its_journal_is_not_trusted(tmp_path):
    journal = tmp_path / "drill.json.journal"
    batch = [line(t="review", id=f"i{n}", ts="2026-11-02T09:00:00+00:00", dev="bbbbbb") for n in range(3)]
    marker = line(t="synced", id="m1", ts="2026-12-01T10:00:00+00:00", bytes=sum(map(len, batch)) + 7,
                  oldest="2026-11-02T09:00:00+00:00", n=3)  # lines were cut from the batch since
    journal.write_bytes(line(t="review", id="o1", ts="2026-12-01T08:00:00+00:00") * 2 + b"".join(batch) + marker)
    ids = [r["id"] for r in history.iter_reverse(journal, since="2026-12-01T00:00:00+00:00")]
    assert ids == ["o1", "o1"]  # its old copies skipped one by one, not by jumping into the middle of a line


def test_one_backwards_reader_serves_the_journal_and_the_history_with_a_skip_hook(tmp_path):
    from drill.store import journal

    path = tmp_path / "drill.json.journal"
    lines = [line(t="review", id=f"r{n}", pad="x" * 200) for n in range(800)]  # several 64 KB reads
    path.write_bytes(b"".join(lines) + b'{"t":"review","id":"torn')
    assert [r["id"] for r in journal.iter_reverse(path)] == [f"r{n}" for n in range(799, -1, -1)]
    starts = {}

    def skip(record, start, starts_line):
        starts[record["id"]] = start
        assert starts_line(start) and not starts_line(start + 1)
        if record["id"] == "r700":
            return len(b"".join(lines[:100]))  # jump: r699 .. r100 are not read at all
        return journal.LEAVE_OUT if record["id"] == "r750" else None

    ids = [r["id"] for r in journal.iter_reverse(path, skip)]
    assert ids == [f"r{n}" for n in range(799, 700, -1) if n != 750] + [f"r{n}" for n in range(99, -1, -1)]
    assert "r699" not in starts and starts["r5"] == len(b"".join(lines[:5]))


def test_one_forward_reader_of_whole_lines(tmp_path):
    from drill.store import journal

    path = tmp_path / "drill.json.journal"
    data = b"".join(line(t="review", id=f"r{n}") for n in range(50))
    path.write_bytes(data + b'{"t":"rev')
    chunks = list(journal.iter_whole_lines(path, 0, chunk=100))
    assert b"".join(c for c, _ in chunks) == data and chunks[-1][1] == len(data)
    assert all(c.endswith(b"\n") for c, _ in chunks)
    assert [r["id"] for _, r in history.own_records(path, len(line(t="review", id="r0")))][:2] == ["r1", "r2"]
