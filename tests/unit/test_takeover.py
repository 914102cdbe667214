"""Claim, transfer and close-and-hand-back as services (bot.services.takeover), with a fake Rasa server."""
import asyncio
from dataclasses import replace

import pytest

from bot.domain import TicketState
from bot.queue.tickets import ClaimConflict
from bot.services import takeover
from bot.services import tickets as tickets_service
from bot.storage.fakes import FakeUnitOfWork
from bot.storage.uow import SqlAlchemyUnitOfWork
from tests.unit.test_desk_tools import agents, held_by  # noqa: F401 (fixture)
from tests.unit.test_services import always_open
from tests.unit.test_tickets import make_ticket
from tests.rows import RowsUnitOfWork


class FakeAssistant:
    """What the desk's RasaServer does, recorded: hand-over states written and actions run."""

    def __init__(self, says=(), fails=False):
        self.states, self.actions, self.says, self.fails = [], [], list(says), fails

    async def set_handoff_state(self, conversation_id, state):
        self.states.append((conversation_id, state))

    async def run_action(self, conversation_id, action):
        self.actions.append((conversation_id, action))
        if self.fails:
            raise RuntimeError("the Rasa server is gone")
        return self.says


def delivered(uow):
    return [(m["conversation_id"], m["message"]) for m in uow.outbox.messages]


def test_claim_writes_with_agent_to_the_tracker_and_tells_the_customer_in_their_language():
    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "c1")
    uow.tickets.tickets[ticket.ticket_id] = replace(ticket, language="zh")
    assistant = FakeAssistant()

    claimed = asyncio.run(takeover.claim_and_announce(lambda: uow, assistant, ticket.ticket_id, "ann", "Ann"))

    assert (claimed.state, claimed.assigned_to) == (TicketState.WITH_AGENT, "ann")
    assert assistant.states == [("c1", TicketState.WITH_AGENT)]
    assert delivered(uow) == [("c1", {"text": "客服Ann已接入，将为您继续处理。",
                                      "custom": {"from": "system", "agent": "Ann"}})]


EVIL_NAME = "**URGENT** [verify card](https://evil.example/x)"
EVIL_SHOWN = r"\*\*URGENT\*\* \[verify card\](https:\/\/evil.example/x)"


@pytest.mark.parametrize("language, words", [
    ("en", EVIL_SHOWN + " from our support team has joined the chat."),
    ("zh", "客服" + EVIL_SHOWN + "已接入，将为您继续处理。"),
])
def test_the_agent_name_in_the_joined_line_is_literal_text_not_markdown(language, words):
    """Fresh-user report 26 #1: a display name with ``**…**`` or a link became bold text and a clickable
    link inside the customer's system line; it is escaped like every other echoed value."""
    from bot.text import markdown_to_text

    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "c1")
    uow.tickets.tickets[ticket.ticket_id] = replace(ticket, language=language)

    asyncio.run(takeover.claim_and_announce(lambda: uow, FakeAssistant(), ticket.ticket_id, "mallory", EVIL_NAME))

    [(_, message)] = delivered(uow)
    assert message == {"text": words, "custom": {"from": "system", "agent": EVIL_NAME}}
    assert EVIL_NAME in markdown_to_text(message["text"])  # what a text-only channel shows: the name as typed


def test_a_transfer_to_an_agent_names_them_as_literal_text(uow, agents):  # noqa: F811
    with RowsUnitOfWork() as u:
        u.agents.upsert("mallory", "pass-word-1", EVIL_NAME, "agent", ["en"])
        u.commit()
    ticket_id = held_by(uow, "ann", "c8")

    asyncio.run(takeover.transfer_and_announce(SqlAlchemyUnitOfWork, FakeAssistant(), ticket_id, "ann", False,
                                               "mallory"))

    with SqlAlchemyUnitOfWork() as u:
        assert [m["text"] for m in u.outbox.take_pending("c8")] == [
            EVIL_SHOWN + " from our support team has joined the chat."]


def test_a_refused_claim_changes_nothing_in_the_tracker_nor_tells_the_customer():
    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "c1")
    tickets_service.claim(uow, ticket.ticket_id, "bo")
    assistant = FakeAssistant()
    with pytest.raises(ClaimConflict):
        asyncio.run(takeover.claim_and_announce(lambda: uow, assistant, ticket.ticket_id, "ann", "Ann"))
    assert assistant.states == [] and delivered(uow) == []


def test_close_hands_the_conversation_back_and_delivers_what_the_bot_said():
    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "c1")
    tickets_service.claim(uow, ticket.ticket_id, "ann")
    assistant = FakeAssistant(says=[{"text": "How did we do? 1-5"}])

    closed = asyncio.run(takeover.close_and_hand_back(lambda: uow, assistant, ticket.ticket_id, "ann",
                                                      "resolved", False))

    assert (closed.state, closed.disposition) == (TicketState.CLOSED, "resolved")
    assert assistant.actions == [("c1", "action_return_to_bot")]
    assert delivered(uow) == [("c1", {"text": "How did we do? 1-5"})]


def test_a_bot_that_cannot_take_back_leaves_the_ticket_closed_and_says_nothing():
    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "c1")
    assistant = FakeAssistant(fails=True)
    closed = asyncio.run(takeover.close_and_hand_back(lambda: uow, assistant, ticket.ticket_id, "sue",
                                                      "no_response", True))
    assert closed.state == TicketState.CLOSED and uow.tickets.get(ticket.ticket_id).state == TicketState.CLOSED
    assert assistant.actions == [("c1", "action_return_to_bot")] and delivered(uow) == []


def _close_as_sue(ticket_id):
    return asyncio.run(takeover.close_and_hand_back(RowsUnitOfWork, FakeAssistant(), ticket_id, "sue", "resolved",
                                                    True))


def test_closing_a_ticket_nobody_answered_credits_nobody(uow, agents):  # noqa: F811
    """Fresh-user report 6: a supervisor closing unclaimed queued or call-back tickets (and an agent closing one
    they claimed but never answered) counted as the closer's handled ticket, handle time and CSAT."""
    from datetime import datetime, timezone

    unclaimed = make_ticket(uow, "c-unclaimed").ticket_id
    callback = make_ticket(uow, "c-callback", state="callback").ticket_id
    silent = held_by(uow, "bo", "c-silent")
    answered = held_by(uow, "ann", "c-answered")
    tickets_service.reply(RowsUnitOfWork(), answered, "ann", "Hello, I can help with that.")
    for ticket_id in (unclaimed, callback, silent, answered):
        assert tickets_service.was_served(RowsUnitOfWork(), ticket_id) == (ticket_id == answered)
        closed = _close_as_sue(ticket_id)
        assert closed.assigned_to == ("ann" if ticket_id == answered else None)
    figures = tickets_service.metrics(RowsUnitOfWork(), datetime.now(timezone.utc))
    assert [(a["username"], a["handled"]) for a in figures["agents"]] == [("ann", 1)]
    assert figures["handled_total"] == 1


def test_a_claimed_call_back_was_served_by_phone(uow, agents):  # noqa: F811
    ticket_id = make_ticket(uow, "c-called", state="callback").ticket_id
    tickets_service.claim(RowsUnitOfWork(), ticket_id, "bo")  # the colleague calls the customer
    assert tickets_service.was_served(RowsUnitOfWork(), ticket_id)
    assert _close_as_sue(ticket_id).assigned_to == "bo"


@pytest.mark.parametrize("target, state, words", [
    ({"agent": "bo"}, TicketState.WITH_AGENT, "Bo from our support team has joined the chat."),
    ({"skill": "orders"}, TicketState.QUEUED, takeover.TRANSFERRING["en"]),
])
def test_transfer_writes_the_new_state_and_tells_the_customer_who_comes(uow, agents, target, state, words):  # noqa: F811
    ticket_id = held_by(uow, "ann", "c7")
    assistant = FakeAssistant()

    done = asyncio.run(takeover.transfer_and_announce(SqlAlchemyUnitOfWork, assistant, ticket_id, "ann", False,
                                                      target.get("agent"), target.get("skill")))

    assert done.ticket.state == state and assistant.states == [("c7", state)]
    with SqlAlchemyUnitOfWork() as u:
        assert [m["text"] for m in u.outbox.take_pending("c7")] == [words]


def test_the_desk_connector_keeps_no_customer_wording_of_its_own():
    import connectors.agent_desk as desk

    from bot import domain

    assert not hasattr(desk, "JOINED") and not hasattr(desk, "TRANSFERRING")
    assert desk.DISPOSITIONS is domain.DISPOSITIONS  # the domain's word, not the connector's
    assert not hasattr(desk.AgentDeskInput, "_return_to_bot")


def test_relay_says_to_requeue_a_customer_whose_ticket_was_abandoned():
    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "c1", reason="negative_emotion")
    uow.tickets.tickets[ticket.ticket_id] = replace(ticket, state=TicketState.ABANDONED.value)

    relayed = tickets_service.relay_message(uow, "c1", "hello? still there?", "rest", always_open())

    assert relayed.outcome == tickets_service.REQUEUE
    assert (relayed.requeue.code, relayed.requeue.detail) == (
        "negative_emotion", f"came back after ticket {ticket.ticket_id} was abandoned")
    uow.tickets.tickets[ticket.ticket_id] = replace(ticket, state=TicketState.CLOSED.value)
    closed = tickets_service.relay_message(uow, "c1", "thanks", "rest", always_open())
    assert closed.outcome == tickets_service.BOT_BACK and closed.requeue is None


def test_the_web_chat_header_follows_a_claim_and_a_close_at_once(monkeypatch):
    """Session 47: the widget's header said "number 1 in the queue" up to 15 s after "Agent Ann has joined" (it
    refreshes itself only while queued), and "Ann" after the close until the customer's next message."""
    from bot.channels import live

    uow = FakeUnitOfWork()
    ticket = make_ticket(uow, "web-c1")
    uow.tickets.tickets[ticket.ticket_id] = replace(ticket, channel="web")
    shown = []

    async def widget(conversation_id, event, data):
        shown.append((conversation_id, event, data.get("state")))
        return True

    monkeypatch.setitem(live._SIGNALLERS, "webchat", widget)
    asyncio.run(takeover.claim_and_announce(lambda: uow, FakeAssistant(), ticket.ticket_id, "ann", "Ann"))
    asyncio.run(takeover.close_and_hand_back(lambda: uow, FakeAssistant(says=[{"text": "How did we do? 1-5"}]),
                                             ticket.ticket_id, "ann", "resolved", False))
    assert shown == [("web-c1", "status", "with_agent"), ("web-c1", "status", "bot")]

    shown.clear()  # another channel shows no header
    other = make_ticket(uow, "rest-c2")
    asyncio.run(takeover.claim_and_announce(lambda: uow, FakeAssistant(), other.ticket_id, "ann", "Ann"))
    assert shown == []
