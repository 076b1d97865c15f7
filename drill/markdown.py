"""Turn a Markdown file into a deck of cards.

The document is parsed with markdown-it-py (CommonMark), so ``#`` lines in
fenced code are not headings, setext headings count, and ``##NoSpace`` is
plain text.  Token line maps are used to cut each card's answer out of the
original source, so answers keep their Markdown exactly as written.

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

This module is pure: no Textual, no Rich.
"""

from __future__ import annotations

import math
import os
import re
import string
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt
from markdown_it.token import Token

from drill.cards import PATH_SEPARATOR, ParseError, ParsedCard, ParsedDeck
from drill.explicit import BOUNDARY, OPAQUE, TEXT, parse_explicit
from drill.textsafe import clean, clean_lines

__all__ = ["parse_text", "parse_file", "parse_bytes", "read_source", "UNTITLED"]

#: Heading text used when a heading has no text at all.
UNTITLED = "(untitled)"

_FM_OPEN = re.compile(r"-{3,}[ \t]*")
"""The line that opens (and closes) YAML frontmatter, as python-frontmatter."""

_COMMENT = re.compile(r"<!--(?:-?>|.*?-->)", re.DOTALL)
"""One complete HTML comment (including the short forms ``<!-->``/``<!--->``)."""

_INLINE_COMMENT = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<comment><!--(?:-?>|.*?-->))",
    re.DOTALL,
)
"""A code span (left alone) or an HTML comment, inside one paragraph."""

_md = MarkdownIt("commonmark")

_blocks = MarkdownIt("commonmark")
_blocks.core.ruler.disable("inline")
"""Block structure only: inline parsing is more than half the cost of a parse,
and only heading text needs it (see ``_heading_children``)."""

_SETEXT_CARD = re.compile(r"^ {0,3}(?:[QAC]:(?:[ \t]|$)|\?[ \t]*$)|::", re.MULTILINE)
"""Explicit-card markers inside what CommonMark took for a setext heading."""


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
# Frontmatter


@dataclass
class _Frontmatter:
    deck: str | None = None
    tags: list[str] | None = None
    time_limit: int | None = None
    format: str | None = None  # "headings" or "explicit"; None: guess
    prompt: str | None = None  # template for heading cards' questions


#: Fields a ``prompt:`` template may use.
PROMPT_FIELDS = ("heading", "path", "deck")


def _split_frontmatter(lines: list[str]) -> tuple[int, int] | None:
    """Return (first, end) line indexes of the YAML between the fences."""
    if not lines or not _FM_OPEN.fullmatch(lines[0]):
        return None
    for i in range(1, len(lines)):
        if _FM_OPEN.fullmatch(lines[i]):
            return 1, i
    return None  # no closing fence: a thematic break, not frontmatter


def _yaml_error_line(exc: Exception, fm_text: str, first_line: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None and getattr(mark, "line", None) is not None:
        return first_line + mark.line
    position = getattr(exc, "position", None)  # yaml.reader.ReaderError
    if isinstance(position, int):
        return first_line + fm_text.count("\n", 0, position)
    return max(first_line - 1, 1)


def _one_line(message: str) -> str:
    return " ".join(clean(message).split())


def _load_frontmatter(lines: list[str], first: int, end: int) -> _Frontmatter:
    """Parse frontmatter lines[first:end]; line numbers reported are 1-based."""
    fm_text = "\n".join(lines[first:end])
    try:
        data = YAMLHandler().load(fm_text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        context = getattr(exc, "context", None)
        if context and context not in problem:
            problem = f"{problem} ({context})"
        line = _yaml_error_line(exc, fm_text, first + 1)
        raise ParseError(line, f"invalid frontmatter: {_one_line(str(problem))}") from None
    except Exception as exc:  # e.g. RecursionError on absurd nesting
        raise ParseError(1, f"invalid frontmatter: {_one_line(str(exc))}") from None

    if data is None:
        return _Frontmatter()
    if not isinstance(data, dict):
        content_line = next(
            (i + 1 for i in range(first, end) if lines[i].strip()), first + 1
        )
        raise ParseError(content_line, "invalid frontmatter: not a mapping of key: value")

    def key_line(key: str) -> int:
        pattern = re.compile(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*:""")
        for i in range(first, end):
            if pattern.match(lines[i]):
                return i + 1
        return 1

    def bad(key: str, why: str) -> ParseError:
        return ParseError(key_line(key), f"invalid frontmatter: '{key}' {why}")

    result = _Frontmatter()

    deck = data.get("deck")
    if deck is not None:
        if isinstance(deck, (dict, list, set, tuple)):
            raise bad("deck", "must be a string")
        name = " ".join(clean(str(deck)).split())
        result.deck = name or None

    tags = data.get("tags")
    if tags is not None:
        if isinstance(tags, str):
            items: list[Any] = tags.split(",")
        elif isinstance(tags, list):
            items = tags
        elif isinstance(tags, (int, float)) and not isinstance(tags, bool):
            items = [tags]
        else:
            raise bad("tags", "must be a list of strings or a comma-separated string")
        out: list[str] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise bad("tags", "must be a list of strings or a comma-separated string")
            tag = " ".join(clean(str(item)).split())
            if tag and tag not in out:
                out.append(tag)
        result.tags = out

    limit = data.get("time_limit")
    if limit is not None:
        seconds: int | None = None
        if isinstance(limit, bool):
            seconds = None
        elif isinstance(limit, int):
            seconds = limit
        elif isinstance(limit, float) and math.isfinite(limit):
            seconds = round(limit)
        if seconds is None or seconds <= 0:
            raise bad("time_limit", f"must be a positive whole number of seconds, not {limit!r}")
        result.time_limit = seconds

    fmt = data.get("format")
    if fmt is not None:
        if not isinstance(fmt, str) or fmt.strip().lower() not in ("headings", "explicit"):
            raise bad("format", f"must be 'headings' or 'explicit', not {_one_line(repr(fmt))}")
        result.format = fmt.strip().lower()

    prompt = data.get("prompt")
    if prompt is not None:
        if isinstance(prompt, (dict, list, set, tuple)):
            raise bad("prompt", "must be a string like 'Walk me through {heading}'")
        template = " ".join(clean(str(prompt)).split())
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        except ValueError as exc:
            raise bad("prompt", f"is not a valid template ({_one_line(str(exc))})") from None
        unknown = [f for f in fields if f not in PROMPT_FIELDS]
        if unknown:
            allowed = ", ".join("{" + f + "}" for f in PROMPT_FIELDS)
            raise bad("prompt", f"uses {{{_one_line(unknown[0])}}}; it may use {allowed}")
        result.prompt = template or None

    return result


# --------------------------------------------------------------------------
# Markdown


@dataclass
class _Heading:
    level: int
    text: str
    start: int  # 0-based line of the heading
    end: int  # 0-based line after the heading (setext headings take two)
    empty: bool = False  # no text of its own; shown as UNTITLED


def _heading_children(inline: Token) -> list[Token]:
    """Inline tokens of a heading parsed by ``_blocks`` (which skips inline parsing)."""
    if inline.children:
        return inline.children
    parsed = _md.parseInline(inline.content)
    return parsed[0].children or [] if parsed else []


def _inline_text(tokens: list[Token] | None) -> str:
    parts: list[str] = []
    for tok in tokens or []:
        if tok.type in ("text", "code_inline", "text_special"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(_inline_text(tok.children) if tok.children else tok.content)
        elif tok.children:
            parts.append(_inline_text(tok.children))
        # html_inline and *_open/*_close markers carry no text
    return "".join(parts)


class _Parser:
    def __init__(self, text: str, source_name: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = _normalise_newlines(text)
        self.source_name = source_name
        self.warnings: list[tuple[int, str]] = []

    # -- helpers ----------------------------------------------------------

    def fallback_name(self) -> str:
        base = PurePath(self.source_name.replace("\\", "/")).name
        stem = os.path.splitext(base)[0] or base
        return " ".join(clean(stem).split()) or UNTITLED

    def strip_comments(self, text: str) -> str:
        """Blank out HTML comments, keeping their newlines.

        Only comments markdown-it recognises are removed, so ``<!--`` in code
        blocks and code spans stays.
        """
        if "<!--" not in text:  # no comment possible: skip a whole markdown-it parse
            return text
        lines = text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)

        def span(map_: list[int]) -> tuple[int, int]:
            start, end = map_
            return offsets[start], min(offsets[end], len(text))

        edits: list[tuple[int, int]] = []
        for tok in _md.parse(text):
            if tok.map is None:
                continue
            if tok.type == "html_block" and tok.content.lstrip().startswith("<!--"):
                lo, hi = span(tok.map)
                pos = lo
                while pos < hi:
                    opening = text.find("<!--", pos, hi)
                    if opening < 0:
                        break
                    match = _COMMENT.match(text, opening, hi)
                    if match is None:  # unclosed: markdown-it hides the rest
                        self.warnings.append(
                            (text.count("\n", 0, opening) + 1, "unclosed HTML comment")
                        )
                        edits.append((opening, hi))
                        break
                    edits.append(match.span())
                    pos = match.end()
            elif tok.type == "inline" and any(
                child.type == "html_inline" and child.content.startswith("<!--")
                for child in tok.children or []
            ):
                lo, hi = span(tok.map)
                for match in _INLINE_COMMENT.finditer(text, lo, hi):
                    if match.group("comment"):
                        edits.append(match.span("comment"))

        if not edits:
            return text
        out: list[str] = []
        pos = 0
        for lo, hi in sorted(set(edits)):
            if lo < pos:  # overlapping edit: already removed
                lo = pos
                if hi <= lo:
                    continue
            out.append(text[pos:lo])
            out.append("\n" * text.count("\n", lo, hi))
            pos = hi
        out.append(text[pos:])
        return "".join(out)

    def blocks_in(self, start: int, stop: int) -> list[Token]:
        """Top-level blocks (headings included) starting in lines [start, stop)."""
        lo = bisect_left(self.block_starts, start)
        hi = bisect_left(self.block_starts, stop)
        return self.blocks[lo:hi]

    def body(self, start: int, stop: int) -> str:
        """Markdown of lines [start, stop) minus trailing thematic breaks.

        Authors often put ``---`` between sections; it is not part of an answer.
        """
        inside = self.blocks_in(start, stop)
        while inside and inside[-1].type == "hr" and inside[-1].map:
            stop = inside[-1].map[0]
            inside = inside[:-1]
        return self.slice_lines(start, stop)

    def slice_lines(self, start: int, end: int) -> str:
        """Source lines [start, end), cleaned, blank lines trimmed at both ends."""
        return "\n".join(clean_lines("\n".join(self.lines[start:end])))

    # -- main ---------------------------------------------------------------

    def parse(self) -> ParsedDeck:
        lines = self.text.split("\n")
        meta = _Frontmatter()
        fm = _split_frontmatter(lines)
        if fm is not None:
            first, end = fm
            meta = _load_frontmatter(lines, first, end)
            # Blank the frontmatter out so markdown-it line maps are file lines.
            for i in range(0, end + 1):
                lines[i] = ""
        text = self.strip_comments("\n".join(lines))
        self.lines = text.split("\n")
        tokens = _blocks.parse(text)

        headings: list[_Heading] = []
        for index, tok in enumerate(tokens):
            if tok.type == "heading_open" and tok.level == 0 and tok.map:
                inline = tokens[index + 1]
                raw = _inline_text(_heading_children(inline))
                title = " ".join(clean(raw).split())
                if not title:
                    self.warnings.append((tok.map[0] + 1, "empty heading"))
                headings.append(
                    _Heading(
                        level=int(tok.tag[1:]),
                        text=title or UNTITLED,
                        start=tok.map[0],
                        end=tok.map[1],
                        empty=not title,
                    )
                )
        blocks = [
            tok
            for tok in tokens
            if tok.level == 0 and tok.nesting != -1 and tok.map is not None
        ]

        # Deck title: the first block is an H1 and it is the only H1.
        title: _Heading | None = None
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

        first_heading = headings[0].start if headings else len(self.lines)
        self.blocks = blocks
        self.block_starts = [tok.map[0] for tok in blocks if tok.map is not None]

        explicit = None
        unused_warnings: list[tuple[int, str]] = []
        if meta.format != "headings":
            explicit = parse_explicit(self.lines, self.line_roles(tokens))
            if meta.format != "explicit" and not explicit.cards:
                unused_warnings = explicit.warnings
                explicit = None  # no explicit cards: the heading rule applies
        if explicit is not None and explicit.first_line is not None:
            first_heading = min(first_heading, explicit.first_line)
        description = self.body(title.end if title else 0, first_heading)

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
        )

    # -- explicit cards and prompts ------------------------------------------

    def line_roles(self, tokens: list[Token]) -> list[str]:
        """Per line: TEXT, OPAQUE (code or HTML block) or BOUNDARY (heading, rule)."""
        roles = [TEXT] * len(self.lines)

        def mark(lo: int, hi: int, role: str) -> None:
            for i in range(lo, min(hi, len(roles))):
                roles[i] = role

        for tok in tokens:
            if tok.map is None:
                continue
            lo, hi = tok.map
            if tok.type in ("fence", "code_block", "html_block"):
                mark(lo, hi, OPAQUE)
            elif tok.level == 0 and tok.type == "hr":
                mark(lo, hi, BOUNDARY)
            elif tok.level == 0 and tok.type == "heading_open":
                if tok.markup in ("=", "-") and _SETEXT_CARD.search("\n".join(self.lines[lo : hi - 1])):
                    # "A: answer" followed by "---" is a card and a rule, not a heading
                    mark(hi - 1, hi, BOUNDARY)
                else:
                    mark(lo, hi, BOUNDARY)
        return roles

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
        return len(self.lines)

    def has_own_body(self, i: int) -> bool:
        heading = self.headings[i]
        own = self.blocks_in(heading.end, self.line_of(i + 1))
        # A thematic break alone is decoration, not an answer; nor is text that
        # is nothing but control characters once cleaned.
        if not any(tok.type not in ("hr", "heading_open") for tok in own):
            return False
        return bool(self.body(heading.end, self.line_of(i + 1)).strip())

    def collect_cards(self) -> Iterator[ParsedCard]:
        i = 0
        while i < len(self.headings):
            yield from self.visit(i, ())
            i = self.section_end(i)

    def visit(self, i: int, parent: tuple[str, ...]) -> Iterator[ParsedCard]:
        heading = self.headings[i]
        path = parent + (heading.text,)
        end = self.section_end(i)
        if self.has_own_body(i):
            yield ParsedCard(
                path=path,
                answer=self.body(heading.end, self.line_of(end)),
                line=heading.start + 1,
            )
            return
        child = i + 1
        while child < end:
            yield from self.visit(child, path)
            child = self.section_end(child)
