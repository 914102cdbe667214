"""One open ticket per conversation, enforced by the database (issue 13)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from bot.storage.db import TicketRow
from bot.queue.tickets import SqlAlchemyTicketRepository, TicketAlreadyOpen
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import responses, run_action
from bot.handover.handover_dialogue import CALLBACK_IN_CHAT


def test_two_hand_overs_racing_for_one_conversation_open_one_ticket(database_url, tracker_from, monkeypatch,
                                                                   outside_support_hours):
    # Both turns read "no open ticket" before either inserts: the race two servers (or
    # a retried turn) run into. The database's index lets one insert through.
    both_checked = threading.Barrier(2, timeout=30)
    original = SqlAlchemyTicketRepository.open_for_conversation
    calls = threading.local()

    def open_for_conversation(self, conversation_id):
        found = original(self, conversation_id)
        if not getattr(calls, "done", False):
            calls.done = True
            both_checked.wait()
        return found

    monkeypatch.setattr(SqlAlchemyTicketRepository, "open_for_conversation", open_for_conversation)
    dispatchers = [CollectingDispatcher(), CollectingDispatcher()]

    def hand_over(dispatcher):
        return run_action(ActionHandoff(), dispatcher, tracker_from("request_human_zh"), {})

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(hand_over, dispatchers))

    with SqlAlchemyUnitOfWork() as uow:
        [ticket] = uow.tickets.for_conversation("fx-human-zh")
    for events in results:
        assert SlotSet("ticket_id", ticket.ticket_id) in events
    # One turn opened it, the other filed its message on it.
    # (the call-back after hours, with no number or address: the answer comes in this chat)
    assert sorted(d.messages[-1].get("response") or d.messages[-1]["text"] for d in dispatchers) == sorted(
        ["utter_handoff_already_open", CALLBACK_IN_CHAT[False]["zh"]])


def test_the_index_refuses_a_second_open_ticket_but_not_a_closed_one(database_url):
    now = datetime.now(timezone.utc)

    def packet(ticket_id):
        return {"ticket_id": ticket_id, "conversation_id": "c-index", "channel": "rest", "language": "en",
                "priority": 3, "reason": {"code": "customer_request"}, "skills": [], "summary": "s",
                "created_at": now.isoformat(), "sla": {"due_at": (now + timedelta(hours=1)).isoformat()}}

    with SqlAlchemyUnitOfWork() as uow:
        uow.tickets.add(packet("T1"), "queued")
        uow.commit()
    with SqlAlchemyUnitOfWork() as uow:
        with pytest.raises(TicketAlreadyOpen) as raised:
            uow.tickets.add(packet("T2"), "callback")
        assert raised.value.ticket.ticket_id == "T1"
    with SqlAlchemyUnitOfWork() as uow:
        uow.tickets.close("T1", "alice", "resolved")
        uow.commit()
    with SqlAlchemyUnitOfWork() as uow:
        uow.tickets.add(packet("T3"), "queued")  # the conversation's earlier ticket is closed
        uow.commit()
        states = {t.ticket_id: t.state for t in uow.tickets.for_conversation("c-index")}
    assert states == {"T1": "closed", "T3": "queued"}
    assert TicketRow.__table__.indexes  # the index is part of the model (autogenerate sees it)
