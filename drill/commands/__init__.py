"""One module per subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(store, args) -> int`` (exit status); a command that needs no store defines
``run_with_parser(parser, args)`` instead (``drill completion``). Modules must not import Textual at
import time: only UI commands import it, inside ``run``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Subcommand modules in the order ``drill --help`` lists them.
COMMAND_MODULES = [
    "drill.commands.review",
    "drill.commands.import_",
    "drill.commands.decks",
    "drill.commands.sync",
    "drill.commands.devices",
    "drill.commands.sources",
    "drill.commands.stats",
    "drill.commands.export",
    "drill.commands.mock",
    "drill.commands.plan",
    "drill.commands.optimize",
    "drill.commands.stories",
    "drill.commands.doctor",
    "drill.commands.config",
    "drill.commands.completion",
]


def command_name(module: str) -> str:
    """The subcommand a module of COMMAND_MODULES defines (its ``NAME``): ``import_`` -> ``import``."""
    return module.rsplit(".", 1)[1].rstrip("_")


def load_commands(only: str | None = None) -> list[ModuleType]:
    """The subcommand modules: all of them, or just the one named *only* (none for
    ``""``): a command line that names its subcommand imports that module alone."""
    names = [m for m in COMMAND_MODULES if only is None or command_name(m) == only]
    return [importlib.import_module(name) for name in names]
