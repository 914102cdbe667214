"""The Rasa server with REDIS_URL set (issue 13): conversation locks in the atomic Redis
lock store (endpoints.yml, bot/storage/conversation_state.py), IVR retry answers in Redis, every key expiring."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from tests.channels.conftest import IVR_SECRET
from tests.channels.test_ivr_calls import Call
from tests.integration.conftest import run_servers


@pytest.fixture(scope="module")
def redis_servers(tmp_path_factory, trained_model, redis_url):
    yield from run_servers(tmp_path_factory, "redis-servers", {"REDIS_URL": redis_url, "IVR_SECRET": IVR_SECRET})


def test_turns_of_one_conversation_take_the_redis_lock_and_its_keys_expire(redis_servers, redis_url):
    client = redis.Redis.from_url(redis_url)
    sender = f"redis-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda i: redis_servers.say(sender, f"where is QX-10000{i + 1}?"), range(3)))
    assert all(answers)
    keys = client.keys(f"qx:lock:{sender}*")
    assert keys  # Rasa took the conversation's lock in Redis (the counter outlives the turns, expiring)
    assert all(client.pttl(key) > 0 for key in keys)
    assert client.get(f"qx:lock:{sender}:seq") == b"3"  # one ticket per turn
    assert not client.exists(f"qx:lock:{sender}:q")  # nobody holds or waits


def test_ivr_retry_answers_are_kept_in_redis(redis_servers, redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    call = Call(redis_servers, tmp_path)
    call.send("start")
    key = f"qx:state:ivr:answer:{call.call_id}:0"  # bot.storage.conversation_state, connectors.ivr.stored_answer_key
    assert client.exists(key) and 0 < client.pttl(key) <= 3600 * 1000
