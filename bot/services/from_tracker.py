"""The services' arguments read from a tracker (rasa-sdk's ``Tracker``, or Rasa's own in the server's fallback)."""
from __future__ import annotations

from typing import Any, Optional

from bot.customers.model import Customer
from bot.handover.packet import channel_name
from bot.services.customers import UnitOfWorkFactory, link_customer


def resolve_customer(tracker: Any, unit_of_work_factory: Optional[UnitOfWorkFactory] = None,
                     secret: Optional[str] = None) -> Optional[Customer]:
    """The customer of a rasa-sdk tracker's conversation, or ``None`` if anonymous (see ``bot.services.customers.link_customer``)."""
    channel = channel_name(tracker.get_latest_input_channel())
    return link_customer(tracker.sender_id, channel, list(tracker.events or []), unit_of_work_factory, secret)
