"""Link a conversation to its customer (``bot.customers.customers`` holds the rules and the repository).

Each call runs in its own unit of work, so a customer found once is kept
even if the caller's later work fails.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from sqlalchemy.exc import IntegrityError

from bot.customers.customers import Customer, evidence_of, passed_proofs, resolve, session_event
from bot.handover.packet import channel_name
from bot.storage.uow import AbstractUnitOfWork, SqlAlchemyUnitOfWork

logger = logging.getLogger(__name__)

UnitOfWorkFactory = Callable[[], AbstractUnitOfWork]


def link_customer(conversation_id: str, channel: str, events: list[dict],
                  unit_of_work_factory: Optional[UnitOfWorkFactory] = None,
                  secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a conversation from the verified facts in ``events`` and the
    one-time codes it passed, linking them (``bot.customers.customers.resolve``), in its own transaction.

    Args:
        conversation_id: Rasa's sender id.
        channel: the packet name of the conversation's channel (web|wechat|ivr|rest).
        events: tracker events as dicts.
        unit_of_work_factory: makes the unit of work (default: the SQL one).
        secret: the customer-token secret (default: settings).

    Returns:
        The customer, or ``None`` if the conversation proved nothing (or linking
        failed twice on a concurrent insert, which is logged).
    """
    factory = unit_of_work_factory or SqlAlchemyUnitOfWork
    for attempt in (1, 2):
        try:
            with factory() as uow:
                evidence = evidence_of(conversation_id, channel, events, passed_proofs(uow, conversation_id), secret)
                customer = resolve(uow, conversation_id, channel, evidence)
                uow.commit()
                return customer
        except IntegrityError:  # two conversations of one customer at once: one retry
            if attempt == 2:
                logger.exception("customer of %s could not be resolved", conversation_id)
                return None
    return None


def resolve_customer(tracker: Any, unit_of_work_factory: Optional[UnitOfWorkFactory] = None,
                     secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a rasa-sdk tracker's conversation, or ``None`` if anonymous (see :func:`link_customer`)."""
    channel = channel_name(tracker.get_latest_input_channel())
    return link_customer(tracker.sender_id, channel, list(tracker.events or []), unit_of_work_factory, secret)


def resolve_session_customer(conversation_id: str, metadata: Optional[dict],
                             unit_of_work_factory: Optional[UnitOfWorkFactory] = None,
                             secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a conversation whose session starts with ``metadata``
    (Rasa's ``session_started_metadata``): the same rules as :func:`resolve_customer`,
    fed one synthetic user event, so only verified facts link."""
    event = session_event(metadata)
    return link_customer(conversation_id, channel_name(event["input_channel"]), [event], unit_of_work_factory, secret)
