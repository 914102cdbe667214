"""The service layer: one function per use case, each taking a unit of work.

Connectors (Sanic routes) and actions (rasa-sdk) authenticate, parse, call
one of these and render the answer; they never touch rows, sessions or SQL.

The convention (tests/unit/test_service_signatures.py checks it):

- The first parameter is the unit of work, typed, in one of two forms:
  ``uow: AbstractUnitOfWork`` for a use case that is one transaction: it opens
  the unit (``with uow:``), commits what it did and returns plain values or
  domain objects (a few helpers say instead that they run inside a unit their
  caller entered and commits); or ``uow_factory: UnitOfWorkFactory`` (below)
  for a use case of several transactions (one committed before a notifier or a
  channel push runs, a retry after a concurrent insert) or one that awaits
  between them (async): it makes a fresh unit per transaction. No other
  spelling (``unit_of_work_factory``) and no ``Any``.
- Every public function documents ``Args:`` (each parameter, units where
  there are some) and ``Returns:``, and ``Raises:`` for what it raises
  (tests/unit/test_architecture.py).

- ``bot.services.handover``: hand a conversation over (``hand_over``).
- ``bot.services.tickets``: relay a customer message to the ticket, claim,
  reply, close (the bot then takes the conversation back), record a
  call-back, correct the reason, rate, the ticket view and metrics.
- ``bot.services.desk``: the desk's work tools: internal notes, transfer to
  an agent or skill queue, canned replies, the ticket view with notes and history.
- ``bot.services.customers``: link a conversation to its customer.
- ``bot.services.from_tracker``: the same, read from a rasa-sdk or Rasa tracker.
- ``bot.services.conversations``: claim a conversation for its channel, read its owner.
- ``bot.services.delivery``: deliver agent replies (outbox, then the channel's pusher).
- ``bot.services.takeover``: claim and announce, transfer and announce, close and
  hand back to the bot (the Rasa server's part through the ``Assistant`` protocol).
- ``bot.services.agents``: agent accounts (log in/out, save, enable/disable), refusing
  what the rules forbid with ``AgentRefused``.
- ``bot.services.otp``: issue and verify one-time codes proving an order's contact.
- ``bot.services.orders``: change an order's delivery address (``valid_new_address``).
- ``bot.services.outbox``: claim and release a channel's stale outbox messages.
- ``bot.services.attachments``: photos (issue 14): store a checked upload, show it to who may
  see it, file it on the ticket, an agent's photo back to the customer.

Errors: ``bot.queue.tickets.TicketNotFound`` / ``TicketClosed`` / ``ClaimConflict``
and :class:`bot.services.tickets.NotHolder`; each blueprint maps them to HTTP
in one place.

:func:`run_db` runs one of them from a Sanic handler, off the event loop;
:func:`run_image` runs picture checks (decoding, re-encoding) in their own
small bounded thread pool, so a slow picture never holds a thread the
database calls need (rev14 #12).
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional

from bot.storage.uow import AbstractUnitOfWork

#: Makes a fresh unit of work (``SqlAlchemyUnitOfWork``, or a test's ``lambda: fake``).
UnitOfWorkFactory = Callable[[], AbstractUnitOfWork]


async def run_db(fn: Callable, *args: Any) -> Any:
    """``fn(*args)`` in a worker thread, its result awaited: SQLAlchemy is synchronous, and a
    database call on the event loop would stall every other request. Exceptions propagate.

    Args:
        fn: a synchronous function.
        args: its positional arguments.

    Returns:
        What ``fn(*args)`` returned.
    """
    return await asyncio.to_thread(fn, *args)


class ImagesBusy(Exception):
    """Every picture worker is busy and ``IMAGE_QUEUE`` more checks already wait: answer 503 with
    ``Retry-After: retry_after_s`` (seconds)."""

    def __init__(self, retry_after_s: float = 5.0) -> None:
        super().__init__("Too many pictures are being checked right now; please try again in a few seconds.")
        self.retry_after_s = retry_after_s


class ImagePool:
    """Picture checks' own executor: ``workers`` threads (Pillow decodes and encodes without the
    GIL, so they run beside the database threads rather than in their place) and at most
    ``queue`` more calls waiting; past that :meth:`run` raises :class:`ImagesBusy` at once."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers, self.queue = max(1, int(workers)), max(0, int(queue))
        self.executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="image-check")
        self._lock = threading.Lock()
        self.pending = 0  # calls running or waiting

    async def run(self, fn: Callable, *args: Any) -> Any:
        """``fn(*args)`` in a picture worker, awaited. Exceptions propagate.

        Args:
            fn: the function to run (a picture check or resize).
            *args: its arguments.

        Returns:
            What ``fn`` returned.

        Raises:
            ImagesBusy: ``workers + queue`` calls are already running or waiting.
        """
        with self._lock:
            if self.pending >= self.workers + self.queue:
                raise ImagesBusy()
            self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)
        finally:
            with self._lock:
                self.pending -= 1


_image_pool: Optional[ImagePool] = None
_image_pool_lock = threading.Lock()


def image_pool() -> ImagePool:
    """The process's :class:`ImagePool`, sized by ``IMAGE_WORKERS`` / ``IMAGE_QUEUE`` on first use.

    Returns:
        The one :class:`ImagePool` of this process.
    """
    global _image_pool
    if _image_pool is None:
        with _image_pool_lock:
            if _image_pool is None:
                from bot.settings import get_settings

                settings = get_settings()
                _image_pool = ImagePool(settings.image_workers, settings.image_queue)
    return _image_pool


async def run_image(fn: Callable, *args: Any) -> Any:
    """``fn(*args)`` (a picture check: ``bot.services.attachments.check``) in the picture pool, never
    in the default executor :func:`run_db` uses. Exceptions propagate.

    Args:
        fn: the picture check to run.
        args: its positional arguments.

    Returns:
        What ``fn`` returns.

    Raises:
        ImagesBusy: the pool and its queue are full (answer 503 with Retry-After).
    """
    return await image_pool().run(fn, *args)
