"""How the Rasa server answers with a stored photo (issue 14), for the web chat and the agent desk.

The bytes go out with the content type found when the picture was checked
(never one a client declared), ``X-Content-Type-Options: nosniff``,
``Content-Disposition: inline`` with a made-up safe name, ``Cache-Control:
private`` (a shared cache must not keep someone's photo) and a
Content-Security-Policy that lets nothing run should a browser ever render
it as a document.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import response
from sanic.response import HTTPResponse

PHOTO_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


logger = logging.getLogger(__name__)
_CLEANUP_ATTR = "photo_cleanup"
_per_address: Any = None


def address_limiter() -> Any:
    """The process's per-address photo limiter (``PHOTO_UPLOADS_PER_ADDRESS_PER_MIN`` uploads a
    minute from one client address, a ``bot.storage.ratelimit.TokenBucketLimiter``; 0: no limit).
    With ATTACHMENT_MAX_BYTES (which the stored photo now respects too) it bounds the bytes one
    address can store a minute, whatever number of sessions it opens."""
    global _per_address
    if _per_address is None:
        from bot.settings import get_settings
        from bot.storage.ratelimit import TokenBucketLimiter

        _per_address = TokenBucketLimiter(get_settings().photo_uploads_per_address_per_min)
    return _per_address


def photo_response(attachment: Any, size: Any = None) -> HTTPResponse:
    """The 200 answer carrying ``attachment`` (a ``bot.channels.attachments.Attachment``); its preview
    when ``size`` is ``"thumb"`` (the ``?size=`` of the request) and it has one."""
    data, content_type = attachment.rendition(size)
    return response.raw(data, content_type=content_type, headers={
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{attachment.filename}"',
        "Cache-Control": "private, max-age=3600",
        "Content-Security-Policy": PHOTO_CSP,
        "Cross-Origin-Resource-Policy": "cross-origin",  # the widget may sit on the shop's own site
        "Referrer-Policy": "no-referrer",
    })


class TooLarge(Exception):
    """The upload is larger than ``max_bytes`` (the routes answer 413)."""


async def read_body(request: Any, max_bytes: int, subject: str = "Pictures") -> bytes:
    """The body of a streaming route (``stream=True``: Sanic's app-wide ``REQUEST_MAX_SIZE`` does not
    apply to it), read up to ``max_bytes``; a declared or sent body over it raises :class:`TooLarge`
    before more is read (Sanic then discards the rest within its own limit). ``subject`` names what
    is limited in the message: the picture (a raw body) or the whole request (a form, rev14c #3).

    Raises:
        TooLarge: the declared or received body is over ``max_bytes``.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"{subject} can be at most {max_bytes} bytes; this one has {declared}.")
    if request.stream is None:  # not streamed (a test client): the body is already here
        body = request.body or b""
    else:
        chunks, total = [], 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(f"{subject} can be at most {max_bytes} bytes.")
            chunks.append(chunk)
        body = b"".join(chunks)
    if len(body) > max_bytes:
        raise TooLarge(f"{subject} can be at most {max_bytes} bytes; this one has {len(body)}.")
    return body


async def cleanup_forever(interval_s: float) -> None:
    """Every ``interval_s`` seconds delete customer photos filed on no ticket and older than
    ``PHOTO_UNSENT_RETENTION_S`` (``bot.services.attachments.expire_unsent``), until cancelled; an
    error is logged and the next round tries again."""
    from bot.services import attachments as attachments_service
    from bot.storage.uow import SqlAlchemyUnitOfWork

    while True:
        try:
            deleted = await asyncio.to_thread(attachments_service.expire_unsent, SqlAlchemyUnitOfWork())
            if deleted:
                logger.info("deleted %s unsent photos past PHOTO_UNSENT_RETENTION_S", deleted)
        except Exception:  # the database is down for a moment
            logger.exception("photo clean-up failed")
        await asyncio.sleep(interval_s)


def install_cleanup(app: Any, interval_s: float = 600.0) -> bool:
    """Start :func:`cleanup_forever` on ``app`` once (a Sanic task); not when
    ``PHOTO_UNSENT_RETENTION_S`` is 0. Returns whether this call started it. Several servers may
    run it at once: each deletes what is still there."""
    from bot.settings import get_settings

    if getattr(app.ctx, _CLEANUP_ATTR, False) or not get_settings().photo_unsent_retention_s:
        return False
    setattr(app.ctx, _CLEANUP_ATTR, True)
    app.add_task(cleanup_forever(interval_s))
    return True


#: What a ``multipart/form-data`` upload may add to the picture's bytes (boundaries, part headers).
FORM_OVERHEAD_BYTES = 16 * 1024


class BadForm(ValueError):
    """A ``multipart/form-data`` upload without the fields it needs, or not parseable (400)."""


def photo_form(body: bytes, content_type: str, max_bytes: int) -> tuple:
    """The ``session_id`` field and the ``photo`` file of a ``multipart/form-data`` upload (the web
    chat widget's, rev14b #5: the session secret travels in the body, not the URL, and the request
    stays a CORS "simple" one).

    Args:
        body: the request body (already bounded by the caller).
        content_type: the request's ``Content-Type`` (its ``boundary`` parameter).
        max_bytes: the largest picture accepted (bytes).

    Returns:
        ``(session_id, picture bytes)``.

    Raises:
        BadForm: no boundary, a body Sanic cannot parse, or a missing field.
        TooLarge: the picture is over ``max_bytes``.
    """
    from sanic.headers import parse_content_header
    from sanic.request import parse_multipart_form

    _, parameters = parse_content_header(content_type)
    boundary = parameters.get("boundary")
    if not boundary:
        raise BadForm("a multipart/form-data upload needs its boundary")
    try:
        fields, files = parse_multipart_form(body, boundary.encode("utf-8"))
    except Exception:  # Sanic's parser raises whatever a malformed part makes it (IndexError, ValueError...)
        raise BadForm("the multipart/form-data body could not be read") from None
    secret, photo = fields.get("session_id"), files.get("photo")
    if not secret or photo is None:
        raise BadForm("send the fields session_id and photo (the picture)")
    if len(photo.body) > max_bytes:
        raise TooLarge(f"Pictures can be at most {max_bytes} bytes; this one has {len(photo.body)}.")
    return secret, photo.body
