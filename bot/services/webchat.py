"""Web chat sessions: open or resume one, where the conversation stands, what waits for the browser."""
from __future__ import annotations

from typing import Any, Callable, List, Optional

from bot.domain import TicketState
from bot.storage.uow import AbstractUnitOfWork
from bot.channels.webchat import people_messages


class TooManySessions(Exception):
    """The address opened too many sessions; ``wait_s``: seconds until it may open another."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"too many new sessions; wait {wait_s:.0f} s")
        self.wait_s = wait_s


def open_session(uow: AbstractUnitOfWork, requested: Any, origin: Optional[str], address: Optional[str] = None,
                 hit: Optional[Callable[[str], float]] = None) -> tuple[str, bool]:
    """The session id to use and whether it is resumed: the requested one if we issued it, else a new one.

    Args:
        hit: counts a new session against ``address`` and returns the seconds to wait (0: allowed).

    Raises:
        TooManySessions: ``address`` is over its limit of new sessions.
    """
    with uow:
        if uow.webchat.resume(requested):
            uow.commit()
            return requested, True
        if address is not None and hit is not None:
            wait = hit(address)
            if wait:
                raise TooManySessions(wait)
        session_id = uow.webchat.issue(origin)
        uow.commit()
        return session_id, False


def known_session(uow: AbstractUnitOfWork, session_id: Any) -> bool:
    """Whether we issued ``session_id`` (and it has not expired); touches it."""
    with uow:
        known = uow.webchat.resume(session_id)
        uow.commit()
        return known


def status_in(uow: AbstractUnitOfWork, session_id: str) -> dict:
    """Where the conversation is (inside an entered unit): ``{"state": "bot"}``, queued with
    ``position``, with an agent with the agent's display ``name``; plus ``ticket_id``."""
    ticket = uow.tickets.open_for_conversation(session_id)
    if ticket is None:
        return {"state": TicketState.BOT.value}
    if ticket.state == TicketState.QUEUED:
        return {"state": ticket.state, "position": uow.tickets.position(ticket), "ticket_id": ticket.ticket_id}
    if ticket.state == TicketState.WITH_AGENT:
        return {"state": ticket.state, "agent": uow.agents.display_name(ticket.assigned_to) or "",
                "ticket_id": ticket.ticket_id}
    return {"state": ticket.state, "ticket_id": ticket.ticket_id}


def status(uow: AbstractUnitOfWork, session_id: str) -> dict:
    """:func:`status_in` in its own unit of work."""
    with uow:
        return status_in(uow, session_id)


def pending_and_status(uow: AbstractUnitOfWork, session_id: str) -> tuple[List[dict], dict]:
    """What waits for the customer (now marked delivered) and the status, in one transaction."""
    with uow:
        pending = uow.outbox.take_pending(session_id)
        current = status_in(uow, session_id)
        uow.commit()
        return pending, current


def resume(uow: AbstractUnitOfWork, session_id: str) -> tuple[List[dict], dict]:
    """For a returning browser: what people wrote (waiting messages flagged new, then marked
    delivered: the history carries them) and the status, in one transaction."""
    with uow:
        people = people_messages(uow.outbox.all_for(session_id))
        uow.outbox.take_pending(session_id)
        current = status_in(uow, session_id)
        uow.commit()
        return people, current
