"""Merging a re-imported file into its deck: which cards are updated, added, renamed or archived.

Pure: it reads the deck's stored card documents and returns a plan; ``Store.apply_import``
writes the plan. Cards are matched by heading path; a card whose heading vanished but
whose body reappears under a new heading is a rename and keeps its history (so does a
cloze deletion edited in place: same line, same place in its sentence). Other vanished
cards from the file are archived, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drill.parse.cards import ParsedCard, ParsedDeck


@dataclass
class ImportCounts:
    deck: str
    cards: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    questions: int = 0
    """A ``kind: questions`` file: how many interview questions it holds."""
    archived_studied: int = 0
    """Of the archived cards, how many had been reviewed (their history is kept)."""


@dataclass
class MergePlan:
    counts: ImportCounts
    updates: dict[int, dict] = field(default_factory=dict)
    """card id -> fields to set on its stored document"""
    inserts: list[ParsedCard] = field(default_factory=list)
    archive: list[int] = field(default_factory=list)


def plan_merge(parsed: ParsedDeck, source: str, docs: dict[int, dict]) -> MergePlan:
    """The plan for merging *parsed* (read from *source*) into a deck whose stored cards are *docs*."""
    counts = ImportCounts(deck=parsed.name, cards=len(parsed.cards))
    existing = {tuple(doc["path"]): cid for cid, doc in docs.items()}
    seen: set[int] = set()
    updates: dict[int, dict] = {}
    fresh = []
    for card in parsed.cards:
        cid = existing.get(card.path)
        if cid is None:
            fresh.append(card)
            continue
        seen.add(cid)
        doc = docs[cid]
        extras = _card_extras(card, doc)
        new_fields = {"answer": card.answer, "source": source, "line": card.line, "archived": False, **extras}
        if doc["answer"] != card.answer or doc.get("archived") or _extras_changed(doc, extras):
            counts.updated += 1
        else:
            counts.unchanged += 1
        updates[cid] = new_fields
    vanished = {
        cid: docs[cid]
        for cid in existing.values()
        if cid not in seen and docs[cid].get("source") == source and not docs[cid].get("archived")
    }
    by_body: dict[str, list[int]] = {}
    for cid, doc in vanished.items():
        by_body.setdefault(body_hash(doc["answer"]), []).append(cid)
    parsed_slots: dict = {}
    by_slot: dict = {}
    if vanished and any(card.kind == "cloze" for card in fresh):
        parsed_slots, by_slot = _cloze_slots(parsed.cards, [(c, docs[c]) for c in existing.values()], source, vanished)
    inserts = []
    for card in fresh:
        candidates = [c for c in by_body.get(body_hash(card.answer), ()) if c in vanished]
        if not candidates and card.kind == "cloze":
            # Another deletion of the same sentence was edited: same line, same place.
            slot = by_slot.pop(parsed_slots.get(id(card)), None)
            candidates = [slot] if slot in vanished else []
        if candidates:
            cid = candidates[0]
            del vanished[cid]
            updates[cid] = {
                "path": list(card.path),
                "answer": card.answer,
                "source": source,
                "line": card.line,
                **_card_extras(card, docs[cid]),
            }
            counts.updated += 1
        else:
            inserts.append(card)
            counts.added += 1
    counts.archived = len(vanished)
    counts.archived_studied = sum(1 for doc in vanished.values() if doc.get("state") is not None)
    return MergePlan(counts=counts, updates=updates, inserts=inserts, archive=list(vanished))


def new_card_doc(deck: str, card: ParsedCard, source: str, key: str | None = None) -> dict:
    """The stored document of a card imported for the first time. *key* is its stable key
    (drill.store.keys.fresh_key), given once here and never changed by a later merge."""
    doc = {
        "deck": deck,
        "path": list(card.path),
        "answer": card.answer,
        "source": source,
        "line": card.line,
        "archived": False,
        "state": None,
        "buried_until": None,
        **_card_extras(card),
    }
    if key is not None:
        doc["key"] = key
    return doc


def _card_extras(card, doc: dict | None = None) -> dict:
    """The stored fields of a ParsedCard beyond path and answer (kind, prompt, cloze, and
    the competencies of a ``<!-- drill: ... -->`` comment and the card's own tags, such as
    Obsidian ``#flashcards/...``). Competencies and tags are only stored when there are
    some, or to clear the ones *doc* (the stored card) had."""
    extras = {"kind": card.kind, "prompt": card.prompt, "cloze": list(card.cloze) if card.cloze else None}
    for key in ("competencies", "tags"):
        values = list(getattr(card, key, ()))
        if values or (doc is not None and doc.get(key)):
            extras[key] = values
    return extras


def _extras_changed(doc: dict, extras: dict) -> bool:
    return (
        doc.get("kind", "basic") != extras["kind"]
        or doc.get("prompt", "") != extras["prompt"]
        or doc.get("cloze") != extras["cloze"]
        or (doc.get("competencies") or []) != extras.get("competencies", [])
        or (doc.get("tags") or []) != extras.get("tags", [])
    )


def _cloze_slots(cards, docs: list[tuple[int, dict]], source: str, vanished: dict) -> tuple[dict, dict]:
    """(line, place in its sentence) of each parsed cloze card (by id()), and of each
    vanished stored cloze card from *source* -> its id."""
    parsed: dict[int, tuple[int, int]] = {}
    count: dict[int, int] = {}
    for card in cards:
        if card.kind == "cloze":
            parsed[id(card)] = (card.line, count.get(card.line, 0))
            count[card.line] = count.get(card.line, 0) + 1
    lines: dict[int, list[tuple[int, int]]] = {}
    for cid, doc in docs:
        cloze = doc.get("cloze")
        if doc.get("kind") == "cloze" and cloze and doc.get("source") == source and not doc.get("archived"):
            lines.setdefault(doc.get("line", 0), []).append((cloze[0], cid))
    stored = {}
    for line, items in lines.items():
        for place, (_, cid) in enumerate(sorted(items)):
            if cid in vanished:
                stored[(line, place)] = cid
    return parsed, stored


def body_hash(answer: str) -> str:
    import hashlib  # only an import hashes: not on every start-up

    return hashlib.sha1(" ".join(answer.split()).encode("utf-8")).hexdigest()
