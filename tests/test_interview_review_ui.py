"""Review asks story cards like an interviewer; grades stay on the card."""

from __future__ import annotations

from pathlib import Path

from helpers import FakeClock as Clock
from textual.widgets import Static

from drill.interview.bank import load_bank
from drill.library.importer import import_paths
from drill.store.collection import Store
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen
from drill.ui.widgets.card_text import QuestionText

FIXTURES = Path(__file__).parent / "fixtures" / "interview"


def _store(tmp_path: Path, *files: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    import_paths(store, [str(f) for f in files])
    return store


def _shown(app) -> tuple[str, str]:
    question = str(app.screen.query_one("#question", QuestionText).render())
    hint = app.screen.query_one("#story-hint", Static)
    return question, str(hint.render()) if hint.display else ""


async def test_a_story_is_asked_by_a_bank_question_and_graded_on_its_card(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(
        "## Misktake\n- **Situation**: new job\n- **Task**: rotate certs\n- **Action(s)**: ran it on prod\n"
        "- **Results**: logins failed\n\n## What is TCP?\nA transport protocol.\n",
        encoding="utf-8",
    )
    store = _store(tmp_path, notes)
    story_id = next(c.id for c in store.cards() if c.path == ("Misktake",))
    failure = {q.text for q in load_bank().about("failure", project_questions=False)}
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        seen = {}
        for _ in range(2):
            question, hint = _shown(app)
            card = app.screen.session.current
            seen[card.id] = (question, hint)
            await pilot.press("space", "3")
            await pilot.pause()
    question, hint = seen[story_id]
    assert question in failure
    assert "Misktake" in hint and "Hiring" not in hint
    other = next(v for k, v in seen.items() if k != story_id)
    assert other == ("What is TCP?", "")  # not a story: asked as written
    graded = [r["card"] for r in store.reviews() if r.get("t") == "review"]
    assert story_id in graded  # the grade is on the story's card


async def test_the_hint_setting_and_project_cards(tmp_path):
    store = _store(tmp_path, FIXTURES / "resume.md")
    store.save_settings(store.settings.with_value("story_hint", 0))
    app = make_app(store, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        asked = {}
        for _ in range(len(store.cards())):
            if not isinstance(app.screen, ReviewScreen):
                break
            card = app.screen.session.current
            asked[card.path] = _shown(app)
            await pilot.press("space", "3")
            await pilot.pause()
    question, hint = asked[("Projects", "Cache Warmer")]
    assert "Cache Warmer (2023.02 - 2023.05 Example Corp)" in question
    assert hint == ""
    assert asked[("Career",)] == ("Career", "")
    assert ("Location",) not in asked  # contact details are skipped on import (issue 11)
    intro, hint = asked[("Introduction",)]
    assert intro in {q.text for q in load_bank().about("introduction")} and hint == ""
