"""Benchmark: what each step of a review costs Textual, against a bare Textual app.

    python bench/ui_flow_bench.py [--runs N] [--json]

Headless (App.run_test at 100x32), CPU time (time.process_time) summed over --runs
runs in one process, after one warm-up run of each:

* flow   -- drill: start on home, ``a`` (review all), ``space`` (reveal), ``3`` (grade)
* bare   -- a bare Textual app with one Label, started and sent the same three keys
            (the floor: what run_test, the pilot and three repaints cost anyway)

Printed: CPU ms per run of each step and of the whole flow, ``flow_ratio`` (flow /
bare), and how many DOM nodes each step creates (``DOMNode.__init__`` calls: widgets
plus the virtual nodes Textual makes to style component classes), by class. The
figures the uiperf helper started from (Textual 8.2.8, main at 913ee7d): 1.44 s of CPU
per flow and 768 nodes per flow (245 home, 156 review, 241 reveal, 126 grade).

No pass/fail target: issue 13's is the test suite's time, which this tracks the main
part of (pilot tests are most of the suite's CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App  # noqa: E402
from textual.dom import DOMNode  # noqa: E402
from textual.widgets import Label  # noqa: E402

from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.ui.app import make_app  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
SIZE = (100, 32)
STEPS = (("review", "a"), ("reveal", "space"), ("grade", "3"))


class Bare(App):
    def compose(self):
        yield Label("bare question 1")


def _store(root: Path) -> Store:
    store = Store(root / "drill.json")
    answer = "Answer **{i}** of {deck}\n\n- one point\n- another point\n\nA closing line."
    with store.writing():
        for deck, n in (("Alpha", 3), ("Beta", 2)):
            cards = [ParsedCard((f"{deck} question {i}",), answer.format(i=i, deck=deck), line=2 * i + 1) for i in range(n)]
            store.apply_import(ParsedDeck(deck, cards=cards), str(root / f"{deck.lower()}.md"))
    return store


class Counter:
    """DOMNode.__init__ calls by class, while counting."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self._init = DOMNode.__init__

    def __enter__(self) -> Counter:
        counts, init = self.counts, self._init

        def counting(node, *args, **kwargs):
            counts[type(node).__name__] += 1
            init(node, *args, **kwargs)

        DOMNode.__init__ = counting
        return self

    def __exit__(self, *exc) -> None:
        DOMNode.__init__ = self._init

    def take(self) -> dict:
        out = dict(self.counts.most_common())
        self.counts.clear()
        return out


async def _run(app, counter: Counter | None = None) -> tuple[dict[str, float], dict[str, dict]]:
    cpu: dict[str, float] = {}
    nodes: dict[str, dict] = {}
    start = time.process_time()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cpu["start"] = time.process_time() - start
        if counter:
            nodes["start"] = counter.take()
        for name, key in STEPS:
            start = time.process_time()
            await pilot.press(key)
            await pilot.pause()
            cpu[name] = time.process_time() - start
            if counter:
                nodes[name] = counter.take()
    return cpu, nodes


def _clock():
    return NOW


async def measure(runs: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="drill-ui-flow-"))
    store = _store(root)
    await _run(make_app(store, clock=_clock))  # warm-up: imports, first parses
    await _run(Bare())
    with Counter() as counter:
        _, nodes = await _run(make_app(store, clock=_clock), counter)
    flow: collections.Counter[str] = collections.Counter()
    bare: collections.Counter[str] = collections.Counter()
    for _ in range(runs):
        cpu, _ = await _run(make_app(store, clock=_clock))
        flow.update(cpu)
        cpu, _ = await _run(Bare())
        bare.update(cpu)
    per_run = {k: 1000 * v / runs for k, v in flow.items()}
    bare_run = {k: 1000 * v / runs for k, v in bare.items()}
    return {
        "flow_cpu_ms": sum(per_run.values()),
        "bare_cpu_ms": sum(bare_run.values()),
        "flow_ratio": sum(per_run.values()) / sum(bare_run.values()),
        "steps_cpu_ms": per_run,
        "bare_steps_cpu_ms": bare_run,
        "nodes_per_step": {k: sum(v.values()) for k, v in nodes.items()},
        "nodes_by_class": nodes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = asyncio.run(measure(args.runs))
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    steps = " · ".join(f"{k} {v:.0f}" for k, v in out["steps_cpu_ms"].items())
    print(f"flow {out['flow_cpu_ms']:.0f} ms CPU per run ({steps}); bare Textual {out['bare_cpu_ms']:.0f} ms; "
          f"flow_ratio {out['flow_ratio']:.2f}")
    print("nodes made per step: " + ", ".join(f"{k} {v}" for k, v in out["nodes_per_step"].items()))
    for step, by_class in out["nodes_by_class"].items():
        top = ", ".join(f"{n} {c}" for c, n in list(by_class.items())[:6])
        print(f"  {step}: {top}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
