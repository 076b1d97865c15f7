"""Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes on every bindings change: each focus change, each
``refresh_bindings()`` (drill's screens call it after every question, reveal and
grade), each screen switch. A recompose removes every FooterKey and mounts new
ones, and each new key had its styles applied three times (on mount, then twice
more as its ``compact`` reactive started at True and was bound back to the
footer's False), each time with two virtual nodes for its component classes. That
was the largest single cost of a review step (Textual 8.2).

This Footer looks the same and behaves the same: it recomposes exactly when what it
would compose differs from what it shows, and it gives each new key its
``compact`` value and class before mounting, so no watcher re-applies its styles.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

__all__ = ["Footer"]


class Footer(TextualFooter):
    """Same CSS type name ("Footer"), same look; see the module docstring."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        """What the last compose showed (see _what_to_show); None: nothing yet."""

    def _what_to_show(self) -> tuple | None:
        """Everything Textual's Footer.compose reads, as a value to compare."""
        if not self._bindings_ready:
            return None
        app = self.app
        active_bindings = self.screen.active_bindings  # a property: it asks check_action of every binding
        shown = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in active_bindings.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            active = active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if active is not None:
                _, binding, enabled, _tooltip = active
                palette = (binding.key, app.get_key_display(binding), binding.description, binding.action,
                           enabled, binding.tooltip)
        return shown, palette

    def compose(self):
        self._shown = self._what_to_show()
        compact = self.compact
        for widget in super().compose():
            if isinstance(widget, FooterKey):  # its final compact state now, not via two watchers
                # Textual binds every key's compact to the footer's, except the palette key's
                # (it keeps its default, True)
                final = True if widget.has_class("-command-palette") else compact
                widget.set_reactive(FooterKey.compact, final)
                widget.set_class(final, "-compact", update=False)
            yield widget

    def on_resize(self) -> None:
        """The Keys panel (ctrl+p › Keys) takes the right side: a screen that fits its
        keys to the footer's width (home) fits them again."""
        fit = getattr(self.screen, "_fit_footer", None)
        if fit is not None:
            fit()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        if self._shown is None or self._what_to_show() != self._shown:
            await self.recompose()
