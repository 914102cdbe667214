"""Repositories and the unit of work on a real SQLite file."""
import pytest
from sqlalchemy import select

from bot.storage.db import AddressChangeRow
from bot.orders.model import AddressChangeRefused, OrderNotFound
from bot.storage.seed import seed_demo_orders
from bot.handover.troubleshooting import Progress
from tests.rows import RowsUnitOfWork


def test_seed_is_idempotent_and_covers_every_state(uow):
    assert seed_demo_orders(RowsUnitOfWork()) == 0
    with uow:
        statuses = {uow.orders.get(n).status for n in uow.orders.list_numbers()}
    assert statuses == {"processing", "shipped", "delivered", "cancelled"}


def test_get_unknown_order_is_none(uow):
    with uow:
        assert uow.orders.get("QX-999999") is None


def test_address_change_before_shipping_is_written_and_audited(uow):
    with uow:
        uow.orders.change_address("QX-100001", "1 New Road, Leeds LS1 1AA", "conv-1")
        uow.commit()
    with RowsUnitOfWork() as fresh:
        assert fresh.orders.get("QX-100001").shipping_address == "1 New Road, Leeds LS1 1AA"
        audit = fresh.execute(select(AddressChangeRow)).scalars().all()
        assert [(a.order_number, a.conversation_id, a.new_address) for a in audit] == [
            ("QX-100001", "conv-1", "1 New Road, Leeds LS1 1AA")
        ]
        assert audit[0].old_address.startswith("12 Baker Street")


@pytest.mark.parametrize("number", ["QX-100002", "QX-100003", "QX-100004"])
def test_address_change_refused_once_shipped_delivered_or_cancelled(uow, number):
    with uow:
        before = uow.orders.get(number).shipping_address
        with pytest.raises(AddressChangeRefused):
            uow.orders.change_address(number, "1 New Road, Leeds LS1 1AA", "conv-1")
    with RowsUnitOfWork() as fresh:
        assert fresh.orders.get(number).shipping_address == before


def test_address_change_unknown_order(uow):
    with uow, pytest.raises(OrderNotFound):
        uow.orders.change_address("QX-999999", "1 New Road", "conv-1")


def test_unit_of_work_rolls_back_without_commit(uow):
    with uow:
        uow.orders.change_address("QX-100005", "somewhere else 12", "conv-2")
    with RowsUnitOfWork() as fresh:
        assert fresh.orders.get("QX-100005").shipping_address.startswith("广州市")


def test_troubleshooting_progress_round_trip(uow):
    progress = Progress(conversation_id="c1", flow="password_reset")
    progress.complete(1)
    progress.complete(2)
    with uow:
        uow.progress.save(progress)
        uow.commit()
    with RowsUnitOfWork() as fresh:
        loaded = fresh.progress.get("c1", "password_reset")
    assert loaded.steps_done == [1, 2]
    assert loaded.next_step == 3
    assert loaded.status == "in_progress"


def test_progress_completes_after_last_step():
    progress = Progress(conversation_id="c1", flow="password_reset")
    for step in range(1, 5):
        progress.complete(step)
    assert progress.status == "completed" and progress.next_step is None


def test_reason_codes_are_checked(uow):
    with uow:
        uow.reasons.record("c1", "customer_request", "asked for a person")
        with pytest.raises(ValueError):
            uow.reasons.record("c1", "bored", None)
        uow.commit()
    with RowsUnitOfWork() as fresh:
        assert fresh.reasons.for_conversation("c1") == [("customer_request", "asked for a person")]


def test_the_production_unit_of_work_has_no_row_level_helpers():
    """Issue 12 review: bot/ reaches rows only through the repositories; the helpers tests use to
    write or inspect rows live in tests/rows.py."""
    from bot.storage.uow import AbstractUnitOfWork, SqlAlchemyUnitOfWork

    for name in ("execute", "rows", "get", "add", "flush", "connection"):
        assert not hasattr(SqlAlchemyUnitOfWork, name) and not hasattr(AbstractUnitOfWork, name), name
        assert callable(getattr(RowsUnitOfWork, name))
