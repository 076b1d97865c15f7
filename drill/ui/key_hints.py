"""The key a hint on screen names: the one bound now (the user's keymap, else the default),
written the way drill's hints write keys ("space", "enter", "ctrl+n", "u")."""

from __future__ import annotations

from textual.keys import format_key

from drill.store.keymap import KEY_IDS

_NAMED = {"enter", "space", "escape", "tab", "backspace", "delete", "home", "end", "pageup", "pagedown"}


def bound_keys(app, binding_id: str) -> list[str]:
    """The keys bound to *binding_id* now (Textual's names: "down", "pagedown", "j")."""
    keymap = getattr(app, "_keymap", None) or {}
    return [k.strip() for k in (keymap.get(binding_id) or KEY_IDS[binding_id][0]).split(",") if k.strip()]


def key(app, binding_id: str) -> str:
    """The first key bound to *binding_id* in *app*."""
    first = bound_keys(app, binding_id)[0]
    return first if first in _NAMED or "+" in first else format_key(first)


def grade_keys(app, screen: str) -> str:
    """The four grade keys of *screen* ("review" or "mock-review"): "1–4" unless remapped."""
    keys = [key(app, f"{screen}.{grade}") for grade in ("again", "hard", "good", "easy")]
    return "1–4" if keys == ["1", "2", "3", "4"] else "/".join(keys)
