"""Several Rasa servers behind haproxy (issue 13): throughput and a kill test, one run.

``make bench-scale`` (``python -m bench.scale``) starts ``scripts/scale.sh up`` — a private
PostgreSQL 15 cluster, Redis, one action server and N Rasa servers under one supervisord,
haproxy in front — on free ports, in a temporary folder, for N in ``--servers`` (1, 2, 4):

- **throughput**: ``--customers`` REST customers (4-turn conversations, each turn with a
  ``metadata.message_id``) for ``--seconds``, then as many socket.io customers (one WebSocket
  each through haproxy, Rasa's socket.io protocol, a new session every 8 messages: the web
  chat's per-session limit) for ``--seconds``: messages per second and p50/p95 turn time.
  Beside it the same load on a **plain Rasa server** (the same model and action server, Rasa's
  own ``rest`` and ``socketio`` channels and in-memory stores, no haproxy): what one server
  without shared state does on the same machine. Several servers on a machine with ``nproc``
  cores can at best use those cores; on 2 cores no scaling is expected.
- **kill test** (SERVERS=2): customers on every channel keep talking — web chat (WebSocket,
  the widget's protocol: ``message_id``, acknowledgement after the turn, the same message sent
  again after a reconnect), REST (a retry with the same ``message_id``), WeChat (signed,
  encrypted, through the local fake of its API; a retry with the same ``MsgId``) and IVR
  (signed call events, a retry with the same ``call_id``/``seq``) — and agents reply through
  the agent API to a handed-over conversation on web chat, REST and WeChat (each reply with a
  ``message_id``, sent again with it when a call got no answer); then ``kill -9``
  the Rasa server holding the most sockets (haproxy's ``scur``). Checked: every customer
  message processed exactly once (one user event per id in its tracker) and answered (at
  least one answer reached the client; answers received again are counted); every agent reply
  delivered exactly once on web chat (ids and acks) and at most once on REST and WeChat (no
  client acknowledgement: DESIGN.md §8); no conversation with two open tickets; the longest
  stall against the lock lifetime + 1 s (reported, not a pass condition: it is a time).

Results: ``bench/results/scale.json`` (and a summary on stdout). ``BENCH_SCALE_SECONDS``
(or ``--seconds``) sets each load phase's length; the default keeps the whole run to a few
minutes after the servers are up (starting 4 Rasa servers takes minutes on 2 busy cores).
``tests/integration/test_scale.py`` runs :func:`kill_test` (shorter) and asserts its checks.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import websockets

from tests.conftest import MODEL, PROJECT_ROOT
from bot.channels.webchat import public_id

RESULTS = PROJECT_ROOT / "bench" / "results" / "scale.json"
MESSAGES = [
    "What are your opening hours?",
    "Where is my order QX-100002?",
    "How do I return an item?",
    "我的订单 QX-100001 到哪了？",
    "你们支持哪些支付方式？",
    "Can I get an invoice?",
    "配送需要多久？",
    "Do you ship abroad?",
]
IVR_LINES = ["what are your opening hours", "how do I return an item", "where is my order QX-100002"]
IVR_SECRET = "bench-ivr-secret-0123456789"
PLAIN_CREDENTIALS = """rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: false
"""
PLAIN_ENDPOINTS = """action_endpoint:
  url: http://${ACTIONS_HOST}:${ACTIONS_PORT}/webhook
  headers:
    Authorization: Bearer ${ACTION_SERVER_TOKEN}
"""
OPEN_STATES = ("queued", "with_agent", "callback")


# --- helpers --------------------------------------------------------------------------------

def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    """The process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def summary(seconds: List[float], elapsed: Optional[float] = None) -> dict:
    """n, p50/p95/max in ms (and messages per second over ``elapsed`` seconds)."""
    if not seconds:
        return {"n": 0}
    ms = sorted(s * 1000 for s in seconds)
    out = {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
           "p95_ms": round(ms[max(0, int(round(len(ms) * 0.95)) - 1)], 1), "max_ms": round(ms[-1], 1)}
    if elapsed:
        out["messages_per_s"] = round(len(ms) / elapsed, 2)
    return out


def load_average() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 2)


# --- the servers ------------------------------------------------------------------------------

class ScaleSet:
    """``scripts/scale.sh up``/``down`` on free ports in a temporary folder.

    Args:
        servers: Rasa servers. actions: action servers. env: extra environment (e.g.
            ``TICKET_LOCK_LIFETIME``, WeChat settings).
    """

    def __init__(self, servers: int, actions: int = 1, env: Optional[dict] = None) -> None:
        self.servers, self.actions = servers, actions
        self.folder = Path(tempfile.mkdtemp(prefix="qx-bench-scale-"))
        self.folder.chmod(0o755)  # the postgres user reaches its cluster (run as root)
        escalation = (PROJECT_ROOT / "escalation.yml").read_text().replace("always_open: false", "always_open: true")
        (self.folder / "escalation.yml").write_text(escalation)  # agents on duty whatever the hour
        self.env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        self.env.update({
            "PYTHONPATH": str(PROJECT_ROOT), "MODEL": str(MODEL), "SCALE_DIR": str(self.folder / "scale"),
            "SERVERS": str(servers), "ACTIONS": str(actions),
            "SCALE_PORT": str(free_port()), "SCALE_ACTIONS_PORT": str(free_port()),
            "SCALE_RASA_PORT0": str(free_range(servers)), "SCALE_ACTIONS_PORT0": str(free_range(actions)),
            "SCALE_PG_PORT": str(free_port()), "SCALE_PG_PASSWORD": secrets.token_urlsafe(24),
            "RASA_API_TOKEN": secrets.token_urlsafe(24), "REST_API_TOKEN": secrets.token_urlsafe(24),
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24), "AGENT_DEMO_PASSWORD": secrets.token_urlsafe(12),
            "ESCALATION_CONFIG": str(self.folder / "escalation.yml"), "IVR_SECRET": IVR_SECRET,
            "RATE_LIMIT_ADDRESS_PER_MIN": "1000000", "RATE_LIMIT_SENDER_PER_MIN": "1000000",
            "RATE_LIMIT_SESSIONS_PER_MIN": "1000000", "RASA_TELEMETRY_ENABLED": "false",
        })
        self.env.update(env or {})
        self.scale_dir = Path(self.env["SCALE_DIR"])
        self.base = f"http://127.0.0.1:{self.env['SCALE_PORT']}"
        self.database_url = (f"postgresql+psycopg2://postgres:{self.env['SCALE_PG_PASSWORD']}"
                             f"@127.0.0.1:{self.env['SCALE_PG_PORT']}/qx")  # token_urlsafe: nothing to quote

    def script(self, command: str) -> subprocess.CompletedProcess:
        """Run ``scripts/scale.sh <command>`` (nice'd as the caller is)."""
        return subprocess.run(["bash", "scripts/scale.sh", command], cwd=PROJECT_ROOT, env=self.env,
                              capture_output=True, text=True, timeout=1800)

    def up(self) -> "ScaleSet":
        started = self.script("up")
        if started.returncode != 0:
            self.down()
            raise RuntimeError(f"scale.sh up failed:\n{started.stdout[-3000:]}\n{started.stderr[-3000:]}")
        return self

    def down(self) -> None:
        self.script("down")
        shutil.rmtree(self.folder, ignore_errors=True)

    def rasa_url(self, i: int) -> str:
        """Rasa server ``i`` (1-based), directly."""
        return f"http://127.0.0.1:{int(self.env['SCALE_RASA_PORT0']) + i}"

    def pid(self, name: str) -> int:
        """The pid in ``<name>.pid`` (``rasa-1``, ``supervisord``, …)."""
        return int((self.scale_dir / f"{name}.pid").read_text().strip())

    def connections(self) -> Dict[str, int]:
        """haproxy's current connections (``scur``) per Rasa server: ``{"rasa-1": n, …}``."""
        return {name: int(row.get("scur") or 0) for name, row in self._rasa_stats().items()}

    def states(self) -> Dict[str, str]:
        """haproxy's view of each Rasa server (``status``: ``UP``, ``DOWN``, ``UP 1/3``, …)."""
        return {name: row.get("status", "") for name, row in self._rasa_stats().items()}

    def _rasa_stats(self) -> Dict[str, Dict[str, str]]:
        """``show stat`` on haproxy's stats socket: the rows of the Rasa servers by name."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(str(self.scale_dir / "haproxy.sock"))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        lines = data.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        out = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(",")))
            if row.get("pxname") == "rasa" and row.get("svname", "").startswith("rasa-"):
                out[row["svname"]] = row
        return out

    def warm_up(self) -> None:
        """One REST conversation of every benchmark message on each Rasa server directly (the
        first Chinese message loads jieba, the first message the encoder)."""
        headers = {"Authorization": f"Bearer {self.env['REST_API_TOKEN']}"}
        for i in range(1, self.servers + 1):
            sender = f"warm-{i}-{secrets.token_hex(4)}"
            for text in MESSAGES:
                requests.post(f"{self.rasa_url(i)}/webhooks/rest/webhook", headers=headers, timeout=300,
                              json={"sender": sender, "message": text}).raise_for_status()


class PlainRasa:
    """The same model and action server behind Rasa's own ``rest`` and ``socketio`` channels
    and in-memory stores: one server, no haproxy (tests.integration.conftest.Servers)."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="qx-bench-plain-"))
        self.servers: Any = None

    def up(self) -> "PlainRasa":
        from bot.storage.schema import upgrade
        from bot.storage.seed import seed_demo_orders
        from bot.storage.uow import SqlAlchemyUnitOfWork, engine_for
        from tests.integration import conftest
        from tests.integration.conftest import Servers

        conftest.wait_for.__defaults__ = (900.0,)  # loading a model takes minutes on busy cores
        url = f"sqlite:///{self.tmp / 'bot.db'}"
        upgrade(url)
        seed_demo_orders(SqlAlchemyUnitOfWork(engine_for(url)))
        (self.tmp / "credentials.yml").write_text(PLAIN_CREDENTIALS)
        (self.tmp / "endpoints.yml").write_text(PLAIN_ENDPOINTS)
        self.servers = Servers(self.tmp, url)
        self.servers.credentials = str(self.tmp / "credentials.yml")
        self.servers.endpoints = str(self.tmp / "endpoints.yml")
        self.servers.start()
        return self

    def down(self) -> None:
        if self.servers:
            self.servers.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- throughput -------------------------------------------------------------------------------

def rest_load(base: str, token: str, customers: int, seconds: float) -> dict:
    """``customers`` threads of 4-turn REST conversations for ``seconds``; summary of turn times."""
    latencies: List[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def customer(n: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        while time.monotonic() < deadline:
            sender = f"load-{n}-{secrets.token_hex(4)}"
            for turn in range(4):
                if time.monotonic() >= deadline:
                    return
                started = time.perf_counter()
                try:
                    reply = session.post(f"{base}/webhooks/rest/webhook", timeout=300, json={
                        "sender": sender, "message": MESSAGES[(n + turn) % len(MESSAGES)],
                        "metadata": {"message_id": f"m{turn}"}})
                    ok = reply.status_code == 200 and reply.json()
                except requests.RequestException:
                    ok = False
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - started)
                    else:
                        errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=customer, args=(n,)) for n in range(customers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**summary(latencies, time.perf_counter() - started), "errors": errors[0]}


async def socket_load(base: str, customers: int, seconds: float) -> dict:
    """``customers`` WebSocket clients (Rasa's socket.io protocol, bench/webchat.py's client) for
    ``seconds``; a turn ends with its last reply (how many each message gets: ``preflight``)."""
    from bench.webchat import EioClient

    counts = await replies_per_message(base)
    latencies: List[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def customer(n: int) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            try:
                async with EioClient(base) as client:
                    session_id = await client.start()
                    for turn in range(8):  # the web chat's limit: 10 messages per session in 20 s
                        if time.monotonic() >= deadline:
                            return
                        text = MESSAGES[(n + turn) % len(MESSAGES)]
                        latencies.append(await client.turn(text, session_id, counts[text]))
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException, RuntimeError):
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(customer(n) for n in range(customers)))
    return {**summary(latencies, time.perf_counter() - started), "errors": errors}


async def replies_per_message(base: str) -> Dict[str, int]:
    """How many ``bot_uttered`` each benchmark message gets (bench/webchat.py's preflight)."""
    from bench.webchat import preflight

    original = sys.modules["bench.webchat"].MESSAGES
    sys.modules["bench.webchat"].MESSAGES = MESSAGES
    try:
        return await preflight(base)
    finally:
        sys.modules["bench.webchat"].MESSAGES = original


def throughput(base: str, token: str, customers: int, seconds: float) -> dict:
    """REST then socket.io load on ``base``."""
    return {"rest": rest_load(base, token, customers, seconds),
            "socketio": asyncio.run(socket_load(base, customers, seconds))}


# --- the kill test ---------------------------------------------------------------------------

@dataclass
class Sent:
    """One customer message: when first sent, when first answered, answers received."""
    channel: str
    conversation: str
    message_id: str
    text: str
    first_sent: float
    answered: Optional[float] = None
    answers: int = 0
    attempts: int = 1
    to_agent: bool = False  # said while with an agent: goes to the ticket, the bot does not answer


@dataclass
class Run:
    """Everything the customers and agents of one kill test did."""
    base: str
    env: dict
    stop_at: float = 0.0
    sent: List[Sent] = field(default_factory=list)
    agent_replies: Dict[str, List[str]] = field(default_factory=dict)  # channel -> texts recorded
    agent_duplicates: Dict[str, int] = field(default_factory=dict)  # channel -> retries answered "duplicate"
    received: Dict[str, List[str]] = field(default_factory=dict)  # channel -> agent texts the customer got
    reconnects: int = 0
    errors: List[str] = field(default_factory=list)

    def stopping(self) -> bool:
        return time.monotonic() >= self.stop_at


class WidgetClient:
    """widget.js's socket transport: one WebSocket through haproxy, ``session_request`` with the
    ``qx-webchat/1`` protocol, ``user_uttered`` with a ``message_id`` and an ack id; a message not
    acknowledged is sent again (same id) once the next connection's ``history`` arrived;
    reconnects after min(5, 0.5·2^n) s as the widget does. ``view`` is what the tab shows
    (the last ``history``, then live messages)."""

    def __init__(self, run: Run, name: str, language: str = "en") -> None:
        self.run, self.name, self.language = run, name, language
        self.url = run.base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.session_id: Optional[str] = None
        self.view: List[dict] = []
        self.status: dict = {}
        self.inflight: Optional[Sent] = None
        self.expecting = False
        self.acked = asyncio.Event()
        self.ready = asyncio.Event()
        self.ws: Any = None
        self.ack_seq = 0
        self.acks: Dict[str, Sent] = {}
        self.task: Optional[asyncio.Task] = None
        self.closed = False

    async def start(self) -> None:
        self.task = asyncio.create_task(self._connections())
        await asyncio.wait_for(self.ready.wait(), 300)

    async def close(self) -> None:
        self.closed = True
        if self.ws is not None:
            await self.ws.close()
        if self.task:
            self.task.cancel()

    async def _connections(self) -> None:
        retries = 0
        while not self.closed:
            try:
                async with websockets.connect(self.url, max_size=None, open_timeout=30) as ws:
                    self.ws = ws
                    retries = 0
                    await self._session(ws)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
                pass
            self.ws = None
            self.ready.clear()
            if self.closed:
                return
            self.run.reconnects += 1
            retries += 1
            await asyncio.sleep(min(5.0, 0.5 * 2 ** retries))

    async def _session(self, ws: Any) -> None:
        async for packet in ws:
            if packet.startswith("0"):
                await ws.send("40")
            elif packet == "2":
                await ws.send("3")
            elif packet.startswith("40"):
                await self._emit("session_request", {"session_id": self.session_id, "protocol": "qx-webchat/1",
                                                     "language": self.language})
            elif packet.startswith("42"):
                body, ack = packet[2:], ""
                while body and body[0].isdigit():
                    ack, body = ack + body[0], body[1:]
                name, *args = json.loads(body)
                await self._event(name, args[0] if args else None)
                if ack:
                    await ws.send(f"43{ack}[]")
            elif packet.startswith("43"):
                body, ack = packet[2:], ""
                while body and body[0].isdigit():
                    ack, body = ack + body[0], body[1:]
                sent = self.acks.pop(ack, None)
                if sent is not None and sent is self.inflight:
                    self.inflight = None
                    self.acked.set()

    async def _emit(self, name: str, data: Any, ack: bool = False) -> None:
        if ack:
            self.ack_seq += 1
            self.acks[str(self.ack_seq)] = self.inflight
            await self.ws.send(f"42{self.ack_seq}" + json.dumps([name, data]))
        else:
            await self.ws.send("42" + json.dumps([name, data]))

    async def _event(self, name: str, data: Any) -> None:
        if name == "session_confirm":
            self.session_id = data if isinstance(data, str) else data["session_id"]
        elif name == "history":
            self.view = list(data or [])
            self.acks = {}
            self.ready.set()
            if self.inflight is not None:  # not acknowledged: sent again, same id
                self.inflight.attempts += 1
                self.expecting = True
                await self._utter(self.inflight)
        elif name == "status":
            self.status = data or {}
        elif name == "bot_uttered":
            message = data or {}
            self.view.append(message)
            if message.get("from") == "agent":
                self.run.received.setdefault("webchat", []).append(message.get("text", ""))
            elif self.inflight is not None and self.expecting:
                self.expecting = False
                self.inflight.answers += 1
                if self.inflight.answered is None:
                    self.inflight.answered = time.monotonic()
        elif name == "chat_error":
            self.run.errors.append(f"webchat {self.name}: {data}")
            if (data or {}).get("code") == "rate_limited" and self.inflight is not None:
                # refused, not processed: the customer sends it again (same id) a little later
                asyncio.create_task(self._again(self.inflight, 2.5))

    async def _again(self, sent: Sent, after_s: float) -> None:
        await asyncio.sleep(after_s)
        if sent is self.inflight and self.ws is not None:
            sent.attempts += 1
            try:
                await self._utter(sent)
            except (OSError, websockets.WebSocketException):
                pass  # sent again after the reconnect

    async def _utter(self, sent: Sent) -> None:
        await self._emit("user_uttered", {"message": sent.text, "session_id": self.session_id,
                                          "message_id": sent.message_id}, ack=True)

    async def say(self, text: str, to_agent: bool = False) -> Sent:
        """Send ``text`` (new id) and wait for its acknowledgement, across reconnects."""
        await asyncio.wait_for(self.ready.wait(), 600)
        sent = Sent("webchat", public_id(self.session_id), f"w-{secrets.token_hex(6)}", text, time.monotonic(),
                    to_agent=to_agent)
        self.run.sent.append(sent)
        self.inflight, self.expecting = sent, not to_agent
        self.acked.clear()
        try:
            await self._utter(sent)
        except (OSError, AttributeError, websockets.WebSocketException):
            pass  # the connection is down: sent again once the next one's history arrived
        await asyncio.wait_for(self.acked.wait(), 600)
        return sent


async def http(session: Any, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
    """(status, JSON or text) of one request; (0, error) when it did not complete."""
    import aiohttp

    try:
        async with session.request(method, url, timeout=aiohttp.ClientTimeout(total=kwargs.pop("timeout", 120)),
                                   **kwargs) as reply:
            text = await reply.text()
            try:
                return reply.status, json.loads(text)
            except ValueError:
                return reply.status, text
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return 0, repr(error)


async def rest_customer(run: Run, session: Any, n: int, think_s: float) -> None:
    """A REST integration: each turn with a message_id, sent again until answered."""
    headers = {"Authorization": f"Bearer {run.env['REST_API_TOKEN']}"}
    sender = f"kill-rest-{n}-{secrets.token_hex(3)}"
    turn = 0
    while not run.stopping():
        text = MESSAGES[(n + turn) % len(MESSAGES)]
        sent = Sent("rest", sender, f"r-{turn}", text, time.monotonic())
        run.sent.append(sent)
        turn += 1
        while True:
            status, body = await http(session, "POST", f"{run.base}/webhooks/rest/webhook", headers=headers,
                                      json={"sender": sender, "message": text,
                                            "metadata": {"message_id": sent.message_id}})
            if status == 200 and isinstance(body, list) and body:
                sent.answers += 1
                sent.answered = time.monotonic()
                break
            sent.attempts += 1
            await asyncio.sleep(0.5)
        await asyncio.sleep(think_s)


async def webchat_customer(run: Run, n: int, think_s: float) -> None:
    client = WidgetClient(run, f"bot-{n}", language="zh" if n % 2 else "en")
    await client.start()
    try:
        turn = 0
        while not run.stopping():
            await client.say(MESSAGES[(n + turn) % len(MESSAGES)])
            turn += 1
            await asyncio.sleep(think_s)
    finally:
        await client.close()


class WeChat:
    """Signed, encrypted WeChat messages (tests/channels/wechat_fake.py) through haproxy, and
    the local fake of WeChat's API that records customer-service messages."""

    def __init__(self) -> None:
        from tests.channels.wechat_fake import BackgroundLoop, FakeWeChatApi

        self.loop = BackgroundLoop()
        self.fake = self.loop.run(FakeWeChatApi().start())

    def env(self) -> dict:
        from tests.channels.wechat_fake import AES_KEY, APP_ID, APP_SECRET, TOKEN

        return {"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
                "WECHAT_AES_KEY": AES_KEY, "WECHAT_MODE": "safe", "WECHAT_API_BASE": self.fake.base_url}

    def stop(self) -> None:
        self.loop.run(self.fake.stop())
        self.loop.stop()

    def messages_to(self, openid: str) -> List[str]:
        return list(self.fake.messages_to(openid))


async def wechat_post(run: Run, session: Any, openid: str, text: str, msg_id: int) -> tuple[int, Optional[str]]:
    """POST one message as WeChat does (5 s deadline); (status, passive reply content)."""
    from tests.channels.wechat_fake import WECHAT_DEADLINE_S, WeChatClient, text_xml

    client = WeChatClient(f"{run.base}/webhooks/wechat/webhook", mode="safe")
    params, body = client.signed_params(text_xml(openid, text, msg_id=msg_id))
    status, reply = await http(session, "POST", client.url, params=params, data=body,
                               headers={"Content-Type": "text/xml"}, timeout=WECHAT_DEADLINE_S)

    class Shim:  # what WeChatClient._open reads
        status_code = status
        text = reply if isinstance(reply, str) else ""

    if status != 200:
        return status, None
    fields = client._open(Shim())
    return status, (fields or {}).get("Content")


async def wechat_customer(run: Run, session: Any, wechat: WeChat, n: int, think_s: float) -> None:
    """A WeChat user: a retry (same MsgId) when no 200 came in 5 s, as WeChat's servers do; the
    answer is the passive reply or a customer-service message."""
    from tests.channels.wechat_fake import next_msg_id

    openid = "o" + secrets.token_hex(13)
    turn, counted, previous = 0, 0, None  # customer-service messages counted as answers so far

    def count_late() -> None:  # arrived since: answers (again) to the message before
        nonlocal counted
        now = len(wechat.messages_to(openid))
        if previous is not None and now > counted:
            previous.answers += now - counted
        counted = max(counted, now)

    while not run.stopping():
        count_late()
        text = MESSAGES[(n + turn) % len(MESSAGES)]
        msg_id = next_msg_id()
        sent = Sent("wechat", openid, str(msg_id), text, time.monotonic())
        run.sent.append(sent)
        turn += 1
        while True:
            status, content = await wechat_post(run, session, openid, text, msg_id)
            if content:
                sent.answers += 1
            if status == 200:
                break
            sent.attempts += 1
            await asyncio.sleep(0.5)
        deadline = time.monotonic() + 600
        while not sent.answers and len(wechat.messages_to(openid)) == counted and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        previous = sent
        count_late()
        sent.answered = time.monotonic() if sent.answers else None
        await asyncio.sleep(think_s)
    await asyncio.sleep(2)  # late customer-service messages
    count_late()


async def ivr_caller(run: Run, session: Any, n: int, think_s: float) -> None:
    """A phone call through the IVR bridge: signed events, a retry with the same seq."""
    from connectors.ivr.signature import sign

    call_id, seq = f"kill-{n}-{secrets.token_hex(4)}", 0

    async def event(kind: str, **fields: Any) -> tuple[Optional[Sent], list]:
        nonlocal seq
        body = json.dumps({"call_id": call_id, "seq": seq, "event": kind, "caller": "+8613800138000",
                           "lang": "en-US", **fields}).encode()
        sent = None
        if kind == "speech":
            sent = Sent("ivr", f"ivr-{call_id}", f"ivr:{call_id}:{seq}", fields["text"], time.monotonic())
            run.sent.append(sent)
        while True:
            stamp = str(int(time.time()))
            status, reply = await http(session, "POST", f"{run.base}/webhooks/ivr/webhook", data=body, headers={
                "Content-Type": "application/json", "X-IVR-Timestamp": stamp,
                "X-IVR-Signature": sign(IVR_SECRET, stamp, body)})
            if status == 200 and isinstance(reply, dict):
                break
            if sent:
                sent.attempts += 1
            await asyncio.sleep(0.5)
        seq += 1
        if sent and reply.get("actions"):
            sent.answers += 1
            sent.answered = time.monotonic()
        return sent, reply.get("actions") or []

    await event("start")
    turn = 0
    while not run.stopping():
        _, actions = await event("speech", text=IVR_LINES[(n + turn) % len(IVR_LINES)], confidence=0.95)
        turn += 1
        if any(a.get("action") in ("hangup", "transfer") for a in actions):
            call_id, seq = f"kill-{n}-{secrets.token_hex(4)}", 0  # a new call
            await event("start")
        await asyncio.sleep(think_s)


async def agent_login(run: Run, session: Any) -> dict:
    status, body = await http(session, "POST", f"{run.base}/agent/api/login",
                              json={"username": "demo", "password": run.env["AGENT_DEMO_PASSWORD"]})
    if status != 200:
        raise RuntimeError(f"agent login failed: {status} {body}")
    return {"Authorization": f"Bearer {body['token']}"}


async def claim(run: Run, session: Any, headers: dict, conversation: str) -> str:
    """The conversation's open ticket, claimed by the demo agent."""
    for _ in range(600):
        status, tickets = await http(session, "GET", f"{run.base}/agent/api/tickets", headers=headers,
                                     params={"conversation_id": conversation})
        waiting = [t for t in tickets if t.get("state") in ("queued", "callback")] if status == 200 else []
        if waiting:
            ticket = waiting[-1]["ticket_id"]
            status, body = await http(session, "POST", f"{run.base}/agent/api/tickets/{ticket}/claim",
                                      headers=headers)
            if status == 200:
                return ticket
        await asyncio.sleep(0.5)
    raise RuntimeError(f"no ticket to claim for {conversation}")


async def agent(run: Run, session: Any, channel: str, ticket: str, headers: dict, every_s: float) -> None:
    """Replies every ``every_s`` through the agent API, each reply with its own ``message_id``.
    A call that got no answer (the server died, haproxy's 502/503/504) is sent again with the same
    id after 0.5 s until answered: the API records and delivers a reply once per id (DESIGN.md
    §8), so the exactly-once checks below hold however many of the sends arrived. Answers that
    said ``duplicate`` are counted (``run.agent_duplicates``)."""
    n = 0
    replies = run.agent_replies.setdefault(channel, [])
    while not run.stopping():
        text = f"Agent reply {channel}-{n} {secrets.token_hex(2)}"
        message_id = f"bench-{channel}-{n}-{secrets.token_hex(4)}"
        n += 1
        while True:
            status, body = await http(session, "POST", f"{run.base}/agent/api/tickets/{ticket}/messages",
                                      headers=headers, json={"text": text, "message_id": message_id})
            if status == 200:
                replies.append(text)
                if isinstance(body, dict) and body.get("duplicate"):
                    run.agent_duplicates[channel] = run.agent_duplicates.get(channel, 0) + 1
                break
            if 400 <= status < 500:  # refused: not sent, and sending again would not help
                run.errors.append(f"agent reply on {channel} refused: {status} {body}")
                break
            await asyncio.sleep(0.5)  # no answer: the same reply again, same id
        await asyncio.sleep(every_s)


async def handed_over(run: Run, session: Any, wechat: WeChat, headers: dict, every_s: float) -> tuple:
    """A conversation with an agent on web chat, REST and WeChat; the tasks that keep the agents
    replying and the customers talking, and the web chat client."""
    tasks = []
    ask = "I want to talk to a human"
    # web chat
    client = WidgetClient(run, "agent-side")
    await client.start()
    await client.say(ask)
    ticket = await claim(run, session, headers, public_id(client.session_id))  # the desk's conversation id
    tasks.append(agent(run, session, "webchat", ticket, headers, every_s))

    async def webchat_talks() -> None:
        turn = 0
        while not run.stopping():
            await asyncio.sleep(every_s * 1.5)
            await client.say(f"webchat customer line {turn}", to_agent=True)
            turn += 1
    tasks.append(webchat_talks())

    # REST: agent replies wait in the outbox; the integration polls it
    rest_headers = {"Authorization": f"Bearer {run.env['REST_API_TOKEN']}"}
    sender = f"kill-rest-agent-{secrets.token_hex(3)}"
    status, body = await http(session, "POST", f"{run.base}/webhooks/rest/webhook", headers=rest_headers,
                              json={"sender": sender, "message": ask, "metadata": {"message_id": "ask"}})
    ticket = await claim(run, session, headers, sender)
    tasks.append(agent(run, session, "rest", ticket, headers, every_s))

    async def rest_polls() -> None:
        got = run.received.setdefault("rest", [])
        while not run.stopping() or time.monotonic() < run.stop_at + 5:
            status, body = await http(session, "GET", f"{run.base}/webhooks/rest/outbox/{sender}", headers=rest_headers)
            if status == 200 and isinstance(body, list):
                got.extend(m.get("text", "") for m in body)
            await asyncio.sleep(1.0)
    tasks.append(rest_polls())

    # WeChat: agent replies through the customer-service API (the fake records them)
    from tests.channels.wechat_fake import next_msg_id

    openid = "o" + secrets.token_hex(13)
    await wechat_post(run, session, openid, ask, next_msg_id())
    ticket = await claim(run, session, headers, openid)
    tasks.append(agent(run, session, "wechat", ticket, headers, every_s))
    return tasks, client, openid


async def kill_run(run: Run, scale: Any, wechat: WeChat, customers: int, before_s: float, after_s: float,
                   think_s: float, agent_every_s: float) -> dict:
    """Customers and agents talk for ``before_s``, the Rasa server with the most connections is
    killed (SIGKILL), they go on for ``after_s``; then everything in flight is finished."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        headers = await agent_login(run, session)
        run.stop_at = time.monotonic() + 3600
        agent_tasks, agent_client, wechat_openid = await handed_over(run, session, wechat, headers, agent_every_s)
        work = [asyncio.create_task(t) for t in agent_tasks]
        for n in range(customers):
            work.append(asyncio.create_task(webchat_customer(run, n, think_s)))
        for n in range(max(1, customers // 2)):
            work.append(asyncio.create_task(rest_customer(run, session, n, think_s)))
            work.append(asyncio.create_task(wechat_customer(run, session, wechat, n, think_s)))
            work.append(asyncio.create_task(ivr_caller(run, session, n, think_s)))
        started = time.monotonic()
        await asyncio.sleep(before_s)
        connections = scale.connections()
        victim = max(sorted(connections), key=lambda name: connections[name])
        pid = scale.pid(victim)
        os.kill(pid, 9)
        killed_at = time.monotonic()
        run.stop_at = killed_at + after_s
        marked_down = asyncio.create_task(seconds_until_down(scale, victim, killed_at))
        done, pending = await asyncio.wait(work, timeout=after_s + 300)  # a message still unanswered then: a finding
        for task in pending:
            task.cancel()
        problems = [repr(t.exception()) for t in done if not t.cancelled() and t.exception()]
        down_after = await marked_down
        await asyncio.sleep(3)  # late pushes
        await agent_client.close()
        run.received["wechat"] = [t for t in wechat.messages_to(wechat_openid)
                                  if t in run.agent_replies.get("wechat", [])]
        run.received["webchat"] = [m.get("text", "") for m in agent_client.view if m.get("from") == "agent"]
        back = None
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            try:
                new_pid = scale.pid(victim)
                if new_pid != pid and running(new_pid) and requests.get(
                        scale.rasa_url(int(victim.split("-")[1])) + "/", timeout=5).ok:
                    back = time.monotonic() - killed_at
                    break
            except (OSError, ValueError, requests.RequestException):
                pass
            await asyncio.sleep(1)
        return {"killed": victim, "connections_at_kill": connections, "killed_pid": pid,
                "seconds_before_kill": round(killed_at - started, 1), "restarted_after_s": back and round(back, 1),
                # how long haproxy still sent requests to the dead server (each then cost a refused
                # connection and a retry on another server): part of the stall budget (README)
                "marked_down_after_s": down_after,
                "killed_at": killed_at, "task_errors": problems}


async def seconds_until_down(scale: Any, victim: str, killed_at: float, limit_s: float = 60) -> Optional[float]:
    """Seconds from the kill until haproxy marked ``victim`` DOWN (polled every 0.1 s); None
    when it did not within ``limit_s``."""
    while time.monotonic() - killed_at < limit_s:
        try:
            if scale.states().get(victim, "").startswith("DOWN"):
                return round(time.monotonic() - killed_at, 2)
        except OSError:
            pass
        await asyncio.sleep(0.1)
    return None


def tracker_ids(base: str, token: str, conversation: str) -> Dict[str, int]:
    """How many user events carry each message id in the conversation's tracker (WeChat: its
    MsgId, IVR: ``ivr:<call_id>:<seq>``)."""
    reply = requests.get(f"{base}/conversations/{conversation}/tracker", timeout=120,
                         params={"token": token, "include_events": "ALL"})
    reply.raise_for_status()
    counts: Dict[str, int] = {}
    for event in reply.json().get("events", []):
        if event.get("event") != "user":
            continue
        metadata = event.get("metadata") or {}
        ivr = metadata.get("ivr") or {}
        # WeChat turns also carry message_id ``wechat:msg:<openid>:<MsgId>``: count them by MsgId.
        key = (str((metadata.get("wechat") or {}).get("msg_id") or "") or metadata.get("message_id")
               or (f"ivr:{ivr['call_id']}:{ivr['seq']}" if "call_id" in ivr else ""))
        if key:
            counts[key] = counts.get(key, 0) + 1
    return counts


def open_ticket_doubles(database_url: str) -> List[tuple]:
    """Conversations with more than one open ticket: ``[(conversation_id, count)]``."""
    from sqlalchemy import bindparam, create_engine, text

    query = text("SELECT conversation_id, count(*) FROM tickets WHERE state IN :states "
                 "GROUP BY conversation_id HAVING count(*) > 1").bindparams(bindparam("states", expanding=True))
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(query, {"states": list(OPEN_STATES)})]
    finally:
        engine.dispose()


def check(run: Run, kill: dict, database_url: str, lock_lifetime: float) -> dict:
    """The kill test's findings (see the module docstring); ``ok`` when every correctness check held."""
    token = run.env["RASA_API_TOKEN"]
    by_conversation: Dict[str, List[Sent]] = {}
    for sent in run.sent:
        by_conversation.setdefault(sent.conversation, []).append(sent)
    processed: Dict[str, int] = {}
    for conversation, items in by_conversation.items():
        counts = tracker_ids(run.base, token, conversation)
        for sent in items:
            processed[f"{conversation}/{sent.message_id}"] = counts.get(sent.message_id, 0)
    channels: Dict[str, dict] = {}
    for sent in run.sent:
        c = channels.setdefault(sent.channel, {"messages": 0, "processed_once": 0, "processed_twice_or_more": 0,
                                               "not_processed": 0, "answered": 0, "unanswered": 0,
                                               "answers_received_again": 0, "sent_again": 0, "to_agent": 0})
        c["messages"] += 1
        times = processed[f"{sent.conversation}/{sent.message_id}"]
        c["processed_once" if times == 1 else "not_processed" if times == 0 else "processed_twice_or_more"] += 1
        c["sent_again"] += sent.attempts > 1
        if sent.to_agent:
            c["to_agent"] += 1
            continue
        c["answered" if sent.answers else "unanswered"] += 1
        c["answers_received_again"] += max(0, sent.answers - 1)
    stalls = [s.answered - s.first_sent for s in run.sent if s.answered and not s.to_agent]
    around = [s.answered - s.first_sent for s in run.sent
              if s.answered and not s.to_agent and s.first_sent <= kill["killed_at"] + lock_lifetime]
    delivery = {}
    for channel, guarantee in (("webchat", "exactly once"), ("rest", "at most once"), ("wechat", "at most once")):
        sent = run.agent_replies.get(channel, [])
        got = run.received.get(channel, [])
        counts = {text: got.count(text) for text in sent}
        delivery[channel] = {"guarantee": guarantee, "replies": len(sent),
                             "delivered_once": sum(1 for n in counts.values() if n == 1),
                             "lost": sum(1 for n in counts.values() if n == 0),
                             "delivered_twice_or_more": sum(1 for n in counts.values() if n > 1),
                             "sent_again_answered_duplicate": run.agent_duplicates.get(channel, 0)}
    doubles = open_ticket_doubles(database_url)
    longest = max(stalls) if stalls else 0.0
    before = [s.answered - s.first_sent for s in run.sent
              if s.answered and not s.to_agent and s.answered < kill["killed_at"]]
    normal = summary(before).get("p95_ms", 0) / 1000
    waits = sorted((s for s in run.sent if s.answered and not s.to_agent),
                   key=lambda s: s.answered - s.first_sent, reverse=True)[:5]
    ok = (all(c["processed_twice_or_more"] == 0 and c["not_processed"] == 0 and c["unanswered"] == 0
              for c in channels.values())
          and all(d["delivered_twice_or_more"] == 0 for d in delivery.values())
          and delivery["webchat"]["lost"] == 0 and not doubles)
    return {
        "customer_messages": channels, "agent_replies": delivery,
        "conversations_with_two_open_tickets": doubles,
        "longest_stall_s": round(longest, 2),
        "longest_stall_of_messages_sent_up_to_a_lock_lifetime_after_the_kill_s": round(max(around), 2) if around else None,
        "lock_lifetime_s": lock_lifetime,
        "turn_time_before_kill": summary(before),
        # the longest wait less a slow normal turn (p95 before the kill): the time lost to the kill
        "longest_stall_beyond_p95_turn_s": round(longest - normal, 2),
        "stall_within_lock_lifetime_plus_1s": longest - normal <= lock_lifetime + 1,
        "longest_waits": [{"channel": s.channel, "sent_s_after_kill": round(s.first_sent - kill["killed_at"], 2),
                           "wait_s": round(s.answered - s.first_sent, 2), "attempts": s.attempts} for s in waits],
        "web_chat_reconnects": run.reconnects, "client_errors": run.errors[:20], "correct": ok,
    }


def kill_test(scale: Any, wechat: WeChat, customers: int = 4, before_s: float = 10, after_s: float = 30,
              think_s: float = 2.5, agent_every_s: float = 2.0) -> dict:
    """Run the kill test on a running scale set (SERVERS >= 2, WeChat and IVR configured, the
    ``AGENT_DEMO_PASSWORD`` agent): the figures and checks as a dict (``correct``: the checks)."""
    run = Run(base=scale.base, env=scale.env)
    kill = asyncio.run(kill_run(run, scale, wechat, customers, before_s, after_s, think_s, agent_every_s))
    lifetime = float(scale.env.get("TICKET_LOCK_LIFETIME") or 60)
    checks = check(run, kill, scale.database_url, lifetime)
    kill = {k: v for k, v in kill.items() if k != "killed_at"}
    return {**kill, **checks, "customers": {"webchat": customers, "rest": max(1, customers // 2),
                                            "wechat": max(1, customers // 2), "ivr": max(1, customers // 2)}}


# --- main -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SCALE_SECONDS") or 20),
                        help="length of each load phase (env BENCH_SCALE_SECONDS)")
    parser.add_argument("--servers", default="1,2,4", help="Rasa server counts for throughput")
    parser.add_argument("--customers", type=int, default=8, help="customers at once in the throughput phases")
    parser.add_argument("--kill-customers", type=int, default=4, help="web chat customers in the kill test "
                        "(half as many on REST, WeChat and IVR each)")
    parser.add_argument("--lock-lifetime", type=float, default=20, help="TICKET_LOCK_LIFETIME in the kill test")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain Rasa server")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill test")
    parser.add_argument("--note", default="", help="a note on the machine's load for the results")
    args = parser.parse_args()
    if not MODEL.exists():
        raise SystemExit("models/current.tar.gz is missing: run `make train` first")
    counts = [int(n) for n in args.servers.split(",") if n]
    results: Dict[str, Any] = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "make bench-scale" + (f" BENCH_SCALE_SECONDS={args.seconds:g}" if args.seconds != 20 else ""),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                 text=True).stdout.strip(),
        "nproc": os.cpu_count(), "load_average_at_start": load_average(), "note": args.note,
        "seconds_per_phase": args.seconds, "customers_at_once": args.customers, "action_servers": 1,
        "throughput": {},
    }
    for n in counts:
        print(f"scale-up with {n} Rasa server(s)...", flush=True)
        scale = ScaleSet(n)
        try:  # down also when start-up fails or is interrupted: nothing left running
            scale.up()
            scale.warm_up()
            figures = throughput(scale.base, scale.env["REST_API_TOKEN"], args.customers, args.seconds)
            figures["load_average"] = load_average()
            results["throughput"][f"{n}_servers"] = figures
            print(json.dumps({f"{n}_servers": figures}), flush=True)
            write(results)  # each phase as it ends: a run cut short keeps what it measured
        finally:
            scale.down()
    if not args.no_plain:
        print("plain Rasa server...", flush=True)
        plain = PlainRasa()
        try:
            plain.up()
            token = plain.servers.rest_api_token
            headers = {"Authorization": f"Bearer {token}"}
            for text in MESSAGES:  # warm-up
                requests.post(f"{plain.servers.url}/webhooks/rest/webhook", headers=headers, timeout=300,
                              json={"sender": "warm", "message": text}).raise_for_status()
            figures = throughput(plain.servers.url, token, args.customers, args.seconds)
            figures["load_average"] = load_average()
            results["throughput"]["plain_rasa"] = figures
            print(json.dumps({"plain_rasa": figures}), flush=True)
            write(results)
        finally:
            plain.down()
    if not args.no_kill:
        print("kill test...", flush=True)
        wechat = WeChat()
        scale = ScaleSet(2, env={**wechat.env(), "TICKET_LOCK_LIFETIME": str(int(args.lock_lifetime))})
        try:
            scale.up()
            scale.warm_up()
            results["kill_test"] = kill_test(scale, wechat, customers=args.kill_customers,
                                             before_s=max(10.0, args.seconds / 2),
                                             after_s=args.lock_lifetime + max(10.0, args.seconds / 2))
            print(json.dumps({"kill_test": results["kill_test"]}, ensure_ascii=False), flush=True)
        finally:
            scale.down()
            wechat.stop()
    results["load_average_at_end"] = load_average()
    write(results)
    print(f"written to {RESULTS.relative_to(PROJECT_ROOT)}")


def write(results: dict) -> None:
    """Write ``results`` to bench/results/scale.json."""
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
