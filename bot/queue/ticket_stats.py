"""Counters of the supervisor metrics, kept as tickets change state (issue 16).

Four tables (``bot.storage.db``: ``ticket_stats_created``, ``ticket_stats_closed``,
``conversation_stats``, ``ticket_stats_waiting``) hold, per UTC day and per UTC hour, the sums the
period metrics need. Database triggers on ``tickets`` and
``conversation_channels`` keep them: every insert, update or delete of a row
takes the row's old contribution out and puts its new one in, in the same
transaction, so every writer is counted (the repositories' conditional
``UPDATE``\\ s, the abandonment sweep, a fixture's raw SQL) and two
transactions racing on one ticket are counted as they committed.

A ticket's contribution (``CREATED``, ``CLOSED``, ``STARTED`` below), by the bucket of its
``created_at`` and its reason: 1 created, 1 abandoned if its state is ``abandoned``, 1 breached if
it was claimed after its SLA deadline or, never claimed, ended after it, its
``wait_s``; by the bucket of its ``closed_at`` and its agent, when it is
``closed`` with an agent: 1 handled, its ``handle_s`` and ``csat``. A waiting
ticket past its deadline is a breach that depends on the time asked about: it is
not counted here as a breach. ``WAITING`` (migration 0012, table
``ticket_stats_waiting``): by the bucket of its ``created_at``, 1 waiting while the
ticket is ``queued`` or ``callback``, 1 unclaimed if it was never claimed nor ended
either; the metrics take the waiting count from it and the live breaches as its
unclaimed tickets less those not yet due (a short range of the SLA index).

Cost on writes: each ticket write upserts its day and hour rows (two to eight small
statements). Two transactions writing tickets of the same reason (or agent) in the
same hour take turns on that counter row until they commit (PostgreSQL row locks;
SQLite has one writer anyway).

``install_ticket_stats`` creates the tables and triggers where missing and, when it
installs the triggers, rebuilds the counters from the rows in one pass (the
backfill of migration 0008); ``bot.queue.queue_queries`` sums them.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import text

logger = logging.getLogger(__name__)

SPANS = ("d", "h")
DAY, HOUR = SPANS


def bucket_key(span: str, moment: datetime) -> str:
    """The ``bucket`` of a UTC instant: ``YYYY-MM-DD`` (span ``d``) or ``YYYY-MM-DD HH`` (``h``)."""
    moment = moment.astimezone(timezone.utc) if moment.tzinfo else moment
    return moment.strftime("%Y-%m-%d" if span == DAY else "%Y-%m-%d %H")


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
# The tickets waiting now, by creation bucket (migration 0012): the metrics' waiting count and the
# period's live breaches without reading every waiting ticket.
WAITING = ("ticket_stats_waiting", "tickets", "created_at", (),
           "{r}state IN ('queued', 'callback')",
           (("waiting", "1"),
            ("unclaimed", "CASE WHEN {r}claimed_at IS NULL AND {r}closed_at IS NULL THEN 1 ELSE 0 END")))
COUNTERS = (CREATED, CLOSED, STARTED, WAITING)
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


def _statements(dialect: str, source: str, r: str, sign: str) -> list[str]:
    return [_upsert(dialect, counter, span, r, sign) for counter in COUNTERS if counter[1] == source
            for span in SPANS]


def _trigger_ddl(dialect: str, source: str) -> list[str]:
    """The DDL of ``source``'s triggers (SQLite: one per operation; PostgreSQL: a function and one trigger)."""
    watched = ", ".join(WATCHED[source])
    name = f"{TRIGGER_PREFIX}{source}"
    if dialect == "sqlite":
        body = lambda *parts: " ".join(s + ";" for part in parts for s in part)  # noqa: E731
        old, new = _statements(dialect, source, "OLD.", "-"), _statements(dialect, source, "NEW.", "")
        return [f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {body(new)} END",
                f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {body(old)} END",
                f"CREATE TRIGGER {name}_update AFTER UPDATE OF {watched} ON {source} BEGIN {body(old, new)} END"]
    old = " ".join(s + ";" for s in _statements(dialect, source, "OLD.", "-"))
    new = " ".join(s + ";" for s in _statements(dialect, source, "NEW.", ""))
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


def rebuild_ticket_stats(conn: Any) -> None:
    """Recompute every counter from ``tickets`` and ``conversation_channels`` (one GROUP BY per table and span)."""
    dialect = conn.dialect.name
    for counter in COUNTERS:
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
    """Create the counters' tables and triggers where missing; when the triggers are (re)installed,
    rebuild the counters from the rows (migration 0008's backfill). Idempotent.

    Args:
        conn: a ``Connection`` in a transaction (the migration's, or ``upgrade_ticket_schema``'s).

    Returns:
        What was done, e.g. ``["ticket stats triggers", "ticket stats rebuilt"]`` (empty: nothing to do).
    """
    from sqlalchemy import inspect

    from bot.storage.db import (ConversationStatsRow, TicketStatsClosedRow, TicketStatsCreatedRow,
                                TicketStatsWaitingRow)

    dialect = conn.dialect.name
    done = []
    # a database from before migration 0012: its triggers do not keep the waiting counter yet
    new_counter = not inspect(conn).has_table(TicketStatsWaitingRow.__tablename__)
    for model in (TicketStatsCreatedRow, TicketStatsClosedRow, ConversationStatsRow, TicketStatsWaitingRow):
        model.__table__.create(conn, checkfirst=True)
    if _triggers(conn) == _expected_triggers(dialect) and not new_counter:
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


def split_period(since: datetime, until: datetime) -> tuple[list, list, list]:
    """How the period ``[since, until]`` (naive or aware UTC) is summed.

    Returns:
        ``(days, hours, edges)``: ``days`` and ``hours`` are ``(first_bucket, end_bucket)``
        key ranges (end excluded) of whole UTC days and whole hours, counted from
        the counters; ``edges`` are ``(start, end, end_included)`` instants left to
        count from the rows (less than an hour each, at either end; the whole
        period when it holds no whole hour).
    """
    since = since.astimezone(timezone.utc) if since.tzinfo else since.replace(tzinfo=timezone.utc)
    until = until.astimezone(timezone.utc) if until.tzinfo else until.replace(tzinfo=timezone.utc)
    floor_hour = lambda m: m.replace(minute=0, second=0, microsecond=0)  # noqa: E731
    h0 = floor_hour(since)
    h0 = h0 if h0 == since else h0 + timedelta(hours=1)
    h1 = floor_hour(until)
    if h0 >= h1:
        return [], [], [(since, until, True)]
    edges = ([(since, h0, False)] if since < h0 else []) + [(h1, until, True)]
    d0 = h0.replace(hour=0)
    d0 = d0 if d0 == h0 else d0 + timedelta(days=1)
    d1 = h1.replace(hour=0)
    if d0 >= d1:
        return [], [(bucket_key(HOUR, h0), bucket_key(HOUR, h1))], edges
    hours = ([(bucket_key(HOUR, h0), bucket_key(HOUR, d0))] if h0 < d0 else []) + (
        [(bucket_key(HOUR, d1), bucket_key(HOUR, h1))] if d1 < h1 else [])
    return [(bucket_key(DAY, d0), bucket_key(DAY, d1))], hours, edges
