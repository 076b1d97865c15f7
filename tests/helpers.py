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


async def type_text(pilot, *keys: str) -> None:
    """Type *keys* the way a fast typist does: every key is queued at once, then one wait.

    ``pilot.press`` waits for the app to go idle twice after each key (about 80 ms a key
    with a screen that redraws); the app handles queued keys one by one, in order, exactly
    the same. For text typed into the focused widget (keys that change screens or focus
    are pressed with ``pilot.press``, which waits for each).
    """
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


def run_python(code: str) -> None:
    """Run *code* in a fresh interpreter (what a module loads is only seen there); it must succeed."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
