"""Proof of owning an order by a one-time code (issue 10, DESIGN §9a).

Whoever writes in a conversation names the e-mail or phone on the order (one
contact per attempt); if it is the order's, a 6-digit code goes to it
through the notifier. Typing that code back within 10 minutes (3 tries)
proves the contact: ``bot.customers.evidence.evidence_of`` then counts it as the
verified fact ``order_contact`` of this conversation.

The answer to a contact is the same whether or not it is the order's ("if
that is the e-mail or phone on the order, a code is on its way"): a contact
that is not the order's gets a *decoy* code row that is never sent and can
never pass, so the conversation goes on exactly as it would for the owner
and a guess reveals nothing. Hence the limits:

- per conversation: contacts given plus wrong codes (decoy or real), the same
  count whatever the contacts were, so the moment a conversation is told to
  stop says nothing about its guesses;
- per order: wrong codes typed against a *real* code (only someone who named
  the right contact gets one), and real codes sent per hour (so nobody floods
  the owner; past that cap the right contact silently gets a decoy too).

Strangers' wrong guesses never count against the order, so they cannot lock
its owner out. Only a salted HMAC of each code is kept; there is at most one
active code per conversation and order.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.storage.db import OrderCodeRow, OrderProofFailureRow, OrderRow, as_utc
from bot.privacy.scanner import extract_intake
from bot.orders.model import Order
from bot.text import fold_text, normalise_phone, utcnow
from bot.storage.repositories import OrderCodeRepository

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
DECOY = "none"  # OrderCodeRow.channel of a code that was never sent (the contact was not the order's)
_CODE = re.compile(r"(?<!\d)(\d{3})[\s\-]?(\d{3})(?!\d)")


@dataclass(frozen=True)
class ProofLimits:
    """How strict the proof is. Defaults: a code lives 10 minutes and takes 3
    tries; within an hour, 5 attempts per conversation (contacts given plus
    wrong codes) and 5 wrong codes per order (against codes really sent)
    block further attempts; at most 5 codes are sent per order and hour; a
    passed code counts as proof in its conversation for 24 hours."""

    code_ttl: timedelta = timedelta(minutes=10)
    max_tries: int = 3
    window: timedelta = timedelta(hours=1)
    max_failures_per_conversation: int = 5
    max_failures_per_order: int = 5
    max_codes_per_order: int = 5
    proof_ttl: timedelta = timedelta(hours=24)


DEFAULT_LIMITS = ProofLimits()


@dataclass(frozen=True)
class Proof:
    """A passed code: the conversation proved ``destination`` (kind email|phone) of ``order_number``."""

    order_number: str
    kind: str
    destination: str
    customer_name: str
    #: When the code was passed (UTC-aware): ``bot.customers.evidence`` counts it only for whoever wrote then.
    passed_at: Optional[datetime] = None


@dataclass(frozen=True)
class ProofStep:
    """What happened to an answer. ``status``:

    - ``sent``: the answer to any single contact: a code went to ``destination``
      (masked) if it is the order's, else a decoy that can never pass was stored
      (``order_contact`` alone also says ``mismatch``: not the order's contact)
    - ``no_contact``: no e-mail or phone in the answer; ``ambiguous``: more than one
    - ``blocked``: too many failed proofs (``blocked_by`` conversation|order) or codes
    - ``send_failed``: the notifier could not hand the code over
    - ``passed`` / ``wrong`` (``tries_left``) / ``exhausted`` / ``expired`` / ``no_code``
      / ``not_a_code``: answers to the code question
    """

    status: str
    destination: Optional[str] = None
    channel: Optional[str] = None
    tries_left: Optional[int] = None
    blocked_by: Optional[str] = None


def _now(now: Optional[datetime]) -> datetime:
    return now or utcnow()


def _hash(salt: str, conversation_id: str, order_number: str, code: str) -> str:
    message = f"{conversation_id}\x1f{order_number}\x1f{code}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def mask_destination(channel: str, destination: str) -> str:
    """``e***@example.com`` or ``•••• 2222``: enough for the customer to recognise it.

    Args:
        channel: ``email`` or ``sms``.
        destination: the full e-mail address or phone number.

    Returns:
        The masked text shown to the customer.
    """
    if channel == "email" and "@" in destination:
        local, domain = destination.split("@", 1)
        return f"{local[:1]}***@{domain}"
    return "•••• " + destination[-4:]


def find_code(text: str) -> Optional[str]:
    """The 6-digit code in ``text`` (``123456``, ``123 456``, full-width digits), else None.

    Args:
        text: the customer's message.

    Returns:
        The six digits (ASCII), or None when there is no code or more than one.
    """
    found = _CODE.findall(fold_text(text or ""))
    if len(found) != 1:
        return None
    return "".join(found[0])


class SqlAlchemyOrderCodeRepository(OrderCodeRepository):
    """Codes and failed proofs (tables ``order_codes``, ``order_proof_failures``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, conversation_id: str, order_number: str, channel: str, destination: str,
              now: datetime, ttl: timedelta, decoy: bool = False) -> str:
        """A new code for (conversation, order); any active one is replaced. Returns the code.

        With ``decoy`` the row (channel ``none``, no destination, an empty
        hash) answers tries exactly as a real code does but can never pass.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.execute(
            update(OrderCodeRow)
            .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.order_number == order_number,
                   OrderCodeRow.state == "active")
            .values(state="replaced").execution_options(synchronize_session=False)
        )
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_hex(16)
        self.session.add(OrderCodeRow(
            conversation_id=conversation_id, order_number=order_number,
            channel=DECOY if decoy else channel, destination="" if decoy else destination, salt=salt,
            code_hash="" if decoy else _hash(salt, conversation_id, order_number, code), tries=0, state="active",
            created_at=now, expires_at=now + ttl))
        self.session.flush()
        return code

    def cancel(self, conversation_id: str, order_number: str, issued_at: Optional[datetime] = None) -> None:
        """The code could not be sent: it must not be guessable.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        conditions = [OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.order_number == order_number,
                      OrderCodeRow.state == "active"]
        if issued_at is not None:
            conditions.append(OrderCodeRow.created_at == issued_at)
        self.session.execute(
            update(OrderCodeRow).where(*conditions)
            .values(state="replaced").execution_options(synchronize_session=False)
        )
        self.session.flush()

    def _active_row(self, conversation_id: str, order_number: str) -> Optional[OrderCodeRow]:
        stmt = (select(OrderCodeRow)
                .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.order_number == order_number,
                       OrderCodeRow.state == "active")
                .with_for_update())
        return self.session.execute(stmt).scalar_one_or_none()

    def has_active(self, conversation_id: str, order_number: str, now: datetime) -> bool:
        """True if the conversation has an unexpired active code for the order at ``now`` (UTC); locks the row.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._active_row(conversation_id, order_number)
        return row is not None and as_utc(row.expires_at) > now

    def check(self, conversation_id: str, order_number: str, code: str, now: datetime,
              max_tries: int) -> ProofStep:
        """Compare ``code`` with the active code (constant time); counts the try.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._active_row(conversation_id, order_number)
        if row is None:
            return ProofStep("no_code")
        if as_utc(row.expires_at) <= now:
            row.state = "expired"
            self.session.flush()
            return ProofStep("expired")
        # A decoy's empty hash never equals a 64-digit one; the compare runs all the same.
        if hmac.compare_digest(row.code_hash, _hash(row.salt, conversation_id, order_number, code)) \
                and row.channel != DECOY:
            row.state, row.passed_at = "passed", now
            self.session.flush()
            return ProofStep("passed", destination=row.destination, channel=row.channel)
        row.tries += 1
        if row.tries >= max_tries:
            row.state = "exhausted"
        self.session.flush()
        # ``channel`` tells the caller whether the failure counts against the order
        # (a real code) or only against the conversation (a decoy); never shown.
        if row.state == "exhausted":
            return ProofStep("exhausted", tries_left=0, channel=row.channel)
        return ProofStep("wrong", tries_left=max_tries - row.tries, channel=row.channel)

    def record_failure(self, conversation_id: str, order_number: str, kind: str, now: datetime) -> None:
        """A failed proof: ``kind`` ``code`` (a wrong code against a real code, counts against
        the order too) or ``decoy`` (a wrong code against a decoy: the conversation only).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        self.session.add(OrderProofFailureRow(conversation_id=conversation_id, order_number=order_number,
                                              kind=kind, at=now))
        self.session.flush()

    def failures(self, since: datetime, conversation_id: Optional[str] = None,
                 order_number: Optional[str] = None, kinds: Optional[tuple[str, ...]] = None) -> int:
        """Failed proofs since ``since`` of one conversation and/or one order (of ``kinds`` only, if given).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(func.count()).select_from(OrderProofFailureRow).where(OrderProofFailureRow.at >= since)
        if kinds is not None:
            stmt = stmt.where(OrderProofFailureRow.kind.in_(kinds))
        if conversation_id is not None:
            stmt = stmt.where(OrderProofFailureRow.conversation_id == conversation_id)
        if order_number is not None:
            stmt = stmt.where(OrderProofFailureRow.order_number == order_number)
        return int(self.session.execute(stmt).scalar_one())

    def codes_sent(self, order_number: str, since: datetime) -> int:
        """Codes really sent (not decoys) for ``order_number`` since ``since``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = (select(func.count()).select_from(OrderCodeRow)
                .where(OrderCodeRow.order_number == order_number, OrderCodeRow.created_at >= since,
                       OrderCodeRow.channel != DECOY))
        return int(self.session.execute(stmt).scalar_one())

    def contacts_given(self, conversation_id: str, since: datetime) -> int:
        """Contacts this conversation named since ``since`` (a code row each, real or decoy).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = (select(func.count()).select_from(OrderCodeRow)
                .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.created_at >= since))
        return int(self.session.execute(stmt).scalar_one())

    def passed(self, conversation_id: str, since: datetime) -> list[Proof]:
        """Codes this conversation passed since ``since``, oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = (select(OrderCodeRow, OrderRow.customer_name)
                .join(OrderRow, OrderRow.order_number == OrderCodeRow.order_number)
                .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.state == "passed",
                       OrderCodeRow.passed_at >= since)
                .order_by(OrderCodeRow.passed_at, OrderCodeRow.id))
        return [Proof(row.order_number, "email" if row.channel == "email" else "phone", row.destination, name,
                      as_utc(row.passed_at))
                for row, name in self.session.execute(stmt)]


def order_contact(order: Order, answer: str) -> ProofStep:
    """Match the one e-mail or phone in ``answer`` with ``order``'s (no database, no counting).

    Args:
        order: the order whose contact must be named.
        answer: the customer's message.

    Returns:
        A :class:`ProofStep`: ``sent`` (matches, ``destination`` set), ``mismatch``, ``no_contact`` or
        ``ambiguous``.
    """
    found = {(f.entity, f.value) for f in extract_intake(answer or "") if f.entity in ("email", "phone")}
    if not found:
        return ProofStep("no_contact")
    if len(found) > 1:
        return ProofStep("ambiguous")
    [(kind, value)] = found
    if kind == "email" and order.email:
        if hmac.compare_digest(value.lower().encode(), order.email.lower().encode()):
            return ProofStep("sent", destination=order.email.lower(), channel="email")
    if kind == "phone" and order.phone:
        if hmac.compare_digest(normalise_phone(value).encode(), normalise_phone(order.phone).encode()):
            return ProofStep("sent", destination=normalise_phone(order.phone), channel="sms")
    return ProofStep("mismatch")
