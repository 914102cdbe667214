"""Order use cases: look an order up, change its delivery address."""
from __future__ import annotations

from typing import Optional

from bot.customers.model import Customer, owns_order
from bot.orders.model import AddressChangeRefused, InvalidAddress, Order, OrderNotFound, valid_new_address
from bot.services.otp import blocked_by
from bot.storage.uow import AbstractUnitOfWork


class NotOwner(Exception):
    """The conversation has not proved it owns the order (``bot.customers.model.owns_order``).

    Attributes:
        order: the order (``Order``).
        blocked: True when the conversation may not try to prove it now either
            (``bot.services.otp.blocked_by``: too many attempts).
    """

    def __init__(self, order: Order, blocked: bool) -> None:
        super().__init__(f"{order.order_number}: not proved the owner" + (" (proof blocked)" if blocked else ""))
        self.order = order
        self.blocked = blocked


class NotConfirmed(Exception):
    """The customer did not say "yes" to the change (or no new address is known); nothing changed."""


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


def write_address(uow: AbstractUnitOfWork, order_number: str, new_address: str, conversation_id: str) -> Order:
    """Change the delivery address of an order that has not shipped (audited with the conversation id).

    The write step only: it checks the order's state and the address, not who asks. A
    conversation's request goes through :func:`change_address_for`, which checks the owner,
    the proof limits and the confirmation first.

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


def change_address_for(uow: AbstractUnitOfWork, order_number: Optional[str], new_address: Optional[str],
                       conversation_id: str, customer: Optional[Customer], confirmed: bool) -> Order:
    """A conversation asks to change an order's delivery address: the whole rule (issue 12, rev12 #5).

    In this order: the order must exist; it must not have shipped (or been cancelled); the
    conversation must own it (``owns_order``: its customer's trusted identity is the order's
    e-mail or phone); the customer must have said "yes" to a new address; then
    :func:`write_address` writes it (checking the state again).

    Args:
        uow: the unit of work, opened here (``with uow:``) for the checks and again for the change.
        order_number: the canonical order number (``QX-123456``), or None.
        new_address: the new delivery address as typed, or None.
        conversation_id: the conversation's Rasa sender id.
        customer: the conversation's customer as resolved from its evidence
            (``bot.services.from_tracker.resolve_customer``), or None if anonymous.
        confirmed: True when the customer said "yes" to "change it to ...?".

    Returns:
        The order with its new address.

    Raises:
        bot.orders.model.OrderNotFound: no such order.
        bot.orders.model.AddressChangeRefused: it shipped (or was cancelled); ``.order`` is its
            state, ``.owner`` how the conversation proved it owns the order (None: it did not).
        NotOwner: the conversation has not proved it owns the order (``.blocked``: nor may it try now).
        NotConfirmed: no "yes" or no new address.
        bot.orders.model.InvalidAddress: ``new_address`` is no address.
        Nothing changed in each case.
    """
    with uow:
        order = uow.orders.get(order_number) if order_number else None
        if order is None:
            raise OrderNotFound(order_number)
        owner = owns_order(customer, order)
        if not order.address_changeable:
            raise _refused(order, owner)
        if owner is None:
            raise NotOwner(order, blocked_by(uow, conversation_id, order.order_number) is not None)
    if not new_address or not confirmed:
        raise NotConfirmed(order.order_number)
    try:
        return write_address(uow, order.order_number, new_address, conversation_id)
    except AddressChangeRefused as refused:  # shipped meanwhile
        raise _refused(refused.order, owner) from None


def _refused(order: Order, owner: Optional[str]) -> AddressChangeRefused:
    """An ``AddressChangeRefused`` for ``order`` that also says whether the asker owns it (``.owner``)."""
    refused = AddressChangeRefused(order)
    refused.owner = owner  # type: ignore[attr-defined]
    return refused
