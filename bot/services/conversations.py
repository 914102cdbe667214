"""Claim a conversation for the channel that started it, and read its owner (DESIGN.md §8).

The rule and the table are in ``bot.channels.conversations``; these run it in a
unit of work of their own (``uow_factory`` makes one), for the REST channel and
Rasa's tracker store.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Optional

from bot.services import UnitOfWorkFactory

# Owners this process has seen recorded in the database, most recent last (an owner never
# changes once recorded): the REST channel claims before the turn, and the tracker store
# then need not claim the same conversation again in another transaction (issue 16).
_KNOWN_MAX = 10_000
_known: "OrderedDict[str, str]" = OrderedDict()


def remember(conversation_id: str, owner: str) -> None:
    """Note that the database records ``owner`` for ``conversation_id`` (bounded, per process).

    Args:
        conversation_id: the conversation's Rasa sender id.
        owner: the packet name of the channel the database records as its owner.

    Returns:
        None.
    """
    _known[conversation_id] = owner
    _known.move_to_end(conversation_id)
    while len(_known) > _KNOWN_MAX:
        _known.popitem(last=False)


def remembered(conversation_id: str) -> Optional[str]:
    """The owner :func:`remember` noted for ``conversation_id`` in this process.

    Args:
        conversation_id: the conversation's Rasa sender id.

    Returns:
        The owner's packet channel name, or ``None`` when not noted here.
    """
    return _known.get(conversation_id)


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
