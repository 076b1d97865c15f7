"""End of a review: what was done and when the next card is due."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from drill.study.schedule import format_interval
from drill.study.session import Summary
from drill.ui.labels import markup
from drill.ui.widgets.footer import Footer


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="summary.home"),
        Binding("q", "app.quit", "Quit", id="summary.quit"),
    ]

    def __init__(self, summary: Summary, now: datetime, *, finished: bool) -> None:
        super().__init__()
        self.summary = summary
        self.now = now
        self.finished = finished

    def compose(self) -> ComposeResult:
        s = self.summary
        if s.done == 0 and self.finished:
            title = "Nothing to review right now."
        elif self.finished:
            title = "All caught up — session complete."
        else:
            title = "Session ended."
        minutes, seconds = divmod(int(s.seconds), 60)
        if s.left and not self.finished:  # ended early: the cards it did not show are due now
            next_due = f"now · {s.left} card{'s' if s.left != 1 else ''} left in this session"
        elif s.next_due is None:
            next_due = "nothing due yet"
        else:
            next_due = f"in {format_interval(s.next_due - self.now)}"
        yield Header()
        with Vertical(id="summary"):
            yield Static(title, id="summary-title")
            yield Static(markup("Cards reviewed   [b]$done[/b]", done=s.done), id="summary-done")
            again = (markup("Again rate       [b]$rate[/b] ($again of $done)", rate=f"{s.again_rate:.0%}", again=s.again, done=s.done)
                     if s.done else markup("Again rate       [b]—[/b] (no card graded)"))
            yield Static(again, id="summary-again")
            yield Static(markup("Time spent       [b]$time[/b]", time=f"{minutes}m {seconds:02d}s"), id="summary-time")
            yield Static(markup("Next card due    [b]$due[/b]", due=next_due), id="summary-next")
        yield Footer()

    def action_home(self) -> None:
        self.app.go_home()
