"""Command line: ``drill [--db PATH] [COMMAND ...]``.

Subcommands live in ``drill.commands``, one module each. Non-UI commands
never import Textual; ``drill`` with no command opens the home screen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from drill import __version__
from drill.commands import COMMAND_MODULES, command_name, load_commands
from drill.commands.common import UsageError, run_app
from drill.commands.examples import HelpFormatter, epilog
from drill.commands.output import guarded_streams
from drill.parse.textsafe import shown
from drill.store.filelock import StoreBusy
from drill.store.paths import ENV_DB, default_store_path


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """The parser and the subcommand modules by name: every subcommand, or only the one
    named *only* (none for ``""``; see :func:`chosen_command`), so that ``drill decks``
    imports one command module."""
    parser = argparse.ArgumentParser(
        prog="drill",
        description="Terminal flashcards and interview drills from your Markdown notes.",
    )
    parser.add_argument("--version", action="version", version=f"drill {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help=f"store file (default: ${ENV_DB} or drill.json in your user data dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = {}
    for module in load_commands(only):
        settings = list(getattr(module, "DESCRIPTIONS", {})) or None  # `drill config` lists its settings
        key_ids = getattr(module, "KEY_ID_NAMES", None)  # ... and the key ids of its keymap
        module.add_arguments(
            sub.add_parser(
                module.NAME,
                help=module.HELP,
                description=module.HELP,
                epilog=epilog(module.NAME, settings, key_ids),
                formatter_class=HelpFormatter,
            )
        )
        commands[module.NAME] = module
    return parser, commands


_COMMANDS = frozenset(command_name(m) for m in COMMAND_MODULES)


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand *argv* names, when that is certain without the full parser
    (only ``--db PATH`` before it, and a known name); ``""`` when *argv* names none
    (``drill`` alone opens the app: no subcommand module is needed). None otherwise
    (``--help``, ``--version``, an unknown or misspelt command): then every
    subcommand is loaded, so help and errors list them all."""
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            if next(args, None) is None:
                return None
        elif not arg.startswith("--db="):
            return arg if arg in _COMMANDS else None
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    # Everything printed, argparse's messages included, goes through the guard: a name
    # from the user's files is shown escaped, never as live terminal control.
    with guarded_streams():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser, commands = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    from drill.store.collection import Store, StoreCorrupt

    try:
        module = commands.get(args.command)
        if hasattr(module, "run_with_parser"):  # `drill completion`: the whole parser, no store
            return module.run_with_parser(build_parser()[0], args)
        if hasattr(module, "run_on_path"):  # `drill doctor`: works on a store that will not open
            return module.run_on_path(Path(args.db).expanduser() if args.db else default_store_path(), args)
        store = Store(Path(args.db).expanduser() if args.db else default_store_path())
        if store.bad_documents:
            print(
                f"drill: {shown(store.path)}: {store.bad_documents} entr{'y' if store.bad_documents == 1 else 'ies'} "
                "of the wrong shape skipped; `drill doctor` removes them (keeping a backup)",
                file=sys.stderr,
            )
        if store.bad_journal_lines:
            print(
                f"drill: {shown(store.journal.path)}: {store.bad_journal_lines} unreadable line(s) skipped; "
                "`drill doctor` cleans the journal (keeping a backup)",
                file=sys.stderr,
            )
        try:
            if module is None or not (getattr(module, "READ_ONLY", False) or getattr(module, "MERGES_HISTORY", False)):
                from drill.commands.devices import sync_on_open

                sync_on_open(store)  # other devices' reviews, if a history folder is set up
            if module is None:
                return run_app(store)
            return module.run(store, args)
        finally:
            # Read-only commands leave every file exactly as they found it.
            store.close(compact=not getattr(module, "READ_ONLY", False))
    except (StoreCorrupt, StoreBusy) as exc:
        print(f"drill: {shown(exc)}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"drill: {shown(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1
    except OSError as exc:  # disk full, no permission...: one line; writes are atomic, nothing is half-done
        where = f"{exc.filename}: " if exc.filename else ""
        print(shown(f"drill: {where}{exc.strerror or exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
