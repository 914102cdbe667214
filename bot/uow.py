"""Unit of work: one session, one transaction, explicit commit."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import create_schema, make_engine
from bot.agents import SqlAlchemyAgentRepository
from bot.conversations import SqlAlchemyConversationRepository
from bot.customers import SqlAlchemyCustomerRepository
from bot.delivery import SqlAlchemyOutboxRepository
from bot.escalation import SqlAlchemyEscalationReasonRepository
from bot.notifier import SqlAlchemyNotificationRepository
from bot.orders import SqlAlchemyOrderRepository
from bot.otp import SqlAlchemyOrderCodeRepository
from bot.queue_queries import SqlAlchemyQueueQueries
from bot.settings import get_settings
from bot.tickets import SqlAlchemyTicketRepository
from bot.troubleshooting import SqlAlchemyProgressRepository
from bot.webchat import SqlAlchemyWebchatRepository


@lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    """One engine per URL per process, built on first use (never at import)."""
    engine = make_engine(url)
    create_schema(engine)
    return engine


class SqlAlchemyUnitOfWork:
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
        return self

    def __exit__(self, *exc) -> None:
        assert self._session is not None
        self._session.rollback()  # no-op after commit; undoes anything uncommitted
        self._session.close()

    def commit(self) -> None:
        assert self._session is not None
        self._session.commit()

    def rollback(self) -> None:
        assert self._session is not None
        self._session.rollback()
