"""Review: a timed prompt, reveal, self-grade with next intervals, next card.

The revealed answer gets every row the screen can spare: below 30 rows the
question box, hint and grade row shrink to one line of chrome each (see the
``-short`` rules in drill.tcss). The answer scrolls with the screen's keys
(``↓ ↑ j k PgDn PgUp``) and the mouse wheel, without being focused.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from drill.interview.asking import Asker
from drill.parse.textsafe import shown
from drill.store.userconfig import time_limit
from drill.study.schedule import RATING_NAMES, format_interval, parse_iso
from drill.study.session import ReviewSession, UndoConflict, card_kind
from drill.study.timeout import EXTRA_SECONDS, TimeOutRule
from drill.ui.key_hints import grade_keys, key
from drill.ui.labels import NAME_WIDTH, notify, plain
from drill.ui.widgets.answer_view import AnswerView, more_below, scroll_by_key
from drill.ui.widgets.card_text import QuestionText
from drill.ui.widgets.countdown import Countdown
from drill.ui.breakpoints import preset_breakpoints
from drill.ui.widgets.footer import Footer

#: How each count and the current card's kind are coloured (Anki: blue, red, green).
KIND_STYLE = {"new": "$primary", "learning": "$error", "review": "$success"}

#: Below this width the grade buttons drop the "·" from their labels.
NARROW = 72

#: From this width a cram's grade buttons also say "no change".
WIDE = 100


class ReviewScreen(Screen):
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-medium"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("space,enter", "reveal", "Reveal", id="review.reveal", priority=True),
        Binding("1", "grade(1)", "Again", id="review.again"),
        Binding("2", "grade(2)", "Hard", id="review.hard"),
        Binding("3", "grade(3)", "Good", id="review.good"),
        Binding("4", "grade(4)", "Easy", id="review.easy"),
        Binding("plus", "extend", "+30s", id="review.more-time"),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("s", "bury", "Bury", id="review.bury"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("q,escape", "finish", "End", id="review.end"),
        Binding("down,j", "scroll_answer('down')", "Scroll down", id="review.scroll-down", show=False),
        Binding("up,k", "scroll_answer('up')", "Scroll up", id="review.scroll-up", show=False),
        Binding("pagedown", "scroll_answer('page-down')", "Page down", id="review.page-down", show=False),
        Binding("pageup", "scroll_answer('page-up')", "Page up", id="review.page-up", show=False),
        Binding("home", "scroll_answer('home')", "Top", id="review.top", show=False),
        Binding("end", "scroll_answer('end')", "Bottom", id="review.bottom", show=False),
    ]

    def __init__(self, session: ReviewSession, *, time_limit: int | None = None) -> None:
        super().__init__()
        preset_breakpoints(self)  # styled once, not again on the first Resize
        self.session = session
        self.time_limit_override = time_limit
        self.revealed = False
        self.over_time = False
        self.extended = False
        """``+`` gave this card 30 more seconds (once per card)."""
        self.time_out = TimeOutRule(session.settings.on_time_out)
        self.last_grade: Content | None = None
        """What the last grade did ("Good · saved · back in 10m"), shown with the next question."""
        self.asker = Asker(session.store, hint=bool(session.settings.story_hint))
        """Asks story cards by an interview question, project cards by "Walk me through"."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review"):
            with Horizontal(id="review-status"):
                yield Static("", id="review-progress", markup=False)
                yield Static("", id="review-counts", markup=False)
                yield Countdown(self.app.clock, id="countdown")
            with VerticalScroll(id="question-box", can_focus=False):
                yield QuestionText(id="question")
                yield Static("", id="story-hint", markup=False)
            yield Static("", id="review-hint")
            yield AnswerView(id="answer-scroll")
            yield Horizontal(id="grades")  # its buttons: after the first paint (_build_grades)
        yield Footer()

    def on_mount(self) -> None:
        self.advance()
        self.call_after_refresh(self._build_grades)

    def _build_grades(self) -> None:
        """Mount the four grade buttons (hidden until a reveal) once: after the first
        question is painted, or at the reveal if that comes first. Button's CSS and the
        four buttons were a tenth of the screen's cost before its first paint."""
        found = self.query("#grades")  # none once the screen has gone (the session ended at once)
        if not found or found.first().children:
            return
        buttons = []
        for rating, name in RATING_NAMES.items():
            button = Button(plain(f"{rating} {name}"), id=f"grade-{rating}", classes=f"grade grade-{name.lower()}")
            button.can_focus = False
            buttons.append(button)
        found.first().mount(*buttons)

    # ---------------------------------------------------------------- flow
    def time_limit_for(self, deck_name: str) -> int:
        if self.time_limit_override:
            return self.time_limit_override
        deck = self.app.store.deck(deck_name)
        if deck is not None and deck.time_limit:
            return deck.time_limit
        # the person's default (config.toml), else the store's
        return time_limit(getattr(self.app, "user_config", None), self.session.settings.default_time_limit)

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
        self.extended = False
        self.time_out.reset()
        self._settle_layout()
        self.query_one("#question-box").set_class(False, "-revealed")  # on the box: a class on
        # the screen re-applied the CSS of every widget on it
        answer = self.query_one(AnswerView)
        answer.clear()  # never leave the last card's answer in the screen, even hidden
        answer.display = False
        self.query_one("#grades").display = False
        asked = self.asker.ask(card)
        self.query_one("#question", QuestionText).show(asked.question)
        story_hint = self.query_one("#story-hint", Static)
        story_hint.update(Content.assemble(("from your notes: ", "dim"), (asked.hint, "dim italic")) if asked.hint else "")
        story_hint.display = bool(asked.hint)
        self.query_one("#question-box").scroll_home(animate=False)
        self.show_status()
        hint = (
            "Fill in the blank, then press "
            if card.cloze is not None
            else "Think it through, then press "
        )
        reveal = key(self.app, "review.reveal")  # the user's key, if they remapped it
        if self.last_grade is not None:  # the last grade's confirmation, with a shorter hint
            parts = [self.last_grade, "  ·  ", (reveal, "bold"), " reveals"]
        else:
            parts = [hint, (reveal, "bold"), " to reveal."]
        status = self.query_one("#review-hint", Static)
        status.update(Content.assemble(*parts))
        status.display = True
        self.query_one(Countdown).start(self.time_limit_for(card.deck))
        self.refresh_bindings()
        self.refresh()  # repaint every row: where the answer was must be painted blank

    def _settle_layout(self) -> None:
        """Bring the compositor's map of the screen up to date before the answer is hidden.

        Scrolling the answer takes Textual's fast path, which leaves its full map
        stale; the next layout then rebuilds that map lazily *after* the answer is
        hidden, finds no change where the answer was, and repaints nothing there:
        the last card's answer stayed on the terminal under the new question
        (Textual 8.2). Reading the map first keeps the hidden answer's rows dirty.
        """
        compositor = getattr(self, "_compositor", None)
        if compositor is not None:
            getattr(compositor, "full_map", None)

    def show_status(self) -> None:
        """The deck and kind of the current card, and the new · learning · review counts."""
        card = self.session.current
        assert card is not None
        kind = card_kind(card)
        cram = ("cram · ", "bold $warning") if getattr(self.session, "cram", False) else ""
        self.query_one("#review-progress", Static).update(
            Content.assemble(
                (shown(card.deck, NAME_WIDTH), "bold"),
                " · ",
                cram,
                (kind, KIND_STYLE["learning" if kind == "relearning" else kind]),
            )
        )
        counts = self.session.counts()
        parts: list = []
        for name, value in (("new", counts.new), ("learning", counts.learning), ("review", counts.review)):
            if parts:
                parts.append(" · ")
            style = f"bold {KIND_STYLE[name]}" if value else "dim"
            parts += [f"{name} ", (str(value), style)]
        self.query_one("#review-counts", Static).update(Content.assemble(*parts))

    def reveal(self, *, over_time: bool = False) -> None:
        card = self.session.current
        if card is None or self.revealed:
            return
        self.revealed = True
        self.over_time = over_time
        countdown = self.query_one(Countdown)
        countdown.stop()
        took = self.session.elapsed()
        cap = self.time_out.cap(over_time)
        if cap is not None:
            timing = Content.from_markup(f"[b $error]Time's up[/] — {RATING_NAMES[cap]} at most, higher takes two presses")
        elif over_time:
            timing = Content.from_markup("[b $error]Time's up[/] — marked over time")
        else:
            timing = Content(f"answered in {took:.0f}s")
        hint = self.query_one("#review-hint", Static)
        if card.cloze is not None:  # a cloze reveals in place: the sentence with its blank filled
            self.query_one("#question", QuestionText).show_cloze(card.question, *card.cloze)
            grades = grade_keys(self.app, "review")
            keys = [("1", "bold"), "–", ("4", "bold")] if grades == "1–4" else [(grades, "bold")]
            hint.update(Content.assemble(timing, ". Grade yourself: ", *keys, "."))
        else:
            hint.display = False  # its row goes to the answer; the timing is in the answer's title
            answer = self.query_one(AnswerView)
            answer.border_title = Content.assemble("Answer · ", timing)
            answer.more_cue = more_below(self.app, "review.scroll-down", "review.page-down")
            answer.show(card.answer or "_(no answer text)_")
            answer.display = True
            self.query_one("#question-box").set_class(True, "-revealed")
        self._label_grades()
        self.query_one("#grades").display = True
        self.refresh_bindings()

    def _label_grades(self) -> None:
        """Each grade button's label with the interval it gives, fitted to the screen's width.

        A cram review changes no schedule: its buttons say "no change" where four of
        those fit abreast (from WIDE columns), else only the grade (the status line
        says "cram"): "1 Again · no change" was cut to "1 Again · no" at 80 columns.
        """
        if not self.revealed or self.session.current is None:
            return
        self._build_grades()
        narrow = self.size.width < NARROW
        cram = getattr(self.session, "cram", False)
        for rating, outcome in self.session.outcomes().items():
            name = f"{key(self.app, 'review.' + RATING_NAMES[rating].lower())} {RATING_NAMES[rating]}"
            if cram:
                label = f"{name} · no change" if self.size.width >= WIDE else name
            else:
                interval = format_interval(outcome.interval)
                label = f"{name} {interval}" if narrow else f"{name} · {interval}"
            self.query_one(f"#grade-{rating}", Button).label = plain(label)

    def on_resize(self) -> None:
        self._label_grades()  # "·" comes and goes with the width

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        has_card = self.session.current is not None
        if action == "reveal":
            return has_card and not self.revealed
        if action == "grade":
            return has_card and self.revealed
        if action == "extend":
            return has_card and not self.revealed and not self.extended
        if action in ("bury", "edit"):
            return has_card
        if action == "undo":
            return self.session.can_undo()
        return True

    # ---------------------------------------------------------------- actions
    def action_reveal(self) -> None:
        self.reveal()

    def action_scroll_answer(self, how: str) -> None:
        answer = self.query_one(AnswerView)
        if answer.display:
            answer.scroll_by_key(how)
        else:  # before the reveal (or on a cloze) the keys scroll a long question
            scroll_by_key(self.query_one("#question-box", VerticalScroll), how)

    @on(Countdown.Expired)
    def _expired(self) -> None:
        self.reveal(over_time=True)

    def action_extend(self) -> None:
        """``+``: 30 more seconds on this card's countdown, once per card (recorded with the grade)."""
        if self.revealed or self.extended or self.session.current is None:
            return
        self.extended = True
        self.query_one(Countdown).extend(EXTRA_SECONDS)
        notify(self, f"+{EXTRA_SECONDS}s", timeout=1.5)
        self.refresh_bindings()

    def action_grade(self, rating: int) -> None:
        if not self.revealed or self.session.current is None:
            return
        if not self.time_out.press(rating, self.over_time):
            notify(self, self.time_out.confirm_prompt(rating), severity="warning", timeout=4)
            return
        try:
            graded = self.session.grade(rating, over_time=self.over_time, extended=self.extended)
        except OSError as exc:
            notify(self, f"Grade NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        if graded.recomputed:  # the labels on screen were from before another window's grade
            saved = self.session.last_outcome
            notify(
                self,
                f"This card was graded in another window meanwhile: your {RATING_NAMES[rating]} was applied "
                f"to its new state ({saved.label if saved else RATING_NAMES[rating]})",
                severity="warning",
                timeout=8,
            )
        back = next((c for c in self.session.learning if c.id == graded.card.id), None)
        parts: list = [("✓ ", "bold $success"), (RATING_NAMES[rating], "bold"), " saved"]
        if back is not None:
            parts.append(f" · back in {format_interval(parse_iso(back.state['due']) - self.app.clock())}")
        if graded.leech:  # rare and worth a toast: it also shows when this was the last card
            parts += [" · ", ("leech: suspended", "bold $warning")]
            notify(
                self, f"Leech: {shown(graded.card.question, 80)} suspended", severity="warning", timeout=6
            )
        parts += [" · ", (key(self.app, "review.undo"), "bold"), " undo"]
        self.last_grade = Content.assemble(*parts)
        self.advance()
        compact = getattr(self.app, "compact_if_due", None)
        if compact is not None:
            compact()  # after the grade is durable and the next card is up

    @on(Button.Pressed, ".grade")
    def _grade_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_grade(int(event.button.id.rsplit("-", 1)[1]))

    def action_undo(self) -> None:
        bury = self.session.last_was_bury()
        try:
            card = self.session.undo()
        except UndoConflict as exc:
            notify(self, f"Last grade {exc}", severity="warning", timeout=6)
            return
        except OSError as exc:
            notify(self, f"Undo NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        if card is not None:
            self.last_grade = Content.assemble(("↶ ", "bold"), "Bury undone" if bury else "Last grade undone")
            self.show_question()

    def action_bury(self) -> None:
        if self.session.current is None:
            return
        try:
            self.session.bury()
        except OSError as exc:
            notify(self, f"Bury NOT saved: {exc.strerror or exc}", severity="error", timeout=10)
            return
        self.last_grade = Content.assemble(
            "Buried until tomorrow · ", (key(self.app, "review.undo"), "bold"), " undo"
        )
        self.advance()

    def action_edit(self) -> None:
        card = self.session.current
        if card is None:
            return
        self.query_one(Countdown).stop()
        message = self.app.edit_card(card)
        if message:
            notify(self, message, timeout=4)
        fresh = self.app.store.card(card.id)
        if fresh is None or fresh.archived:
            notify(self, "That card is gone from its file; moving on.", timeout=4)
            self.session.current = None
            self.advance()
            return
        self.session.current = fresh
        self.session.shown_at = self.app.clock()
        self.show_question()

    def action_finish(self) -> None:
        self.query_one(Countdown).stop()
        self.app.show_summary(self.session, finished=False)
