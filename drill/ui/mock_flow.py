"""Starting a mock interview from the app: refresh, pick questions, open the screen."""

from __future__ import annotations

from textual.app import App

from ..mock import MockConfig, MockSession
from ..store import StoreBusy
from ..textsafe import clean


def start_mock(app: App, config: MockConfig | dict) -> bool:
    """Open the interview screen over the current one; False (and a notice) if there is nothing to ask."""
    from .screens.mock_question import MockQuestionScreen

    if isinstance(config, dict):
        config = MockConfig.from_dict(config)
    try:
        app.store.refresh()
    except (StoreBusy, OSError) as exc:
        app.notify(f"Could not read the store: {exc}", severity="error", timeout=8)
        return False
    session = MockSession.create(app.store, config, clock=app.clock)
    if not session.questions:
        which = ", ".join(config.decks) if config.decks else "your decks"
        app.notify(f"No cards to ask in {which}.", severity="warning", timeout=6)
        return False
    app.sub_title = clean("Mock interview · " + ", ".join(session.decks))
    app.push_screen(MockQuestionScreen(session))
    return True


def open_history(app: App) -> None:
    from .screens.mock_history import MockHistoryScreen

    app.store.refresh()
    app.sub_title = "Mock interviews"
    app.push_screen(MockHistoryScreen())
