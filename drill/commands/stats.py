"""``drill stats``: streaks, retention, time and the due forecast (``--tui`` opens the screen)."""

from __future__ import annotations

import argparse

from drill.commands.common import fit_name, run_app
from drill.parse.textsafe import shown
from drill.commands.output import print_json
from drill.parse.wording import count

NAME = "stats"
HELP = "show review statistics (streaks, retention, forecast)"
READ_ONLY = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print JSON")
    mode.add_argument("--tui", action="store_true", help="open the stats screen")


def run(store, args: argparse.Namespace) -> int:
    if args.tui:
        return run_app(store, start="stats")
    from drill.stats.compute import MIN_RETENTION_REVIEWS, store_rollup, store_stats
    from drill.stats.practice import practice_from_hours, practice_lines
    from drill.store.userconfig import applied, load
    from drill.study.schedule import utcnow

    now = utcnow()
    rollup = store_rollup(store)  # the history folded: read once, for both sections
    settings = applied(store.settings, load())  # with the person's default time limit
    stats = store_stats(store, now, settings=settings, rollup=rollup)
    recent = practice_from_hours(rollup.practice, now)
    if args.json:
        print_json({**stats.to_json(), "practice": [d.to_json() for d in recent]})
        return 0
    lines = summary_lines(stats, MIN_RETENTION_REVIEWS)
    extra = practice_lines(recent)
    for line in lines + ([""] + extra if extra else []):
        print(shown(line))
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def summary_lines(stats, min_reviews: int) -> list[str]:
    s = stats
    streak_unit = "day" if s.streak_days == 1 else "days"
    if s.retention is None:
        retention = f"not enough data yet ({s.mature_reviews} of {min_reviews} mature reviews)"
    else:
        retention = f"{s.retention:.1%} of {s.mature_reviews} mature reviews not forgotten"
    avg = "—" if s.avg_seconds is None else f"{s.avg_seconds:.0f} s"
    week = " ".join(str(n) for _, n in s.forecast[:7])
    lines = [
        f"Today        {count(s.reviews_today, 'review')} · {s.minutes_today:.1f} min · {s.due_today} due",
        f"Streak       {s.streak_days} {streak_unit} (longest {s.longest_streak})",
        f"Retention    {retention}",
        f"All time     {count(s.total_reviews, 'review')} · {avg} per answer",
        f"Due next 7d  {week}",
    ]
    if s.decks:
        width = max(4, *(len(fit_name(d.name)) for d in s.decks))
        lines.append("")
        lines.append(f"{'deck':<{width}}  {'cards':>5}  {'due':>4}  {'retention':>9}  {'avg/limit':>9}  {'over':>4}")
        for d in s.decks:
            avg_limit = "—" if d.avg_seconds is None else f"{d.avg_seconds:.0f}/{d.time_limit}s"
            lines.append(
                f"{fit_name(d.name):<{width}}  {d.cards:>5}  {d.due:>4}  {_pct(d.retention):>9}  {avg_limit:>9}  "
                f"{_pct(d.over_share):>4}"
            )
    if s.future_reviews:
        lines.append(
            f"Note: {s.future_reviews} review{'s are' if s.future_reviews != 1 else ' is'} stamped later than now "
            "(the clock was ahead?); they count from their time on"
        )
    if s.leeches:
        lines.append("")
        lines.append(f"Leeches (suspended; unsuspend with `drill stats --tui`, key u): {len(s.leeches)}")
        for c in s.leeches:
            lines.append(f"  {c.deck} · {c.question} ({c.lapses} lapses)")
    return lines
