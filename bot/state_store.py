"""Conversation state that is not in the tracker (issue 13, DESIGN.md §9).

The channels keep the answers of turns by the client's message id, so a
retry of a message (WeChat's MsgId, the IVR platform's ``call_id`` + ``seq``)
gets the same answer without a second turn. They keep them through the
``AnswerStore`` interface below: in this process by default
(``InMemoryAnswerStore``); with several Rasa servers a shared implementation
(Redis: ``SET key json EX ttl`` / ``GET``) takes its place, chosen by
:func:`answer_store` from the settings, the way Rasa's ``LockStore.create``
chooses a lock store.

Values are JSON-ready (dicts, lists, strings, numbers), so any
implementation can serialise them. Behind every store, the tracker itself
is the durable record: a message whose ``metadata.message_id`` is already in
the tracker is answered again, not processed again (bot/idempotency.py).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Optional, Protocol, Tuple


class AnswerStore(Protocol):
    """Answers of turns by key, each kept ``ttl_s`` seconds."""

    async def get(self, key: str) -> Optional[Any]:
        """The answer stored under ``key``, or None (never stored, or expired)."""
        ...

    async def put(self, key: str, answer: Any, ttl_s: float) -> None:
        """Store ``answer`` (JSON-ready) under ``key`` for ``ttl_s`` seconds, replacing any."""
        ...


class InMemoryAnswerStore:
    """``AnswerStore`` in this process: insertion-ordered, expiring, bounded.

    Args:
        max_entries: past this many live entries the oldest go first.
        clock: seconds (monotonic), replaceable in tests.
    """

    def __init__(self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._entries: "OrderedDict[str, Tuple[float, Any]]" = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get_now(self, key: str) -> Optional[Any]:
        """:meth:`get` without the coroutine."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= self.clock():
                del self._entries[key]
                return None
            return entry[1]

    def put_now(self, key: str, answer: Any, ttl_s: float) -> None:
        """:meth:`put` without the coroutine."""
        now = self.clock()
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (now + ttl_s, answer)
            while self._entries:
                oldest_key, (expires_at, _) = next(iter(self._entries.items()))
                if expires_at > now and len(self._entries) <= self.max_entries:
                    break
                del self._entries[oldest_key]

    async def get(self, key: str) -> Optional[Any]:
        return self.get_now(key)

    async def put(self, key: str, answer: Any, ttl_s: float) -> None:
        self.put_now(key, answer, ttl_s)


def answer_store() -> AnswerStore:
    """The answer store for this process (in memory; a shared one when several servers run)."""
    return InMemoryAnswerStore()
