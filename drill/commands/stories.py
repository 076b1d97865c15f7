"""``drill stories``: your story bank — which competencies your stories cover, and how complete each is."""

from __future__ import annotations

import argparse

from drill.commands.common import fit_name, resolve_decks, run_app
from drill.commands.output import print_json
from drill.parse.textsafe import shown

NAME = "stories"
HELP = "list your interview stories: competencies covered, STAR parts, speaking time"
READ_ONLY = True

_MARK = {"present": None, "empty": "empty", "absent": "-"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("decks", nargs="*", metavar="DECK", help="deck names (case-insensitive); default: all")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print JSON")
    mode.add_argument("--tui", action="store_true", help="open the story bank screen (b on the home screen)")


def run(store, args: argparse.Namespace) -> int:
    if args.tui:
        return run_app(store, start="stories")
    from drill.interview.stories import analyse

    names = resolve_decks(store, args.decks)
    bank = analyse(store, names)
    if args.json:
        print_json(bank.to_json())
        return 0
    for line in summary_lines(bank):
        print(shown(line))
    return 0


def star_label(story) -> str:
    """``S T A r l``: upper case for a part with text, lower case for an empty one, · for none."""
    out = []
    for part in ("situation", "task", "action", "result", "learnings"):
        status = story.star.status(part)
        letter = part[0].upper() if status == "present" else part[0] if status == "empty" else "·"
        out.append(letter)
    return " ".join(out)


def summary_lines(bank) -> list[str]:
    from drill.interview.stories import _clock

    if not bank.stories:
        return [
            "no stories yet: a card is a story when its answer labels STAR parts "
            "(**Situation**, **Task**, **Action**, **Result**) or its deck is tagged `stories`"
        ]
    lines = ["Competency                     stories  questions"]
    for count in bank.coverage():
        gap = "  gap: fewer than 2 stories" if count.gap else ""
        lines.append(f"  {fit_name(count.competency.name, 28):<28} {len(count.stories):>7}  {count.questions:>9}{gap}")
    lines.append("")
    lines.append(f"Stories ({len(bank.stories)})                               STAR       time")
    for story in bank.stories:
        names = ", ".join(story.competencies) if story.competencies else ", ".join(story.suggested)
        if not story.competencies and story.suggested:
            names += " (suggested)"
        time = _clock(story.speaking_seconds) + ("!" if story.over_time else " ")
        star = star_label(story) if story.star.is_story else "(no STAR)"
        lines.append(f"  {fit_name(story.title, 44):<44} {star:<10} {time}")
        detail = names or "no competency: set one with `b` on the home screen, then `c`"
        problems = story.problems()
        if problems:
            detail += " · " + "; ".join(problems)
        lines.append(f"      {detail}")
    return lines
