"""Use cases of the agent desk's work tools (issue 14): notes, transfer, canned replies, the ticket view.

Every function takes a unit of work (not yet entered), opens it, commits
what it changed and returns plain values. Errors raised, each meant for the
client: ``bot.queue.tickets.TicketNotFound`` / ``TicketClosed``,
:class:`TransferRefused` (403), :class:`UnknownTarget` (400),
:class:`CannedReplyNotFound` (404), :class:`CannedTitleTaken` (409), and
``bot.domain.IllegalTransition`` (409) should a transfer ask for a move
DESIGN.md §4 does not allow.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy.exc import IntegrityError

from bot.domain import Channel, TicketState
from bot.queue.tickets import Ticket, TicketNotFound
from bot.services import attachments, tickets
from bot.storage.uow import AbstractUnitOfWork


class TransferRefused(PermissionError):
    """Only the agent holding a ticket (or a supervisor) may transfer it."""


class UnknownTarget(LookupError):
    """The transfer names no enabled agent, or a skill no enabled agent has."""


class CannedReplyNotFound(LookupError):
    """No canned reply has this id."""


class CannedTitleTaken(ValueError):
    """Another canned reply of the language already has this title."""


@dataclass(frozen=True)
class Transferred:
    """A transfer done: the ticket as it is now, and who or which queue got it.

    ``agent``/``agent_name``: the receiving agent (user name, display name),
    or None for a transfer to a skill queue; ``skill``: that queue, else None.
    """

    ticket: Ticket
    agent: Optional[str] = None
    agent_name: Optional[str] = None
    skill: Optional[str] = None


def add_note(uow: AbstractUnitOfWork, ticket_id: str, author: str, text: str) -> dict:
    """Store an internal note (any agent, any ticket state): never delivered to the customer.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        author: the user name of the agent writing it.
        text: the message text, as written.

    Returns:
        The note as ``{id, author, text, created_at}``.

    Raises:
        TicketNotFound.
    """
    with uow:
        note = uow.notes.add(ticket_id, author, text)
        uow.tickets.audit(author, "note", ticket_id)
        uow.commit()
        return note.as_dict()


def ticket_view(uow: AbstractUnitOfWork, ticket_id: str, now: datetime) -> Optional[dict]:
    """The desk's view of a ticket (DESIGN.md §7): queue fields, ``packet``, the live ``transcript``,
    its internal ``notes`` and its ``history`` (claims, transfers, …); None if unknown.

    Every transcript line names its channel by its packet name (``bot.domain.Channel``: ``web``,
    never Rasa's ``webchat`` or ``socketio``), so the desk shows one name before and after a claim.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        ticket_id: the ticket's id.
        now: the current moment, a UTC-aware datetime (for the waiting times).

    Returns:
        :func:`bot.services.tickets.ticket_view`'s dict plus ``notes`` and ``history``; None if
        there is no such ticket.
    """
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return None
        transcript = [{**line, "channel": Channel.from_input(line.get("channel") or ticket.channel).value}
                      if isinstance(line, dict) else line for line in uow.tickets.transcript(ticket)]
        transcript = attachments.enrich(uow, transcript)  # photos: {id, content_type, size, url} (issue 14)
        # a phone ticket that became a call-back, or whose caller hung up, is no live call any more; a typed reply
        # reaches a phone customer only through a message they left to be answered by text or e-mail
        # (bot.services.tickets.call_is_live, typed_reply_blocked)
        return {**ticket.queue_view(now), "live_call": tickets.call_is_live(uow, ticket),
                "typed_reply_blocked": tickets.typed_reply_blocked(uow, ticket),
                "skills": ticket.skills, "packet": ticket.packet,
                "transcript": transcript, "notes": [n.as_dict() for n in uow.notes.for_ticket(ticket_id)],
                "history": uow.notes.history(ticket_id)}


def transfer(uow: AbstractUnitOfWork, ticket_id: str, by: str, supervisor: bool,
             agent: Optional[str] = None, skill: Optional[str] = None) -> Transferred:
    """Hand a ticket to another agent (it stays ``with_agent``, held by them) or to a skill queue
    (it becomes ``queued``, unassigned, its skills the ticket's language plus ``skill``).

    Exactly one of ``agent`` and ``skill``. The packet travels with the ticket unchanged but for
    ``skills``; the history records a ``transferred`` event (``from``, ``to_agent``/``to_skill``).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ticket_id: the ticket's id.
        by: who transfers: the holder, or any ticket when ``supervisor``.
        supervisor: whether the one acting is a supervisor (may act on any ticket).
        agent: the user name of the agent to transfer to.
        skill: the skill queue to transfer to.

    Returns:
        ``Transferred``: the ticket after the transfer and where it went.

    Raises:
        TicketNotFound, TicketClosed; TransferRefused (not the holder, not a supervisor);
        UnknownTarget (no such enabled agent, a skill no enabled agent has, or the
        ticket's holder again); IllegalTransition; ClaimConflict (the ticket changed
        meanwhile: another transfer, claim or close won the race).
    """
    if (agent is None) == (skill is None):
        raise ValueError("transfer to an agent or to a skill, not both")
    with uow:
        ticket = uow.transfers.locked(ticket_id)
        holds = ticket.state == TicketState.WITH_AGENT and ticket.assigned_to == by
        if not holds and not supervisor:
            raise TransferRefused(f"ticket {ticket_id} is held by {ticket.assigned_to}: only they or a "
                                  "supervisor can transfer it" if ticket.assigned_to
                                  else "claim the ticket before transferring it")
        if agent is not None:
            found = uow.transfers.enabled_agent(agent)
            if found is None:
                raise UnknownTarget(f"no enabled agent {agent}")
            if ticket.state == TicketState.WITH_AGENT and ticket.assigned_to == agent:
                raise UnknownTarget(f"{agent} already holds ticket {ticket_id}")
            moved = uow.transfers.to_agent(ticket, by, agent)
            uow.commit()
            return Transferred(moved, agent=agent, agent_name=found[0])
        if skill not in uow.transfers.served_skills():
            raise UnknownTarget(f"no enabled agent has the skill {skill}")
        skills = [ticket.language] + ([skill] if skill != ticket.language else [])
        moved = uow.transfers.to_skill(ticket, by, skills)
        uow.commit()
        return Transferred(moved, skill=skill)


def transfer_targets(uow: AbstractUnitOfWork, now: datetime) -> dict:
    """Where a ticket can be transferred: ``{agents: [{username, display_name, skills, online}],
    skills: [..]}`` (enabled agents by user name; the skills at least one of them has, sorted).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        now: the current moment, a UTC-aware datetime.

    Returns:
        ``{agents: [{username, display_name, skills, online}], skills: [...]}``.
    """
    with uow:
        agents = [{k: a[k] for k in ("username", "display_name", "skills", "online")}
                  for a in uow.agents.all(now) if a["active"]]
        return {"agents": agents, "skills": sorted(uow.transfers.served_skills())}


def canned_replies(uow: AbstractUnitOfWork, language: Optional[str]) -> list[dict]:
    """The canned replies of ``language`` (all when None), by language then title, as dicts.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        language: ``en`` or ``zh``; None: every language.

    Returns:
        The replies as dicts (``{id, language, title, text}``).
    """
    with uow:
        return [r.as_dict() for r in uow.canned.for_language(language)]


def save_canned(uow: AbstractUnitOfWork, reply_id: Optional[int], language: str, title: str, text: str,
                by: str) -> tuple[dict, bool]:
    """Create (``reply_id`` None) or replace a canned reply (supervisors; the caller checks the role).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        reply_id: the canned reply's id (None: a new one).
        language: ``en`` or ``zh``.
        title: the canned reply's title (unique per language).
        text: the message text, as written.
        by: the user name of the agent or supervisor doing it (audited).

    Returns:
        ``(reply as dict, created)``.

    Raises:
        CannedReplyNotFound; CannedTitleTaken (another reply of ``language`` has ``title``).
    """
    with uow:
        same_title = uow.canned.titled(language, title)
        if same_title is not None and same_title.reply_id != reply_id:
            raise CannedTitleTaken(f"a {language} canned reply titled {title!r} exists (id {same_title.reply_id})")
        try:
            saved = uow.canned.save(reply_id, language, title, text, by)
            if saved is None:
                raise CannedReplyNotFound(f"no canned reply {reply_id}")
            uow.tickets.audit(by, "canned_save", str(saved.reply_id), {"language": language, "title": title})
            uow.commit()
        except IntegrityError:  # a parallel save took the title between the check and the insert
            raise CannedTitleTaken(f"a {language} canned reply titled {title!r} exists") from None
        return saved.as_dict(), reply_id is None


def delete_canned(uow: AbstractUnitOfWork, reply_id: int, by: str) -> None:
    """Delete a canned reply (supervisors).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        reply_id: the canned reply's id (None: a new one).
        by: the user name of the agent or supervisor doing it (audited).

    Returns:
        None.

    Raises:
        CannedReplyNotFound.
    """
    with uow:
        if not uow.canned.delete(reply_id):
            raise CannedReplyNotFound(f"no canned reply {reply_id}")
        uow.tickets.audit(by, "canned_delete", str(reply_id))
        uow.commit()


__all__ = ["TicketNotFound", "TransferRefused", "UnknownTarget", "CannedReplyNotFound", "CannedTitleTaken",
           "Transferred", "add_note", "ticket_view", "transfer", "transfer_targets", "canned_replies", "save_canned", "delete_canned"]
