"""The service layer on FakeUnitOfWork: no database, the same rules as the SQL repositories."""
from datetime import datetime, timedelta, timezone

import pytest

from bot.domain import TicketState
from bot.storage.fakes import FakeUnitOfWork
from bot.orders.model import AddressChangeRefused, Order
from bot.handover.policy import Decision, EscalationConfig, load_config
from bot.services import orders as orders_service
from bot.services import outbox as outbox_service
from bot.services import tickets as tickets_service
from bot.services.handover import Conversation, hand_over
from bot.queue.tickets import ClaimConflict, TicketClosed, TicketNotFound

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def always_open() -> EscalationConfig:
    raw = dict(load_config().raw)
    return EscalationConfig({**raw, "support_hours": {**raw["support_hours"], "always_open": True}})


def conversation(cid="c1", text="agent please, my card is 4111 1111 1111 1111"):
    events = [{"event": "user", "text": text, "timestamp": NOW.timestamp(), "input_channel": "webchat",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    return Conversation(cid, events, {"language": "en"}, latest_text=text, latest_channel="webchat")


def handed_over(uow, cid="c1", config=None):
    return hand_over(uow, conversation(cid), Decision("customer_request", "asked"), config or always_open(), now=NOW)


def test_hand_over_queues_when_an_agent_is_online_and_records_the_reason():
    uow = FakeUnitOfWork(agents_online=1)
    done = handed_over(uow)
    assert done.ticket.state == TicketState.QUEUED and not done.already_open
    assert done.position == 1 and done.wait_s == load_config().raw["estimated_handle_s"]
    assert done.ticket.channel == "web" and uow.reasons.recorded == [("c1", "customer_request", "asked")]
    assert uow.commits == 1


def test_hand_over_leaves_a_callback_when_nobody_is_online():
    uow = FakeUnitOfWork(agents_online=0)
    assert handed_over(uow).ticket.state == TicketState.CALLBACK


def test_a_second_hand_over_files_the_message_on_the_open_ticket_masked():
    uow = FakeUnitOfWork()
    first = handed_over(uow)
    again = handed_over(uow)
    assert again.already_open and again.ticket.ticket_id == first.ticket.ticket_id
    [filed] = [e for e in uow.tickets.events if e[1] == "message"]
    assert "4111 1111 1111 1111" not in filed[3] and filed[4] == {"from": "customer", "channel": "webchat"}


def test_relay_reports_the_queue_place_and_masks():
    uow = FakeUnitOfWork()
    handed_over(uow)
    relayed = tickets_service.relay_message(uow, "c1", "call me on +44 7700 900111", "webchat", always_open())
    assert relayed.position == 1 and relayed.wait_s
    assert "+44 7700 900111" not in uow.tickets.events[-1][3]
    assert tickets_service.relay_message(uow, "nobody", "hi", "rest", always_open()).ticket is None


def test_what_the_bot_said_on_an_open_case_is_filed_as_the_bots_masked_after_the_hand_over_only():
    # a fresh user: the desk showed the customer's messages but not the safety advice the bot gave
    uow = FakeUnitOfWork()
    ticket = handed_over(uow).ticket
    said = [("Hi! How can I help?", NOW.timestamp() - 30),  # before the hand-over: the packet has it
            ("Your safety comes first. Leave now.", NOW.timestamp() + 1),
            ("We'll call you on +44 7700 900111.", NOW.timestamp() + 2)]
    assert tickets_service.file_bot_replies(uow, "c1", said, "socketio") == 2
    bot = [line for line in uow.tickets.transcript(uow.tickets.get(ticket.ticket_id)) if line["from"] == "bot"]
    assert [line["text"] for line in bot][0] == "Your safety comes first. Leave now."
    assert "7700 900111" not in bot[1]["text"] and {line["channel"] for line in bot} == {"web"}
    assert tickets_service.file_bot_replies(uow, "nobody", said, "rest") == 0
    # review, twelfth pass: a turn saved twice (a retry, two servers) files its replies once
    assert tickets_service.file_bot_replies(uow, "c1", said, "socketio") == 0
    assert len([line for line in uow.tickets.transcript(uow.tickets.get(ticket.ticket_id)) if line["from"] == "bot"]) == 2


def test_claim_reply_close_follow_the_ticket_rules():
    uow = FakeUnitOfWork()
    ticket = handed_over(uow).ticket
    with pytest.raises(ClaimConflict, match=r"^claim the ticket first \(nobody holds it\)$"):
        tickets_service.reply(uow, ticket.ticket_id, "ann", "hello")
    assert tickets_service.claim(uow, ticket.ticket_id, "ann").state == TicketState.WITH_AGENT
    with pytest.raises(ClaimConflict):
        tickets_service.claim(uow, ticket.ticket_id, "bob")
    with pytest.raises(ClaimConflict, match=r"^claim the ticket first \(held by ann\)$"):
        tickets_service.reply(uow, ticket.ticket_id, "bob", "hello")
    assert tickets_service.reply(uow, ticket.ticket_id, "ann", "hello").conversation_id == "c1"
    with pytest.raises(tickets_service.NotHolder, match="only a supervisor"):
        tickets_service.close(uow, ticket.ticket_id, "bob", "resolved")
    closed = tickets_service.close(uow, ticket.ticket_id, "boss", "resolved", supervisor=True)
    assert closed.state == TicketState.CLOSED and closed.assigned_to == "ann"
    with pytest.raises(TicketClosed, match="already closed"):
        tickets_service.close(uow, ticket.ticket_id, "ann", "resolved")
    with pytest.raises(TicketNotFound):
        tickets_service.claim(uow, "T-none", "ann")


def test_replying_on_a_ticket_that_is_over_says_so_not_claim_it_first():
    """Fresh-user report 26 #8: replying on a ticket you closed yourself answered "claim the ticket first
    (held by demo)", demo being the caller."""
    from dataclasses import replace

    from bot.services import attachments as attachments_service

    uow = FakeUnitOfWork()
    ticket = handed_over(uow).ticket
    tickets_service.claim(uow, ticket.ticket_id, "ann")
    tickets_service.reply(uow, ticket.ticket_id, "ann", "hello")
    tickets_service.close(uow, ticket.ticket_id, "ann", "resolved")
    closed = r"^ticket is closed: it cannot be answered any more$"
    for who in ("ann", "bob"):
        with pytest.raises(TicketClosed, match=closed):
            tickets_service.reply(uow, ticket.ticket_id, who, "one more thing")
        with pytest.raises(TicketClosed, match=closed):
            tickets_service.record_reply(uow, ticket.ticket_id, who, "one more thing", {"text": "one more thing"})
        with pytest.raises(TicketClosed, match=closed):
            attachments_service.require_holder(uow, ticket.ticket_id, who)
    uow.tickets.tickets[ticket.ticket_id] = replace(uow.tickets.get(ticket.ticket_id), state="abandoned")
    with pytest.raises(TicketClosed, match=r"^ticket is abandoned: it cannot be answered any more$") as refused:
        tickets_service.reply(uow, ticket.ticket_id, "ann", "hello?")
    import json

    import connectors.agent_desk as desk

    answer = desk.problem_response(refused.value)  # what the desk's POST /tickets/{id}/messages answers
    assert answer.status == 409 and json.loads(answer.body) == {"error": "ticket is abandoned: it cannot be answered any more"}


def test_callback_number_fills_an_empty_intake_phone_only():
    uow = FakeUnitOfWork()
    ticket = handed_over(uow).ticket
    assert tickets_service.record_callback(uow, ticket.ticket_id, "+447700900111")
    assert tickets_service.record_callback(uow, ticket.ticket_id, "+8613812345678")
    assert uow.tickets.get(ticket.ticket_id).packet["intake"]["phone"] == "+447700900111"
    assert [e[4] for e in uow.tickets.events if e[1] == "callback"][-1] == {"phone": "+8613812345678"}
    assert not tickets_service.record_callback(uow, "T-none", "+447700900111")


def test_stale_outbox_messages_are_claimed_once_and_released():
    uow = FakeUnitOfWork()
    uow.outbox.add("wx1", "wechat", [{"text": "old"}], created_at=datetime.now(timezone.utc) - timedelta(minutes=5))
    uow.outbox.add("wx1", "wechat", [{"text": "new"}])
    assert outbox_service.claim_stale(uow, "wx1", "wechat", 60) == [(1, {"text": "old"})]
    assert outbox_service.claim_stale(uow, "wx1", "wechat", 60) == []
    outbox_service.release(uow, [1])
    assert outbox_service.claim_stale(uow, "wx1", "wechat", 60) == [(1, {"text": "old"})]


def test_address_changes_until_the_order_ships():
    uow = FakeUnitOfWork()
    order = Order("QX-100001", "Li Na", None, None, "processing", None, None, "1 Old Rd", NOW, None, None)
    uow.orders.orders = {"QX-100001": order, "QX-100002": order.__class__(**{**order.__dict__,
                                                                            "order_number": "QX-100002",
                                                                            "status": "shipped"})}
    changed = orders_service.write_address(uow, "QX-100001", "2 New St", "c1")
    assert changed.shipping_address == "2 New St" and uow.orders.changes == [("QX-100001", "c1", "2 New St")]
    with pytest.raises(AddressChangeRefused):
        orders_service.write_address(uow, "QX-100002", "2 New St", "c1")
    assert orders_service.find_order(uow, None) is None


def test_every_unit_of_work_provides_every_repository_the_abstract_one_declares(uow):
    """AbstractUnitOfWork's 17 repositories (16 + attachments, issue 14) exist on SqlAlchemyUnitOfWork and on FakeUnitOfWork, and every
    method bot/ calls on a repository (``uow.<repository>.<method>(``) exists on both."""
    import pathlib
    import re

    from bot.storage.uow import AbstractUnitOfWork, SqlAlchemyUnitOfWork

    declared = set(AbstractUnitOfWork.__annotations__)
    assert len(declared) == 17
    assert isinstance(uow, SqlAlchemyUnitOfWork)
    fake = FakeUnitOfWork()
    with uow as real:
        assert {name for name in vars(real) if not name.startswith("_")} == declared
        assert [name for name in sorted(declared) if getattr(fake, name, None) is None] == []
        called = {m.groups() for path in pathlib.Path("bot").rglob("*.py")
                  for m in re.finditer(r"\buow\.(\w+)\.(\w+)\(", path.read_text(encoding="utf-8"))}
        assert {repository for repository, _ in called} <= declared
        missing = [(r, m) for r, m in sorted(called)
                   if not callable(getattr(getattr(real, r), m, None)) or not callable(getattr(getattr(fake, r), m, None))]
    assert missing == []


def test_yes_to_the_offer_of_a_person_files_the_offered_message_on_the_open_ticket_not_the_yes():
    """rev14b #2: "Also the box was wet" -> the bot offers a person -> "yes" while a case is open: the
    case gets the report, not the word "yes"."""
    uow = FakeUnitOfWork(agents_online=0)
    handed_over(uow)
    events = [{"event": "user", "text": "Also the box was wet", "timestamp": NOW.timestamp(),
               "parse_data": {"intent": {"name": "complain"}, "entities": []}},
              {"event": "action", "name": "action_offer_handoff"}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": "yes", "timestamp": NOW.timestamp() + 5,
               "parse_data": {"intent": {"name": "affirm"}, "entities": []}}]
    again = hand_over(uow, Conversation("c1", events, {"language": "en"}, latest_text="yes", latest_channel="webchat"),
                      Decision("customer_request", "accepted the offer of a person"), always_open(), now=NOW)
    assert again.already_open
    assert [e[3] for e in uow.tickets.events if e[1] == "message"] == ["Also the box was wet"]
    # a "yes" that answers no offer of a person is filed as it is
    events[1] = {"event": "action", "name": "utter_ask_order_number"}
    hand_over(uow, Conversation("c1", events, {"language": "en"}, latest_text="yes", latest_channel="webchat"),
              Decision("customer_request", "asked"), always_open(), now=NOW)
    assert [e[3] for e in uow.tickets.events if e[1] == "message"] == ["Also the box was wet", "yes"]


def test_a_yes_after_a_report_filed_on_a_call_back_case_files_the_report_only_once():
    """rev14c #2: the offer action filed "Also the box was wet" on the call-back's case (and set
    handoff_state "callback") instead of offering: a "yes" then accepts nothing and files only "yes";
    a message relayed to the case already (action_relay_to_agent after it) files nothing again."""
    from bot.services.handover import messages_to_file

    events = [{"event": "user", "text": "Also the box was wet", "parse_data": {"intent": {"name": "complain"}}},
              {"event": "action", "name": "action_offer_handoff"},
              {"event": "slot", "name": "handoff_state", "value": "callback"},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}}]
    conversation = Conversation("c1", events, {"language": "en"}, latest_text="yes", latest_channel="webchat")
    assert messages_to_file(conversation, ["affirm"]) == ["yes"]
    relayed = events + [{"event": "action", "name": "action_relay_to_agent"}, {"event": "undo"},
                        {"event": "action", "name": "action_handoff"}]
    conversation = Conversation("c1", relayed, {"language": "en"}, latest_text="yes", latest_channel="webchat")
    assert messages_to_file(conversation, ["affirm"]) == []


@pytest.mark.parametrize("text, phone", [("Please call me back on 13900139000", "+8613900139000"),
                                         ("请给我回电，13800138000", "+8613800138000")])
def test_a_hand_over_that_asks_for_a_call_back_records_when_it_was_asked(text, phone):
    """A fresh new user's finding: "please call me back on 139…" handed over at once became a ``callback``
    ticket without the request time a call-back asked for in the queue records (``callback_requested_at``,
    the packet's ``callback_sla``): the desk showed no "Callback, asked … ago"."""
    uow = FakeUnitOfWork(agents_online=1)
    done = hand_over(uow, conversation("cb", text), Decision("customer_request", "asked"), always_open(), now=NOW)
    ticket = uow.tickets.get(done.ticket.ticket_id)
    assert done.callback_phone == phone and ticket.state == TicketState.CALLBACK
    assert ticket.callback_requested_at == NOW
    assert ticket.packet["callback_requested_at"] == NOW.isoformat()
    assert ticket.packet["callback_sla"] == ticket.packet["sla"] == {
        "target_wait_s": ticket.packet["sla"]["target_wait_s"], "due_at": ticket.sla_due_at.isoformat()}
    assert ticket.queue_view(NOW + timedelta(seconds=90))["callback_waiting_s"] == 90
    assert [(e[1], e[2], e[4]) for e in uow.tickets.events if e[1] == "callback"] == [
        ("callback", "customer", {"phone": phone})]  # the history's one "Call-back on …"


def test_a_hand_over_without_a_call_back_request_records_no_request_time():
    uow = FakeUnitOfWork(agents_online=0)  # a call-back for want of an agent, not asked for
    ticket = handed_over(uow).ticket
    assert ticket.state == TicketState.CALLBACK and ticket.callback_requested_at is None
    assert "callback_requested_at" not in ticket.packet
    assert uow.tickets.note_callback_requested("no-such-ticket", NOW, {"target_wait_s": 1, "due_at": NOW.isoformat()}) \
        is False
