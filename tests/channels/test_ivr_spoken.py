"""Spoken identifiers through the real IVR bridge, Rasa and action servers (issue 15).

A transcript the way recognisers write it ("q x one zero zero zero zero two",
``Q叉幺零零零零三``) is normalised on the voice channel only, read back
("Q X 1 0 0 0 0 2, is that right?") and used after a yes or key 1; a no offers
the keypad, and a corrected number never reaches the proof of ownership.
"""
from __future__ import annotations

import re
from datetime import timedelta

from tests.channels.test_ivr_calls import Call, kinds, spoken


def _user_turns(servers, call):
    return [e for e in servers.tracker(f"ivr-{call.call_id}")["events"] if e["event"] == "user"]


def test_spoken_order_number_is_read_back_and_found_after_yes(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    before = len(_user_turns(ivr_servers, call))
    check = call.send("speech", text="where is q x one zero zero zero zero two", confidence=0.9)
    assert "Q X 1 0 0 0 0 2, is that right?" in spoken(check)
    assert check[-1]["action"] == "gather" and check[-1]["options"] == {"1": "yes", "2": "no"}
    assert len(_user_turns(ivr_servers, call)) == before  # nothing reached the bot yet
    found = call.send("speech", text="yes", confidence=0.9)
    assert "QX-100002" in spoken(found) and "on its way" in spoken(found)
    turn = _user_turns(ivr_servers, call)[-1]
    assert turn["text"] == "where is QX-100002"
    assert turn["metadata"]["spoken"]["heard"] == "where is q x one zero zero zero zero two"
    assert turn["metadata"]["spoken"]["confirmed"] is True


def test_chinese_spoken_order_number_confirmed_with_key_1(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "zh-CN")
    call.send("start")
    check = call.send("speech", text="帮我查一下订单Q叉幺零零零零三到哪了", confidence=0.9)
    assert "Q X 1 0 0 0 0 3，对吗" in spoken(check) and check[0]["language"] == "zh-CN"
    found = call.send("dtmf", digits="1")
    assert "100003" in spoken(found) and "签收" in spoken(found)
    assert _user_turns(ivr_servers, call)[-1]["text"] == "帮我查一下订单QX-100003到哪了"


def test_six_spoken_digits_after_the_question_are_the_order_number(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "zh-CN")
    call.send("start")
    ask = call.send("speech", text="我想查订单", confidence=0.9)
    assert ask[-1]["num_digits"] == 6
    check = call.send("speech", text="幺零零零零二", confidence=0.9)
    assert "Q X 1 0 0 0 0 2" in spoken(check)
    found = call.send("speech", text="对", confidence=0.9)
    assert "QX-100002" in spoken(found)


def test_no_to_the_read_back_offers_the_keypad_and_keyed_digits_work(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    ask = call.send("speech", text="I want to check my order", confidence=0.9)
    assert "order number" in spoken(ask)
    check = call.send("speech", text="cue ex one zero zero zero zero nine", confidence=0.8)
    assert "Q X 1 0 0 0 0 9, is that right?" in spoken(check)
    keypad = call.send("dtmf", digits="2")
    assert "key in the 6 digits of your order number" in spoken(keypad)
    assert keypad[-1]["action"] == "gather" and keypad[-1]["num_digits"] == 6
    keyed = call.send("dtmf", digits="100002#")
    assert "QX-100002" in spoken(keyed) and "on its way" in spoken(keyed)


def test_an_order_number_not_found_after_a_spoken_attempt_offers_the_keypad(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    call.send("speech", text="I want to check my order", confidence=0.9)
    call.send("speech", text="q x nine nine nine nine nine one", confidence=0.9)
    missing = call.send("speech", text="yes that's right", confidence=0.9)
    assert "couldn't find" in spoken(missing) and "key in the 6 digits" in spoken(missing)
    assert missing[-1]["num_digits"] == 6


def test_a_typed_looking_number_heard_clearly_is_used_without_read_back(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    clear = call.send("speech", text="where is QX-100003", confidence=0.95)
    assert "is that right" not in spoken(clear) and "delivered" in spoken(clear)
    unsure = call.send("speech", text="and QX-100002", confidence=0.7)  # below confirm_threshold
    assert "Q X 1 0 0 0 0 2, is that right?" in spoken(unsure)


def test_a_corrected_misheard_phone_is_no_failed_proof(ivr_servers, tmp_path):
    from bot.otp import DEFAULT_LIMITS
    from bot.uow import SqlAlchemyUnitOfWork
    from bot.db import utcnow

    call = Call(ivr_servers, tmp_path, "en-US", caller="+8613900009999")  # a caller who never proved QX-100005
    call.send("start")
    ask = call.send("speech", text="I want to change the address of QX-100005", confidence=0.9)
    assert "mobile number on order" in spoken(ask)
    wrong = call.send("speech", text="plus eight six one three seven zero zero zero zero two two two three", confidence=0.9)
    assert "plus 8 6 1 3 7 0 0 0 0 2 2 2 3, is that right?" in spoken(wrong)
    corrected = call.send("speech", text="no, plus eight six one three seven zero zero zero zero two two two two",
                          confidence=0.9)
    assert "plus 8 6 1 3 7 0 0 0 0 2 2 2 2, is that right?" in spoken(corrected)
    sent = call.send("dtmf", digits="1")
    assert "key in the 6-digit code" in spoken(sent)
    sender = f"ivr-{call.call_id}"
    since = utcnow() - timedelta(hours=1)
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.codes.contacts_given(sender, since) == 1  # the misheard number never reached the proof
        assert uow.codes.failures(since, conversation_id=sender) == 0
        body = uow.notifications.latest(to="+8613700002222", limit=1)[0].body
    code = re.search(r"is (\d{6})\b", body).group(1)
    words = " ".join("zero one two three four five six seven eight nine".split()[int(d)] for d in code)
    misheard = words.rsplit(" ", 1)[0] + (" one" if code[-1] != "1" else " two")
    check = call.send("speech", text=misheard, confidence=0.9)  # the code, misheard
    assert "is that right?" in spoken(check)
    again = call.send("speech", text="no", confidence=0.9)
    assert "key in the 6-digit code" in spoken(again)
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.codes.failures(since, conversation_id=sender) == 0  # a wrong code never went in
    check = call.send("speech", text=words, confidence=0.9)
    assert " ".join(code) + ", is that right?" in spoken(check)
    passed = call.send("speech", text="yes", confidence=0.9)
    assert "code is correct" in spoken(passed) and "new delivery address" in spoken(passed)
    assert DEFAULT_LIMITS.max_failures_per_conversation == 5


def test_spoken_e_mail_is_read_back(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    check = call.send("speech", text="my email is pat dot lee at example dot com", confidence=0.9)
    assert "pat dot lee at example dot com, is that right?" in spoken(check)
    assert kinds(check) == ["say", "gather"]


def test_digits_keyed_during_a_read_back_are_the_answer(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    call.send("speech", text="I want to check my order", confidence=0.9)
    check = call.send("speech", text="you won zero zero zero zero two", confidence=0.9)
    assert "0 0 0 0 2, is that right?" in spoken(check)
    keyed = call.send("dtmf", digits="100002#")
    assert "QX-100002" in spoken(keyed) and "on its way" in spoken(keyed)
