"""Home: the decks with new / due / total counts, grouped by folder.

Deck groups (the folders decks come from) are rows too, with counts rolled up
from everything below them; ``space`` folds a group, ``left``/``right`` fold
and unfold, and ``enter`` on a group reviews all of it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from drill.library.groups import GroupNode, build_tree
from drill.parse.textsafe import shown
from drill.study.plans import plan_agenda, plan_line, shortfall_line
from drill.ui.labels import markup, notify, plain
from drill.study.schedule import format_interval
from drill.study.session import LaterToday, deck_counts, later_today, left_today
from drill.ui.widgets.footer import Footer


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "review_selected", "Review", id="home.review", priority=True),
        Binding("a", "review_all", "All due", id="home.all-due"),
        Binding("r", "refresh", "Refresh", id="home.refresh", show=False),
        Binding("space", "toggle_group", "Fold", id="home.fold"),
        Binding("left", "collapse_group", "Fold", id="home.collapse", show=False, priority=True),
        Binding("right", "expand_group", "Unfold", id="home.expand", show=False, priority=True),
        Binding("t", "stats", "Stats", id="home.stats"),
        Binding("m", "mock", "Mock", id="home.mock"),
        Binding("h", "mock_history", "History", id="home.history"),
        Binding("x", "remove_deck", "Remove", id="home.remove"),
        Binding("c", "cram", "Cram", id="home.cram"),
        Binding("p", "plans", "Plans", id="home.plans"),
        Binding("b", "stories", "Stories", id="home.stories"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.collapsed: set[str] = set()
        """Row keys of folded groups."""
        self._groups: dict[str, GroupNode] = {}
        self._parents: dict[str, str] = {}
        self._name_width = NAME_WIDTH
        self._filled_on_mount = False
        """on_mount just counted the decks: the ScreenResume that follows a push needs not."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="home-welcome", markup=False)
        yield Static("", id="home-totals")
        yield Static("", id="home-plans")
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
        self._filled_on_mount = True

    def on_screen_resume(self) -> None:
        if self._filled_on_mount:  # pushed a moment ago: counted on mount (twice cost ~10 ms at 10k cards)
            self._filled_on_mount = False
            return
        self.app.store.refresh()
        self.refresh_decks()

    def on_screen_suspend(self) -> None:
        self._filled_on_mount = False  # covered before its first resume (drill stats): count again then

    def on_resize(self) -> None:
        self._fit_footer()
        if name_width(self.app.size.width) != self._name_width:
            self.refresh_decks()  # names give way on a narrow screen, so the counts stay on it

    def refresh_decks(self) -> None:
        self._name_width = name_width(self.app.size.width)
        table = self.query_one(DataTable)
        selected = self._selected_key()
        table.clear()
        store, now = self.app.store, self.app.clock()
        left = left_today(store, now, store.settings)
        agenda = plan_agenda(store, now, store.settings, new_left=left.new, reviews_left=left.reviews)
        counts = deck_counts(store, now, left=left, held_back=agenda.held_back)
        new_left, due_left = left.new, left.reviews
        group_of = {d.name: d.group for d in self.app.store.decks()}
        self._groups: dict[str, GroupNode] = {}
        self._parents: dict[str, str] = {}
        self._add_rows(table, build_tree(counts, group_of, new_cap=new_left, due_cap=due_left), 0, None)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        new = min(sum(c.new for c in counts), new_left)
        due = min(sum(c.due for c in counts), due_left)
        totals = Content.assemble(
            markup(
                "[b]$due[/b] due · [b]$new[/b] new today across $decks deck$s",
                due=due,
                new=new,
                decks=len(counts),
                s="" if len(counts) == 1 else "s",
            ),
            *_later_parts(later_today(store, now, store.settings), now),
        )
        self.query_one("#home-totals", Static).update(totals)
        welcome = self.query_one("#home-welcome", Static)
        welcome.display = bool(self.app.notice)  # on home only: a toast covered the first answer
        welcome.update(plain(self.app.notice or ""))
        self.refresh_bindings()  # "space Fold" only when there are groups
        self._fit_footer()
        self._show_plans(agenda)
        empty = self.query_one("#home-empty", Static)
        empty.display = not counts
        empty.update("No decks yet. Import your notes with [b]drill import PATH[/b].")

    def _fit_footer(self) -> None:
        """As many keys as fit, most used first (FOOTER_PRIORITY): at 120 columns all of
        them (compact with groups), at 80 the last of the list give way (they are in the
        palette, whose hint stays on the right, and in its Keys panel)."""
        from drill.ui.footer_fit import fit_footer

        fit_footer(self, FOOTER_PRIORITY)

    def _show_plans(self, agenda) -> None:
        """One line per interview plan, and what the daily limits leave out of them."""
        store = self.app.store
        widget = self.query_one("#home-plans", Static)
        widget.display = bool(agenda.days)
        text = Text()
        for i, day in enumerate(agenda.days):
            if i:
                text.append("\n")
            text.append(shown(plan_line(day)))
        short = shortfall_line(agenda, store.settings)
        if short:
            text.append("\n" + short, style="bold yellow")
        widget.update(text)

    def _add_rows(self, table: DataTable, node: GroupNode, depth: int, parent: str | None) -> None:
        indent = "  " * depth
        for group in node.groups:
            key = _GROUP + group.key.casefold()
            folded = key in self.collapsed
            label = Text(indent + ("▸ " if folded else "▾ "), style="bold")
            label.append(shown(group.name), style="bold")
            table.add_row(
                _fit(label, self._name_width),
                _count(group.new, "bold cyan"),
                _count(group.due, "bold green"),
                Text(str(group.total), justify="right", style="bold"),
                key=key,
            )
            self._groups[key] = group
            if parent is not None:
                self._parents[key] = parent
            if not folded:
                self._add_rows(table, group, depth + 1, key)
        for c in node.decks:
            table.add_row(
                _fit(Text(indent + shown(c.name)), self._name_width),
                _count(c.new, "bold cyan"),
                _count(c.due, "bold green"),
                Text(str(c.total), justify="right"),
                key=c.name,
            )
            if parent is not None:
                self._parents[c.name] = parent

    def _selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def selected_deck(self) -> str | None:
        """The deck on the selected row; None on a group row."""
        key = self._selected_key()
        return None if key is None or key.startswith(_GROUP) else key

    def selected_decks(self) -> list[str]:
        """The selected deck, or every deck under the selected group."""
        key = self._selected_key()
        if key is None:
            return []
        group = self._groups.get(key)
        return group.deck_names() if group is not None else [key]

    def _review(self, key: str | None) -> None:
        group = self._groups.get(key) if key is not None else None
        decks = group.deck_names() if group is not None else ([key] if key is not None else [])
        if decks:
            self.app.start_review(decks)

    def action_review_selected(self) -> None:
        self._review(self._selected_key())

    def _set_folded(self, key: str, folded: bool) -> None:
        if folded:
            self.collapsed.add(key)
        else:
            self.collapsed.discard(key)
        self.refresh_decks()
        table = self.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(key))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("remove_deck", "cram"):
            tables = self.query_children(DataTable)  # asked on every bindings change: no DOM walk
            return bool(tables) and tables.first().row_count > 0  # no deck: nothing to remove or cram
        if action in ("toggle_group", "collapse_group", "expand_group"):
            return bool(self._groups)  # no groups: nothing to fold, and the footer says nothing of it
        return True

    def action_toggle_group(self) -> None:
        key = self._selected_key()
        if key in self._groups:
            self._set_folded(key, key not in self.collapsed)

    def action_collapse_group(self) -> None:
        """Fold the selected group; on a row inside a group, go to that group."""
        key = self._selected_key()
        if key is None:
            return
        if key in self._groups and key not in self.collapsed:
            self._set_folded(key, True)
        elif key in self._parents:
            table = self.query_one(DataTable)
            table.move_cursor(row=table.get_row_index(self._parents[key]))

    def action_expand_group(self) -> None:
        key = self._selected_key()
        if key in self._groups and key in self.collapsed:
            self._set_folded(key, False)

    def action_review_all(self) -> None:
        self.app.start_review(None)

    def action_cram(self) -> None:
        """Cram the selected deck (or group): every card, weakest first, schedule untouched."""
        decks = self.selected_decks()
        if decks:
            self.app.start_review(decks, cram=True)

    def action_plans(self) -> None:
        from .plans import PlansScreen

        self.app.push_screen(PlansScreen(self.selected_decks()))

    def action_stats(self) -> None:
        self.app.open_stats()

    def action_stories(self) -> None:
        self.app.open_stories()

    def action_mock(self) -> None:
        from drill.ui.mock_flow import start_mock
        from drill.ui.screens.mock_setup import MockSetupScreen

        names = [d.name for d in self.app.store.decks()]
        selected = self.selected_decks()

        def chosen(config) -> None:
            if config is not None:
                start_mock(self.app, config)

        self.app.push_screen(MockSetupScreen(names, selected), chosen)

    def action_mock_history(self) -> None:
        from drill.ui.mock_flow import open_history

        open_history(self.app)

    def action_remove_deck(self) -> None:
        """Remove the selected deck after a dialog that says exactly what goes."""
        from drill.library.removal import plan_removal
        from drill.ui.screens.remove_deck import RemoveDeckScreen

        name = self.selected_deck()
        if name is None:
            if self._selected_key() is not None:
                notify(self, "That is a group: remove its decks one by one.", timeout=4)
            return
        removal = plan_removal(self.app.store, name)
        if removal is None:
            self.refresh_decks()
            return

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self._remove(removal.deck, archive=choice == "archive")

        self.app.push_screen(RemoveDeckScreen(removal), chosen)

    def _remove(self, name: str, *, archive: bool) -> None:
        from drill.library.removal import count, remove_deck
        from drill.store.filelock import StoreBusy

        try:
            done = remove_deck(self.app.store, name, archive=archive)
        except (StoreBusy, OSError) as exc:
            notify(self, f"Deck NOT removed: {exc}", severity="error", timeout=8)
            return
        self.refresh_decks()
        if done is not None:
            verb = "Archived" if archive else "Removed"
            notify(self, f"{verb} deck '{done.deck}' ({count(done.cards, 'card')})", timeout=4)

    def action_refresh(self) -> None:
        self.app.store.refresh()
        self.refresh_decks()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._review(event.row_key.value)


#: Row keys of group rows start with this (deck names never contain control characters).
_GROUP = "\x00group:"

#: Home's footer keys, most used first: when the footer is too narrow the last give way.
#: Reviewing first, Fold next (shown only when there are groups, which need it), the
#: interview keys, Stats and Quit (what a new user looks for), then the ones used now
#: and then; Remove last (rare, and it asks first anyway).
FOOTER_PRIORITY = [
    "home.review", "home.all-due", "home.fold", "home.mock", "home.stories", "home.stats", "home.quit",
    "home.cram", "home.history", "home.plans", "home.remove",
]

#: Widest a deck or group name may make the first column, so the counts stay on screen.
NAME_WIDTH = 48


#: Cells the New, Due and Cards columns, the table's padding and its scrollbar take.
COUNTS_WIDTH = 28


def name_width(screen_width: int) -> int:
    """How wide the name column may be: NAME_WIDTH, less on a narrow screen (the counts stay on it)."""
    return max(12, min(NAME_WIDTH, screen_width - COUNTS_WIDTH))


def _fit(label: Text, width: int = NAME_WIDTH) -> Text:
    """*label* cut to *width* cells, ending in an ellipsis when it was longer."""
    label.truncate(width, overflow="ellipsis")
    return label


def _count(value: int, style: str) -> Text:
    """A right-aligned count, highlighted when there is work to do.

    Cells are rich Text objects so deck names are never parsed as markup.
    """
    return Text(str(value), style=style if value else "dim", justify="right")


def _later_parts(later: LaterToday, now) -> list:
    """" · 3 more later today (next in 9m)", and a line on suspended cards: home said "0 due"
    while learning cards came back in minutes, and nothing when leeches were suspended."""
    parts: list = []
    if later.count and later.next_due is not None:
        parts.append(f" · {later.count} more later today (next in {format_interval(later.next_due - now)})")
    if later.suspended:
        n = later.suspended
        parts += [
            (f"\n{n} suspended card{'s' if n != 1 else ''} (leeches): ", "dim"),
            ("t", "bold"),
            (" › Hardest cards and leeches, ", "dim"),
            ("u", "bold"),
            (" unsuspends", "dim"),
        ]
    return parts
