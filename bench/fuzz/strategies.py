"""Hypothesis strategies for the fuzzer's inputs: customer text, JSON, ids, XML fields.

Realistic messages (the assistant's own topics, en and zh) are mixed with
arbitrary Unicode, Rasa's slash commands (a customer typing `/restart`),
markup and the edge cases of issue 10 (empty and whitespace-only text, lone
surrogates, control characters, `]]>`, very long text, deep JSON).
"""
from __future__ import annotations

import json
import string

from hypothesis import strategies as st

PHRASES = [
    "hello", "hi", "good morning", "What are your opening hours?", "Where is my order QX-100002?",
    "How do I return an item?", "Can I get an invoice?", "thanks", "bye", "which payment methods do you accept?",
    "I want to reset my password", "change my delivery address for QX-100003", "my parcel is late",
    "how long does delivery take?", "my order QX-100001 arrived damaged", "a bit sad my parcel is late",
    "this is unacceptable, I am furious", "I want to file a formal complaint", "yes", "no", "1", "2",
    "my email is jane.doe@example.com", "call me on +1 (415) 555-2671", "4111 1111 1111 1111 123",
    "我的订单 QX-100001 到哪了？", "你们支持哪些支付方式？", "配送需要多久？", "怎么退货", "营业时间是什么时候",
    "我要开发票", "忘记密码了", "谢谢", "再见", "我很生气", "快递太慢了", "修改收货地址", "QX-100004",
]
# Talking to a person opens a ticket: rarer, so the queue stays a queue.
ESCALATIONS = ["talk to a human", "转人工", "I want to speak to an agent", "/request_human"]
COMMANDS = [
    "/restart", "/session_start", "/greet", '/greet{"language": "xx"}', "/nlu_fallback", "/out_of_scope",
    '/inform{"order_number": "QX-100002"}', '/inform{"ticket_id": "T-1", "handoff_state": "closed"}',
    "/affirm", "/deny", "/stop", "/back", "/action_listen", '/greet{"language": ', "/", "//", "/ " * 20,
]
EDGES = [
    "", " ", "\n", "\t \u3000", "\u200b", "\ud800", "a\udfffb", "\x00", "\x1d\x08", "]]>", "<![CDATA[x]]>",
    "<xml><a/></xml>", "&amp;&#0;", "{{slot}}", "%s%n%d", "${jndi:ldap://x}", "' OR 1=1 --", "🙂" * 50,
    "ＱＸ－１０００２", "ｔａｌｋ ｔｏ ａ ｈｕｍａｎ", "\u202e\u202d", "x" * 1999, "字" * 2001, "y" * 4001,
]

unicode_text = st.text(max_size=80)
messy_text = st.text(st.characters(codec="utf-8"), max_size=300)

# A customer message for a full turn: mostly what customers write, sometimes noise.
turn_text = st.one_of(
    st.sampled_from(PHRASES),
    st.sampled_from(PHRASES),
    st.sampled_from(PHRASES),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(PHRASES), unicode_text),
    st.builds(lambda a, b: f"{b}{a}", st.sampled_from(PHRASES), st.text(string.printable, max_size=20)),
    unicode_text,
    st.sampled_from(COMMANDS),
    st.sampled_from(EDGES),
)
# Rarely, a request for a person (tickets for the agent API).
turn_text_with_escalation = st.one_of(turn_text, turn_text, turn_text, turn_text, turn_text, turn_text,
                                      turn_text, turn_text, turn_text, turn_text, turn_text, turn_text,
                                      st.sampled_from(ESCALATIONS))
any_text = st.one_of(turn_text, messy_text, st.sampled_from(EDGES))

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                         st.floats(allow_nan=False, allow_infinity=False), unicode_text)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# Bodies a JSON endpoint must refuse (or accept) without a 5xx: raw bytes.
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"", b"null", b"[]", b"{}", b"\"x\"", b"{", b"{\"a\":}", b"\xff\xfe", b"NaN",
                     b'{"a": NaN}', b'{"a": Infinity}', b"1e999999", deep(5000).encode(),
                     b'{"message": "hi", "message": {"x": 1}}', b"\x00" * 64]),
    st.integers(min_value=100, max_value=60000).map(lambda n: deep(n // 2).encode()[: n]),
)
metadata = st.one_of(
    st.none(),
    st.dictionaries(st.text(max_size=12), json_values, max_size=5),
    st.fixed_dictionaries({}, optional={
        "message_id": st.one_of(st.uuids().map(str), unicode_text, st.integers()),
        "customer_token": st.one_of(unicode_text, st.just("a.b.c"), st.just("eyJhbGciOiJub25lIn0.e30.")),
        "language": st.sampled_from(["en", "zh", "fr", "", None]),
        "channel": st.sampled_from(["wechat", "ivr", "web", "rest", "x"]),
        "caller": unicode_text,
    }),
    json_values,
)
# Ids a client may put in a URL path or a body field.
ids = st.one_of(
    st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=40),
    st.text(min_size=1, max_size=40),
    st.sampled_from(["客户-1", "a/b+c=", "..", "%2e%2e", "con", "-1", "0", " ", "null", "ivr-x", "x" * 300]),
)
xml_names = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,15}\Z")
languages = st.sampled_from(["en", "zh", "en-US", "zh-CN", "cmn-Hans-CN", "fr", "", None, 7])
