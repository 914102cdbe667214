"""Request signatures of the IVR bridge (DESIGN.md §10), pure functions.

``X-IVR-Signature`` = lowercase hex HMAC-SHA256(secret, ``<timestamp>.<raw body>``),
``X-IVR-Timestamp`` = Unix seconds, accepted within ±300 s. A signature seen
before means the same bytes in the same second: the bridge remembers
signatures for twice the tolerance window (after that the timestamp check
refuses them anyway) in the conversation-state store (shared by every
server when REDIS_URL is set; :class:`ReplayGuard` is the same rule for one
process alone), and answers such a request only from its cache of answered
``call_id``/``seq`` (a platform's retry), never with a new turn (a replay).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from typing import Dict, Optional

TOLERANCE_S = 300
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class SignatureError(Exception):
    """Why a request was refused (the message is safe to return to the caller)."""


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """The request signature: hex HMAC-SHA256 with ``secret`` of ``"<timestamp>.<body>"``.

    Args:
        secret: IVR_SECRET.
        timestamp: Unix time in seconds, as sent in ``X-IVR-Timestamp``.
        body: the raw request body.

    Returns:
        64 lower-case hex characters (``X-IVR-Signature``).
    """
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: Optional[str],
    signature: Optional[str],
    body: bytes,
    now: Optional[float] = None,
    tolerance_s: int = TOLERANCE_S,
) -> None:
    """Raise :class:`SignatureError` unless the request is signed and fresh.

    Raises:
        SignatureError: a header is missing, the timestamp is not Unix seconds or is outside
            the tolerance, or the signature does not match.
    """
    if not timestamp or not signature:
        raise SignatureError("missing X-IVR-Timestamp or X-IVR-Signature")
    # ASCII digits only: str.isdigit() is true of "²" (int() then raises) and of other scripts' digits (the ASCII
    # encoding of the signed message then raises): either left an unsigned request a traceback, not a 401 (helper-210).
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise SignatureError("X-IVR-Timestamp must be Unix seconds")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance_s:
        raise SignatureError("stale or future timestamp")
    expected = sign(secret, timestamp, body)
    # compare_digest on equal-length ASCII: no early exit on the first bad byte.
    if not _HEX64.match(signature) or not hmac.compare_digest(expected, signature):
        raise SignatureError("bad signature")


class ReplayGuard:
    """Signatures already accepted, forgotten after ``ttl_s``."""

    def __init__(self, ttl_s: int = 2 * TOLERANCE_S, max_entries: int = 200_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._seen: Dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, signature: str, now: Optional[float] = None) -> bool:
        """True the first time a signature is seen (and remember it)."""
        now = time.time() if now is None else now
        with self._lock:
            if len(self._seen) >= self.max_entries or len(self._seen) % 1024 == 0:
                self._seen = {s: t for s, t in self._seen.items() if now - t < self.ttl_s}
            seen_at = self._seen.get(signature)
            if seen_at is not None and now - seen_at < self.ttl_s:
                return False
            self._seen[signature] = now
            return True

    def forget(self, signature: str) -> None:
        """Let a signature through again (its request failed before anything was answered)."""
        with self._lock:
            self._seen.pop(signature, None)
