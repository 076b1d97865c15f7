"""The key a hint on screen names: the one bound now (the user's keymap, else the default),
written the way drill's hints write keys ("space", "enter", "ctrl+n", "u")."""

from __future__ import annotations

from textual.keys import format_key

from drill.store.keymap import KEY_IDS

_NAMED = {"enter", "space", "escape", "tab", "backspace", "delete", "home", "end", "pageup", "pagedown"}


def key(app, binding_id: str) -> str:
    """The first key bound to *binding_id* in *app*."""
    keymap = getattr(app, "_keymap", None) or {}
    first = (keymap.get(binding_id) or KEY_IDS[binding_id][0]).split(",")[0].strip()
    return first if first in _NAMED or "+" in first else format_key(first)


def grade_keys(app, screen: str) -> str:
    """The four grade keys of *screen* ("review" or "mock-review"): "1–4" unless remapped."""
    keys = [key(app, f"{screen}.{grade}") for grade in ("again", "hard", "good", "easy")]
    return "1–4" if keys == ["1", "2", "3", "4"] else "/".join(keys)
