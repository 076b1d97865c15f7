"""Story bank: your stories × the competencies interviewers ask about.

Rows are stories, columns their STAR parts, speaking time, recall and last mock
answer, then one column per competency (its story count in the header; a
common competency with fewer than two stories is a gap, in red). ``●`` is a
confirmed competency, ``○`` a suggestion. ``space`` on a competency cell
toggles it for that story, ``y`` confirms a story's suggestions, ``c`` picks
its competencies from a list and ``x`` forgets your choice; choices are kept in
the store by card, so they survive re-imports.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Header, SelectionList, Static

from drill.interview.bank import Bank
from drill.interview.report import format_seconds
from drill.interview.star import PART_NAMES, PARTS
from drill.interview.stories import CompetencyCount, Story, StoryBank, StoryStatus, analyse, story_status
from drill.parse.textsafe import clean
from drill.study.schedule import RATING_NAMES
from drill.ui.labels import notify
from drill.parse.wording import count as counted
from drill.ui.breakpoints import preset_breakpoints
from drill.ui.widgets.footer import Footer

#: The story names' column: as wide as the longest name, within these bounds.
TITLE_MIN, TITLE_MAX = 20, 40
#: Fixed columns before the competency ones.
STAT_COLUMNS = ("story", "star", "time", "recall", "mock")
#: Cells the STAR, Time, Recall and Mock columns take (their widest cell, padding included).
STAT_CELLS = 7 + 6 + 8 + 6
#: Widest a competency column's header line gets ("Disagreei…").
HEADER_WIDTH = 10
_GRADE_STYLE = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold cyan"}


def header_label(name: str, width: int = HEADER_WIDTH) -> str:
    """A competency column's first header line, from its name: the first word, with "…"
    when more words or letters were left out ("Failure and mistakes" -> "Failure…"). The
    three-letter codes ("fai 2", "dis-m 0") were cryptic."""
    first, _, rest = name.partition(" ")
    if len(first) > width:
        return first[: width - 1] + "…"
    return first + "…" if rest else first


def column_order(counts: list[CompetencyCount], marked: set[str]) -> list[CompetencyCount]:
    """The competency columns in the order they give way at the right edge: those some
    story has (● or ○) first, then the rest, each in the bank's order."""
    return [c for c in counts if c.competency.id in marked] + [c for c in counts if c.competency.id not in marked]


def title_width(screen_width: int, longest: int, competency_cells: list[int]) -> int:
    """The names' column: as wide as the longest name (TITLE_MAX at most) while the first
    competency column stays on screen; and wider by what the competency columns that fit
    leave, so the last one on screen ends at the edge instead of being cut there (the
    others are scrolled to with →)."""
    room = screen_width - 2 - 1 - STAT_CELLS - 2  # the screen's padding, a scrollbar, the stats, its own padding
    width = max(TITLE_MIN, min(longest, TITLE_MAX, room - sum(competency_cells[:1])))
    left = room - width
    for cells in competency_cells:
        if cells > left:
            break
        left -= cells
    return width + max(0, left) if left < sum(competency_cells) else width


class StoryBankScreen(Screen):
    CSS_PATH = "../story_bank.tcss"
    BINDINGS = [
        Binding("space", "toggle", "Toggle", id="stories.toggle"),
        Binding("y", "confirm", "Confirm", id="stories.confirm"),
        Binding("c", "choose", "Competencies", id="stories.choose"),
        Binding("x", "forget", "Forget", id="stories.forget", show=False),
        Binding("escape,q", "back", "Back", id="stories.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.bank: StoryBank | None = None
        self.status: dict[int, StoryStatus] = {}
        self.columns: list[CompetencyCount] = []
        self._title_width = TITLE_MIN

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sb"):
            yield Static("", id="sb-summary", markup=False)
            yield DataTable(id="sb-grid", cursor_type="cell", zebra_stripes=True, fixed_columns=1, header_height=2)
            yield Static("", id="sb-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.call_after_refresh(self.reload)

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        store = self.app.store
        store.refresh()
        self.bank = analyse(store)
        self.status = story_status(store, self.bank.stories, self.app.clock())
        self.fill()

    def fill(self) -> None:
        assert self.bank is not None
        table = self.query_one(DataTable)
        where = table.cursor_coordinate
        table.clear(columns=True)
        marked = {cid for story in self.bank.stories for cid in (*story.competencies, *story.suggested)}
        self.columns = column_order(self.bank.coverage(), marked)
        headers = [self._header(count) for count in self.columns]
        longest = max((Text(clean(s.heading)).cell_len for s in self.bank.stories), default=TITLE_MIN)
        cells = [max(len(line) for line in h.plain.split("\n")) + 2 for h in headers]
        self._title_width = title_width(self.app.size.width, longest, cells)
        table.add_column("Story", key="story", width=self._title_width)
        table.add_column("STAR", key="star")
        table.add_column("Time", key="time")
        table.add_column("Recall", key="recall")
        table.add_column("Mock", key="mock")
        for count, label in zip(self.columns, headers):
            table.add_column(label, key=count.competency.id)
        for story in self.bank.stories:
            table.add_row(*self.row(story), key=str(story.card))
        self.query_one("#sb-summary", Static).update(self.summary())
        if table.row_count:
            table.cursor_coordinate = table.validate_cursor_coordinate(where)
        self.show_detail()

    def row(self, story: Story) -> list:
        status = self.status.get(story.card, StoryStatus(None))
        title = Text(clean(story.heading))
        title.truncate(self._title_width, overflow="ellipsis")
        cells: list = [title, star_cell(story), time_cell(story), recall_cell(status), mock_cell(status)]
        for count in self.columns:
            cid = count.competency.id
            if cid in story.competencies:
                cells.append(Text("●", style="bold green", justify="center"))
            elif cid in story.suggested:
                cells.append(Text("○", style="yellow", justify="center"))
            else:
                cells.append(Text(""))
        return cells

    def summary(self) -> Content:
        assert self.bank is not None
        gaps = [c.competency.name for c in self.columns if c.gap]
        parts: list = [(f"{len(self.bank.stories)} stories", "bold"), " · ", f"{len(self.columns)} competencies"]
        if gaps:
            parts += [" · ", (f"{len(gaps)} gaps", "bold $error"), " (red, fewer than 2 stories): ", ", ".join(gaps)]
        else:
            parts += [" · ", ("no gaps", "bold $success")]
        return Content.assemble(*parts)

    # ---------------------------------------------------------------- the selected cell
    def selected(self) -> tuple[Story | None, CompetencyCount | None]:
        table = self.query_one(DataTable)
        if self.bank is None or not table.row_count:
            return None, None
        row, column = table.cursor_coordinate
        story = self.bank.stories[row] if row < len(self.bank.stories) else None
        index = column - len(STAT_COLUMNS)
        count = self.columns[index] if 0 <= index < len(self.columns) else None
        return story, count

    def show_detail(self) -> None:
        detail = self.query_one("#sb-detail", Static)
        story, count = self.selected()
        if self.bank is None or story is None:
            detail.update(
                Content.assemble(
                    ("No stories yet. ", "bold"),
                    "A card is a story when its answer labels STAR parts (Situation, Task, Action, Result) "
                    "or its deck is tagged 'stories'.",
                )
            )
            return
        bank = self.bank.bank
        parts: list = [(clean(story.title), "bold"), "\n"]
        names = _names(bank, story.competencies)
        suggested = _names(bank, story.suggested)
        if names:
            parts += ["Answers ", (names, "bold green"), " (your choice)" if story.origin == "user" else f" (from its {story.origin})"]
        elif suggested:
            parts += ["Suggested ", (suggested, "yellow"), " (y confirms)"]
        else:
            parts += [("No competency yet", "bold $error"), " (c picks some)"]
        parts += [f" · {format_seconds(story.speaking_seconds)} to tell, {story.words} words, limit {format_seconds(story.time_limit)}\n"]
        if story.star.is_story:
            marks = {"present": "✓", "empty": "empty", "absent": "✗"}
            parts += ["  ".join(f"{PART_NAMES[p]} {marks[story.star.status(p)]}" for p in PARTS)]
        else:
            parts += [("no STAR parts", "dim")]
        problems = story.problems()
        if problems:
            parts += [" · ", ("; ".join(problems), "$error")]
        if count is not None:
            gap = " · a gap: fewer than 2 stories" if count.gap else ""
            parts += ["\n", (count.competency.name, "bold"), f": {counted(len(count.stories), 'story')}, {counted(count.questions, 'question')}{gap}"]
        else:
            more = self._off_screen()
            past = f" ({more} more past the right edge)" if more else ""
            parts += ["\n", (f"→ to the {len(self.columns)} competency columns{past}; space toggles one", "dim")]
        detail.update(Content.assemble(*parts))

    @staticmethod
    def _header(count: CompetencyCount) -> Text:
        """Two lines: the competency's name (cut with "…") and its story count, red for a gap."""
        stories = counted(len(count.stories), "story")
        label = header_label(count.competency.name)
        width = max(len(label), len(stories))
        text = Text(f"{label:<{width}}\n{stories:<{width}}")
        if count.gap:
            text.stylize("bold red")
        return text

    def _off_screen(self) -> int:
        """Competency columns that start past the table's right edge (scrolled to by →)."""
        table = self.query_one(DataTable)
        x, edge = 0, table.size.width
        shown = 0
        for index, column in enumerate(table.columns.values()):
            x += column.get_render_width(table)
            if index >= len(STAT_COLUMNS) and x <= edge:
                shown += 1
        return max(0, len(self.columns) - shown)

    def on_resize(self) -> None:
        if self.bank is not None:
            self.fill()  # the names' width and what fits follow the terminal

    @on(DataTable.CellHighlighted)
    def _moved(self, event: DataTable.CellHighlighted) -> None:
        self.show_detail()

    # ---------------------------------------------------------------- actions
    def _save(self, story: Story, competencies: list[str] | None) -> None:
        try:
            self.app.store.set_story_choice(story.card, competencies)
        except OSError as exc:
            notify(self, f"NOT saved: {exc.strerror or exc}", severity="error", timeout=8)
            return
        self.reload()

    def action_toggle(self) -> None:
        story, count = self.selected()
        if story is None or count is None:
            notify(self, "Move to a competency column to toggle it for this story.", timeout=3)
            return
        chosen = list(story.answers)
        cid = count.competency.id
        chosen = [c for c in chosen if c != cid] if cid in chosen else chosen + [cid]
        self._save(story, chosen)

    def action_confirm(self) -> None:
        story, _ = self.selected()
        if story is not None and story.suggested:
            self._save(story, list(story.suggested))
            notify(self, "Suggestions confirmed", timeout=1.5)

    def action_forget(self) -> None:
        story, _ = self.selected()
        if story is not None and story.origin == "user":
            self._save(story, None)
            notify(self, "Your choice is forgotten: back to the notes' own", timeout=2)

    def action_choose(self) -> None:
        story, _ = self.selected()
        if story is None or self.bank is None:
            return

        def chosen(result: list[str] | None) -> None:
            if result is not None:
                self._save(story, result)

        self.app.push_screen(CompetencyPicker(self.bank.bank, story), chosen)

    def action_back(self) -> None:
        self.app.sub_title = ""
        self.app.pop_screen()


class CompetencyPicker(ModalScreen[list[str] | None]):
    """Tick the competencies a story answers."""

    CSS_PATH = "../story_bank.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="competencies.cancel"),
        Binding("ctrl+s", "save", "Save", id="competencies.save"),
    ]

    def __init__(self, bank: Bank, story: Story) -> None:
        super().__init__()
        preset_breakpoints(self)  # styled once, not again on the first Resize
        self.bank = bank
        self.story = story

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Content.assemble("Competencies of ", (clean(self.story.heading), "bold")), id="picker-title")
            yield SelectionList[str](
                *[(Text(c.name), c.id, c.id in self.story.answers) for c in self.bank.competencies.values()],
                id="picker-list",
            )
            yield Button("Save  ctrl+s", id="picker-save-button", variant="primary")
        yield Footer()  # the picker's own keys (space, ctrl+s, esc), not the story bank's

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        selected = set(self.query_one(SelectionList).selected)
        self.dismiss([cid for cid in self.bank.competencies if cid in selected])

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()


def _names(bank: Bank, ids) -> str:
    return ", ".join(clean(bank.name(c)) for c in ids)


def star_cell(story: Story) -> Text:
    if not story.star.is_story:
        return Text("—", style="dim")
    text = Text()
    for part in PARTS:
        status = story.star.status(part)
        if status == "present":
            text.append(part[0].upper(), style="bold green")
        elif status == "empty":
            text.append(part[0].lower(), style="bold red")
        else:
            text.append("·", style="red" if part != "learnings" else "dim")
    return text


def time_cell(story: Story) -> Text:
    style = "bold red" if story.over_time else ""
    return Text(format_seconds(story.speaking_seconds), style=style, justify="right")


def recall_cell(status: StoryStatus) -> Text:
    if status.recall is None:
        return Text("new", style="dim", justify="right")
    style = "green" if status.recall >= 0.9 else "yellow" if status.recall >= 0.7 else "red"
    return Text(f"{status.recall:.0%}", style=style, justify="right")


def mock_cell(status: StoryStatus) -> Text:
    if status.mock_seconds is None:
        return Text("—", style="dim")
    text = Text(RATING_NAMES.get(status.mock_grade, "–") if status.mock_grade else "–", style=_GRADE_STYLE.get(status.mock_grade or 0, "dim"))
    text.append(f" {format_seconds(status.mock_seconds)}/{format_seconds(status.mock_allowed)}", style="dim")
    return text
