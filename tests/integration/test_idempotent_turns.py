"""A message with a client id is processed once (issue 13, DESIGN.md §8 delivery guarantees):
a REST retry or a web chat message sent again after a reconnect gets the same answer, and
nothing runs twice (one user message in the tracker, one ticket, one ticket message)."""
from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.integration.webchat_client import ChatClient, conversation_of


def user_events(servers, sender: str, message_id: str) -> list:
    return [e for e in servers.tracker(sender)["events"]
            if e["event"] == "user" and (e.get("metadata") or {}).get("message_id") == message_id]


def tickets_of(servers, sender: str) -> list:
    from bot.storage.uow import SqlAlchemyUnitOfWork, engine_for

    with SqlAlchemyUnitOfWork(engine_for(servers.database_url)) as uow:
        return [(t, uow.tickets.transcript(t)) for t in uow.tickets.for_conversation(sender)]


def texts(messages: list[dict]) -> list:
    return [m.get("text") for m in messages]


def test_a_rest_retry_gets_the_same_answer_and_runs_nothing_twice(servers):
    sender = f"idem-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "hello")
    first = servers.say(sender, "I want to talk to a human, my parcel QX-100002 is late", message_id="m-1")
    again = servers.say(sender, "I want to talk to a human, my parcel QX-100002 is late", message_id="m-1")
    assert texts(again) == texts(first) and first
    assert len(user_events(servers, sender, "m-1")) == 1
    [(ticket, transcript)] = tickets_of(servers, sender)
    assert sum("my parcel" in m["text"] for m in transcript) == 1
    # Another id is another message: processed.
    other = servers.say(sender, "are you there?", message_id="m-2")
    assert len(user_events(servers, sender, "m-2")) == 1 and other


def test_rest_retries_arriving_together_run_one_turn(servers):
    sender = f"idem-race-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: servers.say(sender, "where is QX-100002?", message_id="same"), range(3)))
    assert all(texts(a) == texts(answers[0]) for a in answers) and answers[0]
    assert len(user_events(servers, sender, "same")) == 1


def test_a_bad_message_id_is_a_400_with_a_reason(servers):
    for bad in (12, "", "x" * 129, "a\nb"):
        reply = servers.rest("POST", json={"sender": "idem-bad", "message": "hi", "metadata": {"message_id": bad}})
        assert reply.status_code == 400 and "message_id" in reply.json()["error"], (bad, reply.text)


def test_web_chat_message_sent_again_after_a_reconnect_is_answered_once(servers):
    async def chat():
        async with ChatClient(servers.url) as client:
            session = await client.start(language="en")
            data = {"message": "where is my order QX-100002?", "session_id": session, "message_id": "w-1"}
            ack = await client.sio.call("user_uttered", data, timeout=60)
            assert time.time() - 60 < ack.pop("timestamp") <= time.time() and ack == {"message_id": "w-1"}
            first = texts(client.of("bot_uttered"))
        # The widget did not see the acknowledgement (the connection dropped): it sends again.
        async with ChatClient(servers.url) as client:
            await client.start(session_id=session)
            mark = len(client.events)
            ack = await client.sio.call("user_uttered", data, timeout=60)
            assert time.time() - 60 < ack.pop("timestamp") <= time.time() and ack == {"message_id": "w-1"}
            await asyncio.sleep(0.5)
            again = texts(client.of("bot_uttered", mark))
        return session, first, again

    session, first, again = asyncio.run(chat())
    assert first and again == first
    assert len(user_events(servers, conversation_of(session), "w-1")) == 1


def test_web_chat_refuses_a_bad_message_id(servers):
    async def chat():
        async with ChatClient(servers.url) as client:
            session = await client.start()
            await client.sio.emit("user_uttered", {"message": "hi", "session_id": session, "message_id": 7})
            return await client.wait_for("chat_error")

    problem = asyncio.run(chat())
    assert problem["code"] == "bad_request" and "message_id" in problem["message"]
