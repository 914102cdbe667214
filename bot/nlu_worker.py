"""A long message's NLU read on a worker thread, not on the event loop every conversation of the server shares.

Rasa 3.6 runs the NLU graph (every component of ``config.yml``'s pipeline) synchronously inside
``MessageProcessor.parse_message``, on the server's one event loop. One server serves every channel and the agent
desk (DESIGN §2), so while a message is read nothing else of that server moves: a 4,000-character message of digit
groups held it 0.3–0.45 s (README, "Digit groups, the rate limit and what the cut misses"); an agent's reply, a WeChat
reply due within 5 s, an IVR prompt and a health check waited as long.

:func:`install` replaces ``parse_message`` with the same steps, except that a message of more than
:data:`LONG_MESSAGE_CHARS` characters is read on one worker thread (``loop.run_in_executor``, with the caller's
context variables: Rasa's structlog context). A shorter message (nearly every ordinary one: the development sets'
mean is 58 characters, 3 % are longer) is read on the event loop as before, where it takes 13–25 ms and a thread would
only cost: 20 customers at once on one server gave 10–11 % fewer messages a second with every message read on the
thread, in two runs in which that server was measured first in each round, which alone made about 6 % (session 43).

Readings never overlap: an ``asyncio.Lock`` of the event loop is held around each, on the loop or on the thread (there
until the reading ends, even when the customer's request was cancelled meanwhile), so no two of the pipeline's
components ever run at once, as in Rasa. A conversation's messages are read in the order they came (Rasa's lock of
the conversation is held around its turn); across conversations a long message takes the lock for each piece of its
work on the thread (its card masking, :func:`run_long_work`, then its reading), so a short message that comes between
them is read first. While the thread reads, the event loop goes on with everything else (the policies and actions of
conversations already read, the channels and a short message's card masking, the agent API, the tracker store) and
shares the interpreter with the reading: CPython's GIL passes between threads every :data:`SWITCH_INTERVAL_S` while
the thread reads (``sys.setswitchinterval``; Python's default, 5 ms, made each step of the loop wait up to that long: a
second customer's turn during a flood of long messages took a median of 126 ms with 5 ms and 99 ms with 1 ms, one run
each), and Python's default again after (1 ms would otherwise hold for every thread of the process, ordinary
traffic's too). ``make bench-held-loop`` measures it beside ``NLU_ON_EVENT_LOOP=true``.

What the two threads share: the readings' per-text caches (``functools.lru_cache``, safe across threads in CPython;
the privacy scanner's own cache holds a lock, ``bot.privacy.scanner``), jieba's dictionary (read only once loaded,
``bot.nlu.jieba_cache``) and the word lists the emotion component loads with the model. A conversation's tracker is
read by the NLU graph while its handler waits for the reading under Rasa's per-conversation lock, so no one changes
it meanwhile.
"""
from __future__ import annotations

import asyncio
import contextvars
import copy
import sys
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Optional, Text, TypeVar

T = TypeVar("T")

#: A message longer than this (characters) is read on the worker thread. The pipeline reads 150 characters of an
#: ordinary message in about 20 ms of English and 24 ms of Chinese, 300 in 22 and 34 ms, 2,000 in 48 and 109 ms
#: (session 43, one 2-core machine, CPU time); a reviewer's messages of at most 300 characters built to be slow (digits
#: and Chinese mixed, punctuation) took 40-60 ms, and a flood of them held the loop up to 100 ms (helper-207).
#: 299 of the development sets' 10,213 messages are longer (mean 58 characters, longest 496).
LONG_MESSAGE_CHARS = 150
#: Worker threads that read messages. One: the pipeline's components were written for one reading at a time.
NLU_THREADS = 1
#: The name the worker threads carry (``threading.current_thread().name`` starts with it).
THREAD_PREFIX = "nlu"
#: Seconds a thread runs before CPython offers the GIL to another that waits (Python's default is 0.005).
SWITCH_INTERVAL_S = 0.001

_EXECUTOR: Optional[ThreadPoolExecutor] = None
_EXECUTOR_LOCK = threading.Lock()
_READING: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()


def executor() -> ThreadPoolExecutor:
    """The process's NLU worker pool, created on first use (after any fork of the server's workers).

    Returns:
        A ``ThreadPoolExecutor`` of :data:`NLU_THREADS` threads named ``nlu_0``….
    """
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=NLU_THREADS, thread_name_prefix=THREAD_PREFIX)
        return _EXECUTOR


def reading_lock() -> asyncio.Lock:
    """The running event loop's lock around every reading (one per loop: a test may run several loops in turn).

    Returns:
        An ``asyncio.Lock``.

    Raises:
        RuntimeError: no event loop is running.
    """
    loop = asyncio.get_running_loop()
    lock = _READING.get(loop)
    if lock is None:
        lock = _READING[loop] = asyncio.Lock()
    return lock


def on_the_thread(text: Optional[str]) -> bool:
    """Whether a message with this text is read on the worker thread: more than :data:`LONG_MESSAGE_CHARS` characters.

    Args:
        text: the message's text (None for a message without one).

    Returns:
        True or False.
    """
    return len(text or "") > LONG_MESSAGE_CHARS


async def _run_on_the_thread(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` on the worker thread, the reading lock held until it ends, even when the caller is cancelled
    meanwhile (a client that hung up): the thread cannot be stopped, so no other reading may start before it is done.
    The GIL's switch interval is :data:`SWITCH_INTERVAL_S` while it works, and what it was before again after.

    Args:
        work: a long message's reading (the processor's ``_parse_message_with_graph``) or its other work
            (:func:`run_long_work`).
        *args: its arguments.

    Returns:
        What ``work`` returned.

    Raises:
        asyncio.CancelledError: the caller was cancelled (the lock is let go when the work ends).
        Exception: whatever ``work`` raised.
    """
    lock = reading_lock()
    await lock.acquire()
    interval = sys.getswitchinterval()
    try:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        context = contextvars.copy_context()
        running = asyncio.get_running_loop().run_in_executor(executor(), context.run, work, *args)
    except BaseException:
        sys.setswitchinterval(interval)
        lock.release()
        raise

    def done(finished: "asyncio.Future[Any]") -> None:
        sys.setswitchinterval(interval)
        lock.release()
        if not finished.cancelled():
            finished.exception()  # retrieved, so a caller cancelled meanwhile leaves no "never retrieved" warning

    running.add_done_callback(done)
    return await asyncio.shield(running)


async def run_long_work(long: bool, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)``: when ``long``, on the worker thread as a long message's reading is done there
    (:func:`_run_on_the_thread`: the reading lock held until it ends, the 1 ms switch interval meanwhile); here on the
    event loop when not, or while the setting ``NLU_ON_EVENT_LOOP`` is true. For other work on a long message that would
    hold the loop as its reading did: the card masking of a 4,000-character message of digit groups took 120-140 ms
    (``bot.rasa_patches``, session 44).

    Args:
        long: whether the work is long enough for the thread (for a message's text: :func:`on_the_thread`).
        work: a function safe to run off the event loop's thread: it must not touch the loop, nor change what a
            coroutine could see before the caller resumes (a cancelled caller never resumes: change shared state on
            the loop after it, as ``bot.rasa_patches.mask_split_message_off_the_loop`` does).
        *args: its arguments.

    Returns:
        What ``work`` returned.

    Raises:
        asyncio.CancelledError: the caller was cancelled while the thread worked (the lock is let go when it ends).
        Exception: whatever ``work`` raised.
    """
    from bot.settings import get_settings

    if not long or get_settings().nlu_on_event_loop:
        return work(*args)
    return await _run_on_the_thread(work, *args)


def install() -> None:
    """Replace ``MessageProcessor.parse_message`` (once per process) with one that reads a long message on the worker
    thread and holds the reading lock around every reading (module docstring). A processor that parses through Rasa's HTTP interpreter (``endpoints.yml``'s ``nlu``)
    keeps Rasa's own method: that reading is already awaited I/O. So does every processor while the setting
    ``NLU_ON_EVENT_LOOP`` is true (``bot.settings``): for a custom component that must run on the loop's thread.

    Returns:
        None.
    """
    from rasa.core import processor as processor_module
    from rasa.core.processor import MessageProcessor

    if getattr(MessageProcessor.parse_message, "reads_off_the_loop", False):
        return
    original = MessageProcessor.parse_message

    async def parse_message(self: Any, message: Any, tracker: Any = None,
                            only_output_properties: bool = True) -> Dict[Text, Any]:
        from bot.settings import get_settings

        if self.http_interpreter or get_settings().nlu_on_event_loop:
            return await original(self, message, tracker, only_output_properties)
        from rasa.shared.core.trackers import DialogueStateTracker

        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        if on_the_thread(message.text):
            parse_data = await _run_on_the_thread(self._parse_message_with_graph, message, tracker,
                                                   only_output_properties)
        else:
            async with reading_lock():
                parse_data = self._parse_message_with_graph(message, tracker, only_output_properties)
        # the rest of Rasa 3.6.21's parse_message, as it is (rasa/core/processor.py)
        self._update_full_retrieval_intent(parse_data)
        processor_module.structlogger.debug(
            "processor.message.parse", parse_data_text=copy.deepcopy(parse_data["text"]),
            parse_data_intent=parse_data["intent"], parse_data_entities=copy.deepcopy(parse_data["entities"]))
        self._check_for_unseen_features(parse_data)
        return parse_data

    parse_message.__doc__ = original.__doc__
    parse_message.__wrapped__ = original  # type: ignore[attr-defined]
    parse_message.reads_off_the_loop = True  # type: ignore[attr-defined]
    MessageProcessor.parse_message = parse_message  # type: ignore[assignment]
