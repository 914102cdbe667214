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
        """Store a new ticket for ``packet`` (DESIGN.md §6) in ``state`` (queued or callback from a
        hand-over; fixtures may seed any state) and return it.

        Args:
            packet: the handoff/v1 packet (DESIGN §6); its ``ticket_id`` becomes the ticket's id.
            state: the ticket's first state (a :class:`TicketState` value).
            customer_id: the resolved customer, or None when unknown.

        Returns:
            The stored :class:`Ticket`.

        Raises:
            ValueError: ``state`` names no :class:`TicketState`.
            TicketAlreadyOpen: ``state`` is open and the conversation already has an
                open ticket (committed by another process or thread meanwhile); the
                session's transaction is rolled back (nothing else written in it stays).
        """

    @abc.abstractmethod
    def get(self, ticket_id: str, for_update: bool = False) -> Optional[Ticket]:
        """The ticket with this id, or None.

        Args:
            ticket_id: the ticket's id.
            for_update: read it again from the database under a row lock (PostgreSQL ``FOR UPDATE``) held to the
                end of the transaction, as it is now: called after the transaction's first write, it sees a move
                to another conversation (``continue_on``) committed meanwhile, on SQLite too.

        Returns:
            The :class:`Ticket`, or None.
        """

    @abc.abstractmethod
    def open_for_conversation(self, conversation_id: str) -> Optional[Ticket]:
        """The newest open (queued, with_agent, callback) ticket of a conversation, or None.

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            The :class:`Ticket`, or None.
        """

    @abc.abstractmethod
    def for_conversation(self, conversation_id: str) -> list[Ticket]:
        """Every ticket of a conversation, oldest first.

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            The conversation's :class:`Ticket` list, oldest first (empty for none).
        """

    @abc.abstractmethod
    def waiting_for_customer(self, customer_id: str, conversation_ids: list[str],
                             states: Optional[tuple] = None, channels: Optional[tuple] = None) -> Optional[Ticket]:
        """The newest queued or callback ticket of a customer (by id or by any of their conversations).

        Args:
            customer_id: the customer's id.
            conversation_ids: the customer's other conversations (tickets filed before the customer was
                known).
            states: the ticket states to look for (default: queued and callback, ``WAITING_STATES``;
                ``OPEN_STATES`` adds ``with_agent``).
            channels: only tickets of these packet channels (default: any).

        Returns:
            The :class:`Ticket`, or None.
        """

    @abc.abstractmethod
    def continue_on(self, ticket_id: str, conversation_id: str, channel: str) -> bool:
        """Move an open ticket to another conversation of its customer (they wrote there): the ticket's
        ``conversation_id`` and ``channel`` become these, so its transcript lines, an agent's replies and
        the hand-back follow the customer; a :data:`TicketEvent.CONTINUED` event records both ends.

        Args:
            ticket_id: the ticket's id.
            conversation_id: the Rasa sender id the customer now writes from.
            channel: that conversation's packet channel name (``web``, ``wechat``, ``rest``).

        Returns:
            True if it moved; False if the ticket is unknown, no longer open, or already on that
            conversation (nothing written).

        Raises:
            TicketAlreadyOpen: ``conversation_id`` has an open ticket of its own (the caller checks first;
                the partial unique index refuses it); the session's transaction is rolled back.
        """

    @abc.abstractmethod
    def position(self, ticket: Ticket) -> int:
        """1-based place in the queue among the live customers: what a queued customer is told.

        Call-back tickets are not counted: nobody waits on the line or in the chat for them, and the team
        works them as a list of their own, after the live customers (fresh-user report 26 #7: a night of
        call-backs made the first live customer of the morning "number 4").

        Args:
            ticket: a queued ticket.

        Returns:
            1 + the number of ``queued`` tickets of higher priority (lower number) or the same priority
            created earlier.
        """

    @abc.abstractmethod
    def recent_for_customer(self, customer_id: str, since: datetime) -> list[datetime]:
        """When the customer's tickets since ``since`` were created (UTC).

        Args:
            customer_id: the customer's id.
            since: the earliest creation time counted (aware UTC).

        Returns:
            Creation times (aware UTC), in no particular order.
        """

    @abc.abstractmethod
    def claim(self, ticket_id: str, username: str) -> Ticket:
        """Atomic: a conditional UPDATE; of two agents racing, exactly one row count is 1.

        Args:
            ticket_id: the ticket to claim.
            username: the agent claiming it.

        Returns:
            The ticket, now ``with_agent`` held by ``username``.

        Raises:
            TicketNotFound: there is no such ticket.
            TicketClosed: the ticket is closed.
            ClaimConflict: another agent holds it (or won the race).
        """

    @abc.abstractmethod
    def close(self, ticket_id: str, username: str, disposition: str, override: bool = False,
              served: bool = True) -> Ticket:
        """Close the ticket; ``override`` (a supervisor) closes one another agent holds.

        Args:
            ticket_id: the ticket to close.
            username: the agent (or supervisor) closing it.
            disposition: one of ``DISPOSITIONS`` (checked by the service).
            override: True for a supervisor closing a ticket another agent holds.
            served: False when no colleague served the customer (``bot.services.tickets.served``): the
                ticket closes with no holder, so nobody is credited a handled ticket, handle time or CSAT;
                True: the holder, or ``username`` for an unclaimed ticket.

        Returns:
            The ticket, now ``closed``.

        Raises:
            TicketNotFound: there is no such ticket.
            TicketClosed: the ticket is already closed.
            ClaimConflict: another agent holds it and ``override`` is false.
        """

    @abc.abstractmethod
    def set_state(self, ticket_id: str, state: str, actor: str = 'system') -> None:
        """Move a ticket to ``state``; an unknown ticket id is ignored.

        Args:
            ticket_id: the ticket to move.
            state: the target state (a :class:`TicketState` value).
            actor: who moved it (``system``, ``customer`` or a user name), recorded on the ``state`` event.

        Raises:
            IllegalTransition: DESIGN.md §4 does not allow the move.
        """

    @abc.abstractmethod
    def fill_intake(self, ticket_id: str, field: str, value: str, replace: bool = False) -> bool:
        """Set ``packet.intake[field]`` if it is empty (or always, with ``replace``); False if the ticket is unknown.

        The exact-search columns (order number, e-mail, phone) follow the
        intake, so a call-back number the IVR records is found by search.

        Args:
            ticket_id: the ticket.
            field: the intake key (``phone``, ``email``, ``order_number``, …).
            value: the value to set when the field is empty.
            replace: set it even over a value already there (issue 14: a new number to call back on).

        Returns:
            True when the ticket exists (whether or not the field was empty), False otherwise.
        """

    @abc.abstractmethod
    def set_summaries(self, ticket_id: str, summaries: dict, summary: str) -> bool:
        """Replace the ticket's summary: ``packet.summaries`` and ``packet.summary``, and the columns the queue
        lists them from (``summary``, ``summary_en``, ``summary_zh``).

        Args:
            ticket_id: the ticket.
            summaries: the summary in each desk language (``{"en": …, "zh": …}``).
            summary: the packet's ``summary`` (the desk language's).

        Returns:
            True when the ticket exists, False otherwise.
        """

    @abc.abstractmethod
    def raise_priority(self, ticket_id: str, priority: int, sla: dict) -> bool:
        """Make an open ticket more urgent: ``priority`` and the packet's ``sla`` (and its due time) when
        ``priority`` is more urgent (a smaller number) than the ticket's; nothing otherwise.

        Args:
            ticket_id: the ticket.
            priority: the new priority (1 = most urgent).
            sla: the packet's new ``sla`` (``{"target_wait_s": int, "due_at": ISO-8601 UTC}``).

        Returns:
            True when the ticket was made more urgent, False when it is unknown, closed or already as urgent.
        """

    @abc.abstractmethod
    def request_callback(self, ticket_id: str, requested_at: datetime, sla: dict, phone: Optional[str] = None) -> bool:
        """A customer waiting in the queue asked for a call-back (or left a message): the ticket, if still
        ``queued``, becomes ``callback`` (a state change by ``customer``; its one ``callback`` event carries
        ``phone`` when the number is known).

        The first request is kept: ``callback_requested_at`` is ``requested_at`` and the packet gets
        ``callback_requested_at`` and ``callback_sla`` (``sla``, the call-back's own due time). If the ticket is
        not late yet the promise restarts its SLA (the packet's ``sla`` and ``sla_due_at`` become ``sla``); a
        ticket already past its SLA keeps it, so the breach still counts. A later request (after an agent
        sent the ticket back to the queue) only changes the state.

        Args:
            ticket_id: the ticket.
            requested_at: when the customer asked (aware UTC).
            sla: the call-back's SLA counted from ``requested_at`` (``{"target_wait_s": int, "due_at": ISO-8601
                UTC}``).
            phone: the number to call back (E.164), or None (on the phone the bridge confirms it later).

        Returns:
            True when done, False when the ticket is unknown or no longer ``queued`` (an agent claimed it since
            it was read: the claim stands).
        """

    @abc.abstractmethod
    def note_callback_requested(self, ticket_id: str, requested_at: datetime, sla: dict) -> bool:
        """A hand-over that was itself a call-back request ("please call me back on 139…"): the new ``callback``
        ticket records when the customer asked, as :meth:`request_callback` does for a customer who asks
        while queued (``callback_requested_at``, the packet's ``callback_requested_at`` and ``callback_sla``,
        the SLA restarted unless already late); a ticket that has a request time keeps it.

        Args:
            ticket_id: the ticket.
            requested_at: when the customer asked (aware UTC).
            sla: the call-back's SLA counted from ``requested_at`` (``{"target_wait_s": int, "due_at":
                ISO-8601 UTC}``).

        Returns:
            True when done, False when the ticket is unknown or not ``callback``.
        """

    @abc.abstractmethod
    def add_event(self, ticket_id: str, kind: str, author: Optional[str], text: Optional[str] = None,
            data: Optional[dict] = None, client_id: Optional[str] = None) -> int:
        """Append an event (message, claim, note, …) to a ticket's history; its id.

        Args:
            client_id: an id the client chose (an agent reply's ``message_id``), unique per ticket
                and ``author``.
            ticket_id: the ticket (must exist).
            kind: a :class:`TicketEvent` value (``message``, ``claimed``, ``note``, …).
            author: the agent's user name, ``customer``, or None for the system.
            text: the event's text (a message), or None.
            data: extra JSON fields (``from``, ``channel``, ``delivery``, …), or None.

        Returns:
            The new event's id.

        Raises:
            DuplicateClientId: ``author`` has an event with ``client_id`` on the ticket already; the session's
            transaction was rolled back (everything this unit of work wrote is undone).
        """

    @abc.abstractmethod
    def event_by_client_id(self, ticket_id: str, author: Optional[str], client_id: str) -> Optional[dict]:
        """``author``'s event on the ticket with this client id: ``{id, ticket_id, kind, author, text, data}``,
        or None (ids are per ticket and author: another author's events are never found).

        Args:
            ticket_id: the ticket.
            author: the author whose events are searched.
            client_id: the id the client chose.

        Returns:
            The event dict, or None.
        """

    @abc.abstractmethod
    def update_event_data(self, event_id: int, fields: dict) -> bool:
        """Merge ``fields`` into an event's ``data``; False if there is no such event.

        Args:
            event_id: the event's id.
            fields: the keys to set in its ``data`` (others are kept).

        Returns:
            True when the event exists, False otherwise.
        """

    @abc.abstractmethod
    def transcript(self, ticket: Ticket) -> list[dict]:
        """The packet's transcript plus every message after the hand-over.

        Args:
            ticket: the ticket, as read.

        Returns:
            A list of ``{from, text, at (ISO-8601), channel, agent?, delivery?, ...}`` dicts: the packet's
            bot-time transcript, then the live messages, oldest first.
        """

    @abc.abstractmethod
    def mark_reply_delivery(self, ticket_id: str, author: str, delivery: str) -> bool:
        """Set ``delivery`` on ``author``'s latest message event of the ticket; False if none.

        Args:
            ticket_id: the ticket.
            author: the agent whose latest message is marked.
            delivery: how it went (``delivered``, ``pending``, ``failed``, ``notified``, …).

        Returns:
            True when such a message exists, False otherwise.
        """

    @abc.abstractmethod
    def rate(self, ticket_id: str, rating: int) -> None:
        """Store a CSAT rating.

        Args:
            ticket_id: the rated ticket (also stored on the ticket row when it exists).
            rating: 1 to 5.

        Raises:
            ValueError: ``rating`` is not 1 to 5.

        """

    @abc.abstractmethod
    def audit(self, actor: str, action: str, subject: Optional[str], detail: Optional[dict] = None) -> None:
        """Append to the audit log: who did what to which subject.

        Args:
            actor: the user name (or ``system``) who acted.
            action: what was done (``agent.disable``, ``ticket.close_override``, …).
            subject: what it was done to (a user name, a ticket id), or None.
            detail: extra JSON fields, or None.
        """


class AgentRepository(Protocol):
    """``uow.agents``: Agents, their hashed passwords and bearer tokens, on the unit of work's session. The
    real one: ``bot.queue.agents.SqlAlchemyAgentRepository``.
    """

    @abc.abstractmethod
    def save(self, username: str, password: str, display_name: str, role: str = 'agent',
            skills: Optional[list] = None, active: Optional[bool] = None, by: Optional[str] = None) -> SavedAgent:
        """Create the agent, or reset an existing one's password, name, role and skills.

        An existing agent whose password or role changes loses every session
        (their tokens are revoked). ``active`` False disables the agent (and
        ends their sessions), True enables them; None keeps an existing
        agent's state (a new agent is active). ``by`` names who did it.

        Args:
            username: the login name (``USERNAME_PATTERN``); the agent's key.
            password: the plain-text password, stored hashed (:func:`hash_password`).
            display_name: the name customers and colleagues see.
            role: ``agent`` or ``supervisor`` (``ROLES``).
            skills: skill tags for routing (None: no skills).
            active: True enables, False disables (ending sessions), None keeps an existing agent's state.
            by: the supervisor (user name) or tool recorded as having done it, or None.

        Returns:
            A :class:`SavedAgent`: the agent, whether it was created, and how many sessions were ended.

        Raises:
            AgentRefused: ``role`` is not one of ``ROLES`` or ``username`` does not match ``USERNAME_PATTERN``.
        """

    @abc.abstractmethod
    def set_active(self, username: str, active: bool, by: Optional[str] = None) -> Optional[int]:
        """Enable or disable an agent. Disabling ends every session of theirs.

        Args:
            username: the agent's user name.
            active: True to enable, False to disable.
            by: who did it (a supervisor's user name), recorded with a disable; None when unknown.

        Returns:
            The number of sessions (tokens) ended, or None if there is no such agent.
        """

    @abc.abstractmethod
    def revoke_all(self, username: str) -> int:
        """End every session of the agent (delete their tokens); returns how many there were.

        Args:
            username: the agent's user name.

        Returns:
            How many tokens were deleted (0 when the agent had none).
        """

    @abc.abstractmethod
    def display_name(self, username: Optional[str]) -> Optional[str]:
        """The display name of ``username``, or None for an unknown (or None) user name.

        Args:
            username: the agent's user name, or None.

        Returns:
            The display name, or None.
        """

    @abc.abstractmethod
    def authenticate(self, username: str, password: str) -> Optional[Agent]:
        """The active agent whose password matches, else None (an unknown user name costs the same hash).

        Args:
            username: the user name typed at login.
            password: the plain-text password typed at login.

        Returns:
            The :class:`Agent` when the name exists, is enabled and the password matches; else None.
        """

    @abc.abstractmethod
    def issue_token(self, username: str, now: Optional[datetime] = None) -> str:
        """A new bearer token for ``username`` (stored as its SHA-256, valid for ``TOKEN_TTL``;
        expired tokens are purged).

        Args:
            username: the agent the token is for (not checked here: call after :meth:`authenticate`).
            now: the current time (aware UTC); None means now.

        Returns:
            The token as the client sends it (URL-safe, 32 random bytes); only its hash is stored.
        """

    @abc.abstractmethod
    def agent_for_token(self, token: str, now: Optional[datetime] = None) -> Optional[Agent]:
        """The active agent holding an unexpired ``token`` (marks them seen now), else None.

        Args:
            token: the bearer token from the ``Authorization`` header (empty or None never matches).
            now: the current time (aware UTC); None means now.

        Returns:
            The :class:`Agent`, or None for an unknown, expired or disabled agent's token.
        """

    @abc.abstractmethod
    def revoke_token(self, token: str) -> bool:
        """Forget ``token`` (logout): later requests with it are refused. True if it existed.

        Args:
            token: the bearer token to forget.

        Returns:
            True if the token was stored (and is now deleted), False otherwise.
        """

    @abc.abstractmethod
    def all(self, now: Optional[datetime] = None) -> list[dict]:
        """Every agent as ``Agent.as_dict()`` plus ``online`` (seen within ``ONLINE_WINDOW``), by user name.

        Args:
            now: the time ``online`` is judged at (aware UTC); None means now.

        Returns:
            A list of dicts, one per agent ordered by user name: ``username``, ``display_name``, ``role``,
            ``skills``, ``active``, ``online``.
        """

    @abc.abstractmethod
    def online_count(self, now: Optional[datetime] = None) -> int:
        """How many enabled agents were seen within ``ONLINE_WINDOW`` of ``now`` (default: now, UTC).

        Args:
            now: the time to count at (aware UTC); None means now.

        Returns:
            The number of enabled agents seen within ``ONLINE_WINDOW`` (5 minutes) before ``now``.
        """


class OutboxRepository(Protocol):
    """``uow.outbox``: The outbox table: messages for customers outside a bot turn, until delivered. The
    real one: ``bot.queue.delivery.SqlAlchemyOutboxRepository``.
    """

    @abc.abstractmethod
    def move_pending(self, from_conversation: str, to_conversation: str, channel: str) -> List[int]:
        """Give the undelivered messages of ``from_conversation`` to ``to_conversation`` on ``channel`` (a delivery
        name): a ticket followed its customer there (``bot.services.tickets.follow_within``), so the agent's replies
        not yet delivered reach them where they write now. Their ids stay (an agent reply's delivery is still
        tracked).

        Args:
            from_conversation: the Rasa sender id the ticket left.
            to_conversation: the Rasa sender id it moved to.
            channel: the delivery name of the new conversation's channel (``webchat``, ``wechat``, ``rest``).

        Returns:
            The ids of the messages moved, oldest first (empty when none was pending).
        """

    @abc.abstractmethod
    def claim(self, conversation_id: str, ids: List[int]) -> List[Tuple[int, dict]]:
        """Those of the messages with these ids that are still undelivered and for ``conversation_id``, oldest first,
        marked delivered (claimed) in this transaction, so no one else sends them: the replies a move brought here,
        pushed at once (``bot.services.delivery.after_move``). An id of another conversation's message is skipped,
        whoever names it.

        Args:
            conversation_id: the Rasa sender id the messages must be for.
            ids: outbox row ids (unknown, delivered and other conversations' ones are skipped; an empty list claims
                nothing).

        Returns:
            ``[(id, message)]`` of the claimed rows, oldest first, each message with ``timestamp``: when it was
            stored (Unix seconds), for the customer's client to show it in its place.
        """

    @abc.abstractmethod
    def add(self, conversation_id: str, channel: str, messages: List[dict],
            created_at: Optional[datetime] = None) -> List[int]:
        """Store ``messages`` for ``conversation_id`` on ``channel`` (a delivery name); returns their ids.

        Args:
            conversation_id: the Rasa sender id the messages are for.
            channel: the delivery name (``Channel.delivery``) that will push them.
            messages: Rasa-style bot messages (``{"text": ..., "custom": ...}`` dicts), stored as given.
            created_at: when they were queued (aware, UTC); default now (an import or a test of
                stale messages sets it).

        Returns:
            The new outbox row ids, in the order of ``messages``.
        """

    @abc.abstractmethod
    def take_pending(self, conversation_id: str, channel: Optional[str] = None, with_time: bool = False) -> List[dict]:
        """Pending messages, oldest first, marked delivered in the same transaction
        (only those for ``channel``, a Rasa channel name, when given).

        Args:
            conversation_id: the Rasa sender id.
            channel: only messages for this channel name; None takes them all.
            with_time: each message also says when it was stored (``timestamp``, Unix seconds), for a client that
                shows it in its place (the web chat: a reply that waited, or came with a ticket from another chat).

        Returns:
            The stored message dicts, oldest first (empty when nothing is pending).
        """

    @abc.abstractmethod
    def all_for(self, conversation_id: str) -> List[dict]:
        """Every outbox message of the conversation, oldest first, with
        ``at`` (Unix seconds) and ``delivered``.

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            A list of ``{"message": dict, "at": float (Unix seconds, UTC), "delivered": bool}``, oldest first.
        """

    @abc.abstractmethod
    def delivered(self, ids: List[int]) -> bool:
        """Whether every message with these ids is marked delivered (False for no ids).

        Args:
            ids: outbox row ids.

        Returns:
            True when every id exists and is marked delivered; False for an empty list or an unknown id.
        """

    @abc.abstractmethod
    def mark_delivered(self, ids: List[int]) -> None:
        """Mark the messages with these ids delivered now.

        Args:
            ids: outbox row ids (an empty list does nothing).
        """

    @abc.abstractmethod
    def claim_stale(self, conversation_id: str, channel: str, created_before: datetime) -> List[Tuple[int, dict]]:
        """Undelivered messages for ``channel`` created before ``created_before``, oldest first,
        marked delivered (claimed) in this transaction: ``[(id, message)]``.

        Args:
            conversation_id: the Rasa sender id.
            channel: the delivery name the messages are for.
            created_before: only messages stored before this instant (aware UTC).

        Returns:
            ``[(id, message)]`` of the claimed rows, oldest first.
        """

    @abc.abstractmethod
    def release(self, ids: List[int]) -> None:
        """Mark messages undelivered again (a push that failed after :meth:`claim_stale`).

        Args:
            ids: outbox row ids claimed earlier (an empty list does nothing).
        """


class CustomerRepository(Protocol):
    """``uow.customers``: Customers and their identities on the unit of work's session; reads Rasa's
    ``events`` table for transcripts. The real one:
    ``bot.customers.repository.SqlAlchemyCustomerRepository``.
    """

    @abc.abstractmethod
    def get(self, customer_id: str) -> Optional[Customer]:
        """The customer with this id and all their identities, or None.

        Args:
            customer_id: the customer's id.

        Returns:
            The :class:`Customer` with ``identities``, or None.
        """

    @abc.abstractmethod
    def find(self, kind: str, value: str, verified_only: bool = False) -> Optional[Customer]:
        """The customer owning identity (``kind``, ``value``), or None (only verified ones if asked).

        Args:
            kind: the identity kind (``email``, ``phone``, ``sub``, ``wechat_openid``, …).
            value: the identity's value (normalised as stored).
            verified_only: ignore an identity that is not trusted (verified by a trusted source).

        Returns:
            The :class:`Customer`, or None.
        """

    @abc.abstractmethod
    def create(self, display_name: Optional[str] = None) -> Customer:
        """A new customer (flushed, not committed).

        Args:
            display_name: how agents see the customer, or None.

        Returns:
            The new :class:`Customer` (no identities yet).
        """

    @abc.abstractmethod
    def set_display_name(self, customer_id: str, display_name: str) -> None:
        """Set how agents see the customer's name.

        Args:
            customer_id: the customer (an unknown id is ignored).
            display_name: the new name.
        """

    @abc.abstractmethod
    def link(self, customer_id: str, kind: str, value: str, verified: bool, source: Optional[str] = None) -> None:
        """Give ``customer_id`` the identity (moving it if another customer had it).

        Never downgrades a verified identity. Moving is only done by
        ``resolve`` after the linking rules allowed it.

        Args:
            customer_id: the customer who gets the identity.
            kind: the identity kind (``email``, ``phone``, ``sub``, …).
            value: the identity's value.
            verified: whether it was proven (a verified identity is never made unverified).
            source: how it was proven (``token``, ``platform``, ``order_contact``), or None.
        """

    @abc.abstractmethod
    def oldest_first(self, customer_ids: Iterable[str]) -> list[str]:
        """The existing ones of ``customer_ids``, oldest customer first (ties by id).

        Args:
            customer_ids: customer ids (unknown ones are dropped).

        Returns:
            The ids, oldest customer first.
        """

    @abc.abstractmethod
    def merge(self, into_id: str, from_id: str) -> None:
        """``from_id`` was the same person as ``into_id``: one customer remains.

        Args:
            into_id: the customer who remains.
            from_id: the customer whose identities and tickets move to ``into_id``; then deleted.
        """

    @abc.abstractmethod
    def latest_progress_conversation(self, conversation_ids: Iterable[str], flow: str) -> Optional[str]:
        """The conversation whose ``flow`` progress changed last, among ``conversation_ids``.

        Args:
            conversation_ids: the customer's conversations.
            flow: the troubleshooting flow's name.

        Returns:
            The conversation id, or None.
        """

    @abc.abstractmethod
    def recent_events(self, conversation_ids: Iterable[str], since: datetime) -> dict[str, list[dict]]:
        """User and bot events of these conversations from Rasa's tracker store
        (table ``events`` of ``SQLTrackerStore`` in the same database), oldest first.

        Args:
            conversation_ids: the conversations to read.
            since: only events at or after this instant (aware UTC).

        Returns:
            ``{conversation_id: [event dict, …]}`` (empty without Rasa's ``events`` table).
        """


class EscalationReasonRepository(Protocol):
    """``uow.reasons``: Every escalation reason recorded per conversation (for metrics and repeat
    escalations). The real one: ``bot.handover.reasons.SqlAlchemyEscalationReasonRepository``.
    """

    @abc.abstractmethod
    def record(self, conversation_id: str, code: str, detail: Optional[str] = None) -> None:
        """Record why ``conversation_id`` went to a person.

        Args:
            conversation_id: the Rasa sender id.
            code: a :class:`ReasonCode` value.
            detail: what triggered it (e.g. the emotion's score), or None.

        Raises:
            ValueError: ``code`` is not a reason code (DESIGN.md §5).

        """


class OrderRepository(Protocol):
    """``uow.orders``: Orders and address changes on the unit of work's session. The real one:
    ``bot.orders.repository.SqlAlchemyOrderRepository``.
    """

    @abc.abstractmethod
    def get(self, order_number: str) -> Optional[Order]:
        """The order with this canonical number (``QX-123456``), or None.

        Args:
            order_number: the canonical number.

        Returns:
            The :class:`~bot.orders.model.Order`, or None.
        """

    @abc.abstractmethod
    def add(self, **fields) -> Order:
        """Store a new order (demo data, tests); returns it.

        Args:
            **fields: the ``orders`` columns: ``order_number``, ``customer_name``, ``email``, ``phone``,
                ``status``, ``shipping_address``, ``placed_at``, ``estimated_delivery``.

        Returns:
            The stored :class:`~bot.orders.model.Order`.

        Raises:
            ValueError: ``status`` is not one of ``STATUSES``.
        """

    @abc.abstractmethod
    def list_numbers(self) -> list[str]:
        """Every stored order number."""

    @abc.abstractmethod
    def change_address(self, order_number: str, new_address: str, conversation_id: str) -> Order:
        """Change the address if the order has not shipped; lock the row first.

        Args:
            order_number: the canonical number.
            new_address: the checked new address (``valid_new_address``).
            conversation_id: the conversation that asked (recorded with the change).

        Returns:
            The order with its new address.

        Raises:
            OrderNotFound: there is no such order.
            AddressChangeRefused: the order's status no longer allows a change (it has shipped).
        """


class OrderCodeRepository(Protocol):
    """``uow.codes``: Codes and failed proofs (tables ``order_codes``, ``order_proof_failures``). The real
    one: ``bot.customers.otp.SqlAlchemyOrderCodeRepository``.
    """

    @abc.abstractmethod
    def issue(self, conversation_id: str, order_number: str, channel: str, destination: str, now: datetime,
            ttl: timedelta, decoy: bool = False) -> str:
        """A new code for (conversation, order); any active one is replaced. Returns the code.

        With ``decoy`` the row (channel ``none``, no destination, an empty
        hash) answers tries exactly as a real code does but can never pass.

        Args:
            conversation_id: the Rasa sender id asking for the code.
            order_number: the order the code proves (``QX-123456``).
            channel: ``email`` or ``sms`` (``none`` for a decoy).
            destination: where the code is sent (the order's contact).
            now: the current time (aware UTC).
            ttl: how long the code is valid.
            decoy: store a code that can never pass (the typed contact was not the order's).

        Returns:
            The six-digit code (to send; only its hash is stored).
        """

    @abc.abstractmethod
    def cancel(self, conversation_id: str, order_number: str, issued_at: Optional[datetime] = None) -> None:
        """The code could not be sent: it must not be guessable.

        Args:
            conversation_id: the Rasa sender id.
            order_number: the order.
            issued_at: only the active code issued at this moment (the one that failed: a newer code the customer
                asked for meanwhile stays; helper-212); None: whichever is active.
        """

    @abc.abstractmethod
    def has_active(self, conversation_id: str, order_number: str, now: datetime) -> bool:
        """True if the conversation has an unexpired active code for the order at ``now`` (UTC); locks the row.

        Args:
            conversation_id: the Rasa sender id.
            order_number: the order.
            now: the current time (aware UTC).

        Returns:
            True or False as above.
        """

    @abc.abstractmethod
    def check(self, conversation_id: str, order_number: str, code: str, now: datetime, max_tries: int) -> ProofStep:
        """Compare ``code`` with the active code (constant time); counts the try.

        Args:
            conversation_id: the Rasa sender id.
            order_number: the order.
            code: the six digits the customer typed.
            now: the current time (aware UTC).
            max_tries: tries a code allows before it is spent.

        Returns:
            A :class:`ProofStep`: ``passed``, ``wrong`` (with the tries left), ``no_code``, ``expired`` or
            ``exhausted``.
        """

    @abc.abstractmethod
    def record_failure(self, conversation_id: str, order_number: str, kind: str, now: datetime) -> None:
        """A failed proof: ``kind`` ``code`` (a wrong code against a real code, counts against
        the order too) or ``decoy`` (a wrong code against a decoy: the conversation only).

        Args:
            conversation_id: the Rasa sender id.
            order_number: the order.
            kind: ``code`` or ``decoy``.
            now: when it happened (aware UTC).
        """

    @abc.abstractmethod
    def failures(self, since: datetime, conversation_id: Optional[str] = None,
            order_number: Optional[str] = None, kinds: Optional[tuple[str, ...]] = None) -> int:
        """Failed proofs since ``since`` of one conversation and/or one order (of ``kinds`` only, if given).

        Args:
            since: count failures at or after this instant (aware UTC).
            conversation_id: only this conversation's, or None.
            order_number: only this order's, or None.
            kinds: only these kinds (``code``, ``decoy``), or None for all.

        Returns:
            The number of failed proofs.
        """

    @abc.abstractmethod
    def codes_sent(self, order_number: str, since: datetime) -> int:
        """Codes really sent (not decoys) for ``order_number`` since ``since``.

        Args:
            order_number: the order.
            since: count codes created at or after this instant (aware UTC).

        Returns:
            The number of real codes sent.
        """

    @abc.abstractmethod
    def contacts_given(self, conversation_id: str, since: datetime) -> int:
        """Contacts this conversation named since ``since`` (a code row each, real or decoy).

        Args:
            conversation_id: the Rasa sender id.
            since: count rows created at or after this instant (aware UTC).

        Returns:
            The number of contacts named (real and decoy codes).
        """

    @abc.abstractmethod
    def passed(self, conversation_id: str, since: datetime) -> list[Proof]:
        """Codes this conversation passed since ``since``, oldest first.

        Args:
            conversation_id: the Rasa sender id.
            since: only codes passed at or after this instant (aware UTC).

        Returns:
            ``Proof`` list (order number, ``email``/``phone``, destination, the order's customer name).
        """


class ProgressRepository(Protocol):
    """``uow.progress``: Troubleshooting progress per (conversation, flow) on the unit of work's session.
    The real one: ``bot.handover.troubleshooting.SqlAlchemyProgressRepository``.
    """

    @abc.abstractmethod
    def get(self, conversation_id: str, flow: str) -> Optional[Progress]:
        """The progress of a conversation in ``flow``, or None.

        Args:
            conversation_id: the Rasa sender id.
            flow: the flow's name (``password_reset``, …).

        Returns:
            The :class:`Progress`, or None.
        """

    @abc.abstractmethod
    def save(self, progress: Progress) -> None:
        """Insert or update the progress (flushed, not committed).

        Args:
            progress: the progress to store (keyed by conversation and flow).
        """


class WebchatRepository(Protocol):
    """``uow.webchat``: The ``webchat_sessions`` table: sessions the server issued (by public id, with the
    photo key), so a client cannot choose its own and only the holder of the secret resumes one. The
    real one: ``bot.channels.webchat.SqlAlchemyWebchatRepository``.
    """

    @abc.abstractmethod
    def issue(self, origin: Optional[str]) -> str:
        """Issue a new session for a page at ``origin`` (cut to 255 characters): stores its public
        id and photo key, returns the secret (for the browser only; not stored).

        Args:
            origin: the page's ``Origin`` header, or None.

        Returns:
            The new secret (32 hex characters).
        """

    @abc.abstractmethod
    def resume(self, secret: Any, max_idle_s: Optional[float] = None) -> Optional[str]:
        """The public id of the session whose secret is ``secret`` (and the session marked seen),
        or None: not a secret we issued, or idle more than ``max_idle_s`` seconds (None: no limit).

        Args:
            secret: the secret the browser sent (any value).
            max_idle_s: the longest idle time allowed, in seconds; None: no limit.

        Returns:
            The public id, or None.
        """

    @abc.abstractmethod
    def photo_key(self, conversation_id: str) -> Optional[str]:
        """The picture-URL key of a web chat conversation (by public id), or None.

        Args:
            conversation_id: the session's public id.

        Returns:
            64 hex characters, or None (unknown session, or one from before photo keys).
        """

    @abc.abstractmethod
    def read_up_to(self, conversation_id: str) -> Optional[float]:
        """The read mark of a conversation (bot/channels/live.py): Unix seconds of the newest customer message
        an agent saw in one of its tickets, or None when no agent saw any.

        Args:
            conversation_id: the session's public id.

        Returns:
            Unix seconds, or None.
        """

    @abc.abstractmethod
    def record_read(self, ticket_id: str, conversation_id: str, viewer: str, up_to: float) -> bool:
        """Move the conversation's read mark forward to ``up_to`` (Unix seconds), seen by ``viewer``
        on ``ticket_id``, as a ``viewed`` ticket event; False (nothing written) when it is not newer.

        Args:
            ticket_id: the ticket the agent viewed.
            conversation_id: the conversation whose mark moves.
            viewer: the agent's user name.
            up_to: Unix seconds of the newest customer message the agent saw.

        Returns:
            True when the mark moved, False when it was already there.
        """


class NotificationRepository(Protocol):
    """``uow.notifications``: The ``notifications`` table: what the notifier handed over. The real one:
    ``bot.queue.notifier.SqlAlchemyNotificationRepository``.
    """

    @abc.abstractmethod
    def add(self, notification: Notification, transport: str, keep_body: bool) -> None:
        """Record a handed-over notification; the body only when ``keep_body`` (never for real e-mail with a code).

        Args:
            notification: the notification that was handed over.
            transport: how it went (``smtp``, ``fake``).
            keep_body: whether to store the body (the fake notifier's, for tests and the demo).
        """

    @abc.abstractmethod
    def latest(self, to: Optional[str] = None, limit: int = 20) -> list[SentNotification]:
        """The newest recorded notifications first (optionally to one recipient).

        Args:
            to: only notifications to this recipient (an address or number); None for all.
            limit: the most rows returned.

        Returns:
            :class:`SentNotification` list, newest first.
        """


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
        """The channel the conversation belongs to, or ``None`` if it has not started.

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            The channel name (``web``, ``wechat``, ``ivr``, ``rest``), or None.
        """

    @abc.abstractmethod
    def claim(self, conversation_id: str, channel: str) -> str:
        """Record ``channel`` as the owner unless the conversation has one; return the owner.

        Insert-if-absent: of two channels claiming one new conversation at
        once, exactly one wins and both get its name back. Flushes; the
        caller commits.

        Args:
            conversation_id: the Rasa sender id.
            channel: the channel claiming it (packet name).

        Returns:
            The owner's channel name (``channel`` when it won).

        Raises:
            ValueError: ``channel`` is not web, wechat, ivr or rest.
        """


class QueueQueries(Protocol):
    """``uow.queue``: Read-only queries of the agent desk over ``tickets`` (the session comes from a unit
    of work). The real one: ``bot.queue.queue_queries.SqlAlchemyQueueQueries``.
    """

    @abc.abstractmethod
    def queue(self, query: QueueQuery, now: datetime) -> Page:
        """One page of the queue (see ``QueueQuery``). Raises BadQuery for a bad cursor.

        Args:
            query: what the agent asked for: view (waiting, mine, open), filters, sort, cursor, page size.
            now: the current time (aware UTC), for waits and SLA.

        Returns:
            A :class:`Page` of queue items with ``total`` and ``next_cursor``.
        """

    @abc.abstractmethod
    def search(self, q: str, now: datetime, limit: int = 20, offset: int = 0) -> Page:
        """Tickets in any state matching ``q`` (see ``_term``), newest first; a text search's
        ``total`` counts up to ``COUNT_CAP`` when the text index finds few matches, otherwise the
        matches up to this page plus one when more follow (``extra["total_capped"]`` then true).

        Args:
            q: the search text (order number, e-mail, phone, ticket id or words).
            now: the current time (aware UTC), for waits and SLA.
            limit: the page size (at most ``SEARCH_LIMIT``, 20, by default).
            offset: how many matches to skip (the previous page's ``next_offset``).

        Returns:
            A :class:`Page` with ``next_offset`` (None on the last page) and ``extra["total_capped"]``.
        """

    @abc.abstractmethod
    def metrics(self, now: datetime, since: Optional[datetime] = None,
            conversations_total: Optional[int] = None, exact: bool = False) -> dict[str, Any]:
        """The supervisor's figures: ``since`` (default 24 h before ``now``) to ``now``. Every key and
        how it is counted: ``SqlAlchemyQueueQueries.metrics`` (bot/queue/queue_queries.py).

        Args:
            now: the end of the period and the time "right now" figures are taken at (aware UTC).
            since: the start of the period (aware UTC); None means 24 hours before ``now``.
            conversations_total: conversations started in the period, when the caller knows it better than
                ``conversation_channels``; None counts them.
            exact: count from the rows rather than the ``ticket_stats`` counters (tests compare the two).

        Returns:
            A dict of the figures named above (counts, rates 0-1, durations in seconds, ``agents`` a list of
            per-agent dicts).
        """


class NoteRepository(Protocol):
    """``uow.notes``: Internal notes of tickets (``ticket_notes``). The real one:
    ``bot.queue.desk_store.SqlAlchemyNoteRepository``.
    """

    @abc.abstractmethod
    def add(self, ticket_id: str, author: str, text: str) -> Note:
        """Store a note on an existing ticket.

        Args:
            ticket_id: the ticket the note is on.
            author: the agent's user name.
            text: the note as typed (agents only; never shown to the customer).

        Returns:
            The stored :class:`Note` with its id and creation time (aware UTC).

        Raises:
            TicketNotFound: no ticket has this id.
        """

    @abc.abstractmethod
    def for_ticket(self, ticket_id: str) -> list[Note]:
        """The ticket's notes, oldest first.

        Args:
            ticket_id: the ticket's id (an unknown id has no notes).

        Returns:
            The :class:`Note` list, oldest first.
        """

    @abc.abstractmethod
    def history(self, ticket_id: str) -> list[dict]:
        """The ticket's events other than messages (created, claimed, transferred, closed, …), oldest
        first: ``[{kind, by, at, ...data}]``.

        Args:
            ticket_id: the ticket's id (an unknown id has no history).

        Returns:
            A list of dicts: the event's data plus ``kind``, ``by`` (author) and ``at`` (ISO-8601, UTC).
        """


class TransferRepository(Protocol):
    """``uow.transfers``: Moving a ticket to another agent or back to a skill queue (DESIGN.md §4
    transitions). The real one: ``bot.queue.desk_store.SqlAlchemyTransferRepository``.
    """

    @abc.abstractmethod
    def locked(self, ticket_id: str) -> Ticket:
        """The ticket, its row locked for this transaction (PostgreSQL ``FOR UPDATE``; the moves
        below are conditional updates besides, so SQLite is safe too).

        Args:
            ticket_id: the ticket to transfer.

        Returns:
            The :class:`Ticket` as read under the lock.

        Raises:
            TicketNotFound, TicketClosed (closed or abandoned: nothing to transfer).
        """

    @abc.abstractmethod
    def enabled_agent(self, username: str) -> Optional[tuple[str, list]]:
        """``(display_name, skills)`` of an enabled agent, or None (unknown or disabled).

        Args:
            username: the agent a ticket would go to.

        Returns:
            ``(display_name, skills)``, or None for an unknown or disabled agent.
        """

    @abc.abstractmethod
    def served_skills(self) -> set[str]:
        """Every skill at least one enabled agent has: the skill queues someone works."""

    @abc.abstractmethod
    def to_agent(self, ticket: Ticket, by: str, target: str) -> Ticket:
        """Hand ``ticket`` (as read in this unit) to ``target``: ``with_agent`` held by them (from
        queued, callback or with_agent).

        Args:
            ticket: the ticket as read by :meth:`locked` in this unit of work.
            by: the user name of the agent or supervisor transferring it.
            target: the user name of the agent who gets it (checked by the caller with :meth:`enabled_agent`).

        Returns:
            The ticket after the move (``with_agent``, ``assigned_to`` the target).

        Raises:
            IllegalTransition: the ticket's state cannot become ``with_agent``.
            ClaimConflict: the ticket changed since it was read (claimed, transferred, closed).
        """

    @abc.abstractmethod
    def to_skill(self, ticket: Ticket, by: str, skills: list) -> Ticket:
        """Put ``ticket`` back in the queue for ``skills`` (unassigned). A ticket with an agent
        becomes ``queued`` (its wait counted from creation again); a waiting one (queued, callback)
        keeps its state, only its skills change.

        Args:
            ticket: the ticket as read by :meth:`locked` in this unit of work.
            by: the user name of the agent or supervisor transferring it.
            skills: the ticket's new skills, the target skill last (at least one).

        Returns:
            The ticket after the move (unassigned; ``queued`` unless it was waiting already).

        Raises:
            IllegalTransition: the ticket's state cannot become ``queued``.
            ClaimConflict: the ticket changed since it was read.
        """


class CannedReplyRepository(Protocol):
    """``uow.canned``: Canned replies per language (``canned_replies``). The real one:
    ``bot.queue.desk_store.SqlAlchemyCannedReplyRepository``.
    """

    @abc.abstractmethod
    def for_language(self, language: Optional[str]) -> list[CannedReply]:
        """The replies of ``language`` (every language when None), by language then title.

        Args:
            language: ``en`` / ``zh``, or None for every language.

        Returns:
            The :class:`CannedReply` list, ordered by language then title.
        """

    @abc.abstractmethod
    def get(self, reply_id: int) -> Optional[CannedReply]:
        """The reply with this id, or None.

        Args:
            reply_id: the reply's id.

        Returns:
            The :class:`CannedReply`, or None.
        """

    @abc.abstractmethod
    def titled(self, language: str, title: str) -> Optional[CannedReply]:
        """The reply of ``language`` with this title, or None.

        Args:
            language: ``en`` / ``zh``.
            title: the exact title.

        Returns:
            The :class:`CannedReply`, or None (titles are unique per language).
        """

    @abc.abstractmethod
    def save(self, reply_id: Optional[int], language: str, title: str, text: str, by: str) -> Optional[CannedReply]:
        """Create (``reply_id`` None) or replace a reply; None if ``reply_id`` names no reply.

        Args:
            reply_id: the reply to replace, or None to create one.
            language: ``en`` / ``zh``.
            title: the title agents pick it by.
            text: the reply's text.
            by: the supervisor's user name, recorded as ``updated_by``.

        Returns:
            The saved :class:`CannedReply`, or None when ``reply_id`` names no reply.
        """

    @abc.abstractmethod
    def delete(self, reply_id: int) -> bool:
        """Delete a reply; False if there was none.

        Args:
            reply_id: the reply's id.

        Returns:
            True if a reply was deleted, False if there was none.
        """


class WaitRepository(Protocol):
    """``uow.waits``: Wait steps, left messages and abandonment on the unit of work's session. The real
    one: ``bot.queue.waits.SqlAlchemyWaitRepository``.
    """

    @abc.abstractmethod
    def step(self, ticket_id: str) -> Optional[str]:
        """The ticket's current wait step (``offered``, ``callback_number``, ``message``), or None.

        Args:
            ticket_id: the ticket.

        Returns:
            ``offered``, ``callback_number`` or ``message``, or None when nothing is pending.
        """

    @abc.abstractmethod
    def set_step(self, ticket_id: str, step: Optional[str], data: Optional[dict] = None) -> None:
        """Record the next step (None: the customer answered, nothing is pending).

        Args:
            ticket_id: the ticket.
            step: ``offered``, ``callback_number``, ``message``, or None (answered).
            data: what the step needs later (e.g. the offered wait, the contact typed so far), or None.
        """

    @abc.abstractmethod
    def step_data(self, ticket_id: str) -> dict:
        """The ``data`` recorded with the ticket's current wait step (``{}`` when none).

        Args:
            ticket_id: the ticket.

        Returns:
            The step's data dict without ``step`` (a copy).
        """

    @abc.abstractmethod
    def left_message(self, ticket_id: str) -> Optional[dict]:
        """``{"reply_to", "to", "verified"}`` of the message the customer left on the ticket, or None.

        Args:
            ticket_id: the ticket.

        Returns:
            ``{"reply_to": "email"|"sms"|"channel", "to": address or number or None, "verified": bool}``, or
            None.
        """

    @abc.abstractmethod
    def record_left_message(self, ticket_id: str, reply_to: str, to: Optional[str], verified: bool = True) -> None:
        """The customer left a message: answer by ``reply_to`` (email|sms|channel) to ``to``;
        ``verified``: ``to`` is a proven contact of the customer (not only typed).

        Args:
            ticket_id: the ticket.
            reply_to: ``email``, ``sms`` or ``channel`` (answer on the same channel).
            to: the e-mail address or phone number, None for ``channel``.
            verified: True when ``to`` is a proven contact of the customer, False when only typed.
        """

    @abc.abstractmethod
    def touch(self, ticket_id: str, at: datetime) -> None:
        """The customer wrote on the ticket at ``at`` (UTC): the silence starts again.

        Args:
            ticket_id: the ticket.
            at: when the customer wrote (aware UTC).
        """

    @abc.abstractmethod
    def abandon_silent(self, channel: str, cutoff: datetime, now: datetime) -> List[str]:
        """Mark queued tickets of ``channel`` (packet name) whose customer has been silent since
        before ``cutoff`` as ``abandoned`` (closed at ``now``); returns the ids this call marked.

        Each ticket is marked by one conditional UPDATE that re-checks state and silence, so a
        ticket another sweep marked meanwhile, or whose customer just wrote, is left alone.

        Args:
            channel: the packet name of the channel swept (``web``).
            cutoff: customers silent since before this instant (aware UTC) have gone.
            now: the time recorded as ``closed_at`` (aware UTC); the wait runs to it.

        Returns:
            The ids of the tickets this call marked ``abandoned``.
        """

    @abc.abstractmethod
    def abandon_if_queued(self, conversation_id: str, now: datetime, why: str) -> Optional[str]:
        """Mark the conversation's queued ticket ``abandoned`` (the caller hung up); its id, or None
        if it has none queued (claimed, call-back, closed: left as it is).

        Args:
            conversation_id: the Rasa sender id (``ivr-<call id>`` on the phone).
            now: the time recorded as ``closed_at`` (aware UTC).
            why: recorded on the ``abandoned`` event (``hung up``).

        Returns:
            The marked ticket's id, or None.
        """


class AttachmentRepository(Protocol):
    """``uow.attachments``: The ``attachments`` table (migration 0007). The real one:
    ``bot.channels.attachments.SqlAlchemyAttachmentRepository``.
    """

    @abc.abstractmethod
    def add(self, image: CheckedImage, conversation_id: str, channel: str, uploader: str,
            uploaded_by: Optional[str] = None, ticket_id: Optional[str] = None) -> Attachment:
        """Store a checked picture under a new random id; returns it.

        Args:
            image: the picture as checked by the content check (bytes, type, size, preview).
            conversation_id: the conversation it was sent in.
            channel: the packet name of that conversation's channel.
            uploader: ``customer`` or ``agent``.
            uploaded_by: the agent's user name for an agent's photo, else None.
            ticket_id: the ticket it is filed on, or None (a customer's photo is filed when sent to a person).

        Returns:
            The stored :class:`Attachment` with its new id.

        Raises:
            ValueError: ``uploader`` is not ``customer`` or ``agent``.
        """

    @abc.abstractmethod
    def get(self, attachment_id: str) -> Optional[Attachment]:
        """The attachment with its bytes, or None (also for a malformed id).

        Args:
            attachment_id: the picture's id (any string).

        Returns:
            The :class:`Attachment`, or None.
        """

    @abc.abstractmethod
    def usage(self, conversation_id: str, uploader: str, since: datetime) -> Tuple[int, int, Optional[datetime]]:
        """``(count, bytes, oldest)`` of the photos ``uploader`` sent in ``conversation_id`` from
        ``since`` (UTC) on; ``oldest`` the first one's time (None when there are none). One aggregate
        over the conversation's index.

        Args:
            conversation_id: the conversation.
            uploader: ``customer`` or ``agent``.
            since: the start of the window (aware UTC).

        Returns:
            ``(count, total bytes, oldest time or None)``.
        """

    @abc.abstractmethod
    def delete_unfiled(self, before: datetime, limit: int = 500) -> int:
        """Delete up to ``limit`` customer photos uploaded before ``before`` (UTC) and filed on no
        ticket (uploaded but never sent to a person); returns how many. Uses the ``created_at`` index.

        Args:
            before: photos uploaded before this instant (aware UTC) are deleted.
            limit: the most deleted in one call.

        Returns:
            How many were deleted.
        """

    @abc.abstractmethod
    def link_ticket(self, attachment_id: str, ticket_id: str) -> None:
        """Record the ticket a customer's photo was filed on (first ticket wins).

        Args:
            attachment_id: the picture's id.
            ticket_id: the ticket it was filed on.
        """

