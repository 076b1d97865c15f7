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
    origin: str = "heading"
    """Where the card came from: "heading" (a section), "explicit" (Q:/A:, ::, ?, C:, cloze)
    or "details" (an HTML ``<details>`` block)."""
    tags: tuple[str, ...] = ()
    """Tags written on the card itself (Obsidian ``#flashcards/...``), without the ``#``."""

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

#: Card origins, in the order reports list them.
ORIGINS = ("heading", "explicit", "details")

_MODE_NAMES = {"heading": "headings", "explicit": "explicit", "details": "details"}


def describe_mode(counts: dict[str, int]) -> str:
    """How a file was read, from its cards per origin: "headings", or "mixed (12 heading, 4 explicit)"."""
    used = [(o, n) for o, n in counts.items() if n]
    if not used:
        return "none"
    if len(used) == 1:
        return _MODE_NAMES.get(used[0][0], used[0][0])
    return "mixed (" + ", ".join(f"{n} {o}" for o, n in used) + ")"


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
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, heading, reason) of sections left out as not worth rehearsing."""
    name_from: str = "file"
    """Where the name came from: "deck" (frontmatter ``deck:``, so files may share the deck on
    purpose), "title" (``title:``, ``name =``, the H1) or "file" (the file name)."""
    notices: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of decisions worth telling the user that are not problems (a split card)."""

    def mode_counts(self) -> dict[str, int]:
        """Cards per origin ("heading", "explicit", "details"), in that order, zeros left out."""
        counts: dict[str, int] = {}
        for origin in ORIGINS:
            n = sum(1 for c in self.cards if c.origin == origin)
            if n:
                counts[origin] = n
        return counts

    @property
    def mode(self) -> str:
        """"headings", "explicit", "details" or "mixed (3 heading, 2 explicit)"; "none" without cards."""
        return describe_mode(self.mode_counts())


class ParseError(Exception):
    """A file that cannot be imported; carries the 1-based line of the cause."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason
