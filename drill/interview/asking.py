"""How a card is asked: a story by an interviewer's question, a project by "Walk me through".

An interviewer never says "Hiring Manager › Misktake". A story card with
competencies is asked as one of the bank's questions about them, a different
phrasing each time it comes up (the card's review count picks it), with its
heading as a small hint. A project card is asked about by name, with the
employer and dates that open its answer in the question line. Other cards keep
their own question. Only the phrasing changes: grades stay on the card.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

from dataclasses import dataclass

from drill.interview.bank import PROJECT, Bank, Question
from drill.interview.stories import Story, analyse, user_bank
from drill.store.collection import Store, StoredCard


@dataclass(frozen=True)
class Asked:
    question: str
    hint: str = ""
    """The card's own heading, shown small under the question ("" for none)."""
    bank_question: Question | None = None


def turn_of(state: dict | None) -> int:
    """How many times the card was graded (reps and lapses), 0 for a new card."""
    if not isinstance(state, dict):
        return 0
    total = 0
    for key in ("reps", "lapses"):
        value = state.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            total += value
    return total


def questions_for(story: Story, bank: Bank) -> list[Question]:
    """The bank questions that can ask *story*, in bank order, without repeats: for a
    project, those about ``{project}``; for any other story, none about projects."""
    out: list[Question] = []
    seen: set[str] = set()
    project = story.is_project
    for cid in story.answers:
        if project and cid != PROJECT:
            continue
        for question in bank.about(cid, project_questions=project):
            if not project and PROJECT in question.competencies:
                continue  # "a project that did not go to plan" is not how to ask a non-project story
            if question.id not in seen:
                seen.add(question.id)
                out.append(question)
    return out


def project_name(story: Story) -> str:
    """``Merge QUIC patches (2023.08 - 2023.09 API7)``: the heading, and its context line if any."""
    return f"{story.heading} ({story.context})" if story.context else story.heading


def ask(card_question: str, story: Story | None, bank: Bank, turn: int, *, hint: bool = True) -> Asked:
    """The question to show for a card; *turn* (see :func:`turn_of`) rotates the phrasing."""
    if story is None or not story.answers:
        return Asked(card_question)
    choices = questions_for(story, bank)
    if not choices:
        return Asked(card_question)
    question = choices[(turn + story.card) % len(choices)]
    if question.about_project:
        return Asked(question.ask(project_name(story)), "", question)
    return Asked(question.text, story.heading if hint else "", question)


class Asker:
    """Asks the cards of a review session like an interviewer would.

    The stories of a deck are worked out the first time one of its cards is shown
    (:meth:`forget` drops them after the deck's file was edited).
    """

    def __init__(self, store: Store, *, hint: bool = True) -> None:
        self.store = store
        self.hint = hint
        self._bank: Bank | None = None
        self._decks: dict[str, dict[int, Story]] = {}

    @property
    def bank(self) -> Bank:
        if self._bank is None:
            self._bank = user_bank(self.store)
        return self._bank

    def story(self, card: StoredCard) -> Story | None:
        if card.deck not in self._decks:
            self._decks[card.deck] = analyse(self.store, [card.deck], bank=self.bank).by_card()
        return self._decks[card.deck].get(card.id)

    def ask(self, card: StoredCard) -> Asked:
        """The question for *card*: cloze cards and cards with their own ``prompt:`` keep theirs."""
        if card.cloze is not None or card.prompt:
            return Asked(card.question)
        return ask(card.question, self.story(card), self.bank, turn_of(card.state), hint=self.hint)

    def forget(self, deck: str) -> None:
        self._decks.pop(deck, None)
