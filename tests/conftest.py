from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import pytest

# Let test modules ``from helpers import FakeClock`` whatever the rootdir/import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _bytecode_written() -> None:
    """Compile each module once, not in every process of the suite.

    Where PYTHONDONTWRITEBYTECODE is set, every ``drill`` subprocess the CLI tests start
    compiled drill's modules again (about 40 ms of CPU each), and every xdist worker
    compiled and assertion-rewrote the whole test suite. The suite writes bytecode
    instead, into the ``__pycache__`` folders git ignores. (It used to send it to a folder
    outside the tree with PYTHONPYCACHEPREFIX, but a prefix makes Python ignore the
    compiled files pip installed with every package: in a fresh virtualenv, as in
    ``.ci/run``, each worker and subprocess compiled Textual, Rich and pytest again —
    110 s for the suite against 74 s, measured on a 2-core machine.) Loaded by the xdist
    controller before it starts the workers, so they and every subprocess inherit it.
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    sys.dont_write_bytecode = False


_bytecode_written()

from drill.store.collection import Store  # noqa: E402


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto`` (pyproject's addopts): two workers per core, at most cores + 4.

    A pilot test spends much of its time idle, waiting for the app to settle (Textual's
    pilot sleeps in 20 ms steps until the process goes quiet) or for a subprocess; a
    second worker per core runs meanwhile.
    """
    cores = os.cpu_count() or 1
    return max(2, min(2 * cores, cores + 4))


def pytest_collection_finish(session) -> None:
    """Less time in the cyclic garbage collector: about a fifth of a pilot test's CPU was.

    Each worker holds some 65,000 objects once textual, drill and the test modules are
    imported, and the caches that fill during the tests (Textual's strips, each with
    its FIFOCaches) add more; every full collection walked them all, some 0.15 s each,
    and the default thresholds (700, 10, 10) ran one every few tests. The objects alive
    after collection are frozen (never scanned again: they live until the worker
    exits), and collections run less often. Measured on test_ui.py + test_mock_ui.py
    (-n0): 3.1 s of GC CPU -> 1.3 s. Only when the collector runs changes, not what is
    collected; a test that needs garbage gone still calls gc.collect().
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 20, 20)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, tmp_path_factory, monkeypatch):
    """Never touch the user's files, and make "local time" deterministic (UTC).

    ``DRILL_DB`` is ``tmp_path / "drill.json"`` — the same file the ``store``
    fixture opens, so a test can fill the store and then run the CLI on it.
    HOME and the XDG dirs live outside ``tmp_path`` so that tests can assert on
    exactly which files appear in ``tmp_path``.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("DRILL_DB", str(tmp_path / "drill.json"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path):
    """An empty store at ``tmp_path / "drill.json"`` (= ``$DRILL_DB``)."""
    s = Store(tmp_path / "drill.json")
    yield s
    s.journal.close()
    s.lock.close()


@pytest.fixture
def snap_flow(snapshot, request):
    """Named snapshots at the checkpoints of one app run (tests/snapshot_flow.py)."""
    from snapshot_flow import SnapFlow

    return SnapFlow(snapshot, request)
