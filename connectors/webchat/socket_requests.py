"""socket.io requests that python-engineio answers with a 500, or takes with a logged traceback,
refused before it sees them with a 4xx ``{"error": why, "reason": kind}`` (connectors.guard's shape).

- **A WebSocket request whose opening handshake is not RFC 6455's** (``transport=websocket`` or an
  ``Upgrade: websocket`` header, and no ``Connection: Upgrade``, no or a bad ``Sec-WebSocket-Key``, a
  ``Sec-WebSocket-Version`` other than 13). Sanic 21.12 turns the websockets library's refusal into a
  500 (it cannot store the error on its own request object), and engine.io answers ``Upgrade:
  websocket`` without ``Connection: Upgrade`` with packets Sanic cannot send (a 500 again, after
  running the connect handler). The check is the websockets library's own
  (``ServerConnection.accept``), so what passes here is what the real handshake accepts; its status
  is kept: 426 Upgrade Required (with ``Upgrade: websocket``) for the ``Connection``/``Upgrade``
  headers, else 400.
- **A long-polling POST whose body is no engine.io payload** (not UTF-8, an empty or unknown packet,
  bad base64) **or holds a socket.io packet socket.io cannot dispatch** (does not decode; an event
  whose data is not a list starting with its name; a packet type a client never sends): engine.io
  answered ``OK`` and logged a traceback (or failed later in a background handler).

On an open connection (WebSocket frames, and polling payloads this check let through) every socket.io
message passes :func:`check_frames` first: one socket.io cannot dispatch (as above, JSON nested deeper than
:data:`MAX_PACKET_DEPTH`, binary data) is not dispatched but refused to its socket with a reason (the web
chat: a ``chat_error`` and one log line), and the messages after it are dispatched as usual.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Iterable, Mapping, Optional, Tuple

from engineio import packet as eio_packet
from engineio.payload import Payload
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import packet as sio_packet
from websockets.datastructures import Headers
from websockets.http11 import Request as HandshakeRequest
from websockets.server import ServerConnection

# The handshake check's own logger: websockets logs "connection open" at INFO for every good one.
_HANDSHAKE_LOG = logging.getLogger(__name__ + ".handshake")
_HANDSHAKE_LOG.setLevel(logging.WARNING)
# socket.io packets a client sends (CONNECT_ERROR is the server's).
_CLIENT_PACKETS = {sio_packet.CONNECT, sio_packet.DISCONNECT, sio_packet.EVENT, sio_packet.ACK,
                   sio_packet.BINARY_EVENT, sio_packet.BINARY_ACK}
_REASONS = {400: "InvalidUsage", 426: "UpgradeRequired"}


def websocket_refusal(headers: Iterable[Tuple[str, str]]) -> Optional[Tuple[int, str, dict]]:
    """Why a WebSocket opening handshake with ``headers`` would fail, as the websockets library decides.

    Args:
        headers: the request's headers as ``(name, value)`` pairs, repeated names repeated.

    Returns:
        None when the handshake is valid, else ``(status, message, headers)``: 426 with
        ``{"Upgrade": "websocket"}`` for a missing or wrong ``Connection``/``Upgrade`` header, 400
        for the rest (``"Failed to open a WebSocket connection: missing Sec-WebSocket-Key header."``).
    """
    request_headers = Headers()
    for name, value in headers:
        request_headers[name] = value  # appends: a repeated header stays repeated
    answer = ServerConnection(logger=_HANDSHAKE_LOG).accept(HandshakeRequest("/", request_headers))
    if answer.status_code == 101:
        return None
    message = bytes(answer.body or b"").decode("utf-8", "replace").strip().splitlines()[0]
    extra = {"Upgrade": answer.headers["Upgrade"]} if "Upgrade" in answer.headers else {}
    return answer.status_code, message, extra


#: How deep a socket.io packet's JSON may nest (the packet's list is level 1), as the REST channel's body.
MAX_PACKET_DEPTH = 16


def _too_deep(value: Any, limit: int) -> bool:
    """Whether JSON ``value`` nests lists or objects deeper than ``limit`` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def socketio_problem(data: Any) -> Optional[str]:
    """Why socket.io could not dispatch the text of one engine.io message (or should not: JSON nested
    deeper than :data:`MAX_PACKET_DEPTH`), or None.

    Args:
        data: the engine.io message's data (text; bytes are a binary attachment).

    Returns:
        A reason for the client (``"a socket.io packet that does not decode"``…), or None.
    """
    if not isinstance(data, str):
        return "a socket.io packet must be text: a type digit, then JSON"
    too_deep = f"a socket.io packet with JSON nested deeper than {MAX_PACKET_DEPTH} levels"
    try:
        decoded = sio_packet.Packet(encoded_packet=data)
    except RecursionError:  # nested thousands deep: the JSON parser gave up
        return too_deep
    except (ValueError, TypeError, IndexError):
        return "a socket.io packet that does not decode"
    if _too_deep(decoded.data, MAX_PACKET_DEPTH):
        return too_deep
    if decoded.packet_type not in _CLIENT_PACKETS:
        return f"socket.io packet type {decoded.packet_type!r} is not one a client sends"
    if decoded.packet_type in (sio_packet.EVENT, sio_packet.BINARY_EVENT):
        if not isinstance(decoded.data, list) or not decoded.data or not isinstance(decoded.data[0], str):
            return "a socket.io event must be a JSON list starting with the event's name"
    if decoded.packet_type in (sio_packet.ACK, sio_packet.BINARY_ACK) and not isinstance(decoded.data, list):
        return "a socket.io acknowledgement must be a JSON list"
    return None


def payload_problem(body: bytes) -> Optional[str]:
    """Why a long-polling POST body is no engine.io payload socket.io can take, or None.

    Args:
        body: the request body as received.

    Returns:
        A reason for the client (``"the body is not UTF-8 text"``, ``"engine.io packet 3 does not
        decode"``…), or None for a payload engine.io and socket.io can process.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8 text"
    try:
        packets = Payload(encoded_payload=text).packets
    except Exception:  # ValueError, binascii.Error, IndexError: engine.io's own decoder refused it
        return "the body is not an engine.io payload (packets separated by \\x1e, each a type digit 0-6)"
    for number, decoded in enumerate(packets, 1):
        if not 0 <= decoded.packet_type < len(eio_packet.packet_names):
            return f"engine.io packet {number} has an unknown type"
        if decoded.packet_type == eio_packet.MESSAGE and not decoded.binary:
            problem = socketio_problem(decoded.data)
            if problem:
                return f"engine.io packet {number}: {problem}"
    return None


def refusal(method: str, args: Mapping[str, Any], headers: Iterable[Tuple[str, str]], body: Optional[bytes],
            max_bytes: int) -> Optional[Tuple[int, str, dict]]:
    """What one request to the engine.io path should be refused with, or None to let engine.io answer it.

    Args:
        method: the HTTP method.
        args: the query arguments (``transport`` read; a value may be a list, the first counts).
        headers: ``(name, value)`` pairs.
        body: the request body (POST).
        max_bytes: engine.io's ``max_http_buffer_size``: a longer body is left to its own 400.

    Returns:
        ``(status, message, extra headers)`` or None.
    """
    headers = list(headers)
    if method == "GET":
        transport = args.get("transport")
        transport = transport[0] if isinstance(transport, list) and transport else transport
        upgrade = ",".join(value for name, value in headers if name.lower() == "upgrade").lower()
        if transport == "websocket" or "websocket" in upgrade:
            return websocket_refusal(headers)
        return None
    if method == "POST" and body is not None and len(body) <= max_bytes:
        problem = payload_problem(body)
        if problem:
            return 400, problem, {}
    return None


def socket_request_check(path: str, max_bytes: int) -> Callable[[Request], Awaitable[Optional[HTTPResponse]]]:
    """The Sanic request middleware refusing, on the engine.io ``path``, what :func:`refusal` finds.

    Args:
        path: where socket.io listens (``/socket.io``; with or without a trailing slash).
        max_bytes: engine.io's ``max_http_buffer_size``.

    Returns:
        An async middleware: a JSON ``{"error", "reason"}`` answer (400 ``InvalidUsage``, 426
        ``UpgradeRequired``) or None.
    """
    prefix = path.rstrip("/")

    async def check_socket_request(request: Request) -> Optional[HTTPResponse]:
        if request.path.rstrip("/") != prefix:
            return None
        refused = refusal(request.method, request.args, request.headers.items(), request.body, max_bytes)
        if refused is None:
            return None
        status, message, extra = refused
        return response.json({"error": message, "reason": _REASONS.get(status, "InvalidUsage")}, status=status,
                             headers=extra)

    return check_socket_request


def frame_problem(data: Any) -> Optional[str]:
    """Why the web chat does not hand one engine.io message to socket.io, or None: what
    :func:`socketio_problem` finds, and binary data or binary packets (the chat sends none; socket.io
    would wait for attachments that may never come).

    Args:
        data: the engine.io message's data, from either transport.

    Returns:
        A reason for the client, or None.
    """
    if not isinstance(data, str):
        return "binary socket.io data is not accepted by this chat"
    problem = socketio_problem(data)
    if problem is None and data[:1] in (str(sio_packet.BINARY_EVENT), str(sio_packet.BINARY_ACK)):
        return "binary socket.io packets are not accepted by this chat"
    return problem


def check_frames(sio: Any, refuse: Callable[[Optional[str], str], Awaitable[None]]) -> None:
    """Put a check in front of socket.io's engine.io ``message`` handler: a message :func:`frame_problem`
    refuses is never dispatched (socket.io logged a traceback and answered nothing) but goes to
    ``refuse(sid, reason)``, ``sid`` the socket's socket.io id in the default namespace (None before
    it joined); every other message is dispatched as before, so nothing else on the connection is lost.

    Args:
        sio: the ``socketio.AsyncServer``.
        refuse: what to do with a refused message (the web chat: one log line and a ``chat_error``).
    """
    dispatch = sio.eio.handlers["message"]  # socket.io's own, registered when the server was made

    async def message(eio_sid: str, data: Any) -> Any:
        problem = frame_problem(data)
        if problem is None:
            return await dispatch(eio_sid, data)
        await refuse(sio.manager.sid_from_eio_sid(eio_sid, "/"), problem)
        return None

    sio.eio.on("message", message)
