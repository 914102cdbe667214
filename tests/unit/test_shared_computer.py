"""Session 48, a shared computer: a customer signed in on a website chats, signs out, and the next person opens the
chat in the same browser (the widget keeps its session in the browser's storage).

Before, a signed-in chat was resumed by anyone holding the browser's session: the next person saw the history and
the agent's replies still to come; and an earlier message's token still counted for a later message without one
until it expired, so they were "signed in" as her (her orders; a code they passed was linked to her record).
Tested here on the web chat's session start (``WebchatInput.start_session``) with the real session table; the
evidence rule itself in tests/unit/test_proof_owner.py, and both through the real servers in
tests/integration/test_webchat.py and tests/integration/test_order_security.py.
"""
from __future__ import annotations

import asyncio
import itertools
from types import SimpleNamespace

import pytest
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.customers.evidence import chat_owner
from tests.unit.test_customers import SECRET, token, user


class Store:
    """The tracker store the channel reads the history from: trackers by conversation id."""

    def __init__(self) -> None:
        self.trackers: dict = {}

    def say(self, conversation_id: str, *metadatas: dict) -> None:
        tracker = self.trackers.setdefault(conversation_id, DialogueStateTracker(conversation_id, []))
        for metadata in metadatas:
            tracker.update(UserUttered("where is my order QX-100003?", {"name": "order_status", "confidence": 1.0},
                                       metadata=metadata))

    async def retrieve_full_tracker(self, conversation_id: str):
        return self.trackers.get(conversation_id)


@pytest.fixture
def channel(database_url, monkeypatch):
    from connectors.webchat import WebchatInput

    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", SECRET)
    chat = WebchatInput()
    chat.app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=Store())))
    return chat


ADDRESSES = itertools.count(1)


def start(channel, secret=None, customer_token=None, with_history=True):
    """``WebchatInput.start_session`` from an address of its own (new chats are limited per address)."""
    address = f"10.48.0.{next(ADDRESSES)}"
    return asyncio.run(channel.start_session(secret, None, address, with_history, customer_token))


def test_a_signed_in_chat_is_resumed_only_by_the_same_customer(channel):
    store = channel.app.ctx.agent.tracker_store
    secret, conversation, _, _ = start(channel, customer_token=token(sub="li-na"))
    store.say(conversation, {"customer_token": token(sub="li-na")})
    signed_out = start(channel, secret)
    assert signed_out[0] != secret and signed_out[1] != conversation and signed_out[2] == []
    assert start(channel, secret, token(sub="zhang-wei"))[1] not in (conversation, signed_out[1])
    assert start(channel, secret, "not a token")[1] != conversation
    assert start(channel, secret, token(sub="li-na", secret="another-secret-another-secret-00"))[1] != conversation
    back = start(channel, secret, token(sub="li-na"))
    assert back[1] == conversation and back[2]
    # helper-221: a page of hers left in the browser's history, its token expired, opened her chat for 30 days
    assert start(channel, secret, token(sub="li-na", exp_in=-60))[1] != conversation
    assert start(channel, secret, with_history=False)[1] != conversation  # a standard Rasa client, signed out


def test_writing_in_her_chat_with_another_token_does_not_make_it_theirs(channel):
    """helper-221: someone who copied her chat's session id wrote in it over the HTTP API with their own valid token;
    the newest token's customer owned the chat, so their page then opened it (history, the agent's replies) and hers
    got a new one."""
    store = channel.app.ctx.agent.tracker_store
    secret, conversation, _, _ = start(channel, customer_token=token(sub="li-na"))
    store.say(conversation, {"customer_token": token(sub="li-na")}, {"customer_token": token(sub="mallory")})
    assert start(channel, secret, token(sub="mallory"))[1] != conversation
    assert start(channel, secret, token(sub="li-na"))[1] == conversation


def test_a_message_without_a_token_does_not_free_her_chat(channel):
    """helper-220: her token expired (the web chat then drops it from her messages), or someone with the browser's
    session id wrote one message without a token: the chat became anonymous, and the next signed-out page opened
    it, with her order's tracking number."""
    store = channel.app.ctx.agent.tracker_store
    secret, conversation, _, _ = start(channel)
    store.say(conversation, {}, {"customer_token": token(sub="li-na")}, {}, {})  # anonymous, signed in, no token
    assert start(channel, secret)[1] != conversation
    assert start(channel, secret, token(sub="li-na"))[1] == conversation
    anonymous, other, _, _ = start(channel)
    store.say(other, {})
    assert start(channel, anonymous, token(sub="li-na"))[1] == other  # signing in on an anonymous chat keeps it
    assert start(channel, anonymous)[1] == other


@pytest.mark.parametrize("events, owner", [
    ([], None),
    ([user("hi")], None),
    ([user("hi", metadata={"customer_token": token(sub="li-na")})], "li-na"),
    ([user("hi", metadata={"customer_token": token(sub="li-na", exp_in=-60)})], "li-na"),  # expired: still hers
    ([user("hi", metadata={"customer_token": token(sub="li-na")}), user("again")], "li-na"),
    ([user("hi", metadata={"customer_token": token(sub="li-na")}),
      user("hi", metadata={"customer_token": token(sub="li-na", secret="another-secret-another-secret-00")})], "li-na"),
    ([user("hi", metadata={"customer_token": token(sub="li-na")}),
      user("hi", metadata={"customer_token": token(sub="zhang-wei")})], "li-na"),  # the first one's
    ([user("hi"), user("hi", metadata={"customer_token": token(sub="zhang-wei")})], "zhang-wei"),
    ([user("hi", metadata={"customer_token": token(sub="li-na", secret="another-secret-another-secret-00")})], None),
])
def test_the_chat_owner_is_the_first_signed_token(events, owner):
    assert chat_owner(events, SECRET) == owner
