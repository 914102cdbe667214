"""Domain rules live in the domain and the services, not in the entry points (issue 12):
agent accounts (password length, self-disable, roles), new delivery addresses, owner-only
order statuses, close dispositions."""
import inspect
from datetime import datetime, timezone

import pytest

from bot.cli import main as cli
from bot.orders.model import InvalidAddress, Order, valid_new_address
from bot.services import agents as agents_service
from bot.services import orders as orders_service
from bot.storage.fakes import FakeUnitOfWork
from bot.storage.uow import SqlAlchemyUnitOfWork

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def test_the_service_refuses_a_short_password_a_bad_role_and_disabling_oneself(uow):
    with pytest.raises(agents_service.AgentRefused, match="at least 8 characters"):
        agents_service.save_agent(SqlAlchemyUnitOfWork(), "li.wei", "short", "Li", "agent", None, None, "sue")
    with pytest.raises(agents_service.AgentRefused, match="role must be one of agent, supervisor"):
        agents_service.save_agent(SqlAlchemyUnitOfWork(), "li.wei", "pass-word-1", "Li", "boss", None, None, "sue")
    with pytest.raises(agents_service.CannotDisableSelf):
        agents_service.save_agent(SqlAlchemyUnitOfWork(), "sue", "pass-word-1", "Sue", "supervisor", None, False,
                                  "sue")
    with pytest.raises(agents_service.CannotDisableSelf):
        agents_service.set_active(SqlAlchemyUnitOfWork(), "sue", False, "sue")
    with SqlAlchemyUnitOfWork() as u:
        assert u.agents.all(NOW) == []  # nothing was saved
    view, created = agents_service.save_agent(SqlAlchemyUnitOfWork(), "li.wei", "pass-word-1", "Li", "agent",
                                              None, None, "sue")
    assert created and view["username"] == "li.wei"


def test_the_cli_catches_the_same_refusals(uow, capsys):
    assert cli(["create-agent", "li.wei", "--display-name", "Li Wei", "--password", "short"]) == 2
    assert "password needs at least 8 characters" in capsys.readouterr().err


def test_the_desk_maps_refusals_in_its_one_table_and_checks_no_account_rule_itself():
    import connectors.agent_desk as desk

    assert desk.ERROR_STATUS[agents_service.AgentRefused] == 400
    assert desk.ERROR_STATUS[agents_service.CannotDisableSelf] == 409
    source = inspect.getsource(desk)
    assert "len(password)" not in source and "cannot disable yourself" not in source and "ROLES" not in source
    assert "len(password)" not in inspect.getsource(__import__("bot.cli").cli)


@pytest.mark.parametrize("typed, address", [
    ("2 New St", "2 New St"),
    ("  12   Main  St ", "12 Main St"),
    ("上海市浦东新区世纪大道1号", "上海市浦东新区世纪大道1号"),
    ("at home", None), ("Main Street", None), ("1 A St", None), ("", None), (None, None),
])
def test_what_a_new_address_is(typed, address):
    assert valid_new_address(typed) == address


def test_the_address_change_service_refuses_what_is_no_address():
    uow = FakeUnitOfWork()
    order = Order("QX-100001", "Li Na", None, None, "processing", None, None, "1 Old Rd", NOW, None, None)
    uow.orders.orders = {"QX-100001": order}
    with pytest.raises(InvalidAddress):
        orders_service.write_address(uow, "QX-100001", "at home", "c1")
    assert uow.orders.changes == []
    changed = orders_service.write_address(uow, "QX-100001", " 2  New St ", "c1")
    assert changed.shipping_address == "2 New St"


@pytest.mark.parametrize("status, hidden", [
    ("processing", True), ("shipped", True), ("delivered", True), ("cancelled", False),
])
def test_owner_only_statuses_are_a_property_of_the_order(status, hidden):
    order = Order("QX-100001", "Li Na", None, None, status, None, None, "1 Old Rd", NOW, None, None)
    assert order.details_hidden is hidden


def test_the_actions_define_no_order_rule_of_their_own():
    import actions.orders as order_actions
    from bot import domain

    assert not hasattr(order_actions, "DETAILS_HIDDEN") and not hasattr(order_actions, "MIN_ADDRESS_LENGTH")
    assert domain.DISPOSITIONS == ("resolved", "follow_up", "no_response", "transferred")
