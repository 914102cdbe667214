"""Tickets, claims, agents and the outbox on a real SQLite file."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from bot.queue.agents import verify_password
from bot.handover.policy import Decision, EscalationConfig, load_config
from bot.handover.packet import build_packet
from bot.queue.tickets import ClaimConflict, TicketClosed, new_ticket_id
from tests.rows import RowsUnitOfWork

# a 24/7 team: the SLA clock starts at the hand-over whatever the hour the tests run at
ALWAYS_OPEN = EscalationConfig({**load_config().raw, "support_hours": {**load_config().raw["support_hours"],
                                                                       "always_open": True}})


def make_ticket(uow, conversation_id="c1", reason="customer_request", state="queued", minutes_ago=0):
    now = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    events = [{"event": "user", "text": "agent please", "timestamp": now.timestamp(), "input_channel": "rest",
               "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
    packet = build_packet(ticket_id=new_ticket_id(), conversation_id=conversation_id, events=events,
                          slots={"language": "en"}, decision=Decision(reason, "test"), config=ALWAYS_OPEN, now=now)
    with uow:
        ticket = uow.tickets.add(packet, state)
        uow.commit()
    return ticket


def test_queue_is_most_urgent_first_then_oldest(uow):
    plain_old = make_ticket(uow, "c1", "customer_request", minutes_ago=10)
    angry = make_ticket(uow, "c2", "negative_emotion", minutes_ago=1)
    plain_new = make_ticket(uow, "c3", "customer_request")
    with RowsUnitOfWork() as fresh:
        order = [t.ticket_id for t in fresh.tickets.waiting()]
        assert order == [angry.ticket_id, plain_old.ticket_id, plain_new.ticket_id]
        assert fresh.tickets.position(plain_new) == 3


def test_a_live_customers_place_counts_the_live_customers_ahead_not_the_call_backs(uow):
    """Fresh-user report 26 #7: three call-backs left overnight made the first live customer of the
    morning "number 4 in the queue". Call-backs are a list of their own: a queued customer's place counts
    the queued tickets ahead (more urgent, or as urgent and older) only."""
    night = [make_ticket(uow, f"night-{i}", "negative_emotion", state="callback", minutes_ago=600 - i)
             for i in range(3)]
    frank = make_ticket(uow, "frank", "customer_request")
    with RowsUnitOfWork() as fresh:
        assert fresh.tickets.position(frank) == 1
        assert {t.ticket_id for t in fresh.tickets.waiting()} >= {t.ticket_id for t in night}  # still waiting
    earlier = make_ticket(uow, "earlier", "customer_request", minutes_ago=2)
    urgent = make_ticket(uow, "urgent", "negative_emotion")  # more urgent, though newer
    with RowsUnitOfWork() as fresh:
        assert fresh.tickets.position(frank) == 3
        assert fresh.tickets.position(fresh.tickets.get(urgent.ticket_id)) == 1
        assert fresh.tickets.position(fresh.tickets.get(earlier.ticket_id)) == 2
        fresh.tickets.claim(earlier.ticket_id, "alice")  # served: no longer ahead
        fresh.commit()
    with RowsUnitOfWork() as fresh:
        assert fresh.tickets.position(frank) == 2


def test_the_first_live_customer_of_the_morning_is_number_one_after_a_night_of_call_backs(uow):
    """The report's scenario through the hand-over service on the SQL database: three customers ask for a
    person at night (call-backs), an agent is online in the morning, and the first live customer hears
    place 1 and one handling time of wait, not "number 4" and four."""
    from bot.services.handover import Conversation, hand_over
    from tests.unit.test_sla_clock import NIGHT, SHANGHAI, utc

    def ask(conversation_id, now):
        events = [{"event": "user", "text": "I want a person", "timestamp": now.timestamp(), "input_channel": "rest",
                   "parse_data": {"intent": {"name": "request_human"}, "entities": []}}]
        conversation = Conversation(conversation_id, events, {"language": "en"}, latest_text="I want a person",
                                    latest_channel="rest")
        return hand_over(RowsUnitOfWork(), conversation, Decision("customer_request", "asked"), SHANGHAI, now=now)

    with RowsUnitOfWork() as setup:
        setup.agents.upsert("alice", "pass-word-1", "Alice")
        setup.agents.issue_token("alice")  # seen now: online at every moment of this test
        setup.commit()
    night = [ask(f"night-{i}", NIGHT + timedelta(minutes=i)) for i in range(3)]
    assert [h.ticket.state for h in night] == ["callback"] * 3
    morning = utc(2026, 11, 26, 1, 30)  # Thursday 09:30 Shanghai: open
    frank = ask("frank", morning)
    assert frank.ticket.state == "queued"
    assert (frank.position, frank.wait_s) == (1, SHANGHAI.file.estimated_handle_s)
    second = ask("grace", morning + timedelta(minutes=1))
    assert second.position == 2


def test_sla_breach_is_reported(uow):
    ticket = make_ticket(uow, minutes_ago=30)
    view = ticket.queue_view(datetime.now(timezone.utc))
    assert view["sla_breached"] is True and view["waiting_s"] >= 1800


def test_claim_once_then_conflict_for_another_agent(uow):
    ticket = make_ticket(uow)
    with RowsUnitOfWork() as a:
        assert a.tickets.claim(ticket.ticket_id, "alice").assigned_to == "alice"
        a.commit()
    with RowsUnitOfWork() as b, pytest.raises(ClaimConflict) as conflict:
        b.tickets.claim(ticket.ticket_id, "bob")
    assert conflict.value.holder == "alice" and str(conflict.value) == f"ticket {ticket.ticket_id} is held by alice"
    with RowsUnitOfWork() as a:  # claiming your own ticket again is fine
        assert a.tickets.claim(ticket.ticket_id, "alice").state == "with_agent"


def test_claiming_an_abandoned_ticket_names_no_holder(uow):
    ticket = make_ticket(uow)
    with RowsUnitOfWork() as a:
        a.tickets.set_state(ticket.ticket_id, "abandoned")
        a.commit()
    with RowsUnitOfWork() as b, pytest.raises(ClaimConflict) as conflict:
        b.tickets.claim(ticket.ticket_id, "bob")
    assert conflict.value.holder is None
    assert str(conflict.value) == f"ticket {ticket.ticket_id} is not waiting to be claimed (nobody holds it)"


def test_concurrent_claims_one_winner(uow):
    ticket = make_ticket(uow)
    winners, conflicts = [], []
    barrier = threading.Barrier(5)

    def claim(name):
        barrier.wait()
        with RowsUnitOfWork() as unit:
            try:
                unit.tickets.claim(ticket.ticket_id, name)
                unit.commit()
                winners.append(name)
            except ClaimConflict:
                conflicts.append(name)

    threads = [threading.Thread(target=claim, args=(f"agent{i}",)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1 and len(conflicts) == 4
    with RowsUnitOfWork() as fresh:
        assert fresh.tickets.get(ticket.ticket_id).assigned_to == winners[0]


def test_close_and_rate(uow):
    ticket = make_ticket(uow)
    with RowsUnitOfWork() as unit:
        unit.tickets.claim(ticket.ticket_id, "alice")
        unit.tickets.add_event(ticket.ticket_id, "message", "alice", "Hello, I'm Alice", {"from": "agent"})
        unit.tickets.close(ticket.ticket_id, "alice", "resolved")
        unit.tickets.rate(ticket.ticket_id, 5)
        unit.commit()
    with RowsUnitOfWork() as fresh:
        closed = fresh.tickets.get(ticket.ticket_id)
        assert closed.state == "closed" and closed.disposition == "resolved"
        assert fresh.tickets.transcript(closed)[-1]["text"] == "Hello, I'm Alice"
        metrics = fresh.tickets.metrics(datetime.now(timezone.utc), conversations_total=4)
        assert metrics["csat_average"] == 5 and metrics["containment_rate"] == 0.75
        assert metrics["escalations_by_reason"] == {"customer_request": 1}
        with pytest.raises(TicketClosed):
            fresh.tickets.close(ticket.ticket_id, "alice", "resolved")


def test_agents_hashed_passwords_and_expiring_tokens(uow):
    with uow:
        uow.agents.upsert("demo", "s3cret-pass", "Demo Agent")
        uow.commit()
    with RowsUnitOfWork() as unit:
        assert unit.agents.authenticate("demo", "wrong") is None
        assert unit.agents.authenticate("nobody", "s3cret-pass") is None
        agent = unit.agents.authenticate("demo", "s3cret-pass")
        token = unit.agents.issue_token(agent.username)
        unit.commit()
        from bot.storage.db import AgentRow
        stored = unit.get(AgentRow, "demo").password_hash
        assert "s3cret-pass" not in stored and verify_password("s3cret-pass", stored)
    with RowsUnitOfWork() as unit:
        assert unit.agents.agent_for_token(token).username == "demo"
        assert unit.agents.agent_for_token(token, datetime.now(timezone.utc) + timedelta(hours=9)) is None
        assert unit.agents.agent_for_token("forged") is None
        assert unit.agents.online_count() == 1


def test_outbox_hands_each_message_over_once(uow):
    with uow:
        uow.outbox.add("c1", "rest", [{"text": "one"}, {"text": "two"}])
        uow.commit()
    with RowsUnitOfWork() as unit:
        assert [m["text"] for m in unit.outbox.take_pending("c1")] == ["one", "two"]
        unit.commit()
    with RowsUnitOfWork() as unit:
        assert unit.outbox.take_pending("c1") == []
