"""``drill completion SHELL``: a tab-completion script for bash, zsh or fish (made by shtab
from drill's own argparse parser, so it always knows every command and option)."""

from __future__ import annotations

import argparse

NAME = "completion"
HELP = "print a shell completion script (bash, zsh or fish)"
READ_ONLY = True
SHELLS = ("bash", "zsh", "fish")

#: Arguments whose metavar names a file or a folder complete as such.
PATH_METAVARS = {"PATH": "FILE", "FILE": "FILE", "DIR": "DIRECTORY"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def run_with_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Called by drill.cli with the whole parser; needs no store."""
    import shtab

    _mark_paths(parser, {metavar: getattr(shtab, kind) for metavar, kind in PATH_METAVARS.items()})
    print(shtab.complete(parser, shell=args.shell), end="")
    return 0


def _mark_paths(parser: argparse.ArgumentParser, completers: dict) -> None:
    """Give file and folder arguments shtab's file / folder completion (``action.complete``),
    and an argument with ``completion_choices`` (``drill config KEY``: the setting names)
    those as choices, for the script only (the parser that checks arguments has none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _mark_paths(sub, completers)
        elif getattr(action, "completion_choices", None):
            action.choices = action.completion_choices
        elif action.metavar in completers:
            action.complete = completers[action.metavar]  # type: ignore[attr-defined]
