"""rev14d #4: inside support hours with no colleague online the call-back says so ("no colleague is
free right now… as soon as one is free"), not "when the next shift starts", which reads as
tomorrow; outside support hours the words are as before (``utter_handoff_callback``)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from bot.handover.handover_dialogue import CALLBACK_IN_CHAT, CALLBACK_NO_AGENT, say_callback
from bot.handover.policy import EscalationConfig
from tests.actions.conftest import responses, run_action

# escalation.yml: Mon-Fri 9:00-18:00 China time. 2026-12-01 is a Tuesday.
TUESDAY_10_CHINA = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
TUESDAY_22_CHINA = datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc)


class _Tracker:
    def __init__(self, language, channel="socketio"):
        self.language, self.channel = language, channel

    def get_slot(self, name):
        return self.language if name == "language" else None

    def get_latest_input_channel(self):
        return self.channel


PHONE = {"phone": "+8613900139000", "email": None}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_inside_support_hours_the_callback_says_no_colleague_is_free_not_the_next_shift(language):
    dispatcher = CollectingDispatcher()
    say_callback(_Tracker(language), dispatcher, EscalationConfig.load(), now=TUESDAY_10_CHINA, intake=PHONE)
    [message] = dispatcher.messages
    assert message.get("response") is None
    assert message["text"] == CALLBACK_NO_AGENT[language]
    assert "next shift" not in message["text"] and "下个班次" not in message["text"]


def test_outside_support_hours_the_callback_keeps_its_response():
    dispatcher = CollectingDispatcher()
    say_callback(_Tracker("zh"), dispatcher, EscalationConfig.load(), now=TUESDAY_22_CHINA, intake=PHONE)
    assert responses(dispatcher) == ["utter_handoff_callback"]
    dispatcher = CollectingDispatcher()
    say_callback(_Tracker("en", "ivr"), dispatcher, EscalationConfig.load(), now=TUESDAY_22_CHINA)  # the caller id
    assert responses(dispatcher) == ["utter_handoff_callback"]


@pytest.mark.parametrize("language,here,ask", [("en", "answer right here in this chat", "send me your phone number"),
                                               ("zh", "直接在这个对话里答复您", "电话号码（带国家区号）或电子邮箱地址")])
@pytest.mark.parametrize("now", [TUESDAY_10_CHINA, TUESDAY_22_CHINA])
def test_without_a_number_or_address_the_answer_is_promised_in_this_chat(language, here, ask, now):
    """Fresh-user report 3: "a colleague will contact you when the next shift starts", with nothing to contact
    the customer on; now they are told the answer comes here, to come back, and how to be called instead."""
    for channel in ("socketio", "webchat", "wechat", "rest"):
        dispatcher = CollectingDispatcher()
        say_callback(_Tracker(language, channel), dispatcher, EscalationConfig.load(), now=now,
                     intake={"phone": None, "email": None})
        [message] = dispatcher.messages
        assert here in message["text"] and ask in message["text"]
        assert "contact you" not in message["text"] and "主动联系" not in message["text"]
        assert ("support hours" in message["text"] or "服务时间" in message["text"]) == (now == TUESDAY_22_CHINA)


def test_a_hand_over_in_hours_with_nobody_online_says_no_colleague_is_free_in_chinese(
        database_url, always_open, tracker_from, dispatcher):
    events = run_action(ActionHandoff(), dispatcher, tracker_from("request_human_zh"), {})
    assert SlotSet("handoff_state", "callback") in events
    assert responses(dispatcher) == ["utter_escalation_customer_request_long_wait", None]  # not "正在为您转接" first
    # no number or address in the case: the answer comes in this chat (fresh-user report 3)
    assert dispatcher.messages[-1]["text"] == CALLBACK_IN_CHAT[True]["zh"]
    assert dispatcher.messages[-1]["text"].startswith("现在没有空闲的同事。您的问题和说明都已保存，一有同事空闲就会")
