"""What config.toml may name: Textual's key names and themes (checked here, where Textual is)."""

from __future__ import annotations

from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMES = {key.value for key in Keys} | set(KEY_NAME_REPLACEMENTS.values())


def known_key(key: str) -> bool:
    """True for a key Textual can report: ``r``, ``ctrl+r``, ``space``, ``f5``, ``question_mark``."""
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if not base or any(m not in _MODIFIERS for m in modifiers):
        return False
    return len(base) == 1 or base in _NAMES or key_to_character(base) is not None


def theme_names() -> list[str]:
    """The themes drill can show (Textual's built-in ones), sorted."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def check(loaded, themes) -> tuple[list[str], dict[str, str]]:
    """What only Textual can tell about a config: an unknown theme, unknown key names, and
    keys two bindings would share. Returns the problem lines and the keymap to apply."""
    from drill.store.keymap import clashes

    problems = []
    theme = loaded.config.theme
    if theme is not None and theme not in themes:
        problems.append(loaded.problem("theme", f"unknown theme {theme!r} (ctrl+p › Theme lists them)"))
    keymap = {}
    for binding_id, keys in loaded.config.keymap.items():
        unknown = [key for key in keys.split(",") if not known_key(key)]
        if unknown:
            problems.append(loaded.problem(f"keymap.{binding_id}", f"unknown key {unknown[0]!r} for {binding_id}"))
        else:
            keymap[binding_id] = keys
    problems += [loaded.problem(f"keymap.{binding_id}", why) for binding_id, why in clashes(keymap)]
    return problems, keymap
