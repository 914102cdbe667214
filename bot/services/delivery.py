"""Deliver messages that do not answer a customer's request (agent replies, the CSAT question).

They go into the outbox first (so nothing is lost), then to the channel's
pusher if it registered one (``bot.queue.delivery``); channels without push
(REST) take what is pending on the customer's next request.
"""
from __future__ import annotations

import asyncio
import logging
from typing import List, Optional, Union

from bot.domain import Channel
from bot.queue.delivery import AT_MOST_ONCE, pusher_of
from bot.queue.notifier import Notifier, NotifierError
from bot.services import UnitOfWorkFactory
from bot.services import tickets as tickets_service
from bot.services import waiting
from bot.services.notifications import get_notifier

logger = logging.getLogger(__name__)


def take_pending(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: Optional[str] = None) -> List[dict]:
    """What waits for the customer (on ``channel`` if given), marked delivered
    (for channels that hand over on request).

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.
        channel: only what waits for this delivery name (None: any).

    Returns:
        The pending messages (dicts, oldest first), now marked delivered.
    """
    with uow_factory() as uow:
        pending = uow.outbox.take_pending(conversation_id, channel)
        uow.commit()
    return pending


def _store(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, messages: List[dict]) -> list:
    """Add ``messages`` to the outbox in one unit of work; their outbox ids."""
    with uow_factory() as uow:
        ids = uow.outbox.add(conversation_id, channel, messages)
        uow.commit()
    return ids


def _mark_delivered(uow_factory: UnitOfWorkFactory, ids: list) -> None:
    with uow_factory() as uow:
        uow.outbox.mark_delivered(ids)
        uow.commit()


async def deliver(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, messages: List[dict]) -> Union[bool, str]:
    """Store (in a worker thread: the database is synchronous), then push if the channel can.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.
        channel: the delivery name of the channel (``Channel.delivery``).
        messages: Rasa-shaped bot messages (``{text}``, ``{image}``, ``{custom}``, ...).

    Returns:
        True when pushed and confirmed now, ``AT_MOST_ONCE`` when pushed to a client that
        cannot confirm (both marked delivered, never sent again), False when it waits in the outbox.
    """
    ids = await asyncio.to_thread(_store, uow_factory, conversation_id, channel, messages)
    return await _push(uow_factory, conversation_id, channel, messages, ids)


async def _push(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, messages: List[dict],
                ids: list) -> Union[bool, str]:
    """Push stored outbox messages (``ids``) if the channel can; as :func:`deliver` answers."""
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


def _forward_left_message(uow_factory: UnitOfWorkFactory, notifier: Optional[Notifier], ticket_id: str, agent_name: str,
                          text: str) -> dict:
    """The reply through the notifier when the customer left a message to be answered by e-mail
    or text (``bot.services.waiting.forward_reply``): ``{"notified": "email"|"sms"}``, ``{}`` when
    not needed, ``{"notified": "failed"}`` when the transport refused it (the agent sees it)."""
    try:
        sent = waiting.forward_reply(uow_factory(), notifier or get_notifier(), ticket_id, agent_name, text)
    except NotifierError:
        logger.exception("the reply to ticket %s could not be sent by the notifier", ticket_id)
        return {"notified": "failed"}
    return {"notified": sent} if sent else {}


async def reply_and_deliver(uow_factory: UnitOfWorkFactory, ticket_id: str, username: str, agent_name: str, text: str,
                            notifier: Optional[Notifier] = None, message_id: Optional[str] = None) -> dict:
    """An agent's reply to a ticket they hold, as one use case (DESIGN.md §7, §9a).

    1. ``bot.services.tickets.record_reply`` records it and puts it in the outbox in one
       transaction (raises if the agent may not reply);
    2. when the customer left a message to be answered by e-mail or text, the
       notifier sends it there too (a refused send is reported, not raised);
    3. it is pushed on the customer's channel where the channel can push;
    4. a push to a client that cannot confirm is noted on the ticket.

    With ``message_id`` (the client's id for this reply) a retry — after a failed call, on any
    server, even while the first call still runs — sends nothing again and answers as the first
    call did, plus ``"duplicate": true``.

    Args:
        uow_factory: makes a fresh unit of work (each step runs in its own, in a worker thread).
        ticket_id: the ticket's id.
        username: the agent's user name.
        agent_name: the agent's display name, shown to the customer.
        text: the message text, as written.
        notifier: for left messages; default ``bot.services.notifications.get_notifier()``.
        message_id: the client's id for this reply (checked by the caller: at most 64 characters).

    Returns:
        What the desk answers: ``{"status": "sent"|"queued_for_delivery"}``, plus
        ``"delivery": "at_most_once"`` for a client that cannot confirm, plus
        ``"notified": "email"|"sms"|"failed"`` for a left message; plus ``"message_id"`` when
        given, and ``"duplicate": true`` for a retry.

    Raises:
        bot.queue.tickets.TicketNotFound; bot.queue.tickets.ClaimConflict: the ticket is not
        ``with_agent`` held by ``username``; bot.services.tickets.ReplyIdConflict: ``message_id``
        was used on the ticket for another reply. Nothing was sent in each case.
    """
    message = {"text": text, "custom": {"from": "agent", "agent": agent_name}}
    recorded = await asyncio.to_thread(tickets_service.record_reply, uow_factory(), ticket_id, username, text,
                                       message, message_id)
    if recorded.duplicate:
        return {**(recorded.result or {}), "message_id": message_id, "duplicate": True}
    current = recorded.ticket
    notified = await asyncio.to_thread(_forward_left_message, uow_factory, notifier, ticket_id, agent_name, text)
    pushed = await _push(uow_factory, current.conversation_id, Channel.from_input(current.channel).delivery,
                         [message], recorded.outbox_ids)
    if pushed == AT_MOST_ONCE:  # a client that cannot confirm (standard Rasa widget): say so
        result = {"status": "sent", "delivery": AT_MOST_ONCE, **notified}
    else:
        result = {"status": "sent" if pushed else "queued_for_delivery", **notified}
    if pushed == AT_MOST_ONCE or message_id is not None:  # the transcript shows it; a retry answers it
        await asyncio.to_thread(tickets_service.note_reply_outcome, uow_factory(), recorded.event_id, result)
    return {**result, "message_id": message_id} if message_id is not None else result
