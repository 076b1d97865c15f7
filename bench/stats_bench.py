"""Benchmark: the stats screen and `drill stats` on a store with 100k reviews.

    python bench/stats_bench.py [--reviews N] [--cards N]

Builds a throw-away store (5 decks, 2,500 cards, a year of reviews written in
the exact journal format the review session writes), then measures, best of
several runs:

* baseline   -- json.loads of every journal line (what any full parse costs)
* compute    -- drill.stats: read the journal and compute every number
* screen     -- press `t` on the home screen until the stats screen shows its data
                (headless Textual, includes the worker thread and the first paint)
* cli        -- `drill stats --json` end to end in a subprocess

* reopen     -- the same after 20 more reviews in the same app: only the new
                journal lines are parsed

Targets (checked, exit status 1 if missed): compute < 1x baseline (all the
stats cost less than merely json-parsing the log), screen < 1 s, reopen
< 0.75x screen. Ratios are against numbers measured in the same run, so a slow
machine slows both sides.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.stats.compute import compute_stats, read_reviews  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.study.schedule import Outcome, iso  # noqa: E402
from drill.study.session import review_record  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __call__(self) -> datetime:
        return NOW


def build(db: Path, reviews: int, cards: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    store = Store(db)
    per_deck = cards // 5
    with store.writing():
        for d in range(5):
            parsed = ParsedDeck(
                f"Deck {d}",
                cards=[ParsedCard((f"Topic {i // 10}", f"Card {i}"), f"Body of card {i}", line=3 + 4 * i)
                       for i in range(per_deck)],
                time_limit=[None, 30, 60, 90, 120][d],
            )
            store.apply_import(parsed, f"/bench/deck{d}.md")
    stored = store.cards()
    start = NOW - timedelta(days=365)
    step = 365 * 86400 / reviews
    lapses = {c.id: 0 for c in stored}
    intervals = {c.id: 0.0 for c in stored}
    lines = []
    for i in range(reviews):
        card = stored[rng.randrange(len(stored))]
        when = start + timedelta(seconds=i * step)
        rating = rng.choices((1, 2, 3, 4), (10, 10, 70, 10))[0]
        kind_prev = intervals[card.id]
        if rating == 1 and kind_prev >= 1:
            lapses[card.id] += 1
        interval = 0.007 if rating == 1 else min(365.0, max(1.0, kind_prev * rng.uniform(1.5, 3.0)))
        intervals[card.id] = interval
        state = {
            "state": 2, "step": None, "stability": interval * 1.1, "difficulty": rng.uniform(3, 8),
            "due": iso(when + timedelta(days=interval)), "last_review": iso(when), "reps": 1, "lapses": lapses[card.id],
        }
        prev = None if kind_prev == 0 else {"state": 2, "last_review": iso(when - timedelta(days=kind_prev))}
        record = review_record(
            card.__class__(**{**card.__dict__, "state": prev}), Outcome(rating, state, timedelta(days=interval)),
            when, rng.randint(3_000, 150_000), rng.random() < 0.05,
        )
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        if i % 997 == 0 and i:  # a sprinkling of undo records, as real sessions leave
            lines.append(json.dumps({"t": "undo", "review": record["id"], "card": card.id, "ts": iso(when),
                                     "state": None}))
    store.journal.close()
    with open(store.journal.path, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    store.close()
    store = Store(db)  # replays the journal once
    store.compact()
    store.close()


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def baseline(journal: Path) -> None:
    with open(journal, "rb") as f:
        for line in f.read().splitlines():
            json.loads(line)


async def open_screen(db: Path) -> tuple[float, float]:
    """Seconds from pressing `t` to the stats painted: first time, and again after 20 more reviews."""
    from drill.study.session import ReviewSession
    from drill.ui.app import make_app
    from drill.ui.screens.stats import StatsScreen

    store = Store(db)
    app = make_app(store, clock=Clock())
    times = []
    async with app.run_test(size=(110, 34)) as pilot:
        for round_ in range(2):
            await pilot.pause()
            t = time.perf_counter()
            await pilot.press("t")
            while not (isinstance(app.screen, StatsScreen) and app.screen.stats is not None):
                await asyncio.sleep(0.002)
            await pilot.pause()  # the first paint with the data
            times.append(time.perf_counter() - t)
            total = app.screen.stats.total_reviews
            assert total > 0
            await pilot.press("escape")
            if round_ == 0:
                session = ReviewSession(store, clock=Clock())
                for _ in range(20):
                    if session.next_card() is None:
                        break
                    session.grade(3)
    store.close()
    return times[0], times[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=2_500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "drill.json"
        t = time.perf_counter()
        build(db, args.reviews, args.cards)
        print(f"built {args.reviews} reviews on {args.cards} cards in {time.perf_counter() - t:.1f} s "
              f"(journal {db.with_name('drill.json.journal').stat().st_size / 1e6:.1f} MB)")
        journal = db.with_name("drill.json.journal")
        store = Store(db)
        cards, decks, settings = store.cards(), store.decks(), store.settings
        results = {
            "baseline_json_loads_s": best(lambda: baseline(journal), args.repeat),
            "compute_s": best(lambda: compute_stats(read_reviews(journal), cards, decks, NOW, settings), args.repeat),
            "read_only_s": best(lambda: read_reviews(journal), args.repeat),
            "store_open_s": best(lambda: Store(db), args.repeat),
        }
        s = compute_stats(read_reviews(journal), cards, decks, NOW, settings)
        assert s.total_reviews > args.reviews * 0.98, s.total_reviews
        opens = [asyncio.run(open_screen(db)) for _ in range(3)]
        results["screen_open_s"] = min(first for first, _ in opens)
        results["screen_reopen_s"] = min(again for _, again in opens)
        env = {**os.environ, "DRILL_DB": str(db)}
        drill = Path(sys.executable).with_name("drill")
        cmd = [str(drill)] if drill.exists() else [sys.executable, "-m", "drill"]

        def cli() -> None:
            subprocess.run([*cmd, "stats", "--json"], env=env, check=True, capture_output=True)

        results["cli_stats_json_s"] = best(cli, 3)
        store.close()
    ratio = results["compute_s"] / results["baseline_json_loads_s"]
    results["compute_vs_baseline"] = ratio
    for key, value in results.items():
        unit = "x" if key.endswith("baseline") else "s"
        print(f"{key:<24}{value:8.3f} {unit}")
    ok = ratio < 1.0 and results["screen_open_s"] < 1.0 and results["screen_reopen_s"] < 0.75 * results["screen_open_s"]
    print(json.dumps({k: round(v, 4) for k, v in results.items()} | {"ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
