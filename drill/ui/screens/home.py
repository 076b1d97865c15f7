"""Home: the decks with new / due / total counts."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...session import deck_counts, studied_today
from ...textsafe import clean


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "review_selected", "Review deck", id="review-deck", priority=True),
        Binding("a", "review_all", "Review all due", id="review-all"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="home-totals")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Deck", key="deck")
        table.add_column("New", key="new")
        table.add_column("Due", key="due")
        table.add_column("Cards", key="cards")
        self.refresh_decks()

    def on_screen_resume(self) -> None:
        self.app.store.refresh()
        self.refresh_decks()

    def refresh_decks(self) -> None:
        table = self.query_one(DataTable)
        selected = self.selected_deck()
        table.clear()
        counts = deck_counts(self.app.store, self.app.clock())
        for c in counts:
            table.add_row(
                Text(clean(c.name)),
                _count(c.new, "bold cyan"),
                _count(c.due, "bold green"),
                Text(str(c.total), justify="right"),
                key=c.name,
            )
        if selected in {c.name for c in counts}:
            table.move_cursor(row=table.get_row_index(selected))
        settings = self.app.store.settings
        today = studied_today(self.app.store, self.app.clock(), settings)
        new = min(sum(c.new for c in counts), max(0, settings.new_per_day - today.new))
        due = min(sum(c.due for c in counts), max(0, settings.reviews_per_day - today.reviews))
        self.query_one("#home-totals", Static).update(
            f"[b]{due}[/b] due · [b]{new}[/b] new today across {len(counts)} decks"
        )
        empty = self.query_one("#home-empty", Static)
        empty.display = not counts
        empty.update("No decks yet. Import your notes with [b]drill import PATH[/b].")

    def selected_deck(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_review_selected(self) -> None:
        deck = self.selected_deck()
        if deck is not None:
            self.app.start_review([deck])

    def action_review_all(self) -> None:
        self.app.start_review(None)

    def action_refresh(self) -> None:
        self.app.store.refresh()
        self.refresh_decks()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.start_review([event.row_key.value])


def _count(value: int, style: str) -> Text:
    """A right-aligned count, highlighted when there is work to do.

    Cells are rich Text objects so deck names are never parsed as markup.
    """
    return Text(str(value), style=style if value else "dim", justify="right")
