"""Examples shown at the end of each command's ``--help`` (one or two each)."""

from __future__ import annotations

import argparse
import textwrap

class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, but text written on several lines (the examples) keeps its lines."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


EXAMPLES: dict[str, list[str]] = {
    "review": [
        "drill review                       every deck's due cards",
        "drill review 'Behavioural Stories' --time 90",
        "drill review interview --cram      a deck group, schedule untouched",
    ],
    "import": [
        "drill import ~/notes               a folder; drill sync re-reads it later",
        "drill import --dry-run --show prep.md    its cards, writing nothing",
    ],
    "decks": ["drill decks", "drill decks --json"],
    "sync": ["drill sync --dry-run            what changed in the registered folders"],
    "sources": ["drill sources", "drill sources --remove ~/old-notes --archive"],
    "stats": ["drill stats", "drill stats --tui                  the stats screen"],
    "export": ["drill export --format csv --out reviews.csv", "drill export --format json | jq '.cards | length'"],
    "mock": ["drill mock -n 3 --time 120 'Behavioural Stories'", "drill mock --history"],
    "plan": ["drill plan set 2026-12-15 'Behavioural Stories' --name 'Acme onsite'", "drill plan", "drill plan clear 'Acme onsite'"],
    "optimize": ["drill optimize --dry-run          fit and compare, change nothing"],
    "stories": ["drill stories", "drill stories --json"],
    "doctor": ["drill doctor --dry-run"],
    "config": ["drill config                       every setting with its value", "drill config new_per_day 15"],
}


def epilog(name: str, settings: list[str] | None = None) -> str | None:
    """The text after a command's options: its examples (and, for config, the setting names)."""
    lines = [f"  {line}" for line in EXAMPLES.get(name, [])]
    out = "examples:\n" + "\n".join(lines) if lines else ""
    if settings:
        names = textwrap.fill(", ".join(settings), width=76, initial_indent="  ", subsequent_indent="  ")
        out += ("\n\n" if out else "") + "settings (drill config NAME VALUE):\n" + names
    return out or None
