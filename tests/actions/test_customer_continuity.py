"""One customer across channels: resume a password reset and hand over with the customer id."""
import time

import jwt
import pytest
from rasa_sdk import Tracker

from actions.handoff import ActionHandoff
from actions.password_reset import ActionStartPasswordReset
from bot.handover.troubleshooting import Progress
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import run_action

SECRET = "actions-test-secret-0123456789abcdef"
PHONE = "+8613800138000"


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", SECRET)


def tracker(sender, channel, text, intent, metadata=None, slots=None):
    event = {"event": "user", "text": text, "input_channel": channel, "metadata": metadata or {},
             "timestamp": time.time(), "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.99},
                                                      "entities": []}}
    return Tracker.from_dict({
        "sender_id": sender, "slots": {"language": "en", **(slots or {})},
        "latest_message": {**event["parse_data"], "metadata": metadata or {}},
        "events": [event], "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def web_token(sub, **claims):
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 300, **claims}, SECRET, algorithm="HS256")


def test_reset_started_with_a_token_resumes_on_a_phone_call_from_the_same_number(
        database_url, dispatcher):
    web = tracker("web-1", "rest", "I forgot my password", "reset_password",
                  {"customer_token": web_token("site-9", phone=PHONE)})
    run_action(ActionStartPasswordReset(), dispatcher, web, {})
    with SqlAlchemyUnitOfWork() as uow:  # steps 1 and 2 done on the web
        progress = uow.progress.get("web-1", "password_reset")
        progress.complete(1)
        progress.complete(2)
        uow.progress.save(progress)
        uow.commit()

    call = tracker("ivr-call-9", "ivr", "I forgot my password", "reset_password", {"caller": PHONE})
    events = run_action(ActionStartPasswordReset(), dispatcher, call, {})
    assert dispatcher.messages[-1]["response"] == "utter_password_reset_resume"
    assert dispatcher.messages[-1]["steps_done"] == 2 and dispatcher.messages[-1]["next_step"] == 3
    assert {"event": "slot", "name": "reset_next_step", "value": 3.0, "timestamp": None} in events
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.progress.get("ivr-call-9", "password_reset").steps_done == [1, 2]


def test_a_phone_typed_in_chat_does_not_resume_someone_elses_reset(database_url, dispatcher):
    web = tracker("web-2", "rest", "I forgot my password", "reset_password",
                  {"customer_token": web_token("site-10", phone="+447700900333")})
    run_action(ActionStartPasswordReset(), dispatcher, web, {})
    with SqlAlchemyUnitOfWork() as uow:
        progress = uow.progress.get("web-2", "password_reset")
        progress.complete(1)
        uow.progress.save(progress)
        uow.commit()
    typed = tracker("rest-stranger", "rest", "I forgot my password, my phone is +447700900333", "reset_password")
    typed.events[0]["parse_data"]["entities"] = [{"entity": "phone", "value": "+447700900333"}]
    run_action(ActionStartPasswordReset(), dispatcher, typed, {})
    assert dispatcher.messages[-1]["response"] == "utter_password_reset_intro"


def test_completed_reset_elsewhere_is_not_resumed(database_url, dispatcher):
    with SqlAlchemyUnitOfWork() as uow:
        old = Progress(conversation_id="web-3", flow="password_reset")
        old.complete(1)
        uow.progress.save(old)
        uow.commit()
    run_action(ActionStartPasswordReset(), dispatcher, tracker("web-3", "rest", "reset", "reset_password",
                                                       {"customer_token": web_token("site-11")}), {})
    from bot.services.from_tracker import resolve_customer
    resolve_customer(SqlAlchemyUnitOfWork, tracker("web-4", "rest", "hi", "greet", {"customer_token": web_token("site-11")}))
    with SqlAlchemyUnitOfWork() as uow:  # the same customer finished it later in another conversation
        done = Progress(conversation_id="web-4", flow="password_reset")
        for step in (1, 2, 3, 4):
            done.complete(step)
        uow.progress.save(done)
        uow.commit()
    run_action(ActionStartPasswordReset(), dispatcher, tracker("web-5", "rest", "reset", "reset_password",
                                                       {"customer_token": web_token("site-11")}), {})
    assert dispatcher.messages[-1]["response"] == "utter_password_reset_intro"


def test_handoff_carries_the_customer_and_priority_rises_for_a_repeat_escalation(
        database_url, dispatcher, always_open, agent_online):
    first = tracker("wx-openid-7", "wechat", "real person please", "request_human")
    run_action(ActionHandoff(), dispatcher, first, {})
    with SqlAlchemyUnitOfWork() as uow:
        ticket = uow.tickets.open_for_conversation("wx-openid-7")
        customer = uow.customers.find("wechat", "wx-openid-7", verified_only=True)
        uow.tickets.claim(ticket.ticket_id, "alice")
        uow.tickets.close(ticket.ticket_id, "alice", "resolved")
        uow.commit()
    assert ticket.customer_id == customer.customer_id
    assert ticket.packet["customer"]["identities"][0] == {
        "channel": "wechat", "id": "wx-openid-7", "kind": "wechat", "verified": True}

    # The same customer on REST. Typing the order number and its e-mail proves nothing any more ...
    again = tracker("rest-8", "rest", "QX-100002 li.na@example.com, real person please", "request_human")
    again.events[0]["parse_data"]["entities"] = [
        {"entity": "order_number", "value": "QX-100002"}, {"entity": "email", "value": "li.na@example.com"}]
    from bot.services.from_tracker import resolve_customer
    assert resolve_customer(SqlAlchemyUnitOfWork, again) is None
    # ... a one-time code sent to that e-mail does, on WeChat and on REST.
    pass_code("wx-openid-7")
    pass_code("rest-8")
    stranger = tracker("rest-9", "rest", "real person please", "request_human")
    run_action(ActionHandoff(), dispatcher, stranger, {})
    linked = tracker("wx-openid-7", "wechat", "QX-100002 li.na@example.com", "request_human")
    assert resolve_customer(SqlAlchemyUnitOfWork, linked).customer_id == customer.customer_id
    run_action(ActionHandoff(), dispatcher, again, {})
    with SqlAlchemyUnitOfWork() as uow:
        repeat = uow.tickets.open_for_conversation("rest-8")
        plain = uow.tickets.open_for_conversation("rest-9")
    assert repeat.packet["customer"]["id"] == customer.customer_id
    # filed under its conversation, not the customer: a code proves an order's contact, not who writes, so this
    # ticket does not follow them to their other chats (session 48, bot.services.tickets.ticket_owner)
    assert repeat.customer_id == "rest-8"
    assert repeat.priority == plain.priority - 1
    assert repeat.packet["customer"]["verification"] == "order_contact"
    assert ticket.packet["customer"]["verification"] == "platform"
    assert plain.customer_id == "rest-9"  # anonymous: the conversation id, as before
    assert plain.packet["customer"]["verification"] == "none"


def pass_code(conversation_id, number="QX-100002", contact="li.na@example.com"):
    """Prove the order's ``contact`` in ``conversation_id`` with a one-time code (bot.customers.otp)."""
    import re

    from bot.queue.notifier import FakeNotifier
    from bot.services.otp import start_proof, submit_code

    with SqlAlchemyUnitOfWork() as uow:
        order = uow.orders.get(number)
    assert start_proof(SqlAlchemyUnitOfWork, FakeNotifier(SqlAlchemyUnitOfWork), conversation_id, order, contact).status == "sent"
    with SqlAlchemyUnitOfWork() as uow:
        code = re.search(r"is (\d{6})\b", uow.notifications.latest(limit=1)[0].body).group(1)
    assert submit_code(SqlAlchemyUnitOfWork, conversation_id, number, code).status == "passed"
