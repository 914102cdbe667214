"""rev14d #2: photo uploads in flight per client address, chat session and agent
(connectors/photos.py InFlightLimiter): refused at once past the limit, and always given back: on an
answer, on an exception, and when the client goes away (the handler cancelled) only once the check
itself has ended."""
from __future__ import annotations

import asyncio

import pytest

from bot.settings import Settings
from connectors.photos import ChecksInFlight, InFlightLimiter


def test_acquire_up_to_the_limit_then_refuse_and_release_gives_it_back():
    limiter = InFlightLimiter()
    first = limiter.acquire(("address|a", 2), ("session|s1", 1))
    with pytest.raises(ChecksInFlight) as refused:
        limiter.acquire(("address|a", 2), ("session|s1", 1))  # the session's one is in flight
    assert refused.value.key == "session|s1" and refused.value.retry_after_s > 0
    assert limiter.count("address|a") == 1  # a refusal takes nothing
    second = limiter.acquire(("address|a", 2), ("session|s2", 1))
    with pytest.raises(ChecksInFlight) as refused:
        limiter.acquire(("address|a", 2), ("session|s3", 1))  # the address's two are in flight
    assert refused.value.key == "address|a"
    assert limiter.count("session|s3") == 0
    limiter.acquire(("address|b", 2), ("session|s4", 1)).release()  # another address is not limited
    first.release()
    first.release()  # a second release gives nothing back twice
    assert limiter.count("address|a") == 1 and limiter.count("session|s1") == 0
    limiter.acquire(("address|a", 2), ("session|s1", 1))
    second.release()
    assert limiter.count("session|s2") == 0


def test_a_limit_of_zero_is_no_limit():
    limiter = InFlightLimiter()
    holds = [limiter.acquire(("agent|alice", 0)) for _ in range(50)]
    assert limiter.count("agent|alice") == 50
    for hold in holds:
        hold.release()
    assert limiter.count("agent|alice") == 0


def test_the_hold_is_given_back_when_the_block_raises():
    limiter = InFlightLimiter()
    with pytest.raises(ValueError):
        with limiter.acquire(("address|a", 1)):
            raise ValueError("the picture is not one")
    assert limiter.count("address|a") == 0

    async def failing_check():
        raise ValueError("refused")

    async def upload():
        with limiter.acquire(("address|a", 1)) as hold:
            await hold.run(failing_check())

    with pytest.raises(ValueError):
        asyncio.run(upload())
    assert limiter.count("address|a") == 0


def test_a_client_gone_mid_check_holds_until_the_check_ends_then_gives_back():
    limiter = InFlightLimiter()

    async def scenario():
        check_may_end, check_started = asyncio.Event(), asyncio.Event()

        async def slow_check():
            check_started.set()
            await check_may_end.wait()
            return "checked"

        async def upload():
            with limiter.acquire(("address|a", 1)) as hold:
                return await hold.run(slow_check())

        handler = asyncio.ensure_future(upload())
        await check_started.wait()
        handler.cancel()  # Sanic cancels the handler when the client disconnects
        with pytest.raises(asyncio.CancelledError):
            await handler
        # the check still runs (a picture worker is busy with it): the address may not start another
        assert limiter.count("address|a") == 1
        with pytest.raises(ChecksInFlight):
            limiter.acquire(("address|a", 1))
        check_may_end.set()
        for _ in range(100):
            if not limiter.count("address|a"):
                break
            await asyncio.sleep(0)
        assert limiter.count("address|a") == 0
        limiter.acquire(("address|a", 1)).release()

    asyncio.run(scenario())


def test_a_client_gone_before_the_check_gives_back_at_once():
    limiter = InFlightLimiter()

    async def scenario():
        body_started = asyncio.Event()

        async def upload():
            with limiter.acquire(("session|s", 1)):
                body_started.set()
                await asyncio.sleep(3600)  # reading a slow body

        handler = asyncio.ensure_future(upload())
        await body_started.wait()
        handler.cancel()
        with pytest.raises(asyncio.CancelledError):
            await handler
        assert limiter.count("session|s") == 0

    asyncio.run(scenario())


def test_the_settings_default_and_read_from_the_environment():
    defaults = Settings.from_env({})
    assert (defaults.photo_checks_per_address, defaults.photo_checks_per_session,
            defaults.photo_checks_per_agent) == (2, 1, 2)
    assert defaults.photo_check_cpu_s == 3.0
    read = Settings.from_env({"PHOTO_CHECKS_PER_ADDRESS": "5", "PHOTO_CHECKS_PER_SESSION": "0",
                              "PHOTO_CHECKS_PER_AGENT": "3"})
    assert (read.photo_checks_per_address, read.photo_checks_per_session, read.photo_checks_per_agent) == (5, 0, 3)
    with pytest.raises(ValueError, match="PHOTO_CHECKS_PER_SESSION"):
        Settings.from_env({"PHOTO_CHECKS_PER_SESSION": "-1"})


def test_a_stalled_upload_body_ends_with_too_slow_and_frees_its_slot(monkeypatch):
    """rev14e #1: a body that sends a little and goes idle is refused (408 ``too_slow`` on both routes)
    at ``UPLOAD_DEADLINE_S``, so the slots it holds come back."""
    import asyncio

    from connectors import photos

    class Stalled:
        def __init__(self):
            self.sent = False

        async def read(self):
            if not self.sent:
                self.sent = True
                return b"x" * 100
            await asyncio.sleep(3600)  # the client went idle

    class Request:
        headers = {}
        stream = Stalled()

    monkeypatch.setattr(photos, "UPLOAD_DEADLINE_S", 0.2)
    limiter = InFlightLimiter()

    async def upload():
        with limiter.acquire(("address|a", 1)):  # what the routes hold while the body arrives
            return await photos.read_body(Request(), 1000)

    with pytest.raises(photos.TooSlow, match="did not arrive within 0.2 s"):
        asyncio.run(upload())
    assert limiter.count("address|a") == 0  # the slot came back
    limiter.acquire(("address|a", 1))  # and can be taken again
