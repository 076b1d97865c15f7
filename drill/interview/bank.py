"""The question bank: competencies and the interview questions that ask about them.

drill ships a bank as data (``questions.toml`` beside this module); users extend
it with Markdown files whose frontmatter says ``kind: questions`` (one
``## competency`` heading per competency, one bullet per question), which
``drill import`` keeps in the store (see :func:`drill.parse.questions`).

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Bank", "BankError", "Competency", "Question", "load_bank", "parse_bank", "slug"]

PROJECT = "project"
"""The competency of project cards ("Walk me through {project}")."""
PROJECT_FIELD = "{project}"


class BankError(ValueError):
    """A question bank that cannot be used; the message names what is wrong."""


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    common: bool = False
    """Most interviews ask about it: fewer than two stories is a gap."""
    custom: bool = False
    """Added by a user's questions file, not in drill's catalogue."""


@dataclass(frozen=True)
class Question:
    text: str
    competencies: tuple[str, ...]
    source: str = "drill"
    """"drill" for the bundled bank, else the questions file it came from."""

    @property
    def id(self) -> str:
        """A stable id (the text's hash), so history can name a question."""
        import hashlib  # here: not at the app's start-up

        return hashlib.sha1(" ".join(self.text.split()).casefold().encode("utf-8")).hexdigest()[:12]

    @property
    def about_project(self) -> bool:
        """Asked about one project card: the text has ``{project}`` in it."""
        return PROJECT_FIELD in self.text

    def ask(self, project: str = "") -> str:
        return self.text.replace(PROJECT_FIELD, project) if self.about_project else self.text


@dataclass(frozen=True, eq=False)
class Bank:
    competencies: dict[str, Competency]
    questions: tuple[Question, ...]
    _by_competency: dict[str, tuple[Question, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Question]] = {cid: [] for cid in self.competencies}
        for question in self.questions:
            for cid in question.competencies:
                index.setdefault(cid, []).append(question)
        object.__setattr__(self, "_by_competency", {cid: tuple(qs) for cid, qs in index.items()})

    def about(self, competency: str, *, project_questions: bool | None = None) -> tuple[Question, ...]:
        """Questions that ask about *competency*; ``project_questions`` True/False keeps only
        those with / without ``{project}`` in them."""
        found = self._by_competency.get(competency, ())
        if project_questions is None:
            return found
        return tuple(q for q in found if q.about_project == project_questions)

    def name(self, competency: str) -> str:
        known = self.competencies.get(competency)
        return known.name if known else competency

    def extended(self, questions: Iterable[Question], custom: Iterable[Competency] = ()) -> "Bank":
        """This bank plus the user's questions (and any competencies they added)."""
        competencies = dict(self.competencies)
        for competency in custom:
            competencies.setdefault(competency.id, competency)
        seen = {q.id for q in self.questions}
        extra = []
        for question in questions:
            if question.id not in seen:
                seen.add(question.id)
                extra.append(question)
        return Bank(competencies, self.questions + tuple(extra))


def slug(text: str) -> str:
    """A competency id made from a heading: ``"System Design!"`` -> ``"system-design"``."""
    return "-".join(re.findall(r"[^\W_]+", text.casefold())) or "other"


@lru_cache(maxsize=1)
def load_bank() -> Bank:
    """drill's own bank (read once per process)."""
    # beside this module, installed or editable; importlib.resources.files() imported
    # zipfile (~20 ms) on the way to the first question
    data = Path(__file__).with_name("questions.toml").read_bytes()
    return parse_bank(data, "questions.toml")


def parse_bank(data: bytes, source: str = "questions.toml") -> Bank:
    """A bank from TOML bytes; :class:`BankError` naming the problem when it is not one."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BankError(f"{source}: {exc}") from None
    raw = doc.get("competencies")
    if not isinstance(raw, dict) or not raw:
        raise BankError(f"{source}: no [competencies.ID] tables")
    competencies = {}
    for cid, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise BankError(f"{source}: competency {cid!r} needs a name")
        synonyms = entry.get("synonyms", [])
        if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
            raise BankError(f"{source}: competency {cid!r}: synonyms must be a list of strings")
        competencies[cid] = Competency(cid, entry["name"], tuple(synonyms), bool(entry.get("common", False)))
    questions = []
    for n, entry in enumerate(doc.get("questions", []), 1):
        text = entry.get("text") if isinstance(entry, dict) else None
        ids = entry.get("competencies") if isinstance(entry, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise BankError(f"{source}: question {n} has no text")
        if not isinstance(ids, list) or not ids:
            raise BankError(f"{source}: question {n} ({text[:40]!r}) names no competency")
        unknown = [c for c in ids if c not in competencies]
        if unknown:
            raise BankError(f"{source}: question {n} ({text[:40]!r}): unknown competency {unknown[0]!r}")
        questions.append(Question(" ".join(text.split()), tuple(ids)))
    return Bank(competencies, tuple(questions))
