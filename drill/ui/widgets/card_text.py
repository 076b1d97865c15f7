"""Card text widgets that never let terminal escape sequences through (the answer's
Markdown widget is in drill.ui.widgets.answer_markdown)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from drill.parse.cloze import BLANK
from drill.parse.textsafe import clean

#: How a revealed cloze deletion stands out in its sentence.
CLOZE_STYLE = "bold reverse $accent"


class QuestionText(Static):
    """The prompt: plain text (no markup), sanitised."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, text: str) -> None:
        self.update(clean(text))

    def show_cloze(self, question: str, offset: int, hidden: str) -> None:
        """A cloze question with its blank (at *offset*) filled in, highlighted.

        Content.assemble takes its strings as plain text, never as markup.
        """
        filled = (clean(hidden), CLOZE_STYLE)
        if question[offset : offset + len(BLANK)] != BLANK:  # stale offset: show it after
            self.update(Content.assemble(clean(question), "  → ", filled))
            return
        self.update(Content.assemble(clean(question[:offset]), filled, clean(question[offset + len(BLANK) :])))


def __getattr__(name: str):
    """``AnswerMarkdown`` lives in drill.ui.widgets.answer_markdown (imported when first asked
    for, so importing this module does not bring markdown-it)."""
    if name == "AnswerMarkdown":
        from drill.ui.widgets.answer_markdown import AnswerMarkdown

        return AnswerMarkdown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
