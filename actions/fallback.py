"""Fallbacks: clarify, then hand over to a person on the n-th miss in a row
(``triggers.nlu_failure.consecutive_fallbacks`` of escalation.yml, 2 by default; ``bot.handover.policy.nlu_failure``)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import OffLoopAction
from actions.handoff import hand_over
from bot.handover.policy import fallback_decision


class ActionHandleFallback(OffLoopAction):
    """A miss: clarify; the ``consecutive_fallbacks``-th miss in a row (escalation.yml): hand over with `nlu_failure`."""

    def name(self) -> Text:
        """Rasa's action name: ``action_handle_fallback``."""
        return "action_handle_fallback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Ask the customer to rephrase, or hand over with ``nlu_failure`` once the misses in a row reach
        ``triggers.nlu_failure.consecutive_fallbacks`` (escalation.yml; the rule: bot.handover.policy)."""
        decision = fallback_decision(tracker.events, tracker.latest_message.get("text", ""))
        if decision is not None:
            return hand_over(tracker, dispatcher, decision)
        dispatcher.utter_message(response="utter_fallback_clarify")
        return []
