"""The question bank and competency suggestions from headings."""

from __future__ import annotations

import pytest

from drill.interview.bank import PROJECT, BankError, load_bank, parse_bank
from drill.interview.competencies import matcher

REQUIRED_IDS = (
    "introduction motivation achievement failure conflict disagree-manager leadership influence teamwork "
    "ownership deadline ambiguity prioritization customer feedback learning strengths weaknesses growth project"
).split()


def test_the_bank_has_enough_questions_for_every_competency():
    bank = load_bank()
    assert set(REQUIRED_IDS) <= set(bank.competencies)
    behavioural = [q for q in bank.questions if PROJECT not in q.competencies]
    projects = [q for q in bank.questions if PROJECT in q.competencies]
    assert len(behavioural) >= 60
    assert len(projects) >= 15
    assert len({q.id for q in bank.questions}) == len(bank.questions)  # no duplicates
    for cid in REQUIRED_IDS:
        assert len(bank.about(cid)) >= 3, cid
        assert bank.competencies[cid].name
    assert bank.about(PROJECT, project_questions=True)  # "Walk me through {project}"
    assert bank.about(PROJECT, project_questions=False)


def test_a_broken_bank_names_its_problem():
    with pytest.raises(BankError, match="no \\[competencies"):
        parse_bank(b"[[questions]]\ntext = 'x'\ncompetencies = ['a']\n")
    with pytest.raises(BankError, match="unknown competency 'nope'"):
        parse_bank(b"[competencies.a]\nname = 'A'\n[[questions]]\ntext = 'Q?'\ncompetencies = ['nope']\n")
    with pytest.raises(BankError, match="questions.toml"):
        parse_bank(b"[competencies\n")


@pytest.mark.parametrize(
    ("path", "story", "expected"),
    [
        (("Hiring Manager", "Conflict"), True, ["conflict"]),
        (("Hiring Manager", "Misktake"), True, ["failure"]),
        (("Hiring Manager", "Proudest accomplishment", "Conference Speaker"), True, ["achievement"]),
        (("Hiring Manager", "strength/weakness", "Weak"), False, ["weaknesses"]),
        (("Hiring Manager", "strength/weakness", "Strong"), False, ["strengths"]),
        (("Hiring Manager", "grow / skills desired", "Soft"), False, ["growth"]),
        (("Hiring Manager", "Current Project(s)", "Leading CI Migration (Jenkins -> GH Actions)"), True, ["leadership"]),
        (("Introduction",), False, ["introduction"]),
        (("Projects", "Merge QUIC patches"), False, ["project"]),
        (("Stories", "Confilct over a release slot"), True, ["conflict"]),
        (("Ownersihp",), True, ["ownership"]),
        (("Leadershp",), True, ["leadership"]),
        (("Prioritisation under fire",), True, ["prioritization"]),
        (("Disagreement with my manager",), True, ["conflict", "disagree-manager"]),
        (("Craftmanship / Design", "Tradeoffs and edgecases"), False, []),
        (("Craftmanship / Design", "Performance, Complexity vs Simplicity"), False, []),
        (("Education",), False, []),
        (("Hiring Manager",), True, []),
    ],
)
def test_suggestions_from_headings(path, story, expected):
    found = matcher(load_bank()).from_headings(path, story=story)
    assert [s.competency for s in found] == expected


def test_long_headings_only_count_for_star_stories():
    m = matcher(load_bank())
    assert m.from_headings(("Conflict-free replicated data types in practice",), story=False) == []
    assert m.from_headings(("Conflict-free replicated data types in practice",), story=True)


def test_exact_names_outside_story_decks():
    m = matcher(load_bank())
    assert [s.competency for s in m.exact_name(("Projects", "Cache Warmer"))] == ["project"]
    assert [s.competency for s in m.exact_name(("Introduction",))] == ["introduction"]
    assert m.exact_name(("Machine learning",)) == []


def test_body_suggests_when_headings_say_nothing():
    m = matcher(load_bank())
    body = "- **Situation**: a peer and I had a conflict over the schema\n- **Result**: the disagreement ended"
    assert [s.competency for s in m.from_body(body)] == ["conflict"]
    assert m.from_body("- **Situation**: a thing\n- **Result**: done") == []
