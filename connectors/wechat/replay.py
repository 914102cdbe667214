"""Which body a signed WeChat URL was first used with (plain mode).

In plain mode WeChat signs only the URL (`signature` over token, timestamp
and nonce), not the body: whoever sees one signed URL could post any body
with it while the timestamp is in the window. The channel therefore
remembers, per signed URL, a digest of the first body it accepted: the same
URL with the same body is WeChat's own retry (answered from the MsgId turn
cache), the same URL with another body is refused.

`SignedUrlStore` is the interface; the channel uses `StateSignedUrlStore`,
which keeps entries in the conversation-state store (bot/storage/conversation_state.py:
in this process, or in Redis when REDIS_URL is set, so a URL used on one Rasa
server cannot carry another body on the next one) until their timestamp leaves
the window. `InMemorySignedUrlStore` is a bounded store of this process alone.
"""
from __future__ import annotations

import hashlib
import heapq
import logging
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

from bot.storage.conversation_state import state_key

logger = logging.getLogger(__name__)


def url_key(timestamp: str, nonce: str) -> str:
    """The key of a signed URL: its signature is a function of timestamp and nonce (the token is fixed)."""
    return hashlib.sha256(f"{timestamp}\n{nonce}".encode("utf-8", "surrogatepass")).hexdigest()


class SignedUrlStore(Protocol):
    """Remembers signed URLs with the digest of the body first accepted for each."""

    async def claim(self, key: str, body_digest: str, expires_at: float) -> bool:
        """Use the URL `key` for a body with `body_digest`.

        Args:
            key: `url_key(timestamp, nonce)`.
            body_digest: hex digest of the raw request body.
            expires_at: Unix seconds after which the URL is refused anyway
                (its timestamp left the window), so the entry may go.

        Returns:
            True when the URL is new (now remembered with this digest) or was
            remembered with the same digest (a retry); False when it was
            remembered with another digest (nothing is changed then).
        """
        ...


class InMemorySignedUrlStore:
    """`SignedUrlStore` in this process: a dict plus a heap of expiry times.

    Bounded: expired entries are dropped on every claim, and past
    `max_entries` live entries the ones closest to expiry go first (with a
    warning: only WeChat can sign URLs, so that means more than
    `max_entries` genuine requests per timestamp window).
    """

    def __init__(self, max_entries: int = 200_000, clock: Callable[[], float] = time.time) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._digests: Dict[str, Tuple[str, float]] = {}
        self._expiries: List[Tuple[float, str]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._digests)

    def _forget(self, now: float, room_for: int = 0) -> None:
        while self._expiries and (self._expiries[0][0] < now or len(self._digests) + room_for > self.max_entries):
            expires_at, key = heapq.heappop(self._expiries)
            entry = self._digests.get(key)
            if entry is not None and entry[1] == expires_at:
                if expires_at >= now:
                    logger.warning("more than %d signed WeChat URLs in the window: forgetting the oldest",
                                   self.max_entries)
                del self._digests[key]

    def claim_now(self, key: str, body_digest: str, expires_at: float, now: Optional[float] = None) -> bool:
        """`claim` without the coroutine, with an explicit clock for tests."""
        now = self.clock() if now is None else now
        with self._lock:
            self._forget(now)
            entry = self._digests.get(key)
            if entry is not None:
                return entry[0] == body_digest
            self._forget(now, room_for=1)
            self._digests[key] = (body_digest, expires_at)
            heapq.heappush(self._expiries, (expires_at, key))
            return True

    async def claim(self, key: str, body_digest: str, expires_at: float) -> bool:
        """Claim a signed URL for a body (see :meth:`claim_now`); False if it was used with another body."""
        return self.claim_now(key, body_digest, expires_at)


class StateSignedUrlStore:
    """`SignedUrlStore` in the conversation-state store (``bot.storage.conversation_state.StateStore``):
    ``wechat:url:<key>`` holds the body digest (added only if absent), expiring with the URL.

    Args:
        store: the conversation-state store (shared by every server when REDIS_URL is set).
        clock: Unix seconds, replaceable in tests.
    """

    def __init__(self, store: Any, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    async def claim(self, key: str, body_digest: str, expires_at: float) -> bool:
        ttl_s = max(1.0, expires_at - self.clock())
        if await self.store.add(state_key("wechat:url", key), body_digest, ttl_s):
            return True
        return await self.store.get(state_key("wechat:url", key)) == body_digest
