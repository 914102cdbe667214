"""The JSON protocol of the IVR bridge: event parsing and action shapes (pure).

In: ``{"call_id", "seq", "event", "caller", "lang", "text"?, "confidence"?, "digits"?}``.
Out: ``{"call_id", "seq", "actions": [...]}`` with actions ``say``, ``gather``,
``transfer`` and ``hangup``. An unknown event becomes ``unknown`` (answered
with a reprompt), never an exception.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from connectors.ivr.ssml import VOICES

EVENTS = ("start", "speech", "dtmf", "no_input", "no_match", "hangup")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_TEXT_CHARS = 1000
_CALL_ID = re.compile(r"^[A-Za-z0-9._:@+-]{1,128}$")
_DIGITS = re.compile(r"^[0-9*#]{1,32}$")


class ProtocolError(ValueError):
    """The request body is not a valid event (answered with 400)."""


@dataclass(frozen=True)
class CallEvent:
    """One event from the platform, checked by :func:`parse_event`.

    Attributes:
        call_id: the platform's call id (1–128 of letters, digits and ``._:@+-``).
        seq: the event's number in the call, from 0.
        event: ``start``, ``speech``, ``dtmf``, ``no_input``, ``no_match``, ``hangup`` or ``unknown``.
        caller: the caller id (at most 64 characters), if sent.
        lang: ``en`` or ``zh``.
        text: the recognised speech, stripped (speech only).
        confidence: the recogniser's confidence, 0–1, or None if missing or invalid.
        digits: the keys pressed (dtmf only).
    """

    call_id: str
    seq: int
    event: str
    caller: Optional[str] = None
    lang: str = "en"  # "en" | "zh"
    text: str = ""
    confidence: Optional[float] = None
    digits: str = ""


def short_lang(tag: Any) -> str:
    """``zh-CN``/``cmn-Hans-CN``/``zh`` → ``zh``; everything else → ``en``."""
    tag = str(tag or "").lower()
    return "zh" if tag.startswith(("zh", "cmn", "yue")) else "en"


def parse_event(body: Any) -> CallEvent:
    """Check a request body and turn it into a :class:`CallEvent`.

    An unknown event name becomes ``unknown``, speech without text ``no_match``,
    an invalid confidence None, a lone surrogate U+FFFD.

    Raises:
        ProtocolError: the body is not an object, or its call id, seq, event, text (over
            1000 characters) or digits are invalid (the message says which).
    """
    if not isinstance(body, dict):
        raise ProtocolError("body must be a JSON object")
    call_id = body.get("call_id")
    if not isinstance(call_id, str) or not _CALL_ID.match(call_id):
        raise ProtocolError("call_id must be 1-128 characters of letters, digits and ._:@+-")
    seq = body.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 10**9:
        raise ProtocolError("seq must be a non-negative integer")
    event = body.get("event")
    if not isinstance(event, str):
        raise ProtocolError("event must be a string")
    if event not in EVENTS:
        event = "unknown"
    caller = body.get("caller")
    caller = str(caller)[:64] if caller not in (None, "") else None
    text = body.get("text") or ""
    if not isinstance(text, str):
        raise ProtocolError("text must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise ProtocolError(f"text longer than {MAX_TEXT_CHARS} characters")
    # A lone surrogate (JSON allows "\ud800") is no character: it would reach the
    # tracker and fail later, when a ticket is written. It becomes U+FFFD here.
    text = _LONE_SURROGATE.sub("\ufffd", text)
    # A confidence the platform got wrong (a string, a bool, NaN, out of 0..1) is no confidence:
    # the caller's words are still answered (a 400 would leave the caller in silence).
    confidence = body.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        confidence = None
    else:
        confidence = float(confidence)
    digits = body.get("digits") or ""
    if event == "dtmf" and (not isinstance(digits, str) or not _DIGITS.match(digits)):
        raise ProtocolError("digits must be 1-32 of 0-9 * #")
    if event == "speech" and not text.strip():
        event = "no_match"
    return CallEvent(call_id, seq, event, caller, short_lang(body.get("lang")), text.strip(),
                     confidence, digits if event == "dtmf" else "")


def say(ssml: str, text: str, lang: str, barge_in: bool = True) -> Dict[str, Any]:
    """A ``say`` action: SSML and its plain text in ``lang``'s voice; ``barge_in``: the caller may interrupt."""
    voice = VOICES.get(lang, VOICES["en"])
    return {"action": "say", "ssml": ssml, "text": text, "language": voice["xml_lang"],
            "voice": voice["hint"], "barge_in": barge_in}


def gather(lang: str, options: Optional[Dict[str, str]] = None, num_digits: Optional[int] = None,
           timeout_s: int = 5, digits_too: bool = False) -> Dict[str, Any]:
    """A ``gather`` action: listen for speech and keys.

    ``options``: a menu (one key each); ``num_digits``: a fixed number of keys;
    ``digits_too``: a menu that also takes a keyed number ending with ``#``
    (the read-back: 1/2, or the number keyed instead; ``max_digits`` 20).
    """
    action: Dict[str, Any] = {
        "action": "gather", "input": ["speech", "dtmf"], "language": VOICES.get(lang, VOICES["en"])["xml_lang"],
        "timeout_s": timeout_s, "speech_timeout_s": 2, "finish_on_key": "#",
        "num_digits": num_digits, "max_digits": num_digits or (1 if options and not digits_too else 20),
    }
    if options:
        action["options"] = dict(options)
    return action


def transfer(queue: str, ticket_id: str) -> Dict[str, Any]:
    """A ``transfer`` action to a queue, with the ticket id as hex user-to-user information (UUI)."""
    return {"action": "transfer", "queue": queue, "ticket_id": ticket_id,
            "uui": ticket_id.encode("utf-8").hex() + ";encoding=hex"}


def hangup() -> Dict[str, Any]:
    """A ``hangup`` action."""
    return {"action": "hangup"}


def reply(event: CallEvent, actions: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The answer to ``event``: ``{call_id, seq, actions}``."""
    return {"call_id": event.call_id, "seq": event.seq, "actions": actions}
