"""One builder for every conversation-state key (bot.storage.conversation_state.state_key, issue 12
review): two different (kind, ids) never make the same key, ids percent-encoded as the IVR's were."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from bot.storage.conversation_state import STATE_KINDS, parse_state_key, state_key
from tests.conftest import PROJECT_ROOT

ids = st.one_of(st.text(max_size=12), st.text(alphabet=":%_-aA1", max_size=8), st.integers(-5, 10**6))


@st.composite
def kind_and_ids(draw):
    kind = draw(st.sampled_from(sorted(STATE_KINDS)))
    return kind, tuple(str(i) for i in draw(st.lists(ids, min_size=STATE_KINDS[kind], max_size=STATE_KINDS[kind])))


@settings(max_examples=400, deadline=None)
@given(kind_and_ids(), kind_and_ids())
def test_two_different_kinds_or_ids_never_share_a_key(one, other):
    assert parse_state_key(state_key(one[0], *one[1])) == one
    if one != other:
        assert state_key(one[0], *one[1]) != state_key(other[0], *other[1])


def test_no_kind_is_another_kind_with_ids_after_it():
    for kind in STATE_KINDS:
        assert re.fullmatch(r"[a-z_]+(:[a-z_]+)*", kind)
        assert not any(other.startswith(kind + ":") for other in STATE_KINDS), kind


def test_ordinary_ids_keep_the_keys_stored_before():
    """Keys of the ids the channels really see read as they did, so state kept across a deploy is found."""
    assert state_key("ivr:call", "c-1") == "ivr:call:c-1"
    assert state_key("ivr:answer", "c-1", 3) == "ivr:answer:c-1:3"
    assert state_key("ivr:sig", "a:b") == "ivr:sig:a%3Ab"  # as connectors/ivr encoded it
    assert state_key("wechat:options", "oAbC_1-x") == "wechat:options:oAbC_1-x"
    assert state_key("customer_typing", "9f" * 16) == "customer_typing:" + "9f" * 16
    assert state_key("wechat:url", "ab" * 32) == "wechat:url:" + "ab" * 32


def test_a_message_pushed_flag_is_not_another_messages_answer():
    """Before: ``wechat:{key}:pushed`` of message ``msg:a:1`` was ``wechat:{key}`` of ``msg:a:1:pushed``."""
    assert state_key("wechat:pushed", "msg:a:1") != state_key("wechat:answer", "msg:a:1:pushed")
    assert state_key("wechat:answer", "msg:options:1") != state_key("wechat:options", "1")


def test_every_state_store_call_takes_a_built_key():
    """No channel writes a key by hand: every get/put/add/delete/lock on a conversation-state store
    in bot/ and connectors/ is given state_key(...) or a function that returns one."""
    literal = re.compile(r"\.(answers|state|store)\.(get|put|add|delete|lock|get_now)\(\s*(f?[\"']|[a-z_]+\s*\+)")
    found = []
    for folder in ("bot", "connectors"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            found += [f"{path.name}: {m.group(0)}" for m in literal.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
