"""Order status and address change.

Anyone who knows an order number hears its status; carrier, tracking number
and dates only go to a conversation that proves it owns the order
(bot.customers.model.owns_order: a signed token, WeChat openid or IVR caller id
whose verified e-mail/phone is the order's, or a one-time code sent to the
order's e-mail or phone — bot.customers.otp). A stranger's status answer offers that
code ("yes" runs order_proof_form, then the status again, with the details).
Changing the address needs the same proof and an explicit "yes" to "change
QX-… to …?"; "no" changes nothing. Any single contact gets the same answer
("if that is the e-mail or phone on the order, a code is on its way"), so a
guess tells nothing.

An answer that is really another request is never stored as a slot: the
domain's mappings leave it unfilled (so rules answer, stop or hand over), and
the validators here refuse what slips through (an order number, a question,
several order numbers or contacts in one message).
"""
from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction, format_date, off_loop, unit_of_work
from bot.customers.model import owns_order
from bot.domain import language_of
from bot.services.from_tracker import resolve_customer
from bot.privacy.scanner import extract_intake
from bot.orders.model import (
    AddressChangeRefused, Order, OrderNotFound, carrier_name, find_order_numbers, normalise_order_number,
    valid_new_address,
)
from bot.services.otp import proof_blocked, start_proof, submit_code
from bot.services import orders as orders_service
from bot.services.notifications import get_notifier
from bot.text import fold_text, markdown_literal

# The slots of one address change after the order number; cleared when it starts,
# ends, or moves to another order.
FLOW_SLOTS = ("order_contact", "one_time_code", "new_address", "address_change_confirmed")
PROOF_SLOTS = ("order_contact", "one_time_code")
OFFERED = "order_details_offered"  # a stranger's status answer offered a code for the details
CONFIRMED = "yes"
# A question, not an answer ("can I pay by card?", "这个要多久？", "what is a postcode").
_QUESTION = re.compile(
    r"[?？]\s*$|^\s*(what|why|how|when|where|who|which|can|could|do|does|is|are)\b|吗[\s。！!]*$|呢[\s。]*$|为什么|怎么|什么",
    re.IGNORECASE,
)


def load_order(order_number: Optional[str]) -> Optional[Order]:
    """The order with this number, or None."""
    return orders_service.find_order(unit_of_work(), order_number)


def latest_text(tracker: Tracker) -> str:
    """The text of the customer's latest message (empty if none)."""
    return str((tracker.latest_message or {}).get("text") or "")


def order_numbers_in(text: str) -> List[str]:
    """Distinct order numbers in ``text``, in order."""
    return list(dict.fromkeys(number for _, _, number in find_order_numbers(text)))


def is_question(text: str) -> bool:
    """True if ``text`` reads as a question (question mark, question word, 吗/呢 ending), not an answer."""
    return bool(_QUESTION.search(fold_text(text)))


def ownership(tracker: Tracker, order: Optional[Order]) -> Optional[str]:
    """How this conversation proves it owns ``order`` (token|platform|order_contact), or None."""
    if order is None:
        return None
    return owns_order(resolve_customer(unit_of_work, tracker), order)


def _customer_if_order(tracker: Tracker, order_number: Optional[str]) -> Any:
    """The conversation's customer (``resolve_customer``), resolved only when ``order_number`` is an
    order (as before: no customer lookup for an unknown number); None otherwise."""
    return resolve_customer(unit_of_work, tracker) if load_order(order_number) is not None else None


def previous_value(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest user message.

    Exact with the window of events an action is sent (issue 16, bot/handover/action_window.py
    ``action_events_window``): it starts with the latest ``SlotSet`` of each slot set before it.
    """
    events = list(tracker.events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    value = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
    return value


def form_starting(tracker: Tracker, form: str) -> bool:
    """True if ``form`` was not running before the latest user message (it starts
    now). ``tracker.active_loop`` cannot tell: at activation Rasa already names the form.
    Exact with the window of events an action is sent (issue 16): an active form's activation is
    in it, even when it came before the window's first customer message."""
    events = list(tracker.events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    loop = None
    for event in events[:last_user]:
        if event.get("event") == "active_loop":
            loop = event.get("name")
    return loop != form


def reset_on_start(tracker: Tracker, form: str, slots: tuple) -> List[EventType]:
    """When ``form`` starts, ``slots`` left over from an earlier, unfinished
    attempt are cleared (and the candidates Rasa appended are not validated)."""
    if not form_starting(tracker, form):
        return []
    reset = [SlotSet(slot, None) for slot in slots if tracker.get_slot(slot) is not None]
    for event in reversed(tracker.events):  # the slot candidates Rasa appended
        if event.get("event") != "slot":
            break
        if event.get("name") in slots:
            event["value"] = None
    tracker.slots.update({slot: None for slot in slots})
    return reset


def is_blocked(sender_id: str, order: Order) -> bool:
    """The conversation may not try to prove ``order`` now (bot.customers.otp limits)."""
    return proof_blocked(unit_of_work(), sender_id, order.order_number) is not None


#: An order number a form was given that names no order: said as a fact only, because the form asks for the
#: number again right after it (``utter_ask_order_number``). ``utter_order_not_found`` asks too ("Could you check
#: it and type it again?"), so the customer was asked twice in a row (a new user's finding). Kept here, not in
#: the domain, so the wording needs no retraining.
ORDER_NOT_FOUND = {
    "en": "I couldn't find an order with the number {order_number}.",
    "zh": "没有找到订单号为 {order_number} 的订单。",
}


def order_not_found(order_number: str, language: str) -> str:
    """:data:`ORDER_NOT_FOUND` for ``order_number`` (as the customer gave it, shown literally) in ``language``.

    Args:
        order_number: the number the customer gave.
        language: ``en`` or ``zh`` (another: English).

    Returns:
        The message.
    """
    return ORDER_NOT_FOUND.get(language, ORDER_NOT_FOUND["en"]).format(order_number=markdown_literal(order_number))


def _validate_order_number(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    if value is None:
        return {"order_number": None}
    if len(order_numbers_in(latest_text(tracker))) > 1:  # one order per attempt
        dispatcher.utter_message(response="utter_one_order_at_a_time")
        return {"order_number": None}
    number = normalise_order_number(str(value))
    if number is None or load_order(number) is None:
        # the form asks for the number next: this says only why (one question, not two in a row)
        dispatcher.utter_message(text=order_not_found(str(value), language_of(tracker)))
        return {"order_number": None}
    return {"order_number": number}


class ValidateOrderStatusForm(FormValidationAction):
    """Validates the order number of ``order_status_form``."""

    def name(self) -> Text:
        """Rasa's action name: ``validate_order_status_form``."""
        return "validate_order_status_form"

    @off_loop
    def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The order number if such an order exists, else None (with the reason told); run off the event loop."""
        return _validate_order_number(slot_value, dispatcher, tracker)


class ActionCheckOrderStatus(OffLoopAction):
    """The status to anyone; carrier, tracking number and dates to a proven owner.

    A stranger is offered a one-time code for the details (slot
    ``order_details_offered``: "yes" starts order_proof_form); an e-mail or
    phone typed on its own is not a status question: it gets that offer, or
    the reason proof is not possible now."""

    def name(self) -> Text:
        """Rasa's action name: ``action_check_order_status``."""
        return "action_check_order_status"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Tell the order's status (and details to an owner); returns the ``order_details_offered`` slot."""
        order = load_order(tracker.get_slot("order_number"))
        if order is None:  # the form validated it; the row may have gone since
            dispatcher.utter_message(
                response="utter_order_not_found", order_number=tracker.get_slot("order_number")
            )
            return [SlotSet("order_number", None), SlotSet(OFFERED, False)]
        if ownership(tracker, order) is None:
            hidden = order.details_hidden
            blocked = hidden and is_blocked(tracker.sender_id, order)
            offer = hidden and not blocked
            if not self._contact_alone(tracker):  # the status, with the offer in the same message
                suffix = "_public_offer" if offer else "_public"
                dispatcher.utter_message(response=f"utter_order_status_{order.status}{suffix}",
                                         order_number=order.order_number)
            elif offer:
                dispatcher.utter_message(response="utter_order_details_offer", order_number=order.order_number)
            if blocked:
                dispatcher.utter_message(response="utter_order_proof_blocked", order_number=order.order_number)
            return [SlotSet(OFFERED, offer)]
        lang = language_of(tracker)
        dispatcher.utter_message(
            response=f"utter_order_status_{order.status}",
            order_number=order.order_number,
            eta=format_date(order.estimated_delivery, lang),
            carrier=carrier_name(order.carrier, lang),
            tracking_number=order.tracking_number or "",
            delivered_on=format_date(order.delivered_at, lang),
        )
        return [SlotSet(OFFERED, False)]

    @staticmethod
    def _contact_alone(tracker: Tracker) -> bool:
        """The message is an e-mail or phone without an order number (not a status question)."""
        text = latest_text(tracker)
        if order_numbers_in(text) or (tracker.latest_message.get("intent") or {}).get("name") != "inform":
            return False
        return any(f.entity in ("email", "phone") for f in extract_intake(text))


class ActionDeclineOrderDetails(OffLoopAction):
    """"No" to the offered code: nothing more about the order."""

    def name(self) -> Text:
        """Rasa's action name: ``action_decline_order_details``."""
        return "action_decline_order_details"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Ask if there is anything else; clears ``order_details_offered``."""
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet(OFFERED, False)]


class ProofValidation:
    """The proof slots (the e-mail or phone on the order, then the code), shared
    by the address change and the status details."""

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """The form's slots still to ask, from ``_required_slots`` run in a worker thread (it reads orders)."""
        return await asyncio.to_thread(self._required_slots, domain_slots, tracker)

    @staticmethod
    def _required_slots(domain_slots: List[Text], tracker: Tracker) -> List[Text]:
        """Which of ``domain_slots`` the form asks (synchronous; each form narrows it)."""
        return domain_slots

    def _other_order(self, tracker: Tracker) -> bool:
        """The answer names another order: not an answer (validate_order_number deals with it)."""
        current = previous_value(tracker, "order_number") or tracker.get_slot("order_number")
        return any(number != current for number in order_numbers_in(latest_text(tracker)))

    async def validate_order_contact(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Send a one-time code if the answer is a contact; the same reply whether or not it is the order's.

        Returns:
            ``order_contact`` (where the code went, or None) and ``one_time_code`` reset when a code was sent.
        """
        order = await asyncio.to_thread(load_order, tracker.get_slot("order_number"))
        text = str(slot_value or "")
        if order is None or not text or self._other_order(tracker):
            return {"order_contact": None}
        step = await asyncio.to_thread(
            start_proof, unit_of_work, get_notifier(), tracker.sender_id, order, text, language_of(tracker))
        if step.status == "sent":  # the same answer whether or not the contact is the order's
            dispatcher.utter_message(response="utter_code_sent", destination=step.destination,
                                     order_number=order.order_number)
            return {"order_contact": step.destination, "one_time_code": None}
        response = {
            "no_contact": "utter_order_contact_invalid",
            "ambiguous": "utter_one_contact_at_a_time",
            "send_failed": "utter_code_not_sent",
        }.get(step.status)  # blocked: the form ends and the action after it says why
        if response:
            dispatcher.utter_message(response=response)
        return {"order_contact": None}

    async def validate_one_time_code(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Check the code the customer typed (constant time, tries counted).

        Returns:
            ``one_time_code``: ``passed`` (never the code) or None; ``order_contact`` cleared when a new code is needed.
        """
        number = tracker.get_slot("order_number")
        text = str(slot_value or "")
        if not number or not text or self._other_order(tracker):
            return {"one_time_code": None}
        step = await asyncio.to_thread(submit_code, unit_of_work, tracker.sender_id, number, text)
        if step.status == "passed":
            dispatcher.utter_message(response="utter_code_accepted")
            return {"one_time_code": "passed"}  # never the code itself
        if step.status == "wrong":
            dispatcher.utter_message(response="utter_code_wrong" if step.tries_left != 1 else "utter_code_wrong_last",
                                     tries_left=step.tries_left)
            return {"one_time_code": None}
        if step.status in ("exhausted", "expired", "no_code"):
            dispatcher.utter_message(response="utter_code_expired")
            return {"one_time_code": None, "order_contact": None}  # ask for the contact: a new code
        if step.status == "not_a_code":
            dispatcher.utter_message(response="utter_code_invalid")
        return {"one_time_code": None}


class ValidateOrderProofForm(ProofValidation, FormValidationAction):
    """The code offered with a stranger's status answer: contact → code, then the status again."""

    def name(self) -> Text:
        """Rasa's action name: ``validate_order_proof_form``."""
        return "validate_order_proof_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validate the form's slots; when it starts, clear earlier proof slots and the offer."""
        starting = form_starting(tracker, self.form_name())
        reset = reset_on_start(tracker, self.form_name(), PROOF_SLOTS)
        if starting:
            reset.append(SlotSet(OFFERED, False))
        return reset + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _required_slots(domain_slots: List[Text], tracker: Tracker) -> List[Text]:
        # Nothing to prove (no order, already proven) or no proof possible now
        # (blocked): the form ends; action_check_order_status answers.
        order = load_order(tracker.get_slot("order_number"))
        if order is None or ownership(tracker, order) is not None or is_blocked(tracker.sender_id, order):
            return []
        return domain_slots


class ValidateAddressChangeForm(ProofValidation, FormValidationAction):
    """Order number → (proof: contact, code) → new address → "yes"."""

    def name(self) -> Text:
        """Rasa's action name: ``validate_address_change_form``."""
        return "validate_address_change_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validate the form's slots; when it starts, clear an earlier unfinished change."""
        # The form starts: nothing of an earlier, unfinished change carries over.
        reset = reset_on_start(tracker, self.form_name(), FLOW_SLOTS)
        return reset + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _required_slots(domain_slots: List[Text], tracker: Tracker) -> List[Text]:
        order = load_order(tracker.get_slot("order_number"))
        if order is None:
            return domain_slots
        # A shipped order needs no new address, and a blocked proof goes no
        # further: end the form after the number; action_change_address explains.
        if not order.address_changeable:
            return ["order_number"]
        if ownership(tracker, order) is not None:
            return [slot for slot in domain_slots if slot not in PROOF_SLOTS]
        if is_blocked(tracker.sender_id, order):
            return ["order_number"]
        return domain_slots

    @off_loop
    def validate_order_number(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The order number (see ``_validate_order_number``); another order mid-flow clears the flow's slots."""
        result = _validate_order_number(slot_value, dispatcher, tracker)
        number = result["order_number"]
        before = previous_value(tracker, "order_number")
        if number is not None and before is not None and number != before:
            # Another order mid-flow: start over for that one (its own proof, its own address).
            result.update({slot: None for slot in FLOW_SLOTS})
        return result

    def validate_new_address(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The new address with its spaces collapsed, or None for a question, another order or one that is too short.

        ``bot.orders.model.valid_new_address`` says what an address is (the service checks it too).
        """
        if slot_value is None:
            return {"new_address": None}
        typed = " ".join(str(slot_value).split())
        if self._other_order(tracker) or is_question(typed):
            return {"new_address": None}
        address = valid_new_address(typed)
        if address is None:
            dispatcher.utter_message(response="utter_address_too_short")
            return {"new_address": None}
        return {"new_address": address, "address_change_confirmed": None}

    def validate_address_change_confirmed(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """``yes`` if the customer confirmed the change, else None."""
        return {"address_change_confirmed": CONFIRMED if slot_value == CONFIRMED else None}


class ActionChangeAddress(OffLoopAction):
    """The only place an address is written: ``bot.services.orders.change_address_for`` checks the
    order, the proof and the "yes" again; this action says what it answered."""

    def name(self) -> Text:
        """Rasa's action name: ``action_change_address``."""
        return "action_change_address"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Change the address if the order, the proof and the confirmation all still hold; say why not otherwise."""
        number = tracker.get_slot("order_number")
        done = [SlotSet(slot, None) for slot in FLOW_SLOTS]
        try:  # the owner, proof and confirmation rules are the service's (bot.services.orders)
            order = orders_service.change_address_for(
                unit_of_work(), number, tracker.get_slot("new_address"), tracker.sender_id,
                _customer_if_order(tracker, number), tracker.get_slot("address_change_confirmed") == CONFIRMED)
        except OrderNotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=number)
            return [SlotSet("order_number", None)] + done
        except AddressChangeRefused as refused:
            self._refuse(dispatcher, refused.order, getattr(refused, "owner", None))
            return done
        except orders_service.NotOwner as not_owner:
            dispatcher.utter_message(
                response="utter_order_proof_blocked" if not_owner.blocked else "utter_order_not_verified",
                order_number=not_owner.order.order_number)
            return done
        except orders_service.NotConfirmed:
            dispatcher.utter_message(response="utter_ok_stopped")
            return done
        dispatcher.utter_message(
            response="utter_address_changed", order_number=number, new_address=order.shipping_address
        )
        return done

    @staticmethod
    def _refuse(dispatcher: CollectingDispatcher, order: Order, owner: Optional[str]) -> None:
        if order.status == "shipped" and owner is None:  # the tracking number is for the owner only
            dispatcher.utter_message(response="utter_address_change_refused_shipped_public",
                                     order_number=order.order_number)
            return
        dispatcher.utter_message(
            response=f"utter_address_change_refused_{order.status}",
            order_number=order.order_number,
            tracking_number=order.tracking_number or "",
        )
