"""drill's Footer: rebuilt only when the keys it shows change, and looking as Textual's does."""

from __future__ import annotations

from helpers import FakeClock
from textual.widgets._footer import FooterKey

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.ui.app import make_app
from drill.ui.screens.review import ReviewScreen
from drill.ui.widgets.footer import Footer


def _fill(store, tmp_path) -> None:
    cards = [ParsedCard(path=(f"question {i}",), answer=f"answer {i}", line=i + 1) for i in range(3)]
    with store.writing():
        store.apply_import(ParsedDeck(name="Alpha", cards=cards), str(tmp_path / "alpha.md"))


def _keys(screen) -> list[FooterKey]:
    return list(screen.query_one(Footer).query(FooterKey))


async def test_footer_keeps_its_keys_while_the_bindings_stay_the_same(store, tmp_path):
    _fill(store, tmp_path)
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        before = _keys(screen)
        assert "Reveal" in [k.description for k in before]
        screen.refresh_bindings()  # nothing changed: the same keys stay mounted
        await pilot.pause()
        assert _keys(screen) == before
        await pilot.press("space")  # the keys change: the footer shows the grades
        await pilot.pause()
        after = [k.description for k in _keys(screen)]
        assert "Good" in after and "Reveal" not in after
        await pilot.press("3")  # the next question: Reveal again
        await pilot.pause()
        assert "Reveal" in [k.description for k in _keys(screen)]


async def test_footer_keys_take_the_footers_compact_style(store, tmp_path):
    _fill(store, tmp_path)
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:  # home's footer is compact below 100 columns
        await pilot.pause()
        keys = _keys(app.screen)
        assert app.screen.query_one(Footer).compact
        assert keys and all(k.compact and k.has_class("-compact") for k in keys)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        keys = _keys(app.screen)
        assert not app.screen.query_one(Footer).compact
        plain = [k for k in keys if not k.has_class("-command-palette")]
        assert plain and not any(k.compact or k.has_class("-compact") for k in plain)
        # the palette key keeps Textual's default (compact), as Textual's Footer leaves it
        assert all(k.compact for k in keys if k.has_class("-command-palette"))
