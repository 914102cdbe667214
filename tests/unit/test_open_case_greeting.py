"""The open case's question is the answer to a greeting (session 46): "Welcome back … Shall we continue?" is not
followed by the bot's own greeting and "How can I help?"; anything else the customer says first is answered."""
from __future__ import annotations

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.handover.handoff_policy import HandoffPolicy

OPENING = [ActionExecuted("action_session_start"), SessionStarted(), SlotSet("open_case", "password_reset"),
           BotUttered("Welcome back. You were on step 3 of resetting your password in the chat. Shall we continue?"),
           ActionExecuted(ACTION_LISTEN_NAME)]


def _predict(events):
    tracker = DialogueStateTracker.from_events("open-case-greeting", events, slots=[TextSlot('open_case', mappings=[])])
    return HandoffPolicy._predict(object.__new__(HandoffPolicy), tracker)


@pytest.mark.parametrize("text", ["hi", "你好"])
def test_a_greeting_after_the_question_gets_nothing_more(text):
    assert _predict(OPENING + [UserUttered(text, {"name": "greet", "confidence": 0.97})]) == ACTION_LISTEN_NAME


def test_another_first_message_is_answered():
    assert _predict(OPENING + [UserUttered("what are your opening hours?", {"name": "ask_hours", "confidence": 0.9})]) \
        is None


def test_a_later_greeting_or_one_without_the_question_is_answered():
    later = OPENING + [UserUttered("hmm", {"name": "inform", "confidence": 0.5}), ActionExecuted("utter_default"),
                       ActionExecuted(ACTION_LISTEN_NAME), UserUttered("hello", {"name": "greet", "confidence": 0.97})]
    assert _predict(later) is None
    plain = [e for e in OPENING if not isinstance(e, SlotSet)] + [UserUttered("hi", {"name": "greet", "confidence": 0.97})]
    assert _predict(plain) is None
