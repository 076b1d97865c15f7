"""Explicit card syntaxes, for notes written for other tools.

hashcards style::

    Q: What does a write-ahead log protect against?
    A: Losing committed writes in a crash.

    C: A [B-tree] keeps keys [sorted].        (one card per [deletion])

Obsidian spaced-repetition style::

    Idempotent::safe to repeat                (one card)
    Latency:::the time one request takes      (two cards, one each way)

    What makes a good postmortem?             (question line(s),
    ?                                          a line with only ?,
    Blameless, with owners and dates.          a multi-line answer)

    The ==median== is the 50th percentile.    (one cloze card per highlight)

An answer (``A:``, ``C:`` or after ``?``) runs until a blank line followed by
the start of another card, a heading, a thematic break or the end of the file;
it may span lines and paragraphs.  ``::`` cards are one line.  A paragraph
with ``==`` highlights after a blank line starts a new card too.

Lines inside code blocks and HTML blocks are never markers.  A malformed card
(``A:`` with no ``Q:``, an empty ``[]``, an unbalanced ``==``, a ``:::`` with
an empty side …) gives one ``(line, reason)`` warning and is skipped; the rest
of the file still counts.

Identity: a basic card's path is its own question, a cloze card's is the
sentence with its deletion blanked, so editing an answer keeps history.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drill.parse.cards import ParsedCard
from drill.parse.cloze import (
    bracket_deletions,
    cloze_cards,
    collapse,
    has_highlight_marks,
    highlight_deletions,
    mask_code,
)
from drill.parse.textsafe import clean, clean_lines

__all__ = ["TEXT", "OPAQUE", "BOUNDARY", "REVERSE", "ExplicitCards", "parse_explicit"]

#: Line roles: ordinary text, inside a code/HTML block, a heading or thematic break.
TEXT, OPAQUE, BOUNDARY = "text", "opaque", "boundary"

#: Second path part of the reverse card of ``question:::answer``.
REVERSE = "(reverse)"

_MARKER = re.compile(r" {0,3}([QAC]):(?:[ \t]+|$)")
_SEPARATOR = re.compile(r" {0,3}\?[ \t]*")


@dataclass
class ExplicitCards:
    cards: list[ParsedCard] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    first_line: int | None = None
    """0-based first line that belongs to an explicit card (well-formed or not)."""


def _trim_lines(text: str) -> str:
    """Cleaned text with blank lines trimmed at both ends (inner lines kept as written)."""
    return "\n".join(line.rstrip() for line in clean_lines(text))


def _inline_separator(line: str) -> tuple[int, int] | None:
    """(offset, width) of the ``:::`` or ``::`` separator on *line*, outside code spans."""
    masked = mask_code(line)
    at = masked.find(":::")
    if at >= 0:
        return at, 3
    at = masked.find("::")
    if at >= 0:
        return at, 2
    return None


class _Scanner:
    def __init__(self, lines: list[str], roles: list[str]) -> None:
        self.lines = lines
        self.roles = roles
        self.n = len(lines)
        self.out = ExplicitCards()

    # -- line classes -------------------------------------------------------
    def text(self, i: int) -> bool:
        return self.roles[i] == TEXT

    def blank(self, i: int) -> bool:
        return self.roles[i] == TEXT and not self.lines[i].strip()

    def boundary(self, i: int) -> bool:
        return self.roles[i] == BOUNDARY

    def marker(self, i: int) -> str | None:
        if not self.text(i):
            return None
        match = _MARKER.match(self.lines[i])
        return match.group(1) if match else None

    def after_marker(self, i: int) -> str:
        match = _MARKER.match(self.lines[i])
        assert match is not None
        return self.lines[i][match.end() :]

    def separator(self, i: int) -> bool:
        return self.text(i) and _SEPARATOR.fullmatch(self.lines[i]) is not None

    def inline(self, i: int) -> tuple[int, int] | None:
        return _inline_separator(self.lines[i]) if self.text(i) else None

    def paragraph_end(self, i: int) -> int:
        """First line after the paragraph that starts at *i* (markers start new ones)."""
        j = i + 1
        while j < self.n and not self.blank(j) and not self.boundary(j) and self.marker(j) is None:
            j += 1
        return j

    def starts_card(self, i: int) -> bool:
        if self.marker(i) is not None or self.inline(i) is not None:
            return True
        if not self.text(i):
            return False
        end = self.paragraph_end(i)
        if any(self.separator(j) for j in range(i, end)):
            return True
        return has_highlight_marks(clean("\n".join(self.lines[i:end])))

    def body_end(self, start: int) -> int:
        """End of an answer whose first line is *start*: see the module docstring."""
        j = start + 1
        while j < self.n:
            if self.boundary(j) or self.marker(j) is not None:
                return j
            if self.blank(j):
                k = j
                while k < self.n and self.blank(k):
                    k += 1
                if k >= self.n or self.boundary(k) or self.starts_card(k):
                    return j
                j = k
                continue
            j += 1
        return j

    # -- output ---------------------------------------------------------------
    def used(self, i: int) -> None:
        if self.out.first_line is None or i < self.out.first_line:
            self.out.first_line = i

    def warn(self, i: int, message: str) -> None:
        self.used(i)
        self.out.warnings.append((i + 1, message))

    def basic(self, i: int, question: str, answer: str, what: str) -> None:
        q = collapse(clean(question))
        a = _trim_lines(answer)
        if not q:
            self.warn(i, f"{what} card has an empty question; skipped")
        elif not a:
            self.warn(i, f"{what} card has an empty answer; skipped")
        else:
            self.used(i)
            self.out.cards.append(ParsedCard(path=(q,), answer=a, line=i + 1))

    def cloze(self, i: int, text: str, found, warnings, what: str) -> None:
        self.used(i)
        self.out.warnings.extend(warnings)
        if not found:
            if not warnings:
                self.out.warnings.append((i + 1, f"{what} card has no cloze deletion; skipped"))
            return
        self.out.cards.extend(cloze_cards(text, found, i + 1))

    # -- main loop --------------------------------------------------------------
    def scan(self) -> ExplicitCards:
        i = 0
        while i < self.n:
            if not self.text(i) or self.blank(i):
                i += 1
                continue
            kind = self.marker(i)
            if kind == "Q":
                i = self.question_answer(i)
            elif kind == "A":
                self.warn(i, "A: without a Q: before it; skipped")
                i = self.body_end(i)
            elif kind == "C":
                end = self.body_end(i)
                text = clean("\n".join([self.after_marker(i), *self.lines[i + 1 : end]]))
                found, warnings = bracket_deletions(text, i + 1)
                self.cloze(i, text, found, warnings, "C:")
                i = end
            else:
                i = self.free_paragraph(i)
        return self.out

    def question_answer(self, i: int) -> int:
        j = i + 1
        while j < self.n and not self.blank(j) and not self.boundary(j) and self.marker(j) is None:
            j += 1
        k = j
        while k < self.n and self.blank(k):
            k += 1
        if k < self.n and self.marker(k) == "A":
            end = self.body_end(k)
            question = "\n".join([self.after_marker(i), *self.lines[i + 1 : j]])
            answer = "\n".join([self.after_marker(k), *self.lines[k + 1 : end]])
            self.basic(i, question, answer, "Q:")
            return end
        self.warn(i, "Q: without an A: after it; skipped")
        return j

    def free_paragraph(self, i: int) -> int:
        end = self.paragraph_end(i)
        sep = next((j for j in range(i, end) if self.separator(j)), None)
        if sep is None:
            self.plain_lines(i, end)
            return end
        # The question is the lines just above the "?", after any "::" cards.
        first = i
        for j in range(i, sep):
            if self.inline(j) is not None:
                first = j + 1
        self.plain_lines(i, first)
        stop = self.body_end(sep)
        if first == sep:
            self.warn(sep, "'?' with no question line above it; skipped")
        else:
            question = "\n".join(self.lines[first:sep])
            self.basic(first, question, "\n".join(self.lines[sep + 1 : stop]), "'?'")
        return stop

    def plain_lines(self, i: int, end: int) -> None:
        """Lines of a paragraph that are not a "?" card: "::" cards and highlights."""
        run: list[int] = []
        for j in range(i, end):
            where = self.inline(j)
            if where is None:
                if self.text(j):
                    run.append(j)
                else:  # a code block splits the paragraph's text
                    self.highlights(run)
                    run = []
                continue
            self.highlights(run)
            run = []
            self.one_line(j, *where)
        self.highlights(run)

    def one_line(self, i: int, at: int, width: int) -> None:
        line = self.lines[i]
        left, right = line[:at], line[at + width :]
        if width == 2:
            self.basic(i, left, right, "'::'")
            return
        q, a = collapse(clean(left)), collapse(clean(right))
        if not q or not a:
            self.warn(i, "':::' card needs text on both sides; skipped")
            return
        self.used(i)
        self.out.cards.append(ParsedCard(path=(q,), answer=a, line=i + 1))
        self.out.cards.append(ParsedCard(path=(a, REVERSE), answer=q, line=i + 1, prompt=a))

    def highlights(self, run: list[int]) -> None:
        if not run:
            return
        text = clean("\n".join(self.lines[j] for j in run))
        if "==" not in text:
            return
        found, warnings = highlight_deletions(text, run[0] + 1)
        if found or warnings:
            self.cloze(run[0], text, found, warnings, "highlight")


def parse_explicit(lines: list[str], roles: list[str]) -> ExplicitCards:
    """Explicit cards in *lines* (one role per line: TEXT, OPAQUE or BOUNDARY)."""
    return _Scanner(lines, roles).scan()
