"""Explicit card syntaxes, for notes written for other tools.

hashcards style::

    Q: What does a write-ahead log protect against?
    A: Losing committed writes in a crash.

    C: A [B-tree] keeps keys [sorted].        (one card per [deletion])

Obsidian spaced-repetition style::

    Idempotent request :: safe to repeat      (one card)
    Latency:::the time one request takes      (two cards, one each way)

    What makes a good postmortem?             (question line(s),
    ?                                          a line with only ? (?? : a card each way),
    Blameless, with owners and dates.          an answer up to the next blank line)

    The ==median== is the 50th percentile.    (one cloze card per highlight)

Anki style: ``{{c1::Paris::city}} is in {{c2::France}}`` (one card per number; the
hint shows in the blank).

A ``Q:`` question runs until its ``A:``, over blank lines, images and code.  An
``A:`` or ``C:`` answer runs until a blank line followed by the start of another
card, a heading, a thematic break or the end of the file.  A ``?`` answer ends at
the first blank line (as in Obsidian SR; prose after it is not part of the card).

``::`` is not a separator when it is code-like (see :func:`inline_separator`):
``std::vector``, ``Vec::new()``, ``Foo::Bar``, ``a::b`` (a word character on both
sides), IPv6 ``::1``, Haskell ``map :: (a -> b) -> [a] -> [b]``.  In a note that
asks for explicit cards (``format: explicit``, a ``#flashcards`` tag) or in a
section that has other explicit cards, glued ``Question::Answer`` lines are cards
too, unless the right side goes on as code (``Vec::new()``, ``std::map<K, V>``).

Obsidian block ids (``^a1b2c3`` at a line's end) are removed from card text;
``#flashcards/...`` tags are removed too and become the card's tags.  Multi-line
questions keep their line breaks (the card's identity is the collapsed text).

Lines inside code blocks and HTML blocks are never markers.  A malformed card
(``A:`` with no ``Q:``, an empty ``[]``, an unbalanced ``==`` …) gives one
``(line, reason)`` warning and is skipped; the rest of the file still counts.

Identity: a basic card's path is its own question, a cloze card's is the
sentence with its deletion blanked, so editing an answer keeps history.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from drill.parse.cards import ParsedCard
from drill.parse.cloze import (
    anki_cloze_cards,
    anki_deletions,
    bracket_deletions,
    cloze_cards,
    collapse,
    has_anki_cloze,
    has_highlight_marks,
    highlight_deletions,
    mask_anki,
    mask_code,
)
from drill.parse.textsafe import clean, clean_lines

__all__ = [
    "TEXT", "OPAQUE", "BOUNDARY", "REVERSE", "ExplicitCards", "parse_explicit", "inline_separator", "strip_obsidian",
]

#: Line roles: ordinary text, inside a code/HTML block, a heading or thematic break.
TEXT, OPAQUE, BOUNDARY = "text", "opaque", "boundary"

#: Second path part of the reverse card of ``question:::answer``.
REVERSE = "(reverse)"

_MARKER = re.compile(r" {0,3}([QAC]):(?:[ \t]+|$)")
_SEPARATOR = re.compile(r" {0,3}(\?\??)[ \t]*")
_COLONS = re.compile(r":{2,}")
_IPV6 = re.compile(r"[0-9A-Fa-f]*(?::[0-9A-Fa-f]*)+(?:%\w+)?(?:/\d+)?")
_TOKEN_EDGES = "[](){}<>,.;'\"`*_"
_HASKELL_LEFT = re.compile(r"\s*(?:[-*+]\s+)?(?:[a-z_][\w']*|\([^\s()]+\))\s*")
_HASKELL_TYPE = re.compile(r"\s*(?:[A-Z][\w']*|\[.*\]|\(.*\))\s*")
_CODE_AFTER = re.compile(r"~?\w+(?:\(|<|::|\[)")
_WORD = re.compile(r"\w")
_BLOCK_ID = re.compile(r"[ \t]+\^[A-Za-z0-9-]+[ \t]*$", re.MULTILINE)
_SR_TAG = re.compile(r"(?<!\S)#(flashcards(?:/[^\s#]*)?)(?=\s|$)")


def strip_obsidian(text: str) -> tuple[str, tuple[str, ...]]:
    """*text* without Obsidian block ids and ``#flashcards`` tags, and the tags found."""
    tags: list[str] = []
    if "#flashcards" in text:
        for match in _SR_TAG.finditer(text):
            tag = match.group(1).rstrip("/")
            if tag not in tags:
                tags.append(tag)
        text = _SR_TAG.sub("", text)
    if "^" in text:
        text = _BLOCK_ID.sub("", text)
    return text, tuple(tags)


@dataclass
class ExplicitCards:
    cards: list[ParsedCard] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    first_line: int | None = None
    """0-based first line that belongs to an explicit card (well-formed or not)."""
    syntaxes: list[str] = field(default_factory=list)
    """Per card: "highlight" for ``==x==`` clozes, otherwise "marker"."""
    glued: list[int] = field(default_factory=list)
    """0-based lines whose only ``::`` was glued between words and so taken for code."""


def _trim_lines(text: str) -> str:
    """Cleaned text with blank lines trimmed at both ends (inner lines kept as written)."""
    return "\n".join(line.rstrip() for line in clean_lines(text))


def _token_at(line: str, at: int) -> str:
    """The whitespace-delimited token around offset *at* (at most 64 characters each way)."""
    start = at
    while start > 0 and at - start < 64 and not line[start - 1].isspace():
        start -= 1
    end = at
    while end < len(line) and end - at < 64 and not line[end].isspace():
        end += 1
    token = line[start:end].strip(_TOKEN_EDGES)
    if token.count(":") > 2 and "]:" in line[start:end]:  # [::1]:8080
        token = line[start:end].split("]:")[0].strip(_TOKEN_EDGES)
    return token


def inline_separator(line: str, loose: bool = False) -> tuple[int, int] | None:
    """(offset, width) of the ``:::`` or ``::`` card separator on *line*, or None.

    Never a separator: inside a code span or an Anki cloze, a run of four or more
    colons, an IPv6-looking token (``::1``, ``fe80::1``), a Haskell signature
    (``map :: (a -> b) -> [a] -> [b]``), and a ``::`` whose right side goes on as
    code (``Vec::new()``, ``std::map<K, V>``).  A ``::`` glued between word
    characters (``std::vector``, ``Foo::Bar``, ``a::b``) is a separator only when
    *loose* (the note or section asks for explicit cards), and then only if no
    spaced separator is on the line.  Strict mode also needs text on both sides;
    loose mode returns a one-sided separator so the caller can say what is wrong.
    """
    found, glued = _separators(line)
    if found is not None:
        return found
    if not loose:
        return None
    return glued


def _separators(line: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(the separator strict mode takes, the one only loose mode takes) on *line*."""
    if "::" not in line:
        return None, None
    masked = mask_anki(mask_code(line))
    glued: tuple[int, int] | None = None
    one_sided: tuple[int, int] | None = None
    first = len(line) - len(line.lstrip())  # text on the left iff first < at
    last = len(line.rstrip())  # text on the right iff end < last
    for run in _COLONS.finditer(masked):
        at, end = run.start(), run.end()
        width = end - at
        if width > 3:
            continue
        if first >= at or end >= last:
            if one_sided is None:
                one_sided = (at, width)
            continue
        if width == 3:
            return (at, 3), None
        token = _token_at(line, at)
        if token != "::" and _IPV6.fullmatch(token):
            continue
        before, after = line[at - 1], line[end]
        if before.isspace() and after.isspace() and at < 80 and _HASKELL_LEFT.fullmatch(line[:at]):
            right = line[end:]
            if "->" in right or "=>" in right or _HASKELL_TYPE.fullmatch(right):
                continue
        if _WORD.match(before) and (_WORD.match(after) or after == "~"):
            if _CODE_AFTER.match(line, end):
                continue
            if glued is None:
                glued = (at, 2)
            continue
        return (at, 2), None
    return None, glued or one_sided


def has_glued_separator(line: str) -> bool:
    """Whether *line* has a ``::`` that only loose mode takes for a separator."""
    return _separators(line)[1] is not None


class _Scanner:
    def __init__(self, lines: list[str], roles: list[str], loose: Callable[[int], bool]) -> None:
        self.lines = lines
        self.roles = roles
        self.loose = loose
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

    def separator(self, i: int) -> str | None:
        """"?" or "??" when line *i* is a multi-line card's separator."""
        if not self.text(i):
            return None
        match = _SEPARATOR.fullmatch(self.lines[i])
        return match.group(1) if match else None

    def inline(self, i: int) -> tuple[int, int] | None:
        if not self.text(i) or "::" not in self.lines[i]:
            return None
        found, glued = _separators(self.lines[i])
        if found is not None or glued is None:
            return found
        if self.loose(i):
            return glued
        if not self.out.glued or self.out.glued[-1] != i:
            self.out.glued.append(i)
        return None

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
        text = clean("\n".join(self.lines[i:end]))
        return has_highlight_marks(text) or has_anki_cloze(text)

    def body_end(self, start: int) -> int:
        """End of an ``A:``/``C:`` answer whose first line is *start*: see the module docstring."""
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

    def block_end(self, start: int) -> int:
        """End of a ``?`` answer whose first line is *start*: the next blank line."""
        j = start + 1
        while j < self.n and not self.blank(j) and not self.boundary(j) and self.marker(j) is None:
            j += 1
        return j

    # -- output ---------------------------------------------------------------
    def used(self, i: int) -> None:
        if self.out.first_line is None or i < self.out.first_line:
            self.out.first_line = i

    def warn(self, i: int, message: str) -> None:
        self.used(i)
        self.out.warnings.append((i + 1, message))

    def add(self, card: ParsedCard, syntax: str = "marker") -> None:
        self.out.cards.append(card)
        self.out.syntaxes.append(syntax)

    def basic(self, i: int, question: str, answer: str, what: str, *, reverse: bool = False) -> None:
        question, q_tags = strip_obsidian(clean(question))
        answer, a_tags = strip_obsidian(answer)
        tags = tuple(dict.fromkeys(q_tags + a_tags))
        shown = _trim_lines(question)
        q = collapse(shown)
        a = _trim_lines(answer)
        if not q:
            self.warn(i, f"{what} card has an empty question; skipped")
        elif not a:
            self.warn(i, f"{what} card has an empty answer; skipped")
        else:
            self.used(i)
            prompt = shown if "\n" in shown else ""
            self.add(ParsedCard(path=(q,), answer=a, line=i + 1, prompt=prompt, origin="explicit", tags=tags))
            if reverse:
                back = a if "\n" in a else collapse(a)
                self.add(
                    ParsedCard(path=(collapse(a), REVERSE), answer=shown, line=i + 1, prompt=back, origin="explicit", tags=tags)
                )

    def cloze(self, i: int, text: str, found, warnings, what: str, syntax: str = "marker") -> None:
        self.used(i)
        self.out.warnings.extend(warnings)
        if not found:
            if not warnings:
                self.out.warnings.append((i + 1, f"{what} card has no cloze deletion; skipped"))
            return
        text, tags = strip_obsidian(text)
        for card in cloze_cards(text, found, i + 1, tags):
            self.add(card, syntax)

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
                if has_anki_cloze(text):
                    self.anki(i, text)
                else:
                    found, warnings = bracket_deletions(text, i + 1)
                    self.cloze(i, text, found, warnings, "C:")
                i = end
            else:
                i = self.free_paragraph(i)
        return self.out

    def question_answer(self, i: int) -> int:
        """``Q:`` runs over blank lines, images and code until its ``A:`` (as in hashcards)."""
        j = i + 1
        while j < self.n and not self.boundary(j) and self.marker(j) is None:
            j += 1
        if j < self.n and self.marker(j) == "A":
            end = self.body_end(j)
            question = "\n".join([self.after_marker(i), *self.lines[i + 1 : j]])
            answer = "\n".join([self.after_marker(j), *self.lines[j + 1 : end]])
            self.basic(i, question, answer, "Q:")
            return end
        self.warn(i, "Q: without an A: after it; skipped")
        return self.paragraph_end(i)

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
        stop = self.block_end(sep)
        mark = self.separator(sep) or "?"
        if first == sep:
            self.warn(sep, f"'{mark}' with no question line above it; skipped")
        else:
            question = "\n".join(self.lines[first:sep])
            self.basic(first, question, "\n".join(self.lines[sep + 1 : stop]), f"'{mark}'", reverse=mark == "??")
        return stop

    def plain_lines(self, i: int, end: int) -> None:
        """Lines of a paragraph that are not a "?" card: "::" cards and clozes."""
        run: list[int] = []
        for j in range(i, end):
            where = self.inline(j)
            if where is None:
                if self.text(j):
                    run.append(j)
                else:  # a code block splits the paragraph's text
                    self.clozes(run)
                    run = []
                continue
            self.clozes(run)
            run = []
            self.one_line(j, *where)
        self.clozes(run)

    def one_line(self, i: int, at: int, width: int) -> None:
        line = self.lines[i]
        left, right = line[:at], line[at + width :]
        if width == 2:
            self.basic(i, left, right.lstrip(), "'::'")
            return
        if not collapse(clean(left)) or not collapse(clean(right)):
            self.warn(i, "':::' card needs text on both sides; skipped")
            return
        self.basic(i, left, right.lstrip(), "':::'", reverse=True)

    def clozes(self, run: list[int]) -> None:
        if not run:
            return
        text = clean("\n".join(self.lines[j] for j in run))
        if has_anki_cloze(text):
            self.anki(run[0], text)
            return
        if "==" not in text:
            return
        found, warnings = highlight_deletions(text, run[0] + 1)
        if found or warnings:
            self.cloze(run[0], text, found, warnings, "highlight", syntax="highlight")

    def anki(self, i: int, text: str) -> None:
        found, warnings = anki_deletions(text, i + 1)
        self.used(i)
        self.out.warnings.extend(warnings)
        if not found:
            return
        text, tags = strip_obsidian(text)
        found, _ = anki_deletions(text, i + 1)
        for card in anki_cloze_cards(text, found, i + 1, tags):
            self.add(card)


def parse_explicit(lines: list[str], roles: list[str], loose: Callable[[int], bool] | bool = False) -> ExplicitCards:
    """Explicit cards in *lines* (one role per line: TEXT, OPAQUE or BOUNDARY).

    *loose*: whether glued ``a::b`` counts as a card separator, for the whole file
    (a bool) or per 0-based line (a callable).
    """
    test = loose if callable(loose) else (lambda _i, _v=bool(loose): _v)
    return _Scanner(lines, roles, test).scan()
