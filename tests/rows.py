"""Row-level access to the database for tests (fixtures, inspecting stored rows).

Production code goes through the repositories of ``bot.storage.uow.SqlAlchemyUnitOfWork``; a
test that must write or read rows past them (an old row, a clock moved back, the events a
repository recorded) uses :class:`RowsUnitOfWork`, the same unit of work with these helpers
over its session (one transaction, rolled back unless committed).
"""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.engine import Connection

from bot.storage.uow import SqlAlchemyUnitOfWork


class RowsUnitOfWork(SqlAlchemyUnitOfWork):
    """:class:`bot.storage.uow.SqlAlchemyUnitOfWork` plus row-level access for tests."""

    def execute(self, statement: Any, params: Optional[dict] = None) -> Any:
        """Run a SQLAlchemy statement (with bound ``params``) in this unit's transaction; returns its ``Result``."""
        assert self._session is not None
        return self._session.execute(statement, params)

    def rows(self, row_class: Any, **equal: Any) -> list:
        """Every stored row of ``row_class`` whose columns equal ``equal``, in primary-key order."""
        assert self._session is not None
        query = self._session.query(row_class).filter_by(**equal)
        return list(query.order_by(*row_class.__table__.primary_key.columns))

    def get(self, row_class: Any, key: Any) -> Any:
        """The row of ``row_class`` with primary key ``key``, or None."""
        assert self._session is not None
        return self._session.get(row_class, key)

    def add(self, row: Any) -> None:
        """Store a row (written at the next flush or commit)."""
        assert self._session is not None
        self._session.add(row)

    def flush(self) -> None:
        """Write pending rows now (constraint errors surface here)."""
        assert self._session is not None
        self._session.flush()

    def connection(self) -> Connection:
        """The connection of this unit's transaction (for DDL-level helpers)."""
        assert self._session is not None
        return self._session.connection()


def clear_queue() -> None:
    """Close every ticket still waiting (``queued`` or ``callback``), so a test starts with an empty queue."""
    from sqlalchemy import update

    from bot.storage.db import TicketRow

    with RowsUnitOfWork() as uow:
        uow.execute(update(TicketRow).where(TicketRow.state.in_(("queued", "callback"))).values(state="closed"))
        uow.commit()


def tickets_of(sender: str) -> list:
    """The tickets of one conversation (``conversation_id`` = ``sender``), oldest first."""
    with RowsUnitOfWork() as uow:
        return uow.tickets.for_conversation(sender)
