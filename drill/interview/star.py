"""STAR parts of a story: which labels an answer uses, and what each part says.

People label their stories in many ways, and this module recognises the
common ones, bold or not, with or without a colon:

* as a sub-heading: ``### Result``;
* opening a paragraph or a list item: ``- **Situation**: ...``, ``**Task:** ...``,
  ``Action(s): ...``, or a label alone on its line with the part below it.

Labels: Situation/Context/Background; Task/Goal/Problem; Action/Action(s)/
Actions taken/What I did; Result/Results/Outcome/Impact; and Learnings/
Takeaways/Lessons as an optional fifth part. A part's text runs from its label
to the next label, or to the end of the list item, paragraph run or section
the label opened. The document is parsed with markdown-it-py; a cheap line scan
first skips the many answers that cannot be STAR stories.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from markdown_it.token import Token

from drill.study.schedule import AGAIN, GOOD, HARD

SITUATION, TASK, ACTION, RESULT, LEARNINGS = "situation", "task", "action", "result", "learnings"
PARTS = (SITUATION, TASK, ACTION, RESULT, LEARNINGS)
#: The four parts a complete story has; Learnings is optional.
REQUIRED = PARTS[:4]
PART_NAMES = {
    SITUATION: "Situation",
    TASK: "Task",
    ACTION: "Action",
    RESULT: "Result",
    LEARNINGS: "Learnings",
}
PART_BY_NAME = {name: part for part, name in PART_NAMES.items()}

#: An answer is a STAR story when it labels at least this many distinct parts.
MIN_PARTS = 2

PRESENT, EMPTY, ABSENT = "present", "empty", "absent"

_LABELS = {
    SITUATION: ("situation", "context", "background", "the situation"),
    TASK: ("task", "tasks", "goal", "goals", "problem", "the problem", "the task", "objective"),
    ACTION: ("action", "actions", "actions taken", "action taken", "what i did", "my actions", "approach taken"),
    RESULT: ("result", "results", "outcome", "outcomes", "impact", "the result"),
    LEARNINGS: (
        "learnings",
        "learning",
        "takeaways",
        "takeaway",
        "key takeaways",
        "lessons",
        "lesson",
        "lessons learned",
        "lessons learnt",
        "what i learned",
        "what i learnt",
    ),
}
LABELS = {label: part for part, labels in _LABELS.items() for label in labels}

@lru_cache(maxsize=1)
def _markdown():
    """The parser, made when an answer first looks like a story (markdown-it is not
    imported at start-up)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")

_SCAN = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+)?[*_]{0,3}[ \t]*"
    r"(situation|context|background|the situation|the problem|the task|the result|objective|tasks?|goals?|problem"
    r"|actions?|action\(s\)|what i did|my actions|approach taken|results?|outcomes?|impact"
    r"|learnings?|key takeaways|takeaways?|lessons?|what i learn)(?![a-z])",
    re.IGNORECASE | re.MULTILINE,
)
"""A line that may open with a STAR label (a quick pre-check before parsing)."""

_PLAIN_LABEL = re.compile(r"\s*([A-Za-z][A-Za-z ()']{1,30}?)\s*:\s*(.*)", re.DOTALL)
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")


def normalise_label(text: str) -> str:
    """``"**Action(s)**:"`` -> ``"action"``: the form looked up in :data:`LABELS`."""
    text = text.casefold().replace("(s)", "").replace("’", "'")
    text = text.strip().strip("*_").strip().rstrip(":").strip().strip("*_").strip()
    return " ".join(text.split())


def label_part(text: str) -> str | None:
    """The STAR part a label names (``"Outcome"`` -> ``"result"``), or None."""
    return LABELS.get(normalise_label(text))


def count_words(text: str) -> int:
    """Words a person would say: Markdown punctuation, bullets and rules are not words."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class StarPart:
    part: str
    text: str
    """The part's Markdown, its label removed (several labels of one part are joined)."""
    line: int
    """1-based line of its (first) label within the answer."""

    @property
    def words(self) -> int:
        return count_words(self.text)

    @property
    def empty(self) -> bool:
        return self.words == 0


@dataclass(frozen=True)
class Star:
    """The STAR labels of one answer."""

    parts: dict[str, StarPart]

    @property
    def is_story(self) -> bool:
        return len(self.parts) >= MIN_PARTS

    def status(self, part: str) -> str:
        found = self.parts.get(part)
        if found is None:
            return ABSENT
        return EMPTY if found.empty else PRESENT

    @property
    def labelled(self) -> list[str]:
        """Parts with a label, in S/T/A/R/L order."""
        return [p for p in PARTS if p in self.parts]

    @property
    def missing(self) -> list[str]:
        """Required parts that are not labelled or have nothing under their label."""
        return [p for p in REQUIRED if self.status(p) != PRESENT]


NOT_STAR = Star({})


def star_of(answer: str) -> Star:
    """The STAR parts *answer* labels (``NOT_STAR`` when it has none)."""
    if len({_scan_part(m.group(1)) for m in _SCAN.finditer(answer)} - {None}) < MIN_PARTS:
        return NOT_STAR
    return _parse(answer)


@lru_cache(maxsize=4096)
def _parse(answer: str) -> Star:
    lines = answer.split("\n")
    labels = _find_labels(_markdown().parse(answer), len(lines))
    if len({label.part for label in labels}) < MIN_PARTS:
        return NOT_STAR
    found: dict[str, list[tuple[int, str]]] = {}
    for n, label in enumerate(labels):
        stop = label.end
        for later in labels[n + 1 :]:
            if later.start > label.start:
                stop = min(stop, later.start)
                break
        below = textwrap.dedent("\n".join(lines[label.body_start : max(stop, label.body_start)]))
        text = "\n".join(t for t in (label.rest.strip(), below.strip("\n")) if t.strip())
        found.setdefault(label.part, []).append((label.start + 1, text))
    parts = {}
    for part in PARTS:
        if part in found:
            chunks = found[part]
            text = "\n\n".join(t for _, t in chunks if t.strip())
            parts[part] = StarPart(part, text, chunks[0][0])
    return Star(parts)


def _scan_part(word: str) -> str | None:
    word = normalise_label(word)
    if word.startswith("what i learn"):
        return LEARNINGS
    return LABELS.get(word)


@dataclass
class _Label:
    part: str
    start: int  # 0-based line of the label
    body_start: int  # first line after the label's own line(s)
    end: int  # the line where the block the label opened ends
    rest: str  # text after the label on its own line(s)


def _find_labels(tokens: list[Token], n_lines: int) -> list[_Label]:
    labels: list[_Label] = []
    headings: list[tuple[int, int]] = []  # (line, level) of every heading
    for tok in tokens:
        if tok.type == "heading_open" and tok.map:
            headings.append((tok.map[0], int(tok.tag[1:])))
    containers: list[Token] = []  # open list items / blockquotes
    for i, tok in enumerate(tokens):
        if tok.type in ("list_item_open", "blockquote_open"):
            containers.append(tok)
        elif tok.type in ("list_item_close", "blockquote_close"):
            if containers:
                containers.pop()
        elif tok.type == "heading_open" and tok.map:
            inline = tokens[i + 1]
            part = label_part(_plain(inline.children))
            if part:
                level = int(tok.tag[1:])
                end = next((line for line, lv in headings if line > tok.map[0] and lv <= level), n_lines)
                labels.append(_Label(part, tok.map[0], tok.map[1], end, ""))
        elif tok.type == "paragraph_open" and tok.map:
            first_in_item = i > 0 and tokens[i - 1].type in ("list_item_open", "blockquote_open")
            if not first_in_item and containers:
                continue
            found = _opening_label(tokens[i + 1])
            if found is None:
                continue
            part, rest = found
            if containers and containers[-1].map:
                end = containers[-1].map[1]
            else:
                end = next((line for line, _ in headings if line > tok.map[0]), n_lines)
            labels.append(_Label(part, tok.map[0], tok.map[1], end, rest))
    labels.sort(key=lambda label: label.start)
    return labels


def _opening_label(inline: Token) -> tuple[str, str] | None:
    """(part, rest of the paragraph) when the paragraph opens with a STAR label."""
    kids = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if kids and kids[0].type in ("strong_open", "em_open"):
        close = kids[0].type.replace("_open", "_close")
        label = []
        for j, child in enumerate(kids[1:], 1):
            if child.type == close:
                part = label_part("".join(label))
                if part is None:
                    return None
                rest = _after_inline(inline.content, "".join(label))
                return part, rest
            if child.type not in ("text", "code_inline"):
                return None
            label.append(child.content)
        return None
    first_line, _, more = inline.content.partition("\n")
    match = _PLAIN_LABEL.match(first_line)
    if match:
        part = label_part(match.group(1))
        if part:
            return part, (match.group(2) + ("\n" + more if more else ""))
    part = label_part(first_line)
    if part and len(first_line) <= 40:
        return part, more
    return None


def _after_inline(content: str, label: str) -> str:
    """The paragraph's text after a bold/italic label (and the colon that may follow it)."""
    index = content.find(label)
    rest = content[index + len(label) :] if index >= 0 else content
    return rest.lstrip("*_").lstrip().lstrip(":-–—").lstrip()


def _plain(children: list[Token] | None) -> str:
    parts = []
    for child in children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_plain(child.children))
    return "".join(parts)


# --------------------------------------------------------------------------- the mock checklist

#: The checklist of a mock review: the four required parts, by display name.
STAR_PARTS = tuple(PART_NAMES[p] for p in REQUIRED)
STAR_MIN_PARTS = MIN_PARTS


def star_parts(answer: str) -> list[str]:
    """The required STAR parts *answer* labels, by display name in S/T/A/R order;
    [] when it is not a STAR story. (Same detection as :func:`star_of`.)"""
    star = star_of(answer)
    if not star.is_story:
        return []
    return [PART_NAMES[p] for p in REQUIRED if p in star.parts]


def suggested_grade(parts: list[str], ticked: Iterable[str]) -> int | None:
    """Good when every part was covered, Hard for at least half, else Again."""
    if not parts:
        return None
    covered = len(set(parts) & set(ticked))
    if covered == len(parts):
        return GOOD
    if covered * 2 >= len(parts):
        return HARD
    return AGAIN
