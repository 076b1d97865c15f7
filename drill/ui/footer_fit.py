"""Which keys a footer shows when not all of them fit: a screen's own priority order.

Textual's Footer has no notion of priority: keys that do not fit run off the right
edge, so the last declared go first whatever they are. Textual apps that care keep the
footer short and list the rest elsewhere: posting and harlequin hide secondary keys
(``show=False``) and offer them in a help screen / the command palette, toolong keeps
``f1 Help`` in the footer for the rest. drill does the same, but by width: a screen
names its keys most-used first (``FOOTER_PRIORITY``); :func:`fit_footer` shows as many
of them as the footer has room for, in the order they are declared, and leaves room
for the ``^p palette`` hint (the palette and its Keys panel list every key, hidden or
not, so a key that gives way is still found by name).
"""

from __future__ import annotations

import dataclasses

from rich.cells import cell_len

#: Cells the "^p palette" hint takes on the right (border, key, description, padding).
PALETTE_CELLS = {False: 14, True: 12}


def key_cells(key: str, description: str, compact: bool) -> int:
    """Cells one footer key takes: " key desc " normally, "key desc" and a margin compact."""
    return cell_len(key) + cell_len(description) + (2 if compact else 3)


def fitting(keys: list[tuple[str, int]], priority: list[str], room: int) -> set[str]:
    """The ids among *keys* (id, cells) that fit in *room* cells, taken in *priority*
    order (ids not in it come last, in their own order); a key that does not fit is
    skipped and a smaller one after it may still fit."""
    rank = {binding_id: i for i, binding_id in enumerate(priority)}
    ordered = sorted(keys, key=lambda item: rank.get(item[0], len(rank)))
    shown: set[str] = set()
    for binding_id, cells in ordered:
        if cells <= room:
            shown.add(binding_id)
            room -= cells
    return shown


def fit_footer(screen, priority: list[str]) -> bool:
    """Show the screen's footer keys that fit its width, most important first.

    The footer is compact (keys closer together) only when the keys would not all fit
    otherwise. Every binding of *screen* whose id is in *priority* is shown or hidden
    (the others are left as declared); returns True when some key is hidden. The key
    still works either way, and the palette (kept on the right) finds it by name.
    """
    from textual.widgets import Footer

    footer = screen.query_one(Footer)
    app = screen.app
    wanted = set(priority)
    ours = [a.binding for a in screen.active_bindings.values() if a.node is screen]
    for compact in (False, True):
        keys: list[tuple[str, int]] = []
        seen: set[str] = set()
        fixed = 0
        for binding in ours:
            cells = key_cells(app.get_key_display(binding), binding.description, compact)
            if binding.id not in wanted:
                fixed += cells if binding.show else 0
            elif binding.id not in seen:
                seen.add(binding.id)
                keys.append((binding.id, cells))
        width = footer.size.width or app.size.width  # narrower while the Keys panel is open
        room = width - fixed - (PALETTE_CELLS[compact] if footer.show_command_palette else 0)
        shown = fitting(keys, priority, room)
        if len(shown) == len(keys):
            break
    footer.compact = compact
    _set_shown(screen, wanted, shown)
    return len(shown) < len(keys)


def _set_shown(screen, wanted: set[str], shown: set[str]) -> None:
    """Replace the screen's bindings of *wanted* ids by copies shown or hidden as in *shown*."""
    changed = False
    for key, bindings in screen._bindings.key_to_bindings.items():
        new = []
        for binding in bindings:
            if binding.id in wanted and binding.show != (binding.id in shown):
                binding = dataclasses.replace(binding, show=binding.id in shown)
                changed = True
            new.append(binding)
        screen._bindings.key_to_bindings[key] = new
    if changed:
        screen.refresh_bindings()
