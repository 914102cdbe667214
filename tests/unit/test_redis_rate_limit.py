"""Rate limits shared by several servers through Redis (issue 13), against a real redis-server:
the web chat's per-session window, the token buckets of every channel and the agent login
throttle (bot/storage/conversation_state.py), all coroutines on redis.asyncio, every key expiring."""
from __future__ import annotations

import asyncio
import uuid

import redis

from bot.storage.conversation_state import (AsyncRedisRateLimiter, RedisLoginThrottle, RedisTokenBucketLimiter,
                                    redis_limits)
from bot.storage.ratelimit import Limits, LoginThrottle, TokenBucketLimiter
from bot.settings import Settings
from bot.services.webchat import session_rate_limiter
from bot.channels.webchat import RateLimiter


def test_two_servers_count_one_window_per_session_and_the_key_expires(redis_url):
    async def scenario():
        one, two = AsyncRedisRateLimiter(redis_url, 3, 1.0), AsyncRedisRateLimiter(redis_url, 3, 1.0)  # two servers
        session = uuid.uuid4().hex
        assert [await one.allow_async(session), await two.allow_async(session),
                await one.allow_async(session)] == [True, True, True]
        assert await two.allow_async(session) is False and await one.allow_async(session) is False  # the 4th
        assert 0 < two.retry_after(session) <= 1.0
        assert two.retry_after(session) == 0.0  # told once
        assert await one.allow_async(uuid.uuid4().hex) is True  # other sessions are not affected
        assert 0 < redis.Redis.from_url(redis_url).pttl(f"qx:rate:webchat:{session}") <= 1000
        await asyncio.sleep(1.05)
        assert await two.allow_async(session) is True

    asyncio.run(scenario())


def test_redis_url_selects_the_shared_limiters(redis_url):
    assert isinstance(session_rate_limiter(3, 1.0, Settings(database_url="sqlite://")), RateLimiter)
    assert isinstance(session_rate_limiter(3, 1.0, Settings(database_url="sqlite://", redis_url=redis_url)),
                      AsyncRedisRateLimiter)
    local = Limits.from_settings(Settings(database_url="sqlite://"))
    assert isinstance(local.address, TokenBucketLimiter) and isinstance(local.login, LoginThrottle)
    shared = Limits.from_settings(Settings(database_url="sqlite://", redis_url=redis_url))
    assert all(isinstance(limiter, RedisTokenBucketLimiter) for limiter in (shared.address, shared.sender,
                                                                              shared.sessions))
    assert isinstance(shared.login, RedisLoginThrottle)


def test_the_web_chat_channel_limits_sessions_across_servers(redis_url, monkeypatch):
    from connectors.webchat import ChatRefused, WebchatInput

    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("RATE_LIMIT_SENDER_PER_MIN", "1000000")
    one, two = (WebchatInput(rate_limit_messages=2, rate_limit_window_s=5) for _ in range(2))
    session = uuid.uuid4().hex

    async def scenario():
        await one.check_message(session, "hello")
        await two.check_message(session, "hello again")
        try:
            await one.check_message(session, "a third one")
        except ChatRefused as refused:
            assert refused.code == "rate_limited" and refused.status == 429 and 0 < refused.retry_after_s <= 5
        else:
            raise AssertionError("the third message in the window was let through")

    asyncio.run(scenario())


def test_token_buckets_count_every_server_and_expire(redis_url):
    client = redis.Redis.from_url(redis_url)
    prefix = f"qx:test:{uuid.uuid4().hex[:6]}:"
    one, two = RedisTokenBucketLimiter(redis_url, 2, prefix), RedisTokenBucketLimiter(redis_url, 2, prefix)

    async def scenario():
        assert [await one.hit_async("rest|1.2.3.4"), await two.hit_async("rest|1.2.3.4")] == [0.0, 0.0]
        wait = await one.hit_async("rest|1.2.3.4")  # the third in a minute, on either server
        assert 25 < wait <= 30  # 2 per minute: a token every 30 s, the first spent a moment ago
        assert 25 < await two.wait_async("rest|1.2.3.4") <= 30  # looking counts nothing
        assert await two.hit_async("rest|5.6.7.8") == 0.0  # other keys are not affected
        assert await RedisTokenBucketLimiter(redis_url, 0, prefix).hit_async("rest|1.2.3.4") == 0.0  # 0: no limit

    asyncio.run(scenario())
    assert 0 < client.pttl(f"{prefix}rest|1.2.3.4") <= 61_000
    assert 25 < one.hit("rest|1.2.3.4") <= 30  # the synchronous call, for worker threads


def test_a_long_message_spends_more_of_every_servers_bucket(redis_url):
    prefix = f"qx:test:{uuid.uuid4().hex[:6]}:"
    one, two = RedisTokenBucketLimiter(redis_url, 20, prefix), RedisTokenBucketLimiter(redis_url, 20, prefix)

    async def scenario():
        assert [await one.hit_async("rest|1.2.3.4", 8.0), await two.hit_async("rest|1.2.3.4", 8.0)] == [0.0, 0.0]
        assert 10 < await one.hit_async("rest|1.2.3.4", 8.0) <= 12  # 4 left of 20: 4 more at one every 3 s
        assert await two.hit_async("rest|1.2.3.4") == 0.0  # a short message still passes
        assert await one.hit_async("rest|9.9.9.9", 50.0) == 0.0  # at most the bucket is asked
        assert 2 < await one.hit_async("rest|9.9.9.9") <= 3

    asyncio.run(scenario())


def test_login_throttle_backs_off_on_every_server_and_a_success_forgets(redis_url):
    client = redis.Redis.from_url(redis_url)
    prefix = f"qx:test-login:{uuid.uuid4().hex[:6]}:"
    one = RedisLoginThrottle(redis_url, max_delay_s=120, free_failures=1, base_delay_s=2, prefix=prefix)
    two = RedisLoginThrottle(redis_url, max_delay_s=120, free_failures=1, base_delay_s=2, prefix=prefix)

    async def scenario():
        assert await one.attempt_async("Alice", "1.2.3.4") == (0.0, 0.0)  # a free failure
        wait, blocked = await two.attempt_async("alice ", "1.2.3.4")  # the same pair (name normalised)
        assert wait == 0.0 and blocked == 2.0
        wait, blocked = await one.attempt_async("alice", "1.2.3.4")  # refused on either server meanwhile
        assert 1.0 < wait <= 2.0 and blocked == 0.0
        assert 1.0 < await two.wait_async("alice", "1.2.3.4") <= 2.0
        assert await one.attempt_async("alice", "5.6.7.8") == (0.0, 0.0)  # another address is not blocked
        assert 0 < client.pttl(f"{prefix}alice|1.2.3.4") <= 900_000
        await two.succeeded_async("alice", "1.2.3.4")
        assert await one.wait_async("alice", "1.2.3.4") == 0.0
        assert await one.failed_async("bob", "1.2.3.4") == 0.0 and await one.failed_async("bob", "1.2.3.4") == 2.0

    asyncio.run(scenario())


def test_redis_limits_replace_every_limiter_of_a_process(redis_url):
    limits = Limits(5, 5, 5, 60)
    redis_limits(limits, Settings(database_url="sqlite://", redis_url=redis_url, rate_limit_sender_per_min=1))
    sender = f"s-{uuid.uuid4().hex[:6]}"

    async def scenario():
        assert await limits.check_async("rest", None, sender) == 0.0
        assert await limits.check_async("rest", None, sender) > 0  # 1 per minute, counted in Redis

    asyncio.run(scenario())
    assert redis.Redis.from_url(redis_url).exists(f"qx:rate:sender:rest|{sender}")
