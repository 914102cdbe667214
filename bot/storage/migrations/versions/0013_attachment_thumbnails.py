"""Photo previews (issue 14, rev14 review): ``attachments.thumbnail`` and ``thumbnail_type``.

The widget and the desk showed every photo by downloading the whole picture
(up to ATTACHMENT_MAX_BYTES) and scaling it with CSS. Each photo larger than
PHOTO_THUMBNAIL_PX on a side now gets a small preview at upload, stored beside
it (``?size=thumb`` on the photo routes); NULL for smaller photos and for
photos stored before this revision (the routes then serve the picture itself).
Also an index on ``created_at`` for the clean-up of unsent photos
(``bot.services.attachments.expire_unsent``). Skipped where present (a
database made by ``create_all``).

Revision ID: 0013_attachment_thumbnails
Revises: 0012_waiting_counter
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0013_attachment_thumbnails"
down_revision: Union[str, Sequence[str], None] = "0012_waiting_counter"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEX = "ix_attachments_created_at"


def upgrade() -> None:
    """Add the two columns and the index (where missing)."""
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    present = {c["name"] for c in inspector.get_columns("attachments")}
    if "thumbnail" not in present:
        op.add_column("attachments", sa.Column("thumbnail", sa.LargeBinary(), nullable=True))
    if "thumbnail_type" not in present:
        op.add_column("attachments", sa.Column("thumbnail_type", sa.String(32), nullable=True))
    if INDEX not in {i["name"] for i in inspector.get_indexes("attachments")}:
        op.create_index(INDEX, "attachments", ["created_at"])


def downgrade() -> None:
    """Drop the index and the columns."""
    op.drop_index(INDEX, table_name="attachments")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("thumbnail_type")
        batch.drop_column("thumbnail")
