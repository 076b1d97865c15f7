"""The shape of every journal record and store document, checked when it is read.

The journal and the store file are JSON written by drill, but anything can end up
in them: a record from a newer drill, a hand edit, a bad sync tool. A record or
document that is valid JSON of the wrong shape (``"state": "garbage"``, ``"due": 5``,
``rating: 9``, ``path: [1, 2]``) must neither crash a command nor be applied. So
every reader goes through this module:

* :func:`record_status` for a journal record: ``OK``, ``BAD`` (skipped and counted;
  ``drill doctor`` removes it) or ``UNKNOWN`` (a record type this drill does not know,
  say from a newer version: ignored, kept);
* :func:`valid_card`, :func:`valid_deck`, :func:`valid_folder` for store documents;
* :func:`quarantine` splits a loaded store file into what is valid and what is not;
* :func:`decode` for one JSON text: ``(False, None)`` when it cannot be decoded,
  nesting so deep that the decoder recurses out of the stack included (5,000 ``[``
  raised RecursionError out of every command).

One schema per type, here and nowhere else. Pure: imports nothing from drill.
"""

from __future__ import annotations

import json
import math
from datetime import datetime

__all__ = [
    "OK", "BAD", "UNKNOWN", "RECORD_TYPES", "decode", "record_status", "valid_record",
    "valid_state", "valid_card", "valid_deck", "valid_file_entry", "is_iso", "quarantine",
]

OK, BAD, UNKNOWN = "ok", "bad", "unknown"

def decode(raw: bytes | str) -> tuple[bool, object]:
    """(True, value) for JSON text; (False, None) when it is not JSON, not UTF-8, or
    nested too deeply to decode (a RecursionError, caught here)."""
    try:
        return True, json.loads(raw)
    except (ValueError, RecursionError):
        return False, None


def is_iso(value: object) -> bool:
    """An ISO-8601 timestamp string (what drill writes for every time)."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: object) -> bool:
    return _int(value) and value >= 0


def _number(value: object) -> bool:
    return (_int(value) or isinstance(value, float)) and math.isfinite(value)


def _opt(check, value: object) -> bool:
    return value is None or check(value)


def _str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def valid_state(state: object) -> bool:
    """A card's scheduling state: ``{"state": 1|2|3, "due": ISO, ...}`` (None is not one)."""
    return (
        isinstance(state, dict)
        and state.get("state") in (1, 2, 3)
        and _int(state.get("state"))
        and is_iso(state.get("due"))
        and _opt(is_iso, state.get("last_review"))
        and _opt(_number, state.get("stability"))
        and _opt(_number, state.get("difficulty"))
        and _opt(_count, state.get("step"))
        and _count(state.get("reps", 0))
        and _count(state.get("lapses", 0))
    )


def _names_card(r: dict) -> bool:
    """A record names its card by stable key (``"key"``, drill.store.keys), with the local
    id as a hint (``"card"``); records of an older drill name it by the local id alone."""
    key, card = r.get("key"), r.get("card")
    if key is None:
        return _int(card)
    return isinstance(key, str) and 0 < len(key) <= 64 and (card is None or _int(card))


def _review(r: dict) -> bool:
    return (
        isinstance(r.get("id"), str)
        and _names_card(r)
        and is_iso(r.get("ts"))
        and _int(r.get("rating"))
        and 1 <= r["rating"] <= 4
        and _count(r.get("ms", 0))
        and (r.get("state") is None or valid_state(r["state"]))  # none: nothing to apply (a log-only record)
        and r.get("kind", "review") in ("new", "learn", "review", "relearn")
        and isinstance(r.get("deck", ""), str)
        and _opt(_number, r.get("interval_days"))
        and _opt(_number, r.get("elapsed_days"))
        and _opt(_int, r.get("off"))
    )


def _undo(r: dict) -> bool:
    state = r.get("state")
    return (
        _opt(lambda v: isinstance(v, str), r.get("review"))
        and _names_card(r)
        and is_iso(r.get("ts"))
        and (state is None or valid_state(state))
    )


def _bury(r: dict) -> bool:
    return _names_card(r) and is_iso(r.get("ts")) and is_iso(r.get("until"))


def _suspension(r: dict) -> bool:
    return _names_card(r) and is_iso(r.get("ts")) and _opt(lambda v: isinstance(v, str), r.get("reason"))


def _merged(r: dict) -> bool:
    """A card's view after merging other devices' history (drill.store.history.MERGED)."""
    state = r.get("state")
    return (
        _names_card(r)
        and is_iso(r.get("ts"))
        and (state is None or valid_state(state))
        and _opt(is_iso, r.get("buried_until"))
        and isinstance(r.get("suspended", False), bool)
        and _opt(lambda v: isinstance(v, str), r.get("reason"))
    )


#: Journal record type ("t") -> its schema.
RECORD_TYPES = {"review": _review, "undo": _undo, "bury": _bury, "suspend": _suspension, "unsuspend": _suspension,
                "merged": _merged}


def record_status(record: object) -> str:
    """OK, BAD or UNKNOWN (a well-formed record of a type this version does not know)."""
    if not isinstance(record, dict) or not isinstance(record.get("t"), str):
        return BAD
    check = RECORD_TYPES.get(record["t"])
    if check is None:
        return UNKNOWN
    return OK if check(record) else BAD


def valid_record(record: object) -> bool:
    return record_status(record) == OK


def valid_card(doc: object) -> bool:
    """A card document of the store's ``cards`` table."""
    if not isinstance(doc, dict):
        return False
    path = doc.get("path")
    cloze = doc.get("cloze")
    return (
        isinstance(doc.get("deck"), str)
        and isinstance(path, list)
        and bool(path)
        and all(isinstance(part, str) for part in path)
        and isinstance(doc.get("answer"), str)
        and isinstance(doc.get("source", ""), str)
        and _int(doc.get("line", 1))
        and isinstance(doc.get("archived", False), bool)
        and isinstance(doc.get("suspended", False), bool)
        and _opt(lambda v: isinstance(v, str), doc.get("suspend_reason"))
        and _opt(lambda v: isinstance(v, str), doc.get("kind"))
        and _opt(lambda v: isinstance(v, str), doc.get("prompt"))
        and (cloze is None or (isinstance(cloze, list) and len(cloze) == 2 and _int(cloze[0]) and isinstance(cloze[1], str)))
        and (doc.get("state") is None or valid_state(doc.get("state")))
        and _opt(is_iso, doc.get("buried_until"))
        and _opt(lambda v: isinstance(v, str) and 0 < len(v) <= 64, doc.get("key"))
    )


def valid_deck(doc: object) -> bool:
    """A deck document of the store's ``decks`` table."""
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("name"), str)
        and isinstance(doc.get("description", ""), str)
        and _str_list(doc.get("tags", []))
        and _opt(lambda v: _int(v) and v > 0, doc.get("time_limit"))
        and _str_list(doc.get("sources", []))
        and _opt(lambda v: isinstance(v, str), doc.get("group"))
        and isinstance(doc.get("archived", False), bool)
    )


def valid_file_entry(entry: object) -> bool:
    """One file's cache entry of a registered folder (``sources`` table)."""
    return (
        isinstance(entry, dict)
        and _opt(_count, entry.get("size"))
        and _opt(_int, entry.get("mtime"))
        and _opt(lambda v: isinstance(v, str), entry.get("hash"))
        and _opt(lambda v: isinstance(v, str), entry.get("deck"))
        and _opt(lambda v: isinstance(v, str), entry.get("source"))
    )


def valid_folder(doc: object) -> bool:
    """A registered folder of the store's ``sources`` table: ``{"files": {rel: entry}}``."""
    if not isinstance(doc, dict):
        return False
    files = doc.get("files", {})
    return isinstance(files, dict) and all(valid_file_entry(e) for e in files.values())


def quarantine(data: dict) -> dict[str, dict]:
    """Move the documents of *data* (a store file, loaded) that do not fit their schema
    out of it; return them by table. Cards and decks are set aside whole; a registered
    folder keeps its valid file entries (the bad ones are a cache, rebuilt by a sync)."""
    bad: dict[str, dict] = {}
    for table, check in (("cards", valid_card), ("decks", valid_deck)):
        rows = data.get(table)
        if not isinstance(rows, dict):
            continue
        wrong = [key for key, doc in rows.items() if not check(doc)]
        if wrong:
            bad[table] = {key: rows.pop(key) for key in wrong}
    folders = data.get("sources")
    if isinstance(folders, dict):
        for root in list(folders):
            doc = folders[root]
            files = doc.get("files") if isinstance(doc, dict) else None
            if not isinstance(doc, dict) or not isinstance(files, dict):
                bad.setdefault("sources", {})[root] = folders.pop(root)
                continue
            wrong = [rel for rel, entry in files.items() if not valid_file_entry(entry)]
            for rel in wrong:
                bad.setdefault("sources", {}).setdefault(root, {"files": {}})["files"][rel] = files.pop(rel)
    return bad


def count(bad: dict[str, dict]) -> int:
    """How many documents :func:`quarantine` set aside."""
    total = 0
    for table, rows in bad.items():
        if table == "sources":
            total += sum(len(doc.get("files", {})) if isinstance(doc, dict) else 1 for doc in rows.values())
        else:
            total += len(rows)
    return total
