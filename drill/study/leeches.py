"""Leeches: cards you keep forgetting get suspended, so they stop eating your time.

A card becomes a leech when a lapse (Again on a card in review) brings its
lapse count to ``Settings.leech_threshold`` (8 unless changed; 0 turns this
off), and again every half threshold after that if you unsuspend it and keep
failing it, as Anki does. The grade is journalled first, then a
``{"t": "suspend", "reason": "leech"}`` record; unsuspending appends
``{"t": "unsuspend"}``. The store's ``suspended`` / ``suspend_reason`` fields
are the tag.
"""

from __future__ import annotations

from datetime import datetime

from drill.study.schedule import iso

LEECH = "leech"


def is_leech_lapse(prev_lapses: int, lapses: int, threshold: int) -> bool:
    """Did the grade that took a card from ``prev_lapses`` to ``lapses`` make it a leech?"""
    if threshold <= 0 or lapses <= prev_lapses or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


def suspend_record(card_id: int, now: datetime, review_id: str | None = None, reason: str = LEECH) -> dict:
    record = {"t": "suspend", "card": card_id, "ts": iso(now), "reason": reason}
    if review_id:
        record["review"] = review_id
    return record


def unsuspend_record(card_id: int, now: datetime, reason: str = "user") -> dict:
    return {"t": "unsuspend", "card": card_id, "ts": iso(now), "reason": reason}


def unsuspend(store, card_id: int, now: datetime) -> None:
    """Put a suspended card back into reviews (durable when this returns)."""
    store.append(unsuspend_record(card_id, now))
