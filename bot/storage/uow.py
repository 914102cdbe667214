"""Unit of work: one session, one transaction, explicit commit.

:class:`AbstractUnitOfWork` is what the services (``bot.services``) take;
:class:`SqlAlchemyUnitOfWork` is the real one, ``bot.storage.fakes.FakeUnitOfWork``
an in-memory one for tests. Used as a context manager: leaving it without
:meth:`commit` rolls everything back. It offers only what ``bot/`` calls: the repositories,
commit and rollback (tests reach rows through ``tests/rows.py``).
"""
from __future__ import annotations

import abc
from functools import lru_cache
from typing import Any, Optional

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.db import make_engine
from bot.storage.repositories import (AgentRepository, AttachmentRepository, CannedReplyRepository, ConversationRepository,
                                      CustomerRepository, EscalationReasonRepository, NoteRepository,
                                      NotificationRepository, OrderCodeRepository, OrderRepository, OutboxRepository,
                                      ProgressRepository, QueueQueries, TicketRepository, TransferRepository,
                                      WaitRepository, WebchatRepository)
from bot.queue.agents import SqlAlchemyAgentRepository
from bot.channels.conversations import SqlAlchemyConversationRepository
from bot.customers.repository import SqlAlchemyCustomerRepository
from bot.queue.delivery import SqlAlchemyOutboxRepository
from bot.queue.desk_store import SqlAlchemyCannedReplyRepository, SqlAlchemyNoteRepository, SqlAlchemyTransferRepository
from bot.handover.reasons import SqlAlchemyEscalationReasonRepository
from bot.queue.notifier import SqlAlchemyNotificationRepository
from bot.orders.repository import SqlAlchemyOrderRepository
from bot.customers.otp import SqlAlchemyOrderCodeRepository
from bot.queue.queue_queries import SqlAlchemyQueueQueries
from bot.settings import get_settings
from bot.queue.tickets import SqlAlchemyTicketRepository
from bot.handover.troubleshooting import SqlAlchemyProgressRepository
from bot.queue.waits import SqlAlchemyWaitRepository
from bot.channels.webchat import SqlAlchemyWebchatRepository
from bot.channels.attachments import SqlAlchemyAttachmentRepository


@lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    """One engine per URL per process, built on first use (never at import).

    Args:
        url: the database URL.

    Returns:
        The process's :class:`~sqlalchemy.engine.Engine` for ``url`` (the same object on every call).

    Raises:
        bot.storage.schema.SchemaNotCurrent: the database is not migrated to this code's
            revision (``make migrate``); nothing here creates tables.
    """
    from bot.storage.schema import check

    engine = make_engine(url)
    check(engine)
    return engine


class AbstractUnitOfWork(abc.ABC):
    """One transaction over the repositories (cosmicpython's unit of work).

    The repositories are the attributes declared below, set on ``__enter__``
    (:class:`SqlAlchemyUnitOfWork` names each one's real class), each typed by its contract in
    ``bot.storage.repositories`` (a Protocol the SQL class and the fake both subclass); every unit
    of work provides all of them (``bot.storage.fakes.FakeUnitOfWork`` too). The contract test
    (tests/unit/test_repository_contracts.py) checks signatures and runs the same behaviour on both.
    """

    tickets: TicketRepository               # bot.queue.tickets: tickets and their events
    agents: AgentRepository                 # bot.queue.agents: agents and their tokens
    outbox: OutboxRepository                # bot.queue.delivery: messages waiting for delivery
    customers: CustomerRepository           # bot.customers.repository: customers and their identities
    reasons: EscalationReasonRepository     # bot.handover.reasons: why conversations were handed over
    orders: OrderRepository                 # bot.orders.model: the shop's orders
    codes: OrderCodeRepository              # bot.customers.otp: one-time codes proving an order's contact
    progress: ProgressRepository            # bot.handover.troubleshooting: troubleshooting steps done
    webchat: WebchatRepository              # bot.channels.webchat: web chat sessions
    notifications: NotificationRepository   # bot.queue.notifier: e-mails and text messages sent
    conversations: ConversationRepository   # bot.channels.conversations: each conversation's channel
    queue: QueueQueries                     # bot.queue.queue_queries: the desk's queue, search and metrics (read only)
    notes: NoteRepository                   # bot.queue.desk_store: agents' notes on tickets
    transfers: TransferRepository           # bot.queue.desk_store: ticket transfers
    canned: CannedReplyRepository           # bot.queue.desk_store: canned replies
    waits: WaitRepository                   # bot.queue.waits: long waits, offers, left messages, abandonment
    attachments: AttachmentRepository       # bot.channels.attachments: photos customers and agents sent (issue 14)

    def __enter__(self) -> "AbstractUnitOfWork":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.rollback()  # a no-op after commit; undoes anything uncommitted

    @abc.abstractmethod
    def commit(self) -> None:
        """Make everything done in this unit permanent."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undo everything done in this unit since the last commit."""


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    """The unit of work on the configured database (``DATABASE_URL``) or on ``engine``."""

    orders: SqlAlchemyOrderRepository
    progress: SqlAlchemyProgressRepository
    reasons: SqlAlchemyEscalationReasonRepository
    tickets: SqlAlchemyTicketRepository
    agents: SqlAlchemyAgentRepository
    outbox: SqlAlchemyOutboxRepository
    customers: SqlAlchemyCustomerRepository
    webchat: SqlAlchemyWebchatRepository
    codes: SqlAlchemyOrderCodeRepository
    notifications: SqlAlchemyNotificationRepository
    conversations: SqlAlchemyConversationRepository
    queue: SqlAlchemyQueueQueries
    notes: SqlAlchemyNoteRepository         # agent desk (issue 14): notes, transfers, canned replies
    transfers: SqlAlchemyTransferRepository
    canned: SqlAlchemyCannedReplyRepository
    waits: SqlAlchemyWaitRepository
    attachments: SqlAlchemyAttachmentRepository

    def __init__(self, engine: Optional[Engine] = None) -> None:
        self._engine = engine
        self._session: Optional[Session] = None

    def __enter__(self) -> "SqlAlchemyUnitOfWork":
        engine = self._engine or engine_for(get_settings().database_url)
        self._session = sessionmaker(bind=engine, future=True, expire_on_commit=False)()
        self.orders = SqlAlchemyOrderRepository(self._session)
        self.progress = SqlAlchemyProgressRepository(self._session)
        self.reasons = SqlAlchemyEscalationReasonRepository(self._session)
        self.tickets = SqlAlchemyTicketRepository(self._session)
        self.agents = SqlAlchemyAgentRepository(self._session)
        self.outbox = SqlAlchemyOutboxRepository(self._session)
        self.customers = SqlAlchemyCustomerRepository(self._session)
        self.webchat = SqlAlchemyWebchatRepository(self._session)
        self.codes = SqlAlchemyOrderCodeRepository(self._session)
        self.notifications = SqlAlchemyNotificationRepository(self._session)
        self.conversations = SqlAlchemyConversationRepository(self._session)
        self.queue = SqlAlchemyQueueQueries(self._session)
        self.notes = SqlAlchemyNoteRepository(self._session)
        self.transfers = SqlAlchemyTransferRepository(self._session)
        self.canned = SqlAlchemyCannedReplyRepository(self._session)
        self.waits = SqlAlchemyWaitRepository(self._session)  # issue 14: long waits, abandonment
        self.attachments = SqlAlchemyAttachmentRepository(self._session)  # issue 14: photos
        return self

    def __exit__(self, *exc) -> None:
        assert self._session is not None
        self._session.rollback()  # no-op after commit; undoes anything uncommitted
        self._session.close()

    def commit(self) -> None:
        """Make everything done in this unit permanent."""
        assert self._session is not None
        self._session.commit()

    def rollback(self) -> None:
        """Undo everything done in this unit since the last commit."""
        assert self._session is not None
        self._session.rollback()
