"""Baseline: every table as `create_all` made it before migrations, plus Rasa's `events`.

A database made by the old `create_all` (no alembic_version table) upgrades in
place: only the tables it lacks are created here; the rows it holds stay.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the tables that do not exist yet (all of them on a new database)."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'agents' not in existing:
        op.create_table('agents',
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=120), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('skills', sa.JSON(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('username')
        )
    if 'audit_log' not in existing:
        op.create_table('audit_log',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
    if 'conversation_channels' not in existing:
        op.create_table('conversation_channels',
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('conversation_id')
        )
    if 'customers' not in existing:
        op.create_table('customers',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('display_name', sa.String(length=120), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
    if 'escalation_reasons' not in existing:
        op.create_table('escalation_reasons',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_escalation_reasons_conversation_id'), 'escalation_reasons', ['conversation_id'], unique=False)
    if 'notifications' not in existing:
        op.create_table('notifications',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('transport', sa.String(length=8), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_notifications_recipient'), 'notifications', ['recipient'], unique=False)
    if 'order_proof_failures' not in existing:
        op.create_table('order_proof_failures',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('order_number', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_order_proof_failures_at'), 'order_proof_failures', ['at'], unique=False)
        op.create_index(op.f('ix_order_proof_failures_conversation_id'), 'order_proof_failures', ['conversation_id'], unique=False)
        op.create_index(op.f('ix_order_proof_failures_order_number'), 'order_proof_failures', ['order_number'], unique=False)
    if 'orders' not in existing:
        op.create_table('orders',
        sa.Column('order_number', sa.String(length=16), nullable=False),
        sa.Column('customer_name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('phone', sa.String(length=32), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('carrier', sa.String(length=60), nullable=True),
        sa.Column('tracking_number', sa.String(length=60), nullable=True),
        sa.Column('shipping_address', sa.Text(), nullable=False),
        sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('estimated_delivery', sa.DateTime(timezone=True), nullable=True),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('order_number')
        )
    if 'outbox' not in existing:
        op.create_table('outbox',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('message', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_outbox_conversation_id'), 'outbox', ['conversation_id'], unique=False)
    if 'tickets' not in existing:
        op.create_table('tickets',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('reason_code', sa.String(length=32), nullable=False),
        sa.Column('reason_detail', sa.Text(), nullable=True),
        sa.Column('skills', sa.JSON(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('packet', sa.JSON(), nullable=False),
        sa.Column('customer_id', sa.String(length=255), nullable=True),
        sa.Column('assigned_to', sa.String(length=64), nullable=True),
        sa.Column('disposition', sa.String(length=32), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sla_due_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_tickets_conversation_id'), 'tickets', ['conversation_id'], unique=False)
        op.create_index(op.f('ix_tickets_customer_id'), 'tickets', ['customer_id'], unique=False)
        op.create_index(op.f('ix_tickets_state'), 'tickets', ['state'], unique=False)
    if 'troubleshooting_progress' not in existing:
        op.create_table('troubleshooting_progress',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('flow', sa.String(length=60), nullable=False),
        sa.Column('steps_done', sa.JSON(), nullable=False),
        sa.Column('next_step', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('conversation_id', 'flow')
        )
        op.create_index(op.f('ix_troubleshooting_progress_conversation_id'), 'troubleshooting_progress', ['conversation_id'], unique=False)
    if 'webchat_sessions' not in existing:
        op.create_table('webchat_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('origin', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
    if 'address_changes' not in existing:
        op.create_table('address_changes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('order_number', sa.String(length=16), nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('old_address', sa.Text(), nullable=False),
        sa.Column('new_address', sa.Text(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['order_number'], ['orders.order_number'], ),
        sa.PrimaryKeyConstraint('id')
        )
    if 'agent_tokens' not in existing:
        op.create_table('agent_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['username'], ['agents.username'], ),
        sa.PrimaryKeyConstraint('token_hash')
        )
    if 'agents_disabled' not in existing:
        op.create_table('agents_disabled',
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('disabled_by', sa.String(length=64), nullable=True),
        sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['username'], ['agents.username'], ),
        sa.PrimaryKeyConstraint('username')
        )
    if 'csat_ratings' not in existing:
        op.create_table('csat_ratings',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('ticket_id', sa.String(length=32), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('ticket_id')
        )
    if 'customer_identities' not in existing:
        op.create_table('customer_identities',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('customer_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.Column('verified', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'value')
        )
        op.create_index(op.f('ix_customer_identities_customer_id'), 'customer_identities', ['customer_id'], unique=False)
    if 'order_codes' not in existing:
        op.create_table('order_codes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=False),
        sa.Column('order_number', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('destination', sa.String(length=254), nullable=False),
        sa.Column('salt', sa.String(length=32), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('passed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['order_number'], ['orders.order_number'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_order_codes_conversation_id'), 'order_codes', ['conversation_id'], unique=False)
        op.create_index(op.f('ix_order_codes_order_number'), 'order_codes', ['order_number'], unique=False)
        op.create_index('uq_order_codes_active', 'order_codes', ['conversation_id', 'order_number'], unique=True, sqlite_where=sa.text("state = 'active'"), postgresql_where=sa.text("state = 'active'"))
    if 'ticket_events' not in existing:
        op.create_table('ticket_events',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('ticket_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('author', sa.String(length=64), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_ticket_events_ticket_id'), 'ticket_events', ['ticket_id'], unique=False)
    if 'events' not in existing:
        op.create_table('events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sender_id', sa.String(length=255), nullable=False),
        sa.Column('type_name', sa.String(length=255), nullable=False),
        sa.Column('timestamp', sa.Float(), nullable=True),
        sa.Column('intent_name', sa.String(length=255), nullable=True),
        sa.Column('action_name', sa.String(length=255), nullable=True),
        sa.Column('data', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_events_sender_id'), 'events', ['sender_id'], unique=False)


def downgrade() -> None:
    """The baseline is not undone (it would drop every table and its rows)."""
    raise NotImplementedError("no downgrade below the baseline")
