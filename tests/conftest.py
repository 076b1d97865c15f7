from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

# Let test modules ``from helpers import FakeClock`` whatever the rootdir/import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from drill.store.collection import Store  # noqa: E402


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
