"""Make untrusted text safe to print in a terminal.

Deck files come from anywhere; a card answer must not be able to retitle the
window, clear the screen or move the cursor.  :func:`clean` removes every
terminal control sequence and control character, keeping printable Unicode,
newlines and tabs: it is for card text, which is stored and rendered.

Names and paths are *shown*, never rewritten: :func:`shown` escapes (does not
remove) control characters, bidirectional overrides and invisible characters, so
``bad\x1b[2J.md`` is displayed as that text and still names the file that is
there; :func:`json_dumps` does the same for ``--json`` output with ``\\uXXXX``
escapes, so ``json.loads`` gives back the exact path.

This works on characters, not on Markdown, so a regular expression is the
right tool here.
"""

from __future__ import annotations

import re

__all__ = ["clean", "clean_lines", "shown", "shown_lines", "json_dumps"]

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


# ---------------------------------------------------------------------------- display

#: Characters never shown raw: C0 and C1 controls and DEL; bidirectional marks,
#: embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9);
#: zero-width and other invisible format characters (U+180E, U+200B-D, U+2060-4,
#: U+206A-F, U+FEFF, U+FFF9-B); line and paragraph separators (U+2028/9); and
#: lone surrogates, which stand for the undecodable bytes of a file name.
_OTHER_UNSAFE = (
    "\\x7f-\\x9f\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f"
    "\\ufeff\\ufff9-\\ufffb\\ud800-\\udfff"
)
_UNSAFE = re.compile(f"[\\x00-\\x1f{_OTHER_UNSAFE}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\\x00-\\x09\\x0b-\\x1f{_OTHER_UNSAFE}]")
_UNSAFE_IN_JSON = re.compile(f"[{_OTHER_UNSAFE}]")
"""What ``json.dumps`` leaves raw: it escapes C0 controls itself, and the rest of its text is ASCII."""
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(text: object, limit: int | None = None) -> str:
    """*text* as one line that is safe to show, unsafe characters escaped, not removed.

    ESC becomes the text ``\\x1b``, a newline ``\\n``, a right-to-left override
    ``\\u202e``, an undecodable file-name byte ``\\xe9``; so a file name that is
    shown names the file that is there, on one line. With *limit*, the result is cut
    to that many characters, ending in an ellipsis.
    """
    out = _UNSAFE.sub(_escape, str(text))
    if limit is not None and len(out) > limit:
        out = out[: max(0, limit - 1)] + "…"
    return out


def shown_lines(text: str) -> str:
    """:func:`shown` for text of several lines: its newlines stay, nothing else unsafe does."""
    return _UNSAFE_BUT_NEWLINE.sub(_escape, text)


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_dumps(data: object, **kwargs) -> str:
    """``json.dumps`` whose text carries no raw control, bidi or invisible character.

    Those are written as ``\\uXXXX`` escapes (only ever inside JSON strings), so
    ``json.loads`` gives back the exact strings, file paths included; other Unicode
    stays readable.
    """
    import json

    return _UNSAFE_IN_JSON.sub(_json_escape, json.dumps(data, ensure_ascii=False, **kwargs))
