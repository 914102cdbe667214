"""Agent accounts: who holds a token, logging in and out, managing agents (audited)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from bot.queue.agents import Agent, AgentRefused
from bot.storage.uow import AbstractUnitOfWork

#: The shortest password an agent account may have (the desk and the CLI refuse shorter ones).
MIN_PASSWORD_CHARS = 8


class CannotDisableSelf(AgentRefused):
    """A supervisor tried to disable their own account (they would lock themselves out)."""

    def __init__(self) -> None:
        super().__init__("you cannot disable yourself")


def check_password(password: str) -> None:
    """Check a new agent password against the rules.

    Args:
        password: the password, in clear (hashed before it is stored).

    Returns:
        None: the password is acceptable.

    Raises:
        AgentRefused: ``password`` is shorter than :data:`MIN_PASSWORD_CHARS` characters.
    """
    if len(password) < MIN_PASSWORD_CHARS:
        raise AgentRefused(f"password needs at least {MIN_PASSWORD_CHARS} characters")


def agent_for_token(uow: AbstractUnitOfWork, token: str) -> Optional[Agent]:
    """The agent holding a valid bearer ``token`` (and marks them online), or None.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        token: the agent's bearer token.

    Returns:
            The agent (``bot.queue.agents.Agent``), or None for an unknown, expired or revoked token or a
            disabled agent.
    """
    with uow:
        agent = uow.agents.agent_for_token(token)
        uow.commit()  # last_seen_at: the agent is online
        return agent


def log_in(uow: AbstractUnitOfWork, username: str, password: str, address: str) -> Optional[tuple[str, Agent]]:
    """A new token and the agent for right credentials, else None; both outcomes audited with ``address``.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        username: the user name typed.
        password: the password, in clear (hashed before it is stored).
        address: the client's IP address (audited).

    Returns:
        ``(token, agent)`` for right credentials of an enabled agent, else None.
    """
    with uow:
        agent = uow.agents.authenticate(username, password)
        if agent is None:
            uow.tickets.audit(username[:64], "login_failed", None, {"address": address})
            uow.commit()
            return None
        token = uow.agents.issue_token(agent.username)
        uow.tickets.audit(agent.username, "login", None, {"address": address})
        uow.commit()
        return token, agent


def log_out(uow: AbstractUnitOfWork, token: str, username: str) -> None:
    """Revoke ``token`` (audited).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        token: the agent's bearer token.
        username: the user name the token belongs to (audited).

    Returns:
        None.
    """
    with uow:
        uow.agents.revoke_token(token)
        uow.tickets.audit(username, "logout", None)
        uow.commit()


def everyone(uow: AbstractUnitOfWork, now: datetime) -> list:
    """Every agent as the desk shows them (online state as of ``now``).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        now: the current moment, a UTC-aware datetime.

    Returns:
        Every agent as a dict (``Agent.as_dict()`` with ``online``), by user name.
    """
    with uow:
        return uow.agents.all(now)


def save_agent(uow: AbstractUnitOfWork, username: str, password: str, display_name: str, role: str,
               skills: Optional[list], active: Optional[bool], by: str) -> tuple[dict, bool]:
    """Create or update an agent (audited as ``by``); returns (the desk's view, created).

    The view is ``Agent.as_dict()`` plus ``updated`` (not created) and ``sessions_ended``.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        username: the account's user name.
            password: the new password in clear (hashed before it is stored; empty: unchanged for an existing
            agent).
        display_name: the name customers and the desk see.
        role: ``agent`` or ``supervisor``.
        skills: the agent's skills (None: unchanged, or none for a new agent).
        active: enable (True) or disable (False) the account (None: unchanged).
        by: the user name of the agent or supervisor doing it (audited).

    Returns:
        ``(view, created)``: the desk's view of the agent, True when the account is new.

    Raises:
        AgentRefused: a password under :data:`MIN_PASSWORD_CHARS` characters, a role not in
            ``bot.queue.agents.ROLES``, a bad user name; CannotDisableSelf: ``active`` False for ``by``.
    """
    check_password(password)
    if active is False and username == by:
        raise CannotDisableSelf()
    with uow:
        saved = uow.agents.save(username, password, display_name, role, skills, active, by)
        uow.tickets.audit(by, "create_agent" if saved.created else "update_agent", username,
                          {"role": role, "active": saved.agent.active, "sessions_ended": saved.sessions_ended})
        uow.commit()
        return ({**saved.agent.as_dict(), "updated": not saved.created, "sessions_ended": saved.sessions_ended},
                saved.created)


def set_active(uow: AbstractUnitOfWork, username: str, active: bool, by: str) -> Optional[dict]:
    """Enable or disable an agent (disabling ends their sessions; audited as ``by``); None if unknown.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        username: the account to enable or disable.
        active: enable (True) or disable (False).
        by: the user name of the agent or supervisor doing it (audited).

    Returns:
        The agent's view (as :func:`save_agent`'s), or None if there is no such agent.

    Raises:
        CannotDisableSelf: ``by`` tried to disable themselves.
    """
    if not active and username == by:
        raise CannotDisableSelf()
    with uow:
        ended = uow.agents.set_active(username, active, by)
        if ended is None:
            return None
        uow.tickets.audit(by, "enable_agent" if active else "disable_agent", username, {"sessions_ended": ended})
        uow.commit()
        return {"username": username, "active": active, "sessions_ended": ended}
