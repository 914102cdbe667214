"""The summary in each desk language as columns of ``tickets`` (issue 14).

Lists (the queue, "my tickets", past-ticket search, new-ticket notifications)
showed ``tickets.summary``, one language for every agent. This revision adds
``summary_en`` and ``summary_zh``, written with every new ticket from the
packet's ``summaries``, so a list shows the viewing agent's language without
reading any packet. Existing rows are backfilled in batches from their packet
(``bot.handover.packet.summaries_of``: packets written before ``summaries``
keep their English ``summary`` and get the Chinese rebuilt from their facts).
The backfill is the one place a revision uses live code on purpose: it renders display text, not
schema (tests/unit/test_migration_schema.py names the exception). Skipped where the columns exist (a database made by ``create_all``); the
backfill only touches rows whose ``summary_zh`` is still NULL.

Revision ID: 0011_ticket_summaries
Revises: 0010_webchat_session_secrets
Create Date: 2026-11-30
"""
import json
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011_ticket_summaries"
down_revision: Union[str, Sequence[str], None] = "0010_webchat_session_secrets"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 500


def backfill_summaries(bind) -> int:
    """Fill ``summary_en``/``summary_zh`` of rows that have none, ``BATCH`` rows at a time (by id).

    Returns:
        How many rows were filled.
    """
    from bot.handover.packet import summaries_of

    tickets = sa.table("tickets", sa.column("id", sa.String), sa.column("packet", sa.Text),
                       sa.column("summary", sa.Text), sa.column("summary_en", sa.Text),
                       sa.column("summary_zh", sa.Text))
    done, after = 0, ""
    while True:
        rows = bind.execute(sa.select(tickets.c.id, tickets.c.packet, tickets.c.summary)
                            .where(tickets.c.summary_zh.is_(None), tickets.c.id > after)
                            .order_by(tickets.c.id).limit(BATCH)).all()
        if not rows:
            return done
        for ticket_id, packet, summary in rows:
            try:
                packet = json.loads(packet) if isinstance(packet, str) else packet
            except ValueError:
                packet = None
            if not isinstance(packet, dict):
                packet = {"summary": summary}
            packet.setdefault("summary", summary)
            found = summaries_of(packet)
            bind.execute(tickets.update().where(tickets.c.id == ticket_id)
                         .values(summary_en=found["en"] or summary or "", summary_zh=found["zh"] or summary or ""))
        done += len(rows)
        after = rows[-1][0]


def upgrade() -> None:
    """Add the two columns (where missing) and backfill them."""
    bind = op.get_bind()
    present = {c["name"] for c in sa.inspect(bind).get_columns("tickets")}
    for name in ("summary_en", "summary_zh"):
        if name not in present:
            op.add_column("tickets", sa.Column(name, sa.Text(), nullable=True))
    backfill_summaries(bind)


def downgrade() -> None:
    """Drop the columns (the packet keeps its ``summaries``), in place: the triggers on ``tickets`` and its
    full-text index stay (``bot/storage/migrations/drop_ticket_columns.py``)."""
    from bot.storage.migrations.drop_ticket_columns import drop_ticket_columns

    drop_ticket_columns(op, ["summary_zh", "summary_en"])
