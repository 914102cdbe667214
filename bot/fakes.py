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

from bot.domain import OPEN_STATES, WAITING_STATES, ReasonCode, TicketState
from bot.tickets import ClaimConflict, Ticket, TicketClosed, TicketNotFound
from bot.text import utcnow
from bot.uow import AbstractUnitOfWork
from bot.waits import FakeWaitRepository


class FakeTicketRepository:
    """Tickets in a dict; events in a list of ``(ticket_id, kind, author, text, data)``."""

    def __init__(self) -> None:
        self.tickets: Dict[str, Ticket] = {}
        self.events: List[tuple] = []
        self.ratings: List[Tuple[str, int]] = []

    def add(self, packet: dict, state: str, customer_id: Optional[str] = None) -> Ticket:
        ticket = Ticket(
            ticket_id=packet["ticket_id"], conversation_id=packet["conversation_id"], channel=packet["channel"],
            language=packet["language"], state=TicketState(state).value, priority=packet["priority"],
            reason={"code": packet["reason"]["code"], "detail": packet["reason"].get("detail")},
            skills=list(packet["skills"]), summary=packet["summary"], packet=dict(packet), customer_id=customer_id,
            assigned_to=None, disposition=None, created_at=datetime.fromisoformat(packet["created_at"]),
            sla_due_at=datetime.fromisoformat(packet["sla"]["due_at"]), claimed_at=None, closed_at=None,
        )
        self.tickets[ticket.ticket_id] = ticket
        self.add_event(ticket.ticket_id, "created", "bot", None, {"state": ticket.state})
        return ticket

    def get(self, ticket_id: str) -> Optional[Ticket]:
        return self.tickets.get(ticket_id)

    def open_for_conversation(self, conversation_id: str) -> Optional[Ticket]:
        found = [t for t in self.tickets.values() if t.conversation_id == conversation_id and t.state in OPEN_STATES]
        return max(found, key=lambda t: t.created_at) if found else None

    def recent_for_customer(self, customer_id: str, since: datetime) -> List[datetime]:
        return [t.created_at for t in self.tickets.values() if t.customer_id == customer_id and t.created_at >= since]

    def position(self, ticket: Ticket) -> int:
        return 1 + sum(1 for t in self.tickets.values() if t.state in WAITING_STATES and (
            (t.priority, t.created_at) < (ticket.priority, ticket.created_at)))

    def claim(self, ticket_id: str, username: str) -> Ticket:
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
        ticket = self._existing(ticket_id)
        if ticket.state == TicketState.CLOSED:
            raise TicketClosed(ticket_id, "ticket is already closed")
        TicketState(ticket.state).to(TicketState.CLOSED)
        if not override and ticket.assigned_to not in (None, username):
            raise ClaimConflict(ticket_id, ticket.assigned_to)
        return self._save(replace(ticket, state=TicketState.CLOSED.value, disposition=disposition,
                                  closed_at=utcnow(), assigned_to=ticket.assigned_to or username), "closed", username)

    def set_reason(self, ticket_id: str, code: str, detail: str) -> bool:
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return False
        code = ReasonCode(code).value
        self.tickets[ticket_id] = replace(ticket, reason={"code": code, "detail": detail},
                                          packet={**ticket.packet, "reason": {"code": code, "detail": detail}})
        return True

    def fill_intake(self, ticket_id: str, field: str, value: str) -> bool:
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return False
        intake = dict(ticket.packet.get("intake") or {})
        if not intake.get(field):
            self.tickets[ticket_id] = replace(ticket, packet={**ticket.packet, "intake": {**intake, field: value}})
        return True

    def add_event(self, ticket_id: str, kind: str, author: Optional[str], text: Optional[str] = None,
                  data: Optional[dict] = None) -> None:
        self.events.append((ticket_id, kind, author, text, data))

    def mark_reply_delivery(self, ticket_id: str, author: str, delivery: str) -> bool:
        for i in range(len(self.events) - 1, -1, -1):
            tid, kind, who, text, data = self.events[i]
            if tid == ticket_id and kind == "message" and who == author:
                self.events[i] = (tid, kind, who, text, {**(data or {}), "delivery": delivery})
                return True
        return False

    def rate(self, ticket_id: str, rating: int) -> None:
        if not 1 <= rating <= 5:
            raise ValueError("CSAT is 1 to 5")
        self.ratings.append((ticket_id, rating))

    def transcript(self, ticket: Ticket) -> List[dict]:
        live = [{"from": (d or {}).get("from", "agent"), "text": text, "channel": (d or {}).get("channel")}
                for tid, kind, _, text, d in self.events if tid == ticket.ticket_id and kind == "message"]
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
        return self.online


class FakeReasonRepository:
    def __init__(self) -> None:
        self.recorded: List[Tuple[str, str, Optional[str]]] = []

    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        self.recorded.append((conversation_id, ReasonCode(code).value, detail))


class FakeCustomerRepository:
    """No customers: every conversation is anonymous."""

    def find(self, kind: str, value: str, verified_only: bool = False) -> Any:
        return None

    def latest_progress_conversation(self, conversation_ids: Any, flow: str) -> Optional[str]:
        return None

    def recent_events(self, conversation_ids: Any, since: datetime) -> Dict[str, List[dict]]:
        return {}


class FakeProgressRepository:
    def __init__(self) -> None:
        self.saved: Dict[Tuple[str, str], Any] = {}

    def get(self, conversation_id: str, flow: str) -> Any:
        return self.saved.get((conversation_id, flow))

    def save(self, progress: Any) -> None:
        self.saved[(progress.conversation_id, progress.flow)] = progress


class FakeOutboxRepository:
    """Messages as dicts ``{id, conversation_id, channel, message, created_at, delivered}``."""

    def __init__(self) -> None:
        self.messages: List[dict] = []

    def add(self, conversation_id: str, channel: str, messages: List[dict],
            created_at: Optional[datetime] = None) -> List[int]:
        ids = []
        for message in messages:
            ids.append(len(self.messages) + 1)
            self.messages.append({"id": ids[-1], "conversation_id": conversation_id, "channel": channel,
                                  "message": message, "created_at": created_at or utcnow(), "delivered": False})
        return ids

    def claim_stale(self, conversation_id: str, channel: str, created_before: datetime) -> List[Tuple[int, dict]]:
        claimed = [m for m in self.messages if m["conversation_id"] == conversation_id and m["channel"] == channel
                   and not m["delivered"] and m["created_at"] < created_before]
        for m in claimed:
            m["delivered"] = True
        return [(m["id"], m["message"]) for m in claimed]

    def release(self, ids: List[int]) -> None:
        for m in self.messages:
            if m["id"] in ids:
                m["delivered"] = False


class FakeCodeRepository:
    """No one-time code was ever passed."""

    def passed(self, conversation_id: str, since: datetime) -> List[Any]:
        return []


class FakeConversationRepository:
    def __init__(self, total: int = 0) -> None:
        self.total = total

    def count_all(self) -> int:
        return self.total


class FakeOrderRepository:
    """Orders by number (``bot.orders.Order`` values); ``changes`` records address changes."""

    def __init__(self, orders: Optional[Dict[str, Any]] = None) -> None:
        self.orders = dict(orders or {})
        self.changes: List[Tuple[str, str, str]] = []

    def get(self, order_number: str) -> Any:
        return self.orders.get(order_number)

    def change_address(self, order_number: str, new_address: str, conversation_id: str) -> Any:
        from bot.orders import ADDRESS_CHANGEABLE, AddressChangeRefused, OrderNotFound

        order = self.orders.get(order_number)
        if order is None:
            raise OrderNotFound(order_number)
        if order.status not in ADDRESS_CHANGEABLE:
            raise AddressChangeRefused(order)
        self.orders[order_number] = replace(order, shipping_address=new_address)
        self.changes.append((order_number, conversation_id, new_address))
        return self.orders[order_number]


class FakeUnitOfWork(AbstractUnitOfWork):
    """A unit of work over the fakes above; the same repositories live across ``with`` blocks."""

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
        self.waits = FakeWaitRepository()  # issue 14 (bot/waits.py)
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        pass
