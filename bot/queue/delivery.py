"""One delivery point for messages that do not answer a customer's request.

Agent replies and the CSAT question arrive outside a bot turn. They go into
the outbox table first (so nothing is lost), then to the channel's pusher if
it registered one (web socket, WeChat customer-service API). Channels
without push (REST) hand pending messages over on the customer's next
request, or on `GET /webhooks/rest/outbox/<sender>`.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Awaitable, Callable, Dict, List, Optional, Tuple, Union

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.db import OutboxRow, as_utc, utcnow
from bot.storage.repositories import OutboxRepository

logger = logging.getLogger(__name__)

# What a pusher returns: True (the customer's client acknowledged), AT_MOST_ONCE (sent to a
# client that never acknowledges, e.g. a standard Rasa socket.io widget: counted as delivered,
# shown to the agent as "sent, not confirmed") or False (not sent: the outbox keeps it).
AT_MOST_ONCE = "at_most_once"
Pusher = Callable[[str, List[dict]], Awaitable[Union[bool, str]]]
_PUSHERS: Dict[str, Pusher] = {}


def register_pusher(channel: str, pusher: Pusher) -> None:
    """A channel that can push calls this once at start-up.

    Args:
        channel: the delivery name the pusher serves (``Channel.delivery``: ``web``, ``wechat``).
        pusher: the callable that pushes stored outbox rows to that channel's customers.
    """
    _PUSHERS[channel] = pusher


def pusher_of(channel: str) -> Optional[Pusher]:
    """The pusher ``channel`` (a delivery name) registered, or None if it cannot push.

    Args:
        channel: a delivery name (``Channel.delivery``).

    Returns:
        The registered :data:`Pusher`, or None when no pusher is registered for it.
    """
    return _PUSHERS.get(channel)


class SqlAlchemyOutboxRepository(OutboxRepository):
    """The outbox table: messages for customers outside a bot turn, until delivered."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, conversation_id: str, channel: str, messages: List[dict],
            created_at: Optional[datetime] = None) -> List[int]:
        """Store ``messages`` for ``conversation_id`` on ``channel`` (a delivery name); returns their ids.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        when = {"created_at": created_at} if created_at is not None else {}
        rows = [OutboxRow(conversation_id=conversation_id, channel=channel, message=m, **when) for m in messages]
        self.session.add_all(rows)
        self.session.flush()
        return [r.id for r in rows]

    def take_pending(self, conversation_id: str, channel: Optional[str] = None, with_time: bool = False) -> List[dict]:
        """Pending messages, oldest first, marked delivered in the same transaction
        (only those for ``channel``, a Rasa channel name, when given; ``with_time``: with their ``timestamp``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(OutboxRow).where(OutboxRow.conversation_id == conversation_id,
                                       OutboxRow.delivered_at.is_(None))
        if channel is not None:
            stmt = stmt.where(OutboxRow.channel == channel)
        rows = list(self.session.execute(stmt.order_by(OutboxRow.id).with_for_update()).scalars())
        now = utcnow()
        for row in rows:
            row.delivered_at = now
        if with_time:
            return [{**(r.message or {}), "timestamp": as_utc(r.created_at).timestamp()} for r in rows]
        return [r.message for r in rows]

    def move_pending(self, from_conversation: str, to_conversation: str, channel: str) -> List[int]:
        """Give the undelivered messages of one conversation to another; their ids.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        rows = list(self.session.execute(
            select(OutboxRow).where(OutboxRow.conversation_id == from_conversation, OutboxRow.delivered_at.is_(None))
            .order_by(OutboxRow.id).with_for_update()
        ).scalars())
        for row in rows:
            row.conversation_id, row.channel = to_conversation, channel
        self.session.flush()
        return [row.id for row in rows]

    def claim(self, conversation_id: str, ids: List[int]) -> List[Tuple[int, dict]]:
        """The still undelivered messages of ``conversation_id`` among ``ids``, oldest first, marked delivered.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not ids:
            return []
        rows = list(self.session.execute(
            select(OutboxRow).where(OutboxRow.id.in_(ids), OutboxRow.conversation_id == conversation_id,
                                    OutboxRow.delivered_at.is_(None)).order_by(OutboxRow.id)
        ).scalars())
        now, claimed = utcnow(), []
        for row in rows:
            # one conditional UPDATE a row: the first one takes SQLite's write lock (a SELECT takes none, and FOR
            # UPDATE is ignored there), so of two claimers the second finds the row delivered (a fresh reviewer,
            # session 47: both claimed it); on PostgreSQL the row's UPDATE waits for the other's commit
            if self.session.execute(
                update(OutboxRow).where(OutboxRow.id == row.id, OutboxRow.conversation_id == conversation_id,
                                        OutboxRow.delivered_at.is_(None))
                .values(delivered_at=now).execution_options(synchronize_session=False)
            ).rowcount == 1:
                claimed.append((row.id, {**(row.message or {}), "timestamp": as_utc(row.created_at).timestamp()}))
        return claimed

    def all_for(self, conversation_id: str) -> List[dict]:
        """Every outbox message of the conversation, oldest first, with
        ``at`` (Unix seconds) and ``delivered``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        rows = self.session.execute(
            select(OutboxRow).where(OutboxRow.conversation_id == conversation_id).order_by(OutboxRow.id)
        ).scalars()
        return [{"message": dict(r.message or {}), "at": as_utc(r.created_at).timestamp(),
                 "delivered": r.delivered_at is not None} for r in rows]

    def delivered(self, ids: List[int]) -> bool:
        """Whether every message with these ids is marked delivered (False for no ids).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not ids:
            return False
        rows = self.session.execute(select(OutboxRow.delivered_at).where(OutboxRow.id.in_(ids))).scalars().all()
        return len(rows) == len(set(ids)) and all(at is not None for at in rows)

    def mark_delivered(self, ids: List[int]) -> None:
        """Mark the messages with these ids delivered now.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if ids:
            self.session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(delivered_at=utcnow()))

    def claim_stale(self, conversation_id: str, channel: str, created_before: datetime) -> List[Tuple[int, dict]]:
        """Undelivered messages for ``channel`` created before ``created_before``, oldest first,
        marked delivered (claimed) in this transaction: ``[(id, message)]``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        rows = [
            row for row in self.session.execute(
                select(OutboxRow)
                .where(OutboxRow.conversation_id == conversation_id, OutboxRow.channel == channel,
                       OutboxRow.delivered_at.is_(None))
                .order_by(OutboxRow.id)
                .with_for_update()
            ).scalars()
            if as_utc(row.created_at) < created_before
        ]
        now = utcnow()
        for row in rows:
            row.delivered_at = now
        return [(row.id, row.message) for row in rows]

    def release(self, ids: List[int]) -> None:
        """Mark messages undelivered again (a push that failed after :meth:`claim_stale`).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if ids:
            self.session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(delivered_at=None))
