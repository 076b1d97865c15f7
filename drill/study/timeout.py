"""What running out of time on a prompt does to grading (setting ``on_time_out``).

* ``reveal``: the answer is shown, marked over time; every grade is one key.
* ``hard``: the suggested grade is at most Hard; Good and Easy take a second
  press of the same key (the first one asks).
* ``again``: the suggested grade is Again; any other grade takes a second press.

drill never grades a card its user has not seen graded: where Anki's add-ons
answer automatically on a time-out, here the answer is shown and the user's key
press decides (twice, to grade above the cap).
"""

from __future__ import annotations

from dataclasses import dataclass

from drill.study.schedule import AGAIN, GOOD, HARD, RATING_NAMES

MODES = ("reveal", "hard", "again")
EXTRA_SECONDS = 30
"""What ``+`` adds to a countdown, once per card."""

_CAP = {"reveal": None, "hard": HARD, "again": AGAIN}


@dataclass
class TimeOutRule:
    mode: str = "reveal"
    pending: int | None = None
    """A grade above the cap pressed once after a time-out, waiting for its second press."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            self.mode = "reveal"

    def cap(self, over_time: bool) -> int | None:
        """The highest grade one key press gives, or None for no limit."""
        return _CAP[self.mode] if over_time else None

    def suggested(self, over_time: bool, usual: int = GOOD) -> int:
        cap = self.cap(over_time)
        return usual if cap is None else min(usual, cap)

    def press(self, rating: int, over_time: bool) -> bool:
        """A grade key was pressed: True to grade now, False when it needs confirming
        (press the same key again)."""
        cap = self.cap(over_time)
        if cap is None or rating <= cap or self.pending == rating:
            self.pending = None
            return True
        self.pending = rating
        return False

    def reset(self) -> None:
        self.pending = None

    def confirm_prompt(self, rating: int) -> str:
        return f"Time ran out: press {rating} again to grade {RATING_NAMES[rating]}"
