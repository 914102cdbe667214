"""The layers hold: import rules (.importlinter), no import cycle, no function over 80 lines."""
import ast
import os
import subprocess
import sys
from pathlib import Path

import grimp

from tests.conftest import PROJECT_ROOT

PACKAGES = ("bot", "connectors", "actions")
# Everything but tests/.
CODE = ("bot", "connectors", "actions", "scripts", "bench")
MAX_FUNCTION_LINES = 80


def test_import_contracts_are_kept():
    """connectors/actions never import sqlalchemy or bot.storage.db; bot never imports connectors/actions."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_import_cycle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                cycles.append(f"{module} -> {' -> '.join(back)}")
    assert cycles == []


def long_functions(folders=CODE, limit=MAX_FUNCTION_LINES) -> list:
    found = []
    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic revisions: one declarative DDL listing per revision
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > limit:
                        found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_over_80_lines():
    assert long_functions() == []


def test_the_length_check_sees_a_long_function(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text("def f():\n" + "    x = 1\n" * 80)
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert long_functions(("pkg",)) == ["pkg/long.py:1 f (81 lines)"]


# Issue 12: public functions of bot/ document their arguments, return shapes, units and errors.
DOCUMENTED = ("bot",)


def undocumented(folders=DOCUMENTED, exempt=frozenset()) -> list:
    """Every public module-level function/class and public method of a public class without a docstring.

    Args:
        folders: project folders walked recursively (Alembic revisions under ``migrations`` are skipped).
        exempt: paths relative to the project root (``bot/x.py``) not checked.

    Returns:
        ``"path:line Qualified.name"`` strings, in file and line order; empty when everything is documented.
    """
    found = []

    def walk(body, prefix, path):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                if ast.get_docstring(node) is None:
                    found.append(f"{path}:{node.lineno} {prefix}{node.name}")
                if isinstance(node, ast.ClassDef):
                    walk(node.body, f"{prefix}{node.name}.", path)

    for folder in folders:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT)
            if "migrations" in path.parts or relative.as_posix() in exempt:
                continue
            walk(ast.parse(path.read_text(encoding="utf-8")).body, "", relative.as_posix())
    return found


def test_public_functions_of_bot_have_docstrings():
    assert undocumented() == []


def test_the_docstring_check_sees_what_is_missing(tmp_path, monkeypatch):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "m.py").write_text(
        'def f():\n    pass\n\n\ndef _private():\n    pass\n\n\n'
        'class C:\n    """Documented."""\n\n    def method(self):\n        return 1\n\n'
        '    async def documented(self):\n        """Yes."""\n\n    def __init__(self):\n        pass\n')
    (tmp_path / "pkg" / "skipped.py").write_text("def g():\n    pass\n")
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    assert undocumented(("pkg",), {"pkg/skipped.py"}) == ["pkg/sub/m.py:1 f", "pkg/sub/m.py:12 C.method"]
