"""The block walk: a Markdown text as top-level blocks and headings, with line maps
into the source so answers are cut out of the file exactly as written.

Parsed with markdown-it-py (CommonMark): ``#`` lines in fenced code are not headings,
setext headings count, ``##NoSpace`` is plain text. HTML comments are blanked out first
(keeping their newlines, so line numbers stay the file's).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from drill.parse.explicit import BOUNDARY, OPAQUE, TEXT
from drill.parse.textsafe import clean, clean_lines

#: Heading text used when a heading has no text at all.
UNTITLED = "(untitled)"

_COMMENT = re.compile(r"<!--(?:-?>|.*?-->)", re.DOTALL)
"""One complete HTML comment (including the short forms ``<!-->``/``<!--->``)."""

_INLINE_COMMENT = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<comment><!--(?:-?>|.*?-->))",
    re.DOTALL,
)
"""A code span (left alone) or an HTML comment, inside one paragraph."""

_DIRECTIVE = re.compile(r"<!--\s*drill:\s*(?P<body>.*?)\s*-->", re.DOTALL | re.IGNORECASE)
"""A comment addressed to drill: ``<!-- drill: competencies conflict, influence -->``."""

_md = MarkdownIt("commonmark")

_blocks = MarkdownIt("commonmark")
_blocks.core.ruler.disable("inline")
"""Block structure only: inline parsing is more than half the cost of a parse,
and only heading text needs it (see ``_heading_children``)."""

_SETEXT_CARD = re.compile(r"^ {0,3}(?:[QAC]:(?:[ \t]|$)|\?[ \t]*$)|::", re.MULTILINE)
"""Explicit-card markers inside what CommonMark took for a setext heading."""


@dataclass
class Heading:
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


class Document:
    """One Markdown text (frontmatter already blanked out) as blocks and headings.

    Problems found on the way (an unclosed comment, an empty heading) are appended
    to *warnings* as ``(line, reason)``.
    """

    def __init__(self, text: str, warnings: list[tuple[int, str]]) -> None:
        self.warnings = warnings
        self.directives: list[tuple[int, str]] = []
        """(0-based line, text after ``drill:``) of each ``<!-- drill: ... -->`` comment."""
        text = self.strip_comments(text)
        self.lines = text.split("\n")
        self.tokens = _blocks.parse(text)
        self.headings: list[Heading] = []
        for index, tok in enumerate(self.tokens):
            if tok.type == "heading_open" and tok.level == 0 and tok.map:
                inline = self.tokens[index + 1]
                raw = _inline_text(_heading_children(inline))
                title = " ".join(clean(raw).split())
                if not title:
                    self.warnings.append((tok.map[0] + 1, "empty heading"))
                self.headings.append(
                    Heading(
                        level=int(tok.tag[1:]),
                        text=title or UNTITLED,
                        start=tok.map[0],
                        end=tok.map[1],
                        empty=not title,
                    )
                )
        self.blocks = [tok for tok in self.tokens if tok.level == 0 and tok.nesting != -1 and tok.map is not None]
        self.block_starts = [tok.map[0] for tok in self.blocks if tok.map is not None]

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
        for lo, hi in sorted(set(edits)):
            directive = _DIRECTIVE.fullmatch(text, lo, hi)
            if directive is not None:
                body = " ".join(clean(directive.group("body")).split())
                self.directives.append((text.count("\n", 0, lo), body))
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


    def line_roles(self) -> list[str]:
        """Per line: TEXT, OPAQUE (code or HTML block) or BOUNDARY (heading, rule)."""
        roles = [TEXT] * len(self.lines)

        def mark(lo: int, hi: int, role: str) -> None:
            for i in range(lo, min(hi, len(roles))):
                roles[i] = role

        for tok in self.tokens:
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
