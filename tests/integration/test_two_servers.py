"""Two Rasa servers, each with its own action server, sharing one real PostgreSQL database and
one real Redis (issue 13, DESIGN.md §8-§9): requests of one conversation land on either server.

- Both servers start together against a fresh database (migrations applied once, before).
- A WeChat retry (same MsgId) on the other server gets the same answer; sent to both at once,
  the turn still runs once.
- An IVR call whose events alternate between the servers keeps its state (a read-back asked
  on one server is confirmed on the other), and a retried ``seq`` is answered from either.
- Turns of one conversation sent to both servers at once run one at a time (the Redis lock)
  and are all answered.
- Hand-overs of one conversation racing on both servers (through Rasa, and straight at both
  action servers, past the lock) end with exactly one open ticket, and no 5xx.

The servers start once for the module (tests/conftest.py: ``postgres``, ``redis_url``).
"""
from __future__ import annotations

import json
import time
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from bot.queue.tickets import OPEN
from tests.channels.conftest import IVR_SECRET
from tests.channels.test_ivr_calls import Call, post, spoken
from tests.channels.wechat_fake import (AES_KEY, APP_ID, APP_SECRET, TOKEN, BackgroundLoop, FakeWeChatApi,
                                        WeChatClient, text_xml)
from tests.integration.conftest import Servers, prepare_database


@pytest.fixture(scope="module")
def wechat_api():
    """A local fake of WeChat's server API (customer-service messages, tokens)."""
    loop = BackgroundLoop()
    fake = loop.run(FakeWeChatApi().start())
    yield fake
    loop.run(fake.stop())
    loop.stop()


@pytest.fixture(scope="module")
def pair(tmp_path_factory, trained_model, postgres, redis_url, wechat_api):
    """(server A, server B), started together: own Rasa and action processes and ports, one
    fresh PostgreSQL database (migrated and seeded once, before), one Redis."""
    url = postgres(f"two_servers_{uuid.uuid4().hex[:6]}")
    previous = os.environ.get("DATABASE_URL")
    prepare_database(url)  # points DATABASE_URL at it: put back afterwards for the modules that follow
    env = {"REDIS_URL": redis_url, "IVR_SECRET": IVR_SECRET,
           "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
           "WECHAT_AES_KEY": AES_KEY, "WECHAT_MODE": "safe", "WECHAT_API_BASE": wechat_api.base_url}
    servers = [Servers(tmp_path_factory.mktemp(f"two-{name}"), url) for name in "ab"]
    try:
        for server in servers:
            server.env.update(env)
            server.start_timeout_s = 900  # two servers load their models at once on a shared machine
            server.launch()  # both at once, before either answers
        for server in servers:
            server.wait()
        for server in servers:  # the first turn of a server loads what it needs: not in the tests' time
            server.say(f"warm-up-{uuid.uuid4().hex[:6]}", "hello")
        yield servers
    finally:
        for server in servers:
            server.stop()
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def user_turns(server: Servers, sender: str, message_id: str = None) -> list:
    return [e for e in server.tracker(sender)["events"] if e["event"] == "user"
            and (message_id is None or (e.get("metadata") or {}).get("message_id") == message_id)]


def open_tickets(database_url: str, conversation_id: str) -> list:
    from bot.storage.uow import SqlAlchemyUnitOfWork, engine_for

    with SqlAlchemyUnitOfWork(engine_for(database_url)) as uow:
        return [t for t in uow.tickets.for_conversation(conversation_id) if str(getattr(t.state, "value", t.state))
                in OPEN]


def test_two_servers_started_together_on_a_fresh_postgres_database(pair):
    for server in pair:
        assert requests.get(f"{server.url}/", timeout=30).ok
        assert all(process.poll() is None for process in server.processes)
        log = (server.workdir / "rasa.log").read_text() + (server.workdir / "actions.log").read_text()
        assert "IntegrityError" not in log and "already exists" not in log
    assert pair[0].database_url.startswith("postgresql") and pair[0].database_url == pair[1].database_url


def test_a_wechat_retry_on_the_other_server_gets_the_same_answer_and_runs_the_turn_once(pair, wechat_api):
    a, b = (WeChatClient(f"{server.url}/webhooks/wechat/webhook", mode="safe") for server in pair)
    user = "o" + uuid.uuid4().hex[:27]

    def answer_of(reply, before: int) -> str:
        """The passive reply, or what the customer-service API received (a slow turn)."""
        if reply.content:
            return reply.content
        return wechat_api.wait_for_messages(user, before + 1)[before]

    # WeChat retries a message whose answer it did not get; the retry lands on server B.
    msg_id = int(time.time() * 1000)
    params, body = a.signed_params(text_xml(user, "QX-100002 到哪了？", msg_id=msg_id))
    first = answer_of(a.post_raw(params, body, timeout=60), 0)
    assert "QX-100002" in first
    pushed = len(wechat_api.messages_to(user))
    again = b.post_raw(params, body, timeout=60)
    assert again.status == 200 and (again.content or None) in (first, None)
    if again.content is None:  # the first went out through the API: not a second time
        assert len(wechat_api.messages_to(user)) == pushed
    assert len(user_turns(pair[0], user, f"wechat:msg:{user}:{msg_id}")) == 1

    # The same message reaching both servers at once: one turn, one answer to the customer.
    msg_id += 1
    params, body = a.signed_params(text_xml(user, "QX-100001 到哪了？", msg_id=msg_id))
    before = len(wechat_api.messages_to(user))
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda client: client.post_raw(params, body, timeout=60), (a, b)))
    assert all(reply.status == 200 for reply in replies)
    passive = [reply.content for reply in replies if reply.content]
    time.sleep(2)  # a doubled push would have arrived by now
    pushes = wechat_api.messages_to(user)[before:]
    assert len(set(passive)) <= 1 and len(pushes) <= 1 and (passive or pushes)
    assert all("QX-100001" in text for text in passive + pushes)
    assert len(user_turns(pair[1], user, f"wechat:msg:{user}:{msg_id}")) == 1


def test_an_ivr_call_alternating_between_the_servers_keeps_its_state(pair, tmp_path):
    a, b = pair
    call = Call(a, tmp_path, "en-US")
    call.send("start")
    call.servers = b
    check = call.send("speech", text="where is q x one zero zero zero zero two", confidence=0.9)
    assert "Q X 1 0 0 0 0 2, is that right?" in spoken(check)  # server B asks for the read-back
    call.servers = a
    found = call.send("speech", text="yes", confidence=0.9)  # server A knows what B read back
    assert "QX-100002" in spoken(found)
    sender = f"ivr-{call.call_id}"
    turns = user_turns(a, sender)
    assert turns[-1]["text"] == "where is QX-100002" and turns[-1]["metadata"]["spoken"]["confirmed"] is True

    # The platform retries the last event (seq 2) on server B: the same answer, no second turn.
    event = {"call_id": call.call_id, "seq": 2, "event": "speech", "caller": call.caller, "lang": call.lang,
             "text": "yes", "confidence": 0.9}
    retried = post(b, event)
    assert retried.status_code == 200 and retried.json()["actions"] == found
    # ... even as the very same signed bytes (a replayed signature with an answer to give)
    data = json.dumps(event, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()))
    from connectors.ivr.signature import sign

    same = sign(IVR_SECRET, timestamp, data)
    assert post(a, None, raw=data, timestamp=timestamp, signature=same).json()["actions"] == found
    assert post(b, None, raw=data, timestamp=timestamp, signature=same).json()["actions"] == found
    conflict = post(a, {**event, "text": "cancel my order"})  # another event under that seq
    assert conflict.status_code == 409
    assert len(user_turns(b, sender)) == len(turns)
    # The call's state and answers are in Redis, expiring.
    client = redis.Redis.from_url(b.env["REDIS_URL"])
    from connectors.ivr import call_key, stored_answer_key
    from connectors.ivr.protocol import parse_event

    keys = [f"qx:state:{call_key(call.call_id)}", f"qx:state:{stored_answer_key(parse_event(event))}"]
    assert all(0 < client.pttl(key) for key in keys)


def test_concurrent_turns_of_one_conversation_on_both_servers_run_one_at_a_time(pair):
    sender = f"two-turns-{uuid.uuid4().hex[:8]}"
    orders = ["QX-100001", "QX-100002", "QX-100003", "QX-100004"]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda i: pair[i % 2].say(sender, f"where is {orders[i]}?"), range(4)))
    assert all(answers)
    for order, answer in zip(orders, answers):
        assert order in " ".join(m.get("text") or "" for m in answer)
    # One turn at a time: each message is followed by its own answer before the next message.
    events = [e for e in pair[0].tracker(sender)["events"] if e["event"] in ("user", "bot")]
    said = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(said) == sorted(f"where is {o}?" for o in orders)
    starts = [i for i, e in enumerate(events) if e["event"] == "user"] + [len(events)]
    for start, end in zip(starts, starts[1:]):
        order = events[start]["text"].split()[-1].rstrip("?")
        answer = " ".join(e.get("text") or "" for e in events[start + 1:end])
        assert order in answer, events  # interleaved turns would put another message in between
    client = redis.Redis.from_url(pair[0].env["REDIS_URL"])
    assert client.get(f"qx:lock:{sender}:seq") == b"4"  # every turn took the one Redis lock
    assert all(client.pttl(key) > 0 for key in client.keys(f"qx:lock:{sender}*"))


def test_concurrent_hand_overs_on_both_servers_end_with_one_open_ticket(pair):
    a, b = pair
    sender = f"two-handover-{uuid.uuid4().hex[:8]}"
    a.say(sender, "hello")
    texts = ["I want to talk to a human", "please get me a real person"]
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda i: pair[i].rest("POST", json={"sender": sender, "message": texts[i]}),
                                range(2)))
    assert [r.status_code for r in replies] == [200, 200] and all(r.json() for r in replies)
    assert len(open_tickets(a.database_url, sender)) == 1

    # Past the lock: both action servers run the hand-over of one conversation at the same
    # moment; the database's one-open-ticket index lets one ticket in, the other reuses it.
    tracker = a.tracker(sender)
    domain = a.rasa_api("GET", "/domain", headers={"Accept": "application/json"}).json()
    other = f"two-race-{uuid.uuid4().hex[:8]}"
    body = {"next_action": "action_handoff", "sender_id": other, "tracker": {**tracker, "sender_id": other},
            "domain": domain, "version": "3.6.21"}

    def run_action(server: Servers) -> requests.Response:
        return requests.post(f"{server.actions_url}/webhook", json=body, timeout=120,
                             headers={"Authorization": f"Bearer {server.action_server_token}"})

    for _ in range(3):  # a few rounds: the race is not won the same way every time
        with ThreadPoolExecutor(2) as pool:
            raced = list(pool.map(run_action, pair))
        assert [r.status_code for r in raced] == [200, 200], [r.text[:300] for r in raced]
        assert len(open_tickets(a.database_url, other)) == 1


def test_an_agent_reply_queued_on_one_server_reaches_the_rest_customer_on_the_other(pair):
    """Issue 16: a REST turn reads the outbox only when something may wait (the marks are in the
    shared Redis): a reply an agent sends through server A while the customer is away is handed
    over with the customer's next turn on server B, once."""
    from tests.integration.test_customers import texts

    a, b = pair
    sender = f"two-outbox-{uuid.uuid4().hex[:8]}"
    agent = a.login("alice", "pass-word-1")  # an agent online: the ticket is queued
    assert "queue" in texts(b.say(sender, "I want to talk to a human"))
    b.say(sender, "hello?")  # B has looked at the outbox: nothing waited
    [ticket] = a.api("GET", "/tickets", agent, params={"conversation_id": sender}).json()
    assert a.api("POST", f"/tickets/{ticket['ticket_id']}/claim", agent).status_code == 200
    sent = a.api("POST", f"/tickets/{ticket['ticket_id']}/messages", agent, json={"text": "reply while away"})
    assert sent.status_code == 200 and sent.json()["status"] == "queued_for_delivery"
    assert "reply while away" in texts(b.say(sender, "are you there?"))
    assert "reply while away" not in texts(b.say(sender, "ok"))  # handed over once
    a.api("POST", f"/tickets/{ticket['ticket_id']}/close", agent, json={"disposition": "resolved"})
