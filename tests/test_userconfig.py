"""The person's config.toml: theme, keymap, default time limit.

The reader and writer directly; ``drill config`` through the real entry point; the app
with pilot tests (a remapped key works, a picked theme is there on the next start, a
bad file gives one line per problem and defaults).
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
from pathlib import Path

import pytest
from cli_main import run_main
from helpers import FakeClock
from test_cli import run
from textual.binding import Binding

import drill.ui.screens
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store import userconfig
from drill.store.collection import Store
from drill.store.keymap import KEY_IDS
from drill.ui import app as app_module
from drill.ui.app import make_app
from drill.ui.widgets.answer_view import AnswerView
from drill.ui.widgets.countdown import Countdown


def config_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "drill" / "config.toml"


def write_config(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the file
def test_the_config_lives_in_the_xdg_config_folder():
    assert userconfig.config_path() == config_file()
    loaded = userconfig.load()
    assert loaded.config == userconfig.UserConfig() and loaded.problems == [] and loaded.parsed


def test_a_good_file_is_read():
    write_config(
        'theme = "nord"\ndefault_time_limit = 90\n\n[keymap]\n"review.reveal" = "r, space"\n'
        'review.undo = "z"  # unquoted, the id is a dotted key: the same thing\n[keymap.home]\nquit = "x"\n'
    )
    loaded = userconfig.load()
    assert loaded.problems == []
    keymap = {"review.reveal": "r,space", "review.undo": "z", "home.quit": "x"}
    assert loaded.config == userconfig.UserConfig(theme="nord", default_time_limit=90, keymap=keymap)
    userconfig.update("keymap.review.bury", "b")
    assert userconfig.load().config.keymap == {**keymap, "review.bury": "b"}


def test_each_bad_entry_is_one_line_naming_its_line_and_the_rest_is_read():
    path = write_config(
        'theme = 3\n'
        'default_time_limit = 0\n'
        'colour = "red"\n'
        '[keymap]\n'
        '"review.reveal" = "r"\n'
        'review.nope = "x"\n'
        '"review.undo" = 5\n'
        '"review.bury" = "ctrl+b ,"\n'
    )
    loaded = userconfig.load()
    assert loaded.config == userconfig.UserConfig(keymap={"review.reveal": "r"})
    assert loaded.problems == [
        f"{path}:1: theme must be a theme's name, not 3",
        f"{path}:2: default_time_limit must be between 1 and 3600, not 0",
        f"{path}:3: unknown setting 'colour' (settings: theme, default_time_limit, [keymap])",
        f"{path}:6: unknown key id 'review.nope' (`drill config --help` lists them)",
        f"{path}:7: keys for review.undo must be text such as \"ctrl+r,r\", not 5",
        f"{path}:8: keys for review.bury must be key names separated by commas, not 'ctrl+b ,'",
    ]


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b'# fine\ntheme = "nord\n', 2, "not valid TOML"),
        (b'theme = "nord"\ntheme = "dracula"\n', 2, "not valid TOML"),
        (b'theme = "nord"\n\n\xff\xfe = 1\n', 3, "not UTF-8 text"),
        (b"[keymap\n", 1, "not valid TOML"),
    ],
)
def test_a_file_that_does_not_parse_gives_defaults_and_one_line(content, line, reason):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = userconfig.load()
    assert loaded.config == userconfig.UserConfig() and not loaded.parsed
    [problem] = loaded.problems
    assert problem.startswith(f"{path}:{line}: {reason}") and "\n" not in problem
    with pytest.raises(ValueError, match="needs fixing first"):  # and it is never rewritten
        userconfig.update("theme", "nord")
    assert path.read_bytes() == content


def test_a_folder_in_place_of_the_file_is_one_line_too():
    config_file().mkdir(parents=True)
    [problem] = userconfig.load().problems
    assert problem.startswith(f"{config_file()}: cannot read")


def test_update_changes_one_value_keeps_the_rest_and_writes_atomically():
    write_config('default_time_limit = 45\nmine = "kept as written"\n[keymap]\n"home.quit" = "x"\n')
    saved = userconfig.update("theme", "nord")
    assert saved == userconfig.UserConfig(theme="nord", default_time_limit=45, keymap={"home.quit": "x"})
    userconfig.update("keymap.review.reveal", "r")
    userconfig.update("keymap.home.quit", "default")  # back to the default key
    data = userconfig.tomllib.loads(config_file().read_text(encoding="utf-8"))
    assert data == {"default_time_limit": 45, "mine": "kept as written", "theme": "nord", "keymap": {"review.reveal": "r"}}
    assert config_file().stat().st_mode & 0o777 == 0o600
    assert [p.name for p in config_file().parent.iterdir()] == ["config.toml"]  # no temp file left
    with pytest.raises(ValueError, match="between 1 and 3600"):
        userconfig.update("default_time_limit", "9999")


def test_update_creates_the_folder_private():
    userconfig.update("default_time_limit", "75")
    assert userconfig.load().config.default_time_limit == 75
    assert config_file().parent.stat().st_mode & 0o777 == 0o700


# ---------------------------------------------------------------- key ids
def _ui_bindings() -> list[Binding]:
    modules = [app_module] + [
        importlib.import_module(m.name) for m in pkgutil.iter_modules(drill.ui.screens.__path__, "drill.ui.screens.")
    ]
    found = []
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found += [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    return found


def test_every_user_facing_binding_has_an_id_listed_with_its_keys():
    """drill.store.keymap repeats the UI's bindings for `drill config --help`; they must agree."""
    bindings = _ui_bindings()
    in_ui = {b.id: b.key for b in bindings if b.id}
    assert in_ui == {binding_id: keys for binding_id, (keys, _) in KEY_IDS.items()}, (
        "a Binding's id or keys differ from drill/store/keymap.py: add it there (and to the README's Keys table)"
    )
    without_id = [(b.key, b.action) for b in bindings if not b.id]
    # Only the digits that pick a story by number, and ctrl+c in the leave dialog, have no id.
    assert all(action.startswith("pick_number(") or key == "ctrl+c" for key, action in without_id), without_id
    assert all(binding_id.split(".")[0] and "." in binding_id for binding_id in KEY_IDS)


# ---------------------------------------------------------------- drill config
def test_drill_config_path_and_user_settings_through_the_entry_point(tmp_path):
    db = tmp_path / "drill.json"
    assert run("config", "--path", db=db).stdout.strip() == str(config_file())
    assert not config_file().exists()
    run_main("config", "theme", "nord", db=db)
    run_main("config", "default_time_limit", "90", db=db)
    run_main("config", "keymap.review.reveal", "r,space", db=db)
    assert userconfig.load().config == userconfig.UserConfig("nord", 90, {"review.reveal": "r,space"})
    shown = json.loads(run_main("config", "--json", db=db).stdout)
    assert shown["theme"] == "nord" and shown["default_time_limit"] == 90 and shown["new_per_day"] == 20
    assert shown["keymap"] == {"review.reveal": "r,space"}
    listing = run_main("config", db=db).stdout
    assert "keymap.review.reveal  r,space" in listing and str(config_file()) in listing
    keys = run_main("config", "--keys", db=db).stdout
    assert "review.reveal" in keys and "(default space,enter)" in keys and "review.undo" in keys
    bad = run_main("config", "theme", "no-such-theme", db=db, check_rc=2).stderr
    assert bad.startswith("drill: unknown theme 'no-such-theme' (themes: ") and "nord" in bad
    assert "unknown key 'spacebar'" in run_main("config", "keymap.review.bury", "spacebar", db=db, check_rc=2).stderr
    assert "unknown key id" in run_main("config", "keymap.review.nope", "x", db=db, check_rc=2).stderr
    assert not db.exists()  # the person's settings never touch the store
    help_text = run_main("config", "--help", db=db).stdout
    assert "theme, default_time_limit" in help_text and "review.reveal" in help_text and "mock-review.accept" in help_text


def test_drill_config_with_a_bad_file_says_where_and_goes_on(tmp_path):
    path = write_config('theme = "nord"\ndefault_time_limit = "soon"\n')
    proc = run("config", db=tmp_path / "drill.json")
    assert proc.stderr == f"drill: {path}:2: default_time_limit must be a whole number of seconds, not 'soon'\n"
    assert "default_time_limit   60" in proc.stdout
    write_config('theme = "nope"\n[keymap]\n"review.bury" = "u"\n')
    proc = run_main("config", db=tmp_path / "drill.json")  # the listing: what needs no Textual
    assert proc.stderr == f"drill: {path}:3: u is also review.undo's key; review.bury takes it from review.undo\n"
    proc = run_main("config", "--keys", db=tmp_path / "drill.json")  # everything the app checks
    assert proc.stderr.splitlines() == [
        f"drill: {path}:1: unknown theme 'nope' (ctrl+p › Theme lists them)",
        f"drill: {path}:3: u is also review.undo's key; review.bury takes it from review.undo",
    ]
    write_config("theme = \n")
    proc = run_main("config", "theme", "dracula", db=tmp_path / "drill.json", check_rc=2)
    assert f"{path}:1: not valid TOML" in proc.stderr and "needs fixing first" in proc.stderr
    assert path.read_text() == "theme = \n"


# ---------------------------------------------------------------- the app
@pytest.fixture
def two_cards(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    cards = [ParsedCard(path=(f"Question {i}",), answer=f"Answer {i}", line=i + 1) for i in range(2)]
    with store.writing():
        store.apply_import(ParsedDeck(name="Alpha", cards=cards), str(tmp_path / "alpha.md"))
    yield store
    store.close(compact=False)


async def test_a_key_remapped_in_the_config_changes_the_key(two_cards):
    write_config('default_time_limit = 75\n[keymap]\n"review.reveal" = "r"\n"review.good" = "g"\n')
    app = make_app(two_cards, clock=FakeClock(), review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(Countdown).limit == 75  # the person's default time limit
        await pilot.press("space")  # no longer reveals
        assert not screen.query_one(AnswerView).display
        await pilot.press("r")
        assert screen.query_one(AnswerView).display
        first = screen.session.current.id
        await pilot.press("3")  # Good moved to g
        assert screen.session.current.id == first
        await pilot.press("g")
        assert two_cards.card(first).state is not None
        assert screen.active_bindings["r"].binding.id == "review.reveal" and "space" not in screen.active_bindings
        assert not [n.message for n in app._notifications if "config" in n.message]  # a good config says nothing


async def test_a_theme_picked_in_the_palette_is_there_on_the_next_start(two_cards):
    app = make_app(two_cards, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark" and not config_file().exists()
        await pilot.press("ctrl+p", *"theme")
        await pilot.pause(0.2)
        await pilot.press("enter")  # "Change theme"
        await pilot.pause(0.2)
        await pilot.press(*"nord")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "nord"
    assert userconfig.load().config.theme == "nord"
    again = make_app(two_cards, clock=FakeClock())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_a_bad_config_starts_the_app_with_defaults_and_one_line_per_problem(two_cards):
    path = write_config('theme = "no-such-theme"\n[keymap]\n"review.reveal" = "spacebar"\n"home.quit" = 5\n')
    app = make_app(two_cards, clock=FakeClock(), review={"decks": None})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        [note] = list(app._notifications)
        assert note.title == "config.toml: defaults kept for"
        assert note.message.splitlines() == [
            "line 1: unknown theme 'no-such-theme' (ctrl+p › Theme lists them)",
            "line 3: unknown key 'spacebar' for review.reveal",
            "line 4: keys for home.quit must be text such as \"ctrl+r,r\", not 5",
            f"in {path}",
        ]
        await pilot.press("space")  # the default key still reveals
        assert app.screen.query_one(AnswerView).display
    write_config("".join(f'"x{i}" = 1\n' for i in range(5)))
    app = make_app(two_cards, clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        [note] = list(app._notifications)
        assert note.message.splitlines()[3] == "… and 2 more (drill config shows them all)"


async def test_a_remapped_key_that_another_binding_has_is_named(two_cards):
    path = write_config('[keymap]\n"review.bury" = "u"\n"review.edit" = "ctrl+q"\n')  # u is Undo's
    app = make_app(two_cards, clock=FakeClock(), review={"decks": None})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        [note] = [n.message for n in app._notifications if (n.title or "").startswith("config.toml")]
        assert note.splitlines() == [
            "line 2: u is also review.undo's key; review.bury takes it from review.undo",
            "line 3: ctrl+q is app.quit's key on every screen; review.edit never gets it",
            f"in {path}",
        ]
        first = app.screen.session.current.id
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.session.current.id != first  # u buries now


async def test_hints_on_screen_name_the_remapped_keys(two_cards):
    write_config('[keymap]\n"review.reveal" = "r"\n"review.undo" = "z"\n"review.good" = "g,3"\n')
    app = make_app(two_cards, clock=FakeClock(), review={"decks": None})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#review-hint")
        assert "press r to reveal" in str(hint.render())
        await pilot.press("r")
        assert "3 Good" not in str(app.screen.query_one("#grade-3").label)
        assert str(app.screen.query_one("#grade-3").label).startswith("g Good")
        await pilot.press("g")
        assert "z undo" in str(hint.render()) and "r reveals" in str(hint.render())
