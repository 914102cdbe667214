"""The repositories' contracts: one Protocol per repository of the unit of work (review rev12 #6).

:class:`bot.storage.uow.AbstractUnitOfWork` types each repository attribute with the Protocol
here; the SQLAlchemy repositories (beside their tables' logic in bot/queue, bot/customers, ...)
and the in-memory fakes (``bot.storage.fakes``) both subclass it, so a method one of them lacks
makes it abstract (it cannot be instantiated), and ``tests/unit/test_repository_contracts.py``
checks that every method has the same signature in both and behaves the same on both.

A new use case needs a new repository method: add it here first (with its docstring), then to the
SQL class and the fake. The SQL classes may have more public methods for the CLI, the benchmark
and tests (``SQL_ONLY`` in the contract test names them); the fakes may have seeding helpers
(``FAKE_ONLY``); neither is part of the contract.

This module sits at the bottom of bot.storage (it imports nothing from bot): the values the
repositories return are defined in the modules of the SQL repositories, above it, so they are
named below for the reader only (``Ticket`` is ``bot.queue.tickets.Ticket``, ...); see the real
class named in each Protocol's docstring for the exact types.
"""
from __future__ import annotations

import abc
from datetime import datetime, timedelta
from typing import Any, Iterable, List, Optional, Protocol, Tuple

# The repositories' value types, by the module that defines them (not importable from here).
Agent = Any             # bot.queue.agents.Agent
SavedAgent = Any        # bot.queue.agents.SavedAgent
Attachment = Any        # bot.channels.attachments.Attachment
CheckedImage = Any      # bot.channels.attachments.CheckedImage
CannedReply = Any       # bot.queue.desk_store.CannedReply
Note = Any              # bot.queue.desk_store.Note
Customer = Any          # bot.customers.model.Customer
Notification = Any      # bot.queue.notifier.Notification
SentNotification = Any  # bot.queue.notifier.SentNotification
Order = Any             # bot.orders.model.Order
PacketJSON = Any        # bot.handover.packet.PacketJSON (the packet's JSON dict, DESIGN.md §6)
Page = Any              # bot.queue.queue_queries.Page
QueueQuery = Any        # bot.queue.queue_queries.QueueQuery
Progress = Any          # bot.handover.troubleshooting.Progress
Proof = Any             # bot.customers.otp.Proof
ProofStep = Any         # bot.customers.otp.ProofStep
Ticket = Any            # bot.queue.tickets.Ticket


class TicketRepository(Protocol):
    """``uow.tickets``: Tickets, their events, CSAT and the audit log on the unit of work's session. The
    real one: ``bot.queue.tickets.SqlAlchemyTicketRepository``.
    """

    @abc.abstractmethod
    def add(self, packet: PacketJSON, state: str, customer_id: Optional[str] = None) -> Ticket:
        """Store a new ticket for ``packet`` (DESIGN.md §6) in ``state`` (queued or callback from a hand-over;
        fixtures may seed any state) and return it.
        """

    @abc.abstractmethod
    def get(self, ticket_id: str) -> Optional[Ticket]:
        """The ticket with this id, or None."""

    @abc.abstractmethod
    def open_for_conversation(self, conversation_id: str) -> Optional[Ticket]:
        """The newest open (queued, with_agent, callback) ticket of a conversation, or None."""

    @abc.abstractmethod
    def for_conversation(self, conversation_id: str) -> list[Ticket]:
        """Every ticket of a conversation, oldest first."""

    @abc.abstractmethod
    def waiting_for_customer(self, customer_id: str, conversation_ids: list[str]) -> Optional[Ticket]:
        """The newest queued or callback ticket of a customer (by id or by any of their conversations)."""

    @abc.abstractmethod
    def position(self, ticket: Ticket) -> int:
        """1-based place in the queue among waiting tickets."""

    @abc.abstractmethod
    def recent_for_customer(self, customer_id: str, since: datetime) -> list[datetime]:
        """When the customer's tickets since ``since`` were created (UTC)."""

    @abc.abstractmethod
    def claim(self, ticket_id: str, username: str) -> Ticket:
        """Atomic: a conditional UPDATE; of two agents racing, exactly one row count is 1."""

    @abc.abstractmethod
    def close(self, ticket_id: str, username: str, disposition: str, override: bool = False) -> Ticket:
        """Close the ticket; ``override`` (a supervisor) closes one another agent holds."""

    @abc.abstractmethod
    def set_state(self, ticket_id: str, state: str, actor: str = 'system') -> None:
        """Move a ticket to ``state``; an unknown ticket id is ignored."""

    @abc.abstractmethod
    def fill_intake(self, ticket_id: str, field: str, value: str) -> bool:
        """Set ``packet.intake[field]`` if it is empty; False if the ticket is unknown."""

    @abc.abstractmethod
    def add_event(self, ticket_id: str, kind: str, author: Optional[str], text: Optional[str] = None,
            data: Optional[dict] = None, client_id: Optional[str] = None) -> int:
        """Append an event (message, claim, note, …) to a ticket's history; its id."""

    @abc.abstractmethod
    def event_by_client_id(self, ticket_id: str, author: Optional[str], client_id: str) -> Optional[dict]:
        """``author``'s event on the ticket with this client id: ``{id, ticket_id, kind, author, text, data}``,
        or None (ids are per ticket and author: another author's events are never found).
        """

    @abc.abstractmethod
    def update_event_data(self, event_id: int, fields: dict) -> bool:
        """Merge ``fields`` into an event's ``data``; False if there is no such event."""

    @abc.abstractmethod
    def transcript(self, ticket: Ticket) -> list[dict]:
        """The packet's transcript plus every message after the hand-over."""

    @abc.abstractmethod
    def mark_reply_delivery(self, ticket_id: str, author: str, delivery: str) -> bool:
        """Set ``delivery`` on ``author``'s latest message event of the ticket; False if none."""

    @abc.abstractmethod
    def rate(self, ticket_id: str, rating: int) -> None:
        """Store a CSAT rating."""

    @abc.abstractmethod
    def audit(self, actor: str, action: str, subject: Optional[str], detail: Optional[dict] = None) -> None:
        """Append to the audit log: who did what to which subject."""


class AgentRepository(Protocol):
    """``uow.agents``: Agents, their hashed passwords and bearer tokens, on the unit of work's session. The
    real one: ``bot.queue.agents.SqlAlchemyAgentRepository``.
    """

    @abc.abstractmethod
    def save(self, username: str, password: str, display_name: str, role: str = 'agent',
            skills: Optional[list] = None, active: Optional[bool] = None, by: Optional[str] = None) -> SavedAgent:
        """Create the agent, or reset an existing one's password, name, role and skills."""

    @abc.abstractmethod
    def set_active(self, username: str, active: bool, by: Optional[str] = None) -> Optional[int]:
        """Enable or disable an agent."""

    @abc.abstractmethod
    def revoke_all(self, username: str) -> int:
        """End every session of the agent (delete their tokens); returns how many there were."""

    @abc.abstractmethod
    def display_name(self, username: Optional[str]) -> Optional[str]:
        """The display name of ``username``, or None for an unknown (or None) user name."""

    @abc.abstractmethod
    def authenticate(self, username: str, password: str) -> Optional[Agent]:
        """The active agent whose password matches, else None (an unknown user name costs the same hash)."""

    @abc.abstractmethod
    def issue_token(self, username: str, now: Optional[datetime] = None) -> str:
        """A new bearer token for ``username`` (stored as its SHA-256, valid for ``TOKEN_TTL``; expired tokens
        are purged).
        """

    @abc.abstractmethod
    def agent_for_token(self, token: str, now: Optional[datetime] = None) -> Optional[Agent]:
        """The active agent holding an unexpired ``token`` (marks them seen now), else None."""

    @abc.abstractmethod
    def revoke_token(self, token: str) -> bool:
        """Forget ``token`` (logout): later requests with it are refused."""

    @abc.abstractmethod
    def all(self, now: Optional[datetime] = None) -> list[dict]:
        """Every agent as ``Agent.as_dict()`` plus ``online`` (seen within ``ONLINE_WINDOW``), by user name."""

    @abc.abstractmethod
    def online_count(self, now: Optional[datetime] = None) -> int:
        """How many enabled agents were seen within ``ONLINE_WINDOW`` of ``now`` (default: now, UTC)."""


class OutboxRepository(Protocol):
    """``uow.outbox``: The outbox table: messages for customers outside a bot turn, until delivered. The
    real one: ``bot.queue.delivery.SqlAlchemyOutboxRepository``.
    """

    @abc.abstractmethod
    def add(self, conversation_id: str, channel: str, messages: List[dict],
            created_at: Optional[datetime] = None) -> List[int]:
        """Store ``messages`` for ``conversation_id`` on ``channel`` (a delivery name); returns their ids."""

    @abc.abstractmethod
    def take_pending(self, conversation_id: str, channel: Optional[str] = None) -> List[dict]:
        """Pending messages, oldest first, marked delivered in the same transaction (only those for
        ``channel``, a Rasa channel name, when given).
        """

    @abc.abstractmethod
    def all_for(self, conversation_id: str) -> List[dict]:
        """Every outbox message of the conversation, oldest first, with ``at`` (Unix seconds) and
        ``delivered``.
        """

    @abc.abstractmethod
    def delivered(self, ids: List[int]) -> bool:
        """Whether every message with these ids is marked delivered (False for no ids)."""

    @abc.abstractmethod
    def mark_delivered(self, ids: List[int]) -> None:
        """Mark the messages with these ids delivered now."""

    @abc.abstractmethod
    def claim_stale(self, conversation_id: str, channel: str, created_before: datetime) -> List[Tuple[int, dict]]:
        """Undelivered messages for ``channel`` created before ``created_before``, oldest first, marked
        delivered (claimed) in this transaction: ``[(id, message)]``.
        """

    @abc.abstractmethod
    def release(self, ids: List[int]) -> None:
        """Mark messages undelivered again (a push that failed after :meth:`claim_stale`)."""


class CustomerRepository(Protocol):
    """``uow.customers``: Customers and their identities on the unit of work's session; reads Rasa's
    ``events`` table for transcripts. The real one:
    ``bot.customers.repository.SqlAlchemyCustomerRepository``.
    """

    @abc.abstractmethod
    def get(self, customer_id: str) -> Optional[Customer]:
        """The customer with this id and all their identities, or None."""

    @abc.abstractmethod
    def find(self, kind: str, value: str, verified_only: bool = False) -> Optional[Customer]:
        """The customer owning identity (``kind``, ``value``), or None (only verified ones if asked)."""

    @abc.abstractmethod
    def create(self, display_name: Optional[str] = None) -> Customer:
        """A new customer (flushed, not committed)."""

    @abc.abstractmethod
    def set_display_name(self, customer_id: str, display_name: str) -> None:
        """Set how agents see the customer's name."""

    @abc.abstractmethod
    def link(self, customer_id: str, kind: str, value: str, verified: bool, source: Optional[str] = None) -> None:
        """Give ``customer_id`` the identity (moving it if another customer had it)."""

    @abc.abstractmethod
    def oldest_first(self, customer_ids: Iterable[str]) -> list[str]:
        """The existing ones of ``customer_ids``, oldest customer first (ties by id)."""

    @abc.abstractmethod
    def merge(self, into_id: str, from_id: str) -> None:
        """``from_id`` was the same person as ``into_id``: one customer remains."""

    @abc.abstractmethod
    def latest_progress_conversation(self, conversation_ids: Iterable[str], flow: str) -> Optional[str]:
        """The conversation whose ``flow`` progress changed last, among ``conversation_ids``."""

    @abc.abstractmethod
    def recent_events(self, conversation_ids: Iterable[str], since: datetime) -> dict[str, list[dict]]:
        """User and bot events of these conversations from Rasa's tracker store (table ``events`` of
        ``SQLTrackerStore`` in the same database), oldest first.
        """


class EscalationReasonRepository(Protocol):
    """``uow.reasons``: Every escalation reason recorded per conversation (for metrics and repeat
    escalations). The real one: ``bot.handover.reasons.SqlAlchemyEscalationReasonRepository``.
    """

    @abc.abstractmethod
    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        """Record why ``conversation_id`` went to a person."""


class OrderRepository(Protocol):
    """``uow.orders``: Orders and address changes on the unit of work's session. The real one:
    ``bot.orders.repository.SqlAlchemyOrderRepository``.
    """

    @abc.abstractmethod
    def get(self, order_number: str) -> Optional[Order]:
        """The order with this canonical number (``QX-123456``), or None."""

    @abc.abstractmethod
    def add(self, **fields) -> Order:
        """Store a new order (demo data, tests); returns it."""

    @abc.abstractmethod
    def list_numbers(self) -> list[str]:
        """Every stored order number."""

    @abc.abstractmethod
    def change_address(self, order_number: str, new_address: str, conversation_id: str) -> Order:
        """Change the address if the order has not shipped; lock the row first."""


class OrderCodeRepository(Protocol):
    """``uow.codes``: Codes and failed proofs (tables ``order_codes``, ``order_proof_failures``). The real
    one: ``bot.customers.otp.SqlAlchemyOrderCodeRepository``.
    """

    @abc.abstractmethod
    def issue(self, conversation_id: str, order_number: str, channel: str, destination: str, now: datetime,
            ttl: timedelta, decoy: bool = False) -> str:
        """A new code for (conversation, order); any active one is replaced."""

    @abc.abstractmethod
    def cancel(self, conversation_id: str, order_number: str) -> None:
        """The code could not be sent: it must not be guessable."""

    @abc.abstractmethod
    def has_active(self, conversation_id: str, order_number: str, now: datetime) -> bool:
        """True if the conversation has an unexpired active code for the order at ``now`` (UTC); locks the row."""

    @abc.abstractmethod
    def check(self, conversation_id: str, order_number: str, code: str, now: datetime, max_tries: int) -> ProofStep:
        """Compare ``code`` with the active code (constant time); counts the try."""

    @abc.abstractmethod
    def record_failure(self, conversation_id: str, order_number: str, kind: str, now: datetime) -> None:
        """A failed proof: ``kind`` ``code`` (a wrong code against a real code, counts against the order too)
        or ``decoy`` (a wrong code against a decoy: the conversation only).
        """

    @abc.abstractmethod
    def failures(self, since: datetime, conversation_id: Optional[str] = None,
            order_number: Optional[str] = None, kinds: Optional[tuple[str, ...]] = None) -> int:
        """Failed proofs since ``since`` of one conversation and/or one order (of ``kinds`` only, if given)."""

    @abc.abstractmethod
    def codes_sent(self, order_number: str, since: datetime) -> int:
        """Codes really sent (not decoys) for ``order_number`` since ``since``."""

    @abc.abstractmethod
    def contacts_given(self, conversation_id: str, since: datetime) -> int:
        """Contacts this conversation named since ``since`` (a code row each, real or decoy)."""

    @abc.abstractmethod
    def passed(self, conversation_id: str, since: datetime) -> list[Proof]:
        """Codes this conversation passed since ``since``, oldest first."""


class ProgressRepository(Protocol):
    """``uow.progress``: Troubleshooting progress per (conversation, flow) on the unit of work's session.
    The real one: ``bot.handover.troubleshooting.SqlAlchemyProgressRepository``.
    """

    @abc.abstractmethod
    def get(self, conversation_id: str, flow: str) -> Optional[Progress]:
        """The progress of a conversation in ``flow``, or None."""

    @abc.abstractmethod
    def save(self, progress: Progress) -> None:
        """Insert or update the progress (flushed, not committed)."""


class WebchatRepository(Protocol):
    """``uow.webchat``: The ``webchat_sessions`` table: sessions the server issued (by public id, with the
    photo key), so a client cannot choose its own and only the holder of the secret resumes one. The
    real one: ``bot.channels.webchat.SqlAlchemyWebchatRepository``.
    """

    @abc.abstractmethod
    def issue(self, origin: Optional[str]) -> str:
        """Issue a new session for a page at ``origin`` (cut to 255 characters): stores its public id and photo
        key, returns the secret (for the browser only; not stored).
        """

    @abc.abstractmethod
    def resume(self, secret: Any, max_idle_s: Optional[float] = None) -> Optional[str]:
        """The public id of the session whose secret is ``secret`` (and the session marked seen), or None: not
        a secret we issued, or idle more than ``max_idle_s`` seconds (None: no limit).
        """

    @abc.abstractmethod
    def photo_key(self, conversation_id: str) -> Optional[str]:
        """The picture-URL key of a web chat conversation (by public id), or None."""

    @abc.abstractmethod
    def read_up_to(self, conversation_id: str) -> Optional[float]:
        """The read mark of a conversation (bot/channels/live.py): Unix seconds of the newest customer message
        an agent saw in one of its tickets, or None when no agent saw any.
        """

    @abc.abstractmethod
    def record_read(self, ticket_id: str, conversation_id: str, viewer: str, up_to: float) -> bool:
        """Move the conversation's read mark forward to ``up_to`` (Unix seconds), seen by ``viewer`` on
        ``ticket_id``, as a ``viewed`` ticket event; False (nothing written) when it is not newer.
        """


class NotificationRepository(Protocol):
    """``uow.notifications``: The ``notifications`` table: what the notifier handed over. The real one:
    ``bot.queue.notifier.SqlAlchemyNotificationRepository``.
    """

    @abc.abstractmethod
    def add(self, notification: Notification, transport: str, keep_body: bool) -> None:
        """Record a handed-over notification; the body only when ``keep_body`` (never for real e-mail with a
        code).
        """

    @abc.abstractmethod
    def latest(self, to: Optional[str] = None, limit: int = 20) -> list[SentNotification]:
        """The newest recorded notifications first (optionally to one recipient)."""


class ConversationRepository(Protocol):
    """``uow.conversations``: Owner channel of each conversation (table ``conversation_channels``). The
    real one: ``bot.channels.conversations.SqlAlchemyConversationRepository``.
    """

    @abc.abstractmethod
    def count_all(self) -> int:
        """How many conversations Rasa's tracker store holds (distinct senders of its ``events`` table); 0 when
        Rasa has not created its tables (yet) or keeps trackers elsewhere.
        """

    @abc.abstractmethod
    def owner(self, conversation_id: str) -> Optional[str]:
        """The channel the conversation belongs to, or ``None`` if it has not started."""

    @abc.abstractmethod
    def claim(self, conversation_id: str, channel: str) -> str:
        """Record ``channel`` as the owner unless the conversation has one; return the owner."""


class QueueQueries(Protocol):
    """``uow.queue``: Read-only queries of the agent desk over ``tickets`` (the session comes from a unit
    of work). The real one: ``bot.queue.queue_queries.SqlAlchemyQueueQueries``.
    """

    @abc.abstractmethod
    def queue(self, query: QueueQuery, now: datetime) -> Page:
        """One page of the queue (see ``QueueQuery``)."""

    @abc.abstractmethod
    def search(self, q: str, now: datetime, limit: int = 20, offset: int = 0) -> Page:
        """Tickets in any state matching ``q`` (see ``_term``), newest first; a text search's ``total`` counts
        up to ``COUNT_CAP`` when the text index finds few matches, otherwise the matches up to this page
        plus one when more follow (``extra["total_capped"]`` then true).
        """

    @abc.abstractmethod
    def metrics(self, now: datetime, since: Optional[datetime] = None,
            conversations_total: Optional[int] = None, exact: bool = False) -> dict[str, Any]:
        """The supervisor's figures: ``since`` (default 24 h before ``now``) to ``now``."""


class NoteRepository(Protocol):
    """``uow.notes``: Internal notes of tickets (``ticket_notes``). The real one:
    ``bot.queue.desk_store.SqlAlchemyNoteRepository``.
    """

    @abc.abstractmethod
    def add(self, ticket_id: str, author: str, text: str) -> Note:
        """Store a note on an existing ticket."""

    @abc.abstractmethod
    def for_ticket(self, ticket_id: str) -> list[Note]:
        """The ticket's notes, oldest first."""

    @abc.abstractmethod
    def history(self, ticket_id: str) -> list[dict]:
        """The ticket's events other than messages (created, claimed, transferred, closed, …), oldest first:
        ``[{kind, by, at, ...data}]``.
        """


class TransferRepository(Protocol):
    """``uow.transfers``: Moving a ticket to another agent or back to a skill queue (DESIGN.md §4
    transitions). The real one: ``bot.queue.desk_store.SqlAlchemyTransferRepository``.
    """

    @abc.abstractmethod
    def locked(self, ticket_id: str) -> Ticket:
        """The ticket, its row locked for this transaction (PostgreSQL ``FOR UPDATE``; the moves below are
        conditional updates besides, so SQLite is safe too).
        """

    @abc.abstractmethod
    def enabled_agent(self, username: str) -> Optional[tuple[str, list]]:
        """``(display_name, skills)`` of an enabled agent, or None (unknown or disabled)."""

    @abc.abstractmethod
    def served_skills(self) -> set[str]:
        """Every skill at least one enabled agent has: the skill queues someone works."""

    @abc.abstractmethod
    def to_agent(self, ticket: Ticket, by: str, target: str) -> Ticket:
        """Hand ``ticket`` (as read in this unit) to ``target``: ``with_agent`` held by them (from queued,
        callback or with_agent).
        """

    @abc.abstractmethod
    def to_skill(self, ticket: Ticket, by: str, skills: list) -> Ticket:
        """Put ``ticket`` back in the queue for ``skills`` (unassigned)."""


class CannedReplyRepository(Protocol):
    """``uow.canned``: Canned replies per language (``canned_replies``). The real one:
    ``bot.queue.desk_store.SqlAlchemyCannedReplyRepository``.
    """

    @abc.abstractmethod
    def for_language(self, language: Optional[str]) -> list[CannedReply]:
        """The replies of ``language`` (every language when None), by language then title."""

    @abc.abstractmethod
    def get(self, reply_id: int) -> Optional[CannedReply]:
        """The reply with this id, or None."""

    @abc.abstractmethod
    def titled(self, language: str, title: str) -> Optional[CannedReply]:
        """The reply of ``language`` with this title, or None."""

    @abc.abstractmethod
    def save(self, reply_id: Optional[int], language: str, title: str, text: str, by: str) -> Optional[CannedReply]:
        """Create (``reply_id`` None) or replace a reply; None if ``reply_id`` names no reply."""

    @abc.abstractmethod
    def delete(self, reply_id: int) -> bool:
        """Delete a reply; False if there was none."""


class WaitRepository(Protocol):
    """``uow.waits``: Wait steps, left messages and abandonment on the unit of work's session. The real
    one: ``bot.queue.waits.SqlAlchemyWaitRepository``.
    """

    @abc.abstractmethod
    def step(self, ticket_id: str) -> Optional[str]:
        """The ticket's current wait step (``offered``, ``callback_number``, ``message``), or None."""

    @abc.abstractmethod
    def set_step(self, ticket_id: str, step: Optional[str], data: Optional[dict] = None) -> None:
        """Record the next step (None: the customer answered, nothing is pending)."""

    @abc.abstractmethod
    def step_data(self, ticket_id: str) -> dict:
        """The ``data`` recorded with the ticket's current wait step (``{}`` when none)."""

    @abc.abstractmethod
    def left_message(self, ticket_id: str) -> Optional[dict]:
        """``{"reply_to", "to", "verified"}`` of the message the customer left on the ticket, or None."""

    @abc.abstractmethod
    def record_left_message(self, ticket_id: str, reply_to: str, to: Optional[str], verified: bool = True) -> None:
        """The customer left a message: answer by ``reply_to`` (email|sms|channel) to ``to``; ``verified``:
        ``to`` is a proven contact of the customer (not only typed).
        """

    @abc.abstractmethod
    def touch(self, ticket_id: str, at: datetime) -> None:
        """The customer wrote on the ticket at ``at`` (UTC): the silence starts again."""

    @abc.abstractmethod
    def abandon_silent(self, channel: str, cutoff: datetime, now: datetime) -> List[str]:
        """Mark queued tickets of ``channel`` (packet name) whose customer has been silent since before
        ``cutoff`` as ``abandoned`` (closed at ``now``); returns the ids this call marked.
        """

    @abc.abstractmethod
    def abandon_if_queued(self, conversation_id: str, now: datetime, why: str) -> Optional[str]:
        """Mark the conversation's queued ticket ``abandoned`` (the caller hung up); its id, or None if it has
        none queued (claimed, call-back, closed: left as it is).
        """


class AttachmentRepository(Protocol):
    """``uow.attachments``: The ``attachments`` table (migration 0007). The real one:
    ``bot.channels.attachments.SqlAlchemyAttachmentRepository``.
    """

    @abc.abstractmethod
    def add(self, image: CheckedImage, conversation_id: str, channel: str, uploader: str,
            uploaded_by: Optional[str] = None, ticket_id: Optional[str] = None) -> Attachment:
        """Store a checked picture under a new random id; returns it."""

    @abc.abstractmethod
    def get(self, attachment_id: str) -> Optional[Attachment]:
        """The attachment with its bytes, or None (also for a malformed id)."""

    @abc.abstractmethod
    def usage(self, conversation_id: str, uploader: str, since: datetime) -> Tuple[int, int, Optional[datetime]]:
        """``(count, bytes, oldest)`` of the photos ``uploader`` sent in ``conversation_id`` from ``since``
        (UTC) on; ``oldest`` the first one's time (None when there are none).
        """

    @abc.abstractmethod
    def delete_unfiled(self, before: datetime, limit: int = 500) -> int:
        """Delete up to ``limit`` customer photos uploaded before ``before`` (UTC) and filed on no ticket
        (uploaded but never sent to a person); returns how many.
        """

    @abc.abstractmethod
    def link_ticket(self, attachment_id: str, ticket_id: str) -> None:
        """Record the ticket a customer's photo was filed on (first ticket wins)."""

