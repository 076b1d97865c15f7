"""The story bank screen: b on home, the grid, and setting competencies by key."""

from __future__ import annotations

from pathlib import Path

from helpers import FakeClock as Clock
from textual.widgets import DataTable, SelectionList, Static

from drill.interview.stories import analyse
from drill.library.importer import import_paths
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.story_bank import STAT_COLUMNS, CompetencyPicker, StoryBankScreen

FIXTURES = Path(__file__).parent / "fixtures" / "interview"


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    import_paths(store, [str(FIXTURES / "prep_notes.md"), str(FIXTURES / "resume.md")])
    return store


def _column(screen: StoryBankScreen, competency: str) -> int:
    return len(STAT_COLUMNS) + [c.competency.id for c in screen.columns].index(competency)


def _row(screen: StoryBankScreen, heading: str) -> int:
    return [s.heading for s in screen.bank.stories].index(heading)


async def test_b_opens_the_grid_with_gaps_and_story_details_and_x_forgets_a_choice(tmp_path):
    store = _store(tmp_path)
    weak = next(s.card for s in analyse(store).stories if s.heading == "Weak")
    store.set_story_choice(weak, ["influence"])
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StoryBankScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(analyse(store).stories) == 11
        summary = str(screen.query_one("#sb-summary", Static).render())
        assert "11 stories" in summary and "gaps" in summary
        headers = {" ".join(str(col.label).split()) for col in table.columns.values()}
        assert "Conflict 1 story" in headers and "Teamwork 0 stories" in headers, headers
        conflict = _row(screen, "Conflict")
        table.cursor_coordinate = (conflict, 0)
        await pilot.pause()
        detail = str(screen.query_one("#sb-detail", Static).render())
        assert "Hiring Manager › Conflict" in detail and "Result empty" in detail and "Suggested Conflict" in detail
        star = str(table.get_cell_at((conflict, 1)))
        assert star == "STAr·"
        # x forgets the choice made for a story
        assert store.story_choices()[weak] == ["influence"]
        table.cursor_coordinate = (_row(screen, "Weak"), 0)
        await pilot.press("x")
        await pilot.pause()
        assert weak not in store.story_choices(), "x forgets the choice"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StoryBankScreen)


async def test_keys_set_competencies_and_the_choice_survives_reimport(tmp_path):
    store = _store(tmp_path)
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        weak = _row(screen, "Weak")
        table.cursor_coordinate = (weak, 0)
        await pilot.press("y")  # confirm the suggestion
        await pilot.pause()
        card = screen.bank.stories[weak].card
        assert store.story_choices()[card] == ["weaknesses"]
        table.cursor_coordinate = (weak, _column(screen, "growth"))
        await pilot.press("space")  # toggle growth on
        await pilot.pause()
        assert store.story_choices()[card] == ["weaknesses", "growth"]
        assert str(table.get_cell_at((weak, _column(screen, "growth")))) == "●"
        await pilot.press("space")  # and off again
        await pilot.pause()
        assert store.story_choices()[card] == ["weaknesses"]
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompetencyPicker)
        picker = app.screen.query_one(SelectionList)
        picker.select("feedback")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StoryBankScreen)
        assert store.story_choices()[card] == ["feedback", "weaknesses"]  # catalogue order
    import_paths(store, [str(FIXTURES / "prep_notes.md")])
    story = next(s for s in analyse(store).stories if s.heading == "Weak")
    assert story.card == card and story.competencies == ("feedback", "weaknesses") and story.origin == "user"


async def test_an_empty_store_explains(tmp_path):
    empty = Store(tmp_path / "empty.json")
    app = make_app(empty, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_stories()
        for _ in range(50):  # the screen fills its detail once mounted: more than one pause on a busy machine
            await pilot.pause()
            details = app.screen.query("#sb-detail")
            if details and "No stories yet" in str(details.first(Static).render()):
                break
        assert "No stories yet" in str(app.screen.query_one("#sb-detail", Static).render())
