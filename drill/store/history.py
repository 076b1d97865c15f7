"""The store's side of syncing history between devices (see drill.devices).

Each device appends its own records (reviews, undos, buries, suspensions, cram
answers, mock sessions) to its own file in a shared folder,
``DIR/<device-id>.journal``; other devices read it. This module is what the
store itself needs for that:

* :class:`DeviceFile` -- this device's file: whole lines appended, a torn last
  line (a crash mid-write) cut off first, exactly as the local journal does.
  ``Store.append`` writes each own record there right after the fsync'd local
  append, without a second fsync: the local journal stays the durable copy, and
  ``drill sync`` writes again whatever a crash kept from reaching the device
  file (:func:`own_records`). A grade still costs one fsync.
* Records from other devices are appended to the local journal as one batch per
  sync, sorted by time, each tagged with the device it came from (``"dev"``) and
  followed by a :data:`BATCH` marker that says how many bytes the batch holds and
  its oldest time. The local journal so holds every device's reviews, and the
  stats, daily limits and streaks count them all without knowing about devices.
* :func:`iter_reverse` reads the local journal newest first like
  ``Journal.iter_reverse``, but jumps over the part of an imported batch older
  than ``since``: a batch of last month's reviews from another device, appended
  today, must neither stop a reader looking for today's reviews nor be decoded
  line by line on every look.
* :data:`MERGED` records set a card's whole view (state, burying, suspension) as
  replaying every device's history gave it (drill.devices.replay).

Pure file work; imports nothing above drill.store.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Iterator

from drill.store import journal, schema
from drill.store.timestamps import iso, parse_iso
from drill.store.filelock import FILE_MODE, json_bytes, restrict_mode

BATCH = "synced"
"""Marker record after a batch of other devices' records: ``{"t", "id", "ts", "bytes", "oldest", "n"}``."""
MERGED = "merged"
"""A card's view after a merge: ``{"t", "id", "key", "card", "ts", "state", "buried_until", "suspended", "reason"}``."""
DEVICE = "device"
"""A device's name, written in its own file: ``{"t", "id", "ts", "name"}``."""
MOCK = "mock"
"""A mock-interview session, written in its device's file: ``{"t", "id", "ts", "doc"}``."""

EXPORTED = frozenset({"review", "undo", "bury", "suspend", "unsuspend", "cram", "cram-undo", MOCK})
"""Own record types written to the device file (never a BATCH or MERGED record, never an imported copy)."""

_MAX_TORN = 1 << 20


CONFIG_KEY = "devices"
"""Where the device settings live: ``Store.extra("devices")`` = ``{"id", "name", "dir"}``."""


def config_of(meta: dict) -> dict | None:
    """This store's device settings (``{"id", "name", "dir"}``) from its meta table, or None."""
    extra = meta.get("extra")
    return valid_config(extra.get(CONFIG_KEY) if isinstance(extra, dict) else None)


def valid_config(cfg: object) -> dict | None:
    if isinstance(cfg, dict) and isinstance(cfg.get("id"), str) and isinstance(cfg.get("dir"), str) and cfg["id"]:
        return cfg
    return None


def device_file_path(cfg: dict) -> Path:
    return Path(cfg["dir"]) / f"{cfg['id']}.journal"


def is_own(record: dict) -> bool:
    """A record this device made (not a copy of another device's, not a merge result)."""
    return "dev" not in record and record.get("t") in EXPORTED


class DeviceFile:
    """Appends whole lines to one device's file in the shared folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, records: list[dict], *, durable: bool = False) -> int:
        """Append *records* (one write); fsync only when *durable*. Returns the size after.

        A last line without its newline (this device crashed mid-write) is cut off
        first: no reader ever consumed it (they read whole lines only), and the
        record it held is written again from the local journal by ``drill sync``."""
        data = b"".join(json_bytes(r) + b"\n" for r in records)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, FILE_MODE)
        try:
            restrict_mode(fd)
            _, before = journal.cut_torn_tail(fd, _MAX_TORN)
            journal.write_all(fd, before + data)
            if durable:
                os.fsync(fd)
            return os.fstat(fd).st_size
        finally:
            os.close(fd)


def own_records(path: Path, start: int = 0, copies: set[str] | None = None) -> Iterator[tuple[int, dict]]:
    """(offset after the line, record) of this device's own records in the local journal from
    *start*. With *copies*, the ids of the other devices' records met on the way are added to it."""
    for data, pos in journal.iter_whole_lines(path, start):
        pos -= len(data)
        for raw in data.split(b"\n")[:-1]:
            pos += len(raw) + 1
            if not raw.strip() or (b'"dev":' in raw and copies is None):
                continue
            ok, record = schema.decode(raw)
            if not ok or not isinstance(record, dict):
                continue
            if "dev" in record:
                if copies is not None and "id" in record:
                    copies.add(str(record["id"]))
            elif is_own(record):
                yield pos, record


def iter_reverse(path: Path, since: str | None = None) -> Iterator[dict]:
    """Records of the local journal newest first (``Journal.iter_reverse``), batch markers left out.

    With *since* (ISO UTC), the part of an imported batch older than *since* is
    skipped without being read: within a batch records are sorted by time, so the
    first one older than *since* means the rest of it is older too. This device's own
    records are in the order they were made, which is time order unless its clock went
    back: the ones older than *since* by less than :data:`CLOCK_SLACK` are left out, not
    yielded (a reader stops at the first record older than *since*, and newer ones may be
    before them), so that reading goes back at most that much further."""
    return journal.iter_reverse(path, _OldBatches(since))


CLOCK_SLACK = timedelta(days=1)
"""How far back a clock may have gone for the readers that stop at a time (:func:`iter_reverse`)."""


class _OldBatches:
    """The skip hook of :func:`iter_reverse` (drill.store.journal.iter_reverse)."""

    def __init__(self, since: str | None) -> None:
        self.since = since
        self.floor = since
        if since:
            try:
                self.floor = iso(parse_iso(since) - CLOCK_SLACK)
            except (ValueError, OverflowError):
                pass
        self.batch_start: int | None = None
        """Where the batch being read starts (its marker was met, and fits its journal)."""

    def __call__(self, record: dict, start: int, starts_line) -> int | None:
        if self.batch_start is not None and start < self.batch_start:
            self.batch_start = None
        if record.get("t") == BATCH:
            size = record.get("bytes")
            # (a journal `drill doctor` cut lines from does not fit its marker: not trusted)
            if isinstance(size, int) and 0 <= size <= start and starts_line(start - size):
                self.batch_start = start - size
            return journal.LEAVE_OUT
        if self.since is None:
            return None
        ts = str(record.get("ts", ""))
        if ts >= self.since:
            return None
        if "dev" not in record and self.batch_start is None:  # an own record
            return journal.LEAVE_OUT if ts >= self.floor and record.get("t") != "undo" else None
        if self.batch_start is None:
            return journal.LEAVE_OUT  # another device's old record outside a batch we can jump over
        jump, self.batch_start = self.batch_start, None
        return jump


def _decode(raw: bytes) -> dict | None:
    if not raw.strip():
        return None
    ok, record = schema.decode(raw)
    return record if ok and isinstance(record, dict) else None
