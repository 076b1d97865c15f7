"""STAR stories: which Situation/Task/Action/Result parts an answer labels, and the
grade a ticked checklist suggests."""

from __future__ import annotations

from typing import Iterable

from markdown_it import MarkdownIt

from drill.study.schedule import AGAIN, GOOD, HARD

STAR_PARTS = ("Situation", "Task", "Action", "Result")
_STAR_NAMES = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "actions": "Action",
    "result": "Result",
    "results": "Result",
}
#: An answer needs at least this many distinct STAR labels to get a checklist
#: (a lone "### Results" heading does not make a STAR story).
STAR_MIN_PARTS = 2

_md = MarkdownIt("commonmark")


def star_parts(answer: str) -> list[str]:
    """The STAR parts an answer labels, in S/T/A/R order; [] when it is not a STAR story.

    A part is labelled by a sub-heading (``### Result``) or by a bold label that
    opens a paragraph or list item (``- **Situation**: ...``, ``**Task:** ...``).
    """
    found: set[str] = set()
    tokens = _md.parse(answer)
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        previous = tokens[i - 1].type if i else ""
        if previous == "heading_open":
            name = _star_name(token.content)
        else:
            name = _bold_label(token.children or [])
        if name:
            found.add(name)
    if len(found) < STAR_MIN_PARTS:
        return []
    return [part for part in STAR_PARTS if part in found]


def _star_name(text: str) -> str | None:
    return _STAR_NAMES.get(text.strip().rstrip(":").strip().casefold())


def _bold_label(children: list) -> str | None:
    """The STAR name of a bold run that opens an inline block, if any."""
    kids = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(kids) < 3 or kids[0].type != "strong_open":
        return None
    label = []
    for child in kids[1:]:
        if child.type == "strong_close":
            return _star_name("".join(label))
        if child.type != "text":
            return None
        label.append(child.content)
    return None


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
