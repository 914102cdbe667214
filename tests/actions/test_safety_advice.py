"""A safety case (a gas smell, sparking wiring, an allergic reaction) jumps the queue and the customer is
told what to do now, before any colleague calls: a fresh new user's gas-smell report was queued at
priority 3 and told only that a colleague would call when the next shift starts."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.handoff import ActionHandoff
from bot.handover.safety import hazards_named, safety_advice
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import responses, run_action


def _tracker(sender: str, text: str, intent: str, language: str) -> Tracker:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker.from_dict({
        "sender_id": sender, "slots": {"language": language}, "latest_message": parse,
        "events": [{"event": "user", "text": text, "parse_data": parse}],
        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})


def _texts(dispatcher) -> list:
    return [m.get("text") or "" for m in dispatcher.messages]


@pytest.mark.parametrize("text, intent, language, expected", [
    ("I can smell gas in my kitchen, it is very strong", "out_of_scope", "en",
     ["leave now", "don't switch lights", "119 fire and gas"]),
    ("我家里有很浓的煤气味", "out_of_scope", "zh", ["立即离开", "不要开关电灯", "119"]),
    ("The charger is sparking and the plug smells of burning", "complain", "en",
     ["main switch", "unplug it only if it's safe"]),
])
def test_a_safety_hand_over_is_urgent_and_says_what_to_do_now(database_url, always_open, dispatcher, text,
                                                               intent, language, expected):
    run_action(ActionHandoff(), dispatcher, _tracker("safety-1", text, intent, language), {})
    advice = next(t for t in _texts(dispatcher) if any(word in t for word in expected))
    assert all(word in advice for word in expected), advice
    # the opening first, then the advice, then the place in the queue
    assert responses(dispatcher)[0] == "utter_escalation_complex_intent"
    assert _texts(dispatcher).index(advice) == 1
    with SqlAlchemyUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("safety-1")
    assert ticket.priority == 1


def test_outside_support_hours_the_advice_comes_before_the_call_back(database_url, outside_support_hours,
                                                                     dispatcher):
    run_action(ActionHandoff(), dispatcher, _tracker("safety-2", "我家里有很浓的煤气味", "out_of_scope", "zh"), {})
    assert responses(dispatcher)[-1] == "utter_handoff_callback"
    assert any("燃气抢修" in t for t in _texts(dispatcher)[:-1])


def test_a_plain_request_for_a_person_gets_no_safety_advice(database_url, always_open, dispatcher):
    run_action(ActionHandoff(), dispatcher, _tracker("safety-3", "talk to a human please", "request_human", "en"), {})
    assert not any("emergency" in t for t in _texts(dispatcher))
    with SqlAlchemyUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("safety-3")
    assert ticket.priority == 3


@pytest.mark.parametrize("text, hazards", [
    ("There's a strong smell of gas in the hallway", ["gas"]),
    ("一氧化碳报警器一直在响", ["gas"]),
    ("The kettle's wiring is exposed and it sparked", ["electric"]),
    ("吃了你们的蛋糕后全身过敏起疹子", ["health"]),
    ("The brakes on the e-bike failed on a hill", ["vehicle"]),
    ("The heater smoked and melted the socket", ["electric", "fire"]),
    ("Something dangerous happened", []),
])
def test_the_hazards_a_message_names(text, hazards):
    assert hazards_named(text) == hazards


def test_the_advice_names_the_configured_emergency_numbers_and_defaults_to_english():
    advice = safety_advice(["gas smell"], "fr", {"en": "999 in the UK"})
    assert advice.startswith("Your safety comes first.") and "(999 in the UK)" in advice
    assert "leave now" in advice
    assert safety_advice(["有危险"], "zh").endswith("报警110）。")  # the lead alone, the default numbers
