"""The revealed answer: a scrolling Markdown view that renders long answers lazily.

A 400,000-character answer would take seconds to turn into widgets, so the view
mounts the first chunk of lines at once and appends the next chunk (with
``Markdown.append``, which re-parses from the last block, so a fence or a list
cut between chunks still renders whole) only as the reader scrolls near the end.

Every reveal mounts a fresh Markdown widget, and ``clear()`` removes it: an old
answer can never be painted under a new question.

The border shows a "more below" cue whenever there is more to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll

from drill.parse.textsafe import clean

if TYPE_CHECKING:  # imported at the first reveal: it brings markdown-it, Rich's Syntax, Pygments
    from drill.ui.widgets.answer_markdown import AnswerMarkdown

#: A chunk ends at the first line end after this many characters (or CHUNK_LINES lines).
CHUNK_CHARS = 2000
CHUNK_LINES = 40

#: Load the next chunk when fewer than this many screens of text are left below.
PRELOAD_SCREENS = 2

#: The cue with the default keys; a screen passes its own (more_below()) for the user's keymap.
MORE_BELOW = "▼ more below · ↓ PgDn"
AT_END = ""


def split_chunks(text: str, chars: int = CHUNK_CHARS, lines: int = CHUNK_LINES) -> list[str]:
    """*text* cut at line ends into pieces of about *chars* characters or *lines* lines.

    Joining the pieces gives *text* back exactly. A single line longer than
    *chars* stays whole (cutting it could split a word or a code line).
    """
    out: list[str] = []
    start, n = 0, len(text)
    while start < n:
        end = start
        for _ in range(lines):
            newline = text.find("\n", end)
            end = n if newline < 0 else newline + 1
            if end >= n or end - start >= chars:
                break
        out.append(text[start:end])
        start = end
    return out


class AnswerView(VerticalScroll, can_focus=False):
    """Scrolls with the screen's keys (it never needs focus) and the mouse wheel."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.pending: list[str] = []
        """Chunks not mounted yet, in order."""
        self._appending = False
        self._generation = 0
        self.more_cue = MORE_BELOW
        """The "more below" cue: the screen sets it from its keys (more_below())."""

    # ---------------------------------------------------------------- content
    @property
    def markdown(self) -> AnswerMarkdown | None:
        found = self.query("AnswerMarkdown")
        return found.first() if found else None

    def clear(self) -> None:
        """Forget the answer now (nothing of it can be painted again)."""
        self._generation += 1
        self.pending = []
        self._appending = False
        self.remove_children()
        self.border_subtitle = AT_END

    def show(self, text: str) -> None:
        """Show *text* (Markdown) from its top; only the first chunk is rendered now."""
        self.clear()
        chunks = split_chunks(text) or [""]  # each chunk is cleaned when it is mounted
        self.pending = chunks[1:]
        from drill.ui.widgets.answer_markdown import AnswerMarkdown

        markdown = AnswerMarkdown()
        self._appending = True
        generation = self._generation

        async def first() -> None:
            try:
                await self.mount(markdown)
                # append, never update: Markdown.append re-parses from the start of the
                # last block, which it only knows after an append
                await markdown.append(clean(chunks[0]))
            finally:
                if generation == self._generation:
                    self._appending = False
                    self.call_after_refresh(self._after_append)

        self.run_worker(first(), group="answer-load")
        self.scroll_home(animate=False)
        self._update_cue()

    @property
    def fully_loaded(self) -> bool:
        return not self.pending

    # ---------------------------------------------------------------- lazy loading
    def _near_end(self) -> bool:
        return self.max_scroll_y - self.scroll_y <= max(1, self.size.height) * PRELOAD_SCREENS

    def _maybe_load(self) -> None:
        if self.pending and not self._appending and self._near_end():
            self.load_more()

    def load_more(self, count: int = 1) -> None:
        """Append the next *count* chunks (in the background; the cue updates after)."""
        markdown = self.markdown
        if markdown is None or not self.pending or self._appending:
            return
        text = clean("".join(self.pending[:count]))
        del self.pending[:count]
        self._appending = True
        generation = self._generation

        async def append() -> None:
            try:
                await markdown.append(text)
            finally:
                if generation == self._generation:
                    self._appending = False
                    self.call_after_refresh(self._after_append)

        self.run_worker(append(), group="answer-load", exclusive=False)

    def _after_append(self) -> None:
        self._update_cue()
        self._maybe_load()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._update_cue()
        self._maybe_load()

    def watch_virtual_size(self, *_) -> None:
        self._update_cue()

    def on_resize(self) -> None:
        self._update_cue()
        self._maybe_load()

    def _update_cue(self) -> None:
        more = bool(self.pending) or self.scroll_y < self.max_scroll_y
        self.border_subtitle = self.more_cue if more else AT_END
        self.set_class(more, "-more")

    # ---------------------------------------------------------------- keys (called by screens)
    def scroll_by_key(self, how: str) -> None:
        scroll_by_key(self, how)
        self._maybe_load()


def scroll_by_key(widget, how: str) -> None:
    """Scroll *widget* one line, one page or to an end, at once (no animation)."""
    action = {
        "down": widget.scroll_down,
        "up": widget.scroll_up,
        "page-down": widget.scroll_page_down,
        "page-up": widget.scroll_page_up,
        "home": widget.scroll_home,
        "end": widget.scroll_end,
    }[how]
    action(animate=False)


def more_below(app, down_id: str, page_id: str) -> str:
    """The cue naming the keys bound now to *down_id* and *page_id* (the user's keymap,
    else the defaults): "▼ more below · ↓ PgDn", or "▼ more below · n f" once remapped."""
    from textual.binding import Binding

    from drill.ui.key_hints import bound_keys

    names = []
    for binding_id in (down_id, page_id):
        first = bound_keys(app, binding_id)[0]
        shown = app.get_key_display(Binding(first, ""))
        names.append(_PRETTY.get(shown, shown))
    return "▼ more below · " + " ".join(names)


_PRETTY = {"pgdn": "PgDn", "pgup": "PgUp"}
