"""What a conversation proves about whoever writes in it (pure: events in, facts out).

How a conversation is verified (``Evidence.verification``, the packet's
``customer.verification``): ``token``, ``platform`` (WeChat openid, IVR
caller id), ``order_contact`` (a one-time code passed) or ``none``. What the
customer merely typed (order numbers, e-mails, phones) is not evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Optional

from bot.customers.identity import signed_subject, verify_customer_token
from bot.text import is_e164, normalise_phone
from bot.domain import Channel

# How far a fact's source can be trusted, strongest first (packet `customer.verification`).
VERIFICATION = {"token": "token", "wechat": "platform", "ivr": "platform", "order_contact": "order_contact"}
VERIFICATION_ORDER = ("token", "platform", "order_contact")


@dataclass(frozen=True)
class Fact:
    """A verified fact about whoever writes in this conversation."""

    kind: str  # web | wechat | phone | email
    value: str
    source: str  # token | wechat | ivr | order_contact


@dataclass
class Evidence:
    """The verified facts a conversation proved, with the strongest way it was verified."""
    facts: list[Fact] = field(default_factory=list)
    display_name: Optional[str] = None

    def add(self, kind: str, value: Optional[str], source: str) -> None:
        """Record a verified fact of ``kind`` from ``source`` (a blank ``value`` is ignored).

        Args:
            kind: what the fact is (``sub`` for a token's customer, ``email``, ``phone``, ``wechat_openid``,
                ``ivr_caller``, …).
            value: the fact's value; None or empty adds nothing.
            source: where it was proven (``token``, ``platform``, ``order_contact``).
        """
        if value and all((f.kind, f.value) != (kind, value) for f in self.facts):
            self.facts.append(Fact(kind, value, source))

    @property
    def verification(self) -> str:
        """The strongest kind of proof among the facts: token | platform | order_contact | none."""
        kinds = {VERIFICATION.get(f.source) for f in self.facts}
        return next((k for k in VERIFICATION_ORDER if k in kinds), "none")


def _user_events(events: Iterable[dict]) -> list[dict]:
    return [e for e in events if e.get("event") == "user"]


def _token_of(event: dict) -> Optional[str]:
    """The customer token a user event's metadata carries, or None."""
    metadata = event.get("metadata")
    token = metadata.get("customer_token") if isinstance(metadata, dict) else None
    return token if isinstance(token, str) and token else None


def _subject_at(users: list[dict], moment: Optional[datetime], secret: Optional[str]) -> Optional[str]:
    """Who was signed in at ``moment`` (None: now): the signed ``sub`` of the token the latest message sent by then
    carries, or None when that message carries none (a signed-in widget and a REST client send it with every
    message: a message without one is nobody's, whatever an earlier one carried, session 48).
    An event without a time (the session start's stand-in for its first message: ``session_event``) is now, after
    any code passed: a session's token never vouches for a code passed before it (a fresh reviewer, session 46)."""
    cutoff = moment.timestamp() if moment is not None else None
    for event in reversed(users):
        sent = event.get("timestamp")
        if cutoff is not None and (not isinstance(sent, (int, float)) or sent > cutoff):
            continue
        token = _token_of(event)
        return signed_subject(token, secret) if token else None
    return None


def chat_owner(events: Iterable[dict], secret: Optional[str] = None) -> Optional[str]:
    """Whose chat this is: the ``sub`` of the first signed token any of its messages carried, expired or not
    (``bot.customers.identity.signed_subject``), or None when none ever carried one (an anonymous chat).

    Neither a message without a token nor one with someone else's token changes it. The web chat drops an expired
    token from the metadata, so the customer's own messages after it expired carry none; one message written signed
    out must not turn her chat into anyone's (helper-220, session 48); and someone who copied her chat's session id
    and wrote in it with their own valid token must not become its owner (helper-221). What proves who writes is
    another matter: only the latest message's token (:func:`evidence_of`).

    Args:
        events: the conversation's tracker events (dicts, oldest first).
        secret: ``WEBCHAT_TOKEN_SECRET``; None reads the setting.

    Returns:
        The subject, or None.
    """
    for event in _user_events(events):
        token = _token_of(event)
        subject = signed_subject(token, secret) if token else None
        if subject is not None:
            return subject
    return None


def evidence_of(
    conversation_id: str,
    channel: str,
    events: list[dict],
    proofs: Iterable[Any] = (),
    secret: Optional[str] = None,
) -> Evidence:
    """The verified facts of one conversation.

    ``channel`` is the project channel name (web|wechat|ivr|rest) of the
    latest message; ``proofs`` the one-time codes this conversation passed
    (``bot.customers.otp.Proof``: order_number, kind email|phone, destination,
    customer_name), read from the database, never from the tracker. What the
    customer typed (order numbers, e-mails, phones) is not evidence.

    Args:
        conversation_id: the Rasa sender id.
        channel: the packet name of the latest message's channel (``web``, ``wechat``, ``ivr``, ``rest``).
        events: the conversation's tracker events (dicts, oldest first); the latest user event is the message
            being answered, and only the token it carries counts.
        proofs: the one-time codes the conversation passed (``Proof`` rows from the database); each counts only
            when whoever was signed in when it was passed (the token of the latest message sent by then, or
            nobody) is who is signed in now.
        secret: ``WEBCHAT_TOKEN_SECRET`` to verify a customer token with; None reads the setting.

    Returns:
        The :class:`Evidence` (facts with their source); empty when nothing is proven.
    """
    evidence = Evidence()
    users = _user_events(events)
    # The signed token the latest message carries, if valid now. Only that one: a signed-in widget and a REST
    # client send it with every message, so a message without one proves nobody. Before (session 48), the newest
    # token of any earlier message counted: on a shared computer, whoever wrote next in a signed-out chat was
    # "signed in" as the last person (their orders, and a code they passed linked to that person's record) until
    # that token expired, and the packet told the agent so.
    token = _token_of(users[-1]) if users else None
    if token is not None:
        claims = verify_customer_token(token, secret)
        if claims is not None:
            evidence.add("web", claims.sub, "token")
            evidence.add("email", claims.email, "token")
            evidence.add("phone", claims.phone, "token")
            evidence.display_name = claims.name
    # The platform signed these requests; a REST client cannot claim them.
    if channel == Channel.WECHAT:
        evidence.add(Channel.WECHAT.identity_kind, conversation_id, Channel.WECHAT.value)
    if channel == Channel.IVR:
        caller = next(
            ((e.get("metadata") or {}).get("caller") for e in reversed(users)
             if Channel.owning(e.get("input_channel")) == Channel.IVR and isinstance(e.get("metadata"), dict)
             and (e.get("metadata") or {}).get("caller")),
            None,
        )
        if isinstance(caller, str):
            phone = normalise_phone(caller)
            if is_e164(phone):
                evidence.add("phone", phone, Channel.IVR.value)
    # A one-time code sent to the order's e-mail or phone came back: that contact is theirs: theirs, who wrote when
    # it was passed. A code passed while another person was signed in here (or nobody was) proves nothing about
    # whoever is signed in now: on a shared computer it would have linked (and merged) the first person's record
    # into the second's, and their tickets then followed the second person (session 46's attacker).
    now_signed_in = _subject_at(users, None, secret)
    for proof in [p for p in proofs if _subject_at(users, getattr(p, "passed_at", None), secret) == now_signed_in]:
        value = proof.destination.lower() if proof.kind == "email" else normalise_phone(proof.destination)
        evidence.add(proof.kind, value, "order_contact")
        if evidence.display_name is None:
            evidence.display_name = proof.customer_name
    return evidence


def session_event(metadata: Optional[dict]) -> dict:
    """A user event standing for what a session's first message carried.

    ``metadata.channel`` is set server-side by our connectors (rest, ivr,
    wechat, webchat), overwriting anything a client sent; it is what lets
    ``evidence_of`` honour an IVR caller. Without it the channel is ``rest``:
    a client's word only.

    Args:
        metadata: the metadata of the session's first message, or None.

    Returns:
        A Rasa ``user`` event dict with ``input_channel`` and ``metadata``.
    """
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    channel = metadata.get("channel") if isinstance(metadata.get("channel"), str) else "rest"
    return {"event": "user", "input_channel": channel, "metadata": metadata, "parse_data": {"entities": []}}
