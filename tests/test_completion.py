"""`drill completion bash|zsh|fish` (bash through the real entry point, the rest in-process:
tests/cli_main.py): the script parses in its
shell, names every command, and (bash, where it can be driven) completes them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cli_main import run_main
from test_cli import run

from drill.commands import load_commands

COMMANDS = [module.NAME for module in load_commands()]


@pytest.mark.parametrize(
    ("shell", "check"),
    [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])],
)
def test_the_script_parses_in_its_shell_and_names_every_command(tmp_path, shell, check):
    db = tmp_path / "drill.json"
    runner = run if shell == "bash" else run_main  # bash through the console script, zsh and fish in-process
    script = runner("completion", shell, db=db).stdout
    assert not db.exists()  # no store is opened (nor made) to print a script
    for name in COMMANDS:
        assert name in script, name
    assert all(option in script for option in ("time", "json", "keys", "history"))
    if shutil.which(check[0]) is None:
        pytest.skip(f"{check[0]} is not installed")
    path = tmp_path / f"drill.{shell}"
    path.write_text(script, encoding="utf-8")
    proc = subprocess.run([*check, str(path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


def bash_completer(tmp_path):
    """Drive drill's bash completion script as bash does on <TAB>: words in, candidates out."""
    script = tmp_path / "drill.bash"
    script.write_text(run_main("completion", "bash", db=tmp_path / "drill.json").stdout, encoding="utf-8")

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        driver = (
            f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
            f"COMP_CWORD={len(words) - 1}; COMP_LINE={line!r}; COMP_POINT={len(line)}; "
            "_shtab_drill; printf '%s\\n' \"${COMPREPLY[@]}\""
        )
        proc = subprocess.run(["bash", "-c", driver], capture_output=True, text=True, timeout=30, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    return complete


def test_bash_completes_commands_options_choices_and_files(tmp_path):
    complete = bash_completer(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "prep.md").write_text("# Q\n\nA\n", encoding="utf-8")
    assert complete("drill", "re") == ["review"]
    assert complete("drill", "co") == ["config", "completion"]
    assert complete("drill", "completion", "") == ["bash", "zsh", "fish"]
    assert "--keys" in complete("drill", "config", "--")
    assert complete("drill", "import", "notes/p") == ["notes/prep.md"]
    assert "--help" in run_main("completion", "--help", db=tmp_path / "drill.json").stdout
    assert "drill completion bash >" in run_main("completion", "--help", db=tmp_path / "drill.json").stdout


def test_bash_completes_drill_config_setting_names(tmp_path):
    # `drill config <TAB>` completed nothing.
    complete = bash_completer(tmp_path)
    names = complete("drill", "config", "")
    assert {"new_per_day", "theme", "default_time_limit", "history_dir", "keymap.review.reveal"} <= set(names), names
    assert complete("drill", "config", "new_") == ["new_per_day"]
    assert "keymap.review.bury" in complete("drill", "config", "keymap.review.b")
    for shell in ("zsh", "fish"):
        assert "new_per_day" in run_main("completion", shell, db=tmp_path / "drill.json").stdout, shell
    # the names are for completion only: any key still reaches drill's own check
    proc = run_main("config", "no_such", db=tmp_path / "drill.json", check_rc=2)
    assert "unknown setting 'no_such'" in proc.stderr
