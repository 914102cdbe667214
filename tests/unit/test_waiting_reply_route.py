"""A new user's review of the dialogue after a hand-over: every message while the case waited was answered
"the colleague who calls you back will see it", also after "a colleague will answer right here in this chat",
for a customer who asked to be e-mailed or who left a message; and "after 6pm please", said while a call-back
was arranged, was answered with the opening hours as well. The case's contact route
(``bot.services.tickets.contact_route``) now picks the words, and a time to call is kept and confirmed only."""
from __future__ import annotations

import pytest

from actions.handoff import CALL_TIME_NOTED, WHO_SEES_IT, added_to_case, call_time_noted, contact_noted
from bot.domain import TicketState
from bot.handover.policy import Decision
from bot.handover.call_me import call_time
from bot.services import tickets as tickets_service
from bot.services.handover import Conversation, hand_over
from bot.storage.fakes import FakeUnitOfWork
from bot.text import markdown_to_text
from tests.unit.test_services import NOW, always_open, conversation, handed_over

CALLS_BACK = ("calls you back", "给您回电")


def relay(uow, text, cid="c1", channel="webchat"):
    return tickets_service.relay_message(uow, cid, text, channel, always_open())


def call_back_case(uow, cid="c1"):
    """A ticket waiting for a call-back: nobody online, no contact known (the "answer right here" case)."""
    ticket = handed_over(uow, cid=cid).ticket
    assert ticket.state == TicketState.CALLBACK
    return ticket


def test_a_case_with_no_contact_is_answered_in_this_chat():
    uow = FakeUnitOfWork(agents_online=0)
    ticket = call_back_case(uow)
    relayed = relay(uow, "Also the box was wet")
    assert relayed.route == tickets_service.CHAT and relayed.call_time is None
    with uow:
        assert tickets_service.contact_route(uow, uow.tickets.get(ticket.ticket_id)) == tickets_service.CHAT


def test_an_address_given_makes_it_e_mail_and_a_number_a_call():
    uow = FakeUnitOfWork(agents_online=0)
    call_back_case(uow)
    assert relay(uow, "please e-mail me at ann@example.com only").route == tickets_service.EMAIL
    assert relay(uow, "and the box was wet").route == tickets_service.EMAIL
    assert relay(uow, "actually call me on 13900139000").route == tickets_service.PHONE


@pytest.mark.parametrize("reply_to, to, route", [
    ("channel", None, tickets_service.MESSAGE), ("email", "ann@example.com", tickets_service.EMAIL),
    ("sms", "+8613900139000", tickets_service.SMS)])
def test_a_left_message_is_answered_the_way_the_customer_chose(reply_to, to, route):
    uow = FakeUnitOfWork(agents_online=0)
    ticket = call_back_case(uow)
    with uow:
        uow.tickets.fill_intake(ticket.ticket_id, "phone", "+8613800138000")  # a number known: the message wins
        uow.waits.record_left_message(ticket.ticket_id, reply_to, to)
    assert relay(uow, "one more thing: the lid is cracked").route == route


def test_a_phone_call_is_called_back_on_the_caller_id():
    uow = FakeUnitOfWork(agents_online=0)
    call = conversation("ivr-1")
    events = [{**call.events[0], "input_channel": "ivr"}]
    done = hand_over(uow, Conversation("ivr-1", events, {"language": "en"}, latest_text=call.latest_text,
                                       latest_channel="ivr"), Decision("customer_request", "asked"), always_open(),
                     now=NOW)
    assert done.ticket.state == TicketState.CALLBACK and done.ticket.channel == "ivr"
    assert relay(uow, "hello", cid="ivr-1", channel="ivr").route == tickets_service.PHONE


def test_a_queued_ticket_has_no_route():
    uow = FakeUnitOfWork(agents_online=1)
    handed_over(uow)
    relayed = relay(uow, "still there?")
    assert relayed.position == 1 and relayed.route is None


@pytest.mark.parametrize("route", [tickets_service.CHAT, tickets_service.EMAIL, tickets_service.SMS,
                                   tickets_service.MESSAGE])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_only_a_call_back_by_phone_says_the_colleague_calls(route, language):
    said = added_to_case(route, language)
    assert not any(words in said for words in CALLS_BACK), said
    assert said.endswith(WHO_SEES_IT[language][route])
    assert any(words in added_to_case(tickets_service.PHONE, language) for words in CALLS_BACK)


def test_each_route_says_how_the_answer_comes_in_english_and_chinese():
    assert "right here in this chat" in added_to_case(tickets_service.CHAT, "en")
    assert "在这个对话里答复您" in added_to_case(tickets_service.CHAT, "zh")
    assert "by e-mail" in added_to_case(tickets_service.EMAIL, "en")
    assert "通过电子邮件" in added_to_case(tickets_service.EMAIL, "zh")
    assert "your message" in added_to_case(tickets_service.MESSAGE, "en")
    assert "留言" in added_to_case(tickets_service.MESSAGE, "zh")
    assert "text message" in added_to_case(tickets_service.SMS, "en") and "短信" in added_to_case("sms", "zh")
    assert added_to_case(None, "fr") == added_to_case(tickets_service.PHONE, "en")


def test_a_noted_address_names_the_e_mail_route_not_the_call_back():
    en = markdown_to_text(contact_noted({"phone": None, "email": "ann@example.com"}, "en",
                                        route=tickets_service.EMAIL))
    assert "a***@example.com" in en and "by e-mail" in en and "calls you back" not in en
    zh = markdown_to_text(contact_noted({"phone": None, "email": "ann@example.com"}, "zh"))  # route from the contact
    assert "通过电子邮件答复您的同事" in zh and "给您回电的同事" not in zh
    number = markdown_to_text(contact_noted({"phone": "+8613900139000", "email": None}, "en"))
    assert "the colleague who calls you back will see it" in number


@pytest.mark.parametrize("text, when", [
    ("after 6pm please", "after 6pm"), ("After 6pm please", "After 6pm"), ("tomorrow morning", "tomorrow morning"),
    ("Please call me after 6pm instead", "after 6pm"), ("between 2 and 4pm", "between 2 and 4pm"),
    ("anytime after 3pm please", "anytime after 3pm"), ("6:30pm", "6:30pm"), ("after 18:00", "after 18:00"),
    ("call me tomorrow at 10am", "tomorrow at 10am"), ("in the evening please", "in the evening"),
    ("not before 10am please", "not before 10am"), ("I'm free after 6pm", "after 6pm"),
    ("下午六点以后", "下午六点以后"), ("晚上6点以后吧", "晚上6点以后"), ("请下午六点以后再打给我", "下午六点以后"),
    ("明天上午", "明天上午"), ("18:00之后", "18:00之后"), ("下午3点到5点之间", "下午3点到5点之间"),
])
def test_a_time_to_call_is_read_as_written(text, when):
    assert call_time(text) == when


@pytest.mark.parametrize("text", [
    "are you open after 6pm?", "what are your opening hours?", "你们几点上班", "下午六点以后开门吗",
    "what time do you close today", "don't call me after 6pm", "不要晚上打给我", "can it be delivered after 6pm",
    "Also the box was wet", "my new number is 13900139000", "call me on 13900139000 after 6pm", "yes", "thanks",
    "1", "2", "3", "6", "QX-100001", "I ordered 3 items", "can I return it after 30 days", "hello", "以后", "",
])
def test_anything_more_than_a_time_is_no_time_to_call(text):
    assert call_time(text) is None


def test_a_time_on_a_call_back_by_phone_is_kept_for_the_colleague():
    uow = FakeUnitOfWork(agents_online=0)
    ticket = call_back_case(uow)
    assert tickets_service.record_callback(uow, ticket.ticket_id, "+8613900139000")
    relayed = relay(uow, "after 6pm please")
    assert relayed.route == tickets_service.PHONE and relayed.call_time == "after 6pm"
    assert relayed.ticket.packet["intake"]["callback_time"] == "after 6pm"
    assert relay(uow, "明天上午").ticket.packet["intake"]["callback_time"] == "明天上午"  # a new one replaces it
    with uow:
        said = [line["text"] for line in uow.tickets.transcript(uow.tickets.get(ticket.ticket_id))]
    assert "after 6pm please" in said and "明天上午" in said  # and on the transcript, as written


def test_a_time_on_a_case_answered_in_the_chat_is_no_call_time():
    uow = FakeUnitOfWork(agents_online=0)
    call_back_case(uow)
    relayed = relay(uow, "after 6pm please")
    assert relayed.call_time is None and "callback_time" not in relayed.ticket.packet["intake"]


def test_the_time_is_confirmed_in_the_customers_language():
    assert call_time_noted("after 6pm", "en") == CALL_TIME_NOTED["en"].format(when="after 6pm")
    assert "after 6pm" in call_time_noted("after 6pm", "en") and "calls you back" in call_time_noted("x", "en")
    assert call_time_noted("下午六点以后", "zh") == "好的，已记下您希望的回电时间：下午六点以后，给您回电的同事会看到。"
    assert "\\*" in call_time_noted("*after* 6pm", "en")  # shown as written, never as markup
