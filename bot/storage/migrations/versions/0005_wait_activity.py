"""Abandonment: the customer's last activity on a ticket, and its index.

Adds ``tickets.last_customer_activity_at`` (filled from ``created_at`` for
tickets still open, so a sweep right after the upgrade judges them by their
age) and ``ix_tickets_state_activity`` on ``(state,
last_customer_activity_at)`` for the abandonment sweep (bot/queue/waits.py), which
marks a queued web ticket silent past ``WEB_ABANDON_AFTER_S`` as
``abandoned`` with one conditional UPDATE.

Revision ID: 0005_wait_activity
Revises: 0004_desk_notes_canned
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_wait_activity"
down_revision: Union[str, Sequence[str], None] = "0004_desk_notes_canned"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The column (if missing), its backfill for open tickets, the index (if missing)."""
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    columns = {c["name"] for c in inspector.get_columns("tickets")}
    if "last_customer_activity_at" not in columns:
        op.add_column("tickets", sa.Column("last_customer_activity_at", sa.DateTime(timezone=True), nullable=True))
    bind.execute(sa.text(
        "UPDATE tickets SET last_customer_activity_at = created_at "
        "WHERE last_customer_activity_at IS NULL AND state IN ('queued', 'with_agent', 'callback')"))
    indexes = {i["name"] for i in sa.inspect(bind).get_indexes("tickets")}
    if "ix_tickets_state_activity" not in indexes:
        op.create_index("ix_tickets_state_activity", "tickets", ["state", "last_customer_activity_at"])


def downgrade() -> None:
    """Drop the index and the column, in place: the full-text index's triggers on ``tickets`` stay
    (``bot/storage/migrations/drop_ticket_columns.py``)."""
    from bot.storage.migrations.drop_ticket_columns import drop_ticket_columns

    op.drop_index("ix_tickets_state_activity", table_name="tickets")
    drop_ticket_columns(op, ["last_customer_activity_at"])
