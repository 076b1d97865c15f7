"""Turn a Markdown file into a deck of cards: the card builder.

The block walk (markdown-it-py tokens, line maps, comment stripping) is
:mod:`drill.parse.blocks`; frontmatter is :mod:`drill.parse.frontmatter`; explicit
card syntaxes are :mod:`drill.parse.explicit`. This module decides the deck name and
which sections are cards, and cuts each answer out of the source as written.

Rules, in short:

* Deck name: frontmatter ``deck:``; else a single H1 that opens the file (the
  *title*); else the file name without its extension.  A title H1 is never
  part of card paths, and the text under it (before the next heading) is the
  deck description.
* A *card* is the outermost section with body text of its own; its answer is
  the whole section, sub-sections included.  A heading followed directly by
  sub-headings is a container; its children are considered instead.
* A file with explicit cards (``Q:``/``A:``, ``C:``, ``::``, ``:::``, ``?``,
  ``==highlights==``; see :mod:`drill.explicit`) uses them instead of the
  heading rule.  Frontmatter ``format: headings|explicit`` overrides the guess.
* Frontmatter ``prompt:`` is a template for heading cards' questions, e.g.
  ``"Walk me through {heading}"`` (also ``{path}`` and ``{deck}``).
* ``<!-- drill: competencies conflict, influence -->`` under a heading says what
  interview competencies its card (or, under a container heading, every card
  below it; above the first heading, every card) answers.  Frontmatter
  ``competencies:`` does the same for the whole deck, and ``kind: questions``
  makes the file a list of interview questions instead (:mod:`drill.parse.questions`).

This module is pure: no Textual, no Rich.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath

from drill.parse.blocks import UNTITLED, Document, Heading
from drill.parse.cards import KIND_QUESTIONS, PATH_SEPARATOR, ParsedCard, ParsedDeck, ParseError
from drill.parse.explicit import parse_explicit
from drill.parse.frontmatter import Frontmatter, load_frontmatter, split_frontmatter
from drill.parse.questions import parse_questions
from drill.parse.textsafe import clean

__all__ = ["parse_text", "parse_file", "parse_bytes", "read_source", "UNTITLED"]


# --------------------------------------------------------------------------
# Public API


def parse_file(path: str | os.PathLike[str]) -> ParsedDeck:
    """Read and parse one Markdown file.

    Raises :class:`ParseError` if the file cannot be read, is binary, is not
    UTF-8, or has broken frontmatter.
    """
    return parse_bytes(read_source(path), os.path.basename(os.fspath(path)))


def read_source(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file to parse; :class:`ParseError` if it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ParseError(1, f"cannot read: {exc.strerror or exc}") from None


def parse_bytes(data: bytes, source_name: str) -> ParsedDeck:
    """Parse a file's bytes (UTF-8, BOM optional); *source_name* is its file name."""
    return parse_text(_decode(data), source_name)


def parse_text(text: str, source_name: str) -> ParsedDeck:
    """Parse Markdown *text*; *source_name* is the file name it came from.

    Raises :class:`ParseError` only for frontmatter problems.
    """
    try:
        return _Parser(text, source_name).parse()
    except ParseError:
        raise
    except Exception as exc:  # never let a parser bug escape as anything else
        raise ParseError(1, f"cannot parse: {type(exc).__name__}: {exc}") from None


# --------------------------------------------------------------------------
# Bytes to text


def _decode(data: bytes) -> str:
    nul = data.find(b"\0")
    if nul >= 0:
        reason = "binary file, not Markdown"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            reason += " (looks like UTF-16; save it as UTF-8)"
        raise ParseError(data.count(b"\n", 0, nul) + 1, reason)
    bom = b"\xef\xbb\xbf"
    start = len(bom) if data.startswith(bom) else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = start + exc.start
        line = data.count(b"\n", 0, pos) + 1
        raise ParseError(line, f"not valid UTF-8 (byte 0x{data[pos]:02x})") from None
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------
# Markdown


class _Parser:
    def __init__(self, text: str, source_name: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = _normalise_newlines(text)
        self.source_name = source_name
        self.warnings: list[tuple[int, str]] = []

    def fallback_name(self) -> str:
        base = PurePath(self.source_name.replace("\\", "/")).name
        stem = os.path.splitext(base)[0] or base
        return " ".join(clean(stem).split()) or UNTITLED

    # -- main ---------------------------------------------------------------

    def parse(self) -> ParsedDeck:
        lines = self.text.split("\n")
        meta = Frontmatter()
        fm = split_frontmatter(lines)
        if fm is not None:
            first, end = fm
            meta = load_frontmatter(lines, first, end)
            # Blank the frontmatter out so markdown-it line maps are file lines.
            for i in range(0, end + 1):
                lines[i] = ""
        doc = self.doc = Document("\n".join(lines), self.warnings)
        headings = list(doc.headings)
        blocks = doc.blocks

        # Deck title: the first block is an H1 and it is the only H1.
        title: Heading | None = None
        h1s = [h for h in headings if h.level == 1]
        if (
            len(h1s) == 1
            and blocks
            and blocks[0].type == "heading_open"
            and blocks[0].map is not None
            and blocks[0].map[0] == h1s[0].start
        ):
            title = h1s[0]
            headings.remove(title)

        if meta.deck:
            name = meta.deck
        elif title is not None and not title.empty:
            name = title.text
        else:
            name = self.fallback_name()

        first_heading = headings[0].start if headings else len(doc.lines)
        self.directives = self.read_directives(doc.directives)

        if meta.kind == KIND_QUESTIONS:
            self.warnings.extend(self.unused_directives)
            questions = parse_questions(doc, self.warnings)
            self.warnings.sort(key=lambda w: w[0])
            return ParsedDeck(
                name=name,
                description=doc.body(title.end if title else 0, first_heading),
                tags=meta.tags or [],
                warnings=self.warnings,
                kind=KIND_QUESTIONS,
                questions=questions,
            )

        explicit = None
        unused_warnings: list[tuple[int, str]] = []
        if meta.format != "headings":
            explicit = parse_explicit(doc.lines, doc.line_roles())
            if meta.format != "explicit" and not explicit.cards:
                unused_warnings = explicit.warnings
                explicit = None  # no explicit cards: the heading rule applies
        if explicit is not None and explicit.first_line is not None:
            first_heading = min(first_heading, explicit.first_line)
        description = doc.body(title.end if title else 0, first_heading)

        self.headings = headings
        if explicit is not None:
            self.warnings.extend(explicit.warnings)
            found: Iterator[ParsedCard] = iter(explicit.cards)
            what = "card"
        else:
            found = self.collect_cards()
            if meta.prompt:
                found = self.apply_prompt(found, meta.prompt, name)
            what = "heading path"
        cards: list[ParsedCard] = []
        seen: dict[tuple[str, ...], int] = {}
        for card in found:
            if card.path in seen:
                shown = PATH_SEPARATOR.join(card.path)
                self.warnings.append(
                    (
                        card.line,
                        f"duplicate {what} '{shown}' "
                        f"(first at line {seen[card.path]}); skipped",
                    )
                )
                continue
            seen[card.path] = card.line
            cards.append(card)

        self.warnings.extend(self.unused_directives)
        if not cards:
            if explicit is not None:
                self.warnings.append((1, "no cards found: no explicit card (format: explicit)"))
            else:
                # Only malformed explicit cards: say what is wrong with each of them too.
                self.warnings.extend(unused_warnings)
                self.warnings.append((1, "no cards found: no heading has body text"))

        self.warnings.sort(key=lambda w: w[0])
        return ParsedDeck(
            name=name,
            cards=cards,
            description=description,
            tags=meta.tags or [],
            time_limit=meta.time_limit,
            warnings=self.warnings,
            competencies=meta.competencies or [],
        )

    # -- explicit cards and prompts ------------------------------------------

    def apply_prompt(self, cards: Iterator[ParsedCard], template: str, deck: str) -> Iterator[ParsedCard]:
        for card in cards:
            try:
                text = template.format(heading=card.path[-1], path=PATH_SEPARATOR.join(card.path), deck=deck)
            except (ValueError, IndexError, KeyError, AttributeError):
                text = ""
            prompt = " ".join(clean(text).split())
            yield replace(card, prompt=prompt) if prompt else card

    # -- sections -------------------------------------------------------------

    def section_end(self, i: int) -> int:
        """Index of the first heading after *i* that closes its section."""
        level = self.headings[i].level
        j = i + 1
        while j < len(self.headings) and self.headings[j].level > level:
            j += 1
        return j

    def line_of(self, heading_index: int) -> int:
        if heading_index < len(self.headings):
            return self.headings[heading_index].start
        return len(self.doc.lines)

    def has_own_body(self, i: int) -> bool:
        heading = self.headings[i]
        own = self.doc.blocks_in(heading.end, self.line_of(i + 1))
        # A thematic break alone is decoration, not an answer; nor is text that
        # is nothing but control characters once cleaned.
        if not any(tok.type not in ("hr", "heading_open") for tok in own):
            return False
        return bool(self.doc.body(heading.end, self.line_of(i + 1)).strip())

    # -- drill comments --------------------------------------------------------

    def read_directives(self, found: list[tuple[int, str]]) -> list[tuple[int, tuple[str, ...]]]:
        """(0-based line, competencies) of each ``<!-- drill: competencies ... -->``;
        anything else addressed to drill gets a warning."""
        out = []
        self.unused_directives: list[tuple[int, str]] = []
        for line, body in found:
            key, _, rest = body.partition(" ")
            if key.casefold().rstrip(":") != "competencies":
                shown = body if len(body) <= 40 else body[:39] + "…"
                self.unused_directives.append(
                    (line + 1, f"drill comment not understood: {shown!r} (drill knows 'competencies a, b')")
                )
                continue
            names = tuple(dict.fromkeys(n for n in (p.strip() for p in rest.replace(";", ",").split(",")) if n))
            if not names:
                self.unused_directives.append((line + 1, "drill comment names no competencies"))
                continue
            out.append((line, names))
        return out

    def directives_in(self, start: int, stop: int) -> tuple[str, ...]:
        found: list[str] = []
        for line, names in self.directives:
            if start <= line < stop:
                found.extend(n for n in names if n not in found)
        return tuple(found)

    # -- sections -------------------------------------------------------------

    def collect_cards(self) -> Iterator[ParsedCard]:
        first = self.headings[0].start if self.headings else len(self.doc.lines)
        above = self.directives_in(0, first)  # above every heading: the whole file
        i = 0
        while i < len(self.headings):
            yield from self.visit(i, (), above)
            i = self.section_end(i)

    def visit(self, i: int, parent: tuple[str, ...], inherited: tuple[str, ...] = ()) -> Iterator[ParsedCard]:
        heading = self.headings[i]
        path = parent + (heading.text,)
        end = self.section_end(i)
        competencies = self.directives_in(heading.end, self.line_of(i + 1)) or inherited
        if self.has_own_body(i):
            yield ParsedCard(
                path=path,
                answer=self.doc.body(heading.end, self.line_of(end)),
                line=heading.start + 1,
                competencies=competencies,
            )
            return
        child = i + 1
        while child < end:
            yield from self.visit(child, path, competencies)
            child = self.section_end(child)
