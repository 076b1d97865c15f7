"""Mock setup: a small form (decks, questions, seconds to answer and to think)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static

from drill.interview.mock import (
    DEFAULT_ANSWER_SECONDS,
    DEFAULT_COUNT,
    DEFAULT_THINK_SECONDS,
    MockConfig,
)
from drill.parse.textsafe import shown
from drill.ui.labels import NAME_WIDTH
from drill.ui.widgets.selection import show_first_ticked
from drill.ui.breakpoints import preset_breakpoints
from drill.ui.widgets.footer import Footer

#: (input id, label, default, smallest allowed, largest allowed)
FIELDS = [
    ("mock-count", "Questions", DEFAULT_COUNT, 1, 50),
    ("mock-answer", "Seconds to answer", DEFAULT_ANSWER_SECONDS, 1, 3600),
    ("mock-think", "Seconds to think", DEFAULT_THINK_SECONDS, 0, 600),
]


def read_number(text: str, label: str, low: int, high: int) -> int:
    """The whole number in ``text``, or ValueError with a one-line reason."""
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{label}: not a whole number: {text.strip()!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{label}: must be between {low} and {high}")
    return value


class MockSetupScreen(ModalScreen[MockConfig | None]):
    """The form scrolls when the terminal is too short for it; its own keys are in its footer."""

    CSS_PATH = "../mock.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="mock-setup.cancel"),
        Binding("ctrl+s", "start", "Start", id="mock-setup.start"),
    ]

    def __init__(self, decks: list[str], selected: list[str] | None = None) -> None:
        super().__init__()
        preset_breakpoints(self)  # styled once, not again on the first Resize
        self.deck_names = decks
        self.selected = set(selected or ())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="mock-setup"):
            yield Static("Mock interview", id="mock-setup-title")
            yield Label("Decks (none ticked = all decks)")
            yield SelectionList[str](
                *[(Text(shown(name, NAME_WIDTH)), name, name in self.selected) for name in self.deck_names],
                id="mock-setup-decks",
            )
            for field_id, label, default, _, _ in FIELDS:
                with Horizontal(classes="mock-setup-row"):
                    yield Label(label)
                    yield Input(str(default), id=field_id, type="integer", compact=True)
            yield Checkbox("Grades update my review schedule", True, id="mock-setup-schedule", compact=True)
            yield Static("", id="mock-setup-error")
            with Horizontal(id="mock-setup-buttons"):
                yield Button("Cancel", id="mock-setup-cancel-button")
                yield Button("Start", id="mock-setup-start-button", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        show_first_ticked(self.query_one(SelectionList))

    def config(self) -> MockConfig:
        """The form as a MockConfig; ValueError with a one-line reason when a field is bad."""
        numbers = [read_number(self.query_one(f"#{fid}", Input).value, label, low, high) for fid, label, _, low, high in FIELDS]
        chosen = list(self.query_one(SelectionList).selected)
        decks = [name for name in self.deck_names if name in chosen] or None
        return MockConfig(
            decks=decks,
            count=numbers[0],
            answer_seconds=numbers[1],
            think_seconds=numbers[2],
            schedule=self.query_one("#mock-setup-schedule", Checkbox).value,
        )

    def action_start(self) -> None:
        try:
            config = self.config()
        except ValueError as exc:
            error = self.query_one("#mock-setup-error", Static)
            error.update(Text(str(exc)))
            error.display = True
            return
        self.dismiss(config)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "mock-setup-start-button":
            self.action_start()
        else:
            self.action_cancel()
