"""The store: decks and cards in TinyDB files, reviews in an fsync'd journal.

Layout for a store at ``drill.json`` (schema 4):

* ``drill.json.decks/`` -- one TinyDB file per deck (``{"cards": {id: doc}}``), named by
  its deck, a checksum of its content and its length: written (fsync'd) once, never
  changed, so a commit writes only the decks it touched (drill.store.index);
* ``drill.json`` -- the manifest, a TinyDB database of the small tables (``decks``,
  ``meta``, ``sources``, ``mocks``, ...) plus the ``due_index`` table: per deck, the name
  of its file and columns of card ids, keys, due times and states. It is written last,
  by an atomic rename, with the next ``generation`` number in its meta; files it no
  longer names are removed only after that, so a kill -9 anywhere leaves the old
  drill.json with all its files, or the new one with all of its own;
* ``drill.json.prev`` -- the drill.json before the last commit (a hard link), for
  ``drill doctor``: the small tables have no other copy;
* ``drill.json.journal`` -- one JSON line per grade / undo / bury, appended and
  fsync'd before the UI moves on (the source of truth for scheduling state); records
  name their card by stable key (drill.store.keys, :meth:`Store.card_id_of`);
* ``drill.json.lock`` -- ``flock``'d by whichever process is writing.

Opening reads drill.json alone and replays the journal from the offset it records onto
the due index; a card's file is read when the card is first asked for. A grade costs
one journal append; the files are rewritten only by imports and by compaction, which
folds the journal tail into them. A store of an older layout (cards inside drill.json)
is upgraded when first opened.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from tinydb import TinyDB
from tinydb.storages import Storage

from drill.parse.cards import KIND_QUESTIONS, PATH_SEPARATOR, ParsedDeck
from drill.store.filelock import (
    StoreBusy, WriteLock, atomic_write_bytes, ensure_dir, fsync_dir, json_bytes, restrict_path_mode,
)
from drill.store import history
from drill.store import index as due_index
from drill.store import schema
from drill.store.journal import Journal
from drill.store.keys import doc_key, fresh_key
from drill.store.merge import ImportCounts, new_card_doc, plan_merge
from drill.store.rollup import is_saved as rollup_saved
from drill.store.rollup import rollup_path
from drill.store.rollup import save as save_rollup
from drill.store.paths import ENV_DB
from drill.store.settings import Settings

SCHEMA_VERSION = 4

#: Meta key (Store.extra) set once a deck was removed (drill.library.removal): a store
#: emptied that way has been used, and the first-run sample decks must not come back.
DECKS_REMOVED = "decks_removed"
"""1: drill.json alone (with its journal). 2: the same drill.json, plus the due index, the
per-deck card files and the stats roll-up derived from it (drill.store.index, .rollup).
3: every card has a stable ``key`` (drill.store.keys) and journal records name their card
by it (``"key"``, the local id ``"card"`` kept beside it as a hint) and carry an ``"id"``.
4: card documents live only in the per-deck files (drill.json.decks/); drill.json keeps the
small tables and the due index naming those files (drill.store.index.write_decks).
A store of an older schema is upgraded when it is first opened (:meth:`Store._upgrade`)."""
LOAD_RETRIES = 3
"""Times a whole load re-reads drill.json when a deck file it names is gone (a writer
committed and removed it between the two reads) before calling the store damaged."""
COMPACT_AFTER_BYTES = 1 << 20

__all__ = ["Store", "StoreBusy", "StoreCorrupt", "StoredCard", "DeckRecord"]


class StoreCorrupt(Exception):
    """The store file cannot be read; a copy of it has been kept."""

    def __init__(self, path: Path, reason: str, backup: Path | None, *, hint: str | None = None) -> None:
        kept = f"; a copy was kept at {backup}" if backup else ""
        hint = hint or "`drill doctor` recovers what it can from it and the journal"
        super().__init__(f"{path}: store file is unreadable ({reason}){kept}; {hint}")
        self.path = path
        self.reason = reason
        self.backup = backup


@dataclass(frozen=True)
class StoredCard:
    id: int
    deck: str
    path: tuple[str, ...]
    answer: str
    source: str
    line: int
    archived: bool
    state: dict | None
    buried_until: str | None
    suspended: bool = False
    suspend_reason: str | None = None
    """Why it is suspended: "leech" for cards suspended by lapsing too often."""
    kind: str = "basic"
    """"basic" or "cloze" (see drill.cloze)."""
    prompt: str = ""
    """The question as shown when it is not the path (``prompt:`` template, reverse card)."""
    cloze: tuple[int, str] | None = None
    """Cloze cards: (offset of the blank in the question, the hidden text)."""
    tags: tuple[str, ...] = ()
    """Tags written on the card in its file (Obsidian ``#flashcards/...``)."""
    key: str | None = None
    """The card's stable key (drill.store.keys), given when it was created: equal in every
    store that imported the same notes, and what journal records name it by."""

    @property
    def question(self) -> str:
        return self.prompt or PATH_SEPARATOR.join(self.path)

    @property
    def is_new(self) -> bool:
        return self.state is None


@dataclass(frozen=True)
class DeckRecord:
    name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    time_limit: int | None = None
    sources: tuple[str, ...] = ()
    group: str = ""
    """Folder below a registered source, e.g. "interview › behavioural"; "" at the top."""
    competencies: tuple[str, ...] = ()
    """Frontmatter ``competencies:``: what the deck's stories answer, as written."""


class _SnapshotStorage(Storage):
    """TinyDB storage over the in-memory snapshot; the Store persists it atomically."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def read(self) -> dict:
        return self.data

    def write(self, data: dict) -> None:
        self.data = data


def _valid_layout(data: object) -> bool:
    """The layout of a drill store: tables of documents, card ids, meta counters.

    Each document's own shape is checked by drill.store.schema (a bad one is set aside,
    not a reason to refuse the whole file)."""
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        return False
    try:
        for key in data.get("cards", {}):
            int(key)
        meta = data.get("meta", {}).get("1", {})
        if not isinstance(meta, dict):
            return False
        return all(isinstance(meta.get(k, 0), int) for k in ("journal_offset", "next_card_id"))
    except (KeyError, TypeError, ValueError):
        return False


def _apply_to_doc(card: dict, record: dict) -> None:
    """One journal record (review, undo, bury, suspend, unsuspend) on a card's document."""
    kind = record.get("t")
    if kind == "review" and record.get("state") is None:
        return  # a review that carries no state (a log-only record) changes no schedule
    if kind in ("review", "undo"):
        card["state"] = record.get("state")
        if kind == "undo":
            card["buried_until"] = None
    elif kind == "bury":
        card["buried_until"] = record.get("until")
    elif kind == "suspend":
        card["suspended"] = True
        card["suspend_reason"] = record.get("reason")
    elif kind == "unsuspend":
        card.pop("suspended", None)
        card.pop("suspend_reason", None)
    elif kind == history.MERGED:  # every device's history replayed (drill.devices.replay)
        card["state"] = record.get("state")
        card["buried_until"] = record.get("buried_until")
        if record.get("suspended"):
            card["suspended"] = True
            card["suspend_reason"] = record.get("reason")
        else:
            card.pop("suspended", None)
            card.pop("suspend_reason", None)


def _set_columns_state(cols: dict, pos: int, state: object) -> None:
    """A card's scheduling state (or None: new again) into its deck's due-index columns."""
    if isinstance(state, dict):
        cols["kind"][pos], cols["due"][pos], cols["lapses"][pos] = (
            state.get("state", 2), state.get("due"), state.get("lapses", 0))
    else:
        cols["kind"][pos], cols["due"][pos], cols["lapses"][pos] = due_index.NEW, None, 0


def _set_columns_suspended(cols: dict, pos: int, suspended: bool, reason: object) -> None:
    """A card's suspension (and why) into its deck's due-index columns."""
    if suspended:
        cols["flags"][pos] |= due_index.SUSPENDED
        cols["reasons"][str(pos)] = reason
    else:
        cols["flags"][pos] &= ~due_index.SUSPENDED
        cols["reasons"].pop(str(pos), None)


def previous_path(store_path: Path) -> Path:
    """The drill.json before the last commit (see :meth:`Store._keep_previous`)."""
    return store_path.with_name(store_path.name + ".prev")


def record_card(ref: dict | str | None, ids_by_key: dict[str, int], known_id) -> int | None:
    """The rule of :meth:`Store.card_id_of` over plain maps (``drill doctor`` replays onto a
    store it has not opened): by ``"key"`` in *ids_by_key*; a record without a key by its
    ``"card"`` when ``known_id(card)``."""
    if not isinstance(ref, dict):
        return ids_by_key.get(ref) if isinstance(ref, str) else None
    key = ref.get("key")
    if key is not None:
        return ids_by_key.get(key) if isinstance(key, str) else None
    cid = ref.get("card")
    if not isinstance(cid, int) or isinstance(cid, bool) or known_id is None or not known_id(cid):
        return None
    return cid


def _upgraded_record(line: bytes, offset: int, keys: dict[int, str]) -> bytes:
    """One journal line of an older schema as schema 3 writes it (unchanged when it needs
    nothing or is not a record): ``"key"`` before ``"card"``, an ``"id"`` after ``"t"``
    (derived from the line and its place, so two copies of one store upgrade alike)."""
    ok, record = schema.decode(line)
    if not ok or not isinstance(record, dict) or not isinstance(record.get("t"), str):
        return line
    cid, sibling = record.get("card"), record.get("sibling")
    key = keys.get(cid) if isinstance(cid, int) and "key" not in record else None
    sibling_key = keys.get(sibling) if isinstance(sibling, int) and "sibling_key" not in record else None
    if key is None and sibling_key is None and "id" in record:
        return line
    import hashlib

    out: dict = {}
    for name, value in record.items():
        if name == "card" and key is not None:
            out["key"] = key
        out[name] = value
        if name == "t" and "id" not in record:
            out["id"] = "u" + hashlib.blake2b(b"%d:" % offset + line, digest_size=8).hexdigest()[:15]
        if name == "sibling" and sibling_key is not None:
            out["sibling_key"] = sibling_key
    return json_bytes(out)


def _rewrite_journal(journal: Path, target: Path, keys: dict[int, str], folded: int) -> int:
    """Write *journal* upgraded (:func:`_upgraded_record`) to *target*, fsync'd, streaming;
    return where offset *folded* of the old journal is in the new one. A torn last line
    is copied as it is (the next append cuts it off, as before)."""
    mapped = None
    pos = new = 0
    with open(target, "wb") as out:
        os.chmod(target, 0o600)
        try:
            src = open(journal, "rb")
        except FileNotFoundError:
            src = None
        if src is not None:
            with src:
                for line in src:
                    if pos == folded:
                        mapped = new
                    if line.endswith(b"\n"):
                        data = _upgraded_record(line[:-1], pos, keys) + b"\n"
                    else:
                        data = line
                    out.write(data)
                    pos += len(line)
                    new += len(data)
        out.flush()
        os.fsync(out.fileno())
    if mapped is None:
        mapped = new if folded >= pos else 0  # past the end (or mid-line): replay the rest from the start
    return mapped


def _valid_due_index(cols: object) -> bool:
    """drill.json's ``due_index`` table: per deck, its file and parallel columns."""
    if not isinstance(cols, dict):
        return False
    names = ("ids", "keys", "due", "kind", "lapses", "flags", "bury", "src", "line")
    for deck in cols.values():
        if not isinstance(deck, dict) or not isinstance(deck.get("file"), str):
            return False
        lists = [deck.get(n) for n in names]
        if not all(isinstance(v, list) for v in lists) or len({len(v) for v in lists}) != 1:
            return False
        if not isinstance(deck.get("sources"), list) or not isinstance(deck.get("reasons"), dict):
            return False
    return True


def _cloze_field(value: object) -> tuple[int, str] | None:
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return (value[0], value[1])
    return None


class Store:
    """One drill store. Not thread-safe; one instance per process is the norm."""

    def __init__(self, path: str | os.PathLike, *, lock_timeout: float = 5.0) -> None:
        self.path = Path(path).expanduser().resolve()
        self.journal = Journal(self.path.with_name(self.path.name + ".journal"))
        self.lock = WriteLock(self.path.with_name(self.path.name + ".lock"), lock_timeout)
        self.bad_journal_lines = 0
        """Journal lines skipped since opening: unreadable, or records of the wrong shape."""
        self.bad_documents = 0
        """Store documents (cards, decks, folder entries) of the wrong shape, set aside."""
        self._quarantined: dict[str, dict] = {}
        self._load()

    # ------------------------------------------------------------------ loading
    def _load(self) -> None:
        """Open from drill.json's due index: no card is loaded until asked for, deck by deck.
        A store of an older layout (cards inside drill.json) is loaded whole (and upgraded)."""
        self._cols = None
        data, signature = self._read_file()
        if signature is None or "cards" in data or not isinstance(data.get("due_index"), dict):
            return self._load_full(data, signature)
        cols = data.pop("due_index")
        if not _valid_due_index(cols):
            raise StoreCorrupt(self.path, "its due index is damaged", self._backup())
        data.pop("set_aside_cards", None)
        self._quarantined = schema.quarantine(data)
        self.bad_documents = schema.count(self._quarantined)
        for table in ("decks", "meta"):
            data.setdefault(table, {})
        self._signature = signature
        self._db = TinyDB(data, storage=_SnapshotStorage)
        self._data = data
        self._cols = cols
        self._where_map: dict[int, tuple[str, int]] | None = None  # built on first use (see _where)
        self._bodies: dict[str, dict[str, dict]] = {}
        self._pending: dict[int, list[dict]] = {}
        self._key_ids: dict[str, int] | None = None
        meta = data["meta"].setdefault("1", {})
        if meta.get("schema", 1) < SCHEMA_VERSION or meta.get("journal_swap"):
            return self._load_full()  # an upgrade to finish
        meta.setdefault("journal_offset", 0)
        if "next_card_id" not in meta:
            meta["next_card_id"] = 1 + max((max(c["ids"], default=0) for c in self._cols.values()), default=0)
        self._applied = meta["journal_offset"]
        self._by_deck = None
        self._catch_up()

    @property
    def _where(self) -> dict[int, tuple[str, int]]:
        """Card id -> (deck, slot in its due-index arrays), index mode only. Built when a card
        is first looked up by id: listings (`drill decks`, stats) never need it."""
        where = self._where_map
        if where is None:
            where = self._where_map = {
                cid: (deck, pos) for deck, cols in self._cols.items() for pos, cid in enumerate(cols["ids"])}
        return where

    def _load_full(self, data: dict | None = None, signature: tuple | None = None) -> None:
        self._read_whole(data, signature)
        if self._needs_upgrade():
            try:
                with self.lock.held():
                    self._read_whole()  # as it is now that we hold the lock: another process may have upgraded it
                    if self._needs_upgrade():
                        self._upgrade()
            except (StoreBusy, OSError):
                pass  # a read-only disk, or busy: upgraded by the next writer; records still resolve by id
        self._catch_up()

    def _needs_upgrade(self) -> bool:
        return self._signature is not None and (
            self._data["meta"]["1"].get("schema", 1) < SCHEMA_VERSION or self._old_layout)

    def _read_whole(self, data: dict | None = None, signature: tuple | None = None) -> None:
        """drill.json and every deck file it names into memory (every card without a key gets
        one, in memory). *data*: drill.json as just read (with its *signature*)."""
        self._cols = None
        self._key_ids = None
        for attempt in range(LOAD_RETRIES):
            if data is None or attempt:
                data, signature = self._read_file()
            self._signature = signature
            self._old_layout = signature is not None and not isinstance(data.get("due_index"), dict)
            if signature is None or self._old_layout:
                break
            try:
                data = self._with_cards(data)
                break
            except (OSError, ValueError) as exc:
                problem = exc
        else:
            raise StoreCorrupt(self.path, f"a deck file it names cannot be read ({problem})", None)
        # Documents of the wrong shape are set aside (not used, counted, written back
        # as they were); only `drill doctor` removes them.
        aside = data.pop("set_aside_cards", None)
        self._quarantined = schema.quarantine(data)
        if isinstance(aside, dict) and aside:
            self._quarantined["cards"] = {**aside, **self._quarantined.get("cards", {})}
        self.bad_documents = schema.count(self._quarantined)
        for table in ("decks", "cards", "meta"):
            data.setdefault(table, {})
        self._db = TinyDB(data, storage=_SnapshotStorage)
        self._data = data
        meta = data["meta"].setdefault("1", {})
        meta.setdefault("schema", 1 if self._signature is not None else SCHEMA_VERSION)
        meta.setdefault("journal_offset", 0)
        if "next_card_id" not in meta:  # not setdefault: that would scan every card on every open
            meta["next_card_id"] = 1 + max((int(k) for k in data["cards"]), default=0)
        if meta.get("journal_swap"):
            self._finish_journal_swap(meta)
        self._applied = meta["journal_offset"]
        self._by_deck: dict[str, list[int]] | None = None
        missing = [k for k, doc in data["cards"].items() if "key" not in doc]
        if missing:
            taken = self._key_map()
            for k in sorted(missing, key=int):  # in id order: the same keys in every store with these cards
                key = data["cards"][k]["key"] = doc_key(taken, data["cards"][k])
                taken[key] = int(k)

    def _with_cards(self, data: dict) -> dict:
        """drill.json of the schema 4 layout with its ``cards`` table put back together from
        the deck files its due index names. OSError/ValueError if one is gone or cut short."""
        cols = data.pop("due_index")
        if not _valid_due_index(cols):
            raise ValueError("its due index is damaged")
        cards: dict[str, dict] = {}
        for deck in cols.values():
            cards.update(due_index.read_deck(self.path, deck["file"]))
        aside = data.get("set_aside_cards")
        data["cards"] = cards
        if isinstance(aside, dict):
            data["set_aside_cards"] = aside
        return data

    # ------------------------------------------------------------------ upgrading
    def _upgrade(self) -> None:
        """Upgrade a store of an older schema (held lock, drill.json loaded whole, every card
        given its key in memory): the journal is rewritten so each record names its card by
        key and has an id. The old files are kept as ``drill.json.vN-backup`` and
        ``drill.json.journal.vN-backup`` (hard links: no copy).

        Order, so that a kill -9 anywhere leaves the old store or the new one: the new journal
        is written beside the old one and fsync'd; the backups are linked; drill.json is
        committed naming the new journal (``journal_swap``) with the folded offset as it is in
        the new journal; then the new journal is renamed over the old. An open that finds
        ``journal_swap`` and the file still there finishes the rename first."""
        meta = self._data["meta"]["1"]
        old = meta.get("schema", 1)
        journal = self.journal.path
        folded = meta["journal_offset"]
        rewrite = old < 3  # before schema 3, records named cards by local id only
        originals = [self.path, journal] if rewrite else [self.path]
        if old < SCHEMA_VERSION:
            for original in originals:
                backup = original.with_name(f"{original.name}.v{old}-backup")
                if original.exists() and not backup.exists():
                    try:
                        os.link(original, backup)
                    except OSError:
                        shutil.copy2(original, backup)
                    os.chmod(backup, 0o600)
        mapped = folded
        if rewrite:
            swap = journal.with_name(journal.name + f".v{SCHEMA_VERSION}-upgrade")
            keys = {int(k): doc["key"] for k, doc in self._data["cards"].items()}
            mapped = _rewrite_journal(journal, swap, keys, folded)
            meta["journal_swap"] = swap.name
        meta["schema"] = SCHEMA_VERSION
        meta["journal_offset"] = mapped
        try:
            self._commit()
        except BaseException:
            meta.update(schema=old, journal_offset=folded)
            meta.pop("journal_swap", None)
            raise
        if rewrite:
            self._finish_journal_swap(meta)
        self._applied = mapped
        self._old_layout = False

    def _finish_journal_swap(self, meta: dict) -> None:
        """The rename an upgrade committed to (see :meth:`_upgrade`), if it has not happened yet.
        Only one rename can succeed; the marker goes with drill.json's next write."""
        swap = self.journal.path.with_name(str(meta.pop("journal_swap")))
        self.journal.close()  # the next append opens the journal that is there now
        try:
            os.replace(swap, self.journal.path)
        except FileNotFoundError:
            return  # done already (by us or by another process)
        except OSError:
            meta["journal_swap"] = swap.name
            return
        fsync_dir(self.path.parent)

    def _read_file(self) -> tuple[dict, tuple | None]:
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                raw = f.read()
        except FileNotFoundError:
            left = self._left_without_manifest()
            if left:
                # Not a new store: opening it as one would import the sample decks over the
                # user's deck files and journal, and doctor could no longer rebuild them.
                raise StoreCorrupt(
                    self.path, f"it is missing, but its {left} are still there", None,
                    hint="`drill doctor` rebuilds it from them",
                ) from None
            return {}, None
        except IsADirectoryError:
            raise StoreCorrupt(
                self.path, "it is a directory", None,
                hint=f"point --db or ${ENV_DB} at a file, such as {self.path / 'drill.json'}",
            ) from None
        except OSError as exc:
            raise StoreCorrupt(self.path, exc.strerror or str(exc), None) from None
        signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        if not raw.strip():
            reason = "empty file"
        else:
            try:
                text = raw.decode(json.detect_encoding(raw))
                raw = b""  # the bytes go before parsing: a lower peak of memory on a big store
                data = json.loads(text)
            except (ValueError, UnicodeDecodeError) as exc:
                reason = f"not valid JSON: {exc}"
            except RecursionError:
                reason = "not valid JSON: nested too deeply"
            else:
                if _valid_layout(data):
                    return data, signature
                reason = "not a drill store (unexpected layout)"
        raise StoreCorrupt(self.path, reason, self._backup())

    def _left_without_manifest(self) -> str:
        """What is left of a store whose drill.json is gone ("deck files"), or "" when nothing
        is: then it is a new store. A journal alone is not enough (a restored or synced
        journal is replayed onto the cards as they are imported again)."""
        try:
            if any(due_index.decks_dir(self.path).glob("*.json")):
                return "deck files"
        except OSError:
            pass
        return "previous copy" if previous_path(self.path).exists() else ""

    def _backup(self) -> Path | None:
        """A copy of the damaged store file; one per distinct damaged file (each open of
        the same broken file does not add another full copy)."""
        try:
            size = os.stat(self.path).st_size
            for earlier in self.path.parent.glob(f"{self.path.name}.corrupt-*"):
                if earlier.stat().st_size == size and filecmp.cmp(earlier, self.path, shallow=False):
                    return earlier
        except OSError:
            pass
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 0
        while backup.exists():
            n += 1
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            shutil.copy2(self.path, backup)
            os.chmod(backup, 0o600)
        except OSError:
            return None
        return backup

    def _catch_up(self) -> None:
        """Apply journal records written since we last looked (by us or others)."""
        replaced = self._applied > self.journal.size()
        if replaced and self._cols is not None:
            return self._load_full()  # rare: compare with every card's state, as below
        if replaced:
            # The journal was deleted or replaced by a shorter one (say the store
            # file was synced or restored without it): all of it is new to us.
            # Reading on from the old offset would skip it, then start mid-line.
            self._applied = 0
        tail = self.journal.read_from(self._applied)
        for record in tail.records:
            status = schema.record_status(record)
            if status != schema.OK:
                tail.bad_lines += status == schema.BAD  # skipped, counted; unknown types are ignored
                continue
            if replaced and self._older_than_card(record):
                continue  # an older copy of the journal must not roll a card back
            self._apply(record)
        self._applied = tail.end
        self.bad_journal_lines += tail.bad_lines

    def _older_than_card(self, record: dict) -> bool:
        card = self._data["cards"].get(str(self.card_id_of(record)))
        state = card.get("state") if card else None
        return isinstance(state, dict) and str(record.get("ts", "")) < str(state.get("last_review") or "")

    def _apply(self, record: dict) -> None:
        if self._cols is not None:
            return self._apply_indexed(record)
        card = self._data["cards"].get(str(self.card_id_of(record)))
        if card is None:
            return
        _apply_to_doc(card, record)

    def _apply_indexed(self, record: dict) -> None:
        """A journal record on the due index (and on the card, if its deck is loaded)."""
        cid = self.card_id_of(record)
        where = self._where.get(cid)
        if where is None:
            return
        deck, pos = where
        cols = self._cols[deck]
        kind = record.get("t")
        if kind == "review" and record.get("state") is None:
            return  # as _apply_to_doc: nothing to apply
        if kind in ("review", "undo"):
            _set_columns_state(cols, pos, record.get("state"))
            if kind == "undo":
                cols["bury"][pos] = None
        elif kind == "bury":
            cols["bury"][pos] = record.get("until")
        elif kind in ("suspend", "unsuspend"):
            _set_columns_suspended(cols, pos, kind == "suspend", record.get("reason"))
        elif kind == history.MERGED:
            _set_columns_state(cols, pos, record.get("state"))
            cols["bury"][pos] = record.get("buried_until")
            _set_columns_suspended(cols, pos, bool(record.get("suspended")), record.get("reason"))
        else:
            return
        body = self._bodies.get(deck)
        if body is not None:
            _apply_to_doc(body[str(cid)], record)
        else:
            self._pending.setdefault(cid, []).append(record)

    def _deck_body(self, deck: str) -> dict[str, dict]:
        """The cards of one deck, read from its file on first use (index mode)."""
        body = self._bodies.get(deck)
        if body is None:
            body = due_index.read_deck(self.path, self._cols[deck]["file"])
            for key in body:
                for record in self._pending.pop(int(key), ()):
                    _apply_to_doc(body[key], record)
            self._bodies[deck] = body
        return body

    def _full(self) -> None:
        """Leave index mode: load drill.json whole (writers and whole-store readers need it).

        The small tables stay the very objects callers may hold (``source_folders()``
        and the like) when drill.json is still the file the index was built from."""
        if self._cols is None:
            return
        small, signature = self._data, self._signature
        self._load_full()
        if self._signature == signature:
            for table, rows in small.items():
                if table != "cards":
                    self._data[table] = rows

    def refresh(self) -> bool:
        """Pick up changes other processes made. Returns True if anything changed."""
        try:
            st = os.stat(self.path)
            signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            signature = None
        if signature != self._signature:
            self._load()
            return True
        before = self._applied
        self._catch_up()
        return self._applied != before

    # ------------------------------------------------------------------ writing
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock, start from what is on disk, and commit atomically."""
        ensure_dir(self.path.parent)
        with self.lock.held():
            self.refresh()
            self._full()
            try:
                yield
                self._flush()
            except BaseException:
                self._load()  # drop half-applied in-memory changes (or ones the disk refused)
                raise

    def _flush(self) -> None:
        restrict_path_mode(self.journal.path)  # one an older drill created 0644 becomes 0600
        meta = self._data["meta"]["1"]
        folded = meta["journal_offset"]
        meta["journal_offset"] = self._applied
        try:
            self._remove_stale_temp_files()
            self._commit()
        except BaseException:
            meta["journal_offset"] = folded  # nothing was folded in after all
            raise

    def _keep_previous(self) -> None:
        """drill.json as it is now stays as ``drill.json.prev`` (a hard link, no copy): the
        small tables (decks, settings, folders, mocks) have no other copy, and ``drill doctor``
        takes them from here when drill.json is damaged (the cards are in the deck files)."""
        prev = previous_path(self.path)
        temp = prev.with_name(f".{prev.name}.{os.getpid()}.tmp")
        try:
            if os.path.samefile(self.path, prev):
                return  # the last commit did not get as far as replacing drill.json
        except OSError:
            pass
        try:
            os.link(self.path, temp)
            os.replace(temp, prev)
        except OSError:
            pass
        try:
            os.unlink(temp)  # rename() of two links to one file leaves both: never leave it behind
        except OSError:
            pass

    def _commit(self) -> None:
        """Write the store: the deck files that changed (durable), then drill.json naming
        them (atomic rename: the commit), then remove the files it no longer names. A kill -9
        before the rename leaves the old drill.json, whose files are all still there."""
        meta = self._data["meta"]["1"]
        meta["generation"] = meta.get("generation", 0) + 1
        decks = due_index.write_decks(self.path, self._data["cards"])
        stored = self._stored_data()
        manifest = {table: rows for table, rows in stored.items() if table != "cards"}
        aside = self._quarantined.get("cards") if getattr(self, "_quarantined", None) else None
        if aside:
            manifest["set_aside_cards"] = aside
        manifest["due_index"] = decks
        self._keep_previous()
        atomic_write_bytes(self.path, json_bytes(manifest))
        st = os.stat(self.path)
        self._signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        due_index.remove_unreferenced(self.path, decks)

    def _stored_data(self) -> dict:
        """What drill.json holds: the tables, plus the documents set aside as invalid."""
        bad = getattr(self, "_quarantined", None)
        if not bad:
            return self._data
        out = dict(self._data)
        for table, rows in bad.items():
            if table == "sources":
                folders = {root: dict(doc) for root, doc in out.get("sources", {}).items()}
                for root, doc in rows.items():
                    if root in folders and isinstance(doc, dict) and isinstance(folders[root].get("files"), dict):
                        folders[root]["files"] = {**doc.get("files", {}), **folders[root]["files"]}
                    elif root not in folders:
                        folders[root] = doc
                out["sources"] = folders
            else:
                out[table] = {**rows, **out.get(table, {})}
        return out

    def _remove_stale_temp_files(self) -> None:
        """Temp files of writers killed mid-write (we hold the lock: nobody else is writing)."""
        pid = os.getpid()
        prefixes = (f".{self.path.name}.", f".{rollup_path(self.path).name}.", f".{due_index.index_path(self.path).name}.",
                    f".{previous_path(self.path).name}.")
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            prefix = next((p for p in prefixes if name.startswith(p) and name[len(p) : -4].isdigit()), None)
            if prefix is not None and name.endswith(".tmp") and name[len(prefix) : -4] != str(pid):
                try:
                    os.unlink(self.path.parent / name)
                except OSError:
                    pass

    @contextmanager
    def card_as_of_now(self, card_id: int) -> Iterator[StoredCard | None]:
        """Hold the write lock, caught up on the journal, and yield the card as it is now.

        A grade computed from it inside the block and :meth:`append`-ed there (the lock
        is re-entrant) starts from the state it is written onto: another drill process
        cannot grade the same card in between (the lost update of two windows on one deck).
        """
        ensure_dir(self.path.parent)
        with self.lock.held():
            self._catch_up()
            yield self.card(card_id)

    def append(self, record: dict) -> None:
        """Durably journal one scheduling event and apply it. Returns once fsync'd.

        The record is completed in place as the journal keeps it (:meth:`_journalled`): it
        names its card by stable key and has an id of its own."""
        ensure_dir(self.path.parent)
        with self.lock.held():
            self._catch_up()
            self._journalled(record)
            end = self.journal.append(record)
            self._apply(record)
            self._applied = end
            self._mirror(record)

    def _mirror(self, record: dict) -> None:
        """An own record also goes to this device's file in the shared history folder (no
        second fsync: the local journal holds it durably; ``drill sync`` writes again what a
        crash or an unmounted folder kept from getting there). See drill.store.history."""
        cfg = history.config_of(self._data["meta"]["1"])
        if cfg is None or not history.is_own(record):
            return
        try:
            history.DeviceFile(history.device_file_path(cfg)).append([record])
        except OSError:
            pass

    def append_batch(self, records: list[dict], lines: list[bytes] | None = None,
                     apply: frozenset[str] | None = None) -> None:
        """Durably journal several records in one write and one fsync, and apply them (a
        sync's batch of other devices' records; never written to this device's file).

        *lines*: the records already encoded. *apply*: only records of these types are
        applied here (a sync's copies are followed by a merged record per card that sets
        the card's whole view; another process catching up applies them all, to the same
        end). The caller has checked the records against drill.store.schema."""
        if not records:
            return
        ensure_dir(self.path.parent)
        with self.lock.held():
            self._catch_up()
            end = self.journal.append_many(records, lines)
            for record in records:
                if apply is None or record.get("t") in apply:
                    self._apply(record)
            self._applied = end

    def _journalled(self, record: dict) -> None:
        """Complete *record* in place: ``"id"`` (unique) after its type, and ``"key"`` (the
        card's stable key) before ``"card"`` (the local id, kept as a hint) when the caller
        named the card by id only. A ``"sibling"`` card id gets its ``"sibling_key"``."""
        cid = record.get("card")
        needs_key = record.get("key") is None and isinstance(cid, int)
        sibling = record.get("sibling")
        needs_sibling = isinstance(sibling, int) and "sibling_key" not in record
        if "id" in record and not needs_key and not needs_sibling:
            return
        out: dict = {}
        for name, value in record.items():
            if name == "key" and value is None:
                continue
            if name == "card" and needs_key:
                key = self._key_of_id(cid)
                if key is not None:
                    out["key"] = key
            out[name] = value
            if name == "t" and "id" not in record:
                out["id"] = os.urandom(8).hex()
            if name == "sibling" and needs_sibling:
                key = self._key_of_id(sibling)
                if key is not None:
                    out["sibling_key"] = key
        if "id" not in out:
            out["id"] = os.urandom(8).hex()
        record.clear()
        record.update(out)

    def compact(self, *, wait: float = 0.0) -> bool:
        """Fold the journal tail into the TinyDB file, and the reviews into the stats
        roll-up (drill.store.rollup). False if another writer is busy."""
        folded = self._applied == self._data["meta"]["1"]["journal_offset"]
        if folded and (not self._applied or rollup_saved(self.path)):
            return True
        try:
            with self.lock.held(timeout=wait):
                self.refresh()
                if self._applied != self._data["meta"]["1"]["journal_offset"]:
                    self._full()
                    self._flush()
                # Derived data, after the commit: a kill -9 here costs a re-fold, not a review.
                save_rollup(self.path, self.journal.path, self._applied)
        except StoreBusy:
            return False
        except OSError:  # disk full and the like: the journal still holds every grade
            return False
        return True

    def needs_compaction(self) -> bool:
        """The journal tail this process has seen passed COMPACT_AFTER_BYTES since it was
        last folded, or since :meth:`compaction_started` (a child is folding it)."""
        folded = max(self._data["meta"]["1"]["journal_offset"], getattr(self, "_compaction_asked", 0))
        return self._applied - folded > COMPACT_AFTER_BYTES

    def compaction_started(self) -> None:
        """Another process was asked to compact up to here (see drill.store.compaction)."""
        self._compaction_asked = self._applied

    def close(self, *, compact: bool = True) -> None:
        """Release files; by default fold the journal tail in first (skip it for read-only use)."""
        try:
            if compact:
                self.compact()
        finally:
            self.journal.close()
            self.lock.close()

    # ------------------------------------------------------------------ settings
    @property
    def settings(self) -> Settings:
        return Settings.from_dict(self._data["meta"]["1"].get("settings"))

    def save_settings(self, settings: Settings) -> None:
        with self.writing():
            self._data["meta"]["1"]["settings"] = settings.to_dict()

    def extra(self, key: str) -> object:
        """A copy of a value kept in the meta table by a layer above (plans, fitted FSRS parameters)."""
        value = self._data["meta"]["1"].get("extra", {}).get(key)
        return json.loads(json.dumps(value)) if value is not None else None

    def set_extra(self, key: str, value: object) -> None:
        """Keep a JSON-able *value* under *key* (None removes it). Call inside ``writing()``."""
        extra = self._data["meta"]["1"].setdefault("extra", {})
        if value is None:
            extra.pop(key, None)
        else:
            extra[key] = json.loads(json.dumps(value))

    # ------------------------------------------------------------------ reading
    def _raw_cards(self) -> dict[str, dict]:
        self._full()
        return self._data["cards"]

    def _deck_index(self) -> dict[str, list[int]]:
        if self._cols is not None:
            return {deck: cols["ids"] for deck, cols in self._cols.items()}
        if self._by_deck is None:
            index: dict[str, list[int]] = {}
            for key, doc in self._raw_cards().items():
                index.setdefault(doc["deck"], []).append(int(key))
            self._by_deck = index
        return self._by_deck

    @staticmethod
    def _card(key: int | str, doc: dict) -> StoredCard:
        return StoredCard(
            id=int(key),
            deck=doc["deck"],
            path=tuple(doc["path"]),
            answer=doc["answer"],
            source=doc.get("source", ""),
            line=doc.get("line", 1),
            archived=doc.get("archived", False),
            state=doc.get("state"),
            buried_until=doc.get("buried_until"),
            kind=doc.get("kind") or "basic",
            prompt=doc.get("prompt") or "",
            cloze=_cloze_field(doc.get("cloze")),
            suspended=bool(doc.get("suspended", False)),
            suspend_reason=doc.get("suspend_reason"),
            tags=tuple(t for t in doc.get("tags") or () if isinstance(t, str)),
            key=doc.get("key"),
        )

    def _doc(self, card_id: int, deck: str | None = None) -> dict | None:
        """One card's stored dict; in index mode only its deck's file is read (*deck*, when
        the caller knows it, spares building the id map)."""
        if self._cols is None:
            return self._data["cards"].get(str(card_id))
        if deck is not None and deck in self._cols:
            try:
                doc = self._deck_body(deck).get(str(card_id))
            except (OSError, ValueError):
                doc = None
            if doc is not None:
                return doc
        where = self._where.get(card_id)
        if where is None:
            return None
        try:
            return self._deck_body(where[0]).get(str(card_id))
        except (OSError, ValueError):  # a deck file went missing (a writer replaced it): load the lot
            self._load_full()
            return self._data["cards"].get(str(card_id))

    # ------------------------------------------------------------------ identity
    def _key_map(self) -> dict[str, int]:
        """Stable key -> local id of every card (built once per load: O(cards), not history)."""
        keys = self._key_ids
        if keys is None:
            if self._cols is not None:
                keys = {}
                for cols in self._cols.values():
                    keys.update(zip(cols["keys"], cols["ids"]))
            else:
                keys = {doc["key"]: int(k) for k, doc in self._data["cards"].items() if "key" in doc}
            self._key_ids = keys
        return keys

    def _key_of_id(self, card_id: int) -> str | None:
        if self._cols is not None:
            where = self._where.get(card_id)
            return None if where is None else self._cols[where[0]]["keys"][where[1]]
        doc = self._data["cards"].get(str(card_id))
        return None if doc is None else doc.get("key")

    def card_id_of(self, ref: dict | str | None) -> int | None:
        """The local id of the card a journal record (or a stable key) names; None when this
        store has no such card. Every reader of journal records resolves cards here.

        A record names its card by ``"key"``; its ``"card"`` (the id in the store that wrote
        it) is only a hint, never used when a key is there (it may come from another device).
        A record without a key (written by an older drill) is resolved by that id."""
        if isinstance(ref, dict):
            hint = ref.get("card")
            if isinstance(hint, int) and ref.get("key") is not None and self._key_of_id(hint) == ref["key"]:
                return hint  # the usual case, checked in O(1): no key map built at open
        if isinstance(ref, dict) and ref.get("key") is None:
            if self._cols is not None:
                return record_card(ref, {}, self._where.__contains__)
            return record_card(ref, {}, lambda cid: str(cid) in self._data["cards"])
        return record_card(ref, self._key_map(), None)

    def card_by_key(self, key: str) -> StoredCard | None:
        """The card whose stable key is *key* (drill.store.keys), or None."""
        cid = self.card_id_of(key)
        return None if cid is None else self.card(cid)

    def card(self, card_id: int, deck: str | None = None) -> StoredCard | None:
        """The card with this id (*deck*: the deck it is in, if known: a faster look-up)."""
        try:
            key = int(card_id)
        except (TypeError, ValueError):
            return None
        doc = self._doc(key, deck)
        return None if doc is None else self._card(key, doc)

    def cards(self, decks: Iterable[str] | None = None, *, archived: bool = False) -> list[StoredCard]:
        """Cards in deck and file order; archived ones only when asked."""
        if decks is not None and self._cols is not None:
            out = [self._card(cid, doc) for cid, doc in self.card_docs(decks)]
            if not archived:
                out = [c for c in out if not c.archived]
            out.sort(key=lambda c: (c.deck.casefold(), c.source, c.line, c.id))
            return out
        raw = self._raw_cards()
        if decks is None:
            keys: Iterable[int] = (int(k) for k in raw)
        else:
            index = self._deck_index()
            keys = [cid for name in decks for cid in index.get(name, ())]
        out = [self._card(k, raw[str(k)]) for k in keys]
        if not archived:
            out = [c for c in out if not c.archived]
        out.sort(key=lambda c: (c.deck.casefold(), c.source, c.line, c.id))
        return out

    def card_docs(self, decks: Iterable[str] | None = None) -> Iterator[tuple[int, dict]]:
        """(id, raw stored dict) of every card, archived ones included, in no particular order.

        The fast path for whole-store scans (due queue, deck counts): no object per
        card. The dicts are the store's own: read them, never change them. Make a
        StoredCard of the few you keep with :meth:`card_of`.

        In index mode the named decks' files are read (all of drill.json when
        ``decks`` is None); :meth:`scan` reads only the due index.
        """
        if decks is not None and self._cols is not None:
            for name in decks:
                if name not in self._cols:
                    continue
                try:
                    body = self._deck_body(name)
                except (OSError, ValueError):
                    self._load_full()
                    yield from self.card_docs([name, *[d for d in decks if d != name]])
                    return
                for key, doc in body.items():
                    yield int(key), doc
            return
        raw = self._raw_cards()
        if decks is None:
            for key, doc in raw.items():
                yield int(key), doc
            return
        index = self._deck_index()
        for name in decks:
            for cid in index.get(name, ()):
                yield cid, raw[str(cid)]

    def scan(self, decks: Iterable[str] | None = None) -> Iterator[tuple[int, dict]]:
        """(id, dict) of every card in *decks* (default all), archived ones included, from
        the due index alone: the dicts have ``deck``, ``key``, ``source``, ``line``, ``archived``,
        ``suspended``, ``suspend_reason``, ``buried_until`` and a ``state`` holding only
        ``state``, ``due`` and ``lapses``. For whole-store passes (due queue, deck
        counts, stats); :meth:`card_of` turns one into the full StoredCard."""
        if self._cols is None:
            yield from self.card_docs(decks)
            return
        names = list(self._cols) if decks is None else [d for d in decks if d in self._cols]
        archived_flag, suspended_flag = due_index.ARCHIVED, due_index.SUSPENDED
        for deck in names:
            cols = self._cols[deck]
            sources, reasons = cols["sources"], cols["reasons"]
            for pos, (cid, key, due, kind, lapses, flags, bury, src, line) in enumerate(zip(
                    cols["ids"], cols["keys"], cols["due"], cols["kind"], cols["lapses"], cols["flags"], cols["bury"],
                    cols["src"], cols["line"])):
                yield cid, {
                    "deck": deck,
                    "key": key,
                    "source": sources[src],
                    "line": line,
                    "archived": bool(flags & archived_flag),
                    "suspended": bool(flags & suspended_flag),
                    "suspend_reason": reasons.get(str(pos)) if flags & suspended_flag else None,
                    "buried_until": bury,
                    "state": None if kind == due_index.NEW else {"state": kind, "due": due, "lapses": lapses},
                    "_indexed": True,
                }

    def due_columns(self, decks: Iterable[str] | None = None) -> dict[str, dict]:
        """Deck name -> the due index of its cards (archived ones included) as parallel
        arrays, one slot per card (drill.store.index.columns): ``ids``, ``keys``, ``due``
        (ISO or None), ``kind`` (FSRS state; ``index.NEW`` for a new card), ``lapses``,
        ``flags`` (``index.ARCHIVED | index.SUSPENDED``), ``bury`` (ISO or None) and
        ``reasons`` (``{str(slot): suspend reason}``).

        The fastest whole-store pass (deck counts, the due queue, stats): no object per
        card. In index mode these are the index's own arrays: read them, never change them."""
        if self._cols is not None:
            names = self._cols if decks is None else [d for d in decks if d in self._cols]
            return {name: self._cols[name] for name in names}
        raw = self._raw_cards()
        index = self._deck_index()
        names = index if decks is None else [d for d in decks if d in index]
        return {name: due_index.columns(index[name], [raw[str(cid)] for cid in index[name]]) for name in names}

    def card_stub(self, key: int | str, doc: dict) -> tuple[StoredCard, bool]:
        """(card, is_stub) for an (id, doc) pair of :meth:`scan`: from a due-index entry,
        a StoredCard without its text (empty path and answer; a state holding only
        ``state``, ``due`` and ``lapses``) that reads no deck file -- for a queue of cards
        most of which will not be shown now; :meth:`card` gives the whole card when it is."""
        if "_indexed" not in doc:
            return self._card(key, doc), False
        return StoredCard(
            id=int(key), deck=doc["deck"], path=(), answer="", source=doc["source"], line=doc["line"],
            archived=doc["archived"], state=doc["state"], buried_until=doc["buried_until"],
            suspended=doc["suspended"], suspend_reason=doc["suspend_reason"], key=doc.get("key"),
        ), True

    def card_stub_at(self, deck: str, pos: int) -> tuple[StoredCard, bool]:
        """(card, is_stub) for slot *pos* of ``due_columns()[deck]``, as :meth:`card_stub`
        gives it for a :meth:`scan` entry (a stub in index mode, the whole card otherwise)."""
        if self._cols is None:
            card = self.card(self._deck_index()[deck][pos])
            assert card is not None
            return card, False
        cols = self._cols[deck]
        kind, flags = cols["kind"][pos], cols["flags"][pos]
        suspended = bool(flags & due_index.SUSPENDED)
        return StoredCard(
            id=cols["ids"][pos], deck=deck, path=(), answer="", source=cols["sources"][cols["src"][pos]],
            line=cols["line"][pos], archived=bool(flags & due_index.ARCHIVED),
            state=None if kind == due_index.NEW else {"state": kind, "due": cols["due"][pos], "lapses": cols["lapses"][pos]},
            buried_until=cols["bury"][pos], suspended=suspended,
            suspend_reason=cols["reasons"].get(str(pos)) if suspended else None, key=cols["keys"][pos],
        ), True

    def card_of(self, key: int | str, doc: dict) -> StoredCard:
        """StoredCard from an (id, doc) pair of :meth:`card_docs` or :meth:`scan`."""
        if "_indexed" in doc:
            full = self._doc(int(key))
            if full is not None:
                doc = full
        return self._card(key, doc)

    @staticmethod
    def card_order(cid: int, doc: dict) -> tuple:
        """Sort key of :meth:`cards`' order (deck, file, line) for an (id, doc) pair."""
        return (doc["deck"].casefold(), doc.get("source", ""), doc.get("line", 1), cid)

    def decks(self) -> list[DeckRecord]:
        out = [self._deck_record(doc) for doc in self._data["decks"].values() if not doc.get("archived")]
        out.sort(key=lambda d: d.name.casefold())
        return out

    @staticmethod
    def _deck_record(doc: dict) -> DeckRecord:
        return DeckRecord(
            name=doc["name"],
            description=doc.get("description", ""),
            tags=tuple(doc.get("tags", ())),
            time_limit=doc.get("time_limit"),
            sources=tuple(doc.get("sources", ())),
            group=doc.get("group") or "",
            competencies=tuple(doc.get("competencies") or ()),
        )

    def _decks_by_name(self) -> dict[str, list[dict]]:
        """Deck documents by folded name, archived ones included: a dict look-up per
        ``deck()`` (an import of 1,000 files asks 2,000 times). Rebuilt when the decks
        table is another object or has another size; entries are checked on use."""
        table = self._data["decks"]
        cached = getattr(self, "_deck_map", None)
        if cached is None or cached[0] is not table or cached[1] != len(table):
            by_name: dict[str, list[dict]] = {}
            for doc in table.values():
                name = doc.get("name")
                if isinstance(name, str):
                    by_name.setdefault(name.casefold(), []).append(doc)
            cached = self._deck_map = (table, len(table), by_name)
        return cached[2]

    def _deck_doc(self, name: str, *, archived: bool) -> dict | None:
        folded = name.casefold()
        for doc in self._decks_by_name().get(folded, ()):
            if doc.get("name", "").casefold() == folded and (archived or not doc.get("archived")):
                return doc
        return None

    def deck(self, name: str) -> DeckRecord | None:
        """The deck called *name* (any case): a dict look-up. Builds one record, not one
        per deck: the review screen asks for every card it shows."""
        doc = self._deck_doc(name, archived=False)
        return None if doc is None else self._deck_record(doc)

    def is_empty(self) -> bool:
        if self._cols is not None:
            return not self._data["decks"] and not any(cols["ids"] for cols in self._cols.values())
        return not self._data["decks"] and not self._raw_cards()

    def reviews(self) -> Iterator[dict]:
        """Every journal record that fits its schema, oldest first (for stats and export)."""
        for record in self.journal.read_from(0).records:
            if schema.record_status(record) != schema.BAD:
                yield record

    def recent_records(self, since: str | None = None) -> Iterator[dict]:
        """Journal records newest first (those that fit their schema); stop when you have enough.

        Other devices' records come in batches appended when they were merged, so pass
        *since* (ISO UTC) when you stop at the first record older than it: the part of such
        a batch older than *since* is skipped, instead of stopping you (drill.store.history)."""
        return (r for r in history.iter_reverse(self.journal.path, since) if schema.record_status(r) != schema.BAD)

    def recent_reviews(self, since: str, *, limit: int | None = None, until: str | None = None) -> Iterator[dict]:
        """Review records made at or after ``since`` (ISO UTC), newest first, without
        the ones later undone. Reads back no further than ``since`` (or ``limit`` records).

        With *until* (now), records stamped later (a clock that was ahead) are left
        out: they count for nothing until their time comes."""
        undone: set = set()
        for n, record in enumerate(self.recent_records(since)):
            if limit is not None and n >= limit:
                return
            kind = record.get("t")
            if kind == "undo":
                undone.add(record.get("review"))
                continue
            if kind != "review":
                continue
            ts = record["ts"]
            if until is not None and ts > until:
                continue
            if ts < since:
                return
            if record.get("id") not in undone:
                yield record

    # ------------------------------------------------------------------ importing
    def apply_import(self, parsed: ParsedDeck, source: str, *, dry_run: bool = False) -> ImportCounts:
        """Merge one parsed file into its deck. Call inside ``writing()`` unless dry_run.

        What changes is decided by ``drill.store.merge.plan_merge`` (matching by heading
        path, renames by body); this method only writes that plan into the store.
        """
        if parsed.kind == KIND_QUESTIONS:
            return self._import_questions(parsed, source, dry_run=dry_run)
        raw = self._raw_cards()
        index = self._deck_index()
        plan = plan_merge(parsed, source, {cid: raw[str(cid)] for cid in index.get(parsed.name, ())})
        if dry_run:
            return plan.counts
        self._data.get("questions", {}).pop(source, None)  # it was a questions file before
        if not parsed.cards:
            # A file with no cards makes no deck; one that had cards archives them as
            # archive_source does (a deck left with no active card is hidden).
            plan.counts.archived = self.archive_source(source, parsed.name)
            return plan.counts

        for cid, new_fields in plan.updates.items():
            raw[str(cid)].update(new_fields)
        for cid in plan.archive:
            raw[str(cid)]["archived"] = True
        meta = self._data["meta"]["1"]
        taken = self._key_map()
        for card in plan.inserts:
            cid = meta["next_card_id"]
            meta["next_card_id"] = cid + 1
            key = fresh_key(taken, parsed.name, card.path, card.kind, card.prompt, card.cloze)
            taken[key] = cid
            raw[str(cid)] = new_card_doc(parsed.name, card, source, key)
            index.setdefault(parsed.name, []).append(cid)
        self._upsert_deck(parsed, source)
        return plan.counts

    def _upsert_deck(self, parsed: ParsedDeck, source: str) -> None:
        decks = self._db.table("decks")
        doc = next((d for d in self._decks_by_name().get(parsed.name.casefold(), ()) if d.get("name") == parsed.name),
                   None)
        fields = {
            "name": parsed.name,
            "description": parsed.description,
            "tags": list(parsed.tags),
            "time_limit": parsed.time_limit,
            "group": getattr(parsed, "group", ""),
            "archived": False,
        }
        if parsed.competencies or (doc is not None and doc.get("competencies")):
            fields["competencies"] = list(parsed.competencies)
        if doc is None:
            # Into the table in place: TinyDB's insert copies the whole table each time (an
            # import of 1,000 new decks copied it 1,000 times). Its next id stays TinyDB's.
            doc_id = decks._get_next_id()
            self._data.setdefault("decks", {})[str(doc_id)] = {**fields, "sources": [source]}
            decks.clear_cache()
        else:
            sources = list(doc.get("sources", []))
            if source not in sources:
                sources.append(source)
            doc.update({**fields, "sources": sources})
        self._data = self._db.storage.read()
        if doc is None:  # keep the name map current (TinyDB gave the table a new dict)
            by_name = self._decks_by_name_after_insert()
            new = self._data["decks"].get(str(doc_id))
            if by_name is not None and new is not None:
                by_name.setdefault(parsed.name.casefold(), []).append(new)

    def _decks_by_name_after_insert(self) -> dict[str, list[dict]] | None:
        """The name map, carried over to the table TinyDB just rebuilt with one more deck."""
        cached = getattr(self, "_deck_map", None)
        table = self._data["decks"]
        if cached is None or cached[1] + 1 != len(table):
            return None
        self._deck_map = (table, len(table), cached[2])
        return cached[2]

    # ------------------------------------------------------------------ interview questions and stories
    def _import_questions(self, parsed: ParsedDeck, source: str, *, dry_run: bool) -> ImportCounts:
        """A ``kind: questions`` file: its questions replace the ones it gave before; cards
        it made when it was a deck of cards are archived."""
        counts = ImportCounts(deck=parsed.name, questions=len(parsed.questions))
        if dry_run:
            return counts
        counts.archived = self.archive_source(source)
        self._data.setdefault("questions", {})[source] = {
            "name": parsed.name,
            "questions": [{"competency": q.competency, "text": q.text, "line": q.line} for q in parsed.questions],
        }
        return counts

    def question_sets(self) -> dict[str, dict]:
        """Imported ``kind: questions`` files by source path: ``{"name", "questions": [{"competency", "text", "line"}]}``."""
        table = self._data.get("questions", {})
        return {k: v for k, v in table.items() if isinstance(v, dict)}

    def story_choices(self) -> dict[int, list[str]]:
        """The competencies the user chose for stories, by card id (they outlive re-imports)."""
        out = {}
        for key, value in self._data.get("stories", {}).items():
            if key.isdigit() and isinstance(value, dict) and isinstance(value.get("competencies"), list):
                out[int(key)] = [str(c) for c in value["competencies"]]
        return out

    def set_story_choice(self, card_id: int, competencies: list[str] | None) -> None:
        """Keep the user's competencies for one story (None forgets the choice); atomic."""
        with self.writing():
            table = self._data.setdefault("stories", {})
            if competencies is None:
                table.pop(str(card_id), None)
            else:
                table[str(card_id)] = {"competencies": list(dict.fromkeys(competencies))}

    # ------------------------------------------------------------------ registered sources
    def source_folders(self) -> dict[str, dict]:
        """Registered folders and their per-file cache, by root (see drill.sources).

        Change it only inside ``writing()``; it is saved with the rest of the store.
        """
        return self._data.setdefault("sources", {})

    def archive_source(self, source: str, deck: str | None = None) -> int:
        """Archive the active cards that came from the file *source* (looking only in
        *deck* when given). Each deck involved forgets that source, and a deck left
        with no active cards is archived too (hidden, history kept; re-importing
        brings it back). Call inside ``writing()``. Returns how many cards."""
        self._data.get("questions", {}).pop(source, None)
        raw = self._raw_cards()
        index = self._deck_index()
        ids = index.get(deck, ()) if deck is not None else [int(k) for k in raw]
        archived = 0
        touched = {deck} if deck is not None else set()
        for cid in ids:
            doc = raw[str(cid)]
            if doc.get("source") == source and not doc.get("archived"):
                doc["archived"] = True
                archived += 1
                touched.add(doc["deck"])
        for doc in self._data["decks"].values():
            name = doc.get("name")
            if name not in touched:
                continue
            doc["sources"] = [s for s in doc.get("sources", []) if s != source]
            if not any(not raw[str(cid)].get("archived") for cid in index.get(name, ())):
                doc["archived"] = True
        return archived

    def remove_deck(self, name: str, *, archive: bool = False) -> list[int]:
        """Take the deck *name* (any case) and its cards out of the store (``drill decks
        --remove``). With *archive* they are only archived: hidden, schedule and history
        kept, and re-importing the file brings them back. Without it the cards and the
        deck are deleted (the journal is append-only: their review records stay in it,
        matched to no card). Call inside ``writing()``. Returns the ids of the cards."""
        doc = self._deck_doc(name, archived=False)
        if doc is None:
            return []
        raw = self._raw_cards()
        index = self._deck_index()
        ids = list(index.get(doc["name"], ()))
        if archive:
            for cid in ids:
                raw[str(cid)]["archived"] = True
            doc["archived"] = True
            return ids
        for cid in ids:
            raw.pop(str(cid), None)
        index.pop(doc["name"], None)
        stories = self._data.get("stories", {})
        for cid in ids:
            stories.pop(str(cid), None)
        table = self._data["decks"]
        for key in [k for k, d in table.items() if d is doc]:
            del table[key]
        self._deck_map = None
        self._key_ids = None  # rebuilt without the removed cards' keys
        return ids

    def move_cards(self, source: str, from_deck: str, to_deck: str, new_source: str | None = None) -> int:
        """Move the active cards of the file *source* from one deck to another (the file
        was renamed, or its deck was), keeping their ids and history; with *new_source*
        they also take the file's new path. A card whose path *to_deck* already has
        stays where it is. Call inside ``writing()``. Returns how many cards moved."""
        raw = self._raw_cards()
        index = self._deck_index()
        taken = set() if from_deck == to_deck else {tuple(raw[str(c)]["path"]) for c in index.get(to_deck, ())}
        moved = []
        for cid in index.get(from_deck, ()):
            doc = raw[str(cid)]
            if doc.get("source") != source or doc.get("archived") or tuple(doc["path"]) in taken:
                continue
            doc["deck"] = to_deck
            if new_source is not None:
                doc["source"] = new_source
            moved.append(cid)
        if moved and from_deck != to_deck:
            gone = set(moved)
            index[from_deck] = [cid for cid in index[from_deck] if cid not in gone]
            index.setdefault(to_deck, []).extend(moved)
        return len(moved)

    # ------------------------------------------------------------------ mock interviews
    def save_mock(self, doc: dict, doc_id: int | None = None) -> int:
        """Insert (or replace, given its id) one mock-interview session; atomic. Returns its id."""
        doc = json.loads(json.dumps(doc, ensure_ascii=False))  # a copy the caller cannot change later
        with self.writing():
            table = self._data.setdefault("mocks", {})
            if doc_id is None:
                doc_id = 1 + max((int(k) for k in table if k.isdigit()), default=0)
            earlier = table.get(str(doc_id))
            uid = earlier.get("uid") if isinstance(earlier, dict) else None
            doc["uid"] = uid if isinstance(uid, str) else os.urandom(8).hex()  # the same session on every device
            table[str(doc_id)] = doc
        self._mirror({"t": history.MOCK, "id": os.urandom(8).hex(), "mock": doc["uid"],
                      "ts": str(doc.get("ended") or doc.get("started") or ""), "doc": doc})
        return doc_id

    def import_mocks(self, docs: dict[str, dict]) -> int:
        """Mock sessions from other devices, by their ``uid``: a new one is added, one already
        here is replaced by the newer save. Atomic. Returns how many changed."""
        changed = 0
        with self.writing():
            table = self._data.setdefault("mocks", {})
            by_uid = {d.get("uid"): k for k, d in table.items() if isinstance(d, dict)}
            for uid, doc in docs.items():
                doc = {**json.loads(json.dumps(doc, ensure_ascii=False)), "uid": uid}
                key = by_uid.get(uid)
                if key is None:
                    key = str(1 + max((int(k) for k in table if k.isdigit()), default=0))
                    by_uid[uid] = key
                elif table[key] == doc:
                    continue
                table[key] = doc
                changed += 1
        return changed

    def mocks(self) -> list[dict]:
        """Saved mock-interview sessions, oldest first, each with its ``id``."""
        table = self._data.get("mocks", {})
        out = [{**doc, "id": int(key)} for key, doc in table.items() if key.isdigit() and isinstance(doc, dict)]
        out.sort(key=lambda d: (str(d.get("started", "")), d["id"]))
        return out
