"""The agent desk's internal notes and canned replies (issue 14).

Creates ``ticket_notes`` (a note an agent writes on a ticket; never delivered
to the customer) and ``canned_replies`` (per language, edited by
supervisors), each only if missing (a database made by ``create_all`` from
the models already has them), and seeds a few canned replies in English and
Chinese when the table is empty.

Revision ID: 0004_desk_notes_canned
Revises: 0003_desk_queue
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_desk_notes_canned"
down_revision: Union[str, Sequence[str], None] = "0003_desk_queue"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (language, title, text): frozen here, as the revision wrote them.
SEED = (
    ("en", "Greeting", "Hello, thank you for waiting. I have read what you told our assistant, "
                       "so you won't need to repeat anything. Let me look into this for you."),
    ("en", "Checking order", "Thank you. I'm checking your order now; this will take a minute or two."),
    ("en", "Refund timing", "Once the refund is approved, it reaches your original payment method "
                            "within 5 to 10 working days."),
    ("en", "Anything else", "Is there anything else I can help you with today?"),
    ("en", "Closing", "Thank you for contacting us. Have a good day!"),
    ("zh", "问候", "您好，感谢您的耐心等待。我已经看过您和智能助手的对话，您不需要再重复说明。我来为您处理。"),
    ("zh", "查询订单", "好的，我正在为您查询订单，请稍等一两分钟。"),
    ("zh", "退款时间", "退款审核通过后，款项将在5到10个工作日内退回您的原支付账户。"),
    ("zh", "还有其他问题", "请问还有其他可以帮您的吗？"),
    ("zh", "结束语", "感谢您的咨询，祝您生活愉快！"),
)


def upgrade() -> None:
    """Create the two tables if missing; seed the canned replies into an empty table."""
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    if "ticket_notes" not in existing:
        op.create_table(
            "ticket_notes",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("ticket_id", sa.String(length=32), nullable=False),
            sa.Column("author", sa.String(length=64), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_ticket_notes_ticket_id", "ticket_notes", ["ticket_id"])
    if "canned_replies" not in existing:
        op.create_table(
            "canned_replies",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("language", sa.String(length=8), nullable=False),
            sa.Column("title", sa.String(length=80), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("updated_by", sa.String(length=64), nullable=True),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("language", "title"),
        )
        op.create_index("ix_canned_replies_language", "canned_replies", ["language"])
    canned = sa.table("canned_replies", sa.column("language"), sa.column("title"), sa.column("text"),
                      sa.column("updated_by"), sa.column("updated_at"))
    if bind.execute(sa.select(sa.func.count()).select_from(canned)).scalar_one() == 0:
        now = sa.func.current_timestamp()
        for language, title, text in SEED:
            bind.execute(canned.insert().values(language=language, title=title, text=text,
                                                updated_by="seed", updated_at=now))


def downgrade() -> None:
    """Drop both tables (their rows are lost)."""
    op.drop_table("ticket_notes")
    op.drop_table("canned_replies")
