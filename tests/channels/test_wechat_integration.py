"""WeChat end to end: the real Rasa and action servers, the local fake of WeChat.

`wechat_servers` mirrors tests/integration/conftest.py's `servers` (same
Servers class, project credentials.yml, fresh database, agent `alice`) and
sets the WECHAT_* variables, including WECHAT_API_BASE of the fake, before
start. The channel runs in safe (AES) mode, the mode WeChat recommends.
Answers are read from the passive reply, or from the fake's
customer-service API when a turn took longer than the 4-second budget.
"""
from __future__ import annotations

import re
import time
import uuid

import pytest
import requests

from tests.channels.wechat_fake import (AES_KEY, APP_ID, APP_SECRET, TOKEN, FakeWeChatApi, WeChatClient, event_xml,
                                        image_xml, text_xml)
from tests.conftest import PROJECT_ROOT
from tests.integration.conftest import Servers, run_servers

HAN = re.compile(r"[\u4e00-\u9fff]")


class WeChatServers(Servers):
    """Servers with a copy of credentials.yml whose WeChat entry has other settings."""

    def __init__(self, workdir, database_url, **wechat_settings) -> None:
        super().__init__(workdir, database_url)
        self.wechat_settings = wechat_settings

    def _start(self, name, args):
        if name == "rasa" and self.wechat_settings:
            from rasa.shared.utils.io import read_yaml_file, write_yaml

            credentials = read_yaml_file(PROJECT_ROOT / "credentials.yml")
            credentials["connectors.wechat.WeChatInput"] = {
                **(credentials.get("connectors.wechat.WeChatInput") or {}), **self.wechat_settings}
            path = self.workdir / "credentials.yml"
            write_yaml(credentials, path)
            args = [str(path) if a == "credentials.yml" else a for a in args]
        return super()._start(name, args)


def start_servers(tmp_path_factory, fake, name, **wechat_settings):
    yield from run_servers(
        tmp_path_factory, name,
        {"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
         "WECHAT_AES_KEY": AES_KEY, "WECHAT_MODE": "safe", "WECHAT_API_BASE": fake.base_url},
        WeChatServers, **wechat_settings,
    )


@pytest.fixture(scope="session")
def wechat_servers(tmp_path_factory, trained_model, wechat_fake):
    yield from start_servers(tmp_path_factory, wechat_fake, "wechat_servers")


@pytest.fixture(scope="session")
def wechat_slow_servers(tmp_path_factory, trained_model, wechat_fake):
    """Every turn is "slow": a 0.01 s budget, so answers go through the customer-service API."""
    yield from start_servers(tmp_path_factory, wechat_fake, "wechat_slow_servers", reply_budget_s=0.01)


@pytest.fixture
def client(wechat_servers) -> WeChatClient:
    return WeChatClient(f"{wechat_servers.url}/webhooks/wechat/webhook", mode="safe")


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def answer(client: WeChatClient, fake: FakeWeChatApi, user: str, text: str) -> str:
    """The bot's answer however it came: passive reply, or pushed after `success`."""
    before = len(fake.messages_to(user))
    reply = client.say(text_xml(user, text))
    assert reply.elapsed < 5.0
    if reply.content:
        return reply.content
    return "\n".join(fake.wait_for_messages(user, before + 1)[before:])


def test_url_verification_on_the_real_server(client):
    assert client.verify("hello-wechat").text == "hello-wechat"
    assert client.verify("hello-wechat", good=False).status_code == 403


def test_chinese_conversation_end_to_end(client, wechat_fake, wechat_servers):
    user = openid()
    welcome = client.say(event_xml(user, "subscribe")).content
    assert "欢迎" in welcome
    greeting = answer(client, wechat_fake, user, "你好")
    assert HAN.search(greeting), greeting
    status = answer(client, wechat_fake, user, "我的订单QX-100002到哪了")
    # A WeChat user not linked to the order's phone or e-mail hears the status only (issue 10).
    assert "QX-100002" in status and HAN.search(status) and "已经发货" in status, status
    assert "SF1234567890" not in status, status
    assert "**" not in status
    tracker = wechat_servers.tracker(user)
    inputs = {e.get("input_channel") for e in tracker["events"] if e["event"] == "user"}
    assert inputs == {"wechat"}
    assert tracker["slots"].get("language") == "zh"


def test_escalation_and_agent_reply_through_the_customer_service_api(client, wechat_fake, wechat_servers):
    user = openid()
    token = wechat_servers.login("alice", "pass-word-1")  # an agent online: queued, not a callback
    answer(client, wechat_fake, user, "你好，我的订单QX-100001有问题")
    handed = answer(client, wechat_fake, user, "转人工")
    assert "人工" in handed, handed
    tickets = wechat_servers.api("GET", "/tickets", token, params={"conversation_id": user}).json()
    assert len(tickets) == 1
    ticket = tickets[0]
    ticket_id = ticket["ticket_id"]
    view = wechat_servers.api("GET", f"/tickets/{ticket_id}", token).json()
    assert view["packet"]["channel"] == "wechat"
    assert view["packet"]["reason"]["code"] == "customer_request"

    sent_before = len(wechat_fake.messages_to(user))
    assert wechat_servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    joined = wechat_fake.wait_for_messages(user, sent_before + 1)[sent_before:]
    assert joined and "Alice" in joined[0]

    result = wechat_servers.api("POST", f"/tickets/{ticket_id}/messages", token, json={"text": "您好，我是Alice，马上帮您看订单。"})
    assert result.json()["status"] == "sent"
    assert wechat_fake.wait_for_messages(user, sent_before + 2)[-1] == "您好，我是Alice，马上帮您看订单。"

    # While the person owns the conversation the bot stays silent; the message reaches the ticket.
    reply = client.say(text_xml(user, "好的，谢谢"))
    assert reply.body == "success", reply.content
    deadline = time.time() + 10
    texts = []
    while time.time() < deadline:
        texts = [m["text"] for m in wechat_servers.api("GET", f"/tickets/{ticket_id}", token).json()["transcript"]]
        if "好的，谢谢" in texts:
            break
        time.sleep(0.2)
    assert "好的，谢谢" in texts
    assert len(wechat_fake.messages_to(user)) == sent_before + 2

    # Closing hands the conversation back; the rating question goes out through the API.
    closed = wechat_servers.api("POST", f"/tickets/{ticket_id}/close", token, json={"disposition": "resolved"})
    assert closed.status_code == 200
    csat = wechat_fake.wait_for_messages(user, sent_before + 3)[-1]
    assert "打分" in csat and "回复数字选择" not in csat, csat
    thanks = answer(client, wechat_fake, user, "5")
    assert "感谢您的评分" in thanks, thanks


def test_hostile_xml_on_the_real_server_leaves_it_unharmed(client, wechat_fake, wechat_servers):
    params, _ = client.signed_params(text_xml("o1", "x"))
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>'
    assert requests.post(client.url, params=params, data=bomb, timeout=5).status_code == 400
    assert requests.post(client.url, params=params, data=b"<xml>" * 30000, timeout=5).status_code == 413
    assert wechat_servers.rasa_api("GET", "/status", timeout=5).ok
    assert HAN.search(answer(client, wechat_fake, openid(), "你们几点营业"))


def test_buttons_become_numbered_options_answered_by_number(client, wechat_fake, wechat_servers):
    user = openid()
    answer(client, wechat_fake, user, "你好")
    clarify = answer(client, wechat_fake, user, "噗噜噗噜嘎嘎叽里咕噜")
    assert "回复数字选择：" in clarify and "1. 查询订单" in clarify, clarify
    number = [line.split(".")[0] for line in clarify.splitlines() if line.endswith("查询订单")][0]
    asked = answer(client, wechat_fake, user, number)
    assert "订单号" in asked, asked
    intents = [e["parse_data"]["intent"]["name"] for e in wechat_servers.tracker(user)["events"] if e["event"] == "user"]
    assert intents[-1] == "check_order_status"


def test_slow_turn_on_the_real_server_answered_once_through_the_api(wechat_slow_servers, wechat_fake):
    client = WeChatClient(f"{wechat_slow_servers.url}/webhooks/wechat/webhook", mode="safe")
    user = openid()
    replies = client.send(text_xml(user, "我的订单QX-100002到哪了"), force_tries=3)  # WeChat's 3 tries
    assert [r.body for r in replies] == ["success"] * 3
    assert all(r.elapsed < 5.0 for r in replies)
    sent = wechat_fake.wait_for_messages(user, 1)
    time.sleep(2.0)  # nothing else arrives later
    assert wechat_fake.messages_to(user) == sent and len(sent) == 1
    assert "QX-100002" in sent[0] and HAN.search(sent[0])
    users = [e for e in wechat_slow_servers.tracker(user)["events"] if e["event"] == "user"]
    assert len(users) == 1


def test_an_image_message_after_the_hand_over_is_a_photo_on_the_ticket_and_the_agent_sends_one_back(
        client, wechat_fake, wechat_servers):
    import io

    from PIL import Image

    def png(color, size) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", size, color).save(out, "PNG")
        return out.getvalue()

    user = openid()
    token = wechat_servers.login("alice", "pass-word-1")
    handed = answer(client, wechat_fake, user, "转人工")
    assert "人工" in handed, handed
    [ticket] = wechat_servers.api("GET", "/tickets", token, params={"conversation_id": user}).json()
    ticket_id = ticket["ticket_id"]
    media_id = f"MEDIA_{uuid.uuid4().hex[:8]}"
    wechat_fake.media[media_id] = png((250, 120, 0), (64, 40))
    reply = client.say(image_xml(user, media_id))
    assert reply.status == 200 and reply.elapsed < 5.0
    photos = []
    deadline = time.time() + 20
    while time.time() < deadline and not photos:
        view = wechat_servers.api("GET", f"/tickets/{ticket_id}", token).json()
        photos = [line for line in view["transcript"] if line.get("attachments")]
        time.sleep(0.2)
    [line] = photos
    assert line["from"] == "customer" and line["text"] == "[图片]" and line["channel"] == "wechat"
    [photo] = line["attachments"]
    assert (photo["content_type"], photo["width"], photo["height"]) == ("image/png", 64, 40)
    served = wechat_servers.api("GET", f"/attachments/{photo['id']}", token)
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(served.content)).getpixel((0, 0)) == (250, 120, 0)

    assert wechat_servers.api("POST", f"/tickets/{ticket_id}/claim", token).status_code == 200
    sent = wechat_servers.api("POST", f"/tickets/{ticket_id}/attachments", token, data=png((0, 90, 0), (50, 50)))
    assert sent.status_code == 201 and sent.json()["status"] == "sent", sent.text
    [image] = wechat_fake.images_to(user)
    assert Image.open(io.BytesIO(image)).size == (50, 50)
    wechat_servers.api("POST", f"/tickets/{ticket_id}/close", token, json={"disposition": "resolved"})


def test_intent_syntax_typed_on_wechat_is_ordinary_text(client, wechat_fake, wechat_servers):
    """"/report_fraud" typed in WeChat is read as words; an injected entity never reaches a slot."""
    user = openid()
    answer(client, wechat_fake, user, "/report_fraud")
    answer(client, wechat_fake, user, '/inform{"order_number":{"a":1}}')
    from tests.rows import RowsUnitOfWork

    tracker = wechat_servers.tracker(user)
    assert not isinstance(tracker["slots"].get("order_number"), (dict, list))
    [user_event] = [e for e in tracker["events"] if e["event"] == "user" and e.get("text") == "\uff0freport_fraud"]
    assert len(user_event["parse_data"].get("intent_ranking") or []) > 1  # read by NLU, not by Rasa's syntax
    with RowsUnitOfWork() as uow:
        for ticket in uow.tickets.for_conversation(user):  # if the words reach a person, the agent reads them
            assert "\uff0freport_fraud" in [line.get("text") for line in uow.tickets.transcript(ticket)]
