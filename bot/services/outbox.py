"""Claim and release a push channel's stale outbox messages (replies the push API has not delivered)."""
from __future__ import annotations

from datetime import timedelta
from typing import List, Tuple

from bot.text import utcnow
from bot.storage.uow import AbstractUnitOfWork


def claim_stale(uow: AbstractUnitOfWork, conversation_id: str, channel: str,
                older_than_s: float) -> List[Tuple[int, dict]]:
    """Undelivered messages of ``channel`` (a delivery name) for ``conversation_id`` older than
    ``older_than_s`` seconds, marked delivered so no one else sends them: ``[(id, message)]``.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        conversation_id: the conversation's Rasa sender id.
        channel: the delivery name of the channel (``Channel.delivery``).
        older_than_s: how old (seconds) an undelivered message must be.

    Returns:
        ``[(outbox id, message)]``, now marked delivered.
    """
    with uow:
        claimed = uow.outbox.claim_stale(conversation_id, channel, utcnow() - timedelta(seconds=older_than_s))
        uow.commit()
        return claimed


def release(uow: AbstractUnitOfWork, ids: List[int]) -> None:
    """Mark claimed messages undelivered again (sending them failed).

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        ids: outbox message ids.

    Returns:
        None.
    """
    with uow:
        uow.outbox.release(ids)
        uow.commit()
