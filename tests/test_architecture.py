"""The package layout is the architecture; import-linter keeps it (see pyproject.toml).

Layers, top to bottom: cli > commands > ui > interview | stats | library | devices > study > store > parse.
Textual and Rich only inside drill.ui; the mock screens never import one another.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"


def lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", LINT], cwd=tree, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_layers_are_kept():
    proc = lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("drill/store/collection.py", "from drill.study import schedule as _s", "Layers"),
        ("drill/parse/cards.py", "import textual as _t", "Textual and Rich"),
        ("drill/stats/compute.py", "from drill.library import groups as _g", "Layers"),
        ("drill/devices/replay.py", "from drill.stats import compute as _c", "Layers"),
        ("drill/store/history.py", "from drill.devices import replay as _r", "Layers"),
        ("drill/cli.py", "from drill.ui import app as _a", "The UI is started only by drill.commands"),
        ("drill/ui/screens/mock_report.py", "from drill.ui.screens import mock_question as _q", "No import cycles"),
    ],
)
def test_a_wrong_import_breaks_a_contract(tmp_path, module, line, broken):
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "drill", tree / "drill", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    if "mock_report" in module:  # close the cycle: question -> report, report -> question
        target = tree / "drill/ui/screens/mock_question.py"
        target.write_text("from drill.ui.screens import mock_report as _r\n" + target.read_text())
    path = tree / module
    path.write_text(line + "\n" + path.read_text())
    proc = lint(tree)
    assert proc.returncode != 0, proc.stdout
    broken_lines = [ln for ln in proc.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    assert any(broken in ln for ln in broken_lines), proc.stdout


@pytest.mark.parametrize("package", ["parse", "store", "study", "library", "interview", "stats", "devices", "commands"])
def test_core_packages_load_without_textual(package):
    code = (
        "import importlib, pkgutil, sys; import drill.{p} as pkg; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(pkg.__path__, 'drill.{p}.')]; "
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]; assert not bad, bad"
    ).format(p=package)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
