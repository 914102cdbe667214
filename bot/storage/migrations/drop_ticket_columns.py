"""Dropping a column of ``tickets`` without losing what hangs on the table (frozen for revisions 0005, 0011, 0014).

Alembic's ``batch_alter_table`` on SQLite copies the table into a new one and drops the old: every
trigger on ``tickets`` goes with it (the supervisor counters' ``stats_tickets_*``, the desk search's
``tickets_fts_*``) and the rows get new rowids, so the external-content FTS index points at the wrong
rows; upgrading again did not bring them back (a reviewer's finding, issue 11 seventeenth pass). With a
ticket's events in the database the copy does not even run: dropping the old table breaks
``ticket_events``' foreign key. SQLite 3.35 and later drop a column in place (``ALTER TABLE … DROP
COLUMN``: rowids, triggers and the index kept), as PostgreSQL does; an older SQLite is refused with
a clear error rather than left with a half-working database.
"""
from __future__ import annotations

from typing import Any, Sequence

import sqlalchemy as sa

IN_PLACE_SQLITE = (3, 35, 0)


def _sqlite_in_place(conn: Any) -> bool:
    """Whether this SQLite drops a column in place (3.35 or later)."""
    found = conn.execute(sa.text("SELECT sqlite_version()")).scalar()
    return tuple(int(part) for part in found.split(".")[:3]) >= IN_PLACE_SQLITE


def drop_ticket_columns(op: Any, names: Sequence[str]) -> None:
    """Drop ``names`` from ``tickets`` in place, keeping its triggers, rowids and full-text index.

    Args:
        op: Alembic's ``op`` (in a migration's transaction).
        names: the columns to drop; each must exist.

    Raises:
        RuntimeError: SQLite older than 3.35 (no ``DROP COLUMN``): the downgrade is refused, nothing changed.
        sqlalchemy.exc.DBAPIError: the database refused (e.g. a column that does not exist).
    """
    conn = op.get_bind()
    if conn.dialect.name == "sqlite" and not _sqlite_in_place(conn):
        raise RuntimeError(f"dropping tickets.{', '.join(names)} needs SQLite 3.35 or later (ALTER TABLE … DROP "
                           "COLUMN keeps the table's triggers and full-text index); this is SQLite "
                           f"{conn.execute(sa.text('SELECT sqlite_version()')).scalar()}")
    for name in names:
        op.drop_column("tickets", name)
