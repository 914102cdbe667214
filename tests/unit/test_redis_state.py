"""The Redis conversation-state store and lock store (bot/storage/conversation_state.py) against a real redis-server started here (issue 13)."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from bot.storage.conversation_state import AtomicRedisLockStore, RedisStateStore, state_store


def test_answers_are_shared_and_expire(redis_url):
    async def run():
        one, two = RedisStateStore(redis_url), RedisStateStore(redis_url)  # two servers
        key = f"wechat:{uuid.uuid4().hex}"
        await one.put(key, {"mode": "passive", "text": "您好"}, ttl_s=0.3)
        assert await two.get(key) == {"mode": "passive", "text": "您好"}
        await asyncio.sleep(0.4)
        assert await two.get(key) is None
        await one.close()
        await two.close()

    asyncio.run(run())


def test_redis_url_selects_the_redis_stores(redis_url, monkeypatch):
    from bot.settings import Settings
    from bot.storage.conversation_state import InMemoryStateStore, ProjectLockStore

    assert isinstance(state_store(Settings(database_url="sqlite://")), InMemoryStateStore)
    assert isinstance(state_store(Settings(database_url="sqlite://", redis_url=redis_url)), RedisStateStore)
    monkeypatch.setenv("REDIS_URL", redis_url)
    assert isinstance(ProjectLockStore(), AtomicRedisLockStore)
    monkeypatch.delenv("REDIS_URL")
    assert type(ProjectLockStore()).__name__ == "InMemoryLockStore"


def test_two_servers_never_hold_one_conversation_at_once_and_every_key_expires(redis_url):
    import redis

    conversation = f"c-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url)
    holders, most, count, ttls = [0], [0], [0], []

    async def turn(store: AtomicRedisLockStore) -> None:
        async with store.lock(conversation, lock_lifetime=10):
            holders[0] += 1
            most[0] = max(most[0], holders[0])
            seen = count[0]
            await asyncio.sleep(0.01)  # a turn: read, think, write
            count[0] = seen + 1
            ttls.extend(client.pttl(k) for k in client.keys(f"qx:lock:{conversation}*"))
            holders[0] -= 1

    async def run():
        servers = [AtomicRedisLockStore(redis_url), AtomicRedisLockStore(redis_url)]
        await asyncio.gather(*(turn(servers[i % 2]) for i in range(20)))

    asyncio.run(run())
    assert most[0] == 1 and count[0] == 20
    assert ttls and all(ttl > 0 for ttl in ttls)  # -1 would be a key without expiry
    assert client.keys(f"qx:lock:{conversation}:q") == []  # the queue is gone once everyone left


def test_a_server_that_died_holding_the_lock_stalls_the_conversation_at_most_its_lifetime(redis_url):
    conversation = f"dead-{uuid.uuid4().hex[:8]}"

    async def run() -> float:
        dead = AtomicRedisLockStore(redis_url)
        ticket = await dead.issue(conversation, lock_lifetime=0.5)
        assert await dead.try_acquire(conversation, ticket) is True  # held, never released
        alive = AtomicRedisLockStore(redis_url)
        started = time.monotonic()
        async with alive.lock(conversation, lock_lifetime=5):
            return time.monotonic() - started

    waited = asyncio.run(run())
    assert 0.3 < waited < 1.5


def test_an_expired_ticket_is_refused(redis_url):
    from rasa.core.lock_store import LockError

    conversation = f"slow-{uuid.uuid4().hex[:8]}"

    async def run():
        store = AtomicRedisLockStore(redis_url)
        holder = await store.issue(conversation, lock_lifetime=5)
        assert await store.try_acquire(conversation, holder)
        with pytest.raises(LockError):
            async with store.lock(conversation, lock_lifetime=0.2):  # waits past its own lifetime
                pass
        await store.release(conversation, holder)

    asyncio.run(run())
