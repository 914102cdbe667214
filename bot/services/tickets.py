"""Use cases of a ticket once it exists: relay, claim, reply, close, call-back, rating, views.

Every function takes a unit of work (not yet entered), opens it, commits
what it changed and returns domain values. Errors raised:
``bot.queue.tickets.TicketNotFound`` (no such ticket), ``TicketClosed``,
``ClaimConflict`` (another agent holds it) and :class:`NotHolder` (an agent
closes a ticket they do not hold).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional, Sequence, Tuple

from bot.domain import (HUMAN_STATES, TICKET_MOVED_KEY, Channel, MessageIdConflict, ReasonCode, TicketEvent,
                        TicketState)
from bot.channels.attachments import agent_url
from bot.privacy.masking import mask_found, mask_pii
from bot.privacy.scanner import scan
from bot.handover.call_me import call_time, own_contact
from bot.handover.packet import packet_sla, with_last_message
from bot.handover.policy import Decision, EscalationConfig, estimated_wait_s, sla_target_seconds
from bot.text import callback_refusal, utcnow
from bot.services import troubleshooting
from bot.queue.tickets import ClaimConflict, DuplicateClientId, Ticket, TicketAlreadyOpen, TicketNotFound, not_held
from bot.storage.uow import AbstractUnitOfWork

if TYPE_CHECKING:  # pragma: no cover
    from bot.customers.model import Customer
    from bot.queue.queue_queries import Page, QueueQuery

class NotHolder(PermissionError):
    """An agent (not a supervisor) tried to close a ticket they do not hold; ``holder`` may be None."""

    def __init__(self, ticket_id: str, holder: Optional[str]) -> None:
        super().__init__(f"ticket {ticket_id} is held by {holder}: only a supervisor can close it" if holder
                         else "claim the ticket before closing it")
        self.holder = holder


@dataclass(frozen=True)
class Relayed:
    """What became of a customer message sent while a person owns the conversation.

    ``ticket``: the open ticket it was filed on (None: none open any more);
    ``position``/``wait_s``: place in the queue and estimated wait in seconds
    while the ticket is still queued, else None; ``previous``: when none is
    open, the conversation's latest ticket (None if it has none); ``requeue``:
    when that ticket was marked ``abandoned`` while the customer was away
    (silence or a hang-up), the decision to hand them over again: they are
    writing, so they still want a person (the earlier reason, its detail saying so);
    ``contact``: on a ticket waiting for a call-back, the contact this message gave and the
    ticket now keeps in its intake (``{"phone": E.164 or None, "email": address or None}``;
    issue 14), else None; ``route``: on a ticket waiting for a call-back, how a colleague will answer
    (:func:`contact_route`, after this message), else None; ``call_time``: on a call-back by phone, the
    time to call the message gave and the ticket now keeps (``intake.callback_time``; :func:`note_call_time`),
    else None; ``moved``: when the ticket followed the customer here with this message (:func:`follow_within`),
    that move (:class:`Followed`), else None; :attr:`came_from` the packet channel it came from.
    """

    ticket: Optional[Ticket]
    position: Optional[int] = None
    wait_s: Optional[int] = None
    previous: Optional[Ticket] = None
    requeue: Optional[Decision] = None
    contact: Optional[dict] = None
    route: Optional[str] = None
    call_time: Optional[str] = None
    moved: Optional["Followed"] = None

    @property
    def came_from(self) -> Optional[str]:
        """The packet channel the ticket came from when it followed the customer here with this message, else None."""
        return self.moved.came_from if self.moved is not None else None

    @property
    def outcome(self) -> str:
        """:data:`FILED` (on the open ticket), :data:`REQUEUE` (hand over again with ``requeue``)
        or :data:`BOT_BACK` (the ticket closed meanwhile: the bot serves again)."""
        if self.ticket is not None:
            return FILED
        return REQUEUE if self.requeue is not None else BOT_BACK


#: :attr:`Relayed.outcome` values.
FILED, REQUEUE, BOT_BACK = "filed", "requeue", "bot_back"

#: :func:`contact_route` values: how a colleague will answer a case waiting for a call-back.
PHONE, EMAIL, SMS, CHAT, MESSAGE = "phone", "email", "sms", "chat", "message"


def contact_route(uow: AbstractUnitOfWork, ticket: Ticket) -> str:
    """How a colleague will answer a ``callback`` ticket, as agreed with the customer in the hand-over (a new
    user's finding: every message while waiting was acknowledged with "the colleague who calls you back", also
    after "a colleague will answer right here in this chat" or a message left to be answered by e-mail).

    A message the customer left (``uow.waits.left_message``) is answered as they chose: ``email`` or ``sms``,
    else ``message`` (the answer to it comes in this conversation). Otherwise ``phone`` when the case has a
    number to call (``intake.phone``) or is a phone call (the caller id), ``email`` when it has only an
    address (``intake.email``), ``chat`` when it has neither (the colleague answers in this chat).

    Args:
        uow: a unit of work the caller has entered.
        ticket: the ticket (read as it is now: a contact given since is in its ``packet.intake``).

    Returns:
        :data:`PHONE`, :data:`EMAIL`, :data:`SMS`, :data:`CHAT` or :data:`MESSAGE`.
    """
    left = uow.waits.left_message(ticket.ticket_id)
    if left is not None:
        return left["reply_to"] if left.get("reply_to") in (EMAIL, SMS) else MESSAGE
    intake = ticket.packet.get("intake") or {}
    if intake.get("phone") or Channel.from_input(ticket.channel) == Channel.IVR:
        return PHONE
    return EMAIL if intake.get("email") else CHAT


def note_call_time(uow: AbstractUnitOfWork, ticket: Ticket, text: str) -> Optional[str]:
    """On a ticket waiting for a call-back by phone (:func:`contact_route` ``phone``), keep the time the
    customer's message asks to be called at (:func:`bot.handover.call_me.call_time`: "after 6pm please",
    "明天上午"; a message that says nothing else) as ``intake.callback_time`` (over an earlier one), for the
    colleague who calls; inside ``uow`` (already entered), the caller commits.

    Args:
        uow: a unit of work the caller has entered (and commits).
        ticket: the ticket the message was filed on, as it is now.
        text: the message text, as written.

    Returns:
        The time as the customer wrote it ("after 6pm"), or None (not a call-back by phone, or no time alone).
    """
    if ticket.state != TicketState.CALLBACK:
        return None
    when = call_time(text)
    if when is None or contact_route(uow, ticket) != PHONE:
        return None
    uow.tickets.fill_intake(ticket.ticket_id, "callback_time", when, replace=True)
    return when


def file_customer_message(uow: AbstractUnitOfWork, ticket_id: str, text: str, channel: str,
                          attachment_id: Optional[str] = None) -> None:
    """Add a customer message (PII-masked here, DESIGN.md §6) to a ticket's transcript, inside ``uow``
    (already entered); the caller commits. ``attachment_id``: a photo the message carries (issue 14),
    filed only if this conversation's customer uploaded it; it is linked to the ticket. The first order
    number the message names becomes ``intake.order_number`` when the packet has none, and the summary's
    "Last message" becomes this one (masked; ``bot.handover.packet.with_last_message``).

    Args:
        uow: a unit of work the caller has entered (and commits).
        ticket_id: the ticket's id.
        text: the message text, as written.
        channel: the packet name of the conversation's channel (web|wechat|ivr|rest).
        attachment_id: the photo's id.

    Returns:
        None.
    """
    data: dict = {"from": "customer", "channel": channel}
    ticket = uow.tickets.get(ticket_id)
    photo = uow.attachments.get(attachment_id) if ticket is not None and attachment_id else None
    if photo is not None and photo.conversation_id == ticket.conversation_id and photo.uploader == "customer":
        data["attachments"] = [photo.summary(agent_url(photo.attachment_id))]
        uow.attachments.link_ticket(photo.attachment_id, ticket_id)
    found_in_text = scan(text or "")  # one scan: the masking and the order number (issue 11 follow-up)
    masked = mask_found(text, found_in_text)
    uow.tickets.add_event(ticket_id, TicketEvent.MESSAGE.value, "customer", masked, data)
    if ticket is not None and (masked or "").strip():
        # the summary's "Last message" is the customer's latest, as the agent reads it in the queue and the ticket
        # (a new user's finding: it kept the message of the hand-over while the customer wrote on)
        packet = with_last_message(ticket.packet, masked)
        uow.tickets.set_summaries(ticket_id, packet["summaries"], packet["summary"])
    for found in [f for f in found_in_text if f.entity == "order_number"][:1]:
        # an order number given after the hand-over fills the packet's intake when it has none yet (a fresh new
        # user's finding, issue 11 sixteenth pass: "my order QX-100003 arrived broken" left intake.order_number null)
        uow.tickets.fill_intake(ticket_id, "order_number", found.value)
    uow.waits.touch(ticket_id, utcnow())  # the customer is still there: no abandonment yet (issue 14)


#: The channels a queued or served ticket follows its customer between (:func:`follow_customer`). A phone
#: call's ticket stays with the call (the caller is transferred to it, and a typed reply never reaches a caller),
#: and a call is never given a chat's ticket.
FOLLOWING_CHANNELS = (Channel.WEB, Channel.WECHAT, Channel.REST)
#: How the conversation must prove its customer *now* for their ticket to follow it there
#: (``Customer.verification``, from what this session's messages carry): a signed token valid now, or the platform
#: (a WeChat openid). A conversation only remembered as theirs (``none``: a shared computer's old chat, a REST sender
#: id once used with a token) and a one-time code (``order_contact``: proves an order's contact, not the person)
#: never take a ticket, nor the agent's replies with it (session 46's attacker).
FOLLOW_PROOFS = ("token", "platform")


@dataclass(frozen=True)
class Followed:
    """A ticket that followed its customer to the chat they write from (:func:`follow_within`).

    ``ticket``: the ticket after the move; ``came_from``: the packet channel it left (``web``, ``wechat``,
    ``rest``); ``left``: the Rasa sender id of the chat it left; ``replies``: the outbox ids of the messages
    (the agent's replies, the close, the rating question) that had not reached the customer there and now wait
    here, oldest first: the Rasa server pushes them at once (``bot.services.delivery.after_move``).
    """

    ticket: Ticket
    came_from: str
    left: str
    replies: Tuple[int, ...] = ()

    def as_metadata(self) -> dict:
        """The move as the metadata of the hand-over's ``ticket_id`` slot event, which the Rasa server's tracker
        store reads after the turn (``bot.storage.stores``: the replies pushed, the chat left told).

        Returns:
            ``{TICKET_MOVED_KEY: {"replies": [ids], "left": sender id, "came_from": packet channel}}``.
        """
        return {TICKET_MOVED_KEY: {"replies": list(self.replies), "left": self.left, "came_from": self.came_from}}


def followable_ticket(uow: AbstractUnitOfWork, conversation_id: str, here: Channel,
                      customer: Optional["Customer"], states: Sequence[TicketState] = HUMAN_STATES) -> Optional[Ticket]:
    """The customer's request for a person, queued or with an agent on another of their chats, that would follow
    them to ``conversation_id`` (:func:`follow_within` moves it); read only, inside an entered unit of work.

    Only a ticket of the same customer follows (its ``customer_id``, set at the hand-over and kept through merges)
    that was filed on a chat that proved them (:func:`filed_proven`), and only to a conversation that proves that
    customer now (:data:`FOLLOW_PROOFS`). Nothing follows into a conversation with an open ticket of its own, from
    or to a phone call (:data:`FOLLOWING_CHANNELS`), nor a call-back (the bot keeps serving those; the case was
    agreed with its contact).

    Args:
        uow: a unit of work the caller has entered.
        conversation_id: the Rasa sender id the customer writes from.
        here: that conversation's channel.
        customer: the customer this conversation proves now (``verification`` set), or None.
        states: the ticket states that follow (default queued and with an agent; a call-off takes a queued one only).

    Returns:
        The ticket (where it is now), or None.
    """
    if customer is None or customer.verification not in FOLLOW_PROOFS or here not in FOLLOWING_CHANNELS:
        return None
    if uow.tickets.open_for_conversation(conversation_id) is not None:
        return None
    # the customer's own tickets only (their id, kept through merges), never one matched through a chat linked to
    # them: a shared chat is linked to whoever signed in there last (a fresh reviewer, session 46)
    ticket = uow.tickets.waiting_for_customer(customer.customer_id, [], tuple(states), FOLLOWING_CHANNELS)
    if ticket is None or ticket.conversation_id == conversation_id or not filed_proven(ticket.packet):
        return None
    return ticket


def filed_proven(packet: Any) -> bool:
    """Whether the chat that asked for a ticket proved its customer when it did, as a chat must to take their ticket
    (:data:`FOLLOW_PROOFS`: the packet's ``customer.verification`` is ``token`` or ``platform``). A ticket filed on a
    chat only remembered as theirs (``none``: a shared computer's old chat written to signed out, a REST sender id
    once used with a token) or proven by a one-time code only (``order_contact``: it proves an order's contact, not
    who writes) is not theirs to take: it stays where it was filed (helper-220, session 48: a stranger's request,
    filed there, followed the customer to her next signed-in chat, with the stranger's words first on it).

    Args:
        packet: the ticket's handoff/v1 packet (a dict; anything else is not proven).

    Returns:
        True when the packet's customer was proven by a token or the platform.
    """
    customer = packet.get("customer") if isinstance(packet, dict) else None
    return isinstance(customer, dict) and customer.get("verification") in FOLLOW_PROOFS


def ticket_owner(packet: dict) -> str:
    """The ``customer_id`` a new ticket is filed under: the packet's customer when the chat proved them
    (:func:`filed_proven`), else the conversation id, as for an anonymous chat. Tickets are found as a customer's by
    this id (their ticket follows them, their open case is told on their other chats), so a ticket filed on a chat
    that did not prove them is not theirs: of a customer's requests, their own is the one that follows (helper-221,
    session 48: a stranger's newer one, filed after a code passed, was taken instead, and hers stayed behind).

    Args:
        packet: the new ticket's handoff/v1 packet (``customer.id``, ``customer.verification``, ``conversation_id``).

    Returns:
        The customer id or the conversation id.
    """
    return packet["customer"]["id"] if filed_proven(packet) else packet["conversation_id"]


def follow_customer(uow: AbstractUnitOfWork, conversation_id: str, channel: str,
                    customer: Optional["Customer"]) -> Optional[Ticket]:
    """The customer writes from ``conversation_id`` while their request for a person is queued or served on
    another of their chats: the ticket moves here (``uow.tickets.continue_on``), with the agent's replies not yet
    delivered there, so what they write is filed on it and the agent's replies, the close and the rating reach
    them here, on the channel they use now (DESIGN.md §1: the customer never repeats themselves, even after
    switching channel). A session-45 new user's finding: a customer queued on the web chat who wrote on another
    channel was told "you are still in the queue", but the message never reached the ticket and the bot answered
    it as well. Which tickets follow, and where to: :func:`followable_ticket`.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the Rasa sender id the customer writes from.
        channel: that conversation's channel (a Rasa input channel or packet name).
        customer: the customer this conversation proves now (``bot.services.customers.proven_customer``), or None.

    Returns:
        The ticket as it is after the move, or None (nothing moved).
    """
    with uow:
        moved = follow_within(uow, conversation_id, Channel.from_input(channel), customer)
        uow.commit()
        return moved.ticket if moved else None


def follow_within(uow: AbstractUnitOfWork, conversation_id: str, here: Channel,
                  customer: Optional["Customer"], states: Sequence[TicketState] = HUMAN_STATES) -> Optional[Followed]:
    """:func:`follow_customer` inside a unit of work the caller has entered (and commits).

    Args:
        uow: a unit of work the caller has entered (and commits).
        conversation_id: the Rasa sender id the customer writes from.
        here: that conversation's channel.
        customer: the customer this conversation proves now, or None (nothing moves).
        states: the ticket states that follow (:func:`followable_ticket`).

    Returns:
        The move (:class:`Followed`: the ticket after it, where it came from, the replies that came with it), or
        None (nothing moved).
    """
    for _ in range(2):  # a second look when the customer's other chat moved it meanwhile (two servers at once)
        ticket = followable_ticket(uow, conversation_id, here, customer, states)
        if ticket is None:
            return None
        try:
            moved = uow.tickets.continue_on(ticket.ticket_id, conversation_id, here.value)
        except TicketAlreadyOpen:  # a hand-over of this conversation raced the move: it keeps its own ticket
            return None
        if moved:
            break
    else:
        return None
    # the agent's replies not yet delivered there (a REST client that has not fetched them, a closed tab) come here
    replies = uow.outbox.move_pending(ticket.conversation_id, conversation_id, here.delivery)
    after = uow.tickets.get(ticket.ticket_id)
    return Followed(after, ticket.channel, ticket.conversation_id, tuple(replies)) if after is not None else None


def relay_message(uow: AbstractUnitOfWork, conversation_id: str, text: str, channel: str,
                  config: EscalationConfig, attachment_id: Optional[str] = None, case: Optional[str] = None,
                  customer: Optional["Customer"] = None) -> Relayed:
    """File a customer message on the conversation's open ticket (masked), make the ticket as urgent as
    the ``case`` the message names (:func:`_raise_for_case_in`), and say where it then stands: the place is
    counted after the raise, so the bot's "You're number N" and the web chat's header (which reads the
    ticket after the turn) agree (a gas smell reported while third in the queue was told "number 3"
    while the header said 1; a fresh new user's finding, issue 11 seventeenth pass).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        text: the message text, as written.
        channel: Rasa's input channel name of the message (``rest`` when unknown).
        config: escalation.yml, for the estimated wait and the case's priority.
        attachment_id: the photo the message carries (metadata ``attachment_id``), if any.
        case: the case the message names (``bot.handover.triage.needs_person_case``), or None.
        customer: the customer this conversation proves now (``bot.services.customers.proven_customer``): their
            ticket, moved to another of their chats, comes back here (:func:`follow_within`); None: it does not.

    Returns:
        :class:`Relayed`; its ``outcome`` says what the caller does next.
    """
    with uow:
        # the customer's ticket moved to another of their conversations, and they write here again: it comes back
        ticket = uow.tickets.open_for_conversation(conversation_id)
        followed = None if ticket is not None else follow_within(uow, conversation_id, Channel.from_input(channel),
                                                                 customer)
        ticket = followed.ticket if followed is not None else ticket
        if ticket is None:  # closed or abandoned meanwhile
            earlier = uow.tickets.for_conversation(conversation_id)
            previous = earlier[-1] if earlier else None
            if previous is not None and previous.state == TicketState.ABANDONED:
                again = Decision(previous.reason.get("code") or ReasonCode.CUSTOMER_REQUEST.value,
                                 f"came back after ticket {previous.ticket_id} was abandoned")
                return Relayed(None, previous=previous, requeue=again)
            return Relayed(None, previous=previous)
        file_customer_message(uow, ticket.ticket_id, text, channel, attachment_id)
        contact = note_callback_contact(uow, ticket, text)
        raised = _raise_for_case_in(uow, ticket.ticket_id, case, config, utcnow())
        if contact or raised:
            ticket = uow.tickets.get(ticket.ticket_id) or ticket
        if ticket.state == TicketState.CALLBACK:
            when = note_call_time(uow, ticket, text)
            ticket = (uow.tickets.get(ticket.ticket_id) or ticket) if when else ticket
            route = contact_route(uow, ticket)
            uow.commit()
            return Relayed(ticket, contact=contact, route=route, call_time=when, moved=followed)
        uow.commit()
        if ticket.state != TicketState.QUEUED:
            return Relayed(ticket, contact=contact, moved=followed)
        position = uow.tickets.position(ticket)
        return Relayed(ticket, position, estimated_wait_s(position, uow.agents.online_count(), config),
                       moved=followed)


def withdraw_request(uow: AbstractUnitOfWork, conversation_id: str, text: str, channel: str,
                     now: Optional[datetime] = None, customer: Optional["Customer"] = None) -> Optional[str]:
    """The customer calls off their request for a person while it still waits: the message is filed on
    the transcript (masked) and the conversation's queued ticket ends ``abandoned`` (DESIGN §4: the
    customer left), its event saying ``why: "customer withdrew"``. A ticket an agent holds, a call-back
    or none: nothing changes (None).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        text: the message, as written.
        channel: Rasa's input channel name of the message.
        now: the current moment, UTC-aware (default: now).
        customer: the customer this conversation proves now: a ticket of theirs that moved to another chat comes
            back here to be called off; None: it does not.

    Returns:
        The id of the ticket now ``abandoned``, or None.
    """
    with uow:
        # a queued ticket that moved to another of the customer's chats comes back to be called off here; one an
        # agent holds is moved by the relay, which files the message and says the move (the reply push included:
        # a fresh reviewer, session 47)
        ticket = uow.tickets.open_for_conversation(conversation_id)
        if ticket is None:
            followed = follow_within(uow, conversation_id, Channel.from_input(channel), customer, (TicketState.QUEUED,))
            ticket = followed.ticket if followed is not None else None
        if ticket is None or ticket.state != TicketState.QUEUED:
            uow.commit()  # a move back stays: the relay files the message next
            return None
        file_customer_message(uow, ticket.ticket_id, text, channel)
        marked = uow.waits.abandon_if_queued(conversation_id, now or utcnow(), WITHDREW)
        uow.commit()
        return marked


#: The ``why`` of the ``abandoned`` event of a ticket the customer called off (never queued again by itself).
WITHDREW = "customer withdrew"


def file_bot_replies(uow: AbstractUnitOfWork, conversation_id: str, replies: Sequence[Tuple[str, float]],
                     channel: str) -> int:
    """File what the bot told the customer while their case is open (the hand-over's opening, the
    safety advice, "added to your case", an answer it gave meanwhile) on the conversation's open
    ticket, as transcript lines ``from: bot`` (PII-masked, DESIGN.md §6): the agent reads exactly what
    the customer was told. A reply said before the ticket was created is left out (the packet's
    transcript has it).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        replies: ``(text, when said in Unix seconds)`` of each bot message, oldest first.
        channel: Rasa's input channel name (or packet name) the replies went out on.

    Returns:
        How many lines were filed (0: no open ticket, nothing said since it was created, or every reply
        filed already: a turn saved twice files its replies once).
    """
    with uow:
        ticket = uow.tickets.open_for_conversation(conversation_id)
        if ticket is None:
            return 0
        since = ticket.created_at.timestamp()
        filed = 0
        for text, said_at in replies:
            # one line per reply even when a turn is saved twice (a retry, two servers): keyed by when it was said
            client_id = f"bot:{said_at:.6f}"
            if not text or said_at < since or uow.tickets.event_by_client_id(ticket.ticket_id, "bot", client_id):
                continue
            uow.tickets.add_event(ticket.ticket_id, TicketEvent.MESSAGE.value, "bot", mask_pii(text),
                                  {"from": "bot", "channel": Channel.from_input(channel).value}, client_id=client_id)
            filed += 1
        uow.commit()
        return filed


def file_on_callback_case(uow: AbstractUnitOfWork, conversation_id: str, text: str, channel: str,
                          attachment_id: Optional[str] = None) -> Optional[Relayed]:
    """File a customer message (masked) on the conversation's open ticket if it waits for a call-back
    (or a left message's answer), rev14b #2: a report the bot would otherwise only "note". A phone
    number or e-mail address in it becomes the case's contact (:func:`note_callback_contact`).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        text: the message text, as written.
        channel: Rasa's input channel name of the message (``rest`` when unknown).
        attachment_id: the photo the message carries, if any.

    Returns:
        :class:`Relayed` with the ``callback`` ticket the message was filed on, the ``contact`` it
        gave (None: none) and the case's ``route`` (:func:`contact_route`), or None (no such ticket:
        nothing filed).
    """
    with uow:
        ticket = uow.tickets.open_for_conversation(conversation_id)
        if ticket is None or ticket.state != TicketState.CALLBACK or not text.strip():
            return None
        file_customer_message(uow, ticket.ticket_id, text, channel, attachment_id)
        contact = note_callback_contact(uow, ticket, text)
        current = (uow.tickets.get(ticket.ticket_id) or ticket) if contact else ticket
        route = contact_route(uow, current)
        uow.commit()
        return Relayed(current, contact=contact, route=route)


def note_callback_contact(uow: AbstractUnitOfWork, ticket: Ticket, text: str) -> Optional[dict]:
    """On a ticket waiting for a call-back, keep the phone number or e-mail address ``text`` gives as
    the customer's own, to call back on (issue 14), inside ``uow`` (already entered); the caller commits.

    ``intake.phone`` / ``intake.email`` of the packet are set (over an earlier value: "my new number
    is …"), unmasked, for the agent's intake panel and the exact search; a ``callback`` event records
    a new phone. The transcript keeps the message masked (:func:`file_customer_message`). Only a
    contact given as the customer's own counts (:func:`bot.handover.call_me.own_contact`: "call me on
    …", "my new number is …", a message that is only the number; not "the courier kept calling me from
    …", fresh-user report 5), found as masking finds it (an order number, a date or a time is never a
    contact); a number we do not call back (:func:`bot.text.callback_refusal`) is not kept.

    Args:
        uow: a unit of work the caller has entered (and commits).
        ticket: the ticket the message was filed on (nothing is done unless it is ``callback``).
        text: the message text, as written.

    Returns:
        ``{"phone": E.164 or None, "email": lower-case address or None}`` when the message gave
        either (with ``"refused": {"phone", "refusal"}`` when its number is one we do not call), else None.
    """
    if ticket.state != TicketState.CALLBACK:
        return None
    contact: dict = own_contact(text)
    if not any(contact.values()):
        return None
    refusal = callback_refusal(contact["phone"]) if contact["phone"] else None
    if refusal is not None:  # a premium-rate or unknown number: never the number to call (fresh-user report 2)
        contact = {**contact, "phone": None, "refused": {"phone": contact["phone"], "refusal": refusal}}
    if contact["phone"]:
        uow.tickets.fill_intake(ticket.ticket_id, "phone", contact["phone"], replace=True)
        uow.tickets.add_event(ticket.ticket_id, TicketEvent.CALLBACK.value, "customer", None,
                              {"phone": contact["phone"]})
    if contact["email"]:
        uow.tickets.fill_intake(ticket.ticket_id, "email", contact["email"], replace=True)
    return contact


def claim(uow: AbstractUnitOfWork, ticket_id: str, username: str) -> Ticket:
    """Assign a waiting ticket to ``username`` (claiming one's own ticket again is harmless).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        username: the agent's user name.

    Returns:
        The ticket, now ``with_agent`` held by ``username``.

    Raises:
        TicketNotFound, TicketClosed, ClaimConflict (held by another agent).
    """
    with uow:
        claimed = uow.tickets.claim(ticket_id, username)
        uow.commit()
        return claimed


def reply(uow: AbstractUnitOfWork, ticket_id: str, username: str, text: str) -> Ticket:
    """Record an agent's reply on the ticket they hold; the caller delivers it to the customer.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        username: the agent's user name.
        text: the message text, as written.

    Returns:
        The ticket (its ``conversation_id`` and ``channel`` say where to deliver).

    Raises:
        TicketNotFound; TicketClosed: the ticket is closed or abandoned; ClaimConflict: the ticket is
        not ``with_agent`` held by ``username``.
    """
    with uow:
        current = uow.tickets.get(ticket_id)
        if current is None:
            raise TicketNotFound(ticket_id)
        if current.state != TicketState.WITH_AGENT or current.assigned_to != username:
            raise not_held(current)
        uow.tickets.add_event(ticket_id, TicketEvent.MESSAGE.value, username, text, {"from": "agent", "channel": current.channel})
        uow.commit()
        return current


class LiveCallReply(Exception):
    """A typed reply a phone customer would never get (:func:`typed_reply_blocked`): nothing was recorded or
    sent (the desk answers 422; its reply box is disabled with the same reason)."""


#: :func:`typed_reply_blocked` values: the caller is on the line with the agent; a phone customer with no way
#: to read a typed reply (no message left to be answered by text or e-mail).
LIVE_CALL, PHONE_ONLY = "live_call", "phone"


def call_is_live(uow: AbstractUnitOfWork, ticket: Ticket) -> bool:
    """Whether the ticket is a phone call still on the line: an IVR ticket queued or with an agent that never
    became a call-back and whose caller has not hung up (``call_ended``). Once a call became a call-back the
    caller has hung up, and a colleague answers as agreed (calls back, or sends the answer to a left message by
    text or e-mail).

    Args:
        uow: a unit of work the caller has entered.
        ticket: the ticket, as it is now.

    Returns:
        True for a live call.
    """
    if Channel.from_input(ticket.channel) != Channel.IVR or ticket.state not in HUMAN_STATES:
        return False
    return not any(event["kind"] in (TicketEvent.CALLBACK, TicketEvent.CALL_ENDED)
                   or (event["kind"] == TicketEvent.CREATED and event.get("state") == TicketState.CALLBACK)
                   for event in uow.notes.history(ticket.ticket_id))


def typed_reply_blocked(uow: AbstractUnitOfWork, ticket: Ticket) -> Optional[str]:
    """Why an agent's typed reply would never reach the ticket's customer, or None when it does. A phone
    customer hears the agent, never a typed line: while the call is live (:data:`LIVE_CALL`: talk to them), and
    after it (:data:`PHONE_ONLY`: call them back), unless they left a message to be answered by text or e-mail
    (the notifier sends the reply there). Session 46: the desk had disabled typing on every claimed phone ticket,
    also where a left message was to be answered by text, and after a hang-up a typed reply went to an outbox no
    phone reads.

    Args:
        uow: a unit of work the caller has entered.
        ticket: the ticket, as it is now.

    Returns:
        :data:`LIVE_CALL`, :data:`PHONE_ONLY` or None.
    """
    if Channel.from_input(ticket.channel) != Channel.IVR:
        return None
    if call_is_live(uow, ticket):
        return LIVE_CALL
    left = uow.waits.left_message(ticket.ticket_id)
    return None if left is not None and left.get("reply_to") in (EMAIL, SMS) else PHONE_ONLY


#: The 422's words for each :func:`typed_reply_blocked` reason.
_BLOCKED_WORDS = {
    LIVE_CALL: "the customer is on the phone with you: talk to them; a typed reply would not reach them "
               "(nothing was sent)",
    PHONE_ONLY: "a phone customer cannot read a typed reply: call them back on the number in the case "
                "(nothing was sent)",
}


class ReplyIdConflict(MessageIdConflict):
    """A ``message_id`` the ticket already has for a different reply (another text, or another
    agent's): nothing was recorded or sent (the desk answers 409). A ``MessageIdConflict``, as a
    customer's reused id on REST or the web chat is (bot/storage/idempotency.py)."""


@dataclass(frozen=True)
class RecordedReply:
    """An agent reply recorded with its outbox message (:func:`record_reply`).

    ``duplicate``: the ticket had this ``message_id`` already (a retry): nothing new was
    recorded, and ``result`` is what the first call answered (derived from the outbox when the
    first call has not finished yet); otherwise ``result`` is None and the caller delivers
    ``outbox_ids``.
    """
    ticket: Ticket
    event_id: int
    outbox_ids: list
    duplicate: bool = False
    result: Optional[dict] = None


def record_reply(uow: AbstractUnitOfWork, ticket_id: str, username: str, text: str, message: dict,
                 message_id: Optional[str] = None) -> RecordedReply:
    """Record an agent's reply on the ticket they hold and put ``message`` (what the customer is
    shown) in the outbox, in one transaction: a reply on the ticket is always on its way.

    With ``message_id`` (the client's id for this reply, unique per ticket and agent: the
    database's index ``uq_ticket_events_author_client_id``), a second call by the same agent with
    the same id — a retry, on this server or another at the same moment — records and queues
    nothing and answers as the first. Another agent's ids are invisible: after a transfer the
    new holder may use the ids the first agent used, and nobody can probe which ids were used.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        username: the agent's user name.
        text: the message text, as written.
        message: what the customer is shown (a Rasa-shaped bot message).
        message_id: the desk client's id for this reply (a retry with the same id is answered once).

    Returns:
        RecordedReply; ``duplicate`` True for a retry (then the ticket may be closed or held
        by someone else by now: the first call was allowed).

    Raises:
        TicketNotFound; TicketClosed: closed or abandoned, and ClaimConflict: not ``with_agent`` held by
        ``username``, each when it is not a retry of ``username``'s own reply (nothing recorded); ReplyIdConflict: ``username`` used
        ``message_id`` on this ticket for another text; LiveCallReply: a phone customer would never get it
        (:func:`typed_reply_blocked`; nothing recorded).
    """
    with uow:
        current = uow.tickets.get(ticket_id)
        if current is None:
            raise TicketNotFound(ticket_id)
        holder = current.state == TicketState.WITH_AGENT and current.assigned_to == username
        if message_id is not None:
            # only the caller's own ids are looked up: a retry after a close or a transfer still
            # answers as the first call, and nobody learns another agent's ids
            first = uow.tickets.event_by_client_id(ticket_id, username, message_id)
            if first is not None:
                return _retried(uow, current, first, username, text)
        if not holder:
            raise not_held(current)
        blocked = typed_reply_blocked(uow, current)
        if blocked is not None:
            raise LiveCallReply(_BLOCKED_WORDS[blocked])
        try:
            event_id = uow.tickets.add_event(ticket_id, TicketEvent.MESSAGE.value, username, text,
                                             {"from": "agent", "channel": current.channel}, client_id=message_id)
        except DuplicateClientId as raced:  # the same id committed by another call meanwhile
            return _retried(uow, current, raced.event, username, text)
        # where the customer is now, read again once this transaction writes (and under the row's lock): a move of
        # the ticket to another of their chats committed since the first read took the replies waiting there, and
        # this one would have stayed behind on the chat it left (session 46's open item)
        current = uow.tickets.get(ticket_id, for_update=True) or current
        if current.state != TicketState.WITH_AGENT or current.assigned_to != username:  # closed or passed on meanwhile
            raise not_held(current)
        ids = uow.outbox.add(current.conversation_id, Channel.from_input(current.channel).delivery, [message])
        uow.tickets.update_event_data(event_id, {"outbox": ids})
        uow.commit()
        return RecordedReply(current, event_id, ids)


def _retried(uow: AbstractUnitOfWork, ticket: Ticket, first: dict, username: str, text: str) -> RecordedReply:
    """The answer to a retry of ``first`` (an event with the same client id), checked to be the same reply."""
    if first["kind"] != TicketEvent.MESSAGE or first["author"] != username or first["text"] != text:
        raise ReplyIdConflict("message_id was already used on this ticket for a different reply "
                              "of yours; choose a new id for a new reply")
    data = first["data"]
    ids = list(data.get("outbox") or [])
    result = data.get("result")
    if not isinstance(result, dict):  # the first call is still delivering (or died doing so)
        result = {"status": "sent" if uow.outbox.delivered(ids) else "queued_for_delivery",
                  **({"delivery": data["delivery"]} if data.get("delivery") else {})}
    return RecordedReply(ticket, first["id"], ids, duplicate=True, result=dict(result))


def note_reply_outcome(uow: AbstractUnitOfWork, event_id: int, result: dict) -> bool:
    """Keep what the desk answered for a reply (``result``) on its event, for a retry with the
    same ``message_id``; ``result["delivery"]`` (e.g. ``at_most_once``) also shows in the
    transcript. False if there is no such event.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        event_id: the reply event's id (``RecordedReply.event_id``).
        result: what the desk answered for the reply (JSON object).

    Returns:
        False if there is no such event, else True.
    """
    with uow:
        fields = {"result": result, **({"delivery": result["delivery"]} if result.get("delivery") else {})}
        done = uow.tickets.update_event_data(event_id, fields)
        uow.commit()
        return done


def close(uow: AbstractUnitOfWork, ticket_id: str, username: str, disposition: str,
          supervisor: bool = False) -> Ticket:
    """Close a ticket; the caller then hands the conversation back to the bot (CSAT question).

    An agent closes what they hold (or an unclaimed ticket); a supervisor closes any. Closed ``resolved``, the
    unfinished troubleshooting flows the ticket was about (``troubleshooting.flows_of``) end in the ticket's
    conversation and its customer's other conversations (``troubleshooting.resolved_by_a_colleague``): no channel
    offers to continue a case a colleague solved; a refund resolved leaves a password reset as it was.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        username: the agent's user name.
        disposition: why it closed, one of ``bot.domain.DISPOSITIONS``.
        supervisor: whether the one acting is a supervisor (may act on any ticket).

    Returns:
        The closed ticket.

    Raises:
        TicketNotFound, TicketClosed, ClaimConflict, NotHolder.
    """
    with uow:
        current = uow.tickets.get(ticket_id)
        if current is None:
            raise TicketNotFound(ticket_id)
        if not supervisor and current.state != TicketState.CLOSED and current.assigned_to != username:
            raise NotHolder(ticket_id, current.assigned_to)
        closed = uow.tickets.close(ticket_id, username, disposition, override=supervisor,
                                   served=served(uow, current))
        if disposition == "resolved":
            customer = uow.customers.get(current.customer_id) if current.customer_id else None
            troubleshooting.resolved_by_a_colleague(
                uow, [current.conversation_id] + (customer.conversation_ids if customer else []),
                troubleshooting.flows_of(current.packet))
        uow.commit()
        return closed


def served(uow: AbstractUnitOfWork, ticket: Ticket) -> bool:
    """Whether a colleague served the customer on ``ticket`` (fresh-user report 6: closing a ticket nobody
    answered asked for a rating and credited the closer): an agent's message reached them (a reply in the
    transcript not marked ``failed``), or a colleague claimed a ticket served by voice (a phone call put
    through, or a call-back: the call is made outside the transcript).

    Args:
        uow: a unit of work the caller has entered.
        ticket: the ticket (open or closed).

    Returns:
        True or False.
    """
    if any(line.get("from") == "agent" and line.get("delivery") != "failed" for line in uow.tickets.transcript(ticket)):
        return True
    if ticket.claimed_at is None:
        return False
    by_voice = Channel.from_input(ticket.channel) == Channel.IVR or ticket.callback_requested_at is not None
    return by_voice or any(event.get("kind") == TicketEvent.CALLBACK.value or (
        event.get("kind") == TicketEvent.CREATED.value and event.get("state") == TicketState.CALLBACK.value)
        for event in uow.notes.history(ticket.ticket_id))


def latest_ticket_id(uow: AbstractUnitOfWork, conversation_id: str) -> Optional[str]:
    """The id of the conversation's ticket that closed last (else its newest), or None: the one a hand-back after a
    close is about, also when the ticket followed the customer here from another chat (this conversation never handed it
    over, so its ``ticket_id`` slot does not name it: a fresh new user, session 46, lost the rating there).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        conversation_id: the conversation's Rasa sender id.

    Returns:
        The ticket id, or None.
    """
    with uow:
        tickets = uow.tickets.for_conversation(conversation_id)
        closed = [t for t in tickets if t.closed_at is not None]
        if closed:  # the one just closed: a ticket that followed the customer here may be older than one closed here
            return max(closed, key=lambda t: t.closed_at).ticket_id
        return max(tickets, key=lambda t: t.created_at).ticket_id if tickets else None


def was_served(uow: AbstractUnitOfWork, ticket_id: str) -> bool:
    """:func:`served` for a ticket id, in its own unit of work (the bot's turn after a close).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        ticket_id: the ticket's id.

    Returns:
        :func:`served`; True for an unknown ticket (the rating is asked as before).
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        return True if ticket is None else served(uow, ticket)


def record_callback(uow: AbstractUnitOfWork, ticket_id: str, phone: str) -> bool:
    """The customer confirmed the number to call back: a ``callback`` event, and ``intake.phone`` if empty; on a
    phone ticket always (its intake holds the caller id from the hand-over on, session 45: the number the caller
    confirmed is the one to call).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        phone: the phone number to call back, E.164.

    Returns:
        False if there is no such ticket (nothing recorded).
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return False
        uow.tickets.add_event(ticket_id, TicketEvent.CALLBACK.value, "customer", None, {"phone": phone})
        uow.tickets.fill_intake(ticket_id, "phone", phone, replace=Channel.from_input(ticket.channel) == Channel.IVR)
        uow.commit()
        return True


def rate(uow: AbstractUnitOfWork, ticket_id: str, rating: int) -> None:
    """Store a CSAT rating (1..5) for a ticket.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        rating: the CSAT rating, 1..5.

    Returns:
        None.

    Raises:
        ValueError: ``rating`` is outside 1..5.
    """
    with uow:
        uow.tickets.rate(ticket_id, rating)
        uow.commit()


def ticket_view(uow: AbstractUnitOfWork, ticket_id: str, now: datetime) -> Optional[dict]:
    """The desk's view of a ticket: queue fields, ``packet`` and the live ``transcript``; None if unknown.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        ticket_id: the ticket's id.
        now: the current moment, a UTC-aware datetime.

    Returns:
        The view (dict), or None if there is no such ticket.
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return None
        return {**ticket.queue_view(now), "packet": ticket.packet, "transcript": uow.tickets.transcript(ticket)}


def metrics(uow: AbstractUnitOfWork, now: datetime, since: Optional[datetime] = None) -> dict:
    """The supervisor's figures from ``since`` (default: 24 h before ``now``) to ``now``: waiting
    now, longest wait, SLA breaches, abandonment, escalations by reason, containment, per-agent
    handling and CSAT, as SQL aggregates (``bot.queue.queue_queries``; DESIGN.md §7).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        now: the current moment, a UTC-aware datetime.
        since: the start of the period (default: 24 h before ``now``).

    Returns:
        The figures as a dict (counts, seconds, ratios 0..1).
    """
    with uow:
        figures = uow.queue.metrics(now, since)
        people = {a["username"]: a for a in uow.agents.all(now)}
    # who the agents are: each row gets ``display_name`` and ``online``; ``agents_online`` counts
    # the enabled agents seen lately (issue 14, the supervisor view)
    for row in figures["agents"]:
        known = people.get(row["username"], {})
        row["display_name"] = known.get("display_name") or row["username"]
        row["online"] = bool(known.get("online"))
    figures["agents_online"] = sum(1 for a in people.values() if a.get("online") and a.get("active", True))
    return figures


def queue_page(uow: AbstractUnitOfWork, query: "QueueQuery", now: datetime) -> "Page":
    """One page of open tickets as the agent asked (filters, search, sort, cursor or offset).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        query: the queue filters, search, sort and cursor (``bot.queue.queue_queries.QueueQuery``).
        now: the current moment, a UTC-aware datetime.

    Returns:
        The page (``bot.queue.queue_queries.Page``): tickets as queue views and the next cursor.

    Raises:
        BadQuery: a cursor of another sort or filter set.
    """
    with uow:
        return uow.queue.queue(query, now)


def search(uow: AbstractUnitOfWork, q: str, now: datetime, limit: int, offset: int) -> "Page":
    """Tickets in any state matching ``q`` (order number, e-mail, phone, ids or text), newest first.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        q: what the agent typed in the search box.
        now: the current moment, a UTC-aware datetime.
        limit: at most this many tickets.
        offset: skipped first (paging).

    Returns:
        The page (``bot.queue.queue_queries.Page``) of matching tickets.
    """
    with uow:
        return uow.queue.search(q, now, limit, offset)


def conversation_tickets(uow: AbstractUnitOfWork, conversation_id: str, now: datetime) -> list:
    """Every ticket of a conversation as queue views (dicts), oldest first.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        conversation_id: the conversation's Rasa sender id.
        now: the current moment, a UTC-aware datetime.

    Returns:
        The tickets as queue views (dicts), oldest first.
    """
    with uow:
        return [t.queue_view(now) for t in uow.tickets.for_conversation(conversation_id)]


def note_delivery(uow: AbstractUnitOfWork, ticket_id: str, username: str, delivery: str) -> bool:
    """Record how ``username``'s latest reply on the ticket was delivered (e.g. ``at_most_once``:
    sent to a client that cannot confirm); the transcript shows it as ``delivery``.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        username: the agent's user name.
        delivery: how it was delivered (e.g. ``at_most_once``).

    Returns:
        False if the ticket has no reply by ``username``.
    """
    with uow:
        done = uow.tickets.mark_reply_delivery(ticket_id, username, delivery)
        uow.commit()
        return done


def note_delivery_failure(uow: AbstractUnitOfWork, conversation_id: str, text: str, detail: dict) -> bool:
    """Note on the conversation's open ticket that a message could not be delivered, so the agent knows.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        text: the message that was not delivered.
        detail: what the channel said (e.g. ``{"channel", "errcode", "errmsg"}``).

    Returns:
        False if the conversation has no open ticket.
    """
    with uow:
        ticket = uow.tickets.open_for_conversation(conversation_id)
        if ticket is None:
            return False
        uow.tickets.add_event(ticket.ticket_id, TicketEvent.DELIVERY_FAILED.value, "system", text, detail)
        uow.commit()
        return True


def _raise_for_case_in(uow: AbstractUnitOfWork, ticket_id: str, case: Optional[str], config: EscalationConfig,
                       now: datetime) -> Optional[int]:
    """A case named while the ticket is open makes it as urgent as that case (``escalation.yml
    priority.case_overrides``): a gas smell reported after "I want a human about my invoice" moves the
    priority-3 ticket to 1, its SLA clock restarted for that priority at ``now`` (or when support hours
    next open). Inside an entered unit of work; the caller commits.

    Returns:
        The new priority, or None (no case with an override, or the ticket is closed or already as urgent).
    """
    value = config.file.priority.case_overrides.get(case) if case else None
    if value is None:
        return None
    sla = packet_sla(sla_target_seconds(value, config), now, config)
    return value if uow.tickets.raise_priority(ticket_id, value, sla) else None

