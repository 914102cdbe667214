"""The one conversation-state store (bot/storage/conversation_state.py, issue 13): in memory by default,
Redis when REDIS_URL is set (a real redis-server), the same behaviour behind one interface."""
from __future__ import annotations

import asyncio
import uuid

import pytest
import redis

from bot.storage.conversation_state import InMemoryStateStore, RedisStateStore, state_store
from bot.settings import Settings


def stores(redis_url):
    return [("memory", lambda: (lambda shared: (shared, shared))(InMemoryStateStore())),
            ("redis", lambda: (RedisStateStore(redis_url), RedisStateStore(redis_url)))]  # two servers


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_values_add_once_delete_and_expire(kind, redis_url):
    async def scenario():
        one, two = dict(stores(redis_url))[kind]()
        key = f"test:{uuid.uuid4().hex}"
        assert await one.add(key, {"seen": 1}, 0.3) is True
        assert await two.add(key, {"seen": 2}, 0.3) is False  # only the first
        assert await two.get(key) == {"seen": 1}
        await asyncio.sleep(0.4)
        assert await two.get(key) is None
        assert await two.add(key, ["again"], 5) is True  # expired: free again
        await one.put(key, {"changed": True}, 5)
        assert await two.get(key) == {"changed": True}
        await two.delete(key)
        assert await one.get(key) is None

    asyncio.run(scenario())
    if kind == "redis":
        client = redis.Redis.from_url(redis_url)
        assert all(client.pttl(k) > 0 for k in client.keys("qx:state:test:*"))


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_a_lock_lets_one_holder_at_a_time_on_every_server(kind, redis_url):
    holders, most, done = [0], [0], []

    async def hold(store, i):
        async with store.lock("call-1", lifetime_s=10):
            holders[0] += 1
            most[0] = max(most[0], holders[0])
            await asyncio.sleep(0.01)
            holders[0] -= 1
            done.append(i)

    async def scenario():
        one, two = dict(stores(redis_url))[kind]()
        await asyncio.gather(*(hold(one if i % 2 else two, i) for i in range(10)))

    asyncio.run(scenario())
    assert most[0] == 1 and sorted(done) == list(range(10))


def test_redis_url_selects_the_redis_store(redis_url):
    assert isinstance(state_store(Settings(database_url="sqlite://")), InMemoryStateStore)
    assert isinstance(state_store(Settings(database_url="sqlite://", redis_url=redis_url)), RedisStateStore)


def test_the_memory_store_forgets_the_oldest_past_its_bound():
    store = InMemoryStateStore(max_entries=2)
    for key in "abc":
        store.put_now(key, key, 60)
    assert [store.get_now(k) for k in "abc"] == [None, "b", "c"]


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_a_signed_wechat_url_carries_one_body_on_every_server(kind, redis_url):
    import time

    from connectors.wechat.replay import StateSignedUrlStore, url_key

    async def scenario():
        one, two = (StateSignedUrlStore(store) for store in dict(stores(redis_url))[kind]())
        key, expires_at = url_key(str(int(time.time())), uuid.uuid4().hex), time.time() + 301
        assert await one.claim(key, "digest-a", expires_at) is True
        assert await two.claim(key, "digest-a", expires_at) is True  # WeChat's retry, on the other server
        assert await two.claim(key, "digest-b", expires_at) is False  # another body under that URL

    asyncio.run(scenario())
