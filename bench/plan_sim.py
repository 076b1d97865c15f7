"""Simulation: does an interview plan get more cards recalled on the day than plain FSRS?

A simulated learner whose memory follows a known forgetting curve (FSRS's own
model with its own parameters: this learner forgets faster than FSRS's
defaults assume) studies 30 new cards once a day for a 14-day plan, through
drill's real ReviewSession with an injected clock. Each card shown is recalled
with the learner's true probability at that moment and graded Good or Again.
On the interview's day we report the share of the cards the learner recalls
(the mean of their true recall probability, and a sampled count).

Two runs per seed on the same learner: plain FSRS scheduling (default daily
limits), and the same with `drill plan set DAY14`; and two learners: one who
forgets faster than FSRS's defaults assume, one who forgets exactly as they
assume. Not a timed test.

    python bench/plan_sim.py [--seeds 20] [--cards 30] [--days 14] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fsrs  # noqa: E402

from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.study.plans import Plan, save_plan  # noqa: E402
from drill.study.schedule import AGAIN, GOOD, iso, start_of_study_day, study_day  # noqa: E402
from drill.study.session import ReviewSession  # noqa: E402

#: The learner's true memory model: FSRS-6 defaults with the initial stabilities
#: (w0..w3) halved and recall stability growth (w8) lowered: a faster forgetter.
DEFAULT = list(fsrs.scheduler.DEFAULT_PARAMETERS)
TRUE_PARAMETERS = [DEFAULT[0] / 2, DEFAULT[1] / 2, DEFAULT[2] / 2, DEFAULT[3] / 2, *DEFAULT[4:8], DEFAULT[8] * 0.8, *DEFAULT[9:]]
FIRST_SIGHT_RECALL = 0.6
"""Chance that the learner already knows a new card's answer the first time it is shown."""
SECONDS_PER_CARD = 20


LEARNERS = {"faster": TRUE_PARAMETERS, "default": DEFAULT}
"""The learner's true parameters: forgets faster than FSRS assumes, or exactly as it assumes."""


class Learner:
    def __init__(self, rng: random.Random, parameters: list[float]) -> None:
        self.rng = rng
        self.model = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
        self.memory: dict[int, fsrs.Card] = {}

    def recall_probability(self, cid: int, now: datetime) -> float:
        card = self.memory.get(cid)
        if card is None:
            return 0.0
        return self.model.get_card_retrievability(card, now)

    def answer(self, cid: int, now: datetime) -> int:
        card = self.memory.get(cid)
        p = FIRST_SIGHT_RECALL if card is None else self.recall_probability(cid, now)
        rating = GOOD if self.rng.random() < p else AGAIN
        card = card or fsrs.Card(card_id=cid, due=now)
        self.memory[cid], _ = self.model.review_card(card, fsrs.Rating(rating), now)
        return rating


def run(seed: int, *, cards: int, days: int, with_plan: bool, workdir: Path, learner: str = "faster") -> dict:
    rng = random.Random(seed)
    random.seed(seed)  # fsrs fuzzes intervals with the global RNG: same fuzz in both runs
    store = Store(workdir / f"sim-{learner}-{seed}-{int(with_plan)}.json")
    deck = ParsedDeck("Onsite", [ParsedCard((f"Story {i + 1}",), f"answer {i + 1}", i + 1) for i in range(cards)])
    with store.writing():
        store.apply_import(deck, "onsite.md")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    interview = study_day(start) + timedelta(days=days)
    if with_plan:
        save_plan(store, Plan("Onsite", interview, ("Onsite",), 0.9, iso(start)), study_day(start))
    person = Learner(rng, LEARNERS[learner])
    shown = 0
    clock_now = [start]
    for day in range(days):
        clock_now[0] = start + timedelta(days=day)
        session = ReviewSession(store, clock=lambda: clock_now[0])
        while session.next_card() is not None:
            card = session.current
            session.grade(person.answer(card.id, clock_now[0]))
            shown += 1
            clock_now[0] += timedelta(seconds=SECONDS_PER_CARD)
            if session.remaining() and not session.queue:  # only learning steps left: wait for them
                clock_now[0] += timedelta(minutes=1)
    moment = start_of_study_day(interview, 4) + timedelta(hours=6)  # 10:00 on the day
    probabilities = [person.recall_probability(c.id, moment) for c in store.cards()]
    sampled = sum(1 for p in probabilities if rng.random() < p)
    store.close()
    return {"expected": statistics.fmean(probabilities), "sampled": sampled / cards, "reviews": shown}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--cards", type=int, default=30)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    summary: dict = {"setup": {"cards": args.cards, "days": args.days, "seeds": args.seeds}}
    with tempfile.TemporaryDirectory() as tmp:
        for learner in LEARNERS:
            for label, with_plan in (("plain", False), ("plan", True)):
                runs = [
                    run(seed, cards=args.cards, days=args.days, with_plan=with_plan, workdir=Path(tmp), learner=learner)
                    for seed in range(args.seeds)
                ]
                summary[f"{learner}/{label}"] = {
                    "recalled_expected": round(statistics.fmean(r["expected"] for r in runs), 3),
                    "recalled_sampled": round(statistics.fmean(r["sampled"] for r in runs), 3),
                    "reviews": round(statistics.fmean(r["reviews"] for r in runs), 1),
                }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"{args.cards} new cards, interview in {args.days} days, {args.seeds} seeds; share recalled on the day")
    for key, s in summary.items():
        if key == "setup":
            continue
        learner, label = key.split("/")
        print(
            f"learner {learner:<8} {label:<6} {s['recalled_expected']:.1%} expected, {s['recalled_sampled']:.1%} sampled"
            f" · {s['reviews']:.0f} reviews"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
