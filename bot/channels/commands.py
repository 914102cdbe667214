"""Rasa's intent syntax typed by a customer ("/report_fraud", "/request_human@0.01",
``/inform{"order_number": {"a": 1}}``): Rasa's ``RegexMessageHandler`` would take such a text as an
intent with entities and skip NLU, so anyone on a public channel could open a priority-1 ticket with no
words, or put a dict in a slot. Customers' messages may use that syntax only for what the bot's own
buttons and quick replies send (:data:`BUTTON_PAYLOADS`: domain/*.yml, actions/password_reset.py, the web
chat widget's and the IVR's ``/greet{"language": …}``, the IVR's ``/request_human``); any other text
starting with "/" is ordinary text: its leading "/" becomes the full-width "／" (U+FF0F), which Rasa does
not parse (the NLU still reads the words, folded, bot/text.py), and the agent reads it as typed.

:func:`screen_intent_syntax` does it to a Rasa ``UserMessage`` of one of our channels (web chat, REST,
WeChat, IVR: ``bot.domain.Channel.owning``); Rasa's own token-protected HTTP API is left as it is. It is
installed on ``MessageProcessor.log_message``/``handle_message`` by bot/rasa_patches.py, the one path every
channel's message takes.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from bot.domain import LANGUAGES, Channel

#: The intents the bot's own buttons and quick replies send, bare ("/affirm").
BUTTON_PAYLOADS = frozenset({"/affirm", "/deny", "/check_order_status", "/request_human", "/reset_password",
                             "/greet"})
#: The one payload with entities: a new conversation's greeting naming its language (web chat widget, IVR).
GREET_WITH_LANGUAGE = "/greet"
NEUTRAL_SLASH = "\uff0f"  # FULLWIDTH SOLIDUS: looks like "/", is not Rasa's INTENT_MESSAGE_PREFIX


def allowed_payload(text: str) -> bool:
    """Whether ``text`` is a payload the bot's own buttons send: one of :data:`BUTTON_PAYLOADS` exactly, or one of
    them with the customer's language as its one entity (``/greet{"language": "zh"}``, and any button's payload as the
    web chat channel sends it for a client that named its language, ``/check_order_status{"language": "zh"}``: a JSON
    object with that one key, a known language as a string).

    Args:
        text: the message text (surrounding white space ignored).

    Returns:
        True when Rasa may read it as an intent.
    """
    text = (text or "").strip()
    if text in BUTTON_PAYLOADS:
        return True
    intent = text.split("{", 1)[0]
    if intent not in BUTTON_PAYLOADS or intent == text:
        return False
    try:
        entities = json.loads(text[len(intent):])
    except ValueError:
        return False
    return isinstance(entities, dict) and set(entities) == {"language"} and entities["language"] in LANGUAGES


def neutralised(text: Optional[str]) -> Optional[str]:
    """``text`` as ordinary text when it starts (after white space) with "/" and is not an
    :func:`allowed_payload`: that "/" becomes :data:`NEUTRAL_SLASH`; else unchanged.

    Args:
        text: the message text (None passes through).

    Returns:
        The text Rasa should parse.
    """
    if not isinstance(text, str) or not text.lstrip().startswith("/") or allowed_payload(text):
        return text
    at = text.index("/")
    return text[:at] + NEUTRAL_SLASH + text[at + 1:]


def screen_intent_syntax(message: Any) -> None:
    """Strip control characters (:func:`without_controls`) and neutralise (in place) Rasa's intent syntax
    (:func:`neutralised`) in a customer's ``UserMessage`` of one of our channels; a message of Rasa's HTTP API
    (no input channel) is left as it is.

    Args:
        message: a ``rasa.core.channels.channel.UserMessage`` (``text``, ``input_channel``, ``parse_data``).
    """
    if Channel.owning(getattr(message, "input_channel", None)) is None:
        return
    message.text = neutralised(without_controls(message.text))
    parse_data = getattr(message, "parse_data", None)
    if isinstance(parse_data, dict) and isinstance(parse_data.get("text"), str):
        parse_data["text"] = neutralised(without_controls(parse_data["text"]))


#: Control characters no customer text keeps: C0 but tab, line feed and carriage return (ESC, BEL, NUL …),
#: DEL and C1. The web chat and REST refuse them (400); WeChat and the IVR, whose platforms send what they
#: send, have them stripped here, as does any channel's text that reached this far (s20eng2 #5).
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text: Optional[str]) -> Optional[str]:
    """``text`` without :data:`CONTROLS` ("\x1b[31mhi\x07" -> "[31mhi"); None passes through.

    Args:
        text: the message text.

    Returns:
        The text with no control character but tab and new lines.
    """
    return CONTROLS.sub("", text) if isinstance(text, str) else text
