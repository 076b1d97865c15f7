"""YAML frontmatter of a Markdown file: find it, load it safely, validate its fields.

Fields drill reads: ``deck``, ``tags``, ``time_limit``, ``format``, ``prompt``,
``kind`` (``cards`` or ``questions``) and ``competencies``.
Problems raise :class:`ParseError` with the line of the offending key.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from drill.parse.cards import KIND_CARDS, KIND_QUESTIONS, ParseError
from drill.parse.textsafe import clean

_FM_OPEN = re.compile(r"-{3,}[ \t]*")
"""The line that opens (and closes) YAML frontmatter, as python-frontmatter."""


@dataclass
class Frontmatter:
    deck: str | None = None
    tags: list[str] | None = None
    time_limit: int | None = None
    format: str | None = None  # "headings" or "explicit"; None: guess
    prompt: str | None = None  # template for heading cards' questions
    kind: str | None = None  # "cards" or "questions"; None: cards
    competencies: list[str] | None = None  # what the deck's stories answer


#: Fields a ``prompt:`` template may use.
PROMPT_FIELDS = ("heading", "path", "deck")


def split_frontmatter(lines: list[str]) -> tuple[int, int] | None:
    """Return (first, end) line indexes of the YAML between the fences."""
    if not lines or not _FM_OPEN.fullmatch(lines[0]):
        return None
    for i in range(1, len(lines)):
        if _FM_OPEN.fullmatch(lines[i]):
            return 1, i
    return None  # no closing fence: a thematic break, not frontmatter


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


def load_frontmatter(lines: list[str], first: int, end: int) -> Frontmatter:
    """Parse frontmatter lines[first:end]; line numbers reported are 1-based."""
    fm_text = "\n".join(lines[first:end])
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
    if not isinstance(data, dict):
        content_line = next(
            (i + 1 for i in range(first, end) if lines[i].strip()), first + 1
        )
        raise ParseError(content_line, "invalid frontmatter: not a mapping of key: value")

    def key_line(key: str) -> int:
        pattern = re.compile(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*:""")
        for i in range(first, end):
            if pattern.match(lines[i]):
                return i + 1
        return 1

    def bad(key: str, why: str) -> ParseError:
        return ParseError(key_line(key), f"invalid frontmatter: '{key}' {why}")

    result = Frontmatter()

    deck = data.get("deck")
    if deck is not None:
        if isinstance(deck, (dict, list, set, tuple)):
            raise bad("deck", "must be a string")
        name = " ".join(clean(str(deck)).split())
        result.deck = name or None

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
            raise bad("kind", f"must be '{KIND_CARDS}' or '{KIND_QUESTIONS}', not {_one_line(repr(kind))}")
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
            raise bad("time_limit", f"must be a positive whole number of seconds, not {limit!r}")
        result.time_limit = seconds

    fmt = data.get("format")
    if fmt is not None:
        if not isinstance(fmt, str) or fmt.strip().lower() not in ("headings", "explicit"):
            raise bad("format", f"must be 'headings' or 'explicit', not {_one_line(repr(fmt))}")
        result.format = fmt.strip().lower()

    prompt = data.get("prompt")
    if prompt is not None:
        if isinstance(prompt, (dict, list, set, tuple)):
            raise bad("prompt", "must be a string like 'Walk me through {heading}'")
        template = " ".join(clean(str(prompt)).split())
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        except ValueError as exc:
            raise bad("prompt", f"is not a valid template ({_one_line(str(exc))})") from None
        unknown = [f for f in fields if f not in PROMPT_FIELDS]
        if unknown:
            allowed = ", ".join("{" + f + "}" for f in PROMPT_FIELDS)
            raise bad("prompt", f"uses {{{_one_line(unknown[0])}}}; it may use {allowed}")
        result.prompt = template or None

    return result
