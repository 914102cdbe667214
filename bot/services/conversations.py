"""Claim a conversation for the channel that started it, and read its owner (DESIGN.md §8).

The rule and the table are in ``bot.channels.conversations``; these run it in a
unit of work of their own (``uow_factory`` makes one), for the REST channel and
Rasa's tracker store.
"""
from __future__ import annotations

from typing import Any, Optional


def claim(uow_factory: Any, conversation_id: str, channel: str) -> str:
    """``claim`` in its own unit of work (committed); returns the owner channel."""
    with uow_factory() as uow:
        owner = uow.conversations.claim(conversation_id, channel)
        uow.commit()
    return owner


def owner(uow_factory: Any, conversation_id: str) -> Optional[str]:
    """The owner channel of a conversation (read-only), or ``None`` if it has not started."""
    with uow_factory() as uow:
        return uow.conversations.owner(conversation_id)
