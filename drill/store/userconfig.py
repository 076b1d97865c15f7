"""The person's settings: a TOML file in the platform's config folder.

``platformdirs.user_config_path("drill")/config.toml`` (``$XDG_CONFIG_HOME/drill/`` on
Linux) holds what belongs to the person rather than to a collection: the theme, key
remapping (``[keymap]``, binding id = keys; see drill.store.keymap) and the default time
limit. Collection settings (limits, retention, day start...) stay in the store
(drill.store.settings).

A bad file never stops drill: each problem is one ``path:line: reason`` line and the
setting keeps its default. drill writes the file only through :func:`update`, which
re-reads it, changes one value and replaces the file atomically (temp, fsync, rename);
it never rewrites a file it cannot parse.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from drill.parse.textsafe import shown
from drill.store.keymap import KEY_IDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE_NAME = "config.toml"
MAX_BYTES = 1024 * 1024
MAX_SECONDS = 3600

#: Setting name -> what it does (``drill config`` and ``--help`` list them).
USER_SETTINGS: dict[str, str] = {
    "theme": "colour theme (ctrl+p › Theme saves the one you pick)",
    "default_time_limit": "seconds per prompt when neither the deck nor --time sets one",
}

HEADER = (
    "# drill's settings for you (not for a collection): `drill config --help` lists them and\n"
    "# the key ids of [keymap]. drill rewrites this file when you pick a theme or run\n"
    "# `drill config KEY VALUE` (comments are not kept).\n"
)


def config_path() -> Path:
    """Where the user config lives (the file need not exist)."""
    from platformdirs import user_config_path

    return user_config_path("drill", appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class UserConfig:
    theme: str | None = None
    """A Textual theme name; None: Textual's default. The UI checks that it exists."""
    default_time_limit: int | None = None
    """Seconds per prompt; None: the store's ``default_time_limit`` (60 unless set there)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (``"space,r"``), for ``App.set_keymap``."""


@dataclass
class Loaded:
    """A config as read: the valid settings, one line per problem, where each key was."""

    path: Path
    config: UserConfig = field(default_factory=UserConfig)
    problems: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    """``"theme"`` / ``"keymap.review.reveal"`` -> the line it is on (for later problems)."""
    parsed: bool = True
    """False when the file is there but is not TOML drill can read: it is then never rewritten."""

    def problem(self, key: str, reason: str) -> str:
        """The ``path:line: reason`` line for a problem with *key* found later (by the UI)."""
        return f"{shown(self.path)}:{self.lines.get(key, 1)}: {shown(reason)}"


def load(path: Path | None = None) -> Loaded:
    """Read the config at *path* (default :func:`config_path`). Never raises for a bad file."""
    path = config_path() if path is None else path
    loaded = Loaded(path)
    data, text = _read(path, loaded)
    if data is None:
        return loaded
    loaded.lines = _key_lines(text)
    config = UserConfig()
    for key, value in data.items():
        if key == "keymap":
            config = replace(config, keymap=_keymap(value, loaded))
            continue
        try:
            config = with_value(config, key, value)
        except ValueError as exc:
            loaded.problems.append(loaded.problem(key, str(exc)))
    loaded.config = config
    return loaded


def with_value(config: UserConfig, key: str, value: object) -> UserConfig:
    """A copy with *key* set from *value* (TOML or command-line text); ValueError says why not.

    ``keymap.ID`` sets one binding's keys; an empty value (or ``default``) removes it.
    """
    if key.startswith("keymap."):
        binding_id = key.removeprefix("keymap.")
        keymap = dict(config.keymap)
        if isinstance(value, str) and value.strip().lower() in ("", "default"):
            keymap.pop(binding_id, None)
        else:
            keymap[binding_id] = _keys(binding_id, value)
        return replace(config, keymap=keymap)
    if key == "theme":
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise ValueError(f"theme must be a theme's name, not {value!r}")
        return replace(config, theme=value.strip())
    if key == "default_time_limit":
        return replace(config, default_time_limit=_seconds(value))
    raise ValueError(f"unknown setting {key!r} (settings: {', '.join(USER_SETTINGS)}, [keymap])")


def update(key: str, value: object, path: Path | None = None) -> UserConfig:
    """Set one value in the file and write it atomically; the config as now saved.

    The file is re-read first, so what another drill process saved meanwhile is kept.
    Raises ValueError for a bad value or a file drill cannot parse (it is then left
    alone), OSError when it cannot be written.
    """
    import tomli_w

    from drill.store.filelock import atomic_write_bytes, ensure_dir

    path = config_path() if path is None else path
    loaded = Loaded(path)
    data, _ = _read(path, loaded)
    if not loaded.parsed:
        raise ValueError(f"not saved, the file needs fixing first: {loaded.problems[0]}")
    data = dict(data or {})
    with_value(UserConfig(), key, value)  # raises for a bad value, before anything is written
    if key.startswith("keymap."):
        keymap = _flat(data["keymap"]) if isinstance(data.get("keymap"), dict) else {}
        binding_id = key.removeprefix("keymap.")
        if isinstance(value, str) and value.strip().lower() in ("", "default"):
            keymap.pop(binding_id, None)
        else:
            keymap[binding_id] = _keys(binding_id, value)
        data.pop("keymap", None)
        if keymap:
            data["keymap"] = keymap  # a table goes after the plain values
    else:
        data[key] = value.strip() if isinstance(value, str) and key == "theme" else _typed(key, value)
    ensure_dir(path.parent)
    atomic_write_bytes(path, (HEADER + "\n" + tomli_w.dumps(data)).encode("utf-8"))
    return load(path).config


def _typed(key: str, value: object) -> object:
    return _seconds(value) if key == "default_time_limit" else value


def _seconds(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"default_time_limit must be a whole number of seconds, not {value!r}")
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValueError(f"default_time_limit must be a whole number of seconds, not {value!r}") from None
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"default_time_limit must be a whole number of seconds, not {value!r}")
    if not 1 <= number <= MAX_SECONDS:
        raise ValueError(f"default_time_limit must be between 1 and {MAX_SECONDS}, not {number}")
    return number


def _keys(binding_id: str, value: object) -> str:
    if binding_id not in KEY_IDS:
        raise ValueError(f"unknown key id {binding_id!r} (`drill config --help` lists them)")
    if not isinstance(value, str):
        raise ValueError(f"keys for {binding_id} must be text such as \"ctrl+r,r\", not {value!r}")
    keys = [k.strip() for k in value.split(",")]
    if not all(keys) or any(" " in k for k in keys):
        raise ValueError(f"keys for {binding_id} must be key names separated by commas, not {value!r}")
    return ",".join(keys)


def _keymap(value: object, loaded: Loaded) -> dict[str, str]:
    if not isinstance(value, dict):
        loaded.problems.append(loaded.problem("keymap", "keymap must be a table: [keymap] then id = \"keys\" lines"))
        return {}
    keymap = {}
    for binding_id, keys in _flat(value).items():
        try:
            keymap[binding_id] = _keys(binding_id, keys)
        except ValueError as exc:
            loaded.problems.append(loaded.problem(f"keymap.{binding_id}", str(exc)))
    return keymap


def _flat(table: dict, prefix: str = "") -> dict:
    """``{"review": {"reveal": "r"}}`` (what ``review.reveal = "r"`` unquoted parses to) as
    ``{"review.reveal": "r"}``, the way the ids are spelled."""
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _read(path: Path, loaded: Loaded) -> tuple[dict | None, str]:
    """The parsed file (None when absent or bad: then *loaded* says why) and its text."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        loaded.parsed = False
        loaded.problems.append(f"{shown(path)}: cannot read: {shown(exc.strerror or exc)}")
        return None, ""
    if len(raw) > MAX_BYTES:
        loaded.parsed = False
        loaded.problems.append(f"{shown(path)}:1: larger than {MAX_BYTES // 1024} KB, not a config file")
        return None, ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        loaded.parsed = False
        line = raw[: exc.start].count(b"\n") + 1
        loaded.problems.append(f"{shown(path)}:{line}: not UTF-8 text")
        return None, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        loaded.parsed = False
        line, reason = _decode_error(exc)
        loaded.problems.append(f"{shown(path)}:{line}: {shown(reason)}")
        return None, text


def _decode_error(exc: Exception) -> tuple[int, str]:
    """(line, reason) of a TOML syntax error: newer tomllib/tomli give ``lineno``, older ones
    put "(at line N, column M)" in the message."""
    message = getattr(exc, "msg", None) or str(exc)
    line = getattr(exc, "lineno", None)
    found = re.search(r"\s*\(at line (\d+), column \d+\)", str(exc))
    if line is None and found:
        line = int(found.group(1))
    if found and found.group(0) in message:
        message = message.replace(found.group(0), "")
    return line or 1, f"not valid TOML: {message}"


_TABLE = re.compile(r'^\s*\[\s*"?([^"\]]+?)"?\s*\]\s*(#.*)?$')
_KEY = re.compile(r'^\s*(?:"([^"]+)"|\'([^\']+)\'|([A-Za-z0-9_.-]+))\s*=')


def _key_lines(text: str) -> dict[str, int]:
    """Where each key is: ``"theme"`` -> 2, ``"keymap.review.reveal"`` -> 7 (first occurrence).

    Only to point a problem at its line; tomllib gives no positions.
    """
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if m := _TABLE.match(line):
            table = m.group(1).strip()
            lines.setdefault(table, number)
            continue
        if m := _KEY.match(line):
            key = next(g for g in m.groups() if g is not None)
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def applied(settings, loaded: Loaded | None):
    """The store's Settings with the person's default time limit, where they set one."""
    if loaded is None or not loaded.config.default_time_limit:
        return settings
    return replace(settings, default_time_limit=loaded.config.default_time_limit)


def time_limit(loaded: Loaded | None, store_default: int) -> int:
    """The default seconds per prompt: the person's if set, else the store's."""
    if loaded is not None and loaded.config.default_time_limit:
        return loaded.config.default_time_limit
    return store_default
