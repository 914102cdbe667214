"""Rasa's REST channel for trusted server-to-server integrations, plus an outbox.

Same URL and body as Rasa's own `rest` channel (`POST /webhooks/rest/webhook`
with `{"sender": "…", "message": "…", "metadata": {…}}`), closed and strict:

- Every request needs `Authorization: Bearer <REST_API_TOKEN>` (401 without;
  503 while REST_API_TOKEN is unset: the channel is off).
- A conversation belongs to the channel that started it (bot/channels/conversations.py):
  a REST message to a WeChat openid, a web chat session or an IVR call is
  refused (403) and nothing is stored.
- Bad input gets a 4xx with a reason, never a 5xx (`parse_webhook_body`):
  the body is capped (413), JSON only, an object, nested at most
  `MAX_JSON_DEPTH` levels, valid Unicode (no lone surrogates, no NUL; in `message` no other control
  character but tab and new lines);
  `sender` a string of 1–`MAX_SENDER_CHARS` characters without control
  characters, not starting or ending with white space (403 when it is
  another channel's id however written: `reserved_sender`); `message` a
  non-blank string (400 when empty: a client that
  sends nothing has a bug to hear about) of at most `MAX_MESSAGE_CHARS`
  (413); `metadata` an object of at most `MAX_METADATA_BYTES` (413);
  `metadata.attachment_id`, if given, an id as our uploads create them naming a photo this
  conversation's customer sent (400 otherwise: the web chat's check, `connectors.photos.check_own_photo`).
- `metadata.message_id` (optional; 1–128 printable characters, unique per
  conversation) makes the turn idempotent: a retry of a message already
  processed (same id, same text) gets the same answer and runs nothing again;
  the id of a processed message sent with another text is refused with 409 and
  nothing runs (bot/storage/idempotency.py, as the agent API's reply ids).
- `metadata` reaches the tracker as the message's metadata, except the keys
  our other channels set on the server (`RESERVED_METADATA_KEYS`: the IVR
  caller, WeChat data, the channel name): those are dropped and `channel` is
  set to `rest`, so a REST client cannot pass for the IVR or WeChat. A signed
  customer token in `metadata.customer_token` identifies the customer who sends
  that message (verified in the action server, bot.customers.evidence; an invalid
  one is ignored). Send it with every message: a message without one proves nobody.

While a person handles the conversation, their replies (and the CSAT
question after) wait in the outbox; the customer's next webhook call returns
them before the bot's own answer, and `GET /webhooks/rest/outbox/<sender>`
(the sender URL-encoded) returns them without sending anything — only REST
messages of a REST conversation.
"""
from __future__ import annotations

import asyncio
import json
import math
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional
from urllib.parse import unquote

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.attachments import valid_attachment_id
from bot.services import attachments as attachments_service, conversations, delivery
from bot.auth import bearer_matches
from bot.storage.idempotency import METADATA_KEY, TEXT_DIGEST_KEY, MessageIdConflict, check_message_id
from bot.storage.ratelimit import message_cost
from bot.settings import get_settings
from bot.storage.uow import SqlAlchemyUnitOfWork
from connectors.guard import rest_limited
from connectors.photos import check_own_photo

logger = logging.getLogger(__name__)

CHANNEL = "rest"
MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 16 * 1024  # metadata as compact UTF-8 JSON
MAX_BODY_BYTES = 96 * 1024  # a 4000-character message of escaped emoji plus full metadata fits
MAX_JSON_DEPTH = 16  # the body object is level 1
# Metadata keys only our channel code on the Rasa server may set (connectors/ivr,
# connectors/wechat, connectors/webchat); never taken from a REST client.
RESERVED_METADATA_KEYS = frozenset({"channel", "caller", "ivr", "ivr_escalation", "ivr_escalation_detail", "spoken",
                                    "wechat", "hidden", "shown_as", TEXT_DIGEST_KEY})


#: Control characters a message may not hold: C0 but tab, line feed and carriage return; DEL; C1.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class RestError(Exception):
    """A request the REST channel refuses: ``status`` (4xx) and a reason for the client."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class WebhookMessage:
    """A valid webhook body: who writes, what, with which (client) metadata."""

    sender: str
    message: str
    metadata: Dict[str, Any]


def _check_tree(value: Any) -> None:
    """Depth and string checks over parsed JSON, without recursion.

    Raises:
        RestError: 400 for nesting deeper than MAX_JSON_DEPTH or a string with NUL.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise RestError(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            children = list(item.items()) if isinstance(item, dict) else [(None, v) for v in item]
            for key, child in children:
                if isinstance(key, str) and "\x00" in key:
                    raise RestError(400, "strings must not contain NUL characters")
                stack.append((child, depth + 1))
        elif isinstance(item, str) and "\x00" in item:
            raise RestError(400, "strings must not contain NUL characters")


def check_sender(sender: Any) -> str:
    """A valid conversation id chosen by a REST client.

    Raises:
        RestError: 400 naming what is wrong; 403 for another channel's id (:func:`reserved_sender`),
            also when it is only wrapped in white space or written in other letter case.
    """
    if not isinstance(sender, str):
        raise RestError(400, "sender must be a string")
    if not sender.strip():
        raise RestError(400, "sender must not be empty")
    if len(sender) > MAX_SENDER_CHARS:
        raise RestError(400, f"sender longer than {MAX_SENDER_CHARS} characters")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in sender):
        raise RestError(400, "sender must not contain control characters or lone surrogates")
    if (reason := reserved_sender(sender)) is not None:
        raise RestError(403, reason)
    if _invisible(sender[0]) or _invisible(sender[-1]):
        # "alice " is not "alice", yet the desk shows both alike (fresh-user report 26 #10)
        raise RestError(400, "sender must not start or end with white space or invisible characters")
    return sender


def _invisible(character: str) -> bool:
    """White space or a format character (a zero-width space, a byte order mark)."""
    return character.isspace() or unicodedata.category(character) == "Cf"


def _as_read(sender: str) -> str:
    """``sender`` as a person reads it: compatibility forms folded (full-width ``ＩＶＲ`` is ``IVR``,
    U+3000 a space; NFKC), invisible format characters dropped, white space at the ends removed."""
    folded = unicodedata.normalize("NFKC", sender)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf").strip()


# Conversation ids other channels make (connectors.ivr.sender_of: "ivr-<call_id>", web chat session ids
# from bot.channels.webchat.new_session_id, WeChat openids). A REST client naming one before that channel's first
# turn would own the conversation (bot/channels/conversations.py: the first writer wins), so they are refused;
# so are look-alikes an agent could not tell from them (the upper-case or space-wrapped web chat id, fresh-user
# report 26 #10): the patterns are matched on the id as read (_as_read), the web chat one in any letter case.
RESERVED_SENDERS = (
    (re.compile(r"^(?:ivr|wechat|webchat|web)-", re.I),
     "this sender id is reserved for another channel: ids starting with ivr-, wechat-, webchat- or web-"),
    (re.compile(r"^[0-9a-f]{32}$", re.I),
     "this sender id is reserved for another channel: 32 hex digits is a web chat session id"),
    (re.compile(r"^o[A-Za-z0-9_-]{27}$"),
     "this sender id is reserved for another channel: 'o' and 27 letters, digits, - or _ is a WeChat openid"),
)


def reserved_sender(sender: str) -> Optional[str]:
    """Why ``sender`` is (or looks like) another channel's conversation id (a 403 reason), or None if REST
    may use it."""
    read = _as_read(sender)
    for pattern, reason in RESERVED_SENDERS:
        if pattern.search(read):
            return reason
    return None


def _refuse_constant(name: str) -> None:
    """``NaN``/``Infinity`` are not JSON (RFC 8259 §6); Python's parser takes them."""
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    """A JSON number as a float; ``1e999`` (infinite here) cannot be stored as JSON again."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def parse_webhook_body(raw: bytes) -> WebhookMessage:
    """Validate a webhook body (at most MAX_BODY_BYTES, checked by the caller).

    Args:
        raw: the request body.

    Returns:
        The sender, the message text and the client's metadata (reserved keys not yet removed).

    Raises:
        RestError: 400 (not JSON, not an object, too deep, invalid Unicode,
            a missing or wrong field, an empty message), 403 (a sender id of another
            channel, :func:`check_sender`) or 413 (message or metadata too large), each with its reason.
    """
    try:
        body = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise RestError(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:  # includes UnicodeDecodeError
        raise RestError(400, "body must be JSON (UTF-8)") from None
    if not isinstance(body, dict):
        raise RestError(400, 'body must be a JSON object: {"sender": "…", "message": "…"}')
    _check_tree(body)
    if "sender" not in body or "message" not in body:
        raise RestError(400, 'expected {"sender": "…", "message": "…"}')
    sender = check_sender(body["sender"])
    message = body["message"]
    if not isinstance(message, str):
        raise RestError(400, "message must be a string")
    if len(message) > MAX_MESSAGE_CHARS:
        raise RestError(413, f"message longer than {MAX_MESSAGE_CHARS} characters")
    if not message.strip():
        raise RestError(400, "message is empty")
    if CONTROL_CHARACTERS.search(message):
        # ESC, BEL and the other C0 controls (and DEL, C1) as NUL is: a terminal escape in the agent's
        # transcript or a log is never the customer's words (tab, line feed, carriage return are; s20eng2 #5)
        raise RestError(400, "message contains a control character (only tab and new lines are allowed)")
    metadata = body.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise RestError(400, "metadata must be a JSON object")
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise RestError(400, "body contains a lone surrogate (\\ud800-\\udfff): not valid Unicode") from None
    try:  # a client's id makes the turn idempotent (bot/storage/idempotency.py)
        check_message_id(metadata.get(METADATA_KEY))
    except ValueError as bad:
        raise RestError(400, f"metadata.{bad}") from None
    if "attachment_id" in metadata and not valid_attachment_id(metadata["attachment_id"]):
        # only an id our own uploads create (32 lower-case hex characters, bot.channels.attachments) names a
        # photo: "../../etc/passwd" or a number is refused, not taken for a photo (s20eng2 #4)
        raise RestError(400, "metadata.attachment_id must be a photo id as the upload returned it "
                             "(32 lower-case hexadecimal characters)")
    size = len(json.dumps(metadata, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise RestError(413, f"metadata larger than {MAX_METADATA_BYTES} bytes")
    return WebhookMessage(sender, message, metadata)


def message_metadata(client_metadata: Dict[str, Any]) -> Dict[str, Any]:
    """The metadata the message carries into the tracker: the client's, minus
    the keys only our channels set, with ``channel`` set to ``rest``."""
    dropped = sorted(k for k in client_metadata if k in RESERVED_METADATA_KEYS)
    if dropped:
        logger.info("REST metadata keys %s dropped: only the server sets them", dropped)
    kept = {k: v for k, v in client_metadata.items() if k not in RESERVED_METADATA_KEYS}
    return {**kept, "channel": CHANNEL}


# REST conversations this process has seen claimed for REST (bot.services.conversations.remember).
# An owner never changes once recorded (bot/channels/conversations.py: first writer wins, no
# update, no delete), so a known one needs no database call per message (issue 16).
async def claim_rest(sender_id: str) -> str:
    """``conversations.claim(…, sender_id, "rest")`` off the event loop, remembered
    per process once it returned ``rest`` (``conversations.remember``: the tracker
    store then skips its own claim); returns the owner channel."""
    if conversations.remembered(sender_id) == CHANNEL:
        return CHANNEL
    owner = await asyncio.to_thread(conversations.claim, SqlAlchemyUnitOfWork, sender_id, CHANNEL)
    if owner == CHANNEL:
        conversations.remember(sender_id, CHANNEL)
    return owner


def take_pending(sender_id: str) -> List[dict]:
    """The REST messages waiting for ``sender_id``, marked delivered."""
    return [{"recipient_id": sender_id, **m}
            for m in delivery.take_pending(SqlAlchemyUnitOfWork, sender_id, CHANNEL)]


async def take_pending_after_turn(sender_id: str) -> List[dict]:
    """:func:`take_pending` after a turn, without a database read while the conversation
    state store shows nothing was queued since the last one (``delivery.take_pending_if_any``)."""
    return [{"recipient_id": sender_id, **m}
            for m in await delivery.take_pending_if_any(SqlAlchemyUnitOfWork, sender_id, CHANNEL)]


def _error(status: int, reason: str, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return response.json({"error": reason}, status=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body of a streamed request, at most ``limit`` bytes.

    Raises:
        RestError: 413 if the body is larger (the rest is not buffered).
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RestError(413, f"request body larger than {limit} bytes")
    chunks: List[bytes] = []
    size = 0
    while True:
        try:
            chunk = await request.stream.read()
        except PayloadTooLarge:  # chunked bodies past request.stream.request_max_size
            raise RestError(413, f"request body larger than {limit} bytes") from None
        if chunk is None:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise RestError(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)


class RestInput(RasaRestInput):
    """The REST channel (``/webhooks/rest/``); ``token``: REST_API_TOKEN, read from the
    environment when the channel is built from credentials.yml."""

    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        """Rasa's channel name: ``rest``."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "RestInput":
        """Build the channel with REST_API_TOKEN from the environment (credentials.yml holds no secret)."""
        return cls(token=get_settings().rest_api_token)

    def refusal(self, request: Request) -> Optional[HTTPResponse]:
        """503 while the channel has no token, 401 without the right bearer token, else ``None``."""
        if not self.token:
            return _error(503, "REST channel disabled: REST_API_TOKEN is not set")
        if not bearer_matches(request.headers.get("authorization"), self.token):
            return _error(401, "unauthorized: send Authorization: Bearer <REST_API_TOKEN>",
                          {"WWW-Authenticate": 'Bearer realm="rest"'})
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """The Sanic blueprint: health, ``POST /webhook`` (a turn) and ``GET /outbox/<sender>`` (pending messages).

        Returns:
            The blueprint; without REST_API_TOKEN its routes answer 503, without the bearer
            token 401, a bad body 400/413, a sender of another channel 403.
        """
        webhook = Blueprint("rest_with_outbox", __name__)

        @webhook.route("/", methods=["GET", "HEAD"])  # the channel's public health check: HEAD too
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # Ids such as "客户-1" or "a/b+c=" arrive URL-encoded ("%E5%AE%A2…", "a%2Fb%2Bc%3D").
        # Sanic 21.12 hands `path` parameters over raw (its `unquote=True` only
        # applies to one-segment parameters), so they are decoded here, once.
        @webhook.route("/outbox/<sender_id:path>", methods=["GET"])
        async def outbox(request: Request, sender_id: str) -> HTTPResponse:
            refused = self.refusal(request)
            if refused is not None:
                return refused
            try:
                sender_id = check_sender(unquote(sender_id, errors="strict"))  # another channel's id: 403
            except UnicodeDecodeError:
                return _error(400, "sender is not URL-encoded UTF-8")
            except RestError as error:
                return _error(error.status, error.reason)
            owner = await asyncio.to_thread(conversations.owner, SqlAlchemyUnitOfWork, sender_id)
            if owner not in (None, CHANNEL):
                return _error(403, "this conversation belongs to another channel")
            return response.json(await asyncio.to_thread(take_pending, sender_id))

        # Streamed, so an oversized body is refused without being buffered.
        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            # What Sanic reads (and drains after a 413) before it closes the connection: up to
            # REQUEST_MAX_BYTES, so a client sending a body past our cap still reads the 413.
            request.stream.request_max_size = max(MAX_BODY_BYTES, get_settings().request_max_bytes)
            refused = self.refusal(request)
            if refused is not None:
                return refused
            try:
                parsed = parse_webhook_body(await _read_body(request, MAX_BODY_BYTES))
            except RestError as error:
                if error.status == 403:  # another channel's sender id (check_sender)
                    logger.warning("REST message refused: %s", error.reason)
                return _error(error.status, error.reason)
            sender_id = parsed.sender
            # 429 + Retry-After (bot/storage/ratelimit.py); a long message spends more of its address's allowance, and so
            # does long metadata, which the card masking reads on the same thread (a fresh reviewer's finding, helper-206)
            if limited := await rest_limited(request, sender_id, message_cost(parsed.message, parsed.metadata)):
                return limited
            owner = await claim_rest(sender_id)
            if owner != CHANNEL:
                logger.warning("REST message to %s refused: the conversation belongs to %s", sender_id, owner)
                return _error(403, "this conversation belongs to another channel")
            try:  # the web chat's check: a photo this conversation's customer sent, no one else's
                await check_own_photo(sender_id, parsed.metadata.get("attachment_id"))
            except attachments_service.NotOwnPhoto as refused:
                logger.warning("REST message of %s refused: %s", sender_id, refused)
                return _error(400, f"metadata.{refused}")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(parsed.message, collector, sender_id, input_channel=self.name(),
                                metadata=message_metadata(parsed.metadata))
                )
            except MessageIdConflict as conflict:  # a retry repeats its text; another text needs another id
                logger.warning("REST message %s of %s refused (409): its id was used for another message",
                               parsed.metadata.get(METADATA_KEY), sender_id)
                return _error(409, str(conflict))
            except Exception:
                logger.exception("REST message from %s could not be handled", sender_id)
                return _error(500, "the assistant could not answer this message; please try again")
            pending = await take_pending_after_turn(sender_id)
            return response.json(pending + collector.messages)

        return webhook
