"""Agent replies with a client-chosen id, delivered once.

Adds ``ticket_events.client_id`` (the ``message_id`` an agent's client sends
with ``POST /agent/api/tickets/{id}/messages``) and the unique index
``uq_ticket_events_client_id`` on ``(ticket_id, client_id)``: a retry of the
same reply, on this server or another at the same moment, cannot record
(and deliver) it a second time — the database refuses the second row and
the API answers with the first (``bot.services.tickets.reply``). Events
without an id (NULL) are not constrained. Both steps are skipped when
present (a database made by ``create_all`` from the models after this
revision).

Revision ID: 0006_agent_reply_ids
Revises: 0005_wait_activity
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_agent_reply_ids"
down_revision: Union[str, Sequence[str], None] = "0005_wait_activity"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The column (if missing), then the unique index (if missing)."""
    bind = op.get_bind()
    if "client_id" not in {c["name"] for c in sa.inspect(bind).get_columns("ticket_events")}:
        op.add_column("ticket_events", sa.Column("client_id", sa.String(length=64), nullable=True))
    if "uq_ticket_events_client_id" not in {i["name"] for i in sa.inspect(bind).get_indexes("ticket_events")}:
        op.create_index("uq_ticket_events_client_id", "ticket_events", ["ticket_id", "client_id"], unique=True)


def downgrade() -> None:
    """Drop the index and the column."""
    op.drop_index("uq_ticket_events_client_id", table_name="ticket_events")
    with op.batch_alter_table("ticket_events") as batch:
        batch.drop_column("client_id")
