"""Make untrusted text safe to print in a terminal.

Deck files come from anywhere; a card answer must not be able to retitle the
window, clear the screen or move the cursor.  :func:`clean` removes every
terminal control sequence and control character, keeping printable Unicode,
newlines and tabs.

This works on characters, not on Markdown, so a regular expression is the
right tool here.
"""

from __future__ import annotations

import re

__all__ = ["clean"]

_ST = r"(?:\x07|\x1b\\|\x9c)"  # string terminators: BEL, ESC \, 8-bit ST

_CONTROL = re.compile(
    "|".join(
        [
            # Control strings: OSC (ESC ] / 0x9D), DCS (ESC P / 0x90),
            # SOS (ESC X / 0x98), PM (ESC ^ / 0x9E), APC (ESC _ / 0x9F).
            # A terminated string is removed whole; an unterminated one is
            # removed up to the end of its line so one stray byte cannot
            # swallow the rest of a card.
            r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
            rf"(?:[^\x07\x1b\x9c]*{_ST}|[^\x07\x1b\x9c\n]*)",
            # CSI (ESC [ / 0x9B): parameters, intermediates, final byte.
            r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # Any other escape: ESC, intermediates, and a final byte if any.
            r"\x1b[\x20-\x2f]*[\x30-\x7e]?",
            # Remaining C1 controls, and C0 controls except \t and \n, and DEL.
            r"[\x00-\x08\x0b-\x1f\x7f-\x9f]",
        ]
    )
)


def clean(text: str) -> str:
    """Return *text* without terminal escape sequences or control characters.

    Newlines and tabs are kept; everything else below U+0020, U+007F and the
    C1 range U+0080–U+009F are removed, together with whatever escape
    sequence they introduce.
    """
    return _CONTROL.sub("", text)


def clean_lines(text: str) -> list[str]:
    """``clean(text)`` split into lines, without blank lines at either end."""
    lines = clean(text).split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    last = len(lines)
    while last > first and not lines[last - 1].strip():
        last -= 1
    return lines[first:last]
