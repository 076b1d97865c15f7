"""Review: a timed prompt, reveal, self-grade with next intervals, next card."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from drill.parse.textsafe import clean
from drill.study.schedule import RATING_NAMES
from drill.study.session import ReviewSession
from drill.ui.widgets.card_text import AnswerMarkdown, QuestionText
from drill.ui.widgets.countdown import Countdown


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("space,enter", "reveal", "Reveal", id="reveal", priority=True),
        Binding("1", "grade(1)", "Again", id="grade-again"),
        Binding("2", "grade(2)", "Hard", id="grade-hard"),
        Binding("3", "grade(3)", "Good", id="grade-good"),
        Binding("4", "grade(4)", "Easy", id="grade-easy"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("s", "bury", "Bury", id="bury"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("q", "finish", "End", id="end"),
    ]

    def __init__(self, session: ReviewSession, *, time_limit: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.time_limit_override = time_limit
        self.revealed = False
        self.over_time = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review"):
            with Horizontal(id="review-status"):
                yield Static("", id="review-progress")
                yield Countdown(self.app.clock, id="countdown")
            yield QuestionText(id="question")
            yield Static("", id="review-hint")
            with VerticalScroll(id="answer-scroll"):
                yield AnswerMarkdown(id="answer")
            with Horizontal(id="grades"):
                for rating, name in RATING_NAMES.items():
                    button = Button(f"{rating} {name}", id=f"grade-{rating}", classes=f"grade grade-{name.lower()}")
                    button.can_focus = False
                    yield button
        yield Footer()

    def on_mount(self) -> None:
        self.advance()

    # ---------------------------------------------------------------- flow
    def time_limit_for(self, deck_name: str) -> int:
        if self.time_limit_override:
            return self.time_limit_override
        deck = self.app.store.deck(deck_name)
        if deck is not None and deck.time_limit:
            return deck.time_limit
        return self.session.settings.default_time_limit

    def advance(self) -> None:
        card = self.session.next_card()
        if card is None:
            self.app.show_summary(self.session, finished=True)
            return
        self.show_question()

    def show_question(self) -> None:
        card = self.session.current
        assert card is not None
        self.revealed = False
        self.over_time = False
        self.query_one("#question", QuestionText).show(card.question)
        left = self.session.remaining()
        self.query_one("#review-progress", Static).update(
            f"[b]{clean(card.deck)}[/b] · {'new' if card.is_new else 'review'} · {left} left"
        )
        if card.cloze is not None:
            self.query_one("#review-hint", Static).update("Fill in the blank, then press [b]space[/b] to reveal.")
        else:
            self.query_one("#review-hint", Static).update("Think it through, then press [b]space[/b] to reveal.")
        self.query_one("#answer-scroll").display = False
        self.query_one("#grades").display = False
        self.query_one(Countdown).start(self.time_limit_for(card.deck))
        self.refresh_bindings()

    def reveal(self, *, over_time: bool = False) -> None:
        card = self.session.current
        if card is None or self.revealed:
            return
        self.revealed = True
        self.over_time = over_time
        countdown = self.query_one(Countdown)
        countdown.stop()
        took = self.session.elapsed()
        hint = f"Answered in {took:.0f}s." if not over_time else "[b $error]Time's up[/] — marked over time."
        self.query_one("#review-hint", Static).update(hint + " Grade yourself: [b]1[/b]–[b]4[/b].")
        self.query_one(AnswerMarkdown).show(card.answer or "_(no answer text)_")
        self.query_one("#answer-scroll").display = True
        if card.cloze is not None:  # a cloze reveals in place: the sentence with its blank filled
            self.query_one("#question", QuestionText).show_cloze(card.question, *card.cloze)
            self.query_one("#answer-scroll").display = False
        self.query_one("#answer-scroll").scroll_home(animate=False)
        for rating, outcome in self.session.outcomes().items():
            self.query_one(f"#grade-{rating}", Button).label = f"{rating} {outcome.label}"
        self.query_one("#grades").display = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        has_card = self.session.current is not None
        if action == "reveal":
            return has_card and not self.revealed
        if action == "grade":
            return has_card and self.revealed
        if action in ("bury", "edit"):
            return has_card
        if action == "undo":
            return bool(self.session.history)
        return True

    # ---------------------------------------------------------------- actions
    def action_reveal(self) -> None:
        self.reveal()

    @on(Countdown.Expired)
    def _expired(self) -> None:
        self.reveal(over_time=True)

    def action_grade(self, rating: int) -> None:
        if not self.revealed or self.session.current is None:
            return
        try:
            graded = self.session.grade(rating, over_time=self.over_time)
        except OSError as exc:
            self.notify(f"Grade NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        self.notify(f"{RATING_NAMES[rating]} · saved", timeout=1.5)
        if graded.leech:
            self.notify(f"Leech: {clean(graded.card.question)} suspended", severity="warning", markup=False, timeout=6)
        self.advance()

    @on(Button.Pressed, ".grade")
    def _grade_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_grade(int(event.button.id.rsplit("-", 1)[1]))

    def action_undo(self) -> None:
        try:
            card = self.session.undo()
        except OSError as exc:
            self.notify(f"Undo NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        if card is not None:
            self.notify("Last grade undone", timeout=1.5)
            self.show_question()

    def action_bury(self) -> None:
        if self.session.current is None:
            return
        try:
            self.session.bury()
        except OSError as exc:
            self.notify(f"Bury NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        self.notify("Buried until tomorrow", timeout=1.5)
        self.advance()

    def action_edit(self) -> None:
        card = self.session.current
        if card is None:
            return
        self.query_one(Countdown).stop()
        message = self.app.edit_card(card)
        if message:
            self.notify(message, timeout=4)
        fresh = self.app.store.card(card.id)
        if fresh is None or fresh.archived:
            self.notify("That card is gone from its file; moving on.", timeout=4)
            self.session.current = None
            self.advance()
            return
        self.session.current = fresh
        self.session.shown_at = self.app.clock()
        self.show_question()

    def action_finish(self) -> None:
        self.query_one(Countdown).stop()
        self.app.show_summary(self.session, finished=False)
