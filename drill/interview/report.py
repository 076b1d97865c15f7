"""The report of a saved mock interview: per-question grades, STAR coverage, time,
and the weakest answers to drill next. Built from the saved document alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drill.interview.star import STAR_PARTS
from drill.study.schedule import RATING_NAMES, parse_iso

COMPLETE, ABANDONED = "complete", "abandoned"

#: How a mock's start time is shown (local time), the same in the report, the history and
#: ``drill mock --history``.
DATE_FORMAT = "%Y-%m-%d %H:%M"

@dataclass(frozen=True)
class QuestionReport:
    number: int
    card: int | None
    deck: str
    question: str
    seconds_used: float | None
    seconds_allowed: int
    grade: int | None
    star_total: int
    star_ticked: int
    timed_out: bool
    notes: str
    first: bool = False
    """Question-first: an interview question answered with a picked story."""
    fitting: int = 0
    """Question-first: how many of the user's stories answer it."""
    fit: bool | None = None
    """Question-first: whether the picked story was one of those (None: card-first)."""
    picked: bool = False
    competencies: tuple[str, ...] = ()

    @property
    def grade_name(self) -> str:
        return RATING_NAMES.get(self.grade, "–") if self.grade else "–"

    @property
    def star_label(self) -> str:
        return f"{self.star_ticked}/{self.star_total}" if self.star_total else "–"


@dataclass(frozen=True)
class Report:
    id: int | None
    started: datetime | None
    status: str
    decks: list[str]
    rows: list[QuestionReport]
    weakest: list[QuestionReport]

    @property
    def seconds_used(self) -> float:
        return sum(r.seconds_used or 0 for r in self.rows)

    @property
    def seconds_allowed(self) -> int:
        return sum(r.seconds_allowed for r in self.rows)

    @property
    def graded(self) -> int:
        return sum(1 for r in self.rows if r.grade)

    @property
    def average_grade(self) -> float | None:
        grades = [r.grade for r in self.rows if r.grade]
        return sum(grades) / len(grades) if grades else None

    @property
    def star_ticked(self) -> int:
        return sum(r.star_ticked for r in self.rows)

    @property
    def star_total(self) -> int:
        return sum(r.star_total for r in self.rows)

    @property
    def over_time(self) -> int:
        return sum(1 for r in self.rows if r.timed_out)

    @property
    def no_story(self) -> list[QuestionReport]:
        """Question-first questions none of the user's stories answers."""
        return [r for r in self.rows if r.first and r.fitting == 0]

    @property
    def misfits(self) -> list[QuestionReport]:
        """Question-first questions that had a fitting story, but another (or none) was picked."""
        return [r for r in self.rows if r.first and r.fitting and not r.fit]


def build_report(doc: dict) -> Report:
    """The report for one saved session (tolerant of hand-edited or older docs)."""
    rows = []
    for n, q in enumerate(_as_list(doc.get("questions")), 1):
        if not isinstance(q, dict):
            continue
        star = [p for p in _as_list(q.get("star")) if p in STAR_PARTS]
        ticked = [p for p in _as_list(q.get("ticked")) if p in star]
        grade = q.get("grade") if q.get("grade") in RATING_NAMES else None
        used = q.get("seconds_used")
        rows.append(
            QuestionReport(
                number=n,
                card=q.get("card") if isinstance(q.get("card"), int) else None,
                deck=str(q.get("deck", "")),
                question=str(q.get("question", "")),
                seconds_used=float(used) if isinstance(used, (int, float)) else None,
                seconds_allowed=int(q.get("seconds_allowed") or 0),
                grade=grade,
                star_total=len(star),
                star_ticked=len(ticked),
                timed_out=bool(q.get("timed_out")),
                notes=str(q.get("notes", "")),
                first=q.get("mode") == "questions",
                fitting=len(_as_list(q.get("fitting"))),
                fit=(q.get("story") in _as_list(q.get("fitting")) and q.get("story") is not None)
                if q.get("mode") == "questions"
                else None,
                picked=bool(q.get("picked")),
                competencies=tuple(str(c) for c in _as_list(q.get("competencies"))),
            )
        )
    try:
        started = parse_iso(doc["started"])
    except (KeyError, TypeError, ValueError):
        started = None
    decks = [str(d) for d in _as_list(doc.get("decks"))]
    return Report(
        id=doc.get("id"),
        started=started,
        status=str(doc.get("status", ABANDONED)),
        decks=decks,
        rows=rows,
        weakest=weakest(rows),
    )


def weakest(rows: list[QuestionReport], n: int = 3) -> list[QuestionReport]:
    """The ``n`` questions to drill next: lowest grade, then least STAR coverage, then most time."""

    def key(r: QuestionReport) -> tuple:
        grade = r.grade if r.grade else 2.5  # ungraded: between Hard and Good
        coverage = r.star_ticked / r.star_total if r.star_total else 1.0
        share = (r.seconds_used or 0) / r.seconds_allowed if r.seconds_allowed else 0.0
        return (grade, coverage, -share, r.number)

    return sorted(rows, key=key)[:n]


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else []
