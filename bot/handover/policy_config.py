"""The schema of ``escalation.yml``, checked when a server starts.

A misspelt or misplaced key, a reason code that does not exist, a wrong
type or a support-hours window that does not parse stops start-up with an
error naming the key (``escalation.yml: triggers.negative_emotion.treshold:
extra fields not permitted``) instead of a ``KeyError`` in the middle of a
hand-over. The policy reads the validated model (``EscalationConfig.file``, an
:class:`EscalationFile`) by attribute: every default is written once, here.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Extra, Field, ValidationError, validator

from bot.domain import ReasonCode

WINDOW = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d-(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$")


class EscalationConfigError(ValueError):
    """``escalation.yml`` does not match its schema; the message names each bad key (dotted path)."""


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class CustomerRequestRule(_Strict):
    """``triggers.customer_request``: the intents that ask for a person, whether an explicit request counts, and the
    intents accepting an offer.
    """

    intents: List[str] = []
    explicit_request: bool = True
    accept_offer_intents: List[str] = ["affirm"]
    # issue 11, nineteenth pass: the learned request reader's score (bot.nlu.request_reader, 0–1) at or above
    # which a message asks for a person whatever the rules read; None: the rules alone
    reader_threshold: Optional[float] = Field(None, ge=0, le=1)


class ComplexIntentRule(_Strict):
    """``triggers.complex_intent``: intents a person must handle, and those only offered when calm (negativity below
    ``calm_below``, 0–1).
    """

    intents: List[str] = []
    offer_when_calm: List[str] = []
    calm_below: float = 0.5
    # issue 11, third pass: intents only offered when calm AND the text names no case a
    # person must handle (bot/handover/triage/cases.py needs_person_case) and asks for nothing.
    offer_when_routine: List[str] = []
    # A case a person must handle (fraud, double charge, legal threat, formal complaint,
    # safety, damaged/missing after the usual steps) is complex whatever the intent.
    case_cues: bool = True
    # issue 11, tenth pass: intents that count only when the text has a word of fraud
    # (bot.handover.triage.fraud_misread: thanks, an apology or a question with none is a misread)
    needs_wording: List[str] = []


class MoodRule(_Strict):
    """``negative_emotion.mood``; these defaults are the policy's (``bot.handover.policy.mood`` reads them here)."""

    decay: float = 0.6  # share of the earlier mood a new turn keeps
    threshold: float = 1.2  # a rising mood at or above this hands over...
    floor: float = 0.3  # ...if the latest turn's own negativity is at least this
    polite_relief: float = 0.3  # a polite, calm turn multiplies the mood by this


class NegativeEmotionRule(_Strict):
    """``triggers.negative_emotion``: labels and thresholds (negativity 0–1) for one upset message, for consecutive
    turns, and the mood.
    """

    labels: List[str] = ["anger", "frustration"]
    threshold: float = 0.75
    consecutive_turns: int = 2
    consecutive_threshold: float = 0.5
    # one message in a calm frame (negated emotion, ended well, heads-up, apology; bot.handover.triage.calm_framing)
    calm_framing_threshold: Optional[float] = None
    # issue 11, fourth pass: the one-message threshold when the wording itself carries anger
    # (bot.handover.triage.anger_cue) and no calm frame; None: ``threshold``
    anger_cue_threshold: Optional[float] = None
    # issue 11, fifth pass: False: a message whose only irritation is softened or a sigh
    # (bot.handover.triage.mild_irritation) does not escalate on its own; None/True: it may
    mild_one_message: Optional[bool] = None
    # issue 11, sixth pass: the one-message threshold for mock praise the wording makes plain
    # (bot.handover.triage.strong_sarcasm); None: the anger cue's threshold applies
    sarcasm_threshold: Optional[float] = None
    # issue 11, tenth pass: the one-message threshold when the wording alone makes anger plain (a swear word,
    # "a disgrace", 扯淡; bot.handover.triage.strong_anger); None: the anger cue's threshold applies
    strong_anger_threshold: Optional[float] = None
    # issue 11, eighth pass: False: a report that ended well or needs nothing, in a calm frame with no anger
    # in the wording (bot.handover.triage.is_report and calm_framing), does not escalate on its own;
    # None/True: ``calm_framing_threshold`` applies
    report_one_message: Optional[bool] = None
    # session 26: False: a message whose angry words are about the customer's own life or said not to be at us, with no
    # anger at us in the wording (bot.handover.triage.anger_not_at_us), does not escalate on its own; None/True: it may
    not_at_us_one_message: Optional[bool] = None
    # None (absent or empty): no mood trigger; the mood itself is still followed with MoodRule's defaults
    mood: Optional[MoodRule] = None

    @validator("mood", pre=True)
    def _empty_mood_is_none(cls, value: Any) -> Any:
        return value or None


class NluFailureRule(_Strict):
    """``triggers.nlu_failure``: how many fallbacks in a row hand over."""

    consecutive_fallbacks: int = 2  # read by bot.handover.policy.nlu_failure (actions/fallback.py)

    @validator("consecutive_fallbacks")
    def _at_least_one(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1 (1: hand over on the first miss)")
        return value


class FlowExhaustedRule(_Strict):
    """``triggers.flow_exhausted``: no settings (a flow that ran out of steps always hands over)."""

    pass


class NoInputRule(_Strict):
    """``triggers.no_input``: how many re-prompts after silence (IVR) before handing over."""

    max_reprompts: int = 2  # read by connectors/ivr (IvrInput.max_reprompts); credentials.yml has none


class Triggers(_Strict):
    """One entry per reason code (DESIGN.md §5); a missing (or empty) one uses the defaults."""

    customer_request: CustomerRequestRule = CustomerRequestRule()
    negative_emotion: NegativeEmotionRule = NegativeEmotionRule()
    complex_intent: ComplexIntentRule = ComplexIntentRule()
    nlu_failure: NluFailureRule = NluFailureRule()
    flow_exhausted: FlowExhaustedRule = FlowExhaustedRule()
    no_input: NoInputRule = NoInputRule()

    @validator("*", pre=True)
    def _empty_is_default(cls, value: Any) -> Any:
        return {} if value is None else value


class PriorityRules(_Strict):
    """``priority``: base priority (1 = most urgent) per reason code, intent overrides, anger and repeat bonuses, the
    lowest priority.
    """

    base: Dict[ReasonCode, int]
    intent_overrides: Dict[str, int] = {}
    # Cases a person must handle that jump the queue whatever the reason code or intent
    # (bot.handover.triage.needs_person_case: a safety case, a gas smell, goes first)
    case_overrides: Dict[str, int] = {}
    anger_bonus: int = 1
    anger_threshold: Optional[float] = None
    repeat_escalation_days: int = 7
    lowest: int = 5

    @validator("base")
    def _plain_codes(cls, value: Dict[ReasonCode, int]) -> Dict[str, int]:
        return {ReasonCode(code).value: n for code, n in value.items()}  # looked up by the plain code


class SupportHours(_Strict):
    """``support_hours``: always open, or weekly ``HH:MM-HH:MM`` windows (Monday = 0) in an IANA time zone."""

    always_open: bool = False
    timezone: str = "UTC"
    weekly: Dict[int, str]  # Monday=0 … Sunday=6 -> "HH:MM-HH:MM"

    @validator("timezone")
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @validator("weekly")
    def _windows(cls, value: Dict[int, str]) -> Dict[int, str]:
        for day, window in value.items():
            if not 0 <= day <= 6:
                raise ValueError(f"day {day} is not 0 (Monday) to 6 (Sunday)")
            if window and not WINDOW.match(window):
                raise ValueError(f"day {day}: {window!r} is not HH:MM-HH:MM")
            if window and window.split("-")[1] != "24:00" and window[:5] >= window[6:]:
                raise ValueError(f"day {day}: {window!r} ends before it starts (a window ends on its day, 24:00 "
                                 "at the latest)")
        return value


class EscalationFile(_Strict):
    """The whole of ``escalation.yml``."""

    precedence: Optional[List[ReasonCode]] = None
    triggers: Triggers
    priority: PriorityRules
    sla_target_wait_s: Dict[int, int]
    topics: Dict[str, List[str]] = {}
    # When no intent of the conversation belongs to a topic, the first topic one of whose words the customer's
    # latest message holds (bot.handover.policy.topic_of; issue 11 sixteenth pass, a fresh new user's finding:
    # "a real person about my invoice" had no topic and no billing skill).
    topic_words: Dict[str, List[str]] = {}
    estimated_handle_s: int = 240
    # Long waits (issue 14): an estimate of at least this many seconds (or one that runs past
    # closing time) offers keep waiting / call me back / leave a message (bot.services.waiting).
    long_wait_offer_s: int = 900
    support_hours: SupportHours
    # What a safety case's advice names as the emergency numbers, by language (bot.handover.safety;
    # none: mainland China's 119 / 120 / 110)
    emergency_numbers: Dict[str, str] = {}

    @validator("long_wait_offer_s")
    def _positive_threshold(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number of seconds")
        return value

    @validator("precedence")
    def _plain_precedence(cls, value: Optional[List[ReasonCode]]) -> Optional[List[str]]:
        return None if value is None else [ReasonCode(code).value for code in value]


def _where(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"] if part != "__root__") or "(top level)"


def parse_config(raw: Any, source: str = "escalation.yml") -> EscalationFile:
    """A parsed ``escalation.yml`` as the typed, validated :class:`EscalationFile` (defaults filled in).

    Args:
        raw: the YAML document as loaded by ``yaml.safe_load``.
        source: the file name used in the error message.

    Returns:
        The :class:`EscalationFile`.

    Raises:
        EscalationConfigError: one line per problem, each starting with the dotted key
            (``triggers.negative_emotion.treshold: extra fields not permitted``).
    """
    if not isinstance(raw, Mapping):
        raise EscalationConfigError(f"{source}: expected a mapping at the top level, got {type(raw).__name__}")
    try:
        return EscalationFile.parse_obj(raw)
    except ValidationError as error:
        problems = "; ".join(f"{_where(e)}: {e['msg']}" for e in error.errors())
        raise EscalationConfigError(f"{source}: {problems}") from None


def validate_config(raw: Any, source: str = "escalation.yml") -> Mapping:
    """Check a parsed ``escalation.yml`` (:func:`parse_config`) and return ``raw`` itself, unchanged.

    Args:
        raw: the YAML document as loaded by ``yaml.safe_load``.
        source: the file name used in the error message.

    Returns:
        ``raw``.

    Raises:
        EscalationConfigError: as :func:`parse_config`.
    """
    parse_config(raw, source)
    return raw
