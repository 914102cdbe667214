"""Two Rasa servers on one database and one Redis (issue 13, DESIGN.md §9): the customer's
web chat socket is on server A, the agent works through server B's agent API, and every
agent message reaches the customer's socket once (socket.io's Redis manager, shared rooms)."""
from __future__ import annotations

import asyncio
import time

import pytest

from tests.integration.conftest import Servers, run_servers
from tests.integration.test_webchat import ticket_of
from tests.integration.webchat_client import ChatClient, texts


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, trained_model, redis_url):
    """(server A, server B): own processes and ports, one SQLite database, one Redis."""
    for server_a in run_servers(tmp_path_factory, "push-a", {"REDIS_URL": redis_url}):
        server_b = Servers(tmp_path_factory.mktemp("push-b"), server_a.database_url)
        server_b.env.update({"REDIS_URL": redis_url})
        try:
            yield server_a, server_b.start()
        finally:
            server_b.stop()


def test_an_agent_reply_through_server_b_reaches_the_socket_on_server_a_once(two_servers):
    server_a, server_b = two_servers
    agent = server_b.login("agent0", "pass-word-1")

    async def chat_on_a() -> None:
        async with ChatClient(server_a.url) as chat:
            session_id = await chat.start()
            assert "queue" in texts(await chat.say("I want to talk to a human"))
            ticket = await asyncio.to_thread(ticket_of, server_b, agent, session_id)

            mark = len(chat.events)
            claimed = await asyncio.to_thread(server_b.api, "POST", f"/tickets/{ticket['ticket_id']}/claim", agent)
            assert claimed.status_code == 200
            joined = await chat.wait_for("bot_uttered", mark)
            assert joined["from"] == "system" and joined["agent"] == "Agent 0"

            mark = len(chat.events)
            text = "Hi, this is server B speaking."
            sent = await asyncio.to_thread(server_b.api, "POST", f"/tickets/{ticket['ticket_id']}/messages",
                                           agent, json={"text": text})
            assert sent.json() == {"status": "sent"}  # the socket on A acknowledged it to B
            pushed = await chat.wait_for("bot_uttered", mark)
            assert time.time() - 60 < pushed.pop("timestamp") <= time.time()  # the server's time, for the widget
            assert pushed == {"from": "agent", "agent": "Agent 0", "text": text}
            await asyncio.sleep(2)  # anything doubled would have arrived by now
            assert [m for m in chat.of("bot_uttered", mark) if m.get("text") == text] == [
                {"from": "agent", "agent": "Agent 0", "text": text}]

    asyncio.run(chat_on_a())
