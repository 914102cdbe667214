"""The one conversation-state store, and the rate limits every server shares (issue 13, DESIGN.md §9).

Conversation state that is not in the tracker — the channels' answers by
message id (WeChat MsgId, IVR ``call_id`` + ``seq``), WeChat's numbered
options, IVR call state and its replay guard — goes through one interface,
:class:`StateStore`, chosen like Rasa's ``LockStore.create``: in this
process by default (:class:`InMemoryStateStore`), in Redis when
``REDIS_URL`` is set (:class:`RedisStateStore`), so a request that lands on
another Rasa server finds the same state. Values are JSON-ready; every key
has a TTL.

The rate limits of every channel and the agent login throttle
(``bot.storage.ratelimit.Limits``) have Redis implementations here, used when
``REDIS_URL`` is set (:func:`redis_limits`): one count for every server, on
Redis's clock, one Lua script per hit (atomic), every key expiring. Their
coroutines use ``redis.asyncio`` (nothing blocks the event loop); the
synchronous ``hit`` is only for code already running in a worker thread.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Dict, Optional, Protocol, Tuple

from bot.settings import Settings, get_settings
from bot.storage.state_store import AtomicRedisLockStore, InMemoryAnswerStore, RedisAnswerStore


class StateStore(Protocol):
    """Conversation state by key (JSON-ready values, each kept ``ttl_s`` seconds) and a lock per key."""

    async def get(self, key: str) -> Optional[Any]:
        """The value under ``key``, or None (never stored, expired or deleted)."""
        ...

    async def put(self, key: str, value: Any, ttl_s: float) -> None:
        """Store ``value`` under ``key`` for ``ttl_s`` seconds, replacing any."""
        ...

    async def add(self, key: str, value: Any, ttl_s: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing (atomic); True if stored."""
        ...

    async def delete(self, key: str) -> None:
        """Forget ``key``."""
        ...

    def lock(self, key: str, lifetime_s: float = 60.0) -> Any:
        """Async context manager holding ``key``'s lock, on every server; a holder that died
        releases it after ``lifetime_s`` seconds (waiters then go on)."""
        ...


class InMemoryStateStore(InMemoryAnswerStore):
    """:class:`StateStore` in this process (the default: one Rasa server).

    Args:
        max_entries: past this many live entries the oldest go first.
        clock: seconds (monotonic), replaceable in tests.
    """

    def __init__(self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(max_entries, clock)
        self._locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = weakref.WeakValueDictionary()

    def add_now(self, key: str, value: Any, ttl_s: float) -> bool:
        """:meth:`add` without the coroutine."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self.clock():
                return False
        self.put_now(key, value, ttl_s)  # one event loop: nothing ran in between
        return True

    def delete_now(self, key: str) -> None:
        """:meth:`delete` without the coroutine."""
        with self._lock:
            self._entries.pop(key, None)

    async def add(self, key: str, value: Any, ttl_s: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing; True if stored (``ttl_s`` seconds)."""
        return self.add_now(key, value, ttl_s)

    async def delete(self, key: str) -> None:
        """Forget ``key``."""
        self.delete_now(key)

    @asynccontextmanager
    async def lock(self, key: str, lifetime_s: float = 60.0) -> AsyncIterator[None]:
        """``key``'s ``asyncio.Lock`` (kept while someone holds or waits for it)."""
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            yield


_ADD = "return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0"


class RedisStateStore(RedisAnswerStore):
    """:class:`StateStore` in Redis (several Rasa servers): ``<prefix><key>`` holds the JSON
    value with a TTL; locks are :class:`bot.storage.state_store.AtomicRedisLockStore` tickets
    (``qx:statelock:<key>``, Lua, expiring).

    Args:
        url: ``redis://…`` (REDIS_URL).
        prefix: key prefix, so several deployments can share one Redis.
    """

    def __init__(self, url: str, prefix: str = "qx:answer:") -> None:
        super().__init__(url, prefix)
        self._locks = AtomicRedisLockStore(url, prefix="qx:statelock:")

    async def add(self, key: str, value: Any, ttl_s: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing (Redis ``SET NX PX``, atomic on every
        server); True if stored, kept ``ttl_s`` seconds."""
        return bool(await self._redis.set(self.prefix + key, json.dumps(value, ensure_ascii=False),
                                          nx=True, px=max(1, int(ttl_s * 1000))))

    async def delete(self, key: str) -> None:
        """Forget ``key`` on every server."""
        await self._redis.delete(self.prefix + key)

    @asynccontextmanager
    async def lock(self, key: str, lifetime_s: float = 60.0) -> AsyncIterator[None]:
        """``key``'s lock on every server (waits as long as it takes; a dead holder's
        ticket expires after ``lifetime_s``)."""
        async with self._locks.lock(key, lock_lifetime=lifetime_s, wait_time_in_seconds=0.05):
            yield

    async def close(self) -> None:
        """Close the Redis connections (the values' and the locks')."""
        await super().close()
        await self._locks._redis.close()


def state_store(settings: Optional[Settings] = None, max_entries: int = 100_000) -> StateStore:
    """The conversation-state store of this process: Redis when ``REDIS_URL`` is set, else in memory
    (``max_entries`` bounds the in-memory one)."""
    settings = settings or get_settings()
    if settings.redis_url:
        return RedisStateStore(settings.redis_url)
    return InMemoryStateStore(max_entries)


# --- Redis clients per event loop ---------------------------------------------------------

class _LoopClients:
    """One ``redis.asyncio`` client (and its registered scripts) per running event loop, so a
    process-wide object (the limits) works from whichever loop calls it; plus one synchronous
    client for worker threads."""

    def __init__(self, url: str, scripts: Dict[str, str]) -> None:
        self.url = url
        self.scripts = scripts
        self._by_loop: "weakref.WeakKeyDictionary[Any, Tuple[Any, Dict[str, Any]]]" = weakref.WeakKeyDictionary()
        self._sync: Optional[Tuple[Any, Dict[str, Any]]] = None
        self._guard = threading.Lock()

    def script(self, name: str) -> Any:
        """The async script ``name`` bound to this loop's client."""
        import redis.asyncio

        loop = asyncio.get_running_loop()
        found = self._by_loop.get(loop)
        if found is None:
            client = redis.asyncio.Redis.from_url(self.url)
            found = (client, {n: client.register_script(s) for n, s in self.scripts.items()})
            self._by_loop[loop] = found
        return found[1][name]

    def client(self) -> Any:
        """This loop's async client."""
        self.script(next(iter(self.scripts)))
        return self._by_loop[asyncio.get_running_loop()][0]

    def sync_script(self, name: str) -> Any:
        """The synchronous script ``name`` (for worker threads only: it blocks)."""
        import redis

        with self._guard:
            if self._sync is None:
                client = redis.Redis.from_url(self.url)
                self._sync = (client, {n: client.register_script(s) for n, s in self.scripts.items()})
        return self._sync[1][name]


# --- rate limits shared by every server ------------------------------------------------------

# Token bucket in a hash {tokens, at (ms)} on Redis's clock. ARGV: capacity, rate (tokens per ms),
# count (1: take a token; 0: only look). Returns the ms to wait as a string (0: allowed/counted).
_BUCKET = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity, rate, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if stored[1] then
  tokens = math.min(capacity, tonumber(stored[1]) + (now - tonumber(stored[2])) * rate)
end
if tokens < 1 then return tostring((1 - tokens) / rate) end
if count == 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
end
return '0'
"""


class RedisTokenBucketLimiter:
    """``bot.storage.ratelimit.TokenBucketLimiter`` counted on every server: a token bucket per key in
    the Redis hash ``<prefix><key>`` (expires once the bucket would be full again).

    Args:
        url: ``redis://…`` (REDIS_URL).
        per_minute: bucket size and refill per minute; 0 or less disables the limit.
        prefix: key prefix (names the limit: address, sender, sessions).
    """

    def __init__(self, url: str, per_minute: int, prefix: str) -> None:
        self.capacity = float(per_minute)
        self.rate_per_ms = per_minute / 60_000.0
        self.prefix = prefix
        self._clients = _LoopClients(url, {"bucket": _BUCKET})

    def _args(self, count: bool) -> list:
        return [repr(self.capacity), repr(self.rate_per_ms), 1 if count else 0]

    async def hit_async(self, key: str) -> float:
        """Count one request for ``key``: 0.0 if allowed, else the seconds to wait (nothing counted)."""
        if self.capacity <= 0:
            return 0.0
        waited = await self._clients.script("bucket")(keys=[self.prefix + key], args=self._args(True))
        return float(waited) / 1000

    async def wait_async(self, key: str) -> float:
        """The seconds ``key`` must wait before its next request is allowed (0.0: now); counts nothing."""
        if self.capacity <= 0:
            return 0.0
        waited = await self._clients.script("bucket")(keys=[self.prefix + key], args=self._args(False))
        return float(waited) / 1000

    def hit(self, key: str) -> float:
        """:meth:`hit_async` for a worker thread (blocks on Redis: never call it on the event loop)."""
        if self.capacity <= 0:
            return 0.0
        return float(self._clients.sync_script("bucket")(keys=[self.prefix + key], args=self._args(True))) / 1000


# Failed logins of a pair in a hash {count, last, blocked} (ms, Redis's clock). ARGV: mode
# ("attempt" | "failed" | "wait"), free failures, base delay ms, max delay ms, forget-after ms.
# Returns {wait_ms, blocked_ms} as strings.
_LOGIN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode = ARGV[1]
local free, base, maxd, forget = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local stored = redis.call('HMGET', KEYS[1], 'count', 'last', 'blocked')
local count, blocked = 0, now
if stored[1] and now - tonumber(stored[2]) < math.max(forget, maxd) then
  count, blocked = tonumber(stored[1]), tonumber(stored[3])
end
if mode == 'wait' then return {tostring(math.max(0, blocked - now)), '0'} end
if mode == 'attempt' and blocked > now then return {tostring(blocked - now), '0'} end
count = count + 1
local over = count - free
local delay = 0
if over > 0 then delay = math.min(maxd, base * 2 ^ math.min(over - 1, 30)) end
redis.call('HSET', KEYS[1], 'count', count, 'last', now, 'blocked', tostring(now + delay))
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(forget, maxd)))
return {'0', tostring(delay)}
"""


class RedisLoginThrottle:
    """``bot.storage.ratelimit.LoginThrottle`` counted on every server: failed logins per (user name,
    address) in the Redis hash ``<prefix><user>|<address>`` (expiring once forgotten), the
    same backoff, reserved atomically by one Lua script.

    Args:
        url: ``redis://…`` (REDIS_URL).
        max_delay_s, free_failures, base_delay_s, forget_after_s: as ``LoginThrottle``.
        prefix: key prefix.
    """

    def __init__(self, url: str, max_delay_s: float = 120.0, free_failures: int = 3, base_delay_s: float = 1.0,
                 forget_after_s: float = 900.0, prefix: str = "qx:login:") -> None:
        self.max_delay_s = max_delay_s
        self.free_failures = free_failures
        self.base_delay_s = base_delay_s
        self.forget_after_s = forget_after_s
        self.prefix = prefix
        self._clients = _LoopClients(url, {"login": _LOGIN})

    def _key(self, username: str, address: str) -> str:
        return f"{self.prefix}{username.strip().lower()[:64]}|{address}"

    async def _run(self, mode: str, username: str, address: str) -> Tuple[float, float]:
        wait_ms, blocked_ms = await self._clients.script("login")(
            keys=[self._key(username, address)],
            args=[mode, self.free_failures, self.base_delay_s * 1000, self.max_delay_s * 1000,
                  self.forget_after_s * 1000])
        return float(wait_ms) / 1000, float(blocked_ms) / 1000

    async def attempt_async(self, username: str, address: str) -> Tuple[float, float]:
        """``LoginThrottle.attempt`` on every server: ``(wait_s, blocked_s)``."""
        return await self._run("attempt", username, address)

    async def failed_async(self, username: str, address: str) -> float:
        """Record a failure; the seconds the pair is now blocked for."""
        return (await self._run("failed", username, address))[1]

    async def wait_async(self, username: str, address: str) -> float:
        """Seconds before this pair may try again (0.0: now)."""
        return (await self._run("wait", username, address))[0]

    async def succeeded_async(self, username: str, address: str) -> None:
        """A correct password: forget the pair's failures."""
        await self._clients.client().delete(self._key(username, address))


def redis_limits(limits: Any, settings: Settings) -> Any:
    """Replace the in-process limiters of a ``bot.storage.ratelimit.Limits`` with Redis ones
    (every server counts together); returns ``limits``."""
    url = settings.redis_url
    limits.address = RedisTokenBucketLimiter(url, settings.rate_limit_address_per_min, "qx:rate:address:")
    limits.sender = RedisTokenBucketLimiter(url, settings.rate_limit_sender_per_min, "qx:rate:sender:")
    limits.sessions = RedisTokenBucketLimiter(url, settings.rate_limit_sessions_per_min, "qx:rate:sessions:")
    limits.login = RedisLoginThrottle(url, max_delay_s=settings.login_throttle_max_delay_s)
    return limits


# The web chat's per-session sliding window (bot.storage.state_store._WINDOW_HIT), asynchronously.
class AsyncRedisRateLimiter:
    """``bot.channels.webchat.RateLimiter`` on every server, without blocking the event loop: at most
    ``limit`` hits per key per ``window_s`` (sliding window in a Redis sorted set, one Lua
    script per hit, the key expiring a window after its last hit).

    Args:
        url: ``redis://…`` (REDIS_URL).
        limit: hits per window.
        window_s: window length in seconds.
        prefix: key prefix.
    """

    def __init__(self, url: str, limit: int, window_s: float, prefix: str = "qx:rate:webchat:") -> None:
        from bot.storage.state_store import _WINDOW_HIT

        self.limit = limit
        self.window_s = window_s
        self.prefix = prefix
        self._clients = _LoopClients(url, {"window": _WINDOW_HIT})
        self._waits: "OrderedDict[str, float]" = OrderedDict()  # key -> seconds, of this process's last refusal

    async def allow_async(self, key: str) -> bool:
        """Count one hit for ``key``: True if allowed, else False (nothing counted)."""
        wait_ms = int(await self._clients.script("window")(
            keys=[self.prefix + key], args=[int(self.window_s * 1000), self.limit, uuid.uuid4().hex[:8]]))
        if wait_ms:
            self._waits[key] = wait_ms / 1000
            while len(self._waits) > 10_000:
                self._waits.popitem(last=False)
        return wait_ms == 0

    def retry_after(self, key: str) -> float:
        """Seconds until ``key``'s next hit is allowed, as of its last refusal here (0.0: none)."""
        return self._waits.pop(key, 0.0)
