"""The open case a returning customer hears about first (actions/session.py renders it).

One of, in this order: a queued or call-back ticket, an unfinished password
reset, an order they asked about in the last 24 h.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from bot.customers.model import Customer
from bot.services.customers import related_conversations
from bot.customers.evidence import session_event
from bot.domain import LANGUAGES, WAITING_STATES, WRITTEN_LANGUAGE_KEY, Channel, Flow, TicketState
from bot.services.tickets import followable_ticket
from bot.text import utcnow
from bot.storage.uow import AbstractUnitOfWork



#: :attr:`OpenCase.kind` of a queued or served ticket that follows the customer to this conversation
#: (``bot.services.tickets.followable_ticket``).
CONTINUED = "continued"


@dataclass(frozen=True)
class OpenCase:
    """What a returning customer left open: ``kind`` queued | callback | password_reset | order | continued,
    with what the greeting needs."""
    kind: str  # queued | callback | password_reset | order | continued
    position: Optional[int] = None
    step: Optional[int] = None
    channel: Optional[str] = None  # web | wechat | ivr | rest, where the flow was left (or the ticket came from)
    order_number: Optional[str] = None
    status: Optional[str] = None  # an order's status; a continued ticket's state (queued | with_agent)
    agent: Optional[str] = None  # a continued ticket's agent (their display name), when one serves it
    ticket_id: Optional[str] = None  # a continued ticket's id


def _user_events(conversations: list[tuple[str, list[dict]]]) -> list[dict]:
    """User events of these conversations, newest first."""
    users = [e for _, events in conversations for e in events if e.get("event") == "user"]
    return sorted(users, key=lambda e: e.get("timestamp") or 0, reverse=True)


def _entity(event: dict, name: str) -> Optional[str]:
    for entity in (event.get("parse_data") or {}).get("entities") or []:
        if entity.get("entity") == name and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def find_open_case(uow: AbstractUnitOfWork, customer: Customer, conversation_id: str,
                   recent: list[tuple[str, list[dict]]]) -> Optional[OpenCase]:
    """The customer's open case (inside an entered unit of work), first of: a waiting ticket, an
    unfinished password reset, a recently asked-about order; or None.

    Args:
        uow: a unit of work the caller has entered (and commits).
        customer: the linked customer, or None if the conversation is anonymous.
        conversation_id: the conversation's Rasa sender id.
        recent: the customer's recent conversations as (conversation id, events).

    Returns:
        The open case (``OpenCase``), or None.
    """
    conversations = list(dict.fromkeys([conversation_id] + customer.conversation_ids))
    # their own request (filed under their id: bot.services.tickets.ticket_owner) or one filed here; not one filed
    # on another chat that did not prove them, which stays there and whose replies go there (helper-221, session
    # 48: "you're still in the queue" was told on a chat that would never get the agent's answer)
    ticket = uow.tickets.waiting_for_customer(customer.customer_id, [conversation_id])
    if ticket is not None and ticket.state in WAITING_STATES:
        if ticket.state == TicketState.CALLBACK:
            return OpenCase(TicketState.CALLBACK.value)
        return OpenCase(TicketState.QUEUED.value, position=uow.tickets.position(ticket))

    source = uow.customers.latest_progress_conversation(conversations, Flow.PASSWORD_RESET.value)
    progress = uow.progress.get(source, Flow.PASSWORD_RESET.value) if source else None
    if progress is not None and progress.status == "in_progress" and progress.steps_done and progress.next_step:
        kinds = {i.value: i.kind for i in customer.identities if Channel.from_identity_kind(i.kind)}
        channel = (Channel.from_identity_kind(kinds.get(source, "")) or Channel.REST).value
        return OpenCase(Flow.PASSWORD_RESET.value, step=progress.next_step, channel=channel)

    for event in _user_events(recent):
        number = _entity(event, "order_number")
        order = uow.orders.get(number) if number else None
        if order is not None:
            return OpenCase("order", order_number=order.order_number, status=order.status)
    return None


def language_for(metadata: dict, recent: list[tuple[str, list[dict]]], default: str = "en") -> str:
    """The language the session's first message is written in (:data:`bot.domain.WRITTEN_LANGUAGE_KEY`: the rest of
    the answer is in it too), else the widget's UI language (a message that shows none: an order number, the
    widget's hidden opening), else the customer's latest language, else ``default``.

    Args:
        metadata: the session's first message metadata (its written language wins, then its ``language``).
        recent: the customer's recent conversations as (conversation id, events).
        default: the language when neither says one (a continued ticket's own language).

    Returns:
        ``en`` or ``zh``.
    """
    # the announcement in the message's own language, as the answer after it (session 47; a fresh tester found the
    # widget's UI language winning gave "欢迎回来…" then "I've added that to your case" to English text)
    for key in (WRITTEN_LANGUAGE_KEY, "language"):
        if metadata.get(key) in LANGUAGES:
            return metadata[key]
    for event in _user_events(recent):
        language = _entity(event, "language")
        if language in LANGUAGES:
            return language
    return default


def open_case_of(uow: AbstractUnitOfWork, customer: Customer, conversation_id: str, metadata: dict,
                 now: Optional[datetime] = None) -> Optional[tuple[OpenCase, str]]:
    """The customer's open case and the language to announce it in, or None if there is none. A request for
    a person queued or served on another of their chats that will follow them to this one
    (``bot.services.tickets.followable_ticket``: the relay of the message moves it) is :data:`CONTINUED`.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        customer: the linked customer, or None if the conversation is anonymous.
        conversation_id: the conversation's Rasa sender id.
        metadata: the session's first message metadata (its ``language`` wins).
        now: the moment (default: now, UTC); "recent" conversations are those of the last 24 h.

    Returns:
        ``(open case, language)``, or None if there is none.
    """
    channel = Channel.from_input(session_event(metadata)["input_channel"])
    with uow:
        # the request for a person follows the customer here: the relay of this message moves it (and files it)
        ticket = followable_ticket(uow, conversation_id, channel, customer)
        if ticket is not None:
            return (OpenCase(CONTINUED, channel=ticket.channel, status=str(ticket.state),
                             agent=uow.agents.display_name(ticket.assigned_to), ticket_id=ticket.ticket_id),
                    language_for(metadata, [], default=ticket.language))
        if customer.verification == "none":
            # a chat only remembered as theirs proves nobody now: what they do on their other chats is not told here
            # (helper-222, session 48: a message written there without a token was told her password-reset step and
            # the order she had asked about on another chat)
            return None
        recent = related_conversations(uow, customer, conversation_id, now or utcnow())
        case = find_open_case(uow, customer, conversation_id, recent)
    if case is None:
        return None
    return case, language_for(metadata, recent)
