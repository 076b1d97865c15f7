"""The block walk: a Markdown text as top-level blocks and headings, with line maps
into the source so answers are cut out of the file exactly as written.

Parsed with markdown-it-py (CommonMark): ``#`` lines in fenced code are not headings,
setext headings count, ``##NoSpace`` is plain text. HTML comments are blanked out first
(keeping their newlines, so line numbers stay the file's); ``<!-- drill: ... -->``
comments on their own line are kept as *directives*.  Headings count at the top
level and inside list items (``1. ### What is a closure?``), not in block quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from drill.parse.explicit import BOUNDARY, OPAQUE, TEXT
from drill.parse.shapes import SKIP_MDX, is_mdx_import
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


#: Leaf block tokens: what a section's body is made of.
_LEAVES = frozenset(("paragraph_open", "fence", "code_block", "html_block", "hr", "heading_open", "table_open"))

_JSX = re.compile(r"\s*</?[A-Z][\w.]*[\s/>]")
"""An HTML block that opens with a JSX component (``<Tabs>``, ``<TabItem value="a">``)."""

_MARKER_LINE = re.compile(r" {0,3}(?:[QAC]:(?:[ \t]|$)|\?\??[ \t]*$)")
"""A line that starts or splits an explicit card (``Q:``, ``A:``, ``C:``, ``?``, ``??``)."""

_LIST_OPENS = frozenset(("bullet_list_open", "ordered_list_open", "list_item_open"))

_SETEXT_CARD = re.compile(r"^ {0,3}(?:[QAC]:(?:[ \t]|$)|\?[ \t]*$)|::", re.MULTILINE)
"""Explicit-card markers inside what CommonMark took for a setext heading."""


@dataclass
class Heading:
    level: int
    text: str
    start: int  # 0-based line of the heading
    end: int  # 0-based line after the heading (setext headings take two)
    empty: bool = False  # no text of its own; shown as UNTITLED
    nested: bool = False  # inside a list item ("1. ### What is a closure?")


_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<>&\n]")
"""A character that can start inline syntax in CommonMark (emphasis, code, links, images,
HTML, entities, escapes, breaks). A heading without any is its own text."""


def _heading_children(inline: Token) -> list[Token]:
    """Inline tokens of a heading parsed by ``_blocks`` (which skips inline parsing)."""
    if inline.children:
        return inline.children
    if not _INLINE_SYNTAX.search(inline.content):
        return [Token("text", "", 0, content=inline.content)]  # what parseInline gives, 10x sooner
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
        self.demoted: set[int] = set()
        """Lines of setext ``---`` headings read as a paragraph and a rule (see :meth:`demote_setext`)."""
        self.headings: list[Heading] = []
        self._markups: dict[int, str] = {}  # heading line -> "#", "=" or "-"
        stack: list[str] = []
        for index, tok in enumerate(self.tokens):
            if tok.type == "heading_open":
                if tok.map and all(kind in _LIST_OPENS for kind in stack):
                    self._add_heading(index, tok)
            elif tok.nesting == 1:
                stack.append(tok.type)
            elif tok.nesting == -1 and tok.type != "heading_close" and stack:
                stack.pop()
        self.blocks = [tok for tok in self.tokens if tok.level == 0 and tok.nesting != -1 and tok.map is not None]
        self.block_starts = [tok.map[0] for tok in self.blocks if tok.map is not None]
        self.leaves = [tok for tok in self.tokens if tok.type in _LEAVES and tok.nesting != -1 and tok.map is not None]
        self.leaf_starts = [tok.map[0] for tok in self.leaves if tok.map is not None]
        self.mdx_lines = {
            tok.map[0]
            for tok in self.leaves
            if tok.type == "paragraph_open"
            and tok.map is not None
            and self.lines[tok.map[0]].lstrip().startswith(("import ", "export "))
            and is_mdx_import(self.source_of(tok))
        }
        self.dropped: dict[str, int] = {}
        """What :meth:`cut` left out of answers ("MDX import lines", "JSX components") -> how often."""

    def _add_heading(self, index: int, tok: Token) -> None:
        assert tok.map is not None
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
                nested=tok.level > 0,
            )
        )
        self._markups[tok.map[0]] = tok.markup

    def demote_setext(self, everywhere: bool) -> None:
        """Read ``text`` over ``---`` as a paragraph and a thematic break, not a heading,
        when explicit cards come before it in its section (or *everywhere*, in a file of
        explicit cards): hashcards separates cards with ``---``, and the paragraph above
        one is the end of an answer."""
        markups = self._markups
        marker_lines = [i for i, line in enumerate(self.lines) if _MARKER_LINE.match(line)]
        kept: list[Heading] = []
        for heading in self.headings:
            if markups.get(heading.start) == "-":
                previous = kept[-1].end if kept else 0
                at = bisect_left(marker_lines, previous)
                if everywhere or (at < len(marker_lines) and marker_lines[at] <= heading.start):
                    self.demoted.add(heading.start)
                    continue
            kept.append(heading)
        self.headings = kept

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
        for tok in _blocks.parse(text):
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
            elif tok.type == "inline" and "<!--" in tok.content:
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

        heading_lines = {h.start for h in self.headings}
        for tok in self.tokens:
            if tok.map is None:
                continue
            lo, hi = tok.map
            if tok.type in ("fence", "code_block", "html_block"):
                mark(lo, hi, OPAQUE)
            elif tok.level == 0 and tok.type == "hr":
                mark(lo, hi, BOUNDARY)
            elif tok.type == "heading_open" and (tok.level == 0 or lo in heading_lines):
                if lo in self.demoted or (
                    tok.markup in ("=", "-") and _SETEXT_CARD.search("\n".join(self.lines[lo : hi - 1]))
                ):
                    # "A: answer" followed by "---" is a card and a rule, not a heading
                    mark(hi - 1, hi, BOUNDARY)
                else:
                    mark(lo, hi, BOUNDARY)
        return roles

    def leaves_in(self, start: int, stop: int) -> list[Token]:
        """Leaf blocks (paragraphs, code, HTML, rules, headings, tables) at any depth
        starting in lines [start, stop)."""
        lo = bisect_left(self.leaf_starts, start)
        hi = bisect_left(self.leaf_starts, stop)
        return self.leaves[lo:hi]

    def source_of(self, tok: Token) -> str:
        """The source lines of one block."""
        assert tok.map is not None
        return "\n".join(self.lines[tok.map[0] : tok.map[1]])

    def is_body(self, tok: Token) -> bool:
        """Whether a leaf block counts as a heading's own body: not a heading, a rule,
        an HTML block (logos, badges, JSX) or MDX import lines."""
        if tok.type in ("hr", "heading_open", "html_block"):
            return False
        return not (tok.type == "paragraph_open" and tok.map is not None and tok.map[0] in self.mdx_lines)

    def cut(self, start: int, stop: int, holes: list[tuple[int, int]] | None = None) -> str:
        """Markdown of lines [start, stop) minus the line ranges *holes*, trailing thematic
        breaks, MDX import lines and JSX component blocks; blank runs kept to one line."""
        inside = self.leaves_in(start, stop)
        while inside and inside[-1].type == "hr" and inside[-1].map:
            stop = min(stop, inside[-1].map[0])
            inside = inside[:-1]
        drop = list(holes or ())
        for tok in inside:
            assert tok.map is not None
            if tok.map[0] in self.mdx_lines:
                drop.append((tok.map[0], tok.map[1]))
                self.dropped[SKIP_MDX] = self.dropped.get(SKIP_MDX, 0) + 1
            elif tok.type == "html_block" and _JSX.match(tok.content):
                drop.append((tok.map[0], tok.map[1]))
                self.dropped["JSX components"] = self.dropped.get("JSX components", 0) + 1
        if not drop:
            return self.slice_lines(start, stop)
        keep = [self.lines[n] for n in range(start, min(stop, len(self.lines))) if not any(lo <= n < hi for lo, hi in drop)]
        text = "\n".join(clean_lines("\n".join(keep)))
        return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
