"""The waiting tickets' counter (issue 16): the metrics' waiting count without reading every waiting ticket.

Adds ``ticket_stats_waiting`` (per UTC day and hour of creation: tickets waiting now, and those
of them never claimed nor ended), reinstalls the ``tickets`` triggers so they keep it, and
rebuilds every counter from the rows once (``bot.queue.ticket_stats.install_ticket_stats``).

Revision ID: 0012_waiting_counter
Revises: 0010_webchat_session_secrets (0011 on main: set ``down_revision`` to it when merging)
Create Date: 2026-11-30
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0012_waiting_counter"
down_revision: Union[str, Sequence[str], None] = "0010_webchat_session_secrets"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The counter's table, the triggers that keep it, the backfill."""
    from bot.queue.ticket_stats import install_ticket_stats

    install_ticket_stats(op.get_bind())


def downgrade() -> None:
    """Drop the counter's table and put back the triggers without it (counters rebuilt)."""
    from bot.queue import ticket_stats

    bind = op.get_bind()
    ticket_stats.drop_ticket_stats_triggers(bind)
    op.drop_table("ticket_stats_waiting")
    counters = ticket_stats.COUNTERS
    ticket_stats.COUNTERS = tuple(c for c in counters if c is not ticket_stats.WAITING)
    try:
        for source in ticket_stats.WATCHED:
            for statement in ticket_stats._trigger_ddl(bind.dialect.name, source):
                op.execute(statement)
        ticket_stats.rebuild_ticket_stats(bind)
    finally:
        ticket_stats.COUNTERS = counters
