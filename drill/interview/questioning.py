"""Question-first mocks: which interview questions to ask, and which stories to offer.

The interviewer asks a question from the bank; the candidate picks the story
they will tell from a short list of their stories (or improvises). Questions
are drawn so that competencies are covered evenly, weighted toward those with
weak or no stories; the short list holds the stories that fit the question and
a few that do not, shuffled, so picking is a real choice.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from drill.interview.bank import PROJECT, Bank, Question
from drill.interview.stories import Story, StoryBank, StoryStatus
from drill.study.schedule import HARD

#: Stories offered for one question (fitting ones first, then others as distractors).
SHORT_LIST = 6
MAX_FITTING = 4


@dataclass(frozen=True)
class Drawn:
    question: Question
    competency: str
    """The competency it was drawn for."""
    fitting: tuple[int, ...]
    """Story cards that answer one of the question's competencies."""
    options: tuple[int, ...]
    """The short list offered to pick from (fitting and not), in the order shown."""


def competency_weights(stories: StoryBank, status: dict[int, StoryStatus]) -> dict[str, float]:
    """How strongly each competency should be asked: no story +3, one story +1,
    ``2 * (1 - mean recall)`` of its stories, +1 when its last mock answer was Hard or worse."""
    weights = {}
    for count in stories.coverage():
        cid = count.competency.id
        if not stories.bank.about(cid, project_questions=False):
            continue
        weight = 1.0
        if not count.stories:
            weight += 3.0
        elif len(count.stories) == 1:
            weight += 1.0
        recalls = [status[c].recall or 0.0 for c in count.stories if c in status]
        if recalls:
            weight += 2.0 * (1.0 - sum(recalls) / len(recalls))
        if any(status[c].mock_grade is not None and status[c].mock_grade <= HARD for c in count.stories if c in status):
            weight += 1.0
        weights[cid] = weight
    return weights


def draw(
    stories: StoryBank,
    count: int,
    *,
    status: dict[int, StoryStatus] | None = None,
    asked_before: set[str] | None = None,
    seed: str | int | None = None,
) -> list[Drawn]:
    """``count`` questions, each for a different competency until every one was used.

    Competencies are ordered by weighted random keys (Efraimidis–Spirakis), so weak
    ones come first more often; one seed on one store gives one interview.
    """
    status = status or {}
    asked_before = asked_before or set()
    bank = stories.bank
    rng = random.Random(seed)
    weights = competency_weights(stories, status)
    if not weights or count <= 0:
        return []
    keyed = sorted(weights, key=lambda cid: rng.random() ** (1.0 / weights[cid]), reverse=True)
    out: list[Drawn] = []
    used: set[str] = set()
    while len(out) < count:
        progress = False
        for cid in keyed:
            if len(out) >= count:
                break
            question = _question_for(bank, cid, used, asked_before, rng)
            if question is None:
                continue
            used.add(question.id)
            out.append(_drawn(stories, question, cid, rng))
            progress = True
        if not progress:
            break
    return out


def _question_for(bank: Bank, cid: str, used: set[str], asked_before: set[str], rng: random.Random) -> Question | None:
    pool = [q for q in bank.about(cid, project_questions=False) if q.id not in used]
    if cid != PROJECT:
        pool = [q for q in pool if PROJECT not in q.competencies] or pool
    if not pool:
        return None
    fresh = [q for q in pool if q.id not in asked_before]
    return rng.choice(fresh or pool)


def _drawn(stories: StoryBank, question: Question, cid: str, rng: random.Random) -> Drawn:
    wanted = set(question.competencies)
    fitting = [s.card for s in stories.stories if wanted & set(s.answers)]
    offered = rng.sample(fitting, min(len(fitting), MAX_FITTING)) if fitting else []
    # Distractors: one story from each other competency in turn, so twenty-eight
    # project cards do not crowd out the stories that make the choice hard.
    groups: dict[str, list[int]] = {}
    for story in stories.stories:
        if story.card not in fitting:
            groups.setdefault(story.answers[0] if story.answers else "", []).append(story.card)
    pools = [rng.sample(cards, len(cards)) for _, cards in sorted(groups.items())]
    rng.shuffle(pools)
    while len(offered) < SHORT_LIST and any(pools):
        for pool in pools:
            if pool and len(offered) < SHORT_LIST:
                offered.append(pool.pop())
    rng.shuffle(offered)
    return Drawn(question, cid, tuple(fitting), tuple(offered))


def fits(story: Story | None, question_competencies) -> bool:
    return story is not None and bool(set(story.answers) & set(question_competencies))
