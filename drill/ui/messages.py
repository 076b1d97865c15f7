"""Requests to move between the mock-interview screens.

Screens post these and never import each other; ``drill.ui.app`` handles them through
``drill.ui.mock_flow``, the one module that knows the way from screen to screen.
"""

from __future__ import annotations

from textual.message import Message


class ShowMockReview(Message):
    """The last question is done: review the session's answers. *from_history*: a saved
    session reopened from the history, opened over it (its report goes back there)."""

    def __init__(self, session, *, from_history: bool = False) -> None:
        super().__init__()
        self.session = session
        self.from_history = from_history


class ShowMockReport(Message):
    """Show a mock report; *replace* swaps it for the current screen."""

    def __init__(self, report, *, from_history: bool = False, replace: bool = True) -> None:
        super().__init__()
        self.report = report
        self.from_history = from_history
        self.replace = replace


class ShowMockHistory(Message):
    """Go home, then open the list of past mock interviews."""
