"""Stable card keys: the same notes give the same keys in every store.

A card's store id is a per-store counter, so two machines number the same card
differently. Its key is derived from what identifies the card in the notes:
the deck's name and the card's heading path, plus, for explicit and cloze
cards, the question as shown and the blank (a sentence with two blanks makes
two cards).

The key is computed once, when the card is created, and stored on its document
(``"key"``); it is kept when an import matches the card to changed notes (a
renamed heading matched by its body keeps its key and its history), so it is
an identity, not a function of the card's current text. Should the key a new
card derives already belong to another card of the store (that card was renamed
from this very heading), the new card takes the next salted key (``salt`` 1,
2, ...): still the same in every store that imported the same notes in the same
order. Journal records name cards by this key (see ``Store.card_id_of``).
"""

from __future__ import annotations

import json
from typing import Container


def card_key(deck: str, path: tuple[str, ...] | list[str], kind: str = "basic", prompt: str = "",
             cloze: tuple[int, str] | list | None = None, salt: int = 0) -> str:
    """20 hex digits (80 bits of BLAKE2b) over the card's identity."""
    import hashlib  # only when a key is asked for: not on every start-up

    identity = [deck, list(path), kind or "basic", prompt or "", list(cloze) if cloze else None]
    if salt:
        identity.append(salt)
    raw = json.dumps(identity, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.blake2b(raw, digest_size=10).hexdigest()


def fresh_key(taken: Container[str], deck: str, path, kind: str = "basic", prompt: str = "", cloze=None) -> str:
    """The key of a new card: :func:`card_key`, salted until it is not in *taken*."""
    salt = 0
    while True:
        key = card_key(deck, path, kind, prompt, cloze, salt)
        if key not in taken:
            return key
        salt += 1


def doc_key(taken: Container[str], doc: dict) -> str:
    """:func:`fresh_key` for a stored card document (an upgrade from a store without keys)."""
    return fresh_key(taken, doc["deck"], doc["path"], doc.get("kind") or "basic", doc.get("prompt") or "",
                     doc.get("cloze"))
