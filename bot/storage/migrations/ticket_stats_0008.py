"""Revision 0008's DDL and backfill, frozen: the supervisor metrics' counters and their triggers.

FROZEN: this module is part of the migration history. Do not edit it to follow the
application: a later change of the counters is a new revision. It imports nothing from
``bot`` outside ``bot/storage/migrations`` (tests/unit/test_migration_schema.py checks). The
counters' meaning and the queries that sum them are in ``bot.queue.ticket_stats`` and
``bot.queue.queue_queries``.

Three tables (``ticket_stats_created``, ``ticket_stats_closed``, ``conversation_stats``) hold,
per UTC day and per UTC hour, the sums the period metrics need. Triggers on ``tickets`` and
``conversation_channels`` keep them: every insert, update or delete of a row takes the row's
old contribution out and puts its new one in, in the same transaction. ``install_ticket_stats``
creates the tables and triggers where missing and, when it installs the triggers, rebuilds the
counters from the rows in one pass (the backfill); it also creates the waiting tickets' index
``ix_tickets_waiting_created`` the metrics count live breaches on.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import text


SPANS = ("d", "h")
DAY, HOUR = SPANS
WAITING_CREATED_INDEX = "ix_tickets_waiting_created"
WAITING_CREATED_DDL = (f"CREATE INDEX IF NOT EXISTS {WAITING_CREATED_INDEX} ON tickets "
                       "(created_at, sla_due_at, claimed_at, closed_at, state) "
                       "WHERE (state || '') IN ('queued', 'callback')")

_METADATA = sa.MetaData()


def _key() -> tuple:
    return (sa.Column("span", sa.String(length=1), primary_key=True),
            sa.Column("bucket", sa.String(length=13), primary_key=True))


TABLES = (
    sa.Table("ticket_stats_created", _METADATA, *_key(),
             sa.Column("reason_code", sa.String(length=32), primary_key=True),
             *(sa.Column(name, kind, nullable=False) for name, kind in (
                 ("created", sa.Integer), ("abandoned", sa.Integer), ("breached", sa.Integer),
                 ("wait_sum", sa.BigInteger), ("wait_count", sa.Integer)))),
    sa.Table("ticket_stats_closed", _METADATA, *_key(),
             sa.Column("agent", sa.String(length=64), primary_key=True),
             *(sa.Column(name, kind, nullable=False) for name, kind in (
                 ("handled", sa.Integer), ("handle_sum", sa.BigInteger), ("handle_count", sa.Integer),
                 ("csat_sum", sa.Integer), ("csat_count", sa.Integer)))),
    sa.Table("conversation_stats", _METADATA, *_key(),
             sa.Column("started", sa.Integer, nullable=False)),
)


def _bucket_sql(dialect: str, span: str, column: str) -> str:
    """SQL of a timestamp's bucket: SQLite stores ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (UTC) text."""
    if dialect == "sqlite":
        return f"substr({column}, 1, 10)" if span == DAY else f"substr({column}, 1, 10) || ' ' || substr({column}, 12, 2)"
    return f"to_char(({column}) AT TIME ZONE 'UTC', '{'YYYY-MM-DD' if span == DAY else 'YYYY-MM-DD HH24'}')"


# (table, source table, bucket column, key columns (name, expression), condition, values (name, expression))
# Expressions name the row's columns as ``{r}column`` (``NEW.``, ``OLD.`` or nothing).
CREATED = ("ticket_stats_created", "tickets", "created_at",
           (("reason_code", "{r}reason_code"),),
           "1 = 1",
           (("created", "1"),
            ("abandoned", "CASE WHEN {r}state = 'abandoned' THEN 1 ELSE 0 END"),
            ("breached", "CASE WHEN ({r}claimed_at IS NOT NULL AND {r}claimed_at > {r}sla_due_at) OR "
                         "({r}claimed_at IS NULL AND {r}closed_at IS NOT NULL AND {r}closed_at > {r}sla_due_at) "
                         "THEN 1 ELSE 0 END"),
            ("wait_sum", "COALESCE({r}wait_s, 0)"),
            ("wait_count", "CASE WHEN {r}wait_s IS NOT NULL THEN 1 ELSE 0 END")))
CLOSED = ("ticket_stats_closed", "tickets", "closed_at",
          (("agent", "{r}assigned_to"),),
          "{r}state = 'closed' AND {r}assigned_to IS NOT NULL AND {r}closed_at IS NOT NULL",
          (("handled", "1"),
           ("handle_sum", "COALESCE({r}handle_s, 0)"),
           ("handle_count", "CASE WHEN {r}handle_s IS NOT NULL THEN 1 ELSE 0 END"),
           ("csat_sum", "COALESCE({r}csat, 0)"),
           ("csat_count", "CASE WHEN {r}csat IS NOT NULL THEN 1 ELSE 0 END")))
STARTED = ("conversation_stats", "conversation_channels", "created_at", (), "1 = 1", (("started", "1"),))
COUNTERS = (CREATED, CLOSED, STARTED)
# The columns whose change can change a row's contribution (the UPDATE triggers fire on these only).
WATCHED = {"tickets": ("created_at", "reason_code", "state", "claimed_at", "closed_at", "sla_due_at",
                       "wait_s", "handle_s", "csat", "assigned_to"),
           "conversation_channels": ("created_at",)}
TRIGGER_PREFIX = "stats_"


def _upsert(dialect: str, counter: tuple, span: str, r: str, sign: str) -> str:
    """One statement adding (``sign`` ``+``) or taking out (``-``) the contribution of row ``r``."""
    table, _source, when, keys, condition, values = counter
    names = ["span", "bucket"] + [k for k, _ in keys] + [v for v, _ in values]
    exprs = ([f"'{span}'", _bucket_sql(dialect, span, f"{r}{when}")] + [e.format(r=r) for _, e in keys]
             + [f"{sign}({e.format(r=r)})" for _, e in values])
    conflict = ", ".join(["span", "bucket"] + [k for k, _ in keys])
    update = ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v, _ in values)
    return (f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} WHERE {condition.format(r=r)} "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {update}")


def _statements(dialect: str, source: str, r: str, sign: str, counters: tuple = COUNTERS) -> list[str]:
    return [_upsert(dialect, counter, span, r, sign) for counter in counters if counter[1] == source
            for span in SPANS]


def _trigger_ddl(dialect: str, source: str, counters: tuple = COUNTERS) -> list[str]:
    """The DDL of ``source``'s triggers (SQLite: one per operation; PostgreSQL: a function and one trigger)
    keeping ``counters`` (revision 0012 adds one)."""
    watched = ", ".join(WATCHED[source])
    name = f"{TRIGGER_PREFIX}{source}"
    if dialect == "sqlite":
        body = lambda *parts: " ".join(s + ";" for part in parts for s in part)  # noqa: E731
        old, new = _statements(dialect, source, "OLD.", "-", counters), _statements(dialect, source, "NEW.", "", counters)
        return [f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {body(new)} END",
                f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {body(old)} END",
                f"CREATE TRIGGER {name}_update AFTER UPDATE OF {watched} ON {source} BEGIN {body(old, new)} END"]
    old = " ".join(s + ";" for s in _statements(dialect, source, "OLD.", "-", counters))
    new = " ".join(s + ";" for s in _statements(dialect, source, "NEW.", "", counters))
    return [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {old} END IF; IF TG_OP <> 'DELETE' THEN {new} END IF; "
            f"RETURN NULL; END $$",
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {watched} ON {source} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"]


def _triggers(conn: Any) -> set[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats\\_%' "
                                 "ESCAPE '\\'")).scalars()
    else:
        rows = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'stats\\_%'")
                            ).scalars()
    return set(rows)


def _expected_triggers(dialect: str) -> set[str]:
    names = set()
    for source in WATCHED:
        base = f"{TRIGGER_PREFIX}{source}"
        names |= {f"{base}_insert", f"{base}_delete", f"{base}_update"} if dialect == "sqlite" else {base}
    return names


def drop_ticket_stats_triggers(conn: Any) -> None:
    """Drop the counters' triggers (and PostgreSQL functions): the counters then go stale."""
    for name in _triggers(conn):
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            source = name[len(TRIGGER_PREFIX):]
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {source}"))
            conn.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))


def rebuild_ticket_stats(conn: Any, counters: tuple = COUNTERS) -> None:
    """Recompute ``counters`` from ``tickets`` and ``conversation_channels`` (one GROUP BY per table and span)."""
    dialect = conn.dialect.name
    for counter in counters:
        table, source, when, keys, condition, values = counter
        conn.execute(text(f"DELETE FROM {table}"))
        for span in SPANS:
            names = ["span", "bucket"] + [k for k, _ in keys] + [v for v, _ in values]
            group = ", ".join(str(i) for i in range(2, 3 + len(keys)))
            exprs = ([f"'{span}'", _bucket_sql(dialect, span, when)] + [e.format(r="") for _, e in keys]
                     + [f"SUM({e.format(r='')})" for _, e in values])
            conn.execute(text(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {source} "
                              f"WHERE {condition.format(r='')} GROUP BY {group}"))


def install_ticket_stats(conn: Any) -> list[str]:
    """Create the counters' tables, triggers and ``ix_tickets_waiting_created`` where missing; when the triggers are (re)installed,
    rebuild the counters from the rows (migration 0008's backfill). Idempotent.

    Args:
        conn: a ``Connection`` in a transaction (the migration's).

    Returns:
        What was done, e.g. ``["ticket stats triggers", "ticket stats rebuilt"]`` (empty: nothing to do).
    """
    dialect = conn.dialect.name
    done = []
    for table in TABLES:
        table.create(conn, checkfirst=True)
    if WAITING_CREATED_INDEX not in {i["name"] for i in sa.inspect(conn).get_indexes("tickets")}:
        conn.execute(text(WAITING_CREATED_DDL))
        done.append(f"index {WAITING_CREATED_INDEX}")
    if _triggers(conn) == _expected_triggers(dialect):
        return done
    if dialect == "postgresql":  # no write between the rebuild and the triggers
        conn.execute(text("LOCK TABLE tickets, conversation_channels IN SHARE ROW EXCLUSIVE MODE"))
    drop_ticket_stats_triggers(conn)
    for source in WATCHED:
        for statement in _trigger_ddl(dialect, source):
            conn.execute(text(statement))
    rebuild_ticket_stats(conn)
    done += ["ticket stats triggers", "ticket stats rebuilt"]
    return done
