"""``drill optimize``: fit FSRS parameters to your own reviews (kept only if they predict better)."""

from __future__ import annotations

import argparse

from drill.commands.output import print_json
from drill.parse.wording import count

NAME = "optimize"
HELP = "fit FSRS to your review history; keep the new parameters only if they predict held-out reviews better"
READ_ONLY = True  # saving the parameters writes the store atomically itself


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="fit and compare, change nothing")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(store, args: argparse.Namespace) -> int:
    from drill.study.optimize import MIN_REVIEWS, optimize
    from drill.study.plans import PARAMETERS_KEY, fitted_parameters
    from drill.study.schedule import iso, utcnow

    current = fitted_parameters(store)
    result = optimize(store.reviews(), current, day_starts_at=store.settings.day_starts_at)
    saved = False
    if result.kept_new and not args.dry_run:
        with store.writing():
            store.set_extra(
                PARAMETERS_KEY, {"parameters": result.parameters, "fitted": iso(utcnow()), "reviews": result.reviews}
            )
        saved = True
    if args.json:
        print_json({**result.to_json(), "saved": saved, "dry_run": args.dry_run})
        return 0
    for line in report_lines(result, current is not None, saved=saved, dry_run=args.dry_run, minimum=MIN_REVIEWS):
        print(line)
    return 0


def report_lines(result, had_fitted: bool, *, saved: bool, dry_run: bool, minimum: int) -> list[str]:
    if result.needed:
        return [
            f"{result.reviews} graded reviews so far; fitting needs {minimum}: {result.needed} more. Nothing changed."
        ]
    lines = [
        f"{result.reviews} graded reviews → {result.histories} FSRS histories"
        f" ({result.train} to fit, the {result.test} most recent held out)"
        + (f"; {count(result.skipped_cards, 'card')} skipped (history incomplete)" if result.skipped_cards else "")
    ]
    if result.error:
        return lines + [f"Could not fit: {result.error}. Nothing changed."]
    old_name = "current (fitted)" if had_fitted else "current (FSRS defaults)"
    width = max(len(old_name), len("new"))
    lines.append(f"{'':<{width}}  {'log loss':>8}  {'RMSE':>6}   (held-out reviews; lower is better)")
    for name, score in ((old_name, result.old), ("new", result.new)):
        lines.append(f"{name:<{width}}  {score[0]:>8.4f}  {score[1]:>6.4f}")
    lines.extend(result.notes)
    if not result.kept_new:
        lines.append("The new parameters are not better on both: kept the current ones.")
    elif dry_run:
        lines.append("The new parameters are better: run without --dry-run to use them.")
    elif saved:
        lines.append("The new parameters are better: saved; reviews and plan predictions use them from now on.")
    return lines
