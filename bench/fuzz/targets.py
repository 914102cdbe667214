"""One fuzz target per connector: what to send, and how to read the answer.

Each target's workers ask the run's `Budget` for the next kind of input:
``turn`` (a customer message meant to go through Rasa and the action server,
or for the agent API a claim/reply/close on a real ticket) or ``cheap``
(everything else: other routes, bad bodies, bad signatures and tokens).
Every input is recorded with its route, its status and one of the
categories:

- ``handled``: passed the door (credentials) and the parsing, and the handler
  did its work (2xx/3xx);
- ``refused_door``: a deliberately bad signature/token/origin refused (401/403);
- ``refused_input``: past the door, refused as bad input (other 4xx);
- ``bypass``: a deliberately bad credential that was accepted (a finding);
- ``error``: a 5xx, or a failure the server hid behind a 200 (a finding).
"""
from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import json
import random
import time
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp
import websockets
import yarl
import xmltodict
from hypothesis import strategies as st
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from bench.fuzz import strategies as S
from bench.fuzz.gen import weighted

if TYPE_CHECKING:  # pragma: no cover
    from bench.fuzz.harness import Run

TIMEOUT = aiohttp.ClientTimeout(total=120)

# the servers' REQUEST_MAX_BYTES default (bot/settings.py): bodies past it may be cut off
MAX_REQUEST_BYTES = 1024 * 1024


@dataclass
class Outcome:
    route: str
    status: Any  # HTTP status, or "sio:<what came back>" for socket.io events
    category: str
    full_turn: bool = False
    example: str = ""  # the input, for findings
    reply: str = ""  # the start of the answer, for findings
    refused_id: Optional[str] = None  # a marked id that must leave no trace when refused


def classify(status: int, bad_door: bool = False) -> str:
    if status >= 500:
        return "error"
    if bad_door:
        if status in (401, 403):
            return "refused_door"
        return "bypass" if status < 400 else "refused_input"
    return "handled" if status < 400 else "refused_input"


def short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + f"…(+{len(text) - limit})"


class Target:
    """Base: `turn` and `cheap` each send one input and return its Outcome."""

    name = ""
    workers = 8

    def __init__(self, run: "Run") -> None:
        self.run = run
        self.src = run.source
        self.counter = 0

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    async def setup(self) -> None:
        pass

    def new_phase(self) -> None:
        """The servers restarted (same database): forget what lived in their memory."""

    async def before_refused_batch(self) -> None:
        """Get ready for the refused-only batch (``Run.refused_batch``): nothing this target does
        during it may write a row (the batch checks that refused requests wrote nothing)."""

    async def teardown(self) -> None:
        pass

    async def worker(self, wid: int) -> None:
        rnd = random.Random(f"{self.run.seed}:{self.name}:{wid}")
        state: Dict[str, Any] = {"wid": wid}
        budget = self.run.budgets[self.name]
        while True:
            kind = budget.next_kind(rnd)
            if kind is None:
                break
            started = time.perf_counter()
            outcome = await self.one(kind, rnd, state)
            budget.done(kind, outcome, time.perf_counter() - started)
            self.run.stats[self.name].add(outcome)

    async def one(self, kind: str, rnd: random.Random, state: dict) -> Outcome:
        """Send one input of `kind` ("turn" or "cheap"); never raises."""
        try:
            return await (self.turn(rnd, state) if kind == "turn" else self.cheap(rnd, state))
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError, OSError,
                websockets.WebSocketException) as error:
            return Outcome(f"{self.name} connection", "connection_error", "error",
                           example=f"{kind} input", reply=f"{type(error).__name__}: {error}")
        except Exception as error:  # a bug of the fuzzer itself: count it apart, keep going
            if self.run.stats[self.name].categories["harness"] < 3:
                traceback.print_exc()
            return Outcome(f"{self.name} harness", "harness_error", "harness",
                           reply=f"{type(error).__name__}: {error}")

    @staticmethod
    def pick(rnd: random.Random, state: dict, table: Dict[str, float]) -> str:
        """A kind of input from `table` (weights), limited to `state["only"]` when set."""
        only = state.get("only")
        if only and any(k in table for k in only):
            table = {k: v for k, v in table.items() if k in only}
        return weighted(rnd, table)

    async def turn(self, rnd: random.Random, state: dict) -> Outcome:
        raise NotImplementedError

    async def cheap(self, rnd: random.Random, state: dict) -> Outcome:
        raise NotImplementedError

    # --- HTTP helpers ------------------------------------------------------------
    async def request(self, method: str, path: str, encoded: bool = False,
                      **kwargs: Any) -> tuple[int, bytes, Dict[str, str]]:
        """``encoded``: ``path`` is already percent-encoded and goes out as written (no dot-segment removal)."""
        url = yarl.URL(self.run.url + path, encoded=True) if encoded else self.run.url + path
        data = kwargs.get("data")
        size = len(data) if isinstance(data, (bytes, str)) else 0
        if size > 64 * 1024:
            # A body past the server's cap is answered 413 unread and the server closes the
            # connection: it must not go back to the client's pool for the next input.
            kwargs["headers"] = {**kwargs.get("headers", {}), "Connection": "close"}
        try:
            async with self.run.http.request(method, url, timeout=TIMEOUT, **kwargs) as response:
                body = await response.read()
                return response.status, body, dict(response.headers)
        except (aiohttp.ClientError, ConnectionError):
            if size <= MAX_REQUEST_BYTES:
                raise
            # Past REQUEST_MAX_BYTES the server answers 413 and stops reading: a client
            # still writing may see the connection close instead (counted as 413).
            return 413, b"connection closed past REQUEST_MAX_BYTES", {}


def tiny_png(seed: int) -> bytes:
    """A real PNG (Pillow), a few pixels, its colour from ``seed``: an upload the photo routes accept."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4 + seed % 5, 3 + seed % 3), (seed % 256, (seed * 7) % 256, 90)).save(out, "PNG")
    return out.getvalue()


# Photo bodies (issue 14): real pictures, pictures cut short, other files renamed .png, junk, empty, too large.
PHOTO_JUNK = [b"", b"\x89PNG\r\n\x1a\n", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
              b"<!doctype html><script>fetch('/agent/api/queue')</script>", b"GIF89a" + b"\x00" * 40,
              b"\xff\xd8\xff\xe0" + b"\x00" * 30, b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"\x00" * 64]


def photo_body(rnd: random.Random, raw: bytes) -> bytes:
    """A body for a photo upload: a real PNG (about a third), one cut short, a non-picture, ``raw`` bytes,
    or one past ATTACHMENT_MAX_BYTES (5 MB) made of a PNG header and zeros."""
    kind = rnd.random()
    if kind < 0.35:
        return tiny_png(rnd.randint(0, 10_000))
    if kind < 0.5:
        whole = tiny_png(rnd.randint(0, 10_000))
        return whole[:rnd.randint(1, len(whole) - 1)]
    if kind < 0.75:
        return rnd.choice(PHOTO_JUNK)
    if kind < 0.97:
        return raw
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024 + 1)


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


# ============================================================ REST
class RestTarget(Target):
    name = "rest"
    workers = 10

    def __init__(self, run: "Run") -> None:
        super().__init__(run)
        self.token = run.env["REST_API_TOKEN"]
        self.src.register("rest.text", S.turn_text_with_escalation)
        self.src.register("rest.metadata", S.metadata)
        self.src.register("rest.id", S.ids)
        self.src.register("rest.raw", S.raw_bodies)
        self.src.register("rest.json", S.json_values)
        self.src.register("rest.any", S.any_text)
        self.senders: List[str] = []

    def auth(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def sender(self, n: int) -> str:
        return f"fz{self.run.seed}-rest-{n // 6}"  # six turns per conversation

    async def send(self, body: Any, headers: Dict[str, str], raw: Optional[bytes] = None) -> tuple[int, bytes]:
        data = raw if raw is not None else json.dumps(body).encode()
        status, reply, _ = await self.request("POST", "/webhooks/rest/webhook", data=data,
                                              headers={"Content-Type": "application/json", **headers})
        return status, reply

    async def turn(self, rnd: random.Random, state: dict) -> Outcome:
        n = self.next_id()
        sender = self.sender(n)
        body: Dict[str, Any] = {"sender": sender, "message": self.src("rest.text")}
        if rnd.random() < 0.3:
            meta = self.src("rest.metadata")
            if meta is not None:
                body["metadata"] = meta
        if rnd.random() < 0.3 and isinstance(body.get("metadata", {}), dict):  # a client message id
            body.setdefault("metadata", {})["message_id"] = f"m-{n}"
        status, reply = await self.send(body, self.auth())
        data = load_json(reply)
        full = status == 200 and isinstance(data, list) and any(isinstance(m, dict) and m for m in data)
        if sender not in self.senders[-50:]:
            self.senders.append(sender)
        return Outcome("POST /webhooks/rest/webhook", status, classify(status), full, short(body), short(reply))

    async def cheap(self, rnd: random.Random, state: dict) -> Outcome:
        kind = self.pick(rnd, state, {"outbox_own": 30, "outbox_any": 15, "raw": 20, "shape": 15, "bad_auth": 12,
                              "too_long": 4, "health": 4})
        if kind in ("outbox_own", "outbox_any"):
            sender = rnd.choice(self.senders) if kind == "outbox_own" and self.senders else self.src("rest.id")
            headers = self.auth() if rnd.random() < 0.95 else {}
            segment = quote(sender, safe="")
            if segment in (".", ".."):  # a dot segment: the client would normalise it away (to the health route)
                segment = segment.replace(".", "%2E")
            status, reply, _ = await self.request("GET", f"/webhooks/rest/outbox/{segment}", encoded=True,
                                                  headers=headers)
            return Outcome("GET /webhooks/rest/outbox/<id>", status, classify(status, not headers),
                           example=short(sender), reply=short(reply))
        if kind == "health":
            status, reply, _ = await self.request("GET", "/webhooks/rest/")
            return Outcome("GET /webhooks/rest/", status, classify(status), reply=short(reply))
        if kind == "raw":
            raw = self.src("rest.raw")
            status, reply = await self.send(None, self.auth(), raw=raw)
            return Outcome("POST /webhooks/rest/webhook", status, classify(status), example=short(raw),
                           reply=short(reply))
        if kind == "shape":  # JSON, but not the expected object
            body = self.src("rest.json")
            if isinstance(body, dict) and rnd.random() < 0.7:
                body.setdefault("sender", self.src("rest.json"))
                body.setdefault("message", self.src("rest.json") if rnd.random() < 0.5 else self.src("rest.any"))
            if isinstance(body, dict) and isinstance(body.get("message"), str) and body.get("sender"):
                body["sender"] = f"fz{self.run.seed}-rest-shape-{self.next_id()}"  # a valid message: one turn
            status, reply = await self.send(body, self.auth())
            data = load_json(reply)
            full = status == 200 and isinstance(data, list) and bool(data)
            return Outcome("POST /webhooks/rest/webhook", status, classify(status), full, short(body), short(reply))
        if kind == "too_long":
            body = {"sender": self.sender(self.counter), "message": "x" * rnd.randint(4001, 70000),
                    "metadata": {"blob": "y" * rnd.choice([10, 10_000, 2_000_000])}}
            status, reply = await self.send(body, self.auth())
            return Outcome("POST /webhooks/rest/webhook", status, classify(status),
                           example=f"message of {len(body['message'])} chars, metadata blob {len(body['metadata']['blob'])}",
                           reply=short(reply))
        # bad_auth: a valid message under a marked sender id, with a wrong or missing token
        marked = f"fzx{self.run.seed}-rest-{self.next_id()}"
        headers = rnd.choice([{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Bearer {self.token}x"},
                              {"Authorization": f"Basic {self.token}"}, {"Authorization": "Bearer "},
                              {"Authorization": f"bearer{self.token}"}])
        body = {"sender": marked, "message": rnd.choice(S.PHRASES)}
        status, reply = await self.send(body, headers)
        category = classify(status, bad_door=True)
        return Outcome("POST /webhooks/rest/webhook", status, category, example=short({"headers": headers, **body}),
                       reply=short(reply), refused_id=marked if category == "refused_door" else None)


# ============================================================ web chat
class EioSocket:
    """socket.io (Engine.IO v4) over one WebSocket, as widget.js speaks it; acks pushes."""

    def __init__(self, url: str, origin: Optional[str] = None) -> None:
        self.url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.origin = origin
        self.events: asyncio.Queue = asyncio.Queue()
        self.ws: Any = None
        self.reader: Optional[asyncio.Task] = None
        self.closed = False

    async def open(self) -> Optional[str]:
        """None when connected, else why the server refused."""
        self.ws = await websockets.connect(self.url, max_size=None, open_timeout=30,
                                           extra_headers={"Origin": self.origin} if self.origin else None)
        opening = await asyncio.wait_for(self.ws.recv(), 30)
        if not str(opening).startswith("0"):
            return f"unexpected open packet {opening!r}"
        await self.ws.send("40")
        answer = str(await asyncio.wait_for(self.ws.recv(), 30))
        if not answer.startswith("40"):
            return answer
        self.reader = asyncio.create_task(self._read())
        return None

    async def close(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def _read(self) -> None:
        try:
            async for packet in self.ws:
                if not isinstance(packet, str):
                    continue
                if packet == "2":
                    await self.ws.send("3")
                elif packet.startswith("42"):
                    body, ack = packet[2:], ""
                    while body and body[0].isdigit():
                        ack, body = ack + body[0], body[1:]
                    try:
                        name, *args = json.loads(body)
                    except ValueError:
                        continue
                    await self.events.put((name, args[0] if args else None))
                    if ack:
                        await self.ws.send(f"43{ack}[]")
                elif packet.startswith("41") or packet.startswith("1"):
                    break
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed = True
            await self.events.put(("__closed__", None))

    async def emit(self, name: Any, data: Any) -> None:
        await self.ws.send("42" + json.dumps([name, data]))

    async def wait_for(self, names: tuple, timeout: float) -> List[tuple]:
        """Events until one named in `names` (or the socket closed, or the timeout)."""
        seen: List[tuple] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                name, data = await asyncio.wait_for(self.events.get(), max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return seen
            seen.append((name, data))
            if name in names or name == "__closed__":
                return seen

    def drain(self) -> None:
        while not self.events.empty():
            self.events.get_nowait()


class WebchatTarget(Target):
    name = "webchat"
    workers = 10
    socket_share = 0.5  # of workers: the others use the HTTP fallback

    def __init__(self, run: "Run") -> None:
        super().__init__(run)
        self.src.register("web.text", S.turn_text)
        self.src.register("web.any", S.any_text)
        self.src.register("web.raw", S.raw_bodies)
        self.src.register("web.json", S.json_values)
        self.src.register("web.id", S.ids)
        self.src.register("web.lang", S.languages)
        self.src.register("web.event", st.one_of(S.unicode_text, st.sampled_from(
            ["session_request", "user_uttered", "status_request", "connect", "disconnect", "message", "ack",
             "bot_uttered", "typing", "history"])))
        self.sessions: List[str] = []
        self.photos: List[str] = []  # ids of photos the fuzzer uploaded (issue 14)

    @property
    def origin(self) -> str:
        return self.run.url  # the page's own origin

    def headers(self, rnd: random.Random, bad_origin: bool = False) -> Dict[str, str]:
        headers = {"Content-Type": rnd.choice(["text/plain;charset=UTF-8", "application/json"])}
        if bad_origin:
            headers["Origin"] = rnd.choice(["https://evil.example", "null", "http://127.0.0.1.evil.example",
                                            self.origin + ".evil", "file://"])
        elif rnd.random() < 0.5:
            headers["Origin"] = self.origin
        return headers

    async def post(self, path: str, body: Any, headers: Dict[str, str], raw: Optional[bytes] = None):
        data = raw if raw is not None else json.dumps(body).encode()
        return await self.request("POST", "/chat/api/" + path, data=data, headers=headers)

    async def new_session(self, rnd: random.Random, state: dict) -> Optional[str]:
        status, reply, _ = await self.post("session", {"session_id": None}, self.headers(rnd))
        data = load_json(reply)
        if status == 200 and isinstance(data, dict) and isinstance(data.get("session_id"), str):
            self.sessions.append(data["session_id"])
            del self.sessions[:-200]
            state["session"], state["turns"] = data["session_id"], 0
            return data["session_id"]
        return None

    async def turn(self, rnd: random.Random, state: dict) -> Outcome:
        if state["wid"] < self.workers * self.socket_share:
            return await self.socket_turn(rnd, state)
        if not state.get("session") or state.get("turns", 0) >= 6:
            if await self.new_session(rnd, state) is None:
                return Outcome("POST /chat/api/session", "no_session", "error", example="{session_id: null}")
        state["turns"] += 1
        body: Dict[str, Any] = {"session_id": state["session"], "message": self.src("web.text")}
        if rnd.random() < 0.3:
            body["language"] = self.src("web.lang")
        if rnd.random() < 0.1:
            body["customer_token"] = rnd.choice(["a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.x", self.src("web.any")])
        if rnd.random() < 0.1:
            body["shown_as"], body["hidden"] = self.src("web.any"), rnd.random() < 0.5
        status, reply, _ = await self.post("message", body, self.headers(rnd))
        data = load_json(reply)
        full = status == 200 and isinstance(data, dict) and bool(data.get("messages"))
        return Outcome("POST /chat/api/message", status, classify(status), full, short(body), short(reply))

    async def cheap(self, rnd: random.Random, state: dict) -> Outcome:
        if state["wid"] < self.workers * self.socket_share:
            return await self.socket_cheap(rnd, state)
        kind = self.pick(rnd, state, {"poll": 30, "poll_unknown": 8, "session": 8, "bad_origin": 10, "raw": 15,
                              "shape": 12, "invalid_message": 10, "static": 5, "health": 2, "photo": 12,
                              "photo_bad": 6, "photo_get": 8})
        if kind in ("photo", "photo_bad", "photo_get"):
            return await self._cheap_photo(rnd, kind)
        if kind in ("poll", "poll_unknown"):
            session = rnd.choice(self.sessions) if kind == "poll" and self.sessions else self.src("web.id")
            status, reply, _ = await self.request("GET", f"/chat/api/poll?session_id={quote(session, safe='')}",
                                                  headers=self.headers(rnd))
            return Outcome("GET /chat/api/poll", status, classify(status), example=short(session),
                           reply=short(reply))
        if kind == "session":
            body = {"session_id": rnd.choice([None, self.src("web.id"), rnd.choice(self.sessions or ["x"])]),
                    "language": self.src("web.lang")}
            if rnd.random() < 0.3:
                body["customer_token"] = self.src("web.any")
            status, reply, _ = await self.post("session", body, self.headers(rnd))
            return Outcome("POST /chat/api/session", status, classify(status), example=short(body),
                           reply=short(reply))
        if kind == "bad_origin":
            path = rnd.choice(["session", "message", "poll"])
            body = {"session_id": rnd.choice(self.sessions or [None]), "message": rnd.choice(S.PHRASES)}
            if path == "poll":
                status, reply, _ = await self.request("GET", f"/chat/api/poll?session_id={body['session_id']}",
                                                      headers=self.headers(rnd, bad_origin=True))
                route = "GET /chat/api/poll"
            else:
                status, reply, _ = await self.post(path, body, self.headers(rnd, bad_origin=True))
                route = f"POST /chat/api/{path}"
            return Outcome(route, status, classify(status, bad_door=True), example=short(body), reply=short(reply))
        if kind == "raw":
            raw = self.src("web.raw")
            path = rnd.choice(["session", "message"])
            status, reply, _ = await self.post(path, None, self.headers(rnd), raw=raw)
            return Outcome(f"POST /chat/api/{path}", status, classify(status), example=short(raw),
                           reply=short(reply))
        if kind == "shape":
            body = self.src("web.json")
            if isinstance(body, dict) and rnd.random() < 0.5:
                body["session_id"] = rnd.choice(self.sessions or ["x"]) if rnd.random() < 0.3 else self.src("web.json")
            status, reply, _ = await self.post(rnd.choice(["session", "message"]), body, self.headers(rnd))
            data = load_json(reply)
            full = status == 200 and isinstance(data, dict) and bool(data.get("messages"))
            return Outcome("POST /chat/api/message|session", status, classify(status), full, short(body),
                           short(reply))
        if kind == "invalid_message":
            body = {"session_id": rnd.choice([rnd.choice(self.sessions or ["x"]), self.src("web.id")]),
                    "message": rnd.choice(["", " ", "\n", None, 5, ["x"], {"a": 1}, "z" * rnd.randint(2001, 9000)])}
            status, reply, _ = await self.post("message", body, self.headers(rnd))
            return Outcome("POST /chat/api/message", status, classify(status), example=short(body),
                           reply=short(reply))
        if kind == "static":
            name = rnd.choice(["", "widget.js", "widget.css", "index.html", quote(self.src("web.id"), safe="")])
            status, reply, _ = await self.request("GET", f"/chat/{name}")
            return Outcome("GET /chat/<file>", status, classify(status), example=name, reply=short(reply[:100]))
        status, reply, _ = await self.request("GET", "/chat/api/health")
        return Outcome("GET /chat/api/health", status, classify(status), reply=short(reply))

    async def _cheap_photo(self, rnd: random.Random, kind: str) -> Outcome:
        """The photo routes (issue 14): ``photo`` uploads to a live session (a real picture until one is
        stored, then real pictures and not), ``photo_bad`` is refused at the door or as input (unknown session, bad origin, not a picture:
        nothing stored), ``photo_get`` fetches a stored or made-up id with a made-up proof."""
        if kind == "photo_get":
            photo = rnd.choice(self.photos) if self.photos and rnd.random() < 0.6 else self.src("web.id")
            params = {"sig": self.src("web.id")} if rnd.random() < 0.5 else {}
            headers = {"X-Chat-Session": rnd.choice(self.sessions or ["x"]) if rnd.random() < 0.5
                       else "".join(c for c in self.src("web.id") if c.isascii() and c.isprintable())}
            status, reply, _ = await self.request("GET", f"/chat/api/attachments/{quote(photo, safe='')}",
                                                  params=params, headers=headers)
            return Outcome("GET /chat/api/attachments/<id>", status, classify(status), example=short(photo),
                           reply=short(reply[:100]))
        headers = {"Content-Type": rnd.choice(["text/plain", "image/png", "application/octet-stream"])}
        if kind == "photo":
            session = rnd.choice(self.sessions) if self.sessions else await self.new_session(rnd, {})
            # a seed before the mutants, as coverage fuzzers start from valid inputs: until one photo is
            # stored, the upload is a real picture, so the fetch routes get a stored id whatever the
            # conversations drew (session 32: a triage rule moved the draws and no upload was stored)
            body = photo_body(rnd, self.src("web.raw")) if self.photos else tiny_png(rnd.randint(0, 10_000))
            bad_door = False
        else:
            bad_door = rnd.random() < 0.4
            session = (rnd.choice(self.sessions or ["x"]) if bad_door else
                       rnd.choice([self.src("web.id"), "0" * 32, ""]))
            body = tiny_png(rnd.randint(0, 99)) if rnd.random() < 0.5 else rnd.choice(PHOTO_JUNK)
            if bad_door:
                headers["Origin"] = rnd.choice(["https://evil.example", "null", self.origin + ".evil"])
        status, reply, _ = await self.request("POST", "/chat/api/attachments", params={"session_id": session or ""},
                                              data=body, headers=headers)
        data = load_json(reply)
        if status == 201 and isinstance(data, dict) and isinstance(data.get("id"), str):
            self.photos.append(data["id"])
            del self.photos[:-200]
        return Outcome("POST /chat/api/attachments", status, classify(status, bad_door=bad_door),
                       example=short(body[:80]) + f" ({len(body)} bytes)", reply=short(reply))

    # --- socket.io --------------------------------------------------------------
    async def socket(self, rnd: random.Random, state: dict) -> Optional[EioSocket]:
        sock: Optional[EioSocket] = state.get("sock")
        if sock is not None and not sock.closed and state.get("turns", 0) < 6:
            return sock
        if sock is not None:
            await sock.close()
        state["sock"] = None
        sock = EioSocket(self.run.url, rnd.choice([None, self.origin]))
        refused = await sock.open()
        if refused:
            await sock.close()
            return None
        await sock.emit("session_request", {"session_id": None, "language": rnd.choice(["en", "zh", None]),
                                            "protocol": rnd.choice(["qx-webchat/1", None])})
        seen = await sock.wait_for(("session_confirm", "chat_error"), 30)
        confirmed = [d for n, d in seen if n == "session_confirm"]
        if not confirmed:
            await sock.close()
            return None
        await asyncio.sleep(0)
        state["sock"], state["turns"] = sock, 0
        return sock

    async def socket_turn(self, rnd: random.Random, state: dict) -> Outcome:
        sock = await self.socket(rnd, state)
        if sock is None:
            return Outcome("socket.io session_request", "sio:no_session", "error", example="session_request")
        state["turns"] += 1
        sock.drain()
        data: Dict[str, Any] = {"message": self.src("web.text")}
        if rnd.random() < 0.1:
            data["shown_as"], data["hidden"] = self.src("web.any"), rnd.random() < 0.5
        await sock.emit("user_uttered", data)
        # the turn ends with typing {on: false}; a refusal comes as chat_error alone
        seen: List[tuple] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            more = await sock.wait_for(("typing", "chat_error"), deadline - time.monotonic())
            seen += more
            if not more:
                break
            name, payload = more[-1]
            if name in ("chat_error", "__closed__") or (name == "typing" and isinstance(payload, dict)
                                                        and payload.get("on") is False):
                break
        return self.socket_outcome("socket.io user_uttered", data, seen, turn=True)

    def socket_outcome(self, route: str, data: Any, seen: List[tuple], turn: bool = False) -> Outcome:
        names = [n for n, _ in seen]
        errors = [d for n, d in seen if n == "chat_error"]
        if errors:
            code = errors[0].get("code") if isinstance(errors[0], dict) else errors[0]
            category = "error" if code in ("server_error", "unavailable") else "refused_input"
            return Outcome(route, f"sio:chat_error:{code}", category, example=short(data), reply=short(errors[0]))
        if "__closed__" in names:
            return Outcome(route, "sio:closed", "refused_input", example=short(data))
        if turn:
            full = "bot_uttered" in names
            ended = any(n == "typing" and isinstance(d, dict) and d.get("on") is False for n, d in seen)
            status = "sio:bot_uttered" if full else ("sio:typing_end" if ended else "sio:no_reply")
            return Outcome(route, status, "handled" if ended else "error", full, short(data), short(seen[-3:]))
        return Outcome(route, f"sio:{names[-1] if names else 'none'}", "handled", example=short(data))

    async def socket_cheap(self, rnd: random.Random, state: dict) -> Outcome:
        kind = self.pick(rnd, state, {"status": 25, "invalid": 25, "unknown_event": 20, "session_again": 8,
                              "bad_origin": 10, "garbage_frame": 4, "no_session": 8})
        if kind == "bad_origin":
            sock = EioSocket(self.run.url, rnd.choice(["https://evil.example", "null", self.origin + ".evil"]))
            refused = await sock.open()
            await sock.close()
            status = "sio:connect_refused" if refused else "sio:connected"
            return Outcome("socket.io connect", status, "refused_door" if refused else "bypass",
                           example="Origin: bad", reply=short(refused))
        if kind == "no_session":  # events before session_request
            sock = EioSocket(self.run.url)
            refused = await sock.open()
            if refused:
                await sock.close()
                return Outcome("socket.io connect", "sio:connect_refused", "error", reply=short(refused))
            await sock.emit("user_uttered", {"message": rnd.choice(S.PHRASES)})
            seen = await sock.wait_for(("chat_error",), 10)
            await sock.close()
            return self.socket_outcome("socket.io user_uttered (no session)", "before session_request", seen)
        sock = await self.socket(rnd, state)
        if sock is None:
            return Outcome("socket.io session_request", "sio:no_session", "error", example="session_request")
        sock.drain()
        if kind == "status":
            await sock.emit("status_request", rnd.choice([None, {}, self.src("web.json")]))
            return self.socket_outcome("socket.io status_request", "status_request",
                                       await sock.wait_for(("status",), 30))
        if kind == "invalid":
            data = rnd.choice([{"message": rnd.choice(["", " ", "\t"])}, {"message": None}, {"message": 5},
                               {"message": "z" * rnd.randint(2001, 5000)}, self.src("web.json"), None, "text"])
            await sock.emit("user_uttered", data)
            seen = await sock.wait_for(("chat_error", "typing"), 30)
            if seen and seen[-1][0] == "typing":  # accepted after all: a turn is running; let it end
                state["turns"] = 99  # take a fresh socket next time
                return Outcome("socket.io user_uttered", "sio:accepted", "handled", example=short(data))
            return self.socket_outcome("socket.io user_uttered", data, seen)
        if kind == "session_again":
            data = {"session_id": rnd.choice([self.src("web.id"), None, self.src("web.json")]),
                    "language": self.src("web.lang"), "customer_token": rnd.choice([None, "x.y.z", self.src("web.any")])}
            await sock.emit("session_request", data)
            state["turns"] = 99
            return self.socket_outcome("socket.io session_request", data,
                                       await sock.wait_for(("session_confirm", "chat_error"), 30))
        if kind == "garbage_frame":
            frame = rnd.choice(["42", "42[", "42[\"user_uttered\"", "4", "49999", "42{}", "6", "x", "43[]",
                                "42" + json.dumps([self.src("web.json")])])
            await sock.ws.send(frame)
            await asyncio.sleep(0.05)
            state["turns"] = 99
            return Outcome("socket.io frame", "sio:closed" if sock.closed else "sio:ignored",
                           "refused_input" if sock.closed else "handled", example=short(frame))
        event = self.src("web.event")
        if event in ("user_uttered", "session_request"):
            event = "x-" + event
        await sock.emit(event, self.src("web.json"))
        return Outcome("socket.io <other event>", "sio:ignored", "handled", example=short(event))

    async def teardown(self) -> None:
        pass


# ============================================================ WeChat
WX_CANNED = ("您好，欢迎关注", "抱歉，我目前只能", "抱歉，没能识别")
WX_TURN_FAILED = "抱歉，系统暂时繁忙"
OFFICIAL_ACCOUNT = "gh_fuzz0000001"


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wx_xml(fields: Dict[str, Any]) -> str:
    parts = []
    for key, value in fields.items():
        if isinstance(value, bool) or value is None:
            value = str(value)
        inner = str(value) if isinstance(value, int) else cdata(str(value))
        parts.append(f"<{key}>{inner}</{key}>")
    return "<xml>" + "".join(parts) + "</xml>"


class WeChatTarget(Target):
    name = "wechat"
    workers = 10

    def __init__(self, run: "Run") -> None:
        super().__init__(run)
        env = run.env
        self.token, self.aes_key, self.app_id = env["WECHAT_TOKEN"], env["WECHAT_AES_KEY"], env["WECHAT_APP_ID"]
        self.crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
        self.src.register("wx.text", S.turn_text_with_escalation)
        self.src.register("wx.any", S.any_text)
        self.src.register("wx.raw", S.raw_bodies)
        self.src.register("wx.name", S.xml_names)
        self.src.register("wx.value", st.one_of(S.unicode_text, st.integers(), st.sampled_from(["", "]]>", "\x08"])))
        self.src.register("wx.type", st.sampled_from(["image", "location", "link", "video", "shortvideo", "voice",
                                                      "music", "news", "file", "miniprogrampage"]) | S.unicode_text)
        self.src.register("wx.event", st.sampled_from(["subscribe", "unsubscribe", "SCAN", "LOCATION", "CLICK",
                                                       "VIEW", "TEMPLATESENDJOBFINISH", "kf_create_session"])
                          | S.unicode_text)
        self.recent: List[tuple] = []  # (query, body) of accepted messages, for genuine retries
        self.deferred: collections.Counter = collections.Counter()  # openid -> turns answered `success`
        self.credited = 0

    def new_phase(self) -> None:
        self.recent.clear()  # signed with timestamps that will be stale

    def sign_url(self, timestamp: Optional[str] = None, nonce: Optional[str] = None) -> Dict[str, str]:
        timestamp = timestamp or str(int(time.time()))
        nonce = nonce or f"{random.getrandbits(40):x}"
        signer = WeChatSigner()
        signer.add_data(self.token, timestamp, nonce)
        return {"timestamp": timestamp, "nonce": nonce, "signature": signer.signature}

    def openid(self, n: int) -> str:
        return f"fz{self.run.seed}-wx-{n // 6}"

    def message(self, rnd: random.Random, openid: str, msg_type: str, content: Optional[str] = None,
                extras: bool = True) -> Dict[str, Any]:
        fields: Dict[str, Any] = {"ToUserName": OFFICIAL_ACCOUNT, "FromUserName": openid,
                                  "CreateTime": int(time.time()), "MsgType": msg_type}
        if msg_type == "text":
            fields["Content"] = content if content is not None else self.src("wx.text")
        elif msg_type == "voice":
            fields.update(MediaId="m1", Format="amr", Recognition=content if content is not None else self.src("wx.text"))
        elif msg_type == "event":
            fields.update(Event=self.src("wx.event"), EventKey=self.src("wx.any"))
        elif msg_type == "location":
            fields.update(Location_X=self.src("wx.value"), Location_Y="113.3", Scale=20, Label=self.src("wx.any"))
        else:
            fields.update(PicUrl="http://example.invalid/p.jpg", MediaId=self.src("wx.value"),
                          Title=self.src("wx.any"), Url=self.src("wx.any"))
        if msg_type != "event":
            fields["MsgId"] = rnd.getrandbits(62)
        for _ in range(rnd.choice([0, 0, 0, 1, 3]) if extras else 0):  # unknown fields, any value
            fields[self.src("wx.name")] = self.src("wx.value")
        return fields

    async def post(self, query: Dict[str, str], body: bytes) -> tuple[int, bytes]:
        status, reply, _ = await self.request("POST", "/webhooks/wechat/webhook", params=query, data=body,
                                              headers={"Content-Type": "text/xml"})
        return status, reply

    def envelope(self, xml: str) -> tuple[Dict[str, str], bytes]:
        query = self.sign_url()
        # bytes: wechatpy would refuse a lone surrogate; the server must cope with invalid UTF-8
        encrypted = self.crypto.encrypt_message(xml.encode("utf-8", "surrogatepass"), query["nonce"],
                                                query["timestamp"])
        envelope = xmltodict.parse(encrypted)["xml"]
        query.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"])
        body = f"<xml><ToUserName>{cdata(OFFICIAL_ACCOUNT)}</ToUserName><Encrypt>{cdata(envelope['Encrypt'])}</Encrypt></xml>"
        return query, body.encode()

    def read_reply(self, reply: bytes, aes: bool) -> tuple[Optional[str], Optional[str]]:
        """(the reply's Content or "success", a problem with the reply or None)."""
        if reply == b"success":
            return "success", None
        try:
            doc = xmltodict.parse(reply)["xml"]
            if aes:
                plain = self.crypto.decrypt_message(reply.decode(), doc["MsgSignature"], doc["TimeStamp"], doc["Nonce"])
                doc = xmltodict.parse(plain)["xml"]
            content = doc.get("Content")
            if content is None or set(doc) - {"ToUserName", "FromUserName", "CreateTime", "MsgType", "Content"}:
                return None, f"reply XML with unexpected fields {sorted(doc)}"
            return content, None
        except Exception as error:  # a reply WeChat could not read
            return None, f"unreadable reply ({type(error).__name__}: {error})"

    async def send_message(self, rnd: random.Random, fields: Dict[str, Any], aes: bool, route: str,
                           turn: bool = False) -> Outcome:
        xml = wx_xml(fields)
        if aes:
            query, body = self.envelope(xml)
        else:
            query, body = self.sign_url(), xml.encode("utf-8", "surrogatepass")
        status, reply = await self.post(query, body)
        if status == 200 and len(self.recent) < 500:
            self.recent.append((query, body))
        elif status == 200:
            self.recent[rnd.randrange(500)] = (query, body)
        return self.read(status, reply, aes, route, fields, turn)

    def read(self, status: int, reply: bytes, aes: bool, route: str, fields: Any, turn: bool) -> Outcome:
        category = classify(status)
        full = False
        if status == 200:
            content, problem = self.read_reply(reply, aes)
            if problem:
                return Outcome(route, "200 bad reply", "error", example=short(fields), reply=problem)
            if content and content.startswith(WX_TURN_FAILED):
                return Outcome(route, "200 turn failed", "error", example=short(fields), reply=short(content))
            full = turn and content != "success" and not any(content.startswith(c) for c in WX_CANNED)
            if turn and content == "success" and isinstance(fields, dict):
                # answered later through the customer-service API: a full turn once the push arrives
                self.deferred[fields["FromUserName"]] += 1
                self.run.stats[self.name].extra["deferred_turns"] += 1
        outcome = Outcome(route, status, category, full, short(fields), short(reply))
        self.credit_pushes()
        return outcome

    def credit_pushes(self) -> None:
        """Count deferred turns whose answer reached the fake WeChat API (not openids an agent wrote to)."""
        agent = self.run.targets.get("agent")
        touched = agent.conversations if agent is not None else set()
        credited = sum(min(n, self.run.wechat_api.sent.get(openid, 0))
                       for openid, n in self.deferred.items() if openid not in touched)
        if credited > self.credited:
            new, self.credited = credited - self.credited, credited
            self.run.budgets[self.name].full += new
            self.run.stats[self.name].full_turns += new
            self.run.stats[self.name].extra["deferred_turns_answered"] += new

    async def turn(self, rnd: random.Random, state: dict) -> Outcome:
        n = self.next_id()
        aes = rnd.random() < 0.5
        fields = self.message(rnd, self.openid(n), "text" if rnd.random() < 0.85 else "voice")
        return await self.send_message(rnd, fields, aes, f"POST /webhooks/wechat/webhook ({'aes' if aes else 'plain'})",
                                       turn=True)

    async def cheap(self, rnd: random.Random, state: dict) -> Outcome:
        kind = self.pick(rnd, state, {"verify": 10, "verify_bad": 6, "other_type": 22, "event": 10, "retry": 10,
                              "bad_sig": 10, "stale": 4, "bad_msg_sig": 5, "bad_encrypt": 4, "raw": 10,
                              "doctype": 2, "huge": 2, "no_fields": 3, "health": 2})
        aes = rnd.random() < 0.5
        mode = "aes" if aes else "plain"
        if kind in ("verify", "verify_bad"):
            return await self._cheap_verify(rnd, kind)
        if kind == "health":
            status, reply, _ = await self.request("GET", "/webhooks/wechat/")
            return Outcome("GET /webhooks/wechat/", status, classify(status), reply=short(reply))
        if kind in ("other_type", "event"):
            fields = self.message(rnd, self.openid(self.counter + rnd.randint(0, 60)),
                                  "event" if kind == "event" else self.src("wx.type"))
            return await self.send_message(rnd, fields, aes, f"POST /webhooks/wechat/webhook ({mode})")
        if kind == "retry" and self.recent:
            query, body = rnd.choice(self.recent)
            status, reply = await self.post(query, body)
            return self.read(status, reply, query.get("encrypt_type") == "aes",
                             "POST /webhooks/wechat/webhook (retry)", "a retry of an accepted message", False)
        if kind in ("bad_sig", "stale", "bad_msg_sig"):
            return await self._cheap_bad_door(rnd, kind, aes)
        if kind == "bad_encrypt":
            query = self.sign_url()
            encrypt = rnd.choice([self.src("wx.any"), "AAAA", "=" * 8, "a" * 333])
            signer = WeChatSigner()
            signer.add_data(self.token, query["timestamp"], query["nonce"], encrypt.encode("utf-8", "surrogatepass"))
            query.update(encrypt_type="aes", msg_signature=signer.signature)
            body = f"<xml><Encrypt>{cdata(encrypt)}</Encrypt></xml>".encode("utf-8", "surrogatepass")
            status, reply = await self.post(query, body)
            return Outcome("POST /webhooks/wechat/webhook (aes)", status, classify(status), example=short(encrypt),
                           reply=short(reply))
        if kind == "doctype":
            body = (b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    b"<xml><FromUserName>&e;</FromUserName><MsgType>text</MsgType><Content>x</Content></xml>")
        elif kind == "huge":
            body = wx_xml(self.message(rnd, self.openid(self.counter), "text", "x" * rnd.choice([70_000, 3_000_000]))
                          ).encode()
        elif kind == "no_fields":
            body = rnd.choice([b"<xml></xml>", b"<xml><MsgType>text</MsgType></xml>", b"<xml>x</xml>",
                               b"<notxml/>", b"<xml><FromUserName><a/></FromUserName><MsgType>text</MsgType></xml>",
                               wx_xml({"FromUserName": self.src("wx.any"), "MsgType": self.src("wx.type"),
                                       "Content": self.src("wx.any"), "CreateTime": self.src("wx.value"),
                                       "MsgId": self.src("wx.value")}).encode("utf-8", "surrogatepass")])
        else:
            body = self.src("wx.raw")
        if aes and kind != "huge":
            query = self.sign_url()
            try:
                encrypted = self.crypto.encrypt_message(body.decode("utf-8"), query["nonce"], query["timestamp"])
                envelope = xmltodict.parse(encrypted)["xml"]
                query.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"])
                body = f"<xml><Encrypt>{cdata(envelope['Encrypt'])}</Encrypt></xml>".encode()
            except (UnicodeDecodeError, ValueError):
                mode = "plain"
        else:
            query = self.sign_url()
        status, reply = await self.post(query, body)
        return self.read(status, reply, "encrypt_type" in query, f"POST /webhooks/wechat/webhook ({kind}, {mode})",
                         body, False)

    async def _cheap_bad_door(self, rnd: random.Random, kind: str, aes: bool) -> Outcome:
        """A message with a wrong, stale or missing signature: must be refused at the door."""
        marked = f"fzx{self.run.seed}-wx-{self.next_id()}"
        fields = self.message(rnd, marked, "text", rnd.choice(S.PHRASES))
        xml = wx_xml(fields)
        if aes:
            query, body = self.envelope(xml)
        else:
            query, body = self.sign_url(), xml.encode()
        if kind == "stale":
            query.update(self.sign_url(timestamp=str(int(time.time()) - rnd.choice([301, 86400, -400]))))
            if aes:
                query["msg_signature"] = "0" * 40
        elif kind == "bad_sig":
            # (a lone surrogate cannot travel in a URL: the client would drop it)
            query[rnd.choice(["signature", "nonce"])] = rnd.choice(
                ["", "0" * 40, self.src("wx.any").encode("utf-8", "ignore").decode()])
            if aes and (rnd.random() < 0.5 or not query.get("signature")):
                # with AES the door is msg_signature; the URL signature is checked only when present
                query.pop("signature", None)
                query["msg_signature"] = "f" * 40
        else:
            if not aes:
                query, body = self.envelope(xml)
            query["msg_signature"] = rnd.choice(["", "0" * 40, query["signature"]])
        status, reply = await self.post(query, body)
        category = classify(status, bad_door=True)
        return Outcome(f"POST /webhooks/wechat/webhook ({kind})", status, category, example=short(query),
                       reply=short(reply), refused_id=marked if category == "refused_door" else None)

    async def _cheap_verify(self, rnd: random.Random, kind: str) -> Outcome:
        """The URL check (GET), with a right or a spoilt signature."""
        query = self.sign_url()
        query["echostr"] = self.src("wx.any").encode("utf-8", "ignore").decode() if rnd.random() < 0.5 \
            else f"{rnd.getrandbits(60)}"
        if kind == "verify_bad":
            query[rnd.choice(["signature", "timestamp", "nonce"])] = rnd.choice(["", "0", "x" * 40, "１"])
        status, reply, _ = await self.request("GET", "/webhooks/wechat/webhook", params=query)
        category = classify(status, bad_door=kind == "verify_bad")
        if status == 200 and kind == "verify" and reply.decode("utf-8", "replace") != query["echostr"]:
            category = "error" if query["echostr"].isprintable() else category
        return Outcome("GET /webhooks/wechat/webhook", status, category, example=short(query), reply=short(reply))


# ============================================================ IVR
IVR_REPROMPTS = ("Sorry, I didn't", "抱歉，我没有", "What can I help you with?", "请问有什么可以帮您")


class IvrTarget(Target):
    name = "ivr"
    workers = 10

    def __init__(self, run: "Run") -> None:
        super().__init__(run)
        self.secret = run.env["IVR_SECRET"].encode()
        self.src.register("ivr.text", S.turn_text_with_escalation)
        self.src.register("ivr.any", S.any_text)
        self.src.register("ivr.raw", S.raw_bodies)
        self.src.register("ivr.json", S.json_values)
        self.src.register("ivr.lang", S.languages)
        self.src.register("ivr.caller", st.one_of(st.sampled_from(["+8613800138000", "+14155552671", "anonymous",
                                                                   "", "0044 20 7946 0958"]),
                                                  st.from_regex(r"\A\+?[0-9]{6,15}\Z"), S.unicode_text))
        self.src.register("ivr.digits", st.one_of(st.from_regex(r"\A[0-9*#]{1,32}\Z"),
                                                  st.sampled_from(["1", "2", "3", "0", "100002", "100002#", "#", "*"])))

    def sign(self, body: bytes, timestamp: Optional[int] = None) -> Dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = hmac.new(self.secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        return {"X-IVR-Timestamp": ts, "X-IVR-Signature": signature, "Content-Type": "application/json"}

    async def post(self, body: bytes, headers: Dict[str, str], vxml: bool) -> tuple[int, bytes]:
        status, reply, _ = await self.request("POST", "/webhooks/ivr/" + ("vxml" if vxml else "webhook"),
                                              data=body, headers=headers)
        return status, reply

    def call(self, rnd: random.Random, state: dict, fresh: bool = False) -> dict:
        call = state.get("call")
        if fresh or call is None or call["events"] >= rnd.randint(4, 9) or call.get("ended"):
            call = {"id": f"fz{self.run.seed}-{state['wid']}-{self.next_id()}", "seq": 0, "events": 0,
                    "lang": rnd.choice(["en-US", "zh-CN"]), "caller": self.src("ivr.caller"), "started": False,
                    "sent": []}
            state["call"] = call
        return call

    async def event(self, rnd: random.Random, call: dict, event: Dict[str, Any], turn: bool) -> Outcome:
        body_dict = {"call_id": call["id"], "seq": call["seq"], "caller": call["caller"], "lang": call["lang"], **event}
        call["seq"] += 1
        call["events"] += 1
        body = json.dumps(body_dict).encode()
        vxml = rnd.random() < 0.3
        status, reply = await self.post(body, self.sign(body), vxml)
        call["sent"].append(body)
        return self.read(status, reply, vxml, body_dict, turn, call)

    def read(self, status: int, reply: bytes, vxml: bool, body: Any, turn: bool, call: Optional[dict]) -> Outcome:
        route = "POST /webhooks/ivr/" + ("vxml" if vxml else "webhook")
        if status != 200:
            return Outcome(route, status, classify(status), example=short(body), reply=short(reply))
        says: List[str] = []
        if vxml:
            try:
                import xml.etree.ElementTree as ET

                root = ET.fromstring(reply)
                says = ["".join(p.itertext()) for p in root.iter("{http://www.w3.org/2001/vxml}prompt")]
                ends = any(el.tag.endswith(("disconnect", "transfer")) for el in root.iter())
            except Exception as error:
                return Outcome(route, "200 bad VoiceXML", "error", example=short(body),
                               reply=f"{type(error).__name__}: {error}; {short(reply)}")
        else:
            data = load_json(reply)
            if not isinstance(data, dict) or not isinstance(data.get("actions"), list):
                return Outcome(route, "200 bad reply", "error", example=short(body), reply=short(reply))
            says = [a.get("text", "") for a in data["actions"] if isinstance(a, dict) and a.get("action") == "say"]
            ends = any(isinstance(a, dict) and a.get("action") in ("hangup", "transfer") for a in data["actions"])
        if call is not None and ends:
            call["ended"] = True
        full = turn and bool(says) and not all(s.strip().startswith(IVR_REPROMPTS) for s in says)
        return Outcome(route, status, "handled", full, short(body), short(reply))

    async def turn(self, rnd: random.Random, state: dict) -> Outcome:
        call = self.call(rnd, state)
        if not call["started"]:
            call["started"] = True
            return await self.event(rnd, call, {"event": "start"}, True)
        if rnd.random() < 0.8:
            event: Dict[str, Any] = {"event": "speech", "text": self.src("ivr.text")}
            if rnd.random() < 0.7:
                event["confidence"] = round(rnd.uniform(0.5, 1.0), 3)
        else:
            event = {"event": "dtmf", "digits": rnd.choice(["100002", "100001#", "0", "1", "2"])}
        return await self.event(rnd, call, event, True)

    async def cheap(self, rnd: random.Random, state: dict) -> Outcome:
        kind = self.pick(rnd, state, {"miss": 14, "hangup": 12, "retry": 12, "dtmf": 10, "unknown": 6, "ended": 8,
                              "bad_sig": 12, "stale": 4, "raw": 10, "shape": 10, "health": 2})
        if kind == "health":
            status, reply, _ = await self.request("GET", "/webhooks/ivr/")
            return Outcome("GET /webhooks/ivr/", status, classify(status), reply=short(reply))
        if kind in ("miss", "dtmf", "unknown"):
            return await self._cheap_quiet(rnd, state, kind)
        if kind == "hangup":
            call = self.call(rnd, state, fresh=rnd.random() < 0.5)
            outcome = await self.event(rnd, call, {"event": "hangup"}, False)
            call["ended"] = True
            return outcome
        if kind == "ended":
            call = state.get("ended_call")
            if call is None:
                call = state["ended_call"] = {"id": f"fz{self.run.seed}-e{state['wid']}", "seq": 0, "events": 0,
                                              "lang": "en", "caller": None, "started": True, "sent": []}
                return await self.event(rnd, call, {"event": "hangup"}, False)
            return await self.event(rnd, call, {"event": rnd.choice(["start", "speech", "dtmf", "no_input"]),
                                                "text": "hello", "digits": "1"}, False)
        if kind == "retry":
            call = state.get("call") or state.get("quiet")
            if not call or not call["sent"]:
                return await self.cheap(rnd, state)
            body = rnd.choice(call["sent"])
            vxml = rnd.random() < 0.3
            if rnd.random() < 0.5:  # a genuine retry: the same bytes, re-signed or the very same headers
                headers = self.sign(body)
            else:
                headers = self.sign(body)
                await self.post(body, headers, vxml)  # the original ...
            status, reply = await self.post(body, headers, vxml)  # ... and its retry
            outcome = self.read(status, reply, vxml, load_json(body), False, None)
            outcome.route += " (retry)"
            return outcome
        if kind in ("bad_sig", "stale"):
            return await self._cheap_bad_door(rnd, kind)
        if kind == "raw":
            body = self.src("ivr.raw")
        else:  # shape: JSON with wrong or extreme fields
            data = self.src("ivr.json")
            if isinstance(data, dict) and rnd.random() < 0.6:
                data.setdefault("call_id", rnd.choice([f"fz{self.run.seed}-s{self.next_id()}", self.src("ivr.any")]))
                data.setdefault("seq", rnd.choice([0, -1, 10**9, 1.5, True, "1", None]))
                data.setdefault("event", rnd.choice(["speech", "dtmf", "start", None, 5, self.src("ivr.any")]))
                data.setdefault("text", rnd.choice([None, 5, "", " ", "x" * 1001, self.src("ivr.any")]))
                data.setdefault("confidence", rnd.choice([None, -0.1, 1.1, "0.9", float("1e308"), True]))
                data.setdefault("digits", rnd.choice([None, "", "12a", "1" * 33, 5, self.src("ivr.any")]))
            try:
                body = json.dumps(data).encode()
            except ValueError:
                body = b"{}"
        status, reply = await self.post(body, self.sign(body), rnd.random() < 0.3)
        if status == 200:
            return self.read(status, reply, False if reply.startswith(b"{") else True, body, False, None)
        return Outcome("POST /webhooks/ivr/webhook|vxml", status, classify(status), example=short(body),
                       reply=short(reply))

    async def _cheap_bad_door(self, rnd: random.Random, kind: str) -> Outcome:
        """A request with a wrong, stale or missing signature: must be refused at the door."""
        marked = f"fzx{self.run.seed}-{self.next_id()}"
        body = json.dumps({"call_id": marked, "seq": 0, "event": "speech", "text": rnd.choice(S.PHRASES),
                           "lang": "en"}).encode()
        if kind == "stale":
            headers = self.sign(body, int(time.time()) + rnd.choice([-301, -86400, 400]))
        else:
            headers = self.sign(body)
            how = rnd.randrange(5)
            if how == 0:
                headers.pop("X-IVR-Signature")
            elif how == 1:
                headers["X-IVR-Signature"] = hmac.new(b"wrong", body, hashlib.sha256).hexdigest()
            elif how == 2:
                headers["X-IVR-Signature"] = headers["X-IVR-Signature"].upper()
            elif how == 3:
                headers["X-IVR-Timestamp"] = rnd.choice(["", "x", "1e9", "-1", "9" * 30, " 1"])
            else:
                body = body.replace(b"speech", b"dtmf  ")  # signed bytes changed
        status, reply = await self.post(body, headers, rnd.random() < 0.3)
        category = classify(status, bad_door=True)
        return Outcome("POST /webhooks/ivr/webhook|vxml (bad signature)", status, category,
                       example=short({"headers": headers, "body": body}), reply=short(reply),
                       refused_id=f"ivr-{marked}" if category == "refused_door" else None)

    async def _cheap_quiet(self, rnd: random.Random, state: dict, kind: str) -> Outcome:
        """On a call of its own that never starts a turn: a miss, keys or an unknown event."""
        # on a call of its own that never starts a turn: two misses, then a new call
        call = state.get("quiet")
        if call is None or call["events"] >= 2:
            call = state["quiet"] = {"id": f"fz{self.run.seed}-q{state['wid']}-{self.next_id()}", "seq": 0,
                                     "events": 0, "lang": self.src("ivr.lang"), "caller": self.src("ivr.caller"),
                                     "started": True, "sent": []}
        if kind == "miss":
            event: Dict[str, Any] = {"event": rnd.choice(["no_input", "no_match"])}
            if rnd.random() < 0.3:
                event = {"event": "speech", "text": self.src("ivr.text"), "confidence": round(rnd.uniform(0, 0.49), 3)}
        elif kind == "dtmf":
            digits = self.src("ivr.digits")
            event = {"event": "dtmf", "digits": "9" + digits if digits.rstrip("#") in ("0", "1", "2", "3") or
                     len(digits.rstrip("#")) == 6 else digits}
        else:
            event = {"event": self.src("ivr.any"), "text": self.src("ivr.any")[:900]}
            if event["event"] in ("start", "speech", "dtmf", "hangup"):
                event["event"] = "x" + event["event"]
        return await self.event(rnd, call, event, False)


# ============================================================ agent API
AGENTS = [("alice", "supervisor")] + [(f"agent{i}", "agent") for i in range(5)]
AGENT_PASSWORD = "pass-word-1"


@dataclass
class TicketPool:
    ids: List[str] = field(default_factory=list)
    holder: Dict[str, str] = field(default_factory=dict)  # ticket -> agent who claimed it
    messages: Dict[str, int] = field(default_factory=dict)
    closed: set = field(default_factory=set)
    refreshed: float = 0.0


class AgentTarget(Target):
    name = "agent"
    workers = 6

    def __init__(self, run: "Run") -> None:
        super().__init__(run)
        self.tokens: Dict[str, str] = {}
        self.pool = TicketPool()
        self.conversations: set = set()  # of the tickets in the pool: agent replies are pushed there
        self.photos: List[str] = []  # ids of photos agents sent (issue 14)
        self.relogin = True  # off for the refused-only batch: a login there is a write the batch did not cause
        self.src.register("agent.text", S.any_text)
        self.src.register("agent.id", S.ids)
        self.src.register("agent.raw", S.raw_bodies)
        self.src.register("agent.json", S.json_values)
        self.src.register("agent.query", st.dictionaries(st.sampled_from(
            ["q", "channel", "language", "assigned", "limit", "offset", "since", "conversation_id", "x"]),
            st.one_of(S.unicode_text, st.integers(-5, 10**12).map(str), st.sampled_from(
                ["me", "none", "any", "web", "wechat", "zh", "2026-01-01T00:00:00Z", "-1", "1e9"])), max_size=4))

    async def login(self, username: str) -> Optional[str]:
        status, reply, _ = await self.request("POST", "/agent/api/login",
                                              json={"username": username, "password": AGENT_PASSWORD})
        data = load_json(reply)
        return data.get("token") if status == 200 and isinstance(data, dict) else None

    async def setup(self) -> None:
        for username, _role in AGENTS:
            token = await self.login(username)
            if token:
                self.tokens[username] = token

    def auth(self, username: str) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.get(username, '')}"}

    async def api(self, method: str, path: str, username: Optional[str], **kwargs: Any) -> tuple[int, bytes]:
        headers = kwargs.pop("headers", None) or (self.auth(username) if username else {})
        status, reply, _ = await self.request(method, "/agent/api" + path, headers=headers, **kwargs)
        if status == 401 and self.relogin and username and \
                headers.get("Authorization", "").endswith(self.tokens.get(username, "?")):
            token = await self.login(username)  # expired or revoked: log in again
            if token:
                self.tokens[username] = token
        return status, reply

    async def before_refused_batch(self) -> None:
        """Log every agent in afresh and stop logging in again on a 401: a token another worker logged
        out would otherwise make the batch log in — a write no refused request caused."""
        await self.setup()
        self.relogin = False

    async def refresh(self) -> None:
        if time.monotonic() - self.pool.refreshed < 5:
            return
        self.pool.refreshed = time.monotonic()
        for query in ("", "?assigned=any&limit=500"):
            status, reply = await self.api("GET", "/queue" + query, "alice")
            data = load_json(reply)
            if status == 200 and isinstance(data, list):
                for ticket in data:
                    tid = ticket.get("ticket_id") if isinstance(ticket, dict) else None
                    if tid and tid not in self.pool.ids and tid not in self.pool.closed:
                        self.pool.ids.append(tid)
                        self.conversations.add(ticket.get("conversation_id"))

    async def turn(self, rnd: random.Random, state: dict) -> Outcome:
        await self.refresh()
        live = [t for t in self.pool.ids if t not in self.pool.closed]
        if not live:
            return await self.cheap(rnd, state)
        ticket = rnd.choice(live[-50:])
        holder = self.pool.holder.get(ticket)
        if holder is None:
            username = rnd.choice(self.tokens and list(self.tokens) or ["alice"])
            status, reply = await self.api("POST", f"/tickets/{quote(ticket)}/claim", username)
            if status == 200:
                self.pool.holder[ticket] = username
            elif status == 409:
                self.pool.holder.setdefault(ticket, "?")
            route = "POST /agent/api/tickets/<id>/claim"
            example = {"ticket": ticket, "as": username}
        elif holder != "?" and (self.pool.messages.get(ticket, 0) < 25 or rnd.random() < 0.9):
            text = self.src("agent.text") if rnd.random() < 0.5 else rnd.choice(S.PHRASES)
            status, reply = await self.api("POST", f"/tickets/{quote(ticket)}/messages", holder,
                                           json={"text": text})
            self.pool.messages[ticket] = self.pool.messages.get(ticket, 0) + 1
            route = "POST /agent/api/tickets/<id>/messages"
            example = {"ticket": ticket, "text": text}
        else:
            username = holder if holder != "?" else "alice"
            disposition = rnd.choice(["resolved", "follow_up", "no_response", "transferred"])
            status, reply = await self.api("POST", f"/tickets/{quote(ticket)}/close", username,
                                           json={"disposition": disposition})
            if status in (200, 404, 409):
                self.pool.closed.add(ticket)
            route = "POST /agent/api/tickets/<id>/close"
            example = {"ticket": ticket, "disposition": disposition}
        return Outcome(route, status, classify(status), status == 200, short(example), short(reply))

    async def cheap(self, rnd: random.Random, state: dict) -> Outcome:
        kind = self.pick(rnd, state, {"queue": 14, "ticket": 12, "tickets": 8, "metrics": 1, "bad_token": 14,
                              "bad_login": 3, "login_shape": 4, "bad_body": 14, "unknown_ticket": 10,
                              "desk_routes": 12, "page": 3, "logout_login": 1, "photos": 10})
        username = rnd.choice(list(self.tokens) or ["alice"])
        live = [t for t in self.pool.ids if t not in self.pool.closed] or ["none"]
        if kind == "queue":
            query = self.src("agent.query")
            status, reply = await self.api("GET", "/queue", username, params=query)
            return Outcome("GET /agent/api/queue", status, classify(status), example=short(query), reply=short(reply))
        if kind == "ticket":
            ticket = rnd.choice(self.pool.ids or ["none"])
            status, reply = await self.api("GET", f"/tickets/{quote(ticket)}", username)
            return Outcome("GET /agent/api/tickets/<id>", status, classify(status), example=ticket, reply=short(reply))
        if kind == "tickets":
            cid = rnd.choice([f"fz{self.run.seed}-rest-{rnd.randint(0, 50)}", self.src("agent.id")])
            params = {"conversation_id": cid} if rnd.random() < 0.9 else {}
            status, reply = await self.api("GET", "/tickets", username, params=params)
            return Outcome("GET /agent/api/tickets", status, classify(status), example=short(params),
                           reply=short(reply))
        if kind == "metrics":
            params = rnd.choice([{}, {"since": "2026-01-01T00:00:00Z"}, {"since": self.src("agent.id")}])
            status, reply = await self.api("GET", "/metrics", username, params=params)
            return Outcome("GET /agent/api/metrics", status, classify(status), example=short(params),
                           reply=short(reply))
        if kind == "bad_token":
            return await self._cheap_bad_token(rnd, username, live)
        if kind == "bad_login":
            body = {"username": rnd.choice(["alice", "agent1", self.src("agent.id")]),
                    "password": rnd.choice(["", "wrong", self.src("agent.text")])}
            status, reply = await self.api("POST", "/login", None, json=body)
            return Outcome("POST /agent/api/login", status, classify(status, bad_door=True), example=short(body),
                           reply=short(reply))
        if kind == "login_shape":
            raw = self.src("agent.raw") if rnd.random() < 0.5 else json.dumps(self.src("agent.json")).encode()
            status, reply = await self.api("POST", "/login", None, data=raw, headers={"Content-Type": "application/json"})
            return Outcome("POST /agent/api/login", status, classify(status, bad_door=True), example=short(raw),
                           reply=short(reply))
        if kind == "bad_body":
            ticket = rnd.choice(live)
            path = rnd.choice(["messages", "close", "claim", "notes", "transfer", "typing"])
            raw = self.src("agent.raw") if rnd.random() < 0.5 else json.dumps(self.src("agent.json")).encode()
            status, reply = await self.api("POST", f"/tickets/{quote(ticket)}/{path}", username, data=raw,
                                           headers={**self.auth(username), "Content-Type": "application/json"})
            return Outcome(f"POST /agent/api/tickets/<id>/{path}", status, classify(status), example=short(raw),
                           reply=short(reply))
        if kind == "unknown_ticket":
            ticket = quote(self.src("agent.id"), safe="")
            method, path = rnd.choice([("GET", ""), ("POST", "/claim"), ("POST", "/messages"), ("POST", "/close"),
                                       ("POST", "/notes"), ("POST", "/transfer"), ("POST", "/typing")])
            status, reply = await self.api(method, f"/tickets/{ticket}{path}", username,
                                           json={"text": "hello", "disposition": "resolved", "agent": "agent1"})
            return Outcome(f"{method} /agent/api/tickets/<unknown>{path}", status, classify(status), example=ticket,
                           reply=short(reply))
        if kind == "desk_routes":  # routes of DESIGN §7 being added: search, notes, transfer, canned, logout
            return await self._cheap_desk_routes(rnd, username, live)
        if kind == "photos":  # issue 14: an agent sends a photo on a ticket, fetches one
            return await self._cheap_photos(rnd, username, live)
        if kind == "logout_login":  # revoke a token, then log in again
            status, reply = await self.api("POST", "/logout", username)
            token = await self.login(username)
            if token:
                self.tokens[username] = token
            return Outcome("POST /agent/api/logout", status, classify(status), example=username, reply=short(reply))
        name = rnd.choice(["", "static/app.js", "static/style.css", "static/index.html", "static/../__init__.py",
                           f"static/{quote(self.src('agent.id'), safe='')}"])
        status, reply, _ = await self.request("GET", f"/agent/{name}")
        return Outcome("GET /agent/<page>", status, classify(status), example=name, reply=short(reply[:100]))

    async def _cheap_desk_routes(self, rnd: random.Random, username: str, live: list) -> Outcome:
        """Routes of DESIGN §7 being added: search, notes, transfer, canned."""
        ticket = rnd.choice(live)
        method, path, body = rnd.choice([
            ("GET", "/search", None), ("GET", "/canned", None), ("GET", "/transfer-targets", None),
            ("POST", "/canned", {"language": self.src("agent.json"), "text": self.src("agent.text")}),
            ("POST", "/canned", {"language": rnd.choice(["en", "zh"]), "title": self.src("agent.text")[:90],
                                 "text": self.src("agent.text"), **({"id": rnd.randint(-1, 40)} if rnd.random() < 0.5
                                                                    else {})}),
            ("POST", "/canned", {"id": rnd.choice([rnd.randint(-2, 40), self.src("agent.json")]),
                                 "delete": rnd.choice([True, self.src("agent.json")])}),
            ("POST", f"/tickets/{quote(ticket)}/notes", {"text": self.src("agent.text")}),
            ("POST", f"/tickets/{quote(ticket)}/transfer", rnd.choice([{"agent": rnd.choice(list(self.tokens) or ["x"])},
                                                                       {"skill": self.src("agent.id")},
                                                                       self.src("agent.json")])),
        ])
        params = {"q": self.src("agent.text")[:200]} if path == "/search" else (
            {"language": self.src("agent.id")} if path == "/canned" and method == "GET" else None)
        status, reply = await self.api(method, path, username, params=params, json=body)
        return Outcome(f"{method} /agent/api{path.replace(quote(ticket), '<id>')}", status, classify(status),
                       example=short(body or params), reply=short(reply))

    async def _cheap_photos(self, rnd: random.Random, username: str, live: list) -> Outcome:
        """``POST /tickets/<id>/attachments`` (as the holder or not: 409; real pictures and not) and
        ``GET /attachments/<id>`` (one the desk listed, or made up)."""
        if rnd.random() < 0.4:
            photo = rnd.choice(self.photos) if self.photos and rnd.random() < 0.6 else self.src("agent.id")
            status, reply = await self.api("GET", f"/attachments/{quote(photo, safe='')}", username)
            return Outcome("GET /agent/api/attachments/<id>", status, classify(status), example=short(photo),
                           reply=short(reply[:100]))
        ticket = rnd.choice(live)
        holder = self.pool.holder.get(ticket)
        as_user = holder if holder and holder != "?" and rnd.random() < 0.7 else username
        body = photo_body(rnd, self.src("agent.raw"))
        params = {"text": self.src("agent.text")[:300]} if rnd.random() < 0.3 else None
        status, reply = await self.api("POST", f"/tickets/{quote(ticket)}/attachments", as_user, data=body,
                                       params=params, headers={**self.auth(as_user), "Content-Type": "image/png"})
        data = load_json(reply)
        found = data.get("attachment") if isinstance(data, dict) else None
        if status in (200, 201) and isinstance(found, dict) and isinstance(found.get("id"), str):
            self.photos.append(found["id"])
            del self.photos[:-200]
        return Outcome("POST /agent/api/tickets/<id>/attachments", status, classify(status),
                       example=short(body[:80]) + f" ({len(body)} bytes)", reply=short(reply))

    async def _cheap_bad_token(self, rnd: random.Random, username: str, live: list) -> Outcome:
        """Any agent route without a valid bearer token."""
        method, path = rnd.choice([("GET", "/queue"), ("GET", f"/tickets/{live[0]}"), ("GET", "/metrics"),
                                   ("POST", f"/tickets/{live[0]}/claim"), ("POST", f"/tickets/{live[0]}/messages"),
                                   ("POST", f"/tickets/{live[0]}/close"), ("GET", "/tickets?conversation_id=x"),
                                   ("POST", "/logout"), ("GET", "/search?q=QX"), ("POST", f"/tickets/{live[0]}/notes"),
                                   ("GET", "/canned"), ("POST", "/canned"), ("POST", f"/tickets/{live[0]}/transfer"),
                                   ("GET", "/transfer-targets"), ("POST", f"/tickets/{live[0]}/typing"),
                                   ("POST", f"/tickets/{live[0]}/attachments"),
                                   ("GET", f"/attachments/{rnd.choice(self.photos or ['0' * 32])}")])
        token = rnd.choice(["", "Bearer ", "Bearer x", f"Bearer {self.tokens.get(username, '')}x",
                            f"Token {self.tokens.get(username, '')}",
                            "Bearer " + "".join(c for c in self.src("agent.id") if c.isprintable() and c.isascii())])
        status, reply = await self.api(method, path, None, headers={"Authorization": token} if token else
                                       {"X-None": "1"}, json={"text": "hi", "disposition": "resolved"})
        return Outcome(f"{method} /agent/api{path.split('?')[0].replace(live[0], '<id>')} (bad token)", status,
                       classify(status, bad_door=True), example=short(token), reply=short(reply))


TARGETS = {cls.name: cls for cls in (RestTarget, WebchatTarget, WeChatTarget, IvrTarget, AgentTarget)}
