"""Mock review: each question's notes beside the stored answer, STAR checklist, self-grade."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Static

from drill.interview.mock import MockSession
from drill.interview.report import format_seconds
from drill.interview.star import STAR_PARTS
from drill.parse.textsafe import clean, shown
from drill.study.schedule import RATING_NAMES
from drill.ui.key_hints import key
from drill.ui.labels import markup, notify, plain
from drill.ui.messages import ShowMockReport
from drill.ui.widgets.answer_markdown import AnswerMarkdown
from drill.ui.widgets.card_text import QuestionText
from drill.ui.widgets.footer import Footer


#: Below this width the STAR row takes its short labels.
STAR_WIDE = 96


class MockReviewScreen(Screen):
    CSS_PATH = "../mock.tcss"
    BINDINGS = [
        Binding("1", "grade(1)", "Again", id="mock-review.again"),
        Binding("2", "grade(2)", "Hard", id="mock-review.hard"),
        Binding("3", "grade(3)", "Good", id="mock-review.good"),
        Binding("4", "grade(4)", "Easy", id="mock-review.easy"),
        Binding("enter", "accept", "Accept", id="mock-review.accept", priority=True),
        Binding("s", "tick('Situation')", "Situation", id="mock-review.situation", show=False),
        Binding("t", "tick('Task')", "Task", id="mock-review.task", show=False),
        Binding("a", "tick('Action')", "Action", id="mock-review.action", show=False),
        Binding("r", "tick('Result')", "Result", id="mock-review.result", show=False),
        Binding("left,p", "move(-1)", "Prev", id="mock-review.prev"),
        Binding("right,n", "move(1)", "Next", id="mock-review.next"),
        Binding("f,escape", "report", "Report", id="mock-review.report"),
    ]

    def __init__(self, session: MockSession, *, from_history: bool = False, index: int = 0) -> None:
        super().__init__()
        self.session = session
        self.from_history = from_history
        """A saved session reopened from the history: its report goes back there."""
        self.index = min(max(index, 0), max(len(session.questions) - 1, 0))
        self.status_note = ""
        """One line under the grade keys saying what the last grade did (replaces toasts)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mrev"):
            yield Static("", id="mrev-status")
            yield QuestionText(id="mrev-question")
            yield Static("", id="mrev-fit", markup=False)
            with Horizontal(id="mrev-panes"):
                with Vertical(id="mrev-notes-pane", classes="mrev-pane"):
                    yield Static("Your notes", classes="mrev-pane-title")
                    with VerticalScroll():
                        yield Static("", id="mrev-notes", markup=False)
                with Vertical(id="mrev-answer-pane", classes="mrev-pane"):
                    yield Static("Stored answer", id="mrev-answer-title", classes="mrev-pane-title", markup=False)
                    with VerticalScroll(id="mrev-answer-scroll"):
                        yield AnswerMarkdown(id="mrev-answer")
            with Horizontal(id="mrev-star"):
                yield Static("[b]STAR[/b] covered:", id="mrev-star-label")
                for part in STAR_PARTS:
                    box = Checkbox(plain(f"{part[0].lower()}  {part}"), id=f"star-{part.lower()}", compact=True)
                    box.can_focus = False
                    yield box
            yield Static("", id="mrev-points", markup=False)
            yield Static("", id="mrev-grade")
        yield Footer()

    def on_mount(self) -> None:
        if not self.session.questions:
            self.action_report()
            return
        self.fit_star_row()
        self.show()

    def on_resize(self) -> None:
        self.fit_star_row()

    def fit_star_row(self) -> None:
        """The STAR row on one line: narrow screens get the short labels (at 80 columns
        the long ones pushed "Result" off the screen)."""
        narrow = self.app.size.width < STAR_WIDE
        row = self.query_one("#mrev-star")
        row.set_class(narrow, "-narrow")
        self.query_one("#mrev-star-label", Static).update("[b]STAR[/b]:" if narrow else "[b]STAR[/b] covered:")
        gap = " " if narrow else "  "
        for part in STAR_PARTS:
            self.query_one(f"#star-{part.lower()}", Checkbox).label = plain(f"{part[0].lower()}{gap}{part}")

    # ---------------------------------------------------------------- drawing
    def show(self) -> None:
        q = self.session.questions[self.index]
        total = len(self.session.questions)
        used = format_seconds(q.seconds_used)
        timing = f"time's up at {used}" if q.timed_out else f"answered in {used} of {format_seconds(q.seconds_allowed)}"
        self.query_one("#mrev-status", Static).update(
            markup("[b]Review $n/$total[/b] · $deck · $timing", n=self.index + 1, total=total, deck=q.deck, timing=timing)
        )
        self.query_one("#mrev-question", QuestionText).show(q.question)
        self.query_one("#mrev-notes", Static).update(clean(q.notes) if q.notes.strip() else "(no notes)")
        card = self.app.store.card(q.card) if q.card is not None else None
        if card is not None:
            answer = card.answer
        elif q.first and q.picked:
            answer = "_(no story picked: you improvised)_"
        elif q.first:  # the thinking time ran out before a pick
            answer = "_(no story picked: the thinking time ran out first)_"
        else:
            answer = "_(this card is no longer in the store)_"
        self.query_one("#mrev-answer", AnswerMarkdown).show(answer)
        self.query_one("#mrev-answer-scroll").scroll_home(animate=False)
        title = "Stored answer"
        if q.first:
            title = f"Your story: {card.path[-1]}" if card is not None and card.path else "Your story"
        self.query_one("#mrev-answer-title", Static).update(plain(title))
        fit = self.query_one("#mrev-fit", Static)
        fit.display = q.first
        if q.first:
            fit.update(fit_text(self.app.store, q))
        coverage = self.session.talking_points(self.index)  # pre-ticks the checklist the first time
        points = self.query_one("#mrev-points", Static)
        points.display = coverage is not None and bool(coverage.covered or coverage.missed)
        if coverage is not None:
            points.update(points_text(coverage))
        self.query_one("#mrev-star").display = bool(q.star)
        for part in STAR_PARTS:
            box = self.query_one(f"#star-{part.lower()}", Checkbox)
            box.display = part in q.star
            with box.prevent(Checkbox.Changed):
                box.value = part in q.ticked
        self.show_grade()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "accept" and self.session.questions:
            q = self.session.questions[self.index]
            return self.session.suggestion(self.index) is not None or bool(q.grade)
        return True

    def show_grade(self) -> None:
        q = self.session.questions[self.index]
        keys = Content(" · ").join(
            markup("[b]$r[/b] $name", r=key(self.app, f"mock-review.{name.lower()}"), name=name)
            for name in RATING_NAMES.values()
        )
        parts = [Content.assemble("Grade: " if self.app.size.width < STAR_WIDE else "Grade yourself: ", keys)]
        suggestion = self.session.suggestion(self.index)
        if suggestion is not None:
            parts.append(markup("suggested [b]$grade[/b] ([b]$key[/b])", grade=RATING_NAMES[suggestion],
                                key=key(self.app, "mock-review.accept")))
        if q.grade:
            parts.append(markup("graded [b $success]$grade[/]", grade=RATING_NAMES[q.grade]))
        line = Content("  ·  ").join(parts)
        if self.status_note:  # what the last key did, on its own line: no toast over the answer
            line = Content.assemble(line, "\n", (self.status_note, "bold $accent"))
        self.query_one("#mrev-grade", Static).update(line)
        self.refresh_bindings()

    # ---------------------------------------------------------------- actions
    def action_tick(self, part: str) -> None:
        q = self.session.questions[self.index]
        if part not in q.star:
            return
        box = self.query_one(f"#star-{part.lower()}", Checkbox)
        box.value = not box.value

    @on(Checkbox.Changed)
    def _star_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        q = self.session.questions[self.index]
        q.ticked = [p for p in q.star if self.query_one(f"#star-{p.lower()}", Checkbox).value]
        self.show_grade()

    def action_grade(self, rating: int) -> None:
        was_graded = bool(self.session.questions[self.index].grade)
        if not self.session.grade(self.index, rating):
            notify(self, f"Grade NOT saved: {self.session.save_error}", severity="error", timeout=10)
            return
        fed = ", schedule updated" if self.session.config.schedule else ""
        self.status_note = f"Answer {self.index + 1}: {RATING_NAMES[rating]}, saved{fed}"
        last = self.index + 1 >= len(self.session.questions)
        ungraded = self.session.first_ungraded()
        if ungraded is None and (last or not was_graded):
            self.action_report()  # every answer has its grade
        elif ungraded is not None and ungraded > self.index:
            self.index = ungraded  # on to the next answer still to grade
            self.show()
        elif not last:
            self.index += 1
            self.show()
        else:
            # The last answer is graded but an earlier one is not: back to it, and say so
            # (f shows the report for answers left ungraded on purpose).
            left = sum(1 for q in self.session.questions if not q.grade)
            self.status_note = (
                f"{self.status_note}. {left} answer{'s' if left != 1 else ''} not graded yet: "
                f"back to answer {ungraded + 1} ({key(self.app, 'mock-review.report')}: the report anyway)"
            )
            self.index = ungraded
            self.show()

    def action_accept(self) -> None:
        suggestion = self.session.suggestion(self.index)
        if suggestion is not None:
            self.action_grade(suggestion)
        elif self.session.questions[self.index].grade:
            self.action_move(1)
        else:
            notify(self, "Grade it with 1–4 (→ skips it).", timeout=3)

    def action_move(self, step: int) -> None:
        index = self.index + step
        if 0 <= index < len(self.session.questions):
            self.index = index
            self.show()
        elif index >= len(self.session.questions):
            self.action_report()

    def action_report(self) -> None:
        self.post_message(ShowMockReport(self.session.report(), from_history=self.from_history))


def _story_names(store, ids) -> list[str]:
    out = []
    for card_id in ids:
        card = store.card(card_id)
        if card is not None:
            out.append(card.path[-1] if card.path else card.question)
    return out


def fit_text(store, q) -> Content:
    """Question-first: did the picked story fit, and which stories are mapped to the question."""
    mapped = _story_names(store, q.fitting)
    picked = _story_names(store, [q.card]) if q.card is not None else []
    listed = plain(", ".join(mapped), 120)
    if q.fit:
        others = [m for m in mapped if m not in picked]
        tail = Content.assemble(" · also: ", plain(", ".join(others), 80)) if others else Content("")
        return Content.assemble(("✓ ", "bold $success"), "You picked ", (shown(picked[0]), "bold"), ", a story for this question", tail)
    if not mapped and picked:  # the pick is kept; it is just not one of the stories mapped to this question
        return Content.assemble(
            ("✗ ", "bold $warning"), "Your story ", (shown(picked[0]), "bold"),
            " is not mapped to this question yet (b on home shows the gaps)",
        )
    if not mapped:
        return Content.assemble(
            ("✗ ", "bold $error"), ("No story of yours answers this yet", "bold"), " (b on home shows the gaps)"
        )
    if picked:
        return Content.assemble(("✗ ", "bold $warning"), "You picked ", (shown(picked[0]), "bold"), "; stories for it: ", listed)
    return Content.assemble(("✗ ", "bold $warning"), "No story picked; stories for it: ", listed)


def points_text(coverage) -> Content:
    """Talking points of the stored answer: covered in the notes, or missed."""
    def listed(points) -> str:  # "a; b", not "a.; b." (points are often whole sentences)
        return "; ".join(p.text.strip().rstrip(".;") for p in points)

    covered = listed(coverage.covered)
    missed = listed(coverage.missed)
    parts: list = []
    if covered:
        parts += [("Covered: ", "bold $success"), plain(covered, 160)]
    if missed:
        parts += ["  " if parts else "", ("Missed: ", "bold $warning"), plain(missed, 160)]
    return Content.assemble(*parts)
