"""In-memory repositories and :class:`FakeUnitOfWork`, for service and action tests without a database.

They keep the same rules as the SQL repositories for what the services use
(states and their transitions, claims, positions); changes apply at once and
``commits`` counts :meth:`FakeUnitOfWork.commit` calls (cosmicpython's fake
unit of work does the same).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

from bot.domain import OPEN_STATES, WAITING_STATES, ReasonCode, TicketEvent, TicketState
from bot.queue.tickets import ClaimConflict, Ticket, TicketClosed, TicketNotFound
from bot.text import utcnow
from bot.storage.uow import AbstractUnitOfWork
from bot.queue.waits import FakeWaitRepository


class FakeTicketRepository:
    """Tickets in a dict; events in a list of ``(ticket_id, kind, author, text, data)``."""

    def __init__(self) -> None:
        self.tickets: Dict[str, Ticket] = {}
        self.events: List[tuple] = []
        self.ratings: List[Tuple[str, int]] = []

    def add(self, packet: dict, state: str, customer_id: Optional[str] = None) -> Ticket:
        """Open a ticket from a handoff packet and record its ``created`` event.

        Args:
            packet: a DESIGN §6 handoff packet; ``ticket_id``, ``conversation_id``, ``channel``, ``language``,
                ``priority``, ``reason`` (``{code, detail}``), ``skills``, ``summary``, ``created_at`` and
                ``sla.due_at`` (ISO 8601) are read.
            state: the first state, a :class:`TicketState` value (``queued`` or ``callback_requested``).
            customer_id: the linked customer, if any.

        Returns:
            The stored :class:`Ticket`.

        Raises:
            ValueError: ``state`` is not a ticket state, or a packet timestamp is not ISO 8601.
            KeyError: the packet misses one of the fields above.
        """
        ticket = Ticket(
            ticket_id=packet["ticket_id"], conversation_id=packet["conversation_id"], channel=packet["channel"],
            language=packet["language"], state=TicketState(state).value, priority=packet["priority"],
            reason={"code": packet["reason"]["code"], "detail": packet["reason"].get("detail")},
            skills=list(packet["skills"]), summary=packet["summary"], packet=dict(packet), customer_id=customer_id,
            assigned_to=None, disposition=None, created_at=datetime.fromisoformat(packet["created_at"]),
            sla_due_at=datetime.fromisoformat(packet["sla"]["due_at"]), claimed_at=None, closed_at=None,
        )
        self.tickets[ticket.ticket_id] = ticket
        self.add_event(ticket.ticket_id, TicketEvent.CREATED, "bot", None, {"state": ticket.state})
        return ticket

    def get(self, ticket_id: str) -> Optional[Ticket]:
        """Return the ticket ``ticket_id``, or None if there is none."""
        return self.tickets.get(ticket_id)

    def open_for_conversation(self, conversation_id: str) -> Optional[Ticket]:
        """Return the newest ticket of ``conversation_id`` still in an open state, or None."""
        found = [t for t in self.tickets.values() if t.conversation_id == conversation_id and t.state in OPEN_STATES]
        return max(found, key=lambda t: t.created_at) if found else None

    def for_conversation(self, conversation_id: str) -> List[Ticket]:
        """Return every ticket of ``conversation_id``, oldest first."""
        return sorted((t for t in self.tickets.values() if t.conversation_id == conversation_id),
                      key=lambda t: t.created_at)

    def recent_for_customer(self, customer_id: str, since: datetime) -> List[datetime]:
        """Return the creation times (UTC datetimes) of ``customer_id``'s tickets created at or after ``since``."""
        return [t.created_at for t in self.tickets.values() if t.customer_id == customer_id and t.created_at >= since]

    def position(self, ticket: Ticket) -> int:
        """Return the ticket's 1-based place in the waiting queue, ordered by (priority, created_at).

        Only tickets in a waiting state that sort before ``ticket`` are counted, so a ticket
        that is no longer waiting gets the place it would have.
        """
        return 1 + sum(1 for t in self.tickets.values() if t.state in WAITING_STATES and (
            (t.priority, t.created_at) < (ticket.priority, ticket.created_at)))

    def claim(self, ticket_id: str, username: str) -> Ticket:
        """Give the ticket to ``username`` (state ``with_agent``); claiming one's own ticket again is a no-op.

        Returns:
            The claimed :class:`Ticket`.

        Raises:
            TicketNotFound: there is no such ticket.
            TicketClosed: the ticket is closed.
            ClaimConflict: the ticket is not waiting (another agent holds it).
        """
        ticket = self._existing(ticket_id)
        if ticket.state == TicketState.WITH_AGENT and ticket.assigned_to == username:
            return ticket
        if ticket.state == TicketState.CLOSED:
            raise TicketClosed(ticket_id)
        if ticket.state not in WAITING_STATES:
            raise ClaimConflict(ticket_id, ticket.assigned_to)
        return self._save(replace(ticket, state=TicketState.WITH_AGENT.value, assigned_to=username,
                                  claimed_at=utcnow()), "claimed", username)

    def close(self, ticket_id: str, username: str, disposition: str, override: bool = False) -> Ticket:
        """Close the ticket with a disposition and record a ``closed`` event.

        Args:
            ticket_id: the ticket.
            username: the closing agent; becomes the assignee of an unassigned ticket.
            disposition: the agent's outcome label (free text, e.g. ``resolved``).
            override: close even if another agent holds the ticket (supervisors).

        Returns:
            The closed :class:`Ticket`.

        Raises:
            TicketNotFound: there is no such ticket.
            TicketClosed: the ticket is already closed.
            IllegalTransition: the DESIGN §4 transitions do not allow closing from the current state.
            ClaimConflict: another agent holds the ticket and ``override`` is false.
        """
        ticket = self._existing(ticket_id)
        if ticket.state == TicketState.CLOSED:
            raise TicketClosed(ticket_id, "ticket is already closed")
        TicketState(ticket.state).to(TicketState.CLOSED)
        if not override and ticket.assigned_to not in (None, username):
            raise ClaimConflict(ticket_id, ticket.assigned_to)
        return self._save(replace(ticket, state=TicketState.CLOSED.value, disposition=disposition,
                                  closed_at=utcnow(), assigned_to=ticket.assigned_to or username), "closed", username)

    def set_reason(self, ticket_id: str, code: str, detail: str) -> bool:
        """Replace the ticket's escalation reason, in the ticket and in its packet.

        Args:
            ticket_id: the ticket.
            code: a :class:`ReasonCode` value.
            detail: a short free-text detail.

        Returns:
            True if the ticket exists, False if not.

        Raises:
            ValueError: ``code`` is not a reason code.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return False
        code = ReasonCode(code).value
        self.tickets[ticket_id] = replace(ticket, reason={"code": code, "detail": detail},
                                          packet={**ticket.packet, "reason": {"code": code, "detail": detail}})
        return True

    def fill_intake(self, ticket_id: str, field: str, value: str) -> bool:
        """Set ``packet.intake[field]`` to ``value`` unless it already has a value.

        Returns:
            True if the ticket exists (whether or not the field was already filled), False if not.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return False
        intake = dict(ticket.packet.get("intake") or {})
        if not intake.get(field):
            self.tickets[ticket_id] = replace(ticket, packet={**ticket.packet, "intake": {**intake, field: value}})
        return True

    def add_event(self, ticket_id: str, kind: str, author: Optional[str], text: Optional[str] = None,
                  data: Optional[dict] = None) -> None:
        """Append ``(ticket_id, kind, author, text, data)`` to :attr:`events`; nothing is checked."""
        self.events.append((ticket_id, kind, author, text, data))

    def mark_reply_delivery(self, ticket_id: str, author: str, delivery: str) -> bool:
        """Mark the latest ``message`` event of ``author`` on the ticket with ``data.delivery = delivery``.

        Args:
            ticket_id: the ticket.
            author: the agent whose reply it was.
            delivery: the delivery name (``pushed``, ``queued``, ...).

        Returns:
            True if such a message was found, False if not.
        """
        for i in range(len(self.events) - 1, -1, -1):
            tid, kind, who, text, data = self.events[i]
            if tid == ticket_id and kind == TicketEvent.MESSAGE and who == author:
                self.events[i] = (tid, kind, who, text, {**(data or {}), "delivery": delivery})
                return True
        return False

    def rate(self, ticket_id: str, rating: int) -> None:
        """Record a CSAT rating for the ticket.

        Args:
            ticket_id: the ticket (not checked).
            rating: 1 (worst) to 5 (best).

        Raises:
            ValueError: the rating is outside 1..5.
        """
        if not 1 <= rating <= 5:
            raise ValueError("CSAT is 1 to 5")
        self.ratings.append((ticket_id, rating))

    def transcript(self, ticket: Ticket) -> List[dict]:
        """Return the packet's transcript followed by the ticket's live messages.

        Returns:
            A list of ``{"from": "customer"|"bot"|"agent", "text": str, "channel": str|None}`` dicts, oldest first.
        """
        live = [{"from": (d or {}).get("from", "agent"), "text": text, "channel": (d or {}).get("channel")}
                for tid, kind, _, text, d in self.events if tid == ticket.ticket_id and kind == TicketEvent.MESSAGE]
        return list(ticket.packet.get("transcript", [])) + live

    def _existing(self, ticket_id: str) -> Ticket:
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        return ticket

    def _save(self, ticket: Ticket, kind: str, author: str) -> Ticket:
        self.tickets[ticket.ticket_id] = ticket
        self.add_event(ticket.ticket_id, kind, author)
        return ticket


class FakeAgentRepository:
    """``online``: how many agents count as online."""

    def __init__(self, online: int = 1) -> None:
        self.online = online

    def online_count(self, now: Optional[datetime] = None) -> int:
        """Return :attr:`online`, whatever ``now`` is."""
        return self.online


class FakeReasonRepository:
    """Escalation reasons in :attr:`recorded` as ``(conversation_id, code, detail)`` tuples."""

    def __init__(self) -> None:
        self.recorded: List[Tuple[str, str, Optional[str]]] = []

    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        """Record a reason for a conversation.

        Raises:
            ValueError: ``code`` is not a :class:`ReasonCode` value.
        """
        self.recorded.append((conversation_id, ReasonCode(code).value, detail))


class FakeCustomerRepository:
    """No customers: every conversation is anonymous."""

    def find(self, kind: str, value: str, verified_only: bool = False) -> Any:
        """Find no customer: always None."""
        return None

    def latest_progress_conversation(self, conversation_ids: Any, flow: str) -> Optional[str]:
        """Find no earlier conversation with progress: always None."""
        return None

    def recent_events(self, conversation_ids: Any, since: datetime) -> Dict[str, List[dict]]:
        """Find no events: always an empty dict."""
        return {}


class FakeProgressRepository:
    """Flow progress in :attr:`saved`, keyed by ``(conversation_id, flow)``."""

    def __init__(self) -> None:
        self.saved: Dict[Tuple[str, str], Any] = {}

    def get(self, conversation_id: str, flow: str) -> Any:
        """Return the saved progress of ``flow`` in ``conversation_id``, or None."""
        return self.saved.get((conversation_id, flow))

    def save(self, progress: Any) -> None:
        """Save ``progress`` (an object with ``conversation_id`` and ``flow``), replacing any earlier one."""
        self.saved[(progress.conversation_id, progress.flow)] = progress


class FakeOutboxRepository:
    """Messages as dicts ``{id, conversation_id, channel, message, created_at, delivered}``."""

    def __init__(self) -> None:
        self.messages: List[dict] = []

    def add(self, conversation_id: str, channel: str, messages: List[dict],
            created_at: Optional[datetime] = None) -> List[int]:
        """Queue messages for a conversation's channel.

        Args:
            conversation_id: the conversation.
            channel: the delivery channel name.
            messages: Rasa-style bot messages (``{"text": ...}`` and so on).
            created_at: the queueing time (UTC); now if None.

        Returns:
            The new message ids, in order.
        """
        ids = []
        for message in messages:
            ids.append(len(self.messages) + 1)
            self.messages.append({"id": ids[-1], "conversation_id": conversation_id, "channel": channel,
                                  "message": message, "created_at": created_at or utcnow(), "delivered": False})
        return ids

    def claim_stale(self, conversation_id: str, channel: str, created_before: datetime) -> List[Tuple[int, dict]]:
        """Claim the undelivered messages of the conversation's channel queued before ``created_before``.

        Returns:
            ``(id, message)`` pairs, oldest first; they are marked delivered.
        """
        claimed = [m for m in self.messages if m["conversation_id"] == conversation_id and m["channel"] == channel
                   and not m["delivered"] and m["created_at"] < created_before]
        for m in claimed:
            m["delivered"] = True
        return [(m["id"], m["message"]) for m in claimed]

    def release(self, ids: List[int]) -> None:
        """Mark the messages with the given ids undelivered again (after a failed push)."""
        for m in self.messages:
            if m["id"] in ids:
                m["delivered"] = False


class FakeCodeRepository:
    """No one-time code was ever passed."""

    def passed(self, conversation_id: str, since: datetime) -> List[Any]:
        """Return no passed codes: always an empty list."""
        return []


class FakeConversationRepository:
    """Counts conversations: :attr:`total` is what :meth:`count_all` returns."""

    def __init__(self, total: int = 0) -> None:
        self.total = total

    def count_all(self) -> int:
        """Return :attr:`total`."""
        return self.total


class FakeOrderRepository:
    """Orders by number (``bot.customers.orders.Order`` values); ``changes`` records address changes."""

    def __init__(self, orders: Optional[Dict[str, Any]] = None) -> None:
        self.orders = dict(orders or {})
        self.changes: List[Tuple[str, str, str]] = []

    def get(self, order_number: str) -> Any:
        """Return the order ``order_number``, or None."""
        return self.orders.get(order_number)

    def change_address(self, order_number: str, new_address: str, conversation_id: str) -> Any:
        """Change an order's shipping address and record the change in :attr:`changes`.

        Args:
            order_number: the order.
            new_address: the new shipping address, one line.
            conversation_id: the conversation that asked for it.

        Returns:
            The updated ``bot.customers.orders.Order``.

        Raises:
            OrderNotFound: there is no such order.
            AddressChangeRefused: the order's status no longer allows a change (it has shipped).
        """
        from bot.customers.orders import ADDRESS_CHANGEABLE, AddressChangeRefused, OrderNotFound

        order = self.orders.get(order_number)
        if order is None:
            raise OrderNotFound(order_number)
        if order.status not in ADDRESS_CHANGEABLE:
            raise AddressChangeRefused(order)
        self.orders[order_number] = replace(order, shipping_address=new_address)
        self.changes.append((order_number, conversation_id, new_address))
        return self.orders[order_number]


class FakeUnitOfWork(AbstractUnitOfWork):
    """A unit of work over the fakes above; the same repositories live across ``with`` blocks.

    Provides ``tickets``, ``agents``, ``reasons``, ``customers``, ``progress``,
    ``outbox``, ``conversations``, ``orders``, ``codes`` and ``waits``; not
    ``webchat``, ``notifications``, ``queue``, ``notes``, ``transfers`` or
    ``canned`` (services that need those are tested on ``SqlAlchemyUnitOfWork``
    over SQLite).
    """

    def __init__(self, agents_online: int = 1) -> None:
        self.tickets = FakeTicketRepository()
        self.agents = FakeAgentRepository(agents_online)
        self.reasons = FakeReasonRepository()
        self.customers = FakeCustomerRepository()
        self.progress = FakeProgressRepository()
        self.outbox = FakeOutboxRepository()
        self.conversations = FakeConversationRepository()
        self.orders = FakeOrderRepository()
        self.codes = FakeCodeRepository()
        self.waits = FakeWaitRepository()  # issue 14 (bot/queue/waits.py)
        self.commits = 0

    def commit(self) -> None:
        """Count a commit (changes already apply at once)."""
        self.commits += 1

    def rollback(self) -> None:
        """Do nothing: the fakes apply changes at once and keep them."""
        pass
