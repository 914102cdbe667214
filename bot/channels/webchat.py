"""What the web chat channel knows (connectors/webchat serves it).

- Session ids: issued by the server, random 128 bits. The session id the
  browser holds is the customer's *secret* (their only credential): it is
  never stored and never shown to anyone else. The conversation's public id
  (Rasa's sender id, the desk's ``conversation_id``, socket.io rooms, the
  outbox) is :func:`public_id` of it, a one-way hash: an agent who sees the
  public id cannot resume the session, read its history or write as the
  customer. ``webchat_sessions`` keeps the public id (and :func:`photo_key`,
  the key of the customer's picture URLs), so a browser can only resume a
  secret it was given; a session idle longer than ``WEBCHAT_SESSION_TTL_S``
  cannot be resumed. The same holds for standard Rasa socket.io clients: the
  ``session_id`` of their ``session_request``/``session_confirm`` is the secret.
- Messages in the widget's shape, from a bot turn, a tracker event or the
  outbox (agent replies).
- History: the conversation as the customer saw it, rebuilt from Rasa's
  tracker (customer and bot messages) and the outbox (what agents wrote,
  which never passes through the tracker).
- Limits: a per-session sliding-window rate limit.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Deque, Dict, Iterable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.attachments import customer_url, valid_attachment_id
from bot.domain import TicketEvent
from bot.storage.db import TicketEventRow, TicketRow, WebchatSessionRow, as_utc, utcnow
from bot.storage.repositories import WebchatRepository

SESSION_ID = re.compile(r"[0-9a-f]{32}")
# Outbox messages written by people (agent replies, "Alice has joined"). The
# bot's own messages in the outbox (CSAT question) are in the tracker too.
PEOPLE = ("agent", "system")
MAX_SHOWN_AS_CHARS = 200
VIEWED = TicketEvent.VIEWED.value  # the ticket event kind of a read mark (bot/channels/live.py)


def new_session_id() -> str:
    """A new web chat session id (the browser's secret): 32 random hex characters (128 bits)."""
    return secrets.token_hex(16)


def public_id(secret: str) -> str:
    """The public conversation id of the session whose browser holds ``secret``: 32 hex
    characters of SHA-256 over a domain label and the secret (one way: the public id, which
    agents see, does not give the secret back).

    Args:
        secret: the session secret the browser holds.

    Returns:
        32 hex characters.
    """
    return hashlib.sha256(b"qx-webchat/session:" + secret.encode("utf-8")).hexdigest()[:32]


def photo_key(secret: str) -> str:
    """The key of the session's picture URLs (``bot.channels.attachments.customer_signature``):
    64 hex characters of SHA-256 with another label, so neither the public id nor the key gives
    the other or the secret.

    Args:
        secret: the session secret the browser holds.

    Returns:
        64 hex characters.
    """
    return hashlib.sha256(b"qx-webchat/photos:" + secret.encode("utf-8")).hexdigest()


def valid_secret(value: Any) -> bool:
    """True if ``value`` is shaped like a session id (32 lower-case hex characters).

    Args:
        value: anything (a JSON value from the browser).

    Returns:
        True or False.
    """
    return isinstance(value, str) and bool(SESSION_ID.fullmatch(value))


def session_id_problem(value: Any) -> Optional[str]:
    """Why a client's ``session_id`` field is malformed (not a string), or None when it is a string
    or absent. A string the server did not issue is no problem here: it is an unknown session (a
    new one from ``/chat/api/session``, 404 ``unknown_session`` elsewhere).

    Args:
        value: the field as the client's JSON or query string gave it (None when absent).

    Returns:
        The reason for a 400 ``bad_request`` ("session_id must be a string … not a number"), or None.
    """
    if value is None or isinstance(value, str):
        return None
    kind = ("a boolean" if isinstance(value, bool) else "a number" if isinstance(value, (int, float))
            else "an array" if isinstance(value, list) else "an object" if isinstance(value, dict)
            else type(value).__name__)
    return f"session_id must be a string (the session_id /chat/api/session returned), not {kind}"


class SqlAlchemyWebchatRepository(WebchatRepository):
    """The ``webchat_sessions`` table: sessions the server issued (by public id, with the photo
    key), so a client cannot choose its own and only the holder of the secret resumes one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(self, origin: Optional[str]) -> str:
        """Issue a new session for a page at ``origin`` (cut to 255 characters): stores its public
        id and photo key, returns the secret (for the browser only; not stored).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        secret = new_session_id()
        row = WebchatSessionRow(id=public_id(secret), origin=(origin or None) and origin[:255],
                                photo_key=photo_key(secret))
        self.session.add(row)
        self.session.flush()
        return secret

    def resume(self, secret: Any, max_idle_s: Optional[float] = None) -> Optional[str]:
        """The public id of the session whose secret is ``secret`` (and the session marked seen),
        or None: not a secret we issued, or idle more than ``max_idle_s`` seconds (None: no limit).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        if not valid_secret(secret):
            return None
        row = self.session.get(WebchatSessionRow, public_id(secret))
        if row is None or row.photo_key is None:  # None: a session from before secrets (its id was public)
            return None
        now = utcnow()
        if max_idle_s and now - as_utc(row.last_seen_at) > timedelta(seconds=max_idle_s):
            return None
        row.last_seen_at = now
        self.session.flush()
        return row.id

    def photo_key(self, conversation_id: str) -> Optional[str]:
        """The picture-URL key of a web chat conversation (by public id), or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(WebchatSessionRow, conversation_id)
        return row.photo_key if row is not None else None

    def read_up_to(self, conversation_id: str) -> Optional[float]:
        """The read mark of a conversation (bot/channels/live.py): Unix seconds of the newest customer message
        an agent saw in one of its tickets, or None when no agent saw any.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        data = self.session.execute(
            select(TicketEventRow.data)
            .join(TicketRow, TicketRow.id == TicketEventRow.ticket_id)
            .where(TicketRow.conversation_id == conversation_id, TicketEventRow.kind == VIEWED)
            .order_by(TicketEventRow.id.desc()).limit(1)
        ).scalar()
        up_to = (data or {}).get("read_up_to") if isinstance(data, dict) else None
        return float(up_to) if isinstance(up_to, (int, float)) else None

    def record_read(self, ticket_id: str, conversation_id: str, viewer: str, up_to: float) -> bool:
        """Move the conversation's read mark forward to ``up_to`` (Unix seconds), seen by ``viewer``
        on ``ticket_id``, as a ``viewed`` ticket event; False (nothing written) when it is not newer.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        current = self.read_up_to(conversation_id)
        if current is not None and up_to <= current:
            return False
        self.session.add(TicketEventRow(ticket_id=ticket_id, kind=VIEWED, author=viewer,
                                        data={"read_up_to": up_to}))
        self.session.flush()
        return True


# --- the widget's message shape ------------------------------------------------------

def widget_message(message: Dict[str, Any], timestamp: Optional[float] = None) -> Dict[str, Any]:
    """A bot/agent message as the widget renders it.

    Accepts what Rasa's output channels collect (``text``, ``buttons``,
    ``image``, ``attachment``, ``custom``) and what ``BotUttered`` events hold
    (the same under ``data``). The shape is a superset of what Rasa's own
    socket.io channel emits (``quick_replies`` with ``content_type``,
    ``attachment`` images), so Rasa web chat widgets render it too.

    Args:
        message: a collected message or a ``BotUttered`` event's ``data`` shape.
        timestamp: Unix seconds to stamp it with, or None.

    Returns:
        The widget's message dict (``text``, ``quick_replies``, ``image``, ``attachment``, ``custom``,
        ``timestamp``).
    """
    data = {**(message.get("data") or {}), **{k: v for k, v in message.items() if k != "data"}}
    custom = data.get("custom") if isinstance(data.get("custom"), dict) else {}
    out: Dict[str, Any] = {"from": custom.get("from") if custom.get("from") in PEOPLE else "bot"}
    if custom.get("agent"):
        out["agent"] = str(custom["agent"])
    if isinstance(data.get("text"), str) and data["text"]:
        out["text"] = data["text"]
    buttons = data.get("buttons") or data.get("quick_replies") or []
    replies = [
        {"content_type": "text", "title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in buttons if isinstance(b, dict) and b.get("payload") is not None
    ]
    if replies:
        out["quick_replies"] = replies
    image = data.get("image")
    attachment = data.get("attachment")
    if isinstance(attachment, dict) and attachment.get("type") == "image":
        image = (attachment.get("payload") or {}).get("src") or image
    if isinstance(image, str) and image:
        out["attachment"] = {"type": "image", "payload": {"src": image}}
    if timestamp is None:
        timestamp = message.get("timestamp")
    if isinstance(timestamp, (int, float)):
        out["timestamp"] = float(timestamp)
    return out


# --- Rasa's own socket.io shapes (for standard Rasa clients, DESIGN.md §8) ----------------

QX_PROTOCOL = "qx-webchat/1"  # what the project's widget asks for in session_request


class _Emitted:
    """Stands in for the socket.io server under Rasa's ``SocketIOOutput``: keeps what it would emit."""

    def __init__(self) -> None:
        self.messages: List[dict] = []

    async def emit(self, _event: str, data: Any = None, **_kwargs: Any) -> None:
        if data is not None:
            self.messages.append(data)


async def rasa_messages(message: Dict[str, Any]) -> List[dict]:
    """What Rasa's own ``socketio`` channel would emit as ``bot_uttered`` for ``message``.

    Args:
        message: a bot message as Rasa's output channels collect it (``text``,
            ``buttons``, ``image``, ``attachment``, ``custom``) or an outbox
            message; agent replies and system notes (``custom.from`` agent or
            system) lose the marker and become a plain ``{text}``.

    Returns:
        The payloads, in order, built by Rasa's ``SocketIOOutput`` itself:
        ``{text}`` per paragraph, ``{text, quick_replies}`` for buttons,
        ``{attachment: {type: "image", payload: {src}}}`` for images.
    """
    from rasa.core.channels.socketio import SocketIOOutput  # imported late: Rasa is heavy

    data = {k: v for k, v in message.items() if k not in ("recipient_id", "timestamp", "new")}
    custom = data.get("custom")
    if isinstance(custom, dict) and custom.get("from") in PEOPLE:
        data.pop("custom")
    if not data.get("text"):
        data.pop("text", None)
        if data.get("buttons") or data.get("quick_replies"):
            data["text"] = ""
    emitted = _Emitted()
    await SocketIOOutput(emitted, "bot_uttered").send_response("-", data)  # type: ignore[arg-type]
    return emitted.messages


def people_messages(outbox: Iterable[Dict[str, Any]]) -> List[dict]:
    """Agent and system messages among a conversation's outbox rows
    (``SqlAlchemyOutboxRepository.all_for``), with their time and whether they are new.

    Args:
        outbox: rows of ``SqlAlchemyOutboxRepository.all_for``.

    Returns:
        The messages (dicts) with ``timestamp`` and ``new``.
    """
    return [
        {**row["message"], "timestamp": row["at"], "new": not row["delivered"]}
        for row in outbox if (row["message"].get("custom") or {}).get("from") in PEOPLE
    ]


def shown_text(event: Dict[str, Any]) -> Optional[str]:
    """What the customer saw themselves send: a button's title rather than its payload.

    Args:
        event: a Rasa ``user`` event.

    Returns:
        The text shown, or None for a hidden message.
    """
    metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
    if metadata.get("hidden"):
        return None
    shown = metadata.get("shown_as")
    if isinstance(shown, str) and shown.strip():
        return shown.strip()[:MAX_SHOWN_AS_CHARS]
    text = event.get("text")
    return text if isinstance(text, str) and text else None


def history(events: Iterable[Dict[str, Any]], people: Iterable[Dict[str, Any]], limit: int = 200,
            key: Optional[str] = None) -> List[dict]:
    """The last ``limit`` messages the customer saw, oldest first; with ``key`` (the session's
    :func:`photo_key`), a customer message that carried a photo shows it (its signed URL, issue 14).

    Args:
        events: the conversation's tracker events (dicts).
        people: agent and system messages (:func:`people_messages`).
        limit: the most messages returned.
        key: the session's photo key, or None (photos then show without a URL).

    Returns:
        Widget message dicts, oldest first: the customer's as ``{from: "user", text, timestamp,
            message_id?, attachment?}``, the others as :func:`widget_message` makes them (``new`` when undelivered).
    """
    items: List[tuple[float, int, dict]] = []
    for order, event in enumerate(events):
        stamp = float(event.get("timestamp") or 0)
        if event.get("event") == "user":
            text = shown_text(event)
            if text is not None:
                message = {"from": "user", "text": text, "timestamp": stamp}
                metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
                message_id = metadata.get("message_id")
                if isinstance(message_id, str):  # the widget matches what it sent before a reconnect
                    message["message_id"] = message_id
                photo = metadata.get("attachment_id")
                if key and valid_attachment_id(photo):
                    message["attachment"] = {"type": "image", "payload": {"src": customer_url(key, photo)}}
                items.append((stamp, order, message))
        elif event.get("event") == "bot":
            message = widget_message(event, stamp)
            if len(message) > 2:  # more than from + timestamp
                items.append((stamp, order, message))
    base = len(items) + 1
    for order, message in enumerate(people):
        shown = widget_message(message)
        if message.get("new"):  # not delivered before: the widget counts it as unread
            shown["new"] = True
        items.append((float(message.get("timestamp") or 0), base + order, shown))
    items.sort(key=lambda item: (item[0], item[1]))
    return [message for _, _, message in items[-limit:]]


# --- limits ----------------------------------------------------------------------------

@dataclass
class RateLimiter:
    """At most ``limit`` messages per ``window_s`` seconds per key (sliding window)."""

    limit: int = 10
    window_s: float = 20.0
    clock: Any = time.monotonic
    _seen: Dict[str, Deque[float]] = field(default_factory=dict)
    _next_sweep: float = 0.0

    def allow(self, key: str) -> bool:
        """Count a message for ``key`` if it is under the limit; returns False (nothing counted) if not.

        Args:
            key: the session or sender.

        Returns:
            True when counted, False when over the limit.
        """
        now = self.clock()
        if now >= self._next_sweep:  # forget idle sessions, at most once a window
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < self.window_s}
            self._next_sweep = now + self.window_s
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] >= self.window_s:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    async def allow_async(self, key: str) -> bool:
        """:meth:`allow` as a coroutine (the interface the Redis limiter shares).

        Args:
            key: the session or sender.

        Returns:
            True when counted, False when over the limit.
        """
        return self.allow(key)

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may send again (0.0 if it may now).

        Args:
            key: the session or sender.

        Returns:
            Seconds to wait.
        """
        seen = self._seen.get(key)
        if not seen:
            return 0.0
        return max(0.0, self.window_s - (self.clock() - seen[0]))
