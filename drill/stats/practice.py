"""Time-outs and cram per deck over the last 30 days, with the 30 before for a trend.

Graded reviews give the share of answers that ran over time and how often ``+``
(30 more seconds) was needed; cram answers (``{"t": "cram"}``) are counted apart,
as they never count as reviews.

``drill stats`` reads them from the stats roll-up (drill.store.rollup), which keeps
per deck and UTC hour the last 61 days of answers: :func:`practice_from_hours`, whose
cost follows the number of decks and hours, never the history, and whose windows are
cut at the hour. :func:`practice` computes the same from journal records (newest
first, cut at the second).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from drill.study.schedule import iso

WINDOW_DAYS = 30


@dataclass
class Window:
    answers: int = 0
    over: int = 0
    plus: int = 0

    @property
    def over_share(self) -> float | None:
        return self.over / self.answers if self.answers else None


@dataclass
class DeckPractice:
    name: str
    recent: Window = field(default_factory=Window)
    """The last 30 days."""
    before: Window = field(default_factory=Window)
    """The 30 days before those."""
    cram: int = 0
    """Cram answers in the last 30 days (not reviews: never in retention or the optimiser)."""

    @property
    def trend(self) -> float | None:
        """Change of the over-time share, last 30 days against the 30 before (share points)."""
        if self.recent.over_share is None or self.before.over_share is None:
            return None
        return self.recent.over_share - self.before.over_share

    def to_json(self) -> dict:
        def share(value):
            return None if value is None else round(value, 3)

        return {
            "deck": self.name,
            "answers_30d": self.recent.answers,
            "over_time_share_30d": share(self.recent.over_share),
            "over_time_share_previous_30d": share(self.before.over_share),
            "over_time_trend": share(self.trend),
            "plus_30s_30d": self.recent.plus,
            "cram_30d": self.cram,
        }


def practice(records_newest_first: Iterable[dict], now: datetime) -> list[DeckPractice]:
    """Per deck (by name), from journal records newest first (``Store.recent_records``)."""
    recent_start = iso(now - timedelta(days=WINDOW_DAYS))
    start = iso(now - timedelta(days=2 * WINDOW_DAYS))
    decks: dict[str, DeckPractice] = {}
    undone: set = set()
    for record in records_newest_first:
        kind = record.get("t")
        if kind in ("undo", "cram-undo"):
            undone.add(record.get("review"))
            continue
        if kind not in ("review", "cram"):
            continue
        ts = str(record.get("ts", ""))
        if ts < start:
            break
        if record.get("id") in undone or not isinstance(record.get("deck"), str):
            continue
        deck = decks.setdefault(record["deck"], DeckPractice(record["deck"]))
        if kind == "cram":
            if ts >= recent_start:
                deck.cram += 1
            continue
        window = deck.recent if ts >= recent_start else deck.before
        window.answers += 1
        window.over += 1 if record.get("over") else 0
        window.plus += 1 if record.get("plus") else 0
    return sorted(decks.values(), key=lambda d: d.name.casefold())


def practice_from_hours(hours_by_deck: dict[str, dict[str, list[int]]], now: datetime) -> list[DeckPractice]:
    """Per deck, from the roll-up's practice table (``Rollup.practice``: deck -> UTC hour
    ``YYYY-MM-DDTHH`` -> [answers, over time, plus, cram])."""
    recent_start = iso(now - timedelta(days=WINDOW_DAYS))[:13]
    start = iso(now - timedelta(days=2 * WINDOW_DAYS))[:13]
    out = []
    for name, hours in hours_by_deck.items():
        deck = DeckPractice(name)
        seen = False
        for hour, (answers, over, plus, cram) in hours.items():
            if hour < start:
                continue
            seen = True
            window = deck.recent if hour >= recent_start else deck.before
            window.answers += answers
            window.over += over
            window.plus += plus
            if hour >= recent_start:
                deck.cram += cram
        if seen:
            out.append(deck)
    return sorted(out, key=lambda d: d.name.casefold())


def practice_lines(decks: list[DeckPractice], name_width: int = 28) -> list[str]:
    """The `drill stats` section (plain text; the caller cleans it for the terminal)."""
    if not decks:
        return []

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    def trend(value: float | None) -> str:
        if value is None:
            return "—"
        if abs(value) < 0.005:
            return "steady"
        return f"{'↑' if value > 0 else '↓'}{abs(value) * 100:.0f} pts"

    width = max(4, min(name_width, max(len(d.name) for d in decks)))
    lines = [
        "Last 30 days (over = answers past the time limit; cram answers never count as reviews)",
        f"{'deck':<{width}}  {'answers':>7}  {'over':>4}  {'before':>6}  {'trend':>8}  {'+30s':>4}  {'cram':>4}",
    ]
    for d in decks:
        name = d.name if len(d.name) <= width else d.name[: width - 1] + "…"
        lines.append(
            f"{name:<{width}}  {d.recent.answers:>7}  {pct(d.recent.over_share):>4}  {pct(d.before.over_share):>6}  "
            f"{trend(d.trend):>8}  {d.recent.plus:>4}  {d.cram:>4}"
        )
    return lines
