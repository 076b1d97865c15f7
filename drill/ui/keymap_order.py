"""A remapped key keeps its place in the footer.

Textual applies the user's keymap (``App.set_keymap``) to each screen's bindings by
deleting the remapped binding's old keys and adding the new ones at the end of the
map; the footer, the Keys panel and the palette list bindings in that map's order. So
``"review.reveal" = "r,space"`` moved Reveal, the first key of a review, to the end of
the footer, where an 80-column terminal cuts it first. :func:`keep_binding_order`
wraps ``BindingsMap.apply_keymap`` so that the map comes back in the order the
bindings were declared in, whatever keys they now have.
"""

from __future__ import annotations

from textual.binding import BindingsMap

_WRAPPED = "_drill_keeps_order"


def in_declared_order(before: list[tuple[str, list]], after: dict[str, list]) -> dict[str, list]:
    """*after* (key -> bindings) sorted by where each binding was in *before*: by its id,
    else by its key. Keys a binding did not have before keep their relative order."""
    place: dict[str, int] = {}
    for index, (key, bindings) in enumerate(before):
        for binding in bindings:
            place.setdefault(binding.id or f"key:{key}", index)
    end = len(before)

    def rank(item: tuple[str, list]) -> int:
        key, bindings = item
        return min((place.get(b.id or f"key:{key}", end) for b in bindings), default=end)

    return dict(sorted(after.items(), key=rank))  # sorted() is stable


def keep_binding_order() -> None:
    """Make ``BindingsMap.apply_keymap`` keep the declared order (once per process)."""
    original = BindingsMap.apply_keymap
    if getattr(original, _WRAPPED, False):
        return

    def apply_keymap(self: BindingsMap, keymap):
        before = list(self.key_to_bindings.items())
        result = original(self, keymap)
        self.key_to_bindings = in_declared_order(before, self.key_to_bindings)
        return result

    setattr(apply_keymap, _WRAPPED, True)
    apply_keymap.__doc__ = original.__doc__
    BindingsMap.apply_keymap = apply_keymap
