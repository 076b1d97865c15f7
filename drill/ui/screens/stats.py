"""Stats: a year of reviews, streaks, time, the due forecast, retention per deck, leeches.

Thin: the numbers come from :mod:`drill.stats` (computed just after the first
paint); the widgets only draw them.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from drill.parse.textsafe import shown
from drill.parse.wording import count
from drill.stats.compute import MIN_RETENTION_REVIEWS, Stats, store_stats
from drill.store.userconfig import applied
from drill.study.leeches import unsuspend
from drill.ui.labels import notify
from drill.ui.screens.home import NAME_WIDTH, _fit
from drill.ui.widgets.barchart import BarChart
from drill.ui.widgets.columns import PADDING, room_for, widest
from drill.ui.widgets.heatmap import Heatmap
from drill.ui.breakpoints import preset_breakpoints
from drill.ui.widgets.footer import Footer


#: Cells the Decks table's columns after the name take (with padding, scrollbars and the box).
DECK_COLUMNS_WIDTH = 62

#: The hardest-cards table's Deck column at most, and its Question column at least
#: (the Question gives way first, then the Deck).
HARD_DECK_WIDTH = 28
QUESTION_MIN = 24

#: The charts' titles, long and short: three charts share the width, and at 80
#: columns the long ones were cut ("Reviews / day, 30 …").
CHART_TITLES = {
    "stats-reviews": ("Reviews / day, 30 days", "Reviews · 30 days"),
    "stats-minutes": ("Minutes / day, 30 days", "Minutes · 30 days"),
    "stats-forecast": ("Due, next 30 days", "Due · next 30 days"),
}

#: Below this screen width the charts take their short titles.
WIDE = 100


def chart_title(chart_id: str, width: int) -> str:
    long, short = CHART_TITLES[chart_id]
    return long if width >= WIDE else short


class StatsScreen(Screen):
    # Below 100 columns the heatmap and "At a glance" stack instead of squeezing each other.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="stats.back"),
        Binding("e", "edit", "Edit card", id="stats.edit"),
        Binding("u", "unsuspend", "Unsuspend", id="stats.unsuspend"),
        Binding("r", "reload", "Refresh", id="stats.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        preset_breakpoints(self)  # styled once, not again on the first Resize
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            with Horizontal(id="stats-top"):
                heatmap = Heatmap(id="stats-heatmap")
                heatmap.border_title = "Reviews, last 12 months"
                yield heatmap
                glance = Static("Loading…", id="stats-glance")
                glance.border_title = "At a glance"
                yield glance
            with Horizontal(id="stats-charts"):
                for chart_id, color in (("stats-reviews", "#26a641"), ("stats-minutes", "#4e9bd6"), ("stats-forecast", "#f0b429")):
                    chart = BarChart(color=color, id=chart_id)
                    chart.border_title = chart_title(chart_id, self.app.size.width)
                    yield chart
            with Vertical(id="stats-decks-box"):
                yield Static("Decks", classes="stats-heading")
                yield DataTable(id="stats-decks", cursor_type="none", zebra_stripes=True)
            with Vertical(id="stats-hard-box"):
                yield Static(
                    "Hardest cards and leeches [dim](tab to pick one · e edit · u unsuspend)[/]",
                    classes="stats-heading",
                )
                yield DataTable(id="stats-hard", cursor_type="row", zebra_stripes=True)
                yield Static("", id="stats-hard-empty")
        yield Footer()

    def on_mount(self) -> None:
        decks = self.query_one("#stats-decks", DataTable)
        decks.can_focus = False
        for label, key in (
            ("Deck", "deck"),
            ("Cards", "cards"),
            ("Due", "due"),
            ("Retention", "retention"),
            ("Avg answer", "avg"),
            ("Limit", "limit"),
            ("Over time", "over"),
        ):
            decks.add_column(label, key=key)
        hard = self.query_one("#stats-hard", DataTable)
        for label, key in (("Status", "status"), ("Lapses", "lapses"), ("Again", "again"), ("Deck", "deck"), ("Question", "question")):
            hard.add_column(label, key=key)
        # Arrow keys scroll the page; tab moves into the card list (see on_descendant_focus).
        self.query_one("#stats", VerticalScroll).focus()
        # Paint the frame first, then compute. The computation is CPU-bound and holds
        # the GIL, so a worker thread would only slow it down (measured in bench/).
        self.call_after_refresh(self.reload)

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        """Recompute everything from the store (and whatever other processes wrote)."""
        store = self.app.store
        store.refresh()
        try:
            # the saved roll-up + the journal tail; the person's default time limit
            settings = applied(store.settings, getattr(self.app, "user_config", None))
            stats = store_stats(store, self.app.clock(), settings=settings)
        except OSError as exc:
            notify(self, f"Could not read the review log: {exc.strerror or exc}", severity="error")
            return
        self.show_stats(stats)

    def show_stats(self, s: Stats) -> None:
        self.stats = s
        self.query_one(Heatmap).show({d: v[0] for d, v in s.days.items()}, s.today)
        self.query_one("#stats-glance", Static).update(_glance(s))
        recent = s.recent()
        first, last = _short(recent[0][0]), "today"
        self.query_one("#stats-reviews", BarChart).show([n for _, n, _ in recent], first, last)
        self.query_one("#stats-minutes", BarChart).show([m for _, _, m in recent], first, last)
        self.query_one("#stats-forecast", BarChart).show(
            [n for _, n in s.forecast], "today", _short(s.forecast[-1][0]) if s.forecast else ""
        )
        self._fill_decks(s)
        self._fill_hard(s)
        self.refresh_bindings()

    def _deck_name_width(self) -> int:
        """The Decks table's name column gives way first, so its last columns stay on screen."""
        return max(12, min(NAME_WIDTH, self.app.size.width - DECK_COLUMNS_WIDTH))

    def on_resize(self) -> None:
        for chart_id in CHART_TITLES:
            self.query_one(f"#{chart_id}", BarChart).border_title = chart_title(chart_id, self.app.size.width)
        if self.stats is not None and self._deck_name_width() != getattr(self, "_name_width", None):
            self._fill_decks(self.stats)
        if self.stats is not None and hasattr(self, "_hard_cells") and self._hard_widths() != self._hard_width:
            self._fill_hard(self.stats)

    def _hard_widths(self, statuses: list[Text] | None = None, decks: list[str] | None = None) -> tuple[int, int]:
        """(deck, question) widths of the hardest-cards table. The fixed columns keep
        their width; the question gives way first (to QUESTION_MIN cells), then the deck
        (to 12); both end in "…" when cut."""
        if statuses is None:
            statuses, decks = self._hard_cells
        fixed = [widest("Status", statuses), len("Lapses"), len("Again")]
        room = room_for(self.app.size.width - 6, fixed, minimum=32) - PADDING  # two columns share it
        deck = min(HARD_DECK_WIDTH, widest("Deck", decks or []))
        if room - deck < QUESTION_MIN:
            deck = max(12, room - QUESTION_MIN)
        return deck, max(QUESTION_MIN, room - deck)

    def _fill_decks(self, s: Stats) -> None:
        table = self.query_one("#stats-decks", DataTable)
        table.clear()
        self._name_width = width = self._deck_name_width()
        for d in s.decks:
            table.add_row(
                _fit(Text(shown(d.name)), width),
                _num(d.cards),
                _num(d.due, "bold green" if d.due else "dim"),
                _pct(d.retention, d.mature_reviews),
                Text("—" if d.avg_seconds is None else f"{d.avg_seconds:.0f} s", justify="right"),
                Text(f"{d.time_limit} s", justify="right"),
                Text("—" if d.over_share is None else f"{d.over_share:.0%}", justify="right"),
                key=d.name,
            )

    def _fill_hard(self, s: Stats) -> None:
        table = self.query_one("#stats-hard", DataTable)
        selected = self.selected_card()
        table.clear()
        rows = list(s.leeches) + [c for c in s.hardest if not c.leech]
        statuses = []
        for c in rows:
            if c.leech:
                statuses.append(Text("leech · suspended", style="bold red"))
            elif c.suspended:
                statuses.append(Text("suspended", style="yellow"))
            else:
                statuses.append(Text(""))
        self._hard_cells = (statuses, [shown(c.deck) for c in rows])
        self._hard_width = (deck_width, question_width) = self._hard_widths()
        for c, status in zip(rows, statuses):
            table.add_row(
                status,
                _num(c.lapses),
                _num(c.again),
                _fit(Text(shown(c.deck)), deck_width),
                _fit(Text(" ".join(shown(c.question, 400).split())), question_width),
                key=str(c.card),
            )
        if selected is not None and str(selected) in {str(c.card) for c in rows}:
            table.move_cursor(row=table.get_row_index(str(selected)))
        empty = self.query_one("#stats-hard-empty", Static)
        empty.display = not rows
        empty.update("No lapses yet: every card you reviewed, you remembered.")

    # ---------------------------------------------------------------- actions
    def selected_card(self) -> int | None:
        table = self.query_one("#stats-hard", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "edit":
            return self.selected_card() is not None
        if action == "unsuspend":
            card_id = self.selected_card()
            card = self.app.store.card(card_id) if card_id is not None else None
            return card is not None and card.suspended
        return True

    @on(DataTable.RowHighlighted, "#stats-hard")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "stats-hard":
            self.query_one("#stats", VerticalScroll).scroll_to_widget(event.widget, animate=False)

    def action_back(self) -> None:
        self.app.sub_title = ""
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.reload()

    def action_edit(self) -> None:
        card_id = self.selected_card()
        card = self.app.store.card(card_id) if card_id is not None else None
        if card is None:
            return
        message = self.app.edit_card(card)
        if message:
            notify(self, message, timeout=4)
        self.reload()

    def action_unsuspend(self) -> None:
        card_id = self.selected_card()
        card = self.app.store.card(card_id) if card_id is not None else None
        if card is None or not card.suspended:
            return
        try:
            unsuspend(self.app.store, card.id, self.app.clock())
        except OSError as exc:
            notify(self, f"Unsuspend NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        notify(self, f"Unsuspended: {shown(card.question, 80)}", timeout=3)
        self.reload()


def _short(day: date) -> str:
    return f"{day:%b} {day.day}"


def _num(value: int, style: str | None = None) -> Text:
    return Text(str(value), style=style or ("" if value else "dim"), justify="right")


def _pct(value: float | None, n: int) -> Text:
    if value is None:
        return Text(f"— ({n}/{MIN_RETENTION_REVIEWS})", style="dim", justify="right")
    return Text(f"{value:.0%} ({n})", justify="right")


def _glance(s: Stats) -> Text:
    def days(n: int) -> str:
        return count(n, "day")

    rows = [
        ("Streak", days(s.streak_days), "bold #39d353" if s.streak_days else "dim"),
        ("Longest", days(s.longest_streak), ""),
        ("Today", f"{count(s.reviews_today, 'review')} · {s.minutes_today:.0f} min", ""),
        ("Due today", str(s.due_today), "bold green" if s.due_today else "dim"),
        (
            "Retention",
            "not enough data" if s.retention is None else f"{s.retention:.1%} of {s.mature_reviews}",
            "dim" if s.retention is None else "bold",
        ),
        ("Avg answer", "—" if s.avg_seconds is None else f"{s.avg_seconds:.0f} s", ""),
        ("All time", count(s.total_reviews, "review"), ""),
    ]
    text = Text()
    for i, (label, value, style) in enumerate(rows):
        text.append(f"{label:<11}", style="dim")
        text.append(value, style=style)
        if i < len(rows) - 1:
            text.append("\n")
    return text
