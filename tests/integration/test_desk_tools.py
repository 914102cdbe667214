"""The desk's work tools through the real Rasa and action servers (issue 14 "Work it"):
internal notes the customer never sees (REST and web chat), transfer to an agent or a
skill queue, canned replies per language (supervisors edit them)."""
from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from tests.integration.webchat_client import conversation_of, ChatClient

NOTE = "Internal: customer was rude last week, refund pre-approved by Alice"


def queued_ticket(servers, sender: str, token: str) -> str:
    servers.say(sender, "I want to talk to a human")
    [ticket] = servers.api("GET", "/tickets", token, params={"conversation_id": sender}).json()
    return ticket["ticket_id"]


def claimed_ticket(servers, sender: str, token: str) -> str:
    ticket_id = queued_ticket(servers, sender, token)
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    return ticket_id


def everything_the_customer_can_see(servers, sender: str, answers: list) -> str:
    """What the REST customer was answered (``answers``: the replies to their messages, which carry
    the outbox too), the outbox left, and the whole tracker (every bot utterance, slot and event)."""
    return json.dumps([answers, servers.outbox(sender), servers.tracker(sender)], ensure_ascii=False)


def test_a_note_on_a_rest_ticket_is_in_the_ticket_and_never_reaches_the_customer(servers):
    holder = servers.login("agent1", "pass-word-1")
    colleague = servers.login("agent2", "pass-word-1")
    sender = "desk-note-rest"
    ticket_id = claimed_ticket(servers, sender, holder)
    # any logged-in agent may add a note, holder or not
    added = servers.api("POST", f"/tickets/{ticket_id}/notes", colleague, json={"text": NOTE})
    assert added.status_code == 201, added.text
    assert added.json()["author"] == "agent2" and added.json()["text"] == NOTE
    servers.api("POST", f"/tickets/{ticket_id}/messages", holder, json={"text": "Looking into it now."})
    answers = servers.say(sender, "thanks, any news?")

    view = servers.api("GET", f"/tickets/{ticket_id}", holder).json()
    assert [(n["author"], n["text"]) for n in view["notes"]] == [("agent2", NOTE)] and view["notes"][0]["created_at"]
    assert NOTE not in json.dumps(view["transcript"], ensure_ascii=False)
    seen = everything_the_customer_can_see(servers, sender, answers)
    assert "Looking into it now." in seen and "refund pre-approved" not in seen


def test_a_note_on_a_web_chat_ticket_is_never_pushed_to_the_customer_a_transfer_is_announced(servers):
    agent = servers.login("agent3", "pass-word-1")

    async def chat_with_a_note():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start()
            await chat.say("I want to talk to a human")
            [ticket] = (await asyncio.to_thread(servers.api, "GET", "/tickets", agent,
                                                params={"conversation_id": conversation_of(session_id)})).json()
            ticket_id = ticket["ticket_id"]
            assert (await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/claim", agent)).status_code == 200
            await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/notes", agent, json={"text": NOTE})
            mark = len(chat.events)
            await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/messages", agent,
                                    json={"text": "After the note"})
            await chat.wait_for("bot_uttered", mark, where=lambda m: m.get("text") == "After the note")
            # a transfer: the customer is told who joined, and the status line names them
            mark = len(chat.events)
            moved = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/transfer", agent,
                                            json={"agent": "agent4"})
            assert moved.status_code == 200, moved.text
            joined = await chat.wait_for("bot_uttered", mark, where=lambda m: "Agent 4" in m.get("text", ""))
            assert joined["from"] == "system"
            await chat.wait_for("status", mark, where=lambda s: s.get("agent") == "Agent 4")
            await asyncio.sleep(1)  # anything else on its way arrives meanwhile
            return session_id, json.dumps(chat.events, ensure_ascii=False)

    session_id, pushed = asyncio.run(chat_with_a_note())

    async def reconnect():
        async with ChatClient(servers.url) as chat:
            await chat.start(session_id=session_id)
            return json.dumps(chat.history(), ensure_ascii=False)

    history = asyncio.run(reconnect())
    tracker = json.dumps(servers.tracker(conversation_of(session_id)), ensure_ascii=False)
    assert "After the note" in pushed and "After the note" in history
    for seen in (pushed, history, tracker):
        assert "refund pre-approved" not in seen


@pytest.mark.parametrize("body, status, words", [
    ({"text": ""}, 400, "text"), ({"text": "   \n "}, 400, "text"), ({}, 400, "text"),
    ({"text": "x" * 4001}, 413, "longer than 4000"), ({"text": "a\x00b"}, 400, "text"), ({"text": 5}, 400, "text"),
])
def test_bad_notes_are_refused_with_a_reason(servers, body, status, words):
    token = servers.login("agent1", "pass-word-1")
    ticket_id = queued_ticket(servers, f"desk-note-bad-{uuid.uuid4().hex[:8]}", token)
    response = servers.api("POST", f"/tickets/{ticket_id}/notes", token, json=body)
    assert response.status_code == status and words in response.json()["error"]
    assert servers.api("GET", f"/tickets/{ticket_id}", token).json()["notes"] == []


def test_notes_need_a_token_and_a_ticket(servers):
    token = servers.login("agent1", "pass-word-1")
    assert servers.api("POST", "/tickets/TNOSUCH/notes", None, json={"text": "x"}).status_code == 401
    missing = servers.api("POST", "/tickets/TNOSUCH0000/notes", token, json={"text": "x"})
    assert missing.status_code == 404 and missing.json()["error"] == "no such ticket"


def test_transfer_to_another_agent_who_sees_it_as_theirs_and_replies(servers):
    first = servers.login("agent1", "pass-word-1")
    second = servers.login("agent4", "pass-word-1")
    sender = "desk-transfer-agent"
    ticket_id = claimed_ticket(servers, sender, first)
    packet_before = servers.api("GET", f"/tickets/{ticket_id}", first).json()["packet"]

    moved = servers.api("POST", f"/tickets/{ticket_id}/transfer", first, json={"agent": "agent4"})
    assert moved.status_code == 200, moved.text
    view = moved.json()
    assert (view["state"], view["assigned_to"]) == ("with_agent", "agent4")
    assert {k: v for k, v in view["packet"].items()} == packet_before  # the packet travels with it
    transfer = view["history"][-1]
    assert (transfer["kind"], transfer["by"], transfer["from"], transfer["to_agent"]) == (
        "transferred", "agent1", "agent1", "agent4")
    mine = [t["ticket_id"] for t in servers.api("GET", "/queue", second, params={"assigned": "me"}).json()]
    assert ticket_id in mine
    assert ticket_id not in [t["ticket_id"] for t in servers.api("GET", "/queue", first,
                                                                 params={"assigned": "me"}).json()]
    assert any("Agent 4" in m.get("text", "") for m in servers.outbox(sender))  # "Agent 4 … has joined"
    refused = servers.api("POST", f"/tickets/{ticket_id}/messages", first, json={"text": "still mine?"})
    assert refused.status_code == 409 and refused.json()["error"] == "claim the ticket first (held by agent4)"
    assert servers.api("POST", f"/tickets/{ticket_id}/messages", second, json={"text": "Hi, I'm Agent 4"}
                       ).status_code == 200
    assert "Hi, I'm Agent 4" in [m.get("text") for m in servers.outbox(sender)]


def test_transfer_to_a_skill_queue_puts_the_ticket_back_in_the_queue(servers):
    holder = servers.login("agent2", "pass-word-1")
    sender = "desk-transfer-skill"
    ticket_id = claimed_ticket(servers, sender, holder)
    moved = servers.api("POST", f"/tickets/{ticket_id}/transfer", holder, json={"skill": "zh"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["state"], moved.json()["assigned_to"], moved.json()["skills"]) == ("queued", None, ["en", "zh"])
    waiting = servers.api("GET", "/queue", holder, params={"assigned": "none", "limit": "200"}).json()
    assert ticket_id in [t["ticket_id"] for t in waiting]
    # still a person's conversation: the customer's next message goes to the ticket, not the bot
    assert servers.tracker(sender)["slots"]["handoff_state"] == "queued"
    servers.say(sender, "hello, are you still there?")
    transcript = servers.api("GET", f"/tickets/{ticket_id}", holder).json()["transcript"]
    # the customer's message, then the bot's "added to your case" the customer saw (shown as the bot's)
    assert [(line["from"], line["text"]) for line in transcript][-2] == ("customer", "hello, are you still there?")
    assert transcript[-1]["from"] == "bot" and "added that to your case" in transcript[-1]["text"]
    other = servers.login("agent3", "pass-word-1")
    assert servers.api("POST", f"/tickets/{ticket_id}/claim", other).json()["assigned_to"] == "agent3"


@pytest.mark.parametrize("who, body, status, words", [
    ("agent2", {"agent": "agent3"}, 403, "held by agent1"),  # not the holder
    ("agent1", {"agent": "nobody"}, 400, "no enabled agent"),
    ("agent1", {"agent": "bad name!"}, 400, "agent must be"),
    ("agent1", {"skill": "astrology"}, 400, "skill astrology"),
    ("agent1", {"agent": "agent2", "skill": "zh"}, 400, "either"),
    ("agent1", {}, 400, "either"),
    ("agent1", {"skill": ""}, 400, "skill"),
    ("agent1", {"agent": "agent1"}, 400, "already holds"),
])
def test_refused_transfers_say_why_and_change_nothing(servers, who, body, status, words):
    holder = servers.login("agent1", "pass-word-1")
    ticket_id = claimed_ticket(servers, f"desk-transfer-bad-{uuid.uuid4().hex[:8]}", holder)
    response = servers.api("POST", f"/tickets/{ticket_id}/transfer", servers.login(who, "pass-word-1"), json=body)
    assert response.status_code == status and words in response.json()["error"], response.text
    view = servers.api("GET", f"/tickets/{ticket_id}", holder).json()
    assert (view["state"], view["assigned_to"]) == ("with_agent", "agent1")
    assert "transferred" not in [h["kind"] for h in view["history"]]


def test_a_supervisor_transfers_a_ticket_they_do_not_hold(servers):
    holder = servers.login("agent1", "pass-word-1")
    supervisor = servers.login("alice", "pass-word-1")
    ticket_id = claimed_ticket(servers, "desk-transfer-supervisor", holder)
    moved = servers.api("POST", f"/tickets/{ticket_id}/transfer", supervisor, json={"agent": "agent0"})
    assert moved.status_code == 200 and moved.json()["assigned_to"] == "agent0"
    assert moved.json()["history"][-1]["by"] == "alice"


def test_canned_replies_per_language_for_agents_edited_by_supervisors(servers):
    agent = servers.login("agent0", "pass-word-1")
    supervisor = servers.login("alice", "pass-word-1")
    zh = servers.api("GET", "/canned", agent, params={"language": "zh"}).json()
    en = servers.api("GET", "/canned", agent, params={"language": "en"}).json()
    assert zh and en and {r["language"] for r in zh} == {"zh"} and {r["language"] for r in en} == {"en"}
    assert {"id", "title", "text"} <= set(zh[0])

    reply = {"language": "en", "title": "Courier delay", "text": "The courier is running a day late."}
    assert servers.api("POST", "/canned", agent, json=reply).status_code == 403
    made = servers.api("POST", "/canned", supervisor, json=reply)
    assert made.status_code == 201 and made.json()["updated_by"] == "alice"
    reply_id = made.json()["id"]
    assert reply_id in [r["id"] for r in servers.api("GET", "/canned", agent, params={"language": "en"}).json()]
    assert reply_id not in [r["id"] for r in servers.api("GET", "/canned", agent, params={"language": "zh"}).json()]
    duplicate = servers.api("POST", "/canned", supervisor, json=reply)
    assert duplicate.status_code == 409 and "exists" in duplicate.json()["error"]
    changed = servers.api("POST", "/canned", supervisor, json={**reply, "id": reply_id, "text": "Two days late."})
    assert changed.status_code == 200 and changed.json()["text"] == "Two days late."
    gone = servers.api("POST", "/canned", supervisor, json={"id": reply_id, "delete": True})
    assert gone.status_code == 200 and gone.json() == {"deleted": reply_id}
    assert reply_id not in [r["id"] for r in servers.api("GET", "/canned", agent).json()]
    assert servers.api("POST", "/canned", supervisor, json={"id": reply_id, "delete": True}).status_code == 404


@pytest.mark.parametrize("body, status, words", [
    ({"language": "fr", "title": "t", "text": "x"}, 400, "language"),
    ({"language": "en", "title": "", "text": "x"}, 400, "title"),
    ({"language": "en", "title": "t" * 81, "text": "x"}, 413, "title"),
    ({"language": "en", "title": "t", "text": "x" * 2001}, 413, "text"),
    ({"language": "en", "title": "t"}, 400, "text"),
    ({"language": "en", "title": "t", "text": "x", "id": "3"}, 400, "id"),
    ({"language": "en", "title": "t", "text": "x", "id": 987654}, 404, "no canned reply"),
    ({"delete": True}, 400, "delete"),
    ({"id": 1, "delete": "yes"}, 400, "delete"),
])
def test_bad_canned_reply_edits_are_refused_with_a_reason(servers, body, status, words):
    response = servers.api("POST", "/canned", servers.login("alice", "pass-word-1"), json=body)
    assert response.status_code == status and words in response.json()["error"], response.text


def test_canned_language_must_be_known(servers):
    response = servers.api("GET", "/canned", servers.login("agent0", "pass-word-1"), params={"language": "xx"})
    assert response.status_code == 400 and "language" in response.json()["error"]


def test_any_agent_lists_whom_to_transfer_to(servers):
    supervisor = servers.login("alice", "pass-word-1")
    servers.api("POST", "/agents", supervisor, json={"username": "agentx", "password": "pass-word-1",
                                                      "display_name": "Gone", "role": "agent", "skills": ["billing"],
                                                      "active": False})
    targets = servers.api("GET", "/transfer-targets", servers.login("agent0", "pass-word-1"))
    assert targets.status_code == 200
    agents = {a["username"]: a for a in targets.json()["agents"]}
    assert {"agent1", "agent4", "alice"} <= set(agents) and "agentx" not in agents  # disabled: not offered
    assert set(agents["agent1"]) == {"username", "display_name", "skills", "online"}
    assert {"en", "zh"} <= set(targets.json()["skills"]) and "billing" not in targets.json()["skills"]
    assert servers.api("GET", "/transfer-targets", None).status_code == 401
