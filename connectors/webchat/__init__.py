"""Web chat: the channel behind the embeddable widget (channel name ``webchat``).

Served by the Rasa server:

- ``/socket.io`` — the push connection. It speaks socket.io as Rasa's own
  ``socketio`` channel does (``session_request`` → ``session_confirm``,
  ``user_uttered`` → ``bot_uttered``), so Rasa web chat widgets work against
  it too: a client that does not ask for ``qx-webchat/1`` in ``session_request``
  gets Rasa's exact ``bot_uttered`` payloads (built by Rasa's ``SocketIOOutput``),
  its language from ``customData``/``metadata`` and agent replies sent once,
  unacknowledged (``at_most_once``). Extra events for our widget, which asks for
  ``qx-webchat/1``: ``history`` (the conversation so far,
  sent after ``session_confirm``), ``user_echo`` (a message the customer sent
  from another tab), ``typing`` ``{on}``, ``status`` ``{state, position,
  agent, read_up_to}``, ``chat_error`` ``{code, message}`` and the live signals
  of bot/channels/live.py: ``agent_typing`` ``{agent}`` and ``read`` ``{up_to}``; from the
  widget, ``customer_typing`` ``{on}`` (shown on the agent's desk). Its
  messages carry ``timestamp`` (Unix seconds, the server's clock) and the
  acknowledgement of ``user_uttered`` is ``{message_id, timestamp}``.
- ``/chat/api/session|message|poll`` — the same over plain HTTP, for when the
  push connection cannot open (proxies that drop WebSockets). The widget
  posts JSON as ``text/plain`` so a cross-origin page needs no CORS
  preflight (Rasa answers every OPTIONS itself); allowed origins get
  ``Access-Control-Allow-Origin`` on the reply.
- ``/chat/`` — a demo shop page that embeds the widget;
  ``/chat/widget.js`` + ``/chat/widget.css`` — the widget (no build step).

Refused clearly, and nothing stored: an origin not on the allow-list, a
``session_id`` or ``message`` that is not a string (400 ``bad_request``), a
message over ``max_message_chars``, not valid Unicode or holding a NUL or
other control character (tab and newlines are fine), a ``shown_as`` that is
not a one-line string of valid Unicode, an HTTP body over
``MAX_BODY_BYTES`` (413), more than ``rate_limit_messages`` per
``rate_limit_window_s`` from one session, and the process-wide limits of
``bot.storage.ratelimit`` (``RATE_LIMIT_*``): requests per client address, messages
per session, new sessions per client address (``rate_limited``, 429 with
``Retry-After`` over HTTP), a malformed WebSocket handshake or engine.io/socket.io polling
payload (400, or 426 without ``Connection: Upgrade``; ``socket_requests.py``), and on an open socket a
message that does not decode, nests too deep or gives an event no JSON object or extra arguments (a
``chat_error`` ``bad_request``, one log line, the connection goes on). An invalid or expired signed
customer token is refused with a ``chat_error`` and the chat goes on
anonymously. The ``session_id`` a client holds is the session's secret; past
``session_request`` and ``_require_session`` only the public conversation id
(``bot.channels.webchat.public_id`` of it) is used: Rasa's sender id, rooms,
outbox, limits. Agent replies are pushed live to every open tab of the session
(socket.io room = conversation id) and count as delivered once a tab acknowledged
them (socket.io ack); otherwise they wait in the outbox and come back with the
history on reconnect.
"""
from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import re
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional
from urllib.parse import urlsplit

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from bot.queue.delivery import AT_MOST_ONCE, register_pusher
from bot.channels.live import register_signaller
from bot.domain import LANGUAGES, Channel, TicketState
from bot.customers.evidence import chat_owner
from bot.customers.identity import TokenProblem, check_customer_token
from bot.storage.idempotency import METADATA_KEY as MESSAGE_ID_KEY, MessageIdConflict, check_message_id
from bot.storage.ratelimit import environ_address, is_trusted, limits, message_cost, retry_after_header
from bot.services import ImagesBusy, attachments as attachments_service, run_db, run_image, webchat as webchat_service
from bot.channels.attachments import ImageRefused, customer_url, valid_attachment_id
from bot.settings import get_settings
from bot.storage.uow import SqlAlchemyUnitOfWork
from bot.services.webchat import session_rate_limiter
from bot.channels.webchat import (QX_PROTOCOL, RateLimiter, history, photo_key, rasa_messages, session_id_problem,
                                  widget_message)
from connectors import abandonment, guard
from connectors.photos import (FORM_OVERHEAD_BYTES, BadForm, ChecksInFlight, TooLarge, TooSlow, address_limiter,
                               check_own_photo, customer_hold, install_cleanup as install_photo_cleanup, photo_form, photo_response,
                               read_body)
from connectors.webchat.socket_requests import check_frames, socket_request_check
# rev14c #3: a form over its limit is named as the request (the picture in it has its own limit)
FORM_SUBJECT = "Photo upload requests (the form with the picture)"

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
NAMESPACE = "/"
ACK_TIMEOUT_S = 3.0  # an agent reply counts as delivered once a tab acknowledged it
TYPING_MIN_GAP_S = 1.0  # customer_typing "on" from one socket counts at most this often (the widget: every 2 s)
#: A ``status_request`` from one socket is answered at most this often (seconds); each answered one counts against the
#: client address's requests (helper-211, session 45: 60,000 a second from 3 sockets each ran a query, uncounted,
#: and another customer's turns went from 22-34 to 126-775 ms).
STATUS_MIN_GAP_S = 1.0
BARE_INTENT = re.compile(r"/[A-Za-z_][A-Za-z0-9_]*")  # a payload such as "/greet": no entities
RASA_ROOM = "rasa:"  # + session id: the room of a session's standard Rasa clients (plain shapes, no acks)
#: Rasa's name of this channel (``input_channel``, ``metadata.channel``, the socket blueprint).
WEBCHAT = Channel.WEB.rasa_name
MAX_BODY_BYTES = 64 * 1024
PAGE_HTML = (STATIC / "index.html").read_text(encoding="utf-8")
_INLINE = guard.inline_hashes(PAGE_HTML)
# The demo page: its own inline script and style (by hash), the widget's files,
# images from https (bot messages may show one), socket.io to this server.
PAGE_CSP = (f"default-src 'none'; script-src 'self' {' '.join(_INLINE['script'])}; "
            f"style-src 'self' {' '.join(_INLINE['style'])}; img-src 'self' data: https:; "
            "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
STATIC_FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}


class ChatRefused(Exception):
    """A message or session the channel refuses; ``status`` for HTTP, ``code`` for the widget."""

    def __init__(self, code: str, message: str, status: int = 400, retry_after_s: float = 0.0) -> None:
        super().__init__(message)
        self.code, self.status, self.retry_after_s = code, status, retry_after_s

    def as_dict(self) -> dict:
        """``{"code": ..., "message": ...}`` for the widget."""
        return {"code": self.code, "message": str(self)}


UNAVAILABLE = ChatRefused("unavailable", "The chat cannot start right now; please try again in a moment.", 503)
SERVER_ERROR = ChatRefused("server_error", "The assistant could not answer this message; please try again.", 500)


def malformed(sid: Optional[str], problem: str) -> ChatRefused:
    """The refusal (``bad_request``) of a socket.io message the chat cannot take, logged in one line.

    Args:
        sid: the socket (None before it joined the namespace).
        problem: what is wrong, for the client.

    Returns:
        The :class:`ChatRefused` to send as ``chat_error``.
    """
    logger.warning("web chat socket %s: malformed message refused: %s", sid, problem)
    return ChatRefused("bad_request", problem, 400)


def json_object(event: str, data: Any, optional: bool = False) -> dict:
    """The payload of a socket event that takes one JSON object (``None`` → ``{}`` when ``optional``).

    Raises:
        ChatRefused: ``bad_request`` when it is no object (logged by the caller's :func:`socket_refusals`).
    """
    if data is None and optional:
        return {}
    if not isinstance(data, dict):
        shown = "nothing" if data is None else type(data).__name__
        raise ChatRefused("bad_request", f'{event} needs a JSON object, e.g. {{"message": "…"}}, not {shown}', 400)
    return data


def socket_refusals(emit_error: Callable[[str, ChatRefused], Awaitable[None]],
                    unexpected: Optional[ChatRefused] = None, handshake: bool = False) -> Callable:
    """The socket side's one refusal handling: a socket.io handler ``(sid, *args)`` wrapped so that a
    :class:`ChatRefused` it raises becomes a ``chat_error`` to that socket (``emit_error``) and the
    handler answers None; on the ``connect`` handshake (``handshake``), where nothing can be
    emitted yet, it refuses the connection with the refusal's ``as_dict()`` instead. Arguments the
    handler does not take (a client's ``["user_uttered", {…}, 5]``) are refused as ``bad_request``
    before it runs (a client's own ``connect`` event: ignored). A ``bad_request`` is logged in one
    line. Any other exception is logged and sent as ``unexpected`` when given, else propagates."""
    def decorate(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        signature = inspect.signature(handler)

        @functools.wraps(handler)
        async def wrapped(sid: str, *args: Any) -> Any:
            try:
                signature.bind(sid, *args)
            except TypeError:
                if handshake:  # python-socketio also routes a client's event named "connect" here
                    logger.info("web chat socket %s sent a 'connect' event: ignored", sid)
                    return None
                await emit_error(sid, malformed(sid, f"{handler.__name__} takes one JSON object, "
                                                     f"not {len(args)} arguments"))
                return None
            try:
                return await handler(sid, *args)
            except ChatRefused as refused:
                if handshake:
                    raise SocketRefused(refused.as_dict()) from None
                if refused.code == "bad_request":
                    logger.warning("web chat socket %s: malformed %s refused: %s", sid, handler.__name__, refused)
                await emit_error(sid, refused)
            except Exception:
                if unexpected is None:
                    raise
                logger.exception("web chat socket event %s of %s failed", handler.__name__, sid)
                await emit_error(sid, unexpected)
            return None
        return wrapped
    return decorate


# --- database work (runs in a thread) ---------------------------------------------------

def too_fast(wait_s: float) -> ChatRefused:
    """A 429 refusal (``rate_limited``) telling the customer to wait ``wait_s`` seconds (rounded up)."""
    seconds = retry_after_header(wait_s)
    return ChatRefused("rate_limited", f"You are sending messages too fast; please wait {seconds} s.", 429, wait_s)


def _open_session(requested: Any, origin: Optional[str], address: Optional[str] = None) -> tuple[str, str, bool]:
    """``(secret, conversation_id, resumed)``: the requested session if ``requested`` is its secret,
    else a new one (counted against ``address``'s new sessions; ChatRefused when over the limit)."""
    try:
        return webchat_service.open_session(SqlAlchemyUnitOfWork(), requested, origin, address,
                                            limits().sessions.hit)
    except webchat_service.TooManySessions as over:
        seconds = retry_after_header(over.wait_s)
        raise ChatRefused("rate_limited", f"Too many new chats were opened from here; please wait {seconds} s.", 429,
                          over.wait_s) from None


def _store_photo(data: Any, session_id: str) -> Any:
    return attachments_service.store(SqlAlchemyUnitOfWork(), data, session_id, WEBCHAT, "customer")


def _customer_photo(attachment_id: str, session_id: Any, signature: Any) -> Any:
    return attachments_service.for_customer(SqlAlchemyUnitOfWork(), attachment_id, session_id, signature)


def _known_session(session_id: Any) -> Optional[str]:
    return webchat_service.known_session(SqlAlchemyUnitOfWork(), session_id)


def _status(session_id: str) -> dict:
    return webchat_service.status(SqlAlchemyUnitOfWork(), session_id)


def _pending_and_status(session_id: str) -> tuple[List[dict], dict]:
    return webchat_service.pending_and_status(SqlAlchemyUnitOfWork(), session_id)


def _resume(session_id: str) -> tuple[List[dict], dict]:
    return webchat_service.resume(SqlAlchemyUnitOfWork(), session_id)


def rasa_room(session_id: str) -> str:
    """The socket.io room of ``session_id``'s standard Rasa clients (the session id is our widget's room)."""
    return RASA_ROOM + session_id


def connection_base(environ: Dict[str, Any]) -> Optional[str]:
    """``scheme://host`` a socket.io client reached this server at (from its handshake): the Host
    header, and the scheme of the request (``X-Forwarded-Proto`` only from ``TRUSTED_PROXIES``);
    None when the host is missing or not a plain host[:port]."""
    request = environ.get("sanic.request")
    host = str(environ.get("HTTP_HOST") or "").strip()
    if not host or not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host):
        return None
    scheme = getattr(request, "scheme", None) or environ.get("wsgi.url_scheme") or "http"
    scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    forwarded = str(environ.get("HTTP_X_FORWARDED_PROTO") or "").split(",")[0].strip().lower()
    peer = getattr(request, "ip", None) if request is not None else None
    if forwarded in ("http", "https") and peer and is_trusted(peer, limits().trusted_proxies):
        scheme = forwarded
    return f"{scheme}://{host.lower()}" if scheme in ("http", "https") else None


def absolute_images(payload: Dict[str, Any], base: Optional[str]) -> Dict[str, Any]:
    """``payload`` (a Rasa ``bot_uttered``) with a server-relative picture URL (``attachment.payload.src``
    or ``image`` starting with one ``/``) made absolute on ``base`` (``PUBLIC_BASE_URL`` first), so
    a widget embedded on another origin loads it from this server; unchanged without a base."""
    base = get_settings().public_base_url or base
    if not base:
        return payload

    def fixed(url: Any) -> Any:
        return base + url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else url

    out = dict(payload)
    attachment = out.get("attachment")
    if isinstance(attachment, dict) and isinstance(attachment.get("payload"), dict):
        out["attachment"] = {**attachment, "payload": {**attachment["payload"],
                                                       "src": fixed(attachment["payload"].get("src"))}}
    if "image" in out:
        out["image"] = fixed(out["image"])
    return out


async def emit_rasa(sio: AsyncServer, message: Dict[str, Any], base: Optional[str] = None, **where: Any) -> None:
    """Emit ``message`` as Rasa's own socketio channel would (one ``bot_uttered`` per payload), picture
    URLs absolute on ``base`` (:func:`absolute_images`)."""
    for payload in await rasa_messages(message):
        await sio.emit("bot_uttered", absolute_images(payload, base), namespace=NAMESPACE, **where)


async def socket_base(sio: AsyncServer, sid: str) -> Optional[str]:
    """The ``scheme://host`` a socket of this server connected at (:func:`connection_base`); None for
    a socket of another server (shared rooms: set PUBLIC_BASE_URL)."""
    try:
        return (await sio.get_session(sid, namespace=NAMESPACE)).get("base")
    except KeyError:
        return None


def stamped(message: Dict[str, Any]) -> Dict[str, Any]:
    """``message`` in the widget's shape, with the server's time now when it has none."""
    shown = widget_message(message)
    shown.setdefault("timestamp", time.time())
    return shown


class WebchatOutput(OutputChannel):
    """Emits each bot message whole (text, quick replies, image) to the session's own-widget
    room, and in Rasa's exact shapes to its standard Rasa clients' room."""

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``webchat``."""
        return WEBCHAT

    def __init__(self, sio: AsyncServer, room: str) -> None:
        self.sio = sio
        self.room = room

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Emit one bot message to the session's widget room and, in Rasa's shapes, to its Rasa clients' room."""
        await self.sio.emit("bot_uttered", stamped(message), room=self.room, namespace=NAMESPACE)
        await emit_rasa(self.sio, message, room=rasa_room(self.room))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Emit a text-only bot message (see :meth:`send_response`)."""
        await self.send_response(recipient_id, {"text": text})



class ChatBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint that also adds the app-wide routes (``guard.add_app_routes``: ``HEAD /``,
    ``/favicon.ico``) as Rasa registers it, so a server with the web chat but not the desk has them too."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        """Add ``guard.add_app_routes`` (once per app), then attach socket.io and register as Rasa's blueprint does.

        Args:
            app: the Rasa server's Sanic app.
            options: Sanic's blueprint options (``url_prefix``…).
        """
        guard.add_app_routes(app)
        super().register(app, options)

class WebchatInput(InputChannel):
    """The web chat channel (DESIGN §8): socket.io and HTTP under ``/chat``, for our widget and Rasa's clients.

    Args (``from_credentials`` reads them from credentials.yml):
        allowed_origins: page origins allowed besides the server's own (``*``: any).
        max_message_chars: the longest message accepted (413 above it).
        rate_limit_messages, rate_limit_window_s: messages per session per window (seconds).
        socketio_path: where socket.io listens.
        history_limit: messages replayed when a session resumes.
    """

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``webchat``."""
        return WEBCHAT

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "WebchatInput":
        """Build the channel from its credentials.yml entry (see the class for the keys and defaults).

        Raises:
            ValueError: a numeric setting is not a number.
        """
        credentials = credentials or {}
        return cls(
            allowed_origins=credentials.get("allowed_origins") or [],
            max_message_chars=int(credentials.get("max_message_chars", 2000)),
            rate_limit_messages=int(credentials.get("rate_limit_messages", 10)),
            rate_limit_window_s=float(credentials.get("rate_limit_window_s", 20)),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            history_limit=int(credentials.get("history_limit", 200)),
        )

    def __init__(
        self,
        allowed_origins: Iterable[str] = (),
        max_message_chars: int = 2000,
        rate_limit_messages: int = 10,
        rate_limit_window_s: float = 20,
        socketio_path: str = "/socket.io",
        history_limit: int = 200,
    ) -> None:
        self.allowed_origins = {o.rstrip("/").lower() for o in allowed_origins if isinstance(o, str)}
        self.max_message_chars = max_message_chars
        self.limiter = session_rate_limiter(rate_limit_messages, rate_limit_window_s)  # Redis: every server
        self.socketio_path = socketio_path
        self.history_limit = history_limit
        self.sio: Optional[AsyncServer] = None
        self.app: Optional[Sanic] = None
        self.rooms: Optional[Any] = None  # RedisRoomMembers when REDIS_URL is set (several servers)
        self._sid_rooms: Dict[str, str] = {}  # this server's sockets -> their room, for the shared list
        self._typing_at: Dict[str, float] = {}  # this server's sockets -> when their customer_typing last counted
        self._status_at: Dict[str, float] = {}  # this server's sockets -> when their status_request was last answered

    def url_prefix(self) -> str:
        """Where Rasa mounts the blueprint: ``/chat``."""
        return "/chat"

    # --- checks shared by both transports --------------------------------------------

    def origin_allowed(self, origin: Optional[str], host: Optional[str]) -> bool:
        """No Origin (not a browser), the server's own origin, or one on the allow-list."""
        if not origin:
            return True
        if guard.text_problem(origin):  # stored with the session: never junk
            return False
        origin = origin.rstrip("/").lower()
        if origin in self.allowed_origins or "*" in self.allowed_origins:
            return True
        return bool(host) and urlsplit(origin).netloc == host.lower()

    async def check_message(self, session_id: str, text: Any) -> str:
        """Check a customer's message and count it against the session's limits.

        Returns:
            ``text`` unchanged.

        Raises:
            ChatRefused: not a string or no text (400), too long (413), control characters or lone
                surrogates (400), or over a rate limit (429 with the seconds to wait).
        """
        if text is not None and not isinstance(text, str):
            raise ChatRefused("bad_request", "message must be a string", 400)
        if not isinstance(text, str) or not text.strip():
            raise ChatRefused("bad_request", "a message needs some text", 400)
        if len(text) > self.max_message_chars:
            raise ChatRefused(
                "too_long", f"Messages can be at most {self.max_message_chars} characters; this one has {len(text)}.",
                413,
            )
        if guard.text_problem(text, multiline=True):
            raise ChatRefused("bad_request", "The message has characters that are not valid text "
                                             "(a control character or a lone surrogate).", 400)
        if not await self.limiter.allow_async(session_id):
            raise too_fast(self.limiter.retry_after(session_id))
        wait = await limits().sender.hit_async(f"webchat|{session_id}")
        if wait:
            raise too_fast(wait)
        return text

    @staticmethod
    def check_extras(data: dict) -> None:
        """The other text a message stores: ``shown_as`` (what a quick-reply click shows), if given,
        must be a string without control characters or lone surrogates (ChatRefused 400).

        Raises:
            ChatRefused: (400) ``shown_as`` is not a string or has forbidden characters.
        """
        try:  # the widget's id for the message: processed once (bot/storage/idempotency.py)
            check_message_id(data.get(MESSAGE_ID_KEY))
        except ValueError as bad:
            raise ChatRefused("bad_request", str(bad), 400) from None
        photo = data.get("attachment_id")
        if photo is not None and not valid_attachment_id(photo):
            raise ChatRefused("bad_request", "attachment_id must be the id /chat/api/attachments returned", 400)
        shown_as = data.get("shown_as")
        if shown_as is None:
            return
        if not isinstance(shown_as, str):
            raise ChatRefused("bad_request", "shown_as must be a string", 400)
        problem = guard.text_problem(shown_as)
        if problem:
            raise ChatRefused("bad_request", f"shown_as {problem}", 400)

    @staticmethod
    async def check_address(address: str, cost: float = 1.0) -> None:
        """Count one request from ``address`` (ChatRefused ``rate_limited`` when over the limit); ``cost``: what it
        spends of the allowance (``bot.storage.ratelimit.message_cost`` of a message, session 42).

        Raises:
            ChatRefused: ``rate_limited`` (429) when ``address`` is over its limit.
        """
        wait = await limits().address.hit_async(f"webchat|{address}", cost)
        if wait:
            raise too_fast(wait)

    @staticmethod
    def check_token(token: Any) -> tuple[Optional[str], Optional[dict]]:
        """(the token if valid, else None; the error to show, if any). Never raises: a refused
        token becomes the error to show."""
        if token in (None, ""):
            return None, None
        try:
            if isinstance(token, str) and guard.has_lone_surrogate(token):
                raise TokenProblem("invalid_token", "the customer token is not a JWT string")
            check_customer_token(token)
        except TokenProblem as problem:
            logger.warning("web chat customer token refused: %s", problem)
            return None, {"code": problem.code,
                          "message": f"Sign-in not accepted: {problem}. The chat continues without it."}
        return token, None

    @staticmethod
    def client_language(data: dict) -> Optional[str]:
        """The language a standard Rasa client names: ``customData.language`` (rasa-webchat) or
        ``metadata.language`` (Rasa's socketio channel), if ``en`` or ``zh``; else None."""
        for key in ("customData", "metadata"):
            extra = data.get(key)
            if isinstance(extra, dict) and extra.get("language") in LANGUAGES:
                return extra["language"]
        return None

    @staticmethod
    def with_language(text: str, language: Optional[str]) -> str:
        """A bare intent payload (``/greet``) from a client that named its language gets it as an
        entity (``/greet{"language": "zh"}``), as our widget sends it: the ``language`` slot is
        filled from that entity. Anything else is returned unchanged."""
        if language in LANGUAGES and BARE_INTENT.fullmatch(text):
            return text + json.dumps({"language": language})
        return text

    @staticmethod
    def metadata(token: Optional[str], language: Optional[str], data: dict) -> dict:
        """The message metadata Rasa gets: ``channel``, and if given the customer token, language,
        ``shown_as`` (at most 200 characters), ``hidden`` and the message id.
        """
        metadata: Dict[str, Any] = {"channel": WEBCHAT}
        if token:
            metadata["customer_token"] = token
        if language in LANGUAGES:
            metadata["language"] = language
        shown_as = data.get("shown_as")
        if isinstance(shown_as, str) and shown_as.strip():
            metadata["shown_as"] = shown_as.strip()[:200]
        if data.get("hidden") is True:
            metadata["hidden"] = True
        if isinstance(data.get(MESSAGE_ID_KEY), str):  # checked by check_extras
            metadata[MESSAGE_ID_KEY] = data[MESSAGE_ID_KEY]
        if valid_attachment_id(data.get("attachment_id")):  # checked as the session's own by own_photo
            metadata["attachment_id"] = data["attachment_id"]
        return metadata

    @staticmethod
    def id_conflict(session_id: str, data: dict, conflict: MessageIdConflict) -> ChatRefused:
        """The refusal of a message whose ``message_id`` the session used for another message
        (``bot.storage.idempotency``: nothing ran), logged in one line.

        Args:
            session_id: the conversation id.
            data: the message as the client sent it (its ``message_id`` is logged).
            conflict: what the turn raised.

        Returns:
            ``ChatRefused`` ``message_id_conflict`` (409) with the reason for the client.
        """
        logger.warning("web chat message %s of %s refused (409): its id was used for another message",
                       data.get(MESSAGE_ID_KEY), session_id)
        return ChatRefused("message_id_conflict", str(conflict), 409)

    @staticmethod
    async def own_photo(session_id: str, data: dict) -> None:
        """A message's ``attachment_id`` must name a photo this session uploaded (``connectors.photos.
        check_own_photo``, the REST channel's check too).

        Raises:
            ChatRefused: 400 when it names no photo of this session.
        """
        try:
            await check_own_photo(session_id, data.get("attachment_id"))
        except attachments_service.NotOwnPhoto as refused:
            raise ChatRefused("bad_request", str(refused), 400) from None

    async def start_session(self, requested: Any, origin: Optional[str], address: Optional[str] = None,
                            with_history: bool = True, customer_token: Optional[str] = None) -> tuple[str, str, List[dict], dict]:
        """Resume the session whose secret is ``requested`` or open a new one (ChatRefused when
        ``address`` opened too many); (secret, conversation id, history, status), the last two empty
        when not ``with_history``. The secret goes to the browser only; everything else uses the
        public conversation id (``bot.channels.webchat.public_id``).

        A session that was ever signed in (a message carried a customer token: ``bot.customers.evidence.
        chat_owner``, the first one's ``sub``) is resumed only by a page signed in as the same customer
        with a token valid now (``customer_token``, as :meth:`check_token` accepted it, else None): a page
        signed out, with an expired or refused token, or signed in as someone else gets a new chat, and the
        old one stays its customer's (session 48: on a shared computer, the next person opened the last
        person's chat, with its history and the agent's replies still to come; helper-221: a page left in
        the browser's history with her expired token opened it too)."""
        secret, session_id, resumed = await run_db(_open_session, requested, origin, address)
        events = await self._events(session_id) if resumed else []
        if resumed and chat_owner(events) not in (None, self.signed_in_as(customer_token)):
            logger.info("web chat %s was signed in as another customer: a new chat is opened", session_id)
            secret, session_id, resumed = await run_db(_open_session, None, origin, address)
            events = []
        if not with_history:
            return secret, session_id, [], {}
        if not resumed:
            return secret, session_id, [], {"state": TicketState.BOT.value}
        people, status = await run_db(_resume, session_id)
        return secret, session_id, history(events, people, self.history_limit, photo_key(secret)), status

    @staticmethod
    def signed_in_as(token: Any) -> Optional[str]:
        """The ``sub`` of ``token`` when it is valid now (signed, not expired: ``check_customer_token``), else
        None (no token, a refused one; not logged here: :meth:`check_token` says why to the customer)."""
        if token in (None, ""):
            return None
        try:
            return check_customer_token(token).sub
        except (TokenProblem, ValueError):  # ValueError: a string JSON allows and UTF-8 does not (a lone surrogate)
            return None

    async def _events(self, session_id: str) -> List[dict]:
        """The conversation's tracker events as dicts (empty when the tracker store is not reachable here)."""
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        if agent is None or agent.tracker_store is None:
            return []
        tracker = await agent.tracker_store.retrieve_full_tracker(session_id)
        return [e.as_dict() for e in tracker.events] if tracker is not None else []

    # --- transports ---------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The Sanic blueprint: the socket.io server, the widget files and the HTTP session and message routes.

        Args:
            on_new_message: Rasa's handler for user messages.

        Returns:
            The blueprint; refusals answer 4xx JSON (``ChatRefused.as_dict``) or a socket.io ``error`` event.
        """
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[],  # origins: checked in connect
                          client_manager=self._client_manager())
        self.sio = sio
        channel = self
        chat = ChatBlueprint(sio, self.socketio_path, WEBCHAT, __name__)  # Rasa's: attaches sio to the app

        @chat.listener("before_server_start")
        async def keep_app(app: Sanic, _loop: Any) -> None:
            channel.app = app
            guard.install(app)
            # a malformed WebSocket handshake or polling payload: a 4xx with a reason, not engine.io's 500
            app.register_middleware(socket_request_check(channel.socketio_path, sio.eio.max_http_buffer_size),
                                    "request")
            abandonment.install(app)  # queued web tickets silent too long -> abandoned (issue 14)
            install_photo_cleanup(app)  # unsent photos past PHOTO_UNSENT_RETENTION_S (issue 14)
            if channel.rooms is not None and not sio.manager_initialized:
                # python-socketio starts the Redis listener at the first connection; a server
                # with no socket yet must hear the acknowledgements of the pushes it sends
                sio.manager_initialized = True
                sio.manager.initialize()

        def allowed_origin(request: Request) -> Optional[str]:
            """Access-Control-Allow-Origin for /chat and socket.io: the widget files are
            public; the API and socket.io answer the allowed origins only."""
            if request.path.startswith("/chat/") and request.path[len("/chat/"):] in STATIC_FILES:
                return "*"
            origin = request.headers.get("origin")
            if origin and not guard.has_lone_surrogate(origin) and channel.origin_allowed(origin, request.host):
                return origin
            return None

        guard.cors_policy("/chat", allowed_origin)
        guard.cors_policy(channel.socketio_path, allowed_origin)
        guard.json_errors_under(channel.socketio_path)  # engineio's own refusals are plain text

        emit_error, emit_status = self._emitters(sio)

        async def refuse_frame(sid: Optional[str], problem: str) -> None:
            refused = malformed(sid, problem)
            if sid is not None:  # joined: it gets the reason (before that, nothing can be emitted to it)
                await emit_error(sid, refused)

        check_frames(sio, refuse_frame)  # a packet socket.io cannot dispatch: a chat_error, not a traceback
        self._socket_session_events(sio, emit_error)
        self._socket_message_events(sio, on_new_message, emit_error, emit_status)
        self._socket_status_event(sio, emit_error)
        self._http_api_routes(chat, on_new_message)
        self._http_photo_routes(chat)
        self._http_static_routes(chat)

        return chat

    def _client_manager(self) -> Optional[Any]:
        """socket.io's ``AsyncRedisManager`` when ``REDIS_URL`` is set (several servers: an emit
        or an acknowledgement reaches the server holding the socket), plus the shared room
        members (bot/storage/conversation_state.py); None (python-socketio's in-process manager) otherwise."""
        url = get_settings().redis_url
        if not url:
            return None
        from socketio import AsyncRedisManager

        from bot.storage.conversation_state import RedisRoomMembers

        self.rooms = RedisRoomMembers(url)
        return AsyncRedisManager(url, channel="qx-socketio")

    async def room_sids(self, sio: AsyncServer, room: str) -> List[str]:
        """The sockets in ``room``: on this server, and on the others when rooms are shared."""
        sids = [sid for sid, _eio in sio.manager.get_participants(NAMESPACE, room)]
        if self.rooms is not None:
            try:
                sids += [sid for sid in await self.rooms.members(room) if sid not in sids]
            except Exception:  # Redis away: this server's sockets only
                logger.exception("web chat room %s could not be read from Redis", room)
        return sids

    async def join_room(self, sio: AsyncServer, sid: str, room: str) -> None:
        """Put ``sid`` in ``room`` here and, when shared, in the room list of every server."""
        await sio.enter_room(sid, room)
        if self.rooms is not None:
            self._sid_rooms[sid] = room
            try:
                await self.rooms.add(room, sid)
            except Exception:  # pushes from other servers miss this tab; its own turns work
                logger.exception("web chat room %s could not be shared through Redis", room)

    async def left(self, sid: str) -> None:
        """``sid`` disconnected: out of the shared room list."""
        self._typing_at.pop(sid, None)
        self._status_at.pop(sid, None)
        room = self._sid_rooms.pop(sid, None)
        if room is not None and self.rooms is not None:
            try:
                await self.rooms.remove(room, sid)
            except Exception:  # the entry expires with its TTL
                logger.exception("web chat socket %s could not leave room %s in Redis", sid, room)

    def _emitters(self, sio: AsyncServer) -> tuple:
        """The ``chat_error`` and ``status`` emitters; registers the web-socket pusher for agent replies."""
        channel = self

        async def emit_error(sid: str, refused: ChatRefused) -> None:
            await sio.emit("chat_error", refused.as_dict(), to=sid)

        async def emit_status(session_id: str) -> None:
            try:
                status = await run_db(_status, session_id)
            except Exception:  # the status line waits for the next turn
                logger.exception("web chat status of %s could not be read", session_id)
                return
            await sio.emit("status", status, room=session_id)

        async def push(session_id: str, messages: List[dict]) -> Any:
            """True when an open tab of our widget (on any server) acknowledged every message; else
            ``AT_MOST_ONCE`` when a standard Rasa client (which never acknowledges) was sent
            them; else False (the outbox keeps them for the next connection)."""
            sids = await channel.room_sids(sio, session_id)
            plain = await channel.room_sids(sio, rasa_room(session_id))
            shown = [stamped(message) for message in messages]  # one time for every tab

            async def to_tab(sid: str) -> bool:
                try:
                    for message in shown:
                        await sio.call("bot_uttered", message, to=sid, timeout=ACK_TIMEOUT_S)
                    return True
                except Exception:  # gone, or no acknowledgement in time
                    return False

            delivered = any(await asyncio.gather(*(to_tab(sid) for sid in sids)))
            if delivered:
                await emit_status(session_id)
            if plain:  # Rasa's protocol has no acknowledgement: sent once, not confirmed
                for sid in plain:  # each socket with its own address: pictures as absolute URLs (issue 14)
                    base = await socket_base(sio, sid)
                    for message in messages:
                        await emit_rasa(sio, message, base, to=sid)
            return True if delivered else (AT_MOST_ONCE if plain else False)

        register_pusher(Channel.WEB.delivery, push)

        async def live_signal(session_id: str, event: str, data: dict) -> bool:
            """An agent typing or a read receipt (bot/channels/live.py), to the session's tabs of our widget
            only: Rasa's protocol has no such events."""
            if not await channel.room_sids(sio, session_id):
                return False
            await sio.emit(event, data, room=session_id)
            return True

        register_signaller(Channel.WEB.delivery, live_signal)

        return emit_error, emit_status

    def _socket_session_events(self, sio: AsyncServer, emit_error: Callable) -> None:
        """Socket.IO ``connect`` (origin and address checks) and ``session_request``."""
        channel = self

        @sio.on("connect")
        @socket_refusals(emit_error, handshake=True)
        async def connect(sid: str, environ: dict, auth: Any = None) -> None:
            # python-socketio also routes a client's own event named "connect"
            # here, with the client's data as `environ`: only the first call of
            # a socket (the handshake, which has no session yet) counts.
            if not isinstance(environ, dict) or "origin" in await sio.get_session(sid):
                logger.info("web chat socket %s sent a 'connect' event: ignored", sid)
                return
            origin, host = environ.get("HTTP_ORIGIN"), environ.get("HTTP_HOST")
            if not channel.origin_allowed(origin, host):
                logger.warning("web chat connection from %s refused: origin not allowed", origin)
                raise SocketRefused(f"origin {origin} is not allowed to use this chat")
            address = environ_address(environ, limits().trusted_proxies)
            await channel.check_address(address)
            await sio.save_session(sid, {"origin": origin, "address": address, "base": connection_base(environ)})

        @sio.on("disconnect")
        async def disconnect(sid: str, *_reason: Any) -> None:
            await channel.left(sid)

        @sio.on("session_request")
        @socket_refusals(emit_error, unexpected=UNAVAILABLE)  # database down or locked: the widget asks again
        async def session_request(sid: str, data: Any = None) -> None:
            data = json_object("session_request", data, optional=True)  # none: a new session
            state = await sio.get_session(sid)
            token, token_error = channel.check_token(data.get("customer_token"))
            if token_error:
                await sio.emit("chat_error", token_error, to=sid)
            # our widget asks for its richer shapes; any other client gets Rasa's exact ones (DESIGN.md §8)
            rich = data.get("protocol") == QX_PROTOCOL
            await channel.check_address(state.get("address", "unknown"))
            secret, session_id, past, status = await channel.start_session(
                data.get("session_id"), state.get("origin"), state.get("address", "unknown"), rich, token)
            language = data.get("language") if data.get("language") in LANGUAGES else channel.client_language(data)
            try:
                # "session_id" here is the public conversation id; the secret only goes back to the client
                await sio.save_session(sid, {**state, "session_id": session_id, "photo_key": photo_key(secret),
                                             "token": token, "language": language, "rich": rich})
            except KeyError:  # the socket closed while the session was being looked up: nobody to answer
                return
            if not rich:
                await channel.confirm_rasa_client(sio, sid, session_id, secret)
                return
            await sio.leave_room(sid, rasa_room(session_id))  # in case it asked as a Rasa client before
            await channel.join_room(sio, sid, session_id)
            await sio.emit("session_confirm", secret, to=sid)
            await sio.emit("history", past, to=sid)
            await sio.emit("status", status, to=sid)

    async def confirm_rasa_client(self, sio: AsyncServer, sid: str, session_id: str, secret: str) -> None:
        """A standard Rasa client: ``session_confirm`` as Rasa sends it (with the session's
        ``secret``, which the client keeps and sends back to resume; ``session_id`` is the
        conversation id), then what waited in the outbox (agent replies sent while no tab was
        open), once, in Rasa's shapes. Such a client keeps its own history, so none is sent."""
        await sio.leave_room(sid, session_id)
        await self.join_room(sio, sid, rasa_room(session_id))
        await sio.emit("session_confirm", secret, to=sid)
        try:
            pending, _status = await run_db(_pending_and_status, session_id)
        except Exception:  # they stay in the outbox for the next connection
            logger.exception("web chat outbox of %s could not be read", session_id)
            return
        base = await socket_base(sio, sid)
        for message in pending:
            await emit_rasa(sio, message, base, to=sid)

    def _socket_message_events(self, sio: AsyncServer, on_new_message: Callable, emit_error: Callable,
                               emit_status: Callable) -> None:
        """Socket.IO ``user_uttered`` (to Rasa) and ``customer_typing``."""
        channel = self

        @sio.on("user_uttered")
        @socket_refusals(emit_error)
        async def user_uttered(sid: str, data: Any = None) -> Optional[dict]:
            """One turn; the socket.io acknowledgement (when the client asks for one) is
            ``{"message_id": …, "timestamp": …}`` (when the server received it) once the turn
            is done, so a widget sends again only what was never acknowledged (the same id:
            processed once) and shows the message as sent."""
            received = time.time()  # the message's time as the widget shows it (ack and echo)
            state = await sio.get_session(sid)
            session_id = state.get("session_id")
            if not session_id:
                raise ChatRefused("no_session", "send session_request before messages")
            data = json_object("user_uttered", data)
            await channel.check_address(state.get("address", "unknown"), message_cost(str(data.get("message") or "")))
            channel.check_extras(data)
            await channel.own_photo(session_id, data)
            text = await channel.check_message(session_id, data.get("message"))
            named = channel.client_language(data)  # a standard Rasa client's customData / metadata
            language = named or state.get("language")
            if named:
                text = channel.with_language(text, named)
            metadata = channel.metadata(state.get("token"), language, data)
            if not metadata.get("hidden"):  # the session's other tabs show it too
                echo = {"from": "user", "text": metadata.get("shown_as") or text, "timestamp": received}
                if metadata.get(MESSAGE_ID_KEY):
                    echo[MESSAGE_ID_KEY] = metadata[MESSAGE_ID_KEY]
                if metadata.get("attachment_id"):
                    echo["attachment"] = {"type": "image", "payload": {
                        "src": customer_url(state.get("photo_key") or "", metadata["attachment_id"])}}
                await sio.emit("user_echo", echo, room=session_id, skip_sid=sid)
            # every client of the session, Rasa's too (they ignore it; it tells a script the turn's bounds)
            await sio.emit("typing", {"on": True}, room=[session_id, rasa_room(session_id)])
            done = False
            try:
                await on_new_message(UserMessage(
                    text, WebchatOutput(sio, session_id), session_id, input_channel=WEBCHAT, metadata=metadata,
                ))
                done = True
            except MessageIdConflict as conflict:
                await emit_error(sid, channel.id_conflict(session_id, data, conflict))
            except Exception:
                logger.exception("web chat message of %s could not be handled", session_id)
                await emit_error(sid, SERVER_ERROR)
            finally:
                await sio.emit("typing", {"on": False}, room=[session_id, rasa_room(session_id)])
            await emit_status(session_id)
            return {MESSAGE_ID_KEY: metadata.get(MESSAGE_ID_KEY), "timestamp": received} if done else None

        @sio.on("customer_typing")
        @socket_refusals(emit_error)
        async def customer_typing(sid: str, data: Any = None) -> None:
            """``{on: true|false}`` from our widget while a person has the conversation: kept a few
            seconds for the agent's desk (``bot.services.webchat.customer_typing``). A client
            repeating "on" faster than every second is ignored; anything malformed is ignored."""
            if not isinstance(data, dict) or not isinstance(data.get("on"), bool):
                return
            state = await sio.get_session(sid)
            session_id = state.get("session_id")
            if not session_id or not state.get("rich"):
                return
            now = time.monotonic()
            if data["on"] and now - channel._typing_at.get(sid, -1e9) < TYPING_MIN_GAP_S:
                return
            if data["on"]:
                channel._typing_at[sid] = now
            else:
                channel._typing_at.pop(sid, None)
            await webchat_service.customer_typing(session_id, data["on"])

    def _socket_status_event(self, sio: AsyncServer, emit_error: Callable) -> None:
        """Socket.IO ``status_request``."""
        channel = self

        @sio.on("status_request")
        @socket_refusals(emit_error)
        async def status_request(sid: str, _data: Any = None) -> None:
            """The session's ``status``: at most once per :data:`STATUS_MIN_GAP_S` per socket (faster ones are
            ignored), each counted against the client address (``rate_limited`` over it)."""
            state = await sio.get_session(sid)
            session_id = state.get("session_id")
            now = time.monotonic()
            if not session_id or now - channel._status_at.get(sid, -1e9) < STATUS_MIN_GAP_S:
                return
            channel._status_at[sid] = now
            await channel.check_address(state.get("address", "unknown"))
            await sio.emit("status", await run_db(_status, session_id), to=sid)

    def _cors(self, request: Request, reply: HTTPResponse) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin and self.origin_allowed(origin, request.host):
            reply.headers["Access-Control-Allow-Origin"] = origin
            reply.headers["Vary"] = "Origin"
        return reply

    def _refuse(self, request: Request, refused: ChatRefused, **extra: Any) -> HTTPResponse:
        headers = {"Retry-After": retry_after_header(refused.retry_after_s)} if refused.retry_after_s else None
        return self._cors(request, response.json({"error": refused.as_dict(), **extra}, status=refused.status,
                                           headers=headers))

    async def _body_of(self, request: Request) -> dict:
        origin = request.headers.get("origin")
        if not self.origin_allowed(origin, request.host):
            logger.warning("web chat request from %s refused: origin not allowed", origin)
            raise ChatRefused("origin_not_allowed", f"origin {origin} is not allowed to use this chat", 403)
        await self.check_address(limits().address_of(request))
        if len(request.body or b"") > MAX_BODY_BYTES:
            raise ChatRefused("too_large", f"The request body is larger than {MAX_BODY_BYTES} bytes.", 413)
        try:
            body = request.json if request.body else {}
        except Exception:
            raise ChatRefused("bad_request", "the body must be JSON", 400) from None
        if not isinstance(body, dict):
            raise ChatRefused("bad_request", "the body must be a JSON object", 400)
        return body

    def answers_refusals(self, unexpected: ChatRefused) -> Callable:
        """The HTTP side's one refusal handling: a route handler ``(request, ...)`` wrapped so that a
        :class:`ChatRefused` it raises is answered as ``{"error": {code, message}}`` with its status
        (and ``Retry-After``), and any other exception is logged and answered as ``unexpected``
        (``UNAVAILABLE`` 503, ``SERVER_ERROR`` 500), never as a bare 500 page."""
        def decorate(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
            @functools.wraps(handler)
            async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                try:
                    return await handler(request, *args, **kwargs)
                except ChatRefused as refused:
                    return self._refuse(request, refused)
                except Exception:
                    logger.exception("web chat request %s could not be answered", request.path)
                    return self._refuse(request, unexpected)
            return wrapped
        return decorate

    @staticmethod
    def check_session_id(value: Any) -> None:
        """A ``session_id`` the client sent must be a string when present.

        Args:
            value: the ``session_id`` field as the client sent it (None when absent).

        Raises:
            ChatRefused: ``bad_request`` (400) naming the field and the type it had.
        """
        problem = session_id_problem(value)
        if problem:
            raise ChatRefused("bad_request", problem, 400)

    async def _require_session(self, secret: Any) -> str:
        """The conversation id of the session whose secret is ``secret`` (the ``session_id`` a
        browser holds). Raises ChatRefused 400 for a value that is not a string, 404 for any other
        string (the public conversation id too) and for none."""
        self.check_session_id(secret)
        conversation_id = await run_db(_known_session, secret)
        if not conversation_id:
            raise ChatRefused("unknown_session", "unknown session_id: start one at /chat/api/session", 404)
        return conversation_id

    def _http_api_routes(self, chat: Blueprint, on_new_message: Callable) -> None:
        """The same over HTTP: ``/chat/api/session``, ``/chat/api/message``, ``/chat/api/poll``."""
        channel = self
        cors, answers, body_of, require_session = self._cors, self.answers_refusals, self._body_of, self._require_session

        @chat.route("/api/session", methods=["POST"])
        @answers(UNAVAILABLE)  # database down or locked: the widget asks again
        async def http_session(request: Request) -> HTTPResponse:
            body = await body_of(request)
            channel.check_session_id(body.get("session_id"))  # absent or null: a new session
            token, token_error = channel.check_token(body.get("customer_token"))
            secret, _session_id, past, status = await channel.start_session(
                body.get("session_id"), request.headers.get("origin"), limits().address_of(request),
                customer_token=token)
            reply = {"session_id": secret, "history": past, "status": status}
            if token_error:
                reply["error"] = token_error
            return cors(request, response.json(reply))

        @chat.route("/api/message", methods=["POST"])
        @answers(SERVER_ERROR)
        async def http_message(request: Request) -> HTTPResponse:
            received = time.time()
            body = await body_of(request)
            session_id = await require_session(body.get("session_id"))
            channel.check_extras(body)
            await channel.own_photo(session_id, body)
            text = await channel.check_message(session_id, body.get("message"))
            token, token_error = channel.check_token(body.get("customer_token"))
            language = body.get("language") if body.get("language") in LANGUAGES else None
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, session_id, input_channel=WEBCHAT,
                                                 metadata=channel.metadata(token, language, body)))
            except MessageIdConflict as conflict:
                raise channel.id_conflict(session_id, body, conflict) from None
            pending, status = await run_db(_pending_and_status, session_id)
            reply = {"messages": [stamped(m) for m in pending + collector.messages], "status": status,
                     "received": {MESSAGE_ID_KEY: body.get(MESSAGE_ID_KEY), "timestamp": received}}
            if token_error:
                reply["error"] = token_error
            return cors(request, response.json(reply))

        @chat.route("/api/poll", methods=["GET", "POST"])
        @answers(UNAVAILABLE)
        async def http_poll(request: Request) -> HTTPResponse:
            # rev14b #5: the widget posts ``{"session_id"}`` (text/plain JSON, no preflight), so the
            # secret is in no URL; ``GET ?session_id=`` stays for older widgets (README).
            body = await body_of(request)
            secret = body.get("session_id") if request.method == "POST" else request.args.get("session_id")
            session_id = await require_session(secret)
            pending, status = await run_db(_pending_and_status, session_id)
            return cors(request, response.json({"messages": [stamped(m) for m in pending], "status": status}))

    def _http_photo_routes(self, chat: Blueprint) -> None:
        """``POST /chat/api/attachments`` (a ``multipart/form-data`` body with ``session_id`` and
        ``photo``; or the picture's bytes with an ``X-Chat-Session`` header, or ``?session_id=``) and
        ``GET /chat/api/attachments/<id>`` (issue 14)."""
        channel = self
        cors, answers, require_session = self._cors, self.answers_refusals, self._require_session

        @chat.route("/api/attachments", methods=["POST"], stream=True)
        @answers(UNAVAILABLE)
        async def upload(request: Request) -> HTTPResponse:
            """Store a photo of the session (checked by content: PNG, JPEG, WebP, GIF); counted like a
            message. 201 ``{id, content_type, size, width, height, url}``; 400 empty, 413 too large,
            415 not a picture, 404 unknown session, 429 too fast or ``checks_in_flight`` (rev14d #2)."""
            try:
                origin = request.headers.get("origin")
                if not channel.origin_allowed(origin, request.host):
                    raise ChatRefused("origin_not_allowed", f"origin {origin} is not allowed to use this chat", 403)
                address = limits().address_of(request)
                await channel.check_address(address)
                limit = attachments_service.limits()[0]
                form = (request.headers.get("content-type") or "").lower().startswith("multipart/form-data")
                if form:  # the widget (rev14b #5): fields session_id and photo, no secret in the URL
                    secret, data = photo_form(await read_body(request, limit + FORM_OVERHEAD_BYTES, FORM_SUBJECT),
                                              request.headers.get("content-type") or "", limit)
                else:  # the raw bytes: X-Chat-Session header, or ?session_id= for older widgets (README)
                    secret = request.headers.get("x-chat-session") or request.args.get("session_id")
                session_id = await require_session(secret)
                # rev14d #2: at most PHOTO_CHECKS_PER_ADDRESS / _PER_SESSION in flight, refused at once
                with customer_hold(address, session_id) as hold:
                    await channel.count_upload(session_id)
                    wait = await address_limiter().hit_async(f"photo|{address}")  # PHOTO_UPLOADS_..._PER_MIN
                    if wait:
                        raise too_fast(wait)
                    if not form:
                        data = await read_body(request, limit)
                    # never in run_db's threads; held until the check ends, even if the client goes
                    image = await hold.run(run_image(attachments_service.check, data))
                stored = await run_db(_store_photo, image, session_id)
            except ChecksInFlight as busy:
                raise ChatRefused("checks_in_flight", str(busy), 429, busy.retry_after_s) from None
            except TooLarge as refused:
                raise ChatRefused("too_large", str(refused), 413) from None
            except TooSlow as slow:  # rev14e #1: a stalled body frees its slots
                raise ChatRefused("too_slow", str(slow), 408) from None
            except BadForm as bad:
                raise ChatRefused("bad_request", str(bad), 400) from None
            except ImagesBusy as busy:
                raise ChatRefused("busy", str(busy), 503, busy.retry_after_s) from None
            except ImageRefused as refused:  # 429 photo_quota carries its Retry-After (issue 14)
                raise ChatRefused(refused.code, str(refused), refused.status,
                                  getattr(refused, "retry_after_s", 0.0)) from None
            return cors(request, response.json(
                stored.summary(customer_url(photo_key(secret), stored.attachment_id)), status=201))

        @chat.route("/api/attachments/<attachment_id:str>", methods=["GET"])
        @answers(UNAVAILABLE)
        async def photo(request: Request, attachment_id: str) -> HTTPResponse:
            """The photo's bytes for its own chat: ``?sig=`` (the URL the chat was given) or the
            ``X-Chat-Session`` header; 404 for anyone else, as for an unknown id."""
            await channel.check_address(limits().address_of(request))
            found = None
            if valid_attachment_id(attachment_id):
                found = await run_db(_customer_photo, attachment_id, request.headers.get("x-chat-session"),
                                     request.args.get("sig"))
            if found is None:
                return cors(request, response.json({"error": {"code": "not_found", "message": "no such photo"}},
                                                   status=404))
            return cors(request, photo_response(found, request.args.get("size")))

    async def count_upload(self, session_id: str) -> None:
        """An upload counts against the session's message limits.

        Raises:
            ChatRefused: 429 (with the retry delay) when the session is over a limit.
        """
        if not await self.limiter.allow_async(session_id):
            raise too_fast(self.limiter.retry_after(session_id))
        wait = await limits().sender.hit_async(f"webchat|{session_id}")
        if wait:
            raise too_fast(wait)

    def _http_static_routes(self, chat: Blueprint) -> None:
        """``/chat/api/health``, the widget page and its files."""
        channel = self

        # HEAD on the health route, the page and the widget's files: uptime checks send it (`curl -I /chat/`
        # answered 405; a fresh new user's finding, issue 11 seventeenth pass), as on /agent/
        @chat.route("/api/health", methods=["GET", "HEAD"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # --- the widget and the demo page --------------------------------------------

        @chat.route("/", methods=["GET", "HEAD"], strict_slashes=False)
        async def page(request: Request) -> HTTPResponse:
            return response.html(PAGE_HTML, headers={"Content-Security-Policy": PAGE_CSP,
                                                     "Referrer-Policy": "strict-origin-when-cross-origin"})

        @chat.route("/<name:str>", methods=["GET", "HEAD"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name in ("", "index.html"):
                return await page(request)
            if name not in STATIC_FILES:
                return response.json({"error": "not found"}, status=404)
            reply = await response.file(STATIC / name, mime_type=STATIC_FILES[name])
            reply.headers["Access-Control-Allow-Origin"] = "*"  # the widget is embedded on other sites
            return reply
