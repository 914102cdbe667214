"""The REST channel reads the outbox after a turn only when something may have been queued
(issue 16: ``bot.services.delivery.take_pending_if_any``), and still hands over every reply."""
import asyncio

import pytest

from bot.services import delivery
from bot.storage.uow import SqlAlchemyUnitOfWork


@pytest.fixture
def reads(uow, monkeypatch):
    """The conversations whose outbox was read from the database, in order."""
    monkeypatch.setattr(delivery, "_MEMORY_HINTS", None)
    seen = []
    original = delivery.take_pending

    def counting(factory, conversation_id, channel=None):
        seen.append(conversation_id)
        return original(factory, conversation_id, channel)

    monkeypatch.setattr(delivery, "take_pending", counting)
    return seen


def _turn(conversation_id):
    return delivery.take_pending_if_any(SqlAlchemyUnitOfWork, conversation_id, "rest")


def _texts(messages):
    return [m["text"] for m in messages]


def test_turns_read_the_outbox_again_only_after_a_reply_was_queued(reads):
    async def run():
        assert await _turn("hint-1") == [] and reads == ["hint-1"]
        assert await _turn("hint-1") == [] and await _turn("hint-1") == [] and reads == ["hint-1"]
        await delivery.deliver(SqlAlchemyUnitOfWork, "hint-2", "rest", [{"text": "for someone else"}])
        assert await _turn("hint-1") == [] and reads == ["hint-1"]
        await delivery.deliver(SqlAlchemyUnitOfWork, "hint-1", "rest", [{"text": "agent reply"}])
        assert _texts(await _turn("hint-1")) == ["agent reply"] and reads == ["hint-1", "hint-1"]
        assert await _turn("hint-1") == [] and reads == ["hint-1", "hint-1"]
        assert _texts(await _turn("hint-2")) == ["for someone else"]

    asyncio.run(run())


def test_a_reply_committed_while_a_turn_reads_the_outbox_is_handed_over_next_turn(reads, monkeypatch):
    """The reader's snapshot misses a reply committed just after it, and the reader notes its
    look afterwards: the reply's new generation still makes the next turn read the database."""
    reader = delivery.take_pending
    loop_box = {}

    def read_then_a_reply_arrives(factory, conversation_id, channel=None):
        taken = reader(factory, conversation_id, channel)
        if len(reads) == 1:
            delivery._store(factory, conversation_id, "rest", [{"text": "raced reply"}])
            asyncio.run_coroutine_threadsafe(delivery.outbox_changed(conversation_id), loop_box["loop"]).result()
        return taken

    monkeypatch.setattr(delivery, "take_pending", read_then_a_reply_arrives)

    async def run():
        loop_box["loop"] = asyncio.get_running_loop()
        assert await _turn("hint-race") == []
        assert _texts(await _turn("hint-race")) == ["raced reply"]
        assert await _turn("hint-race") == [] and len(reads) == 2

    asyncio.run(run())


def test_two_servers_sharing_redis_hand_over_a_reply_queued_on_the_other(reads, redis_url, monkeypatch):
    """Server B marks the conversation read; an agent's reply is queued through server A (its own
    Redis client, its own event loop); B's next turn reads the outbox and hands it over."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setattr(delivery, "_REDIS_HINTS", {})

    async def server_b_turn():
        return await _turn("hint-two-servers")

    async def server_a_queues_a_reply():
        await delivery.deliver(SqlAlchemyUnitOfWork, "hint-two-servers", "rest", [{"text": "while you were away"}])

    assert asyncio.run(server_b_turn()) == [] and asyncio.run(server_b_turn()) == []
    assert len(reads) == 1
    asyncio.run(server_a_queues_a_reply())
    assert _texts(asyncio.run(server_b_turn())) == ["while you were away"]
    assert asyncio.run(server_b_turn()) == [] and len(reads) == 2


def test_without_the_hint_store_every_turn_reads_the_outbox(reads, monkeypatch):
    """A failing conversation state store (Redis down) costs a read, never a lost reply."""

    class Broken:
        async def get(self, key):
            raise ConnectionError("redis down")

        async def put(self, key, value, ttl_s):
            raise ConnectionError("redis down")

        async def add(self, key, value, ttl_s):
            raise ConnectionError("redis down")

    monkeypatch.setattr(delivery, "_hints", lambda: Broken())

    async def run():
        await delivery.deliver(SqlAlchemyUnitOfWork, "hint-broken", "rest", [{"text": "still here"}])
        assert _texts(await _turn("hint-broken")) == ["still here"]
        assert await _turn("hint-broken") == [] and len(reads) == 2

    asyncio.run(run())
