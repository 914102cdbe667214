"""One open ticket per conversation, enforced by a partial unique index.

Two hand-overs racing (two servers, or a retried turn) used to open two
tickets for one conversation. Before the index is created, a conversation
that already has several open tickets keeps the one an agent holds (else the
newest); the others are closed with disposition ``duplicate`` and an event
naming the ticket kept, so no conversation is lost from the queue.

Revision ID: 0002_one_open_ticket
Revises: 0001_baseline
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_one_open_ticket"
down_revision: Union[str, Sequence[str], None] = "0001_baseline"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPEN = ("queued", "with_agent", "callback")
WHERE = "state IN ('queued', 'with_agent', 'callback')"


def upgrade() -> None:
    """Close duplicate open tickets, then create ``uq_tickets_open_conversation``."""
    bind = op.get_bind()
    tickets = sa.table("tickets", sa.column("id"), sa.column("conversation_id"), sa.column("state"),
                       sa.column("created_at"), sa.column("closed_at"), sa.column("disposition"))
    events = sa.table("ticket_events", sa.column("ticket_id"), sa.column("kind"), sa.column("author"),
                      sa.column("data", sa.JSON), sa.column("at"))
    rows = bind.execute(sa.select(tickets.c.id, tickets.c.conversation_id, tickets.c.state, tickets.c.created_at)
                        .where(tickets.c.state.in_(OPEN))).all()
    by_conversation: dict = {}
    for row in rows:
        by_conversation.setdefault(row.conversation_id, []).append(row)
    now = sa.func.current_timestamp()
    for group in by_conversation.values():
        if len(group) < 2:
            continue
        keep = max(group, key=lambda r: (r.state == "with_agent", str(r.created_at)))
        for row in group:
            if row.id == keep.id:
                continue
            bind.execute(tickets.update().where(tickets.c.id == row.id)
                         .values(state="closed", disposition="duplicate", closed_at=now))
            bind.execute(events.insert().values(ticket_id=row.id, kind="closed", author="system", at=now,
                                                data={"disposition": "duplicate", "kept": keep.id}))
    if "uq_tickets_open_conversation" in {i["name"] for i in sa.inspect(bind).get_indexes("tickets")}:
        return  # a database made by create_all from the models after this revision
    op.create_index("uq_tickets_open_conversation", "tickets", ["conversation_id"], unique=True,
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    """Drop the index (closed duplicates stay closed)."""
    op.drop_index("uq_tickets_open_conversation", table_name="tickets")
