"""The services' arguments read from a tracker (rasa-sdk's ``Tracker``, or Rasa's own in the server's fallback)."""
from __future__ import annotations

from typing import Any, Optional

from bot.customers.model import Customer
from bot.handover.packet import channel_name
from bot.services import UnitOfWorkFactory
from bot.services.customers import link_customer


def resolve_customer(uow_factory: UnitOfWorkFactory, tracker: Any, secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a rasa-sdk tracker's conversation, or ``None`` if anonymous (see ``bot.services.customers.link_customer``).

    Args:
        uow_factory: makes a fresh unit of work; this use case opens one per transaction.
        tracker: the rasa-sdk ``Tracker`` (or Rasa's own) of the conversation.
        secret: the customer-token secret (default: the settings' ``WEBCHAT_TOKEN_SECRET``).

    Returns:
        The customer, or ``None`` if the conversation is anonymous.
    """
    channel = channel_name(tracker.get_latest_input_channel())
    return link_customer(uow_factory, tracker.sender_id, channel, list(tracker.events or []), secret)
