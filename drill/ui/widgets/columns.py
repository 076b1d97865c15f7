"""Tables at 80 columns: one column gives way to the others, its text cut with "…".

DataTable crops a cell that is too wide without a mark, and a wide column pushes
the later ones off screen. A screen fills every column but one with short,
fixed-width values (times, counts, grades), and gives the one that holds user
text (a question, a list of decks) the width that is left.
"""

from __future__ import annotations

from rich.text import Text

#: DataTable's cell padding: one cell each side of every column.
PADDING = 2


def room_for(total: int, fixed: list[object], minimum: int = 12) -> int:
    """Cells left for the giving-way column in a table *total* cells wide.

    *fixed* are the other columns' widest cells (header included), as widths or texts.
    """
    used = sum((w if isinstance(w, int) else Text(str(w)).cell_len) + PADDING for w in fixed)
    return max(minimum, total - used - PADDING - 1)  # and one for a vertical scrollbar


def widest(header: str, cells: list[object]) -> int:
    """The widest of *header* and *cells* (str or Text), in cells."""
    return max([len(header)] + [c.cell_len if isinstance(c, Text) else Text(str(c)).cell_len for c in cells])


def cut(text: Text | str, width: int) -> Text:
    """*text* on one line, at most *width* cells, ending in "…" when it was longer."""
    out = text.copy() if isinstance(text, Text) else Text(" ".join(str(text).split()))
    out.truncate(width, overflow="ellipsis")
    return out
