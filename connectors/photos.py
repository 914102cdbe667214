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
import threading
from typing import Any, Awaitable, Dict, Optional, Tuple

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


#: Retry-After (seconds) of a 429 ``checks_in_flight``: about one ordinary photo's check.
CHECKS_IN_FLIGHT_RETRY_S = 5.0


class ChecksInFlight(Exception):
    """Too many photo checks of one client address, chat session or agent are in flight (issue 14,
    rev14d #2): answer 429 ``checks_in_flight`` with ``Retry-After: retry_after_s`` at once, without
    queueing for the shared picture pool. ``key`` is the limited key (``"address|..."``...)."""

    def __init__(self, key: str, limit: int, retry_after_s: float = CHECKS_IN_FLIGHT_RETRY_S) -> None:
        super().__init__(f"{limit} of your photos {'is' if limit == 1 else 'are'} still being checked; "
                         "please wait until it is sent, then try again.")
        self.key, self.limit, self.retry_after_s = key, limit, retry_after_s


class InFlightLimiter:
    """How many photo uploads are in flight per key, in this process (issue 14, rev14d #2): one
    address's uploads must not fill the picture pool (``IMAGE_WORKERS`` + ``IMAGE_QUEUE``) that every
    customer shares. Thread-safe; counts only what :meth:`acquire` took and its :class:`Hold` gave back.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Dict[str, int] = {}

    def acquire(self, *limits: Tuple[str, int]) -> "Hold":
        """One more in flight for every ``(key, limit)`` (a limit of 0: no limit), all or none.

        Returns:
            The :class:`Hold` that gives them back (use it as a context manager, or :meth:`Hold.run`).

        Raises:
            ChecksInFlight: a key already has ``limit`` in flight (nothing was taken).
        """
        with self._lock:
            for key, limit in limits:
                if limit and self._counts.get(key, 0) >= limit:
                    raise ChecksInFlight(key, limit)
            for key, _ in limits:
                self._counts[key] = self._counts.get(key, 0) + 1
        return Hold(self, tuple(key for key, _ in limits))

    def count(self, key: str) -> int:
        """How many are in flight for ``key`` now."""
        with self._lock:
            return self._counts.get(key, 0)

    def _release(self, keys: Tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                left = self._counts.get(key, 0) - 1
                if left > 0:
                    self._counts[key] = left
                else:
                    self._counts.pop(key, None)


class Hold:
    """What one upload holds in an :class:`InFlightLimiter`; given back exactly once.

    As a context manager it is given back on leaving the block (an answer, an exception, the client
    gone: the handler cancelled), unless :meth:`run` started work that still runs: then when that
    work ends, so that a client who disconnects cannot start a new check while its last one still
    uses a picture worker.
    """

    def __init__(self, limiter: InFlightLimiter, keys: Tuple[str, ...]) -> None:
        self._limiter, self._keys = limiter, keys
        self._released = False
        self._lock = threading.Lock()
        self._task: Optional[asyncio.Future] = None

    def release(self) -> None:
        """Give the counts back (a second call does nothing)."""
        with self._lock:
            if self._released:
                return
            self._released = True
        self._limiter._release(self._keys)

    async def run(self, work: Awaitable) -> Any:
        """``work`` awaited, shielded from the caller's cancellation: it runs to its end even if the
        client goes away, and the hold is given back only then.

        Returns:
            What ``work`` returns; its exceptions propagate.
        """
        task = asyncio.ensure_future(work)
        self._task = task
        task.add_done_callback(self._done)
        return await asyncio.shield(task)

    def _done(self, task: asyncio.Future) -> None:
        if not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" when nobody awaits it
        self.release()

    def __enter__(self) -> "Hold":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._task is None or self._task.done():
            self.release()


_in_flight: Optional[InFlightLimiter] = None


def checks_in_flight() -> InFlightLimiter:
    """The process's :class:`InFlightLimiter` for photo uploads (``PHOTO_CHECKS_PER_ADDRESS``,
    ``PHOTO_CHECKS_PER_SESSION``, ``PHOTO_CHECKS_PER_AGENT``: see :func:`customer_hold`, :func:`agent_hold`)."""
    global _in_flight
    if _in_flight is None:
        _in_flight = InFlightLimiter()
    return _in_flight


def customer_hold(address: str, session_id: str) -> Hold:
    """A customer's upload in flight: at most ``PHOTO_CHECKS_PER_ADDRESS`` per client address (all its
    sessions) and ``PHOTO_CHECKS_PER_SESSION`` per chat session (0: no limit).

    Raises:
        ChecksInFlight: either is reached (answer 429 ``checks_in_flight``).
    """
    from bot.settings import get_settings

    settings = get_settings()
    return checks_in_flight().acquire((f"address|{address}", settings.photo_checks_per_address),
                                      (f"session|{session_id}", settings.photo_checks_per_session))


def agent_hold(username: str) -> Hold:
    """An agent's photo in flight: at most ``PHOTO_CHECKS_PER_AGENT`` per agent (0: no limit).

    Raises:
        ChecksInFlight: reached (answer 429 ``checks_in_flight``).
    """
    from bot.settings import get_settings

    return checks_in_flight().acquire((f"agent|{username}", get_settings().photo_checks_per_agent))


async def check_own_photo(conversation_id: str, attachment_id: Any) -> None:
    """A message's ``attachment_id`` names a photo its own customer sent, checked off the event loop
    (``bot.services.attachments.require_customer_photo``): the one check of the web chat and REST.

    Args:
        conversation_id: the conversation's Rasa sender id.
        attachment_id: the ``attachment_id`` the message carries (None: nothing to check).

    Raises:
        bot.services.attachments.NotOwnPhoto: it names no photo of this conversation's customer.
    """
    if attachment_id is None:
        return
    from bot.services import attachments as attachments_service, run_db
    from bot.storage.uow import SqlAlchemyUnitOfWork

    await run_db(attachments_service.require_customer_photo, SqlAlchemyUnitOfWork(), attachment_id, conversation_id)


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


class TooSlow(Exception):
    """The upload's body did not arrive within ``UPLOAD_DEADLINE_S`` (the routes answer 408)."""


# rev14e #1: a body that stalls would hold its photo slots (PHOTO_CHECKS_PER_*) for ever; 5 MB at
# 50 KB/s (a poor mobile link) takes 100 s
UPLOAD_DEADLINE_S = 120.0


async def read_body(request: Any, max_bytes: int, subject: str = "Pictures") -> bytes:
    """The body of a streaming route (``stream=True``: Sanic's app-wide ``REQUEST_MAX_SIZE`` does not
    apply to it), read up to ``max_bytes``; a declared or sent body over it raises :class:`TooLarge`
    before more is read (Sanic then discards the rest within its own limit). ``subject`` names what
    is limited in the message: the picture (a raw body) or the whole request (a form, rev14c #3).

    Raises:
        TooLarge: the declared or received body is over ``max_bytes``.
        TooSlow: the body did not arrive within ``UPLOAD_DEADLINE_S`` seconds (rev14e #1).
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"{subject} can be at most {max_bytes} bytes; this one has {declared}.")
    if request.stream is None:  # not streamed (a test client): the body is already here
        body = request.body or b""
    else:
        chunks, total = [], 0
        deadline = asyncio.get_running_loop().time() + UPLOAD_DEADLINE_S
        while True:
            try:
                chunk = await asyncio.wait_for(request.stream.read(),
                                               max(0.0, deadline - asyncio.get_running_loop().time()))
            except asyncio.TimeoutError:
                raise TooSlow(f"The upload did not arrive within {UPLOAD_DEADLINE_S:g} s; please send it again.") \
                    from None
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
