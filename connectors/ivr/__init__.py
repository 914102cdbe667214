"""IVR bridge: signed call events in, speech actions out (JSON and VoiceXML).

The telephony platform posts one event per caller turn to
``/webhooks/ivr/webhook`` (JSON actions) or ``/webhooks/ivr/vxml`` (a
VoiceXML 2.1 document). Protocol code lives in pure modules: ``signature``,
``protocol``, ``ssml``, ``vxml``; this module keeps per-call state (menus,
reprompt count, idempotency cache) and runs bot turns.

A hand-over to a ``queued`` ticket transfers the call to ``support-<lang>``.
A ``callback`` ticket (nobody online, out of hours) is not transferred: the
bridge offers a call-back on the caller id (or a keyed/spoken number),
records the confirmed number on the ticket and hangs up. A safety follow-up
said at that menu ("should I leave the house?") is a bot turn: relayed to the
case, the advice spoken again, then the menu again.

Retries: an event is answered once per ``call_id`` + ``seq``; a retry of the
same event (same bytes, even in the same second, so the same signature) gets
the cached answer, the same ``seq`` with another event gets 409, so does an event
older than the call's last answered one (a late delivery: it would run in a newer
context), and a repeated signature with no answer to give is a replay (401).

Call state (menus, reprompt counts, a read-back in progress), answers by
``call_id`` + ``seq`` and seen signatures live in the conversation-state
store (bot/storage/conversation_state.py: in this process by default, in Redis when
``REDIS_URL`` is set), and a call's events are handled one at a time under
its lock there: consecutive events of a call may land on different Rasa
servers. Each bot turn carries ``metadata.message_id`` = ``ivr:<call_id>:<seq>``,
so an event retried after its turn ran (even on another server) does not
run it again (bot/storage/idempotency.py).
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.lock_store import LOCK_LIFETIME
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.domain import HUMAN_STATES, TicketState
from bot.handover.policy import load_config
from bot.handover.safety import is_safety_advice, safety_follow_up
from bot.services import tickets as tickets_service
from bot.services import waiting as waiting_service
from bot.privacy.scanner import extract_intake
from bot.settings import get_settings
from bot.text import NOT_A_PERSONAL_LINE, callback_refusal, keyed_phone, phone_in
from bot.nlu.spoken import Identifier, normalise, read_back, yes_or_no
from bot.storage.conversation_state import StateStore, state_key, state_store
from bot.storage.uow import SqlAlchemyUnitOfWork
from connectors.ivr import protocol, ssml
from connectors.ivr.protocol import CallEvent, ProtocolError
from connectors.ivr.signature import TOLERANCE_S, SignatureError, verify
from connectors.guard import ivr_limited
from connectors.ivr.vxml import render_vxml

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
ESCALATE_TEXT = "/request_human"
_YES = re.compile(r"^(?:\s*(?:yes|yeah|yep|sure|ok(?:ay)?|please|more|tell me more|details|是|是的|要|好|好的|需要|对)\W*)+$",
                  re.I)

PROMPTS = {
    "repeat": {"en": "Sorry, I didn't catch that. Could you say it again?",
               "zh": "抱歉，我没有听清楚，麻烦您再说一遍。"},
    "no_input": {"en": "Sorry, I didn't hear anything.", "zh": "抱歉，我没有听到您的声音。"},
    "no_match": {"en": "Sorry, I didn't understand. Could you say it another way?",
                 "zh": "抱歉，我没有听懂，能换个说法吗？"},
    "again": {"en": "What can I help you with?", "zh": "请问有什么可以帮您？"},
    # Call-back (nobody online / out of hours): {number} is read digit by digit.
    "callback_offer": {"en": "We'll call you back on {number}. Press 1 or say yes to confirm, "
                             "press 2 or say no to give another number.",
                       "zh": "我们将回拨您的电话{number}。确认请按1或说“是”，换一个号码请按2或说“不是”。"},
    "callback_number": {"en": "Please key in the number we should call, then press the hash key.",
                        "zh": "请输入回拨的电话号码，以井号键结束。"},
    "callback_bad_number": {"en": "Sorry, that doesn't look like a phone number.",
                            "zh": "抱歉，这个号码好像不正确。"},
    # a premium-rate or other service number (bot.text.callback_refusal): never called back
    "callback_refused_number": {"en": "Sorry, we only call back mobile and landline numbers, not premium-rate "
                                      "or other service numbers.",
                                "zh": "抱歉，我们只回拨手机和固定电话号码，不回拨付费或其他服务号码。"},
    "callback_bye": {"en": "Thank you. A colleague will call you back as soon as possible. Goodbye.",
                     "zh": "谢谢您，我们的同事会尽快给您回电。再见。"},
    "callback_saved": {"en": "Your case is saved and a colleague will contact you. Goodbye.",
                       "zh": "您的问题已保存，我们的同事会联系您。再见。"},
    # Read-back of a spoken identifier ({said}: its characters, spaced) before the bot uses it.
    "read_back": {"en": "{said}, is that right? Say yes or press 1, say no or press 2.",
                  "zh": "{said}，对吗？对请说“是”或按1，不对请说“不是”或按2。"},
    "read_back_unclear": {"en": "Sorry, please say yes or no, or press 1 or 2.",
                          "zh": "抱歉，请说“是”或“不是”，或者按1或2。"},
    # After a failed spoken attempt: the keypad, by what was asked for.
    "keypad_order_number": {"en": "Sorry about that. You can key in the 6 digits of your order number on your "
                                  "phone's keypad, or say it again.",
                            "zh": "抱歉。您可以用电话键盘输入订单号的6位数字，也可以再说一遍。"},
    "keypad_code": {"en": "Sorry about that. You can key in the 6-digit code on your phone's keypad, "
                          "or say it again.",
                    "zh": "抱歉。您可以用电话键盘输入6位验证码，也可以再说一遍。"},
    "keypad_phone": {"en": "Sorry about that. You can key in the mobile number on your phone's keypad, "
                           "starting with 0 0 and the country code, then press the hash key. Or say it again.",
                     "zh": "抱歉。您可以用电话键盘输入手机号，以井号键结束，也可以再说一遍。"},
    "say_again": {"en": "Sorry about that. Please say it again, slowly.",
                  "zh": "抱歉，请您再慢慢说一遍。"},
    # After MAX_READ_BACK_ROUNDS corrections or refusals of a spoken identifier.
    "read_back_give_up": {"en": "Sorry, I'm still not getting it right. Please key it in on your phone's keypad, "
                                "then press the hash key, or press 0 to talk to a person.",
                          "zh": "抱歉，我还是没能听准。请用电话键盘输入，以井号键结束，或者按0转人工客服。"},
}
# A clear request for a person during a read-back leaves it (the words go to the bot as said).
_PERSON = re.compile(r"\b(?:agent|person|human|representative|operator|someone|somebody|manager|supervisor|"
                     r"customer service|real person)\b|人工|客服|真人|转接|经理|主管", re.I)
# Intents that are a new request when NLU reads them in an unclear answer to a read-back (else: ask again).
NEW_REQUEST_INTENTS = frozenset({"request_human", "complain", "report_fraud", "billing_dispute", "reset_password",
                                 "change_address", "check_order_status", "faq", "goodbye", "bot_challenge"})
NEW_REQUEST_CONFIDENCE = 0.7
MAX_READ_BACK_ROUNDS = 3  # corrections + refusals of one identifier before the keypad / a person is offered
MAX_GIVE_UPS = 2  # read-backs given up (keypad offered) in one call before a person takes it (flow_exhausted)
# Why the bridge asks for a person (DESIGN.md §5), sent with the request (``metadata.ivr_escalation_detail``).
ESCALATION_DETAIL = {"no_input": "caller silent or not understood past the IVR retry limit",
                     "flow_exhausted": "spoken identifiers not understood, keypad offered twice"}
# What the bot asked for (its requested slot) → the normaliser's expectation and the keypad offer.
EXPECT = {"order_number": "order_number", "one_time_code": "code", "order_contact": "phone"}
KEYPAD = {"order_number": "keypad_order_number", "code": "keypad_code", "phone": "keypad_phone"}
CONFIRM_KINDS = ("order_number", "phone", "email", "digits")


class IvrOutput(CollectingOutputChannel):
    """Collects the turn's replies; named ``ivr`` so responses pick their ``channel: ivr`` variant."""

    @classmethod
    def name(cls) -> Text:
        """Rasa's channel name: ``ivr`` (responses with ``channel: ivr`` apply)."""
        return "ivr"


@dataclass
class CallState:
    """What the bridge remembers about one call between events (kept in this process, per call id).

    ``lang`` is ``en`` or ``zh``; ``caller`` the caller id as the platform sent it;
    ``misses`` counts re-prompts after silence or no match; the ``callback_*`` fields
    follow a call-back number being confirmed; ``pending`` is a spoken identifier being
    read back; ``lock`` serialises the call's events.
    """

    lang: str
    caller: Optional[str] = None
    misses: int = 0
    menu: Dict[str, str] = field(default_factory=dict)
    expect_order_number: bool = False
    expect_code: bool = False  # the bot asked for a one-time code: keyed digits are the code, not QX-…
    last_prompt: List[dict] = field(default_factory=list)
    more: str = ""
    ended: bool = False
    callback_ticket: Optional[str] = None  # a `callback` ticket whose number is being confirmed
    callback_number: Optional[str] = None
    callback_step: str = ""  # "confirm" | "number"
    expect: Optional[str] = None  # what the bot asked for: "order_number" | "code" | "phone" (bot.nlu.spoken)
    pending: Optional[dict] = None  # a spoken identifier being read back: {"text", "heard", "identifiers", ...}
    spoken_failures: int = 0  # spoken identifiers the caller said no to, or the bot could not use
    read_back_rounds: int = 0  # corrections + refusals since the last confirmed read-back (MAX_READ_BACK_ROUNDS)
    give_ups: int = 0  # read-backs given up in this call (MAX_GIVE_UPS)
    last_seq: int = -1  # the highest seq of this call answered: an older one that was not is refused (409)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready (the conversation-state store keeps it between events)."""
        data = asdict(self)
        if self.pending is not None:
            data["pending"] = {**self.pending,
                               "_confirm": [asdict(i) for i in self.pending.get("_confirm", [])]}
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "CallState":
        """The state :meth:`to_dict` stored."""
        state = cls(**data)
        if state.pending is not None:
            state.pending = {**state.pending,
                             "_confirm": [Identifier(**i) for i in state.pending.get("_confirm", [])]}
        return state


def sender_of(call_id: str) -> str:
    """The Rasa sender id of a call: ``ivr-<call_id>``."""
    return f"ivr-{call_id}"


# How long the answer to an event is kept for the platform's retries.
ANSWER_TTL_S = 3600.0
# How long a call's state outlives its last event, and the longest one event may hold the
# call's lock (a server that died holding it delays the call at most this long): the lifetime
# of the conversation lock the event's turn takes inside it (Rasa's TICKET_LOCK_LIFETIME), so a
# dead server delays a call no longer than any other conversation (was a fixed 60 s, three
# times the kill test's lock lifetime).
CALL_TTL_S = 4 * 3600.0
CALL_LOCK_S = float(LOCK_LIFETIME)


# Keys of the conversation-state store (bot.storage.conversation_state.state_key, the one builder
# of every channel's keys): one kind each (``ivr:call``, ``ivr:answer``, ``ivr:sig``) and the ids
# percent-encoded, so no key of one kind or call can be read as another's (a call id ``call`` with
# seq 5 once shared ``ivr:call:5`` with call ``5``'s state).

def call_key(call_id: str) -> str:
    """Where a call's state is kept in the conversation-state store: ``ivr:call:<call_id, %-encoded>``."""
    return state_key("ivr:call", call_id)


def stored_answer_key(event: CallEvent) -> str:
    """Where the answer to an event is kept: ``ivr:answer:<call_id, %-encoded>:<seq>``."""
    return state_key("ivr:answer", event.call_id, event.seq)


def signature_key(signature: Optional[str]) -> str:
    """Where a seen request signature is kept: ``ivr:sig:<signature, %-encoded>``."""
    return state_key("ivr:sig", signature or "")


def answer_key(event: CallEvent) -> str:
    """The event's turn id among all channels' turns, its ``metadata.message_id``: ``ivr:<call_id>:<seq>``.

    Unchanged by the store's keys above: the trackers and bot/storage/idempotency.py find a
    turn by it (the seq, an integer, is after the last ':', so it is unambiguous).
    """
    return f"ivr:{event.call_id}:{event.seq}"


class IvrInput(InputChannel):
    """The IVR channel (DESIGN §8): signed JSON events from a telephony platform in, spoken actions out.

    ``POST /webhooks/ivr/webhook`` answers JSON actions, ``/webhooks/ivr/vxml`` the same
    as VoiceXML; requests must carry an HMAC-SHA256 signature made with IVR_SECRET
    (``connectors.ivr.signature``); without IVR_SECRET every request gets 503.
    """

    @classmethod
    def name(cls) -> Text:
        """Rasa's channel name: ``ivr``."""
        return "ivr"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "IvrInput":
        """Build the channel: IVR_SECRET from the environment, thresholds from credentials.yml, the
        number of re-prompts from escalation.yml (``triggers.no_input.max_reprompts``).

        Raises:
            ValueError: a threshold in credentials.yml is not a number, or credentials.yml still sets
                ``max_reprompts`` (escalation.yml is the one place for it).
        """
        credentials = credentials or {}
        if "max_reprompts" in credentials:
            raise ValueError("credentials.yml: connectors.ivr.IvrInput.max_reprompts is not read any more: "
                             "set triggers.no_input.max_reprompts in escalation.yml")
        # The secret comes from the environment only (DESIGN.md §10); unset → 503 on every request.
        return cls(
            secret=get_settings().ivr_secret,
            confidence_threshold=float(credentials.get("confidence_threshold", 0.5)),
            confirm_threshold=float(credentials.get("confirm_threshold", 0.85)),
            sip_domain=str(credentials.get("sip_domain", "pbx.invalid")),
        )

    def __init__(self, secret: Optional[str], confidence_threshold: float = 0.5, max_reprompts: Optional[int] = None,
                 sip_domain: str = "pbx.invalid", confirm_threshold: float = 0.85) -> None:
        """The channel's settings.

        Args:
            secret: IVR_SECRET (None or empty: every request gets 503).
            confidence_threshold: ASR confidence (0–1) below which the caller is asked to repeat.
            max_reprompts: re-prompts after silence or a miss before the call is handed over
                (``no_input``); None: ``triggers.no_input.max_reprompts`` of escalation.yml (read now).
            sip_domain: the domain of the SIP address a transfer goes to.
            confirm_threshold: confidence (0–1) below which a spoken identifier is read back.

        Raises:
            EscalationConfigError: ``max_reprompts`` is None and escalation.yml does not match its schema.
        """
        self.secret = secret
        self.confidence_threshold = confidence_threshold
        # An identifier typed-looking in the transcript is still read back below this confidence.
        self.confirm_threshold = confirm_threshold
        self.max_reprompts = (load_config().file.triggers.no_input.max_reprompts
                              if max_reprompts is None else max_reprompts)
        self.sip_domain = sip_domain
        # call state, answers by call_id + seq (the platform's retries) and seen signatures,
        # in the conversation-state store (shared by every server when REDIS_URL is set)
        self.state: StateStore = state_store()

    # ---- request checks -------------------------------------------------
    async def _seen_before(self, request: Request) -> bool:
        """Whether this exact signed request was seen before, on any server.

        Raises:
            IvrRefused: no IVR_SECRET (503), a body too large (413), a bad signature (401).
        """
        if not self.secret:
            raise IvrRefused("IVR channel disabled: IVR_SECRET is not set", 503)
        body = request.body or b""
        if len(body) > MAX_BODY_BYTES:
            raise IvrRefused(f"body larger than {MAX_BODY_BYTES} bytes", 413)
        signature = request.headers.get("X-IVR-Signature")
        try:
            verify(self.secret, request.headers.get("X-IVR-Timestamp"), signature, body)
        except SignatureError as error:
            raise IvrRefused(f"unauthorised: {error}", 401) from None
        # remembered for twice the timestamp tolerance (after that verify() refuses it anyway)
        first_time = await self.state.add(signature_key(signature), 1, 2 * TOLERANCE_S)
        return not first_time

    # ---- bot turns ------------------------------------------------------
    @staticmethod
    async def _tracker(request: Optional[Request], sender: str) -> Any:
        """The conversation's tracker from the Rasa server's tracker store, or None without an agent or store."""
        agent = getattr(request.app.ctx, "agent", None) if request is not None else None
        return await agent.tracker_store.retrieve(sender) if agent and agent.tracker_store else None

    async def _slots(self, request: Request, sender: str) -> Dict[str, Any]:
        tracker = await self._tracker(request, sender)
        if tracker is None:
            return {}
        slots = dict(tracker.current_slot_values())
        slots["_intent"] = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
        return slots

    async def _bot_turn(self, request: Request, on_new_message, event: CallEvent, state: CallState,
                        text: str, escalation: Optional[str] = None, spoken: Optional[dict] = None) -> List[dict]:
        sender = sender_of(event.call_id)
        before = await self._slots(request, sender)
        asked_before = state.expect
        messages = await self._run_turn(on_new_message, event, state, text, escalation, spoken)
        after = await self._slots(request, sender)
        state.lang = after.get("language") if after.get("language") in ssml.VOICES else state.lang
        ticket_id = after.get("ticket_id")
        new_ticket = bool(ticket_id) and ticket_id != before.get("ticket_id")

        actions, menu, more = self._render(messages, state.lang)
        state.menu, state.more = menu, more
        state.expect_order_number = after.get("requested_slot") == "order_number"
        state.expect_code = after.get("requested_slot") == "one_time_code"
        state.expect = EXPECT.get(after.get("requested_slot") or "")
        keypad: List[dict] = []
        if (event.event == "speech" or spoken) and asked_before and state.expect == asked_before \
                and after.get("handoff_state") not in HUMAN_STATES:
            # A spoken answer the bot could not use (not found, not an order number): offer the keypad.
            state.spoken_failures += 1
            keypad = [self._speak(state.lang, KEYPAD[asked_before])]
        queued = TicketState.QUEUED.value
        waits = await asyncio.to_thread(wait_after_turn, ticket_id) if ticket_id and queued in (
            after.get("handoff_state"), before.get("handoff_state")) else None
        if waits == "answer":  # a long wait: the caller chooses by keypad or voice first (issue 14)
            state.last_prompt = [a for a in actions if a["action"] == "say"]
            actions.append(self._gather(state))
        elif waits == "goodbye":  # a message left: the answer comes by text message
            actions.append(protocol.hangup())
            state.ended = True
        elif waits == "callback" and after.get("handoff_state") not in HUMAN_STATES:
            actions += self.start_callback(state, ticket_id)  # chosen instead of waiting
        elif after.get("handoff_state") in HUMAN_STATES:
            actions.append(protocol.transfer(f"support-{state.lang}", ticket_id))
            state.ended = True
        elif new_ticket:
            # A `callback` ticket (nobody online, out of hours): confirm the number to call, then hang up.
            actions += self.start_callback(state, ticket_id)
        elif after.get("_intent") == "goodbye":
            actions.append(protocol.hangup())
            state.ended = True
        else:
            actions += keypad
            state.last_prompt = [a for a in actions if a["action"] == "say"]
            actions.append(self._gather(state))
        return actions

    async def _run_turn(self, on_new_message, event: CallEvent, state: CallState, text: str,
                        escalation: Optional[str] = None, spoken: Optional[dict] = None) -> List[dict]:
        """Hand one caller turn to the bot (``text`` as the user message of the call's conversation).

        Returns:
            The bot's messages of the turn, as Rasa's collecting output channel holds them.
        """
        collector = IvrOutput()
        # "language": the call's (greetings at session start use it, not the caller id's last language).
        metadata: Dict[str, Any] = {"caller": state.caller, "ivr": {"call_id": event.call_id, "seq": event.seq},
                                    "channel": self.name(), "language": state.lang,
                                    "message_id": answer_key(event)}  # one turn per event (bot/storage/idempotency.py)
        if escalation:  # the reason travels with the request: action_handoff opens the ticket with it
            metadata["ivr_escalation"] = escalation
            metadata["ivr_escalation_detail"] = ESCALATION_DETAIL[escalation]
        if spoken:  # what the recogniser wrote, and the identifiers rewritten and read back
            metadata["spoken"] = spoken
        await on_new_message(UserMessage(text, collector, sender_of(event.call_id), input_channel=self.name(),
                                         metadata=metadata))
        return collector.messages

    def _gather(self, state: CallState) -> dict:
        return protocol.gather(state.lang, options=dict(state.menu) or None,
                               num_digits=6 if state.expect_order_number or state.expect_code else None)

    # ---- spoken identifiers: read back before use ------------------------
    def _needs_read_back(self, text: str, confidence: Optional[float], expect: Optional[str]) -> dict:
        """The speech event's normalised text and the identifiers to read back (maybe none).

        Rewritten identifiers (not written literally) are always read back; a
        typed-looking one too when the platform's confidence is below
        ``confirm_threshold``.
        """
        spoken = normalise(text, expect)
        # A bare run of digits is used only as a one-time code: anywhere else the bot would drop it,
        # so it is not read back ("1 0 0 0 2, is that right?" then "Please say your order number").
        usable = [i for i in spoken.identifiers if i.kind != "digits" or expect == "code"]
        confirm: List[Identifier] = [i for i in usable if not i.literal]
        # The text detectors' finds, except where a spoken identifier already is (07700900111 is not
        # read back a second time as the detector's +867700900111).
        literal = [i for i in usable if i.literal] + [
            Identifier(f.entity, f.value, spoken.text[f.start:f.end], True)
            for f in extract_intake(spoken.text, ("order_number", "email", "phone"))
            if not any(f.value == i.value for i in spoken.identifiers)
            and not any(f.start < end and start < f.end for start, end in spoken.spans)]
        if confidence is not None and confidence < self.confirm_threshold:
            confirm += literal
        else:  # a literal one next to a spoken one of the same kind: read back all of them
            confirm += [i for i in literal if any(c.kind == i.kind for c in confirm)]
        confirm = [i for i in dict.fromkeys(confirm) if i.kind in CONFIRM_KINDS]

        def position(i: Identifier) -> int:  # read back in the order they were said
            at = spoken.text.find(i.value)
            return at if at >= 0 else max(spoken.text.find(i.heard), 0)
        confirm.sort(key=position)
        return {"heard": text, "text": spoken.text, "confidence": confidence, "read_back": bool(confirm),
                "identifiers": [{"kind": i.kind, "value": i.value, "literal": i.literal,
                                 "read_back": i in confirm} for i in spoken.identifiers],
                "_confirm": confirm}

    def _read_back(self, state: CallState, *before: str) -> List[dict]:
        pending = state.pending or {}
        lang = state.lang
        said = ", ".join(read_back(i, lang) for i in pending.get("_confirm", [])) if lang == "en" else \
            "，".join(read_back(i, lang) for i in pending.get("_confirm", []))
        text = "".join(PROMPTS[k][lang] + ("" if lang == "zh" else " ") for k in before) + \
            PROMPTS["read_back"][lang].format(said=said)
        say = protocol.say(ssml.to_ssml(text, lang), text, lang)
        return [say, protocol.gather(lang, options={"1": "yes", "2": "no"}, digits_too=True)]

    async def _read_back_turn(self, request, on_new_message, event: CallEvent, state: CallState) -> List[dict]:
        """The caller's answer to "…, is that right?".

        Yes (:func:`bot.nlu.spoken.yes_or_no`, key 1, or the same identifier said
        again) runs the turn; no (key 2) or a correction does not, and after
        :data:`MAX_READ_BACK_ROUNDS` of them the keypad and a person are
        offered; a request for a person or a new request (NLU) leaves the
        read-back and goes to the bot as said; anything else asks again.
        """
        pending = state.pending or {}
        heard = event.digits.rstrip("#") if event.event == "dtmf" else event.text if event.event == "speech" else ""
        if event.event == "speech" and event.confidence is not None and event.confidence < self.confidence_threshold:
            heard = ""
        speech = event.event == "speech" and bool(heard)
        if speech and _PERSON.search(heard):  # "no, get me a person": the bot hands over
            state.pending, state.misses = None, 0
            return await self._bot_turn(request, on_new_message, event, state, heard)
        answer: Optional[bool] = True if heard == "1" else False if heard == "2" else None
        if speech:
            answer = yes_or_no(heard)
            kinds = {i.kind for i in pending.get("_confirm", [])}
            expect = state.expect or ("order_number" if "order_number" in kinds else
                                      "phone" if "phone" in kinds else None)  # a correction is of the same kind
            correction = self._needs_read_back(heard, event.confidence, expect)
            said = [i for i in correction["_confirm"]] or \
                [Identifier(i["kind"], i["value"], "", i["literal"]) for i in correction["identifiers"]]
            before = {i.value for i in pending.get("_confirm", [])}
            if said and {i.value for i in said} <= before and answer is not False:
                answer = True  # "yes, q x one zero zero zero zero two": the same number again
            elif said:  # "no, Q X one zero zero zero zero three" / "no, 111111": read that back too
                state.spoken_failures += 1
                state.misses = 0
                if self._read_back_rounds_up(state):
                    return await self._give_up_read_back(request, on_new_message, event, state)
                correction["_confirm"] = said
                correction["read_back"] = True
                state.pending = correction
                return self._read_back(state)
        if answer is True:
            state.pending, state.misses, state.read_back_rounds = None, 0, 0
            return await self._bot_turn(request, on_new_message, event, state, pending["text"],
                                        spoken=_public(pending, confirmed=True))
        if answer is False:  # misheard: nothing reached the bot (no proof attempt counted); offer the keypad
            state.pending, state.misses = None, 0
            state.spoken_failures += 1
            if self._read_back_rounds_up(state):
                return await self._give_up_read_back(request, on_new_message, event, state)
            kinds = {i.kind for i in pending.get("_confirm", [])}
            key = KEYPAD.get(state.expect or "") or ("keypad_order_number" if "order_number" in kinds else
                                                     "keypad_phone" if "phone" in kinds else "say_again")
            say = self._speak(state.lang, key)
            state.last_prompt = [say]
            return [say, self._gather(state)]
        if speech and await self._new_request(request, heard):
            state.pending, state.misses = None, 0
            return await self._bot_turn(request, on_new_message, event, state, heard)
        state.misses += 1
        if state.misses > self.max_reprompts:
            state.pending, state.misses = None, 0
            return await self._bot_turn(request, on_new_message, event, state, ESCALATE_TEXT, escalation="no_input")
        return self._read_back(state, "read_back_unclear")

    @staticmethod
    def _read_back_rounds_up(state: CallState) -> bool:
        """Count one correction or refusal; True once there were :data:`MAX_READ_BACK_ROUNDS` of them."""
        state.read_back_rounds += 1
        return state.read_back_rounds >= MAX_READ_BACK_ROUNDS

    async def _give_up_read_back(self, request: Request, on_new_message, event: CallEvent,
                                 state: CallState) -> List[dict]:
        """Stop reading back: offer the keypad (digits then #) or 0 for a person; the
        :data:`MAX_GIVE_UPS`-th time in a call, hand over to a person (``flow_exhausted``)."""
        state.pending, state.misses, state.read_back_rounds = None, 0, 0
        state.give_ups += 1
        if state.give_ups >= MAX_GIVE_UPS:
            state.give_ups = 0
            return await self._bot_turn(request, on_new_message, event, state, ESCALATE_TEXT,
                                        escalation="flow_exhausted")
        say = self._speak(state.lang, "read_back_give_up")
        state.last_prompt = [say]
        return [say, self._gather(state)]

    @staticmethod
    async def _new_request(request: Request, text: str) -> bool:
        """Whether NLU reads ``text`` as a new request (:data:`NEW_REQUEST_INTENTS`), not an answer."""
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or not agent.is_ready():
            return False
        parsed = await agent.parse_message(text)
        intent = parsed.get("intent") or {}
        return intent.get("name") in NEW_REQUEST_INTENTS and (intent.get("confidence") or 0) >= NEW_REQUEST_CONFIDENCE

    @staticmethod
    def _render(messages: List[dict], default_lang: str):
        actions: List[dict] = []
        menu: Dict[str, str] = {}
        more = ""
        for message in messages:
            raw = message.get("text") or ""
            lang = ssml.language_of(raw, default_lang)
            text = ssml.speakable(raw, lang)
            if not more and not is_safety_advice(raw):  # what to do about a gas smell is spoken in full
                text, more = ssml.shorten(text, lang)
            buttons = message.get("buttons") or []
            if buttons:
                options, menu = ssml.options_prompt(buttons, lang)
                text = f"{text} {options}".strip() if lang == "en" else text + options
            if text:
                actions.append(protocol.say(ssml.to_ssml(text, lang), text, lang))
        return actions, menu, more

    def _speak(self, lang: str, *keys: str) -> dict:
        text = " ".join(PROMPTS[k][lang] for k in keys) if lang == "en" else "".join(PROMPTS[k][lang] for k in keys)
        return protocol.say(ssml.to_ssml(text, lang), text, lang)

    async def _miss(self, request, on_new_message, event: CallEvent, state: CallState, kind: str) -> List[dict]:
        state.misses += 1
        if state.misses > self.max_reprompts:
            state.misses = 0
            return await self._bot_turn(request, on_new_message, event, state, ESCALATE_TEXT, escalation="no_input")
        if kind != "no_input":  # the caller spoke: ask again, don't replay the answer
            return [self._speak(state.lang, kind), self._gather(state)]
        # Silence: repeat the last question; after a statement, ask what else.
        question = state.last_prompt and re.search(r"[?？]\W*$", state.last_prompt[-1]["text"])
        return [self._speak(state.lang, kind)] + (state.last_prompt if question else [self._speak(state.lang, "again")]) \
            + [self._gather(state)]

    # ---- call-back offer ------------------------------------------------
    def start_callback(self, state: CallState, ticket_id: str) -> List[dict]:
        """Offer to call back about ``ticket_id``: on the caller id when it is a phone number
        (confirm it: keys 1/2 or yes/no), else ask for the number to call."""
        state.callback_ticket, state.misses = ticket_id, 0
        state.callback_number = callable_number(phone_number(state.caller))
        return self._callback_offer(state) if state.callback_number else self._callback_ask_number(state)

    def _callback_offer(self, state: CallState) -> List[dict]:
        state.callback_step = "confirm"
        lang, number = state.lang, state.callback_number or ""
        before, _, after = PROMPTS["callback_offer"][lang].partition("{number}")
        body = ssml.ssml_body(before) + ssml.phone_digits(number, lang) + ssml.ssml_body(after)
        say = protocol.say(ssml.speak_document(body, lang), f"{before}{number}{after}", lang)
        return [say, protocol.gather(lang, options={"1": "yes", "2": "no"})]

    def _callback_ask_number(self, state: CallState, *before: str) -> List[dict]:
        state.callback_step = "number"
        return [self._speak(state.lang, *before, "callback_number"), protocol.gather(state.lang)]

    async def _callback_turn(self, request: Request, on_new_message, event: CallEvent,
                             state: CallState) -> List[dict]:
        heard: Optional[str] = None
        number: Optional[str] = None
        if event.event == "dtmf":
            heard = event.digits.rstrip("#")
            number = keyed_phone(heard)
        elif event.event == "speech" and (event.confidence is None or event.confidence >= self.confidence_threshold):
            heard = event.text
            number = phone_number(heard)
        refused = number is not None and callable_number(number) is None
        number = None if refused else number
        if heard is not None:
            if event.event == "speech" and await self._safety_follow_up(request, event.call_id, heard):
                # "should I leave the house?", "it's getting worse": a message while the case waits, so
                # relayed to it as any other (the agent reads it) with the advice said again, in full; a
                # number said with it ("it's getting worse, call me on …") is then read back (review)
                state.misses = 0
                said = await self._relay_turn(on_new_message, event, state, heard)
                if number:
                    state.callback_number = number
                return said + (self._callback_offer(state) if state.callback_step == "confirm" or number
                               else self._callback_ask_number(state))
            if number:  # a number, keyed or spoken, at either step: read it back for confirmation
                state.callback_number, state.misses = number, 0
                return self._callback_offer(state)
            if refused:  # a premium-rate or other service number: said so, and asked for another
                state.misses = 0
                return self._callback_ask_number(state, "callback_refused_number")
            if state.callback_step == "confirm":
                answer = yes_or_no(heard) if event.event == "speech" else None
                no = heard == "2" or answer is False
                yes = heard == "1" or answer is True
                if yes:
                    await asyncio.to_thread(record_callback, state.callback_ticket, state.callback_number)
                    state.ended = True
                    return [self._speak(state.lang, "callback_bye"), protocol.hangup()]
                if no:
                    state.misses = 0
                    return self._callback_ask_number(state)
        state.misses += 1
        if state.misses > self.max_reprompts:  # the ticket stays; a colleague uses the caller id
            state.ended = True
            return [self._speak(state.lang, "callback_saved"), protocol.hangup()]
        if state.callback_step == "number":
            return self._callback_ask_number(state, "callback_bad_number" if heard else "no_input")
        return [self._speak(state.lang, "no_match" if heard else "no_input")] + self._callback_offer(state)

    async def _safety_follow_up(self, request: Request, call_id: str, heard: str) -> bool:
        """Whether ``heard`` is a safety follow-up in this call (``bot.handover.safety.safety_follow_up``
        over the call's customer messages: a hazard reported, or a question about what to do / "it's
        getting worse" after one), which the bot answers with the advice again."""
        try:
            tracker = await self._tracker(request, sender_of(call_id))
        except Exception:  # the tracker store unreachable: the menu goes on as before (review, twelfth pass)
            logger.exception("the call %s: its messages could not be read for a safety follow-up", call_id)
            tracker = None
        said = [e.text or "" for e in getattr(tracker, "events", ()) if isinstance(e, UserUttered)]
        return safety_follow_up(said + [heard])

    async def _relay_turn(self, on_new_message, event: CallEvent, state: CallState, heard: str) -> List[dict]:
        """``heard`` to the bot while the call's case waits: the hand-off policy relays it
        (``action_relay_to_agent`` files it on the ticket and says the advice again); what the bot
        said, as ``say`` actions (the advice in full). The call's menus are left as they are."""
        actions, _, _ = self._render(await self._run_turn(on_new_message, event, state, heard), state.lang)
        return actions

    async def handle(self, request: Request, on_new_message, event: CallEvent, state: CallState) -> List[dict]:
        """Answer one call event: start, speech, keys, silence, no match or hang-up.

        Args:
            request: the webhook request (its metadata goes with the bot turn).
            on_new_message: Rasa's handler for user messages.
            event: the parsed event.
            state: the call's state; changed in place.

        Returns:
            The actions for the platform, in order (``say``, ``gather``, ``transfer``,
            ``hangup``; see ``connectors.ivr.protocol``); empty after a hang-up.
        """
        if event.event == "hangup":
            state.ended = True
            # Hung up while queued: the ticket is abandoned (issue 14); one held by an agent stays.
            await asyncio.to_thread(abandon_call, event.call_id)
            return []
        if state.callback_ticket:
            return await self._callback_turn(request, on_new_message, event, state)
        if event.event == "start":  # a new call on this id: nothing of the last one is pending
            state.pending, state.misses, state.read_back_rounds, state.give_ups = None, 0, 0, 0
            return await self._bot_turn(request, on_new_message, event, state,
                                        f'/greet{{"language": "{event.lang}"}}')
        if state.pending is not None and event.event == "dtmf" and len(event.digits.rstrip("#")) > 1:
            state.pending = None  # the caller keyed the number instead of answering the read-back
        if state.pending is not None and event.event in ("speech", "dtmf", "no_match", "unknown"):
            return await self._read_back_turn(request, on_new_message, event, state)
        if state.pending is not None and event.event == "no_input":
            state.misses += 1
            if state.misses > self.max_reprompts:
                state.pending, state.misses = None, 0
                return await self._bot_turn(request, on_new_message, event, state, ESCALATE_TEXT,
                                            escalation="no_input")
            return self._read_back(state, "no_input")
        if event.event in ("no_input", "no_match", "unknown"):
            return await self._miss(request, on_new_message, event, state,
                                    "no_input" if event.event == "no_input" else "no_match")
        if event.event == "speech":
            if event.confidence is not None and event.confidence < self.confidence_threshold:
                return await self._miss(request, on_new_message, event, state, "repeat")
            state.misses = 0
            if state.more and _YES.match(event.text):
                return self._say_more(state)
            spoken = self._needs_read_back(event.text, event.confidence, state.expect)
            if spoken["read_back"]:
                state.pending = spoken
                return self._read_back(state)
            return await self._bot_turn(request, on_new_message, event, state, spoken["text"],
                                        spoken=_public(spoken, confirmed=False) if spoken["identifiers"] else None)
        # dtmf
        state.misses = 0
        digits = event.digits.rstrip("#")
        if digits in state.menu:
            return await self._bot_turn(request, on_new_message, event, state, state.menu[digits])
        if state.more and digits == "1":
            return self._say_more(state)
        if digits == "0":
            return await self._bot_turn(request, on_new_message, event, state, ESCALATE_TEXT)
        if state.expect == "phone" and re.fullmatch(r"\d{6,15}", digits):  # the order's mobile, keyed
            return await self._bot_turn(request, on_new_message, event, state, digits)
        if re.fullmatch(r"\d{6}", digits):
            text = digits if state.expect_code else f"QX-{digits}"
            return await self._bot_turn(request, on_new_message, event, state, text)
        return await self._miss(request, on_new_message, event, state, "no_match")

    def _say_more(self, state: CallState) -> List[dict]:
        text, state.more = ssml.shorten(state.more, state.lang)
        say = protocol.say(ssml.to_ssml(text, state.lang), text, state.lang)
        state.last_prompt = [say]
        return [say, self._gather(state)]

    # ---- routes ---------------------------------------------------------
    async def answer_event(self, request: Request, on_new_message) -> tuple[Optional[HTTPResponse], Optional[dict]]:
        """One signed platform event answered: ``(None, answer)`` (``protocol.reply``'s JSON), or
        ``(refusal, None)``, the JSON ``{"error"}`` response of an :class:`IvrRefused` (the
        channel's one refusal handling: 400 malformed, 401 unsigned or replayed, 409 a reused
        sequence number, 413 too large, 500 the turn failed, 503 no IVR_SECRET)."""
        try:
            return None, await self._answer(request, on_new_message)
        except IvrRefused as refused:
            return response.json({"error": str(refused)}, status=refused.status), None

    async def _answer(self, request: Request, on_new_message) -> dict:
        seen_before = await self._seen_before(request)
        try:
            body = json.loads(request.body)
        except RecursionError:  # [[[[…]]]] deeper than the parser's stack
            raise IvrRefused("JSON nested too deeply") from None
        except (ValueError, UnicodeDecodeError):
            raise IvrRefused("body must be JSON") from None
        try:
            event = protocol.parse_event(body)
        except ProtocolError as error:
            raise IvrRefused(str(error)) from None
        if (apology := await ivr_limited(request, event)) is not None:  # over the rate limit: say so, listen again
            return apology
        async with self.state.lock(call_key(event.call_id), CALL_LOCK_S):  # one event of a call at a time
            stored = await self.state.get(call_key(event.call_id))
            if stored is None and seen_before:  # a signature seen before, for a call we no longer know
                raise replayed()
            state = CallState.from_dict(stored) if stored else CallState(lang=event.lang, caller=event.caller)
            key = stored_answer_key(event)
            cached = await self.state.get(key)
            if cached is not None:
                if cached["event"] != asdict(event):
                    raise IvrRefused(f"seq {event.seq} of this call was already answered for another event", 409)
                return cached["answer"]  # the platform's retry: the same actions, no second turn
            if seen_before:
                raise replayed()
            if event.seq <= state.last_seq and event.event != "hangup":
                # helper-211 (session 45): seq 3 after seq 5 ran a turn in the newer context ("yes" or a keyed code
                # answering a later question); a late hang-up still ends the call
                raise IvrRefused(f"seq {event.seq} is older than this call's last event ({state.last_seq})", 409)
            state.last_seq = max(state.last_seq, event.seq)
            if state.ended and event.event != "hangup":
                actions: List[dict] = [protocol.hangup()]
            else:
                try:
                    actions = await self.handle(request, on_new_message, event, state)
                except Exception:
                    logger.exception("IVR event %s/%s could not be handled", event.call_id, event.seq)
                    await self.state.delete(signature_key(request.headers.get('X-IVR-Signature')))  # a retry may
                    raise IvrRefused("the assistant could not answer this event", 500) from None
            answer = protocol.reply(event, actions)
            await self.state.put(call_key(event.call_id), state.to_dict(), CALL_TTL_S)
            await self.state.put(key, {"event": asdict(event), "answer": answer}, ANSWER_TTL_S)
            return answer

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The Sanic blueprint: health, the JSON webhook and the VoiceXML endpoint.

        Returns:
            The blueprint; a bad signature answers 401, a malformed event 400, a reused
            sequence number with another body 409, no IVR_SECRET 503.
        """
        webhook = Blueprint("ivr_webhook", __name__)

        @webhook.route("/", methods=["GET", "HEAD"])  # the channel's public health check: HEAD too
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.secret else "disabled: IVR_SECRET is not set"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            error, answer = await self.answer_event(request, on_new_message)
            return error or response.json(answer)

        @webhook.route("/vxml", methods=["POST"])
        async def receive_vxml(request: Request) -> HTTPResponse:
            error, answer = await self.answer_event(request, on_new_message)
            if error is not None:
                return error
            document = render_vxml(answer["actions"], answer["call_id"], answer["seq"] + 1,
                                   "/webhooks/ivr/vxml", self.sip_domain)
            return response.text(document, content_type="application/voicexml+xml; charset=utf-8")

        return webhook


def _public(spoken: dict, confirmed: bool) -> dict:
    """``metadata.spoken`` of a turn: the transcript, the rewritten text, and whether the caller confirmed it."""
    return {k: v for k, v in spoken.items() if not k.startswith("_")} | {"confirmed": confirmed}


class IvrRefused(Exception):
    """An event the webhook refuses: ``str()`` the reason for the platform, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def replayed() -> IvrRefused:
    """The refusal of a signed request seen before (401)."""
    return IvrRefused("unauthorised: replayed request", 401)


def phone_number(raw: Optional[str]) -> Optional[str]:
    """A number to call back from a caller id or spoken digits, in E.164, else None.

    :func:`bot.text.phone_in`, the one phone finder (chat uses it too):
    ``0044 7700 900111`` → ``+447700900111``, a bare Chinese mobile → ``+86…``.
    Digits keyed on the keypad go through :func:`bot.text.keyed_phone` instead.
    """
    return phone_in(raw)


def callable_number(number: Optional[str]) -> Optional[str]:
    """``number`` unless it is a premium-rate or other service number (``bot.text.callback_refusal``
    says ``not_personal``), which is never called back. A number phonenumbers does not know stays: on
    the phone a caller keys a local number without its area code on purpose (:func:`bot.text.keyed_phone`),
    and the caller id is the line the platform vouches for.

    Args:
        number: E.164 or keyed digits, or None.

    Returns:
        ``number``, or None.
    """
    return number if number and callback_refusal(number) != NOT_A_PERSONAL_LINE else None


def record_callback(ticket_id: str, phone: str) -> None:
    """The caller confirmed the number to call back: a ``callback`` event, and intake.phone if empty."""
    tickets_service.record_callback(SqlAlchemyUnitOfWork(), ticket_id, phone)


def wait_after_turn(ticket_id: str) -> Optional[str]:
    """``bot.services.waiting.after_phone_turn`` on a fresh unit of work (answer|transfer|callback|goodbye|None).

    The database out of reach: None, logged, and the call goes on as before the long-wait
    choices existed (a queued ticket is transferred)."""
    try:
        return waiting_service.after_phone_turn(SqlAlchemyUnitOfWork(), ticket_id)
    except Exception:
        logger.exception("the wait state of ticket %s could not be read", ticket_id)
        return None


def abandon_call(call_id: str) -> Optional[str]:
    """The caller hung up: the call's queued ticket becomes ``abandoned``; its id, or None
    (also when the database is out of reach: logged, the hang-up is still answered)."""
    try:
        return waiting_service.abandon_hung_up(SqlAlchemyUnitOfWork(), sender_of(call_id))
    except Exception:
        logger.exception("the ticket of call %s could not be marked abandoned", call_id)
        return None
