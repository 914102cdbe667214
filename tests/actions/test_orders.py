import asyncio

from rasa_sdk.events import SlotSet

from actions.orders import ActionChangeAddress, ActionCheckOrderStatus, ValidateAddressChangeForm, ValidateOrderStatusForm
from bot.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import responses


def test_shipped_order_status_in_chinese(database_url, tracker_from, dispatcher):
    events = ActionCheckOrderStatus().run(dispatcher, tracker_from("order_status_shipped_zh"), {})
    assert events == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_order_status_shipped"
    assert message["order_number"] == "QX-100002"
    assert message["carrier"] == "SF Express"
    assert message["tracking_number"] == "SF1234567890"
    assert "月" in message["eta"] and "周" in message["eta"]  # date written the Chinese way


def test_unknown_order_number_is_rejected_with_a_chance_to_retype(database_url, tracker_from, dispatcher):
    result = ValidateOrderStatusForm().validate_order_number(
        "QX-999999", dispatcher, tracker_from("order_status_unknown_en"), {}
    )
    assert result == {"order_number": None}
    assert responses(dispatcher) == ["utter_order_not_found"]
    assert dispatcher.messages[0]["order_number"] == "QX-999999"


def test_order_number_is_normalised_when_valid(database_url, tracker_from, dispatcher):
    result = ValidateOrderStatusForm().validate_order_number(
        "qx 100003", dispatcher, tracker_from("order_status_unknown_en"), {}
    )
    assert result == {"order_number": "QX-100003"}
    assert dispatcher.messages == []


def test_address_change_writes_and_confirms(database_url, tracker_from, dispatcher):
    events = ActionChangeAddress().run(dispatcher, tracker_from("address_change_processing_en"), {})
    assert events == [SlotSet("new_address", None)]
    assert responses(dispatcher) == ["utter_address_changed"]
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.orders.get("QX-100001").shipping_address == "221B Baker Street, London NW1 6XE"


def test_shipped_order_skips_the_address_question_and_is_refused(database_url, tracker_from, dispatcher):
    tracker = tracker_from("address_change_shipped_zh")
    form = ValidateAddressChangeForm()
    needed = asyncio.run(form.required_slots(["order_number", "new_address"], dispatcher, tracker, {}))
    assert needed == ["order_number"]

    ActionChangeAddress().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_address_change_refused_shipped"]
    assert dispatcher.messages[0]["tracking_number"] == "SF1234567890"
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.orders.get("QX-100002").shipping_address.startswith("上海市")


def test_incomplete_address_is_asked_again(database_url, tracker_from, dispatcher):
    form = ValidateAddressChangeForm()
    tracker = tracker_from("address_change_processing_en")
    assert form.validate_new_address("London", dispatcher, tracker, {}) == {"new_address": None}
    assert responses(dispatcher) == ["utter_address_too_short"]
    assert form.validate_new_address("  5 Elm   Road,\nYork YO1 7HH ", dispatcher, tracker, {}) == {
        "new_address": "5 Elm Road, York YO1 7HH"
    }
