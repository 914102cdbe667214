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
