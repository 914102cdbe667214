"""A request for a person follows its customer to the chat they write from (bot.services.tickets.follow_customer):
which tickets move, to which conversations, and which never do (session 46)."""
from dataclasses import replace

import pytest

from bot.services import tickets as tickets_service
from bot.storage.fakes import FakeUnitOfWork
from tests.unit.test_services import always_open
from tests.unit.test_tickets import make_ticket


def customer_with(uow, *conversations, verification="token"):
    """A customer whose chats are ``(conversation id, identity kind)`` pairs, linked as verified facts link them,
    as a conversation that proves them now (``verification``) sees them."""
    with uow:
        customer = uow.customers.create("Li Na")
        for conversation_id, kind in conversations:
            uow.customers.link(customer.customer_id, kind, conversation_id, verified=kind == "wechat")
        uow.commit()
        return replace(uow.customers.get(customer.customer_id), verification=verification)


def handed_over_for(ticket, customer, channel, verification=None):
    """``ticket`` as the hand-over files it for ``customer`` on a ``channel`` chat that proved them as
    ``verification`` (default: as ``customer`` says): its ``customer_id`` and the packet's ``customer``."""
    if customer is None:
        return replace(ticket, channel=channel, customer_id=None)
    proof = verification or customer.verification
    packet = {**ticket.packet, "customer": {**ticket.packet["customer"], "id": customer.customer_id,
                                            "verification": proof}}
    return replace(ticket, channel=channel, customer_id=customer.customer_id, packet=packet)


def web_ticket(uow, conversation_id, state="queued", customer=None, verification=None):
    """A web chat ticket, handed over for ``customer`` (its ``customer_id``)."""
    ticket = make_ticket(uow, conversation_id, state=state)
    uow.tickets.tickets[ticket.ticket_id] = handed_over_for(ticket, customer, "web", verification)
    return uow.tickets.tickets[ticket.ticket_id]


def test_a_queued_web_ticket_moves_to_the_customers_wechat_chat_with_the_replies_not_yet_delivered():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-1", "web_session"), ("wx-1", "wechat"), verification="platform")
    ticket = web_ticket(uow, "web-1", customer=customer)
    uow.outbox.add("web-1", "webchat", [{"text": "Agent Ann has joined the chat."}])

    moved = tickets_service.follow_customer(uow, "wx-1", "wechat", customer)

    assert (moved.ticket_id, moved.conversation_id, moved.channel) == (ticket.ticket_id, "wx-1", "wechat")
    assert uow.tickets.open_for_conversation("web-1") is None
    assert moved.packet["channels_used"] == ["rest", "wechat"]
    assert {"conversation_id": "wx-1", "channel": "wechat"} in moved.packet["conversations"]
    [continued] = [h for h in uow.notes.history(ticket.ticket_id) if h["kind"] == "continued"]
    assert (continued["from_conversation"], continued["from_channel"], continued["to_conversation"],
            continued["to_channel"]) == ("web-1", "web", "wx-1", "wechat")
    assert [(m["conversation_id"], m["channel"], m["message"]["text"]) for m in uow.outbox.messages] == [
        ("wx-1", "wechat", "Agent Ann has joined the chat.")]


def test_a_ticket_an_agent_holds_moves_too_and_comes_back():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-2", "web_session"), ("rest-2", "rest_sender"))
    ticket = web_ticket(uow, "web-2", state="with_agent", customer=customer)
    assert tickets_service.follow_customer(uow, "rest-2", "rest", customer).conversation_id == "rest-2"
    assert tickets_service.follow_customer(uow, "web-2", "webchat", customer).conversation_id == "web-2"
    assert [h["to_conversation"] for h in uow.notes.history(ticket.ticket_id) if h["kind"] == "continued"] == [
        "rest-2", "web-2"]


@pytest.mark.parametrize("verification", ["none", "order_contact"])
def test_a_conversation_that_does_not_prove_the_customer_now_takes_nothing(verification):
    """Session 46's attacker: a shared computer's old chat, only remembered as the customer's (``none``), took their
    ticket and the agent's replies with it; a one-time code proves an order's contact, not who writes."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-3", "web_session"), ("rest-3", "rest_sender"), verification=verification)
    ticket = web_ticket(uow, "web-3", state="with_agent", customer=customer)
    assert tickets_service.follow_customer(uow, "rest-3", "rest", customer) is None
    assert tickets_service.follow_customer(uow, "rest-3", "rest", None) is None
    assert uow.tickets.open_for_conversation("web-3").ticket_id == ticket.ticket_id


@pytest.mark.parametrize("state", ["callback", "closed", "abandoned"])
def test_a_call_back_or_an_ended_ticket_stays(state):
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-4", "web_session"), ("rest-4", "rest_sender"))
    web_ticket(uow, "web-4", state=state, customer=customer)
    assert tickets_service.follow_customer(uow, "rest-4", "rest", customer) is None


def test_a_phone_call_never_takes_a_chats_ticket_nor_a_chat_a_calls_and_a_call_does_not_hide_a_chats():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-5", "web_session"), ("call-5", "ivr_call"), ("call-6", "ivr_call"),
                             ("rest-5", "rest_sender"))
    chat = web_ticket(uow, "web-5", customer=customer)
    assert tickets_service.follow_customer(uow, "call-5", "ivr", customer) is None
    call = make_ticket(uow, "call-6")  # newer than the chat's ticket
    uow.tickets.tickets[call.ticket_id] = replace(call, channel="ivr", customer_id=customer.customer_id)
    moved = tickets_service.follow_customer(uow, "rest-5", "rest", customer)  # the chat's, not the call's
    assert moved.ticket_id == chat.ticket_id
    assert uow.tickets.open_for_conversation("call-6").ticket_id == call.ticket_id


def test_a_chat_with_its_own_open_ticket_keeps_it_and_another_customers_ticket_never_moves():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-7", "web_session"), ("rest-7", "rest_sender"))
    stranger = customer_with(uow, ("rest-8", "rest_sender"))
    theirs = web_ticket(uow, "web-7", customer=customer)
    own = make_ticket(uow, "rest-7")
    assert tickets_service.follow_customer(uow, "rest-7", "rest", customer) is None
    assert uow.tickets.open_for_conversation("rest-7").ticket_id == own.ticket_id
    assert tickets_service.follow_customer(uow, "rest-8", "rest", stranger) is None
    assert uow.tickets.open_for_conversation("web-7").ticket_id == theirs.ticket_id


def test_a_message_on_the_chat_the_ticket_left_brings_it_back_only_with_proof():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-9", "web_session"), ("rest-9", "rest_sender"))
    ticket = web_ticket(uow, "web-9", customer=customer)
    tickets_service.follow_customer(uow, "rest-9", "rest", customer)

    unproven = tickets_service.relay_message(uow, "web-9", "is anyone there?", "webchat", always_open())
    assert unproven.outcome == tickets_service.BOT_BACK
    assert uow.tickets.get(ticket.ticket_id).conversation_id == "rest-9"

    relayed = tickets_service.relay_message(uow, "web-9", "is anyone there?", "webchat", always_open(),
                                            customer=customer)
    assert relayed.outcome == tickets_service.FILED and relayed.ticket.ticket_id == ticket.ticket_id
    assert relayed.ticket.conversation_id == "web-9" and relayed.position == 1
    assert uow.tickets.transcript(relayed.ticket)[-1]["text"] == "is anyone there?"


def test_calling_it_off_on_the_chat_the_ticket_left_calls_it_off():
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-10", "web_session"), ("rest-10", "rest_sender"))
    ticket = web_ticket(uow, "web-10", customer=customer)
    tickets_service.follow_customer(uow, "rest-10", "rest", customer)
    assert tickets_service.withdraw_request(uow, "web-10", "cancel that", "webchat") is None  # no proof: not theirs
    assert tickets_service.withdraw_request(uow, "web-10", "cancel that", "webchat",
                                            customer=customer) == ticket.ticket_id
    assert uow.tickets.get(ticket.ticket_id).state == "abandoned"


def test_a_ticket_matched_only_through_a_shared_chat_stays():
    """A fresh reviewer (session 46): a ticket someone else filed on a shared chat, which was then linked to the
    last person signed in there, followed that person to their own devices. Only the customer's own tickets move."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("kiosk-1", "web_session"), ("home-1", "rest_sender"))
    strangers = web_ticket(uow, "kiosk-1")  # filed by someone else (not this customer's id)
    assert tickets_service.follow_customer(uow, "home-1", "rest", customer) is None
    assert uow.tickets.open_for_conversation("kiosk-1").ticket_id == strangers.ticket_id


def test_asking_for_a_person_on_another_chat_takes_the_ticket_there_instead_of_a_second_one():
    """A fresh reviewer (session 46): on a chat whose session was already running, asking for a person opened a
    second ticket, which the 7-day repeat bump put ahead of the customer's own."""
    from bot.handover.policy import Decision
    from bot.services import handover as handover_service
    from bot.services.handover import Conversation

    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-11", "web_session"), ("rest-11", "rest_sender"))
    ticket = web_ticket(uow, "web-11", customer=customer)
    events = [{"event": "user", "text": "I want a person", "timestamp": 1.0, "input_channel": "rest",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    done = handover_service.hand_over(uow, Conversation("rest-11", events, {"language": "en"}, "I want a person",
                                                        "rest"), Decision("customer_request", "asked"),
                                      always_open(), customer, proven=customer)
    assert done.already_open and done.ticket.ticket_id == ticket.ticket_id
    assert (done.moved.left, done.moved.came_from) == ("web-11", "web")  # the Rasa server pushes what came with it
    assert uow.tickets.open_for_conversation("rest-11").ticket_id == ticket.ticket_id
    assert len([t for t in uow.tickets.tickets.values() if t.state == "queued"]) == 1


@pytest.mark.parametrize("text, decision", [
    ("I can smell gas in my kitchen, I need someone now", "safety"),
    ("Can someone call me back on 13800138000?", "call back"),
    ("I want a person", "not proven now"),
])
def test_an_urgent_case_a_call_back_or_an_unproven_chat_opens_its_own_ticket(text, decision):
    """A fresh reviewer (session 46): following the ticket skipped the safety advice and priority 1 of a gas smell,
    and the call-back the message asked for. Those, and a chat that proves nobody now, open their own ticket."""
    from bot.handover.policy import Decision, Trigger
    from bot.services import handover as handover_service
    from bot.services.handover import Conversation

    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-12", "web_session"), ("rest-12", "rest_sender"))
    theirs = web_ticket(uow, "web-12", customer=customer)
    why = (Decision("customer_request", "safety", (Trigger("customer_request", "safety", case="safety"),))
           if decision == "safety" else Decision("customer_request", "asked"))
    events = [{"event": "user", "text": text, "timestamp": 1.0, "input_channel": "rest",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    done = handover_service.hand_over(uow, Conversation("rest-12", events, {"language": "en"}, text, "rest"), why,
                                      always_open(), customer,
                                      proven=None if decision == "not proven now" else customer)
    assert not done.already_open and done.ticket.ticket_id != theirs.ticket_id and done.moved is None
    assert uow.tickets.open_for_conversation("web-12").ticket_id == theirs.ticket_id


@pytest.mark.parametrize("filed_as, follows", [("none", False), ("token", True), ("platform", True),
                                               ("order_contact", False)])
def test_only_a_ticket_filed_on_a_chat_that_proved_them_follows(filed_as, follows):
    """helper-220 (session 48): a stranger wrote signed out on a shared computer's chat remembered as Li Na's and
    asked for a person; the ticket, filed for her with ``verification: none``, followed her to her next signed-in
    chat, the stranger's words first on it."""
    uow = FakeUnitOfWork()
    customer = customer_with(uow, ("web-48", "web_session"), ("rest-48", "rest_sender"))
    ticket = web_ticket(uow, "web-48", customer=customer, verification=filed_as)
    moved = tickets_service.follow_customer(uow, "rest-48", "rest", customer)
    assert (moved is not None and moved.ticket_id == ticket.ticket_id) is follows
    stayed = uow.tickets.open_for_conversation("web-48")
    assert (stayed is None) if follows else (stayed.ticket_id == ticket.ticket_id)
