"""Question-first mocks: drawing questions, picking a story, fit, talking points, the report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from helpers import FakeClock
from textual.widgets import OptionList, Static, TextArea

from drill.interview.mock import ANSWER, QUESTIONS, THINK, MockConfig, MockSession
from drill.interview.questioning import competency_weights, draw
from drill.interview.stories import analyse
from drill.library.importer import import_paths
from drill.store.collection import Store
from drill.study.schedule import GOOD
from drill.ui.app import make_app
from drill.ui.screens.mock_question import MockQuestionScreen
from drill.ui.screens.mock_report import MockReportScreen
from drill.ui.screens.mock_review import MockReviewScreen

FIXTURES = Path(__file__).parent / "fixtures" / "interview"


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    import_paths(store, [str(FIXTURES / "prep_notes.md"), str(FIXTURES / "resume.md")])
    return store


def test_draw_covers_competencies_evenly_and_weights_the_gaps(tmp_path):
    store = _store(tmp_path)
    stories = analyse(store)
    weights = competency_weights(stories, {})
    assert weights["teamwork"] > weights["conflict"] > 1.0  # no story > one story
    drawn = draw(stories, 20, seed=1)
    assert len({d.competency for d in drawn}) == 20  # each competency once before any twice
    assert len({d.question.id for d in drawn}) == 20
    assert all("{project}" not in d.question.text for d in drawn)
    twice = draw(stories, 40, seed=1)
    assert max(Counter(d.competency for d in twice).values()) == 2
    firsts = Counter(draw(stories, 1, seed=s)[0].competency for s in range(300))
    assert firsts["teamwork"] > firsts["growth"]  # weak competencies come first more often
    assert draw(stories, 3, seed=9) == draw(stories, 3, seed=9)


def test_short_list_has_the_fitting_stories_and_others(tmp_path):
    stories = analyse(_store(tmp_path))
    conflict = next(s.card for s in stories.stories if s.heading == "Conflict")
    for d in draw(stories, 20, seed=3):
        assert set(d.fitting) <= set(d.options) or len(d.fitting) > 4
        assert len(d.options) == 6
        if d.competency == "conflict":
            assert conflict in d.fitting


def test_pick_fit_talking_points_and_report(tmp_path):
    store = _store(tmp_path)
    clock = FakeClock()
    session = MockSession.create(store, MockConfig(count=3, seed=2, think_seconds=0), clock=clock)
    assert [q.first for q in session.questions] == [True] * 3  # the default where stories exist
    session.start()
    assert session.phase == THINK and session.phase_limit() == 20  # picking needs a moment
    first = session.current
    story = first.fitting[0] if first.fitting else first.options[0]
    assert session.pick(story) == ANSWER
    assert first.card == story and first.picked and first.star
    session.set_notes("nothing relevant")
    clock.advance(5)
    session.next()
    second = session.current
    assert session.pick(None) == ANSWER and second.card is None and second.fit is False
    clock.advance(5)
    session.next()
    clock.advance(25)
    assert session.tick() == ANSWER  # picking time ran out: improvising
    assert session.current.picked is False and session.current.card is None
    clock.advance(200)
    session.tick()
    assert session.finished
    assert session.grade(1, GOOD)  # no story: graded in the session, nothing scheduled
    assert not [r for r in store.reviews() if r.get("t") == "review"]
    report = session.report()
    assert all(row.first for row in report.rows)
    assert len(report.no_story) == sum(1 for q in session.questions if not q.fitting)
    (doc,) = store.mocks()
    assert doc["questions"][0]["mode"] == QUESTIONS and doc["questions"][0]["story"] == story


def test_talking_points_pre_tick_the_checklist_once(tmp_path):
    store = _store(tmp_path)
    misktake = next(s.card for s in analyse(store).stories if s.heading == "Misktake")
    session = MockSession.create(store, MockConfig(count=1, seed=1, mode=QUESTIONS), clock=FakeClock())
    session.start()
    session.pick(misktake)
    session.set_notes("ran the rotation script on production by mistake; failed logins for ten minutes")
    session.next()
    coverage = session.talking_points(0)
    assert set(session.questions[0].ticked) == {"Action", "Result"}
    assert {p.part for p in coverage.covered} >= {"action", "result"}
    session.questions[0].ticked.remove("Result")  # the user unticks it
    session.talking_points(0)
    assert session.questions[0].ticked == ["Action"]


def test_cards_mode_and_decks_without_stories_stay_card_first(tmp_path):
    store = _store(tmp_path)
    session = MockSession.create(store, MockConfig(count=2, seed=1, mode="cards"), clock=FakeClock())
    assert not any(q.first for q in session.questions)
    plain = Store(tmp_path / "plain.json")
    notes = tmp_path / "n.md"
    notes.write_text("## What is a B-tree?\nA balanced tree.\n", encoding="utf-8")
    import_paths(plain, [str(notes)])
    assert not MockSession.create(plain, MockConfig(count=1), clock=FakeClock()).questions[0].first


async def test_question_first_mock_on_screen(tmp_path):
    store = _store(tmp_path)
    clock = FakeClock()
    app = make_app(store, clock=clock, mock={"count": 2, "seed": 2, "answer_seconds": 60, "think_seconds": 30})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockQuestionScreen)
        session = screen.session
        options = screen.query_one("#mock-stories", OptionList)
        assert options.display and options.option_count == len(session.current.options) + 1
        assert "Pick" in str(screen.query_one("#mock-phase", Static).render())
        wanted = session.current.fitting[0] if session.current.fitting else session.current.options[0]
        number = session.current.options.index(wanted) + 1
        clock.advance(1)
        await pilot.press(str(number))
        await pilot.pause()
        assert session.phase == ANSWER and session.questions[0].card == wanted
        assert not options.display and screen.query_one("#mock-notes", TextArea).has_focus
        await pilot.press("n", "o", "t", "e")
        clock.advance(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        clock.advance(1)
        await pilot.press("0")  # none: improvise
        await pilot.pause()
        assert session.questions[1].picked and session.questions[1].card is None
        clock.advance(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, MockReviewScreen)
        fit = str(app.screen.query_one("#mrev-fit", Static).render())
        assert fit.startswith("✓ You picked") or fit.startswith("✗")
        title = str(app.screen.query_one("#mrev-answer-title", Static).render())
        assert title.startswith("Your story: ")
        await pilot.press("3")
        await pilot.pause()
        assert "No story picked" in str(app.screen.query_one("#mrev-fit", Static).render()) or "No story of yours" in str(
            app.screen.query_one("#mrev-fit", Static).render()
        )
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        totals = str(app.screen.query_one("#mrep-totals", Static).render())
        assert "fitting story" in totals


def test_a_story_not_mapped_to_the_question_is_named_not_called_missing():
    """QA: the review said "No story of yours answers this yet" next to "Your story: …"."""
    from types import SimpleNamespace

    from drill.ui.screens.mock_review import fit_text

    class _Store:
        def card(self, card_id):
            return SimpleNamespace(path=("Stories", "Missing a deadline"), question="q") if card_id == 7 else None

    picked = str(fit_text(_Store(), SimpleNamespace(fitting=[], card=7, fit=False)))
    assert "Missing a deadline" in picked and "not mapped to this question" in picked and "No story" not in picked
    none = str(fit_text(_Store(), SimpleNamespace(fitting=[], card=None, fit=False)))
    assert none.startswith("✗ No story of yours answers this yet")
