"""The schema a database holds, as plain data, to compare what ``alembic upgrade head`` builds
with a snapshot (tests/unit/schema_snapshots/, tests/unit/test_migration_schema.py).

SQLite: every object of ``sqlite_master`` with its SQL (white space folded). PostgreSQL: columns,
constraints, indexes, triggers, trigger functions, extended statistics and extensions of the
``public`` schema, each as PostgreSQL prints its definition.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

SNAPSHOTS = Path(__file__).resolve().parent / "schema_snapshots"

POSTGRES_QUERIES = {
    "columns": "SELECT table_name || '.' || column_name, data_type || coalesce('(' || character_maximum_length "
               "|| ')', '') || ' ' || is_nullable || ' ' || coalesce(column_default, '') "
               "FROM information_schema.columns WHERE table_schema = 'public'",
    "constraints": "SELECT conrelid::regclass || ' ' || conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE connamespace = 'public'::regnamespace",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "triggers": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "functions": "SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
                 "AND prokind = 'f' AND proname NOT IN (SELECT proname FROM pg_proc p JOIN pg_depend d "
                 "ON d.objid = p.oid AND d.deptype = 'e')",
    "statistics": "SELECT stxname, pg_get_statisticsobjdef(oid) FROM pg_statistic_ext",
    "extensions": "SELECT extname, '' FROM pg_extension",
}


def _fold(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def snapshot(url: str) -> dict:
    """``{kind: {name: definition}}`` of the database at ``url`` (alembic's own table left out)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                rows = connection.execute(text("SELECT type, name, sql FROM sqlite_master "
                                               "WHERE name NOT LIKE 'alembic%'")).all()
                found: dict = {}
                for kind, name, sql in rows:
                    found.setdefault(kind, {})[name] = _fold(sql)
                return found
            return {kind: {name: _fold(definition) for name, definition in connection.execute(text(query))
                           if "alembic_version" not in name}
                    for kind, query in POSTGRES_QUERIES.items()}
    finally:
        engine.dispose()


def write(url: str, dialect: str) -> None:
    """Write the snapshot of ``url`` to ``schema_snapshots/{dialect}.json`` (a new revision's schema)."""
    (SNAPSHOTS / f"{dialect}.json").write_text(json.dumps(snapshot(url), indent=1, sort_keys=True,
                                                          ensure_ascii=False) + "\n")


def read(dialect: str) -> dict:
    """The stored snapshot of ``dialect``."""
    return json.loads((SNAPSHOTS / f"{dialect}.json").read_text())


if __name__ == "__main__":  # python -m tests.unit.schema_snapshot URL DIALECT (after `alembic upgrade head`)
    write(sys.argv[1], sys.argv[2])
