"""What every request and response of the Rasa server passes through.

- ``install(app)`` (called by the agent desk and web chat blueprints before
  the server starts; once per app) adds one app-wide response middleware:
  ``X-Content-Type-Options: nosniff`` on every response, Rasa's own routes
  included, and at most one ``Access-Control-Allow-Origin``: under a prefix a
  channel registered with ``cors_policy`` the channel decides (a refused
  origin is never echoed, whatever Sanic-CORS added for ``--cors``);
  elsewhere duplicates are dropped. It also adds a request check for Rasa's
  ``POST /model/parse``: a body that is not ``{"text": "..."}`` with valid
  Unicode is answered 400 rather than Rasa's 500.
- Rate-limit refusals in each channel's own shape (``bot.ratelimit`` does
  the counting): ``rest_limited``, ``wechat_limited``, ``ivr_limited``,
  ``too_many``.
- Content-Security-Policy values for the pages we serve.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.ratelimit import limits, retry_after_header

logger = logging.getLogger(__name__)
ACAO = "Access-Control-Allow-Origin"
# (path prefix, request -> the Access-Control-Allow-Origin value or None)
_POLICIES: List[Tuple[str, Callable[[Request], Optional[str]]]] = []
# A strict policy for pages that load only their own files.
STRICT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")


def cors_policy(prefix: str, decide: Callable[[Request], Optional[str]]) -> None:
    """Let a channel decide ``Access-Control-Allow-Origin`` for paths under ``prefix``.

    ``decide(request)`` returns the header value (the request's origin if
    allowed, ``"*"`` for public files) or None for no header at all.
    """
    _POLICIES[:] = [(p, d) for p, d in _POLICIES if p != prefix] + [(prefix, decide)]


def _headers(request: Request, reply: Any) -> None:
    headers = getattr(reply, "headers", None)
    if headers is None:  # a WebSocket upgrade has no response object
        return
    headers["X-Content-Type-Options"] = "nosniff"
    path = request.path
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
            else:
                headers.popall("Access-Control-Allow-Credentials", None)
            return
    values = headers.getall(ACAO, [])
    if len(values) > 1:
        headers.popall(ACAO)
        headers[ACAO] = values[0]


def _rasa_api_error(message: str, status: int = 400) -> HTTPResponse:
    """The error shape of Rasa's HTTP API (``rasa.server.ErrorResponse``)."""
    return response.json({"version": None, "status": "failure", "message": message,
                          "reason": "BadRequest", "details": {}, "help": None, "code": status}, status=status)


def has_lone_surrogate(text: str) -> bool:
    """True if ``text`` holds a UTF-16 surrogate (``"\\ud800"`` from a JSON escape): not valid Unicode text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


async def _check_parse_request(request: Request) -> Optional[HTTPResponse]:
    if request.method != "POST" or request.path.rstrip("/") != "/model/parse":
        return None
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
    return None


def install(app: Sanic) -> None:
    """Register the app-wide middleware once (idempotent).

    The response middleware is appended last so it runs after Sanic-CORS's
    (Sanic runs response middleware in list order) and has the final word.
    """
    if getattr(app.ctx, "guard_installed", False):
        return
    app.ctx.guard_installed = True
    app.response_middleware.append(_headers)
    app.register_middleware(_check_parse_request, "request")


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


def limited(request: Request, channel: str, sender: Any = None) -> float:
    """Count one request of ``channel`` from the request's client address and
    ``sender`` (if given): 0.0 if allowed, else the seconds to wait."""
    lim = limits()
    return lim.check(channel, lim.address_of(request), None if sender is None else str(sender))


def rest_limited(request: Request, sender: Any = None) -> Optional[HTTPResponse]:
    """The REST channel's 429, or None to go on."""
    wait = limited(request, "rest", sender)
    return too_many(wait, TOO_FAST["en"]) if wait else None


def wechat_limited(request: Request, openid: str) -> Optional[str]:
    """A polite passive-reply text for a WeChat sender over the limit, or None to go on.

    WeChat must never get an error for it (it would retry the message).
    """
    return TOO_FAST["zh"] if limited(request, "wechat", openid) else None


def ivr_limited(request: Request, event: Any) -> Optional[dict]:
    """The IVR answer for a call over the limit (an apology, then listen again), or None to go on."""
    if not limited(request, "ivr", getattr(event, "call_id", None)):
        return None
    from connectors.ivr import protocol, ssml

    lang = "zh" if str(getattr(event, "lang", "en")).lower().startswith("zh") else "en"
    text = TOO_FAST[lang]
    return protocol.reply(event, [protocol.say(ssml.to_ssml(text, lang), text, lang), protocol.gather(lang)])
