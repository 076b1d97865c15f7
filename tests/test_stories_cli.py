"""``drill stories [--json]`` and the import warnings: the first test through the real entry point, the
others call drill.cli:main in-process (tests/cli_main.py)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_main import run_main
from test_cli import run

FIXTURES = Path(__file__).parent / "fixtures" / "interview"
STORY_KEYS = ["card", "deck", "title", "competencies", "suggested", "star", "missing", "words", "speaking_seconds"]


def test_stories_json_has_the_documented_shape(tmp_path):
    db = tmp_path / "drill.json"
    imported = run("import", str(FIXTURES / "prep_notes.md"), str(FIXTURES / "resume.md"), db=db)
    warnings = [line for line in imported.stderr.splitlines() if "story" in line]
    assert warnings == [f"warning: {FIXTURES / 'prep_notes.md'}:84: story 'Hiring Manager › Conflict': Result is empty"]
    data = json.loads(run("stories", "--json", db=db).stdout)
    assert list(data) == ["stories", "competencies"]
    for story in data["stories"]:
        assert list(story) == STORY_KEYS
        assert list(story["star"]) == ["situation", "task", "action", "result", "learnings"]
        assert story["speaking_seconds"] == round(story["words"] * 60 / 150)
    by_title = {s["title"]: s for s in data["stories"]}
    assert by_title["Hiring Manager › Misktake"]["suggested"] == ["failure"]
    assert by_title["Hiring Manager › Misktake"]["deck"] == "prep_notes"
    assert by_title["Introduction"]["deck"] == "My Resume"
    assert by_title["Hiring Manager › Conflict"]["missing"] == ["result"]
    for competency in data["competencies"]:
        assert list(competency) == ["id", "name", "stories", "questions"]
    counts = {c["id"]: c["stories"] for c in data["competencies"]}
    assert counts["growth"] == 2 and counts["project"] == 2 and counts["teamwork"] == 0


def test_stories_text_and_deck_filter(tmp_path):
    db = tmp_path / "drill.json"
    run_main("import", str(FIXTURES / "prep_notes.md"), str(FIXTURES / "resume.md"), db=db)
    out = run_main("stories", "my resume", db=db).stdout
    assert "Introduction" in out and "Misktake" not in out
    assert "gap: fewer than 2 stories" in out
    full = run_main("stories", db=db).stdout
    assert "Result is empty" in full and "failure (suggested)" in full
    bad = run_main("stories", "nope", db=db, check_rc=2)
    assert "no deck named 'nope'" in bad.stderr


def test_no_stories_says_how_to_make_one(tmp_path):
    db = tmp_path / "drill.json"
    notes = tmp_path / "n.md"
    notes.write_text("## What is a B-tree?\nA balanced search tree.\n", encoding="utf-8")
    run_main("import", str(notes), db=db)
    assert "no stories yet" in run_main("stories", db=db).stdout
    assert json.loads(run_main("stories", "--json", db=db).stdout)["stories"] == []


def test_a_questions_file_imports_into_the_bank(tmp_path):
    db = tmp_path / "drill.json"
    qfile = tmp_path / "q.md"
    qfile.write_text("---\nkind: questions\n---\n## teamwork\n- Who did you last pair with, and why?\n", encoding="utf-8")
    out = run_main("import", str(qfile), db=db).stdout
    assert "1 interview question added to the question bank" in out
    counts = {c["id"]: c["questions"] for c in json.loads(run_main("stories", "--json", db=db).stdout)["competencies"]}
    assert counts["teamwork"] == 9
    assert "q" not in run_main("decks", db=db).stdout.split()


def test_mock_history_json_says_which_story_was_told(tmp_path):
    from drill.interview.mock import QUESTIONS, MockConfig, MockSession
    from drill.store.collection import Store
    from helpers import FakeClock

    db = tmp_path / "drill.json"
    run_main("import", str(FIXTURES / "prep_notes.md"), db=db)
    store = Store(db)
    session = MockSession.create(store, MockConfig(count=1, seed=1, mode=QUESTIONS), clock=FakeClock())
    session.start()
    question = session.current
    pick = question.fitting[0] if question.fitting else question.options[0]
    session.pick(pick)
    session.next()
    store.close()
    (entry,) = json.loads(run_main("mock", "--history", "--json", db=db).stdout)["sessions"][0]["questions"]
    assert entry["story"] == pick == entry["card"]
    assert entry["fit"] == (pick in question.fitting)
    assert entry["competencies"] == question.competencies
