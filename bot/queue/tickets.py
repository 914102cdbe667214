"""The human queue: tickets, their events, claims, CSAT and metrics."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import HUMAN_STATES, OPEN_STATES, WAITING_STATES, Channel, PacketJSON, TicketEvent, TicketState
from bot.storage.db import AuditLogRow, CsatRow, TicketEventRow, TicketRow, as_utc, utcnow
from bot.queue.queue_queries import (SqlAlchemyQueueQueries, appended_search_text, packet_summaries, summary_columns,
                                     ticket_search_fields)
from bot.storage.repositories import TicketRepository

# The states as stored (plain strings for SQL parameters).
WAITING = tuple(state.value for state in WAITING_STATES)
OPEN = tuple(state.value for state in OPEN_STATES)


class ClaimConflict(Exception):
    """Another agent holds the ticket (``holder``), or nobody does (None) where the caller must; the
    message is meant for the client and never shows Python's None."""

    def __init__(self, ticket_id: str, holder: Optional[str], message: Optional[str] = None) -> None:
        super().__init__(message or (f"ticket {ticket_id} is held by {holder}" if holder
                                     else f"ticket {ticket_id} is not waiting to be claimed (nobody holds it)"))
        self.ticket_id, self.holder = ticket_id, holder


def claim_first(ticket_id: str, holder: Optional[str]) -> ClaimConflict:
    """The conflict of acting on a ticket the caller does not hold: "claim the ticket first" and who
    holds it ("held by alice"), or "nobody holds it".

    Args:
        ticket_id: the ticket's id.
        holder: the user name of the agent holding it, or None.

    Returns:
        The :class:`ClaimConflict` to raise (the desk answers 409 with its message).
    """
    return ClaimConflict(ticket_id, holder, f"claim the ticket first (held by {holder})" if holder
                         else "claim the ticket first (nobody holds it)")


def not_held(ticket: "Ticket") -> Exception:
    """Why the caller may not act on ``ticket`` as its holder (reply, send a photo): a ticket that is
    over (``closed``, ``abandoned``) says so, as ``/typing`` and ``/transfer`` do, rather than "claim the
    ticket first (held by <the caller>)" (fresh-user report 26 #8); an open one is :func:`claim_first`.

    Args:
        ticket: the ticket, which the caller does not hold ``with_agent``.

    Returns:
        :class:`TicketClosed` ("ticket is closed: it cannot be answered any more") or the
        :class:`ClaimConflict` of :func:`claim_first`, to raise (the desk answers 409 with its message).
    """
    if ticket.state not in OPEN_STATES:
        return TicketClosed(ticket.ticket_id, f"ticket is {TicketState(ticket.state).value}: "
                                              "it cannot be answered any more")
    return claim_first(ticket.ticket_id, ticket.assigned_to)


class TicketNotFound(Exception):
    """No ticket has this id."""

    def __init__(self, ticket_id: str) -> None:
        super().__init__("no such ticket")
        self.ticket_id = ticket_id


class TicketAlreadyOpen(Exception):
    """The conversation already has an open ticket (``ticket``): the database's
    one-open-ticket index refused a second (two hand-overs raced)."""

    def __init__(self, ticket: "Ticket") -> None:
        super().__init__(f"conversation {ticket.conversation_id} already has open ticket {ticket.ticket_id}")
        self.ticket = ticket


class DuplicateClientId(Exception):
    """The ticket already has an event with this client id (the database's unique index
    ``uq_ticket_events_author_client_id`` refused a second one: a retry raced the first call);
    ``event`` is the first one as :meth:`SqlAlchemyTicketRepository.event_by_client_id` gives it."""

    def __init__(self, event: dict) -> None:
        super().__init__(f"ticket {event['ticket_id']} already has event {event['id']} with this client id")
        self.event = event


class TicketClosed(Exception):
    """The ticket is closed already; the message is meant for the client."""

    def __init__(self, ticket_id: str, message: str = "ticket is closed") -> None:
        super().__init__(message)
        self.ticket_id = ticket_id


def new_ticket_id() -> str:
    """A new random ticket id (``T`` + 12 hex digits)."""
    return "T" + secrets.token_hex(6).upper()




@dataclass(frozen=True)
class Ticket:
    """A ticket as the services and the desk see it: the packet's headline fields, ``state`` (a
    TicketState value), holder and times (UTC)."""
    ticket_id: str
    conversation_id: str
    channel: str
    language: str
    state: str
    priority: int
    reason: dict
    skills: list
    summary: str
    packet: PacketJSON  # the handoff/v1 JSON object (DESIGN.md §6)
    customer_id: Optional[str]
    assigned_to: Optional[str]
    disposition: Optional[str]
    created_at: datetime
    sla_due_at: datetime
    claimed_at: Optional[datetime]
    closed_at: Optional[datetime]
    # the summary in each desk language (``{"en": …, "zh": …}``; issue 14)
    summaries: dict = field(default_factory=dict)
    # when the customer, waiting in the queue, asked for a call-back (or left a message); None otherwise
    callback_requested_at: Optional[datetime] = None

    @classmethod
    def from_row(cls, row: TicketRow) -> "Ticket":
        """The ticket of a stored row.

        Args:
            row: a ``tickets`` row.

        Returns:
            The :class:`Ticket` (times aware UTC; ``summaries`` fall back to ``summary``).
        """
        return cls(
            ticket_id=row.id, conversation_id=row.conversation_id, channel=row.channel,
            language=row.language, state=row.state, priority=row.priority,
            reason={"code": row.reason_code, "detail": row.reason_detail},
            skills=list(row.skills or []), summary=row.summary, packet=dict(row.packet),  # type: ignore[arg-type]
            customer_id=row.customer_id, assigned_to=row.assigned_to, disposition=row.disposition,
            created_at=as_utc(row.created_at), sla_due_at=as_utc(row.sla_due_at),
            claimed_at=as_utc(row.claimed_at), closed_at=as_utc(row.closed_at),
            summaries={"en": row.summary_en or row.summary, "zh": row.summary_zh or row.summary},
            callback_requested_at=as_utc(row.callback_requested_at),
        )

    def waiting_s(self, now: datetime) -> int:
        """Seconds the customer waited: from the hand-over (``created_at``, as every wait the supervisor sees),
        until claimed, closed, or ``now``.

        Args:
            now: the current time (aware UTC).

        Returns:
            Whole seconds, never negative.
        """
        end = self.claimed_at or self.closed_at or now
        return max(0, int((end - self.created_at).total_seconds()))

    def callback_waiting_s(self, now: datetime) -> Optional[int]:
        """Seconds since the customer, waiting in the queue, asked for this call-back (or left a message).

        Args:
            now: the current time (aware UTC).

        Returns:
            Whole seconds, never negative; None unless the ticket is a ``callback`` the customer asked for (the
            stored request of a ticket since sent back to the queue is ignored).
        """
        if self.state != TicketState.CALLBACK or self.callback_requested_at is None:
            return None
        return max(0, int((now - self.callback_requested_at).total_seconds()))

    def sla_missed_by_s(self) -> Optional[int]:
        """By how much the wait overran the SLA, once it ended (claimed, or closed unclaimed): 0 when it was met.

        Returns:
            Whole seconds, never negative; None while the ticket waits (the clock still runs: ``sla_breached``).
        """
        end = self.claimed_at or self.closed_at
        if self.state in WAITING or end is None:
            return None
        return max(0, int((end - self.sla_due_at).total_seconds()))

    def queue_view(self, now: datetime) -> dict[str, Any]:
        """The ticket as a row of ``GET /agent/api/queue`` (DESIGN.md §7), as of ``now``.

        Args:
            now: the current time (aware UTC), for the wait and the SLA.

        Returns:
            The queue item dict: ``ticket_id``, ``conversation_id``, ``channel``, ``language``, ``priority``,
            ``reason``, ``summary``, ``summaries``, ``waiting_s``, ``state``, ``assigned_to``, ``sla_due_at``,
            ``sla_breached``, ``sla_missed_by_s`` (:meth:`sla_missed_by_s`), ``live_call``, ``callback_requested_at``
            (ISO-8601) and ``callback_waiting_s`` (seconds) for a call-back the customer asked for, else None.
        """
        return {
            "ticket_id": self.ticket_id,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "language": self.language,
            "priority": self.priority,
            "reason": self.reason,
            "summary": self.summary,
            "summaries": dict(self.summaries) or {lang: self.summary for lang in ("en", "zh")},
            "waiting_s": self.waiting_s(now),
            "sla_due_at": self.sla_due_at.isoformat(),
            "sla_breached": self.state in WAITING and now > self.sla_due_at,
            "sla_missed_by_s": self.sla_missed_by_s(),
            "state": self.state,
            "assigned_to": self.assigned_to,
            "live_call": self.channel == Channel.IVR and self.state in HUMAN_STATES,
            "callback_requested_at": (self.callback_requested_at.isoformat()
                                      if self.callback_waiting_s(now) is not None else None),
            "callback_waiting_s": self.callback_waiting_s(now),
        }


def continued_packet(packet: PacketJSON, conversation_id: str, channel: str) -> PacketJSON:
    """The packet of a ticket that followed its customer to ``conversation_id`` (``continue_on``): that conversation
    joins ``conversations`` (the desk lists every conversation of the case) and ``channels_used``, and becomes the
    packet's own ``conversation_id`` and ``channel``: where the agent's replies go now (the desk's "Channel /
    language"; a fresh new user, session 46, read the first chat's there after the move).

    Args:
        packet: the stored handoff/v1 packet (not changed).
        conversation_id: the Rasa sender id the ticket moved to.
        channel: that conversation's packet channel name.

    Returns:
        A new packet dict.
    """
    moved = dict(packet)
    known = [c.get("conversation_id") for c in moved.get("conversations") or []]
    if conversation_id not in known:
        moved["conversations"] = list(moved.get("conversations") or []) + [
            {"conversation_id": conversation_id, "channel": channel}]
    moved["channels_used"] = sorted(set(moved.get("channels_used") or []) | {channel})
    moved["conversation_id"], moved["channel"] = conversation_id, channel
    return moved


class SqlAlchemyTicketRepository(TicketRepository):
    """Tickets, their events, CSAT and the audit log on the unit of work's session."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, packet: PacketJSON, state: str, customer_id: Optional[str] = None) -> Ticket:
        """Store a new ticket for ``packet`` (DESIGN.md §6) in ``state`` (queued or callback from a
        hand-over; fixtures may seed any state) and return it.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        state = TicketState(state).value
        row = TicketRow(
            id=packet["ticket_id"], conversation_id=packet["conversation_id"],
            channel=packet["channel"], language=packet["language"], state=state,
            priority=packet["priority"], reason_code=packet["reason"]["code"],
            reason_detail=packet["reason"].get("detail"), skills=packet["skills"],
            summary=packet["summary"], packet=packet, customer_id=customer_id,
            created_at=datetime.fromisoformat(packet["created_at"]),
            sla_due_at=datetime.fromisoformat(packet["sla"]["due_at"]),
            last_customer_activity_at=datetime.fromisoformat(packet["created_at"]),  # issue 14: abandonment
            **ticket_search_fields(packet), **summary_columns(packet),
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            existing = self.open_for_conversation(packet["conversation_id"]) if state in OPEN else None
            if existing is None:
                raise
            raise TicketAlreadyOpen(existing) from None
        self.add_event(row.id, TicketEvent.CREATED.value, "bot", None, {"state": state})
        return Ticket.from_row(row)

    def get(self, ticket_id: str, for_update: bool = False) -> Optional[Ticket]:
        """The ticket with this id, or None (``for_update``: read again under a row lock).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = (self.session.get(TicketRow, ticket_id, with_for_update=True, populate_existing=True) if for_update
               else self.session.get(TicketRow, ticket_id))
        return Ticket.from_row(row) if row else None

    def open_for_conversation(self, conversation_id: str) -> Optional[Ticket]:
        """The newest open (queued, with_agent, callback) ticket of a conversation, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = (
            select(TicketRow)
            .where(TicketRow.conversation_id == conversation_id, TicketRow.state.in_(OPEN))
            .order_by(TicketRow.created_at.desc())
            .limit(1)
        )
        row = self.session.execute(stmt).scalar_one_or_none()
        return Ticket.from_row(row) if row else None

    def for_conversation(self, conversation_id: str) -> list[Ticket]:
        """Every ticket of a conversation, oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(TicketRow).where(TicketRow.conversation_id == conversation_id).order_by(TicketRow.created_at)
        return [Ticket.from_row(r) for r in self.session.execute(stmt).scalars()]

    def waiting_for_customer(self, customer_id: str, conversation_ids: list[str],
                             states: Optional[tuple] = None, channels: Optional[tuple] = None) -> Optional[Ticket]:
        """The newest ticket of a customer (by id or by any of their conversations) in ``states``
        (default: queued or callback).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        who = TicketRow.customer_id == customer_id
        if conversation_ids:
            who = who | TicketRow.conversation_id.in_(conversation_ids)
        wanted = WAITING if states is None else tuple(TicketState(s).value for s in states)
        stmt = select(TicketRow).where(TicketRow.state.in_(wanted), who)
        if channels is not None:
            stmt = stmt.where(TicketRow.channel.in_([Channel.from_input(c).value for c in channels]))
        stmt = stmt.order_by(TicketRow.created_at.desc()).limit(1)
        row = self.session.execute(stmt).scalar_one_or_none()
        return Ticket.from_row(row) if row else None

    def continue_on(self, ticket_id: str, conversation_id: str, channel: str) -> bool:
        """Move an open ticket to another conversation of its customer (a conditional update: a ticket
        closed meanwhile stays where it is).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        # locked (PostgreSQL FOR UPDATE) so a packet update racing the move is not overwritten by it
        row = self.session.get(TicketRow, ticket_id, with_for_update=True, populate_existing=True)
        if row is None or row.state not in OPEN or row.conversation_id == conversation_id:
            return False
        before = {"from_conversation": row.conversation_id, "from_channel": row.channel}
        try:  # the partial unique index refuses the UPDATE itself when the conversation has an open ticket
            moved = self.session.execute(
                update(TicketRow).where(TicketRow.id == ticket_id, TicketRow.state.in_(OPEN),
                                        TicketRow.conversation_id == before["from_conversation"])
                .values(conversation_id=conversation_id, channel=channel)
                .execution_options(synchronize_session="fetch")
            ).rowcount
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            existing = self.open_for_conversation(conversation_id)
            if existing is None:
                raise
            raise TicketAlreadyOpen(existing) from None
        if not moved:
            return False
        row.packet = continued_packet(row.packet, conversation_id, channel)
        # the desk's search still finds the ticket by the conversation it left (a fresh new user, session 46)
        row.search_text = appended_search_text(row.search_text, before["from_conversation"])
        self.add_event(ticket_id, TicketEvent.CONTINUED.value, "customer", None,
                       {**before, "to_conversation": conversation_id, "to_channel": channel})
        return True

    def waiting(self) -> list[Ticket]:
        """Queued and callback tickets, most urgent first, then oldest first."""
        stmt = (
            select(TicketRow)
            .where(TicketRow.state.in_(WAITING))
            .order_by(TicketRow.priority, TicketRow.created_at)
        )
        return [Ticket.from_row(r) for r in self.session.execute(stmt).scalars()]

    def position(self, ticket: Ticket) -> int:
        """1-based place among the live customers (``queued``); call-backs are not counted.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ahead = self.session.execute(
            select(func.count()).select_from(TicketRow).where(
                TicketRow.state == TicketState.QUEUED.value,
                (TicketRow.priority < ticket.priority)
                | ((TicketRow.priority == ticket.priority) & (TicketRow.created_at < ticket.created_at)),
            )
        ).scalar_one()
        return int(ahead) + 1

    def recent_for_customer(self, customer_id: str, since: datetime) -> list[datetime]:
        """When the customer's tickets since ``since`` were created (UTC).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(TicketRow.created_at).where(TicketRow.customer_id == customer_id, TicketRow.created_at >= since)
        return [as_utc(t) for t in self.session.execute(stmt).scalars()]

    def claim(self, ticket_id: str, username: str) -> Ticket:
        """Atomic: a conditional UPDATE; of two agents racing, exactly one row count is 1.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        now = utcnow()
        result = self.session.execute(
            update(TicketRow)
            .where(TicketRow.id == ticket_id, TicketRow.state.in_(WAITING))
            .values(state=TicketState.WITH_AGENT.value, assigned_to=username, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        row = self.session.get(TicketRow, ticket_id, populate_existing=True)
        if row is None:
            raise TicketNotFound(ticket_id)
        if result.rowcount != 1:
            if row.state == TicketState.WITH_AGENT and row.assigned_to == username:
                return Ticket.from_row(row)  # claiming twice is harmless
            if row.state == TicketState.CLOSED:
                raise TicketClosed(ticket_id)
            raise ClaimConflict(ticket_id, row.assigned_to)
        _record_durations(row)
        self.add_event(ticket_id, TicketEvent.CLAIMED.value, username)
        self.audit(username, "claim", ticket_id)
        return Ticket.from_row(row)

    def close(self, ticket_id: str, username: str, disposition: str, override: bool = False,
              served: bool = True) -> Ticket:
        """Close the ticket; ``override`` (a supervisor) closes one another agent holds.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id, with_for_update=True)
        if row is None:
            raise TicketNotFound(ticket_id)
        if row.state == TicketState.CLOSED:
            raise TicketClosed(ticket_id, "ticket is already closed")
        TicketState(row.state).to(TicketState.CLOSED)
        if not override and row.assigned_to not in (None, username):
            raise ClaimConflict(ticket_id, row.assigned_to)
        row.state, row.disposition, row.closed_at = TicketState.CLOSED.value, disposition, utcnow()
        row.assigned_to = (row.assigned_to or username) if served else None  # unserved: nobody's handled ticket
        _record_durations(row)
        self.session.flush()
        self.add_event(ticket_id, TicketEvent.CLOSED.value, username, None, {"disposition": disposition})
        self.audit(username, "close", ticket_id, {"disposition": disposition})
        return Ticket.from_row(row)

    def set_state(self, ticket_id: str, state: str, actor: str = "system") -> None:
        """Move a ticket to ``state``; an unknown ticket id is ignored.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id)
        if row is not None:
            row.state = TicketState(row.state).to(state).value
            if row.state in (TicketState.ABANDONED, TicketState.CLOSED):
                row.closed_at = row.closed_at or utcnow()
                _record_durations(row)
            self.add_event(ticket_id, state, actor)

    def fill_intake(self, ticket_id: str, field: str, value: str, replace: bool = False) -> bool:
        """Set ``packet.intake[field]`` if it is empty (or always, with ``replace``); False if the ticket is unknown.

        The exact-search columns (order number, e-mail, phone) follow the
        intake, so a call-back number the IVR records is found by search.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id)
        if row is None:
            return False
        packet = dict(row.packet or {})
        intake = dict(packet.get("intake") or {})
        if replace or not intake.get(field):
            intake[field] = value
            row.packet = {**packet, "intake": intake}
            fields = ticket_search_fields(row.packet)
            row.order_number, row.contact_email, row.contact_phone = (
                fields["order_number"], fields["contact_email"], fields["contact_phone"])
            self.session.flush()
        return True

    def set_summaries(self, ticket_id: str, summaries: dict, summary: str) -> bool:
        """Replace the packet's ``summaries`` and ``summary`` and the summary columns the queue reads.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id)
        if row is None:
            return False
        row.packet = {**dict(row.packet or {}), "summaries": dict(summaries), "summary": summary}
        row.summary = summary
        for name, value in summary_columns(row.packet).items():
            setattr(row, name, value)
        self.session.flush()
        return True

    def raise_priority(self, ticket_id: str, priority: int, sla: dict) -> bool:
        """Make an open ticket more urgent (priority, the packet's ``sla``, ``sla_due_at``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id)
        if row is None or row.state not in OPEN_STATES or row.priority <= priority:
            return False
        row.priority = priority
        row.packet = {**dict(row.packet or {}), "priority": priority, "sla": sla}
        row.sla_due_at = datetime.fromisoformat(sla["due_at"])
        self.session.flush()
        return True

    def request_callback(self, ticket_id: str, requested_at: datetime, sla: dict, phone: Optional[str] = None) -> bool:
        """The waiting customer asked for a call-back: ``callback`` by a conditional UPDATE (``WHERE state =
        'queued'``), so an agent's claim since the ticket was read is never overwritten.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        result = self.session.execute(
            update(TicketRow)
            .where(TicketRow.id == ticket_id, TicketRow.state == TicketState.QUEUED.value)
            .values(state=TicketState.CALLBACK.value)
            .execution_options(synchronize_session=False)
        )
        row = self.session.get(TicketRow, ticket_id, populate_existing=True)
        if row is None or result.rowcount != 1:
            return False
        self.add_event(ticket_id, TicketState.CALLBACK.value, "customer", None, {"phone": phone} if phone else None)
        self._note_callback_request(row, requested_at, sla)
        self.session.flush()
        return True

    def note_callback_requested(self, ticket_id: str, requested_at: datetime, sla: dict) -> bool:
        """A ``callback`` ticket the customer asked for as they were handed over ("call me back on 139…"):
        its request time and the call-back's SLA, as :meth:`request_callback` records them.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id)
        if row is None or row.state != TicketState.CALLBACK.value:
            return False
        self._note_callback_request(row, requested_at, sla)
        self.session.flush()
        return True

    @staticmethod
    def _note_callback_request(row: TicketRow, requested_at: datetime, sla: dict) -> None:
        if row.callback_requested_at is None:  # a second request (after a transfer back to the queue) keeps the first
            row.callback_requested_at = requested_at
            packet = {**dict(row.packet or {}), "callback_requested_at": requested_at.isoformat(), "callback_sla": sla}
            if requested_at <= as_utc(row.sla_due_at):  # not late yet: the promise restarts the clock
                packet["sla"] = sla
                row.sla_due_at = datetime.fromisoformat(sla["due_at"])
            row.packet = packet

    def add_event(self, ticket_id: str, kind: str, author: Optional[str], text: Optional[str] = None,
                  data: Optional[dict] = None, client_id: Optional[str] = None) -> int:
        """Append an event (message, claim, note, …) to a ticket's history; its id.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        event = TicketEventRow(ticket_id=ticket_id, kind=kind, author=author, text=text, data=data,
                               client_id=client_id)
        self.session.add(event)
        try:
            self.session.flush()
        except IntegrityError:
            if client_id is None:
                raise
            self.session.rollback()  # PostgreSQL: the transaction is unusable after the refused INSERT
            first = self.event_by_client_id(ticket_id, author, client_id)
            if first is None:
                raise
            raise DuplicateClientId(first) from None
        # found by the desk's search too (bot.queue.queue_queries); the bot's own lines are not (the safety
        # advice alone is ~400 characters: a few of them filled the capped search text, review, twelfth pass)
        if kind == TicketEvent.MESSAGE and text and author != "bot":
            row = self.session.get(TicketRow, ticket_id)
            if row is not None:
                row.search_text = appended_search_text(row.search_text, text)
                self.session.flush()
        return event.id

    def event_by_client_id(self, ticket_id: str, author: Optional[str], client_id: str) -> Optional[dict]:
        """``author``'s event on the ticket with this client id: ``{id, ticket_id, kind, author, text, data}``,
        or None (ids are per ticket and author: another author's events are never found).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.execute(
            select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.author == author,
                                         TicketEventRow.client_id == client_id)
        ).scalars().first()
        if row is None:
            return None
        return {"id": row.id, "ticket_id": row.ticket_id, "kind": row.kind, "author": row.author, "text": row.text,
                "data": dict(row.data or {})}

    def update_event_data(self, event_id: int, fields: dict) -> bool:
        """Merge ``fields`` into an event's ``data``; False if there is no such event.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketEventRow, event_id)
        if row is None:
            return False
        row.data = {**(row.data or {}), **fields}  # a new dict: JSON columns track assignment
        self.session.flush()
        return True

    def transcript(self, ticket: Ticket) -> list[dict]:
        """The packet's transcript plus every message after the hand-over.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = (
            select(TicketEventRow)
            .where(TicketEventRow.ticket_id == ticket.ticket_id, TicketEventRow.kind == TicketEvent.MESSAGE.value)
            .order_by(TicketEventRow.id)
        )
        live = [
            {"from": e.data.get("from", "agent") if e.data else "agent", "text": e.text,
             "at": as_utc(e.at).isoformat(), "channel": (e.data or {}).get("channel", ticket.channel),
             **({"agent": e.author} if (e.data or {}).get("from") == "agent" else {}),
             **({"delivery": e.data["delivery"]} if (e.data or {}).get("delivery") else {}),
             **({"attachments": e.data["attachments"]} if (e.data or {}).get("attachments") else {})}
            for e in self.session.execute(stmt).scalars()
        ]
        return list(ticket.packet.get("transcript", [])) + live

    def mark_reply_delivery(self, ticket_id: str, author: str, delivery: str) -> bool:
        """Set ``delivery`` on ``author``'s latest message event of the ticket; False if none.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.execute(
            select(TicketEventRow)
            .where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == TicketEvent.MESSAGE.value,
                   TicketEventRow.author == author)
            .order_by(TicketEventRow.id.desc()).limit(1)
        ).scalars().first()
        if row is None:
            return False
        row.data = {**(row.data or {}), "delivery": delivery}  # a new dict: JSON columns track assignment
        self.session.flush()
        return True

    def rate(self, ticket_id: str, rating: int) -> None:
        """Store a CSAT rating.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not 1 <= rating <= 5:
            raise ValueError("CSAT is 1 to 5")
        self.session.add(CsatRow(ticket_id=ticket_id, rating=rating))
        row = self.session.get(TicketRow, ticket_id)
        if row is not None:  # counted with the agent's closed tickets (bot.queue.queue_queries)
            row.csat = rating
        self.add_event(ticket_id, TicketEvent.CSAT.value, "customer", None, {"rating": rating})

    def audit(self, actor: str, action: str, subject: Optional[str], detail: Optional[dict] = None) -> None:
        """Append to the audit log: who did what to which subject.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.add(AuditLogRow(actor=actor, action=action, subject=subject, detail=detail))

    def metrics(self, now: datetime, conversations_total: Optional[int] = None,
                since: Optional[datetime] = None) -> dict[str, Any]:
        """Supervisor metrics as SQL aggregates (see ``SqlAlchemyQueueQueries.metrics``).

        Without ``since``: the 24 hours before ``now``. ``conversations_total``
        overrides the count of conversations started in the period.

        Args:
            now: the end of the period (aware UTC).
            conversations_total: conversations started in the period, or None to count them.
            since: the start of the period (aware UTC), or None.

        Returns:
            The metrics dict of ``SqlAlchemyQueueQueries.metrics``.
        """
        return SqlAlchemyQueueQueries(self.session).metrics(now, since, conversations_total)


def _record_durations(row: TicketRow) -> None:
    """``wait_s`` (creation to claim, or to the end if never claimed) and ``handle_s`` (claim to close)."""
    created, claimed, closed = as_utc(row.created_at), as_utc(row.claimed_at), as_utc(row.closed_at)
    if row.wait_s is None and created and (claimed or closed):
        row.wait_s = max(0, int(((claimed or closed) - created).total_seconds()))
    if row.handle_s is None and claimed and closed:
        row.handle_s = max(0, int((closed - claimed).total_seconds()))
