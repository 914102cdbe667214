"""Everything an agent reads is PII-masked, including what the customer writes
after the hand-over (DESIGN.md §6), with the real Rasa and action servers."""


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
