"""The "Remove deck?" dialog of home (``x``): says exactly what goes, then remove, archive or cancel.

Dismissed with "remove", "archive" or None. The dialog only asks; home removes
the deck through :mod:`drill.library.removal`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from drill.library.removal import Removal
from drill.ui.key_hints import key
from drill.ui.labels import markup, plain
from drill.ui.widgets.footer import Footer

REMOVE, ARCHIVE = "remove", "archive"


class RemoveDeckScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("y", "choose('remove')", "Remove", id="remove-deck.remove"),
        Binding("a", "choose('archive')", "Archive instead", id="remove-deck.archive"),
        Binding("n,escape", "cancel", "Cancel", id="remove-deck.cancel"),
    ]

    def __init__(self, removal: Removal) -> None:
        super().__init__()
        self.removal = removal

    def compose(self) -> ComposeResult:
        with Vertical(id="remove-deck"):
            yield Static(plain(self.removal.headline()), id="remove-deck-title")
            with VerticalScroll(id="remove-deck-scroll"):
                lines = self.removal.details()
                lines.append("Archive instead hides the deck and keeps its schedule and history.")
                yield Static(Content("\n").join(plain(line) for line in lines), id="remove-deck-text")
            with Horizontal(id="remove-deck-buttons"):
                yield Button(markup("$k Remove", k=key(self.app, "remove-deck.remove")), id="remove-deck-remove", variant="error")
                yield Button(markup("$k Archive", k=key(self.app, "remove-deck.archive")), id="remove-deck-archive", variant="warning")
                yield Button(markup("$k Cancel", k=key(self.app, "remove-deck.cancel")), id="remove-deck-no", variant="primary")
        yield Footer()  # this dialog's keys, not home's

    def on_mount(self) -> None:
        self.query_one("#remove-deck-no", Button).focus()  # enter on the dialog cancels

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = {"remove-deck-remove": REMOVE, "remove-deck-archive": ARCHIVE}.get(event.button.id or "")
        self.dismiss(choice)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
