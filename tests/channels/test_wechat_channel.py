"""The WeChat channel over HTTP, in-process, with a scripted bot and the local fake of WeChat.

The real Rasa server is in test_wechat_integration.py; here the bot is a
script so that timing (the 5-second rule, retries, concurrency) is exact.
A "slow" turn is made by a tiny reply budget (0.01 s) rather than a slow
bot; the scripted bot only yields for 0.3 s so that retries find the turn
still running, as they would find a real Rasa turn.
"""
from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from bot.storage.conversation_state import state_key
from connectors.wechat import channel as wechat
from connectors.wechat import protocol
from connectors.wechat.channel import WeChatConfig, WeChatInput
from tests.channels.wechat_fake import (AES_KEY, APP_ID, APP_SECRET, OFFICIAL_ACCOUNT, TOKEN, BackgroundLoop,
                                        ChannelServer, FakeWeChatApi, WeChatClient, event_xml, message_xml,
                                        image_xml, text_xml, voice_xml)

BUTTONS = [{"title": "Talk to a person", "payload": "/request_human"}, {"title": "No thanks", "payload": "/deny"}]


class ScriptedBot:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple[str, str, str]] = []
        self.metadata: list[dict] = []

    async def __call__(self, message) -> None:
        self.calls.append((message.sender_id, message.text, message.input_channel))
        self.metadata.append(message.metadata or {})
        if self.delay:
            await asyncio.sleep(self.delay)
        out, sender, text = message.output_channel, message.sender_id, message.text
        if text == "buttons":
            await out.send_text_with_buttons(sender, "**Anything else?**", BUTTONS)
        elif text == "long":
            await out.send_text_message(sender, "这是一个很长的回答，用来测试分段发送。" * 200)
        elif text == "crash":
            raise RuntimeError("bot failure")
        elif text == "silent":
            return
        else:
            await out.send_text_message(sender, f"echo: {text} ({out.name()})")


@pytest.fixture(scope="module")
def loop():
    background = BackgroundLoop()
    yield background
    background.stop()


@pytest.fixture(scope="module")
def fake(loop):
    api = loop.run(FakeWeChatApi().start())
    yield api
    loop.run(api.stop())


@pytest.fixture
def make_channel(loop, fake, database_url):  # a fresh SQLite file: never the project's var/bot.db
    servers: list[ChannelServer] = []
    fake.reset()

    def make(mode: str = "plain", budget: float = 4.0, delay: float = 0.0, token: str = TOKEN):
        config = WeChatConfig(token=token, app_id=APP_ID, app_secret=APP_SECRET, aes_key=AES_KEY, mode=mode,
                              api_base=fake.base_url, reply_budget_s=budget)
        bot = ScriptedBot(delay)
        server = ChannelServer(WeChatInput(config), bot, loop).start()
        servers.append(server)
        return server, bot, WeChatClient(server.url, mode=mode)

    yield make
    for server in servers:
        server.stop()


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def test_url_verification(make_channel):
    _, _, client = make_channel()
    good = client.verify("echo-123")
    assert (good.status_code, good.text) == (200, "echo-123")
    assert client.verify("echo-123", good=False).status_code == 403


def test_a_captured_verification_url_expires_like_a_message_url(make_channel):
    # a fresh new user's finding (issue 11, sixteenth pass): the GET check accepted any age of timestamp
    server, _, client = make_channel()
    stale, nonce = "1000000000", "abc"
    params = {"signature": protocol.sign(TOKEN, stale, nonce), "timestamp": stale, "nonce": nonce, "echostr": "echo-1"}
    refused = requests.get(server.url, params=params, timeout=10)
    assert refused.status_code == 403 and "echo-1" not in refused.text


def test_unconfigured_token_answers_503(make_channel):
    server, _, client = make_channel(token="")
    assert client.verify("x").status_code == 503
    reply = requests.post(server.url, data=text_xml("o1", "hi"), timeout=5)
    assert reply.status_code == 503 and reply.headers["Content-Type"] == "application/json"
    # the shape of every other JSON error (connectors/guard.py), not plain text
    assert reply.json() == {"error": "WeChat channel not configured: set WECHAT_TOKEN", "reason": "ServiceUnavailable"}


@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
def test_text_round_trip(make_channel, mode):
    _, bot, client = make_channel(mode=mode)
    user = openid()
    reply = client.say(text_xml(user, "你好，我想查订单"))
    assert reply.content == "echo: 你好，我想查订单 (wechat)"
    assert reply.fields["ToUserName"] == user and reply.fields["FromUserName"] == OFFICIAL_ACCOUNT
    if mode != "plain":
        assert "<Encrypt>" in reply.body and "echo" not in reply.body
    assert bot.calls == [(user, "你好，我想查订单", "wechat")]


def test_message_types(make_channel):
    _, bot, client = make_channel(mode="safe")
    user = openid()
    assert client.say(voice_xml(user, "我的订单到哪了")).content == "echo: 我的订单到哪了 (wechat)"
    assert client.say(voice_xml(user, None)).content == wechat.VOICE_UNRECOGNISED
    # a photo WeChat cannot give us (unknown media id): said so, the bot is not called
    assert client.say(message_xml(user, "image", {"PicUrl": "http://x/p.jpg", "MediaId": "m"})).content == wechat.PHOTO_FAILED
    assert client.say(message_xml(user, "location", {"Location_X": "23.1", "Location_Y": "113.3", "Scale": "20",
                                                     "Label": "广州"})).content == wechat.ONLY_TEXT
    assert client.say(message_xml(user, "link", {"Title": "t", "Description": "d", "Url": "http://x"})).content == wechat.ONLY_TEXT
    welcome = client.say(event_xml(user, "subscribe")).content
    assert "欢迎" in welcome and "订单" in welcome and "转人工" in welcome
    assert client.say(event_xml(user, "subscribe", EventKey="qrscene_123")).content == welcome
    assert client.say(event_xml(user, "unsubscribe")).body == "success"
    assert client.say(event_xml(user, "CLICK", EventKey="menu")).body == "success"
    assert client.say(message_xml(user, "hologram", {"Beam": "1"})).body == "success"
    assert bot.calls == [(user, "我的订单到哪了", "wechat")]


def test_slow_turn_answered_once_through_the_api_despite_three_retries(make_channel, fake):
    _, bot, client = make_channel(budget=0.01, delay=0.3)
    user = openid()
    replies = client.send(text_xml(user, "slow question"), force_tries=3)
    assert [r.body for r in replies] == ["success"] * 3
    assert all(r.elapsed < 1.0 for r in replies)
    assert fake.wait_for_messages(user, 1) == ["echo: slow question (wechat)"]
    time.sleep(0.5)
    assert fake.messages_to(user) == ["echo: slow question (wechat)"]
    assert len(bot.calls) == 1


def test_duplicate_msg_id_processed_once_under_concurrency(make_channel, fake):
    _, bot, client = make_channel(budget=3.0, delay=0.3)
    user = openid()
    params, body = client.signed_params(text_xml(user, "same message", msg_id=424242))
    results = []

    def post():
        results.append(client.post_raw(params, body))

    threads = [threading.Thread(target=post) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.content for r in results] == ["echo: same message (wechat)"] * 5
    assert client.post_raw(params, body).content == "echo: same message (wechat)"  # a late retry: cached
    assert len(bot.calls) == 1
    assert fake.messages_to(user) == []


def test_access_token_cached_then_refreshed_after_expiry(make_channel, fake):
    _, _, client = make_channel(budget=0.01, delay=0.1)
    user = openid()
    for i, text in enumerate(["one", "two"]):
        client.say(text_xml(user, text))
        fake.wait_for_messages(user, i + 1)
    assert fake.token_requests == 1
    fake.expire_tokens()
    fake.busy_next = 1  # and one "system busy": retried with backoff
    client.say(text_xml(user, "three"))
    assert fake.wait_for_messages(user, 3) == ["echo: one (wechat)", "echo: two (wechat)", "echo: three (wechat)"]
    assert fake.token_requests == 2
    fake._tokens.clear()  # WeChat forgot the token (40001): refreshed once, then sent
    client.say(text_xml(user, "four"))
    assert fake.wait_for_messages(user, 4)[-1] == "echo: four (wechat)"
    assert fake.token_requests == 3


def test_unreachable_api_and_refused_secret_fail_cleanly(loop, fake):
    down = WeChatInput(WeChatConfig(token=TOKEN, app_id=APP_ID, app_secret=APP_SECRET,
                                    api_base="http://127.0.0.1:9"))
    down.api.backoff_s = 0.01
    assert loop.run(down.push("o1", [{"text": "hi"}])) is False
    refused = WeChatInput(WeChatConfig(token=TOKEN, app_id=APP_ID, app_secret="wrong", api_base=fake.base_url))
    assert loop.run(refused.push("o1", [{"text": "hi"}])) is False
    assert fake.messages_to("o1") == []
    output = refused.get_output_channel()
    assert output.name() == "wechat"
    loop.run(down.api.close())
    loop.run(refused.api.close())


def test_long_answer_split_and_sent_in_order(make_channel, fake):
    _, _, client = make_channel()
    user = openid()
    assert client.say(text_xml(user, "long")).body == "success"
    expected = "这是一个很长的回答，用来测试分段发送。" * 200
    deadline = time.time() + 10
    while "".join(fake.messages_to(user)) != expected and time.time() < deadline:
        time.sleep(0.05)
    parts = fake.messages_to(user)
    assert len(parts) > 1 and "".join(parts) == expected
    assert all(len(p.encode("utf-8")) <= 2048 and p.endswith("。") for p in parts)


def test_buttons_as_numbered_options_answered_by_number(make_channel):
    _, bot, client = make_channel()
    user = openid()
    reply = client.say(text_xml(user, "buttons")).content
    assert reply == "Anything else?\n\nReply with a number:\n1. Talk to a person\n2. No thanks"
    client.say(text_xml(user, "1"))
    assert bot.calls[-1][1] == "/request_human"
    client.say(text_xml(user, "1"))  # the echo had no buttons: "1" is just text now
    assert bot.calls[-1][1] == "1"


def test_bot_failure_and_silence_never_500(make_channel):
    _, _, client = make_channel()
    user = openid()
    assert client.say(text_xml(user, "crash")).content == wechat.TURN_FAILED
    assert client.say(text_xml(user, "silent")).body == "success"


def test_hostile_requests_get_4xx_and_the_server_keeps_working(make_channel):
    server, bot, client = make_channel(mode="safe")
    user = openid()
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>'
            '<xml><ToUserName>gh</ToUserName><Encrypt>&lol1;</Encrypt></xml>')
    params, _ = client.signed_params(text_xml(user, "x"))
    assert client.post_raw(params, bomb.encode()).status == 400
    assert client.post_raw(params, b"<xml><Encrypt>abc").status == 400
    assert client.post_raw(params, b"<xml>" + b"A" * 200_000 + b"</xml>").status == 413
    # a well-signed ciphertext for another official account
    other = WeChatClient(server.url, mode="safe", app_id="wx0000000000000000")
    wrong_params, wrong_body = other.signed_params(text_xml(user, "hi"))
    assert client.post_raw(wrong_params, wrong_body).status == 400
    # a ciphertext whose plaintext is hostile XML
    evil_params, evil_body = client.signed_params('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml>&e;</xml>')
    assert client.post_raw(evil_params, evil_body).status == 400
    # bad msg_signature, stale timestamp, plaintext in safe mode
    good_params, good_body = client.signed_params(text_xml(user, "hi"))
    assert client.post_raw({**good_params, "msg_signature": "0" * 40}, good_body).status == 403
    stale_params, stale_body = client.signed_params(text_xml(user, "hi"), timestamp=int(time.time()) - 3600)
    assert client.post_raw(stale_params, stale_body).status == 403
    plain = WeChatClient(server.url, mode="plain")
    p_params, p_body = plain.signed_params(text_xml(user, "hi"))
    assert client.post_raw(p_params, p_body).status == 400
    assert bot.calls == []
    assert client.say(text_xml(user, "still alive?")).content == "echo: still alive? (wechat)"


def test_plain_mode_bad_signature(make_channel):
    _, bot, client = make_channel()
    params, body = client.signed_params(text_xml(openid(), "hi"))
    assert client.post_raw({**params, "signature": "f" * 40}, body).status == 403
    assert client.post_raw({k: v for k, v in params.items() if k != "signature"}, body).status == 403
    assert bot.calls == []


def held_ticket(uow, user: str) -> dict:
    """A ticket of the WeChat follower ``user`` held by an agent; its packet."""
    now = datetime.now(timezone.utc)
    packet = {"ticket_id": "T" + uuid.uuid4().hex[:12], "conversation_id": user, "channel": "wechat",
              "language": "zh", "priority": 3, "reason": {"code": "customer_request", "detail": None},
              "skills": ["zh"], "summary": "s", "created_at": now.isoformat(),
              "sla": {"due_at": (now + timedelta(minutes=5)).isoformat()}}
    with uow:
        uow.tickets.add(packet, "with_agent")
        uow.commit()
    return packet


def test_agent_reply_pusher_and_45015_recorded_on_the_ticket(make_channel, fake, loop, uow):
    from bot.queue.delivery import _PUSHERS

    server, _, _ = make_channel()
    user = openid()
    assert _PUSHERS["wechat"] == server.channel.push
    assert loop.run(server.channel.push(user, [{"text": "您好，我是客服小李。", "custom": {"from": "agent"}}]))
    assert fake.messages_to(user) == ["您好，我是客服小李。"]

    packet = held_ticket(uow, user)
    fake.errors_for[user] = 45015
    sends = fake.send_requests
    assert not loop.run(server.channel.push(user, [{"text": "还在吗？"}]))
    assert fake.send_requests == sends + 1  # not retried
    from sqlalchemy import select

    from bot.storage.db import TicketEventRow
    with uow:
        events = list(uow.execute(select(TicketEventRow).where(
            TicketEventRow.ticket_id == packet["ticket_id"], TicketEventRow.kind == "delivery_failed")).scalars())
        assert len(events) == 1 and events[0].data["errcode"] == 45015 and events[0].text == "还在吗？"


def test_any_other_refused_push_is_noted_on_the_ticket_too(make_channel, fake, loop, uow):
    """A fresh new user (session 45): a reply WeChat refused with another errcode showed as sent, with no mark."""
    from sqlalchemy import select

    from bot.storage.db import TicketEventRow

    server, _, _ = make_channel()
    user = openid()
    packet = held_ticket(uow, user)
    fake.errors_for[user] = 40003  # invalid openid
    assert not loop.run(server.channel.push(user, [{"text": "您好，地址已改好。"}]))
    with uow:
        events = list(uow.execute(select(TicketEventRow).where(
            TicketEventRow.ticket_id == packet["ticket_id"], TicketEventRow.kind == "delivery_failed")).scalars())
        assert len(events) == 1 and events[0].data["errcode"] == 40003 and events[0].text == "您好，地址已改好。"


def test_undelivered_agent_reply_goes_out_when_the_customer_writes_again(make_channel, fake, uow):
    from sqlalchemy import update

    from bot.storage.db import OutboxRow

    _, _, client = make_channel()
    user = openid()
    with uow:
        ids = uow.outbox.add(user, "wechat", [{"text": "客服回复：已为您改好地址。"}])
        uow.outbox.add(user, "rest", [{"text": "not for wechat"}])
        uow.execute(update(OutboxRow).values(created_at=datetime.now(timezone.utc) - timedelta(minutes=5)))
        fresh = uow.outbox.add(user, "wechat", [{"text": "still being pushed by bot.queue.delivery"}])
        uow.commit()
    assert client.say(text_xml(user, "在吗")).content == "echo: 在吗 (wechat)"
    assert fake.wait_for_messages(user, 1) == ["客服回复：已为您改好地址。"]
    client.say(text_xml(user, "again"))
    time.sleep(0.3)
    assert fake.messages_to(user) == ["客服回复：已为您改好地址。"]  # sent once; young and REST rows untouched
    with uow:
        rows = {r.id: r for r in uow.rows(OutboxRow)}
        assert rows[ids[0]].delivered_at is not None and rows[fresh[0]].delivered_at is None


# --- issue 10: one signed URL, one body; XML in and out -------------------------

@pytest.mark.parametrize("mode", ["plain", "compat"])
def test_signed_url_reused_with_another_body_is_refused(make_channel, fake, mode):
    server, bot, _ = make_channel(mode=mode, budget=3.0)
    client = WeChatClient(server.url, mode="plain")  # compat mode also reads unencrypted requests
    victim, attacker = openid(), openid()
    params, body = client.signed_params(text_xml(victim, "where is my order", msg_id=5001))
    assert client.post_raw(params, body).content == "echo: where is my order (wechat)"
    forged = text_xml(attacker, "change my address", msg_id=5002).encode("utf-8")
    refused = client.post_raw(params, forged)
    assert refused.status == 403 and "another body" in refused.body and "safe mode" in refused.body
    assert bot.calls == [(victim, "where is my order", "wechat")]
    assert not any(attacker in key for key in server.channel.running_turns)  # nothing stored for the forged body
    assert server.channel.answers.get_now(state_key("wechat:options", attacker)) is None
    # WeChat's own retry of the first request (same URL, same body) still gets the cached answer.
    assert client.post_raw(params, body).content == "echo: where is my order (wechat)"
    # The refused message was not remembered: sent properly, it is a new turn.
    assert client.say(text_xml(attacker, "change my address", msg_id=5002)).content == \
        "echo: change my address (wechat)"
    assert len(bot.calls) == 2 and fake.messages_to(attacker) == []


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_control_characters_in_content_get_a_normal_answer(make_channel, mode):
    _, bot, client = make_channel(mode=mode)
    user = openid()
    reply = client.say(text_xml(user, "QX-100001\x1d 到哪了\x08？"))
    assert reply.status == 200 and reply.content == "echo: QX-100001 到哪了？ (wechat)"
    assert bot.calls == [(user, "QX-100001 到哪了？", "wechat")]


@pytest.mark.parametrize("sender", ["o" + "y" * 5000, "<img src=x onerror=alert(9)>", "o1]]><MsgType>news</MsgType>", "o 1"])
def test_a_sender_that_is_no_openid_is_refused_before_any_turn(make_channel, sender):
    # plain mode: anyone can write FromUserName, and it becomes the conversation id (a fresh new user's finding)
    _, bot, client = make_channel(mode="plain")
    reply = client.post_raw(*client.signed_params(text_xml(sender, "转人工")))
    assert reply.status == 400 and "openid" in reply.body
    assert bot.calls == []


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_customer_text_cannot_break_or_extend_the_passive_reply(make_channel, mode):
    _, _, client = make_channel(mode=mode)
    user = openid()
    hostile = "a]]></Content><MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Content><![CDATA[b"
    reply = client.say(text_xml(user, hostile))
    assert reply.fields == {"ToUserName": user, "FromUserName": OFFICIAL_ACCOUNT, "CreateTime": reply.fields["CreateTime"],
                            "MsgType": "text", "Content": f"echo: {hostile} (wechat)"}
    assert reply.fields["CreateTime"].isdigit()


def test_a_retry_reaching_another_server_is_answered_from_the_shared_answer_store(loop, fake, database_url):
    """Two servers sharing one conversation-state store (Redis in production, bot/storage/conversation_state.py):
    WeChat's retry of a MsgId on the other server gets the same passive reply and runs no second turn."""
    from bot.storage.conversation_state import InMemoryStateStore

    shared = InMemoryStateStore()
    config = WeChatConfig(token=TOKEN, app_id=APP_ID, app_secret=APP_SECRET, aes_key=AES_KEY, mode="plain",
                          api_base=fake.base_url, reply_budget_s=4.0)
    servers, bots = [], []
    try:
        for _ in range(2):
            channel = WeChatInput(config)
            channel.answers = shared
            bots.append(ScriptedBot())
            servers.append(ChannelServer(channel, bots[-1], loop).start())
        user = openid()
        first, second = (WeChatClient(server.url, mode="plain") for server in servers)
        params, body = first.signed_params(text_xml(user, "只问一次", msg_id=777001))
        assert first.post_raw(params, body).content == "echo: 只问一次 (wechat)"
        assert second.post_raw(params, body).content == "echo: 只问一次 (wechat)"
        assert [len(bot.calls) for bot in bots] == [1, 0]
    finally:
        for server in servers:
            server.stop()


def _png(color=(10, 200, 10), size=(30, 20)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def test_an_image_message_is_fetched_checked_stored_and_passed_on_with_its_attachment(make_channel, fake):
    from bot.services import attachments as attachments_service
    from tests.rows import RowsUnitOfWork

    _, bot, client = make_channel(mode="safe")
    user = openid()
    fake.media["MEDIA_OK"] = _png()
    fake.media["MEDIA_SVG"] = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    reply = client.say(image_xml(user, "MEDIA_OK"))
    assert reply.content == "echo: [图片] (wechat)"
    assert bot.calls[-1] == (user, "[图片]", "wechat")
    attachment_id = bot.metadata[-1]["attachment_id"]
    stored = attachments_service.for_agent(RowsUnitOfWork(), attachment_id)
    assert (stored.conversation_id, stored.channel, stored.uploader, stored.content_type) == (
        user, "wechat", "customer", "image/png")
    calls = len(bot.calls)
    assert client.say(image_xml(user, "MEDIA_SVG")).content == wechat.PHOTO_FAILED  # the same content check
    assert len(bot.calls) == calls


def test_an_agents_photo_goes_out_as_an_uploaded_image_message(make_channel, fake, loop):
    from bot.services import attachments as attachments_service
    from tests.rows import RowsUnitOfWork

    server, _, _ = make_channel(mode="safe")
    user = openid()
    stored = attachments_service.store(RowsUnitOfWork(), _png((0, 0, 250)), user, "wechat", "agent", "alice")
    message = attachments_service.outgoing_image(stored, "Alice", "这是正确的标签")
    assert loop.run(server.channel.push(user, [message])) is True
    assert fake.messages_to(user) == ["这是正确的标签"]
    assert fake.images_to(user) == [stored.data]


# --- review chan29: the signature before the timestamp; fields read as text must be flat ----------------------

def _tracebacks(caplog) -> list:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_an_unsigned_post_with_a_400_digit_timestamp_is_a_403_without_a_traceback(make_channel, caplog, mode):
    # it raised OverflowError in the timestamp check (run before the signature check) and answered 200 "success"
    server, bot, client = make_channel(mode=mode)
    huge = "9" * 400
    _, body = client.signed_params(text_xml(openid(), "hi"))
    extra = {"encrypt_type": "aes"} if mode == "safe" else {}
    for params in ({"timestamp": huge, "nonce": "1", **extra},
                   {"timestamp": huge, "nonce": "1", "signature": "0" * 40, **extra},
                   {"timestamp": huge, "nonce": "1", "signature": "0" * 40, "msg_signature": "0" * 40, **extra}):
        caplog.clear()
        refused = client.post_raw(params, body)
        assert refused.status == 403 and "signature" in refused.body, (params, refused)
        assert _tracebacks(caplog) == []
    assert bot.calls == []
    assert client.say(text_xml(openid(), "still here")).content == "echo: still here (wechat)"


@pytest.mark.parametrize("mode", ["plain", "safe"])
@pytest.mark.parametrize("timestamp", ["9" * 400, "9" * 13, "1409735669x"], ids=["400-digits", "13-digits", "letter"])
def test_a_signed_timestamp_that_is_no_unix_seconds_is_a_400_without_a_traceback(make_channel, caplog, mode,
                                                                               timestamp):
    server, bot, client = make_channel(mode=mode)
    nonce = "424242"
    params = {"signature": protocol.sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    body = text_xml(openid(), "hi")
    if mode == "safe":  # the ciphertext signed over the same timestamp, as WeChat would if it sent one
        import xmltodict

        ciphertext = protocol.encrypt(TOKEN, AES_KEY, APP_ID, body, nonce, "1")
        encrypt = xmltodict.parse(ciphertext)["xml"]["Encrypt"]
        params.update(encrypt_type="aes", msg_signature=protocol.sign(TOKEN, timestamp, nonce, encrypt))
        body = f"<xml><ToUserName>gh</ToUserName><Encrypt>{encrypt}</Encrypt></xml>"
    caplog.clear()
    refused = client.post_raw(params, body.encode("utf-8"))
    assert refused.status == 400 and "timestamp must be Unix seconds" in refused.body
    assert _tracebacks(caplog) == []
    assert bot.calls == []


def test_the_url_check_with_a_400_digit_timestamp_is_refused_without_a_traceback(make_channel, caplog):
    server, _, _ = make_channel()
    huge, nonce = "9" * 400, "abc"
    signed = {"signature": protocol.sign(TOKEN, huge, nonce), "timestamp": huge, "nonce": nonce, "echostr": "e-1"}
    refused = requests.get(server.url, params=signed, timeout=10)
    assert refused.status_code == 400 and "e-1" not in refused.text
    unsigned = requests.get(server.url, params={**signed, "signature": "0" * 40}, timeout=10)
    assert unsigned.status_code == 403 and "e-1" not in unsigned.text
    assert _tracebacks(caplog) == []


@pytest.mark.parametrize("mode", ["plain", "safe"])
@pytest.mark.parametrize("fields, named", [
    ("<Content>a</Content><Content>转人工</Content>", "<Content> appears 2 times"),
    ("<Content><x>转人工</x></Content>", "<Content> must be text"),
    ('<Content kind="x">转人工</Content>', "<Content> must be text"),
])
def test_signed_xml_with_a_duplicate_or_nested_field_is_a_400_with_one_clear_log_line(make_channel, caplog, mode,
                                                                                     fields, named):
    # they reached the catch-all handler (a traceback, then 200 "success"); malformed XML was already a 400
    _, bot, client = make_channel(mode=mode)
    user = openid()
    xml = (f"<xml><ToUserName>{OFFICIAL_ACCOUNT}</ToUserName><FromUserName>{user}</FromUserName>"
           f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType>{fields}<MsgId>9001</MsgId></xml>")
    caplog.clear()
    refused = client.post_raw(*client.signed_params(xml))
    assert refused.status == 400 and named in refused.body
    assert _tracebacks(caplog) == []
    refusals = [r.getMessage() for r in caplog.records if r.name == wechat.__name__]
    assert len(refusals) == 1 and refusals[0].startswith(f"WeChat request refused (400): malformed message: {named}")
    assert bot.calls == []
    assert client.say(text_xml(user, "again")).content == "echo: again (wechat)"
