"""Words for numbers: ``1 card``, ``2 cards``, ``1 story``, ``3 stories``. One helper, so
every screen and command says "1 question" (not "1 questions")."""

from __future__ import annotations

#: Nouns whose plural is not noun + "s".
_PLURALS = {"story": "stories", "entry": "entries"}


def count(n: int, noun: str, plural: str | None = None) -> str:
    """*n* and *noun*, plural unless n is 1: ``count(1, "review")`` is "1 review"."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {plural or _PLURALS.get(noun, noun + 's')}"
