"""Mock interview: one question at a time, a thinking then an answer countdown, notes.

The answer is never on this screen. Time is kept by the MockSession (injected
clock); this screen polls it, shows it, and moves on when it says so.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Label, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option

from drill.interview.mock import ANSWER, THINK, MockSession
from drill.parse.wording import count
from drill.ui.key_hints import key
from drill.ui.labels import markup, notify, plain
from drill.ui.messages import ShowMockReview
from drill.ui.widgets.card_text import QuestionText
from drill.ui.widgets.countdown import format_clock, is_urgent
from drill.ui.widgets.footer import Footer

#: A second enter this soon after a phase began is taken as a double press and ignored.
DEBOUNCE_SECONDS = 0.5


class MockQuestionScreen(Screen):
    CSS_PATH = "../mock.tcss"
    # show() decides what has the keyboard in each phase; Textual's auto-focus would give it
    # to the (hidden) story list, whose own enter then swallowed "enter starts it now".
    AUTO_FOCUS = ""
    BINDINGS = [
        # enter in the notes adds a line; ctrl+n moves on. Before the answer clock runs
        # (nothing focused, or the story list), enter starts it.
        Binding("ctrl+n", "next", "Next question", id="mock-question.next", priority=True),
        Binding("enter", "start_answering", "Start answering", id="mock-question.answer-now"),
        Binding("escape,ctrl+c", "confirm_quit", "Leave", id="mock-question.leave", priority=True),
        Binding("q", "confirm_quit", "Leave", id="mock-question.leave-q", show=False),
        *[Binding(str(n), f"pick_number({n})", f"Story {n}", show=False) for n in range(10)],
    ]

    def __init__(self, session: MockSession) -> None:
        super().__init__()
        self.session = session
        self._shown: tuple[int, str] | None = None
        self._clock_shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mock"):
            with Horizontal(id="mock-status"):
                yield Static("", id="mock-progress", markup=False)
                yield Static("", id="mock-phase")
                yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="mock-bar")
                yield Label("", id="mock-time")
            yield QuestionText(id="mock-question")
            yield Static("", id="mock-hint")
            yield OptionList(id="mock-stories")
            yield TextArea(
                id="mock-notes",
                soft_wrap=True,
                placeholder="Notes: what you would say (kept for the review)",
            )
        yield Footer()

    def on_mount(self) -> None:
        if self.session.started is None:
            self.session.start()
        self.show()
        self.set_interval(0.2, self.check)

    # ---------------------------------------------------------------- time
    def check(self) -> None:
        """Sync notes, let the session end a phase whose time is up, redraw (timer; tests call it)."""
        if self.session.finished or self.session.paused_at is not None:
            return
        self._sync_notes()
        if self.session.tick() is not None:
            self.after_advance()
        else:
            self.update_clock()

    def _sync_notes(self) -> None:
        if self.session.phase == ANSWER:
            self.session.set_notes(self.query_one("#mock-notes", TextArea).text)

    @on(TextArea.Changed)
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._sync_notes()

    def after_advance(self) -> None:
        if self.session.save_error:
            notify(self, f"Mock NOT saved yet: {self.session.save_error}", severity="error", timeout=10)
        if self.session.finished:
            self.post_message(ShowMockReview(self.session))
            return
        self.show()

    # ---------------------------------------------------------------- drawing
    def show(self) -> None:
        session = self.session
        question = session.current
        if question is None:
            return
        notes = self.query_one("#mock-notes", TextArea)
        if self._shown is None or self._shown[0] != session.index:
            notes.clear()
            self.query_one("#mock-question", QuestionText).show(question.question)
            self.fill_stories()
        self._shown = (session.index, session.phase)
        picking = question.first and session.phase == THINK
        stories = self.query_one("#mock-stories", OptionList)
        stories.display = picking
        total = len(session.questions)
        progress = markup("Question $n/$total · $deck", n=session.index + 1, total=total, deck=question.deck)
        asked = session.config.count
        if total < asked:  # 5 asked of a deck with 2 cards: "Question 1/2" said nothing of it
            progress = Content.assemble(progress, " · ", (f"{count(total, 'question')} available ({asked} asked)", "bold"))
        self.query_one("#mock-progress", Static).update(progress)
        hint = self.query_one("#mock-hint", Static)
        phase = self.query_one("#mock-phase", Static)
        if picking:
            phase.update("Pick")
            hint.update(
                "Which story will you tell? [b]↑↓ enter[/b] or [b]1[/b]–[b]9[/b] picks it, [b]0[/b]: none, improvise. "
                "The answer clock starts when you pick."
            )
            notes.disabled = True
            stories.focus()
        elif session.phase == THINK:
            phase.update("Think")
            hint.update(
                markup(
                    "Thinking time: the answer clock starts when this runs out. [b]$key[/b] starts it now.",
                    key=key(self.app, "mock-question.answer-now"),
                )
            )
            notes.disabled = True
            self.set_focus(None)
        else:
            phase.update("Answer")
            last = session.index + 1 == total
            then = "ends the interview" if last else "next question"
            hint.update(
                markup(
                    "Answer out loud; jot notes below ([b]enter[/b]: new line). [b]$key[/b]: $then. "
                    "When time is up it moves on by itself.",
                    then=then,
                    key=key(self.app, "mock-question.next"),
                )
            )
            notes.disabled = False
            notes.focus()
        phase.set_class(session.phase == THINK, "-thinking")  # the label it colours, not the screen
        self.update_clock()
        self.refresh_bindings()

    def fill_stories(self) -> None:
        """The short list of stories for a question-first question, and "none — improvise"."""
        question = self.session.current
        stories = self.query_one("#mock-stories", OptionList)
        stories.clear_options()
        if question is None or not question.first:
            return
        for n, card_id in enumerate(question.options, 1):
            card = self.app.store.card(card_id)
            if card is None:
                continue
            label = Content.assemble((f"{n}  ", "bold"), plain(card.path[-1] if card.path else card.question))
            stories.add_option(Option(label, id=str(card_id)))
        stories.add_option(Option(Content.assemble(("0  ", "bold"), ("none — improvise", "italic")), id="none"))
        stories.highlighted = 0

    @on(OptionList.OptionSelected, "#mock-stories")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(None if event.option.id == "none" else int(event.option.id))

    def pick(self, story: int | None) -> None:
        if self.session.pick(story) is not None:
            self.show()

    def action_pick_number(self, n: int) -> None:
        question = self.session.current
        if question is None or not question.first or self.session.phase != THINK or self.session.paused_at is not None:
            return
        if n == 0:
            self.pick(None)
        elif n <= len(question.options):
            self.pick(question.options[n - 1])

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "start_answering":
            return self.session.phase == THINK
        if action == "next":
            return self.session.phase == ANSWER
        if action == "pick_number":
            question = self.session.current
            return question is not None and question.first and self.session.phase == THINK
        return True

    def update_clock(self) -> None:
        limit = self.session.phase_limit()
        remaining = self.session.remaining()
        # Ticks five times a second: redraw only what changed, and never re-lay out the
        # screen for it (the clock's label has a fixed width).
        shown = format_clock(remaining)
        if shown != self._clock_shown:
            self._clock_shown = shown
            self.query_one("#mock-time", Label).update(shown, layout=False)
        progress = round(100 * remaining / limit, 1) if limit else 0
        bar = self.query_one("#mock-bar", ProgressBar)
        if bar.progress != progress:
            bar.update(progress=progress)
        urgent = self.session.phase == ANSWER and is_urgent(remaining, limit)
        self.query_one("#mock-time", Label).set_class(urgent, "-urgent")  # the label only: a class on
        # the screen re-applied the CSS of every widget on it

    # ---------------------------------------------------------------- actions
    def action_start_answering(self) -> None:
        if self.session.phase == THINK:
            self.action_next()

    def action_next(self) -> None:
        if self.session.finished or self.session.paused_at is not None:
            return
        if self.session.phase_elapsed() < DEBOUNCE_SECONDS:
            return
        question = self.session.current
        if question is not None and question.first and self.session.phase == THINK:
            stories = self.query_one("#mock-stories", OptionList)
            option = stories.get_option_at_index(stories.highlighted) if stories.highlighted is not None else None
            self.pick(None if option is None or option.id == "none" else int(option.id))
            return
        self._sync_notes()
        if self.session.next() is not None:
            self.after_advance()

    def action_confirm_quit(self) -> None:
        if self.session.finished or self.session.paused_at is not None:
            return
        self._sync_notes()
        self.session.pause()
        answered = sum(1 for q in self.session.questions if q.answered) + (self.session.phase == ANSWER)
        self.app.push_screen(ConfirmLeaveScreen(answered), self._leave_answered)

    def _leave_answered(self, leave: bool | None) -> None:
        if not leave:
            self.session.resume()
            if self.session.phase == ANSWER:
                self.query_one("#mock-notes", TextArea).focus()
            return
        self.session.abandon()
        if self.session.save_error:
            notify(self, f"Abandoned mock NOT saved: {self.session.save_error}", severity="error", timeout=10)
        else:
            kept = len(self.session.questions)
            notify(self, f"Mock abandoned; saved {kept} answered question{'s' if kept != 1 else ''} to history.")
        self.app.go_home()

    def on_unmount(self) -> None:
        # Quitting the app mid-interview (ctrl+q) still keeps what was answered.
        if not self.session.finished:
            self.session.abandon()


class ConfirmLeaveScreen(ModalScreen[bool]):
    """Asks before a mock interview is abandoned; the clock is paused meanwhile."""

    CSS_PATH = "../mock.tcss"
    BINDINGS = [
        Binding("y", "leave", "Abandon", id="mock-leave.abandon"),
        Binding("n,escape", "stay", "Keep going", id="mock-leave.stay"),
        Binding("ctrl+c", "leave", "Abandon", show=False, priority=True),
    ]

    def __init__(self, answered: int) -> None:
        super().__init__()
        self.answered = answered

    def compose(self) -> ComposeResult:
        n = self.answered
        with Vertical(id="mock-confirm"):
            yield Static("[b]Leave this mock interview?[/b]", id="mock-confirm-title")
            yield Static(
                markup(
                    "It is saved as abandoned, keeping your notes and time on the $n question$s "
                    "you started answering. The clock is paused while you decide.",
                    n=n,
                    s="s" if n != 1 else "",
                ),
                id="mock-confirm-text",
            )
            with Horizontal(id="mock-confirm-buttons"):
                yield Button("y  Abandon", id="mock-confirm-yes", variant="error")
                yield Button("n  Keep going", id="mock-confirm-no", variant="primary")
        yield Footer()  # this dialog's keys, not the interview's

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "mock-confirm-yes")

    def action_leave(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)

