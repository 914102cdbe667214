"""The web chat's per-session rate limit shared by several servers through Redis (issue 13):
bot.storage.state_store.RedisRateLimiter against a real redis-server."""
from __future__ import annotations

import time
import uuid

import redis

from bot.settings import Settings
from bot.storage.state_store import RedisRateLimiter, session_rate_limiter
from bot.channels.webchat import RateLimiter
from tests.redis_server import redis_url  # noqa: F401 (fixture)


def test_two_servers_count_one_window_per_session_and_the_key_expires(redis_url):  # noqa: F811
    one, two = RedisRateLimiter(redis_url, 3, 1.0), RedisRateLimiter(redis_url, 3, 1.0)  # two servers
    session = uuid.uuid4().hex
    assert [one.allow(session), two.allow(session), one.allow(session)] == [True, True, True]
    assert two.allow(session) is False and one.allow(session) is False  # the 4th, on either server
    assert 0 < two.retry_after(session) <= 1.0
    assert two.retry_after(session) == 0.0  # told once
    assert one.allow(uuid.uuid4().hex) is True  # other sessions are not affected
    assert 0 < redis.Redis.from_url(redis_url).pttl(f"qx:rate:webchat:{session}") <= 1000
    time.sleep(1.05)
    assert two.allow(session) is True


def test_redis_url_selects_the_shared_limiter(redis_url):  # noqa: F811
    assert isinstance(session_rate_limiter(3, 1.0, Settings(database_url="sqlite://")), RateLimiter)
    assert isinstance(session_rate_limiter(3, 1.0, Settings(database_url="sqlite://", redis_url=redis_url)),
                      RedisRateLimiter)


def test_the_web_chat_channel_limits_sessions_across_servers(redis_url, monkeypatch):  # noqa: F811
    from connectors.webchat import ChatRefused, WebchatInput

    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("RATE_LIMIT_SENDER_PER_MIN", "1000000")
    one, two = (WebchatInput(rate_limit_messages=2, rate_limit_window_s=5) for _ in range(2))
    session = uuid.uuid4().hex
    one.check_message(session, "hello")
    two.check_message(session, "hello again")
    try:
        one.check_message(session, "a third one")
    except ChatRefused as refused:
        assert refused.code == "rate_limited" and refused.status == 429 and 0 < refused.retry_after_s <= 5
    else:
        raise AssertionError("the third message in the window was let through")
