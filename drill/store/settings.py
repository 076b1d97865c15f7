"""Collection settings: what the store persists in its meta table.

The scheduler reads them (drill.study), the store saves them; they live here so the
store never imports the layer above it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

#: Setting name -> (type, lowest, highest) accepted by ``Settings.with_value``.
SETTING_RANGES: dict[str, tuple[type, float, float]] = {
    "desired_retention": (float, 0.7, 0.99),
    "new_per_day": (int, 0, 10_000),
    "reviews_per_day": (int, 0, 100_000),
    "day_starts_at": (int, 0, 23),
    "learn_ahead_minutes": (int, 0, 1440),
    "default_time_limit": (int, 1, 3600),
    "leech_threshold": (int, 0, 1000),
    "story_hint": (int, 0, 1),
    "max_answer_chars": (int, 200, 10_000_000),
    "max_file_mb": (int, 1, 1024),
}

#: Setting name -> the words it accepts (the first is the default).
SETTING_CHOICES: dict[str, tuple[str, ...]] = {
    "on_time_out": ("reveal", "hard", "again"),
}


@dataclass
class Settings:
    """User-tunable scheduling settings (stored in the store's meta table)."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: int = 4
    """Local hour at which a new study day begins."""
    learn_ahead_minutes: int = 20
    """Learning cards due within this window are shown early when nothing else is left."""
    default_time_limit: int = 60
    """Seconds per prompt when neither the deck nor the command line sets one."""
    leech_threshold: int = 8
    """Lapses that make a card a leech (tagged and suspended); 0 turns leeches off."""
    story_hint: int = 1
    """1: a story asked by an interview question shows its heading as a small hint; 0: no hint."""
    max_answer_chars: int = 4000
    """Longest heading card answer before import splits it at its sub-headings."""
    on_time_out: str = "reveal"
    """When a prompt's time runs out: "reveal" the answer, cap the grade at "hard", or at "again"
    (grading above the cap then takes a second key press; see drill.study.timeout)."""
    max_file_mb: int = 20
    """Largest file (MB) import and sync read; a larger one gets one line and is skipped."""

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @classmethod
    def from_dict(cls, data: dict | None) -> "Settings":
        """Known keys with valid values; anything else keeps its default."""
        settings = cls()
        for key, value in (data or {}).items():
            try:
                settings = settings.with_value(key, value)
            except ValueError:
                continue
        return settings

    def with_value(self, key: str, value: object) -> "Settings":
        """A copy with ``key`` set from ``value`` (text from the command line or JSON).

        Raises ValueError with a one-line reason for unknown keys and bad values.
        """
        if key in SETTING_CHOICES:
            choices = SETTING_CHOICES[key]
            word = str(value).strip().lower() if isinstance(value, str) else None
            if word not in choices:
                raise ValueError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
            return replace(self, **{key: word})
        if key not in SETTING_RANGES:
            known = [*SETTING_RANGES, *SETTING_CHOICES]
            raise ValueError(f"unknown setting {key!r} (settings: {', '.join(known)})")
        kind, low, high = SETTING_RANGES[key]
        if isinstance(value, bool):
            raise ValueError(f"{key} must be a number")
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be {'a whole number' if kind is int else 'a number'}, not {value!r}") from None
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{key} must be a whole number, not {value!r}")
        if not low <= number <= high:
            raise ValueError(f"{key} must be between {low} and {high}, not {number}")
        return replace(self, **{key: number})

    def to_dict(self) -> dict:
        return asdict(self)
