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
from drill.store import Store  # noqa: E402
from drill.ui.app import make_app  # noqa: E402
from drill.ui.widgets.countdown import Countdown  # noqa: E402

SIZE = (110, 34)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def to_png(svg: Path) -> Path:
    import cairosvg

    png = svg.with_suffix(".png")
    cairosvg.svg2png(url=str(svg), write_to=str(png), output_width=SIZE[0] * 12)
    svg.unlink()
    return png


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


def main() -> None:
    for png in asyncio.run(shoot(HERE)):
        print(png.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
