"""``drill config``: show or change settings.

Collection settings (limits, day start, retention...) live in the store; the person's
(theme, key remapping, default time limit) in config.toml (drill.store.userconfig).
``drill config KEY VALUE`` writes each where it belongs.
"""

from __future__ import annotations

import argparse
import sys

from drill.commands.common import UsageError
from drill.commands.output import print_json
from drill.parse.textsafe import shown
from drill.store.keymap import KEY_IDS
from drill.store.userconfig import USER_SETTINGS

NAME = "config"
HELP = "show or change settings (daily limits, day start, retention; your theme, keys, time limit)"
READ_ONLY = True  # listing never rewrites the store; setting a value writes it atomically itself

DESCRIPTIONS = {
    "desired_retention": "share of cards you want to recall when they come due (FSRS)",
    "new_per_day": "new cards introduced per study day",
    "reviews_per_day": "due reviews shown per study day",
    "day_starts_at": "local hour at which a new study day begins",
    "learn_ahead_minutes": "show learning cards this early when nothing else is left",
    "leech_threshold": "lapses that make a card a leech (0: never)",
    "story_hint": "1: a story asked by an interview question shows its heading as a hint; 0: no hint",
    "max_answer_chars": "longer heading cards are split at their sub-headings on import",
    "on_time_out": "when time runs out: reveal, hard or again (caps the grade; above it takes two presses)",
    "max_file_mb": "largest file import and sync read (MB); a larger one is skipped with one line",
    **USER_SETTINGS,
}
"""Every setting ``drill config`` takes; the last ones (USER_SETTINGS) are kept in config.toml."""

#: Widest the value column of the listing gets (the longest value sets it, up to this).
VALUE_WIDTH = 24

#: Listed in ``drill config --help`` (``keymap.ID KEYS`` remaps one).
KEY_ID_NAMES = list(KEY_IDS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    key = parser.add_argument("key", nargs="?", help="setting name (or keymap.ID); omit to list all")
    # `drill config <TAB>` offers these (drill.commands.completion); argparse still takes any
    # name and says what is wrong with an unknown one
    key.completion_choices = [*DESCRIPTIONS, HISTORY_DIR, *(f"keymap.{binding_id}" for binding_id in KEY_IDS)]
    parser.add_argument("value", nargs="?", help="new value; omit to show the current one ('default' resets a key)")
    parser.add_argument("--json", action="store_true", help="print settings as JSON")
    parser.add_argument("--path", action="store_true", help="print where your config.toml is (it need not exist)")
    parser.add_argument("--keys", action="store_true", help="list every key id with its keys (remapped ones marked)")


def warn_config(loaded) -> None:
    """Each problem of config.toml as one ``path:line: reason`` line on stderr."""
    for problem in loaded.problems:
        print(f"drill: {problem}", file=sys.stderr)


def run(store, args: argparse.Namespace) -> int:
    from drill.store import userconfig

    if args.path:
        print(shown(userconfig.config_path()))
        return 0
    if args.key == HISTORY_DIR:
        return _history_dir(store, args.value)
    loaded = userconfig.load()
    key = args.key
    is_user_key = key is not None and (key in USER_SETTINGS or key.startswith("keymap."))
    if args.value is not None and is_user_key:
        loaded = _set_user_value(key, args.value, loaded)
    elif args.value is not None:
        try:
            settings = store.settings.with_value(key, args.value)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        store.save_settings(settings)
    warn_config(loaded)
    if args.keys:  # also what only Textual knows (themes, key names); a plain listing stays Textual-free
        from drill.ui.config_names import check, theme_names

        for problem in check(loaded, theme_names())[0]:
            print(f"drill: {problem}", file=sys.stderr)
    elif args.key is None:
        from drill.store.keymap import clashes

        for binding_id, why in clashes(loaded.config.keymap):
            print(f"drill: {loaded.problem(f'keymap.{binding_id}', why)}", file=sys.stderr)
    if args.keys:
        return _list_keys(loaded, as_json=args.json)
    current = _current(store, loaded)
    if key is not None and key not in current:
        if key.startswith("keymap.") and key.removeprefix("keymap.") in KEY_IDS:
            current[key] = KEY_IDS[key.removeprefix("keymap.")][0]  # not remapped: its default keys
        else:
            raise UsageError(f"unknown setting {key!r} (settings: {', '.join(DESCRIPTIONS)}, keymap.ID)")
    shown_settings = {key: current[key]} if key else current
    if args.json:
        print_json(_nested(shown_settings) if key is None else shown_settings)
        return 0
    values = {name: shown("default" if value is None else value) for name, value in shown_settings.items()}
    width = max(len(k) for k in shown_settings)
    value_width = min(VALUE_WIDTH, max(len(v) for v in values.values()))  # a longer one pushes only its line
    for name, text in values.items():
        does = KEY_IDS[name.removeprefix("keymap.")][1] if name.startswith("keymap.") else DESCRIPTIONS.get(name, "")
        print(f"{shown(name):<{width}}  {text:<{value_width}}  {shown(does)}".rstrip())
    if key is None:
        print(shown(f"(theme, default_time_limit and keymap.* are yours, in {userconfig.config_path()})"))
    return 0


def _current(store, loaded) -> dict:
    """Every setting with its value now: the store's, then the person's."""
    from drill.store.userconfig import time_limit

    settings = store.settings.to_dict()
    store_default = settings.pop("default_time_limit")
    current = {**settings, "theme": loaded.config.theme, "default_time_limit": time_limit(loaded, store_default)}
    current.update({f"keymap.{binding_id}": keys for binding_id, keys in loaded.config.keymap.items()})
    return current


def _nested(current: dict) -> dict:
    """For --json: the remapped keys as one ``keymap`` object."""
    out = {k: v for k, v in current.items() if not k.startswith("keymap.")}
    out["keymap"] = {k.removeprefix("keymap."): v for k, v in current.items() if k.startswith("keymap.")}
    return out


def _set_user_value(key: str, value: str, loaded):
    from drill.store import userconfig

    if key == "theme":
        from drill.ui.config_names import theme_names  # Textual's theme list: only when setting one

        names = theme_names()
        if value.strip() not in names:
            raise UsageError(f"unknown theme {value!r} (themes: {', '.join(names)})")
    if key.startswith("keymap.") and value.strip().lower() not in ("", "default"):
        from drill.ui.config_names import known_key

        unknown = [k for k in value.split(",") if k.strip() and not known_key(k.strip())]
        if unknown:
            raise UsageError(f"unknown key {unknown[0].strip()!r} (key names as Textual writes them: r, ctrl+r, "
                             "space, enter, f5, question_mark)")
    try:
        userconfig.update(key, value, loaded.path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return userconfig.load(loaded.path)


def _list_keys(loaded, *, as_json: bool) -> int:
    rows = {
        binding_id: {"keys": loaded.config.keymap.get(binding_id, default), "default": default, "does": does}
        for binding_id, (default, does) in KEY_IDS.items()
    }
    if as_json:
        print_json(rows)
        return 0
    width = max(len(k) for k in rows)
    for binding_id, row in rows.items():
        mark = f"  (default {row['default']})" if row["keys"] != row["default"] else ""
        print(shown(f"{binding_id:<{width}}  {row['keys']:<13}  {row['does']}{mark}"))
    return 0


HISTORY_DIR = "history_dir"
"""``drill config history_dir DIR``: the same as ``drill devices setup DIR`` (drill.devices)."""


def _history_dir(store, value: str | None) -> int:
    from drill.devices import sync as devices

    if value is None:
        cfg = devices.config(store)
        print(shown(cfg["dir"] if cfg else "not set: `drill config history_dir DIR` shares your history through DIR"))
        return 0
    try:
        report = devices.setup(store, value)
    except OSError as exc:
        raise UsageError(f"{value}: cannot use it as the history folder: {exc.strerror or exc}") from None
    cfg = devices.config(store)
    print(shown(f"{HISTORY_DIR}  {cfg['dir']}  (this device: {cfg['name']}, {cfg['id']})"))
    print(shown(report.line()))
    return 0
