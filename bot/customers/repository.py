"""Customers and their identities in SQL (``customers``, ``customer_identities``), and the
transcripts of their conversations read from Rasa's tracker store (table ``events``)."""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Iterable, Optional

from sqlalchemy import bindparam, inspect, select, text, update
from sqlalchemy.orm import Session

from bot.customers.model import Customer, Identity, new_customer_id
from bot.storage.db import CustomerIdentityRow, CustomerRow, TicketRow, TroubleshootingProgressRow, as_utc, utcnow
from bot.storage.repositories import CustomerRepository

logger = logging.getLogger(__name__)


class SqlAlchemyCustomerRepository(CustomerRepository):
    """Customers and their identities on the unit of work's session; reads Rasa's ``events`` table for transcripts."""
    def __init__(self, session: Session) -> None:
        self.session = session

    def _identity_row(self, kind: str, value: str) -> Optional[CustomerIdentityRow]:
        stmt = select(CustomerIdentityRow).where(CustomerIdentityRow.kind == kind, CustomerIdentityRow.value == value)
        return self.session.execute(stmt).scalar_one_or_none()

    def get(self, customer_id: str) -> Optional[Customer]:
        """The customer with this id and all their identities, or None.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
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
        """The customer owning identity (``kind``, ``value``), or None (only verified ones if asked).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self._identity_row(kind, value)
        if row is None:
            return None
        if verified_only and not Identity(row.kind, row.value, bool(row.verified), row.source).trusted:
            return None
        return self.get(row.customer_id)

    def create(self, display_name: Optional[str] = None) -> Customer:
        """A new customer (flushed, not committed).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = CustomerRow(id=new_customer_id(), display_name=display_name)
        self.session.add(row)
        self.session.flush()
        return Customer(row.id, row.display_name)

    def set_display_name(self, customer_id: str, display_name: str) -> None:
        """Set how agents see the customer's name.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        row = self.session.get(CustomerRow, customer_id)
        if row is not None:
            row.display_name = display_name
            self.session.flush()

    def link(self, customer_id: str, kind: str, value: str, verified: bool, source: Optional[str] = None) -> None:
        """Give ``customer_id`` the identity (moving it if another customer had it).

        Never downgrades a verified identity. Moving is only done by
        ``resolve`` after the linking rules allowed it.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
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
        """The existing ones of ``customer_ids``, oldest customer first (ties by id).

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
        rows = [row for row in (self.session.get(CustomerRow, cid) for cid in customer_ids) if row is not None]
        rows.sort(key=lambda r: (as_utc(r.created_at), r.id))
        return [row.id for row in rows]

    def merge(self, into_id: str, from_id: str) -> None:
        """``from_id`` was the same person as ``into_id``: one customer remains.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
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
        """The conversation whose ``flow`` progress changed last, among ``conversation_ids``.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
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
        (table ``events`` of ``SQLTrackerStore`` in the same database), oldest first.

        The contract (Args, Returns, Raises): ``bot.storage.repositories``.
        """
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
