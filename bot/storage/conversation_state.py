"""The one conversation-state store, and the state every Rasa server shares (issue 13, DESIGN.md §9).

Conversation state that is not in the tracker goes through one interface,
:class:`StateStore` (``get`` / ``put`` / ``add`` / ``delete`` / ``lock``, JSON-ready
values, every key with a TTL): the channels' answers by message id (a retry of
WeChat's MsgId or of the IVR platform's ``call_id`` + ``seq`` gets the same answer
without a second turn), WeChat's numbered options and signed URLs, IVR call state
and its replay guard, the web chat customer's typing flag. Every key is built by
:func:`state_key` from a kind of :data:`STATE_KINDS` and its ids (percent-encoded), so two
different (kind, ids) never share a key. :func:`state_store` chooses the implementation from the
settings, the way Rasa's ``LockStore.create`` chooses a lock store: in this process
by default (:class:`InMemoryStateStore`), in Redis when ``REDIS_URL`` is set
(:class:`RedisStateStore`, keys ``qx:state:<key>``), so a request that lands on
another Rasa server finds the same state. Behind the store, the tracker itself is
the durable record: a message whose ``metadata.message_id`` is already in the
tracker is answered again, not processed again (bot/storage/idempotency.py).

Also here, the Redis parts every server shares when ``REDIS_URL`` is set: Rasa's
conversation lock store (:class:`ProjectLockStore`, named by endpoints.yml; atomic
tickets in :class:`AtomicRedisLockStore`), socket.io room members
(:class:`RedisRoomMembers`), one access token per API (:class:`RedisSharedToken`),
and the rate limits of every channel and the agent login throttle
(``bot.storage.ratelimit.Limits``; :func:`redis_limits`): one count for every server,
on Redis's clock, one Lua script per hit (atomic), every key expiring. Their
coroutines use ``redis.asyncio`` (nothing blocks the event loop); the synchronous
``hit`` is only for code already running in a worker thread.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
import weakref
from collections import OrderedDict, deque
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Dict, Optional, Protocol, Tuple
from urllib.parse import quote, unquote

from bot.settings import Settings, get_settings

# --- keys -----------------------------------------------------------------------------------

#: Every kind of key in the conversation-state store -> how many ids follow it. No kind is another
#: kind followed by ':' (tests/unit/test_conversation_state.py checks), so a key names its kind.
STATE_KINDS: Dict[str, int] = {
    "ivr:call": 1,          # a call's state (connectors/ivr): the call id
    "ivr:answer": 2,        # the answer to a call's event: call id, event seq
    "ivr:sig": 1,           # a request signature seen (replay guard): the signature
    "wechat:answer": 1,     # how a follower's message was answered (connectors/wechat): its dedup key
    "wechat:pushed": 1,     # that answer sent through the API once: the dedup key
    "wechat:options": 1,    # the numbered options last shown to a follower: the openid
    "wechat:url": 1,        # a signed callback URL claimed for a body: connectors.wechat.replay.url_key
    "customer_typing": 1,   # the web chat customer is typing (bot/services/webchat.py): the conversation id
    "outbox:generation": 1,       # the generation of a conversation's outbox (bot/services/delivery.py): its id
    "outbox:seen": 1,      # the generation a REST turn last read the outbox at: the conversation id
}


def state_key(kind: str, *ids: Any) -> str:
    """The key of ``ids`` (in order) under ``kind``: ``<kind>:<id>:<id>…``, each id as text,
    percent-encoded (``urllib.parse.quote``, nothing kept: ``:`` and ``%`` are encoded too).

    Keys of ordinary ids read as before (``ivr:call:c-1``, ``wechat:options:oAbC_1``); ids with
    ``:`` can no longer run into another key. :func:`parse_state_key` reverses it.

    Args:
        kind: a key of :data:`STATE_KINDS` (``ivr:call``, ``wechat:options``, …).
        *ids: the ids the kind takes, in order (as many as :data:`STATE_KINDS` says).

    Returns:
        The key, e.g. ``ivr:call:c-1``.

    Raises:
        ValueError: ``kind`` is not in :data:`STATE_KINDS`, or the number of ids is not its.
    """
    if STATE_KINDS.get(kind) != len(ids):
        raise ValueError(f"state key kind {kind!r} with {len(ids)} id(s): not one of STATE_KINDS")
    return ":".join([kind] + [quote(str(i), safe="") for i in ids])


def parse_state_key(key: str) -> Tuple[str, Tuple[str, ...]]:
    """``(kind, ids)`` of a key :func:`state_key` built (ids as text).

    Args:
        key: a key built by :func:`state_key`.

    Returns:
        ``(kind, ids)``, the ids decoded.

    Raises:
        ValueError: ``key`` is not such a key.
    """
    for kind, count in STATE_KINDS.items():
        if key.startswith(kind + ":"):
            ids = key[len(kind) + 1:].split(":")
            if len(ids) == count:
                return kind, tuple(unquote(i) for i in ids)
    raise ValueError(f"{key!r} is not a conversation-state key")


class StateStore(Protocol):
    """Conversation state by key (JSON-ready values, each kept ``ttl_s`` seconds) and a lock per key."""

    async def get(self, key: str) -> Optional[Any]:
        """The value under ``key``, or None (never stored, expired or deleted).

        Args:
            key: a key from :func:`state_key`.

        Returns:
            The stored value (JSON-like), or None.
        """
        ...

    async def put(self, key: str, value: Any, ttl_s: float) -> None:
        """Store ``value`` under ``key`` for ``ttl_s`` seconds, replacing any.

        Args:
            key: a key from :func:`state_key`.
            value: a JSON-serialisable value.
            ttl_s: how long it is kept, in seconds.
        """
        ...

    async def add(self, key: str, value: Any, ttl_s: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing (atomic); True if stored.

        Args:
            key: a key from :func:`state_key`.
            value: a JSON-serialisable value.
            ttl_s: how long it is kept, in seconds.

        Returns:
            True if this call stored it, False if the key already held a live value.
        """
        ...

    async def delete(self, key: str) -> None:
        """Forget ``key``.

        Args:
            key: a key from :func:`state_key` (an absent key is fine).
        """
        ...

    def lock(self, key: str, lifetime_s: float = 60.0) -> Any:
        """Async context manager holding ``key``'s lock, on every server; a holder that died
        releases it after ``lifetime_s`` seconds (waiters then go on).

        Args:
            key: what is locked (a :func:`state_key` key or a conversation id).
            lifetime_s: seconds after which a dead holder's lock is released.

        Returns:
            An async context manager: ``async with store.lock(key):`` waits for the lock and holds it inside.
        """
        ...


class InMemoryStateStore(StateStore):
    """:class:`StateStore` in this process (the default: one Rasa server): insertion-ordered,
    expiring, bounded.

    Args:
        max_entries: past this many live entries the oldest go first.
        clock: seconds (monotonic), replaceable in tests.
    """

    def __init__(self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._entries: "OrderedDict[str, Tuple[float, Any]]" = OrderedDict()
        self._lock = threading.Lock()
        self._locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = weakref.WeakValueDictionary()

    def __len__(self) -> int:
        return len(self._entries)

    def get_now(self, key: str) -> Optional[Any]:
        """:meth:`get` without the coroutine.

        Args:
            key: a key from :func:`state_key`.

        Returns:
            The stored value (JSON-like), or None.
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= self.clock():
                del self._entries[key]
                return None
            return entry[1]

    def put_now(self, key: str, value: Any, ttl_s: float) -> None:
        """:meth:`put` without the coroutine.

        Args:
            key, value, ttl_s: as :meth:`StateStore.put`.
        """
        now = self.clock()
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (now + ttl_s, value)
            while self._entries:
                oldest_key, (expires_at, _) = next(iter(self._entries.items()))
                if expires_at > now and len(self._entries) <= self.max_entries:
                    break
                del self._entries[oldest_key]

    def add_now(self, key: str, value: Any, ttl_s: float) -> bool:
        """:meth:`add` without the coroutine.

        Args:
            key, value, ttl_s: as :meth:`StateStore.add`.

        Returns:
            As :meth:`StateStore.add`.
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self.clock():
                return False
        self.put_now(key, value, ttl_s)  # one event loop: nothing ran in between
        return True

    def delete_now(self, key: str) -> None:
        """:meth:`delete` without the coroutine.

        Args:
            key: a key from :func:`state_key` (an absent key is fine).
        """
        with self._lock:
            self._entries.pop(key, None)

    async def get(self, key: str) -> Optional[Any]:
        """The value stored under ``key``, or None if absent or expired.

        Args and Returns: :meth:`StateStore.get`.
        """
        return self.get_now(key)

    async def put(self, key: str, value: Any, ttl_s: float) -> None:
        """Store ``value`` under ``key`` for ``ttl_s`` seconds (evicting the oldest past ``max_entries``).

        Args and Returns: :meth:`StateStore.put`.
        """
        self.put_now(key, value, ttl_s)

    async def add(self, key: str, value: Any, ttl_s: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing; True if stored (``ttl_s`` seconds).

        Args and Returns: :meth:`StateStore.add`.
        """
        return self.add_now(key, value, ttl_s)

    async def delete(self, key: str) -> None:
        """Forget ``key``.

        Args and Returns: :meth:`StateStore.delete`.
        """
        self.delete_now(key)

    @asynccontextmanager
    async def lock(self, key: str, lifetime_s: float = 60.0) -> AsyncIterator[None]:
        """``key``'s ``asyncio.Lock`` (kept while someone holds or waits for it).

        Args and Returns: :meth:`StateStore.lock`.
        """
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            yield


class RedisStateStore(StateStore):
    """:class:`StateStore` in Redis (several Rasa servers): ``<prefix><key>`` holds the JSON
    value with a TTL (``SET … PX``); locks are :class:`AtomicRedisLockStore` tickets
    (``qx:statelock:<key>``, Lua, expiring).

    Args:
        url: ``redis://…`` (REDIS_URL).
        prefix: key prefix, so several deployments can share one Redis.
    """

    def __init__(self, url: str, prefix: str = "qx:state:") -> None:
        import redis.asyncio

        self.url = url
        self.prefix = prefix
        self._redis = redis.asyncio.Redis.from_url(url)
        self._locks = AtomicRedisLockStore(url, prefix="qx:statelock:")

    async def get(self, key: str) -> Optional[Any]:
        """The value stored under ``key`` (decoded from JSON), or None if absent or expired.

        Args and Returns: :meth:`StateStore.get`.
        """
        raw = await self._redis.get(self.prefix + key)
        return None if raw is None else json.loads(raw)

    async def put(self, key: str, value: Any, ttl_s: float) -> None:
        """Store ``value`` (JSON-serialisable) under ``key`` for ``ttl_s`` seconds (at least 1 ms).

        Args and Returns: :meth:`StateStore.put`.
        """
        await self._redis.set(self.prefix + key, json.dumps(value, ensure_ascii=False),
                              px=max(1, int(ttl_s * 1000)))

    async def add(self, key: str, value: Any, ttl_s: float) -> bool:
        """Store ``value`` only if ``key`` holds nothing (Redis ``SET NX PX``, atomic on every
        server); True if stored, kept ``ttl_s`` seconds.

        Args and Returns: :meth:`StateStore.add`.
        """
        return bool(await self._redis.set(self.prefix + key, json.dumps(value, ensure_ascii=False),
                                          nx=True, px=max(1, int(ttl_s * 1000))))

    async def delete(self, key: str) -> None:
        """Forget ``key`` on every server.

        Args and Returns: :meth:`StateStore.delete`.
        """
        await self._redis.delete(self.prefix + key)

    @asynccontextmanager
    async def lock(self, key: str, lifetime_s: float = 60.0) -> AsyncIterator[None]:
        """``key``'s lock on every server (waits as long as it takes; a dead holder's
        ticket expires after ``lifetime_s``).

        Args and Returns: :meth:`StateStore.lock`.
        """
        async with self._locks.lock(key, lock_lifetime=lifetime_s, wait_time_in_seconds=0.05):
            yield

    async def close(self) -> None:
        """Close the Redis connections (the values' and the locks')."""
        await self._redis.close()
        await self._locks._redis.close()


def state_store(settings: Optional[Settings] = None, max_entries: int = 100_000) -> StateStore:
    """The conversation-state store of this process: Redis when ``REDIS_URL`` is set, else in memory
    (``max_entries`` bounds the in-memory one).

    Args:
        settings: the settings to read ``REDIS_URL`` from; None reads the environment (``get_settings``).
        max_entries: the most keys the in-memory store keeps (the oldest are evicted).

    Returns:
        A :class:`RedisStateStore` or an :class:`InMemoryStateStore`.
    """
    settings = settings or get_settings()
    if settings.redis_url:
        return RedisStateStore(settings.redis_url)
    return InMemoryStateStore(max_entries)


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
        """(counter, queue, expiries) keys of a conversation's lock.

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            ``(counter key, queue key, expiries key)``.
        """
        base = f"{self.prefix}{conversation_id}"
        return f"{base}:seq", f"{base}:q", f"{base}:exp"

    async def issue(self, conversation_id: str, lock_lifetime: float) -> int:
        """A new ticket (its number) valid ``lock_lifetime`` seconds.

        Args:
            conversation_id: the Rasa sender id.
            lock_lifetime: seconds the ticket stays valid.

        Returns:
            The ticket number.
        """
        keys = self.keys(conversation_id)
        return int(await self._issue(keys=list(keys), args=[_now_ms(), int(lock_lifetime * 1000),
                                                              self.key_margin_ms]))

    async def try_acquire(self, conversation_id: str, ticket: int) -> Optional[bool]:
        """True: the ticket is served (the lock is ours); False: others first; None: it expired.

        Args:
            conversation_id: the Rasa sender id.
            ticket: a number from :meth:`issue`.

        Returns:
            True, False or None as above.
        """
        _, queue, expiries = self.keys(conversation_id)
        result = int(await self._acquire(keys=[queue, expiries], args=[_now_ms(), ticket]))
        return None if result < 0 else bool(result)

    async def release(self, conversation_id: str, ticket: int) -> None:
        """Return the ticket (the next one is served).

        Args:
            conversation_id: the Rasa sender id.
            ticket: the ticket number to return.
        """
        _, queue, expiries = self.keys(conversation_id)
        await self._release(keys=[queue, expiries], args=[ticket])

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = None,  # type: ignore[assignment]
                   wait_time_in_seconds: float = 1) -> AsyncIterator[Any]:
        """Hold the conversation's lock (Rasa's ``LockStore.lock`` contract).

        Args:
            conversation_id: the Rasa sender id.
            lock_lifetime: seconds a ticket stays valid (None: Rasa's ``LOCK_LIFETIME``).
            wait_time_in_seconds: seconds between tries while others hold the lock.

        Returns:
            An async context manager holding the lock inside (it yields the ``TicketLock`` read back, as
            Rasa's does).

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
        """The conversation's ``TicketLock`` as stored now (None: no tickets).

        Args:
            conversation_id: the Rasa sender id.

        Returns:
            A ``rasa.core.lock.TicketLock``, or None.
        """
        from rasa.core.lock import Ticket, TicketLock

        _, queue, expiries = self.keys(conversation_id)
        numbers = [int(n) for n in self._sync.zrange(queue, 0, -1)]
        if not numbers:
            return None
        expires = self._sync.hgetall(expiries)
        tickets = [Ticket(n, int(expires.get(str(n).encode(), 0)) / 1000) for n in numbers]
        return TicketLock(conversation_id, deque(tickets))

    def delete_lock(self, conversation_id: str) -> None:
        """Delete the conversation's ticket queue and expiries in Redis.

        Args:
            conversation_id: the Rasa sender id.
        """
        self._sync.delete(*self.keys(conversation_id)[1:])

    def save_lock(self, lock: Any) -> None:
        """Not supported: locks change only through the atomic scripts.

        Args:
            lock: a ``TicketLock`` (ignored).

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("AtomicRedisLockStore changes locks only through its scripts")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = 60) -> int:
        """Not supported: tickets are issued atomically by :meth:`lock`.

        Args:
            conversation_id: the Rasa sender id (ignored).
            lock_lifetime: seconds (ignored).

        Returns:
            Never returns.

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
        """``sid`` joined ``room``.

        Args:
            room: the socket.io room (a web chat session id).
            sid: the socket id.
        """
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.sadd(self.prefix + room, sid).pexpire(self.prefix + room, self.ttl_ms).execute()

    async def remove(self, room: str, sid: str) -> None:
        """``sid`` left ``room`` (disconnected).

        Args:
            room: the socket.io room.
            sid: the socket id.
        """
        await self._redis.srem(self.prefix + room, sid)

    async def members(self, room: str) -> list:
        """The sids in ``room`` on every server (str).

        Args:
            room: the socket.io room.

        Returns:
            The socket ids, sorted.
        """
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

        Returns:
            The token (a string) to call the API with.

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
    """The shared token ``name`` when ``REDIS_URL`` is set; None (each process its own) otherwise.

    Args:
        name: the token's name (e.g. ``wechat``: the WeChat access token).
        settings: the settings to read ``REDIS_URL`` from; None reads the environment.

    Returns:
        A :class:`RedisSharedToken`, or None.
    """
    settings = settings or get_settings()
    return RedisSharedToken(settings.redis_url, name) if settings.redis_url else None


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
local cost = math.min(math.max(tonumber(ARGV[4] or '1'), 1), capacity)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if stored[1] then
  tokens = math.min(capacity, tonumber(stored[1]) + (now - tonumber(stored[2])) * rate)
end
if tokens < cost then return tostring((cost - tokens) / rate) end
if count == 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - cost), 'at', now)
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

    def _args(self, count: bool, cost: float = 1.0) -> list:
        return [repr(self.capacity), repr(self.rate_per_ms), 1 if count else 0, repr(float(cost))]

    async def hit_async(self, key: str, cost: float = 1.0) -> float:
        """Count one request for ``key``: 0.0 if allowed, else the seconds to wait (nothing counted).

        Args:
            key: what is limited (an address, a sender id).
            cost: the tokens it spends (``bot.storage.ratelimit.message_cost``; at most the bucket's size).

        Returns:
            0.0 when allowed, else the seconds to wait.
        """
        if self.capacity <= 0:
            return 0.0
        waited = await self._clients.script("bucket")(keys=[self.prefix + key], args=self._args(True, cost))
        return float(waited) / 1000

    async def wait_async(self, key: str) -> float:
        """The seconds ``key`` must wait before its next request is allowed (0.0: now); counts nothing.

        Args:
            key: what is limited (an address, a sender id).

        Returns:
            Seconds to wait, 0.0 when a request would be allowed now.
        """
        if self.capacity <= 0:
            return 0.0
        waited = await self._clients.script("bucket")(keys=[self.prefix + key], args=self._args(False))
        return float(waited) / 1000

    def hit(self, key: str, cost: float = 1.0) -> float:
        """:meth:`hit_async` for a worker thread (blocks on Redis: never call it on the event loop).

        Args:
            key: what is limited (an address, a sender id).
            cost: the tokens it spends (see :meth:`hit_async`).

        Returns:
            0.0 when allowed, else the seconds to wait.
        """
        if self.capacity <= 0:
            return 0.0
        return float(self._clients.sync_script("bucket")(keys=[self.prefix + key], args=self._args(True, cost))) / 1000


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
        """``LoginThrottle.attempt`` on every server: ``(wait_s, blocked_s)``.

        Args:
            username: the user name tried.
            address: the client's address.

        Returns:
            ``(wait_s, blocked_s)``: seconds before the next try is allowed, and the pair's block.
        """
        return await self._run("attempt", username, address)

    async def failed_async(self, username: str, address: str) -> float:
        """Record a failure; the seconds the pair is now blocked for.

        Args:
            username: the user name tried.
            address: the client's address.

        Returns:
            Seconds the pair is blocked for.
        """
        return (await self._run("failed", username, address))[1]

    async def wait_async(self, username: str, address: str) -> float:
        """Seconds before this pair may try again (0.0: now).

        Args:
            username: the user name tried.
            address: the client's address.

        Returns:
            Seconds to wait (0.0: now).
        """
        return (await self._run("wait", username, address))[0]

    async def succeeded_async(self, username: str, address: str) -> None:
        """A correct password: forget the pair's failures.

        Args:
            username: the user name that logged in.
            address: the client's address.
        """
        await self._clients.client().delete(self._key(username, address))


def redis_limits(limits: Any, settings: Settings) -> Any:
    """Replace the in-process limiters of a ``bot.storage.ratelimit.Limits`` with Redis ones
    (every server counts together); returns ``limits``.

    Args:
        limits: a ``bot.storage.ratelimit.Limits`` (changed in place).
        settings: the settings: ``REDIS_URL`` and the per-minute limits.

    Returns:
        ``limits``, its ``address``, ``sender``, ``sessions`` and ``login`` now in Redis.
    """
    url = settings.redis_url
    limits.address = RedisTokenBucketLimiter(url, settings.rate_limit_address_per_min, "qx:rate:address:")
    limits.sender = RedisTokenBucketLimiter(url, settings.rate_limit_sender_per_min, "qx:rate:sender:")
    limits.sessions = RedisTokenBucketLimiter(url, settings.rate_limit_sessions_per_min, "qx:rate:sessions:")
    limits.login = RedisLoginThrottle(url, max_delay_s=settings.login_throttle_max_delay_s)
    return limits


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


# The web chat's per-session sliding window (_WINDOW_HIT above), asynchronously.
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
        self.limit = limit
        self.window_s = window_s
        self.prefix = prefix
        self._clients = _LoopClients(url, {"window": _WINDOW_HIT})
        self._waits: "OrderedDict[str, float]" = OrderedDict()  # key -> seconds, of this process's last refusal

    async def allow_async(self, key: str) -> bool:
        """Count one hit for ``key``: True if allowed, else False (nothing counted).

        Args:
            key: what is limited.

        Returns:
            True if allowed, False if refused.
        """
        wait_ms = int(await self._clients.script("window")(
            keys=[self.prefix + key], args=[int(self.window_s * 1000), self.limit, uuid.uuid4().hex[:8]]))
        if wait_ms:
            self._waits[key] = wait_ms / 1000
            while len(self._waits) > 10_000:
                self._waits.popitem(last=False)
        return wait_ms == 0

    def retry_after(self, key: str) -> float:
        """Seconds until ``key``'s next hit is allowed, as of its last refusal here (0.0: none).

        Args:
            key: what is limited.

        Returns:
            Seconds (0.0 when there was no refusal).
        """
        return self._waits.pop(key, 0.0)
