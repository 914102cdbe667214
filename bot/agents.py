"""Agents of the desk: hashed passwords, expiring bearer tokens, roles.

Roles (DESIGN.md §7): ``agent`` works tickets it claimed; ``supervisor``
also sees metrics, manages agents and closes tickets other agents hold.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db import AgentRow, AgentTokenRow, as_utc, utcnow

TOKEN_TTL = timedelta(hours=8)
ONLINE_WINDOW = timedelta(minutes=5)  # seen this recently = online
SEEN_RESOLUTION = timedelta(minutes=1)
_SCRYPT = dict(n=2**14, r=8, p=1, dklen=32)
ROLES = ("agent", "supervisor")


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()




@dataclass(frozen=True)
class Agent:
    username: str
    display_name: str
    role: str
    skills: list

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    def as_dict(self) -> dict:
        return {"username": self.username, "display_name": self.display_name, "role": self.role, "skills": self.skills}


class SqlAlchemyAgentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, username: str, password: str, display_name: str, role: str = "agent",
               skills: Optional[list] = None) -> Agent:
        """Create the agent or reset their password, name, role and skills.

        Raises:
            ValueError: ``role`` is not one of ``ROLES``.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        row = self.session.get(AgentRow, username)
        if row is None:
            row = AgentRow(username=username)
            self.session.add(row)
        row.display_name, row.role, row.skills = display_name, role, skills or ["en", "zh"]
        row.password_hash = hash_password(password)
        self.session.flush()
        return Agent(row.username, row.display_name, row.role, list(row.skills))

    def display_name(self, username: Optional[str]) -> Optional[str]:
        row = self.session.get(AgentRow, username) if username else None
        return row.display_name if row else None

    def authenticate(self, username: str, password: str) -> Optional[Agent]:
        row = self.session.get(AgentRow, username)
        # Hash even for unknown users so timing does not reveal who exists.
        stored = row.password_hash if row else hash_password("x", b"0" * 16)
        if not verify_password(password, stored) or row is None:
            return None
        return Agent(row.username, row.display_name, row.role, list(row.skills))

    def issue_token(self, username: str, now: Optional[datetime] = None) -> str:
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        self.session.execute(delete(AgentTokenRow).where(AgentTokenRow.expires_at < now))
        self.session.add(AgentTokenRow(token_hash=_token_hash(token), username=username, expires_at=now + TOKEN_TTL))
        self.seen(username, now)
        return token

    def agent_for_token(self, token: str, now: Optional[datetime] = None) -> Optional[Agent]:
        now = now or utcnow()
        row = self.session.get(AgentTokenRow, _token_hash(token or ""))
        if row is None or as_utc(row.expires_at) <= now:
            return None
        agent = self.session.get(AgentRow, row.username)
        self.seen(agent.username, now)
        return Agent(agent.username, agent.display_name, agent.role, list(agent.skills))

    def revoke_token(self, token: str) -> bool:
        """Forget ``token`` (logout): later requests with it are refused. True if it existed."""
        result = self.session.execute(delete(AgentTokenRow).where(AgentTokenRow.token_hash == _token_hash(token or "")))
        return bool(result.rowcount)

    def all(self, now: Optional[datetime] = None) -> list[dict]:
        """Every agent as ``Agent.as_dict()`` plus ``online`` (seen within ``ONLINE_WINDOW``), by user name."""
        now = now or utcnow()
        rows = self.session.execute(select(AgentRow).order_by(AgentRow.username)).scalars()
        return [
            {**Agent(r.username, r.display_name, r.role, list(r.skills or [])).as_dict(),
             "online": r.last_seen_at is not None and as_utc(r.last_seen_at) >= now - ONLINE_WINDOW}
            for r in rows
        ]

    def seen(self, username: str, now: datetime) -> None:
        """Mark the agent online; the desk polls every 2 s, so write at most once a minute."""
        row = self.session.get(AgentRow, username)
        if row is not None and (row.last_seen_at is None or now - as_utc(row.last_seen_at) >= SEEN_RESOLUTION):
            row.last_seen_at = now

    def online_count(self, now: Optional[datetime] = None) -> int:
        now = now or utcnow()
        return int(self.session.execute(
            select(func.count()).select_from(AgentRow).where(AgentRow.last_seen_at >= now - ONLINE_WINDOW)
        ).scalar_one())
