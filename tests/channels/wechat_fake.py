"""A local fake of WeChat for tests: its server API and its message pusher.

* `FakeWeChatApi`: an aiohttp server on a free loopback port implementing
  `GET /cgi-bin/token`, `POST /cgi-bin/message/custom/send` (text and image),
  and for photos `GET /cgi-bin/media/get` (serves what a test put in `media`)
  and `POST /cgi-bin/media/upload` (multipart `media`, kept in `uploaded`). It checks the
  app id/secret and the access token, records the messages, can expire every
  token it issued (42001 on next use) and can answer chosen openids with an
  error code (e.g. 45015).
* `WeChatClient`: what WeChat's servers do to the webhook: sign (and in AES
  mode encrypt) a message exactly as the protocol says, POST it, wait at most
  5 seconds and retry (3 tries in all), and check/decrypt the passive reply.
* `BackgroundLoop`: an event loop in a thread, to serve the fake and (for
  in-process channel tests) a Sanic app with the channel's blueprint.
"""
from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional

import requests
import xmltodict
from aiohttp import web

from connectors.wechat import protocol

APP_ID = "wx2c2769f8efd9abc2"
APP_SECRET = "fake-app-secret"
TOKEN = "spamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OFFICIAL_ACCOUNT = "gh_10f6c3c3ac5a"
WECHAT_DEADLINE_S = 5.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BackgroundLoop:
    """An asyncio loop in a daemon thread; `run(coro)` from test code."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Awaitable[Any], timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@dataclass
class FakeWeChatApi:
    app_id: str = APP_ID
    app_secret: str = APP_SECRET
    expires_in: int = 7200
    port: int = field(default_factory=free_port)
    sent: List[dict] = field(default_factory=list)
    token_requests: int = 0
    send_requests: int = 0
    errors_for: Dict[str, int] = field(default_factory=dict)  # openid -> errcode to answer
    busy_next: int = 0  # answer errcode -1 to the next N sends
    one_token: bool = False  # as WeChat: a new token retires the ones issued before (40001)
    _tokens: Dict[str, bool] = field(default_factory=dict)  # token -> still valid
    _counter: Any = field(default_factory=lambda: itertools.count(1))
    _runner: Optional[web.AppRunner] = None
    media: Dict[str, bytes] = field(default_factory=dict)  # media_id -> bytes that media/get serves
    uploaded: Dict[str, bytes] = field(default_factory=dict)  # media_id -> bytes media/upload received

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> "FakeWeChatApi":
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        app.router.add_get("/cgi-bin/media/get", self._media_get)
        app.router.add_post("/cgi-bin/media/upload", self._media_upload)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def expire_tokens(self) -> None:
        for token in self._tokens:
            self._tokens[token] = False

    def reset(self) -> None:
        self.sent.clear()
        self.errors_for.clear()
        self.busy_next = 0
        self.token_requests = self.send_requests = 0

    def messages_to(self, openid: str) -> List[str]:
        return [m["text"]["content"] for m in self.sent if m.get("touser") == openid and m.get("msgtype") == "text"]

    def images_to(self, openid: str) -> List[bytes]:
        """The pictures sent to ``openid`` as image messages (the bytes uploaded for each media_id)."""
        return [self.uploaded[m["image"]["media_id"]] for m in self.sent
                if m.get("touser") == openid and m.get("msgtype") == "image"]

    def _token_problem(self, request: web.Request) -> Optional[web.Response]:
        token = request.query.get("access_token", "")
        if token not in self._tokens:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if not self._tokens[token]:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        return None

    async def _media_get(self, request: web.Request) -> web.Response:
        problem = self._token_problem(request)
        if problem is not None:
            return problem
        data = self.media.get(request.query.get("media_id", ""))
        if data is None:
            return web.json_response({"errcode": 40007, "errmsg": "invalid media_id"})
        return web.Response(body=data, content_type="image/jpeg",
                            headers={"Content-disposition": 'attachment; filename="MEDIA.jpg"'})

    async def _media_upload(self, request: web.Request) -> web.Response:
        problem = self._token_problem(request)
        if problem is not None:
            return problem
        if request.query.get("type") != "image":
            return web.json_response({"errcode": 40004, "errmsg": "invalid media type"})
        form = await request.post()
        media = form.get("media")
        if media is None or not hasattr(media, "file"):
            return web.json_response({"errcode": 41005, "errmsg": "media data missing"})
        media_id = f"UPLOADED_{next(self._counter)}"
        self.uploaded[media_id] = media.file.read()
        return web.json_response({"type": "image", "media_id": media_id, "created_at": int(time.time())})

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        q = request.query
        if q.get("grant_type") != "client_credential" or q.get("appid") != self.app_id:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        if q.get("secret") != self.app_secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        token = f"ACCESS_TOKEN_{next(self._counter)}"
        if self.one_token:
            self._tokens.clear()
        self._tokens[token] = True
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    async def _send(self, request: web.Request) -> web.Response:
        self.send_requests += 1
        token = request.query.get("access_token", "")
        if token not in self._tokens:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if not self._tokens[token]:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        raw = await request.read()
        if b"\\u" in raw:  # WeChat shows JSON escapes literally: the client must send UTF-8
            return web.json_response({"errcode": 44002, "errmsg": "escaped unicode in body"})
        body = await request.json()
        if self.busy_next > 0:
            self.busy_next -= 1
            return web.json_response({"errcode": -1, "errmsg": "system error"})
        code = self.errors_for.get(body.get("touser"))
        if code:
            return web.json_response({"errcode": code, "errmsg": "response out of time limit or subscription is canceled"})
        image = body.get("msgtype") == "image" and body.get("image", {}).get("media_id") in self.uploaded
        if not image and (body.get("msgtype") != "text" or not body.get("text", {}).get("content")):
            return web.json_response({"errcode": 40008, "errmsg": "invalid message type"})
        self.sent.append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def wait_for_messages(self, openid: str, count: int = 1, timeout: float = 30) -> List[str]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.messages_to(openid)) >= count:
                return self.messages_to(openid)
            time.sleep(0.05)
        return self.messages_to(openid)


# --- messages as WeChat's servers write them ---------------------------------

_msg_ids = itertools.count(int(time.time()) * 1000)


def next_msg_id() -> int:
    return next(_msg_ids)


def message_xml(openid: str, msg_type: str, fields: Dict[str, Any], msg_id: Optional[int] = None,
                create_time: Optional[int] = None, to: str = OFFICIAL_ACCOUNT) -> str:
    body = {"ToUserName": to, "FromUserName": openid, "CreateTime": create_time or int(time.time()),
            "MsgType": msg_type, **fields}
    if msg_type != "event":
        body["MsgId"] = msg_id if msg_id is not None else next_msg_id()
    return xmltodict.unparse({"xml": body}, full_document=False)


def text_xml(openid: str, content: str, msg_id: Optional[int] = None) -> str:
    return message_xml(openid, "text", {"Content": content}, msg_id)


def voice_xml(openid: str, recognition: Optional[str]) -> str:
    fields = {"MediaId": "media-1", "Format": "amr"}
    if recognition is not None:
        fields["Recognition"] = recognition
    return message_xml(openid, "voice", fields)


def image_xml(openid: str, media_id: str, pic_url: str = "http://mmbiz.qpic.cn/fake/0") -> str:
    return message_xml(openid, "image", {"PicUrl": pic_url, "MediaId": media_id})


def event_xml(openid: str, event: str, create_time: Optional[int] = None, **extra: Any) -> str:
    return message_xml(openid, "event", {"Event": event, **extra}, create_time=create_time)


@dataclass
class Reply:
    status: int
    body: str
    elapsed: float
    fields: Optional[dict] = None  # the decrypted/parsed passive reply, if any

    @property
    def content(self) -> Optional[str]:
        return (self.fields or {}).get("Content")


class WeChatClient:
    """Posts messages to the webhook the way WeChat does."""

    def __init__(self, webhook_url: str, token: str = TOKEN, mode: str = "plain", aes_key: str = AES_KEY,
                 app_id: str = APP_ID) -> None:
        self.url = webhook_url
        self.token = token
        self.mode = mode
        self.aes_key = aes_key
        self.app_id = app_id

    def signed_params(self, body: Optional[str] = None, timestamp: Optional[int] = None) -> tuple[dict, bytes]:
        """Query string and body for one POST, per the protocol of `mode`."""
        ts = str(timestamp if timestamp is not None else int(time.time()))
        nonce = str(next_msg_id() % 10**9)
        params = {"signature": protocol.sign(self.token, ts, nonce), "timestamp": ts, "nonce": nonce}
        if self.mode == "plain" or body is None:
            return params, (body or "").encode("utf-8")
        envelope = xmltodict.parse(protocol.encrypt(self.token, self.aes_key, self.app_id, body, nonce, ts))["xml"]
        params.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"], openid="o")
        if self.mode == "compat":  # plaintext fields and ciphertext side by side
            fields = xmltodict.parse(body)["xml"]
            fields["Encrypt"] = envelope["Encrypt"]
            out = xmltodict.unparse({"xml": fields}, full_document=False)
        else:
            out = xmltodict.unparse({"xml": {"ToUserName": OFFICIAL_ACCOUNT, "Encrypt": envelope["Encrypt"]}},
                                    full_document=False)
        return params, out.encode("utf-8")

    def verify(self, echostr: str, good: bool = True) -> requests.Response:
        ts, nonce = str(int(time.time())), "12345"
        signature = protocol.sign(self.token if good else "wrong", ts, nonce)
        return requests.get(self.url, params={"signature": signature, "timestamp": ts, "nonce": nonce,
                                              "echostr": echostr}, timeout=10)

    def post_raw(self, params: dict, body: bytes, timeout: float = WECHAT_DEADLINE_S) -> Reply:
        started = time.monotonic()
        response = requests.post(self.url, params=params, data=body, timeout=timeout,
                                 headers={"Content-Type": "text/xml"})
        return Reply(response.status_code, response.text, time.monotonic() - started, self._open(response))

    def _open(self, response: requests.Response) -> Optional[dict]:
        if response.status_code != 200 or not response.text.strip().startswith("<xml>"):
            return None
        fields = xmltodict.parse(response.text)["xml"]
        if "Encrypt" in fields:  # check the reply's signature as WeChat would, then decrypt
            expected = protocol.sign(self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"])
            assert expected == fields["MsgSignature"], "passive reply with a bad MsgSignature"
            xml = protocol.decrypt(self.token, self.aes_key, self.app_id, fields["Encrypt"], fields["MsgSignature"],
                                   fields["TimeStamp"], fields["Nonce"])
            fields = xmltodict.parse(xml)["xml"]
        return fields

    def send(self, xml: str, tries: int = 3, force_tries: int = 1) -> List[Reply]:
        """Deliver like WeChat: 5 s per try, retry on timeout/error (`tries` in all).

        `force_tries` > 1 sends the same signed message that many times even
        after an answer, as WeChat does when an answer is lost on the way.
        """
        replies: List[Reply] = []
        params, body = self.signed_params(xml)
        for attempt in range(max(tries, force_tries)):
            try:
                reply = self.post_raw(params, body)
            except requests.Timeout:
                replies.append(Reply(0, "", WECHAT_DEADLINE_S))
                continue
            replies.append(reply)
            if reply.status == 200 and attempt + 1 >= force_tries:
                break
        return replies

    def say(self, xml: str) -> Reply:
        replies = self.send(xml)
        assert replies[-1].status == 200, replies
        return replies[-1]


# --- the channel in-process, with a scripted bot ---------------------------------

class ChannelServer:
    """A Sanic app serving one WeChatInput blueprint, on the background loop."""

    _names = itertools.count(1)

    def __init__(self, channel: Any, bot: Callable[[Any], Awaitable[None]], loop: BackgroundLoop) -> None:
        self.channel = channel
        self.bot = bot
        self.loop = loop
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/webhooks/wechat/webhook"
        self._server = None

    async def _start(self) -> None:
        from sanic import Sanic

        Sanic.test_mode = True  # several apps per process: keep Sanic's start-up rewrite idempotent
        app = Sanic(f"wechat_test_{next(self._names)}")
        app.blueprint(self.channel.blueprint(self.bot), url_prefix="/webhooks/wechat")
        self._server = await app.create_server(host="127.0.0.1", port=self.port, return_asyncio_server=True,
                                               access_log=False)
        await self._server.startup()
        await self._server.before_start()
        await self._server.after_start()

    def start(self) -> "ChannelServer":
        self.loop.run(self._start())
        return self

    def stop(self) -> None:
        async def _stop():
            if self._server:
                await self._server.before_stop()
                await self._server.close()
                await self._server.after_stop()
            await self.channel.api.close()

        try:
            self.loop.run(_stop(), timeout=20)
        except Exception:
            pass
