"""Link a conversation to its customer, and what else the services ask of the customers.

:func:`resolve` applies the linking rules (``bot.customers.model``) to the
verified facts ``bot.customers.evidence`` found, through the unit of work's
customer repository (``bot.customers.repository``). :func:`link_customer`
runs it in its own unit of work, so a customer found once is kept even if the
caller's later work fails.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Optional

from sqlalchemy.exc import IntegrityError

from bot.customers.evidence import Evidence, evidence_of, session_event
from bot.customers.model import TRANSCRIPT_WINDOW, Customer
from bot.customers.otp import DEFAULT_LIMITS
from bot.domain import CONVERSATION_KINDS, Channel
from bot.handover.packet import channel_name
from bot.text import utcnow
from bot.services import UnitOfWorkFactory
from bot.storage.uow import AbstractUnitOfWork

logger = logging.getLogger(__name__)


def resolve(uow: AbstractUnitOfWork, conversation_id: str, channel: str, evidence: Evidence) -> Optional[Customer]:
    """Find or create the customer of this conversation (flushes; the caller commits).

    Args:
        uow: a unit of work the caller has entered (and commits).
        conversation_id: the conversation's Rasa sender id.
        channel: the packet name of the conversation's channel (web|wechat|ivr|rest).
        evidence: the verified facts of the conversation (``bot.customers.evidence.evidence_of``).

    Returns:
        The customer, or None if the evidence proves nothing.
    """
    repo = uow.customers
    conversation_kind = CONVERSATION_KINDS.get(channel, Channel.REST.identity_kind)
    if evidence.facts:
        owners: list[str] = []
        for fact in evidence.facts:
            found = repo.find(fact.kind, fact.value, verified_only=True)
            if found is not None and found.customer_id not in owners:
                owners.append(found.customer_id)
        if owners:
            customer_id, *others = repo.oldest_first(owners)
            for other in others:  # a shared verified fact: the same person
                repo.merge(customer_id, other)
        else:
            customer_id = repo.create(evidence.display_name).customer_id
        for fact in evidence.facts:
            repo.link(customer_id, fact.kind, fact.value, verified=True, source=fact.source)
        current = repo.get(customer_id)
        if evidence.display_name and current is not None and not current.display_name:
            repo.set_display_name(customer_id, evidence.display_name)
    else:
        known = repo.find(conversation_kind, conversation_id)
        if known is None:
            return None
        customer_id = known.customer_id
    # Remember which customer this conversation belongs to (never used to link).
    repo.link(customer_id, conversation_kind, conversation_id, verified=conversation_kind == Channel.WECHAT.identity_kind,
              source=channel)
    customer = repo.get(customer_id)
    return replace(customer, verification=evidence.verification) if customer is not None else None


def passed_proofs(uow: AbstractUnitOfWork, conversation_id: str, now: Optional[datetime] = None) -> list:
    """The one-time codes ``conversation_id`` passed recently (bot.customers.otp), as proofs for ``evidence_of``.

    Args:
        uow: a unit of work the caller has entered (and commits).
        conversation_id: the conversation's Rasa sender id.
        now: the current moment, UTC-aware (default: now).

    Returns:
        The passed proofs (``bot.customers.evidence`` proofs), newest first.
    """
    since = (now or utcnow()) - DEFAULT_LIMITS.proof_ttl
    return uow.codes.passed(conversation_id, since)


def related_conversations(uow: AbstractUnitOfWork, customer: Optional[Customer], conversation_id: str,
                          now: Optional[datetime] = None) -> list[tuple[str, list[dict]]]:
    """The customer's other conversations with messages in the last 24 h, with those events.

    Args:
        uow: a unit of work the caller has entered (and commits).
        customer: the linked customer, or None if the conversation is anonymous.
        conversation_id: the conversation's Rasa sender id.
        now: the current moment, UTC-aware (default: now).

    Returns:
            ``[(conversation id, events)]`` of the customer's other conversations with messages in the last 24
            h; empty for None.
    """
    if customer is None:
        return []
    others = [c for c in customer.conversation_ids if c != conversation_id]
    since = (now or utcnow()) - TRANSCRIPT_WINDOW
    events = uow.customers.recent_events(others, since)
    return [(c, events[c]) for c in others if events.get(c)]


def link_customer(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str, events: list[dict],
                  secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a conversation from the verified facts in ``events`` and the
    one-time codes it passed, linking them (:func:`resolve`), in its own transaction.

    Args:
        uow_factory: makes the unit of work (one per attempt).
        conversation_id: Rasa's sender id.
        channel: the packet name of the conversation's channel (web|wechat|ivr|rest).
        events: tracker events as dicts.
        secret: the customer-token secret (default: settings).

    Returns:
        The customer, or ``None`` if the conversation proved nothing (or linking
        failed twice on a concurrent insert, which is logged).
    """
    for attempt in (1, 2):
        try:
            with uow_factory() as uow:
                evidence = evidence_of(conversation_id, channel, events, passed_proofs(uow, conversation_id), secret)
                customer = resolve(uow, conversation_id, channel, evidence)
                uow.commit()
                return customer
        except IntegrityError:  # two conversations of one customer at once: one retry
            if attempt == 2:
                logger.exception("customer of %s could not be resolved", conversation_id)
                return None
    return None


def proven_customer(uow: AbstractUnitOfWork, conversation_id: str, channel: str, metadatas: list,
                    secret: Optional[str] = None) -> Optional[Customer]:
    """The customer that what this session's messages carry proves (read only; nothing is linked): a signed token
    valid now, or the platform (a WeChat openid), per ``bot.customers.evidence.evidence_of``; one-time codes are
    not read (they prove an order's contact, not who writes). A conversation only remembered as a customer's
    proves nothing here. Used to decide whether the customer's ticket may follow them to this conversation
    (``bot.services.tickets.follow_within``).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        conversation_id: the conversation's Rasa sender id.
        channel: the conversation's channel (a Rasa input channel or packet name).
        metadatas: the metadata of this session's first message (``session_started_metadata``) and of the
            latest one; non-dicts are skipped.
        secret: the customer-token secret (default: the settings' ``WEBCHAT_TOKEN_SECRET``).

    Returns:
        The customer with ``verification`` ``token`` or ``platform``, or None.
    """
    events = [session_event(m) for m in metadatas if isinstance(m, dict)]
    evidence = evidence_of(conversation_id, channel_name(channel), events, (), secret)
    if evidence.verification not in ("token", "platform"):
        return None
    with uow:
        for fact in evidence.facts:
            found = uow.customers.find(fact.kind, fact.value, verified_only=True)
            if found is not None:
                return replace(found, verification=evidence.verification)
    return None


def resolve_session_customer(uow_factory: UnitOfWorkFactory, conversation_id: str, metadata: Optional[dict],
                             secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a conversation whose session starts with ``metadata``
    (Rasa's ``session_started_metadata``): the same rules as ``bot.services.from_tracker.resolve_customer``,
    fed one synthetic user event, so only verified facts link.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.
        metadata: the session's first message metadata (``session_started_metadata``).
        secret: the customer-token secret (default: the settings' ``WEBCHAT_TOKEN_SECRET``).

    Returns:
        The customer, or None if the metadata proves nothing.
    """
    event = session_event(metadata)
    return link_customer(uow_factory, conversation_id, channel_name(event["input_channel"]), [event], secret)
