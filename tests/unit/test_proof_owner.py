"""A one-time code proves an order's contact for whoever wrote when it was passed (session 46's attacker): on a
shared computer, a code one person passed must not link, and merge, their record into the next person's, whose
chats their tickets would then follow. And a ticket never moves onto a chat that has an open ticket of its own, in
the database too."""
from datetime import datetime, timezone

import pytest

from bot.customers.evidence import evidence_of
from bot.customers.otp import Proof
from bot.queue.tickets import TicketAlreadyOpen
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.unit.test_customers import SECRET, token, user
from tests.unit.test_tickets import make_ticket


def at(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc)


def said(seconds, sub=None):
    event = user("hi", metadata={"customer_token": token(sub=sub)} if sub else None)
    return {**event, "timestamp": seconds}


PROOF = Proof("QX-100002", "email", "li.na@example.com", "Li Na", at(1_000_150))


def contacts(events):
    return {(f.kind, f.value, f.source) for f in evidence_of("kiosk", "rest", events, [PROOF], SECRET).facts}


@pytest.mark.parametrize("events", [
    [said(1_000_100, "victim"), said(1_000_200, "attacker")],  # another person signed in since
    [said(1_000_100), said(1_000_200, "attacker")],  # passed anonymously, someone signed in since
    # passed while signed in, and the next message has no token (signed out, or the next person on a shared
    # computer): it proved the contact for the token's person, not for whoever writes unsigned now (session 48;
    # before, an earlier token counted as "signed in now", so it counted, and linked them to that person's record)
    [said(1_000_100, "victim"), said(1_000_200)],
])
def test_a_code_passed_by_someone_else_proves_nothing_for_who_writes_now(events):
    assert ("email", "li.na@example.com", "order_contact") not in contacts(events)


@pytest.mark.parametrize("events", [
    [said(1_000_100, "victim"), said(1_000_200, "victim")],  # the same person throughout
    [said(1_000_100), said(1_000_200)],  # nobody signed in: the one who passed it writes on
    # a signed-in person signed out, then passed it: it is theirs, who writes unsigned now
    [said(1_000_100, "victim"), said(1_000_140), said(1_000_200)],
])
def test_a_code_passed_by_who_writes_now_still_proves_the_contact(events):
    assert ("email", "li.na@example.com", "order_contact") in contacts(events)


def test_the_database_refuses_a_move_onto_a_chat_with_its_own_open_ticket(uow):
    moving = make_ticket(uow, "sql-follow-a")
    make_ticket(uow, "sql-follow-b")
    with SqlAlchemyUnitOfWork() as work, pytest.raises(TicketAlreadyOpen):
        work.tickets.continue_on(moving.ticket_id, "sql-follow-b", "rest")
    with SqlAlchemyUnitOfWork() as check:
        assert check.tickets.get(moving.ticket_id).conversation_id == "sql-follow-a"


def test_a_session_starts_token_never_vouches_for_a_code_passed_before_it():
    """A fresh reviewer (session 46): the session start reads a stand-in for its first message, with no time; it
    counted as signed in at any moment, so every code passed on a shared chat counted for the next person."""
    from bot.customers.evidence import session_event

    opening = session_event({"channel": "rest", "customer_token": token(sub="attacker")})
    assert ("email", "li.na@example.com", "order_contact") not in contacts([opening])
    assert ("email", "li.na@example.com", "order_contact") in contacts([session_event({"channel": "rest"})])


def test_the_hand_back_rates_the_ticket_that_closed_last_not_the_newest(uow):
    """A fresh reviewer (session 46): a ticket that followed the customer here can be older than one already closed
    here; the rating went to the wrong one."""
    from bot.services import tickets as tickets_service
    from tests.rows import RowsUnitOfWork

    older = make_ticket(uow, "rate-last-a", minutes_ago=40)
    newer = make_ticket(uow, "rate-last-b", minutes_ago=30)
    with RowsUnitOfWork() as work:
        work.tickets.close(newer.ticket_id, "alice", "resolved", override=True)
        work.tickets.continue_on(older.ticket_id, "rate-last-b", "rest")
        work.commit()
    with RowsUnitOfWork() as work:
        work.tickets.close(older.ticket_id, "alice", "resolved", override=True)
        work.commit()
    assert tickets_service.latest_ticket_id(RowsUnitOfWork(), "rate-last-b") == older.ticket_id


def test_only_the_latest_messages_token_proves_who_writes():
    """Session 48: a chat that was signed in, written to again without a token (signed out, a shared computer's
    next person), proves nobody: before, the earlier token still counted until it expired, so whoever wrote next
    was "signed in" as that customer (their orders; the packet's ``verification: token``)."""
    signed = evidence_of("kiosk", "rest", [said(1_000_100, "victim")], (), SECRET)
    assert signed.verification == "token" and ("web", "victim", "token") in {
        (f.kind, f.value, f.source) for f in signed.facts}
    later = evidence_of("kiosk", "rest", [said(1_000_100, "victim"), said(1_000_200)], (), SECRET)
    assert later.verification == "none" and later.facts == []
    again = evidence_of("kiosk", "rest", [said(1_000_100, "victim"), said(1_000_200), said(1_000_300, "victim")],
                        (), SECRET)
    assert again.verification == "token"
