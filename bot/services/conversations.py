"""Claim a conversation for the channel that started it, and read its owner (DESIGN.md §8).

The rule and the table are in ``bot.channels.conversations``; these run it in a
unit of work of their own (``uow_factory`` makes one), for the REST channel and
Rasa's tracker store.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Optional

# Owners this process has seen recorded in the database, most recent last (an owner never
# changes once recorded): the REST channel claims before the turn, and the tracker store
# then need not claim the same conversation again in another transaction (issue 16).
_KNOWN_MAX = 10_000
_known: "OrderedDict[str, str]" = OrderedDict()


def remember(conversation_id: str, owner: str) -> None:
    """Note that the database records ``owner`` for ``conversation_id`` (bounded, per process)."""
    _known[conversation_id] = owner
    _known.move_to_end(conversation_id)
    while len(_known) > _KNOWN_MAX:
        _known.popitem(last=False)


def remembered(conversation_id: str) -> Optional[str]:
    """The owner :func:`remember` noted for ``conversation_id`` in this process, or ``None``."""
    return _known.get(conversation_id)


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
