"""A new user's review, with the actions on a real database: after "a colleague will answer right here in this
chat" every further message was acknowledged "the colleague who calls you back will see it" — also for an
e-mail-only customer and after a left message; and "after 6pm please", given while a call-back was arranged,
was answered with the opening hours too. The acknowledgement now follows the contact route the hand-over
agreed, in English and Chinese, and a time to call is kept and confirmed, never answered as an FAQ."""
from __future__ import annotations

import pytest
from rasa_sdk.events import ActionReverted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import CALL_TIME_NOTED, ActionHandoff, ActionRelayToAgent
from bot.handover.policy import load_config
from bot.services import waiting
from bot.storage.uow import SqlAlchemyUnitOfWork
from bot.text import markdown_to_text
from tests.actions.conftest import run_action

SENDER = "fx-human-zh"  # the fixture's conversation
HOURS = {"faq": {"response": {"intent_response_key": "faq/opening_hours"}}}


def turn(tracker_from, language, text, intent="inform", confidence=0.95, selector=None):
    """The fixture's conversation with ``text`` as its latest message, read by NLU as ``intent``."""
    tracker = tracker_from("request_human_zh", language=language)
    tracker.latest_message.update(text=text, intent={"name": intent, "confidence": confidence}, entities=[],
                                  response_selector=selector or {})
    return tracker


def relayed(tracker):
    """Run the relay; its events and what the customer read (markdown as the widget shows it; a domain
    response as its name and the value it is filled with)."""
    dispatcher = CollectingDispatcher()
    events = run_action(ActionRelayToAgent(), dispatcher, tracker, {})
    return events, [markdown_to_text(m["text"]) if m.get("text") else f"{m.get('response')}: {m.get('reply_way')}"
                    for m in dispatcher.messages]


def ticket():
    with SqlAlchemyUnitOfWork() as uow:
        return uow.tickets.open_for_conversation(SENDER)


def hand_over(tracker_from, language, text="I want to talk to a human"):
    tracker = turn(tracker_from, language, text, intent="request_human")
    dispatcher = CollectingDispatcher()
    events = run_action(ActionHandoff(), dispatcher, tracker, {})
    return events, [m.get("text") or "" for m in dispatcher.messages]


@pytest.mark.parametrize("language, here, added", [
    ("en", "answer right here in this chat",
     "Thank you, I've added this to your case; the colleague who answers you right here in this chat will see it."),
    ("zh", "直接在这个对话里答复您", "谢谢，这条信息已补充到您的工单里，在这个对话里答复您的同事会看到。"),
])
def test_after_the_answer_was_promised_in_this_chat_a_message_is_acknowledged_so(
        database_url, tracker_from, language, here, added):
    events, said = hand_over(tracker_from, language)  # nobody online: a call-back, no contact known
    assert SlotSet("handoff_state", "callback") in events and here in said[-1]
    events, said = relayed(turn(tracker_from, language, "Also the box was wet" if language == "en" else "另外箱子是湿的"))
    assert events == [SlotSet("handoff_state", "callback")]
    assert said == [added]


@pytest.mark.parametrize("language, noted, later", [
    ("en", "I've noted a***@example.com as the e-mail address to reach you at",
     "the colleague who answers you by e-mail will see it."),
    ("zh", "已记下 a***@example.com 作为联系您的邮箱", "通过电子邮件答复您的同事会看到。"),
])
def test_a_customer_who_asked_for_e_mail_only_hears_of_e_mail(database_url, tracker_from, language, noted, later):
    hand_over(tracker_from, language)
    _, said = relayed(turn(tracker_from, language, "please e-mail me at ann@example.com only"))
    assert noted in said[0] and said[0].endswith(later) and "calls you back" not in said[0]
    _, said = relayed(turn(tracker_from, language, "and the lid is cracked"))
    assert said[0].endswith(later) and "给您回电" not in said[0] and "calls you back" not in said[0]


@pytest.mark.parametrize("language, message, left, later", [
    ("en", "The lid came cracked, please send a new one", "right here",
     "the colleague who answers your message right here will see it."),
    ("en", "The lid came cracked, answer to ann@example.com", "by e-mail to ann@example.com",
     "the colleague who answers you by e-mail will see it."),
    ("zh", "盖子裂了，请补发一个", "在这里", "在这里答复您留言的同事会看到。"),
])
def test_after_a_left_message_the_acknowledgement_names_how_it_is_answered(
        database_url, always_open, agent_online, tracker_from, language, message, left, later):
    events, _ = hand_over(tracker_from, language)  # someone online: queued
    assert SlotSet("handoff_state", "queued") in events
    waiting.record_offer(SqlAlchemyUnitOfWork(), ticket().ticket_id, 4 * 3600)  # the long wait's three choices
    relayed(turn(tracker_from, language, "3"))  # leave a message
    events, said = relayed(turn(tracker_from, language, message))
    assert events == [SlotSet("handoff_state", "callback")] and said == [f"utter_wait_message_saved: {left}"]
    events, said = relayed(turn(tracker_from, language, "one more thing" if language == "en" else "还有一件事"))
    assert events == [SlotSet("handoff_state", "callback")]
    assert said[0].endswith(later) and "calls you back" not in said[0] and "给您回电" not in said[0]


def test_a_call_back_on_a_number_still_says_the_colleague_calls(database_url, tracker_from):
    hand_over(tracker_from, "en", "Can someone call me back on 13900139000?")
    assert ticket().state == "callback"
    _, said = relayed(turn(tracker_from, "en", "Also the box was wet"))
    assert said == ["Thank you, I've added this to your case; the colleague who calls you back will see it."]


@pytest.mark.parametrize("language, ask, text, when", [
    ("en", "Can someone call me back on 13900139000?", "after 6pm please", "after 6pm"),
    ("en", "Can someone call me back on 13900139000?", "tomorrow morning", "tomorrow morning"),
    ("zh", "请给我回电，13800138000", "下午六点以后", "下午六点以后"),
])
def test_a_time_given_for_the_call_back_is_kept_and_confirmed_not_answered_as_an_faq(
        database_url, tracker_from, language, ask, text, when):
    hand_over(tracker_from, language, ask)
    # NLU reads "after 6pm please" as an FAQ with confidence (the opening hours, the payment methods)
    events, said = relayed(turn(tracker_from, language, text, intent="faq", confidence=0.93, selector=HOURS))
    assert ActionReverted() not in events and events == [SlotSet("handoff_state", "callback")]
    assert said == [CALL_TIME_NOTED[language].format(when=when)]
    case = ticket()
    assert case.packet["intake"]["callback_time"] == when
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.tickets.transcript(case)[-1]["text"] == text


def test_a_real_question_during_the_call_back_is_still_answered(database_url, tracker_from):
    hand_over(tracker_from, "en", "Can someone call me back on 13900139000?")
    events, _ = relayed(turn(tracker_from, "en", "what are your opening hours?", intent="faq", selector=HOURS))
    assert events == [ActionReverted()]  # the bot answers it as well (rev14d #1)
    assert "callback_time" not in ticket().packet["intake"]


def test_a_time_while_the_answer_comes_in_this_chat_is_filed_and_not_answered(database_url, tracker_from):
    hand_over(tracker_from, "en")
    events, said = relayed(turn(tracker_from, "en", "after 6pm please", intent="faq", confidence=0.84, selector=HOURS))
    assert events == [SlotSet("handoff_state", "callback")]  # no FAQ answer about payment or opening hours
    assert said[0].endswith("right here in this chat will see it.")
    assert "callback_time" not in ticket().packet["intake"]


def test_the_config_offers_the_three_choices_for_a_four_hour_wait():
    # the left-message tests rely on it: a wait this long gets the offer (escalation.yml long_wait_offer_s)
    assert waiting.should_offer(4 * 3600, waiting.utcnow(), load_config())
