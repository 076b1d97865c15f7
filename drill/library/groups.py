"""Deck groups: the folders decks come from, as a tree with rolled-up counts.

A deck's group is its file's folder below the registered source, joined with
`` › `` (``interview › behavioural``).  ``drill review GROUP`` and the home
screen's tree both use this module.  Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from drill.parse.cards import PATH_SEPARATOR

__all__ = ["GroupNode", "split_group", "in_group", "decks_in_group", "group_names", "build_tree"]

_SPLIT = re.compile(r"\s*(?:›|/|>)\s*")


def split_group(text: str) -> tuple[str, ...]:
    """``"interview › behavioural"`` (or ``interview/behavioural``) as its parts."""
    return tuple(part for part in _SPLIT.split(text.strip()) if part)


def in_group(deck_group: str, group: str) -> bool:
    """Whether a deck in *deck_group* is under *group* (case-insensitive, parts-wise)."""
    want = [p.casefold() for p in split_group(group)]
    have = [p.casefold() for p in split_group(deck_group)]
    return bool(want) and have[: len(want)] == want


def decks_in_group(decks: Iterable, group: str) -> list[str]:
    """Names of the decks (DeckRecords) under *group*, in the order given."""
    return [d.name for d in decks if in_group(d.group, group)]


def group_names(decks: Iterable) -> list[str]:
    """Every group and parent group that has decks, sorted."""
    names: set[str] = set()
    for d in decks:
        parts = split_group(d.group)
        for i in range(1, len(parts) + 1):
            names.add(PATH_SEPARATOR.join(parts[:i]))
    return sorted(names, key=str.casefold)


@dataclass
class GroupNode:
    """A group with its sub-groups and decks; counts include everything below it."""

    name: str
    path: tuple[str, ...] = ()
    groups: list["GroupNode"] = field(default_factory=list)
    decks: list = field(default_factory=list)
    """DeckCounts (name, new, due, total) of the decks directly in this group."""
    new: int = 0
    due: int = 0
    total: int = 0

    @property
    def key(self) -> str:
        return PATH_SEPARATOR.join(self.path)

    def deck_names(self) -> list[str]:
        """Every deck at or below this group."""
        out = [d.name for d in self.decks]
        for child in self.groups:
            out.extend(child.deck_names())
        return out


def build_tree(counts: Iterable, group_of: dict[str, str], *, new_cap: int | None = None, due_cap: int | None = None) -> GroupNode:
    """The root of the group tree for *counts* (DeckCounts), given each deck's group.

    A group's new and due are the sums below it, capped at what today's limits
    still allow (*new_cap*, *due_cap*), so a group never promises more than a
    review of it would show.
    """
    root = GroupNode("")
    index: dict[tuple[str, ...], GroupNode] = {(): root}
    for c in counts:
        parts = split_group(group_of.get(c.name, ""))
        node = root
        for i in range(1, len(parts) + 1):
            key = tuple(p.casefold() for p in parts[:i])
            child = index.get(key)
            if child is None:
                child = GroupNode(parts[i - 1], parts[:i])
                index[key] = child
                node.groups.append(child)
            node = child
        node.decks.append(c)
    _roll_up(root, new_cap, due_cap)
    return root


def _roll_up(node: GroupNode, new_cap: int | None, due_cap: int | None) -> None:
    node.groups.sort(key=lambda g: g.name.casefold())
    node.decks.sort(key=lambda d: d.name.casefold())
    new = sum(d.new for d in node.decks)
    due = sum(d.due for d in node.decks)
    total = sum(d.total for d in node.decks)
    for child in node.groups:
        _roll_up(child, new_cap, due_cap)
        new += child.new
        due += child.due
        total += child.total
    node.new = new if new_cap is None else min(new, new_cap)
    node.due = due if due_cap is None else min(due, due_cap)
    node.total = total
