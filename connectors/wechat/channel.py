"""WeChat Official Account channel (DESIGN.md §8): `/webhooks/wechat/`.

A thin adapter over `protocol` (pure functions) and `api` (WeChat's server
API). The 5-second rule: WeChat waits 5 s for the HTTP answer and then
retries (3 tries in all). When the bot's answer is ready within
`reply_budget_s` it goes back as a passive reply; otherwise the request gets
`success` at once and the answer goes out through the customer-service API
when ready. Each message key (MsgId, or FromUserName + CreateTime for
events) is processed once: a retry waits for the same turn or gets its
cached reply; on another Rasa server it gets the reply from the shared
conversation-state store, or (while the first turn still runs) runs into
the conversation lock and is answered from the tracker without a second
turn (``metadata.message_id``, bot/storage/idempotency.py). The numbered options
last shown to a follower are kept in the same store.

Configuration: credentials.yml values win, else the WECHAT_* environment
variables (DESIGN.md §10). With WECHAT_TOKEN unset the channel stays
mounted (Rasa starts) but answers every webhook call with 503 (JSON: `{"error": …, "reason": "ServiceUnavailable"}`).
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.events import SubscribeEvent, SubscribeScanEvent, UnsubscribeEvent
from wechatpy.messages import (ImageMessage, LinkMessage, LocationMessage, ShortVideoMessage, TextMessage,
                               VideoMessage, VoiceMessage)

from bot.queue.delivery import register_pusher
from bot.channels.attachments import PHOTO_TEXT, ImageRefused
from bot.services import ImagesBusy, attachments as attachments_service, run_image
from bot.services import outbox as outbox_service
from bot.services import tickets as tickets_service
from bot.settings import Settings
from bot.storage.conversation_state import StateStore, shared_token, state_key, state_store
from bot.storage.uow import SqlAlchemyUnitOfWork
from connectors.guard import unavailable, wechat_limited
from connectors.wechat import protocol
from connectors.wechat.api import OutsideReplyWindow, WeChatApiClient, WeChatApiError
from connectors.wechat.replay import SignedUrlStore, StateSignedUrlStore, url_key

logger = logging.getLogger(__name__)

CHANNEL = "wechat"
DEFAULT_API_BASE = "https://api.weixin.qq.com"
WELCOME = (
    "您好，欢迎关注 QX 客服！我是智能助手，可以帮您：\n"
    "1. 查询订单状态（直接发送订单号，如 QX-100001）\n"
    "2. 修改收货地址（发货前）\n"
    "3. 重置密码\n"
    "4. 解答营业时间、配送、退换货、支付和发票等常见问题\n"
    "需要人工服务请发送“转人工”。支持文字和语音消息。We also speak English."
)
ONLY_TEXT = "抱歉，我目前只能读懂文字、语音和图片消息，请用文字描述您的问题。(Sorry, I can only read text, voice and photos.)"
PHOTO_FAILED = "抱歉，这张图片没能收到（只支持 PNG、JPEG、WebP、GIF，且不超过大小限制），请重新发送或用文字描述。"
VOICE_UNRECOGNISED = "抱歉，没能识别这条语音，请您直接输入文字，我马上为您处理。"
TURN_FAILED = "抱歉，系统暂时繁忙，请稍后再发一次。"
SUCCESS = "success"
URL_REUSED = ("this signed URL was already used with another body (plain mode signs only the URL; "
              "use safe mode)")


@dataclass(frozen=True)
class WeChatConfig:
    """The WeChat channel's settings: credentials.yml values first, else the WECHAT_* variables (DESIGN §10).

    ``mode`` is ``plain``, ``compat`` or ``safe`` (AES, WeChat's recommendation);
    times are in seconds and sizes in bytes.
    """

    token: Optional[str]
    app_id: Optional[str] = None
    app_secret: Optional[str] = None
    aes_key: Optional[str] = None
    mode: str = "plain"
    api_base: str = DEFAULT_API_BASE
    reply_budget_s: float = 4.0
    timestamp_window_s: float = 300.0
    max_body_bytes: int = protocol.MAX_BODY_BYTES
    text_limit_bytes: int = protocol.TEXT_LIMIT_BYTES
    dedup_ttl_s: float = 120.0
    outbox_retry_after_s: float = 30.0  # younger outbox rows may still be in bot.queue.delivery's own push
    options_ttl_s: float = 48 * 3600.0  # numbered options stay answerable by number (WeChat's 48-hour window)

    @classmethod
    def from_credentials(cls, credentials: Optional[Mapping[str, Any]],
                         env: Optional[Mapping[str, str]] = None) -> "WeChatConfig":
        """Read the settings from a credentials.yml entry and the environment (``env``, or the process's).

        Raises:
            ValueError: the mode is not one of ``protocol.MODES``, or a number in credentials.yml is not one.
        """
        credentials = credentials or {}
        settings = Settings.from_env(env)

        def value(key: str, from_env: Optional[str], default: Any = None) -> Any:
            given = credentials.get(key)
            if given not in (None, ""):
                return given
            return from_env or default

        mode = str(value("mode", settings.wechat_mode, "plain")).lower()
        if mode not in protocol.MODES:
            raise ValueError(f"WeChat mode must be one of {protocol.MODES}, not {mode!r}")
        return cls(
            token=value("token", settings.wechat_token),
            app_id=value("app_id", settings.wechat_app_id),
            app_secret=value("app_secret", settings.wechat_app_secret),
            aes_key=value("encoding_aes_key", settings.wechat_aes_key),
            mode=mode,
            api_base=value("api_base", settings.wechat_api_base, DEFAULT_API_BASE),
            reply_budget_s=float(credentials.get("reply_budget_s", 4.0)),
            timestamp_window_s=float(credentials.get("timestamp_window_s", 300.0)),
            max_body_bytes=int(credentials.get("max_body_bytes", protocol.MAX_BODY_BYTES)),
        )

    def problem(self) -> Optional[str]:
        """Why the channel cannot serve requests, or None."""
        if not self.token:
            return "WeChat channel not configured: set WECHAT_TOKEN"
        if self.mode != "plain" and not (protocol.aes_key_valid(self.aes_key) and self.app_id):
            return f"WeChat {self.mode} mode needs WECHAT_AES_KEY (43 characters) and WECHAT_APP_ID"
        return None


class WeChatCollectingOutput(CollectingOutputChannel):
    """Collects a turn's messages; named `wechat` so `channel: wechat` responses apply."""

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``wechat``."""
        return CHANNEL


class WeChatOutput(OutputChannel):
    """Push through the customer-service API, for messages outside a webhook call
    (e.g. `POST /conversations/<openid>/trigger_intent?output_channel=wechat`).
    Sends are spawned, so the caller does not wait on WeChat's servers."""

    def __init__(self, channel: "WeChatInput") -> None:
        self.channel = channel

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``wechat``."""
        return CHANNEL

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Push one bot message to ``recipient_id`` (an openid) in the background."""
        self.channel._spawn(self.channel.push(recipient_id, [message]))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Push a text message to ``recipient_id`` in the background."""
        await self.send_response(recipient_id, {"text": text})


@dataclass
class _Turn:
    future: "asyncio.Future[List[str]]"
    started: float = field(default_factory=time.monotonic)
    mode: Optional[str] = None  # "passive" (answered in the HTTP reply) | "push" (through the API)


class WeChatInput(InputChannel):
    """The WeChat official-account channel (DESIGN §8): webhook under ``/webhooks/wechat``.

    A turn answered within ``reply_budget_s`` goes back in the HTTP reply (passive
    reply); a later one is pushed through the customer-service API.
    """

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``wechat``."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "WeChatInput":
        """Build the channel; a missing setting is logged and the webhook answers 503 until it is set.

        Raises:
            ValueError: the mode or a number in credentials.yml is invalid.
        """
        config = WeChatConfig.from_credentials(credentials)
        if config.problem():
            logger.warning("%s; /webhooks/wechat answers 503 until then", config.problem())
        return cls(config)

    def __init__(self, config: WeChatConfig, api: Optional[WeChatApiClient] = None,
                 signed_urls: Optional[SignedUrlStore] = None) -> None:
        """`signed_urls` remembers the body each plain-mode URL was used with (default: in the
        conversation-state store, shared by every server when REDIS_URL is set)."""
        self.config = config
        self.api = api or WeChatApiClient(  # one token for every server when REDIS_URL is set
            config.api_base, config.app_id, config.app_secret,
            shared_token=shared_token(f"wechat:{config.app_id}") if config.app_id else None)
        self._turns: Dict[str, _Turn] = {}  # turns running in this process, with their futures
        # How each message key was answered ("passive" with its text, or "push") and the numbered
        # options last shown to each follower, in the conversation-state store (bot/storage/conversation_state.py;
        # shared by every server when REDIS_URL is set), so a retry is not run again anywhere.
        self.answers: StateStore = state_store()
        self.signed_urls: SignedUrlStore = signed_urls or StateSignedUrlStore(self.answers)
        self._tasks: set = set()

    def get_output_channel(self) -> OutputChannel:
        """The channel that pushes through the customer-service API (:class:`WeChatOutput`)."""
        return WeChatOutput(self)

    # --- outgoing ---------------------------------------------------------

    async def send_parts(self, openid: str, parts: List[str]) -> bool:
        """Customer-service messages, in order; False when one failed."""
        for part in parts:
            try:
                await self.api.send_text(openid, part)
            except OutsideReplyWindow as error:
                await asyncio.to_thread(record_outside_window, openid, part, error)
                return False
            except WeChatApiError as error:
                logger.error("WeChat message to %s not sent: errcode %s %s", openid, error.errcode, error.errmsg)
                await asyncio.to_thread(record_not_delivered, openid, part, error)
                return False
        return True

    async def push(self, conversation_id: str, messages: List[dict]) -> bool:
        """Pusher for bot.queue.delivery: agent replies (text, and photos as image messages) and the CSAT question."""
        text, payloads = protocol.render(messages)
        if payloads:
            await self._remember_options(conversation_id, payloads)
        if not await self.send_parts(conversation_id, protocol.split_text(text, self.config.text_limit_bytes)):
            return False
        for attachment_id in protocol.photo_ids(messages):
            if not await self.send_photo(conversation_id, attachment_id):
                return False
        return True

    async def send_photo(self, openid: str, attachment_id: str) -> bool:
        """A stored photo to ``openid``: uploaded as temporary media, then an image message; False on failure."""
        found = await asyncio.to_thread(load_photo, attachment_id)
        if found is None:
            logger.error("WeChat photo %s to %s: no such attachment", attachment_id, openid)
            return False
        try:
            media_id = await self.api.upload_image(found.data, found.filename, found.content_type)
            await self.api.send_image(openid, media_id)
        except OutsideReplyWindow as error:
            await asyncio.to_thread(record_outside_window, openid, "[photo]", error)
            return False
        except WeChatApiError as error:
            logger.error("WeChat photo to %s not sent: errcode %s %s", openid, error.errcode, error.errmsg)
            await asyncio.to_thread(record_not_delivered, openid, "[photo]", error)
            return False
        return True

    async def _photo_turn(self, request: Request, message: Any, metadata: dict,
                          on_new_message: Callable[[UserMessage], Awaitable[Any]], arrived: float,
                          aes: bool) -> HTTPResponse:
        """An image message: rate-limited, the photo fetched and stored, then a turn like a text."""
        openid = message.source
        if sorry := await wechat_limited(request, openid):
            return self._reply(message, sorry, aes)
        text, photo = await self.receive_photo(message, protocol.dedup_key(message))
        if text is None:
            return self._reply(message, PHOTO_FAILED, aes)
        if photo:
            metadata["attachment_id"] = photo
        reply = await self.answer(protocol.dedup_key(message), on_new_message, openid, text, metadata, arrived)
        return self._reply(message, reply, aes)

    async def receive_photo(self, message: Any, key: str) -> tuple:
        """``(text, attachment id)`` for a follower's image message: the photo fetched through
        ``media/get`` and stored through bot.services.attachments (same checks as a web upload);
        ``(None, None)`` when it could not be fetched or is refused. A retry of a message already
        being answered fetches nothing again (``(text, None)``: its turn runs once anyway)."""
        text = PHOTO_TEXT["zh"]
        if key in self._turns or await self.answers.get(state_key("wechat:answer", key)) is not None:
            return text, None
        media_id = getattr(message, "media_id", None)  # wechatpy ImageMessage.media_id (MediaId)
        if not isinstance(media_id, str) or not media_id:
            return None, None
        try:
            data = await self.api.get_media(media_id, attachments_service.limits()[0])
            image = await run_image(attachments_service.check, data)  # the picture pool, not the DB's threads
            stored = await asyncio.to_thread(store_photo, image, message.source)
        except WeChatApiError as error:
            logger.warning("WeChat photo %s of %s not fetched: errcode %s %s", media_id, message.source,
                           error.errcode, error.errmsg)
            return None, None
        except (ImageRefused, ImagesBusy) as refused:
            logger.info("WeChat photo %s of %s refused: %s", media_id, message.source, refused)
            return None, None
        return text, stored.attachment_id

    async def flush_outbox(self, openid: str) -> None:
        """Agent replies whose push failed (e.g. 45015) go out once the customer writes again."""
        try:
            pending = await asyncio.to_thread(claim_stale_outbox, openid, self.config.outbox_retry_after_s)
        except Exception:
            logger.exception("could not read the outbox for %s", openid)
            return
        if pending:
            ids, messages = zip(*pending)
            if not await self.push(openid, list(messages)):
                await asyncio.to_thread(release_outbox, list(ids))

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- numbered options ---------------------------------------------------

    async def _remember_options(self, openid: str, payloads: List[str]) -> None:
        """The buttons last shown to ``openid``, answerable by number (none: forgets the last ones)."""
        if payloads:
            await self.answers.put(state_key("wechat:options", openid), payloads, self.config.options_ttl_s)
        else:
            await self.answers.delete(state_key("wechat:options", openid))

    async def options(self, openid: str) -> List[str]:
        """The payloads of the numbered options last shown to ``openid`` ([] when none)."""
        return await self.answers.get(state_key("wechat:options", openid)) or []

    # --- turns ------------------------------------------------------------

    async def _run_turn(self, turn: _Turn, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                        openid: str, text: str, metadata: dict, key: str) -> None:
        collector = WeChatCollectingOutput()
        try:
            await on_new_message(UserMessage(text, collector, openid, input_channel=CHANNEL, metadata=metadata))
            rendered, payloads = protocol.render(collector.messages)
            await self._remember_options(openid, payloads)
            parts = protocol.split_text(rendered, self.config.text_limit_bytes)
        except Exception:
            logger.exception("WeChat message from %s could not be handled", openid)
            parts = [TURN_FAILED]
        turn.future.set_result(parts)
        if turn.mode == "push":  # the HTTP request already answered `success`
            await self._push_once(key, openid, parts)

    @property
    def running_turns(self) -> frozenset:
        """The dedup keys (``bot``-side ``protocol.dedup_key``) of the turns this process runs or
        finished recently (their answers are reused for WeChat's retries)."""
        return frozenset(self._turns)

    def _forget_old_turns(self) -> None:
        now = time.monotonic()
        for key in [k for k, t in self._turns.items() if t.future.done() and now - t.started > self.config.dedup_ttl_s]:
            del self._turns[key]

    async def answer(self, key: str, on_new_message: Callable[[UserMessage], Awaitable[Any]], openid: str,
                     text: str, metadata: dict, arrived: float) -> Optional[str]:
        """The passive reply text, or None for `success` (sent or to be sent through the API)."""
        turn = self._turns.get(key)
        if turn is None:
            answered = await self.answers.get(state_key("wechat:answer", key))
            if answered is not None:  # a retry of a turn that was answered: the same, nothing run again
                return answered.get("text") if answered.get("mode") == "passive" else None
            self._forget_old_turns()
            self._spawn(self.flush_outbox(openid))
            payload = protocol.option_payload(text, await self.options(openid))
            if payload is not None:
                text = payload
            turn = _Turn(asyncio.get_running_loop().create_future())
            self._turns[key] = turn
            self._spawn(self._run_turn(turn, on_new_message, openid, text, metadata, key))
        elif turn.mode == "push":
            return None  # a retry after we said `success`: the API delivers the answer
        remaining = self.config.reply_budget_s - (time.monotonic() - arrived)
        if not turn.future.done():
            try:
                await asyncio.wait_for(asyncio.shield(turn.future), timeout=max(remaining, 0.0))
            except asyncio.TimeoutError:
                if not turn.future.done():
                    turn.mode = turn.mode or "push"
                    await self._remember(key, turn.mode)
                    return None
        if turn.mode == "push":
            return None
        parts = turn.future.result()
        if len(parts) > 1:  # one passive reply holds one message: keep the order, send all through the API
            turn.mode = "push"
            await self._remember(key, turn.mode)
            self._spawn(self._push_once(key, openid, parts))
            return None
        answered = await self.answers.get(state_key("wechat:answer", key))
        if answered is not None and answered.get("mode") == "push":  # another server pushes it
            turn.mode = "push"
            return None
        turn.mode = "passive"
        text = parts[0] if parts else None
        await self._remember(key, turn.mode, text)
        return text

    async def _push_once(self, key: str, openid: str, parts: List[str]) -> None:
        """Send the answer to message ``key`` through the API, unless a server already did
        (a retry's turn on another server answers it again from the tracker)."""
        if await self.answers.add(state_key("wechat:pushed", key), 1, self.config.dedup_ttl_s):
            await self.send_parts(openid, parts)

    async def _remember(self, key: str, mode: str, text: Optional[str] = None) -> None:
        """Record how the message ``key`` was answered (kept ``dedup_ttl_s``)."""
        await self.answers.put(state_key("wechat:answer", key), {"mode": mode, "text": text}, self.config.dedup_ttl_s)

    # --- HTTP ---------------------------------------------------------------

    def _unavailable(self) -> Optional[HTTPResponse]:
        problem = self.config.problem()
        return unavailable(problem) if problem else None

    def _reply(self, message: Any, text: Optional[str], aes: bool) -> HTTPResponse:
        if not text:
            return response.text(SUCCESS)
        xml = protocol.text_reply_xml(message, text)
        if aes:
            xml = protocol.encrypt(self.config.token, self.config.aes_key, self.config.app_id, xml)
        return response.text(xml, content_type="application/xml; charset=utf-8")

    async def handle_post(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """Verify and answer one message POSTed by WeChat.

        Returns:
            ``success`` (nothing to say now, or answered later by push) or the passive
            reply XML, encrypted in safe mode.

        Raises:
            protocol.ProtocolError: wrong mode (400), bad signature (403), a timestamp that is no Unix
                seconds (400) or stale (403), reused signed URL (403), unreadable or malformed body
                (400/413; a field read as text repeated or nested, too) (the route answers its status).
        """
        arrived = time.monotonic()
        config = self.config
        args = request.args
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        encrypt_type = (args.get("encrypt_type") or "raw").lower()
        aes = encrypt_type == "aes"
        if config.mode == "safe" and not aes:
            raise protocol.ProtocolError("safe mode expects encrypt_type=aes")
        if config.mode == "plain" and aes:
            raise protocol.ProtocolError("plain mode does not accept encrypted messages")
        # The signatures first (constant time): nothing else of an unsigned request is looked at (its
        # timestamp was, and 400 digits raised OverflowError, then the catch-all answered "success").
        if not aes or args.get("signature"):
            if not protocol.signature_ok(protocol.sign(config.token, timestamp, nonce), args.get("signature")):
                raise protocol.ProtocolError("bad signature", 403)
        body = request.body or b""
        if aes:  # the msg_signature covers <Encrypt>: the envelope is read to check it
            envelope = protocol.xml_fields(body, config.max_body_bytes)
            if not isinstance(envelope.get("Encrypt"), str):
                raise protocol.ProtocolError("encrypted message without <Encrypt>")
            if not protocol.msg_signature_ok(config.token, timestamp, nonce, envelope["Encrypt"],
                                             args.get("msg_signature")):
                raise protocol.ProtocolError("bad msg_signature", 403)
        sent_at = protocol.check_timestamp(timestamp, time.time(), config.timestamp_window_s)
        if aes:
            xml = protocol.decrypt(config.token, config.aes_key, config.app_id, envelope["Encrypt"],
                                   args.get("msg_signature"), timestamp, nonce)
        else:
            protocol.guard_xml(body, config.max_body_bytes)
            xml = protocol.decode_body(body)
        message = protocol.parse(xml, config.max_body_bytes)
        if not aes:  # the signature covers the URL only: one URL, one body (a retry repeats both)
            expires_at = sent_at + config.timestamp_window_s + 1
            if not await self.signed_urls.claim(url_key(timestamp, nonce), protocol.body_digest(body), expires_at):
                raise protocol.ProtocolError(URL_REUSED, 403)
        openid = message.source
        metadata = {"wechat": {"msg_type": message.type, "to": message.target,
                               "create_time": message.time, "msg_id": message.id or None},
                    "channel": CHANNEL,
                    # a retry on another server while this turn runs is answered, not run again
                    "message_id": f"wechat:{protocol.dedup_key(message)}"[:128]}

        if isinstance(message, TextMessage):
            text = (message.content or "").strip()
        elif isinstance(message, VoiceMessage):
            text = (message.recognition or "").strip()
            if not text:
                return self._reply(message, VOICE_UNRECOGNISED, aes)
        elif isinstance(message, ImageMessage):  # a photo (issue 14): fetched, checked and stored like a web upload
            return await self._photo_turn(request, message, metadata, on_new_message, arrived, aes)
        elif isinstance(message, (LocationMessage, LinkMessage, VideoMessage, ShortVideoMessage)):
            return self._reply(message, ONLY_TEXT, aes)
        elif isinstance(message, (SubscribeEvent, SubscribeScanEvent)):
            logger.info("WeChat follower %s subscribed", openid)
            return self._reply(message, WELCOME, aes)
        elif isinstance(message, UnsubscribeEvent):
            logger.info("WeChat follower %s unsubscribed", openid)
            return response.text(SUCCESS)
        else:
            logger.debug("WeChat %s message ignored", message.type)
            return response.text(SUCCESS)
        if not text:
            return response.text(SUCCESS)
        if sorry := await wechat_limited(request, openid):  # over the rate limit: a polite reply, never an error
            return self._reply(message, sorry, aes)
        reply = await self.answer(protocol.dedup_key(message), on_new_message, openid, text, metadata, arrived)
        return self._reply(message, reply, aes)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The Sanic blueprint: health, the URL check (``GET``) and messages (``POST``) under ``/webhooks/wechat``."""
        register_pusher(CHANNEL, self.push)
        webhook = Blueprint("wechat_webhook", __name__)

        @webhook.route("/", methods=["GET", "HEAD"])  # the channel's public health check: HEAD too
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.config.problem() is None else "not_configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            unavailable = self._unavailable()
            if unavailable:
                return unavailable
            args = request.args
            expected = protocol.sign(self.config.token, args.get("timestamp", ""), args.get("nonce", ""))
            if not protocol.signature_ok(expected, args.get("signature")):
                return response.text("bad signature", status=403)
            try:  # as for messages: a captured verification URL is not good for ever (a fresh new user's finding)
                protocol.check_timestamp(args.get("timestamp", ""), time.time(), self.config.timestamp_window_s)
            except protocol.ProtocolError as error:
                logger.warning("WeChat URL check refused (%s): %s", error.status, error)
                return response.text(str(error), status=error.status)
            return response.text(args.get("echostr", ""))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            unavailable = self._unavailable()
            if unavailable:
                return unavailable
            try:
                return await self.handle_post(request, on_new_message)
            except protocol.ProtocolError as error:
                logger.warning("WeChat request refused (%s): %s", error.status, error)
                return response.text(str(error), status=error.status)
            except Exception:  # never a 500 to WeChat: it would retry a message we cannot read
                logger.exception("WeChat request could not be handled")
                return response.text(SUCCESS)

        return webhook


def store_photo(data: Any, openid: str) -> Any:
    """Store a follower's photo (bytes, or a ``CheckedImage`` already checked in the picture pool;
    ``bot.services.attachments.store``); the Attachment."""
    return attachments_service.store(SqlAlchemyUnitOfWork(), data, openid, CHANNEL, "customer")


def load_photo(attachment_id: str) -> Any:
    """A stored photo with its bytes, or None."""
    return attachments_service.for_agent(SqlAlchemyUnitOfWork(), attachment_id)


def record_outside_window(openid: str, text: str, error: WeChatApiError) -> None:
    """45015: log, and note it on the customer's open ticket so the agent knows."""
    logger.warning("WeChat 45015 for %s: outside the 48-hour window, message not delivered", openid)
    try:
        tickets_service.note_delivery_failure(SqlAlchemyUnitOfWork(), openid, text,
                                              {"channel": CHANNEL, "errcode": error.errcode, "errmsg": error.errmsg})
    except Exception:
        logger.exception("could not record the 45015 error for %s", openid)


def record_not_delivered(openid: str, text: str, error: WeChatApiError) -> None:
    """Any other refusal (after the API client's retries): noted on the customer's open ticket too, so an agent's
    reply that did not reach WeChat is not shown as sent (a fresh new user, session 45: errcode -3 left no mark).
    The reply stays in the outbox and goes out when the customer writes again."""
    try:
        tickets_service.note_delivery_failure(SqlAlchemyUnitOfWork(), openid, text,
                                              {"channel": CHANNEL, "errcode": error.errcode, "errmsg": error.errmsg,
                                               "retry": "when the customer writes again"})
    except Exception:
        logger.exception("could not record the delivery failure for %s", openid)


def claim_stale_outbox(openid: str, older_than_s: float) -> List[tuple]:
    """Undelivered WeChat outbox rows older than `older_than_s`, marked delivered (claimed)."""
    return outbox_service.claim_stale(SqlAlchemyUnitOfWork(), openid, CHANNEL, older_than_s)


def release_outbox(ids: List[int]) -> None:
    """Claimed outbox rows back to undelivered (the push failed)."""
    outbox_service.release(SqlAlchemyUnitOfWork(), ids)