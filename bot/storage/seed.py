"""Demo orders in every state, inserted once (idempotent)."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.text import utcnow
from bot.storage.uow import SqlAlchemyUnitOfWork


def demo_orders(now: datetime) -> list[dict]:
    """Demo orders dated relative to ``now`` so estimates look current."""
    NOW = now.replace(minute=0, second=0, microsecond=0)
    return [
        dict(order_number="QX-100001", customer_name="Emma Wilson", email="emma.wilson@example.com",
             phone="+447700900111", status="processing", shipping_address="12 Baker Street, London NW1 6XE, UK",
             placed_at=NOW - timedelta(days=1), estimated_delivery=NOW + timedelta(days=4)),
        dict(order_number="QX-100002", customer_name="Li Na", email="li.na@example.com",
             phone="+8613812345678", status="shipped", carrier="SF Express", tracking_number="SF1234567890",
             shipping_address="上海市浦东新区世纪大道100号 200120",
             placed_at=NOW - timedelta(days=3), estimated_delivery=NOW + timedelta(days=1)),
        dict(order_number="QX-100003", customer_name="James Carter", email="j.carter@example.com",
             phone="+15555550123", status="delivered", carrier="DHL", tracking_number="JD014600003",
             shipping_address="500 Market St, San Francisco, CA 94105, USA",
             placed_at=NOW - timedelta(days=9), estimated_delivery=NOW - timedelta(days=4),
             delivered_at=NOW - timedelta(days=4)),
        dict(order_number="QX-100004", customer_name="Wang Fang", email="wang.fang@example.com",
             phone="+8613900001111", status="cancelled",
             shipping_address="北京市朝阳区建国路88号 100022",
             placed_at=NOW - timedelta(days=6)),
        dict(order_number="QX-100005", customer_name="Zhang Wei", email="zhang.wei@example.com",
             phone="+8613700002222", status="processing",
             shipping_address="广州市天河区天河路208号 510620",
             placed_at=NOW - timedelta(hours=5), estimated_delivery=NOW + timedelta(days=3)),
        dict(order_number="QX-100006", customer_name="Sofia Rossi", email="sofia.rossi@example.com",
             phone="+393331234567", status="shipped", carrier="UPS", tracking_number="1Z999AA10123456784",
             shipping_address="Via Roma 1, 20121 Milano, Italy",
             placed_at=NOW - timedelta(days=2), estimated_delivery=NOW + timedelta(days=2)),
    ]


def seed_demo_orders(uow: SqlAlchemyUnitOfWork) -> int:
    """Insert demo orders that are missing; returns how many were added."""
    added = 0
    with uow:
        existing = set(uow.orders.list_numbers())
        for fields in demo_orders(utcnow()):
            if fields["order_number"] not in existing:
                uow.orders.add(**fields)
                added += 1
        uow.commit()
    return added
