"""Export the review log and the card states as JSON or CSV (pure: records in, text out).

One row per review that counts (undone reviews are left out, malformed
journal lines are skipped), oldest first: card id and stable key, deck, question, time
(ISO-8601 UTC), rating, duration in ms, the interval it scheduled, and the
card's scheduling state right after that review. JSON also lists every card (question, answer, kind, tags, deck, source, line)
with its current state. Text from your notes is passed through
:func:`drill.parse.textsafe.clean`, JSON is written with every control, bidi and
invisible character ``\\uXXXX``-escaped (the exact source paths come back with
``json.loads``), and a CSV text cell a spreadsheet would take for a formula (``=``,
``+``, ``-``, ``@``) starts with ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Callable, Iterable

from drill.parse.textsafe import clean, json_dumps
from drill.stats.compute import review_from_record
from drill.study.schedule import RATING_NAMES

FORMATS = ("json", "csv")

STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}

CSV_FIELDS = [
    "review_id",
    "card",
    "deck",
    "question",
    "time",
    "rating",
    "rating_name",
    "duration_ms",
    "interval_days",
    "kind",
    "over_time",
    "state",
    "stability",
    "difficulty",
    "due",
    "reps",
    "lapses",
    "key",
]


def _by_key(cards: dict) -> Callable[[dict], int | None]:
    """``Store.card_id_of`` over just *cards* (id -> StoredCard): by stable key, else by id."""
    keys = {c.key: cid for cid, c in cards.items() if getattr(c, "key", None)}

    def card_id_of(ref: dict) -> int | None:
        if ref.get("key") is not None:
            return keys.get(ref["key"])
        return ref.get("card") if ref.get("card") in cards else None

    return card_id_of


def review_rows(records: Iterable[dict], cards: dict,
                card_id_of: Callable[[dict], int | None] | None = None) -> list[dict]:
    """One flat dict per review that counts, oldest first. ``cards`` maps id -> StoredCard;
    ``card_id_of`` (``Store.card_id_of``) resolves a record's card (default: among *cards*)."""
    card_id_of = card_id_of or _by_key(cards)
    kept: list[tuple[dict, object]] = []
    undone: set[str] = set()
    for record in records:
        kind = record.get("t")
        if kind == "undo":
            undone.add(str(record.get("review")))
        elif kind == "review":
            review = review_from_record(record)
            if review is not None:
                kept.append((record, review))
    rows = []
    for record, r in kept:
        if r.id in undone:
            continue
        cid = card_id_of(record)
        card = cards.get(cid)
        state = record.get("state") if isinstance(record.get("state"), dict) else {}
        rows.append(
            {
                "review_id": r.id,
                "card": cid,
                "key": r.key or getattr(card, "key", None),
                "deck": clean(r.deck),
                "question": clean(card.question) if card is not None else "",
                "time": r.ts,
                "rating": r.rating,
                "rating_name": RATING_NAMES[r.rating],
                "duration_ms": r.ms,
                "interval_days": r.interval_days,
                "kind": r.kind,
                "over_time": r.over,
                "state": STATE_NAMES.get(state.get("state"), ""),
                "stability": state.get("stability"),
                "difficulty": state.get("difficulty"),
                "due": state.get("due"),
                "reps": state.get("reps"),
                "lapses": state.get("lapses"),
            }
        )
    return rows


def card_rows(cards: Iterable) -> list[dict]:
    """Every card (archived ones too, flagged) with its current scheduling state."""
    out = []
    for card in sorted(cards, key=lambda c: c.id):
        state = card.state or {}
        out.append(
            {
                "card": card.id,
                "key": getattr(card, "key", None),
                "deck": clean(card.deck),
                "question": clean(card.question),
                "answer": clean(card.answer),
                "kind": card.kind,
                "tags": [clean(t) for t in getattr(card, "tags", ())],
                "source": card.source,
                "line": card.line,
                "archived": card.archived,
                "suspended": card.suspended,
                "suspend_reason": card.suspend_reason,
                "state": STATE_NAMES.get(state.get("state"), "new"),
                "due": state.get("due"),
                "stability": state.get("stability"),
                "difficulty": state.get("difficulty"),
                "reps": state.get("reps", 0),
                "lapses": state.get("lapses", 0),
                "last_review": state.get("last_review"),
            }
        )
    return out


def to_json(records: Iterable[dict], cards: Iterable, card_id_of=None) -> str:
    cards = list(cards)
    payload = {
        "reviews": review_rows(records, {c.id: c for c in cards}, card_id_of),
        "cards": card_rows(cards),
    }
    return json_dumps(payload, indent=2) + "\n"  # as every other --json output


def to_csv(records: Iterable[dict], cards: Iterable, card_id_of=None) -> str:
    """Header row, then one row per review (the card's state columns are as of that review)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in review_rows(records, {c.id: c for c in cards}, card_id_of):
        writer.writerow({k: ("" if v is None else _csv_value(v)) for k, v in row.items()})
    return out.getvalue()


#: A spreadsheet takes a cell starting with one of these for a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as text, never evaluated; numbers (say -1) are not strings
    return value


def render(fmt: str, records: Iterable[dict], cards: Iterable, card_id_of=None) -> str:
    """``card_id_of``: ``Store.card_id_of`` of the store the records and cards come from."""
    if fmt == "csv":
        return to_csv(records, cards, card_id_of)
    if fmt == "json":
        return to_json(records, cards, card_id_of)
    raise ValueError(f"unknown export format: {fmt!r}")
