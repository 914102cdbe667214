"""Reason codes (DESIGN.md §5) recorded on the conversation.

The human queue arrives with the handoff packet; until then the assistant
records why a person is needed and tells the customer a colleague follows up.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import unit_of_work
from bot.escalation import INTENT_REASONS

FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})

RESPONSE_FOR_INTENT = {
    "request_human": "utter_escalation_customer_request",
    "complain": "utter_escalation_complex_intent",
    "billing_dispute": "utter_escalation_complex_intent",
    "report_fraud": "utter_escalation_fraud",
}


def record_reason(
    tracker: Tracker, dispatcher: CollectingDispatcher, code: str, detail: str, response: str
) -> List[Dict[Text, Any]]:
    with unit_of_work() as uow:
        uow.reasons.record(tracker.sender_id, code, detail)
        uow.commit()
    dispatcher.utter_message(response=response)
    events: List[Dict[Text, Any]] = [SlotSet("escalation_reason", code)]
    if tracker.active_loop.get("name"):
        # A person takes over: whatever form was running stops here instead
        # of asking its next question after the hand-over message.
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


class ActionRecordEscalation(Action):
    def name(self) -> Text:
        return "action_record_escalation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent", {})
        name = intent.get("name")
        code = INTENT_REASONS.get(name, "customer_request")
        detail = f"intent {name} ({intent.get('confidence', 0):.2f})"
        return record_reason(
            tracker, dispatcher, code, detail,
            RESPONSE_FOR_INTENT.get(name, "utter_escalation_customer_request"),
        )


def _user_intents(tracker: Tracker) -> List[Optional[str]]:
    return [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]


class ActionHandleFallback(Action):
    """First miss: clarify. Second miss in a row: record `nlu_failure`."""

    def name(self) -> Text:
        return "action_handle_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        intents = _user_intents(tracker)
        if len(intents) >= 2 and intents[-2] in FALLBACK_INTENTS:
            text = tracker.latest_message.get("text", "")
            return record_reason(
                tracker, dispatcher, "nlu_failure",
                f"two fallbacks in a row; last message: {text[:200]}",
                "utter_escalation_nlu_failure",
            )
        dispatcher.utter_message(response="utter_fallback_clarify")
        return []
