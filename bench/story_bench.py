"""Benchmark: opening the story bank against opening the stats screen, on 10,000 cards.

    python bench/story_bench.py [--cards N] [--stories N] [--reviews N] [--repeat N]

Builds a throw-away store with bench/storegen.py (decks of technical notes, three
years of reviews) plus one interview deck of STAR stories written the ways people
write them (bold labels, plain labels, headings; some misspelt headings), then
measures in one headless app, best of --repeat runs each, alternating:

* stats    -- press `t` on home until the stats screen has painted its data
* stories  -- press `b` on home until the story bank has painted its grid

Target (checked, exit status 1 if missed): stories <= 1.3x stats. Both sides are
measured in the same run on the same store, so a slow machine slows both.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.storegen import build_store  # noqa: E402
from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TARGET = 1.3
HEADINGS = ["Conflict with {}", "Misktake in {}", "Leading {}", "Proudest launch: {}", "Deadline for {}",
            "Feedback on {}", "Ambiguous {}", "Customer escalation about {}", "Prioritisation of {}", "{} retro"]
THINGS = ["the billing rewrite", "search latency", "the on-call rota", "a vendor outage", "the data migration",
          "release trains", "the mobile API", "flaky tests", "cost cuts", "the hiring loop"]
SHAPES = [
    "- **Situation**: {t} was slipping.\n- **Task**: get it back on track.\n- **Action(s)**:\n  - split the work\n"
    "  - paired with two teams\n- **Results**: shipped 3 weeks later, p99 down 40%.\n- **Takeaways**: ask early.",
    "Situation: {t} broke at night.\n\nTask: stop the pages.\n\nWhat I did: added a retry budget.\n\nOutcome: pages fell from 9 to 1 a week.",
    "### Context\n{t} had no owner.\n### Goal\nname one.\n### Actions taken\nran a workshop.\n### Impact\n",
]


class Clock:
    def __call__(self) -> datetime:
        return NOW


def add_stories(db: Path, count: int) -> None:
    store = Store(db)
    cards = []
    for i in range(count):
        thing = THINGS[i % len(THINGS)]
        heading = HEADINGS[(i // len(THINGS)) % len(HEADINGS)].format(thing) + f" ({i})"
        cards.append(ParsedCard(("Stories", heading), SHAPES[i % len(SHAPES)].format(t=thing), line=3 + 8 * i))
    with store.writing():
        store.apply_import(ParsedDeck("Interview stories", cards=cards, time_limit=120), "/notes/interview/stories.md")
    store.close()


async def measure(db: Path, repeat: int) -> tuple[float, float, int]:
    from drill.ui.app import make_app
    from drill.ui.screens.stats import StatsScreen
    from drill.ui.screens.story_bank import StoryBankScreen

    store = Store(db)
    app = make_app(store, clock=Clock())
    best = {"t": float("inf"), "b": float("inf")}
    rows = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(repeat):
            for key, screen, ready in (
                ("t", StatsScreen, lambda s: s.stats is not None),
                ("b", StoryBankScreen, lambda s: s.bank is not None),
            ):
                await pilot.pause()
                t = time.perf_counter()
                await pilot.press(key)
                while not (isinstance(app.screen, screen) and ready(app.screen)):
                    await asyncio.sleep(0.002)
                await pilot.pause()  # the first paint with the data
                best[key] = min(best[key], time.perf_counter() - t)
                if key == "b":
                    rows = len(app.screen.bank.stories)
                await pilot.press("escape")
                await pilot.pause()
    store.close()
    return best["t"], best["b"], rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000, help="technical cards (the stories come on top)")
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--reviews", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "drill.json"
        t = time.perf_counter()
        build_store(db, args.cards - args.stories, args.reviews, now=NOW)
        add_stories(db, args.stories)
        print(f"built {args.cards} cards ({args.stories} stories), {args.reviews} reviews in {time.perf_counter() - t:.1f} s")
        stats, stories, rows = asyncio.run(measure(db, args.repeat))
    ratio = stories / stats
    print(f"stats screen   {stats * 1000:7.0f} ms")
    print(f"story bank     {stories * 1000:7.0f} ms  ({rows} stories)  = {ratio:.2f}x stats (target <= {TARGET}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
