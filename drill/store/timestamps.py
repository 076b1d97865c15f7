"""Timestamps as the journal and the store keep them: ISO-8601 UTC strings with second precision.

In the store layer so that both the store's readers and the scheduler (drill.study) use one definition.
"""

from __future__ import annotations

from datetime import datetime, timezone


def iso(dt: datetime) -> str:
    """UTC timestamp with second precision; such strings sort chronologically."""
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)
