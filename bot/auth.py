"""Bearer tokens and shared-secret checks: the one ``Authorization`` parser of the
agent API, the REST channel and the action server.

Pure functions, no I/O: the routes that use them decide the HTTP answer.
"""
from __future__ import annotations

import hmac
from typing import Optional


def bearer_token(authorization: Optional[str]) -> Optional[str]:
    """The token of an ``Authorization: Bearer <token>`` header value, or ``None``.

    The scheme is case-insensitive (RFC 7235); surrounding blanks are ignored.

    Args:
        authorization: the ``Authorization`` header value, or None.

    Returns:
        The token, or None (no header, another scheme, or no token).
    """
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    return token or None


def secret_matches(provided: Optional[str], expected: Optional[str]) -> bool:
    """Constant-time comparison of a provided secret with the expected one.

    False when either is missing or empty, so an unset secret never matches.
    Compares UTF-8 bytes (``hmac.compare_digest`` refuses non-ASCII ``str``).

    Args:
        provided: the secret the client sent, or None.
        expected: the configured secret, or None when unset.

    Returns:
        True only when both are set and equal.
    """
    if not provided or not expected:
        return False
    return hmac.compare_digest(provided.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def bearer_matches(authorization: Optional[str], expected: Optional[str]) -> bool:
    """True when ``authorization`` is ``Bearer <expected>`` (constant-time).

    Args:
        authorization: the ``Authorization`` header value, or None.
        expected: the configured token, or None when unset.

    Returns:
        True or False.
    """
    return secret_matches(bearer_token(authorization), expected)
