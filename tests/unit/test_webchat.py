"""Web chat logic without servers: message shape, history, limits, origins, sessions, tokens."""
from __future__ import annotations

import asyncio

import jwt
import pytest

from bot.cli import main as cli
from bot.customers.identity import verify_customer_token
from bot.channels.webchat import RateLimiter, history, session_id_problem, widget_message
from connectors.webchat import ChatRefused, WebchatInput


def test_bot_message_shapes_become_the_widget_shape():
    collected = {"recipient_id": "s", "text": "Pick one", "buttons": [{"title": "Yes", "payload": "/affirm"}],
                 "image": "https://shop.example/a.png"}
    assert widget_message(collected) == {
        "from": "bot", "text": "Pick one",
        "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "/affirm"}],
        "attachment": {"type": "image", "payload": {"src": "https://shop.example/a.png"}},
    }
    event = {"event": "bot", "text": "Rate us", "data": {"buttons": [{"title": "5", "payload": "5"}]}, "timestamp": 7}
    assert widget_message(event)["quick_replies"][0]["payload"] == "5" and widget_message(event)["timestamp"] == 7.0
    agent = {"text": "Hi", "custom": {"from": "agent", "agent": "Alice"}}
    assert widget_message(agent) == {"from": "agent", "agent": "Alice", "text": "Hi"}
    # a custom payload cannot pretend to be anything but the bot
    assert widget_message({"text": "x", "custom": {"from": "user"}})["from"] == "bot"


def test_history_merges_tracker_and_agent_messages_by_time_and_hides_payloads():
    events = [
        {"event": "user", "text": "/greet{\"language\":\"en\"}", "metadata": {"hidden": True}, "timestamp": 1},
        {"event": "bot", "text": "Hello", "timestamp": 2},
        {"event": "user", "text": "/check_order_status", "metadata": {"shown_as": "Check an order"}, "timestamp": 3},
        {"event": "action", "name": "action_listen", "timestamp": 3.5},
        {"event": "user", "text": "a person please", "timestamp": 4},
        {"event": "bot", "text": "Connecting you", "timestamp": 5},
    ]
    people = [{"text": "Alice here", "custom": {"from": "agent", "agent": "Alice"}, "timestamp": 6, "new": True}]
    shown = history(events, people)
    assert [(m["from"], m.get("text")) for m in shown] == [
        ("bot", "Hello"), ("user", "Check an order"), ("user", "a person please"), ("bot", "Connecting you"),
        ("agent", "Alice here"),
    ]
    assert shown[-1]["new"] is True and "new" not in shown[0]
    assert [m["text"] for m in history(events, people, limit=2)] == ["Connecting you", "Alice here"]


def test_rate_limiter_sliding_window_per_session():
    now = [0.0]
    limiter = RateLimiter(limit=3, window_s=10, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another session is not affected
    assert limiter.retry_after("a") == 10
    now[0] = 10.0
    assert limiter.allow("a")


def test_origin_allow_list_and_message_checks():
    channel = WebchatInput(allowed_origins=["https://shop.example.com/"], max_message_chars=5,
                           rate_limit_messages=2, rate_limit_window_s=60)
    assert channel.origin_allowed(None, "bot.example.com")  # not a browser
    assert channel.origin_allowed("https://bot.example.com", "bot.example.com")  # the demo page itself
    assert channel.origin_allowed("https://SHOP.example.com", "bot.example.com")
    assert not channel.origin_allowed("https://shop.example.com.evil.io", "bot.example.com")
    assert not channel.origin_allowed("null", "bot.example.com")
    assert asyncio.run(channel.check_message("s", "hello")) == "hello"
    with pytest.raises(ChatRefused) as refused:
        asyncio.run(channel.check_message("s", "toolong"))
    assert refused.value.code == "too_long" and refused.value.status == 413
    with pytest.raises(ChatRefused) as refused:
        asyncio.run(channel.check_message("s", {"text": "hi"}))
    assert refused.value.code == "bad_request"
    asyncio.run(channel.check_message("s", "again"))
    with pytest.raises(ChatRefused) as refused:
        asyncio.run(channel.check_message("s", "third"))
    assert refused.value.code == "rate_limited" and "wait" in str(refused.value)


@pytest.mark.parametrize("value, kind", [(5, "a number"), (1.5, "a number"), (True, "a boolean"),
                                         (["a"], "an array"), ({"id": "a"}, "an object")])
def test_a_session_id_that_is_not_a_string_is_a_bad_request_naming_its_type(value, kind):
    assert session_id_problem(value) == f"session_id must be a string (the session_id /chat/api/session returned), " \
                                        f"not {kind}"
    with pytest.raises(ChatRefused) as refused:
        WebchatInput.check_session_id(value)
    assert (refused.value.status, refused.value.code) == (400, "bad_request") and kind in str(refused.value)


@pytest.mark.parametrize("value", [None, "", "f" * 32, "not-one-we-issued"])
def test_a_string_or_no_session_id_is_left_to_the_session_lookup(value):
    assert session_id_problem(value) is None
    WebchatInput.check_session_id(value)  # unknown strings: a new session, or 404 unknown_session


def test_a_message_that_is_not_a_string_says_so():
    channel = WebchatInput()
    for value, reason in ((5, "message must be a string"), (["hi"], "message must be a string"),
                          (None, "a message needs some text"), ("  ", "a message needs some text")):
        with pytest.raises(ChatRefused, match=reason) as refused:
            asyncio.run(channel.check_message("s", value))
        assert (refused.value.status, refused.value.code) == (400, "bad_request")


def test_metadata_carries_only_what_the_server_vouches_for():
    meta = WebchatInput.metadata("tok", "zh", {"shown_as": " Yes ", "hidden": True, "channel": "ivr", "caller": "+1"})
    assert meta == {"channel": "webchat", "customer_token": "tok", "language": "zh", "shown_as": "Yes", "hidden": True}
    assert WebchatInput.metadata(None, "fr", {}) == {"channel": "webchat"}


def test_sessions_are_issued_and_only_issued_ids_resume(uow):
    with uow:
        issued = uow.webchat.issue("https://shop.example.com")
        uow.commit()
    with uow:
        assert uow.webchat.resume(issued)
        assert not uow.webchat.resume("f" * 32)
        assert not uow.webchat.resume("rest-sender-1")
        assert not uow.webchat.resume(None)


def test_cli_prints_a_token_the_server_accepts(monkeypatch, capsys):
    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", "cli-secret-0123456789-0123456789")
    assert cli(["customer-token", "shop-42", "--phone", "+8613800138000", "--name", "李娜"]) == 0
    claims = verify_customer_token(capsys.readouterr().out.strip())
    assert (claims.sub, claims.phone, claims.name) == ("shop-42", "+8613800138000", "李娜")
    monkeypatch.delenv("WEBCHAT_TOKEN_SECRET")
    assert cli(["customer-token", "x"]) == 2
    assert "WEBCHAT_TOKEN_SECRET" in capsys.readouterr().err


def test_token_problems_are_told_apart(monkeypatch):
    secret = "unit-secret-0123456789-0123456789"
    assert WebchatInput.check_token(None) == (None, None)
    expired = jwt.encode({"sub": "a", "exp": 1}, secret, algorithm="HS256")
    monkeypatch.setenv("WEBCHAT_TOKEN_SECRET", secret)
    assert WebchatInput.check_token(expired)[1]["code"] == "expired_token"
    assert WebchatInput.check_token("x.y.z")[1]["code"] == "invalid_token"
    monkeypatch.delenv("WEBCHAT_TOKEN_SECRET")
    assert WebchatInput.check_token(expired)[1]["code"] == "tokens_disabled"


def test_rasa_clients_get_what_rasas_socketio_channel_emits():
    import asyncio

    from bot.channels.webchat import rasa_messages

    shapes = asyncio.run(rasa_messages({"recipient_id": "s", "text": "Hello\n\nPick one",
                                        "buttons": [{"title": "Yes", "payload": "/affirm"}],
                                        "image": "https://shop.example/a.png"}))
    assert shapes == [
        {"text": "Hello", "quick_replies": []},
        {"text": "Pick one", "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "/affirm"}]},
        {"attachment": {"type": "image", "payload": {"src": "https://shop.example/a.png"}}},
    ]
    # agent replies and system notes: a plain text, no marker keys
    assert asyncio.run(rasa_messages({"text": "Hi", "custom": {"from": "agent", "agent": "Alice"},
                                      "timestamp": 5.0, "new": True})) == [{"text": "Hi"}]


def test_a_rasa_clients_language_and_bare_payloads():
    assert WebchatInput.client_language({"customData": {"language": "zh"}}) == "zh"
    assert WebchatInput.client_language({"metadata": {"language": "en"}}) == "en"
    assert WebchatInput.client_language({"customData": {"language": "fr"}, "metadata": "x"}) is None
    assert WebchatInput.with_language("/greet", "zh") == '/greet{"language": "zh"}'
    assert WebchatInput.with_language('/greet{"language": "en"}', "zh") == '/greet{"language": "en"}'
    assert WebchatInput.with_language("hello", "zh") == "hello"
    assert WebchatInput.with_language("/greet", None) == "/greet"


def test_picture_urls_for_rasa_clients_are_made_absolute(monkeypatch):
    """Issue 14: a server-relative picture URL becomes absolute on PUBLIC_BASE_URL, else on the
    socket's own address; absolute URLs and text stay as they are; a junk Host gives no base."""
    from connectors.webchat import absolute_images, connection_base

    image = {"attachment": {"type": "image", "payload": {"src": "/chat/api/attachments/ab?sig=1"}}}
    assert absolute_images(image, "http://chat.local:5005")["attachment"]["payload"]["src"] == (
        "http://chat.local:5005/chat/api/attachments/ab?sig=1")
    assert absolute_images(image, None) == image
    assert absolute_images({"text": "hi"}, "http://x") == {"text": "hi"}
    assert absolute_images({"image": "//evil.example/x.png"}, "http://x") == {"image": "//evil.example/x.png"}
    assert absolute_images({"image": "/p.png"}, "http://x") == {"image": "http://x/p.png"}
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://support.example.com/")
    assert absolute_images(image, "http://10.0.0.5:5005")["attachment"]["payload"]["src"].startswith(
        "https://support.example.com/chat/api/attachments/ab")
    monkeypatch.delenv("PUBLIC_BASE_URL")
    assert connection_base({"HTTP_HOST": "Chat.Example.com:8443", "wsgi.url_scheme": "https"}) == (
        "https://chat.example.com:8443")
    assert connection_base({"HTTP_HOST": "evil.example/x?"}) is None
    assert connection_base({}) is None
    # X-Forwarded-Proto from anyone but a trusted proxy is not believed
    assert connection_base({"HTTP_HOST": "a.example", "HTTP_X_FORWARDED_PROTO": "https"}) == "http://a.example"


def test_public_base_url_setting():
    import pytest

    from bot.settings import Settings

    assert Settings.from_env({}).public_base_url is None
    assert Settings.from_env({"PUBLIC_BASE_URL": "https://x.example/"}).public_base_url == "https://x.example"
    for bad in ("ftp://x", "x.example", "https://x.example/?a=1"):
        with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
            Settings.from_env({"PUBLIC_BASE_URL": bad})
