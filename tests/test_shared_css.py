"""Apps in one process share their parsed CSS, per theme, and look as if each parsed its own."""

from __future__ import annotations

from pathlib import Path

import textual.css.stylesheet as textual_stylesheet
from helpers import FakeClock
from textual.color import Color

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.userconfig import Loaded, UserConfig
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen


def _fill(store, tmp_path) -> None:
    cards = [ParsedCard(path=(f"question {i}",), answer=f"answer {i}", line=i + 1) for i in range(2)]
    with store.writing():
        store.apply_import(ParsedDeck(name="Alpha", cards=cards), str(tmp_path / "alpha.md"))


def _config(theme: str | None) -> Loaded:
    return Loaded(config=UserConfig(theme=theme), path=Path("config.toml"))


async def _grade_button_background(store, theme: str | None) -> tuple[Color, Color]:
    """The Good button's background and the theme's $success, in a fresh app."""
    app = make_app(store, clock=FakeClock(), user_config=_config(theme))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "space")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        button = app.screen.query_one("#grade-3")
        return button.styles.background, Color.parse(app.theme_variables["success"])



async def test_a_second_app_parses_no_css_again_and_each_theme_gets_its_own(store, tmp_path, monkeypatch):
    _fill(store, tmp_path)
    first = await _grade_button_background(store, None)
    parsed = []
    real_parse = textual_stylesheet.parse
    monkeypatch.setattr(textual_stylesheet, "parse", lambda *a, **k: parsed.append(a[1]) or real_parse(*a, **k))
    again = await _grade_button_background(store, None)
    assert again == first
    assert parsed == []  # the same CSS with the same variables: parsed by the first app only
    assert first[0] == first[1].multiply_alpha(0.35)  # .grade-good { background: $success 35%; }
    light, success = await _grade_button_background(store, "nord")
    assert parsed  # another theme's variables: parsed again for it
    assert light == success.multiply_alpha(0.35) and light != first[0]  # that theme's own colour
