"""Deck groups: the group tree, drill review GROUP, and the home screen's foldable rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeClock
from textual.widgets import DataTable

from drill.commands.common import UsageError, resolve_decks
from drill.library.groups import (
    build_tree,
    decks_in_group,
    group_names,
    in_group,
    split_group,
)
from drill.parse.cards import ParsedCard, ParsedDeck
from drill.store.collection import DeckRecord, Store
from drill.study.session import DeckCounts
from drill.ui.app import make_app
from drill.ui.screens.home import HomeScreen
from drill.ui.screens.review import ReviewScreen


def test_split_and_match_groups():
    assert split_group("interview › behavioural") == ("interview", "behavioural")
    assert split_group(" interview/behavioural/ ") == ("interview", "behavioural")
    assert in_group("interview › behavioural", "Interview")
    assert in_group("interview › behavioural", "interview/BEHAVIOURAL")
    assert not in_group("interview › behavioural", "inter")
    assert not in_group("interviews", "interview")
    assert not in_group("", "")


def test_decks_in_group_and_group_names():
    decks = [DeckRecord("A", group="work › infra"), DeckRecord("B", group="work"), DeckRecord("C")]
    assert decks_in_group(decks, "work") == ["A", "B"]
    assert decks_in_group(decks, "work/infra") == ["A"]
    assert group_names(decks) == ["work", "work › infra"]


def test_tree_rolls_counts_up_and_caps_them_at_todays_limits():
    counts = [DeckCounts("lead", 5, 2, 9), DeckCounts("conflict", 4, 1, 6), DeckCounts("design", 3, 0, 3), DeckCounts("top", 1, 1, 1)]
    groups = {"lead": "interview › behavioural", "conflict": "interview › behavioural", "design": "interview"}
    root = build_tree(counts, groups, new_cap=10, due_cap=100)
    (interview,) = root.groups
    assert [d.name for d in root.decks] == ["top"]
    assert (interview.name, interview.new, interview.due, interview.total) == ("interview", 10, 3, 18)
    (behavioural,) = interview.groups
    assert (behavioural.key, behavioural.new, behavioural.due, behavioural.total) == ("interview › behavioural", 9, 3, 15)
    assert [d.name for d in behavioural.decks] == ["conflict", "lead"]
    assert interview.deck_names() == ["design", "conflict", "lead"]


# --------------------------------------------------------------------------- stores with groups

def _deck(name: str, n: int, group: str = "") -> ParsedDeck:
    cards = [ParsedCard(path=(f"{name} q{i}",), answer=f"{name} a{i}", line=i + 1) for i in range(n)]
    return ParsedDeck(name=name, cards=cards, group=group)


@pytest.fixture
def grouped(tmp_path: Path) -> Store:
    store = Store(tmp_path / "drill.json")
    with store.writing():
        store.apply_import(_deck("Leadership", 2, "interview › behavioural"), "/n/interview/behavioural/leadership.md")
        store.apply_import(_deck("Conflict", 1, "interview › behavioural"), "/n/interview/behavioural/conflict.md")
        store.apply_import(_deck("Design", 3, "interview"), "/n/interview/design.md")
        store.apply_import(_deck("Loose", 1), "/n/loose.md")
    return store


def test_resolve_decks_accepts_a_group(grouped):
    assert resolve_decks(grouped, ["interview"]) == ["Conflict", "Design", "Leadership"]
    assert resolve_decks(grouped, ["Interview/Behavioural", "loose"]) == ["Conflict", "Leadership", "Loose"]
    assert resolve_decks(grouped, ["design", "interview"]) == ["Design", "Conflict", "Leadership"]
    with pytest.raises(UsageError, match="groups: interview, interview › behavioural"):
        resolve_decks(grouped, ["nowhere"])


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_home_shows_groups_as_a_tree_with_rolled_up_counts_and_space_left_right_fold_them(grouped):
    app = make_app(grouped, clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert _rows(table) == [
            ["▾ interview", "6", "0", "6"],
            ["  ▾ behavioural", "3", "0", "3"],
            ["    Conflict", "1", "0", "1"],
            ["    Leadership", "2", "0", "2"],
            ["  Design", "3", "0", "3"],
            ["Loose", "1", "0", "1"],
        ]
        assert app.screen.selected_deck() is None  # a group row
        assert app.screen.selected_decks() == ["Design", "Conflict", "Leadership"]
        # space, left and right fold and unfold groups
        await pilot.press("down", "space")  # fold behavioural
        await pilot.pause()
        assert [r[0] for r in _rows(table)] == ["▾ interview", "  ▸ behavioural", "  Design", "Loose"]
        assert table.cursor_row == 1
        await pilot.press("right")  # unfold it again
        await pilot.pause()
        assert len(_rows(table)) == 6
        await pilot.press("down", "left")  # from a deck, left goes to its group
        await pilot.pause()
        assert table.cursor_row == 1
        await pilot.press("left")  # and left on an open group folds it
        await pilot.pause()
        assert _rows(table)[1][0] == "  ▸ behavioural"
        await pilot.press("up", "left")
        await pilot.pause()
        assert [r[0] for r in _rows(table)] == ["▸ interview", "Loose"]
        await pilot.press("r")  # folding survives a refresh
        await pilot.pause()
        assert [r[0] for r in _rows(table)] == ["▸ interview", "Loose"]


async def test_enter_on_a_group_reviews_everything_under_it(grouped):
    app = make_app(grouped, clock=FakeClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert sorted(app.screen.session.decks) == ["Conflict", "Leadership"]
        assert app.screen.session.remaining() == 3
        await pilot.press("q", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("down", "down", "enter")  # the cursor stayed on behavioural; a deck row: just that deck
        await pilot.pause()
        assert app.screen.session.decks == ["Leadership"]


async def test_review_command_option_takes_a_group(grouped):
    app = make_app(grouped, clock=FakeClock(), review={"decks": resolve_decks(grouped, ["interview"])})
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.screen.session.remaining() == 6


def test_decks_json_names_each_decks_group(grouped, tmp_path):
    import json
    import os
    import subprocess

    from test_cli import drill_command

    grouped.close()
    env = {**os.environ, "DRILL_DB": str(tmp_path / "drill.json")}
    proc = subprocess.run([*drill_command(), "decks", "--json"], capture_output=True, text=True, env=env, timeout=60)
    groups = {d["name"]: d["group"] for d in json.loads(proc.stdout)["decks"]}
    assert groups == {"Conflict": "interview › behavioural", "Design": "interview", "Leadership": "interview › behavioural", "Loose": ""}
    proc = subprocess.run([*drill_command(), "review", "nowhere"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "drill: no deck named 'nowhere' (decks: Conflict, Design, Leadership, Loose; groups: interview, interview › behavioural)"
    )
