"""One customer across channels.

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

import json
import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Optional

from sqlalchemy import bindparam, inspect, select, text, update
from sqlalchemy.orm import Session

from bot.storage.db import CustomerIdentityRow, CustomerRow, TicketRow, TroubleshootingProgressRow, as_utc, utcnow
from bot.domain import CONVERSATION_KINDS, IDENTITY_CHANNEL
from bot.customers.identity import E164, verify_customer_token
from bot.customers.intake import normalise_phone

logger = logging.getLogger(__name__)

FACT_KINDS = ("web", "wechat", "phone", "email")
TRANSCRIPT_WINDOW = timedelta(hours=24)
# How far a fact's source can be trusted, strongest first (packet `customer.verification`).
VERIFICATION = {"token": "token", "wechat": "platform", "ivr": "platform", "order_contact": "order_contact"}
VERIFICATION_ORDER = ("token", "platform", "order_contact")
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
        """Record a verified fact of ``kind`` from ``source`` (a blank ``value`` is ignored)."""
        if value and all((f.kind, f.value) != (kind, value) for f in self.facts):
            self.facts.append(Fact(kind, value, source))

    @property
    def verification(self) -> str:
        """The strongest kind of proof among the facts: token | platform | order_contact | none."""
        kinds = {VERIFICATION.get(f.source) for f in self.facts}
        return next((k for k in VERIFICATION_ORDER if k in kinds), "none")


class SqlAlchemyCustomerRepository:
    """Customers and their identities on the unit of work's session; reads Rasa's ``events`` table for transcripts."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def _identity_row(self, kind: str, value: str) -> Optional[CustomerIdentityRow]:
        stmt = select(CustomerIdentityRow).where(CustomerIdentityRow.kind == kind, CustomerIdentityRow.value == value)
        return self.session.execute(stmt).scalar_one_or_none()

    def get(self, customer_id: str) -> Optional[Customer]:
        """The customer with this id and all their identities, or None."""
        row = self.session.get(CustomerRow, customer_id)
        if row is None:
            return None
        stmt = (
            select(CustomerIdentityRow)
            .where(CustomerIdentityRow.customer_id == customer_id)
            .order_by(CustomerIdentityRow.id)
        )
        identities = tuple(
            Identity(r.kind, r.value, bool(r.verified), r.source) for r in self.session.execute(stmt).scalars()
        )
        return Customer(row.id, row.display_name, identities)

    def find(self, kind: str, value: str, verified_only: bool = False) -> Optional[Customer]:
        """The customer owning identity (``kind``, ``value``), or None (only verified ones if asked)."""
        row = self._identity_row(kind, value)
        if row is None:
            return None
        if verified_only and not Identity(row.kind, row.value, bool(row.verified), row.source).trusted:
            return None
        return self.get(row.customer_id)

    def create(self, display_name: Optional[str] = None) -> Customer:
        """A new customer (flushed, not committed)."""
        row = CustomerRow(id=new_customer_id(), display_name=display_name)
        self.session.add(row)
        self.session.flush()
        return Customer(row.id, row.display_name)

    def set_display_name(self, customer_id: str, display_name: str) -> None:
        """Set how agents see the customer's name."""
        row = self.session.get(CustomerRow, customer_id)
        if row is not None:
            row.display_name = display_name
            self.session.flush()

    def link(self, customer_id: str, kind: str, value: str, verified: bool, source: Optional[str] = None) -> None:
        """Give ``customer_id`` the identity (moving it if another customer had it).

        Never downgrades a verified identity. Moving is only done by
        ``resolve`` after the linking rules allowed it.
        """
        row = self._identity_row(kind, value)
        if row is None:
            self.session.add(CustomerIdentityRow(
                customer_id=customer_id, kind=kind, value=value, verified=verified, source=source))
        else:
            row.customer_id = customer_id
            row.last_seen_at = utcnow()
            if verified and not Identity(row.kind, row.value, bool(row.verified), row.source).trusted:
                row.verified, row.source = True, source
        self.session.flush()

    def oldest_first(self, customer_ids: Iterable[str]) -> list[str]:
        """The existing ones of ``customer_ids``, oldest customer first (ties by id)."""
        rows = [row for row in (self.session.get(CustomerRow, cid) for cid in customer_ids) if row is not None]
        rows.sort(key=lambda r: (as_utc(r.created_at), r.id))
        return [row.id for row in rows]

    def merge(self, into_id: str, from_id: str) -> None:
        """``from_id`` was the same person as ``into_id``: one customer remains."""
        if into_id == from_id:
            return
        self.session.execute(
            update(CustomerIdentityRow).where(CustomerIdentityRow.customer_id == from_id)
            .values(customer_id=into_id).execution_options(synchronize_session=False)
        )
        self.session.execute(
            update(TicketRow).where(TicketRow.customer_id == from_id)
            .values(customer_id=into_id).execution_options(synchronize_session=False)
        )
        row = self.session.get(CustomerRow, from_id)
        if row is not None:
            self.session.delete(row)
        self.session.flush()
        self.session.expire_all()
        logger.info("customer %s merged into %s", from_id, into_id)

    def latest_progress_conversation(self, conversation_ids: Iterable[str], flow: str) -> Optional[str]:
        """The conversation whose ``flow`` progress changed last, among ``conversation_ids``."""
        ids = list(conversation_ids)
        if not ids:
            return None
        stmt = (
            select(TroubleshootingProgressRow.conversation_id)
            .where(TroubleshootingProgressRow.conversation_id.in_(ids), TroubleshootingProgressRow.flow == flow)
            .order_by(TroubleshootingProgressRow.updated_at.desc(), TroubleshootingProgressRow.id.desc())
            .limit(1)
        )
        return self.session.execute(stmt).scalar_one_or_none()

    def recent_events(self, conversation_ids: Iterable[str], since: datetime) -> dict[str, list[dict]]:
        """User and bot events of these conversations from Rasa's tracker store
        (table ``events`` of ``SQLTrackerStore`` in the same database), oldest first."""
        ids = list(conversation_ids)
        if not ids or not inspect(self.session.get_bind()).has_table("events"):
            return {}
        stmt = text(
            "SELECT sender_id, data FROM events WHERE sender_id IN :ids AND type_name IN ('user', 'bot') "
            "AND timestamp >= :since ORDER BY timestamp, id"
        ).bindparams(bindparam("ids", expanding=True))
        out: dict[str, list[dict]] = {}
        for sender_id, data in self.session.execute(stmt, {"ids": ids, "since": since.timestamp()}):
            try:
                event = json.loads(data)
            except (TypeError, ValueError):
                continue
            out.setdefault(sender_id, []).append(event)
        return out


# --- what a conversation proves ---------------------------------------------------------

def _user_events(events: Iterable[dict]) -> list[dict]:
    return [e for e in events if e.get("event") == "user"]


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
    """
    evidence = Evidence()
    users = _user_events(events)
    # The newest signed token the client sent in this conversation, if valid now.
    token = next(
        ((e.get("metadata") or {}).get("customer_token") for e in reversed(users)
         if isinstance(e.get("metadata"), dict) and (e.get("metadata") or {}).get("customer_token")),
        None,
    )
    if token is not None:
        claims = verify_customer_token(token, secret)
        if claims is not None:
            evidence.add("web", claims.sub, "token")
            evidence.add("email", claims.email, "token")
            evidence.add("phone", claims.phone, "token")
            evidence.display_name = claims.name
    # The platform signed these requests; a REST client cannot claim them.
    if channel == "wechat":
        evidence.add("wechat", conversation_id, "wechat")
    if channel == "ivr":
        caller = next(
            ((e.get("metadata") or {}).get("caller") for e in reversed(users)
             if e.get("input_channel") == "ivr" and isinstance(e.get("metadata"), dict)
             and (e.get("metadata") or {}).get("caller")),
            None,
        )
        if isinstance(caller, str):
            phone = normalise_phone(caller)
            if E164.fullmatch(phone):
                evidence.add("phone", phone, "ivr")
    # A one-time code sent to the order's e-mail or phone came back: that contact is theirs.
    for proof in proofs:
        value = proof.destination.lower() if proof.kind == "email" else normalise_phone(proof.destination)
        evidence.add(proof.kind, value, "order_contact")
        if evidence.display_name is None:
            evidence.display_name = proof.customer_name
    return evidence


def resolve(uow: Any, conversation_id: str, channel: str, evidence: Evidence) -> Optional[Customer]:
    """Find or create the customer of this conversation (flushes; the caller commits)."""
    repo: SqlAlchemyCustomerRepository = uow.customers
    conversation_kind = CONVERSATION_KINDS.get(channel, "rest_sender")
    if evidence.facts:
        owners: list[str] = []
        for fact in evidence.facts:
            found = repo.find(fact.kind, fact.value, verified_only=True)
            if found is not None and found.customer_id not in owners:
                owners.append(found.customer_id)
        if owners:
            customer_id, *others = repo.oldest_first(owners)
            for other in others:  # a shared verified fact: the same person
                repo.merge(customer_id, other)
        else:
            customer_id = repo.create(evidence.display_name).customer_id
        for fact in evidence.facts:
            repo.link(customer_id, fact.kind, fact.value, verified=True, source=fact.source)
        current = repo.get(customer_id)
        if evidence.display_name and current is not None and not current.display_name:
            repo.set_display_name(customer_id, evidence.display_name)
    else:
        known = repo.find(conversation_kind, conversation_id)
        if known is None:
            return None
        customer_id = known.customer_id
    # Remember which customer this conversation belongs to (never used to link).
    repo.link(customer_id, conversation_kind, conversation_id, verified=conversation_kind == "wechat",
              source=channel)
    customer = repo.get(customer_id)
    return replace(customer, verification=evidence.verification) if customer is not None else None


def session_event(metadata: Optional[dict]) -> dict:
    """A user event standing for what a session's first message carried.

    ``metadata.channel`` is set server-side by our connectors (rest, ivr,
    wechat, webchat), overwriting anything a client sent; it is what lets
    ``evidence_of`` honour an IVR caller. Without it the channel is ``rest``:
    a client's word only.
    """
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    channel = metadata.get("channel") if isinstance(metadata.get("channel"), str) else "rest"
    return {"event": "user", "input_channel": channel, "metadata": metadata, "parse_data": {"entities": []}}


def passed_proofs(uow: Any, conversation_id: str, now: Optional[datetime] = None) -> list:
    """The one-time codes ``conversation_id`` passed recently (bot.customers.otp), as proofs for ``evidence_of``."""
    from bot.customers.otp import DEFAULT_LIMITS

    since = (now or utcnow()) - DEFAULT_LIMITS.proof_ttl
    return uow.codes.passed(conversation_id, since)


def owns_order(customer: Optional[Customer], order: Any) -> Optional[str]:
    """How the conversation that resolved ``customer`` proved it owns ``order``
    (its ``verification``: token | platform | order_contact), or None.

    The customer must have been reached through this conversation's own
    evidence (``customer.verification`` not ``none``: a conversation id
    merely remembered proves nothing), and one of their trusted verified
    identities must be the order's e-mail or phone: a token's claim, the IVR
    caller id, a contact proven by a code, or one such fact linked earlier to
    the same customer (their WeChat openid, another channel).
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


def related_conversations(uow: Any, customer: Optional[Customer], conversation_id: str,
                          now: Optional[datetime] = None) -> list[tuple[str, list[dict]]]:
    """The customer's other conversations with messages in the last 24 h, with those events."""
    if customer is None:
        return []
    others = [c for c in customer.conversation_ids if c != conversation_id]
    since = (now or utcnow()) - TRANSCRIPT_WINDOW
    events = uow.customers.recent_events(others, since)
    return [(c, events[c]) for c in others if events.get(c)]
