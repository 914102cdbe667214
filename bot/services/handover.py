"""Hand a conversation over to a person (DESIGN.md §4–§6).

One transaction: build the handoff packet, open the ticket ``queued`` (an
agent is online within support hours) or ``callback`` (nobody to take it now),
record the reason. A conversation that already has an open ticket gets no
second one: the customer's message is filed on the open ticket instead.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import List, Optional, Sequence, Tuple

from bot.customers.model import Customer
from bot.services.attachments import link_packet_photos
from bot.services.customers import related_conversations
from bot.domain import Channel, Flow, PacketJSON, TicketEvent, TicketState
from bot.handover.packet import build_packet
from bot.handover.policy import (OFFER_ACTION, Decision, EscalationConfig, escalated_within, estimated_wait_s,
                                 within_support_hours)
from bot.services.tickets import Followed, file_customer_message, follow_within, ticket_owner
from bot.handover.call_me import callback_asked
from bot.text import callback_refusal, utcnow
from bot.queue.tickets import Ticket, TicketAlreadyOpen, new_ticket_id
from bot.storage.uow import AbstractUnitOfWork
from bot.settings import get_settings

RELAY_ACTION = "action_relay_to_agent"  # files a customer message on the open ticket (actions/handoff.py)

#: Earlier tickets of the customer within this window make the new one more urgent (escalation.yml).
RECENT_TICKETS = timedelta(days=30)


@dataclass(frozen=True)
class Conversation:
    """What the hand-over needs to know of the Rasa conversation.

    ``events``: tracker events as dicts; ``slots``: current slot values;
    ``latest_text``/``latest_channel``: the customer's last message and its
    Rasa input channel name.
    """

    conversation_id: str
    events: list
    slots: dict
    latest_text: str = ""
    latest_channel: Optional[str] = None


@dataclass(frozen=True)
class Handover:
    """The outcome: the ticket; ``already_open`` when it existed before (the message was filed
    on it); ``position`` in the queue and estimated ``wait_s`` (seconds) for a new ticket;
    ``callback_phone`` when the customer asked to be called back on a number (the ticket is a
    ``callback`` on it); ``refused_phone`` and ``refusal`` when the number they asked to be called on
    is one we do not call (``bot.text.callback_refusal``: the hand-over went on without it); ``moved`` when the
    ticket was the customer's, queued or served on another of their chats, and followed them here
    (``bot.services.tickets.Followed``)."""

    ticket: Ticket
    already_open: bool = False
    position: Optional[int] = None
    wait_s: Optional[int] = None
    callback_phone: Optional[str] = None
    refused_phone: Optional[str] = None
    refusal: Optional[str] = None
    moved: Optional[Followed] = None


def hand_over(uow: AbstractUnitOfWork, conversation: Conversation, decision: Decision, config: EscalationConfig,
              customer: Optional[Customer] = None, now: Optional[datetime] = None,
              proven: Optional[Customer] = None) -> Handover:
    """Open a ticket for the conversation, or file the message on its open ticket, or on the customer's ticket
    queued or with an agent on another of their chats, which then follows them here
    (``bot.services.tickets.follow_within``: only when this conversation proves the customer now).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation: the conversation handed over (``Conversation``: id, events, slots, latest message).
        decision: why the conversation goes to a person (``bot.handover.policy.Decision``).
        config: escalation.yml, validated (``EscalationConfig``).
        customer: the linked customer (``bot.services.customers``), None if anonymous.
        now: the moment of the hand-over (default: now, UTC).
        proven: the customer the latest message proves now (``bot.services.customers.proven_customer``): their
            ticket on another chat follows them here, unless the message names an urgent case or asks to be
            called back (those open their own ticket, with the advice, the priority and the call-back); None:
            nothing follows.

    Returns:
        ``Handover``: the ticket, and whether it was already open (the message filed on it).
    """
    now = now or utcnow()
    with uow:
        ticket = uow.tickets.open_for_conversation(conversation.conversation_id)
        if ticket is None and not decision.urgent_case and asked_call_back(conversation)[0] is None:
            # the customer's request is already queued or with an agent on another of their chats: it follows them
            # here instead of a second ticket (a fresh reviewer, session 46: a chat whose session was already
            # running opened one, which the 7-day repeat bump put ahead of the customer's own)
            followed = follow_within(uow, conversation.conversation_id, Channel.from_input(conversation.latest_channel),
                                     proven)
            ticket = followed.ticket if followed else None
            if followed:
                uow.commit()
                return replace(_file_on_open(uow, conversation, ticket, config), moved=followed)
        if ticket is not None:
            return _file_on_open(uow, conversation, ticket, config)
        packet = _packet(uow, conversation, decision, config, customer, now)
        online = uow.agents.online_count(now)
        asked, refusal = asked_call_back(conversation)
        state = TicketState.QUEUED if online and within_support_hours(now, config) else TicketState.CALLBACK
        state = TicketState.CALLBACK if asked and not refusal else state  # "call me back on 139…" (report 4)
        try:
            ticket = uow.tickets.add(packet, state, customer_id=ticket_owner(packet))
        except TicketAlreadyOpen as raced:  # another turn opened one meanwhile (one open ticket per conversation)
            return _file_on_open(uow, conversation, raced.ticket, config)
        if asked and not refusal:
            uow.tickets.fill_intake(ticket.ticket_id, "phone", asked, replace=True)
            uow.tickets.add_event(ticket.ticket_id, TicketEvent.CALLBACK.value, "customer", None, {"phone": asked})
            # asked for now, as a call-back asked for in the queue is (bot.services.waiting): the desk's
            # "Callback, asked … ago" and the call-back's own SLA count from this message
            uow.tickets.note_callback_requested(ticket.ticket_id, now, dict(packet["sla"]))
            ticket = uow.tickets.get(ticket.ticket_id) or ticket
        uow.reasons.record(conversation.conversation_id, decision.code, decision.detail)
        link_packet_photos(uow, packet, ticket.ticket_id, conversation.conversation_id)  # kept with the ticket
        uow.commit()
        position = uow.tickets.position(ticket)
        return Handover(ticket, position=position,
                        wait_s=estimated_wait_s(position, uow.agents.online_count(now), config),
                        callback_phone=asked if not refusal else None, refused_phone=asked if refusal else None,
                        refusal=refusal)


def asked_call_back(conversation: Conversation) -> Tuple[Optional[str], Optional[str]]:
    """The number the customer's latest message asks to be called back on ("Can someone call me back on
    13900139000?", "请给我回电，13800138000": ``bot.handover.call_me.callback_asked``), and why we would not
    call it (``bot.text.callback_refusal``), on a written channel; on the phone the bridge offers the call-back
    on the caller id.

    Args:
        conversation: the conversation handed over (its latest message and channel).

    Returns:
        ``(E.164 number or None, refusal or None)``.
    """
    if Channel.from_input(conversation.latest_channel) == Channel.IVR:
        return None, None
    asked = callback_asked(conversation.latest_text)
    return asked, callback_refusal(asked) if asked else None


def _file_on_open(uow: AbstractUnitOfWork, conversation: Conversation, ticket: Ticket,
                  config: EscalationConfig) -> Handover:
    """The conversation already has an open ticket: file the customer's message on it (rev14b #2:
    when the message only accepts the bot's offer of a person, the message that was offered is filed
    instead of the "yes")."""
    texts = messages_to_file(conversation, config.file.triggers.customer_request.accept_offer_intents)
    for text in texts:
        file_customer_message(uow, ticket.ticket_id, text, conversation.latest_channel or "rest")
    if texts:
        uow.commit()
    return Handover(ticket, already_open=True)


def messages_to_file(conversation: Conversation, accept_intents: Sequence[str]) -> List[str]:
    """What a hand-over on an already open ticket files: the customer's latest text; but when it
    accepts (intent in ``accept_intents``, e.g. "yes") the bot's offer of a person
    (``action_offer_handoff`` ran right before it), the customer's message that the offer answered
    ("Also the box was wet") rev14b #2. Nothing when the latest message was relayed to the case
    already (``action_relay_to_agent`` ran after it, rev14c #2), nor the offered message when the
    offer action filed it on a call-back's case instead of offering.

    Args:
        conversation: the conversation (its tracker events as dicts, latest text).
        accept_intents: the intents that accept an offer (escalation.yml ``accept_offer_intents``).

    Returns:
        The texts to file, oldest first (empty when there is nothing to file).
    """
    latest = conversation.latest_text
    events = list(conversation.events)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if users and any(e.get("event") == "action" and e.get("name") == RELAY_ACTION for e in events[users[-1] + 1:]):
        return []  # rev14c #2: relayed to the call-back's case already (then the bot answered too)
    if users:
        last = events[users[-1]]
        intent = ((last.get("parse_data") or {}).get("intent") or {}).get("name")
        actions = [e.get("name") for e in events[users[-2] + 1:users[-1]] if e.get("event") == "action"] \
            if len(users) > 1 else []
        offered = [a for a in actions if a != "action_listen"][-1:] == [OFFER_ACTION]
        # rev14c #2: the offer action filed the message on a call-back's case instead of offering (it
        # then sets handoff_state "callback"): a "yes" accepts nothing, and the report is filed already
        filed = any(e.get("event") == "slot" and e.get("name") == "handoff_state" and e.get("value") == "callback"
                    for e in events[users[-2] + 1:users[-1]]) if len(users) > 1 else False
        offered = offered and not filed
        if intent in accept_intents and offered:
            offered_text = events[users[-2]].get("text") or ""
            return [offered_text] if offered_text.strip() else ([latest] if latest else [])
    return [latest] if latest else []


def _packet(uow: AbstractUnitOfWork, conversation: Conversation, decision: Decision, config: EscalationConfig,
            customer: Optional[Customer], now: datetime) -> PacketJSON:
    conversation_id = conversation.conversation_id
    # Tickets of a known customer carry their id; those filed while a
    # conversation was still anonymous carry the conversation id.
    owners = [customer.customer_id, *customer.conversation_ids] if customer else [conversation_id]
    since = now - RECENT_TICKETS
    previous = [t for owner in dict.fromkeys(owners) for t in uow.tickets.recent_for_customer(owner, since)]
    progress_of = conversation_id
    if customer is not None:
        progress_of = uow.customers.latest_progress_conversation(
            [conversation_id, *customer.conversation_ids], Flow.PASSWORD_RESET.value) or conversation_id
    return build_packet(
        ticket_id=new_ticket_id(),
        conversation_id=conversation_id,
        events=conversation.events,
        slots=conversation.slots,
        decision=decision,
        config=config,
        progress=uow.progress.get(progress_of, Flow.PASSWORD_RESET.value),
        customer=customer.packet_view() if customer else None,
        escalated_recently=escalated_within(previous, now, config),
        now=now,
        related=related_conversations(uow, customer, conversation_id, now),
        desk_language=get_settings().desk_language,  # issue 14: the packet's one-language summary
    )
