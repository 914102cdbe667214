"""Standard Rasa socket.io clients against our web chat (DESIGN.md §8): a client that does not
ask for ``qx-webchat/1`` gets exactly what Rasa's own ``socketio`` channel sends, its
``customData.language`` / ``metadata.language`` is honoured, and agent replies reach it once,
without waiting for an acknowledgement it never sends, recorded as ``at_most_once``."""
from __future__ import annotations

import asyncio
import time

from tests.integration.test_webchat import ticket_of
from tests.integration.webchat_client import conversation_of, ChatClient

RASA_SHAPES = ({"text"}, {"text", "quick_replies"}, {"attachment"})


async def turn(chat: ChatClient, message: str, **extra) -> list:
    """One user_uttered as a Rasa client sends it; the bot_uttered payloads of the turn."""
    mark = len(chat.events)
    await chat.sio.call("user_uttered", {"message": message, "session_id": chat.session_id, **extra}, timeout=60)
    await asyncio.sleep(0.3)  # emitted before the acknowledgement; let the transport hand them over
    return chat.of("bot_uttered", mark)


def test_a_rasa_client_gets_rasas_shapes_in_the_language_it_names(servers):
    async def talk():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start(protocol=None)
            greeting = await turn(chat, "/greet", customData={"language": "zh"})  # as rasa-webchat sends it
            await asyncio.sleep(0.5)
            return session_id, greeting, [name for name, _ in chat.events]

    session_id, greeting, names = asyncio.run(talk())
    assert set(names) == {"session_confirm", "bot_uttered", "typing"}  # no history, status: Rasa sends none
    assert greeting and all(set(m) in RASA_SHAPES for m in greeting), greeting
    assert "您好" in greeting[0]["text"]
    assert greeting[-1]["quick_replies"] and all(
        set(r) == {"content_type", "title", "payload"} and r["content_type"] == "text"
        for r in greeting[-1]["quick_replies"])
    [user] = [e for e in servers.tracker(conversation_of(session_id))["events"] if e["event"] == "user"]
    assert user["metadata"]["language"] == "zh"
    assert {"entity": "language", "value": "zh"}.items() <= user["parse_data"]["entities"][0].items()


def test_agent_replies_reach_a_rasa_client_once_not_confirmed(servers):
    agent = servers.login("agent0", "pass-word-1")

    async def with_agent():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start(protocol=None)
            await turn(chat, "I want to talk to a human", metadata={"language": "en"})  # Rasa's metadata key
            ticket = await asyncio.to_thread(ticket_of, servers, agent, session_id)
            mark = len(chat.events)
            claimed = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket['ticket_id']}/claim", agent)
            assert claimed.status_code == 200
            joined = await chat.wait_for("bot_uttered", mark)
            assert set(joined) == {"text"} and "Agent 0" in joined["text"]

            mark = len(chat.events)
            started = time.monotonic()
            sent = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket['ticket_id']}/messages", agent,
                                           json={"text": "Hi, I'm looking at your account now."})
            took = time.monotonic() - started
            assert sent.json() == {"status": "sent", "delivery": "at_most_once"}
            assert took < 2.5  # no wait for an acknowledgement the client never sends (3 s)
            assert await chat.wait_for("bot_uttered", mark) == {"text": "Hi, I'm looking at your account now."}
            await asyncio.sleep(0.5)
            assert len(chat.of("bot_uttered", mark)) == 1
            return session_id, ticket["ticket_id"]

    session_id, ticket_id = asyncio.run(with_agent())
    transcript = servers.api("GET", f"/tickets/{ticket_id}", agent).json()["transcript"]
    assert transcript[-1]["text"] == "Hi, I'm looking at your account now."
    assert transcript[-1]["delivery"] == "at_most_once"

    # No tab open: the reply waits, and comes once, in Rasa's shape, when the client is back.
    sent = servers.api("POST", f"/tickets/{ticket_id}/messages", agent, json={"text": "Your refund is on its way."})
    assert sent.json() == {"status": "queued_for_delivery"}

    async def back(times: int) -> list:
        got = []
        for _ in range(times):
            async with ChatClient(servers.url) as chat:
                assert await chat.start(session_id=session_id, protocol=None) == session_id
                await asyncio.sleep(1)
                got.append(chat.of("bot_uttered"))
        return got

    first, second = asyncio.run(back(2))
    assert first == [{"text": "Your refund is on its way."}]
    assert second == []
    assert servers.api("POST", f"/tickets/{ticket_id}/close", agent, json={"disposition": "resolved"}).status_code == 200


def test_an_agents_photo_reaches_a_rasa_client_as_an_absolute_url_it_can_load(servers):
    """Issue 14: rasa-webchat embedded on another site loads ``src`` as it is: a server-relative URL
    would point at that site. A standard Rasa client gets the picture on this server's address (the
    one it connected to), live and from the outbox, and the URL serves the picture."""
    import io

    import requests
    from PIL import Image

    agent = servers.login("agent0", "pass-word-1")
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 128, 0)).save(out, "PNG")

    async def with_agent():
        async with ChatClient(servers.url) as chat:
            session_id = await chat.start(protocol=None)
            await turn(chat, "I want to talk to a human", metadata={"language": "en"})
            ticket = await asyncio.to_thread(ticket_of, servers, agent, session_id)
            mark = len(chat.events)
            await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket['ticket_id']}/claim", agent)
            await chat.wait_for("bot_uttered", mark)
            mark = len(chat.events)
            sent = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket['ticket_id']}/attachments",
                                           agent, data=out.getvalue(), headers={"Content-Type": "image/png"})
            assert sent.status_code == 201, sent.text
            live = await chat.wait_for("bot_uttered", mark)
            return session_id, ticket["ticket_id"], live

    session_id, ticket_id, live = asyncio.run(with_agent())
    src = live["attachment"]["payload"]["src"]
    assert src.startswith(f"{servers.url}/chat/api/attachments/"), src
    got = requests.get(src, timeout=30)
    assert got.status_code == 200 and got.headers["Content-Type"] == "image/png"

    # sent while no tab was open: from the outbox when the client is back, absolute too
    sent = servers.api("POST", f"/tickets/{ticket_id}/attachments", agent, data=out.getvalue(),
                       headers={"Content-Type": "image/png"})
    assert sent.json()["status"] == "queued_for_delivery"

    async def back() -> list:
        async with ChatClient(servers.url) as chat:
            await chat.start(session_id=session_id, protocol=None)
            await asyncio.sleep(1)
            return chat.of("bot_uttered")

    [later] = asyncio.run(back())
    assert later["attachment"]["payload"]["src"].startswith(f"{servers.url}/chat/api/attachments/"), later
    assert servers.api("POST", f"/tickets/{ticket_id}/close", agent, json={"disposition": "resolved"}).status_code == 200
