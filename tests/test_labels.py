"""User text never reaches a Textual widget as markup: the mechanism, checked on the source.

Every label in drill/ui that carries user text is built by drill.ui.labels (Content with
the user text as plain text); no module formats a string into a markup widget
(``Static``, ``Label``, ``Button``, ``update``, ``label =``) or calls ``notify`` itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

from textual.content import Content

from drill.ui.labels import NAME_WIDTH, markup, name, plain

UI = Path(__file__).resolve().parents[1] / "drill" / "ui"
MARKUP_CALLS = {"Static", "Label", "Button", "Checkbox", "update", "markup"}


def _formatted(node: ast.AST) -> bool:
    """An f-string, a concatenation or a .format()/% of strings: text built at run time."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return any(isinstance(side, (ast.Constant, ast.JoinedStr, ast.BinOp)) for side in (node.left, node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return True
    return False


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if isinstance(func, ast.Attribute) and called == "notify":
                found.append(f"{path.name}:{node.lineno}: calls .notify() itself (use drill.ui.labels.notify)")
            if called in MARKUP_CALLS and node.args and _formatted(node.args[0]):
                found.append(f"{path.name}:{node.lineno}: formats text into {called}() (use drill.ui.labels)")
        if isinstance(node, ast.Assign) and _formatted(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "label":
                    found.append(f"{path.name}:{node.lineno}: formats text into .label (use drill.ui.labels)")
    return found


def test_no_ui_module_formats_user_text_into_markup():
    problems = [p for path in sorted(UI.rglob("*.py")) if path.name != "labels.py" for p in _problems(path)]
    assert problems == []


def test_the_guard_catches_what_it_is_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(self, deck):\n"
        "    self.query_one(Static).update(f'[b]{deck}[/b]')\n"
        "    self.notify('Re-imported ' + deck)\n"
        "    Static('[b]' + deck)\n"
        "    self.button.label = f'{deck}'\n",
        encoding="utf-8",
    )
    assert len(_problems(bad)) == 4


def test_markup_fills_variables_as_plain_text():
    hostile = '[link="https://evil.example"]x # Unix paths [/etc/hosts] Notes [draft]'
    content = markup("[b]$deck[/b] · $n left", deck=hostile, n=3)
    assert content.plain == hostile[: NAME_WIDTH - 1] + "… · 3 left"
    assert "link" not in repr(content.spans)
    assert markup("[b]$deck[/b]", deck="Notes [draft]").plain == "Notes [draft]"


def test_plain_and_name_escape_controls_and_cut():
    assert isinstance(plain("x"), Content)
    assert plain("a\x1b]0;TITLE\x07b\u202ec").plain == "a\\x1b]0;TITLE\\x07b\\u202ec"
    assert name("x" * 1000).plain == "x" * (NAME_WIDTH - 1) + "…"
    assert plain("[b]bold?[/b]").plain == "[b]bold?[/b]"
