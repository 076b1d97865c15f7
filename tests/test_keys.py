"""Stable card keys (drill.store.keys): the same notes give the same keys in two stores."""

from __future__ import annotations

import shutil
from pathlib import Path

from drill.library.importer import import_paths
from drill.store.collection import Store

FIXTURES = Path(__file__).parent / "fixtures"


def _keys(tmp_path, name: str, notes: Path) -> dict:
    store = Store(tmp_path / name / "drill.json")
    import_paths(store, [notes], register=False)
    store.close()
    store = Store(store.path)
    return {(c.deck, c.question): c.key for c in store.cards()}


def test_the_same_notes_give_the_same_keys_in_two_stores(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "explicit", notes)
    first = _keys(tmp_path, "a", notes)
    # The other store saw another file first, so its card ids differ.
    other = tmp_path / "other.md"
    other.write_text("# Other\n\n## One\n\nA\n", encoding="utf-8")
    store = Store(tmp_path / "b" / "drill.json")
    import_paths(store, [other], register=False)
    store.close()
    second = _keys(tmp_path, "b", notes)
    assert first and all(first[k] == second[k] for k in first)
    assert len(set(first.values())) == len(first)  # one key per card, cloze siblings included
    assert all(isinstance(k, str) and len(k) == 20 for k in first.values())


def test_keys_follow_deck_and_heading_path(tmp_path):
    a = tmp_path / "a.md"
    a.write_text("---\ndeck: Alpha\n---\n# Alpha\n\n## Why\n\nBecause.\n", encoding="utf-8")
    b = tmp_path / "b.md"
    b.write_text("---\ndeck: Beta\n---\n# Beta\n\n## Why\n\nBecause.\n", encoding="utf-8")
    store = Store(tmp_path / "drill.json")
    import_paths(store, [a, b], register=False)
    alpha, beta = (store.cards([name])[0] for name in ("Alpha", "Beta"))
    assert alpha.path == beta.path and alpha.key != beta.key
