"""Pure protocol functions: fixed vectors, no I/O."""
from __future__ import annotations

import pytest

from connectors.wechat import protocol
from connectors.wechat.channel import WeChatConfig
from tests.channels.wechat_fake import APP_ID, text_xml

# Tencent's published example (WXBizMsgCrypt demo), also used by wechatpy's tests.
KAT_TOKEN = "spamtest"
KAT_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
KAT_APP_ID = "wx2c2769f8efd9abc2"
KAT_TIMESTAMP = "1409735669"
KAT_NONCE = "1320562132"
KAT_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
KAT_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9"
    "FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3y"
    "t+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h"
    "0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)


def test_known_answer_signature_and_decryption():
    assert protocol.sign(KAT_TOKEN, KAT_TIMESTAMP, KAT_NONCE, KAT_ENCRYPT) == KAT_MSG_SIGNATURE
    xml = protocol.decrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, KAT_ENCRYPT, KAT_MSG_SIGNATURE, KAT_TIMESTAMP, KAT_NONCE)
    message = protocol.parse(xml)
    assert message.type == "text"
    assert message.content == "abcdteT"
    assert message.source == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert protocol.dedup_key(message) == "msg:oyORnuP8q7ou2gfYjqLzSIWZf0rs:6054768590064713728"


def test_url_signature_vector():
    # sha1("1409735669" + "1320562132" + "spamtest") after sorting: computed independently with hashlib.
    import hashlib

    expected = hashlib.sha1("".join(sorted([KAT_TOKEN, KAT_TIMESTAMP, KAT_NONCE])).encode()).hexdigest()
    assert protocol.sign(KAT_TOKEN, KAT_TIMESTAMP, KAT_NONCE) == expected
    assert protocol.signature_ok(expected, expected.upper())
    assert not protocol.signature_ok(expected, expected[:-1] + "0")
    assert not protocol.signature_ok(expected, None)
    assert not protocol.signature_ok(expected, "不是签名")


def test_decrypt_refuses_bad_signature_and_wrong_app_id():
    with pytest.raises(protocol.ProtocolError) as bad:
        protocol.decrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, KAT_ENCRYPT, "0" * 40, KAT_TIMESTAMP, KAT_NONCE)
    assert bad.value.status == 403
    with pytest.raises(protocol.ProtocolError) as wrong:
        protocol.decrypt(KAT_TOKEN, KAT_KEY, "wx0000000000000000", KAT_ENCRYPT, KAT_MSG_SIGNATURE,
                         KAT_TIMESTAMP, KAT_NONCE)
    assert wrong.value.status == 400
    garbage = "not-base64!!"
    with pytest.raises(protocol.ProtocolError):
        protocol.decrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, garbage, protocol.sign(KAT_TOKEN, "1", "2", garbage), "1", "2")


def test_encrypt_round_trip_with_reply_signature():
    import xmltodict

    envelope = xmltodict.parse(protocol.encrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, "<xml><a>你好</a></xml>", "n1", "123"))["xml"]
    assert envelope["MsgSignature"] == protocol.sign(KAT_TOKEN, "123", "n1", envelope["Encrypt"])
    assert protocol.decrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, envelope["Encrypt"], envelope["MsgSignature"],
                            "123", "n1") == "<xml><a>你好</a></xml>"


def test_timestamp_window():
    assert protocol.timestamp_ok("1000", 1200, 300)
    assert not protocol.timestamp_ok("1000", 1301, 300)
    assert not protocol.timestamp_ok("1600", 1000, 300)
    assert not protocol.timestamp_ok("", 1000, 300)
    assert not protocol.timestamp_ok("12a", 1000, 300)


@pytest.mark.parametrize("body,status", [
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml>&lol2;</xml>', 400),
    (b'<!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml><a>1</a></xml>', 400),
    (b"<xml><a>1</a>", 400),
    (b"not xml at all", 400),
    (b"<other><a>1</a></other>", 400),
    (b"<xml>text only</xml>", 400),
    (b"", 400),
    (b"<xml><a>" + b"x" * 70000 + b"</a></xml>", 413),
])
def test_hostile_and_malformed_xml(body, status):
    with pytest.raises(protocol.ProtocolError) as error:
        protocol.xml_fields(body)
    assert error.value.status == status


def test_parse_message_types_and_unknown():
    assert protocol.parse(text_xml("o1", "你好")).content == "你好"
    unknown = protocol.parse("<xml><FromUserName>o1</FromUserName><ToUserName>gh</ToUserName>"
                             "<CreateTime>1</CreateTime><MsgType>hologram</MsgType><MsgId>5</MsgId></xml>")
    assert unknown.type == "unknown"
    event = protocol.parse("<xml><FromUserName>o1</FromUserName><ToUserName>gh</ToUserName>"
                           "<CreateTime>77</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>")
    assert event.type == "event" and protocol.dedup_key(event) == "evt:o1:77"
    with pytest.raises(protocol.ProtocolError):
        protocol.parse("<xml><Content>no type</Content></xml>")


def test_markdown_and_buttons_render_as_numbered_plain_text():
    text, payloads = protocol.render([
        {"text": "**Opening hours**: see [our page](https://qx.example/hours) or `call us`.\n- Mon–Fri 9–18"},
        {"text": "Anything else?", "buttons": [{"title": "Talk to a person", "payload": "/request_human"},
                                               {"title": "No thanks", "payload": "/deny"}]},
    ])
    assert "**" not in text and "`" not in text and "[" not in text
    assert "our page https://qx.example/hours" in text
    assert "• Mon–Fri 9–18" in text
    assert text.endswith("Reply with a number:\n1. Talk to a person\n2. No thanks")
    assert payloads == ["/request_human", "/deny"]
    zh, _ = protocol.render([{"text": "还有什么可以帮您？", "buttons": [{"title": "转人工客服", "payload": "/request_human"}]}])
    assert "回复数字选择：\n1. 转人工客服" in zh
    scale = [{"title": str(i), "payload": str(i)} for i in range(1, 6)]
    csat, csat_payloads = protocol.render([{"text": "请为我们的服务打分：1（很差）到 5（非常满意）。", "buttons": scale}])
    assert csat == "请为我们的服务打分：1（很差）到 5（非常满意）。" and csat_payloads == ["1", "2", "3", "4", "5"]


def test_option_numbers_map_back_to_payloads():
    payloads = ["/request_human", "/deny"]
    assert protocol.option_payload("1", payloads) == "/request_human"
    assert protocol.option_payload(" ２ ", payloads) == "/deny"
    assert protocol.option_payload("2.", payloads) == "/deny"
    assert protocol.option_payload("3", payloads) is None
    assert protocol.option_payload("1", []) is None
    assert protocol.option_payload("QX-100001", payloads) is None


def test_split_on_sentence_boundaries_within_the_byte_limit():
    sentence_zh = "您的订单已经发货，预计三天内送达。"  # 17 characters, 51 bytes
    text = sentence_zh * 100
    parts = protocol.split_text(text, 2000)
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 2000 for p in parts)
    assert all(p.endswith("。") for p in parts)
    assert "".join(parts) == text
    english = " ".join(f"Sentence number {i} is here." for i in range(200))
    parts_en = protocol.split_text(english, 500)
    assert all(len(p.encode()) <= 500 and p.endswith(".") for p in parts_en)
    assert " ".join(parts_en) == english
    long_word = "x" * 1200
    assert [len(p) for p in protocol.split_text(long_word, 500)] == [500, 500, 200]
    assert protocol.split_text("  ", 500) == []
    assert protocol.split_text("short", 500) == ["short"]


def test_config_from_credentials_and_environment():
    env = {"WECHAT_TOKEN": "t", "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": "s", "WECHAT_MODE": "safe",
           "WECHAT_AES_KEY": KAT_KEY, "WECHAT_API_BASE": "http://127.0.0.1:1"}
    config = WeChatConfig.from_credentials({"reply_budget_s": 0.5}, env)
    assert (config.token, config.mode, config.api_base, config.reply_budget_s) == ("t", "safe", "http://127.0.0.1:1", 0.5)
    assert config.problem() is None
    assert WeChatConfig.from_credentials({"token": "override"}, env).token == "override"
    missing = WeChatConfig.from_credentials(None, {})
    assert "WECHAT_TOKEN" in missing.problem()
    assert missing.api_base == "https://api.weixin.qq.com"
    assert "WECHAT_AES_KEY" in WeChatConfig.from_credentials(None, {**env, "WECHAT_AES_KEY": "short"}).problem()
    with pytest.raises(ValueError):
        WeChatConfig.from_credentials(None, {**env, "WECHAT_MODE": "loud"})


# --- XML: forbidden characters in, well-formed documents out (issue 10) -------

import xml.etree.ElementTree as ET  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from connectors.wechat.replay import InMemorySignedUrlStore, url_key  # noqa: E402
from connectors.xml_text import cdata, clean_document, xml_text  # noqa: E402

# Arbitrary text, weighted towards what breaks XML: CDATA ends, markup, controls, lone
# surrogates, U+FFFE/U+FFFF, emoji and other astral characters.
NASTY = st.sampled_from(["]]>", "]]", "]", "<", ">", "&", "&amp;", "&#x1d;", "&#0;", "<![CDATA[", "\x1d", "\x08",
                         "\x00", "\r\n", "\r", "\ud800", "\udfff", "\ufffe", "\uffff", "😀", "\U0010ffff",
                         "𠀋", "\u2028", '"', "'"])
TEXT = st.lists(st.one_of(st.text(), NASTY), max_size=12).map("".join)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _children(document: str) -> dict:
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == "xml"
    assert [c for c in root if len(c)] == []  # no element inside a field
    return {child.tag: child.text or "" for child in root}


def test_xml_text_and_cdata_fixed_vectors():
    assert xml_text("a\x1db\x08c\x00d\ud800e\ufffef\r\ng\rh\t😀") == "abcdef\ng\nh\t😀"
    assert cdata("x]]>y") == "<![CDATA[x]]]]><![CDATA[>y]]>"
    assert cdata("\x1d]]]>") == "<![CDATA[]]]]]><![CDATA[>]]>"
    assert clean_document("<a>x&#x1d;&#29;\x1d&#65;&#x1F600;<![CDATA[&#1;\x08]]>&#99999999999;</a>") == \
        "<a>x&#65;&#x1F600;<![CDATA[&#1;]]></a>"


def test_control_characters_in_content_are_dropped_not_fatal():
    xml = ("<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
           "<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           "<Content><![CDATA[hel\x1dlo\x08 wor]]>&#x1d;<![CDATA[ld]]></Content><MsgId>7</MsgId></xml>")
    assert protocol.parse(xml).content == "hello world"
    assert protocol.xml_fields(xml.encode("utf-8"))["Content"] == "hello world"


def test_passive_reply_fixed_vector_with_hostile_text():
    with pytest.raises(protocol.ProtocolError, match="openid"):
        protocol.parse(text_xml("o]]><x>1</x>", "hi"))  # refused on the way in (sixteenth pass) ...
    from wechatpy.parser import parse_message

    message = parse_message(text_xml("o]]><x>1</x>", "hi"))  # ... and the reply is safe even so
    hostile = "a]]></Content><MsgType><![CDATA[news]]></MsgType><Content><![CDATA[b\x1d"
    xml = protocol.text_reply_xml(message, hostile, now=1700000000)
    assert xml == ("<xml><ToUserName><![CDATA[o]]]]><![CDATA[><x>1</x>]]></ToUserName>"
                   "<FromUserName><![CDATA[gh_10f6c3c3ac5a]]></FromUserName><CreateTime>1700000000</CreateTime>"
                   "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[a]]]]><![CDATA[></Content><MsgType>"
                   "<![CDATA[news]]]]><![CDATA[></MsgType><Content><![CDATA[b]]></Content></xml>")
    fields = _children(xml)
    assert fields == {"ToUserName": "o]]><x>1</x>", "FromUserName": "gh_10f6c3c3ac5a", "CreateTime": "1700000000",
                      "MsgType": "text", "Content": hostile[:-1]}


def test_encrypted_envelope_is_built_not_formatted():
    envelope = protocol.encrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, "<xml/>", nonce="n]]><Evil/>", timestamp="123")
    fields = _children(envelope)
    assert sorted(fields) == ["Encrypt", "MsgSignature", "Nonce", "TimeStamp"]
    assert fields["Nonce"] == "n]]><Evil/>" and fields["TimeStamp"] == "123"
    assert fields["MsgSignature"] == protocol.sign(KAT_TOKEN, "123", "n]]><Evil/>", fields["Encrypt"])
    with pytest.raises(ValueError):
        protocol.encrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, "<xml/>", nonce="n", timestamp="12<3")
    with pytest.raises(ValueError):
        protocol.xml_document([("Bad Tag", "x")])


@PROPERTY
@given(content=TEXT, openid=TEXT, account=TEXT)
def test_property_passive_reply_is_well_formed_and_round_trips(content, openid, account):
    message = protocol.parse(text_xml("o1", "hi"))
    message.source, message.target = openid, account
    xml = protocol.text_reply_xml(message, content, now=1)
    fields = _children(xml)
    assert fields == {"ToUserName": xml_text(openid), "FromUserName": xml_text(account), "CreateTime": "1",
                      "MsgType": "text", "Content": xml_text(content)}
    envelope = _children(protocol.encrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, xml, "nonce", "1700000000"))
    inner = protocol.decrypt(KAT_TOKEN, KAT_KEY, KAT_APP_ID, envelope["Encrypt"], envelope["MsgSignature"],
                             "1700000000", "nonce")
    assert _children(inner) == fields


@PROPERTY
@given(content=TEXT)
def test_property_incoming_text_with_any_characters_parses(content):
    # As WeChat writes it: Content in CDATA (split at "]]>"), characters as typed.
    body = ("<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
            "<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
            + content.replace("]]>", "]]]]><![CDATA[>") + "]]></Content><MsgId>7</MsgId></xml>")
    assert (protocol.parse(body).content or "") == xml_text(content).strip()


# --- signed URLs in plain mode (issue 10, item 7) ------------------------------

def test_signed_url_store_same_body_retry_other_body_refused_and_bounded():
    store = InMemorySignedUrlStore(max_entries=3)
    key = url_key("1000", "42")
    assert store.claim_now(key, "body-a", expires_at=1301, now=1000)
    assert store.claim_now(key, "body-a", expires_at=1301, now=1100)  # WeChat's retry
    assert not store.claim_now(key, "body-b", expires_at=1301, now=1200)  # another body: refused
    assert store.claim_now(key, "body-a", expires_at=1301, now=1301)
    assert store.claim_now(key, "body-b", expires_at=1301, now=1302)  # past the window: forgotten
    assert url_key("1000", "42") != url_key("1000", "43") != url_key("1001", "42")
    for i in range(10):
        assert store.claim_now(url_key("2000", str(i)), "d", expires_at=2301 + i, now=2000)
        assert len(store) <= 3
    assert not store.claim_now(url_key("2000", "9"), "other", expires_at=2310, now=2000)
    assert store.claim_now(url_key("2000", "9"), "d", expires_at=2310, now=2000)
    assert store.claim_now(url_key("5000", "y"), "d", expires_at=5301, now=5000)  # expired entries went
    assert len(store) == 1


# --- review chan29: timestamps that are no Unix seconds, messages that are no flat WeChat XML ---------------

@pytest.mark.parametrize("value, parsed", [
    ("1409735669", 1409735669), ("0", 0), ("9" * 12, 10**12 - 1),
    ("9" * 13, None), ("9" * 400, None), ("", None), (None, None), ("12a", None), (" 123", None), ("+123", None),
    ("-5", None), ("1_000", None), ("١٢٣", None), ("1e9", None), (12, None),
])
def test_a_timestamp_is_unix_seconds_as_at_most_twelve_ascii_digits(value, parsed):
    assert protocol.parse_timestamp(value) == parsed


def test_the_timestamp_window_never_raises_on_a_huge_number():
    # 400 digits: int() takes them, but `now - value` overflowed a float (OverflowError, a traceback per request)
    assert protocol.timestamp_ok("9" * 400, 1_000_000_000.0, 300) is False
    assert protocol.timestamp_ok("9" * 5000, 1_000_000_000.0, 300) is False


HEADER = "<ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"


@pytest.mark.parametrize("fields, words", [
    ("<MsgType>text</MsgType><Content>a</Content><Content>b</Content><MsgId>5</MsgId>", "<Content> appears 2 times"),
    ("<MsgType>text</MsgType><Content><x>a</x></Content><MsgId>5</MsgId>", "<Content> must be text"),
    ('<MsgType>text</MsgType><Content a="1">a</Content><MsgId>5</MsgId>', "<Content> must be text"),
    ("<MsgType>text</MsgType><Content>a</Content><MsgId>5</MsgId><MsgId>6</MsgId>", "<MsgId> appears 2 times"),
    ("<MsgType>text</MsgType><MsgType>voice</MsgType><Content>a</Content>", "<MsgType> appears 2 times"),
    ("<MsgType>voice</MsgType><Recognition><b>hi</b></Recognition><MsgId>5</MsgId>", "<Recognition> must be text"),
])
def test_a_field_the_channel_reads_twice_or_nested_is_a_400_naming_it(fields, words):
    with pytest.raises(protocol.ProtocolError) as error:
        protocol.parse(f"<xml>{HEADER}{fields}</xml>")
    assert error.value.status == 400 and words in str(error.value)


def test_a_duplicate_or_nested_encrypt_element_is_a_400_naming_it():
    for body in (b"<xml><ToUserName>gh</ToUserName><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>",
                 b"<xml><ToUserName>gh</ToUserName><Encrypt><x>a</x></Encrypt></xml>"):
        with pytest.raises(protocol.ProtocolError) as error:
            protocol.xml_fields(body)
        assert error.value.status == 400 and "<Encrypt>" in str(error.value)


def test_wechats_own_nested_event_fields_still_parse():
    # real events nest (scancode_push's ScanCodeInfo, pic_sysphoto's SendPicsInfo with repeated items): only the
    # fields the channel reads as text must be flat
    scan = protocol.parse(f"<xml>{HEADER}<MsgType>event</MsgType><Event>scancode_push</Event><EventKey>6</EventKey>"
                          "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>1</ScanResult></ScanCodeInfo></xml>")
    assert scan.type == "event"
    pics = protocol.parse(f"<xml>{HEADER}<MsgType>event</MsgType><Event>pic_sysphoto</Event><EventKey>6</EventKey>"
                          "<SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item>"
                          "<item><PicMd5Sum>b</PicMd5Sum></item></PicList></SendPicsInfo></xml>")
    assert pics.type == "event"
