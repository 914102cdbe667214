"""Deliver messages that do not answer a customer's request (agent replies, the CSAT question).

They go into the outbox first (so nothing is lost), then to the channel's
pusher if it registered one (``bot.queue.delivery``); channels without push
(REST) take what is pending on the customer's next request.
"""
from __future__ import annotations

import asyncio
import logging
from typing import List, Optional, Union

from bot.queue.delivery import AT_MOST_ONCE, pusher_of

logger = logging.getLogger(__name__)


def take_pending(uow_factory, conversation_id: str, channel: Optional[str] = None) -> List[dict]:
    """What waits for the customer (on ``channel`` if given), marked delivered
    (for channels that hand over on request)."""
    with uow_factory() as uow:
        pending = uow.outbox.take_pending(conversation_id, channel)
        uow.commit()
    return pending


def _store(uow_factory, conversation_id: str, channel: str, messages: List[dict]) -> list:
    """Add ``messages`` to the outbox in one unit of work; their outbox ids."""
    with uow_factory() as uow:
        ids = uow.outbox.add(conversation_id, channel, messages)
        uow.commit()
    return ids


def _mark_delivered(uow_factory, ids: list) -> None:
    with uow_factory() as uow:
        uow.outbox.mark_delivered(ids)
        uow.commit()


async def deliver(uow_factory, conversation_id: str, channel: str, messages: List[dict]) -> Union[bool, str]:
    """Store (in a worker thread: the database is synchronous), then push if the channel can.

    Returns:
        True when pushed and confirmed now, ``AT_MOST_ONCE`` when pushed to a client that
        cannot confirm (both marked delivered, never sent again), False when it waits in the outbox.
    """
    ids = await asyncio.to_thread(_store, uow_factory, conversation_id, channel, messages)
    pusher = pusher_of(channel)
    if pusher is None:
        return False
    try:
        pushed = await pusher(conversation_id, messages)
    except Exception:  # the message stays in the outbox for the next chance
        logger.exception("push to %s failed for %s", channel, conversation_id)
        return False
    if pushed:
        await asyncio.to_thread(_mark_delivered, uow_factory, ids)
    return pushed if pushed == AT_MOST_ONCE else bool(pushed)
