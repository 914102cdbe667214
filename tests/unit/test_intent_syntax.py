"""Rasa's intent syntax typed by a customer is ordinary text, but for the bot's own button payloads
(bot/channels/commands.py, installed on every channel's inbound path by bot/rasa_patches.py)."""
from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot.channels.commands import NEUTRAL_SLASH, allowed_payload, neutralised, screen_intent_syntax

ROOT = Path(__file__).resolve().parents[2]


def _payloads_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "payload" and isinstance(item, str):
                yield item
            else:
                yield from _payloads_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _payloads_in(item)


def test_every_payload_the_bots_own_buttons_send_is_still_read_as_its_intent():
    payloads = {p for path in ROOT.glob("domain/*.yml")
                for p in _payloads_in(yaml.safe_load(path.read_text(encoding="utf-8")))}
    for path in ROOT.glob("actions/*.py"):  # quick replies built by actions
        payloads |= set(re.findall(r"""["']payload["']:\s*["'](/[a-z_]+)["']""", path.read_text(encoding="utf-8")))
    ivr = (ROOT / "connectors/ivr/__init__.py").read_text(encoding="utf-8")
    payloads |= set(re.findall(r'ESCALATE_TEXT = "(/[a-z_]+)"', ivr))
    widget = (ROOT / "connectors/webchat/static/widget.js").read_text(encoding="utf-8")
    payloads |= set(re.findall(r'initPayload === undefined \? "(/[a-z_]+)"', widget))
    intents = {p for p in payloads if p.startswith("/")}
    assert intents >= {"/affirm", "/deny", "/request_human", "/check_order_status", "/reset_password", "/greet"}
    for payload in intents:
        assert allowed_payload(payload), payload
    assert allowed_payload('/greet{"language": "zh"}') and allowed_payload('/greet{"language":"en"}')


@pytest.mark.parametrize("text", [
    "/report_fraud", "/request_human@0.01", "/affirm@0.99", '/inform{"order_number":{"a":1}}',
    '/greet{"language": {"a": 1}}', '/greet{"language": "fr"}', '/greet{"language": "en", "name": "x"}',
    "  /report_fraud", "/nlu_fallback", "/restart", "/session_start"])
def test_any_other_slash_text_is_ordinary_text_rasa_does_not_unpack(text):
    assert not allowed_payload(text)
    plain = neutralised(text)
    assert plain != text and NEUTRAL_SLASH in plain and plain.replace(NEUTRAL_SLASH, "/") == text
    message = Message(data={"text": plain, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []})
    unpacked = YAMLStoryReader.unpack_regex_message(message)
    assert unpacked.get("intent") == {"name": "nlu_fallback", "confidence": 0.3} and unpacked.get("entities") == []


@pytest.mark.parametrize("text", ["hello", "where is my order QX-100001?", "1/2 of the parcel", "", None])
def test_ordinary_text_is_left_alone(text):
    assert neutralised(text) == text


@pytest.mark.parametrize("channel", ["rest", "webchat", "socketio", "wechat", "ivr"])
def test_every_customer_channel_is_screened_and_rasas_own_api_is_not(channel):
    message = UserMessage('/inform{"order_number":{"a":1}}', None, "s", input_channel=channel)
    screen_intent_syntax(message)
    assert message.text.startswith(NEUTRAL_SLASH)
    allowed = UserMessage("/affirm", None, "s", input_channel=channel)
    screen_intent_syntax(allowed)
    assert allowed.text == "/affirm"
    api = UserMessage("/report_fraud", None, "s")  # Rasa's token-protected HTTP API: no input channel
    screen_intent_syntax(api)
    assert api.text == "/report_fraud"


def test_the_installed_patch_screens_before_rasa_parses(monkeypatch):
    from rasa.core.processor import MessageProcessor

    from bot import rasa_patches

    rasa_patches.install_all()
    seen = []

    async def fetch(self, sender_id, output_channel=None, metadata=None):
        seen.append("fetched")
        raise RuntimeError("stop here")

    monkeypatch.setattr(MessageProcessor, "fetch_tracker_and_update_session", fetch)
    message = UserMessage("/report_fraud", None, "s", input_channel="rest")
    with pytest.raises(RuntimeError):
        asyncio.run(MessageProcessor.log_message(object.__new__(MessageProcessor), message))
    assert message.text == NEUTRAL_SLASH + "report_fraud" and seen == ["fetched"]


@pytest.mark.parametrize("channel", ["wechat", "ivr", "rest", "webchat"])
def test_esc_bel_and_other_control_characters_are_stripped_tab_and_new_lines_kept(channel):
    message = UserMessage("\x1b[31mhello\x07 there\x00\x7f\tand\nmore\x9b", None, "s", input_channel=channel)
    screen_intent_syntax(message)
    assert message.text == "[31mhello there\tand\nmore"


def test_rest_refuses_esc_and_bel_as_it_refuses_nul():
    import json

    from connectors.rest import RestError, parse_webhook_body

    for text in ("hi\x1b[2J", "ring\x07", "a\x00b", "x\x7f"):
        with pytest.raises(RestError) as refused:
            parse_webhook_body(json.dumps({"sender": "a", "message": text}).encode())
        assert refused.value.status == 400 and ("control" in refused.value.reason or "NUL" in refused.value.reason)
    assert parse_webhook_body(json.dumps({"sender": "a", "message": "ok\tfine\nyes"}).encode()).message == "ok\tfine\nyes"


def test_a_button_payload_carrying_the_customers_language_is_still_a_payload():
    """The web chat channel adds the client's language to a bare payload (connectors/webchat with_language)."""
    from bot.channels.commands import allowed_payload, neutralised

    assert allowed_payload('/check_order_status{"language": "zh"}')
    assert neutralised('/request_human{"language": "en"}') == '/request_human{"language": "en"}'
    assert not allowed_payload('/report_fraud{"language": "zh"}')
    assert not allowed_payload('/check_order_status{"language": "fr"}')
    assert not allowed_payload('/check_order_status{"order_number": "QX-123456"}')
