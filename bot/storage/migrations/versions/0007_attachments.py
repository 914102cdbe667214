"""Photos (issue 14): the ``attachments`` table.

Holds each photo's re-encoded bytes (``LargeBinary``: BLOB on SQLite, BYTEA on
PostgreSQL) so any Rasa server can serve it, with its sha256, detected content
type, size, width and height, the conversation and channel it belongs to, the
ticket it was filed on (if any), who uploaded it (customer or agent) and when.
Created only if missing (a database made by ``create_all`` from the models
already has it).

Revision ID: 0007_attachments
Revises: 0006_agent_reply_ids
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007_attachments"
down_revision: Union[str, Sequence[str], None] = "0006_agent_reply_ids"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create ``attachments`` and its two indexes if missing."""
    bind = op.get_bind()
    if "attachments" in set(sa.inspect(bind).get_table_names()):
        return
    op.create_table(
        "attachments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=True),
        sa.Column("uploader", sa.String(length=16), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attachments_conversation_id", "attachments", ["conversation_id"])
    op.create_index("ix_attachments_ticket_id", "attachments", ["ticket_id"])


def downgrade() -> None:
    """Drop the table (and its indexes)."""
    op.drop_index("ix_attachments_ticket_id", table_name="attachments")
    op.drop_index("ix_attachments_conversation_id", table_name="attachments")
    op.drop_table("attachments")
