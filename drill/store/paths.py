"""Where things live: the default store, the bundled sample decks and the user's copy of them."""

from __future__ import annotations

import os
import shutil
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


def user_samples_dir() -> Path:
    """Where the sample decks are copied for the user to edit: ``sample-decks`` in the user data dir."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("drill", appauthor=False)) / "sample-decks"


def copy_samples() -> Path | None:
    """The user's own copy of the sample decks, made from the bundled ones if missing.

    ``e`` on a sample card must never open the file inside the installed package
    (the next ``pip install`` would overwrite the edit; a system install is
    read-only). A file already in the copy is kept as the user left it. Returns
    None when there are no bundled decks, or the bundled folder when no copy can
    be written (a read-only home).
    """
    bundled = bundled_decks_dir()
    if bundled is None:
        return None
    target = user_samples_dir()
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        for source in sorted(bundled.iterdir()):
            if source.is_file() and not (target / source.name).exists():
                shutil.copyfile(source, target / source.name)
    except OSError:
        return bundled
    return target
