"""Proof of owning an order by a one-time code (issue 10, DESIGN §9a).

Whoever writes in a conversation names the e-mail or phone on the order (one
contact per attempt); if it is the order's, a 6-digit code goes to it
through the notifier. Typing that code back within 10 minutes (3 tries)
proves the contact: ``bot.customers.evidence_of`` then counts it as the
verified fact ``order_contact`` of this conversation.

Failed attempts (a contact that is not the order's, a wrong code) are stored
and limited per conversation and per order within a window, so neither one
sender trying many orders nor many senders trying one order get far. Only a
salted HMAC of each code is kept; there is at most one active code per
conversation and order.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.db import OrderCodeRow, OrderProofFailureRow, OrderRow, as_utc
from bot.intake import extract_intake, normalise_phone
from bot.orders import Order, to_halfwidth

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
_CODE = re.compile(r"(?<!\d)(\d{3})[\s\-]?(\d{3})(?!\d)")


@dataclass(frozen=True)
class ProofLimits:
    """How strict the proof is. Defaults: a code lives 10 minutes and takes 3
    tries; 5 failed proofs per conversation and 5 per order within an hour
    block further attempts; 5 codes per order and hour; a passed code counts
    as proof in its conversation for 24 hours."""

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


@dataclass(frozen=True)
class ProofStep:
    """What happened to an answer. ``status``:

    - ``sent``: the contact is the order's; a code went to ``destination``
    - ``mismatch``: not the order's contact (a failed proof)
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
    return now or datetime.now(timezone.utc)


def _hash(salt: str, conversation_id: str, order_number: str, code: str) -> str:
    message = f"{conversation_id}\x1f{order_number}\x1f{code}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def mask_destination(channel: str, destination: str) -> str:
    """``e***@example.com`` or ``•••• 2222``: enough for the customer to recognise it."""
    if channel == "email" and "@" in destination:
        local, domain = destination.split("@", 1)
        return f"{local[:1]}***@{domain}"
    return "•••• " + destination[-4:]


def find_code(text: str) -> Optional[str]:
    """The 6-digit code in ``text`` (``123456``, ``123 456``, full-width digits), else None."""
    found = _CODE.findall(to_halfwidth(text or ""))
    if len(found) != 1:
        return None
    return "".join(found[0])


class SqlAlchemyOrderCodeRepository:
    """Codes and failed proofs (tables ``order_codes``, ``order_proof_failures``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, conversation_id: str, order_number: str, channel: str, destination: str,
              now: datetime, ttl: timedelta) -> str:
        """A new code for (conversation, order); any active one is replaced. Returns the code."""
        self.session.execute(
            update(OrderCodeRow)
            .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.order_number == order_number,
                   OrderCodeRow.state == "active")
            .values(state="replaced").execution_options(synchronize_session=False)
        )
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_hex(16)
        self.session.add(OrderCodeRow(
            conversation_id=conversation_id, order_number=order_number, channel=channel, destination=destination,
            salt=salt, code_hash=_hash(salt, conversation_id, order_number, code), tries=0, state="active",
            created_at=now, expires_at=now + ttl))
        self.session.flush()
        return code

    def cancel(self, conversation_id: str, order_number: str) -> None:
        """The code could not be sent: it must not be guessable."""
        self.session.execute(
            update(OrderCodeRow)
            .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.order_number == order_number,
                   OrderCodeRow.state == "active")
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
        row = self._active_row(conversation_id, order_number)
        return row is not None and as_utc(row.expires_at) > now

    def check(self, conversation_id: str, order_number: str, code: str, now: datetime,
              max_tries: int) -> ProofStep:
        """Compare ``code`` with the active code (constant time); counts the try."""
        row = self._active_row(conversation_id, order_number)
        if row is None:
            return ProofStep("no_code")
        if as_utc(row.expires_at) <= now:
            row.state = "expired"
            self.session.flush()
            return ProofStep("expired")
        if hmac.compare_digest(row.code_hash, _hash(row.salt, conversation_id, order_number, code)):
            row.state, row.passed_at = "passed", now
            self.session.flush()
            return ProofStep("passed", destination=row.destination, channel=row.channel)
        row.tries += 1
        if row.tries >= max_tries:
            row.state = "exhausted"
        self.session.flush()
        if row.state == "exhausted":
            return ProofStep("exhausted", tries_left=0)
        return ProofStep("wrong", tries_left=max_tries - row.tries)

    def record_failure(self, conversation_id: str, order_number: str, kind: str, now: datetime) -> None:
        self.session.add(OrderProofFailureRow(conversation_id=conversation_id, order_number=order_number,
                                              kind=kind, at=now))
        self.session.flush()

    def failures(self, since: datetime, conversation_id: Optional[str] = None,
                 order_number: Optional[str] = None) -> int:
        """Failed proofs since ``since`` of one conversation and/or one order."""
        stmt = select(func.count()).select_from(OrderProofFailureRow).where(OrderProofFailureRow.at >= since)
        if conversation_id is not None:
            stmt = stmt.where(OrderProofFailureRow.conversation_id == conversation_id)
        if order_number is not None:
            stmt = stmt.where(OrderProofFailureRow.order_number == order_number)
        return int(self.session.execute(stmt).scalar_one())

    def codes_sent(self, order_number: str, since: datetime) -> int:
        stmt = (select(func.count()).select_from(OrderCodeRow)
                .where(OrderCodeRow.order_number == order_number, OrderCodeRow.created_at >= since))
        return int(self.session.execute(stmt).scalar_one())

    def passed(self, conversation_id: str, since: datetime) -> list[Proof]:
        """Codes this conversation passed since ``since``, oldest first."""
        stmt = (select(OrderCodeRow, OrderRow.customer_name)
                .join(OrderRow, OrderRow.order_number == OrderCodeRow.order_number)
                .where(OrderCodeRow.conversation_id == conversation_id, OrderCodeRow.state == "passed",
                       OrderCodeRow.passed_at >= since)
                .order_by(OrderCodeRow.passed_at, OrderCodeRow.id))
        return [Proof(row.order_number, "email" if row.channel == "email" else "phone", row.destination, name)
                for row, name in self.session.execute(stmt)]


# --- use cases ----------------------------------------------------------------------------

def blocked_by(uow: Any, conversation_id: str, order_number: str, now: Optional[datetime] = None,
               limits: ProofLimits = DEFAULT_LIMITS, sending: bool = False) -> Optional[str]:
    """``conversation`` or ``order`` if failed proofs reached their limit (with
    ``sending``: also codes sent for the order), else None."""
    now = _now(now)
    since = now - limits.window
    if uow.codes.failures(since, conversation_id=conversation_id) >= limits.max_failures_per_conversation:
        return "conversation"
    if uow.codes.failures(since, order_number=order_number) >= limits.max_failures_per_order:
        return "order"
    if sending and uow.codes.codes_sent(order_number, since) >= limits.max_codes_per_order:
        return "order"
    return None


def order_contact(order: Order, answer: str) -> ProofStep:
    """Match the one e-mail or phone in ``answer`` with ``order``'s (no database, no counting)."""
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


CODE_MESSAGE = {
    "en": ("Your QX Shop code",
           "Your QX Shop code for order {order_number} is {code}. It is valid for {minutes} minutes.\n"
           "Type it only in our chat; we never ask for it by phone. "
           "If you did not ask for it, ignore this message."),
    "zh": ("QX Shop 验证码",
           "您的 QX Shop 验证码为 {code}（订单 {order_number}），{minutes} 分钟内有效。\n"
           "请只在我们的聊天窗口中输入，我们不会通过电话索要。如非本人操作，请忽略本消息。"),
}


def start_proof(uow_factory: Any, notifier: Any, conversation_id: str, order: Order, answer: str,
                language: str = "en", now: Optional[datetime] = None,
                limits: ProofLimits = DEFAULT_LIMITS) -> ProofStep:
    """The customer named a contact for ``order``: send a code if it is the order's.

    ``uow_factory`` makes units of work (the code is committed before the
    notifier runs, and cancelled if sending fails).
    """
    from bot.notifier import Notification, NotifierError

    now = _now(now)
    with uow_factory() as uow:
        reason = blocked_by(uow, conversation_id, order.order_number, now, limits, sending=True)
        if reason is not None:
            return ProofStep("blocked", blocked_by=reason)
        step = order_contact(order, answer)
        if step.status == "mismatch":
            uow.codes.record_failure(conversation_id, order.order_number, "contact", now)
            uow.commit()
            logger.info("order proof failed (contact) for %s in %s", order.order_number, conversation_id)
            reason = blocked_by(uow, conversation_id, order.order_number, now, limits)
            return ProofStep("blocked", blocked_by=reason) if reason else step
        if step.status != "sent":
            return step
        code = uow.codes.issue(conversation_id, order.order_number, step.channel, step.destination, now,
                               limits.code_ttl)
        uow.commit()
    subject, body = CODE_MESSAGE["zh" if language == "zh" else "en"]
    message = Notification(channel=step.channel, to=step.destination, subject=subject,
                           body=body.format(order_number=order.order_number, code=code,
                                            minutes=int(limits.code_ttl.total_seconds() // 60)))
    try:
        notifier.send(message)
    except NotifierError:
        logger.exception("one-time code for %s could not be sent", order.order_number)
        with uow_factory() as uow:
            uow.codes.cancel(conversation_id, order.order_number)
            uow.commit()
        return ProofStep("send_failed")
    return ProofStep("sent", destination=mask_destination(step.channel, step.destination), channel=step.channel)


def submit_code(uow_factory: Any, conversation_id: str, order_number: str, answer: str,
                now: Optional[datetime] = None, limits: ProofLimits = DEFAULT_LIMITS) -> ProofStep:
    """The customer typed an answer to "what is the code?"."""
    now = _now(now)
    code = find_code(answer)
    if code is None:
        return ProofStep("not_a_code")
    with uow_factory() as uow:
        reason = blocked_by(uow, conversation_id, order_number, now, limits)
        if reason is not None:
            uow.codes.cancel(conversation_id, order_number)
            uow.commit()
            return ProofStep("blocked", blocked_by=reason)
        step = uow.codes.check(conversation_id, order_number, code, now, limits.max_tries)
        if step.status in ("wrong", "exhausted"):
            uow.codes.record_failure(conversation_id, order_number, "code", now)
            logger.info("order proof failed (code) for %s in %s", order_number, conversation_id)
        uow.commit()
        if step.status in ("wrong", "exhausted"):
            reason = blocked_by(uow, conversation_id, order_number, now, limits)
            if reason is not None:
                uow.codes.cancel(conversation_id, order_number)
                uow.commit()
                return ProofStep("blocked", blocked_by=reason)
        return step
