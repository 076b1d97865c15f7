"""One module per subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(store, args) -> int`` (exit status). Modules must not import Textual at
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
    "drill.commands.sources",
    "drill.commands.stats",
    "drill.commands.export",
    "drill.commands.mock",
    "drill.commands.plan",
    "drill.commands.optimize",
    "drill.commands.stories",
    "drill.commands.doctor",
    "drill.commands.config",
]


def load_commands() -> list[ModuleType]:
    return [importlib.import_module(name) for name in COMMAND_MODULES]
