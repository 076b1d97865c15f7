"""Mock history: past mock interviews, newest last; enter opens one's report."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from drill.interview.report import COMPLETE, build_report, format_seconds
from drill.parse.textsafe import shown
from drill.ui.labels import NAME_WIDTH, markup
from drill.ui.messages import ShowMockReport


class MockHistoryScreen(Screen):
    CSS_PATH = "../mock.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open report", id="mock-history.open", priority=True),
        Binding("escape,q", "back", "Back", id="mock-history.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="mhist-title")
        yield DataTable(id="mhist-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When", key="when")
        table.add_column("Status", key="status")
        table.add_column("Questions", key="questions")
        table.add_column("Time / allowed", key="time")
        table.add_column("Avg grade", key="grade")
        table.add_column("Decks", key="decks")
        self.reports = {}
        for doc in self.app.store.mocks():
            report = build_report(doc)
            self.reports[str(doc["id"])] = report
            when = report.started.astimezone().strftime("%Y-%m-%d %H:%M") if report.started else "?"
            done = report.status == COMPLETE
            table.add_row(
                Text(when),
                Text(report.status, style="green" if done else "yellow"),
                Text(str(len(report.rows)), justify="right"),
                Text(f"{format_seconds(report.seconds_used)} / {format_seconds(report.seconds_allowed)}"),
                Text(f"{report.average_grade:.1f}" if report.average_grade is not None else "–", justify="right"),
                Text(", ".join(shown(d, NAME_WIDTH) for d in report.decks) or "all decks"),
                key=str(doc["id"]),
            )
        n = table.row_count
        title = self.query_one("#mhist-title", Static)
        if n:
            title.update(markup("[b]$n[/b] mock interview$s, newest last. [b]enter[/b] opens a report.", n=n, s="s" if n != 1 else ""))
            table.move_cursor(row=n - 1)
        else:
            title.update("No mock interviews yet. Press [b]m[/b] on the home screen to start one.")
        table.focus()

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
        self.post_message(ShowMockReport(self.reports[key], from_history=True, replace=False))

    def action_back(self) -> None:
        self.app.sub_title = ""
        self.app.pop_screen()
