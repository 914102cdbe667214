"""Order status and address change."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import format_date, language_of, unit_of_work
from bot.orders import AddressChangeRefused, Order, OrderNotFound, normalise_order_number

MIN_ADDRESS_LENGTH = 8  # characters; "12 Main St" or "上海市浦东新区世纪大道1号"


def load_order(order_number: Optional[str]) -> Optional[Order]:
    if not order_number:
        return None
    with unit_of_work() as uow:
        return uow.orders.get(order_number)


def _validate_order_number(value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
    number = normalise_order_number(str(value or ""))
    if number is None or load_order(number) is None:
        dispatcher.utter_message(response="utter_order_not_found", order_number=str(value))
        return {"order_number": None}
    return {"order_number": number}


class ValidateOrderStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_order_status_form"

    def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return _validate_order_number(slot_value, dispatcher)


class ActionCheckOrderStatus(Action):
    def name(self) -> Text:
        return "action_check_order_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        order = load_order(tracker.get_slot("order_number"))
        if order is None:  # the form validated it; the row may have gone since
            dispatcher.utter_message(
                response="utter_order_not_found", order_number=tracker.get_slot("order_number")
            )
            return [SlotSet("order_number", None)]
        lang = language_of(tracker)
        dispatcher.utter_message(
            response=f"utter_order_status_{order.status}",
            order_number=order.order_number,
            eta=format_date(order.estimated_delivery, lang),
            carrier=order.carrier or "",
            tracking_number=order.tracking_number or "",
            delivered_on=format_date(order.delivered_at, lang),
        )
        return []


class ValidateAddressChangeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_address_change_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        # A shipped order needs no new address: end the form after the number,
        # and let action_change_address explain why.
        order = load_order(tracker.get_slot("order_number"))
        if order is not None and not order.address_changeable:
            return ["order_number"]
        return domain_slots

    def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return _validate_order_number(slot_value, dispatcher)

    def validate_new_address(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        address = " ".join(str(slot_value or "").split())
        if len(address) < MIN_ADDRESS_LENGTH or not any(ch.isdigit() for ch in address):
            dispatcher.utter_message(response="utter_address_too_short")
            return {"new_address": None}
        return {"new_address": address}


class ActionChangeAddress(Action):
    def name(self) -> Text:
        return "action_change_address"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        number = tracker.get_slot("order_number")
        address = tracker.get_slot("new_address")
        with unit_of_work() as uow:
            try:
                if not address:
                    order = uow.orders.get(number)
                    if order is None:
                        raise OrderNotFound(number)
                    raise AddressChangeRefused(order)
                order = uow.orders.change_address(number, address, tracker.sender_id)
                uow.commit()
            except OrderNotFound:
                dispatcher.utter_message(response="utter_order_not_found", order_number=number)
                return [SlotSet("order_number", None), SlotSet("new_address", None)]
            except AddressChangeRefused as refused:
                dispatcher.utter_message(
                    response=f"utter_address_change_refused_{refused.order.status}",
                    order_number=number,
                    tracking_number=refused.order.tracking_number or "",
                )
                return [SlotSet("new_address", None)]
        dispatcher.utter_message(
            response="utter_address_changed", order_number=number, new_address=order.shipping_address
        )
        return [SlotSet("new_address", None)]
