"""Stable card keys: the same notes give the same keys in every store.

A card's store id is a per-store counter, so two machines number the same card
differently. Its key is derived from what identifies the card in the notes:
the deck's name and the card's heading path, plus, for explicit and cloze
cards, the question as shown and the blank (a sentence with two blanks makes
two cards). The next step (syncing reviews between devices) matches cards by
this key. Only the key's inputs changing (a renamed heading or deck) changes it.
"""

from __future__ import annotations

import json


def card_key(deck: str, path: tuple[str, ...] | list[str], kind: str = "basic", prompt: str = "",
             cloze: tuple[int, str] | list | None = None) -> str:
    """20 hex digits (80 bits of BLAKE2b) over the card's identity."""
    import hashlib  # only when a key is asked for: not on every start-up

    identity = [deck, list(path), kind or "basic", prompt or "", list(cloze) if cloze else None]
    raw = json.dumps(identity, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.blake2b(raw, digest_size=10).hexdigest()
