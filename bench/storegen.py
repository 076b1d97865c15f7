"""Throw-away stores and note folders for the benchmarks (see bench/run.py).

``build_store(db, cards, reviews)`` writes a store the way years of use leave it:
decks of 100 cards imported through ``Store.apply_import``, a journal of
*reviews* records in the exact format ``ReviewSession.grade`` writes (spread over
three years, ending yesterday so today's limits are untouched), a sprinkling of
undo and bury records, every card's state folded into the TinyDB file, and one
card in five never reviewed. ``write_notes(root, files, cards)`` writes a folder
of Markdown files with YAML frontmatter for the import measurement.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.study.schedule import Outcome, iso  # noqa: E402
from drill.study.session import review_record  # noqa: E402

DECK_SIZE = 100
TOPICS = [
    "caching", "queues", "indexes", "replication", "retries", "sharding", "tracing", "locks",
    "pools", "batching", "backpressure", "idempotency", "consensus", "leases", "quotas", "schemas",
]
VERBS = ["trades", "spends", "buys", "risks", "saves", "hides", "moves", "bounds"]


def _answer(rng: random.Random, topic: str, i: int) -> str:
    """A few bullet lines of made-up notes, 150-400 characters."""
    lines = []
    for k in range(rng.randint(2, 5)):
        other = TOPICS[(i + k * 7) % len(TOPICS)]
        lines.append(f"- {topic.capitalize()} {rng.choice(VERBS)} {other} for latency; check the p99 before and after ({k}).")
    return "\n".join(lines)


def parsed_decks(cards: int, seed: int = 7) -> list[ParsedDeck]:
    rng = random.Random(seed)
    decks = []
    for d in range((cards + DECK_SIZE - 1) // DECK_SIZE):
        topic = TOPICS[d % len(TOPICS)]
        count = min(DECK_SIZE, cards - d * DECK_SIZE)
        deck_cards = [
            ParsedCard(
                (f"Part {j // 10 + 1}", f"{topic} question {d * DECK_SIZE + j}: when does it pay off?"),
                _answer(rng, topic, j),
                line=5 + 6 * j,
            )
            for j in range(count)
        ]
        decks.append(ParsedDeck(f"Deck {d:04d} {topic}", cards=deck_cards, time_limit=[None, 60, 90, 120][d % 4],
                                group=f"area {d % 8}"))
    return decks


def build_store(db: Path, cards: int, reviews: int, *, now: datetime | None = None, seed: int = 7) -> None:
    now = now or datetime.now(timezone.utc)
    rng = random.Random(seed)
    store = Store(db)
    with store.writing():
        for d, parsed in enumerate(parsed_decks(cards, seed)):
            store.apply_import(parsed, f"/notes/area-{d % 8}/deck-{d:04d}.md")
    stored = store.cards()
    reviewed = [c for c in stored if rng.random() < 0.8]  # the rest stay new
    end = now - timedelta(days=1)
    start = end - timedelta(days=3 * 365)
    step = (end - start).total_seconds() / max(1, reviews)
    interval = {c.id: 0.0 for c in reviewed}
    lapses = {c.id: 0 for c in reviewed}
    reps = {c.id: 0 for c in reviewed}
    last = {c.id: None for c in reviewed}
    order = [reviewed[i % len(reviewed)] for i in range(reviews)] if reviewed else []
    rng.shuffle(order)
    lines = []
    for i, card in enumerate(order):
        when = start + timedelta(seconds=i * step + rng.uniform(0, step / 2))
        rating = rng.choices((1, 2, 3, 4), (8, 12, 70, 10))[0]
        before = interval[card.id]
        if rating == 1 and before >= 1:
            lapses[card.id] += 1
        after = 0.007 if rating == 1 else min(400.0, max(1.0, before * rng.uniform(1.6, 2.8)))
        interval[card.id] = after
        reps[card.id] += 1
        state = {
            "state": 2 if after >= 1 else 3, "step": None if after >= 1 else 0, "stability": round(after * 1.05, 4),
            "difficulty": round(rng.uniform(2.5, 8.5), 4), "due": iso(when + timedelta(days=after)),
            "last_review": iso(when), "reps": reps[card.id], "lapses": lapses[card.id],
        }
        prev = None if last[card.id] is None else {"state": 2, "last_review": last[card.id]}
        last[card.id] = iso(when)
        record = review_record(card.__class__(**{**card.__dict__, "state": prev}),
                               Outcome(rating, state, timedelta(days=after)),
                               when, rng.randint(4_000, 120_000), rng.random() < 0.04)
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        if i % 997 == 0 and i:
            lines.append(json.dumps({"t": "undo", "review": record["id"], "card": card.id, "ts": iso(when),
                                     "state": None}, separators=(",", ":")))
            lines.append(json.dumps(record | {"id": record["id"] + "r"}, separators=(",", ":")))
        elif i % 1499 == 0 and i:
            lines.append(json.dumps({"t": "bury", "card": card.id, "ts": iso(when),
                                     "until": iso(when + timedelta(hours=20))}, separators=(",", ":")))
    store.journal.close()
    if lines:
        fd = os.open(store.journal.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with open(fd, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    store.close(compact=False)
    store = Store(db)  # replays the journal once
    store.compact()
    store.close()


def note(i: int, cards: int) -> str:
    """One Markdown file: YAML frontmatter, a title, *cards* heading cards."""
    topic = TOPICS[i % len(TOPICS)]
    lines = [
        "---",
        f"deck: Notes {i:04d} on {topic}",
        f"tags: [practice, {topic}, batch-{i % 10}]",
        f"time_limit: {60 + 30 * (i % 3)}",
        "---",
        f"# Notes {i:04d}",
        "",
        f"Working notes about {topic}, file {i}.",
        "",
    ]
    for j in range(cards):
        other = TOPICS[(i + j) % len(TOPICS)]
        lines += [
            f"## How does {topic} interact with {other}? ({j})",
            "",
            f"- {topic.capitalize()} {VERBS[j % len(VERBS)]} {other} for throughput.",
            f"- Measure it: file {i}, card {j}; compare *before* and *after*.",
            "",
        ]
    return "\n".join(lines)


def note_fields(i: int, cards: int) -> dict:
    """The deck and (front, back) pairs drill makes of ``note(i, cards)``: Anki's side of
    the import measurement adds the same notes (bench/anki_side.py)."""
    topic = TOPICS[i % len(TOPICS)]
    notes = []
    for j in range(cards):
        other = TOPICS[(i + j) % len(TOPICS)]
        front = f"Notes {i:04d} › How does {topic} interact with {other}? ({j})"
        back = (f"- {topic.capitalize()} {VERBS[j % len(VERBS)]} {other} for throughput.\n"
                f"- Measure it: file {i}, card {j}; compare *before* and *after*.")
        notes.append([front, back])
    return {"deck": f"Notes {i:04d} on {topic}", "notes": notes}


def write_notes(root: Path, files: int, cards: int) -> list[Path]:
    paths = []
    for i in range(files):
        path = root / f"area-{i % 20:02d}" / f"note-{i:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note(i, cards), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":  # python bench/storegen.py DB CARDS REVIEWS  (the benchmarks build in a child process)
    build_store(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
