"""Rate limits and login throttling (DESIGN.md §9a), in process memory.

- ``TokenBucketLimiter``: at most ``per_minute`` hits per key per minute,
  with bursts up to ``per_minute``; O(1) memory per key and at most
  ``max_keys`` keys (the least recently used one is forgotten first; a key
  idle for a minute has a full bucket, so forgetting it loses nothing).
- ``LoginThrottle``: failed logins per (user name, client address) with
  exponential backoff, capped at ``max_delay_s`` so a stranger cannot lock a
  real agent out for long, and keyed on the pair so a stranger's failures
  never block the agent's own address. ``attempt`` counts a login before the
  (slow) password check, atomically, so parallel guesses cannot slip through
  between the check and the count: one guess per backoff window.
- ``client_address``: the caller's address, taken from ``X-Forwarded-For``
  only when the request comes from a trusted proxy (``TRUSTED_PROXIES``):
  every header line joined, then walked from the right through the trusted
  proxies to the first address that is not one (what the client wrote
  itself, on the left or in its own header line, is never believed).

Both limiters implement ``Limiter``/``Throttle``; code on the event loop calls
their coroutines (``hit_async``, ``attempt_async``, ...). With ``REDIS_URL`` set
``Limits`` uses the Redis versions (``bot.storage.conversation_state``): one count for
every server, without blocking the event loop.
"""
from __future__ import annotations

import ipaddress
import json
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Protocol, Sequence, Tuple, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Clock = Callable[[], float]


class Limiter(Protocol):
    """A per-key request limiter: :class:`TokenBucketLimiter` in one process, a Redis one across servers."""

    def hit(self, key: str, cost: float = 1.0) -> float:
        """Count one request for ``key``: 0.0 if allowed, else the seconds to wait (nothing counted).

        Args:
            key: what is limited (``<channel>|<address>``, ``<channel>|<sender>``).
            cost: the tokens it spends (:func:`message_cost`; at most the bucket's size is asked).

        Returns:
            0.0 when allowed, else the seconds to wait.
        """

    def wait(self, key: str) -> float:
        """The seconds ``key`` must wait before its next request is allowed (0.0: now); counts nothing.

        Args:
            key: what is limited.

        Returns:
            Seconds to wait, 0.0 when a request would be allowed now.
        """


class TokenBucketLimiter:
    """``per_minute`` requests per key per minute (token bucket, thread-safe).

    Args:
        per_minute: bucket size and refill per minute; 0 or less disables the limit.
        max_keys: keys remembered at most (least recently used forgotten first).
        clock: monotonic seconds (tests pass a fake).
    """

    def __init__(self, per_minute: int, max_keys: int = 100_000, clock: Clock = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - at) * self.rate)

    def hit(self, key: str, cost: float = 1.0) -> float:
        """Count one request for ``key``: 0.0 if allowed, else the seconds to wait (nothing counted).

        Args:
            key: what is limited (``<channel>|<address>``, ``<channel>|<sender>``).
            cost: the tokens it spends (a long message counts as several, :func:`message_cost`); at most the bucket's
                size is asked, so any request can pass once the bucket is full.

        Returns:
            0.0 when allowed, else the seconds to wait.
        """
        if self.capacity <= 0:
            return 0.0
        cost = min(max(cost, 1.0), self.capacity)
        with self._lock:
            now = self.clock()
            tokens = self._tokens(key, now)
            if tokens < cost:
                return (cost - tokens) / self.rate
            self._buckets[key] = (tokens - cost, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return 0.0

    def wait(self, key: str) -> float:
        """The seconds ``key`` must wait before its next request is allowed (0.0: now); counts nothing.

        Args:
            key: what is limited.

        Returns:
            Seconds to wait, 0.0 when a request would be allowed now.
        """
        if self.capacity <= 0:
            return 0.0
        with self._lock:
            tokens = self._tokens(key, self.clock())
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    async def hit_async(self, key: str, cost: float = 1.0) -> float:
        """:meth:`hit` as a coroutine (the interface the Redis limiter shares).

        Args:
            key: what is limited (``<channel>|<address>``, ``<channel>|<sender>``).
            cost: the tokens it spends (see :meth:`hit`).

        Returns:
            0.0 when allowed, else the seconds to wait.
        """
        return self.hit(key, cost)

    async def wait_async(self, key: str) -> float:
        """:meth:`wait` as a coroutine.

        Args:
            key: what is limited.

        Returns:
            Seconds to wait, 0.0 when a request would be allowed now.
        """
        return self.wait(key)

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass
class _Failures:
    count: int
    last: float
    blocked_until: float


class LoginThrottle:
    """Failed logins per (user name, address): exponential backoff, capped.

    The first ``free_failures`` failures cost nothing (typos); each one after
    blocks the pair for ``base_delay_s * 2**(n - free_failures)`` seconds, at
    most ``max_delay_s``. Failures are forgotten after ``forget_after_s``
    quiet seconds and after a successful login of the pair.

    Args:
        max_delay_s: the longest block (``LOGIN_THROTTLE_MAX_DELAY_S``).
        max_keys: pairs remembered at most (oldest forgotten first).
    """

    def __init__(self, max_delay_s: float = 120.0, free_failures: int = 3, base_delay_s: float = 1.0,
                 forget_after_s: float = 900.0, max_keys: int = 100_000, clock: Clock = time.monotonic) -> None:
        self.max_delay_s = max_delay_s
        self.free_failures = free_failures
        self.base_delay_s = base_delay_s
        self.forget_after_s = forget_after_s
        self.max_keys = max_keys
        self.clock = clock
        self._failures: "OrderedDict[Tuple[str, str], _Failures]" = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str, address: str) -> Tuple[str, str]:
        return username.strip().lower()[:64], address

    def _current(self, key: Tuple[str, str], now: float) -> Optional[_Failures]:
        entry = self._failures.get(key)
        if entry is not None and now - entry.last >= max(self.forget_after_s, self.max_delay_s):
            del self._failures[key]
            return None
        return entry

    def wait(self, username: str, address: str) -> float:
        """Seconds before this pair may try again (0.0: now).

        Args:
            username: the user name tried.
            address: the client's address.

        Returns:
            Seconds (0.0: now).
        """
        with self._lock:
            now = self.clock()
            entry = self._current(self._key(username, address), now)
            return max(0.0, entry.blocked_until - now) if entry else 0.0

    def attempt(self, username: str, address: str) -> Tuple[float, float]:
        """Reserve one login attempt of the pair before its password is checked (atomic).

        Args:
            username: the user name tried.
            address: the client's address.

        Returns:
            ``(wait_s, blocked_s)``. ``wait_s`` > 0: the pair is blocked, refuse
            the attempt (nothing counted). Otherwise the attempt is counted as a
            failure in advance, and ``blocked_s`` is how long the pair is now
            blocked for (0.0 within the free failures), so concurrent attempts
            are refused until then; a correct password calls ``succeeded``,
            which forgets the pair.
        """
        with self._lock:
            now = self.clock()
            key = self._key(username, address)
            entry = self._current(key, now)
            if entry is not None and entry.blocked_until > now:
                return entry.blocked_until - now, 0.0
            return 0.0, self._count(key, entry, now)

    def failed(self, username: str, address: str) -> float:
        """Record a failure; returns the seconds the pair is now blocked for (0.0: not blocked).

        Args:
            username: the user name tried.
            address: the client's address.

        Returns:
            Seconds the pair is blocked for (0.0: not blocked).
        """
        with self._lock:
            now = self.clock()
            key = self._key(username, address)
            return self._count(key, self._current(key, now), now)

    def _count(self, key: Tuple[str, str], entry: Optional[_Failures], now: float) -> float:
        """One more failure of ``key`` (call with the lock held); the seconds it is now blocked for."""
        entry = entry or _Failures(0, now, now)
        entry.count += 1
        entry.last = now
        over = entry.count - self.free_failures
        delay = 0.0 if over <= 0 else min(self.max_delay_s, self.base_delay_s * 2 ** min(over - 1, 30))
        entry.blocked_until = now + delay
        self._failures[key] = entry
        self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)
        return delay

    def succeeded(self, username: str, address: str) -> None:
        """A correct password: forget the pair's failures (and reservations).

        Args:
            username: the user name tried.
            address: the client's address.
        """
        with self._lock:
            self._failures.pop(self._key(username, address), None)

    # coroutines: the interface the Redis throttle (bot.storage.conversation_state) shares
    async def attempt_async(self, username: str, address: str) -> Tuple[float, float]:
        """:meth:`attempt` as a coroutine.

        Args:
            username, address: as :meth:`attempt`.

        Returns:
            ``(wait_s, blocked_s)`` as :meth:`attempt`.
        """
        return self.attempt(username, address)

    async def failed_async(self, username: str, address: str) -> float:
        """:meth:`failed` as a coroutine.

        Args:
            username, address: as :meth:`failed`.

        Returns:
            As :meth:`failed`.
        """
        return self.failed(username, address)

    async def wait_async(self, username: str, address: str) -> float:
        """:meth:`wait` as a coroutine.

        Args:
            username, address: as :meth:`wait`.

        Returns:
            As :meth:`wait`.
        """
        return self.wait(username, address)

    async def succeeded_async(self, username: str, address: str) -> None:
        """:meth:`succeeded` as a coroutine.

        Args:
            username, address: as :meth:`succeeded`.
        """
        self.succeeded(username, address)


def retry_after_header(seconds: float) -> str:
    """``Retry-After`` value: whole seconds, at least 1.

    Args:
        seconds: the wait (fractions round up).

    Returns:
        The header value, e.g. ``"3"``.
    """
    return str(max(1, math.ceil(seconds)))


# --- client addresses --------------------------------------------------------------

def parse_networks(value: Union[str, Iterable[str], None]) -> Tuple[Network, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` (or a list of such) as networks.

    Args:
        value: a comma-separated string, a list of such strings, or None (no networks).

    Returns:
        The ``ipaddress`` networks (a single address becomes a /32 or /128).

    Raises:
        ValueError: naming the entry that is not an address or CIDR.
    """
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: {item!r} is not an IP address or CIDR network") from None
    return tuple(networks)


def _ip(value: Any) -> Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]:
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, trusted: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


def is_trusted(peer: Optional[str], trusted: Sequence[Network]) -> bool:
    """Whether ``peer`` (an address as the socket reports it) is one of the ``trusted`` proxies.

    Args:
        peer: the socket's remote address, or None.
        trusted: the trusted proxy networks (:func:`parse_networks`).

    Returns:
        True only for a parseable address inside one of ``trusted``.
    """
    address = _ip(peer) if peer else None
    return address is not None and _trusted(address, trusted)


def resolve_address(peer: Optional[str], forwarded_for: Optional[str], trusted: Sequence[Network]) -> str:
    """The client's address: ``peer`` (the socket's remote end), unless ``peer`` is a
    trusted proxy; then the right-most ``X-Forwarded-For`` entry that is not itself
    a trusted proxy (entries to its left were written by the client and prove nothing).

    Returns ``"unknown"`` when there is no peer address at all.

    Args:
        peer: the socket's remote address, or None.
        forwarded_for: the ``X-Forwarded-For`` value (every line joined, :func:`forwarded_for`), or None.
        trusted: the trusted proxy networks.

    Returns:
        An address string, or ``"unknown"``.
    """
    address = _ip(peer)
    if address is None:
        return str(peer) if peer else "unknown"
    if not trusted or not forwarded_for or not _trusted(address, trusted):
        return str(address)
    for hop in reversed(forwarded_for.split(",")):
        hop_ip = _ip(hop)
        if hop_ip is None:  # garbage from a broken proxy: the last address we believe
            break
        address = hop_ip
        if not _trusted(hop_ip, trusted):
            break
    return str(address)


def forwarded_for(headers: Any) -> Optional[str]:
    """Every ``X-Forwarded-For`` line of ``headers``, joined with commas in the order received.

    A proxy such as haproxy (``option forwardfor``) adds its own header line
    after the one the client wrote; ``headers.get`` would return only the
    client's first line. ``headers`` is a Sanic ``Header`` (a multidict with
    ``getall``) or a plain mapping (one value). Returns ``None`` without the header.

    Args:
        headers: the request's headers (Sanic ``Header`` or a mapping).

    Returns:
        The joined value, or None.
    """
    getall = getattr(headers, "getall", None)
    lines = list(getall("x-forwarded-for", [])) if getall is not None else []
    if not lines and hasattr(headers, "get"):
        single = headers.get("x-forwarded-for")
        lines = [single] if single is not None else []
    lines = [line for line in lines if isinstance(line, str)]
    return ",".join(lines) if lines else None


def client_address(request: Any, trusted_proxies: Sequence[Network]) -> str:
    """The client address of a Sanic request (see ``resolve_address``); every
    ``X-Forwarded-For`` line counts, so a proxy's appended line is the right-most.

    Args:
        request: a Sanic request.
        trusted_proxies: the trusted proxy networks.

    Returns:
        An address string, or ``"unknown"``.
    """
    return resolve_address(getattr(request, "ip", None), forwarded_for(request.headers), trusted_proxies)


def environ_address(environ: Mapping[str, Any], trusted_proxies: Sequence[Network]) -> str:
    """The client address of a socket.io/engine.io connection.

    python-engineio's Sanic driver always puts ``127.0.0.1`` in ``REMOTE_ADDR``;
    the real peer is on the Sanic request it keeps in ``sanic.request``.

    Args:
        environ: the engine.io WSGI-like environ of the connection.
        trusted_proxies: the trusted proxy networks.

    Returns:
        An address string, or ``"unknown"``.
    """
    request = environ.get("sanic.request")
    peer = getattr(request, "ip", None) if request is not None else None
    # engine.io's translate_request joins repeated header lines with commas, in order: every line counts
    return resolve_address(peer or environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"), trusted_proxies)


# --- the limits of this process ----------------------------------------------------

#: Characters of a message that cost one request of its address's allowance (session 42). Rasa reads a message's
#: NLU on the event loop all of a server's conversations share, in time that grows with its length (a 4,000-character
#: message of digit groups: about 0.3-0.45 s, ``make bench-hostile``); counted as one request each, such messages at
#: the default 120 a minute from one address held a server's thread most of the time and made another customer wait
#: up to 11 s (a fresh reviewer's flood, helper-205). Counted by length, 4,000 characters spend 8: 15 a minute.
CHARS_PER_REQUEST = 500


def message_cost(text: Optional[str], metadata: Any = None) -> float:
    """What a message spends of its address's rate limit: one request for every ``CHARS_PER_REQUEST`` characters
    begun of its text and of its metadata written as JSON, at least one. The metadata counts too: the card masking
    reads every value a client sent (``bot.rasa_patches.mask_message_cards``), and 16 KB of digit groups in one value
    held the thread about a second (session 42, helper-206).

    Args:
        text: the message's text (None counts as empty).
        metadata: what the client sent beside it (any JSON value; None or empty counts nothing).

    Returns:
        The cost in requests (1.0 for a message of at most 500 characters and no metadata, 8.0 for 4,000).
    """
    size = len(text or "")
    if metadata:
        size += len(json.dumps(metadata, ensure_ascii=False, separators=(",", ":"), default=str))
    return float(max(1, -(-size // CHARS_PER_REQUEST)))


class Limits:
    """Every limiter of one server process, sized from ``Settings``.

    Keys name the channel, so one channel's traffic never spends another's
    allowance: ``address`` per (channel, client address), ``sender`` per
    (channel, sender/conversation), ``sessions`` per client address (new
    web chat sessions), ``login`` failed agent logins.
    """

    def __init__(self, address_per_min: int, sender_per_min: int, sessions_per_min: int,
                 login_max_delay_s: float, trusted_proxies: Sequence[Network] = (),
                 clock: Clock = time.monotonic) -> None:
        self.address = TokenBucketLimiter(address_per_min, clock=clock)
        self.sender = TokenBucketLimiter(sender_per_min, clock=clock)
        self.sessions = TokenBucketLimiter(sessions_per_min, clock=clock)
        self.login = LoginThrottle(max_delay_s=login_max_delay_s, clock=clock)
        self.trusted_proxies = tuple(trusted_proxies)

    @classmethod
    def from_settings(cls, settings: Any) -> "Limits":
        """Limits from a ``bot.settings.Settings`` (per-minute rates, login delay in seconds, proxies).

        With ``settings.redis_url`` the limiters are the Redis ones (every server counts together).

        Args:
            settings: a ``bot.settings.Settings``.

        Returns:
            The :class:`Limits`.

        Raises:
            ValueError: ``trusted_proxies`` holds something that is not a network.
        """
        made = cls(settings.rate_limit_address_per_min, settings.rate_limit_sender_per_min,
                   settings.rate_limit_sessions_per_min, settings.login_throttle_max_delay_s,
                   parse_networks(settings.trusted_proxies))
        if getattr(settings, "redis_url", None):
            from bot.storage.conversation_state import redis_limits

            redis_limits(made, settings)
        return made

    def address_of(self, request: Any) -> str:
        """The client address of a Sanic ``request`` (``X-Forwarded-For`` only behind a trusted proxy).

        Args:
            request: a Sanic request.

        Returns:
            An address string, or ``"unknown"``.
        """
        return client_address(request, self.trusted_proxies)

    def check(self, channel: str, address: Optional[str] = None, sender: Optional[str] = None, cost: float = 1.0) -> float:
        """Count one request of ``channel`` from ``address`` and/or ``sender``.

        Returns 0.0 if allowed, else the seconds to wait. A request refused
        by the address limit does not spend the sender's allowance.

        Args:
            channel: the channel's name (keys are per channel).
            address: the client's address, or None to skip the address limit.
            sender: the sender id, or None to skip the sender limit.
            cost: what the request spends of the address's allowance (:func:`message_cost`); the sender's counts one.

        Returns:
            0.0 when allowed, else the seconds to wait.
        """
        if address is not None:
            wait = self.address.hit(f"{channel}|{address}", cost)
            if wait:
                return wait
        if sender is not None:
            return self.sender.hit(f"{channel}|{sender}")
        return 0.0

    async def check_async(self, channel: str, address: Optional[str] = None, sender: Optional[str] = None,
                          cost: float = 1.0) -> float:
        """:meth:`check` as a coroutine (what code on the event loop calls).

        Args:
            channel: the channel's name (keys are per channel).
            address: the client's address, or None to skip the address limit.
            sender: the sender id, or None to skip the sender limit.
            cost: what the request spends of the address's allowance (:func:`message_cost`); the sender's counts one.

        Returns:
            0.0 when allowed, else the seconds to wait.
        """
        if address is not None:
            wait = await self.address.hit_async(f"{channel}|{address}", cost)
            if wait:
                return wait
        if sender is not None:
            return await self.sender.hit_async(f"{channel}|{sender}")
        return 0.0


_limits: Optional[Limits] = None
_limits_lock = threading.Lock()


def limits() -> Limits:
    """The process's limits, built from the environment on first use."""
    global _limits
    if _limits is None:
        with _limits_lock:
            if _limits is None:
                from bot.settings import get_settings

                _limits = Limits.from_settings(get_settings())
    return _limits
