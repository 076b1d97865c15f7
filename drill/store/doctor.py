"""Store repair: rebuild what can be rebuilt, from the journal, keeping the originals.

``drill doctor`` checks a store and, when something is wrong, repairs it:

1. **Base.** The TinyDB file if it reads; otherwise every card, deck, setting and
   registered folder that can still be decoded from it (a truncated or partly
   garbled file loses only the damaged entries), topped up with what the per-deck
   card files and the due index still hold (drill.store.index.recover: the cards,
   with their stable keys, and the small tables as of the last write), then with
   entries only an earlier backup (``drill.json.doctor-*`` / ``drill.json.corrupt-*``,
   last the copy an upgrade kept, ``drill.json.vN-backup``) still has; an empty
   store if nothing is left. A missing drill.json whose deck files are there is
   rebuilt the same way.
2. **Journal.** Every readable line is kept; unreadable lines and a torn last line
   (a writer killed mid-write) are dropped.
3. **Replay.** Every journal record, in order, onto the base cards (the same code
   that opens a store), each resolved to its card by stable key (``record_card``, the
   rule of ``Store.card_id_of``): whichever file a card came back from, its schedule
   comes back from the journal. A card whose state in the store file is newer than its
   last journal record (the journal lost its tail) keeps the store file's state.
4. **Write.** Only if anything changed: both original files are copied first to
   ``NAME.doctor-STAMP`` and ``NAME.journal.doctor-STAMP`` (mode 0600), then the
   new files replace them atomically, under the store's write lock.

Pure domain code: no Textual, no printing (see drill.commands.doctor).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from drill.store import index as due_index
from drill.store import schema
from drill.store.collection import SCHEMA_VERSION, Store, _apply_to_doc, _valid_layout, previous_path, record_card
from drill.store.keys import doc_key
from drill.store.filelock import FILE_MODE, StoreBusy, WriteLock, atomic_write_bytes, json_bytes

__all__ = ["DoctorReport", "doctor", "salvage"]

_ENTRY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*\{')
_KEEP_TABLES = ("sources", "mocks", "questions", "stories")


@dataclass
class DoctorReport:
    store: Path
    journal: Path
    dry_run: bool = False
    store_problem: str | None = None
    """Why the store file could not be used as it was (None: it read fine)."""
    base: str = "store file"
    """Where the cards came from: "store file", "salvaged", "salvaged + backup", "backup", "empty"."""
    cards: int = 0
    decks: int = 0
    salvaged_from: list[str] = field(default_factory=list)
    records: int = 0
    bad_lines: int = 0
    invalid_records: int = 0
    """Journal records that are JSON but not of their type's shape (drill.store.schema): removed."""
    invalid_documents: int = 0
    """Cards, decks and folder entries of the store file not of their shape: removed."""
    torn_tail: bool = False
    unknown_cards: int = 0
    """Journal records that name cards the repaired store does not have."""
    states_restored: int = 0
    """Cards whose scheduling state (or bury / suspension) the replay changed."""
    kept_newer: int = 0
    """Cards whose state in the store file is newer than anything the journal holds."""
    duplicates: int = 0
    """Active cards sharing a deck and question with another (reported, left alone)."""
    reimport: list[str] = field(default_factory=list)
    """Source files of recovered decks that lost every card with the damage: import them again."""
    backups: list[Path] = field(default_factory=list)
    changed: bool = False
    """Whether a repair was (or, with dry_run, would be) written."""

    def to_json(self) -> dict:
        out = {k: v for k, v in self.__dict__.items()}
        out["store"] = str(self.store)
        out["journal"] = str(self.journal)
        out["backups"] = [str(b) for b in self.backups]
        return out


# ---------------------------------------------------------------------------- salvage
def salvage(raw: bytes) -> dict:
    """Every table entry that still decodes from a damaged store file.

    Cards must look like cards (deck, path, answer) and decks like decks (name);
    the settings, registered folders and mock interviews are kept when their
    whole table decodes.
    """
    text = raw.decode("utf-8", "replace")
    decoder = json.JSONDecoder()
    data: dict = {"decks": {}, "cards": {}, "meta": {}}
    pos = 0
    while True:
        match = _ENTRY.search(text, pos)
        if match is None:
            break
        key = match.group(1)
        start = match.end() - 1
        try:
            value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            pos = match.start() + 1
            continue
        if key.isdigit() and _is_card(value):
            data["cards"].setdefault(key, value)
        elif key.isdigit() and _is_deck(value):
            data["decks"].setdefault(key, value)
        elif key == "meta" and isinstance(value.get("1"), dict):
            data["meta"]["1"] = value["1"]
        elif key in _KEEP_TABLES and all(isinstance(v, dict) for v in value.values()):
            data[key] = value
        else:  # a table header or something unknown: look inside it
            pos = start + 1
            continue
        pos = end
    return data


def _is_card(doc: object) -> bool:
    return schema.valid_card(doc)


def _is_deck(doc: object) -> bool:
    return schema.valid_deck(doc) and "answer" not in doc


def _read_base(path: Path, report: DoctorReport) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        report.store_problem = exc.strerror or str(exc)
        raw = None
    data = None
    if raw is not None:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            report.store_problem = f"not valid JSON: {exc}"
        except RecursionError:
            report.store_problem = "not valid JSON: nested too deeply"
        else:
            if not _valid_layout(data):
                report.store_problem = "not a drill store (unexpected layout)"
                data = None
    lost_files: list[str] = []
    if data is not None:
        aside = data.pop("set_aside_cards", None)
        if isinstance(data.get("due_index"), dict) and "cards" not in data:
            data["cards"], lost_files = _named_cards(path, data.pop("due_index"))
        data.pop("due_index", None)
        report.invalid_documents = schema.count(schema.quarantine(data))  # dropped from the repair
        report.invalid_documents += len(aside) if isinstance(aside, dict) else 0
        if not lost_files:
            return data
        report.store_problem = "deck file unreadable: " + ", ".join(lost_files)
    derived = due_index.recover(path)
    if raw is None and report.store_problem is None:
        if not derived[1]:
            report.base = "empty"  # no store file: only a journal, say after a restore
            return {}
        report.store_problem = "missing"  # but its deck files are there
    if data is None:
        data = salvage(raw or b"")
    for table in ("decks", "cards", "meta"):
        data.setdefault(table, {})
    report.base = "salvaged" if data["cards"] or data["decks"] else "empty"
    if report.base == "salvaged":
        report.salvaged_from.append(str(path))
    # The deck files and the due index hold the cards (with their stable keys) and the small
    # tables as of the last write, or the one before: newer than any backup. The journal is
    # then replayed onto them by key, so no schedule is lost.
    small, cards, files = derived
    if cards or small:
        candidate = {**{t: rows for t, rows in small.items() if isinstance(rows, dict)}, "cards": cards}
        candidate.setdefault("decks", {})
        schema.quarantine(candidate)
        added = _merge(data, candidate)
        if added or (not data["meta"].get("1") and small.get("meta")):
            report.salvaged_from.extend(str(f) for f in _shown_files(files))
            report.base = "backup" if report.base == "empty" else "salvaged + backup"
    for backup in _backups(path):
        try:
            older = backup.read_bytes()
        except OSError:
            continue
        try:
            candidate = json.loads(older)
            if not _valid_layout(candidate):
                raise ValueError
            if isinstance(candidate.get("due_index"), dict) and "cards" not in candidate:
                candidate["cards"] = _named_cards(path, candidate.pop("due_index"))[0]
            schema.quarantine(candidate)
        except (ValueError, UnicodeDecodeError, RecursionError):
            candidate = salvage(older)
        added = _merge(data, candidate)
        if added:
            report.salvaged_from.append(str(backup))
            report.base = "backup" if report.base == "empty" else "salvaged + backup"
    _decks_of_orphans(data)
    return data


def _decks_of_orphans(data: dict) -> None:
    """A deck for cards whose deck document was lost with drill.json and every copy of it:
    its name and files from the cards (description, tags, limit and group are gone)."""
    names = {d.get("name") for d in data["decks"].values()}
    orphans: dict[str, list[dict]] = {}
    for doc in data["cards"].values():
        if doc["deck"] not in names:
            orphans.setdefault(doc["deck"], []).append(doc)
    next_id = 1 + max((int(k) for k in data["decks"] if k.isdigit()), default=0)
    for name, docs in sorted(orphans.items()):
        sources = sorted({d.get("source", "") for d in docs if d.get("source")})
        data["decks"][str(next_id)] = {"name": name, "description": "", "tags": [], "time_limit": None,
                                       "sources": sources, "group": "",
                                       "archived": all(d.get("archived") for d in docs)}
        next_id += 1


def _named_cards(path: Path, due: dict) -> tuple[dict, list[str]]:
    """The cards of the deck files a schema 4 drill.json's due index names, and the names
    of those that are gone or do not read whole."""
    cards: dict = {}
    lost: list[str] = []
    for deck in due.values():
        name = deck.get("file") if isinstance(deck, dict) else None
        if not isinstance(name, str) or "/" in name:
            continue
        try:
            cards.update(due_index.read_deck(path, name))
        except (OSError, ValueError, RecursionError):
            lost.append(name)
    return cards, lost


def _has_deck_files(path: Path) -> bool:
    """Deck files of the store at *path* exist (its drill.json may be gone)."""
    try:
        return any(due_index.decks_dir(path).glob("*.json"))
    except OSError:
        return False


def _backups(path: Path) -> list[Path]:
    """Earlier copies of the store file, newest first (the copy an upgrade kept, ``vN-backup``,
    is older than any of them: it comes last)."""
    found = [p for pattern in (f"{path.name}.doctor-*", f"{path.name}.corrupt-*") for p in path.parent.glob(pattern)]
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    upgrades = sorted(path.parent.glob(f"{path.name}.v[0-9]-backup"), reverse=True)
    previous = [p for p in (previous_path(path),) if p.exists()]  # the drill.json before the last write
    return previous + found + upgrades


def _shown_files(files: list[Path]) -> list[Path]:
    """The derived files a repair read, as the report names them: the index, and the deck
    folder once rather than every deck file."""
    out: list[Path] = []
    for f in files:
        shown = f.parent if f.parent.name.endswith(".decks") else f
        if shown not in out:
            out.append(shown)
    return out


def _merge(data: dict, older: dict) -> int:
    """Fill in entries *data* lacks from *older*; returns how many cards and decks came from it."""
    added = 0
    for table in ("cards", "decks"):
        names = {d.get("name") for d in data[table].values()} if table == "decks" else None
        for key, doc in older.get(table, {}).items():
            if key in data[table] or (names is not None and doc.get("name") in names):
                continue
            if (table == "cards" and _is_card(doc)) or (table == "decks" and _is_deck(doc)):
                data[table][key] = doc
                added += 1
    if not data["meta"].get("1") and isinstance(older.get("meta", {}).get("1"), dict):
        data["meta"]["1"] = older["meta"]["1"]
    for table in _KEEP_TABLES:
        if table not in data and isinstance(older.get(table), dict):
            data[table] = older[table]
    return added


# ---------------------------------------------------------------------------- journal
def _clean_journal(path: Path, report: DoctorReport) -> tuple[bytes, list[dict], bool]:
    """(the readable lines as bytes, their records, whether anything was dropped)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return b"", [], False
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:  # no newline at the end: a torn, never acknowledged record
        lines.pop()
        report.torn_tail = True
    kept, records = [], []
    for line in lines:
        if not line.strip():
            continue
        ok, record = schema.decode(line)
        if not ok or not isinstance(record, dict):
            report.bad_lines += 1
        elif schema.record_status(record) == schema.BAD:
            report.invalid_records += 1
        else:
            kept.append(line)
            if schema.record_status(record) == schema.OK:
                records.append(record)  # unknown types are kept in the journal, not replayed
    report.records = len(records)
    clean = b"".join(line + b"\n" for line in kept)
    return clean, records, clean != raw


# ---------------------------------------------------------------------------- repair
def doctor(path: str | os.PathLike, *, dry_run: bool = False, lock_timeout: float = 5.0) -> DoctorReport:
    """Check the store at *path* and repair it (unless *dry_run*). See the module doc."""
    path = Path(path).expanduser().resolve()
    journal = path.with_name(path.name + ".journal")
    report = DoctorReport(store=path, journal=journal, dry_run=dry_run)
    if not path.exists() and not journal.exists() and not _has_deck_files(path):
        return report
    lock = WriteLock(path.with_name(path.name + ".lock"), lock_timeout)
    try:
        try:
            held = lock.held()
            held.__enter__()
        except StoreBusy:
            raise
        except OSError:
            if not dry_run:
                raise
            held = None  # a dry run only reads: it works where no lock file can be made (a full disk)
        try:
            _doctor_locked(path, journal, report)
        finally:
            if held is not None:
                held.__exit__(None, None, None)
    finally:
        lock.close()
    if report.changed and not dry_run:
        _reindex(path)
    return report


def _reindex(path: Path) -> None:
    """After a repair, the derived files (due index, deck files, stats roll-up) describe
    the old drill.json and journal: readers would ignore them and load drill.json whole
    until the next write. Build them for the repaired store now."""
    from drill.store.collection import StoreCorrupt

    try:
        store = Store(path)
    except (StoreCorrupt, StoreBusy, OSError):
        return
    try:
        store.compact(wait=1.0)
    finally:
        store.close(compact=False)


def _doctor_locked(path: Path, journal: Path, report: DoctorReport) -> None:
    base = _read_base(path, report)
    clean_journal, records, journal_changed = _clean_journal(journal, report)
    base_states = {k: _sched(doc) for k, doc in base.get("cards", {}).items()}
    card_of = _resolver(base.get("cards", {}))
    last_ts: dict[str, str] = {}
    for record in records:
        key = card_of(record)
        if key is not None:
            last_ts[key] = max(last_ts.get(key, ""), str(record.get("ts", "")))
    report.unknown_cards = sum(1 for r in records if card_of(r) is None)
    reference = base_states
    if report.store_problem is None and path.exists():
        # What opening the store gives today (file + journal tail): the baseline a
        # repair is measured against, so a healthy store is left alone.
        current = Store(path)
        reference = {k: _sched(doc) for k, doc in current._raw_cards().items()}
        current.close(compact=False)

    # The replay is in memory: a dry run writes nothing (it works on a full disk).
    # Replay with the code that opens a store applies records with: base + whole journal.
    for table in ("decks", "cards", "meta"):
        base.setdefault(table, {})
    meta = base["meta"].setdefault("1", {})
    meta.setdefault("schema", SCHEMA_VERSION)
    meta.pop("journal_swap", None)  # the whole journal is replayed below, as it is now
    meta["next_card_id"] = max(
        meta.get("next_card_id", 1) if isinstance(meta.get("next_card_id"), int) else 1,
        1 + max((int(k) for k in base.get("cards", {})), default=0),
    )
    cards = base["cards"]
    for record in records:
        doc = cards.get(card_of(record) or "")
        if doc is not None:
            _apply_to_doc(doc, record)
    for key, doc in cards.items():
        before = base_states.get(key)
        state = before[0] if before else None
        if (
            key in last_ts
            and isinstance(state, dict)
            and str(state.get("last_review") or "") > last_ts[key]
            and doc.get("state") != state
        ):
            doc["state"] = state  # the store file knows a later review than the journal
            report.kept_newer += 1
        if _sched(doc) != reference.get(key):
            report.states_restored += 1
    meta["journal_offset"] = len(clean_journal)  # the journal is folded in
    report.cards = sum(1 for d in cards.values() if not d.get("archived"))
    report.decks = sum(1 for d in base.get("decks", {}).values() if not d.get("archived"))
    if report.store_problem:
        alive = {doc["deck"] for doc in cards.values() if not doc.get("archived")}
        report.reimport = sorted(
            {src for d in base.get("decks", {}).values() if d.get("name") not in alive and not d.get("archived")
             for src in d.get("sources", []) if isinstance(src, str)}
        )
    seen: set = set()
    for doc in cards.values():
        if not doc.get("archived"):
            ident = (doc["deck"], tuple(doc["path"]), doc.get("prompt") or "", json.dumps(doc.get("cloze")))
            report.duplicates += ident in seen
            seen.add(ident)
    report.changed = bool(
        report.store_problem or journal_changed or report.states_restored or report.invalid_documents
    )
    if report.dry_run or not report.changed:
        return
    new_store = json_bytes(base)
    stamp = _stamp(path)
    for original, name in ((path, f"{path.name}.doctor-{stamp}"), (journal, f"{journal.name}.doctor-{stamp}")):
        if original.exists():
            backup = original.with_name(name)
            shutil.copy2(original, backup)
            os.chmod(backup, FILE_MODE)
            report.backups.append(backup)
    if journal_changed:
        atomic_write_bytes(journal, clean_journal)
    atomic_write_bytes(path, new_store)


def _resolver(cards: dict[str, dict]):
    """record -> the key of its card in *cards* (a str id), by the rule of ``Store.card_id_of``.
    Cards without a stable key (a salvaged older store) get theirs first, as an open would."""
    missing = sorted((k for k, doc in cards.items() if "key" not in doc), key=int)
    ids_by_key = {doc["key"]: int(k) for k, doc in cards.items() if "key" in doc}
    for k in missing:
        key = cards[k]["key"] = doc_key(ids_by_key, cards[k])
        ids_by_key[key] = int(k)

    def card_of(record: dict) -> str | None:
        cid = record_card(record, ids_by_key, lambda c: str(c) in cards)
        return None if cid is None else str(cid)

    return card_of


def _sched(doc: dict) -> tuple:
    """What the journal decides about a card."""
    return (doc.get("state"), doc.get("buried_until"), bool(doc.get("suspended")), doc.get("suspend_reason"))


def _stamp(path: Path) -> str:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    n = 0
    candidate = stamp
    while path.with_name(f"{path.name}.doctor-{candidate}").exists() or path.with_name(
        f"{path.name}.journal.doctor-{candidate}"
    ).exists():
        n += 1
        candidate = f"{stamp}-{n}"
    return candidate
