"""A typed reply on a phone ticket: refused while the caller is on the line, taken once the call became a
call-back (session 46: the desk disabled typing on every claimed phone ticket, so an answer to a message the
caller left to be answered by text could not be written)."""
import asyncio

import pytest

from bot.services import tickets as tickets_service
from bot.services import waiting
from bot.services.delivery import reply_and_deliver
from bot.handover.policy import load_config
from bot.text import utcnow
from tests.rows import RowsUnitOfWork
from tests.unit.test_waiting import FakeNotifier, _ticket


def _claimed(ticket_id):
    with RowsUnitOfWork() as work:
        work.tickets.claim(ticket_id, "alice")
        work.commit()
        return work.tickets.get(ticket_id)


def _desk_view(ticket_id):
    from bot.services import desk

    return desk.ticket_view(RowsUnitOfWork(), ticket_id, utcnow())


def test_a_caller_on_the_line_gets_no_typed_reply(uow):
    ticket_id = _ticket(uow, channel="ivr")
    _claimed(ticket_id)
    assert _desk_view(ticket_id)["live_call"] is True
    with pytest.raises(tickets_service.LiveCallReply, match="talk to them"):
        asyncio.run(reply_and_deliver(RowsUnitOfWork, ticket_id, "alice", "Alice", "Your refund is on its way"))
    with RowsUnitOfWork() as check:
        assert check.outbox.take_pending(f"conv-{ticket_id}") == []
        assert [e["from"] for e in check.tickets.transcript(check.tickets.get(ticket_id))] == []


def test_a_message_left_on_the_phone_is_answered_by_text_after_the_claim(uow):
    ticket_id = _ticket(uow, channel="ivr")
    conversation = f"conv-{ticket_id}"
    waiting.record_offer(RowsUnitOfWork(), ticket_id, 3000)
    for said in ("3", "my refund never came"):  # leave a message, answered by a text to the caller id
        assert waiting.answer(RowsUnitOfWork(), conversation, said, "ivr", load_config(),
                              caller="+8613800138000") is not None
    claimed = _claimed(ticket_id)
    assert claimed.state == "with_agent" and _desk_view(ticket_id)["live_call"] is False
    assert _desk_view(ticket_id)["typed_reply_blocked"] is None

    sent = asyncio.run(reply_and_deliver(RowsUnitOfWork, ticket_id, "alice", "Alice", "Refunded today",
                                         FakeNotifier(RowsUnitOfWork)))

    assert sent["notified"] == "sms"
    with RowsUnitOfWork() as check:
        [note] = check.notifications.latest(to="+8613800138000")
    assert "Refunded today" in note.body


def test_a_call_back_made_at_the_hand_over_is_no_live_call_and_is_answered_by_calling(uow):
    ticket_id = _ticket(uow, state="callback", channel="ivr")
    _claimed(ticket_id)
    view = _desk_view(ticket_id)
    assert view["live_call"] is False and view["typed_reply_blocked"] == "phone"
    with pytest.raises(tickets_service.LiveCallReply, match="call them back"):
        asyncio.run(reply_and_deliver(RowsUnitOfWork, ticket_id, "alice", "Alice", "I'll call you at 3"))


def test_a_caller_who_hangs_up_on_the_agent_is_no_live_call_any_more(uow):
    ticket_id = _ticket(uow, channel="ivr", conversation_id="ivr-hung-up")
    _claimed(ticket_id)
    assert waiting.abandon_hung_up(RowsUnitOfWork(), "ivr-hung-up") is None  # the agent keeps the ticket
    view = _desk_view(ticket_id)
    assert (view["state"], view["live_call"], view["typed_reply_blocked"]) == ("with_agent", False, "phone")
    assert [h["kind"] for h in view["history"]][-1] == "call_ended"


def test_a_chat_ticket_is_never_blocked(uow):
    ticket_id = _ticket(uow, channel="web")
    _claimed(ticket_id)
    assert _desk_view(ticket_id)["typed_reply_blocked"] is None
