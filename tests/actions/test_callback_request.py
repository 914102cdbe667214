"""Fresh-user report 4: "Can someone call me back on 13900139000 about my order QX-100001?" / "请给我回电，
13800138000" was queued as a chat ("A colleague will reply right here") and later offered "Call me back" again.
An explicit call-back request with a number is a call-back on that number, whoever is online."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.handoff import ActionHandoff
from bot.storage.db import TicketEventRow
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.actions.conftest import run_action
from tests.rows import RowsUnitOfWork


def _asking(tracker, text):
    tracker.latest_message["text"] = text
    tracker.events[-1]["text"] = tracker.events[-1]["parse_data"]["text"] = text
    return tracker


def _callback_phones(ticket_id):
    with RowsUnitOfWork() as uow:
        return [e.data["phone"] for e in uow.execute(select(TicketEventRow).where(
            TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == "callback")).scalars()]


@pytest.mark.parametrize("language,text,phone,told", [
    ("en", "Can someone call me back on 13900139000 about my order QX-100001?", "+8613900139000",
     "a colleague will call you back on +8613900139000"),
    ("zh", "请给我回电，13800138000", "+8613800138000", "拨打 +8613800138000 给您回电"),
])
def test_an_explicit_call_back_request_with_a_number_is_a_call_back_on_it(
        database_url, always_open, agent_online, tracker_from, dispatcher, language, text, phone, told):
    tracker = _asking(tracker_from("request_human_zh", language=language), text)
    events = run_action(ActionHandoff(), dispatcher, tracker, {})
    assert SlotSet("handoff_state", "callback") in events
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert told in said and "reply right here" not in said and "在这里直接回复" not in said
    with SqlAlchemyUnitOfWork() as uow:
        ticket = uow.tickets.open_for_conversation(tracker.sender_id)
    assert ticket.state == "callback" and ticket.packet["intake"]["phone"] == phone
    assert _callback_phones(ticket.ticket_id) == [phone]


def test_a_call_back_request_on_a_premium_rate_number_is_told_so_and_queued(
        database_url, always_open, agent_online, tracker_from, dispatcher):
    tracker = _asking(tracker_from("request_human_zh", language="en"), "Please call me back on +1 900 555 0100")
    events = run_action(ActionHandoff(), dispatcher, tracker, {})
    assert SlotSet("handoff_state", "queued") in events
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "+19005550100 is a premium-rate" in said and "answer 1 to keep waiting" not in said
    with SqlAlchemyUnitOfWork() as uow:
        ticket = uow.tickets.open_for_conversation(tracker.sender_id)
    assert ticket.state == "queued" and _callback_phones(ticket.ticket_id) == []
