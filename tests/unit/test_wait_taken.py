"""A call-back or a left message racing an agent's claim (issue 14): the customer is told a colleague has the
conversation, not "we'll call you back"; the claim, the SLA and what the customer typed are kept.

The race runs on the real SQL database (SQLite, as the other queue tests): the agent's claim commits in a unit of
work of its own after the customer's answer has read the ticket as ``queued`` and before it asks for the call-back.
Then the new reply (``utter_wait_taken``) as each channel renders it: web chat, WeChat, phone.
"""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.handover import wait_dialogue
from bot.handover.policy import load_config
from bot.services import waiting
from bot.storage.db import TicketEventRow
from tests.rows import RowsUnitOfWork
from tests.unit.test_waiting import _ticket

NUMBER = "+44 7911 123456"
# (channel, intake, the answers before the one that races the claim, the racing answer)
FLOWS = {
    "choice_on_the_phone": ("ivr", {}, (), "2"),
    "choice_with_a_known_number": ("webchat", {"phone": "+447911123456"}, (), "call me back"),
    "number_given": ("webchat", {}, ("2",), NUMBER),
    "message_left": ("webchat", {}, ("3",), "My refund has not come, please answer to li.na@example.com"),
    "message_left_on_the_phone": ("ivr", {}, ("3",), "my refund never came"),
}


class _RacedUnitOfWork(RowsUnitOfWork):
    """The customer's unit of work: right after it reads the conversation's open ticket, an agent (another unit of
    work, committed) acts on it: ``claim`` (alice claims it) or ``close`` (closed unclaimed)."""

    def __init__(self, then: str = "claim") -> None:
        super().__init__()
        self.then = then

    def __enter__(self) -> "_RacedUnitOfWork":
        super().__enter__()
        read = self.tickets.open_for_conversation

        def read_then_race(conversation_id: str):
            ticket = read(conversation_id)
            with RowsUnitOfWork() as agent:
                if self.then == "claim":
                    agent.tickets.claim(ticket.ticket_id, "alice")
                else:
                    agent.tickets.close(ticket.ticket_id, "alice", "resolved")
                agent.commit()
            return ticket

        self.tickets.open_for_conversation = read_then_race
        return self


def _waiting_ticket(uow, flow: str, language: str = "en") -> tuple[str, str]:
    """A queued ticket offered the long-wait choices and answered up to the racing answer; (id, channel)."""
    channel, intake, before, _ = FLOWS[flow]
    ticket_id = _ticket(uow, channel="ivr" if channel == "ivr" else "web", intake=intake, language=language)
    waiting.record_offer(RowsUnitOfWork(), ticket_id, 3000)
    for said in before:
        assert waiting.answer(RowsUnitOfWork(), f"conv-{ticket_id}", said, channel, load_config(),
                              caller="+8613800138000") is not None
    return ticket_id, channel


def _customer_texts(ticket_id: str) -> list:
    with RowsUnitOfWork() as check:
        return [e.text for e in check.rows(TicketEventRow, ticket_id=ticket_id) if e.kind == "message"
                and e.author == "customer"]


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_a_claim_racing_the_answer_stands_and_the_customer_hears_a_colleague_has_it(uow, flow):
    ticket_id, channel = _waiting_ticket(uow, flow)
    with RowsUnitOfWork() as before:
        queued = before.tickets.get(ticket_id)
    typed = FLOWS[flow][3]
    filed_before = _customer_texts(ticket_id)

    done = waiting.answer(_RacedUnitOfWork(), f"conv-{ticket_id}", typed, channel, load_config(),
                          caller="+8613800138000")

    assert done is not None and done.outcome == waiting.TAKEN
    assert (done.ticket.state, done.ticket.assigned_to) == ("with_agent", "alice")
    with RowsUnitOfWork() as check:
        ticket = check.tickets.get(ticket_id)
        step, left = check.waits.step(ticket_id), check.waits.left_message(ticket_id)
        kinds = [e.kind for e in check.rows(TicketEventRow, ticket_id=ticket_id)]
    assert (ticket.state, ticket.assigned_to) == ("with_agent", "alice")  # the claim stands
    # no call-back: its SLA is not set and the hand-over's stays as it was
    assert ticket.callback_requested_at is None and ticket.sla_due_at == queued.sla_due_at
    assert "callback_sla" not in ticket.packet and "callback_requested_at" not in ticket.packet
    assert ticket.packet["sla"] == queued.packet["sla"]
    assert "callback" not in kinds  # neither a state change nor a "call me on …" event
    assert step is None and left is None  # the wait question is closed; no reply goes by e-mail or text
    assert waiting.after_phone_turn(RowsUnitOfWork(), ticket_id) is None  # the phone bridge transfers the call
    filed = _customer_texts(ticket_id)  # what the customer typed is on the ticket (masked: "[phone …3456]", "[email]")
    assert filed[:-1] == filed_before and (typed[:12] in filed[-1] or typed[-4:] in filed[-1])


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_customer_is_told_in_their_language_and_the_conversation_is_the_agents(uow, language):
    ticket_id, _ = _waiting_ticket(uow, "number_given", language)
    tracker = Tracker.from_dict({
        "sender_id": f"conv-{ticket_id}", "slots": {"language": language, "handoff_state": "queued"},
        "latest_message": {"text": NUMBER, "metadata": {}},
        "events": [{"event": "user", "text": NUMBER, "input_channel": "webchat", "parse_data": {}}],
        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})
    dispatcher = CollectingDispatcher()

    events = wait_dialogue.answer(tracker, dispatcher, load_config(), _RacedUnitOfWork)

    assert [m.get("response") for m in dispatcher.messages] == ["utter_wait_taken"]
    assert events == [SlotSet("handoff_state", "with_agent")]


def test_a_ticket_closed_before_the_call_back_is_left_to_the_relay(uow):
    """Closed (or abandoned) between the read and the call-back: nothing the answer did is kept and it answers
    nothing, so the message is relayed as any message after a close (the bot takes the conversation back; an
    abandoned ticket is queued again) instead of promising a call-back on a closed ticket."""
    ticket_id, channel = _waiting_ticket(uow, "number_given")
    filed_before = _customer_texts(ticket_id)

    done = waiting.answer(_RacedUnitOfWork("close"), f"conv-{ticket_id}", NUMBER, channel, load_config())

    assert done is None
    with RowsUnitOfWork() as check:
        ticket = check.tickets.get(ticket_id)
    assert ticket.state == "closed" and ticket.callback_requested_at is None
    assert "phone" not in (ticket.packet.get("intake") or {}) and _customer_texts(ticket_id) == filed_before


# ---- the reply on each channel ----------------------------------------------------------------

def _variant(channel: str, language: str) -> str:
    from rasa.core.nlg.generator import ResponseVariationFilter
    from rasa.shared.core.domain import Domain

    domain = Domain.load("domain")
    [variant] = ResponseVariationFilter(domain.responses).responses_for_utter_action(
        "utter_wait_taken", channel, {"language": language})
    return variant["text"]


WORDS = {"en": "A colleague has just picked up your", "zh": "同事刚刚接手了您的"}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_web_chat_shows_the_reply_to_its_widget_and_to_rasa_clients(language):
    from bot.channels.webchat import rasa_messages, widget_message
    from connectors.webchat import WebchatInput

    text = _variant(WebchatInput.name(), language)
    assert text.startswith(WORDS[language]) and ("reply right here" in text or "在这里直接回复" in text)
    shown = widget_message({"text": text})
    assert (shown["from"], shown["text"]) == ("bot", text)
    assert asyncio.run(rasa_messages({"text": text})) == [{"text": text}]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_wechat_sends_the_reply_as_one_plain_text(language):
    from connectors.wechat.channel import WeChatInput
    from connectors.wechat.protocol import render, split_text

    text = _variant(WeChatInput.name(), language)
    assert text.startswith(WORDS[language])
    rendered, options = render([{"text": text}])
    assert (rendered, options) == (text, []) and split_text(rendered) == [text]


class _Bot:
    """The Rasa turn as the phone bridge sees it: ``reply`` said, then the tracker's slots are ``after``."""

    def __init__(self, store: SimpleNamespace, reply: str, after: dict) -> None:
        self.store, self.reply, self.after = store, reply, after

    async def __call__(self, message) -> None:
        message.output_channel.messages.append({"text": self.reply})
        self.store.slots.update(self.after)


def _phone_turn(reply: str, before: dict, after: dict) -> dict:
    """One spoken turn of a call whose slots are ``before``; the bot says ``reply`` and leaves ``after``."""
    import json
    import time

    from connectors.ivr import IvrInput
    from connectors.ivr.signature import sign

    store = SimpleNamespace(slots=dict(before))

    async def retrieve(sender_id):
        return SimpleNamespace(current_slot_values=lambda: dict(store.slots),
                               latest_message=SimpleNamespace(intent={"name": None}))

    store.retrieve = retrieve
    body = json.dumps({"call_id": f"taken-{time.time()}", "seq": 0, "event": "speech", "text": "call me back",
                       "confidence": 1}).encode()
    stamp = str(int(time.time()))
    request = SimpleNamespace(body=body, headers={"X-IVR-Timestamp": stamp, "X-IVR-Signature": sign("s", stamp, body)},
                              app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store))))
    error, answered = asyncio.run(IvrInput("s").answer_event(request, _Bot(store, reply, after)))
    assert error is None
    return answered


@pytest.mark.parametrize("language,queue", [("en", "support-en"), ("zh", "support-zh")])
def test_the_phone_says_it_and_puts_the_call_through_to_the_agent(monkeypatch, language, queue):
    import connectors.ivr as ivr

    text = _variant(ivr.IvrInput.name(), language)
    assert text.startswith(WORDS[language]) and ("stay on the line" in text or "请不要挂机" in text)
    monkeypatch.setattr(ivr, "wait_after_turn", lambda ticket_id: None)  # the ticket is with_agent now
    answered = _phone_turn(text, {"ticket_id": "T7", "handoff_state": "queued", "language": language},
                           {"handoff_state": "with_agent"})
    say, transfer = answered["actions"]
    assert say["action"] == "say" and say["text"].startswith(WORDS[language].split()[0])
    assert (transfer["action"], transfer["queue"], transfer["ticket_id"]) == ("transfer", queue, "T7")


def test_every_channel_has_the_reply_in_both_languages():
    texts = {(channel, language): _variant(channel, language)
             for channel in ("webchat", "wechat", "ivr", "rest") for language in ("en", "zh")}
    assert all(text.startswith(WORDS[language]) for (_, language), text in texts.items())
    assert texts[("ivr", "en")] != texts[("webchat", "en")]  # the phone's own words (no "reply right here")
