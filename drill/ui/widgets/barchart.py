"""A small vertical bar chart drawn with Unicode block characters."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar_rows(values: list[float], height: int, *, bar_width: int = 1, gap: int = 0) -> list[str]:
    """Rows of text, top first, drawing ``values`` as bars scaled to the largest one.

    Each row is ``height`` eighths of a cell tall; a non-zero value always
    shows at least a sliver.
    """
    peak = max(values, default=0)
    eighths = []
    for value in values:
        if value <= 0 or peak <= 0:
            eighths.append(0)
        else:
            eighths.append(max(1, round(value / peak * height * 8)))
    rows = []
    for row in range(height - 1, -1, -1):
        cells = []
        for e in eighths:
            fill = min(8, max(0, e - row * 8))
            cells.append(BLOCKS[fill] * bar_width + " " * gap)
        rows.append("".join(cells).rstrip())
    return rows


class BarChart(Widget):
    """Bars for ``values`` with a label under the first and last one."""

    DEFAULT_CSS = """
    BarChart { height: 8; width: 1fr; }
    """

    def __init__(self, *, color: str = "#26a641", id: str | None = None) -> None:
        super().__init__(id=id)
        self.values: list[float] = []
        self.first_label = ""
        self.last_label = ""
        self.color = color

    def show(self, values: list[float], first_label: str = "", last_label: str = "") -> None:
        self.values = list(values)
        self.first_label = first_label
        self.last_label = last_label
        self.refresh()

    def render(self) -> Text:
        if not self.values:
            return Text("Loading…", style="dim")
        width = self.content_size.width or len(self.values)
        height = max(1, (self.content_size.height or 8) - 1)
        values = self.values
        if len(values) > width:
            # Too narrow for one column a value: each bar sums a few neighbours, so no
            # row is wider than the widget (a wider one would wrap and break the chart).
            per_bar = -(-len(values) // width)
            values = [sum(values[i : i + per_bar]) for i in range(0, len(values), per_bar)]
        n = len(values)
        bar_width, gap = 1, 0
        if width >= n * 3:
            bar_width, gap = 2, 1
        elif width >= n * 2:
            bar_width, gap = 1, 1
        text = Text()
        if not any(values):
            text.append("\n" * (height - 1) + "nothing yet\n", style="dim")
        else:
            for row in bar_rows(values, height, bar_width=bar_width, gap=gap):
                text.append(row + "\n", style=self.color)
        span = n * (bar_width + gap) - gap
        pad = max(1, span - len(self.first_label) - len(self.last_label))
        text.append(f"{self.first_label}{' ' * pad}{self.last_label}", style="dim")
        return text
