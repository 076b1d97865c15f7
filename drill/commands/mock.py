"""``drill mock``: a timed mock interview (``--history`` lists past ones without the UI)."""

from __future__ import annotations

import argparse

from drill.commands.common import (
    UsageError,
    fit_name,
    positive_int,
    resolve_decks_or_samples,
    run_app,
    seconds,
    think_seconds,
)
from drill.parse.textsafe import shown
from drill.commands.output import print_json

NAME = "mock"
HELP = "rehearse a timed mock interview, or list past ones with --history"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("decks", nargs="*", metavar="DECK", help="deck names (case-insensitive); default: all")
    parser.add_argument("-n", dest="count", type=positive_int, metavar="N", help="number of questions (default 5)")
    parser.add_argument("--time", type=seconds, metavar="S", help="seconds to answer each question (default 120)")
    parser.add_argument("--think", type=think_seconds, metavar="S", help="seconds to think first (default 10)")
    parser.add_argument("--seed", metavar="X", help="pick the same questions again for the same X")
    parser.add_argument(
        "--no-schedule", action="store_true", help="keep self-grades out of the review schedule"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--questions",
        type=positive_int,
        metavar="N",
        help="ask N interview questions from the bank; you pick the story to tell "
        "(the default where your decks have stories)",
    )
    mode.add_argument("--cards", action="store_true", help="ask your cards as written, not bank questions")
    parser.add_argument("--history", action="store_true", help="list past mock interviews, newest last")
    parser.add_argument("--json", action="store_true", help="with --history: print JSON")


def run(store, args: argparse.Namespace) -> int:
    if args.history:
        return print_history(store, as_json=args.json)
    if args.json:
        raise UsageError("--json only goes with --history")
    from drill.interview.mock import parse_seed

    names, notice = resolve_decks_or_samples(store, args.decks)
    return run_app(
        store,
        notice=notice,
        mock={
            "decks": names,
            "count": args.questions or args.count,
            "mode": "questions" if args.questions else "cards" if args.cards else None,
            "answer_seconds": args.time,
            "think_seconds": args.think,
            "seed": parse_seed(args.seed),
            "schedule": not args.no_schedule,
        },
    )


def history_json(store) -> dict:
    sessions = []
    for doc in store.mocks():
        questions = []
        for q in doc.get("questions", []):
            if not isinstance(q, dict):
                continue
            entry = {
                "card": q.get("card"),
                "question": q.get("question"),
                "seconds_allowed": q.get("seconds_allowed"),
                "seconds_used": q.get("seconds_used"),
                "grade": q.get("grade"),
                "notes": q.get("notes", ""),
            }
            if q.get("mode") == "questions":  # question-first: which story was told, and which fitted
                fitting = q.get("fitting") if isinstance(q.get("fitting"), list) else []
                entry.update(
                    {
                        "competencies": q.get("competencies") if isinstance(q.get("competencies"), list) else [],
                        "story": q.get("story"),
                        "fitting": fitting,
                        "fit": q.get("story") is not None and q.get("story") in fitting,
                    }
                )
            questions.append(entry)
        sessions.append(
            {
                "id": doc["id"],
                "started": doc.get("started"),
                "status": doc.get("status"),
                "decks": doc.get("decks", []),
                "questions": questions,
            }
        )
    return {"sessions": sessions}


def print_history(store, *, as_json: bool) -> int:
    if as_json:
        print_json(history_json(store))
        return 0
    from drill.interview.report import DATE_FORMAT, build_report, format_seconds

    docs = store.mocks()
    if not docs:
        print("no mock interviews yet: run `drill mock`, or press m on the home screen")
        return 0
    for doc in docs:
        report = build_report(doc)
        when = report.started.astimezone().strftime(DATE_FORMAT) if report.started else "?"
        average = f"avg {report.average_grade:.1f}" if report.average_grade is not None else "ungraded"
        decks = ", ".join(fit_name(shown(d)) for d in report.decks) or "all decks"
        print(
            shown(
                f"{when}  {report.status:<9}  {len(report.rows)} question{'s' if len(report.rows) != 1 else ' '}  "
                f"{format_seconds(report.seconds_used)} of {format_seconds(report.seconds_allowed)}  "
                f"{average:<8}  {decks}"
            )
        )
    return 0
