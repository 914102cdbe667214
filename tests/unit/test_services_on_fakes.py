"""The services of the desk's tools, the web chat, the notifier and the queue on FakeUnitOfWork:
the fakes of ``webchat``, ``notifications``, ``queue``, ``notes``, ``transfers`` and ``canned``
keep the SQL repositories' rules, with no database."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from bot.queue.notifier import FakeNotifier, Notification
from bot.queue.queue_queries import BadQuery, QueueQuery
from bot.queue.tickets import ClaimConflict, TicketClosed, TicketNotFound
from bot.services import desk, tickets as tickets_service, webchat as webchat_service
from bot.storage.fakes import FakeUnitOfWork
from tests.unit.test_services import NOW, handed_over


def desk_uow():
    uow = FakeUnitOfWork()
    uow.agents.add("ana", "Ana", skills=["en"])
    uow.agents.add("bo", "Bo", skills=["zh", "billing"])
    uow.agents.add("cy", "Cy", skills=["refunds"], active=False)
    return uow


def test_notes_are_kept_apart_and_the_view_shows_them_with_the_history():
    uow = desk_uow()
    ticket = handed_over(uow).ticket
    note = desk.add_note(uow, ticket.ticket_id, "ana", "customer sounds upset")
    assert note["author"] == "ana" and note["id"] == 1
    with pytest.raises(TicketNotFound):
        desk.add_note(uow, "T-none", "ana", "x")
    tickets_service.claim(uow, ticket.ticket_id, "ana")
    view = desk.ticket_view(uow, ticket.ticket_id, datetime.now(timezone.utc))
    assert [n["text"] for n in view["notes"]] == ["customer sounds upset"]
    assert [h["kind"] for h in view["history"]] == ["created", "claimed"]
    assert all("customer sounds upset" != line.get("text") for line in view["transcript"])
    assert ("ana", "note", ticket.ticket_id, None) in uow.tickets.audit_log


def test_transfer_to_an_agent_and_to_a_skill_follows_the_holder_rules():
    uow = desk_uow()
    ticket = handed_over(uow).ticket
    with pytest.raises(desk.TransferRefused):
        desk.transfer(uow, ticket.ticket_id, "ana", supervisor=False, agent="bo")
    tickets_service.claim(uow, ticket.ticket_id, "ana")
    with pytest.raises(desk.UnknownTarget):
        desk.transfer(uow, ticket.ticket_id, "ana", supervisor=False, agent="cy")  # disabled
    with pytest.raises(desk.UnknownTarget):
        desk.transfer(uow, ticket.ticket_id, "ana", supervisor=False, skill="refunds")  # only a disabled agent has it
    moved = desk.transfer(uow, ticket.ticket_id, "ana", supervisor=False, agent="bo")
    assert (moved.ticket.state, moved.ticket.assigned_to, moved.agent_name) == ("with_agent", "bo", "Bo")
    back = desk.transfer(uow, ticket.ticket_id, "ann-the-supervisor", supervisor=True, skill="billing")
    assert (back.ticket.state, back.ticket.assigned_to, back.ticket.skills) == ("queued", None, ["en", "billing"])
    assert back.ticket.packet["skills"] == ["en", "billing"]
    stale = uow.tickets.get(ticket.ticket_id)
    tickets_service.claim(uow, ticket.ticket_id, "bo")
    with pytest.raises(ClaimConflict):  # read before the claim: the move loses the race
        uow.transfers.to_agent(stale, "ana", "ana")
    tickets_service.close(uow, ticket.ticket_id, "bo", "resolved")
    with pytest.raises(TicketClosed):
        desk.transfer(uow, ticket.ticket_id, "bo", supervisor=True, agent="ana")
    assert desk.transfer_targets(uow, datetime.now(timezone.utc)) == {
        "agents": [{"username": "ana", "display_name": "Ana", "skills": ["en"], "online": True},
                   {"username": "bo", "display_name": "Bo", "skills": ["zh", "billing"], "online": True}],
        "skills": ["billing", "en", "zh"]}


def test_canned_replies_are_saved_titled_once_per_language_and_deleted():
    uow = desk_uow()
    first, created = desk.save_canned(uow, None, "en", "Greeting", "Hello!", "sup")
    assert created and first["id"] == 1
    desk.save_canned(uow, None, "zh", "Greeting", "你好！", "sup")  # the same title in another language
    with pytest.raises(desk.CannedTitleTaken):
        desk.save_canned(uow, None, "en", "Greeting", "Hi", "sup")
    with pytest.raises(desk.CannedReplyNotFound):
        desk.save_canned(uow, 99, "en", "Other", "x", "sup")
    replaced, created = desk.save_canned(uow, 1, "en", "Greeting", "Hello there!", "sup")
    assert not created and replaced["text"] == "Hello there!"
    assert [r["language"] for r in desk.canned_replies(uow, None)] == ["en", "zh"]
    desk.delete_canned(uow, 1, "sup")
    assert desk.canned_replies(uow, "en") == []
    with pytest.raises(desk.CannedReplyNotFound):
        desk.delete_canned(uow, 1, "sup")


def test_queue_pages_search_and_metrics_read_the_fake_tickets():
    uow = desk_uow()
    now = datetime.now(timezone.utc)
    # conversation ids no ticket id can hold ("x" is not a hex digit): a search for "c2" matched a random id 4 % of runs
    ids = [handed_over(uow, cid=f"conv-x{i}").ticket.ticket_id for i in range(3)]
    tickets_service.claim(uow, ids[0], "ana")
    # the queue's order as in SQL: priority, then creation time, then the id (two tickets made in the
    # same clock tick are ordered by id)
    made = {t.ticket_id: (t.priority, t.created_at, t.ticket_id) for t in uow.tickets.tickets.values()}
    waiting = sorted(ids[1:], key=made.__getitem__)
    page = tickets_service.queue_page(uow, QueueQuery(viewer="ana", limit=1), now)
    assert page.total == 2 and [t["ticket_id"] for t in page.items] == waiting[:1] and page.next_cursor
    rest = tickets_service.queue_page(uow, QueueQuery(viewer="ana", limit=1, cursor=page.next_cursor), now)
    assert [t["ticket_id"] for t in rest.items] == waiting[1:] and rest.next_cursor is None
    mine = tickets_service.queue_page(uow, QueueQuery(viewer="ana", assigned="me"), now)
    assert [t["ticket_id"] for t in mine.items] == [ids[0]]
    with pytest.raises(BadQuery):
        tickets_service.queue_page(uow, QueueQuery(viewer="ana", sort="sla", cursor=page.next_cursor), now)
    assert tickets_service.search(uow, "conv-x2", now, 20, 0).items[0]["ticket_id"] == ids[2]
    tickets_service.reply(uow, ids[0], "ana", "Hello, I can help.")  # served: a handled ticket (report 6)
    tickets_service.close(uow, ids[0], "ana", "resolved")
    uow.conversations.total = 6
    figures = tickets_service.metrics(uow, datetime.now(timezone.utc), since=NOW - timedelta(minutes=1))  # the tickets were made at NOW
    assert (figures["waiting_count"], figures["with_agent_count"], figures["escalations_total"]) == (2, 0, 3)
    assert figures["escalations_by_reason"] == {"customer_request": 3} and figures["containment_rate"] == 0.5
    assert [(a["username"], a["handled"], a["display_name"]) for a in figures["agents"]] == [("ana", 1, "Ana")]
    assert "customer_request" in figures["reason_labels"]


def test_web_chat_sessions_and_read_marks_on_the_fake():
    uow = desk_uow()
    secret, session_id, resumed = webchat_service.open_session(uow, "not-ours", "https://shop.example")
    assert not resumed and len(secret) == 32 and len(session_id) == 32 and secret != session_id
    assert webchat_service.open_session(uow, secret, None) == (secret, session_id, True)
    assert not webchat_service.known_session(uow, "f" * 32)
    assert not webchat_service.known_session(uow, session_id)  # the public id resumes nothing
    ticket = handed_over(uow, cid=session_id).ticket
    assert webchat_service.status(uow, session_id) == {"state": "queued", "position": 1,
                                                       "ticket_id": ticket.ticket_id}
    assert webchat_service.record_read(uow, ticket.ticket_id, session_id, "ana", 100.0)
    assert not webchat_service.record_read(uow, ticket.ticket_id, session_id, "ana", 99.0)
    tickets_service.claim(uow, ticket.ticket_id, "ana")
    assert webchat_service.status(uow, session_id) == {"state": "with_agent", "agent": "Ana",
                                                       "ticket_id": ticket.ticket_id, "read_up_to": 100.0}


def test_a_call_back_status_says_how_the_answer_comes():
    """Fresh-user report 3: the widget said "A colleague will call you back." with no number to call."""
    uow = FakeUnitOfWork(agents_online=0)
    ticket = handed_over(uow, cid="cb-web").ticket
    assert webchat_service.status(uow, "cb-web") == {"state": "callback", "ticket_id": ticket.ticket_id,
                                                     "reply_by": "chat"}
    with uow:
        uow.tickets.fill_intake(ticket.ticket_id, "email", "li@example.com")
    assert webchat_service.status(uow, "cb-web")["reply_by"] == "email"
    with uow:
        uow.tickets.fill_intake(ticket.ticket_id, "phone", "+8613900139000")
    assert webchat_service.status(uow, "cb-web")["reply_by"] == "phone"
    with uow:
        uow.waits.record_left_message(ticket.ticket_id, "channel", None)
    assert webchat_service.status(uow, "cb-web")["reply_by"] == "chat"  # the left message's answer comes here


def test_the_fake_notifier_records_in_the_fake_unit_of_work():
    uow = FakeUnitOfWork()
    notifier = FakeNotifier(lambda: uow)
    notifier.send(Notification("email", "li@example.com", "Your code", "123456"))
    notifier.send(Notification("sms", "+447700900111", "Your code", "654321"))
    assert [n.to for n in uow.notifications.latest()] == ["+447700900111", "li@example.com"]
    assert [n.body for n in uow.notifications.latest(to="li@example.com")] == ["123456"]
    with pytest.raises(ValueError):
        notifier.send(Notification("fax", "x", "y", "z"))


def test_agents_log_in_hold_a_token_and_lose_it_on_logout_or_when_disabled():
    from bot.services import agents

    uow = FakeUnitOfWork()
    saved, created = agents.save_agent(uow, "dee", "pass-word-1", "Dee", "agent", ["en"], None, "sup")
    assert created and saved["username"] == "dee"
    assert agents.log_in(uow, "dee", "wrong", "10.0.0.1") is None
    token, agent = agents.log_in(uow, "dee", "pass-word-1", "10.0.0.1")
    assert agent.display_name == "Dee" and agents.agent_for_token(uow, token).username == "dee"
    agents.log_out(uow, token, "dee")
    assert agents.agent_for_token(uow, token) is None
    token, _ = agents.log_in(uow, "dee", "pass-word-1", "10.0.0.1")
    assert agents.set_active(uow, "dee", False, "sup")["sessions_ended"] == 1
    assert agents.agent_for_token(uow, token) is None and agents.log_in(uow, "dee", "pass-word-1", "x") is None
    assert [a[1] for a in uow.tickets.audit_log] == ["create_agent", "login_failed", "login", "logout", "login",
                                                     "disable_agent", "login_failed"]
    with pytest.raises(ValueError):
        agents.save_agent(uow, "eve", "pw", "Eve", "boss", None, None, "sup")


def test_an_order_is_proved_by_the_code_sent_to_its_contact_and_a_stranger_gets_a_decoy():
    from bot.orders.model import Order
    from bot.queue.notifier import FakeNotifier
    from bot.services import otp

    uow = FakeUnitOfWork()
    order = Order("QX-100001", "Li Na", "li@example.com", None, "processing", None, None, "1 Old Rd", NOW, None, None)
    uow.orders.orders[order.order_number] = order
    notifier = FakeNotifier(lambda: uow)
    assert otp.start_proof(lambda: uow, notifier, "c1", order, "li@example.com", now=NOW).status == "sent"
    [sent] = uow.notifications.latest()
    code = re.search(r"is (\d{6})\.", sent.body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert otp.submit_code(lambda: uow, "c1", "QX-100001", wrong, now=NOW).status == "wrong"
    assert otp.submit_code(lambda: uow, "c1", "QX-100001", code, now=NOW).status == "passed"
    [proof] = uow.codes.passed("c1", NOW)
    assert (proof.kind, proof.destination, proof.customer_name) == ("email", "li@example.com", "Li Na")
    # a contact that is not the order's: the same answer, a decoy stored, nothing sent, never passes
    assert otp.start_proof(lambda: uow, notifier, "c2", order, "x@example.com", now=NOW).status == "sent"
    assert len(uow.notifications.latest()) == 1 and uow.codes.contacts_given("c2", NOW) == 1
    assert otp.submit_code(lambda: uow, "c2", "QX-100001", code, now=NOW).status == "wrong"
    assert uow.codes.failures(NOW, conversation_id="c2", kinds=("decoy",)) == 1


def test_conversations_keep_their_first_channel_and_queued_tickets_are_abandoned():
    from bot.services import conversations, waiting

    uow = FakeUnitOfWork()
    assert conversations.owner(lambda: uow, "c9") is None
    assert conversations.claim(lambda: uow, "c9", "web") == "web"
    assert conversations.claim(lambda: uow, "c9", "wechat") == "web"
    with pytest.raises(ValueError):
        conversations.claim(lambda: uow, "c10", "fax")
    silent = handed_over(uow, cid="c1").ticket  # a web ticket made at NOW
    hung_up = handed_over(uow, cid="c2").ticket
    assert waiting.abandon_hung_up(uow, "c2", NOW) == hung_up.ticket_id
    assert waiting.abandon_hung_up(uow, "c2", NOW) is None  # nothing queued any more
    assert waiting.sweep_abandoned(uow, 600, NOW + timedelta(minutes=5)) == []
    assert waiting.sweep_abandoned(uow, 600, NOW + timedelta(minutes=11)) == [silent.ticket_id]
    assert {uow.tickets.get(t.ticket_id).state for t in (silent, hung_up)} == {"abandoned"}
