"""Mock history: past mock interviews, newest last; enter opens one's report."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from drill.interview.report import COMPLETE, DATE_FORMAT, build_report, format_seconds
from drill.parse.textsafe import shown
from drill.ui.key_hints import key as bound_key
from drill.ui.labels import NAME_WIDTH, markup
from drill.ui.messages import ShowMockReport, ShowMockReview
from drill.ui.widgets.columns import cut, room_for, widest
from drill.ui.widgets.footer import Footer


class MockHistoryScreen(Screen):
    CSS_PATH = "../mock.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="mock-history.open", priority=True),
        Binding("escape,q", "back", "Back", id="mock-history.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="mhist-title")
        yield DataTable(id="mhist-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.fill()
        table = self.query_one(DataTable)
        table.move_cursor(row=table.row_count - 1)
        table.focus()

    def on_screen_resume(self) -> None:
        """Back from a report or a review: grades may have changed."""
        if self.app.screen is not self:  # popped on the way home (go_home): home names itself
            return
        self.app.sub_title = "Mock interviews"
        self.app.store.refresh()
        self.fill()

    def on_resize(self) -> None:
        self.fill()  # the decks column gives way on a narrow screen

    def fill(self) -> None:
        """The table, built for the screen's width: every column but Decks keeps its width;
        Decks gets what is left, cut with "…"."""
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        self.reports = {}
        self.docs = {}
        rows = []
        for doc in self.app.store.mocks():
            report = build_report(doc)
            self.reports[str(doc["id"])] = report
            self.docs[str(doc["id"])] = doc
            when = report.started.astimezone().strftime(DATE_FORMAT) if report.started else "?"
            done = report.status == COMPLETE
            status = Text(report.status, style="green" if done else "yellow")
            left = len(report.rows) - report.graded
            if left:
                status.append(f" · {left} to grade", style="bold yellow")
            rows.append(
                (
                    str(doc["id"]),
                    Text(when),
                    status,
                    Text(str(len(report.rows)), justify="right"),
                    Text(f"{format_seconds(report.seconds_used)} / {format_seconds(report.seconds_allowed)}"),
                    Text(f"{report.average_grade:.1f}" if report.average_grade is not None else "–", justify="right"),
                    Text(", ".join(shown(d, NAME_WIDTH) for d in report.decks) or "all decks"),
                )
            )
        headers = ["When", "Status", "Questions", "Time / allowed", "Avg grade"]
        fixed = [widest(h, [r[i + 1] for r in rows]) for i, h in enumerate(headers)]
        width = self.size.width - 4  # the table's margins
        if room_for(width, fixed, minimum=0) < 12:
            # Narrow: short headers, and the time used without the time allowed, leave Decks room.
            headers = ["When", "Status", "Qs", "Time", "Avg"]
            rows = [(*r[:4], Text(str(r[4]).split(" / ")[0]), *r[5:]) for r in rows]
            fixed = [widest(h, [r[i + 1] for r in rows]) for i, h in enumerate(headers)]
        room = room_for(width, fixed, minimum=8)
        decks = [cut(r[-1], room) for r in rows]
        widths = fixed + [widest("Decks", decks)]
        for header, key, width in zip(headers + ["Decks"], ["when", "status", "questions", "time", "grade", "decks"], widths):
            table.add_column(header, key=key, width=width)
        for (key, *cells), deck_cell in zip(rows, decks):
            table.add_row(*cells[:-1], deck_cell, key=key)
        n = table.row_count
        title = self.query_one("#mhist-title", Static)
        if n:
            title.update(
                markup(
                    "[b]$n[/b] mock interview$s, newest last. [b]$key[/b] opens a report, or the review "
                    "of answers still to grade.",
                    n=n,
                    s="s" if n != 1 else "",
                    key=bound_key(self.app, "mock-history.open"),
                )
            )
            table.move_cursor(row=min(cursor, n - 1))
        else:
            title.update(markup("No mock interviews yet. Press [b]$key[/b] on the home screen to start one.",
                                key=bound_key(self.app, "home.mock")))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self._open(row_key.value)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.row_key.value)

    def _open(self, key: str) -> None:
        report = self.reports[key]
        if report.graded < len(report.rows):  # an abandoned mock, say: grade what is left
            from drill.interview.mock import MockSession

            session = MockSession.from_doc(self.app.store, self.docs[key], clock=self.app.clock)
            self.post_message(ShowMockReview(session, from_history=True))
            return
        self.post_message(ShowMockReport(report, from_history=True, replace=False))

    def action_back(self) -> None:
        self.app.sub_title = ""
        self.app.pop_screen()
