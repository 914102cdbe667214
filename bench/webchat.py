"""Web chat benchmark: this project's server beside a plain Rasa server, same run.

Both run the project's model, action server and SQL tracker store on a fresh
SQLite file; they differ in their channels:

- project: credentials.yml (webchat, REST with outbox, agent desk, WeChat, IVR);
- plain Rasa: Rasa's own ``rest`` and ``socketio`` channels only.

Measured (numbers into bench/results/webchat.json and the README):

- turn latency, one customer at a time, over socket.io (a WebSocket client
  speaking Engine.IO v4 as the widget does) and over REST;
- 20 customers at once, 8 messages each over socket.io: throughput and p95;
- (project only) agent reply push: agent API call until the widget has it;
- resident memory of each Rasa server process after the load.

Run: ``make bench-webchat`` (about 3 minutes on 2 cores). Needs a trained
model (make train); reads nothing from ../shared/bench-data.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import requests
import websockets

from tests.conftest import MODEL, PROJECT_ROOT
from tests.integration.conftest import Servers
from bot.channels.webchat import public_id

RESULTS = PROJECT_ROOT / "bench" / "results" / "webchat.json"
MESSAGES = [
    "What are your opening hours?",
    "Where is my order QX-100002?",
    "How do I return an item?",
    "我的订单 QX-100001 到哪了？",
    "你们支持哪些支付方式？",
    "Can I get an invoice?",
    "thanks",
    "配送需要多久？",
]
# session_persistence stays off: with it, Rasa 3.6 calls python-socketio 5's
# coroutine enter_room() without awaiting it, the socket never joins the
# session's room and every reply is lost (checked with the pinned versions).
PLAIN_CREDENTIALS = """rest:
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: false
"""


class EioClient:
    """socket.io over one WebSocket, the way widget.js speaks it (acks included)."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.events: asyncio.Queue = asyncio.Queue()
        self.ws: Any = None
        self.reader: Optional[asyncio.Task] = None

    async def __aenter__(self) -> "EioClient":
        self.ws = await websockets.connect(self.url, max_size=None)
        assert (await self.ws.recv()).startswith("0")
        await self.ws.send("40")
        assert (await self.ws.recv()).startswith("40")
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.reader.cancel()
        await self.ws.close()

    async def _read(self) -> None:
        async for packet in self.ws:
            if packet == "2":
                await self.ws.send("3")
            elif packet.startswith("42"):
                body = packet[2:]
                ack = ""
                while body and body[0].isdigit():
                    ack, body = ack + body[0], body[1:]
                name, *args = json.loads(body)
                await self.events.put((time.perf_counter(), name, args[0] if args else None))
                if ack:
                    await self.ws.send(f"43{ack}[]")

    async def emit(self, name: str, data: Any) -> None:
        await self.ws.send("42" + json.dumps([name, data]))

    async def wait(self, name: str, timeout: float = 60) -> tuple[float, Any]:
        deadline = time.perf_counter() + timeout
        while True:
            at, event, data = await asyncio.wait_for(self.events.get(), deadline - time.perf_counter())
            if event == name:
                return at, data
            if event == "chat_error":
                raise RuntimeError(f"the server refused a benchmark message: {data}")

    async def start(self) -> str:
        await self.emit("session_request", {"session_id": None})
        _, session_id = await self.wait("session_confirm")
        return session_id if isinstance(session_id, str) else session_id["session_id"]

    async def turn(self, text: str, session_id: str, replies: int) -> float:
        """Seconds from sending until the last of the turn's ``replies`` messages
        arrived (how many, each server told ``preflight``: Rasa's socketio
        channel sends one emit per paragraph, ours one per message)."""
        started = time.perf_counter()
        await self.emit("user_uttered", {"message": text, "session_id": session_id})
        at = started
        for _ in range(replies):
            at, _ = await self.wait("bot_uttered")
        return at - started


async def preflight(url: str) -> dict[str, int]:
    """How many messages each benchmark message gets from this server (also the warm-up)."""
    counts: dict[str, int] = {}
    async with EioClient(url) as client:
        session_id = await client.start()
        for text in MESSAGES:
            await client.emit("user_uttered", {"message": text, "session_id": session_id})
            try:
                await client.wait("bot_uttered")
            except asyncio.TimeoutError:
                raise SystemExit(f"benchmark message {text!r} got no reply from {url}") from None
            await asyncio.sleep(1.0)  # the rest of this turn arrives by now
            counts[text] = 1 + sum(1 for _, name, _ in _drain(client.events) if name == "bot_uttered")
    return counts


def _drain(queue: asyncio.Queue) -> list:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


def summary(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 1), "max_ms": round(ms[-1], 1)}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def sequential_socket(url: str, counts: dict[str, int], turns: int) -> list[float]:
    """One customer at a time; a new conversation every len(MESSAGES) turns
    (a customer sending more than 10 messages in 20 s would be rate-limited)."""
    out: list[float] = []
    while len(out) < turns:
        async with EioClient(url) as client:
            session_id = await client.start()
            for text in MESSAGES[:turns - len(out)]:
                out.append(await client.turn(text, session_id, counts[text]))
    return out


async def concurrent_socket(url: str, counts: dict[str, int], customers: int, each: int) -> tuple[list[float], float]:
    async def customer() -> list[float]:
        async with EioClient(url) as client:
            session_id = await client.start()
            return [await client.turn(text, session_id, counts[text]) for text in MESSAGES[:each]]

    started = time.perf_counter()
    results = await asyncio.gather(*(customer() for _ in range(customers)))
    elapsed = time.perf_counter() - started
    return [s for r in results for s in r], elapsed


def sequential_rest(servers: Servers, turns: int) -> list[float]:
    """REST turns with the channel's bearer token (plain Rasa's ``rest`` ignores it)."""
    out = []
    sender = f"bench-rest-{time.time_ns()}"
    for i in range(turns):
        started = time.perf_counter()
        response = servers.rest("POST", json={"sender": sender, "message": MESSAGES[i % len(MESSAGES)]})
        response.raise_for_status()
        out.append(time.perf_counter() - started)
    return out


async def agent_push(servers: Servers, replies: int) -> list[float]:
    login = requests.post(f"{servers.url}/agent/api/login",
                          json={"username": "bench", "password": "bench-pass-1"}, timeout=30).json()["token"]
    headers = {"Authorization": f"Bearer {login}"}
    async with EioClient(servers.url) as client:
        session_id = await client.start()
        await client.emit("user_uttered", {"message": "I want to talk to a human", "session_id": session_id})
        while (await client.wait("typing"))[1] != {"on": False}:
            pass
        tickets = requests.get(f"{servers.url}/agent/api/tickets", params={"conversation_id": public_id(session_id)},
                               headers=headers, timeout=30).json()
        ticket_id = tickets[0]["ticket_id"]
        await asyncio.to_thread(requests.post, f"{servers.url}/agent/api/tickets/{ticket_id}/claim",
                                headers=headers, timeout=30)
        await client.wait("bot_uttered")  # "… has joined"
        out = []
        for i in range(replies):
            started = time.perf_counter()
            sent = asyncio.create_task(asyncio.to_thread(
                requests.post, f"{servers.url}/agent/api/tickets/{ticket_id}/messages",
                json={"text": f"reply {i}"}, headers=headers, timeout=30))
            at, message = await client.wait("bot_uttered")
            assert message["text"] == f"reply {i}"
            out.append(at - started)
            await sent
        return out


def start(kind: str, workdir: Path) -> Servers:
    from bot.storage.seed import seed_demo_orders
    from bot.storage.uow import SqlAlchemyUnitOfWork

    folder = workdir / kind
    folder.mkdir()
    url = f"sqlite:///{folder / 'bot.db'}"
    os.environ["DATABASE_URL"] = url
    from bot.storage.schema import upgrade

    upgrade(url)  # migrations before any server starts (issue 13)
    seed_demo_orders(SqlAlchemyUnitOfWork())
    with SqlAlchemyUnitOfWork() as uow:
        uow.agents.upsert("bench", "bench-pass-1", "Bench Agent", "agent")
        uow.commit()
    servers = Servers(folder, url)
    if kind == "plain_rasa":
        (folder / "credentials.yml").write_text(PLAIN_CREDENTIALS)
        servers.credentials = str(folder / "credentials.yml")
    return servers.start()


def run(turns: int, customers: int, each: int, pushes: int) -> dict:
    if not MODEL.exists():
        raise SystemExit("models/current.tar.gz is missing: run `make train` first")
    results: dict[str, Any] = {"measured_at": time.strftime("%Y-%m-%d"), "cpu_cores": os.cpu_count(),
                               "turns": turns, "customers": customers, "messages_each": each}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("project", "plain_rasa"):
            servers = start(kind, Path(tmp))
            try:
                rasa_pid = servers.processes[1].pid
                counts = asyncio.run(preflight(servers.url))
                entry = {
                    "socket_turn": summary(asyncio.run(sequential_socket(servers.url, counts, turns))),
                    "rest_turn": summary(sequential_rest(servers, turns)),
                }
                latencies, elapsed = asyncio.run(concurrent_socket(servers.url, counts, customers, each))
                entry["socket_concurrent"] = {**summary(latencies),
                                              "messages_per_s": round(len(latencies) / elapsed, 1)}
                if kind == "project":
                    entry["agent_push"] = summary(asyncio.run(agent_push(servers, pushes)))
                entry["rasa_rss_mb"] = rss_mb(rasa_pid)
                results[kind] = entry
            finally:
                servers.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--each", type=int, default=len(MESSAGES), help="at most 10 (the rate limit)")
    parser.add_argument("--pushes", type=int, default=20)
    args = parser.parse_args()
    results = run(args.turns, args.customers, args.each, args.pushes)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'':28}{'project':>22}{'plain Rasa':>22}")
    for key, label in (("socket_turn", "socket.io turn median/p95"), ("rest_turn", "REST turn median/p95"),
                       ("socket_concurrent", f"{args.customers} at once median/p95")):
        cells = [f"{results[k][key]['median_ms']:.0f} / {results[k][key]['p95_ms']:.0f} ms"
                 for k in ("project", "plain_rasa")]
        print(f"{label:28}{cells[0]:>22}{cells[1]:>22}")
    print(f"{'messages/s at once':28}{results['project']['socket_concurrent']['messages_per_s']:>22}"
          f"{results['plain_rasa']['socket_concurrent']['messages_per_s']:>22}")
    push = results["project"]["agent_push"]
    print(f"{'agent reply push median/p95':28}{push['median_ms']:>12.0f} / {push['p95_ms']:.0f} ms{'–':>14}")
    print(f"{'Rasa server RSS':28}{results['project']['rasa_rss_mb']:>19} MB{results['plain_rasa']['rasa_rss_mb']:>19} MB")
    print(f"written to {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
