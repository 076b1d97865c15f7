"""Stories in a store: which cards, their competencies in order, completeness, speaking time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drill.interview.asking import ask, questions_for, turn_of
from drill.interview.bank import load_bank
from drill.interview.stories import analyse, import_warnings, speaking_seconds, user_bank
from drill.interview.talking import cover, key_points
from drill.library.importer import import_paths

FIXTURES = Path(__file__).parent / "fixtures" / "interview"
SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"


def _import(store, *paths):
    reports = import_paths(store, [str(p) for p in paths])
    assert not [r for r in reports if r.error], [r.error for r in reports]
    return reports


def _by_title(bank):
    return {s.title: s for s in bank.stories}


EXPECTED = {
    "Hiring Manager › Current Project(s) › Leading the Build Pipeline Rewrite (Make -> Bazel)": ["leadership"],
    "Hiring Manager › Proudest accomplishment › Teaching a Workshop": ["achievement"],
    "Hiring Manager › Misktake": ["failure"],
    "Hiring Manager › grow / skills desired › Soft": ["growth"],
    "Hiring Manager › grow / skills desired › Tech": ["growth"],
    "Hiring Manager › strength/weakness › Strong": ["strengths"],
    "Hiring Manager › strength/weakness › Weak": ["weaknesses"],
    "Hiring Manager › Conflict": ["conflict"],
    "Introduction": ["introduction"],
    "Projects › Cache Warmer": ["project"],
    "Projects › Query Planner Notes": ["project"],
}


def test_fixture_notes_and_resume_give_the_seed_expectations(store):
    _import(store, FIXTURES / "prep_notes.md", FIXTURES / "resume.md")
    stories = _by_title(analyse(store))
    assert {t: list(s.suggested) for t, s in stories.items()} == EXPECTED
    assert all(s.competencies == () for s in stories.values())  # suggestions until confirmed
    conflict = stories["Hiring Manager › Conflict"]
    assert conflict.missing == ["result"]
    assert conflict.to_json()["star"] == {
        "situation": "present",
        "task": "present",
        "action": "present",
        "result": "empty",
        "learnings": "absent",
    }
    assert stories["Hiring Manager › Misktake"].star.status("learnings") == "present"
    assert stories["Projects › Cache Warmer"].context == "2023.02 - 2023.05 Example Corp"
    assert "Craft / Design › Trade-offs in a design" not in stories  # design notes are not stories


def test_coverage_counts_and_gaps(store):
    _import(store, FIXTURES / "prep_notes.md", FIXTURES / "resume.md")
    coverage = {c.competency.id: c for c in analyse(store).coverage()}
    assert len(coverage["growth"].stories) == 2
    assert coverage["conflict"].gap and not coverage["growth"].gap  # growth is not a common one
    assert coverage["project"].gap is False
    assert coverage["teamwork"].stories == [] and coverage["teamwork"].gap
    assert coverage["conflict"].to_json() == {
        "id": "conflict",
        "name": "Conflict",
        "stories": 1,
        "questions": len(load_bank().about("conflict")),
    }


def test_order_user_choice_then_comment_then_frontmatter_then_suggestion(store, tmp_path):
    notes = tmp_path / "stories.md"
    notes.write_text(
        "---\ncompetencies: [ownership]\n---\n"
        "## Conflict\n<!-- drill: competencies influence, teamwork -->\n- **Situation**: a\n- **Task**: b\n\n"
        "## Misktake\n- **Situation**: a\n- **Result**: b\n",
        encoding="utf-8",
    )
    _import(store, notes)
    stories = _by_title(analyse(store))
    assert stories["Conflict"].competencies == ("influence", "teamwork")
    assert stories["Conflict"].origin == "comment"
    assert stories["Misktake"].competencies == ("ownership",)
    assert stories["Misktake"].origin == "frontmatter"
    card = stories["Conflict"].card
    store.set_story_choice(card, ["conflict"])
    _import(store, notes)  # re-import: the user's choice stays
    again = _by_title(analyse(store))["Conflict"]
    assert again.card == card and again.competencies == ("conflict",) and again.origin == "user"
    store.set_story_choice(card, None)
    assert _by_title(analyse(store))["Conflict"].origin == "comment"


def test_misspelt_competency_ids_are_read_fuzzily(store, tmp_path):
    notes = tmp_path / "s.md"
    notes.write_text("## One\n<!-- drill: competencies confict, Leadership -->\n\nSituation: a\n\nResult: b\n", encoding="utf-8")
    _import(store, notes)
    bank = analyse(store)
    assert bank.stories[0].competencies == ("conflict", "leadership")
    assert (bank.stories[0].card, "confict", "conflict") in bank.unknown


def test_a_deck_tagged_stories_makes_every_card_a_story(store, tmp_path):
    notes = tmp_path / "tagged.md"
    notes.write_text("---\ntags: [stories]\n---\n## Saved the launch\nWe shipped on time.\n", encoding="utf-8")
    _import(store, notes)
    (story,) = analyse(store).stories
    assert story.star.is_story is False and story.missing == []


def test_speaking_time_and_over_time(store, tmp_path):
    assert speaking_seconds(150) == 60
    notes = tmp_path / "long.md"
    words = " ".join(["word"] * 400)
    notes.write_text(f"---\ntime_limit: 90\n---\n## Conflict\n**Situation**: {words}\n\n**Task**: t\n\n**Action**: a\n\n**Result**: r\n", encoding="utf-8")
    reports = _import(store, notes)
    (story,) = analyse(store).stories
    assert story.speaking_seconds > 90 and story.over_time
    (line,) = import_warnings(store, reports)
    assert line.startswith(f"{notes}:4: story 'Conflict': takes about 2:4")
    assert "over 1:30" in line


def test_one_warning_line_per_incomplete_story(store):
    reports = _import(store, FIXTURES / "prep_notes.md", FIXTURES / "resume.md")
    lines = import_warnings(store, reports)
    assert lines == [f"{FIXTURES / 'prep_notes.md'}:84: story 'Hiring Manager › Conflict': Result is empty"]


def test_a_questions_file_extends_the_bank_and_a_new_heading_is_a_new_competency(store, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    qfile = folder / "my-questions.md"
    qfile.write_text(
        "---\nkind: questions\n---\n## Conflict\n- When did you last argue for a rewrite?\n\n"
        "## System design\n- How would you shard a growing table?\n",
        encoding="utf-8",
    )
    (report,) = _import(store, folder)
    assert report.questions == 2 and report.cards == 0
    assert "2 interview questions added to the question bank" in report.summary()
    bank = user_bank(store)
    assert "When did you last argue for a rewrite?" in [q.text for q in bank.about("conflict")]
    assert bank.competencies["system-design"].custom
    assert [q.text for q in bank.about("system-design")] == ["How would you shard a growing table?"]
    assert store.cards() == []
    qfile.unlink()
    import_paths(store, [str(folder)])  # the registered folder again: the file is gone
    store.refresh()
    assert store.question_sets() == {}


def test_review_asks_a_story_by_rotating_bank_questions(store):
    _import(store, FIXTURES / "prep_notes.md", FIXTURES / "resume.md")
    analysed = analyse(store)
    stories = _by_title(analysed)
    bank = analysed.bank
    story = stories["Hiring Manager › Misktake"]
    asked = [ask("Hiring Manager › Misktake", story, bank, turn) for turn in range(len(questions_for(story, bank)))]
    assert len({a.question for a in asked}) == len(asked) > 1  # a different phrasing each review
    assert all(a.bank_question is not None and "failure" in a.bank_question.competencies for a in asked)
    assert asked[0].hint == "Misktake"
    assert ask("x", story, bank, 0, hint=False).hint == ""
    project = ask("Projects › Cache Warmer", stories["Projects › Cache Warmer"], bank, 0)
    assert "Cache Warmer (2023.02 - 2023.05 Example Corp)" in project.question
    assert ask("Plain card", None, bank, 3).question == "Plain card"
    assert turn_of({"reps": 3, "lapses": 1}) == 4 and turn_of(None) == 0


def test_talking_points_pre_tick_what_the_notes_covered():
    answer = (
        "- **Situation**:\n  - second week at a new job\n- **Task**: rotate certificates on staging\n"
        "- **Action(s)**: ran the rotation script against production\n- **Results**: ten minutes of failed logins\n"
    )
    points = key_points(answer)
    assert {p.part for p in points} == {"situation", "task", "action", "result"}
    covered = cover(points, "rotated certifcates on staging, ran script on production by mistake")
    assert covered.parts == ["task", "action"]
    assert any(p.part == "result" for p in covered.missed)
    assert cover(points, "").covered == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed documents are not here")
def test_the_real_seeds(store):
    notes = next(SEEDS.glob("001_*"))
    resume = next(SEEDS.glob("000_*"))
    reports = _import(store, notes, resume)
    data = analyse(store).to_json()
    suggested = {s["title"]: s["suggested"] for s in data["stories"]}
    assert suggested["Hiring Manager › Conflict"] == ["conflict"]
    assert suggested["Hiring Manager › Misktake"] == ["failure"]
    assert suggested["Hiring Manager › Proudest accomplishment › Conference Speaker"] == ["achievement"]
    assert suggested["Hiring Manager › strength/weakness › Weak"] == ["weaknesses"]
    assert suggested["Hiring Manager › strength/weakness › Strong"] == ["strengths"]
    assert suggested["Hiring Manager › grow / skills desired › Soft"] == ["growth"]
    assert suggested["Hiring Manager › Current Project(s) › Leading CI Migration (Jenkins -> GH Actions)"] == ["leadership"]
    assert suggested["Introduction"] == ["introduction"]
    projects = [t for t in suggested if t.startswith("Projects › ")]
    assert len(projects) > 20 and all(suggested[t] == ["project"] for t in projects)
    conflict = next(s for s in data["stories"] if s["title"] == "Hiring Manager › Conflict")
    assert conflict["missing"] == ["result"] and conflict["star"]["result"] == "empty"
    action_s = next(s for s in data["stories"] if s["title"] == "Hiring Manager › Misktake")
    assert action_s["star"]["action"] == "present"
    assert any("story 'Hiring Manager › Conflict': Result is empty" in line for line in import_warnings(store, reports))
    json.dumps(data)
