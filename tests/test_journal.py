from __future__ import annotations

import json
import os
import stat

import pytest

from drill.store.journal import _CHUNK, Journal


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "drill.json.journal")
    yield j
    j.close()


def test_missing_file_reads_empty(journal):
    assert journal.size() == 0
    tail = journal.read_from(0)
    assert tail.records == [] and tail.end == 0 and tail.bad_lines == 0
    assert list(journal.iter_reverse()) == []
    assert not journal.path.exists()  # reading never creates the file


def test_append_returns_growing_offsets(journal):
    offsets = [journal.append({"t": "review", "n": i}) for i in range(5)]
    assert offsets == sorted(offsets) and len(set(offsets)) == 5
    assert offsets[-1] == journal.size() == journal.path.stat().st_size
    # Each offset is a line boundary: reading from it yields exactly the later records.
    for i, offset in enumerate(offsets):
        tail = journal.read_from(offset)
        assert [r["n"] for r in tail.records] == list(range(i + 1, 5))
        assert tail.end == offsets[-1]
    assert [r["n"] for r in journal.read_from(0).records] == list(range(5))


def test_one_line_per_record_and_unicode_kept(journal):
    journal.append({"t": "review", "text": "naïve ✓\nnewline"})
    raw = journal.path.read_bytes()
    assert raw.count(b"\n") == 1 and raw.endswith(b"\n")
    assert "✓".encode() in raw
    assert journal.read_from(0).records == [{"t": "review", "text": "naïve ✓\nnewline"}]


def test_file_mode_is_0600(journal):
    old = os.umask(0)
    try:
        journal.append({"t": "x"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_read_from_skips_torn_last_line(journal):
    end = journal.append({"n": 1})
    with open(journal.path, "ab") as f:
        f.write(b'{"n": 2, "half')  # a writer died mid-line
    tail = journal.read_from(0)
    assert tail.records == [{"n": 1}]
    assert tail.end == end  # the torn bytes are not consumed
    assert tail.bad_lines == 0
    assert journal.read_from(end).records == []
    assert journal.read_from(end).end == end


def test_garbage_lines_are_counted_not_fatal(journal):
    journal.append({"n": 1})
    with open(journal.path, "ab") as f:
        f.write(b"not json at all\n[1, 2, 3]\n\"a string\"\n\n   \n\xff\xfe\n")
    journal.append({"n": 2})
    tail = journal.read_from(0)
    assert tail.records == [{"n": 1}, {"n": 2}]
    assert tail.bad_lines == 4  # blank lines are not bad
    assert [r["n"] for r in journal.iter_reverse()] == [2, 1]


def test_append_after_torn_line_keeps_new_record_readable(tmp_path):
    path = tmp_path / "j"
    first = Journal(path)
    end = first.append({"n": 1})
    first.close()
    with open(path, "ab") as f:
        f.write(b'{"n": 2, "tor')
    second = Journal(path)  # a fresh process
    second.append({"n": 3})
    tail = second.read_from(end)
    assert tail.records == [{"n": 3}]
    assert tail.bad_lines == 0  # the torn line was never acknowledged: cut off, not kept
    assert [r["n"] for r in second.read_from(0).records] == [1, 3]
    assert [r["n"] for r in second.iter_reverse()] == [3, 1]
    second.close()


def test_append_on_empty_existing_file(tmp_path):
    path = tmp_path / "j"
    path.write_bytes(b"")
    j = Journal(path)
    assert j.append({"n": 1}) == len(b'{"n":1}\n')
    assert path.read_bytes() == b'{"n":1}\n'
    j.close()


def test_two_journal_objects_on_one_file_interleave(tmp_path):
    a, b = Journal(tmp_path / "j"), Journal(tmp_path / "j")
    a.append({"n": 1})
    b.append({"n": 2})
    end = a.append({"n": 3})
    assert end == b.size()
    assert [r["n"] for r in b.read_from(0).records] == [1, 2, 3]
    a.close()
    b.close()


def test_iter_reverse_newest_first_across_chunks(journal):
    count = 400  # ~ 260 KiB of lines of varying length: several 64 KiB chunks
    for i in range(count):
        journal.append({"n": i, "pad": "x" * (300 + (i * 37) % 700)})
    assert journal.size() > 3 * _CHUNK
    assert [r["n"] for r in journal.iter_reverse()] == list(reversed(range(count)))


def test_iter_reverse_with_line_longer_than_chunk(journal):
    journal.append({"n": 0})
    journal.append({"n": 1, "big": "y" * (_CHUNK * 2 + 17)})
    journal.append({"n": 2})
    records = list(journal.iter_reverse())
    assert [r["n"] for r in records] == [2, 1, 0]
    assert len(records[1]["big"]) == _CHUNK * 2 + 17


def test_iter_reverse_line_ending_exactly_on_chunk_boundary(journal):
    # Build a file whose size is exactly 2 chunks with a newline at the chunk edge.
    first = {"n": 0, "p": ""}
    base = len(json.dumps(first, separators=(",", ":"))) + 1
    first["p"] = "a" * (_CHUNK - base)
    journal.append(first)
    assert journal.size() == _CHUNK
    second = {"n": 1, "p": ""}
    second["p"] = "b" * (_CHUNK - base)
    journal.append(second)
    assert journal.size() == 2 * _CHUNK
    assert [r["n"] for r in journal.iter_reverse()] == [1, 0]


def test_iter_reverse_skips_torn_tail_and_garbage(journal):
    journal.append({"n": 0})
    with open(journal.path, "ab") as f:
        f.write(b"garbage\n")
    journal.append({"n": 1})
    with open(journal.path, "ab") as f:
        f.write(b'{"n": 2')
    assert [r["n"] for r in journal.iter_reverse()] == [1, 0]


def test_iter_reverse_can_stop_early(journal):
    for i in range(10):
        journal.append({"n": i})
    it = journal.iter_reverse()
    assert next(it)["n"] == 9
    assert next(it)["n"] == 8
    it.close()  # closes the file handle without reading the rest


def test_close_is_idempotent_and_reopens(journal):
    journal.append({"n": 1})
    journal.close()
    journal.close()
    journal.append({"n": 2})
    assert [r["n"] for r in journal.read_from(0).records] == [1, 2]
