"""Snapshot tests for interview plans: home's plan line, the plan screen and its form,
at 80x24 and 120x40 (see tests/test_snapshots.py for how to review and accept)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import FakeClock, type_text

from drill.library.importer import import_paths
from drill.store.collection import Store
from drill.store.paths import bundled_decks_dir
from drill.study.plans import Plan, save_plan
from drill.study.schedule import iso, study_day
from drill.ui.app import make_app

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

pytestmark = pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))


@pytest.fixture
def planned(tmp_path: Path):
    random.seed(2026)
    store = Store(tmp_path / "drill.json")
    import_paths(store, [bundled_decks_dir()], register=False)
    today = study_day(NOW)
    save_plan(store, Plan("Acme onsite", today + timedelta(days=9), ("Behavioural Stories",), 0.9, iso(NOW)), today)
    save_plan(store, Plan("Globex screen", today + timedelta(days=2), (), 0.85, iso(NOW)), today)
    store.save_settings(store.settings.with_value("new_per_day", 10))
    yield store
    store.close(compact=False)


async def still(pilot) -> None:
    await pilot.pause()
    pilot.app.clear_notifications()
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


def test_plans(snap_flow, planned, size):
    """Home's plan line, the plan screen (p) and its form (n) with a name typed."""

    async def flow(pilot, shot) -> None:
        await still(pilot)
        await shot("home-with-plans")
        await pilot.press("p")
        await still(pilot)
        await shot("plan-screen")
        await pilot.press("n")
        await type_text(pilot, *"Initech")
        await still(pilot)
        await shot("plan-form")

    snap_flow(make_app(planned, clock=FakeClock(NOW)), SIZES[size], flow)
