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


def stored_rows(servers, sender: str) -> list[str]:
    """The ``data`` of every ``events`` row of ``sender`` in the tracker store's database."""
    with sqlite3.connect(servers.database_url.removeprefix("sqlite:///")) as db:
        return [data for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]


def test_a_card_number_split_over_two_messages_is_stored_masked_in_both(servers):
    """A fresh attacker typed "4111 1111" then "1111 1111": both halves were stored as typed. Now the
    second message is masked before Rasa parses it and the first one's stored row is rewritten;
    a phone number split over two messages stays as written."""
    sender = "pii-card-split"
    for text in ("my card number is 4111 1111", "1111 1111", "my phone is 138 0013", "8000",
                 "卡号是四一一一一一一一", "一一一一一一一一"):
        servers.say(sender, text)
    said = [e["text"] for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    assert said == ["my card number is [card …1111]", "[card …1111]", "my phone is 138 0013", "8000",
                    "卡号是[card …1111]", "[card …1111]"]
    rows = stored_rows(servers, sender)
    assert not [row for row in rows if "4111 1111" in row or "1111 1111" in row or "四一一一" in row
                or "\\u56db\\u4e00" in row], rows
    assert any("138 0013" in row for row in rows)


def test_a_clients_message_id_and_metadata_are_stored_masked(servers):
    """The web chat's message_id and a REST client's metadata values were stored as sent."""
    from tests.integration.webchat_client import conversation_of

    sender = "pii-card-metadata"
    first = servers.say(sender, "hello", message_id="4111 1111 1111 1111", note="card 5555555555554444")
    again = servers.say(sender, "hello", message_id="4111 1111 1111 1111", note="card 5555555555554444")
    assert again == first  # still processed once: the retry is matched on the id's hash
    [user] = [e for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    # a card number in a message_id becomes a hash of it, so two such ids stay two (review, twelfth pass)
    assert user["metadata"]["message_id"].startswith("card-id-") and "1111" not in user["metadata"]["message_id"]
    assert user["metadata"]["note"] == "card [card …4444]"
    assert not [row for row in stored_rows(servers, sender) if "5555555555554444" in row or "4111 1111" in row]

    def chat(path: str, body: dict):
        return requests.post(f"{servers.url}/chat/api/{path}", data=json.dumps(body).encode(), timeout=60,
                             headers={"Content-Type": "text/plain;charset=UTF-8"})

    session_id = chat("session", {}).json()["session_id"]
    sent = chat("message", {"session_id": session_id, "message": "hi", "message_id": "m-4242424242424242"})
    assert sent.status_code == 200, sent.text
    [user] = [e for e in servers.tracker(conversation_of(session_id))["events"] if e["event"] == "user"]
    assert user["metadata"]["message_id"].startswith("card-id-") and "4242" not in user["metadata"]["message_id"]
    assert "4242424242424242" not in json.dumps(servers.tracker(conversation_of(session_id)))


def test_a_typed_password_is_never_stored_nor_shown_to_the_agent(servers):
    """helper-210 (a fresh attacker, session 45): the card and CVV were masked, but "my password is Hunter2!xyz" was
    stored in the events table and shown in the ticket's transcript. A password named as such is now masked with
    the card, before Rasa stores or parses the message; a one-time code the bot sent (验证码) stays."""
    alice = servers.login("alice", "pass-word-1")
    sender = "pii-password"
    servers.say(sender, "my card is 4111 1111 1111 1111 exp 12/29 cvv 123, my password is Hunter2!xyz")
    servers.say(sender, "新密码设置成Hello2024! 还是登不上，验证码是482913")
    servers.say(sender, "I want to talk to a real person")

    said = [e["text"] for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    assert said[:2] == ["my card is [card …1111] exp 12/29 cvv [cvv], my password is [password]",
                        "新密码设置成[password] 还是登不上，验证码是482913"]
    rows = "\n".join(stored_rows(servers, sender))
    assert "Hunter2" not in rows and "Hello2024" not in rows and "[password]" in rows
    [ticket] = servers.api("GET", "/tickets", alice, params={"conversation_id": sender}).json()
    detail = servers.api("GET", f"/tickets/{ticket['ticket_id']}", alice).json()
    shown = json.dumps(detail, ensure_ascii=False)
    assert "Hunter2" not in shown and "Hello2024" not in shown
    assert "my password is [password]" in shown
