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


# --- review chan29 #4: an id used again for another text is refused, not silently answered ------------------

def test_a_rest_message_id_reused_for_another_text_is_a_409_and_nothing_runs(servers):
    sender = f"idem-conflict-{uuid.uuid4().hex[:8]}"
    first = servers.say(sender, "where is my order QX-100002?", message_id="c-1")
    log = servers.workdir / "rasa.log"
    logged_before = len(log.read_text(errors="replace"))
    reused = servers.rest("POST", json={"sender": sender, "message": "I want to talk to a human",
                                        "metadata": {"message_id": "c-1"}})
    assert reused.status_code == 409, reused.text
    assert "message_id was already used" in reused.json()["error"] and "new id" in reused.json()["error"]
    # nothing ran: one user message with that id, the other text nowhere, no ticket
    assert [e["text"] for e in user_events(servers, sender, "c-1")] == ["where is my order QX-100002?"]
    assert not any(e.get("text") == "I want to talk to a human" for e in servers.tracker(sender)["events"])
    assert tickets_of(servers, sender) == []
    # a true retry is still answered as the first time, and a new id is a new message
    assert texts(servers.say(sender, "where is my order QX-100002?", message_id="c-1")) == texts(first)
    assert servers.say(sender, "I want to talk to a human", message_id="c-2")
    logged = log.read_text(errors="replace")[logged_before:]
    assert "Traceback" not in logged and "refused (409)" in logged


def test_a_retry_of_a_message_whose_stored_text_was_masked_afterwards_is_still_a_retry(servers):
    """The split card: the second half's text is stored masked ("[card …1111]"); its retry, sent as typed, must
    not be taken for another message (the comparison uses the digest the first message kept)."""
    sender = f"idem-split-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "my card number is 4111 1111", message_id="s-1")
    first = servers.say(sender, "1111 1111", message_id="s-2")
    [stored] = user_events(servers, sender, "s-2")
    assert "1111 1111" not in stored["text"]  # masked after it was processed
    again = servers.rest("POST", json={"sender": sender, "message": "1111 1111", "metadata": {"message_id": "s-2"}})
    assert again.status_code == 200 and texts(again.json()) == texts(first)
    assert len(user_events(servers, sender, "s-2")) == 1


def test_a_web_chat_message_id_reused_for_another_text_gets_a_chat_error_on_both_transports(servers):
    async def chat():
        async with ChatClient(servers.url) as client:
            session = await client.start(language="en")
            data = {"message": "where is my order QX-100002?", "session_id": session, "message_id": "wc-1"}
            await client.sio.call("user_uttered", data, timeout=60)
            mark = len(client.events)
            ack = await client.sio.call("user_uttered", {**data, "message": "talk to a human"}, timeout=60)
            error = await client.wait_for("chat_error", mark)
            assert ack is None  # not acknowledged: it was not processed
            assert client.of("bot_uttered", mark) == []
            # the connection goes on: a true retry and a new message are answered
            again = await client.sio.call("user_uttered", data, timeout=60)
            assert again["message_id"] == "wc-1"
            assert await client.say("hello", message_id="wc-2")
            return session, error

    session, error = asyncio.run(chat())
    assert error["code"] == "message_id_conflict" and "message_id was already used" in error["message"]
    conversation = conversation_of(session)
    assert [e["text"] for e in user_events(servers, conversation, "wc-1")] == ["where is my order QX-100002?"]
    assert not any(e.get("text") == "talk to a human" for e in servers.tracker(conversation)["events"])
    # the HTTP transport: 409 with the same error
    import requests

    reused = requests.post(f"{servers.url}/chat/api/message", timeout=60, json={
        "session_id": session, "message": "something else", "message_id": "wc-2"})
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "message_id_conflict"
