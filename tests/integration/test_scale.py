"""`make scale-up SERVERS=2 ACTIONS=1` / `make scale-down` (issue 13, DESIGN.md §9), through
the script they call (scripts/scale.sh) on free ports: a private PostgreSQL 15 cluster, Redis,
one action server and two Rasa servers behind haproxy; a REST conversation and a web chat
socket (long-polling: every request must reach the server holding the session, by haproxy's
cookie) through haproxy, agent messages sent through each Rasa server reaching the socket once;
scale-down leaves no process."""
from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests

from tests.conftest import MODEL, PROJECT_ROOT
from tests.integration.conftest import free_port
from tests.integration.webchat_client import ChatClient, texts

SERVERS = 2


def free_range(count: int) -> int:
    """A port p with p+1..p+count free."""
    for _ in range(50):
        base = free_port()
        try:
            for offset in range(1, count + 1):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise RuntimeError("no free port range")


def running(pid: int) -> bool:
    """The process exists and is not a zombie (exited, waiting for its parent to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def scaled(trained_model):
    for tool in ("haproxy", "redis-server"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: `make haproxy-deps redis-deps` installs it")
    if not Path("/usr/lib/postgresql/15/bin/initdb").exists():
        pytest.fail("PostgreSQL 15 is missing: `make postgres-deps` installs it")
    folder = Path(tempfile.mkdtemp(prefix="qx-scale-"))  # not under pytest's 0700 folders:
    folder.chmod(0o755)                                 # the postgres user reaches its cluster
    # a 24/7 support team (tests must not depend on the hour), as tests/integration/conftest.py
    escalation = (PROJECT_ROOT / "escalation.yml").read_text().replace("always_open: false", "always_open: true")
    (folder / "escalation.yml").write_text(escalation)
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update({
        "PYTHONPATH": str(PROJECT_ROOT), "MODEL": str(MODEL), "SCALE_DIR": str(folder / "scale"),
        "SERVERS": str(SERVERS), "ACTIONS": "1",
        "SCALE_PORT": str(free_port()), "SCALE_ACTIONS_PORT": str(free_port()),
        "SCALE_RASA_PORT0": str(free_range(SERVERS)), "SCALE_ACTIONS_PORT0": str(free_range(1)),
        "SCALE_PG_PORT": str(free_port()), "SCALE_REDIS_PORT": str(free_port()),
        "RASA_API_TOKEN": secrets.token_urlsafe(24), "REST_API_TOKEN": secrets.token_urlsafe(24),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24), "AGENT_DEMO_PASSWORD": secrets.token_urlsafe(12),
        "ESCALATION_CONFIG": str(folder / "escalation.yml"),
        "RATE_LIMIT_ADDRESS_PER_MIN": "1000000", "RATE_LIMIT_SENDER_PER_MIN": "1000000",
        "RATE_LIMIT_SESSIONS_PER_MIN": "1000000",
    })

    def script(command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "scripts/scale.sh", command], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=900)

    started = script("up")
    try:
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        yield env, script
    finally:
        script("down")
        shutil.rmtree(folder, ignore_errors=True)


def test_scale_up_serves_rest_and_web_chat_through_haproxy_and_scale_down_stops_everything(scaled):
    env, script = scaled
    base = f"http://localhost:{env['SCALE_PORT']}"
    scale_dir = Path(env["SCALE_DIR"])
    pid_files = sorted(scale_dir.glob("*.pid"))
    assert [p.name for p in pid_files] == ["actions-1.pid", "haproxy.pid", "rasa-1.pid", "rasa-2.pid", "redis.pid"]
    pids = [int(p.read_text()) for p in pid_files]
    pids.append(int((scale_dir / "pg" / "data" / "postmaster.pid").read_text().split()[0]))

    # A REST conversation through haproxy (its turns may land on either server: one database, Redis locks).
    headers = {"Authorization": f"Bearer {env['REST_API_TOKEN']}"}
    sender = f"scale-{secrets.token_hex(4)}"
    for text, expected in (("where is QX-100002?", "QX-100002"), ("no", "")):
        answer = requests.post(f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                               headers=headers, timeout=120)
        assert answer.status_code == 200 and answer.json(), answer.text
        assert expected in texts(answer.json())
    tracker = requests.get(f"{base}/conversations/{sender}/tracker", params={"token": env["RASA_API_TOKEN"]},
                           timeout=60).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["where is QX-100002?", "no"]
    # haproxy balances over both Rasa servers, and its cookie names the one that answered
    assert requests.get(f"{base}/", timeout=10).cookies.get("QXSERVER") in {"rasa-1", "rasa-2"}

    # The agent works on each Rasa server in turn (one of them does not hold the customer's
    # socket): every agent message reaches the socket once and is acknowledged.
    servers = [f"http://127.0.0.1:{int(env['SCALE_RASA_PORT0']) + i}/agent/api" for i in range(1, SERVERS + 1)]
    login = requests.post(f"{base}/agent/api/login", json={"username": "demo", "password": env["AGENT_DEMO_PASSWORD"]},
                          timeout=60)
    assert login.status_code == 200, login.text
    agent = {"Authorization": f"Bearer {login.json()['token']}"}

    def agent_call(server: str, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{server}{path}", headers=agent, timeout=60, **kwargs)

    async def web_chat() -> None:
        async with ChatClient(base) as chat:  # long-polling: each poll must reach the same server
            session_id = await chat.start()
            for _ in range(3):
                assert "QX-100002" in texts(await chat.say("where is QX-100002?"))
            assert "queue" in texts(await chat.say("I want to talk to a human"))
            tickets = await asyncio.to_thread(agent_call, servers[0], "GET", "/tickets",
                                              params={"conversation_id": session_id})
            [ticket] = tickets.json()
            path = f"/tickets/{ticket['ticket_id']}"
            claimed = await asyncio.to_thread(agent_call, servers[0], "POST", f"{path}/claim")
            assert claimed.status_code == 200, claimed.text
            for i, server in enumerate(servers):
                mark, text = len(chat.events), f"Agent message {i} from server {i + 1}."
                sent = await asyncio.to_thread(agent_call, server, "POST", f"{path}/messages", json={"text": text})
                assert sent.json() == {"status": "sent"}, sent.text
                await chat.wait_for("bot_uttered", mark, where=lambda m: m.get("text") == text)
            await asyncio.sleep(2)  # anything doubled would have arrived by now
            agent_texts = [m["text"] for m in chat.of("bot_uttered") if m.get("from") == "agent"]
            assert agent_texts == [f"Agent message {i} from server {i + 1}." for i in range(SERVERS)]

    asyncio.run(web_chat())

    stopped = script("down")
    assert stopped.returncode == 0, stopped.stderr
    assert [pid for pid in pids if running(pid)] == []
    ports = [env["SCALE_PORT"], env["SCALE_ACTIONS_PORT"], env["SCALE_PG_PORT"], env["SCALE_REDIS_PORT"]]
    ports += [int(env["SCALE_RASA_PORT0"]) + i for i in range(1, SERVERS + 1)]
    assert [p for p in ports if listening(int(p))] == []
    assert list(scale_dir.glob("*.pid")) == []
