"""Stories: the cards you tell, which competencies each answers, and how complete they are.

A card is a **story** when its answer labels at least two STAR parts, when its
deck is tagged ``stories``, when its competencies were set (by the user, a
``<!-- drill: competencies ... -->`` comment or the deck's ``competencies:``
frontmatter), or when its headings name a competency: fuzzily in a deck that
has STAR stories, exactly ("Introduction", "Projects") elsewhere.

Competencies come from, in this order: the user's own choice (kept in the store
by card id, so it survives re-import); the comment under the card's heading;
the deck's frontmatter; and otherwise a suggestion from the headings (or a STAR
story's body), which stays a suggestion until confirmed.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from drill.interview.bank import PROJECT, Bank, Competency, Question, load_bank, slug
from drill.interview.competencies import Matcher, matcher
from drill.interview.star import NOT_STAR, PART_NAMES, PARTS, Star, count_words, star_of
from drill.parse.cards import PATH_SEPARATOR
from drill.store.collection import Store

#: Words per minute a story is told at.
WORDS_PER_MINUTE = 150
#: Seconds a story may take when its deck sets no time limit (a mock's default answer time).
DEFAULT_STORY_SECONDS = 120
#: A deck tagged with this makes every card in it a story.
STORIES_TAG = "stories"

USER, COMMENT, FRONTMATTER, SUGGESTION, NONE = "user", "comment", "frontmatter", "suggestion", "none"

_EMPHASIS_LINE = re.compile(r"^\s*(\*|_)(?!\1)(?P<text>[^*_\n]{1,80})\1\s*$")


def speaking_seconds(words: int) -> int:
    return round(words * 60 / WORDS_PER_MINUTE)


@dataclass(frozen=True)
class Story:
    card: int
    deck: str
    path: tuple[str, ...]
    line: int
    source: str
    star: Star
    competencies: tuple[str, ...]
    """Confirmed competencies (the user's, a comment's or the deck's)."""
    suggested: tuple[str, ...]
    """Suggested ones, shown as suggestions; empty once competencies are confirmed."""
    origin: str
    """Where the competencies came from: USER, COMMENT, FRONTMATTER, SUGGESTION or NONE."""
    words: int
    time_limit: int
    context: str = ""
    """Project cards: the employer/dates line that opens the answer (``2023.08 - 2023.09 API7``)."""

    @property
    def title(self) -> str:
        return PATH_SEPARATOR.join(self.path)

    @property
    def heading(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def answers(self) -> tuple[str, ...]:
        """The competencies it answers: confirmed, else suggested."""
        return self.competencies or self.suggested

    @property
    def speaking_seconds(self) -> int:
        return speaking_seconds(self.words)

    @property
    def over_time(self) -> bool:
        return self.speaking_seconds > self.time_limit

    @property
    def is_project(self) -> bool:
        return PROJECT in self.answers

    @property
    def missing(self) -> list[str]:
        return self.star.missing if self.star.is_story else []

    def to_json(self) -> dict:
        return {
            "card": self.card,
            "deck": self.deck,
            "title": self.title,
            "competencies": list(self.competencies),
            "suggested": list(self.suggested),
            "star": {part: self.star.status(part) for part in PARTS},
            "missing": self.missing,
            "words": self.words,
            "speaking_seconds": self.speaking_seconds,
        }

    def problems(self) -> list[str]:
        """What a user should fix, in words: empty or missing STAR parts, too long to tell."""
        out = []
        empty = [PART_NAMES[p] for p in self.missing if p in self.star.parts]
        absent = [PART_NAMES[p] for p in self.missing if p not in self.star.parts]
        if empty:
            out.append(f"{_join(empty)} {'is' if len(empty) == 1 else 'are'} empty")
        if absent:
            out.append(f"no {_join(absent)}")
        if self.over_time:
            out.append(
                f"takes about {_clock(self.speaking_seconds)} to tell ({self.words} words), over {_clock(self.time_limit)}"
            )
        return out


@dataclass
class CompetencyCount:
    competency: Competency
    stories: list[int] = field(default_factory=list)
    questions: int = 0

    @property
    def gap(self) -> bool:
        """A common competency with fewer than two stories."""
        return self.competency.common and len(self.stories) < 2

    def to_json(self) -> dict:
        return {
            "id": self.competency.id,
            "name": self.competency.name,
            "stories": len(self.stories),
            "questions": self.questions,
        }


@dataclass
class StoryBank:
    bank: Bank
    stories: list[Story]
    unknown: list[tuple[int, str, str]] = field(default_factory=list)
    """(card, competency as written, what it was read as) for ids a comment or frontmatter misspelt."""

    def coverage(self) -> list[CompetencyCount]:
        counts = {cid: CompetencyCount(c, questions=len(self.bank.about(cid))) for cid, c in self.bank.competencies.items()}
        for story in self.stories:
            for cid in story.answers:
                if cid not in counts:
                    counts[cid] = CompetencyCount(Competency(cid, cid, custom=True))
                counts[cid].stories.append(story.card)
        return list(counts.values())

    def by_card(self) -> dict[int, Story]:
        return {story.card: story for story in self.stories}

    def for_competency(self, competency: str) -> list[Story]:
        return [story for story in self.stories if competency in story.answers]

    def to_json(self) -> dict:
        return {
            "stories": [story.to_json() for story in self.stories],
            "competencies": [count.to_json() for count in self.coverage()],
        }


def user_bank(store: Store, base: Bank | None = None) -> Bank:
    """drill's bank extended with the questions files the user imported."""
    base = base or load_bank()
    sets = store.question_sets()
    if not sets:
        return base
    m = matcher(base)
    questions: list[Question] = []
    custom: list[Competency] = []
    for source, entry in sorted(sets.items()):
        for item in entry.get("questions", ()):
            heading, text = str(item.get("competency", "")), str(item.get("text", ""))
            if not text.strip():
                continue
            cid = resolve_competency(m, heading)
            if cid is None:
                cid = slug(heading)
                custom.append(Competency(cid, heading.strip() or cid, (heading,), custom=True))
            questions.append(Question(" ".join(text.split()), (cid,), source))
    return base.extended(questions, custom)


def resolve_competency(m: Matcher, written: str) -> str | None:
    """A competency id for what a user wrote: its id or name (any case), else a close
    fuzzy match of its id, name or synonyms; None when nothing is close."""
    key = slug(written)
    if key in m.bank.competencies:
        return key
    for cid, competency in m.bank.competencies.items():
        if slug(competency.name) == key:
            return cid
    found = m.from_headings((written,), story=True)
    return found[0].competency if found and found[0].score >= 90 else None


def analyse(
    store: Store,
    decks: Iterable[str] | None = None,
    *,
    bank: Bank | None = None,
) -> StoryBank:
    """Every story in *decks* (default: all), in deck and file order."""
    bank = bank or user_bank(store)
    m = matcher(bank)
    choices = store.story_choices()
    records = {d.name: d for d in store.decks()}
    wanted = list(decks) if decks is not None else None
    docs = [(cid, doc) for cid, doc in store.card_docs(wanted) if not doc.get("archived")]
    docs.sort(key=lambda pair: Store.card_order(*pair))
    stars: dict[int, Star] = {}
    star_decks: set[str] = set()
    for cid, doc in docs:
        star = star_of(doc["answer"])
        if star.is_story:
            stars[cid] = star
            star_decks.add(doc["deck"])
    result = StoryBank(bank, [])
    for cid, doc in docs:
        deck = records.get(doc["deck"])
        star = stars.get(cid, NOT_STAR)
        path = tuple(doc["path"])
        tagged = deck is not None and any(t.casefold() == STORIES_TAG for t in deck.tags)
        origin, confirmed = NONE, ()
        if cid in choices:
            origin, confirmed = USER, tuple(choices[cid])
        elif doc.get("competencies"):
            origin, confirmed = COMMENT, _resolve_all(m, doc["competencies"], cid, result)
        elif deck is not None and deck.competencies:
            origin, confirmed = FRONTMATTER, _resolve_all(m, deck.competencies, cid, result)
        suggested: tuple[str, ...] = ()
        if origin == NONE:
            if star.is_story or tagged or doc["deck"] in star_decks:
                found = m.from_headings(path, story=star.is_story)
                if not found and star.is_story:
                    found = m.from_body(doc["answer"])
            else:
                found = m.exact_name(path)
            suggested = tuple(s.competency for s in found)
            if suggested:
                origin = SUGGESTION
        if not (star.is_story or tagged or origin != NONE):
            continue
        answer = doc["answer"]
        answers = confirmed or suggested
        result.stories.append(
            Story(
                card=cid,
                deck=doc["deck"],
                path=path,
                line=doc.get("line", 1),
                source=doc.get("source", ""),
                star=star,
                competencies=confirmed,
                suggested=suggested if origin == SUGGESTION else (),
                origin=origin,
                words=count_words(answer),
                time_limit=(deck.time_limit if deck is not None and deck.time_limit else DEFAULT_STORY_SECONDS),
                context=opening_context(answer) if PROJECT in answers else "",
            )
        )
    return result


def _resolve_all(m: Matcher, written: Iterable[str], card: int, result: StoryBank) -> tuple[str, ...]:
    out: list[str] = []
    for raw in written:
        cid = resolve_competency(m, str(raw))
        if cid is None:
            cid = slug(str(raw))
        if cid != str(raw).strip():
            result.unknown.append((card, str(raw), cid))
        if cid not in out:
            out.append(cid)
    return tuple(out)


def opening_context(answer: str) -> str:
    """The emphasised lines that open a project card (``*2023.04 - 2023.04 API7*``), joined."""
    found = []
    for line in answer.split("\n"):
        if not line.strip():
            if found:
                break
            continue
        match = _EMPHASIS_LINE.match(line)
        if match is None:
            break
        found.append(" ".join(match.group("text").split()))
    return ", ".join(found)


def import_warnings(store: Store, reports: Iterable) -> list[str]:
    """One line per incomplete or over-long story in the files just imported
    (``path:line: story 'X': Result is empty``)."""
    files: dict[str, str] = {}
    decks: set[str] = set()
    for report in reports:
        if getattr(report, "error", None) or getattr(report, "deleted", False) or not getattr(report, "deck", None):
            continue
        files[str(Path(report.path).resolve())] = report.path
        decks.add(report.deck)
    if not decks:
        return []
    lines = []
    analysed = analyse(store, sorted(decks))
    stories = analysed.by_card()
    for card, written, read_as in analysed.unknown:
        story = stories.get(card)
        shown = files.get(story.source) if story is not None else None
        if shown is None:
            continue
        if read_as in analysed.bank.competencies:
            what = f"competency {written!r} read as {read_as!r}"
        else:
            what = f"competency {written!r} is not in the question bank; kept as {read_as!r}"
        line = f"{shown}:{story.line}: story '{story.title}': {what}"
        if line not in lines:
            lines.append(line)
    for story in analysed.stories:
        shown = files.get(story.source)
        if shown is None:
            continue
        problems = story.problems()
        if problems:
            lines.append(f"{shown}:{story.line}: story '{story.title}': {'; '.join(problems)}")
    return lines


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


# --------------------------------------------------------------------------- recall and mock history


@dataclass(frozen=True)
class StoryStatus:
    recall: float | None
    """FSRS retrievability now; None for a story never reviewed."""
    mock_grade: int | None = None
    """The grade of the last mock question this story answered."""
    mock_seconds: float | None = None
    mock_allowed: int | None = None


def story_status(store: Store, stories: Iterable[Story], now, scheduler=None) -> dict[int, StoryStatus]:
    """Recall and last mock answer of each story (one pass over the saved mocks)."""
    from drill.study.plans import scheduler_for

    scheduler = scheduler or scheduler_for(store)
    wanted = {story.card for story in stories}
    last: dict[int, dict] = {}
    for doc in store.mocks():  # oldest first: later ones win
        for q in doc.get("questions", ()):
            if not isinstance(q, dict):
                continue
            card = q.get("story") if isinstance(q.get("story"), int) else q.get("card")
            if isinstance(card, int) and card in wanted and q.get("seconds_used") is not None:
                last[card] = q
    out = {}
    for card in wanted:
        stored = store.card(card)
        state = stored.state if stored is not None else None
        recall = scheduler.retrievability(card, state, now) if state else None
        q = last.get(card, {})
        grade = q.get("grade") if isinstance(q.get("grade"), int) else None
        used = q.get("seconds_used")
        allowed = q.get("seconds_allowed")
        out[card] = StoryStatus(
            recall,
            grade,
            float(used) if isinstance(used, (int, float)) else None,
            int(allowed) if isinstance(allowed, (int, float)) else None,
        )
    return out
