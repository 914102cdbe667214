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
small bounded pool of worker processes, so a slow picture never holds a thread
the database calls need (rev14 #12), and each check has a CPU budget
(``PHOTO_CHECK_CPU_S``) after which its process is ended and replaced (rev14c #1).
"""
from __future__ import annotations

import asyncio
import math
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional

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
    """Every picture worker is busy and ``IMAGE_QUEUE`` more checks already wait, or a check ran past
    its wall-clock deadline: answer 503 with ``Retry-After: retry_after_s`` (seconds)."""

    def __init__(self, retry_after_s: float = 5.0) -> None:
        super().__init__("Too many pictures are being checked right now; please try again in a few seconds.")
        self.retry_after_s = retry_after_s


#: What a picture worker's exit by a signal means for the upload (rev14c #1): past the CPU budget
#: (SIGPROF from its timer, SIGXCPU) or killed for memory: the picture costs too much to check.
_COSTLY_SIGNALS = frozenset([signal.SIGPROF, signal.SIGXCPU, signal.SIGKILL])
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _too_complex() -> Exception:
    from bot.channels.attachments import ImageRefused

    return ImageRefused("too_complex", "This picture takes too long to check; please send a smaller picture "
                                       "or a screenshot of it.", 413)


class _Worker:
    """One picture worker process (``bot.channels.picture_worker``) and the pipes to it; used by one
    pool thread at a time."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen([sys.executable, "-m", "bot.channels.picture_worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=_ROOT)

    def call(self, fn: Callable, args: tuple, cpu_s: float, wall_s: Optional[float]) -> Any:
        """``fn(*args)`` in the process; raises what ``fn`` raised, ``_Died`` when the process ended
        (its exit code), ``_Late`` past ``wall_s`` seconds (the process is then killed)."""
        from bot.channels.picture_worker import HEADER_BYTES, frame

        request = pickle.dumps((fn, args, dict(os.environ), cpu_s))
        try:
            self.process.stdin.write(frame(request))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _Died(self.process.wait()) from None
        deadline = None if not wall_s else time.monotonic() + wall_s
        header = self._read(HEADER_BYTES, deadline)
        kind, value = pickle.loads(self._read(int.from_bytes(header, "big"), deadline))
        if kind == "raise":
            raise value
        return value

    def _read(self, size: int, deadline: Optional[float]) -> bytes:
        fd, chunks, got = self.process.stdout.fileno(), [], 0
        while got < size:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                self.stop()
                raise _Late()
            chunk = os.read(fd, min(size - got, 1 << 20))
            if not chunk:
                raise _Died(self.process.wait())
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        """Kill the process (if it still runs) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class _Died(Exception):
    def __init__(self, returncode: int) -> None:
        super().__init__(f"picture worker ended with {returncode}")
        self.returncode = returncode


class _Late(Exception):
    pass


class ImagePool:
    """Picture checks' own workers (rev14 #12, rev14c #1): ``workers`` threads, each driving one worker
    process (``bot.channels.picture_worker``), and at most ``queue`` more calls waiting; past that
    :meth:`run` raises :class:`ImagesBusy` at once. The database's threads never decode a picture.

    Each call has a budget: ``cpu_s`` seconds of CPU time (user + system; 0: none), enforced by a CPU
    timer in the worker process (the kernel ends it past the budget), and a wall-clock deadline
    ``wall_s`` (default ``4 x cpu_s + 5``; None/0: none) after which the pool kills the process. Either
    way the process is replaced on the next call, so nothing stays stuck: past the CPU budget the call
    raises ``ImageRefused`` 413 ``too_complex``, past the deadline :class:`ImagesBusy` (the machine is
    too busy to finish it in time).
    """

    def __init__(self, workers: int, queue: int, cpu_s: float = 0.0, wall_s: Optional[float] = None) -> None:
        self.workers, self.queue = max(1, int(workers)), max(0, int(queue))
        self.cpu_s = max(0.0, float(cpu_s or 0)) if math.isfinite(float(cpu_s or 0)) else 0.0
        self.wall_s = (4 * self.cpu_s + 5 if self.cpu_s else None) if wall_s is None else (wall_s or None)
        self.executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="image-check")
        self._lock = threading.Lock()
        self._local = threading.local()
        self._processes: List[_Worker] = []
        self.pending = 0  # calls running or waiting
        self.replaced = 0  # worker processes killed or ended and replaced (over budget, crashed)

    async def run(self, fn: Callable, *args: Any) -> Any:
        """``fn(*args)`` in a picture worker process, awaited. Exceptions ``fn`` raises propagate.

        Args:
            fn: the function to run (a picture check); a module-level function (it is pickled by
                name and imported in the worker process).
            *args: its arguments (picklable).

        Returns:
            What ``fn`` returned.

        Raises:
            ImagesBusy: ``workers + queue`` calls are already running or waiting, or the call ran past
                the wall-clock deadline.
            bot.channels.attachments.ImageRefused: 413 ``too_complex`` when the call used more than
                ``cpu_s`` seconds of CPU (the worker was ended and will be replaced), 415
                ``not_an_image`` when the worker crashed on it.
        """
        with self._lock:
            if self.pending >= self.workers + self.queue:
                raise ImagesBusy()
            self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, self._call, fn, args)
        finally:
            with self._lock:
                self.pending -= 1

    def _call(self, fn: Callable, args: tuple) -> Any:
        worker = getattr(self._local, "worker", None)
        if worker is None or worker.process.poll() is not None:
            worker = self._local.worker = _Worker()
            with self._lock:
                self._processes.append(worker)
        try:
            return worker.call(fn, args, self.cpu_s, self.wall_s)
        except (_Died, _Late) as ended:
            self._local.worker = None
            worker.stop()
            with self._lock:
                self.replaced += 1
                if worker in self._processes:
                    self._processes.remove(worker)
            if isinstance(ended, _Late):
                raise ImagesBusy() from None
            if -ended.returncode in _COSTLY_SIGNALS:
                raise _too_complex() from None
            from bot.channels.attachments import ImageRefused

            raise ImageRefused("not_an_image", "This picture could not be checked.", 415) from None

    def close(self) -> None:
        """Stop the worker processes and the threads (the pool cannot be used afterwards)."""
        with self._lock:
            processes, self._processes = self._processes, []
        for worker in processes:
            worker.stop()
        self.executor.shutdown(wait=False)


_image_pool: Optional[ImagePool] = None
_image_pool_lock = threading.Lock()


def image_pool() -> ImagePool:
    """The process's :class:`ImagePool`, sized by ``IMAGE_WORKERS`` / ``IMAGE_QUEUE`` on first use, each
    check's CPU budget ``PHOTO_CHECK_CPU_S``.

    Returns:
        The one :class:`ImagePool` of this process.
    """
    global _image_pool
    if _image_pool is None:
        with _image_pool_lock:
            if _image_pool is None:
                from bot.settings import get_settings

                settings = get_settings()
                _image_pool = ImagePool(settings.image_workers, settings.image_queue, settings.photo_check_cpu_s)
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
