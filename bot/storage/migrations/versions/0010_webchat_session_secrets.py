"""Web chat sessions resumed with a secret, not with the public conversation id.

Until now the session id a browser held was also the conversation id every
agent sees (queue, search, ticket view), so any agent could resume the
customer's session, read its history and write as the customer. From this
revision the browser's session id is a secret that is never stored:
``webchat_sessions.id`` holds the public conversation id, a one-way hash of
the secret (``bot.channels.webchat.public_id``), and the new column
``photo_key`` another hash of it (the key of the customer's picture URLs).
Sessions issued before have no ``photo_key``: their id was public, so they
cannot be resumed (the browser is given a new session; the old conversation
and its tickets stay for the desk). Skipped where the column exists.

Revision ID: 0010_webchat_session_secrets
Revises: 0009_reply_ids_per_author
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010_webchat_session_secrets"
down_revision: Union[str, Sequence[str], None] = "0009_reply_ids_per_author"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add ``webchat_sessions.photo_key`` (NULL for every session issued before)."""
    if "photo_key" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("webchat_sessions")}:
        op.add_column("webchat_sessions", sa.Column("photo_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop the column (sessions issued since cannot be resumed by the old code either)."""
    with op.batch_alter_table("webchat_sessions") as batch:
        batch.drop_column("photo_key")
