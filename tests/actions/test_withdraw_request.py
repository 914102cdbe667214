"""A queued customer calls their request for a person off ("cancel that", 不用转人工了): the ticket ends
``abandoned`` (DESIGN §4: the customer left), they are told so in their language and the bot is back;
once a colleague holds the conversation the message is passed on and the customer told so."""
import pytest

import actions.common
from actions.handoff import COLLEAGUE_HAS_IT, WITHDRAWN, ActionHandoff, ActionRelayToAgent
from bot.nlu.declined import withdraws_request
from bot.storage.fakes import FakeUnitOfWork
from tests.actions.conftest import run_action


@pytest.fixture
def fake(monkeypatch, always_open):
    uow = FakeUnitOfWork(agents_online=1)
    previous = actions.common.use_unit_of_work(lambda: uow)
    yield uow
    actions.common.use_unit_of_work(previous)


@pytest.mark.parametrize("text", [
    "no need for a person any more, cancel that", "I don't need a person, forget it", "never mind, cancel the request",
    "不用转人工了", "不需要了，取消吧", "算了"])
def test_calling_it_off_is_read_in_both_languages(text):
    assert withdraws_request(text)


@pytest.mark.parametrize("text", [
    "cancel my order QX-100003", "取消订单", "I want a person", "how long will it take?", "我要转人工",
    "forget it, just put me through to a person", "my phone is 13812345678"])
def test_other_messages_do_not_call_it_off(text):
    assert not withdraws_request(text)


def _queued(fake, tracker_from, dispatcher, lang):
    run_action(ActionHandoff(), dispatcher, tracker_from("request_human_zh", language=lang), {})
    [ticket] = fake.tickets.tickets.values()
    dispatcher.messages.clear()
    return ticket


@pytest.mark.parametrize("lang,text", [("en", "I don't need a person, forget it"), ("zh", "不需要了，取消吧")])
def test_a_queued_customer_who_calls_it_off_leaves_the_queue(fake, tracker_from, dispatcher, lang, text):
    ticket = _queued(fake, tracker_from, dispatcher, lang)
    relay = tracker_from("request_human_zh", language=lang, handoff_state="queued")
    relay.latest_message = {"text": text, "intent": {"name": "deny"}, "entities": []}
    events = run_action(ActionRelayToAgent(), dispatcher, relay, {})
    assert events == [{"event": "slot", "name": "handoff_state", "value": None, "timestamp": None}]
    assert [m["text"] for m in dispatcher.messages] == [WITHDRAWN[lang]]
    assert fake.tickets.get(ticket.ticket_id).state == "abandoned"
    kinds = [(e[1], e[4]) for e in fake.tickets.events if e[0] == ticket.ticket_id]
    assert kinds[-2][0] == "message" and kinds[-1] == ("abandoned", {"why": "customer withdrew"})


def test_once_a_colleague_has_it_the_message_is_passed_on(fake, tracker_from, dispatcher):
    ticket = _queued(fake, tracker_from, dispatcher, "en")
    fake.tickets.claim(ticket.ticket_id, "agent0")
    relay = tracker_from("request_human_zh", language="en", handoff_state="with_agent")
    relay.latest_message = {"text": "no need for a person any more, cancel that", "intent": {"name": "deny"},
                            "entities": []}
    assert run_action(ActionRelayToAgent(), dispatcher, relay, {}) == []
    assert [m["text"] for m in dispatcher.messages] == [COLLEAGUE_HAS_IT["en"]]
    assert fake.tickets.get(ticket.ticket_id).state == "with_agent"
    assert fake.tickets.events[-1][1] == "message"


@pytest.mark.parametrize("lang,text", [
    ("en", "oh wait, found it in the porch, my mistake. sorry!"), ("en", "ok it works now, my mistake, thanks"),
    ("zh", "没事了，是我自己看错了，不好意思"), ("zh", "可以了可以了，谢谢")])
def test_a_queued_customer_whose_problem_sorted_itself_hears_how_to_leave_the_queue(fake, tracker_from, dispatcher, lang,
                                                                                     text):
    """Session 24: calm customers queued on a sharp first message often say a turn later that it sorted itself. The message
    goes on the case and the customer hears how to leave the queue; only their "cancel" calls it off (a reviewer showed an
    automatic withdrawal dropping customers who still needed a person: "its fine, i'll wait for the agent", 可以了 我继续等)."""
    from actions.handoff import SORTED_OFFER

    ticket = _queued(fake, tracker_from, dispatcher, lang)
    relay = tracker_from("request_human_zh", language=lang, handoff_state="queued")
    relay.latest_message = {"text": text, "intent": {"name": "thank"}, "entities": []}
    run_action(ActionRelayToAgent(), dispatcher, relay, {})
    assert [m["text"] for m in dispatcher.messages] == [SORTED_OFFER[lang]]
    assert fake.tickets.get(ticket.ticket_id).state == "queued"
    assert fake.tickets.events[-1][1] == "message"
    dispatcher.messages.clear()
    relay.latest_message = {"text": "cancel" if lang == "en" else "取消", "intent": {"name": "deny"}, "entities": []}
    events = run_action(ActionRelayToAgent(), dispatcher, relay, {})
    assert events == [{"event": "slot", "name": "handoff_state", "value": None, "timestamp": None}]
    assert [m["text"] for m in dispatcher.messages] == [WITHDRAWN[lang]]
    assert fake.tickets.get(ticket.ticket_id).state == "abandoned"


@pytest.mark.parametrize("text", [
    "found it, but the box is crushed", "it arrived but it's the wrong size", "到了，但是少了一件", "still not working",
    "it's working now, can I get compensation for the day I lost?", "找到了，但是被人盗刷了", "it's here now. I still want to complain",
    "it's sorted now, put me through to a person anyway", "its fine, i'll wait for the agent", "可以了 我继续等",
    "no its not working now", "找到了，里面的东西是碎的", "my mistake was trusting you lot"])
def test_a_problem_not_over_keeps_the_customer_queued_and_offers_nothing(fake, tracker_from, dispatcher, text):
    from actions.handoff import SORTED_OFFER

    ticket = _queued(fake, tracker_from, dispatcher, "en")
    relay = tracker_from("request_human_zh", language="en", handoff_state="queued")
    relay.latest_message = {"text": text, "intent": {"name": "inform"}, "entities": []}
    run_action(ActionRelayToAgent(), dispatcher, relay, {})
    assert fake.tickets.get(ticket.ticket_id).state == "queued"
    assert fake.tickets.events[-1][1] == "message"
    assert all(m.get("text") not in SORTED_OFFER.values() for m in dispatcher.messages)


def test_once_a_colleague_has_it_sorted_news_goes_to_them(fake, tracker_from, dispatcher):
    ticket = _queued(fake, tracker_from, dispatcher, "en")
    fake.tickets.claim(ticket.ticket_id, "agent0")
    relay = tracker_from("request_human_zh", language="en", handoff_state="with_agent")
    relay.latest_message = {"text": "found it, my mistake, sorry", "intent": {"name": "thank"}, "entities": []}
    run_action(ActionRelayToAgent(), dispatcher, relay, {})
    assert fake.tickets.get(ticket.ticket_id).state == "with_agent"
    assert fake.tickets.events[-1][1] == "message"
