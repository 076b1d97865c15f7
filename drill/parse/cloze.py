"""Cloze deletions: find them in a sentence and turn each into one card.

Two spellings are understood:

* ``[…]`` brackets (hashcards ``C:`` cards); a Markdown link ``[text](url)``,
  an image ``![alt](src)``, a reference ``[text][ref]`` and a backslash-escaped bracket
  are not deletions;
* ``==highlights==`` (Obsidian spaced-repetition style).

Code spans are never searched.  Each deletion gives one card whose question
is the sentence with that deletion shown as ``[…]`` (the others shown as plain
text) and whose answer is the sentence with the deletion in bold.  The
question is the card's identity, so editing what a deletion hides keeps the
card's history.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drill.parse.cards import ParsedCard

__all__ = ["BLANK", "Deletion", "mask_code", "bracket_deletions", "has_highlight_marks", "highlight_deletions", "cloze_cards", "collapse"]

#: What a hidden deletion looks like in a question.
BLANK = "[…]"

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_BRACKET = re.compile(r"(?<![\\!\]])\[([^\[\]]*)\](?![(\[])")
_HIGHLIGHT = re.compile(r"(?<![=\\])==(?=[^\s=])(.*?[^\s=])==(?!=)", re.DOTALL)
_LONE_MARK = re.compile(r"(?<![=\\])==(?=[^\s=])|(?<=[^\s=\\])==(?!=)")


@dataclass(frozen=True)
class Deletion:
    start: int
    """Offset of the whole marked-up deletion (brackets or ``==`` included)."""
    end: int
    hidden: str
    """What the deletion hides, as written."""


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends trimmed."""
    return " ".join(text.split())


def mask_code(text: str) -> str:
    """*text* with code spans blanked out (same length), so markers in code are ignored."""
    return _CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), text)


def _line_at(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def bracket_deletions(text: str, first_line: int = 1) -> tuple[list[Deletion], list[tuple[int, str]]]:
    """``[…]`` deletions in *text*; empty ``[]`` ones are reported, not returned."""
    found: list[Deletion] = []
    warnings: list[tuple[int, str]] = []
    for match in _BRACKET.finditer(mask_code(text)):
        hidden = text[match.start(1) : match.end(1)]
        if not hidden.strip():
            warnings.append((_line_at(text, match.start(), first_line), "empty cloze deletion '[]' ignored"))
            continue
        found.append(Deletion(match.start(), match.end(), hidden))
    return found, warnings


def highlight_deletions(text: str, first_line: int = 1) -> tuple[list[Deletion], list[tuple[int, str]]]:
    """``==highlight==`` deletions in *text*; a ``==`` left without a partner is reported."""
    masked = mask_code(text)
    found: list[Deletion] = []
    warnings: list[tuple[int, str]] = []
    taken = list(masked)
    for match in _HIGHLIGHT.finditer(masked):
        found.append(Deletion(match.start(), match.end(), text[match.start(1) : match.end(1)]))
        taken[match.start() : match.end()] = "\0" * (match.end() - match.start())
    rest = "".join(taken)
    for match in _LONE_MARK.finditer(rest):
        warnings.append((_line_at(text, match.start(), first_line), "unbalanced '==': highlight has no closing '=='"))
        break  # one warning per paragraph is enough
    return found, warnings


def has_highlight_marks(text: str) -> bool:
    """Whether *text* has a ``==highlight==`` or a ``==`` that looks like one half of it."""
    if "==" not in text:
        return False
    masked = mask_code(text)
    return _HIGHLIGHT.search(masked) is not None or _LONE_MARK.search(masked) is not None


def cloze_cards(text: str, deletions: list[Deletion], line: int) -> list[ParsedCard]:
    """One card per deletion; *text* is the cleaned sentence (it may span lines)."""
    cards = []
    for i, target in enumerate(deletions):
        before: list[str] = []
        after: list[str] = []
        answer: list[str] = []
        pos = 0
        for j, d in enumerate(deletions):
            plain = text[pos : d.start]
            (before if j <= i else after).append(plain)
            answer.append(plain)
            if j == i:
                answer.append(f"**{collapse(d.hidden)}**")
            else:
                (before if j < i else after).append(d.hidden)
                answer.append(d.hidden)
            pos = d.end
        after.append(text[pos:])
        answer.append(text[pos:])
        head = "".join(before)
        question = collapse(head + BLANK + "".join(after))
        offset = len(collapse(head)) + (1 if head.split() and head[-1].isspace() else 0)
        cards.append(
            ParsedCard(
                path=(question,),
                answer=collapse("".join(answer)),
                line=line,
                kind="cloze",
                cloze=(offset, collapse(target.hidden)),
            )
        )
    return cards
