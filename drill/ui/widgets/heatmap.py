"""A year of reviews as a calendar heatmap: one cell per day, weeks as columns."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Mapping

from rich.text import Text
from textual.widget import Widget

WEEKS = 53
LEVEL_STYLES = ("#4b525c", "#0e6b3a", "#1a8f47", "#2fbf54", "#4be36a")
TODAY_STYLE = "bold #f0b429"
CELL = "■"
EMPTY_CELL = "·"
TODAY_CELL = "◆"
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def level(count: int, peak: int) -> int:
    """Shade 0 (no reviews) to 4 (the busiest days), by share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return 1 + min(3, (4 * count - 1) // peak)


def grid_start(today: date, weeks: int = WEEKS) -> date:
    """The Monday that starts the first column, so that today is in the last one."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)


def heatmap_text(counts: Mapping[date, int], today: date, *, weeks: int = WEEKS, cell_width: int = 1) -> Text:
    """Month labels, then seven rows (Mon..Sun), then a legend."""
    start = grid_start(today, weeks)
    shown = [counts.get(start + timedelta(days=i), 0) for i in range((today - start).days + 1)]
    peak = max(shown, default=0)
    gap = " " * (cell_width - 1)
    label_width = 4
    months = [" "] * (label_width + weeks * cell_width)
    last_end = 0
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        first = next((monday + timedelta(days=d) for d in range(7) if (monday + timedelta(days=d)).day == 1), None)
        if first is None or first > today:
            continue
        col = label_width + week * cell_width
        name = MONTHS[first.month - 1]
        if col >= last_end and col + len(name) <= len(months):
            months[col : col + len(name)] = name
            last_end = col + len(name) + 1
    text = Text("".join(months).rstrip() + "\n", style="dim")
    for weekday in range(7):
        text.append(f"{DAY_LABELS[weekday]:<{label_width}}", style="dim")
        for week in range(weeks):
            day = start + timedelta(weeks=week, days=weekday)
            if day > today:
                break
            count = counts.get(day, 0)
            if day == today:
                text.append(TODAY_CELL, style=TODAY_STYLE)
            else:
                shade = level(count, peak)
                text.append(CELL if shade else EMPTY_CELL, style=LEVEL_STYLES[shade])
            text.append(gap)
        text.append("\n")
    text.append(" " * label_width + "less ", style="dim")
    for shade, style in enumerate(LEVEL_STYLES):
        text.append(CELL if shade else EMPTY_CELL, style=style)
    text.append(" more   ", style="dim")
    text.append(TODAY_CELL, style=TODAY_STYLE)
    text.append(" today", style="dim")
    return text


class Heatmap(Widget):
    """Shows ``counts`` (study day -> reviews) for the year up to ``today``."""

    DEFAULT_CSS = """
    Heatmap { height: 9; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: Mapping[date, int] = {}
        self.today: date | None = None

    def show(self, counts: Mapping[date, int], today: date) -> None:
        self.counts = counts
        self.today = today
        self.refresh()

    def render(self) -> Text:
        if self.today is None:
            return Text("Loading…", style="dim")
        width = self.content_size.width or 60
        cell_width = 2 if width >= 4 + WEEKS * 2 else 1
        weeks = max(1, min(WEEKS, (width - 4) // cell_width))
        return heatmap_text(self.counts, self.today, weeks=weeks, cell_width=cell_width)
