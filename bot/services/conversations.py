"""Claim a conversation for the channel that started it, and read its owner (DESIGN.md §8).

The rule and the table are in ``bot.channels.conversations``; these run it in a
unit of work of their own (``uow_factory`` makes one), for the REST channel and
Rasa's tracker store.
"""
from __future__ import annotations

from typing import Optional

from bot.services import UnitOfWorkFactory


def claim(uow_factory: UnitOfWorkFactory, conversation_id: str, channel: str) -> str:
    """``claim`` in its own unit of work (committed); returns the owner channel.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.
        channel: the packet name of the conversation's channel (web|wechat|ivr|rest).

    Returns:
        The conversation's owner channel (the one that claimed it first).
    """
    with uow_factory() as uow:
        owner = uow.conversations.claim(conversation_id, channel)
        uow.commit()
    return owner


def owner(uow_factory: UnitOfWorkFactory, conversation_id: str) -> Optional[str]:
    """The owner channel of a conversation (read-only), or ``None`` if it has not started.

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        conversation_id: the conversation's Rasa sender id.

    Returns:
        The owner channel, or None if the conversation has not started.
    """
    with uow_factory() as uow:
        return uow.conversations.owner(conversation_id)
