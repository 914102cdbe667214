"""Escalation to the human queue with the real Rasa and action servers."""
import concurrent.futures as futures

import pytest

from tests.rows import RowsUnitOfWork


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture(scope="module")
def alice(servers):
    return servers.login("alice", "pass-word-1")  # an agent online: tickets are queued


def ticket_of(servers, token, sender):
    response = servers.api("GET", "/tickets", token, params={"conversation_id": sender})
    assert response.status_code == 200
    [ticket] = response.json()
    return ticket


def test_login_refuses_bad_credentials_and_api_needs_a_token(servers):
    assert servers.api("POST", "/login", json={"username": "alice", "password": "nope"}).status_code == 401
    assert servers.api("GET", "/queue").status_code == 401
    assert servers.api("GET", "/queue", "forged-token").status_code == 401


def test_request_for_a_person_full_cycle(servers, alice):
    sender = "ho-request-en"
    servers.say(sender, "where is my order QX-100002?")
    reply = texts(servers.say(sender, "I want to talk to a real person"))
    assert "number 1 in the queue" in reply or "in the queue" in reply

    ticket = ticket_of(servers, alice, sender)
    assert ticket["state"] == "queued" and ticket["reason"]["code"] == "customer_request"
    queue = servers.api("GET", "/queue", alice, params={"q": sender}).json()  # paged: search it
    assert sender in [t["conversation_id"] for t in queue]
    detail = servers.api("GET", f"/tickets/{ticket['ticket_id']}", alice).json()
    packet = detail["packet"]
    assert packet["schema"] == "handoff/v1" and packet["intake"]["order_number"] == "QX-100002"
    assert packet["channel"] == "rest" and packet["language"] == "en"

    claimed = servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", alice)
    assert claimed.status_code == 200 and claimed.json()["state"] == "with_agent"

    # The bot stays silent while a person owns the conversation.
    silent = servers.say(sender, "hello? are you there?")
    assert "Alice" in texts(silent)  # only the "Alice has joined" notice, delivered now
    assert "QX Shop" not in texts(silent) and "didn't" not in texts(silent)
    assert servers.say(sender, "what are your opening hours?") == []

    sent = servers.api("POST", f"/tickets/{ticket['ticket_id']}/messages", alice, json={"text": "Hi, I'm Alice. Your parcel arrives tomorrow."})
    assert sent.status_code == 200
    arrived = servers.say(sender, "thanks!")
    assert "Your parcel arrives tomorrow" in texts(arrived)

    transcript = servers.api("GET", f"/tickets/{ticket['ticket_id']}", alice).json()["transcript"]
    assert [m["text"] for m in transcript if m["from"] == "customer"][-3:] == [
        "hello? are you there?", "what are your opening hours?", "thanks!"]
    assert transcript[-1]["from"] == "agent" or transcript[-2]["from"] == "agent"

    closed = servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", alice, json={"disposition": "resolved"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    rating_question = servers.say(sender, "ok")
    assert "rate" in texts(rating_question)
    assert "Thank you for your rating" in texts(servers.say(sender, "5"))
    assert "QX-100002" in texts(servers.say(sender, "where is QX-100002"))  # the bot is back
    metrics = servers.api("GET", "/metrics", alice).json()
    assert metrics["csat_count"] >= 1 and metrics["escalations_by_reason"]["customer_request"] >= 1


@pytest.mark.parametrize(
    "sender, messages, reason",
    [
        ("ho-anger-zh", ["我的订单到底在哪", "都第三次问了！！！到底什么时候到，气死了"], "negative_emotion"),
        ("ho-anger-en", ["where is QX-100003", "THIS IS RIDICULOUS!!! THIRD TIME I'M ASKING, USELESS BOT"], "negative_emotion"),
        ("ho-fraud-en", ["someone used my credit card on your site without my permission"], "complex_intent"),
        ("ho-complaint-zh", ["你好，我想正式投诉一下上次送货的快递员，麻烦帮我登记"], "complex_intent"),
        ("ho-fallback-zh", ["啊啊啊啊啊", "哈哈哈哈哈哈哈"], "nlu_failure"),
        ("ho-fallback-en", ["asdfgh qwerty", "jjjjjjj kkkk"], "nlu_failure"),
        ("ho-human-zh", ["转人工"], "customer_request"),
    ],
)
def test_each_trigger_in_both_languages(servers, alice, sender, messages, reason):
    for message in messages:
        last = servers.say(sender, message)
    ticket = ticket_of(servers, alice, sender)
    # the expected trigger fired; it is the primary reason unless one earlier in
    # escalation.yml's precedence fired too (a fraud report can also read as upset)
    with RowsUnitOfWork() as uow:
        packet = uow.tickets.for_conversation(sender)[0].packet
    codes = [t["code"] for t in packet["reason"]["triggers"]]
    assert reason in codes and codes[0] == ticket["reason"]["code"]
    assert ticket["reason"]["code"] == reason or sender == "ho-fraud-en"
    assert ticket["state"] == "queued"
    assert ("排在第" in texts(last)) if sender.endswith("zh") else ("in the queue" in texts(last))


def test_calm_negative_wording_is_not_escalated(servers, alice):
    sender = "ho-calm-en"
    servers.say(sender, "a bit sad my parcel is late, where is QX-100002?")
    assert servers.api("GET", "/tickets", alice, params={"conversation_id": sender}).json() == []


def test_no_agent_online_becomes_a_callback(servers):
    from datetime import datetime, timezone
    from bot.storage.db import AgentRow

    with RowsUnitOfWork() as uow:  # everybody went home
        for row in uow.rows(AgentRow):
            row.last_seen_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
        uow.commit()
    reply = texts(servers.say("ho-callback-en", "agent please"))
    # no number or address to reach them: the answer comes in this chat (fresh-user report 3)
    assert "answer right here in this chat" in reply and "send me your phone number" in reply
    with RowsUnitOfWork() as uow:
        ticket = uow.tickets.open_for_conversation("ho-callback-en")
    assert ticket.state == "callback"
    # the bot keeps serving while the case waits for the next shift
    assert "QX-100001" in texts(servers.say("ho-callback-en", "status of QX-100001?"))


def test_a_claimed_callback_goes_to_the_agent_not_the_bot(servers):
    from datetime import datetime, timezone
    from bot.storage.db import AgentRow

    with RowsUnitOfWork() as uow:  # nobody online: the hand-over becomes a call-back
        for row in uow.rows(AgentRow):
            row.last_seen_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
        uow.commit()
    sender = "ho-callback-claimed"
    servers.say(sender, "I want to talk to a human")
    with RowsUnitOfWork() as uow:
        ticket = uow.tickets.open_for_conversation(sender)
    assert ticket.state == "callback"
    token = servers.login("agent3", "pass-word-1")  # the next shift starts
    assert servers.api("POST", f"/tickets/{ticket.ticket_id}/claim", token).status_code == 200
    assert servers.api("POST", f"/tickets/{ticket.ticket_id}/messages", token,
                       json={"text": "Hi, I am Agent 3."}).status_code == 200
    replies = servers.say(sender, "hello? my order QX-100001 never came")
    # the agent's words reach the customer; the bot says nothing of its own
    assert [m.get("text") for m in replies if "Agent 3" not in (m.get("text") or "")
            and "joined" not in (m.get("text") or "")] == []
    view = servers.api("GET", f"/tickets/{ticket.ticket_id}", token).json()
    assert view["state"] == "with_agent"
    assert any("never came" in (e.get("text") or "") for e in view["transcript"])


def test_fifty_concurrent_escalations_claimed_once_each(servers):
    tokens = [servers.login(f"agent{i}", "pass-word-1") for i in range(5)]
    senders = [f"ho-load-{i}" for i in range(50)]
    with futures.ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda s: servers.say(s, "talk to a human please"), senders))
    with RowsUnitOfWork() as uow:
        tickets = [uow.tickets.for_conversation(s) for s in senders]
    assert all(len(t) == 1 for t in tickets), [len(t) for t in tickets]
    ids = [t[0].ticket_id for t in tickets]

    def claim(args):
        token, ticket_id = args
        return ticket_id, servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code

    jobs = [(token, ticket_id) for ticket_id in ids for token in tokens]
    with futures.ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(claim, jobs))
    for ticket_id in ids:
        codes = sorted(code for tid, code in results if tid == ticket_id)
        assert codes == [200, 409, 409, 409, 409], (ticket_id, codes)
    with RowsUnitOfWork() as uow:
        assert all(uow.tickets.get(i).state == "with_agent" for i in ids)


@pytest.mark.parametrize("sender, message", [
    ("tr-person-order-en", "my order is QX-100002 and I want to talk to a real person about it"),
    ("tr-person-phone-zh", "我的手机号是13800138000，订单QX-100001，帮我转人工"),
])
def test_an_explicit_request_hands_over_whatever_else_the_message_carries(servers, alice, sender, message):
    servers.say(sender, message)
    ticket = ticket_of(servers, alice, sender)
    assert ticket["reason"]["code"] == "customer_request"
    with RowsUnitOfWork() as uow:
        packet = uow.tickets.for_conversation(sender)[0].packet
    assert packet["reason"]["triggers"][0]["code"] == "customer_request"
    assert packet["intake"]["order_number"] in ("QX-100002", "QX-100001")


def test_every_trigger_that_fired_is_in_the_packet(servers, alice):
    sender = "tr-all-triggers-en"
    servers.say(sender, "I was CHARGED TWICE for QX-100003!!! This is a scam, get me a manager NOW")
    with RowsUnitOfWork() as uow:
        packet = uow.tickets.for_conversation(sender)[0].packet
    codes = [t["code"] for t in packet["reason"]["triggers"]]
    assert codes[0] == packet["reason"]["code"] == "customer_request"
    assert "negative_emotion" in codes and len(codes) >= 2
    assert all(t["detail"] for t in packet["reason"]["triggers"])


@pytest.mark.parametrize("sender, report, yes, offer", [
    ("tr-report-en", "Just a heads-up: the courier left my parcel with the neighbour. No need to do anything.",
     "yes please", "pass this to a colleague"),
    ("tr-report-zh", "跟你们说一声，快递员把包裹放在邻居家了，不用处理", "好的", "转给人工"),
])
def test_a_calm_report_gets_an_offer_and_yes_hands_over(servers, alice, sender, report, yes, offer):
    replies = servers.say(sender, report)
    tickets = servers.api("GET", "/tickets", alice, params={"conversation_id": sender}).json()
    if tickets == []:  # read as a complaint: offered, not queued
        assert offer in texts(replies)
        servers.say(sender, yes)
        ticket = ticket_of(servers, alice, sender)
        assert ticket["reason"]["code"] == "customer_request"
    else:  # read as something else entirely: still no emotional escalation
        pytest.fail(f"a calm report was escalated: {tickets[0]['reason']}")


def test_the_ticket_shows_what_the_bot_told_the_customer_the_safety_advice_included(servers, alice):
    # a fresh user: the desk showed the customer's messages, the bot's safety advice only as "advice given"
    sender = "ho-bot-replies-en"
    told = [r["text"] for r in servers.say(sender, "I can smell gas in my kitchen, it is very strong") if r.get("text")]
    again = [r["text"] for r in servers.say(sender, "should I leave the house?") if r.get("text")]
    assert any(t.startswith("Your safety comes first") and "leave now" in t for t in told)
    assert any(t.startswith("Your safety comes first") for t in again)
    transcript = servers.api("GET", f"/tickets/{ticket_of(servers, alice, sender)['ticket_id']}", alice).json()[
        "transcript"]
    # every reply, marked as the bot's, in the order the customer saw them, between the customer's messages
    expected = [("customer", "I can smell gas in my kitchen, it is very strong")] + [("bot", t) for t in told] + \
        [("customer", "should I leave the house?")] + [("bot", t) for t in again]
    assert [(line["from"], line["text"]) for line in transcript][-len(expected):] == expected
    assert {line["channel"] for line in transcript} == {"rest"}


def test_a_request_only_the_learned_reader_reads_hands_over(servers, alice):
    """Issue 11, nineteenth pass: a request for a person the rules do not read (a colleague described, not named)
    is read by the request reader the model was trained with, and hands over as customer_request."""
    from bot.handover.policy import load_config
    from bot.handover.triage import asks_for_person

    sender, text = "ho-reader-zh", "想跟上次那位量尺寸的小姑娘聊聊这个事"
    assert not asks_for_person(text)  # the rules alone keep it with the bot
    parse = servers.rasa_api("POST", "/model/parse", json={"text": text}).json()
    assert parse["request_score"] >= load_config().file.triggers.customer_request.reader_threshold
    servers.say(sender, text)
    ticket = ticket_of(servers, alice, sender)
    assert ticket["reason"]["code"] == "customer_request"
    with RowsUnitOfWork() as uow:
        packet = uow.tickets.for_conversation(sender)[0].packet
    assert any(t["code"] == "customer_request" and t["detail"].startswith("read as asking for a person")
               for t in packet["reason"]["triggers"])
