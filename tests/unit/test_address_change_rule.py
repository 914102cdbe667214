"""Who may change an address is the service's rule (review rev12 #5): ``orders.change_address_for``
refuses a conversation that has not proved it owns the order, a missing "yes", and a shipped order,
whoever calls it (the action only renders the refusal)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.customers.model import Customer, Identity
from bot.orders.model import AddressChangeRefused, Order, OrderNotFound
from bot.services import orders as orders_service
from bot.storage.fakes import FakeUnitOfWork

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
OWNER = Customer("cust-1", "Li Na", (Identity("email", "li.na@example.com", True, "token"),), "token")
STRANGER = Customer("cust-2", "Someone", (Identity("email", "else@example.com", True, "token"),), "token")


def shop() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    order = Order("QX-100001", "Li Na", "li.na@example.com", None, "processing", None, None, "1 Old Rd", NOW, None, None)
    shipped = Order("QX-100002", "Li Na", "li.na@example.com", None, "shipped", None, None, "1 Old Rd", NOW, None, None)
    uow.orders.orders = {"QX-100001": order, "QX-100002": shipped}
    return uow


@pytest.mark.parametrize("customer", [None, STRANGER])
def test_a_conversation_that_has_not_proved_it_owns_the_order_changes_nothing(customer):
    uow = shop()
    with pytest.raises(orders_service.NotOwner) as refused:
        orders_service.change_address_for(uow, "QX-100001", "2 New St", "c1", customer, confirmed=True)
    assert (refused.value.order.order_number, refused.value.blocked) == ("QX-100001", False)
    assert uow.orders.changes == []


def test_the_owner_needs_a_yes_and_then_the_address_changes():
    uow = shop()
    with pytest.raises(orders_service.NotConfirmed):
        orders_service.change_address_for(uow, "QX-100001", "2 New St", "c1", OWNER, confirmed=False)
    assert uow.orders.changes == []
    changed = orders_service.change_address_for(uow, "QX-100001", "2 New St", "c1", OWNER, confirmed=True)
    assert changed.shipping_address == "2 New St" and uow.orders.changes == [("QX-100001", "c1", "2 New St")]


def test_a_shipped_or_unknown_order_is_refused_saying_whether_the_asker_owns_it():
    uow = shop()
    with pytest.raises(AddressChangeRefused) as refused:
        orders_service.change_address_for(uow, "QX-100002", "2 New St", "c1", OWNER, confirmed=True)
    assert (refused.value.order.status, refused.value.owner) == ("shipped", "token")
    with pytest.raises(AddressChangeRefused) as refused:
        orders_service.change_address_for(uow, "QX-100002", "2 New St", "c1", None, confirmed=True)
    assert refused.value.owner is None
    with pytest.raises(OrderNotFound):
        orders_service.change_address_for(uow, "QX-999999", "2 New St", "c1", OWNER, confirmed=True)
    assert uow.orders.changes == []
