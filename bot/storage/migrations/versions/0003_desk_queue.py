"""The agent desk's queue at a million tickets: searchable columns, indexes, text index.

Adds ``order_number``, ``contact_email``, ``contact_phone``, ``search_text``,
``wait_s``, ``handle_s`` and ``csat`` to ``tickets`` (filled once from the
packets of older rows), the queue's partial and covering indexes, and the
text index (SQLite FTS5 trigram table with its triggers; PostgreSQL
``pg_trgm``), and on PostgreSQL the statistics on ``state || ''``. The DDL is
frozen in ``bot/storage/migrations/desk_queue_0003.py`` (idempotent: every
step checks first), so a database whose columns were added before this
revision upgrades too.

Revision ID: 0003_desk_queue
Revises: 0002_one_open_ticket
Create Date: 2026-11-30
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0003_desk_queue"
down_revision: Union[str, Sequence[str], None] = "0002_one_open_ticket"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Columns, backfill, indexes and text index (``desk_queue_0003.upgrade_desk_queue``)."""
    from bot.storage.migrations.desk_queue_0003 import upgrade_desk_queue

    upgrade_desk_queue(op.get_bind())


def downgrade() -> None:
    """Not supported: the columns and indexes are harmless to older code."""
    raise NotImplementedError("0003_desk_queue has no downgrade")
