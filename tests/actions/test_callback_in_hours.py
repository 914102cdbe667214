"""rev14d #4: inside support hours with no colleague online the call-back says so ("no colleague is
free right now… as soon as one is free"), not "when the next shift starts", which reads as
tomorrow; outside support hours the words are as before (``utter_handoff_callback``)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from bot.handover.handover_dialogue import CALLBACK_NO_AGENT, say_callback
from bot.handover.policy import EscalationConfig
from tests.actions.conftest import responses, run_action

# escalation.yml: Mon-Fri 9:00-18:00 China time. 2026-12-01 is a Tuesday.
TUESDAY_10_CHINA = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
TUESDAY_22_CHINA = datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)


class _Tracker:
    def __init__(self, language):
        self.language = language

    def get_slot(self, name):
        return self.language if name == "language" else None


@pytest.mark.parametrize("language", ["en", "zh"])
def test_inside_support_hours_the_callback_says_no_colleague_is_free_not_the_next_shift(language):
    dispatcher = CollectingDispatcher()
    say_callback(_Tracker(language), dispatcher, EscalationConfig.load(), now=TUESDAY_10_CHINA)
    [message] = dispatcher.messages
    assert message.get("response") is None
    assert message["text"] == CALLBACK_NO_AGENT[language]
    assert "next shift" not in message["text"] and "下个班次" not in message["text"]


def test_outside_support_hours_the_callback_keeps_its_response():
    dispatcher = CollectingDispatcher()
    say_callback(_Tracker("zh"), dispatcher, EscalationConfig.load(), now=TUESDAY_22_CHINA)
    assert responses(dispatcher) == ["utter_handoff_callback"]


def test_a_hand_over_in_hours_with_nobody_online_says_no_colleague_is_free_in_chinese(
        database_url, always_open, tracker_from, dispatcher):
    events = run_action(ActionHandoff(), dispatcher, tracker_from("request_human_zh"), {})
    assert SlotSet("handoff_state", "callback") in events
    assert responses(dispatcher) == ["utter_escalation_customer_request_long_wait", None]  # not "正在为您转接" first
    assert dispatcher.messages[-1]["text"] == "现在没有空闲的同事。您的问题和说明都已保存，一有同事空闲就会主动联系您。"
