"""Mock report: time used vs allowed, grades and STAR coverage per question; what to drill next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from drill.interview.report import COMPLETE, DATE_FORMAT, Report, format_seconds
from drill.parse.textsafe import shown
from drill.ui.key_hints import key
from drill.ui.labels import NAME_WIDTH
from drill.study.schedule import RATING_NAMES
from drill.ui.widgets.columns import cut, room_for, widest
from drill.ui.messages import ShowMockHistory
from drill.parse.wording import count
from drill.ui.widgets.footer import Footer

_GRADE_STYLE = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold cyan"}


class MockReportScreen(Screen):
    CSS_PATH = "../mock.tcss"
    BINDINGS = [
        Binding("enter,escape", "back", "Back", id="mock-report.back", priority=True),
        Binding("h", "history", "History", id="mock-report.history"),
        Binding("d", "drill_next", "Drill these", id="mock-report.drill"),
    ]

    def __init__(self, report: Report, *, from_history: bool = False) -> None:
        super().__init__()
        self.report = report
        self.from_history = from_history

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mrep"):
            yield Static(self.title_text(), id="mrep-title")
            yield DataTable(id="mrep-table", cursor_type="none", zebra_stripes=True)
            yield Static(self.totals_text(), id="mrep-totals")
            yield Static("", id="mrep-weakest")  # filled on mount: its lines fit the screen's width
            yield Static("", id="mrep-plans")
        yield Footer()

    def on_mount(self) -> None:
        self.show_plans()
        self.fit()

    def on_resize(self) -> None:
        self.fit()  # the question column and the Drill next lines are cut to the width

    def fit(self) -> None:
        """The table and the Drill next lines, built for the screen's width."""
        if self.size.width == getattr(self, "_fitted_width", None):
            return
        self._fitted_width = self.size.width
        self.query_one("#mrep-weakest", Static).update(self.weakest_text())
        table = self.query_one(DataTable)
        table.clear(columns=True)
        numbers, times, grades, stars = [], [], [], []
        for row in self.report.rows:
            time = Text(f"{format_seconds(row.seconds_used)} / {format_seconds(row.seconds_allowed)}")
            if row.timed_out:
                time.append(" ⏱", style="bold red")
            numbers.append(Text(str(row.number), justify="right"))
            times.append(time)
            grades.append(Text(row.grade_name, style=_GRADE_STYLE.get(row.grade, "dim")))
            stars.append(Text(row.star_label, justify="center"))
        # The question gives way: the times, grades and STAR columns always show.
        fixed = [widest("#", numbers), widest("Time / allowed", times), widest("Grade", grades), widest("STAR", stars)]
        room = min(60, room_for(self.size.width - 4, fixed))
        table.add_column("#", key="n")
        table.add_column("Question", key="question", width=room)
        table.add_column("Time / allowed", key="time")
        table.add_column("Grade", key="grade")
        table.add_column("STAR", key="star")
        for i, row in enumerate(self.report.rows):
            table.add_row(numbers[i], cut(shown(row.question), room), times[i], grades[i], stars[i], key=str(row.number))

    def show_plans(self) -> None:
        """Readiness of the interview plans that cover this mock's decks."""
        from drill.study.plans import plan_today, readiness_lines

        store = self.app.store
        lines = readiness_lines(plan_today(store, self.app.clock()).days, self.report.decks)
        widget = self.query_one("#mrep-plans", Static)
        widget.display = bool(lines)
        widget.update(Text("\n".join(shown(line) for line in lines)))
        widget.styles.padding = (1, 2, 0, 2)

    # ---------------------------------------------------------------- text
    def title_text(self) -> Text:
        r = self.report
        when = r.started.astimezone().strftime(DATE_FORMAT) if r.started else "?"
        text = Text()
        text.append("Mock interview · ", style="bold")
        text.append(when, style="bold")
        text.append(" · " + (", ".join(shown(d, NAME_WIDTH) for d in r.decks) or "all decks"))
        status = "complete" if r.status == COMPLETE else "abandoned"
        text.append(f"  [{status}]", style="green" if r.status == COMPLETE else "yellow")
        return text

    def totals_text(self) -> Text:
        r = self.report
        text = Text()
        text.append("Total ", style="dim")
        text.append(f"{format_seconds(r.seconds_used)} of {format_seconds(r.seconds_allowed)}", style="bold")
        text.append(f" · {count(len(r.rows), 'question')}, {r.over_time} out of time · {r.graded} graded", style="")
        if r.average_grade is not None:
            text.append(" · average ")
            nearest = min(RATING_NAMES, key=lambda g: abs(g - r.average_grade))
            text.append(f"{r.average_grade:.1f} ({RATING_NAMES[nearest]})", style="bold")
        if r.star_total:
            text.append(" · STAR ")
            text.append(f"{r.star_ticked}/{r.star_total}", style="bold")
        first = [row for row in r.rows if row.first]
        if first:
            text.append("\n")
            missing = r.no_story
            if missing:
                topics = ", ".join(dict.fromkeys(row.deck for row in missing))
                text.append(f"No fitting story for {len(missing)} of {count(len(first), 'question')}", style="bold red")
                text.append(f" ({shown(topics)}): write one, b on home shows the gaps", style="")
            else:
                every = "the question" if len(first) == 1 else f"all {len(first)} questions"
                text.append(f"A fitting story for {every}", style="bold green")
            if r.misfits:
                text.append(f" · {len(r.misfits)} answered with another story or none", style="yellow")
        return text

    def weakest_text(self) -> Text:
        r = self.report
        if not r.weakest:
            return Text("Nothing was answered.", style="dim")
        width = self.size.width - 10  # the box's padding and border, the screen's margin
        lines = [Text("Drill next", style="bold")]
        if self.drill_cards():
            lines[0].append(f" · {key(self.app, 'mock-report.drill')} drills these now (schedule unchanged)", style="dim")
        for n, row in enumerate(r.weakest, 1):
            number = Text(f"  {n}. ", style="bold")
            tail = Text(f"  ({shown(row.deck, 24)} · {row.grade_name}", style="dim")  # then the deck gives way
            if row.star_total:
                tail.append(f" · STAR {row.star_label}")
            tail.append(")")
            # the question gives way, so its deck, grade and STAR stay on the line
            question = cut(shown(row.question), max(12, width - number.cell_len - tail.cell_len))
            lines.append(cut(Text.assemble(number, question, tail), width))
        return Text("\n").join(lines)

    # ---------------------------------------------------------------- actions
    def drill_cards(self) -> list[int]:
        """The cards of the "Drill next" list that are still in the store, in its order."""
        store = self.app.store
        ids = [row.card for row in self.report.weakest if row.card is not None]
        return [cid for cid in dict.fromkeys(ids) if (card := store.card(cid)) is not None and not card.archived]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "drill_next":
            return bool(self.drill_cards())  # nothing to drill: not in the footer
        return True

    def action_drill_next(self) -> None:
        """Cram exactly the cards of "Drill next" (the schedule already has the mock's grades)."""
        cards = self.drill_cards()
        if cards:
            n = len(cards)
            self.app.start_review(None, cards=cards, title=f"Drill next from the mock ({n} card{'s' if n != 1 else ''})")

    def action_back(self) -> None:
        if self.from_history:
            self.app.sub_title = "Mock interviews"
            self.app.pop_screen()
        else:
            self.app.go_home()

    def action_history(self) -> None:
        if self.from_history:
            self.action_back()
            return
        self.post_message(ShowMockHistory())
