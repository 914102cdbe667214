"""Agent reply ids are per (ticket, author): a second agent's client may count ids the same way.

Replaces the unique index ``uq_ticket_events_client_id`` on ``(ticket_id,
client_id)`` (revision 0006) with ``uq_ticket_events_author_client_id`` on
``(ticket_id, author, client_id)``. After a transfer the new holder's
client, numbering its replies ``li-0001``, ``li-0002``… like the first
agent's, no longer gets 409 for an id the first agent used, and an agent
can no longer learn which ids another agent used on a ticket
(``bot.services.tickets.record_reply``). A retry by the same agent is still
refused a second row by the database. Skipped where the new index exists (a
database made by ``create_all`` from the models after this revision).

Revision ID: 0009_reply_ids_per_author
Revises: 0008_ticket_stats
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009_reply_ids_per_author"
down_revision: Union[str, Sequence[str], None] = "0008_ticket_stats"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Drop the per-ticket index (if there), create the per-author one (if missing)."""
    indexes = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("ticket_events")}
    if "uq_ticket_events_client_id" in indexes:
        op.drop_index("uq_ticket_events_client_id", table_name="ticket_events")
    if "uq_ticket_events_author_client_id" not in indexes:
        op.create_index("uq_ticket_events_author_client_id", "ticket_events",
                        ["ticket_id", "author", "client_id"], unique=True)


def downgrade() -> None:
    """Back to one id per ticket (fails if two authors used one id on a ticket meanwhile)."""
    op.drop_index("uq_ticket_events_author_client_id", table_name="ticket_events")
    op.create_index("uq_ticket_events_client_id", "ticket_events", ["ticket_id", "client_id"], unique=True)
