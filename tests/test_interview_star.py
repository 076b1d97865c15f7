"""STAR detection: the labels people really write, and parts left empty."""

from __future__ import annotations

import pytest

from drill.interview.star import (
    ABSENT,
    EMPTY,
    NOT_STAR,
    PRESENT,
    count_words,
    label_part,
    star_of,
    star_parts,
)


@pytest.mark.parametrize(
    ("label", "part"),
    [
        ("Situation", "situation"),
        ("Context", "situation"),
        ("background:", "situation"),
        ("Task", "task"),
        ("Goal", "task"),
        ("Problem", "task"),
        ("Action", "action"),
        ("Action(s)", "action"),
        ("Actions taken", "action"),
        ("What I did", "action"),
        ("Result", "result"),
        ("Results:", "result"),
        ("Outcome", "result"),
        ("Impact", "result"),
        ("Learnings", "learnings"),
        ("Takeaways", "learnings"),
        ("Lessons", "learnings"),
        ("Longterm goal(s)", None),
        ("Challenges", None),
    ],
)
def test_label_variants(label, part):
    assert label_part(label) == part


@pytest.mark.parametrize(
    "answer",
    [
        "- **Situation**: the queue backed up\n- **Task**: drain it\n- **Action(s)**: added workers\n- **Results**: empty by noon",
        "**Situation:** the queue backed up\n\n**Task:** drain it\n\n**Action:** added workers\n\n**Result:** empty by noon",
        "Situation: the queue backed up\n\nTask: drain it\n\nWhat I did: added workers\n\nOutcome: empty by noon",
        "### Situation\nthe queue backed up\n### Task\ndrain it\n### Actions taken\nadded workers\n### Impact\nempty by noon",
        "- Context\n  - the queue backed up\n- Goal\n  - drain it\n- Actions\n  - added workers\n- Result\n  - empty by noon",
        "__Situation__ - the queue backed up\n\n__Problem__: drain it\n\n__Action__: added workers\n\n__Result__: empty by noon",
    ],
    ids=["bold-list", "bold-colon-inside", "plain-colon", "headings", "plain-no-colon", "underscore-bold"],
)
def test_every_way_of_labelling_finds_all_four_parts(answer):
    star = star_of(answer)
    assert star.is_story
    assert [star.status(p) for p in ("situation", "task", "action", "result")] == [PRESENT] * 4
    assert star.status("learnings") == ABSENT
    assert star.missing == []
    assert "queue" in star.parts["situation"].text
    assert star.parts["result"].text.strip().endswith("noon")


def test_action_s_label_is_found_by_the_mock_checklist():
    """The seed notes write **Action(s)**; the old checklist missed it on every story."""
    answer = "- **Situation**: x happened\n- **Task**: fix x\n- **Action(s)**: did y\n- **Results**: x fixed"
    assert star_parts(answer) == ["Situation", "Task", "Action", "Result"]


def test_an_empty_result_is_flagged_even_when_a_comment_follows():
    answer = (
        "- **Situation**:\n  - two teams wanted the same slot\n- **Task**: agree\n"
        "- **Action(s)**:\n  - compared roadmaps\n- **Results**:\n\n\n"
    )
    star = star_of(answer)
    assert star.status("result") == EMPTY
    assert star.missing == ["result"]
    assert "compared roadmaps" in star.parts["action"].text


def test_a_nested_list_belongs_to_its_label_and_stops_at_the_next():
    answer = (
        "- **Situation**:\n  - new hire\n  - big company\n- **Task**: set up servers\n"
        "- **Action(s)**: copied configs\n- **Results**: a loop\n- **Takeaways**:\n  - spanning tree\n"
    )
    star = star_of(answer)
    assert star.parts["situation"].text.splitlines() == ["- new hire", "- big company"]
    assert star.parts["task"].text == "set up servers"
    assert star.status("learnings") == PRESENT
    assert "spanning tree" not in star.parts["result"].text


def test_two_result_labels_are_one_part():
    answer = "- **Situation**: slow builds\n- **Results**:\n   - faster\n\n#### Results\n\n- still used\n\n#### Challenges\n\n- attrition"
    star = star_of(answer)
    text = star.parts["result"].text
    assert "faster" in text and "still used" in text
    assert "attrition" not in text  # a non-STAR heading of the same level ends the part


def test_a_single_label_or_prose_is_not_a_story():
    assert star_of("### Results\n\nIt got faster.") is NOT_STAR
    assert star_of("The result of the task was an action item for the situation room.") is NOT_STAR
    assert not star_of("Problem: the cache is cold.\nFix: warm it.").is_story
    assert star_parts("Just an answer") == []


def test_missing_parts_are_listed_in_order():
    star = star_of("**Situation**: a\n\n**Result**: b")
    assert star.is_story
    assert star.missing == ["task", "action"]


def test_word_count_skips_markdown():
    assert count_words("- two  teams --- *wanted* it\n\n---\n> `x`") == 5
