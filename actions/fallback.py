"""Fallbacks: clarify once, hand over to a person on the second miss in a row."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction
from actions.handoff import hand_over
from bot.domain import ReasonCode
from bot.handover.policy import Decision

FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def _user_intents(tracker: Tracker) -> List[Optional[str]]:
    return [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]


class ActionHandleFallback(OffLoopAction):
    """First miss: clarify. Second miss in a row: record `nlu_failure`."""

    def name(self) -> Text:
        """Rasa's action name: ``action_handle_fallback``."""
        return "action_handle_fallback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Ask the customer to rephrase, or hand over with ``nlu_failure`` after two misses in a row."""
        intents = _user_intents(tracker)
        if len(intents) >= 2 and intents[-2] in FALLBACK_INTENTS:
            text = tracker.latest_message.get("text", "")
            return hand_over(tracker, dispatcher, Decision(ReasonCode.NLU_FAILURE.value, f"two fallbacks in a row; last message: {text[:200]}"))
        dispatcher.utter_message(response="utter_fallback_clarify")
        return []
