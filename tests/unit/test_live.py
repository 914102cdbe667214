"""The widget's live signals without servers (bot/channels/live.py): the read mark kept as ticket events,
what a ticket view shows as read, who may send "typing", the history's message ids and times."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from bot.channels import live
from bot.services import webchat as webchat_service
from bot.queue.tickets import TicketClosed, TicketNotFound
from bot.storage.uow import SqlAlchemyUnitOfWork
from bot.channels.webchat import history
from tests.unit.test_tickets import make_ticket


def at(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()


def test_what_a_ticket_view_shows_as_read():
    lines = [
        {"from": "customer", "text": "old, other chat", "at": at(500), "conversation_id": "other"},
        {"from": "customer", "text": "hi", "at": at(100), "conversation_id": "c1"},
        {"from": "bot", "text": "hello", "at": at(900), "conversation_id": "c1"},
        {"from": "customer", "text": "filed on the ticket", "at": at(300)},  # a live line: the ticket's own
        {"from": "agent", "text": "on it", "at": at(950)},
        {"from": "customer", "text": "bad time", "at": "yesterday"},
    ]
    assert live.newest_customer_message("c1", lines) == 300
    assert live.newest_customer_message("c1", lines[2:3]) is None  # no customer line: nothing read
    assert live.shows_receipts("web") and live.shows_receipts("webchat")
    assert not live.shows_receipts("wechat") and not live.shows_receipts("ivr") and not live.shows_receipts(None)


def test_the_read_mark_moves_forward_only_and_is_in_the_status(uow):
    first = make_ticket(uow, "web-c1", state="closed")
    second = make_ticket(uow, "web-c1", state="queued")
    make_ticket(uow, "web-c2")  # another conversation: no read mark
    assert webchat_service.status(SqlAlchemyUnitOfWork(), "web-c1").get("read_up_to") is None
    assert webchat_service.record_read(SqlAlchemyUnitOfWork(), first.ticket_id, "web-c1", "alice", 100.5)
    assert webchat_service.record_read(SqlAlchemyUnitOfWork(), second.ticket_id, "web-c1", "bob", 200.25)
    assert not webchat_service.record_read(SqlAlchemyUnitOfWork(), first.ticket_id, "web-c1", "alice", 150)
    assert not webchat_service.record_read(SqlAlchemyUnitOfWork(), second.ticket_id, "web-c1", "bob", 200.25)
    status = webchat_service.status(SqlAlchemyUnitOfWork(), "web-c1")
    assert status["read_up_to"] == 200.25 and status["state"] == "queued"
    assert "read_up_to" not in webchat_service.status(SqlAlchemyUnitOfWork(), "web-c2")
    with SqlAlchemyUnitOfWork() as fresh:  # a viewed event is no message: the transcript is unchanged
        assert fresh.tickets.transcript(fresh.tickets.get(second.ticket_id)) == second.packet["transcript"]


def test_only_the_holder_of_a_ticket_with_them_may_signal_typing(uow):
    ticket = make_ticket(uow, "web-c3")
    with pytest.raises(webchat_service.NotTyping):  # queued: nobody holds it
        webchat_service.typing_ticket(SqlAlchemyUnitOfWork(), ticket.ticket_id, "alice")
    with uow:
        uow.tickets.claim(ticket.ticket_id, "alice")
        uow.commit()
    assert webchat_service.typing_ticket(SqlAlchemyUnitOfWork(), ticket.ticket_id, "alice").ticket_id == ticket.ticket_id
    with pytest.raises(webchat_service.NotTyping):
        webchat_service.typing_ticket(SqlAlchemyUnitOfWork(), ticket.ticket_id, "bob")
    with pytest.raises(TicketNotFound):
        webchat_service.typing_ticket(SqlAlchemyUnitOfWork(), "no-such-ticket", "alice")
    closed = make_ticket(uow, "web-c4", state="closed")
    with pytest.raises(TicketClosed):
        webchat_service.typing_ticket(SqlAlchemyUnitOfWork(), closed.ticket_id, "alice")


def test_signals_go_to_the_registered_channel_and_never_raise():
    got = []

    async def widget(conversation_id, event, data):
        got.append((conversation_id, event, data))
        return True

    async def broken(conversation_id, event, data):
        raise RuntimeError("socket gone")

    live.register_signaller("test-widget", widget)
    live.register_signaller("test-broken", broken)
    assert asyncio.run(live.signal("test-widget", "c1", live.READ, {"up_to": 1.0}))
    assert got == [("c1", "read", {"up_to": 1.0})]
    assert asyncio.run(live.signal("test-broken", "c1", live.AGENT_TYPING, {})) is False
    assert asyncio.run(live.signal("no-such-channel", "c1", live.READ, {})) is False


def test_history_gives_the_customers_messages_their_id_and_time():
    now = datetime.now(timezone.utc)
    events = [
        {"event": "user", "text": "hello", "timestamp": now.timestamp(), "metadata": {"message_id": "m-1"}},
        {"event": "user", "text": "no id", "timestamp": (now + timedelta(seconds=1)).timestamp(), "metadata": "junk"},
    ]
    shown = history(events, [])
    assert shown[0] == {"from": "user", "text": "hello", "timestamp": now.timestamp(), "message_id": "m-1"}
    assert "message_id" not in shown[1]


def test_a_ticket_view_moves_the_read_mark_and_tells_the_widget_once(uow):
    ticket = make_ticket(uow, "web-c5")
    view = {**ticket.queue_view(datetime.now(timezone.utc)), "channel": "web", "transcript": ticket.packet["transcript"]}
    told = []

    async def widget(conversation_id, event, data):
        told.append((conversation_id, event, data))
        return True

    live.register_signaller("webchat", widget)
    try:
        assert asyncio.run(webchat_service.agent_viewed(SqlAlchemyUnitOfWork, view, "alice"))
        assert not asyncio.run(webchat_service.agent_viewed(SqlAlchemyUnitOfWork, view, "bob"))  # nothing new
        assert not asyncio.run(webchat_service.agent_viewed(SqlAlchemyUnitOfWork, {**view, "channel": "wechat"}, "al"))
    finally:
        live._SIGNALLERS.pop("webchat", None)  # no widget in the other unit tests
    newest = live.newest_customer_message("web-c5", ticket.packet["transcript"])
    assert told == [("web-c5", "read", {"up_to": newest})]
    assert webchat_service.status(SqlAlchemyUnitOfWork(), "web-c5")["read_up_to"] == newest
