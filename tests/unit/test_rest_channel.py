"""REST channel protocol (connectors/rest.py), bearer checks (bot/auth.py) and
conversation ownership (bot/channels/conversations.py): pure functions and a real SQLite."""
import json

import pytest

from bot.auth import bearer_matches, bearer_token, secret_matches
from connectors.rest import (
    MAX_JSON_DEPTH, MAX_MESSAGE_CHARS, MAX_METADATA_BYTES, MAX_SENDER_CHARS, RestError, message_metadata,
    parse_webhook_body,
)


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


def refused(raw: bytes) -> tuple[int, str]:
    with pytest.raises(RestError) as caught:
        parse_webhook_body(raw)
    return caught.value.status, caught.value.reason


def test_a_valid_body_keeps_sender_message_and_metadata():
    parsed = parse_webhook_body(body(sender="客户-1", message="hi", metadata={"customer_token": "t"}))
    assert (parsed.sender, parsed.message, parsed.metadata) == ("客户-1", "hi", {"customer_token": "t"})
    assert parse_webhook_body(body(sender="a/b+c=", message="hi")).metadata == {}


@pytest.mark.parametrize("raw, status, words", [
    (b"{not json", 400, "JSON"),
    (b"\xff\xfe\x00garbage", 400, "JSON"),
    (b'[{"sender": "a", "message": "hi"}]', 400, "object"),
    (b'"hello"', 400, "object"),
    (b"[" * 10_000 + b"]" * 10_000, 400, "nested"),
    (body(sender="a", message="hi", metadata={"a": json.loads("[" * 40 + "]" * 40)}), 400, "nested"),
    (b'{"sender": "a", "message": "\\ud800"}', 400, "surrogate"),
    (b'{"sender": "a", "message": "hi", "metadata": {"k": "\\udfff"}}', 400, "surrogate"),
    (b'{"sender": "a\\ud800", "message": "hi"}', 400, "surrogate"),
    (b'{"sender": "a", "message": "hi\\u0000"}', 400, "NUL"),
    (body(sender="a", message=""), 400, "empty"),
    (body(sender="a", message=" \n\t\u3000 "), 400, "empty"),
    (body(sender="a", message=None), 400, "string"),
    (body(sender="a", message=["hi"]), 400, "string"),
    (body(sender=12345, message="hi"), 400, "sender must be a string"),
    (body(sender=["a"], message="hi"), 400, "sender must be a string"),
    (body(sender="   ", message="hi"), 400, "empty"),
    (body(sender="x" * (MAX_SENDER_CHARS + 1), message="hi"), 400, str(MAX_SENDER_CHARS)),
    (body(sender="a\nb", message="hi"), 400, "control"),
    (body(message="hi"), 400, "sender"),
    (body(sender="a", message="x" * (MAX_MESSAGE_CHARS + 1)), 413, str(MAX_MESSAGE_CHARS)),
    (body(sender="a", message="hi", metadata="token"), 400, "metadata"),
    (body(sender="a", message="hi", metadata=["x"]), 400, "metadata"),
    (body(sender="a", message="hi", metadata={"blob": "y" * MAX_METADATA_BYTES}), 413, "metadata"),
])
def test_bad_bodies_are_refused_with_a_reason(raw, status, words):
    got_status, reason = refused(raw)
    assert got_status == status and words in reason


def test_limits_are_inclusive():
    assert parse_webhook_body(body(sender="x" * MAX_SENDER_CHARS, message="y" * MAX_MESSAGE_CHARS))
    nested = json.loads("[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2))  # body=1, metadata=2
    assert parse_webhook_body(body(sender="a", message="hi", metadata={"a": nested}))


def test_server_side_metadata_keys_are_dropped_and_channel_is_rest():
    forged = {"channel": "ivr", "caller": "+447700900444", "ivr": {"call_id": "c"}, "wechat": {"to": "x"},
              "ivr_escalation": "no_input", "ivr_escalation_detail": "forged", "customer_token": "t", "language": "zh"}
    assert message_metadata(forged) == {"customer_token": "t", "language": "zh", "channel": "rest"}


def test_bearer_header_parsing_and_constant_time_compare():
    assert bearer_token("Bearer abc") == "abc" and bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None and bearer_token("Bearer") is None and bearer_token(None) is None
    assert bearer_matches("Bearer s3cret", "s3cret")
    assert not bearer_matches("Bearer s3cre", "s3cret") and not bearer_matches("s3cret", "s3cret")
    assert not secret_matches("", "") and not secret_matches(None, None) and not secret_matches("x", None)
    assert secret_matches("密钥", "密钥") and not secret_matches("密钥", "密")


def test_a_conversation_belongs_to_the_channel_that_claimed_it_first(uow):
    with uow as unit:
        assert unit.conversations.owner("o1") is None
        assert unit.conversations.claim("o1", "wechat") == "wechat"
        assert unit.conversations.claim("o1", "rest") == "wechat"  # never overwritten
        assert unit.conversations.claim("客户-1", "rest") == "rest"
        unit.commit()
    with uow as unit:
        assert unit.conversations.owner("o1") == "wechat" and unit.conversations.owner("客户-1") == "rest"
        with pytest.raises(ValueError):
            unit.conversations.claim("o2", "telegram")


def test_issued_web_chat_sessions_belong_to_the_web_before_their_first_message(uow):
    from bot.channels.webchat import public_id

    with uow as unit:
        session_id = public_id(unit.webchat.issue("https://shop.example"))  # the conversation's (public) id
        unit.commit()
    with uow as unit:
        assert unit.conversations.owner(session_id) == "web"
        assert unit.conversations.claim(session_id, "rest") == "web"


def test_the_rest_outbox_hands_over_only_rest_messages(uow):
    from connectors.rest import take_pending

    with uow as unit:
        unit.outbox.add("c1", "webchat", [{"text": "for the widget"}])
        unit.outbox.add("c1", "rest", [{"text": "for REST"}])
        unit.commit()
    assert take_pending("c1") == [{"recipient_id": "c1", "text": "for REST"}]
    assert take_pending("c1") == []
    with uow as unit:
        assert [(m["message"]["text"], m["delivered"]) for m in unit.outbox.all_for("c1")] == [
            ("for the widget", False), ("for REST", True)]


@pytest.mark.parametrize("sender,reserved", [
    ("ivr-call-1", True), ("IVR-call-1", True), ("wechat-o123", True), ("webchat-x", True), ("web-1", True),
    ("0123456789abcdef0123456789abcdef", True),  # a web chat session id (bot.channels.webchat.new_session_id)
    ("o" + "A1b2C3d4E5f6G7h8I9j0K1l2M3_", True),  # a WeChat openid
    ("customer-42", False), ("客户-1", False), ("ivr", False), ("my-ivr-test", False), ("o123", False),
    # look-alikes of a web chat id an agent cannot tell from it (fresh-user report 26 #10)
    ("0123456789ABCDEF0123456789ABCDEF", True), ("0123456789abcdef0123456789ABCDEF", True),
    (" 0123456789abcdef0123456789abcdef", True), ("0123456789abcdef0123456789abcdef\t", True),
    ("\u200b0123456789abcdef0123456789abcdef", True), ("\u3000" + "０１２３４５６７８９ＡＢＣＤＥＦ" * 2, True),
    (" ivr-call-1", True), ("\ufeffwechat-o123", True),
    ("0123456789abcdef0123456789abcde", False), ("0123456789abcdef 0123456789abcdef", False),
])
def test_other_channels_sender_ids_are_reserved(sender, reserved):
    from connectors.rest import reserved_sender
    assert (reserved_sender(sender) is not None) is reserved


@pytest.mark.parametrize("look_alike", ["59348FD454D449CB0DD18002A605582A", " 59348fd454d449cb0dd18002a605582a",
                                        "59348fd454d449cb0dd18002a605582a ", "\u200b59348fd454d449cb0dd18002a605582a"])
def test_a_web_chat_id_look_alike_is_refused_as_the_id_itself(look_alike):
    """The same 403 and reason as the exact web chat id, from the body's parser the webhook uses."""
    exact = refused(body(sender="59348fd454d449cb0dd18002a605582a", message="hi"))
    assert exact[0] == 403 and "web chat session id" in exact[1]
    assert refused(body(sender=look_alike, message="hi")) == exact


@pytest.mark.parametrize("sender", ["alice ", " alice", "alice\n", "\u3000客户-1", "alice\u200b", "\ufeffalice"])
def test_a_sender_wrapped_in_white_space_or_invisible_characters_is_refused(sender):
    """"alice " and "alice" would be two conversations the desk shows alike."""
    status, reason = refused(body(sender=sender, message="hi"))
    assert status == 400 and ("white space" in reason or "control" in reason)
    assert parse_webhook_body(body(sender="closed plain id", message="hi")).sender == "closed plain id"  # inside: fine


@pytest.mark.parametrize("photo", ["../../etc/passwd", "", 12345, None, ["a"], "A" * 32, "0" * 31, "g" * 32,
                                   "0123456789abcdef0123456789abcdef/.."])
def test_an_attachment_id_not_made_by_our_uploads_is_refused_with_a_reason(photo):
    status, reason = refused(body(sender="m4", message="I want to talk to a human", metadata={"attachment_id": photo}))
    assert status == 400 and "attachment_id" in reason and "32 lower-case hexadecimal" in reason


def test_an_attachment_id_as_our_uploads_make_it_is_kept():
    from bot.channels.attachments import new_attachment_id

    photo = new_attachment_id()
    parsed = parse_webhook_body(body(sender="m4", message="hi", metadata={"attachment_id": photo}))
    assert parsed.metadata == {"attachment_id": photo}
