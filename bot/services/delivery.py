"""Deliver messages that do not answer a customer's request (agent replies, the CSAT question).

They go into the outbox first (so nothing is lost), then to the channel's
pusher if it registered one (``bot.queue.delivery``); channels without push
(REST) take what is pending on the customer's next request.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any, List, Optional, Sequence, Tuple, Union

from bot.channels import live
from bot.channels.attachments import agent_url
from bot.domain import Channel
from bot.queue.delivery import AT_MOST_ONCE, pusher_of
from bot.queue.notifier import Notifier, NotifierError
from bot.services import UnitOfWorkFactory, run_image
from bot.services import attachments as attachments_service
from bot.services import tickets as tickets_service
from bot.services import waiting
from bot.services import webchat as webchat_service
from bot.services.notifications import get_notifier
from bot.settings import get_settings
from bot.storage.conversation_state import StateStore, state_key, state_store

logger = logging.getLogger(__name__)

# ---- whether a conversation can have messages waiting (issue 16) ---------------------
# The REST channel hands pending outbox messages over after every turn. Most conversations
# never get one, so it asks the database only when the conversation state store
# (bot/storage/conversation_state.py: Redis with REDIS_URL, shared by every server; else this
# process's memory) cannot show that nothing was added since the last look:
#   - every writer of the outbox replaces the conversation's *generation* (a random token)
#     with a new one after its transaction commits (and, in ``deliver``, before it starts);
#   - a reader notes the generation *before* it reads the outbox; after the read it records
#     "looked at generation g" (SEEN). A later turn skips the database only while SEEN equals
#     the current generation.
# A message committed after the reader's snapshot is followed by a new generation, which
# never equals the SEEN a reader records from an earlier read; a message committed before
# is in the snapshot. No compare-and-set is needed: a stale SEEN is only ever older.
# SEEN expires after OUTBOX_SEEN_TTL_S, so even a writer killed between its commit and the
# new generation (or a Redis error meanwhile) delays a REST message by at most that long
# (``GET /webhooks/rest/outbox/<sender>`` always reads the database).
OUTBOX_GENERATION_TTL_S = 24 * 3600.0
OUTBOX_SEEN_TTL_S = 120.0
_MEMORY_HINTS: Optional[StateStore] = None
_REDIS_HINTS: "dict[str, tuple]" = {}  # REDIS_URL -> (event loop, its RedisStateStore)


def _hints() -> StateStore:
    """The conversation state store for the outbox marks: one per process in memory (no
    REDIS_URL), else one per event loop (a Redis client belongs to the loop it runs on)."""
    global _MEMORY_HINTS
    redis_url = get_settings().redis_url
    if not redis_url:
        if _MEMORY_HINTS is None:
            _MEMORY_HINTS = state_store(max_entries=50_000)
        return _MEMORY_HINTS
    loop = asyncio.get_running_loop()
    cached = _REDIS_HINTS.get(redis_url)
    if cached is None or cached[0] is not loop:
        cached = _REDIS_HINTS[redis_url] = (loop, state_store())
    return cached[1]


async def outbox_changed(conversation_id: str) -> None:
    """Say that ``conversation_id``'s outbox may hold new pending messages (a new generation).

    Call it after the transaction that added or released them committed (and may call it
    before as well). Never raises: a store error is logged (the SEEN mark expires anyway).

    Args:
        conversation_id: the conversation's Rasa sender id.

    Returns:
        None.
    """
    try:
        await _hints().put(state_key("outbox:generation", conversation_id), uuid.uuid4().hex, OUTBOX_GENERATION_TTL_S)
    except Exception:
        logger.exception("could not mark the outbox of %s changed", conversation_id)


async def take_pending_if_any(uow_factory: UnitOfWorkFactory, conversation_id: str,
                              channel: Optional[str] = None) -> List[dict]:
    """:func:`take_pending` (in a worker thread), skipped when the conversation state store shows
    nothing was added to the conversation's outbox since the last look (see above).

    Args:
        uow_factory: makes a fresh unit of work (:func:`take_pending` opens one).
        conversation_id: the conversation's Rasa sender id.
        channel: the packet name of the customer's channel, or None for any.

    Returns:
        The pending messages (as :func:`take_pending`), marked delivered; ``[]`` when skipped.
    """
    generation_key, seen_key = state_key("outbox:generation", conversation_id), state_key("outbox:seen", conversation_id)
    generation = None
    try:
        hints = _hints()
        generation = await hints.get(generation_key)
        if generation is not None and await hints.get(seen_key) == generation:
            return []
        if generation is None:
            token = uuid.uuid4().hex
            added = await hints.add(generation_key, token, OUTBOX_GENERATION_TTL_S)
            generation = token if added else await hints.get(generation_key)
    except Exception:
        logger.exception("outbox hint of %s unavailable; reading the outbox", conversation_id)
        generation = None
    pending = await asyncio.to_thread(take_pending, uow_factory, conversation_id, channel)
    if generation is not None:
        try:
            await hints.put(seen_key, generation, OUTBOX_SEEN_TTL_S)
        except Exception:
            logger.exception("could not note the outbox of %s read", conversation_id)
    return pending


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


def _store_for_ticket(uow_factory: UnitOfWorkFactory, ticket_id: str, conversation_id: str, channel: str,
                      messages: List[dict]) -> Tuple[list, str, str]:
    """:func:`_store` for the customer of ``ticket_id``: the ticket is read again under its row lock once the
    transaction has written, and when it moved to another of the customer's chats since ``conversation_id`` was read
    (``bot.services.tickets.follow_within``), what waits on the chat it left follows it, as the move's own rows did.
    Returns ``(ids, conversation id, delivery name)`` where the messages wait."""
    with uow_factory() as uow:
        ids = uow.outbox.add(conversation_id, channel, messages)
        now = uow.tickets.get(ticket_id, for_update=True)
        if now is not None and now.conversation_id != conversation_id:
            here = Channel.from_input(now.channel).delivery
            uow.outbox.move_pending(conversation_id, now.conversation_id, here)
            conversation_id, channel = now.conversation_id, here
        uow.commit()
    return ids, conversation_id, channel


def _mark_delivered(uow_factory: UnitOfWorkFactory, ids: list) -> None:
    with uow_factory() as uow:
        uow.outbox.mark_delivered(ids)
        uow.commit()


async def deliver(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, messages: List[dict],
                  ticket_id: Optional[str] = None) -> Union[bool, str]:
    """Store (in a worker thread: the database is synchronous), then push if the channel can.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.
        channel: the delivery name of the channel (``Channel.delivery``).
        messages: Rasa-shaped bot messages (``{text}``, ``{image}``, ``{custom}``, ...).
        ticket_id: the ticket the messages are about, when its customer may have moved to another chat since
            ``conversation_id`` was read (an agent joining): they go where the ticket is when they are stored.

    Returns:
        True when pushed and confirmed now, ``AT_MOST_ONCE`` when pushed to a client that
        cannot confirm (both marked delivered, never sent again), False when it waits in the outbox.
    """
    await outbox_changed(conversation_id)
    if ticket_id is None:
        ids = await asyncio.to_thread(_store, uow_factory, conversation_id, channel, messages)
    else:
        ids, conversation_id, channel = await asyncio.to_thread(_store_for_ticket, uow_factory, ticket_id,
                                                                conversation_id, channel, messages)
    await outbox_changed(conversation_id)
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


def _claim(uow_factory: UnitOfWorkFactory, conversation_id: str, ids: Sequence[int]) -> list:
    """Claim the conversation's still undelivered messages among ``ids`` in one unit of work: ``[(id, message)]``."""
    with uow_factory() as uow:
        claimed = uow.outbox.claim(conversation_id, list(ids))
        uow.commit()
    return claimed


def _release(uow_factory: UnitOfWorkFactory, ids: Sequence[int]) -> None:
    with uow_factory() as uow:
        uow.outbox.release(list(ids))
        uow.commit()


async def after_move(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, replies: Sequence[int],
                     left: Optional[str] = None, left_channel: Optional[str] = None) -> int:
    """A ticket followed its customer to ``conversation_id`` in the turn just saved
    (``bot.services.tickets.Followed``; the Rasa server's tracker store calls this after the turn). Before, the
    replies that came with it reached an open web chat only when it reconnected, a REST client only after the
    outbox mark expired (up to :data:`OUTBOX_SEEN_TTL_S`) and WeChat only with the customer's next message; and a
    web chat the ticket left kept showing "with Alice" in its header (session 46's open items).

    1. The conversation's outbox is marked changed (:func:`outbox_changed`): the REST channel's read after the
       turn hands the replies over with the turn's answer.
    2. On a channel that pushes (web chat, WeChat), the replies still undelivered among ``replies`` and now for
       this conversation (an id of another conversation's message is skipped, whoever names it) are claimed and
       pushed now; when the push fails, or the task is cancelled (a server stopping), they are released and wait
       for the next chance (a reconnect, the next message), as an agent's reply does. A server killed during the
       push leaves them marked delivered, as WeChat's retry of stale replies does (``claim_stale``).
    3. The chat it left is sent its status where it shows one (the web chat's header: the bot's again).

    Never raises: an error is logged and the replies stay in the outbox.

    Args:
        uow_factory: makes a fresh unit of work (each step runs in its own, in a worker thread).
        conversation_id: the Rasa sender id the ticket moved to.
        channel: that conversation's delivery name (``Channel.delivery``: ``webchat``, ``wechat``, ``rest``).
        replies: the outbox ids that moved with the ticket (``Followed.replies``).
        left: the Rasa sender id of the chat the ticket left, or None.
        left_channel: that chat's packet channel (``web``, ``wechat``, ``rest``), or None.

    Returns:
        How many replies were pushed and marked delivered now (0 when none, on REST, or when the push failed).
    """
    await outbox_changed(conversation_id)
    return await push_moved(uow_factory, conversation_id, channel, replies, left, left_channel)


async def push_moved(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, replies: Sequence[int],
                     left: Optional[str] = None, left_channel: Optional[str] = None) -> int:
    """Steps 2 and 3 of :func:`after_move`, for a caller that marked the outbox itself before the turn's answer
    (the tracker store, which runs these in the background).

    Args:
        uow_factory, conversation_id, channel, replies, left, left_channel: as :func:`after_move`.

    Returns:
        As :func:`after_move`.
    """
    pushed = 0
    try:
        pusher = pusher_of(channel)
        claimed = (await asyncio.to_thread(_claim, uow_factory, conversation_id, replies)
                   if pusher is not None and replies else [])
        if claimed:
            ids, messages = zip(*claimed)
            try:
                sent = await _push_claimed(pusher, conversation_id, list(messages))
            except BaseException:  # cancelled (a server stopping): released now, on the loop, before it goes
                _release(uow_factory, ids)
                raise
            if not sent:  # they wait for the next chance (a reconnect, the next message)
                await asyncio.to_thread(_release, uow_factory, ids)
                await outbox_changed(conversation_id)
            pushed = len(ids) if sent else 0
    except Exception:
        logger.exception("the replies that moved to %s could not be pushed; they wait in the outbox", conversation_id)
    if left and left_channel:
        await show_status(uow_factory, left, Channel.from_input(left_channel))
    return pushed


async def _push_claimed(pusher: Any, conversation_id: str, messages: List[dict]) -> bool:
    """Push claimed messages; True when the channel took them (acknowledged, or sent at most once)."""
    try:
        return bool(await pusher(conversation_id, messages))
    except Exception:
        logger.exception("push of the moved replies to %s failed", conversation_id)
        return False


async def show_status(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: Channel) -> bool:
    """Send a conversation's open chats its status now, where the channel shows one (the web chat's header: "You're
    number 2 in the queue", "Agent 4", the bot), after a change made outside the customer's turns: an agent claimed,
    transferred or closed the ticket, or it followed the customer to another chat. Until then the header changed only
    with the customer's next message or the widget's own refresh (every 15 s while queued; never while with an
    agent). Never raises: a read or send error is logged.

    Args:
        uow_factory: makes a fresh unit of work (read only).
        conversation_id: the Rasa sender id.
        channel: the conversation's channel.

    Returns:
        True when an open chat was sent it; False when the channel shows no status, none is open, or it failed.
    """
    if channel != Channel.WEB:
        return False
    try:
        current = await asyncio.to_thread(webchat_service.status, uow_factory(), conversation_id)
    except Exception:
        logger.exception("the status of %s could not be read", conversation_id)
        return False
    return await live.signal(channel.delivery, conversation_id, "status", current)


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
    await outbox_changed(current.conversation_id)
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


async def photo_and_deliver(uow_factory: UnitOfWorkFactory, ticket_id: str, username: str, agent_name: str,
                            data: Any, caption: Optional[str] = None) -> dict:
    """An agent's photo to the customer of a ticket they hold, as one use case (issue 14; the
    photo twin of :func:`reply_and_deliver`).

    1. who holds the ticket is checked before any decoding (``attachments.require_holder``);
    2. the picture is checked in the picture pool (``bot.services.run_image``), never on the
       database's threads;
    3. it is stored with the ticket and recorded as the agent's message in one transaction
       (``attachments.agent_reply_photo``, which checks the holder again);
    4. it goes into the outbox and is pushed on the customer's channel (:func:`deliver`), its URL
       signed with the conversation's photo key (``attachments.url_key``);
    5. a push to a client that cannot confirm is noted on the ticket.

    Args:
        uow_factory: makes a fresh unit of work (each step runs in its own, in a worker thread).
        ticket_id: the ticket's id.
        username: the agent's user name.
        agent_name: the agent's display name, shown to the customer.
        data: the picture's bytes, as uploaded.
        caption: an optional caption (checked by the caller), or None.

    Returns:
        What the desk answers: ``{"status": "sent"|"queued_for_delivery", "attachment": <summary>}``.

    Raises:
        bot.queue.tickets.TicketNotFound; bot.queue.tickets.ClaimConflict: the ticket is not
        ``with_agent`` held by ``username``; bot.channels.attachments.ImageRefused (400/413/415);
        bot.services.ImagesBusy: the picture pool is full. Nothing was stored or sent in each case.
    """
    await asyncio.to_thread(attachments_service.require_holder, uow_factory(), ticket_id, username)
    image = await run_image(attachments_service.check, data)
    ticket, stored = await asyncio.to_thread(attachments_service.agent_reply_photo, uow_factory(), ticket_id,
                                             username, image, caption)
    key = await asyncio.to_thread(attachments_service.url_key, uow_factory(), ticket.conversation_id)
    pushed = await deliver(uow_factory, ticket.conversation_id, Channel.from_input(ticket.channel).delivery,
                           [attachments_service.outgoing_image(stored, agent_name, caption, key)])
    if pushed == AT_MOST_ONCE:
        await asyncio.to_thread(tickets_service.note_delivery, uow_factory(), ticket_id, username, AT_MOST_ONCE)
    return {"status": "sent" if pushed else "queued_for_delivery",
            "attachment": stored.summary(agent_url(stored.attachment_id))}
