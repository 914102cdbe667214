"""Orders: the read model the assistant shows, order numbers and the address-change rule (pure: no SQL;
the repository is bot.orders.repository)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

# The order-number pattern and normalisers are bot.text's (the queue's search uses them too).
from bot.text import ORDER_NUMBER_PATTERN, find_order_numbers, normalise_order_number  # noqa: F401 (re-exported)

STATUSES = ("processing", "shipped", "delivered", "cancelled")
# Address can be changed only before the parcel leaves the warehouse.
ADDRESS_CHANGEABLE = frozenset({"processing"})
# Statuses whose owner-only answer says more than the public one (carrier, tracking number, dates).
DETAILS_HIDDEN = frozenset({"processing", "shipped", "delivered"})
#: The shortest new delivery address, in characters: "12 Main St" or "上海市浦东新区世纪大道1号".
MIN_ADDRESS_LENGTH = 8


def valid_new_address(text: Optional[str]) -> Optional[str]:
    """``text`` as a new delivery address (white space collapsed), or None when it cannot be one.

    An address has at least :data:`MIN_ADDRESS_LENGTH` characters and a digit (a house
    number, a postcode): ``"2 New St"`` yes, ``"at home"`` and ``"Leeds"`` no.

    Args:
        text: the address as the customer typed it, or None.

    Returns:
        The cleaned address, or None.
    """
    address = " ".join(str(text or "").split())
    if len(address) < MIN_ADDRESS_LENGTH or not any(ch.isdigit() for ch in address):
        return None
    return address


# Carriers' own Chinese trade names (as printed on their waybills and sites); a carrier not
# listed keeps the name stored on the order in both languages.
CARRIER_NAMES_ZH = {
    "sf express": "顺丰速运",
    "jd logistics": "京东物流",
    "ems": "中国邮政EMS",
    "china post": "中国邮政",
    "yto express": "圆通速递",
    "zto express": "中通快递",
    "sto express": "申通快递",
    "yunda express": "韵达快递",
    "deppon": "德邦快递",
    "fedex": "联邦快递",
}


def carrier_name(carrier: Optional[str], language: str) -> str:
    """A carrier's name in the customer's language (issue 14: no "SF Express" in a Chinese reply).

    Args:
        carrier: the carrier as stored on the order (``"SF Express"``), or None.
        language: ``"zh"`` or ``"en"``.

    Returns:
        The Chinese trade name of a known carrier when ``language`` is ``zh``, else the stored
        name (DHL and UPS are written so in Chinese too); ``""`` for None.
    """
    if not carrier:
        return ""
    if language == "zh":
        return CARRIER_NAMES_ZH.get(" ".join(carrier.split()).lower(), carrier)
    return carrier


@dataclass(frozen=True)
class Order:
    """An order as the bot and the desk see it; datetimes are UTC."""
    order_number: str
    customer_name: str
    email: Optional[str]
    phone: Optional[str]
    status: str
    carrier: Optional[str]
    tracking_number: Optional[str]
    shipping_address: str
    placed_at: datetime
    estimated_delivery: Optional[datetime]
    delivered_at: Optional[datetime]

    @property
    def address_changeable(self) -> bool:
        """Whether the delivery address may still change (the order is still being prepared)."""
        return self.status in ADDRESS_CHANGEABLE

    @property
    def details_hidden(self) -> bool:
        """Whether only the owner hears this order's details (carrier, tracking number, dates): a
        stranger gets the public status answer (and the offer to prove ownership)."""
        return self.status in DETAILS_HIDDEN


class AddressChangeRefused(Exception):
    """The order has left the warehouse (or was cancelled)."""

    def __init__(self, order: Order) -> None:
        super().__init__(f"{order.order_number} is {order.status}")
        self.order = order


class InvalidAddress(ValueError):
    """A new delivery address that cannot be one (see :func:`valid_new_address`)."""


class OrderNotFound(Exception):
    """No order has this number."""
    pass
