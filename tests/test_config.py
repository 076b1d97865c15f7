"""Settings: validation in the domain, `drill config` (its listing through the real entry point, the rest
in-process: tests/cli_main.py)."""

from __future__ import annotations

import json

import pytest
from cli_main import run_main
from test_cli import run

from drill.store.settings import Settings


def test_with_value_parses_text_and_checks_ranges():
    assert Settings().with_value("new_per_day", "35").new_per_day == 35
    assert Settings().with_value("desired_retention", "0.85").desired_retention == 0.85
    for key, value, reason in [
        ("day_starts_at", "24", "between 0 and 23"),
        ("new_per_day", "-1", "between 0"),
        ("new_per_day", "ten", "whole number"),
        ("new_per_day", 2.5, "whole number"),
        ("desired_retention", "1.5", "between 0.7 and 0.99"),
        ("leech_threshold", True, "number"),
        ("colour", "red", "unknown setting"),
    ]:
        with pytest.raises(ValueError, match=reason):
            Settings().with_value(key, value)


def test_from_dict_keeps_defaults_for_bad_or_unknown_values():
    settings = Settings.from_dict({"new_per_day": "lots", "day_starts_at": 6, "theme": "dark", "reviews_per_day": -5})
    assert settings == Settings(day_starts_at=6)


def test_cli_config_lists_sets_and_rejects(tmp_path):
    db = tmp_path / "drill.json"
    listing = run("config", db=db).stdout
    assert "new_per_day" in listing and "day_starts_at" in listing
    assert not db.exists()  # listing writes nothing
    run_main("config", "new_per_day", "2", db=db)
    assert json.loads(run_main("config", "--json", db=db).stdout)["new_per_day"] == 2
    bad = run_main("config", "day_starts_at", "25", db=db, check_rc=2)
    assert bad.stderr.strip() == "drill: day_starts_at must be between 0 and 23, not 25"
    assert "unknown setting" in run_main("config", "nope", db=db, check_rc=2).stderr


def test_new_per_day_setting_limits_new_cards(tmp_path):
    db = tmp_path / "drill.json"
    notes = tmp_path / "n.md"
    notes.write_text("".join(f"## Q{i}\n\nA{i}\n\n" for i in range(6)), encoding="utf-8")
    run_main("import", str(notes), db=db)
    assert json.loads(run_main("decks", "--json", db=db).stdout)["decks"][0]["new"] == 6
    run_main("config", "new_per_day", "3", db=db)
    assert json.loads(run_main("decks", "--json", db=db).stdout)["decks"][0]["new"] == 3
