"""Plain data types shared by the parser, the store and the UI.

Nothing here imports Textual; these are the nouns of drill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Separator between the headings of a card's question path.
PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class ParsedCard:
    """One card as read from a Markdown file, before it meets the store."""

    path: tuple[str, ...]
    """Heading path below the deck title, e.g. ("Hiring Manager", "Conflict")."""
    answer: str
    """The card's body as Markdown (its own text plus all its subsections)."""
    line: int
    """1-based line of the card's heading in the source file."""
    kind: str = "basic"
    """"basic" (question and answer) or "cloze" (a sentence with one part hidden)."""
    prompt: str = ""
    """The question as shown, when it is not the path (``prompt:`` templates, reverse cards)."""
    cloze: tuple[int, str] | None = None
    """For cloze cards: (offset of the ``[…]`` blank in the question, the hidden text)."""
    competencies: tuple[str, ...] = ()
    """Interview competencies from a ``<!-- drill: competencies a, b -->`` comment, as written."""

    @property
    def question(self) -> str:
        return self.prompt or PATH_SEPARATOR.join(self.path)


@dataclass(frozen=True)
class ParsedQuestion:
    """One interview question from a ``kind: questions`` file."""

    competency: str
    """The heading it is under, as written (a competency id or name)."""
    text: str
    line: int


#: ``kind:`` of a file of flashcards (the default) and of a file of interview questions.
KIND_CARDS, KIND_QUESTIONS = "cards", "questions"


@dataclass
class ParsedDeck:
    """Everything one Markdown file contributes: a deck and its cards."""

    name: str
    cards: list[ParsedCard] = field(default_factory=list)
    description: str = ""
    tags: list[str] = field(default_factory=list)
    time_limit: int | None = None
    """Seconds per prompt, from frontmatter; None means the default."""
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) pairs for problems that did not stop the import."""
    group: str = ""
    """Deck group: the file's folder below its registered source, joined with " › "."""
    kind: str = KIND_CARDS
    """Frontmatter ``kind:``: KIND_CARDS, or KIND_QUESTIONS for a file of interview questions."""
    competencies: list[str] = field(default_factory=list)
    """Frontmatter ``competencies:``: what the deck's stories answer, as written."""
    questions: list[ParsedQuestion] = field(default_factory=list)
    """A ``kind: questions`` file's questions (it has no cards)."""


class ParseError(Exception):
    """A file that cannot be imported; carries the 1-based line of the cause."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason
