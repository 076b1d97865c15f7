"""Frontmatter of a Markdown file: find it, load it safely, validate its fields.

YAML between ``---`` lines; TOML between ``+++`` lines, or between ``---`` lines
when it is written as ``key = "value"`` (hashcards).  Fields drill reads: ``deck``,
``title`` (Docusaurus) and ``name`` (hashcards) for the deck name when ``deck`` is
absent, ``tags``, ``time_limit``, ``format``, ``prompt``, ``kind`` (``cards`` or
``questions``) and ``competencies``.  Problems raise :class:`ParseError` with the
line of the offending key.
"""

from __future__ import annotations

import math
import re
import reprlib
import string
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from drill.parse.cards import KIND_CARDS, KIND_QUESTIONS, ParseError
from drill.parse.textsafe import clean

_FM_OPEN = re.compile(r"-{3,}[ \t]*")
"""The line that opens (and closes) YAML frontmatter, as python-frontmatter."""


_TOML_OPEN = re.compile(r"\+{3}[ \t]*")
"""The line that opens and closes TOML frontmatter (hashcards, Hugo)."""

_TOML_KEY = re.compile(r"\s*(?:#[^\n]*\n\s*)*[A-Za-z0-9_-]+\s*=")
"""Frontmatter between ``---`` lines that starts like TOML (``name = "Deck"``)."""


@dataclass
class Frontmatter:
    deck: str | None = None
    title: str | None = None  # ``title:`` / hashcards ``name =``: the deck name when ``deck`` is absent
    toml: bool = False  # TOML frontmatter (hashcards): the file is explicit cards unless ``format`` says otherwise
    tags: list[str] | None = None
    time_limit: int | None = None
    format: str | None = None  # "headings" or "explicit"; None: guess
    prompt: str | None = None  # template for heading cards' questions
    kind: str | None = None  # "cards" or "questions"; None: cards
    competencies: list[str] | None = None  # what the deck's stories answer


#: Fields a ``prompt:`` template may use.
PROMPT_FIELDS = ("heading", "path", "deck")


def prompt_pieces(template: str) -> list[tuple[str, str | None]]:
    """A ``prompt:`` template as (literal text, field or None) pieces; ``{{`` is a brace.

    Only plain ``{heading}``, ``{path}`` and ``{deck}``: no format spec (``{heading:x>9999999}``
    would pad a question to megabytes), no conversion, no attribute or index. ValueError
    with a one-line reason otherwise.
    """
    allowed = ", ".join("{" + f + "}" for f in PROMPT_FIELDS)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"is not a valid template ({_one_line(str(exc))})") from None
    pieces: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parsed:
        if field is not None and (field not in PROMPT_FIELDS or spec or conversion):
            shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"uses {excerpt(shown)[1:-1][:40]}; it may use only {allowed}, as they are")
        pieces.append((literal, field))
    return pieces


def fill_prompt(template: str, values: dict[str, str]) -> str:
    """*template* with its fields filled from *values*; never ``str.format`` (see prompt_pieces)."""
    return "".join(literal + (values[field] if field else "") for literal, field in prompt_pieces(template))


def split_frontmatter(lines: list[str]) -> tuple[int, int, str] | None:
    """Return (first, end, fence) line indexes of the frontmatter between the fences;
    fence is "---" (YAML, or TOML written as ``key = "value"``) or "+++" (TOML)."""
    if not lines:
        return None
    fence = _FM_OPEN if _FM_OPEN.fullmatch(lines[0]) else _TOML_OPEN if _TOML_OPEN.fullmatch(lines[0]) else None
    if fence is None:
        return None
    for i in range(1, len(lines)):
        if fence.fullmatch(lines[i]):
            return 1, i, "---" if fence is _FM_OPEN else "+++"
    return None  # no closing fence: a thematic break, not frontmatter


def _toml(text: str) -> dict | None:
    """*text* read as TOML, or None if it is not TOML."""
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10 has tomli instead
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _yaml_error_line(exc: Exception, fm_text: str, first_line: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None and getattr(mark, "line", None) is not None:
        return first_line + mark.line
    position = getattr(exc, "position", None)  # yaml.reader.ReaderError
    if isinstance(position, int):
        return first_line + fm_text.count("\n", 0, position)
    return max(first_line - 1, 1)


def _one_line(message: str) -> str:
    return " ".join(clean(message).split())


#: Most values (list items, mapping entries, characters / 64) frontmatter may hold once
#: its YAML aliases are expanded: a few hundred bytes of nested aliases (a "billion
#: laughs") otherwise expand to gigabytes the moment anything walks or prints them.
MAX_FRONTMATTER_VALUES = 10_000

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxset = 2, 4, 4, 4, 4
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 40, 40, 40


def excerpt(value: object) -> str:
    """A bad value for an error message: bounded (reprlib), one line, whatever its size."""
    return _one_line(_REPR.repr(value))[:80]


def _too_big(data: object, budget: int = MAX_FRONTMATTER_VALUES) -> bool:
    """Whether *data* holds more than *budget* values once aliases are expanded.

    Walks with an explicit stack and stops as soon as the budget is spent, so even a
    structure that would expand to billions of values costs at most *budget* steps.
    """
    stack = [data]
    while stack:
        item = stack.pop()
        budget -= 1
        if isinstance(item, str):
            budget -= len(item) // 64
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        if budget < 0:
            return True
    return False


#: Longest ``time_limit`` (seconds) a deck may set.
MAX_TIME_LIMIT = 3600


def load_frontmatter(lines: list[str], first: int, end: int, fence: str = "---") -> Frontmatter:
    """Parse frontmatter lines[first:end]; line numbers reported are 1-based."""
    fm_text = "\n".join(lines[first:end])
    toml_data = None
    if fence == "+++":
        toml_data = _toml(fm_text)
        if toml_data is None:
            raise ParseError(first + 1, "invalid frontmatter: not valid TOML between the +++ lines")
    elif _TOML_KEY.match(fm_text):
        toml_data = _toml(fm_text)  # hashcards writes TOML between --- lines
    if toml_data is not None:
        return _fields(toml_data, lines, first, end, toml=True)
    try:
        data = YAMLHandler().load(fm_text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        context = getattr(exc, "context", None)
        if context and context not in problem:
            problem = f"{problem} ({context})"
        line = _yaml_error_line(exc, fm_text, first + 1)
        raise ParseError(line, f"invalid frontmatter: {_one_line(str(problem))}") from None
    except Exception as exc:  # e.g. RecursionError on absurd nesting
        raise ParseError(1, f"invalid frontmatter: {_one_line(str(exc))}") from None

    if data is None:
        return Frontmatter()
    if _too_big(data):
        raise ParseError(
            first + 1, f"invalid frontmatter: too large once its YAML aliases are expanded (over {MAX_FRONTMATTER_VALUES:,} values)"
        )
    if not isinstance(data, dict):
        content_line = next(
            (i + 1 for i in range(first, end) if lines[i].strip()), first + 1
        )
        raise ParseError(content_line, "invalid frontmatter: not a mapping of key: value")
    return _fields(data, lines, first, end)


def _fields(data: dict, lines: list[str], first: int, end: int, *, toml: bool = False) -> Frontmatter:
    """The fields drill reads from loaded frontmatter *data*, validated."""

    def key_line(key: str) -> int:
        pattern = re.compile(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*[:=]""")
        for i in range(first, end):
            if pattern.match(lines[i]):
                return i + 1
        return 1

    def bad(key: str, why: str) -> ParseError:
        return ParseError(key_line(key), f"invalid frontmatter: '{key}' {why}")

    result = Frontmatter(toml=toml)

    deck = data.get("deck")
    if deck is not None:
        if isinstance(deck, (dict, list, set, tuple)):
            raise bad("deck", "must be a string")
        name = " ".join(clean(str(deck)).split())
        result.deck = name or None
    for key in ("title", "name"):
        value = data.get(key)
        if result.title is None and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            result.title = " ".join(clean(str(value)).split()) or None

    def string_list(key: str) -> list[str] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            items: list[Any] = value.split(",")
        elif isinstance(value, list):
            items = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            items = [value]
        else:
            raise bad(key, "must be a list of strings or a comma-separated string")
        out: list[str] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise bad(key, "must be a list of strings or a comma-separated string")
            text = " ".join(clean(str(item)).split())
            if text and text not in out:
                out.append(text)
        return out

    result.tags = string_list("tags")
    result.competencies = string_list("competencies")

    kind = data.get("kind")
    if kind is not None:
        if not isinstance(kind, str) or kind.strip().lower() not in (KIND_CARDS, KIND_QUESTIONS):
            raise bad("kind", f"must be '{KIND_CARDS}' or '{KIND_QUESTIONS}', not {excerpt(kind)}")
        result.kind = kind.strip().lower()

    limit = data.get("time_limit")
    if limit is not None:
        seconds: int | None = None
        if isinstance(limit, bool):
            seconds = None
        elif isinstance(limit, int):
            seconds = limit
        elif isinstance(limit, float) and math.isfinite(limit):
            seconds = round(limit)
        if seconds is None or seconds <= 0:
            raise bad("time_limit", f"must be a positive whole number of seconds, not {excerpt(limit)}")
        if seconds > MAX_TIME_LIMIT:
            raise bad("time_limit", f"must be at most {MAX_TIME_LIMIT} seconds (1 hour), not {excerpt(limit)}")
        result.time_limit = seconds

    fmt = data.get("format")
    if fmt is not None:
        if not isinstance(fmt, str) or fmt.strip().lower() not in ("headings", "explicit"):
            raise bad("format", f"must be 'headings' or 'explicit', not {excerpt(fmt)}")
        result.format = fmt.strip().lower()

    prompt = data.get("prompt")
    if prompt is not None:
        if isinstance(prompt, (dict, list, set, tuple)):
            raise bad("prompt", "must be a string like 'Walk me through {heading}'")
        template = " ".join(clean(str(prompt)).split())
        try:
            prompt_pieces(template)
        except ValueError as exc:
            raise bad("prompt", str(exc)) from None
        result.prompt = template or None

    return result
