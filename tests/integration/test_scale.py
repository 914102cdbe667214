"""`make scale-up SERVERS=2 ACTIONS=1` / `make scale-down` (issue 13, DESIGN.md §9), through
the script they call (scripts/scale.sh) on free ports: a private PostgreSQL 15 cluster, Redis,
one action server and two Rasa servers behind haproxy; a REST conversation and a web chat
socket (long-polling: every request must reach the server holding the session, by haproxy's
cookie) through haproxy, agent messages sent through each Rasa server reaching the socket once
(and one reply sent with the same ``message_id`` to both servers at once: delivered once);
the kill test of bench/scale.py (kill -9 the busiest Rasa server while every channel talks and
agents reply), the server started again by the scale set's supervisord; scale-down leaves no
process. Also the scale set's defences (issue 13's review): PostgreSQL and Redis refuse other
local users and connections without the password, no secret on any command line or in the
configuration files and logs, Rasa's HTTP API refused through haproxy from other addresses,
opaque sticky cookies, and a second scale-up on a port in use refused before it starts anything.
(haproxy's limits alone, without Rasa: tests/integration/test_scale_haproxy.py.)"""
from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.conftest import PROJECT_ROOT
from tests.integration.webchat_client import conversation_of, ChatClient, texts

SERVERS = 2
LOCK_LIFETIME_S = 15  # Rasa's TICKET_LOCK_LIFETIME in these servers (scale-up's default: 60)


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
def wechat():
    from bench.scale import WeChat

    fake = WeChat()  # the local fake of WeChat's API, for the kill test's WeChat customers
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def scale_set(trained_model, wechat):
    """bench/scale.py's ScaleSet: scripts/scale.sh on free ports in a temporary folder (0755:
    the postgres user reaches its cluster), escalation always open, WeChat and IVR configured,
    a lock lifetime of LOCK_LIFETIME_S."""
    from bench.scale import ScaleSet

    for tool in ("haproxy", "redis-server"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: `make haproxy-deps redis-deps` installs it")
    if not Path("/usr/lib/postgresql/15/bin/initdb").exists():
        pytest.fail("PostgreSQL 15 is missing: `make postgres-deps` installs it")
    scale = ScaleSet(SERVERS, env={**wechat.env(), "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_S)})
    try:  # down also when start-up fails or is interrupted (a timeout): nothing left running
        started = scale.script("up")
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        yield scale
    finally:
        scale.down()


def http_from(source: str, port: int, path: str) -> bytes:
    """``GET path`` to 127.0.0.1:port from the local address ``source`` (e.g. 127.0.0.2, which
    haproxy sees as another client): the raw response (b"" when the connection was refused)."""
    with socket.socket() as s:
        s.settimeout(30)
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def as_nobody(*command: str) -> subprocess.CompletedProcess:
    """Run ``command`` as the unprivileged user ``nobody`` (root only: runuser)."""
    return subprocess.run(["runuser", "-u", "nobody", "--", *command], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env={"PATH": os.environ["PATH"], "PGPASSFILE": "/dev/null"})


@pytest.fixture(scope="module")
def scaled(scale_set):
    return scale_set.env, scale_set.script


def test_scale_up_keeps_its_databases_secrets_and_rasa_api_to_itself(scale_set):
    """Issue 13's review of `make scale-up`: PostgreSQL refuses connections without the password
    and other local users' sockets; Redis listens on a 0600 unix socket only (another user
    cannot read the live chats' keys); no generated secret is on any process's command line or
    in the configuration files (0600) and logs (the access log has paths without ``?token=``);
    Rasa's HTTP API through haproxy answers 127.0.0.1 only; the sticky cookie does not name the
    servers; a second scale-up on the port in use fails before starting anything; started by
    root, Redis and haproxy (and the servers, when it can run the project's Python) run as ``qx``."""
    from sqlalchemy import create_engine, text

    env, scale_dir = scale_set.env, scale_set.scale_dir
    port, pg_port = int(env["SCALE_PORT"]), env["SCALE_PG_PORT"]
    secret_values = [env[name] for name in ("RASA_API_TOKEN", "REST_API_TOKEN", "ACTION_SERVER_TOKEN",
                                            "SCALE_PG_PASSWORD")]
    root = os.geteuid() == 0

    # PostgreSQL: the password works; without it, TCP is refused; another user cannot use the socket
    with create_engine(scale_set.database_url).connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    no_password = subprocess.run(["psql", "-h", "127.0.0.1", "-p", pg_port, "-U", "postgres", "qx", "-c", "SELECT 1"],
                                 capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                                 env={**os.environ, "PGPASSFILE": "/dev/null", "PGPASSWORD": ""})
    assert no_password.returncode != 0 and "password" in no_password.stderr, no_password.stderr
    pg_dir = scale_dir / "pg"
    assert oct(pg_dir.stat().st_mode & 0o777) == "0o700" and oct((pg_dir / "password").stat().st_mode & 0o777) == "0o600"
    if root:
        via_socket = as_nobody("psql", "-h", str(pg_dir), "-p", pg_port, "-U", "postgres", "qx", "-c", "SELECT 1")
        assert via_socket.returncode != 0 and "Permission denied" in via_socket.stderr, via_socket.stderr

    # Redis: a unix socket only, 0600: its owner reads it, nobody else can connect
    sock = scale_dir / "redis" / "redis.sock"
    assert oct(sock.stat().st_mode & 0o777) == "0o600"
    ours = subprocess.run(["redis-cli", "-s", str(sock), "ping"], capture_output=True, text=True, timeout=30)
    assert ours.stdout.strip() == "PONG"
    listens = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True, timeout=30).stdout
    assert f"pid={scale_set.pid('redis')}," not in listens, listens  # no TCP port
    if root:
        scan = as_nobody("redis-cli", "-s", str(sock), "--scan", "--pattern", "qx:*")
        assert scan.returncode != 0 and "Permission denied" in scan.stdout + scan.stderr, scan

    # Rasa's HTTP API: from 127.0.0.1 (with its token, sent as ?token= and kept out of the log)...
    base = f"http://127.0.0.1:{port}"
    status = requests.get(f"{base}/status", params={"token": env["RASA_API_TOKEN"]}, timeout=60)
    assert status.status_code == 200, status.text
    assert requests.get(f"{base}/version", params={"token": env["RASA_API_TOKEN"]}, timeout=60).status_code == 200
    assert requests.get(f"{base}/version", timeout=60).status_code == 401
    # ...but not from another address, however the path is written; other routes are served
    for path in ("/version", "/conversations/x/tracker", "/%63onversations/x/tracker", "//model", "/status"):
        answer = http_from("127.0.0.2", port, path)
        assert answer.startswith(b"HTTP/1.1 403"), (path, answer[:200])
    assert http_from("127.0.0.2", port, "/").startswith(b"HTTP/1.1 200")

    # the sticky cookie: an opaque value per server (the config's), not the server's name
    cookie = requests.get(f"{base}/", timeout=60).cookies.get("QXSERVER")
    assert cookie and "rasa" not in cookie and re.fullmatch(r"[0-9a-f]{16}", cookie), cookie

    # no secret on any command line (ps), in the configuration files (0600) or in the logs
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # exited meanwhile
        assert not [value for value in secret_values if value in line], (cmdline, line)
    for name in ("supervisord.conf", "haproxy.cfg"):
        conf = scale_dir / name
        assert oct(conf.stat().st_mode & 0o777) == "0o600", name
        assert not [value for value in secret_values if value in conf.read_text()], name
    access_log = (scale_dir / "log" / "haproxy.log").read_text()
    assert "GET /status HTTP/1.1" in access_log, access_log[-2000:]
    for log in (scale_dir / "log").iterdir():
        content = log.read_text(errors="replace")
        assert not [value for value in secret_values if value in content], log

    # started by root, Redis and haproxy run as the unprivileged user qx (SCALE_USER), and so do the
    # Rasa and action servers when qx can run the project's Python (not when it lives under /root)
    if root:
        import pwd

        qx = pwd.getpwnam("qx").pw_uid
        python = subprocess.run(["setpriv", "--reuid=qx", "--regid=qx", "--init-groups",
                                 str(PROJECT_ROOT / ".venv/bin/python"), "-c", ""], capture_output=True, timeout=60)
        servers = ["actions-1"] + [f"rasa-{i}" for i in range(1, SERVERS + 1)] if python.returncode == 0 else []
        for name in ["redis", "haproxy"] + servers:
            status = Path(f"/proc/{scale_set.pid(name)}/status").read_text()
            uids = re.search(r"^Uid:\s+(.*)$", status, re.M).group(1).split()
            assert set(map(int, uids)) == {qx}, (name, uids)

    # a second scale set on the same SCALE_PORT: refused before it starts anything
    other_dir = scale_set.folder / "second"
    second = subprocess.run(["bash", "scripts/scale.sh", "up"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120, env={**env, "SCALE_DIR": str(other_dir),
                                              "SCALE_ACTIONS_PORT": str(int(env["SCALE_ACTIONS_PORT"]) + 1)})
    assert second.returncode != 0
    assert f"port {port} (SCALE_PORT) is already in use" in second.stderr, second.stderr
    assert "Nothing was started" in second.stderr, second.stderr
    assert not (other_dir / "pg").exists() and list(other_dir.glob("*.pid")) == [] and not (other_dir / "redis").exists()


# Each test waits for a killed Rasa server to load its model again (about a minute on an idle
# machine, several on a busy one); the first also pays for starting the scale set.
@pytest.mark.timeout(1800)
def test_kill_9_the_busiest_rasa_server_while_every_channel_talks_and_agents_reply(scale_set, wechat):
    """bench/scale.py's kill test, shorter: web chat (the widget's protocol), REST, WeChat and
    IVR customers keep talking and agents reply on web chat, REST and WeChat; the Rasa server
    holding the most connections is killed with SIGKILL. Every customer message is processed
    once and answered, every agent reply reaches the web chat once (REST and WeChat: at most
    once), no conversation has two open tickets, and supervisord starts the server again."""
    from bench.scale import kill_test

    result = kill_test(scale_set, wechat, customers=2, before_s=8, after_s=LOCK_LIFETIME_S + 8)
    report = json.dumps(result, indent=1, ensure_ascii=False)
    print(report)  # the figures (stall, marked_down_after_s, retries) with -s
    for channel in ("webchat", "rest", "wechat", "ivr"):
        counts = result["customer_messages"][channel]
        assert counts["messages"] > 0, report
        assert counts["processed_twice_or_more"] == counts["not_processed"] == counts["unanswered"] == 0, report
    delivery = result["agent_replies"]
    assert delivery["webchat"]["replies"] > 0 and delivery["webchat"]["lost"] == 0, report
    assert all(d["delivered_twice_or_more"] == 0 for d in delivery.values()), report
    assert result["conversations_with_two_open_tickets"] == [], report
    assert result["correct"], report
    # haproxy stops sending requests to the dead server at once (observe layer4, on-error
    # mark-down; fall 3 × inter 2 s took 4-6 s, each request first refused by the dead server)
    assert result["marked_down_after_s"] is not None and result["marked_down_after_s"] <= 3.5, report
    assert result["restarted_after_s"] is not None, report  # supervisord started it again
    assert scale_set.pid(result["killed"]) != result["killed_pid"]  # its pid file names the new one
    ctl = [str(PROJECT_ROOT / ".venv/bin/supervisorctl"), "-c", str(scale_set.scale_dir / "supervisord.conf")]
    status = subprocess.run([*ctl, "status"], capture_output=True, text=True, timeout=60).stdout
    assert [line for line in status.splitlines() if line.split() and line.split()[1] != "RUNNING"] == [], status


def test_scale_up_serves_rest_and_web_chat_through_haproxy_and_scale_down_stops_everything(scaled):
    env, script = scaled
    base = f"http://localhost:{env['SCALE_PORT']}"
    scale_dir = Path(env["SCALE_DIR"])
    pid_files = sorted(scale_dir.glob("*.pid"))
    assert [p.name for p in pid_files] == ["actions-1.pid", "haproxy.pid", "rasa-1.pid", "rasa-2.pid", "redis.pid",
                                           "supervisord.pid"]
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
    # haproxy balances over both Rasa servers, and its cookie says which one answered (opaquely)
    cookies = re.findall(r"server rasa-\d+ \S+ check cookie (\S+)", (scale_dir / "haproxy.cfg").read_text())
    assert len(cookies) == SERVERS and requests.get(f"{base}/", timeout=10).cookies.get("QXSERVER") in cookies

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
                                              params={"conversation_id": conversation_of(session_id)})
            [ticket] = tickets.json()
            path = f"/tickets/{ticket['ticket_id']}"
            claimed = await asyncio.to_thread(agent_call, servers[0], "POST", f"{path}/claim")
            assert claimed.status_code == 200, claimed.text
            for i, server in enumerate(servers):
                mark, text = len(chat.events), f"Agent message {i} from server {i + 1}."
                sent = await asyncio.to_thread(agent_call, server, "POST", f"{path}/messages", json={"text": text})
                assert sent.json() == {"status": "sent"}, sent.text
                await chat.wait_for("bot_uttered", mark, where=lambda m: m.get("text") == text)
            # The same reply (same message_id) sent to both Rasa servers at once, as an agent's
            # retry that lands on the other server while the first call still runs: recorded and
            # delivered once (unique index on PostgreSQL), both calls answered with its id.
            mark, text, message_id = len(chat.events), "One reply, sent twice at once.", f"race-{secrets.token_hex(4)}"
            both = await asyncio.gather(*(asyncio.to_thread(agent_call, server, "POST", f"{path}/messages",
                                                            json={"text": text, "message_id": message_id})
                                          for server in servers))
            assert [r.status_code for r in both] == [200] * SERVERS, [r.text for r in both]
            assert sorted(bool(r.json().get("duplicate")) for r in both) == [False] + [True] * (SERVERS - 1)
            assert {r.json()["message_id"] for r in both} == {message_id}
            await chat.wait_for("bot_uttered", mark, where=lambda m: m.get("text") == text)
            again = await asyncio.to_thread(agent_call, servers[-1], "POST", f"{path}/messages",
                                            json={"text": "Another text", "message_id": message_id})
            assert again.status_code == 409 and "message_id" in again.json()["error"], again.text
            bad = await asyncio.to_thread(agent_call, servers[0], "POST", f"{path}/messages",
                                          json={"text": "x", "message_id": "no spaces or ünïcode"})
            assert bad.status_code == 400 and "message_id" in bad.json()["error"], bad.text
            await asyncio.sleep(2)  # anything doubled would have arrived by now
            agent_texts = [m["text"] for m in chat.of("bot_uttered") if m.get("from") == "agent"]
            assert agent_texts == [f"Agent message {i} from server {i + 1}." for i in range(SERVERS)] + [text]

    asyncio.run(web_chat())

    stopped = script("down")
    assert stopped.returncode == 0, stopped.stderr
    assert [pid for pid in pids if running(pid)] == []
    ports = [env["SCALE_PORT"], env["SCALE_ACTIONS_PORT"], env["SCALE_PG_PORT"]]
    ports += [int(env["SCALE_RASA_PORT0"]) + i for i in range(1, SERVERS + 1)]
    assert [p for p in ports if listening(int(p))] == []
    assert list(scale_dir.glob("*.pid")) == []
