"""Counters of the supervisor metrics, kept as tickets change state (issue 16).

Four tables (``bot.storage.db``: ``ticket_stats_created``, ``ticket_stats_closed``,
``conversation_stats``, ``ticket_stats_waiting``) hold, per UTC day and per UTC hour, the sums the
period metrics need. Database triggers on ``tickets`` and
``conversation_channels`` keep them: every insert, update or delete of a row
takes the row's old contribution out and puts its new one in, in the same
transaction, so every writer is counted (the repositories' conditional
``UPDATE``\\ s, the abandonment sweep, a fixture's raw SQL) and two
transactions racing on one ticket are counted as they committed.

A ticket's contribution (``CREATED``, ``CLOSED``, ``STARTED`` in the migration), by the bucket of its
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

Migration 0008 creates the tables and triggers and rebuilds the counters from the rows
(``bot/storage/migrations/ticket_stats_0008.py``, frozen); ``bot.queue.queue_queries`` sums
them, with this module's buckets and :func:`split_period`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.text import to_utc

SPANS = ("d", "h")
DAY, HOUR = SPANS


def bucket_key(span: str, moment: datetime) -> str:
    """The ``bucket`` of a UTC instant: ``YYYY-MM-DD`` (span ``d``) or ``YYYY-MM-DD HH`` (``h``).

    Args:
        span: ``d`` (day) or ``h`` (hour).
        moment: the instant (naive is taken as UTC).

    Returns:
        The bucket key string, e.g. ``2026-11-30`` or ``2026-11-30 22``.
    """
    return to_utc(moment).strftime("%Y-%m-%d" if span == DAY else "%Y-%m-%d %H")


def split_period(since: datetime, until: datetime) -> tuple[list, list, list]:
    """How the period ``[since, until]`` (naive or aware UTC) is summed.

    Args:
        since: the start of the period (naive is taken as UTC).
        until: the end of the period, included (naive is taken as UTC).

    Returns:
        ``(days, hours, edges)``: ``days`` and ``hours`` are ``(first_bucket, end_bucket)``
        key ranges (end excluded) of whole UTC days and whole hours, counted from
        the counters; ``edges`` are ``(start, end, end_included)`` instants left to
        count from the rows (less than an hour each, at either end; the whole
        period when it holds no whole hour).
    """
    since, until = to_utc(since), to_utc(until)
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
