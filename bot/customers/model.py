"""One customer across channels: the model and its rules (pure: no SQL, no unit of work).

A customer has identities of several kinds:

- facts that identify a person: ``web`` (the site's customer id, ``sub`` of a
  signed token), ``wechat`` (openid), ``phone`` (E.164), ``email``;
- conversation ids (``rest_sender``, ``ivr_call``, ``web_session``; on WeChat
  the conversation id is the openid), recorded so a later turn of the same
  conversation finds its customer without the token.

Linking rules (``resolve``): a conversation's customer comes only from
*verified* facts — a valid signed token (sub, email, phone), WeChat's openid,
the IVR caller id, or the e-mail or phone of an order proven by a one-time
code sent to it (bot.customers.otp). Every verified fact of the conversation belongs to
one customer, so two customers that share one (the same verified phone or
e-mail) become one. Anything merely typed in chat (a phone, an e-mail, order
numbers, in any combination) links nothing, and a conversation id never
links two customers: it only remembers the last verified answer.

How a conversation is verified (``Evidence.verification``, the packet's
``customer.verification``): ``token``, ``platform`` (WeChat openid, IVR
caller id), ``order_contact`` (a one-time code passed) or ``none``.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Optional

from bot.domain import CONVERSATION_KINDS, IDENTITY_CHANNEL
from bot.text import normalise_phone

FACT_KINDS = ("web", "wechat", "phone", "email")
TRANSCRIPT_WINDOW = timedelta(hours=24)
# Identities that earlier versions linked from an order number plus a typed
# contact (source "order:QX-…"): no longer proof of anything.
WEAK_LEGACY_SOURCE = "order:"


def new_customer_id() -> str:
    """A new random customer id (``C`` + 16 hex digits)."""
    return "C" + secrets.token_hex(8).upper()


@dataclass(frozen=True)
class Identity:
    """One identity of a customer: its ``kind`` (web | wechat | phone | email, or a conversation
    kind: rest_sender | ivr_call | web_session), value, whether verified, and where it came from."""
    kind: str
    value: str
    verified: bool
    source: Optional[str] = None

    @property
    def trusted(self) -> bool:
        """Verified by a source that still counts (not a legacy typed order+contact link)."""
        return self.verified and not (self.source or "").startswith(WEAK_LEGACY_SOURCE)


@dataclass(frozen=True)
class Customer:
    """``verification``: how the conversation that looked the customer up proved
    it (token | platform | order_contact), ``none`` when it was only
    remembered by its conversation id or read from the repository."""

    customer_id: str
    display_name: Optional[str]
    identities: tuple[Identity, ...] = ()
    verification: str = "none"

    @property
    def conversation_ids(self) -> list[str]:
        """The conversation ids (identities of a conversation kind) of this customer."""
        kinds = set(CONVERSATION_KINDS.values())
        return [i.value for i in self.identities if i.kind in kinds]

    def packet_view(self) -> dict:
        """``customer`` of the handoff packet: id, identities (verified facts and conversations), verification."""
        return {
            "id": self.customer_id,
            "display_name": self.display_name,
            "identities": [
                {"channel": IDENTITY_CHANNEL.get(i.kind, i.kind), "id": i.value, "kind": i.kind,
                 "verified": i.verified}
                for i in self.identities
            ],
            "verification": self.verification,
        }


def owns_order(customer: Optional[Customer], order: Any) -> Optional[str]:
    """How the conversation that resolved ``customer`` proved it owns ``order``
    (its ``verification``: token | platform | order_contact), or None.

    The customer must have been reached through this conversation's own
    evidence (``customer.verification`` not ``none``: a conversation id
    merely remembered proves nothing), and one of their trusted verified
    identities must be the order's e-mail or phone: a token's claim, the IVR
    caller id, a contact proven by a code, or one such fact linked earlier to
    the same customer (their WeChat openid, another channel).

    Args:
        customer: the customer this conversation resolved, or None.
        order: the order (anything with ``email`` and ``phone``), or None.

    Returns:
        The customer's ``verification`` (``token``, ``platform``, ``order_contact``), or None when ownership
        is not proven.
    """
    if customer is None or order is None or customer.verification == "none":
        return None
    email = (order.email or "").lower()
    phone = normalise_phone(order.phone) if order.phone else ""
    for identity in customer.identities:
        if not identity.trusted:
            continue
        if (identity.kind == "email" and email and identity.value.lower() == email) or (
                identity.kind == "phone" and phone and identity.value == phone):
            return customer.verification
    return None
