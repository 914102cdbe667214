"""A request for a person follows its customer to the chat they write from (bot.services.tickets.follow_customer):
which tickets move, and which never do (session 46)."""
from dataclasses import replace

import pytest

from bot.services import tickets as tickets_service
from bot.storage.fakes import FakeUnitOfWork
from tests.unit.test_services import always_open
from tests.unit.test_tickets import make_ticket


def customer_with(uow, *conversations):
    """A customer whose chats are ``(conversation id, identity kind)`` pairs, linked as verified facts link them."""
    with uow:
        customer = uow.customers.create("Li Na")
        for conversation_id, kind in conversations:
            uow.customers.link(customer.customer_id, kind, conversation_id, verified=kind == "wechat")
        uow.commit()
        return uow.customers.get(customer.customer_id)


def test_a_queued_web_ticket_moves_to_the_customers_wechat_chat():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-1", "web_session"), ("wx-1", "wechat"))
    ticket = make_ticket(uow, "web-1")
    uow.tickets.tickets[ticket.ticket_id] = replace(ticket, channel="web")

    moved = tickets_service.follow_customer(uow, "wx-1", "wechat")

    assert (moved.ticket_id, moved.conversation_id, moved.channel) == (ticket.ticket_id, "wx-1", "wechat")
    assert uow.tickets.open_for_conversation("web-1") is None
    assert moved.packet["channels_used"] == ["rest", "wechat"]
    assert {"conversation_id": "wx-1", "channel": "wechat"} in moved.packet["conversations"]
    [continued] = [h for h in uow.notes.history(ticket.ticket_id) if h["kind"] == "continued"]
    assert (continued["from_conversation"], continued["from_channel"], continued["to_conversation"],
            continued["to_channel"]) == ("web-1", "web", "wx-1", "wechat")
    assert customer.customer_id  # the chats were linked to one customer


def test_a_ticket_an_agent_holds_moves_too_and_comes_back():
    uow = FakeUnitOfWork()
    customer_with(uow, ("web-2", "web_session"), ("rest-2", "rest_sender"))
    ticket = make_ticket(uow, "web-2", state="with_agent")
    assert tickets_service.follow_customer(uow, "rest-2", "rest").conversation_id == "rest-2"
    assert tickets_service.follow_customer(uow, "web-2", "webchat").conversation_id == "web-2"
    assert [h["to_conversation"] for h in uow.notes.history(ticket.ticket_id) if h["kind"] == "continued"] == [
        "rest-2", "web-2"]


@pytest.mark.parametrize("state", ["callback", "closed", "abandoned"])
def test_a_call_back_or_an_ended_ticket_stays(state):
    uow = FakeUnitOfWork()
    customer_with(uow, ("web-3", "web_session"), ("rest-3", "rest_sender"))
    make_ticket(uow, "web-3", state=state)
    assert tickets_service.follow_customer(uow, "rest-3", "rest") is None


def test_a_phone_call_never_takes_a_chats_ticket_nor_a_chat_a_calls():
    uow = FakeUnitOfWork()
    customer_with(uow, ("web-4", "web_session"), ("call-4", "ivr_call"), ("call-5", "ivr_call"),
                  ("rest-5", "rest_sender"))
    make_ticket(uow, "web-4")
    assert tickets_service.follow_customer(uow, "call-4", "ivr") is None
    call = make_ticket(uow, "call-5")
    uow.tickets.tickets[call.ticket_id] = replace(call, channel="ivr")
    assert tickets_service.follow_customer(uow, "rest-5", "rest") is None  # the customer's newest: the call's
    assert uow.tickets.open_for_conversation("call-5").ticket_id == call.ticket_id


def test_a_chat_with_its_own_open_ticket_keeps_it_and_another_customers_ticket_never_moves():
    uow = FakeUnitOfWork()
    customer_with(uow, ("web-6", "web_session"), ("rest-6", "rest_sender"))
    customer_with(uow, ("rest-7", "rest_sender"))
    theirs = make_ticket(uow, "web-6")
    own = make_ticket(uow, "rest-6")
    assert tickets_service.follow_customer(uow, "rest-6", "rest") is None
    assert uow.tickets.open_for_conversation("rest-6").ticket_id == own.ticket_id
    assert tickets_service.follow_customer(uow, "rest-7", "rest") is None  # another customer
    assert tickets_service.follow_customer(uow, "rest-8", "rest") is None  # an anonymous chat
    assert uow.tickets.open_for_conversation("web-6").ticket_id == theirs.ticket_id


def test_a_message_on_the_chat_the_ticket_left_is_filed_there_and_brings_it_back():
    uow = FakeUnitOfWork()
    customer_with(uow, ("web-9", "web_session"), ("rest-9", "rest_sender"))
    ticket = make_ticket(uow, "web-9")
    tickets_service.follow_customer(uow, "rest-9", "rest")

    relayed = tickets_service.relay_message(uow, "web-9", "is anyone there?", "webchat", always_open())

    assert relayed.outcome == tickets_service.FILED and relayed.ticket.ticket_id == ticket.ticket_id
    assert relayed.ticket.conversation_id == "web-9" and relayed.position == 1
    assert uow.tickets.transcript(relayed.ticket)[-1]["text"] == "is anyone there?"


def test_calling_it_off_on_the_chat_the_ticket_left_calls_it_off():
    uow = FakeUnitOfWork()
    customer_with(uow, ("web-10", "web_session"), ("rest-10", "rest_sender"))
    ticket = make_ticket(uow, "web-10")
    tickets_service.follow_customer(uow, "rest-10", "rest")
    assert tickets_service.withdraw_request(uow, "web-10", "cancel that", "webchat") == ticket.ticket_id
    assert uow.tickets.get(ticket.ticket_id).state == "abandoned"
