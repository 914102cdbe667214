"""The waiting tickets' counter (issue 16): the metrics' waiting count without reading every waiting ticket.

Adds ``ticket_stats_waiting`` (per UTC day and hour of creation: tickets waiting now, and those
of them never claimed nor ended), reinstalls the ``tickets`` triggers so they keep it, and
rebuilds every counter from the rows once. The DDL is frozen in
``bot/storage/migrations/ticket_stats_0012.py``.

Revision ID: 0012_waiting_counter
Revises: 0011_ticket_summaries
Create Date: 2026-11-30
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0012_waiting_counter"
down_revision: Union[str, Sequence[str], None] = "0011_ticket_summaries"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The counter's table, the triggers that keep it, the backfill."""
    from bot.storage.migrations.ticket_stats_0012 import install_waiting_counter

    install_waiting_counter(op.get_bind())


def downgrade() -> None:
    """Drop the counter's table and put back the triggers without it (counters rebuilt)."""
    from bot.storage.migrations.ticket_stats_0012 import remove_waiting_counter

    remove_waiting_counter(op.get_bind())
