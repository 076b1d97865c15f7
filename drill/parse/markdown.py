"""Turn a Markdown file into a deck of cards: the card builder.

The block walk (markdown-it-py tokens, line maps, comment stripping) is
:mod:`drill.parse.blocks`; frontmatter is :mod:`drill.parse.frontmatter`; explicit
card syntaxes are :mod:`drill.parse.explicit`; what a section is for (a licence, a
table of contents, contact details, a ``<details>`` Q&A) is :mod:`drill.parse.shapes`.
This module decides the deck name and which sections are cards, and cuts each
answer out of the source as written.

Rules, in short:

* Deck name: frontmatter ``deck:``; else ``title:`` (Docusaurus) or ``name =``
  (hashcards); else the document's title, its only H1 (Markdown or HTML
  ``<h1>``) with nothing above it but decoration (badges, a logo, a language
  bar); else the file name without its extension.  A title H1 is never part of
  card paths, and the text under it (before the next heading) is the description.
* Each section (a heading's own body, up to the next heading) is decided on its
  own: a section with explicit cards (``Q:``/``A:``, ``C:``, ``::``, ``:::``,
  ``?``, ``??``, Anki ``{{c1::…}}``; see :mod:`drill.parse.explicit`) yields
  them; ``<details><summary>`` blocks yield a card each; other sections follow the
  heading rule.  ``==highlights==`` alone do not make a section explicit unless
  the file asks for explicit cards (``format: explicit``, a ``#flashcards`` tag,
  TOML frontmatter).  ``format: headings`` turns explicit cards off.
* Heading rule: a *card* is the outermost section with body text of its own (HTML
  blocks do not count); its answer is the whole section, sub-sections included.
  A heading followed directly by sub-headings is a container.  An answer longer
  than *max_answer_chars* is split at its sub-headings, level by level.
* Not rehearsal material, skipped and reported: tables of contents, links- or
  badges-only sections, licence and contributing sections, a resume's contact
  details.  ``<!-- drill: skip -->`` / ``<!-- drill: card -->`` directly under a
  heading force the decision; ``<!-- drill: question "..." -->`` sets its question.
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
import re
import stat
import textwrap
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from drill.parse.blocks import UNTITLED, Document, Heading
from drill.parse.cards import KIND_QUESTIONS, PATH_SEPARATOR, ParsedCard, ParsedDeck, ParseError
from drill.parse.explicit import parse_explicit
from drill.parse.frontmatter import Frontmatter, fill_prompt, load_frontmatter, split_frontmatter
from drill.parse.questions import parse_questions
from drill.parse.shapes import (
    SKIP_CONTACT,
    SKIP_CONTRIBUTING,
    SKIP_FORCED,
    SKIP_LICENCE,
    SKIP_LINKS,
    SKIP_TOC,
    body_skip_reason,
    details_parts,
    html_heading_text,
    is_contact_name,
    is_decoration,
    is_tag_line,
    name_skip_reason,
)
from drill.parse.textsafe import clean, clean_lines

__all__ = [
    "parse_text", "parse_file", "parse_bytes", "read_source", "UNTITLED", "DEFAULT_MAX_ANSWER_CHARS", "DEFAULT_MAX_BYTES"
]

#: Default longest answer before a card is split at its sub-headings (setting ``max_answer_chars``).
DEFAULT_MAX_ANSWER_CHARS = 4000

_SR_TAG_LINE = re.compile(r"(?:^|\s)#flashcards(?:/\S*)?(?=\s|$)")


# --------------------------------------------------------------------------
# Public API


def parse_file(path: str | os.PathLike[str], *, max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS) -> ParsedDeck:
    """Read and parse one Markdown file.

    Raises :class:`ParseError` if the file cannot be read, is binary, is not
    UTF-8, or has broken frontmatter.
    """
    return parse_bytes(read_source(path), os.path.basename(os.fspath(path)), max_answer_chars=max_answer_chars)


#: Largest file drill reads by default (setting ``max_file_mb``): a ``*.md`` link to
#: /dev/zero or a huge dump must not be read without bound.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a file to parse; :class:`ParseError` if it cannot be read.

    Only regular files are read: a FIFO, device or socket named ``*.md`` is refused
    without being opened (opening a FIFO blocks until a writer comes). A file larger
    than *max_bytes* is refused too, and at most ``max_bytes + 1`` bytes are ever read.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ParseError(1, f"cannot read: {_NOT_REGULAR.get(stat.S_IFMT(st.st_mode), 'a special file')}, not a regular file")
        if st.st_size > max_bytes:
            raise ParseError(1, _too_large(st.st_size, max_bytes))
        # O_NONBLOCK: should it have become a FIFO since the stat, opening cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ParseError(1, "cannot read: not a regular file")
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ParseError(1, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # grew since the stat
        raise ParseError(1, _too_large(len(data), max_bytes))
    return data


def _too_large(size: int, max_bytes: int) -> str:
    mb = 1024 * 1024
    return f"file too large ({size / mb:.1f} MB; drill reads files up to {max_bytes // mb} MB, setting max_file_mb)"


def parse_bytes(data: bytes, source_name: str, *, max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS) -> ParsedDeck:
    """Parse a file's bytes (UTF-8, BOM optional); *source_name* is its file name."""
    return parse_text(_decode(data), source_name, max_answer_chars=max_answer_chars)


def parse_text(text: str, source_name: str, *, max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS) -> ParsedDeck:
    """Parse Markdown *text*; *source_name* is the file name it came from.

    Raises :class:`ParseError` only for frontmatter problems.
    """
    try:
        return _Parser(text, source_name, max_answer_chars).parse()
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


# --------------------------------------------------------------------------
# Cards


@dataclass
class _Section:
    """What one heading's own body (up to the next heading) turned out to be."""

    explicit: list[ParsedCard]
    warnings: list[tuple[int, str]]
    details: list[ParsedCard]
    directive: tuple[str, str] | None = None  # ("skip"|"card"|"question", text)

    @property
    def cards(self) -> bool:
        return bool(self.explicit or self.details)



class _Parser:
    def __init__(self, text: str, source_name: str, max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = _normalise_newlines(text)
        self.source_name = source_name
        self.max_answer_chars = max_answer_chars
        self.warnings: list[tuple[int, str]] = []
        self.notices: list[tuple[int, str]] = []
        self.skipped: list[tuple[int, str, str]] = []
        self.unused_warnings: list[tuple[int, str]] = []  # explicit-card problems in heading sections
        self.details_lines: list[tuple[int, int]] = []  # line ranges of <details> cards
        self.sections: dict[int, _Section] = {}
        self.html_title: str | None = None
        self._own: dict[int, list] = {}

    def fallback_name(self) -> str:
        base = self.source_name.rsplit("/", 1)[-1]  # a backslash is part of a POSIX file name
        stem = os.path.splitext(base)[0] or base
        return " ".join(clean(stem).split()) or UNTITLED

    # -- main ---------------------------------------------------------------

    def parse(self) -> ParsedDeck:
        lines = self.text.split("\n")
        meta = Frontmatter()
        fm = split_frontmatter(lines)
        if fm is not None:
            first, end, fence = fm
            meta = load_frontmatter(lines, first, end, fence)
            # Blank the frontmatter out so markdown-it line maps are file lines.
            for i in range(0, end + 1):
                lines[i] = ""
        doc = self.doc = Document("\n".join(lines), self.warnings)

        explicit_file = meta.format == "explicit" or (meta.format is None and meta.toml)
        tagged = meta.format != "headings" and (
            any(str(t).lstrip("#").split("/")[0] == "flashcards" for t in meta.tags or [])
            or any(_SR_TAG_LINE.search(line) for line in doc.lines if "#flashcards" in line)
        )
        loose = explicit_file or tagged
        if meta.format != "headings":
            doc.demote_setext(everywhere=explicit_file)
        headings = list(doc.headings)

        title, title_end = self.find_title(headings)
        if title is not None:
            headings.remove(title)
        name_from = "title"
        if meta.deck:
            name, name_from = meta.deck, "deck"
        elif meta.title:
            name = meta.title
        elif title is not None and not title.empty:
            name = title.text
        elif self.html_title:
            name = self.html_title
        else:
            name, name_from = self.fallback_name(), "file"
        body_start = title.end if title is not None else (title_end or 0)
        self.directives = self.read_directives(doc.directives)

        if meta.kind == KIND_QUESTIONS:
            self.warnings.extend(self.unused_directives)
            first_heading = headings[0].start if headings else len(doc.lines)
            questions = parse_questions(doc, self.warnings)
            self.warnings.sort(key=lambda w: w[0])
            return ParsedDeck(
                name=name,
                description=doc.body(body_start, first_heading),
                tags=meta.tags or [],
                warnings=self.warnings,
                kind=KIND_QUESTIONS,
                questions=questions,
            )

        self.headings = headings
        self.starts = [h.start for h in headings]

        found_explicit = False
        if meta.format != "headings":
            found_explicit = self.collect_explicit(loose)
        self.collect_details()

        first_heading = headings[0].start if headings else len(doc.lines)
        preamble = self.sections.get(-1)
        if preamble is not None and preamble.cards:
            first_card = min(c.line - 1 for c in preamble.explicit + preamble.details)
            first_heading = min(first_heading, first_card)
        tag_lines = [
            tok
            for tok in doc.leaves
            if tok.type == "paragraph_open" and "#" in doc.lines[tok.map[0]] and is_tag_line(doc.source_of(tok))
        ]
        holes = self.html_ranges(body_start, first_heading) + [(t.map[0], t.map[1]) for t in tag_lines]
        description = doc.cut(body_start, first_heading, holes)
        deck_tags = list(meta.tags or [])
        for tok in tag_lines:  # a note's own Obsidian tags: #flashcards/networking
            for word in doc.source_of(tok).split():
                tag = clean(word.lstrip("#")).rstrip("/")
                if tag and tag not in deck_tags:
                    deck_tags.append(tag)

        found: list[ParsedCard] = []
        if preamble is not None:
            found.extend(preamble.explicit + preamble.details)
            self.warnings.extend(preamble.warnings)
        if explicit_file:
            for index in range(len(headings)):
                section = self.sections.get(index)
                if section is not None:
                    self.warnings.extend(section.warnings)
                    found.extend(section.explicit + section.details)
        else:
            heading_cards: Iterable[ParsedCard] = self.collect_cards()
            if meta.prompt:
                heading_cards = self.apply_prompt(heading_cards, meta.prompt, name)
            found.extend(heading_cards)

        cards: list[ParsedCard] = []
        seen: dict[tuple[str, ...], int] = {}
        for card in found:
            if card.path in seen:
                shown = PATH_SEPARATOR.join(card.path)
                what = "heading path" if card.origin == "heading" else "card"
                self.warnings.append(
                    (card.line, f"duplicate {what} '{shown}' (first at line {seen[card.path]}); skipped")
                )
                continue
            seen[card.path] = card.line
            cards.append(card)
        cards.sort(key=lambda c: c.line)

        self.warnings.extend(self.unused_directives)
        if not cards:
            if explicit_file:
                self.warnings.append((1, "no cards found: no explicit card (format: explicit)"))
            else:
                # Only malformed explicit cards: say what is wrong with each of them too.
                self.warnings.extend(self.unused_warnings)
                self.warnings.append((1, f"no cards found: {no_cards_reason(self.text, doc, headings, title, fm is not None)}"))
        for what, _count in sorted(doc.dropped.items()):
            self.skipped.append((1, what, what))

        warnings = sorted(dict.fromkeys(self.warnings), key=lambda w: w[0])
        return ParsedDeck(
            name=name,
            cards=cards,
            description=description,
            tags=deck_tags,
            time_limit=meta.time_limit,
            warnings=warnings,
            competencies=meta.competencies or [],
            skipped=sorted(self.skipped, key=lambda s: s[0]),
            notices=sorted(self.notices),
            name_from=name_from,
        )

    # -- structure ------------------------------------------------------------

    def find_title(self, headings: list[Heading]) -> tuple[Heading | None, int | None]:
        """The title: (its Markdown H1, or None; the line after its HTML ``<h1>`` block, or None).

        The title is the only H1 (Markdown or HTML), with nothing above it but
        decoration: HTML blocks (a logo, badges), rules, and short paragraphs of
        links or images (badges, a language bar, a "help translate" line).
        """
        doc = self.doc
        h1s = [h for h in headings if h.level == 1 and not h.nested]
        html_h1 = None
        for tok in doc.leaves:
            if tok.type == "html_block" and tok.level == 0 and "<h1" in tok.content.lower() and html_heading_text(tok.content):
                if html_h1 is not None:
                    return None, None
                html_h1 = tok
        if html_h1 is not None and html_h1.map is not None and (not h1s or html_h1.map[0] < h1s[0].start):
            # A centred HTML title at the top names the document even when Markdown H1s follow.
            h1s = []
        elif len(h1s) + (html_h1 is not None) != 1:
            return None, None
        stop = h1s[0].start if h1s else html_h1.map[0]  # type: ignore[union-attr]
        for tok in doc.leaves_in(0, stop):
            if tok.level == 0 and not is_decoration(tok.type.replace("_open", ""), doc.source_of(tok)):
                return None, None
        if h1s:
            return h1s[0], None
        assert html_h1 is not None and html_h1.map is not None
        self.html_title = " ".join(clean(html_heading_text(html_h1.content) or "").split()) or None
        return None, html_h1.map[1]

    def section_of(self, line: int) -> int:
        """Index of the heading whose own body holds 0-based *line*; -1 before the first."""
        return bisect_right(self.starts, line) - 1

    def own_range(self, index: int) -> tuple[int, int]:
        if index < 0:
            return 0, self.line_of(0)
        return self.headings[index].end, self.line_of(index + 1)

    def html_ranges(self, start: int, stop: int) -> list[tuple[int, int]]:
        return [(tok.map[0], tok.map[1]) for tok in self.doc.leaves_in(start, stop) if tok.type == "html_block" and tok.map]

    def directive_for(self, index: int) -> tuple[str, str] | None:
        """The ``<!-- drill: ... -->`` directly under heading *index* (blank lines allowed)."""
        directives = self.section_directives
        if index < 0 or not directives:
            return None
        start, stop = self.own_range(index)
        for n in range(start, stop):
            if n in directives:
                return directives[n]
            if self.doc.lines[n].strip():
                return None
        return None

    def collect_explicit(self, loose: bool) -> bool:
        """Find explicit cards once for the whole file and give each to its section."""
        doc = self.doc
        roles = doc.line_roles()
        result = parse_explicit(doc.lines, roles, loose)
        if result.glued and not loose:
            # A glued a::b line is a card only in a section that has other explicit cards.
            marked = {self.section_of(c.line - 1) for c, syntax in zip(result.cards, result.syntaxes) if syntax != "highlight"}
            if marked & {self.section_of(i) for i in result.glued}:
                result = parse_explicit(doc.lines, roles, lambda i: self.section_of(i) in marked)
        by_section: dict[int, tuple[list[tuple[ParsedCard, str]], list[tuple[int, str]]]] = {}
        for card, syntax in zip(result.cards, result.syntaxes):
            by_section.setdefault(self.section_of(card.line - 1), ([], []))[0].append((card, syntax))
        for warning in result.warnings:
            by_section.setdefault(self.section_of(warning[0] - 1), ([], []))[1].append(warning)
        found = False
        for index, (cards, warns) in by_section.items():
            real = [c for c, syntax in cards if syntax != "highlight"]
            if real or (loose and (cards or warns)):
                self.sections[index] = _Section([c for c, _ in cards], warns, [])
                found = found or bool(cards)
            else:
                self.unused_warnings.extend(warns)  # a heading section: ==x== is emphasis there
        return found

    def collect_details(self) -> None:
        """``<details><summary>Q</summary>A</details>`` blocks: one card each."""
        doc = self.doc
        opens = [tok for tok in doc.leaves if tok.type == "html_block" and tok.content.lstrip().lower().startswith("<details")]
        consumed = -1
        for tok in opens:
            assert tok.map is not None
            if tok.map[0] < consumed:
                continue
            index = self.section_of(tok.map[0])
            stop = self.line_of(index + 1)
            pieces: list[tuple[str, str]] = []
            depth = 0
            end = tok.map[1]
            markdown_from: int | None = None  # first line of a run of Markdown blocks
            for leaf in doc.leaves_in(tok.map[0], stop):
                assert leaf.map is not None
                if leaf.type == "heading_open":
                    break
                if leaf.type == "html_block":
                    if markdown_from is not None:
                        pieces.append(("markdown", textwrap.dedent("\n".join(doc.lines[markdown_from : leaf.map[0]]))))
                        markdown_from = None
                    content = leaf.content.lower()
                    depth += content.count("<details") - content.count("</details")
                    pieces.append(("html", doc.source_of(leaf)))
                elif markdown_from is None:
                    markdown_from = leaf.map[0]
                end = max(end, leaf.map[1])
                if depth <= 0:
                    break
            if markdown_from is not None:
                pieces.append(("markdown", textwrap.dedent("\n".join(doc.lines[markdown_from:end]))))
            consumed = end
            self.details_lines.append((tok.map[0], end))
            question, answer = details_parts(pieces)
            question = " ".join(clean(question).split())
            answer = "\n".join(clean_lines(answer))
            line = tok.map[0] + 1
            if not question:
                self.warnings.append((line, "<details> block has no <summary> question; skipped"))
                continue
            if not answer.strip():
                self.warnings.append((line, f"<details> '{question}' has no answer; skipped"))
                continue
            section = self.sections.setdefault(index, _Section([], [], []))
            section.details.append(ParsedCard(path=self.path_to(index) + (question,), answer=answer, line=line, origin="details"))

    def path_to(self, index: int) -> tuple[str, ...]:
        """Heading path of section *index*: its heading and the headings it sits under."""
        if index < 0:
            return ()
        path: list[str] = []
        level = 99
        for j in range(index, -1, -1):
            h = self.headings[j]
            if h.level < level:
                path.append(h.text)
                level = h.level
        return tuple(reversed(path))

    def apply_prompt(self, cards: Iterable[ParsedCard], template: str, deck: str) -> Iterator[ParsedCard]:
        for card in cards:
            if card.origin != "heading" or card.prompt:
                yield card
                continue
            try:
                text = fill_prompt(template, {"heading": card.path[-1], "path": PATH_SEPARATOR.join(card.path), "deck": deck})
            except ValueError:
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

    def holes_in(self, start: int, stop: int) -> list[tuple[int, int]]:
        """Line ranges in [start, stop) that are other cards (``<details>`` blocks)."""
        return [(lo, hi) for lo, hi in self.details_lines if start <= lo < stop]

    # -- drill comments --------------------------------------------------------

    def read_directives(self, found: list[tuple[int, str]]) -> list[tuple[int, tuple[str, ...]]]:
        """(0-based line, competencies) of each ``<!-- drill: competencies ... -->``;
        anything else addressed to drill gets a warning."""
        out = []
        self.unused_directives: list[tuple[int, str]] = []
        self.section_directives: dict[int, tuple[str, str]] = {}
        for line, body in found:
            key, _, rest = body.partition(" ")
            word = key.casefold().rstrip(":")
            if word in ("skip", "card") and not rest.strip():
                self.section_directives[line] = (word, "")
                continue
            if word == "question":
                said = rest.strip()
                if len(said) >= 2 and said[0] == said[-1] and said[0] in "\"'":
                    said = said[1:-1]
                said = " ".join(said.split())
                if said:
                    self.section_directives[line] = ("question", said)
                else:
                    self.unused_directives.append((line + 1, "drill: question comment has no question"))
                continue
            if word != "competencies":
                shown = body if len(body) <= 40 else body[:39] + "…"
                self.unused_directives.append(
                    (line + 1, f"drill comment not understood: {shown!r} (drill knows skip, card, question '...', competencies a, b)")
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

    def own_blocks(self, i: int) -> list:
        """The blocks of heading *i*'s own body that count as body text."""
        cached = self._own.get(i)
        if cached is not None:
            return cached
        start, stop = self.own_range(i)
        holes = self.holes_in(start, stop) if self.details_lines else ()
        doc = self.doc
        own = [
            tok
            for tok in doc.leaves_in(start, stop)
            if doc.is_body(tok) and not any(lo <= tok.map[0] < hi for lo, hi in holes)
        ]
        self._own[i] = own
        return own

    def has_own_body(self, i: int) -> bool:
        # Text that is nothing but control characters once cleaned is no body either.
        return any(clean(self.doc.source_of(tok)).strip() for tok in self.own_blocks(i))

    def collect_cards(self) -> list[ParsedCard]:
        out: list[ParsedCard] = []
        first = self.headings[0].start if self.headings else len(self.doc.lines)
        above = self.directives_in(0, first)  # above every heading: the whole file
        i = 0
        while i < len(self.headings):
            out.extend(self.visit(i, (), above))
            i = self.section_end(i)
        return out

    def skip(self, i: int, reason: str) -> None:
        self.skipped.append((self.headings[i].start + 1, self.headings[i].text, reason))

    def skip_reason(self, i: int) -> str | None:
        """Why section *i* is not rehearsal material (by its name, or its own body), or None."""
        own = self.own_blocks(i)
        text = self.headings[i].text
        chars = sum(len(self.doc.source_of(tok)) for tok in own) if is_contact_name(text) else None
        reason = name_skip_reason(text, chars)
        if reason is not None:
            return reason
        if not own or len(own) > 20 or any(tok.type != "paragraph_open" for tok in own):
            return None
        texts = [self.doc.source_of(tok) for tok in own]
        if sum(len(t) for t in texts) > 3000:
            return None
        return body_skip_reason(texts)

    def visit(self, i: int, parent: tuple[str, ...], inherited: tuple[str, ...] = ()) -> Iterator[ParsedCard]:
        heading = self.headings[i]
        path = parent + (heading.text,)
        end = self.section_end(i)
        competencies = self.directives_in(heading.end, self.line_of(i + 1)) or inherited
        section = self.sections.get(i)
        directive = self.directive_for(i)
        word = directive[0] if directive else None
        if word == "skip":
            self.skip(i, SKIP_FORCED)
            return
        if section is not None and word != "card":
            self.warnings.extend(section.warnings)
            if section.cards:
                yield from section.explicit
                yield from section.details
                yield from self.children(i, end, path, competencies)
                return
        if word != "card":
            reason = self.skip_reason(i)
            if reason is not None:
                self.skip(i, reason)
                if reason in (SKIP_LINKS, SKIP_CONTACT) and i + 1 < end:
                    yield from self.children(i, end, path, competencies)  # only its own links go
                return
        if word != "card" and not self.has_own_body(i):
            yield from self.children(i, end, path, competencies)
            return
        start, stop = heading.end, self.line_of(end)
        holes, extra = self.descendants(i, end, forced=word == "card")
        answer = self.answer(heading, start, stop, holes)
        prompt = directive[1] if word == "question" and directive else ""
        if len(answer) > self.max_answer_chars and word != "card" and i + 1 < end:
            own_stop = self.line_of(i + 1)
            own = self.answer(heading, start, own_stop, self.holes_in(start, own_stop))
            subs = [j for j in range(i + 1, end) if self.headings[j].level == min(h.level for h in self.headings[i + 1 : end])]
            self.notices.append(
                (
                    heading.start + 1,
                    f"'{PATH_SEPARATOR.join(path)}' ({len(answer):,} characters, over max_answer_chars "
                    f"{self.max_answer_chars:,}) split at its {len(subs)} sub-headings",
                )
            )
            if own.strip():
                yield self.heading_card(path, own, heading, prompt, competencies)
            yield from self.children(i, end, path, competencies)
            return
        yield self.heading_card(path, answer, heading, prompt, competencies)
        yield from extra

    def answer(self, heading: Heading, start: int, stop: int, holes: list[tuple[int, int]]) -> str:
        text = self.doc.cut(start, stop, holes)
        return textwrap.dedent(text) if heading.nested else text

    def heading_card(
        self, path: tuple[str, ...], answer: str, heading: Heading, prompt: str, competencies: tuple[str, ...] = ()
    ) -> ParsedCard:
        if len(answer) > self.max_answer_chars:
            self.warnings.append(
                (
                    heading.start + 1,
                    f"'{PATH_SEPARATOR.join(path)}' is {len(answer):,} characters, over max_answer_chars "
                    f"({self.max_answer_chars:,}), with no sub-headings to split at",
                )
            )
        return ParsedCard(path=path, answer=answer, line=heading.start + 1, prompt=prompt, competencies=competencies)

    def children(self, i: int, end: int, path: tuple[str, ...], competencies: tuple[str, ...] = ()) -> Iterator[ParsedCard]:
        child = i + 1
        while child < end:
            yield from self.visit(child, path, competencies)
            child = self.section_end(child)

    def descendants(self, i: int, end: int, *, forced: bool = False) -> tuple[list[tuple[int, int]], list[ParsedCard]]:
        """Line ranges inside heading *i*'s card that are not its answer, and the cards they give:
        sub-sections of explicit cards or ``<details>`` blocks (their own cards), and sub-sections
        skipped by a directive or by name (a licence, a table of contents)."""
        start, stop = self.headings[i].end, self.line_of(end)
        holes = self.holes_in(start, stop)
        extra: list[ParsedCard] = []
        j = i + 1
        while j < end:
            sub_end = self.section_end(j)
            section = self.sections.get(j)
            directive = self.directive_for(j)
            lo, hi = self.headings[j].start, self.line_of(sub_end)
            if directive and directive[0] == "skip":
                self.skip(j, SKIP_FORCED)
            elif section is not None and section.cards and not forced:
                self.warnings.extend(section.warnings)
                extra.extend(section.explicit + section.details)
                holes.append((lo, self.line_of(j + 1)))
                j += 1
                continue
            elif not directive and name_skip_reason(self.headings[j].text) in (SKIP_LICENCE, SKIP_CONTRIBUTING, SKIP_TOC):
                self.skip(j, name_skip_reason(self.headings[j].text) or "")
            else:
                j += 1
                continue
            holes.append((lo, hi))
            j = sub_end
        return holes, extra


def no_cards_reason(text: str, doc, headings, title, frontmatter: bool) -> str:
    """Why a file gave no card, in words true of that file (it said "no heading has body
    text" of a file with no heading at all)."""
    if not text.strip():
        return "the file is empty"
    if not any(line.strip() for line in doc.lines):
        return "nothing after the frontmatter" if frontmatter else "nothing outside comments"
    if not headings:
        where = "under the title" if title is not None else "in the file"
        return f"no heading {where} (a card is a heading with text under it)"
    return "no heading has body text"
