"""A customer leaves the website chat and calls: the phone knows their case."""
from __future__ import annotations

import asyncio

from tests.channels.test_ivr_calls import Call, kinds, spoken
from tests.integration.test_customers import token
from tests.integration.webchat_client import ChatClient, texts

PHONE = "+8613955550101"  # no other test uses it: a call-back ticket would come first


def test_reset_left_on_the_website_continues_on_the_phone(ivr_servers, tmp_path):
    async def web_chat():
        async with ChatClient(ivr_servers.url) as chat:
            await chat.start(token=token("shop-caller-1", phone=PHONE), language="en")
            for message in ("I forgot my password", "done", "done"):
                await chat.say(message)
            assert "Step 3 of 4" in texts(chat.of("bot_uttered"))

    asyncio.run(web_chat())
    call = Call(ivr_servers, tmp_path, "en-US", caller=PHONE)  # the caller id is the verified phone
    greeting = call.send("start")  # every prompt is rendered by espeak-ng in Call.send
    assert "You were on step 3 of resetting your password on the website. Shall we continue?" in spoken(greeting)
    assert kinds(greeting)[-1] == "gather"
    resumed = call.send("speech", text="yes", confidence=0.93)
    assert "Step 3 of 4" in spoken(resumed)


def test_an_unrelated_caller_hears_no_open_case(ivr_servers, tmp_path):
    greeting = Call(ivr_servers, tmp_path, "en-US", caller="+8613955550102").send("start")
    assert "Welcome back" not in spoken(greeting) and "Welcome to QX Shop" in spoken(greeting)
