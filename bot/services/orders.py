"""Order use cases: look an order up, change its delivery address."""
from __future__ import annotations

from typing import Optional

from bot.orders.model import InvalidAddress, Order, valid_new_address
from bot.storage.uow import AbstractUnitOfWork


def find_order(uow: AbstractUnitOfWork, order_number: Optional[str]) -> Optional[Order]:
    """The order with this (canonical) number, or None (also for a missing number).

    Args:
        uow: the unit of work, opened here (``with uow:``); read only.
        order_number: the canonical order number (``QX-123456``).

    Returns:
        The order (``Order``), or None.
    """
    if not order_number:
        return None
    with uow:
        return uow.orders.get(order_number)


def change_address(uow: AbstractUnitOfWork, order_number: str, new_address: str, conversation_id: str) -> Order:
    """Change the delivery address of an order that has not shipped (audited with the conversation id).

    The caller has checked that the conversation owns the order.

    Args:
        uow: the unit of work, opened here (``with uow:``) and committed.
        order_number: the canonical order number (``QX-123456``).
        new_address: the new delivery address as typed (checked by ``valid_new_address``).
        conversation_id: the conversation's Rasa sender id.

    Returns:
        The order with its new address.

    Raises:
            bot.orders.model.InvalidAddress: ``new_address`` is no address (``valid_new_address``); nothing
            changed.
        bot.orders.model.OrderNotFound: no such order.
            bot.orders.model.AddressChangeRefused: it shipped (or was cancelled) meanwhile; ``.order`` is its
            state.
    """
    address = valid_new_address(new_address)
    if address is None:
        raise InvalidAddress(f"not a delivery address: {new_address!r}")
    with uow:
        order = uow.orders.change_address(order_number, address, conversation_id)
        uow.commit()
        return order
