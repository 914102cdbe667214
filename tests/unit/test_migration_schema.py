"""The migrations carry their own DDL (issue 12): no revision depends on live application code,
and ``alembic upgrade head`` builds the schema it built when the DDL lived in the application
(tests/unit/schema_snapshots/, taken from the revisions as they were; regenerate with
``python -m tests.unit.schema_snapshot URL DIALECT`` after adding a revision)."""
from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

from bench.desk import PG_BIN
from bot.storage.schema import MIGRATIONS, upgrade
from tests.unit.schema_snapshot import read, snapshot

HAS_PG = (PG_BIN / "initdb").exists() and bool(shutil.which("runuser"))
# What a revision (or a frozen module beside the revisions) may import: the migration tools,
# libraries, and the frozen modules of bot/storage/migrations.
ALLOWED = {"alembic", "sqlalchemy", "phonenumbers", "__future__"} | set(sys.stdlib_module_names)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_revisions_and_their_frozen_modules_import_no_application_code():
    files = sorted((MIGRATIONS / "versions").glob("*.py")) + sorted(
        p for p in MIGRATIONS.glob("*.py") if p.name != "env.py")
    assert len(files) >= 12
    for path in files:
        foreign = {name for name in _imports(path)
                   if name.split(".")[0] not in ALLOWED and not name.startswith("bot.storage.migrations.")}
        assert foreign == set(), f"{path.name} imports live code {foreign}: freeze what it needs beside it"


def _compare(found: dict, stored: dict) -> None:
    assert sorted(found) == sorted(stored)
    for kind in stored:
        assert sorted(found[kind]) == sorted(stored[kind]), kind
        for name, definition in stored[kind].items():
            assert found[kind][name] == definition, (kind, name)


def test_upgrade_head_on_sqlite_builds_the_snapshot_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'head.db'}"
    upgrade(url)
    _compare(snapshot(url), read("sqlite"))


@pytest.mark.skipif(not HAS_PG, reason="PostgreSQL 15 is not installed (make postgres-deps)")
def test_upgrade_head_on_postgres_builds_the_snapshot_schema(postgres):
    url = postgres("schema_snapshot")
    upgrade(url)
    _compare(snapshot(url), read("postgresql"))
