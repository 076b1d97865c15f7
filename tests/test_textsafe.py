"""Tests for drill.textsafe.clean: no terminal control survives."""

from __future__ import annotations

import re

import pytest

from drill.parse.textsafe import clean

_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_osc_title_change_removed_entirely() -> None:
    assert clean("before\x1b]0;pwned\x07after") == "beforeafter"


def test_osc_with_string_terminator() -> None:
    assert clean("a\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"


def test_screen_clear_and_cursor_home_removed() -> None:
    assert clean("\x1b[2J\x1b[Hhello") == "hello"


def test_sgr_colour_removed() -> None:
    assert clean("\x1b[1;31mred\x1b[0m") == "red"


def test_eight_bit_csi_removed_with_its_parameters() -> None:
    assert clean("x\x9b2Jy") == "xy"
    assert clean("x\x9b31my") == "xy"


def test_eight_bit_osc_removed() -> None:
    assert clean("x\x9d0;title\x9cy") == "xy"
    assert clean("x\x9d0;title\x07y") == "xy"


def test_dcs_apc_pm_sos_strings_removed() -> None:
    for intro in ("P", "_", "^", "X"):
        assert clean(f"a\x1b{intro}payload\x1b\\b") == "ab"


def test_other_escape_sequences_removed() -> None:
    assert clean("a\x1bcb") == "ab"  # full reset
    assert clean("a\x1b(Bb") == "ab"  # charset selection
    assert clean("a\x1b#8b") == "ab"  # screen alignment test
    assert clean("a\x1b") == "a"  # trailing lone ESC


def test_unterminated_osc_stops_at_end_of_line() -> None:
    assert clean("a\x1b]0;title\nnext line") == "a\nnext line"


def test_bel_cr_backspace_formfeed_del_removed() -> None:
    assert clean("ding\x07") == "ding"
    assert clean("over\rwrite") == "overwrite"
    assert clean("ab\x08c\x0cd\x7fe\x0bf\x00g") == "abcdefg"


def test_other_c1_controls_removed() -> None:
    assert clean("a\x85b\x80c\x91d\x9c") == "abcd"


def test_keeps_newlines_tabs_and_unicode() -> None:
    text = "第一行 罗 — café ✓ 🚀\n\tindented › next\n"
    assert clean(text) == text


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b]0;pwned\x07",
        "\x1b[2J\x1b[H",
        "\x9b2J",
        "\x9d0;x",
        "\x1b\x1b[[2J",
        "\x1b[",
        "\x9b",
        "\x1bP" + "x" * 10,
    ],
)
def test_no_control_character_survives(hostile: str) -> None:
    out = clean(f"start{hostile}end")
    assert not _ANY_CONTROL.search(out)
    assert out.startswith("start")


# ---------------------------------------------------------------------------- shown / json_dumps
from drill.parse.textsafe import json_dumps, shown, shown_lines  # noqa: E402


def test_shown_escapes_instead_of_stripping():
    assert shown("bad\x1b[2J.md") == "bad\\x1b[2J.md"
    assert shown("a\nb\tc") == "a\\nb\\tc"
    assert shown("x\x9by") == "x\\x9by"
    assert shown("caf\udce9.md") == "caf\\xe9.md"  # an undecodable file-name byte
    for ch in "\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff":
        assert shown(f"a{ch}b") == f"a\\u{ord(ch):04x}b"
    assert shown("Résumé › 罗 [b]") == "Résumé › 罗 [b]"


def test_shown_cuts_with_an_ellipsis():
    assert shown("abcdef", 4) == "abc…"
    assert shown("abc", 4) == "abc"


def test_shown_lines_keeps_newlines_only():
    assert shown_lines("a\nb\x1b]0;t\x07") == "a\nb\\x1b]0;t\\x07"


def test_json_dumps_escapes_and_round_trips():
    import json

    value = {"path": "/n/\x1b]0;t\x07\x9b\u202e\u200b\ufeffcaf\udce9.md", "deck": "罗"}
    text = json_dumps(value, indent=2)
    assert json.loads(text) == value
    assert "罗" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e\u200b\ufeff")
    text.encode("utf-8")  # no lone surrogate left to break the output
