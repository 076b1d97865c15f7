"""Benchmark: revealing a long answer on the review screen at 80x24.

    python bench/reveal_bench.py [--chars N] [--runs N]

Headless Textual (App.run_test). For each answer below, time from pressing
space to the first frame that shows the answer (its first block mounted and
the screen rendered, via export_screenshot), best of --runs:

* short      -- a 1,000-character answer (the baseline: what any reveal costs)
* long       -- a --chars (400,000) character answer of paragraphs and lists
* fence      -- the same size as one fenced code block (one Markdown block)
* full       -- the long answer rendered whole, the way the screen did before
                lazy rendering (Markdown.update of the whole text)

Targets (exit status 1 if missed): long and fence reveal within 100 ms and
within 3x the short reveal; full is reported to show what laziness saves.
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

from drill.parse.cards import ParsedCard, ParsedDeck  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.ui.app import make_app  # noqa: E402
from drill.ui.screens.review import ReviewScreen  # noqa: E402
from drill.ui.widgets.answer_view import AnswerView  # noqa: E402
from drill.ui.widgets.card_text import AnswerMarkdown  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
LIMIT_MS = 100
RATIO = 3.0


def long_answer(chars: int) -> str:
    parts, n, i = [], 0, 0
    while n < chars:
        if i % 10 == 9:
            block = "\n".join(f"- item {i}.{j}: a list line with `code` and **bold** text" for j in range(5))
        else:
            block = f"Paragraph {i}: " + "words that wrap across the answer box, " * 4
        parts.append(block)
        n += len(block) + 2
        i += 1
    return "\n\n".join(parts)[:chars]


def fence_answer(chars: int) -> str:
    line = "    result = compute(value, other)  # a line of pasted code\n"
    return "```python\n" + line * (chars // len(line)) + "```\n"


def build(db: Path, answers: dict[str, str]) -> None:
    store = Store(db)
    with store.writing():
        for name, answer in answers.items():
            deck = ParsedDeck(name=name, cards=[ParsedCard(path=(f"{name} question",), answer=answer, line=1)])
            store.apply_import(deck, str(db.parent / f"{name}.md"))
    store.close()


async def reveal_ms(db: Path, deck: str, *, whole: bool = False) -> float:
    """Milliseconds from the reveal to the first frame the compositor produces with the answer in it."""
    store = Store(db)
    app = make_app(store, clock=lambda: NOW, review={"decks": [deck]})
    frames: list[float] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            display = app._display

            def counting_display(screen, renderable) -> None:  # each screen update headless Textual makes
                if renderable is not None:
                    frames.append(time.perf_counter())
                display(screen, renderable)

            app._display = counting_display
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            view = screen.query_one(AnswerView)
            start = time.perf_counter()
            if whole:  # the old way: one Markdown widget given the whole answer
                view.display = True
                markdown = AnswerMarkdown()
                await view.mount(markdown)
                await markdown.update(screen.session.current.answer)
            else:
                screen.action_reveal()  # what the space key runs
            while not (view.query(AnswerMarkdown) and view.query(AnswerMarkdown).first().children):
                await asyncio.sleep(0.0005)
            shown = time.perf_counter()
            while not frames or frames[-1] < shown:
                await asyncio.sleep(0.0005)
            took = (frames[-1] - start) * 1000
            assert "question" in app.export_screenshot()  # the frame is real: the screen renders
    finally:
        store.close(compact=False)
    return took


def best(db: Path, deck: str, runs: int, **kwargs) -> float:
    return min(asyncio.run(reveal_ms(db, deck, **kwargs)) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "drill.json"
        build(db, {"short": long_answer(1000), "long": long_answer(args.chars), "fence": fence_answer(args.chars)})
        short = best(db, "short", args.runs)
        long = best(db, "long", args.runs)
        fence = best(db, "fence", args.runs)
        full = best(db, "long", max(1, args.runs // 2), whole=True)
    print(f"reveal, 80x24, best of {args.runs}")
    print(f"  short   1,000 chars      {short:8.1f} ms")
    print(f"  long    {args.chars:,} chars  {long:8.1f} ms  ({long / short:.1f}x short)")
    print(f"  fence   {args.chars:,} chars  {fence:8.1f} ms  ({fence / short:.1f}x short)")
    print(f"  full    {args.chars:,} chars  {full:8.1f} ms  (whole answer at once, the old way; {full / long:.0f}x long)")
    failed = [
        name
        for name, value in (("long", long), ("fence", fence))
        if value > LIMIT_MS or value > RATIO * short
    ]
    if failed:
        print(f"MISSED: {', '.join(failed)} over {LIMIT_MS} ms or {RATIO}x short", file=sys.stderr)
        return 1
    print(f"ok: long answers reveal within {LIMIT_MS} ms and {RATIO}x a short one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
