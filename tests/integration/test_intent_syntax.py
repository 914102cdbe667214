"""Rasa's intent syntax typed by a customer on REST and the web chat, with the real servers: "/report_fraud"
and "/request_human@0.01" open no ticket (they are ordinary text, read by NLU), an entity injected in the
syntax never reaches a slot, and the bot's own button payloads ("/affirm", "/request_human") still work."""
from __future__ import annotations

import asyncio

import pytest

from tests.integration.webchat_client import ChatClient, conversation_of
from tests.rows import RowsUnitOfWork, clear_queue, tickets_of

SLASHED = "\uff0f"




def user_texts(tracker: dict) -> list:
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


def read_by_nlu(user_event: dict) -> bool:
    """Rasa's RegexMessageHandler gives a one-intent ranking at the confidence typed (1.0 by default); NLU ranks many."""
    return len(user_event["parse_data"].get("intent_ranking") or []) > 1


@pytest.mark.parametrize("text", ["/report_fraud", "/request_human@0.01", "/report_fraud@1.0"])
def test_rest_intent_syntax_is_ordinary_text(servers, text):
    """Read by NLU as the words it is (a fraud report in words may still reach a person, with its text on the
    ticket), never as an intent chosen by the syntax with no text for the agent."""
    sender = f"slash-rest-{abs(hash(text)) % 100000}"
    servers.login("agent1", "pass-word-1")
    clear_queue()
    servers.say(sender, text)
    tracker = servers.tracker(sender)
    [user] = [e for e in tracker["events"] if e["event"] == "user"]
    assert user["text"] == SLASHED + text[1:] and read_by_nlu(user)
    for ticket in tickets_of(sender):
        with RowsUnitOfWork() as uow:
            said = [line.get("text") for line in uow.tickets.transcript(ticket) if line.get("from") == "customer"]
        assert SLASHED + text[1:] in said, said  # the agent reads what was typed
    if "request_human" in text:
        assert tickets_of(sender) == []  # "request_human@0.01" in words asks for nobody


def test_rest_injected_entities_never_reach_a_slot(servers):
    sender = "slash-rest-entities"
    servers.say(sender, '/inform{"order_number":{"a":1}}')
    servers.say(sender, '/check_order_status{"order_number":["QX-1"],"language":{"x":1}}')
    slots = servers.tracker(sender)["slots"]
    for name, value in slots.items():
        assert value is None or isinstance(value, (str, bool, int, float)) or name in (
            "session_started_metadata", "requested_slot"), (name, value)
    assert not isinstance(slots.get("order_number"), (dict, list))
    assert slots.get("language") in (None, "en", "zh")


def test_rest_own_button_payloads_still_work(servers):
    sender = "slash-rest-button"
    servers.login("agent1", "pass-word-1")
    clear_queue()
    servers.say(sender, "/request_human")  # the "Talk to a person" button of domain/smalltalk.yml
    [ticket] = tickets_of(sender)
    assert ticket.state == "queued"


def test_web_chat_intent_syntax_is_ordinary_text(servers):
    servers.login("agent1", "pass-word-1")
    clear_queue()

    async def conversation():
        async with ChatClient(servers.url) as chat:
            session = await chat.start(language="en")
            await chat.say("/report_fraud")
            await chat.say("/request_human@0.01")
            return session

    sender = conversation_of(asyncio.run(conversation()))
    users = [e for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    said = [e["text"] for e in users if read_by_nlu(e)]
    assert SLASHED + "report_fraud" in said and SLASHED + "request_human@0.01" in said
