"""A screen's breakpoint classes set when it is made, not on its first Resize.

Textual adds a screen's ``HORIZONTAL_BREAKPOINTS`` / ``VERTICAL_BREAKPOINTS``
classes (``-narrow``, ``-short`` …) when the screen gets its first Resize event,
after every widget on it was mounted and styled; a class on a screen re-applies
the CSS of every widget on it, so each such screen was styled twice before its
first paint. Setting the same classes, from the app's size, before the screen is
mounted styles it once; the Resize then finds nothing to change (and still
updates them when the terminal really is resized).
"""

from __future__ import annotations

from textual._context import NoActiveAppError
from textual.screen import Screen


def preset_breakpoints(screen: Screen) -> None:
    """Give *screen* (not mounted yet) the breakpoint classes of the app's current size."""
    try:
        app = screen.app
    except NoActiveAppError:  # made outside a running app: Textual sets them on mount
        return
    width, height = app.size
    for breakpoints, dimension in (
        (app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS, width),
        (app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS, height),
    ):
        for threshold, name in sorted(breakpoints or [], reverse=True):  # as Textual picks it
            if dimension >= threshold:
                screen.add_class(name, update=False)
                break
