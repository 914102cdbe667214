"""A queued customer calls their request for a person off, on the real Rasa and action servers through
REST, in both languages: the ticket ends ``abandoned`` (DESIGN §4), the customer is told the request is
cancelled and the bot is back, and the bot answers the next question itself; once an agent has claimed the
ticket the message is passed on to them instead."""
from __future__ import annotations

import pytest

from bot.text import markdown_to_text
from tests.rows import RowsUnitOfWork, clear_queue, tickets_of


def texts(replies) -> str:
    return "\n".join(markdown_to_text(r.get("text", "")) for r in replies)




@pytest.mark.parametrize("lang,ask,leave,cancelled,question,answer", [
    ("en", "I want to talk to a human", "I don't need a person, forget it", "cancelled your request",
     "what are your opening hours?", "Monday to Friday"),
    ("en", "I want to talk to a human", "no need for a person any more, cancel that", "cancelled your request",
     "what are your opening hours?", "Monday to Friday"),
    ("zh", "我要转人工", "不用转人工了", "已为您取消转人工", "营业时间是几点到几点", "北京时间"),
    ("zh", "我要转人工", "不需要了，取消吧", "已为您取消转人工", "营业时间是几点到几点", "北京时间"),
])
def test_a_queued_customer_can_leave_the_queue_and_the_bot_answers_again(servers, lang, ask, leave, cancelled,
                                                                         question, answer):
    sender = f"leave-{lang}-{abs(hash(leave)) % 10000}"
    servers.login("agent1", "pass-word-1")  # someone is online: the request is queued, not a call-back
    clear_queue()
    servers.say(sender, ask)
    [ticket] = tickets_of(sender)
    assert ticket.state == "queued"
    reply = texts(servers.say(sender, leave))
    assert cancelled in reply, reply
    [ticket] = tickets_of(sender)
    assert ticket.state == "abandoned"
    assert servers.tracker(sender)["slots"]["handoff_state"] is None
    reply = texts(servers.say(sender, question))
    assert answer in reply and "added this to your case" not in reply and "已添加" not in reply, reply
    assert [t.state for t in tickets_of(sender)] == ["abandoned"]  # no new ticket: the bot answered


def test_once_an_agent_has_claimed_it_the_message_goes_to_the_colleague(servers):
    sender = "leave-claimed-en"
    token = servers.login("agent1", "pass-word-1")
    clear_queue()
    servers.say(sender, "I want to talk to a human")
    [ticket] = tickets_of(sender)
    assert servers.api("POST", f"/tickets/{ticket.ticket_id}/claim", token).status_code == 200
    reply = texts(servers.say(sender, "no need for a person any more, cancel that"))
    assert "colleague already has your conversation" in reply, reply
    [ticket] = tickets_of(sender)
    assert ticket.state == "with_agent"
    with RowsUnitOfWork() as uow:
        said = [line.get("text") for line in uow.tickets.transcript(ticket) if line.get("from") == "customer"]
    assert "no need for a person any more, cancel that" in said
