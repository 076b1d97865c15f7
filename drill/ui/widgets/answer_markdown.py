"""The revealed answer's Markdown widget, in a module of its own: Textual's Markdown
widget brings markdown-it, Rich's syntax highlighting and Pygments, which the app
imports at the first reveal (drill.ui.widgets.answer_view), not at start-up."""

from __future__ import annotations

from textual.widgets import Markdown

from drill.parse.readable import readable_parser
from drill.parse.textsafe import clean


class AnswerMarkdown(Markdown):
    """The answer, rendered as Markdown after sanitising; images and Obsidian links show as
    readable text (drill.parse.readable)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, open_links=False, parser_factory=readable_parser)

    def show(self, text: str):
        return self.update(clean(text))
