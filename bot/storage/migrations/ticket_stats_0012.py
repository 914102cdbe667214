"""Revision 0012's DDL and backfill, frozen: the waiting tickets' counter.

FROZEN: this module is part of the migration history (see ``ticket_stats_0008``). It imports
nothing from ``bot`` outside ``bot/storage/migrations``.

``ticket_stats_waiting`` holds, per UTC day and hour of creation, the tickets waiting now
(``queued`` or ``callback``) and how many of them were never claimed nor ended. The
``tickets`` triggers of revision 0008 are replaced by ones that keep this counter too, and every
counter is rebuilt from the rows once.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import text

import bot.storage.migrations.ticket_stats_0008 as before

WAITING = ("ticket_stats_waiting", "tickets", "created_at", (),
           "{r}state IN ('queued', 'callback')",
           (("waiting", "1"),
            ("unclaimed", "CASE WHEN {r}claimed_at IS NULL AND {r}closed_at IS NULL THEN 1 ELSE 0 END")))
COUNTERS = before.COUNTERS + (WAITING,)

TABLE = sa.Table("ticket_stats_waiting", sa.MetaData(),
                 sa.Column("span", sa.String(length=1), primary_key=True),
                 sa.Column("bucket", sa.String(length=13), primary_key=True),
                 sa.Column("waiting", sa.Integer, nullable=False),
                 sa.Column("unclaimed", sa.Integer, nullable=False))


def _reinstall(conn: Any, counters: tuple) -> None:
    """Triggers that keep ``counters``, then every one of them rebuilt from the rows."""
    if conn.dialect.name == "postgresql":  # no write between the rebuild and the triggers
        conn.execute(text("LOCK TABLE tickets, conversation_channels IN SHARE ROW EXCLUSIVE MODE"))
    before.drop_ticket_stats_triggers(conn)
    for source in before.WATCHED:
        for statement in before._trigger_ddl(conn.dialect.name, source, counters):
            conn.execute(text(statement))
    before.rebuild_ticket_stats(conn, counters)


def _triggers_keep_waiting(conn: Any) -> bool:
    """Whether the ``tickets`` triggers installed already keep ``ticket_stats_waiting``."""
    if conn.dialect.name == "sqlite":
        sql = ("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tickets' "
               "AND sql LIKE '%ticket_stats_waiting%'")
    else:
        sql = "SELECT count(*) FROM pg_proc WHERE proname = 'stats_tickets' AND prosrc LIKE '%ticket_stats_waiting%'"
    return bool(conn.execute(text(sql)).scalar())


def install_waiting_counter(conn: Any) -> list[str]:
    """Create ``ticket_stats_waiting`` where missing and, unless the triggers keep it already, the
    triggers that do, with every counter rebuilt from the rows. Idempotent.

    Args:
        conn: a ``Connection`` in a transaction (the migration's).

    Returns:
        What was done, e.g. ``["ticket stats triggers", "ticket stats rebuilt"]`` (empty: nothing to do).
    """
    TABLE.create(conn, checkfirst=True)
    if _triggers_keep_waiting(conn):
        return []
    _reinstall(conn, COUNTERS)
    return ["ticket stats triggers", "ticket stats rebuilt"]


def remove_waiting_counter(conn: Any) -> None:
    """Revision 0012's downgrade: drop the counter and put back revision 0008's triggers."""
    before.drop_ticket_stats_triggers(conn)
    TABLE.drop(conn, checkfirst=True)
    _reinstall(conn, before.COUNTERS)
