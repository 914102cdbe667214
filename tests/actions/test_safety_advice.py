"""A safety case (a gas smell, sparking wiring, an allergic reaction) jumps the queue and the customer is
told what to do now, before any colleague calls: a fresh new user's gas-smell report was queued at
priority 3 and told only that a colleague would call when the next shift starts."""
from __future__ import annotations

from typing import List, NamedTuple

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff, ActionRelayToAgent
from bot.handover.safety import hazards_named, safety_advice, safety_follow_up
from bot.queue.tickets import Ticket
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import responses, run_action
from bot.handover.handover_dialogue import CALLBACK_IN_CHAT


def _tracker(sender: str, text: str, intent: str, language: str, before: tuple = (), **slots) -> Tracker:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": t, "parse_data": {"text": t, "intent": {"name": "out_of_scope"}}} for t in before]
    return Tracker.from_dict({
        "sender_id": sender, "slots": {"language": language, **slots}, "latest_message": parse,
        "events": events + [{"event": "user", "text": text, "parse_data": parse}],
        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})


def _texts(dispatcher) -> list:
    return [m.get("text") or "" for m in dispatcher.messages]


class Relayed(NamedTuple):
    """What :func:`_hand_over_then_relay` saw: the ticket right after the hand-over (``before``), the
    relay's texts in order (``said``), the ticket after the relay (``after``) and its transcript's texts."""

    before: Ticket
    said: List[str]
    after: Ticket
    transcript: List[str]


def _hand_over_then_relay(sender: str, language: str, first: str, first_intent: str, later: str,
                          later_intent: str = "out_of_scope") -> Relayed:
    """A new user's case as the action server sees it: ``action_handoff`` on ``first``, then, while the
    case waits for a call-back, ``action_relay_to_agent`` on ``later``."""
    run_action(ActionHandoff(), CollectingDispatcher(), _tracker(sender, first, first_intent, language), {})
    with SqlAlchemyUnitOfWork() as uow:
        [before] = uow.tickets.for_conversation(sender)
    relayed = CollectingDispatcher()
    run_action(ActionRelayToAgent(), relayed, _tracker(sender, later, later_intent, language, (first,),
                                                       handoff_state="callback"), {})
    with SqlAlchemyUnitOfWork() as uow:
        [after] = uow.tickets.for_conversation(sender)
        transcript = [line.get("text") for line in uow.tickets.transcript(after)]
    return Relayed(before, _texts(relayed), after, transcript)


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
    assert dispatcher.messages[-1]["text"] == CALLBACK_IN_CHAT[False]["zh"]  # the call-back (in this chat)
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
    ("My e-bike brakes stopped working and I crashed", ["vehicle"]),  # no "rash" in "crashed"
    ("the power bank is swelling up", ["fire"]),  # a battery, not an allergic reaction
    ("全身起疹子，呼吸困难", ["health"]),
    ("宝宝误食了玩具里的纽扣电池", ["swallowed"]),  # its own step: hospital now, no vomiting
    ("my son swallowed a button battery", ["swallowed"]),
    ("my face swelled up after using the moisturiser", ["health"]),
    ("extension lead started crackling and there's a burning smell", ["electric", "fire"]),
    ("吃了饼干喉咙发紧喘不上气，包装上写的无坚果", ["health"]),
])
def test_the_hazards_a_message_names(text, hazards):
    assert hazards_named(text) == hazards


def test_the_advice_names_the_configured_emergency_numbers_and_defaults_to_english():
    advice = safety_advice(["gas smell"], "fr", {"en": "999 in the UK"})
    assert advice.startswith("Your safety comes first.") and "(999 in the UK)" in advice
    assert "leave now" in advice
    assert safety_advice(["有危险"], "zh").endswith("报警110）。")  # the lead alone, the default numbers


@pytest.mark.parametrize("language, report, question, expected", [
    ("en", "I can smell gas in my kitchen, it is very strong", "Should I leave the house? what do I do?", "leave now"),
    ("zh", "我家里有很浓的煤气味", "我要不要开窗？", "立即离开"),
])
def test_asking_what_to_do_while_the_safety_case_waits_gets_the_advice_again(
        database_url, outside_support_hours, language, report, question, expected):
    # the new user, told a colleague would call at the next shift, asked "Should I leave the house?"
    # and heard only "Thank you, I've added this to your case"
    case = _hand_over_then_relay("safety-4", language, report, "out_of_scope", question)
    assert expected in case.said[0] and len(case.said) == 2  # the advice, then "added to your case"
    assert question in case.transcript  # filed on the case too


@pytest.mark.parametrize("texts, expected", [
    (["I can smell gas in my kitchen", "what should I do?"], True),
    (["我家里有很浓的煤气味", "怎么办"], True),
    (["I can smell gas in my kitchen", "my number is 13800138000"], False),  # no question
    (["where is my order?", "what should I do?"], False),  # no safety case
    (["I can smell gas in my kitchen", "the smell is getting stronger and I feel dizzy now"], True),  # worse
    (["我家里有很浓的煤气味", "救命"], True),
    (["I want to talk to a human about my invoice", "I can smell gas in my kitchen, it is very strong"], True),  # new
    (["I can smell gas in my kitchen", "Where is my order QX-100002?"], False),  # any other question
])
def test_a_safety_follow_up_is_a_question_after_a_safety_case(texts, expected):
    assert safety_follow_up(texts) is expected


def test_the_agent_reads_in_the_summary_that_the_safety_advice_was_given(database_url, always_open, dispatcher):
    run_action(ActionHandoff(), dispatcher, _tracker("safety-5", "我家里有很浓的煤气味", "out_of_scope", "zh"), {})
    with SqlAlchemyUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("safety-5")
    assert "Safety case: the bot told the customer what to do now" in ticket.packet["summaries"]["en"]
    assert "安全事件" in ticket.packet["summaries"]["zh"]


def test_no_safety_line_in_an_ordinary_summary(database_url, always_open, dispatcher):
    run_action(ActionHandoff(), dispatcher, _tracker("safety-6", "talk to a human please", "request_human", "en"), {})
    with SqlAlchemyUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("safety-6")
    assert "Safety case" not in ticket.packet["summaries"]["en"] and "安全事件" not in ticket.packet["summaries"]["zh"]


@pytest.mark.parametrize("language, first, report, expected", [
    ("en", "I want to talk to a human about my invoice", "I can smell gas in my kitchen, it is very strong", "leave now"),
    ("zh", "我要转人工", "我家里有很浓的煤气味", "立即离开"),
])
def test_a_hazard_reported_while_a_ticket_waits_gets_the_advice_and_priority_1(
        database_url, outside_support_hours, language, first, report, expected):
    # a fresh new user: the gas smell after a request for a person got only "added to your case", at priority 3
    before, said, after, _ = _hand_over_then_relay("safety-7", language, first, "request_human", report)
    assert before.priority == 3
    assert expected in said[0]
    assert after.priority == 1 and after.packet["priority"] == 1
    assert after.packet["sla"]["target_wait_s"] < before.packet["sla"]["target_wait_s"]
    assert after.sla_due_at < before.sla_due_at


def test_an_ordinary_message_while_a_ticket_waits_changes_no_priority(database_url, outside_support_hours):
    case = _hand_over_then_relay("safety-8", "en", "talk to a human please", "request_human",
                                 "my number is 13800138000", "inform")
    assert case.after.priority == 3
