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
    "decks": ["drill decks", "drill decks --remove \"Old notes\" --archive", "drill decks --remove Scratch --yes"],
    "sync": ["drill sync --dry-run            what changed in the registered folders"],
    "devices": [
        "drill devices setup ~/notes/.drill --name laptop    history in the notes repo",
        "drill devices                      who wrote there, how far each file is read",
        "drill devices status               what is not merged yet",
    ],
    "sources": ["drill sources", "drill sources --remove ~/old-notes --archive"],
    "stats": ["drill stats", "drill stats --tui                  the stats screen"],
    "export": ["drill export --format csv --out reviews.csv", "drill export --format json | jq '.cards | length'"],
    "mock": ["drill mock -n 3 --time 120 'Behavioural Stories'", "drill mock --history"],
    "plan": ["drill plan set 2026-12-15 'Behavioural Stories' --name 'Acme onsite'", "drill plan", "drill plan clear 'Acme onsite'"],
    "optimize": ["drill optimize --dry-run          fit and compare, change nothing"],
    "stories": ["drill stories", "drill stories --json"],
    "doctor": ["drill doctor --dry-run"],
    "config": [
        "drill config                       every setting with its value",
        "drill config new_per_day 15",
        "drill config keymap.review.reveal r,space    reveal with r or space",
        "drill config history_dir ~/notes/.drill    = drill devices setup",
    ],
    "completion": ["drill completion bash > ~/.local/share/bash-completion/completions/drill"],
}

#: The settings each command's work depends on (``drill config NAME VALUE`` changes them).
SETTINGS_USED: dict[str, list[str]] = {
    "review": ["new_per_day", "reviews_per_day", "day_starts_at", "learn_ahead_minutes", "default_time_limit",
               "on_time_out", "leech_threshold", "desired_retention", "story_hint", "theme", "keymap.review.*"],
    "import": ["max_answer_chars", "max_file_mb"],
    "sync": ["max_answer_chars", "max_file_mb"],
    "decks": ["new_per_day", "reviews_per_day", "day_starts_at"],
    "stats": ["day_starts_at", "desired_retention", "leech_threshold", "default_time_limit"],
    "mock": ["story_hint", "theme", "keymap.mock-question.*", "keymap.mock-review.*"],
    "plan": ["desired_retention", "day_starts_at", "new_per_day", "reviews_per_day"],
    "optimize": ["desired_retention", "day_starts_at"],
    "stories": ["story_hint"],
}


def epilog(name: str, settings: list[str] | None = None, key_ids: list[str] | None = None) -> str | None:
    """The text after a command's options: its examples and the settings it uses (for
    config: every setting name, and the key ids its keymap takes)."""
    lines = [f"  {line}" for line in EXAMPLES.get(name, [])]
    out = "examples:\n" + "\n".join(lines) if lines else ""

    def section(title: str, names: list[str]) -> None:
        nonlocal out
        text = textwrap.fill(", ".join(names), width=76, initial_indent="  ", subsequent_indent="  ",
                             break_on_hyphens=False)
        out += ("\n\n" if out else "") + title + "\n" + text

    if settings:
        section("settings (drill config NAME VALUE):", settings)
    elif SETTINGS_USED.get(name):
        section("settings it uses (drill config NAME VALUE):", SETTINGS_USED[name])
    if key_ids:
        section("key ids (drill config keymap.ID KEYS, or [keymap] in config.toml):", key_ids)
    return out or None
