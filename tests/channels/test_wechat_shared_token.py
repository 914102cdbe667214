"""WeChat's access token shared by several servers through Redis (issue 13): WeChat keeps one
valid token per app (a new one retires the others: 40001), so with REDIS_URL set one server
fetches it and every server uses it (bot.storage.conversation_state.RedisSharedToken)."""
from __future__ import annotations

import asyncio

import pytest

from connectors.wechat.channel import WeChatConfig, WeChatInput
from tests.channels.wechat_fake import APP_ID, APP_SECRET, TOKEN, BackgroundLoop, FakeWeChatApi


@pytest.fixture
def loop():
    background = BackgroundLoop()
    yield background
    background.stop()


@pytest.fixture
def fake(loop):
    api = loop.run(FakeWeChatApi(one_token=True).start())
    yield api
    loop.run(api.stop())


def servers(fake, count: int) -> list:
    """``count`` WeChat channels, as ``count`` Rasa servers would build them."""
    config = WeChatConfig(token=TOKEN, app_id=APP_ID, app_secret=APP_SECRET, mode="plain", api_base=fake.base_url)
    return [WeChatInput(config) for _ in range(count)]


def test_servers_share_one_access_token_fetched_once(loop, fake, redis_url, monkeypatch):
    import redis

    redis.Redis.from_url(redis_url).delete(f"qx:token:wechat:{APP_ID}")
    monkeypatch.setenv("REDIS_URL", redis_url)
    channels = servers(fake, 3)

    async def pushes() -> list:
        return list(await asyncio.gather(*(channel.push(f"o{i}", [{"text": f"hello {i}"}])
                                           for i, channel in enumerate(channels * 2))))

    assert loop.run(pushes()) == [True] * 6
    assert fake.token_requests == 1  # one refresher; no server retired another's token
    assert sorted(m["touser"] for m in fake.sent) == [f"o{i}" for i in range(6)]
    key = redis.Redis.from_url(redis_url).pttl(f"qx:token:wechat:{APP_ID}")
    assert 0 < key <= 7200 * 1000

    # WeChat retires the token (another app instance fetched one): the first server to be
    # refused refreshes once; the others take its new token.
    fake.expire_tokens()
    fake.reset()
    assert loop.run(pushes()) == [True] * 6
    assert fake.token_requests == 1
    for channel in channels:
        loop.run(channel.api.close())


def test_without_redis_each_server_keeps_its_own_token(loop, fake, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    [channel] = servers(fake, 1)
    assert channel.api.shared_token is None
    assert loop.run(channel.push("o1", [{"text": "hi"}])) is True
    assert fake.token_requests == 1
    loop.run(channel.api.close())
