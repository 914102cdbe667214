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
# The one deliberate exception: revision 0011's *data* backfill renders old packets' Chinese summary
# with the live renderer (display text, not schema: a later renderer writing different words changes
# no meaning); its DDL is its own. A new exception needs a reason like this one.
LIVE_FOR_DATA = {("0011_ticket_summaries.py", "bot.handover.packet")}


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
                   if name.split(".")[0] not in ALLOWED and not name.startswith("bot.storage.migrations.")
                   and (path.name, name) not in LIVE_FOR_DATA}
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


def test_revision_0003_fills_the_new_columns_of_older_tickets_from_their_packets(tmp_path):
    import json

    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0002_one_open_ticket")
    packet = {"summary": "Parcel LATE", "reason": {"code": "x", "detail": "anger 0.9"},
              "intake": {"order_number": "qx 123 456", "email": " Ann@Example.COM ", "phone": "＋４４ ７７００ ９００１１１",
                         "topic": "orders"}, "transcript": [{"text": "我的包裹"}, "not a message"]}
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO tickets (id, conversation_id, channel, language, state, priority, reason_code, skills, "
            "summary, packet, created_at, claimed_at, closed_at, sla_due_at) VALUES ('TOLD', 'c1', 'rest', 'en', "
            "'closed', 3, 'customer_request', '[]', 's', :packet, '2026-11-01 10:00:00', '2026-11-01 10:02:00', "
            "'2026-11-01 10:12:30', '2026-11-01 11:00:00')"), {"packet": json.dumps(packet)})
        connection.execute(text("INSERT INTO csat_ratings (ticket_id, rating, at) VALUES ('TOLD', 4, '2026-11-01')"))
    upgrade(url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT order_number, contact_email, contact_phone, search_text, wait_s, "
                                      "handle_s, csat FROM tickets WHERE id = 'TOLD'")).one()
        found = connection.execute(text("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH '我的包裹'")).all()
    engine.dispose()
    assert tuple(row) == ("QX-123456", "ann@example.com", "447700900111", "parcel late anger 0.9 orders 我的包裹",
                          120, 630, 4)
    assert len(found) == 1
