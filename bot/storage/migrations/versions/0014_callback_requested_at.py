"""A call-back's SLA counts from when the customer asked for it: ``tickets.callback_requested_at``.

A customer waiting in the queue who chose "call me back" (or to leave a message) turned the ticket
into a call-back, but its SLA deadline stayed the one set at the hand-over, so the desk and the
supervisor view showed a call-back promised a minute ago as long overdue (a fresh new user's finding,
issue 11 seventeenth pass). From this revision the moment of the request is stored and the ticket's
``sla_due_at`` restarts from it (``bot.services.waiting``); the wait the desk shows counts from it too.
NULL for tickets that never were a requested call-back (a hand-over made a call-back from the start
counts from its creation, as before) and for those made before this revision. Skipped where present
(a database made by ``create_all``).

Revision ID: 0014_callback_requested_at
Revises: 0013_attachment_thumbnails
Create Date: 2026-12-02
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0014_callback_requested_at"
down_revision: Union[str, Sequence[str], None] = "0013_attachment_thumbnails"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add ``tickets.callback_requested_at`` (NULL for every ticket so far)."""
    if "callback_requested_at" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("tickets")}:
        op.add_column("tickets", sa.Column("callback_requested_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the column (call-backs then count from the hand-over again), in place: the triggers on ``tickets``
    and its full-text index stay (``bot/storage/migrations/drop_ticket_columns.py``)."""
    from bot.storage.migrations.drop_ticket_columns import drop_ticket_columns

    drop_ticket_columns(op, ["callback_requested_at"])
