"""``drill ARGS`` run in-process through the entry function, for the long CLI matrices.

The console script ``drill`` is ``drill.cli:main`` (pyproject's ``[project.scripts]``):
:func:`run_main` calls that same function with the arguments, ``DRILL_DB`` set and
stdout/stderr captured, and returns what ``tests/test_cli.py``'s ``run`` returns for
a real ``drill`` subprocess (a ``CompletedProcess`` with the exit code and the text).
A subprocess costs ~0.1 s of CPU (interpreter start, imports); this costs what the
command does. Every command kind is still also run through the real console script
by some test (test_cli.run); a matrix of bad inputs that repeats the same commands
runs them here.

What the subprocess had of its own and this sets for the call, then restores:
``DRILL_DB``; stdout, stderr (captured) and stdin (at EOF, as the test's subprocess
saw pytest's /dev/null: a prompt reads no answer); ``drill.cli`` installs and removes
its guarded streams itself. Arguments are passed to main, so ``sys.argv`` is not read.
The module caches that stay between calls (``lru_cache`` on the packaged question
bank, the markdown parser, pure parsers of text) depend on their arguments only.
Kept as subprocesses elsewhere: the shell's view (exit codes, a pty, signals, bytes to
a pipe), environment handling, and anything that holds a lock or store in the test
process (POSIX locks are per process).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from drill.cli import main


def run_main(*args: str, db: Path, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr, os.environ.get("DRILL_DB"), sys.stdin
    sys.stdout, sys.stderr, sys.stdin = out, err, io.StringIO("")
    os.environ["DRILL_DB"] = str(db)
    try:
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's usage errors, as the console script would exit
            code = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved[0], saved[1], saved[3]
        if saved[2] is None:
            os.environ.pop("DRILL_DB", None)
        else:
            os.environ["DRILL_DB"] = saved[2]
    proc = subprocess.CompletedProcess(["drill", *args], code or 0, out.getvalue(), err.getvalue())
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc
