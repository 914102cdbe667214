"""What every request and response of the Rasa server passes through.

- ``install(app)`` (called by the agent desk and web chat blueprints before
  the server starts; once per app) adds one app-wide response middleware:
  ``X-Content-Type-Options: nosniff`` on every response, Rasa's own routes
  included, and at most one ``Access-Control-Allow-Origin``: under a prefix a
  channel registered with ``cors_policy`` the channel decides (a refused
  origin is never echoed, whatever Sanic-CORS added for ``--cors``);
  elsewhere duplicates are dropped. ``Access-Control-Allow-Credentials`` is
  dropped wherever no origin, or ``*``, is allowed. It also adds a request
  check for Rasa's ``POST /model/parse``: first Rasa's own token check
  (``?token=``, constant-time; 401 like Rasa, without its version), then a
  body that is not ``{"text": "..."}`` with valid Unicode is answered 400
  rather than Rasa's 500. And it caps every request body of the server at
  ``REQUEST_MAX_BYTES`` (Sanic's ``REQUEST_MAX_SIZE``, default 100 MB): a
  larger declared or chunked body gets 413 before it is read. Rasa's ``GET /version``
  needs the same token as the rest of its HTTP API (401 without), and ``GET /`` (the
  health check of scripts/run.sh, haproxy and the tests, open) no longer names Rasa's
  version. Errors the framework answers itself (404 unknown path, 405, 413, 408, an
  unhandled exception: 500) are JSON ``{"error": ..., "reason": ...}`` like the agent
  API's, never an HTML page nor a stack trace (:func:`json_error`); so are socket.io's own
  refusals (:func:`json_errors_under`) and a channel that is off (:func:`unavailable`, 503). An
  answer without a content type (Sanic-CORS's to ``OPTIONS``) is 204 No Content, never
  ``content-type: None``. A ``Content-Length`` that is not ASCII digits, or two different ones, is
  answered 400 before Sanic reads it (:func:`add_app_routes` adds that check).
- ``text_problem``: why a text may not be stored (lone surrogates, NUL and
  other control characters).
- Rate-limit refusals in each channel's own shape (``bot.storage.ratelimit`` does
  the counting): ``rest_limited``, ``wechat_limited``, ``ivr_limited``,
  ``too_many``.
- Content-Security-Policy values for the pages we serve.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import unicodedata
from http import HTTPStatus
from typing import Any, Callable, Dict, List, Optional, Tuple

from sanic import Blueprint, Sanic, response
from sanic.exceptions import InvalidUsage, SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.auth import secret_matches
from bot.storage.ratelimit import limits, retry_after_header

logger = logging.getLogger(__name__)
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
# The channels' own caps are 64-96 KB: a smaller server-wide cap would refuse what they accept.
MIN_REQUEST_MAX_BYTES = 128 * 1024
# (path prefix, request -> the Access-Control-Allow-Origin value or None)
_POLICIES: List[Tuple[str, Callable[[Request], Optional[str]]]] = []
# Path prefixes whose error answers are rewritten as JSON (json_errors_under)
_JSON_ERROR_PREFIXES: List[str] = []
# A strict policy for pages that load only their own files.
STRICT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")


def json_errors_under(prefix: str) -> None:
    """Answer the errors of a library's routes under ``prefix`` in :func:`json_error`'s shape.

    python-engineio (socket.io) answers its own refusals (400 bad session or protocol version,
    a 5xx) as plain text; under ``prefix`` the response middleware rewrites any error answer that
    is not JSON as ``{"error": its text, "reason": "InvalidUsage"…}``.

    Args:
        prefix: a path prefix (``/socket.io``).
    """
    if prefix not in _JSON_ERROR_PREFIXES:
        _JSON_ERROR_PREFIXES.append(prefix)


# Sanic's exception names (json_error's "reason") by status.
_REASONS = {400: "InvalidUsage", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotSupported",
            408: "RequestTimeout", 413: "PayloadTooLarge", 500: "ServerError", 503: "ServiceUnavailable"}


def _as_json_error(reply: Any) -> None:
    """Rewrite a plain-text error answer in place as ``{"error", "reason"}`` JSON."""
    text = bytes(reply.body or b"").decode("utf-8", "replace").strip().strip('"')
    status = HTTPStatus(reply.status)
    reason = _REASONS.get(reply.status) or status.phrase.title().replace(" ", "").replace("-", "")
    reply.body = json.dumps({"error": text or status.phrase.lower(), "reason": reason}).encode()
    reply.content_type = "application/json"
    reply.headers.popall("content-type", None)
    reply.headers.popall("content-length", None)


def cors_policy(prefix: str, decide: Callable[[Request], Optional[str]]) -> None:
    """Let a channel decide ``Access-Control-Allow-Origin`` for paths under ``prefix``.

    ``decide(request)`` returns the header value (the request's origin if
    allowed, ``"*"`` for public files) or None for no header at all.
    """
    _POLICIES[:] = [(p, d) for p, d in _POLICIES if p != prefix] + [(prefix, decide)]


def secure_headers(request: Request, reply: Any) -> None:
    """The response middleware: ``nosniff`` on every answer, a content type on every answer with a
    body (an empty one without a type, Sanic-CORS's answer to ``OPTIONS``, becomes 204 No Content),
    and the CORS headers a channel's policy (``cors_policy``) decides under its prefix; duplicates
    elsewhere dropped."""
    headers = getattr(reply, "headers", None)
    if headers is None:  # a WebSocket upgrade has no response object
        return
    headers["X-Content-Type-Options"] = "nosniff"
    if getattr(reply, "content_type", "") is None and "content-type" not in headers:
        # Sanic would send the missing type as the text "content-type: None" (Sanic-CORS's answer
        # to every OPTIONS request): an empty answer says so (204, no type), any other is bytes.
        if not getattr(reply, "body", None) and reply.status == 200:
            reply.status = 204
        else:
            reply.content_type = "application/octet-stream"
    path = request.path
    if reply.status >= 400 and any(path.startswith(p) for p in _JSON_ERROR_PREFIXES) \
            and not str(reply.content_type or headers.get("content-type", "")).startswith("application/json") \
            and isinstance(getattr(reply, "body", None), bytes):
        _as_json_error(reply)
    for prefix, decide in _POLICIES:
        if path.startswith(prefix):
            try:
                value = decide(request)
            except Exception:  # a policy bug must not turn a reply into a 500
                logger.exception("CORS policy for %s failed", prefix)
                value = None
            headers.popall(ACAO, None)
            if value:
                headers[ACAO] = value
                if value != "*" and "origin" not in headers.get("Vary", "").lower():
                    headers.add("Vary", "Origin")
            break
    else:
        values = headers.getall(ACAO, [])
        if len(values) > 1:
            headers.popall(ACAO)
            headers[ACAO] = values[0]
    # Credentials only go with one named origin: never alone, never with "*".
    if headers.get(ACAO, "*") == "*":
        headers.popall(ACAC, None)


def _rasa_api_error(message: str, status: int = 400, reason: str = "BadRequest") -> HTTPResponse:
    """The error shape of Rasa's HTTP API (``rasa.server.ErrorResponse``), without Rasa's version."""
    return response.json({"version": None, "status": "failure", "message": message,
                          "reason": reason, "details": {}, "help": None, "code": status}, status=status)


def text_problem(text: str, multiline: bool = False) -> Optional[str]:
    """Why ``text`` may not be stored, or None if it may.

    Refused: lone UTF-16 surrogates (not valid Unicode), NUL and every other
    control character (Unicode category Cc: C0, DEL, C1); with ``multiline``
    tab, line feed and carriage return are allowed.

    Returns:
        A short reason for a 400 answer (``"contains a control character"`` …), or None.
    """
    if has_lone_surrogate(text):
        return "is not valid Unicode (lone surrogate)"
    allowed = "\t\n\r" if multiline else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
        return "contains a control character" if "\x00" not in text else "contains a NUL character"
    return None


def has_lone_surrogate(text: str) -> bool:
    """True if ``text`` holds a UTF-16 surrogate (``"\\ud800"`` from a JSON escape): not valid Unicode text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_UNSET = object()


def rasa_auth_token(app: Sanic) -> Optional[str]:
    """The token Rasa's HTTP API checks (``rasa run --auth-token``), or None if it has none.

    Read from the ``/model/parse`` handler Rasa built (``rasa.server.requires_auth``
    keeps it in its closure), so it is the token Rasa really uses; if that
    handler cannot be found, ``RASA_API_TOKEN``. Cached on ``app.ctx``.
    """
    cached = getattr(app.ctx, "rasa_auth_token", _UNSET)
    if cached is not _UNSET:
        return cached
    token: Any = _UNSET
    for route in app.router.routes:
        if route.path.strip("/") == "model/parse" and "POST" in route.methods:
            handler = route.handler
            names = getattr(getattr(handler, "__code__", None), "co_freevars", ())
            if "token" in names and handler.__closure__:
                token = handler.__closure__[names.index("token")].cell_contents
            break
    if token is _UNSET:
        from bot.settings import get_settings

        token = get_settings().rasa_api_token
    app.ctx.rasa_auth_token = token if isinstance(token, str) and token else None
    return app.ctx.rasa_auth_token


async def _rasa_authenticated(request: Request) -> bool:
    """Rasa's own check (``rasa.server.requires_auth``), done before the body is parsed:
    ``?token=`` (constant-time), else a JWT when Rasa was started with ``--jwt-secret``;
    True when Rasa's API has no authentication at all."""
    token = rasa_auth_token(request.app)
    if token is not None and secret_matches(request.args.get("token"), token):
        return True
    use_jwt = request.app.config.get("USE_JWT")
    if use_jwt:
        try:
            authenticated = request.app.ctx.auth.is_authenticated(request)
            if hasattr(authenticated, "__await__"):
                authenticated = await authenticated
            return bool(authenticated)
        except Exception:  # a malformed JWT is no authentication
            return False
    return token is None and use_jwt is None


#: The longest text ``POST /model/parse`` reads: the REST channel's longest message (``connectors.rest.MAX_MESSAGE_CHARS``).
#: A reading holds every other reading of the server (bot/nlu_worker.py): 117 KB took a second (session 43, helper-207).
PARSE_MAX_CHARS = 4000


async def _check_parse_request(request: Request) -> Optional[HTTPResponse]:
    if request.method != "POST" or request.path.rstrip("/") != "/model/parse":
        return None
    if getattr(request.stream, "request_body", None):
        # The body was not read: Sanic is answering an error (a body over REQUEST_MAX_BYTES: 413)
        # and runs the request middleware first. Leave the answer to it.
        return None
    if not await _rasa_authenticated(request):
        return _rasa_api_error("User is not authenticated.", 401, "NotAuthenticated")
    try:
        body = request.json
    except Exception:
        return _rasa_api_error("the body must be JSON: {\"text\": \"...\"}")
    if not isinstance(body, dict):
        return _rasa_api_error("the body must be a JSON object: {\"text\": \"...\"}")
    text = body.get("text")
    if not isinstance(text, str):
        return _rasa_api_error("\"text\" must be a string")
    if has_lone_surrogate(text):
        return _rasa_api_error("\"text\" contains a lone UTF-16 surrogate (not valid Unicode)")
    if len(text) > PARSE_MAX_CHARS:
        return _rasa_api_error(f"\"text\" is longer than {PARSE_MAX_CHARS} characters", 413, "PayloadTooLarge")
    return None


# What GET / answers (Rasa's says "Hello from Rasa: <version>"): a health check, nothing to fingerprint.
ROOT_TEXT = "Hello from Rasa"
# The route paths (Sanic's, without the leading slash) of Rasa's GET / and GET /version.
_ROOT, _VERSION = "", "version"


async def _check_rasa_info_request(request: Request) -> Optional[HTTPResponse]:
    """``GET /version`` only with Rasa's token; ``GET /`` without the version (open: a health check)."""
    route = getattr(request, "route", None)
    if route is None or request.method not in ("GET", "HEAD") or route.path not in (_ROOT, _VERSION):
        return None
    if not getattr(route.handler, "__module__", "").startswith("rasa."):
        return None  # a route of ours on that path: not Rasa's
    if route.path == _ROOT:
        return response.text(ROOT_TEXT)
    if not await _rasa_authenticated(request):
        return _rasa_api_error("User is not authenticated.", 401, "NotAuthenticated")
    return None


async def _root_head(request: Request) -> HTTPResponse:
    """``HEAD /``: the health check's headers (:data:`ROOT_TEXT`, as ``GET /`` answers); Sanic sends no body."""
    return response.text(ROOT_TEXT)


#: The site's icon, a speech bubble in the desk's accent colour (a new user's finding: every page we serve made
#: the browser ask for /favicon.ico, answered 404). Inline: nothing to fetch, no file to look up.
FAVICON_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
               b'<rect x="2" y="3" width="28" height="21" rx="6" fill="#1f5fbf"/>'
               b'<path d="M9 23 L9 30 L17 23 Z" fill="#1f5fbf"/>'
               b'<circle cx="10" cy="13.5" r="2.2" fill="#fff"/><circle cx="16" cy="13.5" r="2.2" fill="#fff"/>'
               b'<circle cx="22" cy="13.5" r="2.2" fill="#fff"/></svg>')
#: An image holds no script and loads nothing; a day in the browser's cache.
FAVICON_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                   "Cache-Control": "public, max-age=86400"}


async def _favicon(request: Request) -> HTTPResponse:
    """``GET``/``HEAD /favicon.ico``: :data:`FAVICON_SVG` (the web chat and desk pages name no icon, so a browser
    asks for this one)."""
    return response.raw(FAVICON_SVG, content_type="image/svg+xml", headers=dict(FAVICON_HEADERS))


def add_app_routes(app: Sanic) -> None:
    """The app-wide routes (once per app): ``HEAD /``, as ``GET /`` answers. Rasa's ``GET /`` is GET only, so an
    uptime check sending HEAD got 405 (fresh-user report 7). And ``/favicon.ico`` (:data:`FAVICON_SVG`), which
    every browser asks for on the pages we serve. And the check of every request's ``Content-Length``
    (:func:`_check_content_length`). Routes and signals can only be added before the server starts, so
    :class:`AppBlueprint` adds them when Rasa registers the channel's blueprint (the desk's and the web chat's).

    Args:
        app: the Rasa server's Sanic app.
    """
    if getattr(app.ctx, "app_routes_added", False):
        return
    app.ctx.app_routes_added = True
    app.add_route(_root_head, "/", methods=["HEAD"], name="root_head")
    app.add_route(_favicon, "/favicon.ico", methods=["GET", "HEAD"], name="favicon")
    app.add_signal(_check_content_length, "http.lifecycle.request")


async def _check_content_length(request: Request) -> None:
    """Refuse a ``Content-Length`` that is not ASCII digits with 400, before Sanic reads it (Sanic's signal
    ``http.lifecycle.request``, sent between the header and the body). Sanic 21.12 passes the header to ``int()``:
    ``²`` raised out of its parser (a 500 and a traceback in the log), ``-1`` and other scripts' digits (``١٢``) were
    taken as a length (session 45, after helper-210's IVR timestamp). RFC 9110 §8.6: ``Content-Length = 1*DIGIT``.

    Args:
        request: the request, its headers read.

    Raises:
        InvalidUsage: 400, the header is not ASCII digits or is given twice with different values (the body is not
            read; the connection is closed).
    """
    values = request.headers.getall("content-length", [])
    if any(not (value.isascii() and value.isdigit()) for value in values):
        raise InvalidUsage("Content-Length must be a number of bytes (ASCII digits)")
    if len(set(values)) > 1:  # RFC 9112 §6.3: differing lengths are an error (request smuggling)
        raise InvalidUsage("Content-Length is given twice with different values")


class AppBlueprint(Blueprint):
    """A channel's blueprint that adds the app-wide routes (:func:`add_app_routes`) as Rasa registers it, as
    Rasa's own ``SocketBlueprint`` attaches socket.io to the app there."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        """Add :func:`add_app_routes`, then register as any blueprint.

        Args:
            app: the Rasa server's Sanic app.
            options: Sanic's blueprint options (``url_prefix``…).
        """
        add_app_routes(app)
        super().register(app, options)


def unavailable(message: str) -> HTTPResponse:
    """503 in the shape of :func:`json_error`'s answers, for a channel that is off until it is
    configured (WeChat without ``WECHAT_TOKEN``…).

    Args:
        message: why, for the operator (``"WeChat channel not configured: set WECHAT_TOKEN"``).

    Returns:
        ``{"error": message, "reason": "ServiceUnavailable"}`` with status 503.
    """
    return response.json({"error": message, "reason": "ServiceUnavailable"}, status=503)


def json_error(request: Request, exception: BaseException) -> HTTPResponse:
    """The answer to an error no route handled (Sanic's default handler): JSON, no stack trace.

    Sanic's own page is HTML (a browser's ``Accept``) or text, and in debug mode shows the
    traceback. Here a 4xx says what was wrong; anything else is a 500 whose details go to the
    log only.

    Args:
        request: the request (``None`` when Sanic failed before it had one).
        exception: what was raised: a ``SanicException`` (``NotFound``, ``MethodNotSupported``,
            ``PayloadTooLarge``…, its ``status_code``) or any other exception (500).

    Returns:
        ``{"error": a reason for the client, "reason": the kind (``NotFound``…)}`` with the
        exception's status (a 5xx other than a ``SanicException``'s: 500) and headers (``Allow``
        of a 405).
    """
    if request is not None:
        ErrorHandler.log(request, exception)  # Sanic's logging: 5xx with its traceback, quiet 4xx not
    status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
    if not 400 <= status < 500:  # the details stay in the log
        status = status if isinstance(exception, SanicException) and 500 <= status < 600 else 500
        reason = type(exception).__name__ if isinstance(exception, SanicException) else "ServerError"
        return response.json({"error": HTTPStatus(status).phrase.lower(), "reason": reason}, status=status)
    method = getattr(request, "method", "")
    if status == 404:
        message = "not found: no such path"
    elif status == 405:
        message = f"method {method} not allowed on this path"
    elif status == 413:
        limit = getattr(getattr(getattr(request, "app", None), "config", None), "REQUEST_MAX_SIZE", None)
        message = f"request body larger than {limit} bytes" if limit else "request body too large"
    else:
        message = str(exception) or "bad request"
    headers = dict(getattr(exception, "headers", None) or {})
    return response.json({"error": message, "reason": type(exception).__name__}, status=status, headers=headers)


def _install_json_errors(app: Sanic) -> None:
    """Make :func:`json_error` the default of the app's error handler, under Sanic-CORS's wrapper
    (``CORSErrorHandler.orig_handler``) too; handlers registered for an exception (Rasa's
    ``ErrorResponse``, the channels') are still asked first."""
    handler = app.error_handler
    while handler is not None:
        handler.default = json_error  # type: ignore[method-assign]
        handler = getattr(handler, "orig_handler", None)


def install(app: Sanic) -> None:
    """Register the app-wide middleware once (idempotent).

    The response middleware is appended last so it runs after Sanic-CORS's
    (Sanic runs response middleware in list order) and has the final word.

    Raises:
        ValueError: ``REQUEST_MAX_BYTES`` is below ``MIN_REQUEST_MAX_BYTES``.
    """
    if getattr(app.ctx, "guard_installed", False):
        return
    app.ctx.guard_installed = True
    from bot.settings import get_settings

    # Read by each new connection (sanic.server.protocols.http_protocol): set before the server accepts any.
    max_bytes = get_settings().request_max_bytes
    if max_bytes < MIN_REQUEST_MAX_BYTES:
        raise ValueError(f"REQUEST_MAX_BYTES must be at least {MIN_REQUEST_MAX_BYTES}, got {max_bytes}")
    app.config.REQUEST_MAX_SIZE = max_bytes
    app.response_middleware.append(secure_headers)
    app.register_middleware(_check_parse_request, "request")
    app.register_middleware(_check_rasa_info_request, "request")
    _install_json_errors(app)


# --- Content-Security-Policy -----------------------------------------------------

def inline_hashes(html: str) -> Dict[str, List[str]]:
    """CSP source expressions (``'sha256-…'``) for the inline ``<script>`` and ``<style>`` blocks of a page."""
    found: Dict[str, List[str]] = {"script": [], "style": []}
    for tag in found:
        for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            found[tag].append(f"'sha256-{digest}'")
    return found


# --- rate-limit refusals in each channel's shape ---------------------------------

TOO_FAST = {
    "en": "You are sending messages too fast; please wait a moment and try again.",
    "zh": "您发送消息太快了，请稍等片刻再试。",
}


def too_many(wait_s: float, message: str = "too many requests; slow down") -> HTTPResponse:
    """429 with ``Retry-After`` (whole seconds) and a JSON ``{error, retry_after_s}``."""
    seconds = retry_after_header(wait_s)
    return response.json({"error": message, "retry_after_s": int(seconds)}, status=429,
                         headers={"Retry-After": seconds})


async def limited(request: Request, channel: str, sender: Any = None, cost: float = 1.0) -> float:
    """Count one request of ``channel`` from the request's client address and
    ``sender`` (if given): 0.0 if allowed, else the seconds to wait (every server's
    count when REDIS_URL is set). ``cost``: what it spends of the address's allowance
    (``bot.storage.ratelimit.message_cost`` of a message's text)."""
    lim = limits()
    return await lim.check_async(channel, lim.address_of(request), None if sender is None else str(sender), cost)


async def rest_limited(request: Request, sender: Any = None, cost: float = 1.0) -> Optional[HTTPResponse]:
    """The REST channel's 429, or None to go on (``cost``: see :func:`limited`)."""
    wait = await limited(request, "rest", sender, cost)
    return too_many(wait, TOO_FAST["en"]) if wait else None


async def wechat_limited(request: Request, openid: str) -> Optional[str]:
    """A polite passive-reply text for a WeChat sender over the limit, or None to go on.

    WeChat must never get an error for it (it would retry the message).
    """
    return TOO_FAST["zh"] if await limited(request, "wechat", openid) else None


async def ivr_limited(request: Request, event: Any) -> Optional[dict]:
    """The IVR answer for a call over the limit (an apology, then listen again), or None to go on."""
    if not await limited(request, "ivr", getattr(event, "call_id", None)):
        return None
    from connectors.ivr import protocol, ssml

    lang = "zh" if str(getattr(event, "lang", "en")).lower().startswith("zh") else "en"
    text = TOO_FAST[lang]
    return protocol.reply(event, [protocol.say(ssml.to_ssml(text, lang), text, lang), protocol.gather(lang)])
