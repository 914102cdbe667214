"""Tickets at known times for the supervisor view (issue 14 "Supervisors"): the API test,
the browser test and ``scripts/screenshots.py`` seed the same situation.

Right now: 3 people waiting (42, 20 and 3 minutes; the first two past their
SLA), 1 ticket with an agent. In the last 24 hours, 8 tickets created: 4 past
their SLA, 1 abandoned; agent1 closed 2 (handle 10 and 5 min, CSAT 5 and 3),
agent2 closed 1 (handle 15 min, CSAT 4). Three days ago agent2 closed one more
(CSAT 1), outside the default period.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from bot.storage.db import TicketRow
from bot.text import to_utc
from tests.integration.test_desk_queue import packet

# name: (state, channel, language, priority, age (min), SLA due after creation (min), reason, summary,
#        agent, wait (s, creation to claim or end), handle (s, claim to close), CSAT)
SUPERVISOR_TICKETS = {
    "S1": ("queued", "web", "en", 2, 42, 1, "customer_request", "Parcel QX-100002 is a week late",
           None, None, None, None),
    "S2": ("queued", "wechat", "zh", 1, 20, 5, "negative_emotion", "退款一直没有到账，客户很生气",
           None, None, None, None),
    "S3": ("queued", "web", "en", 3, 3, 10, "nlu_failure", "Question about a gift voucher",
           None, None, None, None),
    "H1": ("with_agent", "web", "zh", 2, 30, 10, "complex_intent", "账单争议", "agent1", 300, None, None),
    "D1": ("closed", "web", "en", 2, 180, 5, "customer_request", "Change of delivery address",
           "agent1", 120, 600, 5),
    "D2": ("closed", "rest", "en", 3, 120, 1, "customer_request", "Voucher did not apply",
           "agent1", 30, 300, 3),
    "D3": ("closed", "wechat", "zh", 1, 60, 1, "negative_emotion", "商品破损", "agent2", 600, 900, 4),
    "X1": ("abandoned", "ivr", "en", 2, 50, 1, "no_input", "Caller hung up in the queue",
           None, 240, None, None),
    "Z1": ("closed", "web", "en", 3, 3 * 24 * 60, 1, "customer_request", "Old question about returns",
           "agent2", 60, 1200, 1),
}


# The waiting tickets' summaries in both desk languages (as the hand-over writes them since issue 14):
# an agent's lists show the one in their language.
SUMMARIES = {
    "S1": {"en": "Parcel QX-100002 is a week late", "zh": "包裹 QX-100002 迟到了一周"},
    "S2": {"en": "The refund has still not arrived; the customer is angry", "zh": "退款一直没有到账，客户很生气"},
    "S3": {"en": "Question about a gift voucher", "zh": "咨询礼品券"},
}


def sup_id(name: str) -> str:
    """The ticket id of a ``SUPERVISOR_TICKETS`` name (the desk's ``T`` + 12 hex digits)."""
    return "T" + ("5" + name.encode().hex().upper()).rjust(12, "0")


def seed_supervisor_tickets(unit_of_work: Callable, now: datetime) -> None:
    """Store ``SUPERVISOR_TICKETS`` as if created ``age`` minutes before ``now`` (aware, UTC).

    ``unit_of_work``: makes a unit of work on the database to seed, with row access
    (``tests.rows.RowsUnitOfWork``: its ``execute`` sets the times). Claims,
    closes and ratings go through the ticket repository; their times are then
    set to the table's known values.
    """
    tickets = TicketRow.__table__
    with unit_of_work() as uow:
        for name, spec in SUPERVISOR_TICKETS.items():
            state, channel, language, priority, age, due, reason, summary = spec[:8]
            p = packet(sup_id(name), channel, language, priority, age, due, summary, reason=reason)
            created = now - timedelta(minutes=age)
            p["created_at"] = created.isoformat()
            p["sla"]["due_at"] = (created + timedelta(minutes=due)).isoformat()
            p["conversation_id"] = f"sup-{name}"
            if name in SUMMARIES:
                p["summaries"] = SUMMARIES[name]
            uow.tickets.add(p, "queued", customer_id=None)
        uow.commit()
    with unit_of_work() as uow:
        for name, spec in SUPERVISOR_TICKETS.items():
            state, age, agent, wait, handle, csat = spec[0], spec[4], *spec[8:]
            if agent:
                uow.tickets.claim(sup_id(name), agent)
            if state == "closed":
                uow.tickets.close(sup_id(name), agent, "resolved")
            if state == "abandoned":
                uow.tickets.set_state(sup_id(name), "abandoned")
            if csat:
                uow.tickets.rate(sup_id(name), csat)
            created = to_utc(now - timedelta(minutes=age))
            values = {"created_at": created, "wait_s": wait, "handle_s": handle}
            if agent:
                values["claimed_at"] = created + timedelta(seconds=wait)
            if state in ("closed", "abandoned"):
                values["closed_at"] = created + timedelta(seconds=wait + (handle or 0))
            uow.execute(tickets.update().where(tickets.c.id == sup_id(name)).values(**values))
        uow.commit()
