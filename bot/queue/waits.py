"""Where a waiting customer stands beyond the ticket's state (issue 14), in SQL.

- The long-wait offer and its follow-up questions are ticket events of kind
  ``wait_step`` (``data.step``: ``offered`` | ``callback_number`` |
  ``message`` | None once answered); the latest one is the current step.
- A message left for later records a ``left_message`` event (``data``:
  ``reply_to`` email | sms | channel, ``to`` the address or number).
- ``tickets.last_customer_activity_at`` is the customer's last message on
  the ticket; :meth:`SqlAlchemyWaitRepository.abandon_silent` marks queued
  tickets of a channel silent since a cutoff as ``abandoned``, each with one
  conditional UPDATE (``... WHERE state = 'queued' AND
  last_customer_activity_at < :cutoff``), so of two servers sweeping at once
  exactly one marks a ticket, and exactly one ``abandoned`` event is written.
"""
from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.db import TicketEventRow, TicketRow, as_utc
from bot.domain import TicketEvent, TicketState
from bot.storage.repositories import WaitRepository

STEP_EVENT = TicketEvent.WAIT_STEP.value
LEFT_MESSAGE_EVENT = TicketEvent.LEFT_MESSAGE.value
QUEUED = TicketState.QUEUED.value


class SqlAlchemyWaitRepository(WaitRepository):
    """Wait steps, left messages and abandonment on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _latest(self, ticket_id: str, kind: str) -> Optional[TicketEventRow]:
        return self.session.execute(
            select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == kind)
            .order_by(TicketEventRow.id.desc()).limit(1)
        ).scalars().first()

    def step(self, ticket_id: str) -> Optional[str]:
        """The ticket's current wait step (``offered``, ``callback_number``, ``message``), or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._latest(ticket_id, STEP_EVENT)
        return (row.data or {}).get("step") if row is not None else None

    def set_step(self, ticket_id: str, step: Optional[str], data: Optional[dict] = None) -> None:
        """Record the next step (None: the customer answered, nothing is pending).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.add(TicketEventRow(ticket_id=ticket_id, kind=STEP_EVENT, author="system",
                                        data={"step": step, **(data or {})}))
        self.session.flush()

    def step_data(self, ticket_id: str) -> dict:
        """The ``data`` recorded with the ticket's current wait step (``{}`` when none).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._latest(ticket_id, STEP_EVENT)
        return {k: v for k, v in (row.data or {}).items() if k != "step"} if row is not None else {}

    def left_message(self, ticket_id: str) -> Optional[dict]:
        """``{"reply_to", "to", "verified"}`` of the message the customer left on the ticket, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._latest(ticket_id, LEFT_MESSAGE_EVENT)
        return dict(row.data or {}) if row is not None else None

    def record_left_message(self, ticket_id: str, reply_to: str, to: Optional[str], verified: bool = True) -> None:
        """The customer left a message: answer by ``reply_to`` (email|sms|channel) to ``to``;
        ``verified``: ``to`` is a proven contact of the customer (not only typed).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.add(TicketEventRow(ticket_id=ticket_id, kind=LEFT_MESSAGE_EVENT, author="customer",
                                        data={"reply_to": reply_to, "to": to, "verified": verified}))
        self.session.flush()

    def touch(self, ticket_id: str, at: datetime) -> None:
        """The customer wrote on the ticket at ``at`` (UTC): the silence starts again.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.execute(update(TicketRow).where(TicketRow.id == ticket_id)
                             .values(last_customer_activity_at=at).execution_options(synchronize_session=False))

    def abandon_silent(self, channel: str, cutoff: datetime, now: datetime) -> List[str]:
        """Mark queued tickets of ``channel`` (packet name) whose customer has been silent since
        before ``cutoff`` as ``abandoned`` (closed at ``now``); returns the ids this call marked.

        Each ticket is marked by one conditional UPDATE that re-checks state and silence, so a
        ticket another sweep marked meanwhile, or whose customer just wrote, is left alone.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        due = self.session.execute(
            select(TicketRow.id, TicketRow.created_at).where(
                TicketRow.state == QUEUED, TicketRow.channel == channel,
                TicketRow.last_customer_activity_at < cutoff)
        ).all()
        marked: List[str] = []
        for ticket_id, created_at in due:
            result = self.session.execute(
                update(TicketRow)
                .where(TicketRow.id == ticket_id, TicketRow.state == QUEUED,
                       TicketRow.last_customer_activity_at < cutoff)
                .values(state=TicketState.ABANDONED.value, closed_at=now,
                        wait_s=max(0, int((now - as_utc(created_at)).total_seconds())))
                .execution_options(synchronize_session=False))
            if result.rowcount == 1:
                self.session.add(TicketEventRow(ticket_id=ticket_id, kind=TicketEvent.ABANDONED.value,
                                                author="system", data={"why": "silence", "channel": channel}))
                marked.append(ticket_id)
        self.session.flush()
        return marked

    def abandon_if_queued(self, conversation_id: str, now: datetime, why: str) -> Optional[str]:
        """Mark the conversation's queued ticket ``abandoned`` (the caller hung up); its id, or None
        if it has none queued (claimed, call-back, closed: left as it is).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.execute(
            select(TicketRow.id, TicketRow.created_at)
            .where(TicketRow.conversation_id == conversation_id, TicketRow.state == QUEUED)
        ).first()
        if row is None:
            return None
        result = self.session.execute(
            update(TicketRow).where(TicketRow.id == row.id, TicketRow.state == QUEUED)
            .values(state=TicketState.ABANDONED.value, closed_at=now,
                    wait_s=max(0, int((now - as_utc(row.created_at)).total_seconds())))
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            return None
        self.session.add(TicketEventRow(ticket_id=row.id, kind=TicketEvent.ABANDONED.value, author="system",
                                        data={"why": why}))
        self.session.flush()
        return row.id


