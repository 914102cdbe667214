"""Signed customer tokens (DESIGN.md §8 "Verified identity, any channel").

A JWT signed with HS256 and the secret ``WEBCHAT_TOKEN_SECRET``; claims
``sub`` (the site's customer id), ``exp`` and any of ``name``, ``email``,
``phone`` (E.164). Anything wrong with a token — no secret configured, bad
signature, expired, another algorithm, a missing claim — makes it worthless:
the caller gets ``None`` and a warning is logged (never the token itself), so
the conversation stays anonymous.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import jwt

from bot.privacy.scanner import EMAIL
from bot.text import is_e164, normalise_phone

logger = logging.getLogger(__name__)

SECRET_VARIABLE = "WEBCHAT_TOKEN_SECRET"
ALGORITHM = "HS256"
MAX_TOKEN_CHARS = 4096


@dataclass(frozen=True)
class CustomerClaims:
    """What a site's signed customer token says about the customer (web chat, DESIGN §8; WEBCHAT_TOKEN_SECRET, §10).

    Attributes:
        sub: the site's own customer id.
        name: display name, if given.
        email: e-mail address, if given.
        phone: phone number in E.164 (``+8613800138000``), if given.
    """

    sub: str
    name: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None


def token_secret(env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """``WEBCHAT_TOKEN_SECRET`` (via bot.settings) from ``env`` or the process environment; None if unset.

    Args:
        env: an environment mapping; None reads ``os.environ``.

    Returns:
        The secret, or None.
    """
    from bot.settings import Settings

    return Settings.from_env(env).webchat_token_secret


def _text(claims: Mapping[str, Any], key: str, limit: int) -> Optional[str]:
    value = claims.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()[:limit]
    return None


class TokenProblem(Exception):
    """Why a customer token was refused: ``code`` for programs, ``str()`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_customer_token(token: Any, secret: Optional[str] = None) -> CustomerClaims:
    """The verified claims of ``token``; raises :class:`TokenProblem` saying why not.

    Args:
        token: the token as the client sent it (any JSON value).
        secret: the HS256 secret; None reads ``WEBCHAT_TOKEN_SECRET``.

    Returns:
        The :class:`CustomerClaims` (``sub``, ``name``, ``email``, ``phone``).

    Raises:
        TokenProblem: ``tokens_disabled`` (no secret configured), ``invalid_token`` (not a JWT,
            a bad signature or claims, an empty ``sub``) or ``expired_token``.
    """
    secret = secret if secret is not None else token_secret()
    if not secret:
        raise TokenProblem("tokens_disabled", f"signed customer tokens are not accepted here ({SECRET_VARIABLE} is not set)")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenProblem("invalid_token", "the customer token is not a JWT string")
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.ExpiredSignatureError:
        raise TokenProblem("expired_token", "the customer token has expired") from None
    except jwt.InvalidTokenError as error:
        raise TokenProblem("invalid_token", f"the customer token is not valid ({error.__class__.__name__})") from None
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or len(sub) > 200:
        raise TokenProblem("invalid_token", "the customer token's sub must be a non-empty string")
    email = _text(claims, "email", 254)
    if email is not None and not EMAIL.fullmatch(email):
        logger.warning("customer token: email claim is not an e-mail address, ignored")
        email = None
    phone = _text(claims, "phone", 32)
    # International form only (a site's national number has no known country): "+44 7700 900111" → E.164.
    phone = normalise_phone(phone) if phone is not None and phone.startswith("+") else phone
    if phone is not None and not is_e164(phone):
        logger.warning("customer token: phone claim is not an international phone number, ignored")
        phone = None
    return CustomerClaims(
        sub=sub.strip(), name=_text(claims, "name", 120), email=email.lower() if email else None, phone=phone
    )


def signed_subject(token: Any, secret: Optional[str] = None) -> Optional[str]:
    """The ``sub`` of a token whose signature checks, expired or not (who was signed in when it was sent); None
    for anything else (no secret configured, not a JWT, a bad signature, no ``sub``). Never logs.

    Args:
        token: the token as the client sent it (any JSON value).
        secret: the HS256 secret; None reads ``WEBCHAT_TOKEN_SECRET``.

    Returns:
        The subject (stripped), or None.
    """
    secret = secret if secret is not None else token_secret()
    if not secret or not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub"], "verify_exp": False})
    except jwt.InvalidTokenError:
        return None
    sub = claims.get("sub")
    return sub.strip() if isinstance(sub, str) and sub.strip() and len(sub) <= 200 else None


def verify_customer_token(token: Any, secret: Optional[str] = None) -> Optional[CustomerClaims]:
    """The verified claims of ``token``, or ``None`` (with a warning) if it is not valid.

    Args:
        token: the token as the client sent it (any JSON value).
        secret: the HS256 secret; None reads ``WEBCHAT_TOKEN_SECRET``.

    Returns:
        The :class:`CustomerClaims`, or None.
    """
    try:
        return check_customer_token(token, secret)
    except TokenProblem as problem:
        logger.warning("customer token ignored: %s", problem)
        return None
