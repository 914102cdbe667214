"""Use cases of a ticket once it exists: relay, claim, reply, close, call-back, reason, rating, views.

Every function takes a unit of work (not yet entered), opens it, commits
what it changed and returns domain values. Errors raised:
``bot.queue.tickets.TicketNotFound`` (no such ticket), ``TicketClosed``,
``ClaimConflict`` (another agent holds it) and :class:`NotHolder` (an agent
closes a ticket they do not hold).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from bot.domain import ReasonCode, TicketEvent, TicketState
from bot.customers.masking import mask_pii
from bot.handover.policy import Decision, EscalationConfig, estimated_wait_s
from bot.text import utcnow
from bot.queue.tickets import ClaimConflict, Ticket, TicketNotFound
from bot.storage.uow import AbstractUnitOfWork

if TYPE_CHECKING:  # pragma: no cover
    from bot.queue.queue_queries import Page, QueueQuery

#: Why the IVR hands a call over when the caller gave nothing usable (DESIGN.md §5 ``no_input``).
NO_INPUT_DETAIL = "caller silent or not understood past the IVR retry limit"


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
    writing, so they still want a person (the earlier reason, its detail saying so).
    """

    ticket: Optional[Ticket]
    position: Optional[int] = None
    wait_s: Optional[int] = None
    previous: Optional[Ticket] = None
    requeue: Optional[Decision] = None

    @property
    def outcome(self) -> str:
        """:data:`FILED` (on the open ticket), :data:`REQUEUE` (hand over again with ``requeue``)
        or :data:`BOT_BACK` (the ticket closed meanwhile: the bot serves again)."""
        if self.ticket is not None:
            return FILED
        return REQUEUE if self.requeue is not None else BOT_BACK


#: :attr:`Relayed.outcome` values.
FILED, REQUEUE, BOT_BACK = "filed", "requeue", "bot_back"


def file_customer_message(uow: AbstractUnitOfWork, ticket_id: str, text: str, channel: str) -> None:
    """Add a customer message (PII-masked here, DESIGN.md §6) to a ticket's transcript, inside ``uow``
    (already entered); the caller commits."""
    uow.tickets.add_event(ticket_id, TicketEvent.MESSAGE.value, "customer", mask_pii(text), {"from": "customer", "channel": channel})
    uow.waits.touch(ticket_id, utcnow())  # the customer is still there: no abandonment yet (issue 14)


def relay_message(uow: AbstractUnitOfWork, conversation_id: str, text: str, channel: str,
                  config: EscalationConfig) -> Relayed:
    """File a customer message on the conversation's open ticket (masked), and say where it stands.

    Args:
        channel: Rasa's input channel name of the message (``rest`` when unknown).
        config: escalation.yml, for the estimated wait.

    Returns:
        :class:`Relayed`; its ``outcome`` says what the caller does next.
    """
    with uow:
        ticket = uow.tickets.open_for_conversation(conversation_id)
        if ticket is None:  # closed or abandoned meanwhile
            earlier = uow.tickets.for_conversation(conversation_id)
            previous = earlier[-1] if earlier else None
            if previous is not None and previous.state == TicketState.ABANDONED:
                again = Decision(previous.reason.get("code") or ReasonCode.CUSTOMER_REQUEST.value,
                                 f"came back after ticket {previous.ticket_id} was abandoned")
                return Relayed(None, previous=previous, requeue=again)
            return Relayed(None, previous=previous)
        file_customer_message(uow, ticket.ticket_id, text, channel)
        uow.commit()
        if ticket.state != TicketState.QUEUED:
            return Relayed(ticket)
        position = uow.tickets.position(ticket)
        return Relayed(ticket, position, estimated_wait_s(position, uow.agents.online_count(), config))


def claim(uow: AbstractUnitOfWork, ticket_id: str, username: str) -> Ticket:
    """Assign a waiting ticket to ``username`` (claiming one's own ticket again is harmless).

    Raises:
        TicketNotFound, TicketClosed, ClaimConflict (held by another agent).
    """
    with uow:
        claimed = uow.tickets.claim(ticket_id, username)
        uow.commit()
        return claimed


def reply(uow: AbstractUnitOfWork, ticket_id: str, username: str, text: str) -> Ticket:
    """Record an agent's reply on the ticket they hold; the caller delivers it to the customer.

    Returns:
        The ticket (its ``conversation_id`` and ``channel`` say where to deliver).

    Raises:
        TicketNotFound; ClaimConflict: the ticket is not ``with_agent`` held by ``username``.
    """
    with uow:
        current = uow.tickets.get(ticket_id)
        if current is None:
            raise TicketNotFound(ticket_id)
        if current.state != TicketState.WITH_AGENT or current.assigned_to != username:
            raise ClaimConflict(ticket_id, current.assigned_to,
                                f"claim the ticket first (held by {current.assigned_to})")
        uow.tickets.add_event(ticket_id, TicketEvent.MESSAGE.value, username, text, {"from": "agent", "channel": current.channel})
        uow.commit()
        return current


def close(uow: AbstractUnitOfWork, ticket_id: str, username: str, disposition: str,
          supervisor: bool = False) -> Ticket:
    """Close a ticket; the caller then hands the conversation back to the bot (CSAT question).

    An agent closes what they hold (or an unclaimed ticket); a supervisor closes any.

    Raises:
        TicketNotFound, TicketClosed, ClaimConflict, NotHolder.
    """
    with uow:
        current = uow.tickets.get(ticket_id)
        if current is None:
            raise TicketNotFound(ticket_id)
        if not supervisor and current.state != TicketState.CLOSED and current.assigned_to != username:
            raise NotHolder(ticket_id, current.assigned_to)
        closed = uow.tickets.close(ticket_id, username, disposition, override=supervisor)
        uow.commit()
        return closed


def record_callback(uow: AbstractUnitOfWork, ticket_id: str, phone: str) -> bool:
    """The customer confirmed the number to call back: a ``callback`` event, and ``intake.phone`` if empty.

    Returns:
        False if there is no such ticket (nothing recorded).
    """
    with uow:
        if uow.tickets.get(ticket_id) is None:
            return False
        uow.tickets.add_event(ticket_id, TicketEvent.CALLBACK.value, "customer", None, {"phone": phone})
        uow.tickets.fill_intake(ticket_id, "phone", phone)
        uow.commit()
        return True


def correct_reason(uow: AbstractUnitOfWork, ticket_id: str, code: ReasonCode | str, detail: str) -> bool:
    """Replace a ticket's primary reason (the IVR's ``no_input``, which the bot cannot see).

    Returns:
        False if there is no such ticket.

    Raises:
        ValueError: ``code`` is not a reason code.
    """
    with uow:
        changed = uow.tickets.set_reason(ticket_id, ReasonCode(code).value, detail)
        uow.commit()
        return changed


def rate(uow: AbstractUnitOfWork, ticket_id: str, rating: int) -> None:
    """Store a CSAT rating (1..5) for a ticket.

    Raises:
        ValueError: ``rating`` is outside 1..5.
    """
    with uow:
        uow.tickets.rate(ticket_id, rating)
        uow.commit()


def ticket_view(uow: AbstractUnitOfWork, ticket_id: str, now: datetime) -> Optional[dict]:
    """The desk's view of a ticket: queue fields, ``packet`` and the live ``transcript``; None if unknown."""
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return None
        return {**ticket.queue_view(now), "packet": ticket.packet, "transcript": uow.tickets.transcript(ticket)}


def metrics(uow: AbstractUnitOfWork, now: datetime, since: Optional[datetime] = None) -> dict:
    """The supervisor's figures from ``since`` (default: 24 h before ``now``) to ``now``: waiting
    now, longest wait, SLA breaches, abandonment, escalations by reason, containment, per-agent
    handling and CSAT, as SQL aggregates (``bot.queue.queue_queries``; DESIGN.md §7)."""
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

    Raises:
        BadQuery: a cursor of another sort or filter set.
    """
    with uow:
        return uow.queue.queue(query, now)


def search(uow: AbstractUnitOfWork, q: str, now: datetime, limit: int, offset: int) -> "Page":
    """Tickets in any state matching ``q`` (order number, e-mail, phone, ids or text), newest first."""
    with uow:
        return uow.queue.search(q, now, limit, offset)


def conversation_tickets(uow: AbstractUnitOfWork, conversation_id: str, now: datetime) -> list:
    """Every ticket of a conversation as queue views (dicts), oldest first."""
    with uow:
        return [t.queue_view(now) for t in uow.tickets.for_conversation(conversation_id)]


def note_delivery(uow: AbstractUnitOfWork, ticket_id: str, username: str, delivery: str) -> bool:
    """Record how ``username``'s latest reply on the ticket was delivered (e.g. ``at_most_once``:
    sent to a client that cannot confirm); the transcript shows it as ``delivery``.

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
