"""Which messages ask to be called back, and which contact a message gives as the customer's own
(bot/handover/call_me.py; fresh-user reports 4 and 5)."""
from __future__ import annotations

import pytest

from bot.handover.call_me import asks_for_call_back, callback_asked, own_contact


@pytest.mark.parametrize("text, phone", [
    ("Can someone call me back on 13900139000 about my order QX-100001?", "+8613900139000"),
    ("请给我回电，13800138000", "+8613800138000"),
    ("please ring me at +44 7911 123456", "+447911123456"),
    ("give me a call on 13900139000", "+8613900139000"),
    ("请打这个号码 13800138000", "+8613800138000"),
    ("麻烦打给我 13900139000", "+8613900139000"),
    ("I was hoping you could call me back on 13900139000", "+8613900139000"),
    ("call me back on 13900139000, not 13812345678", "+8613900139000"),
])
def test_an_explicit_call_back_request_with_a_number(text, phone):
    assert asks_for_call_back(text) and callback_asked(text) == phone


@pytest.mark.parametrize("text", [
    "I want to talk to a human, my number is 13900139000",  # a number, but no call asked for
    "the courier kept calling me from 13812345678",
    "快递员一直用13812345678给我打电话",
    "the driver called me on 13812345678 yesterday",
    "Please don't call me, 13900139000",
    "不用回电，13900139000 是我的号码",
    "I don't need an agent to call me back, just transfer me to a person now",
    "Please call me after 6pm instead",  # a call asked for, no number
    "my order QX-100001 is late",
])
def test_no_call_back_number_asked_for(text):
    assert callback_asked(text) is None


@pytest.mark.parametrize("text, phone", [
    ("my new number is 13900139000, please call me on that", "+8613900139000"),
    ("13900139000", "+8613900139000"),
    ("+44 7911 123456 please", "+447911123456"),
    ("我的手机是13900139000", "+8613900139000"),
    ("换号码了，新号码１３９００１３９０００，谢谢", "+8613900139000"),
    ("call me on 139 0013 9000 after 6pm", "+8613900139000"),
    ("the courier called from 13812345678, my number is 13900139000", "+8613900139000"),
])
def test_a_number_given_as_the_customers_own(text, phone):
    assert own_contact(text)["phone"] == phone


@pytest.mark.parametrize("text", [
    "the courier kept calling me from 13812345678",
    "快递员一直用13812345678给我打电话",
    "他打了13812345678",
    "the parcel label says 13812345678 on it",
])
def test_a_number_only_mentioned_is_not_the_customers(text):
    assert own_contact(text) == {"phone": None, "email": None}


def test_an_email_is_theirs_unless_something_came_from_it():
    assert own_contact("you can also write to Ann.Lee@example.com")["email"] == "ann.lee@example.com"
    assert own_contact("li@example.com")["email"] == "li@example.com"
    assert own_contact("I got a mail from noreply@courier.example")["email"] is None
    assert own_contact("收到来自 noreply@courier.example 的邮件")["email"] is None


# A fresh new user's finding (s20): with several numbers, the number in the clause that asks for the call wins;
# a clause saying somebody else called ("kept ringing me from …") neither gives its number nor cancels the ask.
@pytest.mark.parametrize("text, phone", [
    ("My courier kept ringing me from +44 20 7946 0018 — call me on +44 7911 123456", "+447911123456"),
    ("My courier kept calling me from +44 20 7946 0018, call me on +44 7911 123456", "+447911123456"),
    ("My courier kept ringing me from +442079460018 - call me on +447911123456 please", "+447911123456"),
    ("Call me on +44 7911 123456 — my courier kept ringing me from +44 20 7946 0018", "+447911123456"),
    ("The driver rang me on +44 20 7946 0018; please ring me on +44 7911 123456 instead", "+447911123456"),
    ("快递员一直用13812345678给我打电话，请回电13900139000", "+8613900139000"),
    ("快递员一直用 13812345678 给我打电话——打我手机 13900139000", "+8613900139000"),
    ("请打13900139000给我回电，快递员老是用13812345678打给我", "+8613900139000"),
])
def test_of_several_numbers_the_one_in_the_clause_asking_for_the_call_wins(text, phone):
    assert asks_for_call_back(text)
    assert callback_asked(text) == phone
    assert own_contact(text)["phone"] == phone


@pytest.mark.parametrize("text", [
    "The courier kept calling me from 13812345678. Please call me back",
    "My courier kept ringing me from +44 20 7946 0018, can you call me back?",
    "快递员一直用13812345678给我打电话，请给我回电",
])
def test_a_call_asked_for_without_a_number_of_its_own_takes_no_number_somebody_else_called_from(text):
    assert asks_for_call_back(text)  # a call back is asked for (on the number we have)
    assert callback_asked(text) is None and own_contact(text)["phone"] is None


@pytest.mark.parametrize("text", [
    "快递员一直用 13812345678 给我打电话",  # known in s20's brief: the spaces made it a call-back request
    "快递员一直用 138 1234 5678 给我打电话",
    "the courier kept calling me from +44 20 7946 0018 all afternoon",
])
def test_a_number_somebody_else_called_from_is_no_call_back_however_it_is_spaced(text):
    assert not asks_for_call_back(text)
    assert callback_asked(text) is None and own_contact(text)["phone"] is None


# s20eng2 #3 (a fresh new user's finding): these were read as a call-back by the hand-over but not as a request
# for a person by the escalation triggers (no ticket; "what is your order number?"), or the other way round
# ("能不能打电话给我？13800138000" queued, then offered a call-back again)
CALL_ME_ON = [
    ("Call me on +8613800138000", "+8613800138000"),
    ("call me on +44 7911 123456 after 6pm", "+447911123456"),
    ("请打给我 +86 138 0013 8000", "+8613800138000"),
    ("Can someone call me on +86 138 0013 8000?", "+8613800138000"),
    ("请打给我 13800138000", "+8613800138000"),
    ("能不能打电话给我？13800138000", "+8613800138000"),
    ("麻烦回个电话给我 13900139000", "+8613900139000"),
]


@pytest.mark.parametrize("text, phone", CALL_ME_ON)
def test_a_call_back_asked_on_a_number_is_a_request_for_a_person_and_a_call_back_on_it(text, phone):
    from bot.handover.policy import Emotion, Turn, decide, load_config
    from bot.handover.triage import asks_for_person

    assert callback_asked(text) == phone
    assert asks_for_person(text)
    for intent in ("inform", "check_order_status", "request_human", "nlu_fallback"):
        decision = decide([Turn.from_text(intent, Emotion("neutral", 0.9, 0.1), text)], load_config())
        assert decision is not None and decision.code == "customer_request", (intent, decision)


@pytest.mark.parametrize("text", [
    "the courier kept calling me from 13812345678", "Please don't call me, 13900139000", "my number is 13800138000"])
def test_a_number_without_a_call_asked_is_no_request_for_a_person(text):
    from bot.handover.triage import asks_for_person

    assert callback_asked(text) is None and not asks_for_person(text)
