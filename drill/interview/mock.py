"""Mock interviews: pick questions, time them, keep notes, review, report.

A mock interview asks N cards one after another, or, question-first (the
default where the decks have stories with competencies), N interview questions
from the bank: the user picks the story they will tell from a short list (or
improvises) while the thinking clock runs, then answers. Each question has a
thinking phase and an answer phase, both timed by an injected clock; the
answer is never part of the interview itself. When the last question ends the
session is saved in the store at once (table ``mocks``), then the user reviews
each question (notes beside the stored answer, a STAR checklist where the
answer has STAR parts) and grades it; grades can feed the FSRS schedule.

Pure domain logic: nothing here imports Textual or Rich.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from drill.interview.picking import pick_cards
from drill.interview.questioning import draw
from drill.interview.report import ABANDONED, COMPLETE, Report, build_report
from drill.interview.star import PART_NAMES, star_parts, suggested_grade
from drill.interview.stories import StoryBank, analyse, story_status
from drill.interview.talking import Coverage, cover, key_points
from drill.store.collection import Store, StoredCard
from drill.store.filelock import StoreBusy
from drill.study.schedule import RATING_NAMES, Scheduler, iso, parse_iso, utcnow
from drill.study.plans import scheduler_for
from drill.study.session import review_record

Clock = Callable[[], datetime]

DEFAULT_COUNT = 5
DEFAULT_ANSWER_SECONDS = 120
DEFAULT_THINK_SECONDS = 10

THINK, ANSWER, DONE = "think", "answer", "done"

#: MockConfig.mode: ask cards, ask bank questions, or (None) questions where there are stories.
CARDS, QUESTIONS = "cards", "questions"
#: Seconds to pick a story when the thinking time is 0 (question-first needs a moment).
PICK_SECONDS = 20

# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class MockConfig:
    """What the setup form or ``drill mock`` asked for."""

    decks: list[str] | None = None
    """Deck names as stored; None means every deck."""
    count: int = DEFAULT_COUNT
    answer_seconds: int = DEFAULT_ANSWER_SECONDS
    think_seconds: int = DEFAULT_THINK_SECONDS
    seed: str | int | None = None
    schedule: bool = True
    """Feed self-grades into the FSRS schedule."""
    mode: str | None = None
    """CARDS, QUESTIONS, or None: question-first when the decks have stories with competencies."""

    @classmethod
    def from_dict(cls, data: dict) -> "MockConfig":
        known = {"decks", "count", "answer_seconds", "think_seconds", "seed", "schedule", "mode"}
        values = {k: v for k, v in data.items() if k in known and v is not None}
        return cls(**values)

    def to_json(self) -> dict:
        return {
            "count": self.count,
            "answer_seconds": self.answer_seconds,
            "think_seconds": self.think_seconds,
            "seed": self.seed,
            "schedule": self.schedule,
            "mode": self.mode,
        }


def parse_seed(text: str | None) -> str | int | None:
    """``--seed 7`` and ``--seed 07`` are the number 7; anything else is used as text."""
    if text is None:
        return None
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------- session


@dataclass
class MockQuestion:
    card: int | None
    """The card asked; question-first: the story picked (None: improvised or not picked)."""
    deck: str
    question: str
    seconds_allowed: int
    star: list[str] = field(default_factory=list)
    notes: str = ""
    seconds_used: float | None = None
    """Seconds spent answering; None until the question was reached."""
    timed_out: bool = False
    grade: int | None = None
    ticked: list[str] = field(default_factory=list)
    review_id: str | None = None
    """The journal review this grade wrote (so a re-grade can undo it)."""
    prev_state: dict | None = None
    first: bool = False
    """Question-first: an interview question from the bank, answered with a picked story."""
    question_id: str | None = None
    competencies: list[str] = field(default_factory=list)
    fitting: list[int] = field(default_factory=list)
    """Stories mapped to the question's competencies when it was asked."""
    options: list[int] = field(default_factory=list)
    """The short list of stories offered."""
    picked: bool = False
    """A pick was made (a story, or "none — improvise")."""
    auto_ticked: bool = False
    """The STAR checklist was pre-ticked from the notes' talking points (done once)."""

    @property
    def answered(self) -> bool:
        return self.seconds_used is not None

    @property
    def fit(self) -> bool | None:
        """Question-first: whether the picked story is one mapped to the question."""
        if not self.first:
            return None
        return self.card is not None and self.card in self.fitting

    def to_json(self) -> dict:
        return {
            "card": self.card,
            "deck": self.deck,
            "question": self.question,
            "seconds_allowed": self.seconds_allowed,
            "seconds_used": None if self.seconds_used is None else round(self.seconds_used, 1),
            "timed_out": self.timed_out,
            "grade": self.grade,
            "notes": self.notes,
            "star": list(self.star),
            "ticked": [p for p in self.star if p in self.ticked],
            **(
                {
                    "mode": QUESTIONS,
                    "question_id": self.question_id,
                    "competencies": list(self.competencies),
                    "fitting": list(self.fitting),
                    "options": list(self.options),
                    "picked": self.picked,
                    "story": self.card,
                }
                if self.first
                else {}
            ),
        }


class MockSession:
    """One mock interview: timed phases, notes, saving, review grades.

    Time only moves when :meth:`tick` (called by the UI on a timer) or
    :meth:`next` sees the clock; a phase that has run out ends at the next tick,
    and each tick ends at most one phase.
    """

    def __init__(
        self,
        store: Store,
        cards: list[StoredCard],
        config: MockConfig,
        *,
        clock: Clock = utcnow,
        scheduler: Scheduler | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.scheduler = scheduler or scheduler_for(store)  # fitted parameters when there are some
        self.questions = [
            MockQuestion(
                card=card.id,
                deck=card.deck,
                question=card.question,
                seconds_allowed=config.answer_seconds,
                star=star_parts(card.answer),
            )
            for card in cards
        ]
        self.decks = list(config.decks) if config.decks else sorted({c.deck for c in cards}, key=str.casefold)
        self.index = 0
        self.phase = THINK
        self.status: str | None = None
        """None while running, then COMPLETE or ABANDONED."""
        self.started: datetime | None = None
        self.ended: datetime | None = None
        self.phase_started: datetime | None = None
        self.paused_at: datetime | None = None
        self.doc_id: int | None = None
        self.save_error: str | None = None
        self.stories: StoryBank | None = None
        """Question-first: the stories the questions were drawn against."""

    @classmethod
    def create(
        cls, store: Store, config: MockConfig, *, clock: Clock = utcnow, scheduler: Scheduler | None = None
    ) -> "MockSession":
        scheduler = scheduler or scheduler_for(store)
        if config.mode != CARDS:
            stories = analyse(store, config.decks)
            if config.mode == QUESTIONS or any(story.answers for story in stories.stories):
                return cls.question_first(store, config, stories, clock=clock, scheduler=scheduler)
        cards = pick_cards(store, config.decks, config.count, now=clock(), seed=config.seed, scheduler=scheduler)
        return cls(store, cards, config, clock=clock, scheduler=scheduler)

    @classmethod
    def question_first(
        cls,
        store: Store,
        config: MockConfig,
        stories: StoryBank,
        *,
        clock: Clock = utcnow,
        scheduler: Scheduler | None = None,
    ) -> "MockSession":
        """Bank questions covering competencies evenly, weighted toward weak or missing stories."""
        status = story_status(store, stories.stories, clock(), scheduler)
        asked = {q.get("question_id") for doc in store.mocks() for q in doc.get("questions", ()) if isinstance(q, dict)}
        drawn = draw(stories, config.count, status=status, asked_before={a for a in asked if a}, seed=config.seed)
        session = cls(store, [], config, clock=clock, scheduler=scheduler)
        session.stories = stories
        session.questions = [
            MockQuestion(
                card=None,
                deck=stories.bank.name(d.competency),
                question=d.question.text,
                seconds_allowed=config.answer_seconds,
                first=True,
                question_id=d.question.id,
                competencies=list(d.question.competencies),
                fitting=list(d.fitting),
                options=list(d.options),
            )
            for d in drawn
        ]
        session.decks = list(config.decks) if config.decks else sorted({s.deck for s in stories.stories}, key=str.casefold)
        return session

    @classmethod
    def from_doc(
        cls, store: Store, doc: dict, *, clock: Clock = utcnow, scheduler: Scheduler | None = None
    ) -> "MockSession":
        """A saved session (``Store.mocks()``), finished, to review and grade again: an
        abandoned mock's answers can be graded later. Tolerant of older or hand-edited docs
        (what cannot be read is left out, as :func:`drill.interview.report.build_report` does)."""
        settings = doc.get("settings") if isinstance(doc.get("settings"), dict) else {}
        try:
            config = MockConfig.from_dict({**settings, "decks": doc.get("decks") or None})
        except TypeError:
            config = MockConfig(decks=None)
        session = cls(store, [], config, clock=clock, scheduler=scheduler)
        session.decks = [str(d) for d in doc.get("decks") or () if isinstance(d, str)]
        for q in doc.get("questions") or ():
            if isinstance(q, dict):
                session.questions.append(_question_from_json(q))
        session.doc_id = doc.get("id") if isinstance(doc.get("id"), int) else None
        session.status = doc.get("status") if doc.get("status") in (COMPLETE, ABANDONED) else ABANDONED
        try:
            session.started = parse_iso(doc["started"])
            session.ended = parse_iso(doc["ended"]) if doc.get("ended") else None
        except (KeyError, TypeError, ValueError):
            session.started = session.started or clock()
        session.phase = DONE
        session.index = len(session.questions)
        return session

    def first_ungraded(self) -> int | None:
        """Index of the first answer with no grade yet, or None when all are graded."""
        return next((i for i, q in enumerate(self.questions) if not q.grade), None)

    @property
    def question_first_mode(self) -> bool:
        return any(q.first for q in self.questions)

    def pick(self, story: int | None) -> str | None:
        """Question-first, while thinking: tell *story* (None: improvise). Starts the answer clock."""
        question = self.current
        if question is None or not question.first or self.phase != THINK or self.paused_at is not None:
            return None
        question.picked = True
        self._set_story(question, story)
        self._enter(ANSWER, self.clock())
        return ANSWER

    def _set_story(self, question: MockQuestion, story: int | None) -> None:
        card = self.store.card(story) if story is not None else None
        question.card = card.id if card is not None else None
        question.star = star_parts(card.answer) if card is not None else []
        question.ticked = []

    # ------------------------------------------------------------ interview
    @property
    def current(self) -> MockQuestion | None:
        if self.phase == DONE or self.index >= len(self.questions):
            return None
        return self.questions[self.index]

    @property
    def finished(self) -> bool:
        return self.phase == DONE

    def start(self) -> None:
        now = self.clock()
        self.started = now
        self.index = 0
        if not self.questions:
            raise ValueError("a mock interview needs at least one question")
        self._enter(self._opening_phase(), now)

    def _opening_phase(self) -> str:
        """Each question opens with thinking time; question-first always (it is when a story is picked)."""
        current = self.current
        if self.config.think_seconds > 0 or (current is not None and current.first):
            return THINK
        return ANSWER

    def _enter(self, phase: str, now: datetime) -> None:
        self.phase = phase
        self.phase_started = now

    def phase_limit(self) -> float:
        if self.phase == THINK:
            current = self.current
            if current is not None and current.first and self.config.think_seconds <= 0:
                return float(PICK_SECONDS)
            return float(self.config.think_seconds)
        if self.phase == ANSWER and self.current is not None:
            return float(self.current.seconds_allowed)
        return 0.0

    def phase_elapsed(self, now: datetime | None = None) -> float:
        if self.phase_started is None or self.phase == DONE:
            return 0.0
        now = self.paused_at or now or self.clock()
        return max(0.0, (now - self.phase_started).total_seconds())

    def remaining(self) -> float:
        """Seconds left in the current phase."""
        return max(0.0, self.phase_limit() - self.phase_elapsed())

    def tick(self) -> str | None:
        """End the current phase if its time is up. Returns the phase entered, or None."""
        if self.phase == DONE or self.paused_at is not None or self.phase_started is None:
            return None
        now = self.clock()
        if self.phase_elapsed(now) < self.phase_limit():
            return None
        return self._advance(now, timed_out=True)

    def next(self) -> str | None:
        """The user moves on early: from thinking to answering, or to the next question."""
        if self.phase == DONE or self.paused_at is not None or self.phase_started is None:
            return None
        return self._advance(self.clock(), timed_out=False)

    def _advance(self, now: datetime, *, timed_out: bool) -> str:
        if self.phase == THINK:
            self._enter(ANSWER, now)
            return ANSWER
        question = self.questions[self.index]
        used = self.phase_elapsed(now)
        question.seconds_used = min(used, float(question.seconds_allowed)) if timed_out else used
        question.timed_out = timed_out
        self.index += 1
        if self.index >= len(self.questions):
            self._finish(now)
            return DONE
        self._enter(self._opening_phase(), now)
        self.save(ABANDONED)  # progress so far survives a crash mid-interview
        return self.phase

    def _finish(self, now: datetime) -> None:
        self.phase = DONE
        self.ended = now
        self.save(COMPLETE)

    def set_notes(self, text: str) -> None:
        question = self.current
        if question is not None and self.phase == ANSWER:
            question.notes = text

    def pause(self) -> None:
        """Stop the clock (while a dialog is open)."""
        if self.paused_at is None and self.phase != DONE:
            self.paused_at = self.clock()

    def resume(self) -> None:
        if self.paused_at is None:
            return
        if self.phase_started is not None:
            self.phase_started += self.clock() - self.paused_at
        self.paused_at = None

    def abandon(self) -> None:
        """Stop here; save what was answered, marked abandoned."""
        if self.phase == DONE:
            return
        now = self.paused_at or self.clock()
        question = self.current
        if question is not None and self.phase == ANSWER:
            question.seconds_used = self.phase_elapsed(now)
            self.index += 1
        self.questions = [q for q in self.questions if q.answered]
        self.phase = DONE
        self.paused_at = None
        self.ended = now
        self.save(ABANDONED)

    # ------------------------------------------------------------ saving
    def to_doc(self, status: str | None = None) -> dict:
        reached = [q for q in self.questions if q.answered]
        return {
            "started": iso(self.started or self.clock()),
            "ended": iso(self.ended) if self.ended else None,
            "status": status or self.status or ABANDONED,
            "decks": list(self.decks),
            "settings": self.config.to_json(),
            "questions": [q.to_json() for q in reached],
        }

    def save(self, status: str | None = None) -> bool:
        """Write the session to the store (atomic). False, with ``save_error`` set, if that failed."""
        if status is not None:
            self.status = status
        try:
            self.doc_id = self.store.save_mock(self.to_doc(), self.doc_id)
        except (StoreBusy, OSError) as exc:  # keep going in memory, and say so
            self.save_error = _reason(exc)
            return False
        self.save_error = None
        return True

    # ------------------------------------------------------------ review
    def toggle_star(self, index: int, part: str) -> None:
        question = self.questions[index]
        if part not in question.star:
            return
        if part in question.ticked:
            question.ticked.remove(part)
        else:
            question.ticked.append(part)

    def suggestion(self, index: int) -> int | None:
        question = self.questions[index]
        return suggested_grade(question.star, question.ticked)

    def talking_points(self, index: int) -> Coverage | None:
        """What of the stored answer (the card's, or the picked story's) the notes covered.

        The first time, the STAR parts the notes covered are ticked (the user can still
        untick them); later calls leave the checklist alone.
        """
        question = self.questions[index]
        card = self.store.card(question.card) if question.card is not None else None
        if card is None:
            return None
        coverage = cover(key_points(card.answer), question.notes)
        if not question.auto_ticked:
            question.auto_ticked = True
            names = [PART_NAMES[p] for p in coverage.parts]
            question.ticked = [p for p in question.star if p in names or p in question.ticked]
        return coverage

    def grade(self, index: int, rating: int) -> bool:
        """Self-grade one question: saved in the session, and fed to FSRS unless disabled.

        Re-grading a question first undoes the review its earlier grade wrote.
        Returns False if the session could not be saved (``save_error`` says why).
        """
        if rating not in RATING_NAMES:
            raise ValueError(f"not a grade: {rating}")
        question = self.questions[index]
        # A question graded in an earlier run (a session reopened from the history) has
        # its review in the schedule already, and undoing it now could roll back reviews
        # made since: a new grade for it changes only the saved grade.
        regrade_later = question.grade is not None and question.review_id is None
        if self.config.schedule and question.card is not None and not regrade_later:
            try:
                self._feed_schedule(question, rating)
            except (StoreBusy, OSError) as exc:
                self.save_error = _reason(exc)
                return False
        question.grade = rating
        return self.save()

    def _feed_schedule(self, question: MockQuestion, rating: int) -> None:
        now = self.clock()
        self.store.refresh()
        # Under the write lock, from the card's state as of now (another window may be
        # reviewing the same card): never from a state read before the lock.
        with self.store.card_as_of_now(question.card):
            if question.review_id is not None:
                self.store.append(
                    {
                        "t": "undo",
                        "review": question.review_id,
                        "card": question.card,
                        "ts": iso(now),
                        "state": question.prev_state,
                        "source": "mock",
                    }
                )
                question.review_id = None
            card = self.store.card(question.card)
            if card is None:
                return
            outcome = self.scheduler.outcome(card.id, card.state, rating, now)
            duration_ms = int((question.seconds_used or 0) * 1000)
            record = review_record(card, outcome, now, duration_ms, question.timed_out)
            record["source"] = "mock"
            self.store.append(record)
        question.review_id = record["id"]
        question.prev_state = card.state

    def report(self) -> "Report":
        return build_report({**self.to_doc(), "id": self.doc_id})


def _question_from_json(q: dict) -> MockQuestion:
    """A MockQuestion from its saved form (MockQuestion.to_json)."""

    def ints(value: object) -> list[int]:
        return [v for v in value if isinstance(v, int)] if isinstance(value, list) else []

    def texts(value: object) -> list[str]:
        return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []

    used = q.get("seconds_used")
    star = texts(q.get("star"))
    first = q.get("mode") == QUESTIONS
    card = q.get("story" if first else "card")
    return MockQuestion(
        card=card if isinstance(card, int) else None,
        deck=str(q.get("deck", "")),
        question=str(q.get("question", "")),
        seconds_allowed=int(q.get("seconds_allowed") or 0),
        star=star,
        notes=str(q.get("notes", "")),
        seconds_used=float(used) if isinstance(used, (int, float)) else 0.0,
        timed_out=bool(q.get("timed_out")),
        grade=q.get("grade") if q.get("grade") in RATING_NAMES else None,
        ticked=[p for p in texts(q.get("ticked")) if p in star],
        first=first,
        question_id=q.get("question_id") if isinstance(q.get("question_id"), str) else None,
        competencies=texts(q.get("competencies")),
        fitting=ints(q.get("fitting")),
        options=ints(q.get("options")),
        picked=bool(q.get("picked")),
        auto_ticked=True,  # its checklist is as the user left it
    )


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)
