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

__all__ = [
    "BLANK", "Deletion", "mask_code", "mask_anki", "bracket_deletions", "has_highlight_marks", "highlight_deletions",
    "anki_deletions", "has_anki_cloze", "cloze_cards", "anki_cloze_cards", "collapse",
]

#: What a hidden deletion looks like in a question.
BLANK = "[…]"

#: Stands in for the first blank while the shown text is trimmed (a private-use character).
_MARK = "\ue000"

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_BRACKET = re.compile(r"(?<![\\!\]])\[([^\[\]]*)\](?![(\[])")
_HIGHLIGHT = re.compile(r"(?<![=\\])==(?=[^\s=])((?:(?!==)[^\n])*?[^\s=])==(?!=)")
"""``==text==`` on one line, never pairing across another ``==``: ``==x ==`` is not a highlight."""
_ANKI = re.compile(r"\{\{c(\d+)::([^{}:]*(?::[^{}:]+)*?)(?:::([^{}]*))?\}\}")
"""Anki cloze ``{{c1::hidden}}`` or ``{{c1::hidden::hint}}``."""
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


def anki_deletions(text: str, first_line: int = 1) -> tuple[list[tuple[int, Deletion, str]], list[tuple[int, str]]]:
    """Anki ``{{c1::text}}`` / ``{{c1::text::hint}}`` deletions: (number, deletion, hint)."""
    found: list[tuple[int, Deletion, str]] = []
    warnings: list[tuple[int, str]] = []
    masked = mask_code(text)
    for match in _ANKI.finditer(masked):
        hidden = text[match.start(2) : match.end(2)]
        hint = text[match.start(3) : match.end(3)] if match.group(3) is not None else ""
        if not hidden.strip():
            warnings.append((_line_at(text, match.start(), first_line), "empty cloze deletion '{{c1::}}' ignored"))
            continue
        found.append((int(match.group(1)), Deletion(match.start(), match.end(), hidden), hint.strip()))
    return found, warnings


def has_anki_cloze(text: str) -> bool:
    return "{{c" in text and _ANKI.search(mask_code(text)) is not None


def mask_anki(text: str) -> str:
    """*text* with Anki clozes blanked out (same length), so their ``::`` is not a card separator."""
    if "{{" not in text:
        return text
    return _ANKI.sub(lambda m: "\0" * len(m.group(0)), text)


def _trim(text: str) -> str:
    """Trailing spaces off every line, blank lines off both ends; inner line breaks kept."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[0] = lines[0].lstrip()
    return "\n".join(lines)


def _card(text: str, deletions: list[Deletion], shown: set[int], blanks: list[str], line: int, tags: tuple[str, ...]) -> ParsedCard:
    """One cloze card: deletions whose index is in *shown* are blanked (as ``blanks[i]``)."""
    question: list[str] = []
    answer: list[str] = []
    pos = 0
    offset = None
    for j, d in enumerate(deletions):
        plain = text[pos : d.start]
        question.append(plain)
        answer.append(plain)
        if j in shown:
            if offset is None:
                offset = sum(len(part) for part in question)
                blank = blanks[j]
            question.append(blanks[j])
            answer.append(f"**{collapse(d.hidden)}**")
        else:
            question.append(d.hidden)
            answer.append(d.hidden)
        pos = d.end
    question.append(text[pos:])
    answer.append(text[pos:])
    raw = "".join(question)
    shown_text = _trim(raw)
    path = collapse(raw)
    # Offset of the first blank in the text as shown (leading blank space trimmed).
    lead = len(raw) - len(raw.lstrip())
    first = (offset or 0) - lead
    prompt = shown_text if "\n" in shown_text else ""
    if prompt and offset is not None and _MARK not in raw:
        # _trim also drops trailing spaces of the lines before the blank: find the blank
        # in the trimmed text itself (a line "Q: " before it shifted the offset by one).
        first = _trim(raw[:offset] + _MARK + raw[offset + len(blank):]).index(_MARK)
    if not prompt:
        head = raw[: offset or 0]
        first = len(collapse(head)) + (1 if head.split() and head[-1].isspace() else 0)
    single = [deletions[j] for j in sorted(shown)]
    cloze = (first, collapse(single[0].hidden)) if len(single) == 1 and blanks[min(shown)] == BLANK else None
    return ParsedCard(
        path=(path,),
        answer=_trim("".join(answer)),
        line=line,
        kind="cloze",
        prompt=prompt,
        cloze=cloze,
        origin="explicit",
        tags=tags,
    )


def cloze_cards(text: str, deletions: list[Deletion], line: int, tags: tuple[str, ...] = ()) -> list[ParsedCard]:
    """One card per deletion; *text* is the cleaned sentence (it may span lines, and keeps them)."""
    blanks = [BLANK] * len(deletions)
    return [_card(text, deletions, {i}, blanks, line, tags) for i in range(len(deletions))]


def anki_cloze_cards(text: str, found: list[tuple[int, Deletion, str]], line: int, tags: tuple[str, ...] = ()) -> list[ParsedCard]:
    """One card per cloze number: ``{{c1::a}} {{c1::b}}`` is one card with two blanks.

    A hint shows in its blank: ``{{c1::Paris::city}}`` is asked as ``[city…]``.
    """
    deletions = [d for _, d, _ in found]
    blanks = [f"[{hint}…]" if hint else BLANK for _, _, hint in found]
    numbers: dict[int, set[int]] = {}
    for i, (number, _, _) in enumerate(found):
        numbers.setdefault(number, set()).add(i)
    return [_card(text, deletions, numbers[n], blanks, line, tags) for n in sorted(numbers)]
