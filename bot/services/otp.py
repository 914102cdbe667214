"""Prove owning an order by a one-time code (issue 10, DESIGN §9a): issue a code, check the answer.

The rules, the limits and the code table are in ``bot.customers.otp``; each
use case here takes a factory of units of work (a code is committed before the
notifier runs, and cancelled if sending fails).

A notifier that sends to a remote server (``remote``: the SMTP one) sends a real code on a background thread
(:func:`drain_sends` waits for it): the customer's answer returns as soon as the code is stored, as a decoy's does.
Sent while the customer waited, a right contact took an SMTP session longer to answer than a wrong one (1.1 s against
0.05 s), which told a stranger who owns an order (helper-211, session 45).
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Optional, Set

from bot.privacy.scanner import extract_intake
from bot.queue.notifier import Notifier
from bot.services import UnitOfWorkFactory
from bot.storage.uow import AbstractUnitOfWork
from bot.text import normalise_phone
from bot.orders.model import Order
from bot.customers.otp import (DECOY, DEFAULT_LIMITS, ProofLimits, ProofStep, _now, find_code, mask_destination,
                               order_contact)

logger = logging.getLogger(__name__)


def blocked_by(uow: AbstractUnitOfWork, conversation_id: str, order_number: str, now: Optional[datetime] = None,
               limits: ProofLimits = DEFAULT_LIMITS) -> Optional[str]:
    """``conversation`` if the conversation used up its attempts (contacts
    given plus wrong codes), ``order`` if the order had too many wrong codes
    typed against codes really sent, else None. Strangers naming wrong
    contacts never block the order.

    Args:
        uow: a unit of work the caller has entered (and commits).
        conversation_id: the conversation's Rasa sender id.
        order_number: the canonical order number (``QX-123456``).
        now: the current moment, UTC-aware (default: now).
        limits: the proof limits (default ``bot.customers.otp.DEFAULT_LIMITS``).

    Returns:
        ``conversation``, ``order`` or None (not blocked).
    """
    now = _now(now)
    since = now - limits.window
    attempts = (uow.codes.contacts_given(conversation_id, since)
                + uow.codes.failures(since, conversation_id=conversation_id, kinds=("code", "decoy")))
    if attempts >= limits.max_failures_per_conversation:
        return "conversation"
    if uow.codes.failures(since, order_number=order_number, kinds=("code",)) >= limits.max_failures_per_order:
        return "order"
    return None


def proof_blocked(uow: AbstractUnitOfWork, conversation_id: str, order_number: str) -> Optional[str]:
    """:func:`blocked_by` now, in the unit of work ``uow`` (read only): ``conversation``, ``order`` or None.

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        conversation_id: the conversation's Rasa sender id.
        order_number: the canonical order number (``QX-123456``).

    Returns:
        ``conversation``, ``order`` or None (not blocked).
    """
    with uow:
        return blocked_by(uow, conversation_id, order_number)


CODE_MESSAGE = {
    "en": ("Your QX Shop code",
           "Your QX Shop code for order {order_number} is {code}. It is valid for {minutes} minutes.\n"
           "Type it only in our chat; we never ask for it by phone. "
           "If you did not ask for it, ignore this message."),
    "zh": ("QX Shop 验证码",
           "您的 QX Shop 验证码为 {code}（订单 {order_number}），{minutes} 分钟内有效。\n"
           "请只在我们的聊天窗口中输入，我们不会通过电话索要。如非本人操作，请忽略本消息。"),
}


def start_proof(uow_factory: UnitOfWorkFactory, notifier: Notifier, conversation_id: str, order: Order, answer: str,
                language: str = "en", now: Optional[datetime] = None,
                limits: ProofLimits = DEFAULT_LIMITS) -> ProofStep:
    """The customer named a contact for ``order``: send a code if it is the order's.

    Any single contact gets the same answer, ``sent`` with the masked contact
    as typed: if it is the order's (and fewer than ``max_codes_per_order``
    codes went out this hour) a code goes to it; otherwise a decoy that can
    never pass is stored, so the conversation carries on exactly as the
    owner's would. ``blocked`` (checked before the contact is looked at) when
    the conversation or the order is over its limits; ``no_contact`` /
    ``ambiguous`` when the answer holds no or several contacts;
    ``send_failed`` when a local notifier could not hand a real code over (a remote one sends in the background
    and answers ``sent`` at once, as for a decoy: a failure there cancels the code and is logged).

    ``uow_factory`` makes units of work (the code is committed before the
    notifier runs, and cancelled if sending fails).

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        notifier: sends the e-mail or text message (``bot.queue.notifier.Notifier``).
        conversation_id: the conversation's Rasa sender id.
        order: the order the customer means (``bot.orders.model.Order``).
        answer: what the customer typed.
        language: ``en`` or ``zh``.
        now: the current moment, UTC-aware (default: now).
        limits: the proof limits (default ``bot.customers.otp.DEFAULT_LIMITS``).

    Returns:
        The step (``ProofStep``): ``sent`` with the masked contact, ``blocked`` or ``invalid``.
    """
    from bot.queue.notifier import Notification, NotifierError

    now = _now(now)
    with uow_factory() as uow:
        reason = blocked_by(uow, conversation_id, order.order_number, now, limits)
        if reason is not None:
            return ProofStep("blocked", blocked_by=reason)
        step = order_contact(order, answer)
        if step.status not in ("sent", "mismatch"):
            return step
        typed = _typed_contact(answer)
        shown = ProofStep("sent", destination=mask_destination(*typed), channel=typed[0])
        real = step.status == "sent"
        if real and uow.codes.codes_sent(order.order_number, now - limits.window) >= limits.max_codes_per_order:
            real = False  # nobody floods the owner; saying so would tell that the contact was right
            logger.warning("code cap reached for %s: a decoy instead of a code in %s",
                           order.order_number, conversation_id)
        code = uow.codes.issue(conversation_id, order.order_number, step.channel or typed[0],
                               step.destination or "", now, limits.code_ttl, decoy=not real)
        uow.commit()
        if not real:
            logger.info("order proof: no code sent for %s in %s", order.order_number, conversation_id)
            return shown
    subject, body = CODE_MESSAGE["zh" if language == "zh" else "en"]
    message = Notification(channel=step.channel, to=step.destination, subject=subject,
                           body=body.format(order_number=order.order_number, code=code,
                                            minutes=int(limits.code_ttl.total_seconds() // 60)))
    if getattr(notifier, "remote", False):  # no wait the customer could time (module docstring)
        _send_in_background(_send_code, uow_factory, notifier, message, conversation_id, order.order_number, now)
        return shown
    return shown if _send_code(uow_factory, notifier, message, conversation_id, order.order_number, now) else ProofStep(
        "send_failed")


def _send_code(uow_factory: UnitOfWorkFactory, notifier: Notifier, message: "Notification", conversation_id: str,
               order_number: str, issued_at: datetime) -> bool:
    """Send a real code; when the notifier cannot, cancel that code (logged; a newer one the customer asked for
    meanwhile stays: helper-212). Returns whether it was handed over."""
    from bot.queue.notifier import NotifierError

    try:
        notifier.send(message)
        return True
    except NotifierError:
        logger.exception("one-time code for %s could not be sent", order_number)
        with uow_factory() as uow:
            uow.codes.cancel(conversation_id, order_number, issued_at)
            uow.commit()
        return False


#: Sends real codes through a remote notifier (one thread: an SMTP session each; module docstring).
_SENDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="otp_send")
_PENDING: Set[Future] = set()
_PENDING_LOCK = threading.Lock()


def _send_in_background(send, *args) -> None:  # type: ignore[no-untyped-def]
    future = _SENDER.submit(send, *args)
    with _PENDING_LOCK:
        _PENDING.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _PENDING_LOCK:
        _PENDING.discard(future)


def drain_sends(timeout_s: float = 30.0) -> bool:
    """Wait for the codes being sent in the background (the tests; nothing calls it at shutdown, where the executor's
    threads are joined as Python exits).

    Args:
        timeout_s: the longest wait, in seconds.

    Returns:
        True when none is left pending.
    """
    with _PENDING_LOCK:
        pending = set(_PENDING)
    return not wait(pending, timeout=timeout_s).not_done


def _typed_contact(answer: str) -> tuple[str, str]:
    """(email|sms, the contact as typed, normalised) of the one contact in ``answer``."""
    [found] = {(f.entity, f.value) for f in extract_intake(answer or "") if f.entity in ("email", "phone")}
    kind, value = found
    return ("email", value.lower()) if kind == "email" else ("sms", normalise_phone(value))


def submit_code(uow_factory: UnitOfWorkFactory, conversation_id: str, order_number: str, answer: str,
                now: Optional[datetime] = None, limits: ProofLimits = DEFAULT_LIMITS) -> ProofStep:
    """The customer typed an answer to "what is the code?".

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.
        order_number: the canonical order number (``QX-123456``).
        answer: what the customer typed.
        now: the current moment, UTC-aware (default: now).
        limits: the proof limits (default ``bot.customers.otp.DEFAULT_LIMITS``).

    Returns:
        The step (``ProofStep``): ``passed``, ``wrong``, ``expired`` or ``blocked``.
    """
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
            kind = "decoy" if step.channel == DECOY else "code"
            uow.codes.record_failure(conversation_id, order_number, kind, now)
            logger.info("order proof failed (%s) for %s in %s", kind, order_number, conversation_id)
            step = ProofStep(step.status, tries_left=step.tries_left)  # a decoy answers as a real code does
        uow.commit()
        if step.status in ("wrong", "exhausted"):
            reason = blocked_by(uow, conversation_id, order_number, now, limits)
            if reason is not None:
                uow.codes.cancel(conversation_id, order_number)
                uow.commit()
                return ProofStep("blocked", blocked_by=reason)
        return step
