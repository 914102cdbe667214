"""Agents of the desk: hashed passwords, expiring bearer tokens, roles.

Roles (DESIGN.md §7): ``agent`` works tickets it claimed; ``supervisor``
also sees metrics, manages agents and closes tickets other agents hold.

Saving an existing agent with another password or role ends every session
(token) of theirs; a disabled agent cannot log in and their tokens are
refused (``set_active``). User names match ``USERNAME_PATTERN``.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.storage.db import AgentDisabledRow, AgentRow, AgentTokenRow, as_utc, utcnow
from bot.storage.repositories import AgentRepository

TOKEN_TTL = timedelta(hours=8)
ONLINE_WINDOW = timedelta(minutes=5)  # seen this recently = online
SEEN_RESOLUTION = timedelta(minutes=1)
_SCRYPT = dict(n=2**14, r=8, p=1, dklen=32)
ROLES = ("agent", "supervisor")


class AgentRefused(ValueError):
    """A change to an agent account that the rules refuse (a role that does not exist, a bad user
    name, a short password, a supervisor disabling themselves); ``str()`` says why, for people.
    The desk answers it with 400 (``bot.services.agents.CannotDisableSelf``: 409), the CLI with exit 2."""


# Letters, digits and . _ @ - (ASCII), starting with a letter or digit, at most 64 characters.
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


def valid_username(username: object) -> bool:
    """True if ``username`` is a string matching ``USERNAME_PATTERN`` (no spaces, no control characters).

    Args:
        username: the user name as given (any type: a JSON body may hold anything).

    Returns:
        True for a string that fully matches ``USERNAME_PATTERN``, else False.
    """
    return isinstance(username, str) and USERNAME_PATTERN.fullmatch(username) is not None


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    """``scrypt$<salt hex>$<digest hex>`` for storing a password (a random 16-byte salt unless given).

    Args:
        password: the plain-text password.
        salt: 16 bytes to use instead of a random salt (tests, the constant-cost dummy hash); None draws one.

    Returns:
        ``"scrypt$<salt hex>$<digest hex>"``, the value stored in ``agents.password_hash``.
    """
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a stored :func:`hash_password` value (constant-time compare;
    a malformed value never matches).

    Args:
        password: the plain-text password typed at login.
        stored: a value from :func:`hash_password` (``agents.password_hash``).

    Returns:
        True when the scrypt digest of ``password`` with the stored salt equals the stored digest.
    """
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


#: What an unknown user name's password is checked against: one scrypt, as a known name's check is (made once, here).
_UNKNOWN_USER_HASH = hash_password(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()




@dataclass(frozen=True)
class Agent:
    """A desk user as the API shows it: ``role`` agent | supervisor, ``skills`` (languages, topics)."""
    username: str
    display_name: str
    role: str
    skills: list
    active: bool = True

    @property
    def is_supervisor(self) -> bool:
        """Supervisors see metrics, edit canned replies, manage agents, close any ticket."""
        return self.role == "supervisor"

    def as_dict(self) -> dict:
        """The agent as JSON (no secrets)."""
        return {"username": self.username, "display_name": self.display_name, "role": self.role,
                "skills": self.skills, "active": self.active}


@dataclass(frozen=True)
class SavedAgent:
    """What ``save`` did: the agent, whether it was ``created`` (else updated), and how many
    of their sessions (tokens) it ended (a new password or role, or disabling, ends them all)."""

    agent: Agent
    created: bool
    sessions_ended: int


class SqlAlchemyAgentRepository(AgentRepository):
    """Agents, their hashed passwords and bearer tokens, on the unit of work's session."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, username: str, password: str, display_name: str, role: str = "agent",
               skills: Optional[list] = None) -> Agent:
        """``save`` returning just the agent (seeding, tests).

        Args:
            username: the login name (``USERNAME_PATTERN``).
            password: the plain-text password, stored hashed.
            display_name: the name customers and colleagues see.
            role: ``agent`` or ``supervisor`` (``ROLES``).
            skills: skill tags for routing (None: no skills).

        Returns:
            The agent as saved (:class:`Agent`).

        Raises:
            AgentRefused: as :meth:`save`.
        """
        return self.save(username, password, display_name, role, skills).agent

    def save(self, username: str, password: str, display_name: str, role: str = "agent",
             skills: Optional[list] = None, active: Optional[bool] = None,
             by: Optional[str] = None) -> SavedAgent:
        """Create the agent, or reset an existing one's password, name, role and skills.

        An existing agent whose password or role changes loses every session
        (their tokens are revoked). ``active`` False disables the agent (and
        ends their sessions), True enables them; None keeps an existing
        agent's state (a new agent is active). ``by`` names who did it.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if role not in ROLES:
            raise AgentRefused(f"role must be one of {', '.join(ROLES)}")
        if not valid_username(username):
            raise AgentRefused("user name: 1-64 letters, digits, '.', '_', '@' or '-' (ASCII), "
                               "starting with a letter or digit")
        row = self.session.get(AgentRow, username)
        created = row is None
        ended = 0
        if created:
            row = AgentRow(username=username)
            self.session.add(row)
        elif row.role != role or not verify_password(password, row.password_hash):
            ended = self.revoke_all(username)
        row.display_name, row.role, row.skills = display_name, role, skills or ["en", "zh"]
        row.password_hash = hash_password(password)
        self.session.flush()
        if active is not None:
            ended += self.set_active(username, active, by) or 0
        return SavedAgent(self._agent(row), created, ended)

    def _agent(self, row: AgentRow) -> Agent:
        return Agent(row.username, row.display_name, row.role, list(row.skills or []),
                     not self.is_disabled(row.username))

    def is_disabled(self, username: str) -> bool:
        """True if the agent was disabled (``set_active(username, False)``).

        Args:
            username: the agent's user name.

        Returns:
            True if a row in ``agent_disabled`` names the agent (unknown user names: False).
        """
        return self.session.get(AgentDisabledRow, username) is not None

    def set_active(self, username: str, active: bool, by: Optional[str] = None) -> Optional[int]:
        """Enable or disable an agent. Disabling ends every session of theirs.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if self.session.get(AgentRow, username) is None:
            return None
        disabled = self.session.get(AgentDisabledRow, username)
        if active:
            if disabled is not None:
                self.session.delete(disabled)
                self.session.flush()
            return 0
        if disabled is None:
            self.session.add(AgentDisabledRow(username=username, disabled_by=by, disabled_at=utcnow()))
            self.session.flush()
        return self.revoke_all(username)

    def revoke_all(self, username: str) -> int:
        """End every session of the agent (delete their tokens); returns how many there were.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        result = self.session.execute(delete(AgentTokenRow).where(AgentTokenRow.username == username))
        return int(result.rowcount or 0)

    def display_name(self, username: Optional[str]) -> Optional[str]:
        """The display name of ``username``, or None for an unknown (or None) user name.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(AgentRow, username) if username else None
        return row.display_name if row else None

    def authenticate(self, username: str, password: str) -> Optional[Agent]:
        """The active agent whose password matches, else None (an unknown user name costs the same hash).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(AgentRow, username)
        # One scrypt for an unknown user name too, so timing does not reveal who exists (helper-210: building the
        # dummy here made it two, 74 against 39 ms, and listed the desk's user names to anyone).
        stored = row.password_hash if row else _UNKNOWN_USER_HASH
        if not verify_password(password, stored) or row is None or self.is_disabled(row.username):
            return None
        return self._agent(row)

    def issue_token(self, username: str, now: Optional[datetime] = None) -> str:
        """A new bearer token for ``username`` (stored as its SHA-256, valid for ``TOKEN_TTL``;
        expired tokens are purged).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        self.session.execute(delete(AgentTokenRow).where(AgentTokenRow.expires_at < now))
        self.session.add(AgentTokenRow(token_hash=_token_hash(token), username=username, expires_at=now + TOKEN_TTL))
        self.seen(username, now)
        return token

    def agent_for_token(self, token: str, now: Optional[datetime] = None) -> Optional[Agent]:
        """The active agent holding an unexpired ``token`` (marks them seen now), else None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        now = now or utcnow()
        row = self.session.get(AgentTokenRow, _token_hash(token or ""))
        if row is None or as_utc(row.expires_at) <= now:
            return None
        agent = self.session.get(AgentRow, row.username)
        if agent is None or self.is_disabled(agent.username):
            return None
        self.seen(agent.username, now)
        return self._agent(agent)

    def revoke_token(self, token: str) -> bool:
        """Forget ``token`` (logout): later requests with it are refused. True if it existed. An agent
        with no other live session is offline at once (``online_count``), not ``ONLINE_WINDOW`` later.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(AgentTokenRow, _token_hash(token or ""))
        if row is None:
            return False
        username = row.username
        self.session.delete(row)
        self.session.flush()
        remaining = self.session.execute(select(func.count()).select_from(AgentTokenRow).where(
            AgentTokenRow.username == username, AgentTokenRow.expires_at > utcnow())).scalar_one()
        agent = self.session.get(AgentRow, username)
        if not remaining and agent is not None:  # logged out everywhere: offline at once, not after ONLINE_WINDOW
            agent.last_seen_at = None
        return True

    def all(self, now: Optional[datetime] = None) -> list[dict]:
        """Every agent as ``Agent.as_dict()`` plus ``online`` (seen within ``ONLINE_WINDOW``), by user name.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        now = now or utcnow()
        rows = self.session.execute(select(AgentRow).order_by(AgentRow.username)).scalars()
        disabled = set(self.session.execute(select(AgentDisabledRow.username)).scalars())
        return [
            {**Agent(r.username, r.display_name, r.role, list(r.skills or []), r.username not in disabled).as_dict(),
             "online": r.last_seen_at is not None and as_utc(r.last_seen_at) >= now - ONLINE_WINDOW}
            for r in rows
        ]

    def seen(self, username: str, now: datetime) -> None:
        """Mark the agent online; the desk polls every 2 s, so write at most once a minute.

        Args:
            username: the agent's user name (an unknown one is ignored).
            now: the time they were seen (aware UTC); stored only if the last mark is older than
                ``SEEN_RESOLUTION``.
        """
        row = self.session.get(AgentRow, username)
        if row is not None and (row.last_seen_at is None or now - as_utc(row.last_seen_at) >= SEEN_RESOLUTION):
            row.last_seen_at = now

    def online_count(self, now: Optional[datetime] = None) -> int:
        """How many enabled agents were seen within ``ONLINE_WINDOW`` of ``now`` (default: now, UTC).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        now = now or utcnow()
        return int(self.session.execute(
            select(func.count()).select_from(AgentRow).where(
                AgentRow.last_seen_at >= now - ONLINE_WINDOW,
                AgentRow.username.not_in(select(AgentDisabledRow.username)))
        ).scalar_one())
