"""In-memory repositories and :class:`FakeUnitOfWork`, for service and action tests without a database.

One for each of the seventeen repositories ``AbstractUnitOfWork`` declares, each subclassing its
contract (``bot.storage.repositories``; tests/unit/test_repository_contracts.py). They keep
the same rules as the SQL repositories for what the services use (states and their
transitions, claims, positions, transfers, one-time codes, tokens, read marks,
abandonment); the customers' fake knows no customer. Changes apply at once and
``commits`` counts :meth:`FakeUnitOfWork.commit` calls (cosmicpython's fake
unit of work does the same).
"""
from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.customers.model import Customer, Identity, new_customer_id
from bot.domain import HISTORY_EVENTS, OPEN_STATES, PacketJSON, WAITING_STATES, ReasonCode, TicketEvent, TicketState
from bot.queue.queue_queries import packet_summaries
from bot.queue.tickets import (ClaimConflict, DuplicateClientId, Ticket, TicketAlreadyOpen, TicketClosed, TicketNotFound,
                              continued_packet)
from bot.text import utcnow
from bot.storage.uow import AbstractUnitOfWork
from bot.storage.repositories import (AgentRepository, AttachmentRepository, CannedReplyRepository, ConversationRepository,
                                      CustomerRepository, EscalationReasonRepository, NoteRepository,
                                      NotificationRepository, OrderCodeRepository, OrderRepository, OutboxRepository,
                                      ProgressRepository, QueueQueries, TicketRepository, TransferRepository,
                                      WaitRepository, WebchatRepository)
from bot.channels.attachments import UPLOADERS, Attachment, CheckedImage, new_attachment_id, valid_attachment_id


class FakeTicketRepository(TicketRepository):
    """Tickets in a dict; events in a list of ``(ticket_id, kind, author, text, data)``."""

    def __init__(self) -> None:
        self.tickets: Dict[str, Ticket] = {}
        self.events: List[tuple] = []
        self.client_ids: Dict[tuple, int] = {}  # (ticket_id, author, client_id) -> event id
        self.event_times: List[datetime] = []  # when each of :attr:`events` was added (UTC)
        self.ratings: List[Tuple[str, int]] = []
        self.audit_log: List[Tuple[str, str, Optional[str], Optional[dict]]] = []

    def add(self, packet: PacketJSON, state: str, customer_id: Optional[str] = None) -> Ticket:
        """Open a ticket from a handoff packet and record its ``created`` event.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = Ticket(
            ticket_id=packet["ticket_id"], conversation_id=packet["conversation_id"], channel=packet["channel"],
            language=packet["language"], state=TicketState(state).value, priority=packet["priority"],
            reason={"code": packet["reason"]["code"], "detail": packet["reason"].get("detail")},
            skills=list(packet["skills"]), summary=packet["summary"], packet=dict(packet), customer_id=customer_id,
            assigned_to=None, disposition=None, created_at=datetime.fromisoformat(packet["created_at"]),
            sla_due_at=datetime.fromisoformat(packet["sla"]["due_at"]), claimed_at=None, closed_at=None,
            summaries=packet_summaries(packet),
        )
        self.tickets[ticket.ticket_id] = ticket
        self.add_event(ticket.ticket_id, TicketEvent.CREATED, "bot", None, {"state": ticket.state})
        return ticket

    def get(self, ticket_id: str, for_update: bool = False) -> Optional[Ticket]:
        """Return the ticket ``ticket_id``, or None if there is none (nothing to lock here).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.tickets.get(ticket_id)

    def open_for_conversation(self, conversation_id: str) -> Optional[Ticket]:
        """Return the newest ticket of ``conversation_id`` still in an open state, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        found = [t for t in self.tickets.values() if t.conversation_id == conversation_id and t.state in OPEN_STATES]
        return max(found, key=lambda t: t.created_at) if found else None

    def for_conversation(self, conversation_id: str) -> List[Ticket]:
        """Return every ticket of ``conversation_id``, oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return sorted((t for t in self.tickets.values() if t.conversation_id == conversation_id),
                      key=lambda t: t.created_at)

    def recent_for_customer(self, customer_id: str, since: datetime) -> List[datetime]:
        """Return the creation times (UTC datetimes) of ``customer_id``'s tickets created at or after ``since``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return [t.created_at for t in self.tickets.values() if t.customer_id == customer_id and t.created_at >= since]

    def waiting_for_customer(self, customer_id: str, conversation_ids: List[str],
                             states: Optional[tuple] = None, channels: Optional[tuple] = None) -> Optional[Ticket]:
        """The newest ticket of a customer (by id or by any of their conversations) in ``states`` (default:
        queued or callback), or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        wanted = WAITING_STATES if states is None else tuple(TicketState(s) for s in states)
        found = [t for t in self.tickets.values() if t.state in wanted
                 and (channels is None or t.channel in channels)
                 and (t.customer_id == customer_id or t.conversation_id in (conversation_ids or []))]
        return max(found, key=lambda t: t.created_at) if found else None

    def continue_on(self, ticket_id: str, conversation_id: str, channel: str) -> bool:
        """Move an open ticket to another conversation of its customer.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.state not in OPEN_STATES or ticket.conversation_id == conversation_id:
            return False
        if self.open_for_conversation(conversation_id) is not None:
            raise TicketAlreadyOpen(self.open_for_conversation(conversation_id))
        self.tickets[ticket_id] = replace(ticket, conversation_id=conversation_id, channel=channel,
                                          packet=continued_packet(ticket.packet, conversation_id, channel))
        self.add_event(ticket_id, TicketEvent.CONTINUED.value, "customer", None,
                       {"from_conversation": ticket.conversation_id, "from_channel": ticket.channel,
                        "to_conversation": conversation_id, "to_channel": channel})
        return True

    def set_state(self, ticket_id: str, state: str, actor: str = "system") -> None:
        """Move a ticket to ``state`` and record the event; an unknown ticket id is ignored.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return
        state = TicketState(ticket.state).to(state).value
        ended = state in (TicketState.ABANDONED, TicketState.CLOSED)
        self.tickets[ticket_id] = replace(ticket, state=state,
                                          closed_at=(ticket.closed_at or utcnow()) if ended else ticket.closed_at)
        self.add_event(ticket_id, state, actor)

    def position(self, ticket: Ticket) -> int:
        """Return the ticket's 1-based place among the live customers, ordered by (priority, created_at).

        Only ``queued`` tickets that sort before ``ticket`` are counted (call-backs are a list of their
        own), so a ticket that is no longer queued gets the place it would have.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return 1 + sum(1 for t in self.tickets.values() if t.state == TicketState.QUEUED and (
            (t.priority, t.created_at) < (ticket.priority, ticket.created_at)))

    def claim(self, ticket_id: str, username: str) -> Ticket:
        """Give the ticket to ``username`` (state ``with_agent``); claiming one's own ticket again is a no-op.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self._existing(ticket_id)
        if ticket.state == TicketState.WITH_AGENT and ticket.assigned_to == username:
            return ticket
        if ticket.state == TicketState.CLOSED:
            raise TicketClosed(ticket_id)
        if ticket.state not in WAITING_STATES:
            raise ClaimConflict(ticket_id, ticket.assigned_to)
        return self._save(replace(ticket, state=TicketState.WITH_AGENT.value, assigned_to=username,
                                  claimed_at=utcnow()), TicketEvent.CLAIMED, username)

    def close(self, ticket_id: str, username: str, disposition: str, override: bool = False,
              served: bool = True) -> Ticket:
        """Close the ticket with a disposition and record a ``closed`` event.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self._existing(ticket_id)
        if ticket.state == TicketState.CLOSED:
            raise TicketClosed(ticket_id, "ticket is already closed")
        TicketState(ticket.state).to(TicketState.CLOSED)
        if not override and ticket.assigned_to not in (None, username):
            raise ClaimConflict(ticket_id, ticket.assigned_to)
        holder = (ticket.assigned_to or username) if served else None  # unserved: nobody's handled ticket
        return self._save(replace(ticket, state=TicketState.CLOSED.value, disposition=disposition,
                                  closed_at=utcnow(), assigned_to=holder), TicketEvent.CLOSED, username)

    def fill_intake(self, ticket_id: str, field: str, value: str, replace: bool = False) -> bool:
        """Set ``packet.intake[field]`` to ``value`` unless it already has a value (always with ``replace``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return False
        intake = dict(ticket.packet.get("intake") or {})
        if replace or not intake.get(field):
            self.tickets[ticket_id] = dataclasses.replace(ticket, packet={**ticket.packet, "intake": {**intake, field: value}})
        return True

    def set_summaries(self, ticket_id: str, summaries: dict, summary: str) -> bool:
        """Replace the packet's ``summaries`` and ``summary`` (and the ticket's).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            return False
        packet = {**ticket.packet, "summaries": dict(summaries), "summary": summary}
        self.tickets[ticket_id] = dataclasses.replace(ticket, packet=packet, summary=summary,
                                                      summaries=packet_summaries(packet))
        return True

    def raise_priority(self, ticket_id: str, priority: int, sla: dict) -> bool:
        """Make an open ticket more urgent (priority, the packet's ``sla``, ``sla_due_at``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.state not in OPEN_STATES or ticket.priority <= priority:
            return False
        self.tickets[ticket_id] = dataclasses.replace(
            ticket, priority=priority, packet={**ticket.packet, "priority": priority, "sla": sla},
            sla_due_at=datetime.fromisoformat(sla["due_at"]))
        return True

    def request_callback(self, ticket_id: str, requested_at: datetime, sla: dict, phone: Optional[str] = None) -> bool:
        """The waiting customer asked for a call-back: a ``queued`` ticket becomes ``callback``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.state != TicketState.QUEUED.value:
            return False
        self.tickets[ticket_id] = replace(ticket, state=TicketState.CALLBACK.value)
        self.add_event(ticket_id, TicketState.CALLBACK.value, "customer", None, {"phone": phone} if phone else None)
        self._note_callback_request(ticket_id, requested_at, sla)
        return True

    def note_callback_requested(self, ticket_id: str, requested_at: datetime, sla: dict) -> bool:
        """A ``callback`` ticket asked for at the hand-over: its request time and the call-back's SLA.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.state != TicketState.CALLBACK.value:
            return False
        self._note_callback_request(ticket_id, requested_at, sla)
        return True

    def _note_callback_request(self, ticket_id: str, requested_at: datetime, sla: dict) -> None:
        ticket = self.tickets[ticket_id]
        if ticket.callback_requested_at is None:
            packet = {**ticket.packet, "callback_requested_at": requested_at.isoformat(), "callback_sla": sla}
            due = ticket.sla_due_at
            if requested_at <= ticket.sla_due_at:
                packet["sla"], due = sla, datetime.fromisoformat(sla["due_at"])
            self.tickets[ticket_id] = dataclasses.replace(ticket, callback_requested_at=requested_at,
                                                          sla_due_at=due, packet=packet)

    def add_event(self, ticket_id: str, kind: str, author: Optional[str], text: Optional[str] = None,
                  data: Optional[dict] = None, client_id: Optional[str] = None) -> int:
        """Append ``(ticket_id, kind, author, text, data)`` to :attr:`events`; its id is its position + 1.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if client_id is not None:
            first = self.event_by_client_id(ticket_id, author, client_id)
            if first is not None:
                raise DuplicateClientId(first)
        self.events.append((ticket_id, kind, author, text, data))
        self.event_times.append(utcnow())
        if client_id is not None:
            self.client_ids[(ticket_id, author, client_id)] = len(self.events)
        return len(self.events)

    def event_by_client_id(self, ticket_id: str, author: Optional[str], client_id: str) -> Optional[dict]:
        """``author``'s event on the ticket with this client id: ``{id, ticket_id, kind, author, text, data}``,
        or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        event_id = self.client_ids.get((ticket_id, author, client_id))
        if event_id is None:
            return None
        tid, kind, author, text, data = self.events[event_id - 1]
        return {"id": event_id, "ticket_id": tid, "kind": kind, "author": author, "text": text, "data": dict(data or {})}

    def update_event_data(self, event_id: int, fields: dict) -> bool:
        """Merge ``fields`` into an event's ``data``; False if there is no such event.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not 1 <= event_id <= len(self.events):
            return False
        tid, kind, author, text, data = self.events[event_id - 1]
        self.events[event_id - 1] = (tid, kind, author, text, {**(data or {}), **fields})
        return True

    def audit(self, actor: str, action: str, subject: Optional[str], detail: Optional[dict] = None) -> None:
        """Append ``(actor, action, subject, detail)`` to :attr:`audit_log`: who did what to which subject.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.audit_log.append((actor, action, subject, detail))

    def mark_reply_delivery(self, ticket_id: str, author: str, delivery: str) -> bool:
        """Mark the latest ``message`` event of ``author`` on the ticket with ``data.delivery = delivery``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        for i in range(len(self.events) - 1, -1, -1):
            tid, kind, who, text, data = self.events[i]
            if tid == ticket_id and kind == TicketEvent.MESSAGE and who == author:
                self.events[i] = (tid, kind, who, text, {**(data or {}), "delivery": delivery})
                return True
        return False

    def rate(self, ticket_id: str, rating: int) -> None:
        """Record a CSAT rating for the ticket.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not 1 <= rating <= 5:
            raise ValueError("CSAT is 1 to 5")
        self.ratings.append((ticket_id, rating))

    def transcript(self, ticket: Ticket) -> List[dict]:
        """Return the packet's transcript followed by the ticket's live messages.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        live = [{"from": (d or {}).get("from", "agent"), "text": text, "channel": (d or {}).get("channel"),
                 **({"attachments": d["attachments"]} if (d or {}).get("attachments") else {})}
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


class FakeAgentRepository(AgentRepository):
    """``online``: how many agents count as online; :attr:`people`: known agents by user name.

    Each of :attr:`people` is a dict shaped like a row of ``SqlAlchemyAgentRepository.all``
    (``username``, ``display_name``, ``role``, ``skills``, ``active``, ``online``); add them with :meth:`add`.
    """

    def __init__(self, online: int = 1) -> None:
        self.online = online
        self.people: Dict[str, dict] = {}
        self._passwords: Dict[str, str] = {}
        self._tokens: Dict[str, Tuple[str, datetime]] = {}  # token -> (user name, expiry)

    def add(self, username: str, display_name: str, role: str = "agent", skills: Optional[list] = None,
            active: bool = True, online: bool = True) -> dict:
        """Make ``username`` a known agent (skills default ``["en", "zh"]`` as in the SQL repository); returns its dict.

        Args:
            username: the agent's user name.
            display_name: the name customers and colleagues see.
            role: ``agent`` or ``supervisor``.
            skills: skill tags (None: ``["en", "zh"]``).
            active: False makes a disabled agent.
            online: whether the agent counts as online (tests of routing and call-backs).

        Returns:
            The agent's dict (``username``, ``display_name``, ``role``, ``skills``, ``active``, ``online``).
        """
        self.people[username] = {"username": username, "display_name": display_name, "role": role,
                                 "skills": list(skills or ["en", "zh"]), "active": active, "online": online}
        return self.people[username]

    def online_count(self, now: Optional[datetime] = None) -> int:
        """Return :attr:`online`, whatever ``now`` is.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.online

    def save(self, username: str, password: str, display_name: str, role: str = "agent",
             skills: Optional[list] = None, active: Optional[bool] = None, by: Optional[str] = None) -> Any:
        """Create the agent, or reset an existing one's password, name, role and skills (as the SQL
        repository: a changed password or role ends their sessions; ``active`` None keeps the state).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.agents import ROLES, SavedAgent, valid_username

        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not valid_username(username):
            raise ValueError("user name: 1-64 letters, digits, '.', '_', '@' or '-' (ASCII)")
        known = self.people.get(username)
        ended = 0
        if known is not None and (known["role"] != role or self._passwords.get(username) != password):
            ended = self.revoke_all(username)
        self.add(username, display_name, role, skills, known["active"] if known else True,
                 known["online"] if known else False)
        self._passwords[username] = password
        if active is not None:
            ended += self.set_active(username, active, by) or 0
        return SavedAgent(self._agent(username), known is None, ended)

    def set_active(self, username: str, active: bool, by: Optional[str] = None) -> Optional[int]:
        """Enable or disable an agent (disabling ends their sessions); the sessions ended, or None if unknown.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if username not in self.people:
            return None
        self.people[username]["active"] = active
        return 0 if active else self.revoke_all(username)

    def revoke_all(self, username: str) -> int:
        """End every session of the agent; returns how many there were.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        mine = [token for token, (who, _) in self._tokens.items() if who == username]
        for token in mine:
            del self._tokens[token]
        return len(mine)

    def authenticate(self, username: str, password: str) -> Any:
        """The active agent (``bot.queue.agents.Agent``) whose password matches, else None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        import hmac

        known = self.people.get(username)
        if known is None or not known["active"] or not hmac.compare_digest(
                self._passwords.get(username, "").encode(), (password or "").encode()):
            return None
        return self._agent(username)

    def issue_token(self, username: str, now: Optional[datetime] = None) -> str:
        """A new bearer token for ``username``, valid ``TOKEN_TTL`` from ``now``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        import secrets

        from bot.queue.agents import TOKEN_TTL

        token = secrets.token_urlsafe(32)
        self._tokens[token] = (username, (now or utcnow()) + TOKEN_TTL)
        return token

    def agent_for_token(self, token: str, now: Optional[datetime] = None) -> Any:
        """The active agent holding an unexpired ``token``, else None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        username, expires_at = self._tokens.get(token or "", (None, None))
        if username is None or expires_at <= (now or utcnow()) or not self.people.get(username, {}).get("active"):
            return None
        return self._agent(username)

    def revoke_token(self, token: str) -> bool:
        """Forget ``token`` (logout); True if it existed.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self._tokens.pop(token or "", None) is not None

    def _agent(self, username: str) -> Any:
        from bot.queue.agents import Agent

        p = self.people[username]
        return Agent(username, p["display_name"], p["role"], list(p["skills"]), p["active"])

    def display_name(self, username: Optional[str]) -> Optional[str]:
        """The display name of ``username``, or None for an unknown (or None) user name.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        person = self.people.get(username) if username else None
        return person["display_name"] if person else None

    def all(self, now: Optional[datetime] = None) -> List[dict]:
        """Every known agent (copies of :attr:`people`), by user name.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return [dict(self.people[name]) for name in sorted(self.people)]


class FakeReasonRepository(EscalationReasonRepository):
    """Escalation reasons in :attr:`recorded` as ``(conversation_id, code, detail)`` tuples."""

    def __init__(self) -> None:
        self.recorded: List[Tuple[str, str, Optional[str]]] = []

    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        """Record a reason for a conversation.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.recorded.append((conversation_id, ReasonCode(code).value, detail))


class FakeCustomerRepository(CustomerRepository):
    """Customers and their identities in memory, with the SQL repository's rules
    (``bot.customers.repository``): a verified identity is never downgraded, ``link`` moves an
    identity, ``merge`` keeps the older customer. Empty until seeded (:meth:`seed`), so a
    conversation is anonymous unless a test gives it a customer; :meth:`add_events` seeds the
    transcripts :meth:`recent_events` reads (Rasa's ``events`` table in SQL).

    Args:
        progress: the fake progress repository :meth:`latest_progress_conversation` reads (the
            unit of work's); without it no conversation has progress.
    """

    def __init__(self, progress: Optional["FakeProgressRepository"] = None) -> None:
        self.customers: Dict[str, Optional[str]] = {}  # id -> display name, oldest first
        self.identities: Dict[Tuple[str, str], Tuple[str, Any]] = {}  # (kind, value) -> (customer id, Identity)
        self.events: Dict[str, List[dict]] = {}
        self.tickets_merged: List[Tuple[str, str]] = []  # (from, into) of each merge
        self._progress = progress

    def seed(self, display_name: Optional[str] = None, identities: Iterable[Tuple] = (),
             customer_id: Optional[str] = None) -> Any:
        """Add a known customer, as an earlier conversation would have left them.

        Args:
            display_name: how agents see the customer's name.
            identities: ``(kind, value)``, ``(kind, value, verified)`` or ``(kind, value, verified,
                source)`` tuples (verified default True, source default ``seed``); kinds as in
                ``bot.customers.model`` (web | wechat | phone | email, or a conversation kind).
            customer_id: the id (default: a new random one).

        Returns:
            The customer (``bot.customers.model.Customer``).
        """
        customer_id = customer_id or self.create(display_name).customer_id
        self.customers.setdefault(customer_id, display_name)
        for identity in identities:
            kind, value, *rest = identity
            verified, source = (rest[0] if rest else True), (rest[1] if len(rest) > 1 else "seed")
            self.link(customer_id, kind, value, verified=verified, source=source)
        return self.get(customer_id)

    def add_events(self, conversation_id: str, events: Iterable[dict]) -> None:
        """Seed a conversation's tracker events (dicts with ``event`` and ``timestamp``, Unix seconds).

        Args:
            conversation_id: the Rasa sender id.
            events: tracker event dicts to append, oldest first.
        """
        self.events.setdefault(conversation_id, []).extend(events)

    def get(self, customer_id: str) -> Optional[Customer]:
        """The customer with this id and all their identities (in the order linked), or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if customer_id not in self.customers:
            return None
        identities = tuple(i for owner, i in self.identities.values() if owner == customer_id)
        return Customer(customer_id, self.customers[customer_id], identities)

    def find(self, kind: str, value: str, verified_only: bool = False) -> Any:
        """The customer owning identity (``kind``, ``value``), or None (only trusted ones if asked).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        owner, identity = self.identities.get((kind, value), (None, None))
        if owner is None or (verified_only and not identity.trusted):
            return None
        return self.get(owner)

    def create(self, display_name: Optional[str] = None) -> Any:
        """A new customer without identities.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        customer_id = new_customer_id()
        self.customers[customer_id] = display_name
        return Customer(customer_id, display_name)

    def set_display_name(self, customer_id: str, display_name: str) -> None:
        """Set how agents see the customer's name (unknown ids: nothing).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if customer_id in self.customers:
            self.customers[customer_id] = display_name

    def link(self, customer_id: str, kind: str, value: str, verified: bool, source: Optional[str] = None) -> None:
        """Give ``customer_id`` the identity, moving it if another customer had it; a trusted
        identity stays verified (with its source).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        _, old = self.identities.get((kind, value), (None, None))
        identity = Identity(kind, value, verified, source)
        if old is not None:
            identity = old if old.trusted or not verified else identity
        self.identities[(kind, value)] = (customer_id, identity)

    def oldest_first(self, customer_ids: Iterable[str]) -> List[str]:
        """The existing ones of ``customer_ids``, oldest customer first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        wanted = set(customer_ids)
        return [c for c in self.customers if c in wanted]

    def merge(self, into_id: str, from_id: str) -> None:
        """``from_id`` was the same person as ``into_id``: its identities move, it is removed
        (recorded in :attr:`tickets_merged`, where SQL would move its tickets).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if into_id == from_id:
            return
        for key, (owner, identity) in list(self.identities.items()):
            if owner == from_id:
                self.identities[key] = (into_id, identity)
        self.customers.pop(from_id, None)
        self.tickets_merged.append((from_id, into_id))

    def latest_progress_conversation(self, conversation_ids: Any, flow: str) -> Optional[str]:
        """Among ``conversation_ids``, the one whose ``flow`` progress was saved last, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ids = set(conversation_ids)
        saved = list(self._progress.saved) if self._progress is not None else []
        return next((c for c, f in reversed(saved) if c in ids and f == flow), None)

    def recent_events(self, conversation_ids: Any, since: datetime) -> Dict[str, List[dict]]:
        """The seeded user and bot events of these conversations from ``since`` on, oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        out: Dict[str, List[dict]] = {}
        for conversation_id in conversation_ids:
            events = [e for e in self.events.get(conversation_id, [])
                      if e.get("event") in ("user", "bot") and e.get("timestamp", 0) >= since.timestamp()]
            if events:
                out[conversation_id] = sorted(events, key=lambda e: e.get("timestamp", 0))
        return out


class FakeProgressRepository(ProgressRepository):
    """Flow progress in :attr:`saved`, keyed by ``(conversation_id, flow)``."""

    def __init__(self) -> None:
        self.saved: Dict[Tuple[str, str], Any] = {}

    def get(self, conversation_id: str, flow: str) -> Any:
        """Return the saved progress of ``flow`` in ``conversation_id``, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.saved.get((conversation_id, flow))

    def save(self, progress: Any) -> None:
        """Save ``progress`` (an object with ``conversation_id`` and ``flow``), replacing any earlier one;
        :attr:`saved` keeps the order of the last changes.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.saved.pop((progress.conversation_id, progress.flow), None)
        self.saved[(progress.conversation_id, progress.flow)] = progress


class FakeOutboxRepository(OutboxRepository):
    """Messages as dicts ``{id, conversation_id, channel, message, created_at, delivered}``."""

    def __init__(self) -> None:
        self.messages: List[dict] = []

    def add(self, conversation_id: str, channel: str, messages: List[dict],
            created_at: Optional[datetime] = None) -> List[int]:
        """Queue messages for a conversation's channel.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ids = []
        for message in messages:
            ids.append(len(self.messages) + 1)
            self.messages.append({"id": ids[-1], "conversation_id": conversation_id, "channel": channel,
                                  "message": message, "created_at": created_at or utcnow(), "delivered": False})
        return ids

    def move_pending(self, from_conversation: str, to_conversation: str, channel: str) -> List[int]:
        """Give the undelivered messages of one conversation to another; their ids.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        moving = [m for m in self.messages if m["conversation_id"] == from_conversation and not m["delivered"]]
        for m in moving:
            m["conversation_id"], m["channel"] = to_conversation, channel
        return [m["id"] for m in moving]

    def claim(self, conversation_id: str, ids: List[int]) -> List[Tuple[int, dict]]:
        """The still undelivered messages of ``conversation_id`` among ``ids``, oldest first, marked delivered.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        claimed = [m for m in self.messages if m["id"] in ids and m["conversation_id"] == conversation_id
                   and not m["delivered"]]
        for m in claimed:
            m["delivered"] = True
        return [(m["id"], {**m["message"], "timestamp": m["created_at"].timestamp()}) for m in claimed]

    def claim_stale(self, conversation_id: str, channel: str, created_before: datetime) -> List[Tuple[int, dict]]:
        """Claim the undelivered messages of the conversation's channel queued before ``created_before``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        claimed = [m for m in self.messages if m["conversation_id"] == conversation_id and m["channel"] == channel
                   and not m["delivered"] and m["created_at"] < created_before]
        for m in claimed:
            m["delivered"] = True
        return [(m["id"], m["message"]) for m in claimed]

    def release(self, ids: List[int]) -> None:
        """Mark the messages with the given ids undelivered again (after a failed push).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        for m in self.messages:
            if m["id"] in ids:
                m["delivered"] = False

    def delivered(self, ids: List[int]) -> bool:
        """Whether every message with these ids is marked delivered (False for no ids).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        found = [m for m in self.messages if m["id"] in ids]
        return bool(ids) and len(found) == len(set(ids)) and all(m["delivered"] for m in found)

    def mark_delivered(self, ids: List[int]) -> None:
        """Mark the messages with these ids delivered.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        for m in self.messages:
            if m["id"] in ids:
                m["delivered"] = True

    def take_pending(self, conversation_id: str, channel: Optional[str] = None, with_time: bool = False) -> List[dict]:
        """The conversation's undelivered messages (only ``channel``'s when given), oldest first, now marked delivered.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        taken = [m for m in self.messages if m["conversation_id"] == conversation_id and not m["delivered"]
                 and (channel is None or m["channel"] == channel)]
        for m in taken:
            m["delivered"] = True
        if with_time:
            return [{**m["message"], "timestamp": m["created_at"].timestamp()} for m in taken]
        return [m["message"] for m in taken]

    def all_for(self, conversation_id: str) -> List[dict]:
        """Every message of the conversation, oldest first: ``{message, at (Unix seconds), delivered}``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return [{"message": dict(m["message"]), "at": m["created_at"].timestamp(), "delivered": m["delivered"]}
                for m in self.messages if m["conversation_id"] == conversation_id]


class FakeCodeRepository(OrderCodeRepository):
    """One-time codes (:attr:`codes`, dicts shaped like ``order_codes`` rows) and failed proofs
    (:attr:`failed`), with the rules of ``bot.customers.otp.SqlAlchemyOrderCodeRepository``;
    :meth:`passed` names the customer from the fake orders."""

    def __init__(self, orders: "FakeOrderRepository") -> None:
        self.codes: List[dict] = []
        self.failed: List[dict] = []
        self._orders = orders

    def issue(self, conversation_id: str, order_number: str, channel: str, destination: str,
              now: datetime, ttl: Any, decoy: bool = False) -> str:
        """A new code (6 digits) for (conversation, order), replacing any active one; a ``decoy`` never passes.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        import secrets

        from bot.customers.otp import CODE_DIGITS, DECOY

        self.cancel(conversation_id, order_number)
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        self.codes.append({"conversation_id": conversation_id, "order_number": order_number,
                           "channel": DECOY if decoy else channel, "destination": "" if decoy else destination,
                           "code": None if decoy else code, "tries": 0, "state": "active", "created_at": now,
                           "expires_at": now + ttl, "passed_at": None})
        return code

    def cancel(self, conversation_id: str, order_number: str, issued_at: Optional[datetime] = None) -> None:
        """The active code of (conversation, order), if any (issued at ``issued_at`` when given), can no longer pass.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        active = self._active(conversation_id, order_number)
        if active is not None and (issued_at is None or active.get("created_at") == issued_at):
            active["state"] = "replaced"

    def _active(self, conversation_id: str, order_number: str) -> Optional[dict]:
        return next((c for c in self.codes if (c["conversation_id"], c["order_number"], c["state"])
                     == (conversation_id, order_number, "active")), None)

    def has_active(self, conversation_id: str, order_number: str, now: datetime) -> bool:
        """True if the conversation has an unexpired active code for the order at ``now``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        active = self._active(conversation_id, order_number)
        return active is not None and active["expires_at"] > now

    def check(self, conversation_id: str, order_number: str, code: str, now: datetime, max_tries: int) -> Any:
        """Compare ``code`` with the active code (constant time) and count the try; a ``ProofStep``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        import hmac

        from bot.customers.otp import DECOY, ProofStep

        row = self._active(conversation_id, order_number)
        if row is None:
            return ProofStep("no_code")
        if row["expires_at"] <= now:
            row["state"] = "expired"
            return ProofStep("expired")
        if row["channel"] != DECOY and hmac.compare_digest(str(row["code"]).encode(), str(code).encode()):
            row["state"], row["passed_at"] = "passed", now
            return ProofStep("passed", destination=row["destination"], channel=row["channel"])
        row["tries"] += 1
        if row["tries"] >= max_tries:
            row["state"] = "exhausted"
            return ProofStep("exhausted", tries_left=0, channel=row["channel"])
        return ProofStep("wrong", tries_left=max_tries - row["tries"], channel=row["channel"])

    def record_failure(self, conversation_id: str, order_number: str, kind: str, now: datetime) -> None:
        """A failed proof of ``kind`` ``code`` or ``decoy``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.failed.append({"conversation_id": conversation_id, "order_number": order_number, "kind": kind, "at": now})

    def failures(self, since: datetime, conversation_id: Optional[str] = None, order_number: Optional[str] = None,
                 kinds: Optional[tuple] = None) -> int:
        """Failed proofs since ``since`` of one conversation and/or one order (of ``kinds`` only, if given).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return sum(1 for f in self.failed if f["at"] >= since and (kinds is None or f["kind"] in kinds)
                   and conversation_id in (None, f["conversation_id"]) and order_number in (None, f["order_number"]))

    def codes_sent(self, order_number: str, since: datetime) -> int:
        """Codes really sent (not decoys) for ``order_number`` since ``since``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.customers.otp import DECOY

        return sum(1 for c in self.codes if c["order_number"] == order_number and c["created_at"] >= since
                   and c["channel"] != DECOY)

    def contacts_given(self, conversation_id: str, since: datetime) -> int:
        """Contacts this conversation named since ``since`` (a code each, real or decoy).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return sum(1 for c in self.codes if c["conversation_id"] == conversation_id and c["created_at"] >= since)

    def passed(self, conversation_id: str, since: datetime) -> List[Any]:
        """Codes this conversation passed since ``since``, oldest first, as ``bot.customers.otp.Proof``
        (only for orders the fake orders know, as the SQL join).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.customers.otp import Proof

        done = sorted((c for c in self.codes if c["conversation_id"] == conversation_id and c["state"] == "passed"
                       and c["passed_at"] >= since and c["order_number"] in self._orders.orders),
                      key=lambda c: c["passed_at"])
        return [Proof(c["order_number"], "email" if c["channel"] == "email" else "phone", c["destination"],
                      self._orders.orders[c["order_number"]].customer_name, c["passed_at"]) for c in done]


class FakeConversationRepository(ConversationRepository):
    """Counts conversations (:attr:`total` is what :meth:`count_all` returns) and knows each one's
    channel (:attr:`owners`, first writer wins)."""

    def __init__(self, total: int = 0) -> None:
        self.total = total
        self.owners: Dict[str, str] = {}

    def owner(self, conversation_id: str) -> Optional[str]:
        """The channel the conversation belongs to, or None if it has not started.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.owners.get(conversation_id)

    def claim(self, conversation_id: str, channel: str) -> str:
        """Record ``channel`` as the owner unless the conversation has one; return the owner.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.domain import CHANNELS

        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        return self.owners.setdefault(conversation_id, channel)

    def count_all(self) -> int:
        """Return :attr:`total`."""
        return self.total


class FakeOrderRepository(OrderRepository):
    """Orders by number (``bot.orders.model.Order`` values); ``changes`` records address changes."""

    def __init__(self, orders: Optional[Dict[str, Any]] = None) -> None:
        self.orders = dict(orders or {})
        self.changes: List[Tuple[str, str, str]] = []

    def get(self, order_number: str) -> Any:
        """Return the order ``order_number``, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.orders.get(order_number)

    def add(self, **fields: Any) -> Any:
        """Store a new order from ``bot.orders.model.Order``'s fields (missing optional ones None); returns it.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from dataclasses import fields as dataclass_fields

        from bot.orders.model import STATUSES, Order

        if fields.get("status") not in STATUSES:
            raise ValueError(f"unknown order status {fields.get('status')!r}")
        known = {f.name for f in dataclass_fields(Order)}
        optional = {"email", "phone", "carrier", "tracking_number", "estimated_delivery", "delivered_at"}
        order = Order(**{**dict.fromkeys(optional), **{k: v for k, v in fields.items() if k in known}})
        self.orders[order.order_number] = order
        return order

    def list_numbers(self) -> List[str]:
        """Every stored order number."""
        return list(self.orders)

    def change_address(self, order_number: str, new_address: str, conversation_id: str) -> Any:
        """Change an order's shipping address and record the change in :attr:`changes`.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.orders.model import ADDRESS_CHANGEABLE, AddressChangeRefused, OrderNotFound

        order = self.orders.get(order_number)
        if order is None:
            raise OrderNotFound(order_number)
        if order.status not in ADDRESS_CHANGEABLE:
            raise AddressChangeRefused(order)
        self.orders[order_number] = replace(order, shipping_address=new_address)
        self.changes.append((order_number, conversation_id, new_address))
        return self.orders[order_number]


class FakeWebchatRepository(WebchatRepository):
    """Web chat sessions the server issued (:attr:`sessions`: public id → origin); read marks are
    ``viewed`` events on :class:`FakeTicketRepository`, as in the SQL repository."""

    def __init__(self, tickets: FakeTicketRepository) -> None:
        self.sessions: Dict[str, Optional[str]] = {}  # public id -> origin
        self.photo_keys: Dict[str, str] = {}  # public id -> photo key
        self._tickets = tickets

    def issue(self, origin: Optional[str]) -> str:
        """Issue a new session for a page at ``origin`` (cut to 255): kept by its public id
        (:attr:`sessions`); returns the secret (32 hex characters), as the SQL repository does.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.channels.webchat import new_session_id, photo_key, public_id

        secret = new_session_id()
        self.sessions[public_id(secret)] = (origin or None) and origin[:255]
        self.photo_keys[public_id(secret)] = photo_key(secret)
        return secret

    def resume(self, secret: Any, max_idle_s: Optional[float] = None) -> Optional[str]:
        """The public id of the session this repository issued for ``secret``, or None (no idle limit here).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.channels.webchat import public_id, valid_secret

        if not valid_secret(secret) or public_id(secret) not in self.sessions:
            return None
        return public_id(secret)

    def photo_key(self, conversation_id: str) -> Optional[str]:
        """The picture-URL key of a session (by public id), or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.photo_keys.get(conversation_id)

    def read_up_to(self, conversation_id: str) -> Optional[float]:
        """The conversation's read mark (Unix seconds) from its tickets' newest ``viewed`` event, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.channels.webchat import VIEWED

        for ticket_id, kind, _, _, data in reversed(self._tickets.events):
            ticket = self._tickets.tickets.get(ticket_id)
            if kind == VIEWED and ticket is not None and ticket.conversation_id == conversation_id:
                up_to = (data or {}).get("read_up_to")
                return float(up_to) if isinstance(up_to, (int, float)) else None
        return None

    def record_read(self, ticket_id: str, conversation_id: str, viewer: str, up_to: float) -> bool:
        """Move the read mark forward to ``up_to`` (a ``viewed`` event); False when it is not newer.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.channels.webchat import VIEWED

        current = self.read_up_to(conversation_id)
        if current is not None and up_to <= current:
            return False
        self._tickets.add_event(ticket_id, VIEWED, viewer, None, {"read_up_to": up_to})
        return True


class FakeNotificationRepository(NotificationRepository):
    """Notifications handed over, newest last, as ``bot.queue.notifier.SentNotification`` values."""

    def __init__(self) -> None:
        self.sent: List[Any] = []

    def add(self, notification: Any, transport: str, keep_body: bool) -> None:
        """Record a handed-over notification; the body only when ``keep_body``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.notifier import SentNotification

        self.sent.append(SentNotification(notification.channel, notification.to, notification.subject,
                                          notification.body if keep_body else None, transport))

    def latest(self, to: Optional[str] = None, limit: int = 20) -> List[Any]:
        """The newest recorded notifications first (only those to ``to`` when given), at most ``limit``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return [n for n in reversed(self.sent) if to is None or n.to == to][:limit]


class FakeQueueQueries(QueueQueries):
    """The desk's queue, search and metrics over :class:`FakeTicketRepository` (read only).

    Same pages and figures as ``bot.queue.queue_queries.SqlAlchemyQueueQueries`` for the
    tickets it holds; the text search is a case-insensitive substring of the ticket id,
    conversation id, summary and packet (no index, no count cap).
    """

    def __init__(self, tickets: FakeTicketRepository, conversations: "FakeConversationRepository") -> None:
        self._tickets = tickets
        self._conversations = conversations

    def _matches(self, ticket: Ticket, q: str) -> bool:
        import json

        needle = q.strip().lower()
        return q.strip() in (ticket.ticket_id, ticket.conversation_id) or needle in " ".join(
            [ticket.ticket_id, ticket.conversation_id, ticket.summary or "",
             json.dumps(ticket.packet, ensure_ascii=False)]).lower()

    def queue(self, query: Any, now: datetime) -> Any:
        """One page of the queue (``bot.queue.queue_queries.QueueQuery``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.queue_queries import SORTS, Page, decode_cursor, encode_cursor

        states = WAITING_STATES if query.assigned == "none" else OPEN_STATES
        found = [t for t in self._tickets.tickets.values() if t.state in states
                 and (query.assigned != "me" or t.assigned_to == query.viewer)
                 and (not query.q or self._matches(t, query.q))
                 and (not query.language or t.language == query.language)
                 and (not query.channel or t.channel == query.channel)]
        key = lambda t: tuple(t.ticket_id if c == "id" else getattr(t, c) for c in SORTS[query.sort])  # noqa: E731
        found.sort(key=key)
        rows = found
        if query.cursor:
            after = decode_cursor(query.sort, query.cursor)
            rows = [t for t in found if key(t) > after]
        rows = rows[query.offset:query.offset + query.limit + 1]
        more = len(rows) > query.limit
        rows = rows[:query.limit]
        cursor = encode_cursor(query.sort, key(rows[-1])) if more and rows else None
        return Page([t.queue_view(now) for t in rows], len(found), cursor,
                    query.offset + query.limit if more and not query.cursor else None, {"total_capped": False})

    def search(self, q: str, now: datetime, limit: int = 20, offset: int = 0) -> Any:
        """Tickets in any state matching ``q``, newest first (a ``bot.queue.queue_queries.Page``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.queue_queries import Page

        found = sorted((t for t in self._tickets.tickets.values() if self._matches(t, q)),
                       key=lambda t: (t.created_at, t.ticket_id), reverse=True)
        more = len(found) > offset + limit
        return Page([t.queue_view(now) for t in found[offset:offset + limit]], len(found),
                    next_offset=offset + limit if more else None, extra={"total_capped": False})

    def metrics(self, now: datetime, since: Optional[datetime] = None,
                conversations_total: Optional[int] = None, exact: bool = False) -> Dict[str, Any]:
        """The supervisor's figures from ``since`` (default 24 h before ``now``) to ``now``, with the
        keys of ``SqlAlchemyQueueQueries.metrics`` (conversations counted by the fake conversations).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.queue_queries import DEFAULT_PERIOD, reason_labels

        since = since or now - DEFAULT_PERIOD
        figures = {"since": since.isoformat(), "until": now.isoformat(), **self._right_now(now)}
        figures.update(self._period(now, since, self._conversations.total
                                    if conversations_total is None else conversations_total))
        figures["reason_labels"] = reason_labels(figures["escalations_by_reason"])
        return figures

    def _right_now(self, now: datetime) -> Dict[str, Any]:
        from bot.queue.queue_queries import WAIT_BUCKETS_S

        waits = [(now - t.created_at).total_seconds() for t in self._tickets.tickets.values()
                 if t.state in WAITING_STATES]
        over = sum(1 for t in self._tickets.tickets.values() if t.state in WAITING_STATES and t.sla_due_at < now)
        histogram, lower = [], 0
        for upper in WAIT_BUCKETS_S + (None,):
            histogram.append({"from_s": lower, "to_s": upper,
                              "count": sum(1 for w in waits if w > lower and (upper is None or w <= upper))})
            lower = upper
        return {"waiting_count": len(waits), "longest_wait_s": max(0, int(max(waits, default=0))),
                "waiting_over_sla": over, "waiting_over_sla_rate": round(over / len(waits), 4) if waits else None,
                "waiting_histogram": histogram,
                "with_agent_count": sum(1 for t in self._tickets.tickets.values() if t.state == TicketState.WITH_AGENT)}

    def _period(self, now: datetime, since: datetime, conversations_total: int) -> Dict[str, Any]:
        tickets = sorted((t for t in self._tickets.tickets.values() if since <= t.created_at <= now),
                         key=lambda t: t.created_at)
        ended = lambda t: t.claimed_at or t.closed_at  # noqa: E731
        waited = [(ended(t) - t.created_at).total_seconds() for t in tickets if ended(t)]
        breaches = sum(1 for t in tickets if (ended(t) or (now if t.state in WAITING_STATES else None) or t.sla_due_at)
                       > t.sla_due_at)
        abandoned = sum(1 for t in tickets if t.state == TicketState.ABANDONED)
        by_reason: Dict[str, int] = {}
        for t in tickets:
            by_reason[t.reason["code"]] = by_reason.get(t.reason["code"], 0) + 1
        ratings = dict(self._tickets.ratings)
        agents: Dict[str, list] = {}
        for t in self._tickets.tickets.values():
            if t.state == TicketState.CLOSED and t.assigned_to and t.closed_at and since <= t.closed_at <= now:
                agents.setdefault(t.assigned_to, []).append(t)
        rows = [self._agent_row(name, agents[name], ratings) for name in sorted(agents)]
        timed = [(t.closed_at - t.claimed_at).total_seconds() for ts in agents.values() for t in ts if t.claimed_at]
        rated = [ratings[t.ticket_id] for ts in agents.values() for t in ts if t.ticket_id in ratings]
        total = len(tickets)
        return {
            "conversations_total": conversations_total,
            "containment_rate": round(max(0.0, 1 - total / conversations_total), 4) if conversations_total else None,
            "escalations_total": total, "escalations_by_reason": by_reason,
            "sla_breaches": breaches, "sla_breach_rate": round(breaches / total, 4) if total else None,
            "abandoned": abandoned, "abandonment_rate": round(abandoned / total, 4) if total else None,
            "average_wait_s": round(sum(int(w) for w in waited) / len(waited), 1) if waited else None,
            "csat_average": round(sum(rated) / len(rated), 2) if rated else None, "csat_count": len(rated),
            "handled_total": sum(r["handled"] for r in rows),
            "average_handle_s": round(sum(int(s) for s in timed) / len(timed), 1) if timed else None,
            "period_s": max(0, int((now - since).total_seconds())), "agents": rows,
            "waits": [{"ticket_id": t.ticket_id, "wait_s": max(0, int(((ended(t) or now) - t.created_at)
                                                                       .total_seconds()))} for t in tickets[-20:]],
        }

    @staticmethod
    def _agent_row(name: str, closed: List[Ticket], ratings: Dict[str, int]) -> dict:
        handles = [int((t.closed_at - t.claimed_at).total_seconds()) for t in closed if t.claimed_at]
        rated = [ratings[t.ticket_id] for t in closed if t.ticket_id in ratings]
        return {"username": name, "handled": len(closed),
                "average_handle_s": round(sum(handles) / len(handles), 1) if handles else None,
                "csat_average": round(sum(rated) / len(rated), 2) if rated else None, "csat_count": len(rated)}


class FakeNoteRepository(NoteRepository):
    """Internal notes (``bot.queue.desk_store.Note``) in :attr:`notes`; the history reads the fake tickets' events."""

    def __init__(self, tickets: FakeTicketRepository) -> None:
        self.notes: List[Any] = []
        self._tickets = tickets

    def add(self, ticket_id: str, author: str, text: str) -> Any:
        """Store a note on an existing ticket; returns the ``Note``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.desk_store import Note

        if ticket_id not in self._tickets.tickets:
            raise TicketNotFound(ticket_id)
        self.notes.append(Note(len(self.notes) + 1, ticket_id, author, text, utcnow()))
        return self.notes[-1]

    def for_ticket(self, ticket_id: str) -> List[Any]:
        """The ticket's notes, oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return [n for n in self.notes if n.ticket_id == ticket_id]

    def history(self, ticket_id: str) -> List[dict]:
        """The ticket's events of ``bot.domain.HISTORY_EVENTS``, oldest first: ``[{kind, by, at, ...data}]``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return [{**(data or {}), "kind": kind, "by": author, "at": at.isoformat()}
                for (tid, kind, author, _, data), at in zip(self._tickets.events, self._tickets.event_times)
                if tid == ticket_id and kind in HISTORY_EVENTS]


class FakeTransferRepository(TransferRepository):
    """Transfers over :class:`FakeTicketRepository` to the agents of :class:`FakeAgentRepository`."""

    def __init__(self, tickets: FakeTicketRepository, agents: FakeAgentRepository) -> None:
        self._tickets = tickets
        self._agents = agents

    def locked(self, ticket_id: str) -> Ticket:
        """The ticket (nothing to lock in memory).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ticket = self._tickets._existing(ticket_id)
        if ticket.state in (TicketState.CLOSED, TicketState.ABANDONED):
            raise TicketClosed(ticket_id, f"ticket is {ticket.state}: it cannot be transferred")
        return ticket

    def enabled_agent(self, username: str) -> Optional[Tuple[str, list]]:
        """``(display_name, skills)`` of an enabled agent, or None (unknown or disabled).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        person = self._agents.people.get(username)
        return (person["display_name"], list(person["skills"])) if person and person["active"] else None

    def served_skills(self) -> set:
        """Every skill at least one enabled agent has."""
        return {s for p in self._agents.people.values() if p["active"] for s in p["skills"]}

    def to_agent(self, ticket: Ticket, by: str, target: str) -> Ticket:
        """Hand ``ticket`` (as read) to ``target``: ``with_agent`` held by them.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        state = TicketState(ticket.state).to(TicketState.WITH_AGENT)
        return self._move(ticket, by, {"state": state.value, "assigned_to": target,
                                       "claimed_at": ticket.claimed_at or utcnow()},
                          {"from": ticket.assigned_to, "to_agent": target, "state": state.value})

    def to_skill(self, ticket: Ticket, by: str, skills: list) -> Ticket:
        """Put ``ticket`` back in the queue for ``skills``, unassigned (``with_agent`` becomes ``queued``).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        values: dict = {"assigned_to": None, "skills": list(skills), "packet": {**ticket.packet, "skills": list(skills)}}
        if ticket.state == TicketState.WITH_AGENT:
            values.update(state=TicketState(ticket.state).to(TicketState.QUEUED).value, claimed_at=None)
        return self._move(ticket, by, values, {"from": ticket.assigned_to, "to_skill": skills[-1],
                                               "skills": list(skills), "state": values.get("state", ticket.state)})

    def _move(self, ticket: Ticket, by: str, values: dict, event: dict) -> Ticket:
        stored = self._tickets._existing(ticket.ticket_id)
        if (stored.state, stored.assigned_to) != (ticket.state, ticket.assigned_to):
            raise ClaimConflict(ticket.ticket_id, None, "the ticket changed meanwhile (claimed, transferred or "
                                                        "closed): reload it and try again")
        self._tickets.tickets[ticket.ticket_id] = moved = replace(stored, **values)
        self._tickets.add_event(ticket.ticket_id, TicketEvent.TRANSFERRED.value, by, None, event)
        self._tickets.audit(by, "transfer", ticket.ticket_id, event)
        return moved


class FakeCannedReplyRepository(CannedReplyRepository):
    """Canned replies (``bot.queue.desk_store.CannedReply``) by id in :attr:`replies`."""

    def __init__(self) -> None:
        self.replies: Dict[int, Any] = {}
        self._next_id = 1

    def for_language(self, language: Optional[str]) -> List[Any]:
        """The replies of ``language`` (every language when None), by language then title.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return sorted((r for r in self.replies.values() if not language or r.language == language),
                      key=lambda r: (r.language, r.title))

    def get(self, reply_id: int) -> Any:
        """The reply with this id, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.replies.get(reply_id)

    def titled(self, language: str, title: str) -> Any:
        """The reply of ``language`` with this title, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return next((r for r in self.replies.values() if (r.language, r.title) == (language, title)), None)

    def save(self, reply_id: Optional[int], language: str, title: str, text: str, by: str) -> Any:
        """Create (``reply_id`` None) or replace a reply; None if ``reply_id`` names no reply.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        from bot.queue.desk_store import CannedReply

        if reply_id is None:
            reply_id, self._next_id = self._next_id, self._next_id + 1
        elif reply_id not in self.replies:
            return None
        self.replies[reply_id] = CannedReply(reply_id, language, title, text, by, utcnow())
        return self.replies[reply_id]

    def delete(self, reply_id: int) -> bool:
        """Delete a reply; False if there was none.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.replies.pop(reply_id, None) is not None


# ---- moved here from bot/queue/waits.py and bot/channels/attachments.py (review rev12 #6) ----

class FakeWaitRepository(WaitRepository):
    """In-memory wait steps and left messages for the fake unit of work (abandonment needs SQL)."""

    def __init__(self) -> None:
        self.steps: Dict[str, Optional[str]] = {}
        self.step_datas: Dict[str, dict] = {}
        self.messages: Dict[str, dict] = {}
        self.activity: Dict[str, datetime] = {}

    def step(self, ticket_id: str) -> Optional[str]:
        """The long-wait dialogue step the ticket is at (None: no offer pending).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.steps.get(ticket_id)

    def set_step(self, ticket_id: str, step: Optional[str], data: Optional[dict] = None) -> None:
        """Move the ticket's long-wait dialogue to ``step`` (None: done) with its ``data``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.steps[ticket_id] = step
        self.step_datas[ticket_id] = dict(data or {})

    def step_data(self, ticket_id: str) -> dict:
        """The ``data`` of the current step (``{}`` when none).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return dict(self.step_datas.get(ticket_id) or {})

    def left_message(self, ticket_id: str) -> Optional[dict]:
        """``{"reply_to", "to", "verified"}`` of the message left on the ticket, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.messages.get(ticket_id)

    def record_left_message(self, ticket_id: str, reply_to: str, to: Optional[str], verified: bool = True) -> None:
        """Remember how the customer wants the answer (``verified``: a proven contact).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.messages[ticket_id] = {"reply_to": reply_to, "to": to, "verified": verified}

    def touch(self, ticket_id: str, at: datetime) -> None:
        """The customer wrote on the ticket at ``at`` (UTC): the silence starts again.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.activity[ticket_id] = at


class FakeAttachmentRepository(AttachmentRepository):
    """The same in a dict, for service tests without a database."""

    def __init__(self) -> None:
        self.items: Dict[str, Attachment] = {}

    def add(self, image: CheckedImage, conversation_id: str, channel: str, uploader: str,
            uploaded_by: Optional[str] = None, ticket_id: Optional[str] = None) -> Attachment:
        """Store a checked picture; see :meth:`SqlAlchemyAttachmentRepository.add`.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if uploader not in UPLOADERS:
            raise ValueError(f"uploader must be one of {UPLOADERS}")
        found = Attachment(new_attachment_id(), conversation_id, channel, ticket_id, uploader, uploaded_by,
                           image.content_type, len(image.data), image.width, image.height, image.sha256,
                           utcnow(), image.data, image.thumbnail, image.thumbnail_type)
        self.items[found.attachment_id] = found
        return found

    def get(self, attachment_id: str) -> Optional[Attachment]:
        """The attachment, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return self.items.get(attachment_id) if valid_attachment_id(attachment_id) else None

    def usage(self, conversation_id: str, uploader: str, since: datetime) -> Tuple[int, int, Optional[datetime]]:
        """See :meth:`SqlAlchemyAttachmentRepository.usage`.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        found = [a for a in self.items.values() if a.conversation_id == conversation_id and a.uploader == uploader
                 and a.created_at >= since]
        return len(found), sum(a.size for a in found), min((a.created_at for a in found), default=None)

    def delete_unfiled(self, before: datetime, limit: int = 500) -> int:
        """See :meth:`SqlAlchemyAttachmentRepository.delete_unfiled`.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        ids = [a.attachment_id for a in self.items.values() if a.uploader == "customer" and a.ticket_id is None
               and a.created_at < before][:limit]
        for attachment_id in ids:
            del self.items[attachment_id]
        return len(ids)

    def link_ticket(self, attachment_id: str, ticket_id: str) -> None:
        """Record the ticket (first ticket wins).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        found = self.items.get(attachment_id)
        if found is not None and found.ticket_id is None:
            from dataclasses import replace

            self.items[attachment_id] = replace(found, ticket_id=ticket_id)


class FakeTicketWaitRepository(FakeWaitRepository):
    """``bot.queue.waits.FakeWaitRepository`` plus the abandonment of the SQL repository, over
    :class:`FakeTicketRepository` (a ticket with no recorded activity counts from its creation)."""

    def __init__(self, tickets: FakeTicketRepository) -> None:
        super().__init__()
        self._tickets = tickets

    def _abandon(self, ticket: Ticket, now: datetime, data: dict) -> str:
        self._tickets.tickets[ticket.ticket_id] = replace(ticket, state=TicketState.ABANDONED.value, closed_at=now)
        self._tickets.add_event(ticket.ticket_id, TicketState.ABANDONED.value, "system", None, data)
        return ticket.ticket_id

    def abandon_silent(self, channel: str, cutoff: datetime, now: datetime) -> List[str]:
        """Mark queued tickets of ``channel`` whose customer has been silent since before ``cutoff``
        ``abandoned`` (closed at ``now``).

        Args:
            channel, cutoff, now: as ``WaitRepository.abandon_silent`` (bot/storage/repositories.py).

        Returns:
            The ids of the tickets this call marked ``abandoned``.
        """
        return [self._abandon(t, now, {"why": "silence", "channel": channel})
                for t in list(self._tickets.tickets.values())
                if t.state == TicketState.QUEUED and t.channel == channel
                and self.activity.get(t.ticket_id, t.created_at) < cutoff]

    def abandon_if_queued(self, conversation_id: str, now: datetime, why: str) -> Optional[str]:
        """Mark the conversation's queued ticket ``abandoned``; its id, or None if it has none queued.

        Args:
            conversation_id: the Rasa sender id (``ivr-<call id>`` on the phone).
            now: the time recorded as ``closed_at`` (aware UTC).
            why: recorded on the ``abandoned`` event (``hung up``).

        Returns:
            The marked ticket's id, or None.
        """
        queued = next((t for t in self._tickets.tickets.values()
                       if t.conversation_id == conversation_id and t.state == TicketState.QUEUED), None)
        return self._abandon(queued, now, {"why": why}) if queued else None


class FakeUnitOfWork(AbstractUnitOfWork):
    """A unit of work over the fakes above; the same repositories live across ``with`` blocks.

    Provides every repository :class:`AbstractUnitOfWork` declares (tests/unit/test_services.py
    checks it): ``tickets``, ``agents``, ``outbox``, ``customers``, ``reasons``, ``orders``,
    ``codes``, ``progress``, ``webchat``, ``notifications``, ``conversations``, ``queue``,
    ``notes``, ``transfers``, ``canned``, ``waits`` and ``attachments``. The desk's repositories share the
    fake tickets and agents (add agents with ``uow.agents.add``).
    """

    def __init__(self, agents_online: int = 1) -> None:
        self.tickets = FakeTicketRepository()
        self.agents = FakeAgentRepository(agents_online)
        self.reasons = FakeReasonRepository()
        self.progress = FakeProgressRepository()
        self.customers = FakeCustomerRepository(self.progress)  # empty until a test seeds it (FakeCustomerRepository.seed)
        self.outbox = FakeOutboxRepository()
        self.conversations = FakeConversationRepository()
        self.orders = FakeOrderRepository()
        self.codes = FakeCodeRepository(self.orders)
        self.waits = FakeTicketWaitRepository(self.tickets)  # issue 14 (bot/queue/waits.py)
        self.webchat = FakeWebchatRepository(self.tickets)
        self.notifications = FakeNotificationRepository()
        self.queue = FakeQueueQueries(self.tickets, self.conversations)
        self.notes = FakeNoteRepository(self.tickets)
        self.transfers = FakeTransferRepository(self.tickets, self.agents)
        self.canned = FakeCannedReplyRepository()
        self.attachments = FakeAttachmentRepository()  # issue 14: photos (bot/channels/attachments.py)
        self.commits = 0

    def commit(self) -> None:
        """Count a commit (changes already apply at once)."""
        self.commits += 1

    def rollback(self) -> None:
        """Do nothing: the fakes apply changes at once and keep them."""
        pass
