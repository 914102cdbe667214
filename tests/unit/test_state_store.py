"""Answers in the in-memory conversation-state store (bot/storage/conversation_state.py) and the message-id check (bot/storage/idempotency.py)."""
from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.storage.idempotency import answer_to, check_message_id
from bot.storage.conversation_state import InMemoryStateStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_answers_expire_after_their_ttl_and_the_store_is_bounded():
    clock = Clock()
    store = InMemoryStateStore(max_entries=3, clock=clock)
    asyncio.run(store.put("a", {"x": 1}, ttl_s=10))
    assert asyncio.run(store.get("a")) == {"x": 1}
    clock.now += 10
    assert asyncio.run(store.get("a")) is None and len(store) == 0
    for key in "bcde":
        store.put_now(key, key, ttl_s=60)
    assert len(store) == 3 and store.get_now("b") is None and store.get_now("e") == "e"
    store.put_now("c", "again", ttl_s=60)  # replaced, now the newest
    assert store.get_now("c") == "again"


def test_the_answer_to_a_message_id_is_the_bot_messages_up_to_the_next_user_message():
    events = [
        UserUttered("hi", metadata={"message_id": "m1"}), ActionExecuted("utter_greet"), BotUttered("Hello!"),
        BotUttered("How can I help?"), ActionExecuted("action_listen"),
        UserUttered("bye", metadata={"message_id": "m2"}), ActionExecuted("action_listen"),
        UserUttered("no id"), BotUttered("Sorry?"),
    ]
    assert [m["text"] for m in answer_to(events, "m1")] == ["Hello!", "How can I help?"]
    assert answer_to(events, "m2") == []  # processed, answered with nothing
    assert answer_to(events, "m3") is None  # new


@pytest.mark.parametrize("bad", [5, "", "  ", "x" * 129, "a\x00b", "\ud800"])
def test_message_ids_are_short_printable_strings(bad):
    with pytest.raises(ValueError, match="message_id"):
        check_message_id(bad)
    assert check_message_id(None) is None and check_message_id("ok-1") == "ok-1"
