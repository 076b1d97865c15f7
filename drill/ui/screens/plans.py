"""Interview plans: the list (readiness, today's share), a form to add one, clear."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Header, Input, Label, SelectionList, Static

from drill.parse.textsafe import shown
from drill.ui.labels import NAME_WIDTH, notify
from drill.ui.widgets.selection import show_first_ticked
from drill.study.plans import Plan, clear_plans, make_plan, plan_today, save_plan, shortfall_line, when_text
from drill.study.schedule import study_day
from drill.ui.widgets.footer import Footer


class PlansScreen(Screen):
    CSS_PATH = "../plans.tcss"
    BINDINGS = [
        Binding("n", "new_plan", "New plan", id="plans.new"),
        Binding("d,delete", "clear_plan", "Clear", id="plans.clear"),
        Binding("escape,q", "back", "Back", id="plans.back"),
    ]

    def __init__(self, selected_decks: list[str] | None = None) -> None:
        super().__init__()
        self.selected_decks = selected_decks or []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="plans-intro")
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("", id="plans-short")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "Plans"  # "drill — Plans", as every other screen names itself
        table = self.query_one(DataTable)
        for label, key in (("Plan", "name"), ("Date", "date"), ("When", "when"), ("Ready", "ready"), ("Today", "today"), ("Decks", "decks")):
            table.add_column(label, key=key)
        self.refresh_plans()

    def refresh_plans(self) -> None:
        store, now = self.app.store, self.app.clock()
        agenda = plan_today(store, now)
        table = self.query_one(DataTable)
        table.clear()
        for day in agenda.days:
            decks = ", ".join(day.decks) if day.plan.decks else "all decks"
            table.add_row(
                Text(shown(day.plan.name, NAME_WIDTH), style="bold"),
                Text(day.plan.date.isoformat()),
                Text(when_text(day.days_left)),
                Text(f"{day.ready} of {day.cards}", justify="right"),
                Text(str(day.today), justify="right", style="bold green" if day.today else "dim"),
                Text(shown(decks), overflow="ellipsis", no_wrap=True),
                key=day.plan.name,
            )
        intro = self.query_one("#plans-intro", Static)
        if agenda.days:
            intro.update(Text("Ready = predicted recall on the day at or above the plan's target. n adds a plan, d clears one."))
        else:
            intro.update(Text("No interview plans yet. Press n to plan toward a date: drill brings each card in before it."))
        short = shortfall_line(agenda, store.settings)
        self.query_one("#plans-short", Static).update(Text(short or "", style="bold yellow"))
        self.refresh_bindings()  # d Clear comes and goes with the plans

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "clear_plan":
            tables = self.query(DataTable)
            return bool(tables) and tables.first().row_count > 0  # no plan: no "d Clear" in the footer
        return True

    def selected_plan(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_new_plan(self) -> None:
        names = [d.name for d in self.app.store.decks()]

        def chosen(plan: Plan | None) -> None:
            if plan is None:
                return
            store = self.app.store
            try:
                save_plan(store, plan, study_day(self.app.clock(), store.settings.day_starts_at))
            except OSError as exc:
                notify(self, f"Plan NOT saved: {exc.strerror or exc}", severity="error")
                return
            notify(self, f"Plan {shown(plan.name, NAME_WIDTH)} saved", timeout=3)
            self.refresh_plans()

        self.app.push_screen(PlanFormScreen(names, self.selected_decks), chosen)

    def action_clear_plan(self) -> None:
        name = self.selected_plan()
        if name is None:
            return
        try:
            gone = clear_plans(self.app.store, name)
        except OSError as exc:
            notify(self, f"Plan NOT cleared: {exc.strerror or exc}", severity="error")
            return
        if gone:
            notify(self, f"Cleared {shown(name, NAME_WIDTH)}", timeout=3)
        self.refresh_plans()

    def action_back(self) -> None:
        self.app.sub_title = ""
        self.app.pop_screen()


class PlanFormScreen(ModalScreen[Plan | None]):
    CSS_PATH = "../plans.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="plan-form.cancel"),
        Binding("ctrl+s", "save", "Save", id="plan-form.save"),
    ]

    def __init__(self, decks: list[str], selected: list[str] | None = None) -> None:
        super().__init__()
        self.deck_names = decks
        self.selected = set(selected or ())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="plan-form"):
            yield Static("New interview plan", id="plan-form-title")
            for field_id, label, value, placeholder in (
                ("plan-name", "Name", "", "Acme onsite"),
                ("plan-date", "Date", "", "YYYY-MM-DD"),
                ("plan-target", "Target recall", "0.9", "0.9"),
            ):
                with Horizontal(classes="plan-form-row"):
                    yield Label(label)
                    yield Input(value, placeholder=placeholder, id=field_id, compact=True)
            yield Label("Decks (none ticked = all decks)")
            yield SelectionList[str](
                *[(Text(shown(name, NAME_WIDTH)), name, name in self.selected) for name in self.deck_names], id="plan-decks"
            )
            yield Static("", id="plan-form-error")
            with Horizontal(id="plan-form-buttons"):
                yield Button("Cancel", id="plan-form-cancel-button")
                yield Button("Save", id="plan-form-save-button", variant="primary")
        yield Footer()  # the form's own keys (ctrl+s Save, esc Cancel), not the plans screen's

    def on_mount(self) -> None:
        show_first_ticked(self.query_one(SelectionList))
        self.query_one("#plan-name", Input).focus()  # typing names the plan at once

    def plan(self) -> Plan:
        chosen = set(self.query_one(SelectionList).selected)
        decks = [name for name in self.deck_names if name in chosen]
        store = self.app.store
        return make_plan(
            self.query_one("#plan-name", Input).value,
            self.query_one("#plan-date", Input).value,
            decks,
            self.query_one("#plan-target", Input).value,
            self.app.clock(),
            store.settings.day_starts_at,
        )

    def action_save(self) -> None:
        try:
            plan = self.plan()
        except ValueError as exc:
            self.query_one("#plan-form-error", Static).update(Text(str(exc)))
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "plan-form-save-button":
            self.action_save()
        else:
            self.action_cancel()
