"""Syncing review history between devices through a shared folder (git, Syncthing, Dropbox...).

``drill devices setup DIR`` gives this store a device id and name and a folder;
from then on every own record also goes to ``DIR/<id>.journal`` (drill.store.history).
:func:`sync` (run on open, by ``drill sync`` and when the app sees the folder change):

1. writes to this device's file any own record a crash kept from it (from the
   local journal, by id) -- the first sync writes the history made before setup;
2. reads what is new in every device's file and conflict copy, from the offset
   read last time, whole lines only; records are deduplicated by id;
3. replays the whole history of every card those records name, in
   (time, device, place) order (drill.devices.replay), from every device's file;
4. appends, under the store's write lock and with one fsync: the new records
   (tagged with their device, sorted by time, followed by a batch marker), then one
   ``merged`` record per card giving its replayed view. The stats, daily limits and
   streaks read the local journal, so they count every device's reviews.

Records naming a card this store has not imported yet are kept (they are in the
local journal and in the device files) and the card's key is remembered as
pending: when an import brings the card, :func:`sync` replays it.

What was read where is kept in ``drill.json.devices`` (derived: if it is lost the
files are read again from the start, deduplicated by the ids in the local journal).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

from drill.devices import folder as shared
from drill.devices.replay import Entry, View, entry, replay
from drill.store import history, schema
from drill.store.filelock import atomic_write_bytes, ensure_dir, json_bytes
from drill.store.timestamps import iso
from drill.study.plans import fitted_parameters
from drill.study.schedule import Scheduler, utcnow

STATE_VERSION = 1
_KEYED = frozenset({"review", "undo", "bury", "suspend", "unsuspend"})
"""Record types that name a card by its key (replayed)."""
_COPIED = history.EXPORTED - {history.MOCK}
"""Other devices' records copied into the local journal (stats count them)."""


def _new_id() -> str:
    return os.urandom(8).hex()


class NotSetUp(Exception):
    """This store has no shared history folder yet."""


@dataclass
class SyncReport:
    device: str = ""
    folder: str = ""
    imported: int = 0
    """Records from other devices new to this store."""
    cards: int = 0
    """Cards whose state was replayed."""
    pending: int = 0
    """Cards named by other devices' records that this store has not imported (yet)."""
    exported: int = 0
    """Own records written to this device's file that were missing from it."""
    duplicates: int = 0
    """Records met again (conflict copies, re-read files), merged by id."""
    torn: int = 0
    """Files whose last line is incomplete (left for the next sync)."""
    bad_lines: int = 0
    devices: dict[str, dict] = field(default_factory=dict)
    missing: bool = False
    """The folder is not there (an unmounted disk, a repo not cloned yet)."""

    def line(self) -> str:
        if self.missing:
            return f"history folder {self.folder} not found; nothing merged (your reviews are kept)"
        parts = [f"{self.imported} record{'s' if self.imported != 1 else ''} from other devices"]
        if self.cards:
            parts.append(f"{self.cards} card{'s' if self.cards != 1 else ''} replayed")
        if self.pending:
            parts.append(f"{self.pending} card{'s' if self.pending != 1 else ''} not imported here yet")
        if self.exported:
            parts.append(f"{self.exported} own record{'s' if self.exported != 1 else ''} written out again")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''} merged by id")
        if self.torn:
            parts.append(f"{self.torn} file{'s' if self.torn != 1 else ''} still arriving (last line left for later)")
        if self.bad_lines:
            parts.append(f"{self.bad_lines} unreadable line{'s' if self.bad_lines != 1 else ''} skipped")
        return "history: " + ", ".join(parts)


# ---------------------------------------------------------------------------- configuration
def config(store) -> dict | None:
    """``{"id", "name", "dir"}`` of this store's device, or None before setup."""
    return history.valid_config(store.extra(history.CONFIG_KEY))


def state_path(store) -> Path:
    return store.path.with_name(store.path.name + ".devices")


def default_name() -> str:
    name = socket.gethostname().split(".")[0]
    return clean_name(name) or "device"


def clean_name(name: str) -> str:
    """A device name: printable, one line, at most 40 characters."""
    text = "".join(ch for ch in str(name) if ch.isprintable()).strip()
    return text[:40]


def setup(store, directory: str | os.PathLike, name: str | None = None) -> SyncReport:
    """Use *directory* as the shared history folder (created if missing); the device keeps
    its id if it has one. Writes ``.gitattributes`` there, this device's name, and syncs."""
    folder = Path(directory).expanduser().resolve()
    ensure_dir(folder)
    cfg = config(store) or {}
    device = cfg.get("id") or os.urandom(6).hex()
    name = clean_name(name) if name else (cfg.get("name") or default_name())
    with store.writing():
        store.set_extra(history.CONFIG_KEY, {"id": device, "name": name, "dir": str(folder)})
    shared.write_gitattributes(folder)
    _write_name(store, name)
    return sync(store)


def rename(store, name: str) -> str:
    cfg = config(store)
    if cfg is None:
        raise NotSetUp("no history folder yet: `drill devices setup DIR` chooses one")
    name = clean_name(name)
    if not name:
        raise ValueError("a device name needs at least one printable character")
    with store.writing():
        store.set_extra(history.CONFIG_KEY, {**cfg, "name": name})
    _write_name(store, name)
    return name


def _write_name(store, name: str) -> None:
    cfg = config(store)
    record = {"t": history.DEVICE, "id": _new_id(), "ts": iso(utcnow()), "name": name}
    with store.lock.held():
        history.DeviceFile(history.device_file_path(cfg)).append([record], durable=True)


# ---------------------------------------------------------------------------- state
def _load_state(store, cfg: dict) -> dict:
    try:
        with open(state_path(store), "rb") as f:
            state = json.loads(f.read())
    except (OSError, ValueError, RecursionError):
        state = None
    if (
        not isinstance(state, dict)
        or state.get("v") != STATE_VERSION
        or state.get("device") != cfg["id"]
        or state.get("dir") != cfg["dir"]
        or not isinstance(state.get("files"), dict)
    ):
        return {"v": STATE_VERSION, "device": cfg["id"], "dir": cfg["dir"], "files": {}, "exported": 0,
                "pending": [], "devices": {}, "fresh": True}
    return state


def _save_state(store, state: dict) -> None:
    state = {k: v for k, v in state.items() if k != "fresh"}
    try:
        atomic_write_bytes(state_path(store), json_bytes(state))
    except OSError:
        pass  # derived: the next sync reads again and deduplicates by id


# ---------------------------------------------------------------------------- syncing
def up_to_date(store, *, imported: bool = False) -> bool:
    """Nothing to merge: the folder's files and the local journal are as the last sync left
    them (and, after an *imported* file, no card other devices reviewed is waiting for one)."""
    cfg = config(store)
    if cfg is None:
        return True
    state = _load_state(store, cfg)
    if state.get("fresh") or (imported and state.get("pending")):
        return False
    return (state.get("signature") == [list(x) for x in shared.signature(Path(cfg["dir"]))]
            and state.get("exported") == store.journal.size())


def others_signature(store) -> tuple:
    """The folder's signature without this device's own file (which every grade changes):
    when it changes, another device's history came in (the app polls this)."""
    cfg = config(store)
    if cfg is None:
        return ()
    own = f"{cfg['id']}{shared.SUFFIX}"
    return tuple(entry for entry in shared.signature(Path(cfg["dir"])) if entry[0] != own)


def sync(store, *, now=None) -> SyncReport:
    """Merge what is new in the shared folder into this store (see the module's doc)."""
    cfg = config(store)
    if cfg is None:
        raise NotSetUp("no history folder yet: `drill devices setup DIR` chooses one")
    folder = Path(cfg["dir"])
    report = SyncReport(device=cfg["id"], folder=str(folder))
    if not folder.is_dir():
        report.missing = True
        return report
    now = now or utcnow()
    own_name = f"{cfg['id']}{shared.SUFFIX}"
    with store.lock.held():
        store.refresh()
        state = _load_state(store, cfg)
        files = state["files"]
        known: set[str] | None = None

        def known_ids() -> set[str]:
            nonlocal known
            if known is None:
                known = _journal_ids(store.journal.path)
            return known

        # 1. this device's file: what it lacks of our own records goes there again
        own_read = shared.read_new(folder / own_name, *_at(files.get(own_name)))
        in_file = {str(r.get("id")) for _, r in own_read.records}
        since = state.get("exported", 0)
        if not isinstance(since, int) or _mark_of(store.journal.path, since) != state.get("exported_mark", ""):
            # The local journal was rewritten (an upgrade, `drill doctor`): compare all of it
            # with all of this device's file, so nothing is written there twice.
            since = 0
            in_file = {str(r.get("id")) for _, r in shared.read_new(folder / own_name).records}
        missing = [r for _, r in history.own_records(store.journal.path, since)
                   if str(r.get("id")) not in in_file]
        if missing:
            end = history.DeviceFile(folder / own_name).append(missing, durable=True)
            report.exported = len(missing)
            files[own_name] = {"offset": end, "mark": _mark_of(folder / own_name, end)}
        else:
            files[own_name] = {"offset": own_read.end, "mark": own_read.mark}
        _note_device(state, cfg["id"], [r for _, r in own_read.records] + missing)

        # 2. what is new elsewhere
        seen: set[str] = set()
        new: list[Entry] = []
        for f in shared.list_files(folder):
            if f.name == own_name:
                continue
            got = shared.read_new(folder / f.name, *_at(files.get(f.name)))
            report.bad_lines += got.bad_lines
            report.torn += bool(got.torn)
            check = f.copy or got.replaced or state.get("fresh")
            for seq, record in got.records:
                rid = str(record.get("id", ""))
                if rid in seen or (check and rid in known_ids()):
                    report.duplicates += 1
                    continue
                seen.add(rid)
                new.append(entry(record, f.device, seq))
            _note_device(state, f.device, [r for _, r in got.records])
            files[f.name] = {"offset": got.end, "mark": got.mark}

        # 3. the cards they name, and the pending ones this store now has
        resolve = _resolver(store)
        keys = {e.record.get("key") for e in new if e.record.get("t") in _KEYED}
        keys.discard(None)
        keys |= {k for k in state.get("pending", []) if resolve(k) is not None}
        pending = set(state.get("pending", []))
        views: dict[str, tuple[int, View]] = {}
        if keys:
            scheduler = Scheduler(store.settings, fitted_parameters(store), fuzz=False)
            histories = _histories(folder, keys)
            for key in keys:
                card = resolve(key)
                if card is None:
                    pending.add(key)
                    continue
                pending.discard(key)
                views[key] = (card.id, replay(histories.get(key, ()), scheduler))
        report.pending = len(pending)
        report.cards = len(views)

        # 4. one batch, one fsync
        batch = _batch(new, resolve, now)
        report.imported = sum(1 for e in new if e.record.get("t") in _COPIED)
        for key, (cid, view) in sorted(views.items()):
            batch.append({
                "t": history.MERGED, "id": _new_id(), "key": key, "card": cid, "ts": iso(now),
                "state": view.state, "buried_until": view.buried_until, "suspended": view.suspended,
                "reason": view.reason,
            })
        store.append_batch(batch)
        _import_mocks(store, new)
        state["pending"] = sorted(pending)
        state["exported"] = store.journal.size()
        state["exported_mark"] = _mark_of(store.journal.path, state["exported"])
        state["signature"] = [list(x) for x in shared.signature(folder)]
        _save_state(store, state)
        report.devices = state["devices"]
    return report


def _at(saved: dict | None) -> tuple[int, str]:
    if not isinstance(saved, dict):
        return 0, ""
    offset, mark = saved.get("offset"), saved.get("mark")
    return (offset if isinstance(offset, int) and offset >= 0 else 0), (mark if isinstance(mark, str) else "")


def _mark_of(path: Path, end: int) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, end - 32))
            return shared.mark_at(f.read(min(end, 32)))
    except OSError:
        return ""


def _journal_ids(path: Path) -> set[str]:
    """Ids of every record in the local journal (only when a file must be deduplicated whole)."""
    ids: set[str] = set()
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return ids
    with f:
        for raw in f:
            ok, record = schema.decode(raw)
            if ok and isinstance(record, dict) and "id" in record:
                ids.add(str(record["id"]))
    return ids


def _note_device(state: dict, device: str, records: list[dict]) -> None:
    info = state["devices"].setdefault(device, {"name": "", "last_review": None, "reviews": 0})
    for r in records:
        kind = r.get("t")
        if kind == history.DEVICE and isinstance(r.get("name"), str):
            info["name"] = clean_name(r["name"])
        elif kind == "review":
            info["reviews"] = info.get("reviews", 0) + 1
            ts = r.get("ts")
            if isinstance(ts, str) and (info.get("last_review") is None or ts > info["last_review"]):
                info["last_review"] = ts


def _resolver(store):
    """key -> the local StoredCard (archived ones included) or None."""
    by_key = getattr(store, "card_by_key", None)
    if callable(by_key):
        return by_key
    mapping = {c.key: c for c in store.cards(archived=True)}
    return mapping.get


def _histories(folder: Path, keys: set[str]) -> dict[str, list[Entry]]:
    """Every record naming one of *keys*, from every device's file and conflict copy."""
    out: dict[str, list[Entry]] = {}
    needles = [f'"key":"{k}"'.encode() for k in keys] if len(keys) <= 64 else None
    for f in shared.list_files(folder):
        try:
            data = (folder / f.name).read_bytes()
        except OSError:
            continue
        data = data[: data.rfind(b"\n") + 1]
        for start, raw in _candidate_lines(data, needles):
            ok, record = schema.decode(raw)
            if not ok or not isinstance(record, dict):
                continue
            key = record.get("key")
            if key in keys and record.get("t") in _KEYED:
                out.setdefault(key, []).append(entry(record, f.device, start))
    return out


def _candidate_lines(data: bytes, needles: list[bytes] | None):
    """(offset, line) of the lines holding one of *needles* (every line when None)."""
    if needles is None:
        pos = 0
        for raw in data.split(b"\n")[:-1]:
            yield pos, raw
            pos += len(raw) + 1
        return
    starts = set()
    for needle in needles:
        i = data.find(needle)
        while i >= 0:
            starts.add(data.rfind(b"\n", 0, i) + 1)
            i = data.find(needle, i + 1)
    for start in sorted(starts):
        yield start, data[start: data.find(b"\n", start)]


def local_copy(record: dict, device: str, card_id: int | None) -> dict:
    """Another device's record as the local journal keeps it: this store's card id, and
    the device it came from (before ``state``, where the stats' fast reader expects it)."""
    out: dict = {}
    for k, v in record.items():
        if k == "dev":
            continue
        if k == "card":
            v = card_id if card_id is not None else 0
        if k == "state":
            out["dev"] = device
        out[k] = v
    out.setdefault("dev", device)
    return out


def _batch(new: list[Entry], resolve, now) -> list[dict]:
    copies = [e for e in new if e.record.get("t") in _COPIED]
    if not copies:
        return []
    copies.sort(key=lambda e: e.order)
    out = []
    for e in copies:
        card = resolve(e.record["key"]) if isinstance(e.record.get("key"), str) else None
        out.append(local_copy(e.record, e.dev, card.id if card is not None else None))
    size = sum(len(json_bytes(r)) + 1 for r in out)
    out.append({"t": history.BATCH, "id": _new_id(), "ts": iso(now), "bytes": size,
                "oldest": copies[0].ts, "n": len(out)})
    return out


def _import_mocks(store, new: list[Entry]) -> None:
    """Mock sessions from other devices (one per id; a later save of the same one replaces it)."""
    mocks = [e for e in new if e.record.get("t") == history.MOCK and isinstance(e.record.get("doc"), dict)]
    if not mocks:
        return
    latest: dict[str, Entry] = {}
    for e in sorted(mocks, key=lambda e: e.order):
        uid = e.record.get("mock")
        if isinstance(uid, str):
            latest[uid] = e
    if latest:
        store.import_mocks({uid: e.record["doc"] for uid, e in latest.items()})


# ---------------------------------------------------------------------------- status
@dataclass
class FileStatus:
    name: str
    device: str
    copy: bool
    size: int
    read: int
    unread_lines: int
    torn: int


def status(store) -> dict:
    """What is in the folder and how far each file has been read (nothing is written)."""
    cfg = config(store)
    if cfg is None:
        raise NotSetUp("no history folder yet: `drill devices setup DIR` chooses one")
    folder = Path(cfg["dir"])
    state = _load_state(store, cfg)
    rows = []
    for f in shared.list_files(folder):
        offset, mark = _at(state["files"].get(f.name))
        got = shared.read_new(folder / f.name, offset, mark)
        read = 0 if got.replaced else offset
        rows.append(FileStatus(f.name, f.device, f.copy, got.size, read, len(got.records), got.torn))
    own = sum(1 for _ in history.own_records(store.journal.path, state.get("exported", 0)))
    return {
        "device": cfg["id"],
        "name": cfg.get("name", ""),
        "folder": str(folder),
        "folder_found": folder.is_dir(),
        "files": rows,
        "devices": state.get("devices", {}),
        "pending_cards": len(state.get("pending", [])),
        "own_since_sync": own,
    }
