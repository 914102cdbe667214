"""Fallbacks: clarify once, hand over to a person on the second miss in a row."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction
from actions.handoff import hand_over
from bot.handover.policy import fallback_decision


class ActionHandleFallback(OffLoopAction):
    """First miss: clarify. Second miss in a row: record `nlu_failure`."""

    def name(self) -> Text:
        """Rasa's action name: ``action_handle_fallback``."""
        return "action_handle_fallback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Ask the customer to rephrase, or hand over with ``nlu_failure`` after two misses in a row."""
        decision = fallback_decision(tracker.events, tracker.latest_message.get("text", ""))  # bot.handover.policy
        if decision is not None:
            return hand_over(tracker, dispatcher, decision)
        dispatcher.utter_message(response="utter_fallback_clarify")
        return []
