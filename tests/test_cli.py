"""The command line: each command kind through the real entry point (a ``drill``
subprocess), and what a subprocess alone shows (``--version``'s exit, ``--db`` over the
environment, no Textual import, a lock held by another process); repeated runs of the
same commands call drill.cli:main in-process (tests/cli_main.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from cli_main import run_main

from drill.store.collection import Store
from drill.store.filelock import WriteLock

ROOT = Path(__file__).resolve().parents[1]


def drill_command() -> list[str]:
    script = Path(sys.executable).with_name("drill")
    return [str(script)] if script.exists() else [sys.executable, "-m", "drill"]


def run(*args: str, db: Path, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "DRILL_DB": str(db)}
    proc = subprocess.run([*drill_command(), *args], capture_output=True, text=True, env=env, timeout=60)
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "drill.json"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "stories.md").write_text(
        textwrap.dedent(
            """\
            ---
            deck: Stories
            time_limit: 90
            ---
            # Leadership

            ## Took over a failing launch

            - **Situation**: the launch had slipped twice.
            - **Result**: shipped in three weeks.

            ## Mentored a new hire

            Paired daily for a month.
            """
        ),
        encoding="utf-8",
    )
    (folder / "sub" / "design.markdown").write_text("# Design\n\n## Caching\n\nCache aside.\n", encoding="utf-8")
    (folder / "sub" / "ignored.txt").write_text("# Not markdown\n\n## Nope\n\nno\n", encoding="utf-8")
    (folder / ".hidden" / "secret.md").write_text("## Hidden\n\nno\n", encoding="utf-8")
    (folder / ".dotfile.md").write_text("## Hidden\n\nno\n", encoding="utf-8")
    return folder


def test_version(db):
    proc = run("--version", db=db)
    assert proc.stdout.startswith("drill ")


def test_import_folder_json_report(db, notes):
    proc = run("import", str(notes), "--json", db=db)
    files = json.loads(proc.stdout)["files"]
    by_name = {Path(f["path"]).name: f for f in files}
    assert set(by_name) == {"stories.md", "design.markdown"}
    stories = by_name["stories.md"]
    assert (stories["deck"], stories["cards"], stories["added"], stories["error"]) == ("Stories", 2, 2, None)
    for key in ("path", "deck", "cards", "added", "updated", "unchanged", "archived", "error"):
        assert key in stories


def test_reimport_after_edit_keeps_progress(db, notes):
    run_main("import", str(notes), db=db)
    store = Store(db)
    card = next(c for c in store.cards(["Stories"]) if c.path[-1] == "Mentored a new hire")
    store.append({"t": "review", "id": "x1", "card": card.id, "ts": "2026-01-01T10:00:00+00:00", "rating": 3, "state": {"state": 2, "due": "2026-01-05T10:00:00+00:00", "reps": 1, "lapses": 0}})
    store.close()
    path = notes / "stories.md"
    text = path.read_text(encoding="utf-8").replace("Paired daily for a month.", "Paired daily for six weeks.")
    text = text.replace("## Took over a failing launch", "## Rescued a slipping launch")
    path.write_text(text, encoding="utf-8")
    proc = run_main("import", str(path), "--json", db=db)
    report = json.loads(proc.stdout)["files"][0]
    # one edited body (updated), one renamed heading with the same body (updated, history kept)
    assert (report["added"], report["updated"], report["unchanged"], report["archived"]) == (0, 2, 0, 0)
    assert Store(db).card(card.id).state["due"] == "2026-01-05T10:00:00+00:00"
    path.write_text(text.split("## Mentored")[0], encoding="utf-8")
    report = json.loads(run_main("import", str(path), "--json", db=db).stdout)["files"][0]
    assert report["archived"] == 1
    assert Store(db).card(card.id).archived


def test_dry_run_writes_nothing(db, notes):
    proc = run_main("import", str(notes), "--dry-run", db=db)
    assert "would import 2 files" in proc.stdout
    assert not db.exists()


def test_explicit_file_imports_whatever_its_extension(db, notes):
    proc = run_main("import", str(notes / "sub" / "ignored.txt"), "--json", db=db)
    assert json.loads(proc.stdout)["files"][0]["cards"] == 1


BAD_FILES = {
    "bad-yaml.md": (b"---\ndeck: [unclosed\n---\n# T\n\n## Q\n\nA\n", "invalid frontmatter"),
    "binary.md": (b"# T\n\n## Q\n\x00\x01\x02\n", "binary"),
    "latin1.md": ("# T\n\n## Caf\u00e9\n\nna\u00efve\n".encode("latin-1"), "UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_gives_one_line_and_others_still_import(db, tmp_path, name):
    folder = tmp_path / "mixed"
    folder.mkdir()
    content, reason = BAD_FILES[name]
    (folder / name).write_bytes(content)
    (folder / "good.md").write_text("# Good\n\n## Q\n\nA\n", encoding="utf-8")
    runner = run if name == min(BAD_FILES) else run_main  # the first case through the console script
    proc = runner("import", str(folder), db=db, check_rc=1)
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"{folder / name}:")
    assert errors[0].split(":")[1].isdigit()
    assert reason in errors[0]
    assert [d.name for d in Store(db).decks()] == ["Good"]


def test_bad_yaml_error_names_the_file_line(db, tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\ntags: [a, b\ndeck: X\n---\n## Q\n\nA\n", encoding="utf-8")
    proc = run_main("import", str(path), db=db, check_rc=1)
    line = int(proc.stderr.split(":")[1])
    assert 2 <= line <= 4


def test_unreadable_file_and_missing_path(db, tmp_path):
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "fine.md").write_text("## Q\n\nA\n", encoding="utf-8")
    proc = run_main("import", str(folder), str(tmp_path / "missing.md"), db=db, check_rc=1)
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2
    assert any(e.startswith(f"{folder / 'dangling.md'}:1: cannot read") for e in errors)
    assert any(e.startswith(f"{tmp_path / 'missing.md'}:") for e in errors)
    assert [d.name for d in Store(db).decks()] == ["fine"]


def test_decks_json(db, notes):
    run_main("import", str(notes), db=db)
    decks = json.loads(run("decks", "--json", db=db).stdout)["decks"]
    assert [(d["name"], d["cards"], d["new"], d["due"]) for d in decks] == [("Design", 1, 1, 0), ("Stories", 2, 2, 0)]
    assert decks[1]["source"].endswith("stories.md")


def test_decks_text_and_empty(db, notes):
    assert "no decks yet" in run_main("decks", db=db).stdout
    run_main("import", str(notes), db=db)
    out = run_main("decks", db=db).stdout
    assert "Stories" in out and "Design" in out


def test_db_flag_overrides_env(tmp_path, notes):
    flag_db = tmp_path / "flag.json"
    run("--db", str(flag_db), "import", str(notes), db=tmp_path / "env.json")
    assert flag_db.exists() and not (tmp_path / "env.json").exists()


def test_non_ui_commands_do_not_import_textual(db, notes):
    code = (
        "import sys; from drill.cli import main; "
        f"main(['--db', {str(db)!r}, 'import', {str(notes)!r}]); main(['--db', {str(db)!r}, 'decks']); "
        f"main(['--db', {str(db)!r}, 'sync']); main(['--db', {str(db)!r}, 'sources', '--json']); "
        f"main(['--db', {str(db)!r}, 'stats']); main(['--db', {str(db)!r}, 'stats', '--json']); "
        f"main(['--db', {str(db)!r}, 'export']); main(['--db', {str(db)!r}, 'export', '--format', 'csv']); "
        f"main(['--db', {str(db)!r}, 'mock', '--history']); main(['--db', {str(db)!r}, 'mock', '--history', '--json']); "
        f"main(['--db', {str(db)!r}, 'doctor']); main(['--db', {str(db)!r}, 'doctor', '--json']); "
        f"main(['--db', {str(db)!r}, 'config']); main(['--db', {str(db)!r}, 'config', 'new_per_day', '7']); "
        "assert 'textual' not in sys.modules, 'textual imported'; "
        "assert 'rich' not in sys.modules, 'rich imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_corrupt_store_is_a_clear_error_with_backup(db):
    db.parent.mkdir(parents=True)
    db.write_text('{"cards": {"1": ', encoding="utf-8")
    proc = run_main("decks", db=db, check_rc=1)
    assert str(db) in proc.stderr
    assert "copy was kept" in proc.stderr
    backups = list(db.parent.glob("drill.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == '{"cards": {"1": '


def test_readers_work_and_writers_wait_while_another_process_writes(db, notes):
    run_main("import", str(notes), db=db)
    lock = WriteLock(db.with_name("drill.json.lock"))
    with lock.held():
        assert "Stories" in run("decks", db=db).stdout  # readers never wait

        def release_soon():
            time.sleep(0.6)

        holder = threading.Thread(target=release_soon)
        holder.start()
        started = time.monotonic()
        env = {**os.environ, "DRILL_DB": str(db)}
        proc = subprocess.Popen([*drill_command(), "import", str(notes)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        holder.join()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert time.monotonic() - started >= 0.5  # it waited for the lock instead of clobbering
    lock.close()


def test_store_files_are_private(db, notes):
    run_main("import", str(notes), db=db)
    for path in db.parent.rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
