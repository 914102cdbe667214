"""SQL of the agent desk's work tools (issue 14): internal notes, transfers, canned replies.

Repositories on a unit of work's session (``uow.notes``, ``uow.transfers``,
``uow.canned``); the use cases and their rules are in ``bot.services.desk``.
Notes live in their own table (``ticket_notes``), never among the ticket's
``message`` events, so nothing that delivers or shows the customer's
conversation can pick one up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage.db import (AgentDisabledRow, AgentRow, AuditLogRow, CannedReplyRow, TicketEventRow, TicketNoteRow, TicketRow,
                    as_utc, utcnow)
from bot.domain import HISTORY_EVENTS, TicketEvent, TicketState
from bot.queue.tickets import ClaimConflict, Ticket, TicketClosed, TicketNotFound
from bot.storage.repositories import CannedReplyRepository, NoteRepository, TransferRepository


@dataclass(frozen=True)
class Note:
    """An internal note: ``author`` (agent user name), ``text``, ``created_at`` (UTC)."""

    note_id: int
    ticket_id: str
    author: str
    text: str
    created_at: datetime

    def as_dict(self) -> dict:
        """The note as the desk's JSON: ``{id, author, text, created_at}`` (ISO-8601)."""
        return {"id": self.note_id, "author": self.author, "text": self.text,
                "created_at": self.created_at.isoformat()}


@dataclass(frozen=True)
class CannedReply:
    """A canned reply: ``language`` (en | zh), a short ``title`` and the ``text`` inserted in the reply box."""

    reply_id: int
    language: str
    title: str
    text: str
    updated_by: Optional[str]
    updated_at: datetime

    def as_dict(self) -> dict:
        """``{id, language, title, text, updated_by, updated_at}`` (ISO-8601)."""
        return {"id": self.reply_id, "language": self.language, "title": self.title, "text": self.text,
                "updated_by": self.updated_by, "updated_at": self.updated_at.isoformat()}

    @classmethod
    def from_row(cls, row: CannedReplyRow) -> "CannedReply":
        """The canned reply of a stored row.

        Args:
            row: a ``canned_replies`` row.

        Returns:
            The :class:`CannedReply` (``updated_at`` aware UTC).
        """
        return cls(row.id, row.language, row.title, row.text, row.updated_by, as_utc(row.updated_at))


class SqlAlchemyNoteRepository(NoteRepository):
    """Internal notes of tickets (``ticket_notes``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, ticket_id: str, author: str, text: str) -> Note:
        """Store a note on an existing ticket.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if self.session.get(TicketRow, ticket_id) is None:
            raise TicketNotFound(ticket_id)
        row = TicketNoteRow(ticket_id=ticket_id, author=author, text=text, created_at=utcnow())
        self.session.add(row)
        self.session.flush()
        return Note(row.id, ticket_id, author, text, as_utc(row.created_at))

    def for_ticket(self, ticket_id: str) -> list[Note]:
        """The ticket's notes, oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        rows = self.session.execute(select(TicketNoteRow).where(TicketNoteRow.ticket_id == ticket_id)
                                    .order_by(TicketNoteRow.id)).scalars()
        return [Note(r.id, r.ticket_id, r.author, r.text, as_utc(r.created_at)) for r in rows]

    def history(self, ticket_id: str) -> list[dict]:
        """The ticket's events other than messages (created, claimed, transferred, closed, …), oldest
        first: ``[{kind, by, at, ...data}]``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        rows = self.session.execute(select(TicketEventRow).where(
            TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind.in_(HISTORY_EVENTS))
            .order_by(TicketEventRow.id)).scalars()
        return [{**(r.data or {}), "kind": r.kind, "by": r.author, "at": as_utc(r.at).isoformat()} for r in rows]


class SqlAlchemyTransferRepository(TransferRepository):
    """Moving a ticket to another agent or back to a skill queue (DESIGN.md §4 transitions)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def locked(self, ticket_id: str) -> Ticket:
        """The ticket, its row locked for this transaction (PostgreSQL ``FOR UPDATE``; the moves
        below are conditional updates besides, so SQLite is safe too).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(TicketRow, ticket_id, with_for_update=True, populate_existing=True)
        if row is None:
            raise TicketNotFound(ticket_id)
        if row.state in (TicketState.CLOSED, TicketState.ABANDONED):
            raise TicketClosed(ticket_id, f"ticket is {row.state}: it cannot be transferred")
        return Ticket.from_row(row)

    def enabled_agent(self, username: str) -> Optional[tuple[str, list]]:
        """``(display_name, skills)`` of an enabled agent, or None (unknown or disabled).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(AgentRow, username)
        if row is None or self.session.get(AgentDisabledRow, username) is not None:
            return None
        return row.display_name, list(row.skills or [])

    def served_skills(self) -> set[str]:
        """Every skill at least one enabled agent has: the skill queues someone works."""
        rows = self.session.execute(select(AgentRow.skills).where(
            AgentRow.username.not_in(select(AgentDisabledRow.username)))).scalars()
        return {skill for skills in rows for skill in (skills or []) if isinstance(skill, str)}

    def to_agent(self, ticket: Ticket, by: str, target: str) -> Ticket:
        """Hand ``ticket`` (as read in this unit) to ``target``: ``with_agent`` held by them (from
        queued, callback or with_agent).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        state = TicketState(ticket.state).to(TicketState.WITH_AGENT)
        return self._move(ticket, by, {"state": state.value, "assigned_to": target,
                                       "claimed_at": ticket.claimed_at or utcnow()},
                          {"from": ticket.assigned_to, "to_agent": target, "state": state.value})

    def to_skill(self, ticket: Ticket, by: str, skills: list) -> Ticket:
        """Put ``ticket`` back in the queue for ``skills`` (unassigned). A ticket with an agent
        becomes ``queued`` (its wait counted from creation again); a waiting one (queued, callback)
        keeps its state, only its skills change.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        values: dict = {"assigned_to": None, "skills": list(skills), "packet": {**ticket.packet, "skills": list(skills)}}
        if ticket.state == TicketState.WITH_AGENT:
            # The abandonment clock starts again: the customer was being served until now
            # (bot/queue/waits.py judges queued web tickets by their last activity).
            values.update(state=TicketState(ticket.state).to(TicketState.QUEUED).value, claimed_at=None,
                          last_customer_activity_at=utcnow())
        return self._move(ticket, by, values, {"from": ticket.assigned_to, "to_skill": skills[-1],
                                               "skills": list(skills), "state": values.get("state", ticket.state)})

    def _move(self, ticket: Ticket, by: str, values: dict, event: dict) -> Ticket:
        """A conditional UPDATE (the state and holder as read): of two moves racing, one wins."""
        holder = (TicketRow.assigned_to.is_(None) if ticket.assigned_to is None
                  else TicketRow.assigned_to == ticket.assigned_to)
        result = self.session.execute(
            update(TicketRow).where(TicketRow.id == ticket.ticket_id, TicketRow.state == ticket.state, holder)
            .values(**values).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise ClaimConflict(ticket.ticket_id, None, "the ticket changed meanwhile (claimed, transferred or "
                                                        "closed): reload it and try again")
        self.session.add(TicketEventRow(ticket_id=ticket.ticket_id, kind=TicketEvent.TRANSFERRED.value, author=by, data=event))
        self.session.add(AuditLogRow(actor=by, action="transfer", subject=ticket.ticket_id, detail=event))
        self.session.flush()
        return Ticket.from_row(self.session.get(TicketRow, ticket.ticket_id, populate_existing=True))


class SqlAlchemyCannedReplyRepository(CannedReplyRepository):
    """Canned replies per language (``canned_replies``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def for_language(self, language: Optional[str]) -> list[CannedReply]:
        """The replies of ``language`` (every language when None), by language then title.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(CannedReplyRow).order_by(CannedReplyRow.language, CannedReplyRow.title)
        if language:
            stmt = stmt.where(CannedReplyRow.language == language)
        return [CannedReply.from_row(r) for r in self.session.execute(stmt).scalars()]

    def get(self, reply_id: int) -> Optional[CannedReply]:
        """The reply with this id, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(CannedReplyRow, reply_id)
        return CannedReply.from_row(row) if row else None

    def titled(self, language: str, title: str) -> Optional[CannedReply]:
        """The reply of ``language`` with this title, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.execute(select(CannedReplyRow).where(
            CannedReplyRow.language == language, CannedReplyRow.title == title)).scalar_one_or_none()
        return CannedReply.from_row(row) if row else None

    def save(self, reply_id: Optional[int], language: str, title: str, text: str, by: str) -> Optional[CannedReply]:
        """Create (``reply_id`` None) or replace a reply; None if ``reply_id`` names no reply.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = CannedReplyRow() if reply_id is None else self.session.get(CannedReplyRow, reply_id)
        if row is None:
            return None
        row.language, row.title, row.text, row.updated_by, row.updated_at = language, title, text, by, utcnow()
        self.session.add(row)
        self.session.flush()
        return CannedReply.from_row(row)

    def delete(self, reply_id: int) -> bool:
        """Delete a reply; False if there was none.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        return bool(self.session.execute(delete(CannedReplyRow).where(CannedReplyRow.id == reply_id)).rowcount)
