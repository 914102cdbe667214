"""Everything an agent reads is PII-masked, including what the customer writes
after the hand-over (DESIGN.md §6), with the real Rasa and action servers."""
import json
import re
import sqlite3

import requests


def test_messages_after_the_handover_reach_the_agent_api_masked(servers):
    alice = servers.login("alice", "pass-word-1")  # an agent online: the ticket is queued
    sender = "pii-after-handover"
    servers.say(sender, "my e-mail is li＠example．com and my order is QX-100002")
    servers.say(sender, "I want to talk to a real person")
    [ticket] = servers.api("GET", "/tickets", alice, params={"conversation_id": sender}).json()

    servers.say(sender, "my card 4111 1111 1111 1111 123 was charged ¥1,299.00 on 2026-11-30 14:30")
    servers.say(sender, "call me: +1 (415) 555-2671 or １３８１２３４５６７８, ID 11010519491231002X")

    detail = servers.api("GET", f"/tickets/{ticket['ticket_id']}", alice).json()
    said = [m["text"] for m in detail["transcript"] if m["from"] == "customer"]
    assert said[-2:] == [
        "my card [card …1111] was charged ¥1,299.00 on 2026-11-30 14:30",
        "call me: [phone …2671] or [phone …5678], ID [ID …002X]",
    ]
    assert said[0] == "my e-mail is [email] and my order is QX-100002"  # before the hand-over: the packet
    assert detail["packet"]["intake"]["email"] == "li@example.com"  # intake stays readable for the agent
    assert detail["packet"]["intake"]["order_number"] == "QX-100002"


CARD_DIGITS = re.compile(r"4111[ -]?1111[ -]?1111[ -]?1111")


def test_a_card_number_is_masked_before_rasa_stores_it(servers):
    """A full card number (PAN) is never stored (PCI DSS): the tracker, as Rasa's HTTP API returns it
    and as its tracker store's rows hold it, has the transcript's tag instead; the order number,
    phone and e-mail stay for look-ups and call-backs."""
    alice = servers.login("alice", "pass-word-1")
    sender = "pii-card-rest"
    servers.say(sender, "My card 4111 1111 1111 1111 was charged twice for QX-100003, email me at "
                        "bob@example.com, phone 13800138000, I want a human")

    tracker = json.dumps(servers.tracker(sender), ensure_ascii=False)
    assert not CARD_DIGITS.search(tracker)
    [said] = [e["text"] for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    assert said == ("My card [card …1111] was charged twice for QX-100003, email me at bob@example.com, "
                    "phone 13800138000, I want a human")

    with sqlite3.connect(servers.database_url.removeprefix("sqlite:///")) as db:
        rows = [data for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
    assert rows and not any(CARD_DIGITS.search(data) for data in rows)
    stored = "\n".join(rows)
    assert "[card …1111]" in stored or "[card \\u20261111]" in stored
    assert "QX-100003" in stored and "13800138000" in stored and "bob@example.com" in stored

    # the hand-over happened on the masked text, and the packet reads as before
    [ticket] = servers.api("GET", "/tickets", alice, params={"conversation_id": sender}).json()
    packet = servers.api("GET", f"/tickets/{ticket['ticket_id']}", alice).json()["packet"]
    assert packet["reason"]["code"] == "customer_request"
    assert "[card …1111]" in packet["transcript"][0]["text"]
    assert not CARD_DIGITS.search(json.dumps(packet, ensure_ascii=False))
    assert packet["intake"]["order_number"] == "QX-100003"
    assert packet["intake"]["phone"] == "+8613800138000"


def test_a_card_number_typed_in_the_web_chat_is_masked_too(servers):
    from tests.integration.webchat_client import conversation_of

    def chat(path: str, body: dict):
        return requests.post(f"{servers.url}/chat/api/{path}", data=json.dumps(body).encode(), timeout=60,
                             headers={"Content-Type": "text/plain;charset=UTF-8"})

    session_id = chat("session", {}).json()["session_id"]
    sent = chat("message", {"session_id": session_id, "message": "is 5555-5555-5555-4444 a card you take?"})
    assert sent.status_code == 200, sent.text
    tracker = servers.tracker(conversation_of(session_id))
    [said] = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert said == "is [card …4444] a card you take?"
    assert not re.search(r"5555[ -]?5555[ -]?5555[ -]?4444", json.dumps(tracker))
