"""What a real terminal would show: replays the frames a Textual app writes.

Pilot tests and snapshots read the compositor's idea of the screen, which is
repainted whole for them; a real terminal only gets the regions Textual thinks
changed. ``TerminalScreen.attach(app)`` records every frame the app would write
(even headless) into a small grid that understands cursor moves and text, so a
test can see rows the app forgot to repaint.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual._compositor import CompositorUpdate

_TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|([^\x1b])", re.S)


class TerminalScreen:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]
        self.y = self.x = 0
        self.frames: list[str] = []
        """The whole screen's text after each frame."""

    @classmethod
    def attach(cls, app, width: int, height: int) -> "TerminalScreen":
        term = cls(width, height)
        display = app._display

        def record(screen, renderable):
            if isinstance(renderable, CompositorUpdate):
                term.feed(renderable.render_segments(app.console))
                term.frames.append(term.text())
            return display(screen, renderable)

        app._display = record
        return term

    def feed(self, data: str) -> None:
        for match in _TOKEN.finditer(data):
            if match.group(1):
                self.y, self.x = int(match.group(1)) - 1, int(match.group(2)) - 1
            elif match.group(3) is not None:
                char = match.group(3)
                if char in "\r\n":
                    continue
                if 0 <= self.y < self.height and 0 <= self.x < self.width:
                    self.rows[self.y][self.x] = char
                    wide = cell_len(char) - 1
                    for i in range(1, wide + 1):
                        if self.x + i < self.width:
                            self.rows[self.y][self.x + i] = ""
                self.x += max(1, cell_len(char))

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.rows)
