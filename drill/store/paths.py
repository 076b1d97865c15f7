"""Where things live: the default store and the bundled sample decks."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "DRILL_DB"


def default_store_path() -> Path:
    """``$DRILL_DB`` if set, else ``drill.json`` in the user data dir."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("drill", appauthor=False)) / "drill.json"


def bundled_decks_dir() -> Path | None:
    """The sample decks: packaged inside drill/ when installed, ../decks in a checkout."""
    here = Path(__file__).resolve().parent.parent  # the drill package
    for candidate in (here / "sample_decks", here.parent / "decks"):
        if candidate.is_dir():
            return candidate
    return None
