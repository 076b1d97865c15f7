"""Regenerate the PNG screenshots in screenshots/ from the bundled sample decks.

    pip install '.[screenshots]' && python screenshots/make_screenshots.py

Runs the real app headless with a fixed clock on a throw-away store, saves
Textual's SVG screenshots and converts them to PNG with cairosvg.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drill.commands.common import seed_if_empty  # noqa: E402
from drill.store.collection import Store  # noqa: E402
from drill.ui.app import make_app  # noqa: E402
from drill.ui.widgets.countdown import Countdown  # noqa: E402

SIZE = (100, 30)
SMALL = (80, 24)  # the size many terminals open at: the long-answer shot


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def to_png(svg: Path, width: int = SIZE[0]) -> Path:
    import cairosvg

    png = svg.with_suffix(".png")
    cairosvg.svg2png(url=str(svg), write_to=str(png), output_width=width * 12)
    svg.unlink()
    return png


async def type_notes(pilot, text: str) -> None:
    """Type the notes key by key, as a user does (enter starts a new line)."""
    await pilot.press(*["enter" if ch == "\n" else ch for ch in text])


async def shoot(out: Path) -> list[Path]:
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        notice = seed_if_empty(store)
        clock = Clock()
        app = make_app(store, clock=clock, notice=notice)
        async with app.run_test(size=SIZE, notifications=True) as pilot:

            async def save(name: str) -> None:
                await pilot.pause(0.3)
                svg = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
                shots.append(to_png(svg))

            await save("home")
            app.clear_notifications()
            await pilot.press("enter")  # first deck
            clock.advance(23)
            app.screen.query_one(Countdown).check()
            await save("question")
            await pilot.press("space")
            await save("answer")
            for _ in range(3):
                await pilot.press("3", "space")
            await pilot.press("1")
            await pilot.press("q")
            await save("summary")
        store.close()
    return shots


async def shoot_mock(out: Path) -> list[Path]:
    """Mock interview: a question with its countdown, the review with a STAR checklist, the report."""
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        seed_if_empty(store)
        clock = Clock()
        mock = {
            "decks": ["Behavioural Stories"],
            "count": 3,
            "answer_seconds": 120,
            "think_seconds": 10,
            "seed": 7,
            "mode": "cards",
        }
        app = make_app(store, clock=clock, mock=mock)
        async with app.run_test(size=SIZE) as pilot:

            async def save(name: str) -> None:
                await pilot.pause(0.3)
                svg = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
                shots.append(to_png(svg))

            await pilot.pause()
            clock.advance(10)
            app.screen.check()  # thinking time is over
            await pilot.pause()
            await type_notes(
                pilot,
                "Context first: four teams, one fragile server, no owner.\n"
                "What I did: inventory of jobs, agreed an order, ran both for a week.\n"
                "Outcome: all jobs moved, no missed reports",
            )
            clock.advance(47)
            app.screen.check()
            await save("mock_question")
            for seconds in (64, 38):
                await pilot.press("ctrl+n")  # next question (enter in the notes adds a line)
                clock.advance(2)
                await pilot.press("enter")  # skip the rest of its thinking time
                clock.advance(seconds)
            await pilot.press("ctrl+n")  # the last question ends: on to the review
            await pilot.pause()
            await pilot.press("s", "a", "r")
            await save("mock_review")
            await pilot.press("enter", "2", "3")
            await save("mock_report")
        store.close()
    return shots


async def shoot_interview(out: Path) -> list[Path]:
    """The story bank, and a question-first mock: pick a story, answer, see if it fitted."""
    from textual.widgets import DataTable

    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        seed_if_empty(store)
        clock = Clock()
        app = make_app(store, clock=clock)
        async with app.run_test(size=SIZE) as pilot:

            async def save(name: str) -> None:
                await pilot.pause(0.3)
                svg = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
                shots.append(to_png(svg))

            await pilot.pause()
            await pilot.press("b")
            await pilot.pause(0.3)
            grid = app.screen.query_one(DataTable)
            story = [s.heading for s in app.screen.bank.stories].index("Disagreeing about secret distribution")
            grid.cursor_coordinate = (story, 5 + [c.competency.id for c in app.screen.columns].index("conflict"))
            await save("story_bank")
            await pilot.press("escape")
        store.close()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        seed_if_empty(store)
        clock = Clock()
        mock = {"count": 3, "answer_seconds": 120, "think_seconds": 20, "seed": 15, "mode": "questions"}
        app = make_app(store, clock=clock, mock=mock)
        async with app.run_test(size=SIZE) as pilot:

            async def save(name: str) -> None:
                await pilot.pause(0.3)
                svg = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
                shots.append(to_png(svg))

            await pilot.pause()
            clock.advance(6)
            app.screen.check()
            await save("mock_pick")
            question = app.screen.session.current
            pick = question.fitting[0] if question.fitting else question.options[0]
            await pilot.press(str(question.options.index(pick) + 1))
            await pilot.pause()
            await type_notes(
                pilot,
                "Four teams, one fragile server, nobody owned it.\n"
                "Listed every job and its owner, agreed an order, ran old and new side by side.\n"
                "All 42 jobs moved in six weeks",
            )
            clock.advance(71)
            for _ in range(2):
                await pilot.press("ctrl+n")  # next question
                clock.advance(2)
                await pilot.press("0")  # no story: improvise
                clock.advance(30)
            await pilot.press("ctrl+n")
            await pilot.pause()
            await save("mock_story_review")
        store.close()
    return shots


GROUPED_NOTES = {
    "interview/behavioural/leadership.md": (
        "# Leadership\n\n## Took over a stalled rollout\n\nSplit the work into weekly slices and cut two features.\n\n"
        "## Coached a new teammate\n\nPaired twice a week until they owned the billing jobs.\n"
    ),
    "interview/behavioural/conflict.md": (
        "# Conflict\n\n## Disagreed with a design review\n\nWrote down both options with costs; we picked mine for v1.\n"
    ),
    "interview/resume.md": (
        '---\nprompt: "Walk me through {heading}"\n---\n# Resume\n\n## Projects\n\n### the billing rewrite\n\n'
        "Moved invoices from a nightly batch to events.\n\n### the search indexer\n\nIncremental builds, ranking tests.\n"
    ),
    "facts/networking.md": (
        "C: A TCP connection starts with a [three-way handshake]: SYN, SYN-ACK, ACK.\n\n"
        "Q: What does a 503 status tell a client?\nA: The server is overloaded or down; retry later.\n\n"
        "Idempotent request::one that is safe to send twice\n\n"
        "DNS answers are cached for their ==TTL==.\n"
    ),
}


async def shoot_groups(out: Path) -> list[Path]:
    """Deck groups on the home screen after a start-up sync, then a cloze card."""
    from drill.library.importer import import_paths

    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        for rel, text in GROUPED_NOTES.items():
            (notes / rel).parent.mkdir(parents=True, exist_ok=True)
            (notes / rel).write_text(text, encoding="utf-8")
        store = Store(Path(tmp) / "drill.json")
        import_paths(store, [notes])
        leadership = notes / "interview/behavioural/leadership.md"
        leadership.write_text(leadership.read_text(encoding="utf-8").replace("twice a week", "weekly"), encoding="utf-8")
        clock = Clock()
        app = make_app(store, clock=clock)
        async with app.run_test(size=SIZE, notifications=True) as pilot:

            async def save(name: str) -> None:
                await pilot.pause(0.3)
                svg = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
                shots.append(to_png(svg))

            await app.workers.wait_for_complete()
            await save("groups")
            app.clear_notifications()
            await pilot.press("enter")  # the "facts" group: its one deck
            clock.advance(9)
            app.screen.query_one(Countdown).check()
            await save("cloze-question")
            await pilot.press("space")
            await save("cloze-answer")
        store.close()
    return shots


async def shoot_small(out: Path) -> list[Path]:
    """At 80x24: a long STAR story revealed, the answer given every spare row and a cue that
    there is more below."""
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        seed_if_empty(store)
        clock = Clock()
        app = make_app(store, clock=clock, review={"decks": ["Behavioural Stories"]})
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            clock.advance(41)
            app.screen.query_one(Countdown).check()
            await pilot.press("space")
            await pilot.pause(0.3)
            svg = Path(app.save_screenshot(filename="answer_80x24.svg", path=str(out)))
            shots.append(to_png(svg, SMALL[0]))
        store.close()
    return shots


def main() -> None:
    import random

    random.seed(2026)  # FSRS fuzzes intervals with the global RNG: same labels every run
    for png in asyncio.run(shoot(HERE)):
        print(png.relative_to(HERE.parent))
    for png in asyncio.run(shoot_small(HERE)):
        print(png.relative_to(HERE.parent))
    for png in asyncio.run(shoot_stats(HERE)):
        print(png.relative_to(HERE.parent))
    for png in asyncio.run(shoot_groups(HERE)):
        print(png.relative_to(HERE.parent))
    for png in asyncio.run(shoot_mock(HERE)):
        print(png.relative_to(HERE.parent))
    for png in asyncio.run(shoot_interview(HERE)):
        print(png.relative_to(HERE.parent))


# ---------------------------------------------------------------- stats screen
def simulate_history(store: Store, clock: Clock, days: int, seed: int = 5) -> None:
    """Months of daily reviewing with the real ReviewSession: some days skipped, some cards hard."""
    import random

    from drill.study.session import ReviewSession

    rng = random.Random(seed)
    end = clock.now
    hard = {c.id for c in store.cards() if rng.random() < 0.15}
    for day in range(days + 1):
        if day == days:  # this morning
            clock.now = end - timedelta(hours=2)
        else:
            clock.now = end - timedelta(days=days - day) + timedelta(minutes=rng.randint(0, 600))
        if rng.random() < 0.1 and day < days - 20:
            continue
        session = ReviewSession(store, clock=clock, new_limit=1)
        while (card := session.next_card()) is not None:
            deck = store.deck(card.deck)
            limit = (deck.time_limit if deck else None) or 60
            took = rng.uniform(0.25, 1.15) * limit
            clock.advance(min(took, limit))
            p_again = 0.5 if card.id in hard else 0.07
            r = rng.random()
            rating = 1 if r < p_again else 2 if r < p_again + 0.1 else 3 if r < 0.94 else 4
            session.grade(rating, over_time=took >= limit)
    clock.now = end


# A bigger practice deck for the stats shot, so that a year of history has some texture.
COSTS = {
    "Dynamic array": [("read by index", "O(1)"), ("append", "O(1) amortised"), ("insert at front", "O(n)"),
                      ("search unsorted", "O(n)")],
    "Singly linked list": [("push at head", "O(1)"), ("find a value", "O(n)"), ("remove after a known node", "O(1)")],
    "Hash map": [("lookup", "O(1) expected, O(n) worst"), ("insert", "O(1) expected"), ("iterate in key order",
                 "needs a sort: O(n log n)")],
    "Binary heap": [("peek min", "O(1)"), ("push", "O(log n)"), ("pop min", "O(log n)"), ("build from n items", "O(n)")],
    "Balanced BST": [("lookup", "O(log n)"), ("range query of k items", "O(log n + k)"), ("delete", "O(log n)")],
    "Sorted array": [("binary search", "O(log n)"), ("insert keeping order", "O(n)")],
    "Trie": [("lookup a key of length m", "O(m)"), ("list keys with a prefix", "O(m + results)")],
    "Union-find": [("find with path compression", "near O(1) amortised"), ("union by rank", "near O(1) amortised")],
    "Graph (adjacency list)": [("BFS", "O(V + E)"), ("Dijkstra with a heap", "O((V + E) log V)"),
                               ("topological sort", "O(V + E)")],
    "Sorting": [("merge sort", "O(n log n), stable"), ("quicksort", "O(n log n) average, O(n^2) worst"),
                ("counting sort", "O(n + k)")],
}


def costs_markdown() -> str:
    lines = ["---", "deck: Big-O Costs", "time_limit: 20", "---", "# Big-O Costs", ""]
    for structure, ops in COSTS.items():
        lines += [f"## {structure}", ""]
        for op, cost in ops:
            lines += [f"### {op}", "", f"**{cost}**", ""]
    return "\n".join(lines)


async def shoot_stats(out: Path) -> list[Path]:
    from drill.library.importer import import_paths
    from drill.store.settings import Settings

    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "drill.json")
        seed_if_empty(store)
        costs = Path(tmp) / "big-o.md"
        costs.write_text(costs_markdown(), encoding="utf-8")
        import_paths(store, [costs])
        store.save_settings(Settings(leech_threshold=4))  # a low threshold, so the shot has leeches
        clock = Clock()
        simulate_history(store, clock, days=150)
        app = make_app(store, clock=clock, start="stats")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause(0.5)
            svg = Path(app.save_screenshot(filename="stats.svg", path=str(out)))
            shots.append(to_png(svg))
        store.close()
    return shots


if __name__ == "__main__":
    main()
