"""Orders and address changes in the database (the unit of work's ``orders``)."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.orders.model import ADDRESS_CHANGEABLE, STATUSES, AddressChangeRefused, Order, OrderNotFound
from bot.storage.db import AddressChangeRow, OrderRow
from bot.storage.repositories import OrderRepository


def order_of_row(row: OrderRow) -> Order:
    """The :class:`bot.orders.model.Order` of a stored row.

    Args:
        row: an ``orders`` row.

    Returns:
        The :class:`~bot.orders.model.Order` (dates aware UTC).
    """
    return Order(
        order_number=row.order_number,
        customer_name=row.customer_name,
        email=row.email,
        phone=row.phone,
        status=row.status,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        shipping_address=row.shipping_address,
        placed_at=row.placed_at,
        estimated_delivery=row.estimated_delivery,
        delivered_at=row.delivered_at,
    )


class SqlAlchemyOrderRepository(OrderRepository):
    """Orders and address changes on the unit of work's session."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_number: str) -> Optional[Order]:
        """The order with this canonical number (``QX-123456``), or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(OrderRow, order_number)
        return order_of_row(row) if row else None

    def add(self, **fields) -> Order:
        """Store a new order (demo data, tests); returns it.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if fields.get("status") not in STATUSES:
            raise ValueError(f"unknown order status {fields.get('status')!r}")
        row = OrderRow(**fields)
        self.session.add(row)
        self.session.flush()
        return order_of_row(row)

    def list_numbers(self) -> list[str]:
        """Every stored order number."""
        return list(self.session.execute(select(OrderRow.order_number)).scalars())

    def change_address(self, order_number: str, new_address: str, conversation_id: str) -> Order:
        """Change the address if the order has not shipped; lock the row first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        stmt = select(OrderRow).where(OrderRow.order_number == order_number).with_for_update()
        row = self.session.execute(stmt).scalar_one_or_none()
        if row is None:
            raise OrderNotFound(order_number)
        if row.status not in ADDRESS_CHANGEABLE:
            raise AddressChangeRefused(order_of_row(row))
        self.session.add(
            AddressChangeRow(
                order_number=order_number,
                conversation_id=conversation_id,
                old_address=row.shipping_address,
                new_address=new_address,
            )
        )
        row.shipping_address = new_address
        self.session.flush()
        return order_of_row(row)
