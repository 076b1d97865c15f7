"""Shared test helpers (importable from any test file: ``from helpers import FakeClock``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    """A controllable clock: call it for the current aware UTC time, ``advance`` to move it."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is None:
            start = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.now = start.astimezone(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        """Move forward by ``seconds`` plus any timedelta keywords (minutes=, hours=, days=)."""
        self.now = self.now + timedelta(seconds=seconds, **kwargs)
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = when.astimezone(timezone.utc)
        return self.now
