"""Spoken identifiers through the real IVR bridge, Rasa and action servers (issue 15).

A transcript the way recognisers write it ("q x one zero zero zero zero two",
``Q叉幺零零零零三``) is normalised on the voice channel only, read back
("Q X 1 0 0 0 0 2, is that right?") and used after a yes or key 1; a no offers
the keypad, and a corrected number never reaches the proof of ownership.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.storage.uow import SqlAlchemyUnitOfWork

from tests.channels.test_ivr_calls import Call, callback_ticket, kinds, nobody_online, spoken  # noqa: F401 (fixture)


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
    from bot.customers.otp import DEFAULT_LIMITS
    from bot.storage.uow import SqlAlchemyUnitOfWork
    from bot.storage.db import utcnow

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
    check = call.send("speech", text="q x one zero zero zero zero nine", confidence=0.9)
    assert "Q X 1 0 0 0 0 9, is that right?" in spoken(check)
    assert check[-1]["max_digits"] == 20  # the platform lets the caller key a number here
    keyed = call.send("dtmf", digits="100002#")
    assert "QX-100002" in spoken(keyed) and "on its way" in spoken(keyed)


# ---- review of issue 15 -------------------------------------------------

def _order_read_back(call, text="q x one zero zero zero zero two", lang_check="Q X 1 0 0 0 0 2"):
    check = call.send("speech", text=text, confidence=0.9)
    assert lang_check in spoken(check), spoken(check)
    return check


@pytest.mark.parametrize("lang,answer", [
    ("zh-CN", "没错"), ("zh-CN", "对，没错"), ("zh-CN", "没有错"), ("zh-CN", "不错"), ("zh-CN", "嗯"),
    ("zh-CN", "没问题"), ("en-US", "yeah no problem"), ("en-US", "yes, no mistake"), ("en-US", "uh huh"),
    ("en-US", "mm-hmm"),
])
def test_a_yes_with_a_no_word_in_it_is_a_yes(ivr_servers, tmp_path, lang, answer):
    call = Call(ivr_servers, tmp_path, lang)
    call.send("start")
    _order_read_back(call)
    found = call.send("speech", text=answer, confidence=0.9)
    assert "QX-100002" in spoken(found) and "key in" not in spoken(found) and "键盘" not in spoken(found)


@pytest.mark.parametrize("lang,answer", [("zh-CN", "否"), ("en-US", "nah"), ("en-US", "incorrect"),
                                         ("zh-CN", "不，错了"), ("en-US", "no, mistake there")])
def test_a_no_offers_the_keypad(ivr_servers, tmp_path, lang, answer):
    call = Call(ivr_servers, tmp_path, lang)
    call.send("start")
    _order_read_back(call)
    keypad = call.send("speech", text=answer, confidence=0.9)
    assert ("key in the 6 digits" if lang == "en-US" else "键盘") in spoken(keypad)


def test_an_unclear_answer_to_the_read_back_is_asked_again(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    _order_read_back(call)
    again = call.send("speech", text="hmm", confidence=0.9)
    assert "please say yes or no" in spoken(again) and "Q X 1 0 0 0 0 2, is that right?" in spoken(again)
    found = call.send("speech", text="yup", confidence=0.9)
    assert "QX-100002" in spoken(found) and "on its way" in spoken(found)


@pytest.mark.parametrize("lang,text,read", [
    ("en-US", "order number one zero zero zero zero two please", "Q X 1 0 0 0 0 2"),
    ("zh-CN", "订单号一零零零零二", "Q X 1 0 0 0 0 2"),
    ("zh-CN", "我的订单是扣叉幺零零零零二", "Q X 1 0 0 0 0 2"),
])
def test_an_order_number_said_without_its_prefix_is_the_order_number(ivr_servers, tmp_path, lang, text, read):
    call = Call(ivr_servers, tmp_path, lang)
    call.send("start")
    _order_read_back(call, text, read)
    found = call.send("dtmf", digits="1")
    assert "QX-100002" in spoken(found) and "order number" not in spoken(found).split("QX-100002")[0][-40:]
    assert _user_turns(ivr_servers, call)[-1]["text"].count("QX-100002") == 1


def test_after_the_question_a_misheard_prefix_is_the_order_number(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    call.send("speech", text="I want to check my order", confidence=0.9)
    _order_read_back(call, "cute ex one zero zero zero zero two")
    found = call.send("speech", text="correct", confidence=0.9)
    assert "QX-100002" in spoken(found) and "on its way" in spoken(found)
    assert _user_turns(ivr_servers, call)[-1]["text"] == "QX-100002"  # the misheard prefix is no words for NLU


def test_a_number_the_bot_would_drop_is_not_read_back(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    call.send("speech", text="I want to check my order", confidence=0.9)
    short = call.send("speech", text="one zero zero zero two", confidence=0.9)  # five digits
    assert "is that right" not in spoken(short) and "key in the 6 digits" in spoken(short)


def test_asking_for_a_person_during_a_read_back_is_heard(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    _order_read_back(call)
    person = call.send("speech", text="no, I want to talk to a person", confidence=0.9)
    assert "is that right" not in spoken(person) and "key in" not in spoken(person)
    assert _user_turns(ivr_servers, call)[-1]["text"] == "no, I want to talk to a person"
    assert kinds(person)[-1] in ("transfer", "gather", "hangup")


def test_a_new_request_during_a_read_back_goes_to_the_bot(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    _order_read_back(call)
    other = call.send("speech", text="I forgot my password", confidence=0.9)
    assert "is that right" not in spoken(other) and "step" in spoken(other).lower()
    assert _user_turns(ivr_servers, call)[-1]["text"] == "I forgot my password"


def test_start_clears_a_pending_read_back(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    _order_read_back(call)
    call.send("start")
    answer = call.send("dtmf", digits="1")  # key 1 of a menu, never the old read-back's yes
    assert "QX-100002" not in spoken(answer)
    assert not any("QX-100002" in turn["text"] for turn in _user_turns(ivr_servers, call))


def test_the_same_number_said_with_yes_is_a_yes_and_corrections_are_capped(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    _order_read_back(call)
    found = call.send("speech", text="yes, q x one zero zero zero zero two", confidence=0.9)
    assert "on its way" in spoken(found)
    _order_read_back(call, "and q x one zero zero zero zero three", "Q X 1 0 0 0 0 3")
    one = call.send("speech", text="no, q x one zero zero zero zero four", confidence=0.9)
    assert "Q X 1 0 0 0 0 4, is that right?" in spoken(one)
    two = call.send("speech", text="no, 100005", confidence=0.95)  # typed-looking: read back too
    assert "Q X 1 0 0 0 0 5, is that right?" in spoken(two)
    three = call.send("speech", text="no", confidence=0.9)
    assert "key it in" in spoken(three) and "press 0" in spoken(three)
    assert not any(t in turn["text"] for turn in _user_turns(ivr_servers, call)
                   for t in ("QX-100003", "QX-100004", "QX-100005"))


def test_a_phone_with_a_typed_plus_is_read_back_with_plus(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    check = call.send("speech", text="my number is +44 seven seven zero zero nine zero zero one one one",
                      confidence=0.9)
    assert "plus 4 4 7 7 0 0 9 0 0 1 1 1, is that right?" in spoken(check)


def test_a_literal_and_a_spoken_order_number_are_both_read_back(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    check = call.send("speech", text="QX-100003 and q x one zero zero zero zero two", confidence=0.95)
    assert "Q X 1 0 0 0 0 3, Q X 1 0 0 0 0 2, is that right?" in spoken(check)


@pytest.mark.parametrize("confidence", ["high", True, 7, -1])
def test_a_bad_confidence_is_no_confidence(ivr_servers, tmp_path, confidence):
    call = Call(ivr_servers, tmp_path, "en-US")
    call.send("start")
    answer = call.send("speech", text="where is QX-100003", confidence=confidence)
    assert "delivered" in spoken(answer)


def test_a_chinese_call_is_greeted_in_chinese_after_an_english_one(ivr_servers, tmp_path):
    caller = "+8613900007777"
    english = Call(ivr_servers, tmp_path, "en-US", caller=caller)
    english.send("start")
    english.send("speech", text="where is QX-100002", confidence=0.95)
    english.send("hangup")
    chinese = Call(ivr_servers, tmp_path, "zh-CN", caller=caller)
    greeting = chinese.send("start")
    said = spoken(greeting)
    assert "欢迎回来" in said and "Welcome back" not in said, said  # the open case announced in the call's language


def test_rest_cannot_claim_an_ivr_conversation_before_the_call(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "en-US")
    refused = ivr_servers.rest("POST", json={"sender": f"ivr-{call.call_id}", "message": "hi"})
    assert refused.status_code == 403 and "reserved" in refused.json()["error"]
    assert kinds(call.send("start"))[-1] == "gather"
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.conversations.owner(f"ivr-{call.call_id}") == "ivr"


@pytest.mark.parametrize("lang,answer,caller", [("zh-CN", "没错", "+8613911113333"),
                                                ("en-US", "yeah no problem", "+8613911114444")])
def test_the_call_back_offer_takes_a_yes_with_a_no_word_in_it(ivr_servers, nobody_online, tmp_path, lang, answer,
                                                              caller):
    call = Call(ivr_servers, tmp_path, lang, caller=caller)
    call.send("start")
    offer = call.send("speech", text="agent please" if lang == "en-US" else "转人工", confidence=0.9)
    assert set(offer[-1]["options"]) == {"1", "2"}
    bye = call.send("speech", text=answer, confidence=0.9)
    assert kinds(bye) == ["say", "hangup"]
    ticket, phones = callback_ticket(ivr_servers, call)
    assert phones == [caller]


# ---- second review of issue 15 ------------------------------------------

@pytest.mark.parametrize("lang,ask,number,read,plus", [
    ("en-US", "I want to change the address of QX-100005", "call me on oh seven seven double oh nine double oh triple one",
     "0 7 7 0 0 9 0 0 1 1 1, is that right?", "plus 8 6"),
    ("zh-CN", "我要改订单QX-100002的收货地址", "幺三七零零零零二二二二", "1 3 7 0 0 0 0 2 2 2 2，对吗", "加 8 6"),
])
def test_a_spoken_domestic_phone_is_read_back_once(ivr_servers, tmp_path, lang, ask, number, read, plus):
    call = Call(ivr_servers, tmp_path, lang, caller="+8613900008888")
    call.send("start")
    call.send("speech", text=ask, confidence=0.9)
    check = call.send("speech", text=number, confidence=0.9)
    said = spoken(check)
    assert read in said and plus not in said, said  # not again as the text detector's +86…


def test_a_misheard_chinese_prefix_at_call_start_is_read_back_and_found(ivr_servers, tmp_path):
    call = Call(ivr_servers, tmp_path, "zh-CN")
    call.send("start")
    check = call.send("speech", text="扣叉幺洞洞洞洞二", confidence=0.9)
    assert "Q X 1 0 0 0 0 2，对吗" in spoken(check) and kinds(check)[-1] == "gather"
    found = call.send("speech", text="对", confidence=0.9)
    assert "100002" in spoken(found) and kinds(found)[-1] != "transfer"
    assert _user_turns(ivr_servers, call)[-1]["text"] == "QX-100002"


def test_a_second_give_up_in_one_call_hands_over_as_flow_exhausted(ivr_servers, tmp_path):
    token = ivr_servers.login("alice", "pass-word-1")
    call = Call(ivr_servers, tmp_path, "en-US", caller="+8613900006666")
    call.send("start")
    for _ in range(2):
        _order_read_back(call, "q x one zero zero zero zero three", "Q X 1 0 0 0 0 3")
        call.send("speech", text="no, q x one zero zero zero zero four", confidence=0.9)
        call.send("speech", text="no, q x one zero zero zero zero five", confidence=0.9)
        last = call.send("speech", text="no", confidence=0.9)
    assert last[-1]["action"] == "transfer", last
    ticket = ivr_servers.api("GET", f"/tickets/{last[-1]['ticket_id']}", token).json()
    assert ticket["packet"]["reason"]["code"] == "flow_exhausted"
