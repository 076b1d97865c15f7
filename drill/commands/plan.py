"""``drill plan``: interview plans (be ready on a date), list, set and clear them."""

from __future__ import annotations

import argparse
from dataclasses import replace
from drill.commands.common import UsageError, resolve_decks
from drill.commands.output import print_json
from drill.parse.textsafe import shown

NAME = "plan"
HELP = "plan toward an interview date: drill plan set DATE [DECK...], drill plan, drill plan clear"
READ_ONLY = True  # listing never rewrites the store; set and clear write atomically themselves


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the plans as JSON")
    sub = parser.add_subparsers(dest="plan_action", metavar="ACTION")
    setter = sub.add_parser("set", help="add a plan (or replace the one of the same name)")
    setter.add_argument("date", metavar="DATE", help="the interview's day, YYYY-MM-DD")
    setter.add_argument("decks", nargs="*", metavar="DECK", help="decks or deck groups to be ready in; default: all")
    setter.add_argument("--name", help="what to call it, e.g. 'Acme onsite' (default: 'Interview 15 Dec')")
    setter.add_argument("--target", default="0.9", help="predicted recall to reach on the day (default 0.9)")
    clear = sub.add_parser("clear", help="remove a plan (every plan when no name is given)")
    clear.add_argument("name", nargs="?", metavar="NAME", help="the plan's name (any case)")


def run(store, args: argparse.Namespace) -> int:
    from drill.study.plans import clear_plans, make_plan, save_plan
    from drill.study.schedule import study_day, utcnow

    now = utcnow()
    today = study_day(now, store.settings.day_starts_at)
    action = getattr(args, "plan_action", None)
    if action == "set":
        try:
            plan = make_plan(args.name or "", args.date, (), args.target, now, store.settings.day_starts_at)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        decks = resolve_decks(store, args.decks) or []
        plan = replace(plan, decks=tuple(decks))
        when, name, target = plan.date, plan.name, plan.target
        replaced = save_plan(store, plan, today)
        verb = "Replaced" if replaced else "Set"
        print(shown(f"{verb} plan {name!r}: {when.isoformat()} · {', '.join(decks) or 'all decks'} · target {target:.0%}"))
    elif action == "clear":
        gone = clear_plans(store, args.name)
        if not gone and args.name:
            raise UsageError(f"no plan named {args.name!r}")
        for plan in gone:
            print(shown(f"Cleared plan {plan.name!r} ({plan.date.isoformat()})"))
        if not gone:
            print("No plans to clear.")
        return 0
    return _show(store, now, as_json=args.json)


def _show(store, now, *, as_json: bool) -> int:
    from drill.study.plans import plan_line, plan_today, shortfall_line

    agenda = plan_today(store, now)
    days = agenda.days
    if as_json:
        print_json({"plans": [d.to_json() for d in days]})
        return 0
    if not days:
        print("No interview plans. Add one with `drill plan set DATE [DECK...] --name NAME`.")
        return 0
    for day in days:
        print(shown(plan_line(day)))
        print(f"  {', '.join(shown(d, 48) for d in day.decks) or 'no decks'} · target {day.plan.target:.0%}")
    short = shortfall_line(agenda, store.settings)
    if short:
        print(short)
    return 0
