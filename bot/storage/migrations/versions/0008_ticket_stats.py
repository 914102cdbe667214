"""Supervisor metrics in constant time: counters kept as tickets change state (issue 16).

Adds ``ticket_stats_created``, ``ticket_stats_closed`` and ``conversation_stats``
(per UTC day and hour), the triggers on ``tickets`` and ``conversation_channels``
that keep them in the same transaction as every write, their one-time backfill
from the existing rows, and the waiting tickets' index on ``(created_at,
sla_due_at, ...)``. The DDL is frozen in
``bot/storage/migrations/ticket_stats_0008.py`` (idempotent: every step checks first).

Revision ID: 0008_ticket_stats
Revises: 0007_attachments
Create Date: 2026-11-30
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0008_ticket_stats"
down_revision: Union[str, Sequence[str], None] = "0007_attachments"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The counters' tables, triggers and backfill, and the new index."""
    from bot.storage.migrations.ticket_stats_0008 import install_ticket_stats

    install_ticket_stats(op.get_bind())


def downgrade() -> None:
    """Drop the triggers, the counters' tables and the index."""
    from bot.storage.migrations.ticket_stats_0008 import drop_ticket_stats_triggers

    bind = op.get_bind()
    drop_ticket_stats_triggers(bind)
    for table in ("ticket_stats_created", "ticket_stats_closed", "conversation_stats"):
        op.drop_table(table)
    op.drop_index("ix_tickets_waiting_created", table_name="tickets")
