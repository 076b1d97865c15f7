"""Helpers for the deck pickers of the mock setup and plan forms."""

from __future__ import annotations

from textual.widgets import SelectionList


def show_first_ticked(selection: SelectionList) -> None:
    """Highlight (and so scroll to) the first ticked option.

    The forms preselect the decks of the row highlighted on home; with more decks
    than rows, a preselection below the fold looked like "none ticked = all decks".
    """
    ticked = set(selection.selected)
    for index in range(selection.option_count):
        if selection.get_option_at_index(index).value in ticked:
            selection.highlighted = index
            return
