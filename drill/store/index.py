"""The due index and per-deck card files: opening a store without loading every card.

Since schema 4 the deck files are where cards live and drill.json is the manifest: its
small tables plus the due index (table ``due_index``), which names each deck's file
(:func:`write_decks`, :func:`remove_unreferenced`). drill.json is renamed into place after
every file it names is durable, and files it no longer names are removed only after that,
so a kill -9 leaves the old drill.json and its files, or the new ones. The rest of this
docstring describes the layout before schema 4, still read by :func:`recover` and for an
upgrade.

``drill.json`` stays the one authoritative TinyDB document (cards included), so
every guarantee about it (atomic rename, journal replay, ``drill doctor``, the
fault tests) holds as before. Next to it, each commit of it also writes:

* ``drill.json.decks/NAME-CRC.json`` -- one TinyDB file per deck (``{"cards":
  {id: doc}}``), named by a checksum of its content, so a commit rewrites only
  the decks that changed and a file, once written, never changes;
* ``drill.json.index`` -- a header line ``{"v", "sig"}`` naming the exact
  ``drill.json`` it was built from (inode, mtime, size), then the small tables
  (decks, meta, sources, mocks, ...) and a **columnar due index**: one entry
  per deck with arrays of card ids, stable keys, due times, states, lapses, flags, burying
  and file order, plus the name of the deck's card file.

The index is written last, after ``drill.json`` is renamed into place: a
``kill -9`` anywhere leaves either an index whose signature matches
``drill.json`` (complete: its card files were written before it) or one that
does not match, which readers ignore (they load ``drill.json`` whole, as
before). Card files no index refers to are removed by the next writer.
It is all derived data: deleting it costs speed, never a card or a review.
"""

from __future__ import annotations

import gc
import json
import os
import zlib
from pathlib import Path

from drill.store.filelock import FILE_MODE, atomic_write_bytes, ensure_dir, fsync_dir, json_bytes

VERSION = 2
"""2: a ``keys`` column (the cards' stable keys, drill.store.keys)."""
ARCHIVED, SUSPENDED, LEECH = 1, 2, 4
NEW = -1


def index_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".index")


def decks_dir(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".decks")


def _crc(data: bytes) -> str:
    return f"{zlib.crc32(data):08x}"


def _dump(value: object) -> bytes:
    return json_bytes(value)


def header(store_path: Path) -> dict | None:
    """The index's first line (version and the signature of the drill.json it describes)."""
    try:
        with open(index_path(store_path), "rb") as f:
            line = f.readline(4096)
        head = json.loads(line)
    except (OSError, ValueError, RecursionError):
        return None
    return head if isinstance(head, dict) and head.get("v") == VERSION else None


def is_current(store_path: Path, signature: tuple | None) -> bool:
    head = header(store_path)
    return signature is not None and head is not None and head.get("sig") == list(signature)


def load(store_path: Path, signature: tuple | None) -> dict | None:
    """The index built from the drill.json with ``signature``, or None (then load drill.json)."""
    if signature is None:
        return None
    try:
        with open(index_path(store_path), "rb") as f:
            head = json.loads(f.readline(4096))
            if not (isinstance(head, dict) and head.get("v") == VERSION and head.get("sig") == list(signature)):
                return None
            raw = f.read()
        # A few hundred thousand new lists and strings, none of them cyclic: the cyclic
        # garbage collector would walk them again and again while they are built.
        collecting = gc.isenabled()
        gc.disable()
        try:
            body = json.loads(raw)
        finally:
            if collecting:
                gc.enable()
    except (OSError, ValueError, RecursionError):
        return None
    if not (isinstance(body, dict) and isinstance(body.get("small"), dict) and isinstance(body.get("decks"), dict)):
        return None
    return body


def recover(store_path: Path) -> tuple[dict, dict[str, dict], list[Path]]:
    """What the index and the deck files still hold, whatever drill.json they were built
    from (``drill doctor``, when drill.json is damaged): (the index's small tables or {},
    ``{str(id): card doc}`` from every deck file that reads whole, the files read). The
    files the index names come first; other deck files (a writer killed before removing
    them) fill in only cards the named ones lack, newest file first."""
    small: dict = {}
    named: list[str] = []
    read: list[Path] = []
    try:
        with open(index_path(store_path), "rb") as f:
            head = json.loads(f.readline(4096))
            body = json.loads(f.read()) if isinstance(head, dict) and head.get("v") in (1, VERSION) else None
    except (OSError, ValueError, RecursionError):
        body = None
    if isinstance(body, dict):
        if isinstance(body.get("small"), dict):
            small = body["small"]
            read.append(index_path(store_path))
        decks = body.get("decks")
        if isinstance(decks, dict):
            named = [d["file"] for d in decks.values() if isinstance(d, dict) and isinstance(d.get("file"), str)]
    folder = decks_dir(store_path)
    try:
        others = [p for p in folder.iterdir() if p.name.endswith(".json") and p.name not in named]
        others.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except OSError:
        others = []
    cards: dict[str, dict] = {}
    for name in [*named, *(p.name for p in others)]:
        if "/" in name or name.startswith("."):
            continue
        try:
            found = read_deck(store_path, name)
        except (OSError, ValueError, RecursionError):
            continue
        read.append(folder / name)
        for key, doc in found.items():
            cards.setdefault(key, doc)
    return small, cards, read


def stored_cards(store_path: Path) -> dict[str, dict]:
    """The card documents as committed on disk: those of the deck files drill.json's due index
    names (``{str(id): doc}``), or drill.json's own ``cards`` table in the layout before schema 4."""
    with open(store_path, "rb") as f:
        data = json.loads(f.read())
    if isinstance(data.get("cards"), dict):
        return data["cards"]
    cards: dict[str, dict] = {}
    for deck in data.get("due_index", {}).values():
        cards.update(read_deck(store_path, deck["file"]))
    return cards


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def read_deck(store_path: Path, name: str) -> dict[str, dict]:
    """The cards of one deck file (``{str(id): doc}``); OSError/ValueError if it is gone or bad."""
    with open(decks_dir(store_path) / name, "rb") as f:
        raw = f.read()
    if not name.endswith(f"-{len(raw)}.json"):
        raise ValueError(f"{name}: cut short")
    data = json.loads(raw)
    cards = data.get("cards") if isinstance(data, dict) else None
    if not isinstance(cards, dict):
        raise ValueError(f"{name}: not a deck file")
    return cards


def columns(ids: list[int], docs: list[dict]) -> dict:
    """The due index of one deck: parallel arrays, one slot per card."""
    sources: list[str] = []
    where: dict[str, int] = {}
    due, kind, lapses, flags, bury, src, line = [], [], [], [], [], [], []
    reasons: dict[str, str] = {}
    for pos, doc in enumerate(docs):
        state = doc.get("state")
        if isinstance(state, dict):
            kind.append(state.get("state", 2))
            due.append(state.get("due"))
            lapses.append(state.get("lapses", 0))
        else:
            kind.append(NEW)
            due.append(None)
            lapses.append(0)
        f = 0
        if doc.get("archived"):
            f |= ARCHIVED
        if doc.get("suspended"):
            f |= SUSPENDED
            reason = doc.get("suspend_reason")
            if reason is not None:
                reasons[str(pos)] = reason
        flags.append(f)
        bury.append(doc.get("buried_until"))
        source = doc.get("source", "")
        if source not in where:
            where[source] = len(sources)
            sources.append(source)
        src.append(where[source])
        line.append(doc.get("line", 1))
    return {"ids": ids, "keys": [doc.get("key") for doc in docs], "due": due, "kind": kind, "lapses": lapses, "flags": flags, "bury": bury,
            "sources": sources, "src": src, "line": line, "reasons": reasons}


SYNC_EACH_UP_TO = 16
"""Deck files written by one commit up to this many are fsync'd one by one; more (an import
of many new decks) are flushed by one ``sync()``."""


def write_decks(store_path: Path, cards: dict[str, dict]) -> dict[str, dict]:
    """Write the deck files a commit needs that are not there yet, durably; return the due
    index (``{deck: {"file", columns...}}``) that names them, for drill.json.

    A deck file is named by its deck, a checksum of its content and its length, so an
    unchanged deck is not written again and a file, once written, never changes: a commit
    rewrites only the decks it touched. The caller holds the store's write lock and writes
    drill.json (naming these files) only after this returns."""
    by_deck: dict[str, tuple[list[int], list[dict]]] = {}
    for key, doc in cards.items():
        ids, docs = by_deck.setdefault(doc["deck"], ([], []))
        ids.append(int(key))
        docs.append(doc)
    folder = decks_dir(store_path)
    ensure_dir(folder)
    try:
        present = set(os.listdir(folder))
    except OSError:
        present = set()
    decks: dict[str, dict] = {}
    written: list[int] = []
    try:
        for deck, (ids, docs) in by_deck.items():
            payload = _dump({"cards": {str(cid): doc for cid, doc in zip(ids, docs)}})
            name = f"{_crc(deck.encode('utf-8'))}-{_crc(payload)}-{len(payload)}.json"
            if name not in present or _size(folder / name) != len(payload):
                fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
                written.append(fd)
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view):]
            decks[deck] = {"file": name, **columns(ids, docs)}
        if len(written) > SYNC_EACH_UP_TO:
            os.sync()
        else:
            for fd in written:
                os.fsync(fd)
    finally:
        for fd in written:
            os.close(fd)
    if written:
        fsync_dir(folder)
    return decks


def remove_unreferenced(store_path: Path, decks: dict[str, dict]) -> None:
    """Remove deck files no due index names (after drill.json naming *decks* is committed),
    and the index file of the layout before schema 4."""
    folder = decks_dir(store_path)
    keep = {d["file"] for d in decks.values()}
    try:
        names = os.listdir(folder)
    except OSError:
        names = []
    for name in names:
        if name not in keep and (name.endswith(".json") or name.endswith(".tmp")):
            try:
                os.unlink(folder / name)
            except OSError:
                pass
    try:
        os.unlink(index_path(store_path))
    except OSError:
        pass
