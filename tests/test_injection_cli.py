"""The command line never prints a raw control, bidi or invisible character from a name.

The hostile import runs through the real entry point (bytes to a pipe); the later
commands on the same store call drill.cli:main in-process (tests/cli_main.py). Names are shown escaped (``\\x1b``, ``\\n``,
``\\u202e``), not stripped, so a path shown is the path that is there; ``--json``
escapes them as ``\\uXXXX`` so ``json.loads`` gives back the exact path.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from cli_main import run_main
from test_cli import run

RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _no_raw(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text))


def test_hostile_file_names_are_escaped_in_reports_and_kept_exact_in_json(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    notes = tmp_path / "notes"
    notes.mkdir()
    names = ["retitle\x1b]0;TITLE\x07.md", "clear\x1b[2J.md", "c1\x9b31m.md", "bidi\u202eevil.md", "zw\u200bsp\ufeff.md"]
    for name in names:
        (notes / name).write_text("# Deck\n\n## Q\n\nA\n", encoding="utf-8")
    (notes / "broken\nline\x1b[2J.md").write_text("---\ndeck: [unclosed\n---\n## Q\n\nA\n", encoding="utf-8")

    proc = run("import", str(notes), db=db, check_rc=1)
    _no_raw(proc.stdout)
    _no_raw(proc.stderr)
    assert "retitle\\x1b]0;TITLE\\x07.md" in proc.stdout
    assert "bidi\\u202eevil.md" in proc.stdout
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 1, errors  # the newline in the name does not split the line
    assert "broken\\nline\\x1b[2J.md:3: invalid frontmatter" in errors[0]

    proc = run_main("sync", "--json", db=db, check_rc=1)
    _no_raw(proc.stdout)
    json.loads(proc.stdout)
    proc = run_main("import", str(notes), "--json", db=db, check_rc=1)
    _no_raw(proc.stdout)
    paths = {Path(f["path"]).name for f in json.loads(proc.stdout)["files"]}
    assert set(names) | {"broken\nline\x1b[2J.md"} == paths  # exact names, recoverable

    for args in (("decks",), ("decks", "--json"), ("sources",), ("sources", "--json"), ("stats",), ("export",)):
        proc = run_main(*args, db=db)
        _no_raw(proc.stdout)


def test_sources_remove_wrong_prints_registered_folders_escaped(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    folder = tmp_path / "notes\x1b]0;TITLE\x07\u202e"
    folder.mkdir()
    (folder / "a.md").write_text("## Q\n\nA\n", encoding="utf-8")
    run_main("import", str(folder), db=db)
    proc = run_main("sources", "--remove", str(tmp_path / "wrong\x1b[2J"), db=db, check_rc=2)
    _no_raw(proc.stderr)
    assert "wrong\\x1b[2J" in proc.stderr
    assert "notes\\x1b]0;TITLE\\x07\\u202e" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_deck_names_with_controls_are_escaped_and_cut_in_tables(tmp_path: Path):
    db = tmp_path / "store" / "drill.json"
    notes = tmp_path / "n.md"
    notes.write_text("---\ndeck: \"Deck \\u202eevil " + "z" * 500 + "\"\n---\n## Q\n\nA\n", encoding="utf-8")
    run_main("import", str(notes), db=db)
    proc = run_main("decks", db=db)
    _no_raw(proc.stdout)
    assert "Deck \\u202eevil" in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) < 100


def test_csv_export_neutralises_formulas_in_text_cells(tmp_path: Path):
    from drill.stats.export import to_csv

    class Card:
        id, deck, question, archived = 1, "=HYPERLINK(\"http://evil\")", "+1 or @SUM(A1)", False

    record = {
        "t": "review", "id": "r1", "card": 1, "deck": "=HYPERLINK(\"http://evil\")", "ts": "2024-03-05T12:00:00+00:00",
        "rating": 3, "ms": 1000, "kind": "new", "elapsed_days": None, "interval_days": 1.0, "over": False,
        "state": {"state": 2, "due": "2024-03-06T12:00:00+00:00", "stability": -1.5, "difficulty": 5.0, "reps": 1, "lapses": 0},
    }
    rows = list(csv.DictReader(io.StringIO(to_csv([record], [Card()]))))
    assert rows[0]["deck"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["question"] == "'+1 or @SUM(A1)"
    assert rows[0]["stability"] == "-1.5"  # numbers are numbers, not text to neutralise
