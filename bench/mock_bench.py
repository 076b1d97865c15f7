"""Benchmark: starting and saving a mock interview on a big store.

    python bench/mock_bench.py [--cards N] [--reviews N] [--mocks N]

Builds two throw-away stores: a small one (one deck of 40 cards and a journal
just longer than the tail that picking reads) and a big one (that same deck plus
10,000 other cards in 50 decks, 100,000 journal reviews and 500 saved mock
interviews), then measures, best of several runs:

* pick small  -- choose 5 questions from the 40-card deck in the small store
* pick big    -- the same deck in the big store (weights read a bounded journal tail,
                 ``drill.mock.RECENT_RECORDS`` records, and the saved mocks)
* save        -- ``Store.save_mock`` of a finished session on the big store
                 (an atomic rewrite of the TinyDB file: temp file, fsync, rename)
* write       -- baseline: what any store write costs on the same store
                 (JSON-encode it, ``atomic_write_bytes``)

Targets (checked, exit status 1 if missed): pick big < 2x pick small (picking
from one deck does not grow with the rest of the store); save < 1.5x write (a
mock save costs what any atomic store write costs, nothing more). Ratios of
timings from the same run, so a slow machine slows both sides.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drill.interview.mock import MockConfig, MockSession  # noqa: E402
from drill.interview.picking import RECENT_RECORDS, pick_cards  # noqa: E402
from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.store.filelock import atomic_write_bytes  # noqa: E402
from drill.study.schedule import Scheduler, iso  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
PICK_TARGET = 2.0
SAVE_TARGET = 1.5


def deck(name: str, n: int) -> ParsedDeck:
    answer = "- **Situation**: a thing broke.\n- **Action**: fixed it.\n- **Result**: it stayed fixed.\n"
    return ParsedDeck(name=name, cards=[ParsedCard(path=(f"{name} card {i}",), answer=answer, line=i + 1) for i in range(n)])


def build(db: Path, *, others: int, reviews: int, mocks: int) -> Store:
    store = Store(db)
    with store.writing():
        store.apply_import(deck("Target", 40), str(db.parent / "target.md"))
        per = max(1, others // 50) if others else 0
        for d in range(50 if others else 0):
            store.apply_import(deck(f"Other {d:02d}", per), str(db.parent / f"other{d}.md"))
    ids = [c.id for c in store.cards()]
    rng = random.Random(1)
    if reviews:
        lines = []
        for i in range(reviews):
            ts = NOW - timedelta(minutes=reviews - i)
            state = {"state": 2, "step": None, "stability": 5.0, "difficulty": 5.0, "due": iso(ts + timedelta(days=3)),
                     "last_review": iso(ts), "reps": 3, "lapses": 0}
            lines.append(json.dumps({"t": "review", "id": f"r{i}", "card": rng.choice(ids), "ts": iso(ts),
                                     "rating": rng.choice((1, 3, 3, 4)), "state": state}, separators=(",", ":")))
        store.journal.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        store.refresh()
        store.compact(wait=5)
    if mocks:
        with store.writing():
            table = store._data.setdefault("mocks", {})
            for m in range(mocks):
                table[str(m + 1)] = {"started": iso(NOW - timedelta(days=m)), "status": "complete", "decks": ["Other"],
                                     "questions": [{"card": rng.choice(ids), "notes": "n" * 200} for _ in range(5)]}
    return store


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--mocks", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = build(Path(tmp) / "small" / "drill.json", others=0, reviews=RECENT_RECORDS + 100, mocks=0)
        big = build(Path(tmp) / "big" / "drill.json", others=args.cards, reviews=args.reviews, mocks=args.mocks)
        scheduler = Scheduler()
        pick_small = best(lambda: pick_cards(small, ["Target"], 5, now=NOW, seed=3, scheduler=scheduler), args.runs)
        pick_big = best(lambda: pick_cards(big, ["Target"], 5, now=NOW, seed=3, scheduler=scheduler), args.runs)

        clock = lambda: NOW  # noqa: E731
        session = MockSession.create(big, MockConfig(decks=["Target"], count=5, seed=3), clock=clock)
        session.start()
        while not session.finished:
            session.next()
        doc = session.to_doc()
        save = best(lambda: big.save_mock(doc, session.doc_id), args.runs)

        def write_store() -> int:
            payload = json.dumps(big._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            atomic_write_bytes(big.path, payload)
            return len(payload)

        write = best(write_store, args.runs)
        size_mb = write_store() / 1e6
        for s in (small, big):
            s.close()

    pick_ratio = pick_big / pick_small
    save_ratio = save / write
    print(f"store: {args.cards} cards, {args.reviews} reviews, {args.mocks} mocks ({size_mb:.1f} MB)")
    print(f"pick small  {pick_small * 1000:8.2f} ms")
    print(f"pick big    {pick_big * 1000:8.2f} ms   {pick_ratio:.2f}x pick small (target < {PICK_TARGET}x)")
    print(f"write       {write * 1000:8.2f} ms   (baseline: atomic write of the store)")
    print(f"save        {save * 1000:8.2f} ms   {save_ratio:.2f}x write (target < {SAVE_TARGET}x)")
    ok = pick_ratio < PICK_TARGET and save_ratio < SAVE_TARGET
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
