"""The action server dies mid-conversation (issue 13): on every channel the
Rasa server itself apologises in the customer's language, files what they
wrote on a ``system_error`` ticket (a call-back: nobody is online), and once
the action server is back the conversation goes on.

The servers are the real ones (tests/integration/conftest.py) with the IVR
and WeChat channels enabled; the action server is killed with SIGKILL and
started again on the same port, as supervisord does under ``make run``.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from contextlib import contextmanager

import pytest
import requests

from bot.handover.action_fallback import APOLOGY
from tests.channels.conftest import IVR_SECRET
from tests.channels.test_ivr_calls import Call, spoken
from tests.conftest import PROJECT_ROOT
from tests.channels.wechat_fake import AES_KEY, APP_ID, APP_SECRET, TOKEN, WeChatClient, text_xml
from tests.integration.conftest import make_run, run_servers, wait_for
from tests.integration.webchat_client import conversation_of, ChatClient, texts


@pytest.fixture(scope="module")
def servers(tmp_path_factory, trained_model, wechat_fake):
    yield from run_servers(tmp_path_factory, "action-server-down", {
        "IVR_SECRET": IVR_SECRET, "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET, "WECHAT_AES_KEY": AES_KEY, "WECHAT_MODE": "safe",
        "WECHAT_API_BASE": wechat_fake.base_url})


@contextmanager
def action_server_down(servers):
    """SIGKILL the action server; start it again (same port) on leaving."""
    [actions] = [p for p in servers.processes if "actions.server" in p.args and p.poll() is None]
    actions.send_signal(signal.SIGKILL)
    actions.wait(timeout=10)
    try:
        yield
    finally:
        process, log = servers.start_actions()
        wait_for(f"{servers.actions_url}/health", process, log)


def system_error_ticket(servers, conversation_id: str):
    """The conversation's one ticket and its transcript (packet plus later messages)."""
    from bot.storage.uow import SqlAlchemyUnitOfWork, engine_for

    with SqlAlchemyUnitOfWork(engine_for(servers.database_url)) as uow:
        [ticket] = uow.tickets.for_conversation(conversation_id)
        return ticket, " ".join(m["text"] for m in uow.tickets.transcript(ticket))


def assert_filed(servers, conversation_id: str, said: str) -> None:
    ticket, transcript = system_error_ticket(servers, conversation_id)
    assert ticket.reason["code"] == "system_error"
    assert ticket.state == "callback"  # nobody is online
    assert said in transcript


def test_rest(servers):
    sender = f"down-rest-{uuid.uuid4().hex[:8]}"
    assert servers.say(sender, "hello")
    said = "where is my order QX-100002?"
    with action_server_down(servers):
        answer = servers.say(sender, said)
        assert answer[0]["text"] == APOLOGY["en"]
        assert len([m for m in answer if m.get("text") == APOLOGY["en"]]) == 1
    assert_filed(servers, sender, said)
    later = servers.say(sender, "where is my order QX-100002?")
    assert later and all(m.get("text") != APOLOGY["en"] for m in later)
    assert "QX-100002" in " ".join(m.get("text", "") for m in later)


def test_web_chat(servers):
    async def chat():
        async with ChatClient(servers.url) as client:
            await client.start(language="en")
            assert await client.say("hello")
            said = "where is my order QX-100003?"
            with action_server_down(servers):
                answer = texts(await client.say(said))
                assert APOLOGY["en"] in answer, answer
            assert_filed(servers, client.conversation_id, said)
            later = texts(await client.say("where is my order QX-100003?"))
            assert later and APOLOGY["en"] not in later and "QX-100003" in later, later

    asyncio.run(chat())


def test_wechat_in_chinese(servers, wechat_fake):
    client = WeChatClient(f"{servers.url}/webhooks/wechat/webhook", mode="safe")
    user = "o" + uuid.uuid4().hex[:27]

    def answer(text: str) -> str:
        before = len(wechat_fake.messages_to(user))
        reply = client.say(text_xml(user, text))
        return reply.content or "\n".join(wechat_fake.wait_for_messages(user, before + 1)[before:])

    assert answer("你好")
    said = "我的订单QX-100002到哪了"
    with action_server_down(servers):
        assert APOLOGY["zh"] in answer(said)
    assert_filed(servers, user, said)
    later = answer("我的订单QX-100002到哪了")
    assert later and APOLOGY["zh"] not in later and "QX-100002" in later, later


def test_ivr(servers, tmp_path):
    call = Call(servers, tmp_path)
    call.send("start")
    said = "where is my order QX-100002"
    with action_server_down(servers):
        actions = call.send("speech", text=said, confidence=0.95)
        assert APOLOGY["en"] in spoken(actions), actions
    assert_filed(servers, f"ivr-{call.call_id}", said)
    # The call goes on (the IVR offers a call-back, as for any call-back ticket).
    assert call.send("speech", text="where is my order QX-100002", confidence=0.95)



def test_make_run_restarts_a_killed_action_server_and_ctrl_c_stops_all(tmp_path, trained_model):
    """scripts/run.sh under supervisord: SIGKILL the action server, it comes
    back by itself and Rasa reaches it again; Ctrl-C (SIGINT to the group) stops every process."""
    with make_run(tmp_path) as run:
        process, rasa_port, actions_port, out = run.process, run.rasa_port, run.actions_port, run.out
        ctl = [str(PROJECT_ROOT / ".venv/bin/supervisorctl"), "-c", str(tmp_path / "run" / "supervisord.conf")]

        def pid_of(program: str) -> int:
            return int(subprocess.run([*ctl, "pid", program], capture_output=True, text=True, timeout=30).stdout)

        banner = run.banner
        token = run.generated()["REST_API_TOKEN"]
        assert "Agent desk" in banner and "password:" in banner
        children = {name: pid_of(name) for name in ("actions", "rasa")}
        secrets = [value for value in run.generated().values() if value]
        for pid in children.values():  # no secret on a command line, where ps shows it to every local user
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
            assert not [s for s in secrets if s in cmdline], cmdline
        assert requests.get(f"http://127.0.0.1:{rasa_port}/status", timeout=10).status_code == 401
        assert requests.get(f"http://127.0.0.1:{rasa_port}/status", timeout=10,
                            params={"token": run.generated()["RASA_API_TOKEN"]}).status_code == 200
        os.kill(children["actions"], signal.SIGKILL)
        deadline = time.time() + 120
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{actions_port}/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert time.time() < deadline, "the action server did not come back"
            time.sleep(0.5)
        assert pid_of("actions") not in (0, children["actions"])
        assert pid_of("rasa") == children["rasa"]  # the Rasa server kept running
        answer = requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", timeout=120,
                               headers={"Authorization": f"Bearer {token}"},
                               json={"sender": "run-sh", "message": "where is QX-100002?"})
        assert answer.status_code == 200 and "QX-100002" in texts(answer.json())
        children["actions"] = pid_of("actions")

        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
        assert process.wait(timeout=60) is not None
        for pid in children.values():
            assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()
        assert "Stopping" in out.read_text()
