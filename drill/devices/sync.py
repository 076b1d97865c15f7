"""Syncing review history between devices through a shared folder (git, Syncthing, Dropbox...).

``drill devices setup DIR`` gives this store a device id and name and a folder;
from then on every own record also goes to ``DIR/<id>.journal`` (drill.store.history).
:func:`sync` (run on open, by ``drill sync`` and when the app sees the folder change):

1. writes to this device's file any own record a crash kept from it (from the
   local journal, by id) -- the first sync writes the history made before setup;
2. reads what is new in every device's file and conflict copy, from the offset
   read last time, whole lines only; records are deduplicated by id;
3. replays every card those records name, in (time, device, place) order
   (drill.devices.replay): from the card as it is when the new records all come after
   what this store holds of it; else from the card as the last sync left it (kept in
   the sync state) when they come after that -- another device's records arriving out
   of order, or this device's own made with its clock gone back; only a record older
   than what the last sync had of its card makes that card's whole history be read
   from every device's file;
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

import hashlib
import json
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

from drill.devices import folder as shared
from drill.devices.replay import ORDER, Entry, View, can_continue, entry, replay
from drill.parse.wording import count
from drill.store import history, schema
from drill.store.filelock import atomic_write_bytes, ensure_dir, json_bytes
from drill.store.reviewlog import REVIEW_LINE
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
    foreign: int = 0
    """Records in this device's own file that this store did not make (a copy of the store elsewhere)."""
    torn: int = 0
    """Files whose last line is incomplete (left for the next sync)."""
    bad_lines: int = 0
    devices: dict[str, dict] = field(default_factory=dict)
    missing: bool = False
    """The folder is not there (an unmounted disk, a repo not cloned yet)."""

    def line(self) -> str:
        if self.missing:
            return f"history folder {self.folder} not found; nothing merged (your reviews are kept)"
        parts = [f"{count(self.imported, 'record')} from other devices"]
        parts += [f"{count(n, noun)} {what}" for n, noun, what in (
            (self.cards, "card", "replayed"),
            (self.pending, "card", "not imported here yet"),
            (self.exported, "own record", "written out again"),
            (self.foreign, "record", "in this device's own file made by a copy of this store elsewhere "
                                     "(merged; give each machine its own store)"),
            (self.duplicates, "duplicate", "merged by id"),
            (self.torn, "file", "still arriving (last line left for later)"),
            (self.bad_lines, "unreadable line", "skipped"),
        ) if n]
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
def _load_state(store, cfg: dict, *, head_only: bool = False) -> dict:
    """The sync state: a first line with what :func:`up_to_date` needs (small), then the
    rest (offsets, pending keys, each merged card's last record: it grows with the cards)."""
    try:
        with open(state_path(store), "rb") as f:
            state = json.loads(f.readline())
            if not head_only and isinstance(state, dict):
                body = json.loads(f.readline())
                state.update(body if isinstance(body, dict) else {"files": None})
    except (OSError, ValueError, RecursionError):
        state = None
    if (
        not isinstance(state, dict)
        or state.get("v") != STATE_VERSION
        or state.get("device") != cfg["id"]
        or state.get("dir") != cfg["dir"]
        or not (head_only or isinstance(state.get("files"), dict))
    ):
        return {"v": STATE_VERSION, "device": cfg["id"], "dir": cfg["dir"], "files": {}, "exported": 0,
                "pending": [], "devices": {}, "fresh": True}
    return state


_HEAD = ("v", "device", "dir", "exported", "exported_mark", "signature", "pending_count")


def _forget_signature(store, cfg: dict) -> None:
    """The folder was away: whatever missed it then (a mock session saved meanwhile leaves
    the local journal as it was) is sent by the next sync, so the next open must not find
    the store up to date when the folder is back with the same files."""
    if _load_state(store, cfg, head_only=True).get("signature") is None:
        return  # (already forgotten, or no state yet)
    with store.lock.held():
        state = _load_state(store, cfg)
        if not state.get("fresh") and state.get("signature") is not None:
            state["signature"] = None
            _save_state(store, state)


def _save_state(store, state: dict) -> None:
    state = {k: v for k, v in state.items() if k != "fresh"}
    state["pending_count"] = len(state.get("pending", []))
    head = {k: state[k] for k in _HEAD if k in state}
    body = {k: v for k, v in state.items() if k not in head}
    try:
        atomic_write_bytes(state_path(store), json_bytes(head) + b"\n" + json_bytes(body) + b"\n")
    except OSError:
        pass  # derived: the next sync reads again and deduplicates by id


# ---------------------------------------------------------------------------- syncing
def up_to_date(store, *, imported: bool = False) -> bool:
    """Nothing to merge: the folder's files and the local journal are as the last sync left
    them (and, after an *imported* file, no card other devices reviewed is waiting for one)."""
    cfg = config(store)
    if cfg is None:
        return True
    state = _load_state(store, cfg, head_only=True)
    if state.get("fresh") or (imported and state.get("pending_count")):
        return False
    return (state.get("signature") == [list(x) for x in others_signature(store)]
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
    """Merge what is new in the shared folder into this store (see the module's doc).

    The reading and replaying run without the store's write lock (another drill process
    may be grading meanwhile); the lock is taken to write the result, and if the store or
    the sync state changed in between, the work is done again under it."""
    cfg = config(store)
    if cfg is None:
        raise NotSetUp("no history folder yet: `drill devices setup DIR` chooses one")
    folder = Path(cfg["dir"])
    if not folder.is_dir():
        _forget_signature(store, cfg)
        return SyncReport(device=cfg["id"], folder=str(folder), missing=True)
    now = now or utcnow()
    before, plan = _plan(store, cfg, folder, now)
    with store.lock.held():
        store.refresh()
        if _snapshot(store) != before:
            before, plan = _plan(store, cfg, folder, now)
        _commit(store, cfg, folder, plan, now)
    return plan.report


@dataclass
class _Plan:
    report: SyncReport
    state: dict
    missing: list[dict]
    new: list[Entry]
    batch: list[dict]
    lines: list[bytes]
    signature: list


def _snapshot(store) -> tuple:
    """What a plan was made from: the local journal's size and the saved sync state."""
    try:
        saved = state_path(store).read_bytes()
    except OSError:
        saved = b""
    return store.journal.size(), saved


def _plan(store, cfg: dict, folder: Path, now) -> tuple[tuple, _Plan]:
    """Read what is new and replay the cards it names (reads only)."""
    store.refresh()
    before = _snapshot(store)
    state = _load_state(store, cfg)
    report = SyncReport(device=cfg["id"], folder=str(folder))
    signature = [list(x) for x in others_signature(store)]
    own_name = f"{cfg['id']}{shared.SUFFIX}"
    files = state["files"]
    fresh = bool(state.get("fresh"))
    known: set[str] | None = None

    def known_ids() -> set[str]:
        nonlocal known
        if known is None:
            known = _journal_ids(store.journal.path)
        return known

    # 1. this device's file: what it lacks of our own records goes there again
    own_path = folder / own_name
    own_at = _at(files.get(own_name))
    own_read = shared.read_new(own_path, *own_at)
    in_file = {str(r.get("id")) for _, r in own_read.records}
    since = state.get("exported", 0)
    if not isinstance(since, int) or _mark_of(store.journal.path, since) != state.get("exported_mark", ""):
        # The local journal was rewritten (an upgrade, `drill doctor`): compare all of it
        # with all of this device's file, so nothing is written there twice.
        since = 0
        in_file = {str(r.get("id")) for _, r in shared.read_new(own_path).records}
    if own_name not in files or own_read.replaced:
        # this device's file was never read, or was replaced: compare all of it with all of the
        # local journal (a file that was empty when last read is only read on from there)
        since = 0
    copies: set[str] = set()
    """Other devices' records the local journal got after the saved state: a sync that was
    killed after its batch and before saving (they are not merged again)."""
    local = list(history.own_records(store.journal.path, since, copies))
    local_ids = {str(r.get("id")) for _, r in local}
    missing = [r for _, r in local if str(r.get("id")) not in in_file and _fits(r)]
    # Records in this device's file that this store did not make: a copy of this store on
    # another machine writes there too (git union-merged the file). Merged like another device's.
    foreign = [(seq, r) for seq, r in own_read.records
               if r.get("t") in _COPIED and str(r.get("id")) not in local_ids and _fits(r)]
    foreign_ids = {str(r.get("id")) for _, r in foreign}
    report.foreign = len(foreign)
    own_records = [(seq, r) for seq, r in own_read.records if _fits(r) and str(r.get("id")) not in foreign_ids]
    at = own_read.end  # where the missing ones will go (a torn last line is cut off first)
    for r in missing:
        own_records.append((at, r))
        at += len(json_bytes(r)) + 1
    files[own_name] = {"offset": own_read.end, "mark": own_read.mark}
    sent = state.get("mocks")
    if not isinstance(sent, dict):
        sent = state["mocks"] = {} if fresh else _mocks_in_folder(folder)
    _note_mocks(sent, own_read.records, cfg["id"])
    own_entries = [entry(r, cfg["id"], seq) for seq, r in own_records]
    mem: dict[str, list[Entry]] = {}
    """Files read whole in this sync (a full replay takes their records from here)."""
    if not own_at[0] or own_read.replaced:
        mem[own_name] = own_entries
    _note_device(state, cfg["id"], [r for _, r in own_records])

    # 2. what is new elsewhere
    seen: set[str] = set()
    new: list[Entry] = []
    recovered: list[Entry] = []
    """Records copied by a sync killed before it saved its state: replayed again, not copied again."""
    for seq, record in foreign:
        rid = str(record.get("id"))
        if rid in copies or rid in known_ids():
            report.duplicates += 1
            continue
        seen.add(rid)
        new.append(entry(record, cfg["id"], seq))
    for f in shared.list_files(folder):
        if f.name == own_name:
            continue
        at = _at(files.get(f.name))
        got = shared.read_new(folder / f.name, *at, keep_lines=True)
        report.bad_lines += got.bad_lines
        report.torn += bool(got.torn)
        fitting = _entries(got, f.device)
        report.bad_lines += len(got.records) - len(fitting)
        if not at[0] or got.replaced:
            mem[f.name] = fitting
        check = f.copy or got.replaced or fresh
        for e in fitting:
            rid = e.id
            if rid in copies and rid not in seen:
                recovered.append(e)
            if rid in seen or rid in copies or (check and rid in known_ids()):
                report.duplicates += 1
                continue
            seen.add(rid)
            new.append(e)
        _note_device(state, f.device, [r for _, r in got.records])
        _note_mocks(sent, got.records, f.device)
        files[f.name] = {"offset": got.end, "mark": got.mark}

    # mock sessions saved here that this device's file lacks (the folder was away, a crash)
    arriving = {e.record.get("mock") for e in new if e.record.get("t") == history.MOCK}
    for uid, doc in _local_mocks(store).items():
        digest = _digest(doc)
        if uid not in arriving and sent.get(uid) != digest:
            missing.append(_mock_record(uid, doc))
            sent[uid] = digest

    # 3. the cards they name. Each is replayed from the nearest point known to hold all of
    #    its records before the new ones: the card as it is (every new record comes after all
    #    this store holds of it), else the card as the last sync left it (every new record --
    #    another device's, or an own one since -- comes after what that sync had), else, for a
    #    card no sync has seen, nothing; only a record older than what the last sync had of
    #    its card makes that card's whole history be read from every file.
    resolve = _resolver(store)
    last: dict[str, list] = state.setdefault("last", {})
    base: dict[str, list] = state.setdefault("base", {})
    """Per card: its view after every record up to its ``last`` order, as the last sync left it."""
    others = _by_key(new + recovered)
    mine = _by_key(own_entries)
    pending = set(state.get("pending", []))
    slow: set[str] = set()
    fast: dict[str, list[Entry]] = {}
    based: dict[str, tuple[View, list[Entry]]] = {}
    own_only: list[str] = []
    if fresh:
        slow = set(others) | set(mine)
    else:
        slow = set(_by_key(recovered))
        for key in sorted(set(others) | set(mine)):
            if key in slow:
                continue
            theirs, ours = others.get(key, []), mine.get(key, [])
            in_order = _in_order(last.get(key), ours)  # (a clock that went back breaks it)
            if in_order and not theirs:  # already applied here, by the grades themselves
                last[key] = list(max([e.order for e in ours] + ([tuple(last[key])] if key in last else [])))
                own_only.append(key)
                continue
            if in_order and key in last:
                upto = max([tuple(last[key])] + [e.order for e in ours])
                if can_continue(upto, theirs):
                    fast[key] = theirs
                    continue
            start = _start_of(key, base, last, pending)
            if start is not None and _all_after(start[0], theirs + ours):
                based[key] = (start[1], theirs + ours)
                continue
            slow.add(key)
    slow |= {k for k in pending if k not in fast and k not in based}
    views: dict[str, tuple[int, View]] = {}
    cards = {}
    for key in slow | set(fast) | set(based):
        card = resolve(key)
        if card is None:
            pending.add(key)
        else:
            pending.discard(key)
            cards[key] = card
    for key in own_only:
        card = resolve(key)
        if card is not None:
            base[key] = _view_list(_view_of(card))
        else:
            base.pop(key, None)
    if cards:
        scheduler = Scheduler(store.settings, fitted_parameters(store), fuzz=False)
        histories = _histories(folder, {k for k in cards if k not in fast and k not in based}, mem)
        for key, card in cards.items():
            if key in fast:
                entries = fast[key]
                view = replay(entries, scheduler, _view_of(card))
                entries = entries + mine.get(key, [])
            elif key in based:
                start_view, entries = based[key]
                view = replay(entries, scheduler, start_view)
            else:  # (own records this device's file lacks yet are not on disk: taken from here)
                entries = histories.get(key, []) + mine.get(key, [])
                view = replay(entries, scheduler)
            views[key] = (card.id, view)
            if entries:
                top = ORDER(max(entries, key=ORDER))
                last[key] = list(max(top, tuple(last[key])) if key in last else top)
            if key in last:
                base[key] = _view_list(view)
    report.pending = len(pending)
    report.cards = len(views)

    batch, lines = _batch(new, now, report)
    for key, (cid, view) in sorted(views.items()):
        record = {
            "t": history.MERGED, "id": _new_id(), "key": key, "card": cid, "ts": iso(now),
            "state": view.state, "buried_until": view.buried_until, "suspended": view.suspended,
            "reason": view.reason,
        }
        batch.append(record)
        lines.append(json_bytes(record))
    state["pending"] = sorted(pending)
    report.exported = len(missing)
    return before, _Plan(report, state, missing, new, batch, lines, signature)


def _commit(store, cfg: dict, folder: Path, plan: _Plan, now) -> None:
    """Write a plan (the store's write lock held): own records this device's file lacks,
    the batch (one fsync), other devices' mock sessions, the sync state."""
    state = plan.state
    own_path = folder / f"{cfg['id']}{shared.SUFFIX}"
    if plan.missing:
        end = history.DeviceFile(own_path).append(plan.missing, durable=True)
        state["files"][own_path.name] = {"offset": end, "mark": _mark_of(own_path, end)}
    store.append_batch(plan.batch, plan.lines, apply=frozenset({history.MERGED}))
    _import_mocks(store, plan.new)
    state["exported"] = store.journal.size()
    state["exported_mark"] = _mark_of(store.journal.path, state["exported"])
    state["signature"] = plan.signature
    _save_state(store, state)
    plan.report.devices = state["devices"]


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


def _digest(doc: dict) -> str:
    data = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _local_mocks(store) -> dict[str, dict]:
    """This store's mock sessions by uid, as a device file carries them (without the local id)."""
    out = {}
    for doc in store.mocks():
        uid = doc.get("uid")
        if isinstance(uid, str):
            out[uid] = {k: v for k, v in doc.items() if k != "id"}
    return out


def _mock_doc(record: dict) -> dict | None:
    doc, uid = record.get("doc"), record.get("mock")
    return {**doc, "uid": uid} if isinstance(doc, dict) and isinstance(uid, str) else None


def _note_mocks(sent: dict, records: list[tuple[int, dict]], device: str) -> None:
    """The latest save of each mock session in *records* is in the folder (it is not sent again)."""
    latest: dict[str, tuple] = {}
    for seq, r in records:
        if r.get("t") == history.MOCK and _mock_doc(r) is not None:
            order = entry(r, device, seq).order
            if r["mock"] not in latest or order > latest[r["mock"]][0]:
                latest[r["mock"]] = (order, r)
    for uid, (_, r) in latest.items():
        sent[uid] = _digest(_mock_doc(r))


def _mocks_in_folder(folder: Path) -> dict[str, str]:
    """Digests of the latest save of every mock session in the folder's files. Once, for a sync
    state written before mock sessions were checked (every file is scanned for its mock lines)."""
    sent: dict[str, str] = {}
    for f in shared.list_files(folder):
        try:
            data = (folder / f.name).read_bytes()
        except OSError:
            continue
        records = []
        for start, raw in _candidate_lines(data[: data.rfind(b"\n") + 1], [b'"t":"mock"']):
            ok, record = schema.decode(raw)
            if ok and isinstance(record, dict):
                records.append((start, record))
        _note_mocks(sent, records, f.device)
    return sent


def unsent_mocks(store, state: dict, own_new: list[tuple[int, dict]], device: str) -> int:
    """How many of this store's mock sessions (or their latest saves) the folder lacks (*own_new*:
    the records of this device's file since the last sync)."""
    if not isinstance(state.get("mocks"), dict):
        return 0  # a state from before mock sessions were checked: the next sync tells
    sent = dict(state["mocks"])
    _note_mocks(sent, own_new, device)
    return sum(1 for uid, doc in _local_mocks(store).items() if sent.get(uid) != _digest(doc))


def _mock_record(uid: str, doc: dict) -> dict:
    """The device-file record of a mock session (as ``Store.save_mock`` writes it)."""
    return {"t": history.MOCK, "id": _new_id(), "mock": uid, "ts": str(doc.get("ended") or doc.get("started") or ""),
            "doc": doc}


def _view_of(card) -> View:
    return View(card.state, card.buried_until, card.suspended, card.suspend_reason)


def _view_list(view: View) -> list:
    return [view.state, view.buried_until, view.suspended, view.reason]


def _start_of(key: str, base: dict, last: dict, pending: set) -> tuple[tuple | None, View] | None:
    """(order, view) a card's new records can be replayed on: its view at the last sync, or,
    for a card no sync has seen (nor is waiting for), nothing before them. None: unknown."""
    saved, order = base.get(key), last.get(key)
    if isinstance(saved, list) and len(saved) == 4 and isinstance(order, list):
        state, buried, suspended, reason = saved
        if state is None or schema.valid_state(state):
            return tuple(order), View(state, buried if isinstance(buried, str) else None, suspended is True,
                                      reason if isinstance(reason, str) else None)
    if key not in last and key not in pending:
        return None, View()
    return None


def _all_after(order: tuple | None, entries: list[Entry]) -> bool:
    """Do *entries* all come after *order*, and does every undo among them name a review among
    them (an undo of an older review needs the history before it)?"""
    if order is not None and any(e.order <= order for e in entries):
        return False
    ids = {e.id for e in entries}
    return all(str(e.record.get("review")) in ids for e in entries if e.record.get("t") == "undo")


def _in_order(last: list | None, ours: list[Entry]) -> bool:
    """Did this device make its records of a card in time order (after all it merged of it)?"""
    top = tuple(last) if last else None
    for e in ours:
        if top is not None and e.order <= top:
            return False
        top = e.order
    return True


def _resolver(store):
    """key -> the local StoredCard (archived ones included) or None."""
    card_id_of = getattr(store, "card_id_of", None)
    if callable(card_id_of):
        def resolve(key: str):
            cid = card_id_of(key)
            return None if cid is None else store.card(cid)

        return resolve
    mapping = {c.key: c for c in store.cards(archived=True)}
    return mapping.get


def _fits(record: dict) -> bool:
    """Not of the wrong shape (drill.store.schema); a record type this drill does not know
    (from a newer one) passes, and is kept."""
    return schema.record_status(record) != schema.BAD


def _by_key(entries: list[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in entries:
        key = e.record.get("key")
        if isinstance(key, str) and e.record.get("t") in _KEYED:
            out.setdefault(key, []).append(e)
    return out


def _entries(got: shared.Read, device: str) -> list[Entry]:
    """The records of one read that fit their schema, as entries. A review line exactly as
    drill writes it (the stats' fast pattern, which only matches lines the store applies)
    needs no other check, and keeps its bytes for its copy."""
    out = []
    fast = REVIEW_LINE.match
    for (seq, record), line in zip(got.records, got.lines):
        if fast(line) is not None:
            out.append(entry(record, device, seq, line))
        elif _fits(record):
            out.append(entry(record, device, seq))
    return out


def _histories(folder: Path, keys: set[str], mem: dict[str, list[Entry]]) -> dict[str, list[Entry]]:
    """Every record naming one of *keys*, from every device's file and conflict copy (those
    read whole in this sync from memory, the others from disk)."""
    out: dict[str, list[Entry]] = {}
    if not keys:
        return out
    needles = [f'"key":"{k}"'.encode() for k in keys] if len(keys) <= 64 else None
    for f in shared.list_files(folder):
        entries = mem.get(f.name)
        if entries is None:
            try:
                data = (folder / f.name).read_bytes()
            except OSError:
                continue
            data = data[: data.rfind(b"\n") + 1]
            entries = []
            for start, raw in _candidate_lines(data, needles):
                ok, record = schema.decode(raw)
                if ok and isinstance(record, dict) and _fits(record):
                    entries.append(entry(record, f.device, start))
        for e in entries:
            key = e.record.get("key")
            if key in keys and e.record.get("t") in _KEYED:
                out.setdefault(key, []).append(e)
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


def local_copy(record: dict, device: str) -> dict:
    """Another device's record as the local journal keeps it: tagged with the device it came
    from (before ``state``, where the stats' fast reader expects it). Its ``card`` (the id in
    the store that wrote it) stays: a hint that ``Store.card_id_of`` never takes over the key."""
    out: dict = {}
    for k, v in record.items():
        if k == "dev":
            continue
        if k == "state":
            out["dev"] = device
        out[k] = v
    out.setdefault("dev", device)
    return out


_DEVICE_ID = re.compile(r"[0-9a-z]{1,32}")


def _copy_line(e: Entry) -> bytes:
    """The local journal's line for a copy of *e* (:func:`local_copy`): from the bytes read
    when it is a review line as drill writes it (no second encoding), else encoded."""
    line = e.line
    if line and b',"dev":' not in line and _DEVICE_ID.fullmatch(e.dev):
        state = line.find(b',"state":{')
        if state > 0:
            return b"".join((line[:state], b',"dev":"', e.dev.encode(), b'"', line[state:]))
    return json_bytes(local_copy(e.record, e.dev))


def _batch(new: list[Entry], now, report: SyncReport) -> tuple[list[dict], list[bytes]]:
    """The local copies of other devices' records (sorted by time) and the batch marker after
    them, with each one's encoded line."""
    copies = [e for e in new if e.record.get("t") in _COPIED]
    report.imported = len(copies)
    if not copies:
        return [], []
    copies.sort(key=ORDER)
    out = [e.record for e in copies]  # the journal gets the copies' lines; these are for the type only
    lines = [_copy_line(e) for e in copies]
    out.append({"t": history.BATCH, "id": _new_id(), "ts": iso(now), "bytes": sum(len(b) + 1 for b in lines),
                "oldest": copies[0].ts, "n": len(copies)})
    lines.append(json_bytes(out[-1]))
    return out, lines


def _import_mocks(store, new: list[Entry]) -> None:
    """Mock sessions from other devices (one per id; a later save of the same one replaces it)."""
    mocks = [e for e in new if e.record.get("t") == history.MOCK and isinstance(e.record.get("doc"), dict)]
    if not mocks:
        return
    latest: dict[str, Entry] = {}
    for e in sorted(mocks, key=ORDER):
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
    """What is in the folder and how far each file has been read (nothing is written).

    Reads only what came since the last sync: the other files' unread parts, this device's
    file's unread part and its own records in the local journal since then."""
    cfg = config(store)
    if cfg is None:
        raise NotSetUp("no history folder yet: `drill devices setup DIR` chooses one")
    folder = Path(cfg["dir"])
    state = _load_state(store, cfg)
    rows = []
    known = {dev: dict(info) for dev, info in state.get("devices", {}).items()}
    # This device's own records since the last sync are in the local journal (and, unless a
    # crash or a missing folder kept them from it, in its file): counted from there.
    exported = state.get("exported", 0)
    own = [r for _, r in history.own_records(store.journal.path, exported if isinstance(exported, int) else 0)]
    own_ids = {str(r.get("id")) for r in own}
    in_own_file: set[str] = set()
    own_new: list[tuple[int, dict]] = []
    foreign = 0
    own_name = f"{cfg['id']}{shared.SUFFIX}"
    for f in shared.list_files(folder):
        offset, mark = _at(state["files"].get(f.name))
        got = shared.read_new(folder / f.name, offset, mark)
        read = 0 if got.replaced else offset
        unread = len(got.records)
        if f.name == own_name:
            own_new = got.records
            in_own_file = {str(r.get("id")) for _, r in got.records}
            # what is not ours in our own file: a copy of this store elsewhere wrote it
            unread = foreign = sum(1 for _, r in got.records
                                   if r.get("t") in _COPIED and str(r.get("id")) not in own_ids)
            _note_device({"devices": known}, f.device, [r for _, r in got.records if r.get("t") == history.DEVICE])
        elif not f.copy:  # what is not merged yet still tells a device's name and last review
            _note_device({"devices": known}, f.device, [r for _, r in got.records])
        rows.append(FileStatus(f.name, f.device, f.copy, got.size, read, unread, got.torn))
    _note_device({"devices": known}, cfg["id"], own)
    return {
        "device": cfg["id"],
        "name": cfg.get("name", ""),
        "folder": str(folder),
        "folder_found": folder.is_dir(),
        "files": rows,
        "devices": known,
        "pending_cards": len(state.get("pending", [])),
        "own_since_sync": len(own),
        "not_in_folder": sum(1 for r in own if str(r.get("id")) not in in_own_file),
        "mocks_not_in_folder": unsent_mocks(store, state, own_new, cfg["id"]),
        "foreign": foreign,
    }
