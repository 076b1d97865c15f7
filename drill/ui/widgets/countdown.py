"""A countdown bar for timed prompts, driven by an injectable clock."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, ProgressBar


def format_clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))  # 0.2 s left still reads 0:01
    return f"{seconds // 60}:{seconds % 60:02d}"


def is_urgent(remaining: float, limit: float) -> bool:
    """The last 10 seconds (or the last quarter of a shorter limit): the clock turns red."""
    return 0 < remaining <= min(10.0, limit / 4)


class Countdown(Widget):
    """Shows the time left on a prompt; posts ``Expired`` once when it reaches zero."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; height: 1; width: 1fr; }
    Countdown Label { width: 8; content-align: right middle; text-style: bold; }
    Countdown ProgressBar { width: 1fr; }
    Countdown ProgressBar Bar { width: 1fr; }
    Countdown Label.-urgent { color: $error; }
    Countdown Label.-stopped { color: $text-muted; text-style: none; }
    """

    class Expired(Message):
        """Time is up for the current prompt."""

    remaining: reactive[float] = reactive(0.0)

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.limit = 0.0
        self._started: datetime | None = None
        self._running = False
        self._shown: str | None = None
        self._label_classes: dict[str, bool] = {}
        """-stopped / -urgent for the time label (kept for a label not composed yet)."""

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=100, show_eta=False, show_percentage=False)
        yield Label("", id="countdown-time", classes=" ".join(c for c, on in self._label_classes.items() if on))

    def on_mount(self) -> None:
        self.set_interval(0.2, self.check)

    def start(self, limit: float) -> None:
        self.limit = float(limit)
        self._started = self.clock()
        self._running = True
        self._label_class(False, "-stopped")
        self.check()

    def extend(self, seconds: float) -> None:
        """Give the running prompt *seconds* more."""
        if self._running:
            self.limit += seconds
            self.check()

    def stop(self) -> None:
        self._running = False
        self._label_class(True, "-stopped")

    @property
    def running(self) -> bool:
        return self._running

    def check(self) -> None:
        """Recompute the time left from the clock (called on a timer, and by tests)."""
        if not self._running or self._started is None:
            return
        elapsed = (self.clock() - self._started).total_seconds()
        self.remaining = max(0.0, self.limit - elapsed)
        if self.remaining <= 0:
            self._running = False
            self._label_class(True, "-stopped")
            self.post_message(self.Expired())

    def watch_remaining(self, remaining: float) -> None:
        if not self.is_mounted:
            return
        shown = format_clock(remaining)
        label = self.query_one(Label)
        if shown != self._shown:  # five ticks a second; the label changes once
            self._shown = shown
            label.update(shown, layout=False)  # fixed width: no re-layout of the screen
        share = remaining / self.limit if self.limit else 0
        self.query_one(ProgressBar).update(progress=100 * share)
        self._label_class(is_urgent(remaining, self.limit), "-urgent")

    def _label_class(self, add: bool, name: str) -> None:
        """-stopped and -urgent style the time label only, so they are set on it: a class on
        the countdown re-applied the CSS of its progress bar too, at every start and stop."""
        self._label_classes[name] = add
        for label in self.query("#countdown-time"):
            label.set_class(add, name)
