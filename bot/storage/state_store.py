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
the tracker is answered again, not processed again (bot/storage/idempotency.py).
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import OrderedDict, deque
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Optional, Protocol, Tuple

from bot.settings import Settings, get_settings


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
        """The answer stored under ``key``, or None if absent or expired."""
        return self.get_now(key)

    async def put(self, key: str, answer: Any, ttl_s: float) -> None:
        """Store ``answer`` under ``key`` for ``ttl_s`` seconds (evicting the oldest past ``max_entries``)."""
        self.put_now(key, answer, ttl_s)


class RedisAnswerStore:
    """``AnswerStore`` in Redis (several Rasa servers): ``SET qx:answer:<key> <json> PX <ttl>``.

    Args:
        url: ``redis://…`` (REDIS_URL).
        prefix: key prefix, so several deployments can share one Redis.
    """

    def __init__(self, url: str, prefix: str = "qx:answer:") -> None:
        import redis.asyncio

        self.url = url
        self.prefix = prefix
        self._redis = redis.asyncio.Redis.from_url(url)

    async def get(self, key: str) -> Optional[Any]:
        """The answer stored under ``key`` (decoded from JSON), or None if absent or expired."""
        raw = await self._redis.get(self.prefix + key)
        return None if raw is None else json.loads(raw)

    async def put(self, key: str, answer: Any, ttl_s: float) -> None:
        """Store ``answer`` (JSON-serialisable) under ``key`` for ``ttl_s`` seconds (at least 1 ms)."""
        await self._redis.set(self.prefix + key, json.dumps(answer, ensure_ascii=False),
                              px=max(1, int(ttl_s * 1000)))

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.close()


def answer_store(settings: Optional[Settings] = None) -> AnswerStore:
    """The answer store for this process: Redis when ``REDIS_URL`` is set, else in memory."""
    settings = settings or get_settings()
    if settings.redis_url:
        return RedisAnswerStore(settings.redis_url)
    return InMemoryAnswerStore()


# --- conversation locks -------------------------------------------------------------------

# Rasa's ticket lock, atomic in Redis. Keys per conversation: `<prefix><id>:seq` (ticket
# counter), `:q` (sorted set of waiting ticket numbers, score = number) and `:exp` (hash
# number -> expiry in ms). Every call drops expired tickets first; every key gets a TTL.
_ISSUE = """
local number = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], number, number)
redis.call('HSET', KEYS[3], number, ARGV[1] + ARGV[2])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[2] + ARGV[3]) end
return number
"""
_ACQUIRE = """
local now = tonumber(ARGV[1])
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local expires = tonumber(redis.call('HGET', KEYS[2], member) or '0')
  if expires <= now then
    redis.call('ZREM', KEYS[1], member)
    redis.call('HDEL', KEYS[2], member)
  end
end
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return -1 end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] == ARGV[2] then return 1 end
return 0
"""
_RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
return 1
"""


def _lock_store_base():
    from rasa.core.lock_store import LockStore

    return LockStore


class AtomicRedisLockStore(_lock_store_base()):  # type: ignore[misc]
    """Rasa ``LockStore`` whose tickets live in Redis, changed only by Lua scripts (atomic).

    Rasa 3.6's own ``RedisLockStore`` reads, changes and writes the lock with
    no transaction, so two servers can both take a conversation's lock, and
    its keys never expire. Here issuing, taking and returning a ticket are
    single scripts; a ticket expires after ``lock_lifetime`` seconds (a
    server that died holding it stalls the conversation at most that long),
    and every key has a TTL of the lifetime plus ``key_margin_s``.

    Args:
        url: ``redis://…`` (REDIS_URL).
        prefix: key prefix.
        poll_s: how often a waiting turn checks whether its ticket is served.
        key_margin_s: seconds a key outlives the newest ticket in it.
    """

    def __init__(self, url: str, prefix: str = "qx:lock:", poll_s: float = 0.05, key_margin_s: float = 60) -> None:
        import redis
        import redis.asyncio

        self.url = url
        self.prefix = prefix
        self.poll_s = poll_s
        self.key_margin_ms = int(key_margin_s * 1000)
        self._redis = redis.asyncio.Redis.from_url(url)
        self._sync = redis.Redis.from_url(url)
        self._issue = self._redis.register_script(_ISSUE)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)

    def keys(self, conversation_id: str) -> tuple[str, str, str]:
        """(counter, queue, expiries) keys of a conversation's lock."""
        base = f"{self.prefix}{conversation_id}"
        return f"{base}:seq", f"{base}:q", f"{base}:exp"

    async def issue(self, conversation_id: str, lock_lifetime: float) -> int:
        """A new ticket (its number) valid ``lock_lifetime`` seconds."""
        keys = self.keys(conversation_id)
        return int(await self._issue(keys=list(keys), args=[_now_ms(), int(lock_lifetime * 1000),
                                                              self.key_margin_ms]))

    async def try_acquire(self, conversation_id: str, ticket: int) -> Optional[bool]:
        """True: the ticket is served (the lock is ours); False: others first; None: it expired."""
        _, queue, expiries = self.keys(conversation_id)
        result = int(await self._acquire(keys=[queue, expiries], args=[_now_ms(), ticket]))
        return None if result < 0 else bool(result)

    async def release(self, conversation_id: str, ticket: int) -> None:
        """Return the ticket (the next one is served)."""
        _, queue, expiries = self.keys(conversation_id)
        await self._release(keys=[queue, expiries], args=[ticket])

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = None,  # type: ignore[assignment]
                   wait_time_in_seconds: float = 1) -> AsyncIterator[Any]:
        """Hold the conversation's lock (Rasa's ``LockStore.lock`` contract).

        Raises:
            rasa.core.lock_store.LockError: the ticket expired before it was served.
        """
        from rasa.core.lock_store import LOCK_LIFETIME, LockError

        lifetime = LOCK_LIFETIME if lock_lifetime is None else lock_lifetime
        ticket = await self.issue(conversation_id, lifetime)
        try:
            while True:
                served = await self.try_acquire(conversation_id, ticket)
                if served is None:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                if served:
                    break
                await asyncio.sleep(min(self.poll_s, wait_time_in_seconds))
            yield self.get_lock(conversation_id)
        finally:
            await self.release(conversation_id, ticket)

    # Rasa's synchronous LockStore interface (read-only views; changes go through the scripts).
    def get_lock(self, conversation_id: str) -> Optional[Any]:
        """The conversation's ``TicketLock`` as stored now (None: no tickets)."""
        from rasa.core.lock import Ticket, TicketLock

        _, queue, expiries = self.keys(conversation_id)
        numbers = [int(n) for n in self._sync.zrange(queue, 0, -1)]
        if not numbers:
            return None
        expires = self._sync.hgetall(expiries)
        tickets = [Ticket(n, int(expires.get(str(n).encode(), 0)) / 1000) for n in numbers]
        return TicketLock(conversation_id, deque(tickets))

    def delete_lock(self, conversation_id: str) -> None:
        """Delete the conversation's ticket queue and expiries in Redis."""
        self._sync.delete(*self.keys(conversation_id)[1:])

    def save_lock(self, lock: Any) -> None:
        """Not supported: locks change only through the atomic scripts.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("AtomicRedisLockStore changes locks only through its scripts")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = 60) -> int:
        """Not supported: tickets are issued atomically by :meth:`lock`.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("use lock(): tickets are issued atomically in Redis")


def _now_ms() -> int:
    return int(time.time() * 1000)


class ProjectLockStore(_lock_store_base()):  # type: ignore[misc]
    """The lock store endpoints.yml names: Rasa's in-memory one, or
    :class:`AtomicRedisLockStore` when ``REDIS_URL`` is set (chosen like
    Rasa's ``LockStore.create``)."""

    def __new__(cls, endpoint_config: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        from rasa.core.lock_store import InMemoryLockStore

        url = get_settings().redis_url
        return AtomicRedisLockStore(url) if url else InMemoryLockStore()


# --- socket.io rooms across servers -------------------------------------------------------

class RedisRoomMembers:
    """Which socket.io sockets (namespace sids) are in a room, on every server: a Redis set
    ``<prefix><room>`` per room, its TTL renewed on every join (a server that died leaves
    its sids behind at most ``ttl_s`` seconds; a push to one times out, nothing else).

    python-socketio's ``AsyncRedisManager`` carries emits and their acknowledgements
    between servers, but its room lists are per server; this set tells a server which
    sids to call when the customer's socket is on another one.

    Args:
        url: ``redis://…`` (REDIS_URL).
        prefix: key prefix.
        ttl_s: seconds a room's set outlives its last join.
    """

    def __init__(self, url: str, prefix: str = "qx:room:", ttl_s: float = 86400) -> None:
        import redis.asyncio

        self.prefix = prefix
        self.ttl_ms = int(ttl_s * 1000)
        self._redis = redis.asyncio.Redis.from_url(url)

    async def add(self, room: str, sid: str) -> None:
        """``sid`` joined ``room``."""
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.sadd(self.prefix + room, sid).pexpire(self.prefix + room, self.ttl_ms).execute()

    async def remove(self, room: str, sid: str) -> None:
        """``sid`` left ``room`` (disconnected)."""
        await self._redis.srem(self.prefix + room, sid)

    async def members(self, room: str) -> list:
        """The sids in ``room`` on every server (str)."""
        return sorted(m.decode() for m in await self._redis.smembers(self.prefix + room))

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.close()


# --- access tokens shared by every server -------------------------------------------------

_RELEASE_IF_OWNER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisSharedToken:
    """One access token for every server (WeChat's: a new one retires the others' → 40001),
    fetched by one refresher at a time.

    The token is ``<prefix><name>`` (JSON ``{"token", "expires_at"}``, a TTL until it
    expires); the refresher holds ``<prefix><name>:refresh`` (``SET NX PX``, released only by
    its owner), the others wait for the new token.

    Args:
        url: ``redis://…`` (REDIS_URL).
        name: whose token (e.g. ``wechat:<app id>``).
        prefix: key prefix.
        refresh_lock_s: longest a refresh may take before another server may try.
        wait_s: longest a caller waits for another server's refresh (TimeoutError after).
        poll_s: how often a waiting caller looks again.
    """

    def __init__(self, url: str, name: str, prefix: str = "qx:token:", refresh_lock_s: float = 30,
                 wait_s: float = 40, poll_s: float = 0.05) -> None:
        import redis.asyncio

        self.key = prefix + name
        self.lock_key = self.key + ":refresh"
        self.refresh_lock_ms = int(refresh_lock_s * 1000)
        self.wait_s = wait_s
        self.poll_s = poll_s
        self._redis = redis.asyncio.Redis.from_url(url)
        self._release = self._redis.register_script(_RELEASE_IF_OWNER)

    async def current(self) -> Optional[str]:
        """The shared token if one is stored and not expired, else None."""
        raw = await self._redis.get(self.key)
        if raw is None:
            return None
        stored = json.loads(raw)
        return stored["token"] if stored.get("expires_at", 0) > time.time() else None

    async def get(self, fetch: Callable[[], Any], stale: Optional[str] = None) -> str:
        """The shared token; fetched (by this caller, the one refresher) when there is none,
        it expired, or it is ``stale`` (the API refused it).

        Args:
            fetch: coroutine function returning ``(token, expires_at)`` (Unix seconds).
            stale: a token the API refused: never returned.
        Raises:
            TimeoutError: another server's refresh did not finish within ``wait_s``.
            Whatever ``fetch`` raises.
        """
        import uuid

        deadline = time.monotonic() + self.wait_s
        owner = uuid.uuid4().hex
        while True:
            token = await self.current()
            if token is not None and token != stale:
                return token
            if await self._redis.set(self.lock_key, owner, nx=True, px=self.refresh_lock_ms):
                try:
                    token = await self.current()  # refreshed while we asked for the lock
                    if token is not None and token != stale:
                        return token
                    token, expires_at = await fetch()
                    ttl_ms = int((expires_at - time.time()) * 1000)
                    if ttl_ms > 0:
                        await self._redis.set(self.key, json.dumps({"token": token, "expires_at": expires_at}),
                                              px=ttl_ms)
                    return token
                finally:
                    await self._release(keys=[self.lock_key], args=[owner])
            if time.monotonic() > deadline:
                raise TimeoutError(f"no shared token {self.key} within {self.wait_s} s")
            await asyncio.sleep(self.poll_s)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.close()


def shared_token(name: str, settings: Optional[Settings] = None) -> Optional[RedisSharedToken]:
    """The shared token ``name`` when ``REDIS_URL`` is set; None (each process its own) otherwise."""
    settings = settings or get_settings()
    return RedisSharedToken(settings.redis_url, name) if settings.redis_url else None


# --- rate limits shared by every server ------------------------------------------------------

# Sliding window in a sorted set (score = ms), on Redis's clock (one clock for every server).
# Returns 0 when counted, else the ms to wait (nothing counted).
_WINDOW_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, now .. '-' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
"""
