"""Demo orders in every state and the demo supervisor, only where they cannot hurt.

A database counts as *new* when it holds no orders and no agents. ``make run``
and ``make scale-up`` call ``python -m bot.cli seed`` and ``demo-agent`` on
every start: on a database in use (a production one) they change nothing
unless ``DEMO=1`` asks for the demo explicitly, and they never reset an
existing agent's password without saying so.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Optional, Tuple

from bot.text import utcnow
from bot.storage.uow import SqlAlchemyUnitOfWork

DEMO_AGENT = "demo"


def demo_orders(now: datetime) -> list[dict]:
    """Demo orders dated relative to ``now`` so estimates look current.

    Args:
        now: the current time (aware UTC); dates are counted from its hour.

    Returns:
        Keyword dicts for ``uow.orders.add`` (order number, customer, contact, status, address, dates).
    """
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


def is_new_database(uow: SqlAlchemyUnitOfWork) -> bool:
    """True when the database holds no orders and no agents (nothing anyone could lose).

    Args:
        uow: a unit of work on the database (entered here).

    Returns:
        True when it has no orders and no agents.
    """
    with uow:
        return not uow.orders.list_numbers() and not uow.agents.all()


def seed_demo(uow: SqlAlchemyUnitOfWork, demo: bool) -> Tuple[int, str]:
    """The demo orders, on a new database or when ``demo`` (``DEMO=1``) asks for them.

    Args:
        uow: a unit of work on the database (entered here).
        demo: ``Settings.demo`` (``DEMO=1``): add the orders even to a database in use.

    Returns:
        ``(added, what_was_done)``: the orders inserted and a sentence saying why.
    """
    if not demo and not is_new_database(uow):
        return 0, "demo orders not added: the database is in use (DEMO=1 to add them)"
    added = seed_demo_orders(uow)
    return added, f"demo orders added: {added}" + ("" if demo else " (new database)")


def demo_agent(uow: SqlAlchemyUnitOfWork, demo: bool, password: Optional[str]) -> Tuple[Optional[str], str]:
    """The demo supervisor ``demo``: created on a database without agents or when ``demo`` (``DEMO=1``).

    An existing ``demo`` keeps its password unless ``demo`` is set; then it is
    reset (its sessions end) and the sentence says so.

    Args:
        demo: ``Settings.demo`` (``DEMO=1``).
        password: ``AGENT_DEMO_PASSWORD``; None: a random one.
        uow: a unit of work on the database (entered here).

    Returns:
        ``(password or None when nothing was created or reset, what_was_done)``.
    """
    with uow:
        agents = {agent["username"] for agent in uow.agents.all()}
    exists = DEMO_AGENT in agents
    if not demo and exists:
        return None, (f"agent {DEMO_AGENT} exists: password unchanged (DEMO=1 resets it; "
                      f"or python -m bot.cli create-agent {DEMO_AGENT} --display-name 'Demo Agent' --role supervisor)")
    if not demo and agents:
        return None, f"no demo agent created: the database has agents (DEMO=1 to create {DEMO_AGENT})"
    password = password or secrets.token_urlsafe(9)
    with uow:
        saved = uow.agents.save(DEMO_AGENT, password, "Demo Agent", "supervisor", by="cli")
        uow.tickets.audit("cli", "create_agent" if saved.created else "update_agent", DEMO_AGENT,
                          {"role": "supervisor", "sessions_ended": saved.sessions_ended, "demo": True})
        uow.commit()
    if saved.created:
        return password, f"agent {DEMO_AGENT} (supervisor) created"
    return password, f"agent {DEMO_AGENT} existed: password RESET because DEMO=1 ({saved.sessions_ended} session(s) ended)"


def seed_demo_orders(uow: SqlAlchemyUnitOfWork) -> int:
    """Insert demo orders that are missing; returns how many were added.

    Args:
        uow: a unit of work on the database (entered and committed here).

    Returns:
        The number of orders inserted (0 when all were there).
    """
    added = 0
    with uow:
        existing = set(uow.orders.list_numbers())
        for fields in demo_orders(utcnow()):
            if fields["order_number"] not in existing:
                uow.orders.add(**fields)
                added += 1
        uow.commit()
    return added
