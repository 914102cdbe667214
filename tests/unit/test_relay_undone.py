"""A message the relay finds no open case for (the ticket closed meanwhile, or it followed the customer to
another chat and closed there) is the bot's again (session 46): read as if just heard, never relayed twice."""
from __future__ import annotations

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActionReverted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.handover.handoff_policy import HANDOFF, RELAY, HandoffPolicy


def _predict(events) -> str:
    tracker = DialogueStateTracker.from_events("relay-undone", events, slots=[TextSlot('handoff_state', mappings=[])])
    return HandoffPolicy._predict(object.__new__(HandoffPolicy), tracker)


def _relayed(text: str, intent: str, after: list) -> list:
    return [ActionExecuted(ACTION_LISTEN_NAME), SlotSet("handoff_state", "queued"),
            UserUttered(text, {"name": intent, "confidence": 0.95}), ActionExecuted(RELAY), *after]


@pytest.mark.parametrize("text", ["I want to talk to a human", "我要转人工"])
def test_a_request_for_a_person_the_relay_gave_back_hands_over(text):
    assert _predict(_relayed(text, "request_human", [ActionReverted(), SlotSet("handoff_state", None)])) == HANDOFF


def test_a_question_the_relay_gave_back_is_left_to_the_other_policies():
    assert _predict(_relayed("what are your opening hours?", "ask_hours",
                             [ActionReverted(), SlotSet("handoff_state", None)])) is None


def test_a_relayed_message_is_not_relayed_again():
    # a call-back's self-service question: undone for the bot, the case kept (handoff_state stays)
    assert _predict(_relayed("what are your opening hours?", "ask_hours", [ActionReverted()])) is None
    # filed and kept: the relay's own turn is followed by listening
    assert _predict(_relayed("any news?", "inform", [])) == ACTION_LISTEN_NAME
