"""The widget's live signals (bot/channels/live.py) over real servers: message times, the acknowledgement's
server time, read receipts when an agent loads the ticket, "agent is typing" from the holder only;
none of it reaches a standard Rasa client of the same session (DESIGN.md §8)."""
from __future__ import annotations

import asyncio
import time

from tests.integration.test_webchat import ticket_of
from tests.integration.webchat_client import ChatClient


async def uttered(chat: ChatClient, text: str, message_id: str) -> dict:
    """user_uttered as our widget sends it; the server's acknowledgement."""
    return await chat.sio.call("user_uttered", {"message": text, "session_id": chat.session_id,
                                                "message_id": message_id}, timeout=60)


def test_read_receipts_and_agent_typing_reach_our_widget_only(servers):
    holder = servers.login("agent3", "pass-word-1")
    other = servers.login("agent4", "pass-word-1")

    async def scenario():
        async with ChatClient(servers.url) as widget, ChatClient(servers.url) as plain:
            session_id = await widget.start(language="en")
            await plain.start(session_id=session_id, protocol=None)  # rasa-webchat on the same session
            before = time.time()
            ack = await uttered(widget, "I want to talk to a human", "live-1")
            assert ack["message_id"] == "live-1"
            assert before - 1 <= ack["timestamp"] <= time.time() + 1  # when the server received it
            answers = widget.of("bot_uttered")
            assert answers and all(before - 1 <= m["timestamp"] <= time.time() + 1 for m in answers)
            assert all("timestamp" not in m for m in plain.of("bot_uttered"))  # Rasa's exact shapes
            ticket = await asyncio.to_thread(ticket_of, servers, holder, session_id)
            ticket_id = ticket["ticket_id"]
            assert widget.of("read") == []  # nobody has looked yet

            # An agent loads the ticket: what it shows is read.
            view = await asyncio.to_thread(servers.api, "GET", f"/tickets/{ticket_id}", other)
            assert view.status_code == 200
            read = await widget.wait_for("read")
            assert read["up_to"] >= ack["timestamp"]
            mark = len(widget.events)
            await widget.sio.emit("status_request", {})
            status = await widget.wait_for("status", mark)
            assert status["read_up_to"] == read["up_to"]
            await asyncio.to_thread(servers.api, "GET", f"/tickets/{ticket_id}", other)  # nothing new
            await asyncio.sleep(0.5)
            assert len(widget.of("read")) == 1

            # Typing: the holder only, with the ticket with them.
            path = f"/tickets/{ticket_id}/typing"
            assert (await asyncio.to_thread(servers.api, "POST", path, holder)).status_code == 403  # not claimed
            claimed = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/claim", holder)
            assert claimed.status_code == 200
            assert (await asyncio.to_thread(servers.api, "POST", path, other)).status_code == 403
            assert (await asyncio.to_thread(servers.api, "POST", path, None)).status_code == 401
            assert (await asyncio.to_thread(servers.api, "POST", "/tickets/nope/typing", holder)).status_code == 404
            typing = await asyncio.to_thread(servers.api, "POST", path, holder)
            assert typing.status_code == 200 and typing.json() == {"status": "sent"}
            assert await widget.wait_for("agent_typing") == {"agent": "Agent 3"}

            # A message to the agent: read once the desk loads the ticket again (it polls).
            ack2 = await uttered(widget, "my order QX-100001 is late", "live-2")
            await asyncio.to_thread(servers.api, "GET", f"/tickets/{ticket_id}", holder)
            later = await widget.wait_for("read", where=lambda data: data["up_to"] > read["up_to"])
            assert later["up_to"] >= ack2["timestamp"]

            await asyncio.sleep(0.5)
            assert plain.of("read") == [] and plain.of("agent_typing") == []
            closed = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/close", holder,
                                             json={"disposition": "resolved"})
            assert closed.status_code == 200
            assert (await asyncio.to_thread(servers.api, "POST", path, holder)).status_code == 409
            return session_id

        return session_id

    session_id = asyncio.run(scenario())

    # The history carries each of the customer's messages with its id and time (for the widget's
    # receipts after a reload or a reconnect).
    async def back():
        async with ChatClient(servers.url) as widget:
            await widget.start(session_id=session_id)
            return widget.of("history")[0]

    past = asyncio.run(back())
    mine = [m for m in past if m["from"] == "user"]
    assert [m["message_id"] for m in mine] == ["live-1", "live-2"]
    assert all(isinstance(m["timestamp"], float) for m in past)


def test_no_typing_signal_without_an_open_widget(servers):
    holder = servers.login("agent3", "pass-word-1")
    session_id = "live-rest-" + str(int(time.time() * 1000))
    servers.say(session_id, "I want to talk to a human")  # a REST conversation: no widget to tell
    ticket = ticket_of(servers, holder, session_id)
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/claim", holder).status_code == 200
    typing = servers.api("POST", f"/tickets/{ticket['ticket_id']}/typing", holder)
    assert typing.status_code == 200 and typing.json() == {"status": "no_client"}
    assert servers.api("POST", f"/tickets/{ticket['ticket_id']}/close", holder,
                       json={"disposition": "resolved"}).status_code == 200


def test_customer_typing_reaches_the_ticket_view_of_web_chat_tickets_only(servers):
    """Issue 14: the widget's ``customer_typing {on}`` shows in ``GET /tickets/{id}`` as
    ``customer_typing`` while a person has the conversation (queued, then with the agent), for a
    few seconds (TTL) or until "off"; a standard Rasa client's is ignored; a REST ticket never has it."""
    holder = servers.login("agent3", "pass-word-1")

    def typing_of(ticket_id: str) -> bool:
        view = servers.api("GET", f"/tickets/{ticket_id}", holder)
        assert view.status_code == 200
        return view.json()["customer_typing"]

    async def until(ticket_id: str, wanted: bool, timeout: float = 15) -> float:
        started = time.monotonic()
        while await asyncio.to_thread(typing_of, ticket_id) is not wanted:
            assert time.monotonic() - started < timeout, f"customer_typing never became {wanted}"
            await asyncio.sleep(0.2)
        return time.monotonic() - started

    async def scenario():
        async with ChatClient(servers.url) as widget, ChatClient(servers.url) as plain:
            session_id = await widget.start(language="en")
            await uttered(widget, "I want to talk to a human", "typing-1")
            ticket_id = (await asyncio.to_thread(ticket_of, servers, holder, session_id))["ticket_id"]
            assert await asyncio.to_thread(typing_of, ticket_id) is False

            await widget.sio.emit("customer_typing", {"on": True})  # queued: a person owns it
            await until(ticket_id, True)
            await widget.sio.emit("customer_typing", {"on": False})  # stopped
            await until(ticket_id, False, timeout=5)

            # malformed or from a standard Rasa client of the session: nothing
            await plain.start(session_id=session_id, protocol=None)
            for data in ({"on": "yes"}, "on", None):
                await widget.sio.emit("customer_typing", data)
            await plain.sio.emit("customer_typing", {"on": True})
            await asyncio.sleep(1.0)
            assert await asyncio.to_thread(typing_of, ticket_id) is False

            claimed = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/claim", holder)
            assert claimed.status_code == 200
            await widget.sio.emit("customer_typing", {"on": True})  # with the agent
            await until(ticket_id, True)
            # the widget vanished without "off": gone after the TTL (6 s), well before 15 s
            await until(ticket_id, False, timeout=15)

            await widget.sio.emit("customer_typing", {"on": True})
            await until(ticket_id, True)
            closed = await asyncio.to_thread(servers.api, "POST", f"/tickets/{ticket_id}/close", holder,
                                             json={"disposition": "resolved"})
            assert closed.status_code == 200
            assert await asyncio.to_thread(typing_of, ticket_id) is False  # closed: nobody to show it to

    asyncio.run(scenario())

    rest_id = "typing-rest-" + str(int(time.time() * 1000))
    servers.say(rest_id, "I want to talk to a human")  # REST (like WeChat, IVR): no typing signal
    rest_ticket = ticket_of(servers, holder, rest_id)
    assert typing_of(rest_ticket["ticket_id"]) is False


def test_a_flood_of_status_requests_is_answered_once_a_second(servers):
    """helper-211 (session 45): 60,000 ``status_request`` frames a second from 3 sockets each ran a database query,
    uncounted, and another customer's turns went from 22-34 to 126-775 ms. One socket is answered at most once per
    ``STATUS_MIN_GAP_S``; the rest are ignored."""
    from connectors.webchat import STATUS_MIN_GAP_S

    async def flood():
        async with ChatClient(servers.url) as widget:
            await widget.start(language="en")
            mark = len(widget.events)
            started = time.monotonic()
            for _ in range(100):  # each on its own (the test client's batches of many are not a widget's)
                await widget.sio.emit("status_request", {})
                await asyncio.sleep(0.005)
            await widget.wait_for("status", mark)
            await asyncio.sleep(1.0)
            elapsed = time.monotonic() - started
            answered = len(widget.of("status", mark))
            assert 1 <= answered <= 1 + int(elapsed / STATUS_MIN_GAP_S), (answered, elapsed)
            await asyncio.sleep(STATUS_MIN_GAP_S)
            mark = len(widget.events)
            await widget.sio.emit("status_request", {})
            assert await widget.wait_for("status", mark)  # after the gap, answered again

    asyncio.run(flood())
