"""Card text widgets that never let terminal escape sequences through."""

from __future__ import annotations

from textual.widgets import Markdown, Static

from ...textsafe import clean


class QuestionText(Static):
    """The prompt: plain text (no markup), sanitised."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, text: str) -> None:
        self.update(clean(text))


class AnswerMarkdown(Markdown):
    """The answer, rendered as Markdown after sanitising."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, open_links=False)

    def show(self, text: str):
        return self.update(clean(text))
