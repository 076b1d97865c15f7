"""Navigation of a mock interview: start it, then question -> review -> report, and history.

The mock screens never import one another; they post the messages in
``drill.ui.messages`` and the app calls the functions here.
"""

from __future__ import annotations

from textual.app import App

from drill.interview.mock import MockConfig, MockSession
from drill.parse.textsafe import shown
from drill.store.filelock import StoreBusy
from drill.ui.labels import NAME_WIDTH, notify


def start_mock(app: App, config: MockConfig | dict) -> bool:
    """Open the interview screen over the current one; False (and a notice) if there is nothing to ask."""
    from drill.ui.screens.mock_question import MockQuestionScreen

    if isinstance(config, dict):
        config = MockConfig.from_dict(config)
    try:
        app.store.refresh()
    except (StoreBusy, OSError) as exc:
        notify(app, f"Could not read the store: {exc}", severity="error", timeout=8)
        return False
    session = MockSession.create(app.store, config, clock=app.clock)
    if not session.questions:
        which = ", ".join(shown(d, NAME_WIDTH) for d in config.decks) if config.decks else "your decks"
        notify(app, f"No cards to ask in {which}.", severity="warning", timeout=6)
        return False
    app.sub_title = "Mock interview · " + ", ".join(shown(d, NAME_WIDTH) for d in session.decks)
    app.push_screen(MockQuestionScreen(session))
    return True


def show_review(app: App, session: MockSession, *, from_history: bool = False) -> None:
    """Replace the question screen with the review of every answer; *from_history*: open
    the review of a saved session over the history, at its first ungraded answer."""
    from drill.ui.screens.mock_review import MockReviewScreen

    app.sub_title = "Mock review"
    if from_history:
        app.push_screen(MockReviewScreen(session, from_history=True, index=session.first_ungraded() or 0))
    else:
        app.switch_screen(MockReviewScreen(session))


def saved_session(app: App, doc: dict) -> MockSession:
    """A saved mock (``Store.mocks()``) as a session that can be reviewed and graded."""
    return MockSession.from_doc(app.store, doc, clock=app.clock)


def show_report(app: App, report, *, from_history: bool = False, replace: bool = True) -> None:
    from drill.ui.screens.mock_report import MockReportScreen

    app.sub_title = "Mock report"
    screen = MockReportScreen(report, from_history=from_history)
    if replace:
        app.switch_screen(screen)
    else:
        app.push_screen(screen)


def open_history(app: App) -> None:
    from drill.ui.screens.mock_history import MockHistoryScreen

    app.store.refresh()
    app.sub_title = "Mock interviews"
    app.push_screen(MockHistoryScreen())
