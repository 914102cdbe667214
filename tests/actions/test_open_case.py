"""action_session_start: a known customer hears about their open case (in-process)."""
import json
import time

import jwt
import pytest
from rasa_sdk import Tracker
from sqlalchemy import text

from actions.handoff import ActionRelayToAgent
from actions.session import ActionDeclineOpenCase, ActionSessionStart
from bot.services.from_tracker import resolve_customer
from bot.handover.troubleshooting import Progress
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.rows import RowsUnitOfWork
from tests.actions.conftest import run_action

SECRET = "actions-test-secret-0123456789abcdef"
PHONE = "+447700900222"
DOMAIN = {"session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}}


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", SECRET)


def token(sub, **claims):
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 300, **claims}, SECRET, algorithm="HS256")


def session_tracker(sender, metadata=None, slots=None, events=None):
    """The tracker Rasa sends to action_session_start: the metadata slot just set."""
    events = list(events or [])
    if metadata is not None:
        events.append({"event": "slot", "name": "session_started_metadata", "value": metadata, "timestamp": None})
    return Tracker.from_dict({
        "sender_id": sender,
        "slots": {"language": "en", "session_started_metadata": metadata, **(slots or {})},
        "latest_message": {}, "events": events, "paused": False, "followup_action": None,
        "active_loop": {}, "latest_action_name": None,
    })


def chat_tracker(sender, channel, metadata, text_="hi", intent="greet", entities=()):
    event = {"event": "user", "text": text_, "input_channel": channel, "metadata": metadata,
             "timestamp": time.time(), "parse_data": {"text": text_, "intent": {"name": intent, "confidence": 0.99},
                                                      "entities": list(entities)}}
    return Tracker.from_dict({
        "sender_id": sender, "slots": {"language": "en"}, "latest_message": {**event["parse_data"], "metadata": metadata},
        "events": [event], "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def start(dispatcher, sender, metadata=None, **kwargs):
    return run_action(ActionSessionStart(), dispatcher, session_tracker(sender, metadata, **kwargs), DOMAIN)


def reset_progress(conversation_id, steps):
    with SqlAlchemyUnitOfWork() as uow:
        progress = Progress(conversation_id=conversation_id, flow="password_reset")
        for step in steps:
            progress.complete(step)
        uow.progress.save(progress)
        uow.commit()


def web_reset_at_step_3(sub="site-1"):
    """Steps 1 and 2 done in a web chat of the customer with the verified phone."""
    resolve_customer(SqlAlchemyUnitOfWork, chat_tracker("web-session-1", "webchat", {"customer_token": token(sub, phone=PHONE)}))
    reset_progress("web-session-1", [1, 2])


def test_anonymous_session_start_is_rasa_default(database_url, dispatcher):
    events = start(dispatcher, "anon-1", {"channel": "rest"}, slots={"email": "a@b.c"},
                   events=[{"event": "slot", "name": "email", "value": "a@b.c", "timestamp": None}])
    assert [e["event"] for e in events] == ["session_started", "slot", "slot", "action"]
    assert events[1]["name"] == "email" and events[2]["name"] == "session_started_metadata"
    assert events[-1]["name"] == "action_listen"
    assert dispatcher.messages == []
    assert [(e["event"], e.get("name")) for e in start(dispatcher, "anon-2")] == [
        ("session_started", None), ("action", "action_listen")]
    assert dispatcher.messages == []


def test_known_customer_without_a_case_hears_nothing(database_url, dispatcher):
    events = start(dispatcher, "rest-quiet", {"channel": "rest", "customer_token": token("site-quiet", phone=PHONE)})
    assert dispatcher.messages == []
    assert all(e.get("name") != "open_case" for e in events)


def test_unfinished_reset_elsewhere_is_offered_in_english_and_chinese(database_url, dispatcher):
    web_reset_at_step_3()
    metadata = {"channel": "rest", "customer_token": token("site-2", phone=PHONE)}
    events = start(dispatcher, "rest-new", metadata)
    [message] = dispatcher.messages
    assert message["response"] == "utter_open_case_password_reset_en"
    assert message["step"] == 3 and message["place"] == "on the website"
    assert {"event": "slot", "name": "open_case", "value": "password_reset", "timestamp": None} in events
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"

    dispatcher.messages.clear()
    start(dispatcher, "rest-new-zh", {**metadata, "language": "zh"})
    [message] = dispatcher.messages
    assert message["response"] == "utter_open_case_password_reset_zh"
    assert message["step"] == 3 and message["place"] == "网站上"

    # no language named: the language the first message is written in (the Rasa server notes it), not the last used
    dispatcher.messages.clear()
    start(dispatcher, "rest-new-written-zh", {**metadata, "written_language": "zh"})
    assert [m["response"] for m in dispatcher.messages] == ["utter_open_case_password_reset_zh"]
    dispatcher.messages.clear()
    start(dispatcher, "rest-new-both", {**metadata, "language": "en", "written_language": "zh"})  # as the answer after it
    assert [m["response"] for m in dispatcher.messages] == ["utter_open_case_password_reset_zh"]


def test_declining_clears_the_open_case(database_url, dispatcher):
    events = run_action(ActionDeclineOpenCase(), dispatcher, session_tracker("x", slots={"open_case": "password_reset"}), {})
    assert events == [{"event": "slot", "name": "open_case", "value": None, "timestamp": None}]
    assert dispatcher.messages[0]["response"] == "utter_open_case_declined"


def test_a_new_session_clears_a_stale_open_case(database_url, dispatcher):
    events = start(dispatcher, "anon-3", {"channel": "rest"}, slots={"open_case": "password_reset"},
                   events=[{"event": "slot", "name": "open_case", "value": "password_reset", "timestamp": None}])
    assert events[-2] == {"event": "slot", "name": "open_case", "value": None, "timestamp": None}


def test_a_caller_hears_the_queued_ticket_first_with_its_position(database_url, dispatcher, always_open, agent_online):
    """A phone call never takes a chat's ticket (bot.services.tickets.FOLLOWING_CHANNELS): the caller is told the
    place the chat holds, before the password reset that is also open."""
    from actions.handoff import ActionHandoff

    web_reset_at_step_3()
    run_action(ActionHandoff(), dispatcher, chat_tracker("rest-other", "rest", {}, "real person please", "request_human"), {})
    run_action(ActionHandoff(), dispatcher, chat_tracker(
        "rest-a", "rest", {"customer_token": token("site-3", phone=PHONE)}, "real person please", "request_human"), {})
    dispatcher.messages.clear()
    events = start(dispatcher, "ivr-call-q", {"channel": "ivr", "caller": PHONE, "ivr": {"call_id": "cq", "seq": 1}})
    [message] = dispatcher.messages
    assert message["response"] == "utter_open_case_queued_en" and message["position"] == 2
    assert all(e.get("name") not in ("open_case", "handoff_state") for e in events)
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.tickets.open_for_conversation("rest-a") is not None


def test_a_queued_ticket_follows_the_customer_to_their_new_chat(database_url, dispatcher, always_open, agent_online):
    """A fresh new user (session 45): queued on one chat, the customer wrote on another and was told "still in the
    queue", but the message never reached the ticket and the bot answered it too. Now the ticket moves here."""
    from actions.handoff import ActionHandoff

    run_action(ActionHandoff(), dispatcher, chat_tracker(
        "rest-qa", "webchat", {"customer_token": token("site-q3", phone=PHONE)}, "real person please", "request_human"),
        {})
    dispatcher.messages.clear()
    events = start(dispatcher, "rest-qb", {"channel": "rest", "customer_token": token("site-q4", phone=PHONE)})
    [message] = dispatcher.messages
    assert message["text"].startswith("Welcome back. Your request for a colleague on the website continues here")
    # the message goes to the ticket (the hand-off policy relays it), and the relay moves the ticket here
    assert {"event": "slot", "name": "handoff_state", "value": "queued", "timestamp": None} in events
    relay = chat_tracker("rest-qb", "rest", {"customer_token": token("site-q4", phone=PHONE)}, "any news?", "inform")
    relay.slots["session_started_metadata"] = {"channel": "rest", "customer_token": token("site-q4", phone=PHONE)}
    [said] = run_action(ActionRelayToAgent(), dispatcher, relay, {})
    # the move, for the Rasa server to push what came with the ticket and tell the chat it left (session 47)
    assert (said["name"], said["metadata"]["ticket_moved"]["left"], said["metadata"]["ticket_moved"]["came_from"]) == (
        "ticket_id", "rest-qa", "web")
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.tickets.open_for_conversation("rest-qa") is None
        moved = uow.tickets.open_for_conversation("rest-qb")
        assert said["value"] == moved.ticket_id
        assert moved.channel == "rest" and moved.state == "queued"
        assert {"conversation_id": "rest-qb", "channel": "rest"} in moved.packet["conversations"]
        [continued] = [e for e in uow.notes.history(moved.ticket_id) if e["kind"] == "continued"]
        assert (continued["from_conversation"], continued["from_channel"], continued["to_channel"]) == (
            "rest-qa", "web", "rest")
        assert uow.tickets.transcript(moved)[-1]["text"] == "any news?"


def test_a_chat_only_remembered_as_the_customers_takes_no_ticket(database_url, dispatcher, always_open,
                                                                 agent_online):
    """Session 46's attacker: a shared computer's old chat, started again without a token after an hour, took the
    customer's ticket and the agent's replies. A new session proves nothing by being remembered: it hears the
    old announcement only, and its message is the bot's."""
    from actions.handoff import ActionHandoff

    kiosk = token("site-kiosk", phone=PHONE)
    resolve_customer(SqlAlchemyUnitOfWork, chat_tracker("rest-kiosk", "rest", {"customer_token": kiosk}))
    run_action(ActionHandoff(), dispatcher, chat_tracker(
        "rest-home", "rest", {"customer_token": token("site-home", phone=PHONE)}, "real person please",
        "request_human"), {})
    dispatcher.messages.clear()
    events = start(dispatcher, "rest-kiosk", {"channel": "rest"})  # the kiosk's chat again, nobody signed in
    assert all(e.get("name") != "handoff_state" for e in events)
    assert "continues here" not in " ".join(m.get("text") or "" for m in dispatcher.messages)
    relay = chat_tracker("rest-kiosk", "rest", {}, "any news?", "inform")
    relay.slots["handoff_state"] = "queued"  # a state carried over from the earlier session
    run_action(ActionRelayToAgent(), dispatcher, relay, {})
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.tickets.open_for_conversation("rest-home") is not None
        assert uow.tickets.open_for_conversation("rest-kiosk") is None


def test_callback_ticket(database_url, dispatcher, always_open, agent_online):
    from actions.handoff import ActionHandoff

    run_action(ActionHandoff(), dispatcher, chat_tracker(
        "rest-cb", "rest", {"customer_token": token("site-5", phone=PHONE)}, "real person please", "request_human"), {})
    with SqlAlchemyUnitOfWork() as uow:
        uow.tickets.set_state(uow.tickets.open_for_conversation("rest-cb").ticket_id, "callback")
        uow.commit()
    dispatcher.messages.clear()
    start(dispatcher, "rest-cb-2", {"channel": "rest", "customer_token": token("site-5"), "language": "zh"})
    assert [m["response"] for m in dispatcher.messages] == ["utter_open_case_callback_zh"]


def test_recent_order_from_another_conversation(database_url, dispatcher):
    resolve_customer(SqlAlchemyUnitOfWork, chat_tracker("rest-order", "rest", {"customer_token": token("site-6", phone=PHONE)}))
    with RowsUnitOfWork() as uow:  # the tracker store's table (rasa SQLTrackerStore)
        session = uow
        session.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                             "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        user = {"event": "user", "text": "where is QX-100002", "timestamp": time.time() - 600,
                "parse_data": {"entities": [{"entity": "order_number", "value": "QX-100002"},
                                            {"entity": "language", "value": "zh"}]}}
        session.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES "
                             "('rest-order', 'user', :ts, :data)"), {"ts": user["timestamp"], "data": json.dumps(user)})
        uow.commit()
    start(dispatcher, "rest-order-2", {"channel": "rest", "customer_token": token("site-6")})
    [message] = dispatcher.messages
    # No language in the metadata: the customer's latest (zh, from that conversation).
    assert message["response"] == "utter_open_case_order_zh"
    assert message["order_number"] == "QX-100002" and message["status"] == "已发货，正在路上"


def test_a_phone_typed_in_chat_links_nothing(database_url, dispatcher):
    web_reset_at_step_3()
    typed = chat_tracker("rest-typed", "rest", {}, f"my phone is {PHONE}", "inform",
                         [{"entity": "phone", "value": PHONE}])
    assert resolve_customer(SqlAlchemyUnitOfWork, typed) is None
    start(dispatcher, "rest-typed", {"channel": "rest", "phone": PHONE})
    start(dispatcher, "rest-typed-2", {"channel": "rest", "phone": PHONE, "customer_phone": PHONE})
    assert dispatcher.messages == []


def test_ivr_caller_only_counts_on_the_ivr_channel(database_url, dispatcher):
    web_reset_at_step_3()
    start(dispatcher, "rest-caller", {"channel": "rest", "caller": PHONE})
    start(dispatcher, "no-channel-caller", {"caller": PHONE})
    assert dispatcher.messages == []
    start(dispatcher, "ivr-call-1", {"channel": "ivr", "caller": PHONE, "ivr": {"call_id": "c1", "seq": 1}})
    [message] = dispatcher.messages
    assert message["response"] == "utter_open_case_password_reset_en" and message["place"] == "on the website"


def test_remembered_conversation_and_channel_words(database_url, dispatcher):
    # A WeChat follower (openid verified by the platform) left a reset at step 2.
    resolve_customer(SqlAlchemyUnitOfWork, chat_tracker("wx-openid-1", "wechat", {}))
    reset_progress("wx-openid-1", [1])
    start(dispatcher, "wx-openid-1", {"channel": "wechat"})
    [message] = dispatcher.messages
    assert message["step"] == 2 and message["place"] == "on WeChat"


def test_a_database_error_never_blocks_the_session(database_url, dispatcher, monkeypatch, caplog):
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr("actions.session.resolve_session_customer", broken)
    events = start(dispatcher, "rest-broken", {"channel": "rest", "customer_token": token("site-7", phone=PHONE)})
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    assert dispatcher.messages == []
    assert "open case of rest-broken could not be looked up" in caplog.text


def test_the_widgets_hidden_opening_does_not_move_the_ticket_and_says_so(database_url, dispatcher, always_open,
                                                                         agent_online):
    """A fresh reviewer (session 46): on the widget's hidden opening message the customer was told "answer you in
    this chat" while the ticket, and the agent's replies, stayed on the other device. It moves with their words."""
    from actions.handoff import ActionHandoff

    run_action(ActionHandoff(), dispatcher, chat_tracker(
        "rest-ha", "webchat", {"customer_token": token("site-h1", phone=PHONE)}, "real person please",
        "request_human"), {})
    dispatcher.messages.clear()
    opening = {"channel": "rest", "customer_token": token("site-h2", phone=PHONE), "hidden": True}
    events = start(dispatcher, "rest-hb", opening)
    [message] = dispatcher.messages
    assert message["text"].startswith("Welcome back. Your request for a colleague on the website is still open: "
                                      "write here and it continues in this chat")
    assert {"event": "slot", "name": "handoff_state", "value": "queued", "timestamp": None} in events
    hidden = chat_tracker("rest-hb", "rest", opening, '/greet{"language": "en"}', "greet")
    assert run_action(ActionRelayToAgent(), dispatcher, hidden, {}) == []
    with SqlAlchemyUnitOfWork() as uow:
        assert uow.tickets.open_for_conversation("rest-ha") is not None  # not moved, nothing filed
        assert all("/greet" not in (line.get("text") or "")
                   for line in uow.tickets.transcript(uow.tickets.open_for_conversation("rest-ha")))


def test_a_chat_only_remembered_as_the_customers_is_not_told_their_progress_elsewhere(database_url, dispatcher):
    """helper-222 (session 48): a message written without a token on a chat remembered as the customer's (someone
    holding its session id) was told "Last time you finished step 2 of resetting your password", and the order she
    had asked about on another chat; a chat that proves nobody now carries nothing of theirs over."""
    from bot.services import troubleshooting

    resolve_customer(SqlAlchemyUnitOfWork, chat_tracker("rest-kiosk-48", "rest", {"customer_token": token(
        "site-kiosk-48", phone=PHONE)}))  # she signed in there once: it is remembered as hers
    web_reset_at_step_3("site-home-48")
    start(dispatcher, "rest-kiosk-48", {"channel": "rest"})  # the chat again, nobody signed in
    assert dispatcher.messages == []
    # signed in again there, she is told
    start(dispatcher, "rest-kiosk-48", {"channel": "rest", "customer_token": token("site-kiosk-48", phone=PHONE)})
    assert [m["response"] for m in dispatcher.messages] == ["utter_open_case_password_reset_en"]
    # and a reset started there without a token starts at step 1, not at hers
    remembered = resolve_customer(SqlAlchemyUnitOfWork, chat_tracker("rest-kiosk-48", "rest", {}))
    assert remembered is not None and remembered.verification == "none"
    assert troubleshooting.start_or_resume(SqlAlchemyUnitOfWork(), "rest-kiosk-48", remembered).steps_done == []
