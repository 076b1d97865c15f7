"""``e`` with an $EDITOR that cannot run: a notice, never a suspended, dead app."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import FakeClock

from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import Store
from drill.ui.app import EditorError, editor_command, make_app


@pytest.fixture
def store(tmp_path: Path) -> Store:
    source = tmp_path / "deck.md"
    source.write_text("# Deck\n\n## Q\n\nA\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(ParsedDeck(name="Deck", cards=[ParsedCard(path=("Q",), answer="A", line=3)]), str(source))
    return store


def test_editor_command_parses_quotes_and_checks_the_program(tmp_path):
    assert editor_command("sh -c 'true'", "/x.md", 7) == ["sh", "-c", "true", "+7", "/x.md"]
    with pytest.raises(EditorError, match="not a valid command"):
        editor_command("vim '-c", "/x.md", 1)  # unbalanced quote: shlex.split's ValueError
    with pytest.raises(EditorError, match="code-that-is-not-installed not found"):
        editor_command("code-that-is-not-installed -w", "/x.md", 1)
    with pytest.raises(EditorError, match="empty"):
        editor_command("  ", "/x.md", 1)


async def test_editor_that_fails_to_start_resumes_the_app_and_says_so(store, monkeypatch):
    """Textual's suspend() skips resuming when its body raises (textual #6692)."""
    app = make_app(store, clock=FakeClock())
    events = []

    @contextmanager
    def suspend():  # what Textual's suspend() does: no try/finally around the yield
        events.append("suspended")
        yield
        events.append("resumed")

    def fail(argv):
        raise FileNotFoundError(2, "No such file or directory", argv[0])

    monkeypatch.setattr(app, "suspend", suspend)
    monkeypatch.setattr("drill.ui.app.subprocess.call", fail)
    monkeypatch.setenv("EDITOR", "sh")
    async with app.run_test(size=(100, 30)):
        message = app.edit_card(store.cards()[0])
    assert events == ["suspended", "resumed"]
    assert message.startswith("Could not start the editor: No such file or directory")


async def test_unbalanced_editor_quote_and_missing_editor_are_notices(store, monkeypatch):
    app = make_app(store, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setenv("VISUAL", "vim '-c")
        app.start_review(["Deck"])
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        monkeypatch.setenv("VISUAL", "/no such/editor -w")
        await pilot.press("e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("$EDITOR is not a valid command" in m for m in messages), messages
        assert any("/no not found" in m for m in messages), messages
        assert app.screen.session.current is not None  # still reviewing


async def test_editor_exiting_non_zero_is_reported_not_reimported(store):
    app = make_app(store, clock=FakeClock(), run_editor=lambda path, line: 3)
    async with app.run_test(size=(100, 30)):
        message = app.edit_card(store.cards()[0])
    assert message == "The editor exited with status 3; deck.md was not re-imported"
