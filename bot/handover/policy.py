"""Escalation policy: when to hand over, with which reason, how urgently.

Pure functions over a small view of the conversation; thresholds come from
``escalation.yml`` so a supervisor can tune them without touching code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence
from zoneinfo import ZoneInfo

import yaml

from bot.domain import REASON_CODES, ReasonCode
from bot.handover.policy_config import (  # noqa: F401 (EscalationConfigError, validate_config re-exported)
    EscalationConfigError, EscalationFile, MoodRule, SupportHours, parse_config, validate_config,
)
from bot.handover.triage import URGENT_CASES
from bot.settings import PROJECT_ROOT, get_settings

DEFAULT_CONFIG = PROJECT_ROOT / "escalation.yml"


DEFAULT_PRECEDENCE = REASON_CODES


@dataclass(frozen=True)
class Emotion:
    """``score``: probability of ``label``; ``negative``: the calibrated
    probability (0..1) that the message is angry or frustrated, the same
    scale in every language (None from models that predate calibration)."""

    label: str
    score: float
    negative: Optional[float] = None

    @classmethod
    def from_parse(cls, data: Optional[Mapping]) -> Optional["Emotion"]:
        """The ``emotion`` of a parsed message, or None.

        Args:
            data: the ``emotion`` of a message's ``parse_data`` (``label``, ``score``, ``negative``), or None.

        Returns:
            The :class:`Emotion`, or None.
        """
        if not data:
            return None
        negative = data.get("negative")
        return cls(data["label"], float(data["score"]), None if negative is None else float(negative))


@dataclass(frozen=True)
class Turn:
    """What the policy needs to know about one customer message.

    ``asks_for_person``/``wants_action``/``polite``/``report``: the cues of
    ``bot.handover.triage`` on its text; ``offered``: the bot had just offered a person;
    ``calm_framing``: a calm frame with no anger in the wording
    (``bot.handover.triage.calm_framing``), which raises the one-message emotion
    threshold to ``calm_framing_threshold``.
    """

    intent: Optional[str]
    emotion: Optional[Emotion] = None
    asks_for_person: bool = False
    wants_action: bool = False
    polite: bool = False
    offered: bool = False
    report: bool = False
    calm_framing: bool = False  # issue 11: see bot.handover.triage.calm_framing
    # issue 11, third pass: the case a person must handle that the text names
    # (bot.handover.triage.needs_person_case: fraud, double_charge, legal, ...), or None;
    # ``text_read``: the cues come from the text (False for a turn built without it);
    # ``not_a_request``: "did anyone look at my request?", "are you a bot or a person?".
    case: Optional[str] = None
    text_read: bool = False
    not_a_request: bool = False
    # issue 11, fourth pass: the wording carries anger (bot.handover.triage.anger_cue)
    anger_cue: bool = False
    # issue 11, fifth pass: a softened irritation or a sigh only (bot.handover.triage.mild_irritation)
    mild: bool = False
    # issue 11, sixth pass: mock praise the wording makes plain (bot.handover.triage.strong_sarcasm)
    sarcasm: bool = False
    # issue 11, eighth pass: the text names a person, a contact or a hand-over at all (bot.handover.triage.names_staff);
    # a ``request_human`` read of a text that names none ("oh, I had to tick the box") is a misread
    names_staff: bool = True
    # issue 11, tenth pass: the wording alone makes anger plain (bot.handover.triage.strong_anger); the text has a
    # ``report_fraud`` read of thanks or a question with no word of fraud (bot.handover.triage.fraud_misread)
    strong: bool = False
    fraud_misread: bool = False
    # issue 11, nineteenth pass: the learned request reader's probability (0–1) that the message asks for a
    # person (bot.nlu.request_reader; ``request_score`` of the parse), or None when the model has no reader
    request_score: Optional[float] = None
    # issue 11, twentieth pass: a short message that names a person and little else (bot.handover.triage.person.bare_request:
    # "reprsentative", "call me back", 有没有人工啊) — a plain request; the emotion model's anger at its brevity counts only
    # when the wording carries anger too
    bare_request: bool = False
    # session 26: the angry words are about the customer's own life or said not to be at us, and the wording carries no
    # anger at us (bot.handover.triage.anger_not_at_us: "Raining cats and dogs here, damn.", "idiot me", 怪我自己)
    not_at_us: bool = False
    # session 34: a bare question about when something will come (bot.handover.triage.calm.bare_status_question): the
    # one-message emotion trigger reads it at calm_framing_threshold; unlike calm_framing it does not carry to the next turn
    status_question: bool = False

    @classmethod
    def from_text(cls, intent: Optional[str], emotion: Optional[Emotion], text: str,
                  offered: bool = False, request_score: Optional[float] = None) -> "Turn":
        """A turn with the triage cues read from the message text.

        Args:
            intent: the message's intent name, or None.
            emotion: its emotion, or None (ignored for a message of bare details: an order or phone number).
            text: the message's text (the triage cues are read from it).
            offered: whether the bot had just offered a person.
            request_score: the request reader's score of the text (0–1), or None.

        Returns:
            The :class:`Turn`.
        """
        from bot.handover.triage import (
            anger_cue, anger_not_at_us, asks_for_person, bare_details, bare_status_question, calm_framing, is_polite, is_report,
            mild_irritation, fraud_misread, names_staff, needs_person_case, not_a_request, strong_anger, strong_sarcasm,
            wants_action,
        )

        from bot.handover.triage.person import bare_request  # twentieth pass

        from bot.handover.triage.mood import relayed_emotion  # session 24

        if bare_details(text) or relayed_emotion(text):
            # issue 11, eighth pass: a bare order or phone number carries no mood; session 24: nor does someone else's
            # anger told calmly ("my husband is fuming 😅 I'm just trying to sort it out calmly")
            emotion = None

        return cls(intent, emotion, asks_for_person(text), wants_action(text), is_polite(text), offered,
                   is_report(text), calm_framing(text), needs_person_case(text), True, not_a_request(text),
                   anger_cue(text), mild_irritation(text), strong_sarcasm(text), names_staff(text),
                   strong=strong_anger(text), fraud_misread=fraud_misread(text), request_score=request_score,
                   bare_request=bare_request(text), not_at_us=anger_not_at_us(text),
                   status_question=bare_status_question(text))


@dataclass(frozen=True)
class Trigger:
    """An escalation trigger that fired: a :class:`ReasonCode` value, a short human-readable detail and
    the case the message named (``bot.handover.triage.needs_person_case``: ``safety``, ``fraud``, …, or
    None). ``case`` is for the priority (``priority.case_overrides``) and the opening the customer hears;
    it is not part of the packet's ``reason.triggers`` (DESIGN.md §6: ``{code, detail}``)."""

    code: str
    detail: str
    case: Optional[str] = field(default=None, compare=False)

    def as_dict(self) -> dict:
        """``{"code": ..., "detail": ...}``, as in the packet's ``reason``."""
        return {"code": self.code, "detail": self.detail}


@dataclass(frozen=True)
class Decision:
    """The primary reason (``code``, ``detail``) and every trigger that fired,
    in precedence order (the primary first)."""

    code: str
    detail: str
    triggers: tuple = ()

    def all_triggers(self) -> list[Trigger]:
        """Every trigger that fired, primary first (just the primary when none were kept)."""
        return list(self.triggers) or [Trigger(self.code, self.detail)]

    @property
    def urgent_case(self) -> bool:
        """True when a trigger named an urgent case (``bot.handover.triage.URGENT_CASES``: safety): the
        customer is told what to do now and the agent's summary says so."""
        return any(trigger.case in URGENT_CASES for trigger in self.all_triggers())


@dataclass(frozen=True)
class EscalationConfig:
    """The validated ``escalation.yml`` with helpers for the policy.

    ``raw`` is the mapping as read (kept to build variants of a configuration); ``file`` is
    the typed model (:class:`bot.handover.policy_config.EscalationFile`, defaults filled in)
    every rule reads. Constructing one validates ``raw``.

    Raises:
        EscalationConfigError: ``raw`` does not match the schema (the message names the key).
    """

    raw: Mapping
    source: str = "escalation.yml"
    file: EscalationFile = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", parse_config(self.raw, self.source))

    @classmethod
    def load(cls, path: Path | str = DEFAULT_CONFIG) -> "EscalationConfig":
        """Read and validate an ``escalation.yml``.

        Args:
            path: the YAML file (default: the project's ``escalation.yml``).

        Returns:
            The validated :class:`EscalationConfig`.

        Raises:
            EscalationConfigError: the file does not match ``bot.handover.policy_config.EscalationFile``
                (the message names the key).
            OSError: the file cannot be read.
        """
        path = Path(path)
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)

    def reason_for_intent(self, intent: Optional[str]) -> Optional[str]:
        """The reason code an intent always carries to a person, from the ``intents`` lists of
        ``triggers.customer_request`` and ``triggers.complex_intent`` (in that order); None for
        any other intent. Used when a rule, not the policy, ran the hand-over.

        Args:
            intent: an intent name, or None.

        Returns:
            ``customer_request``, ``complex_intent``, or None.
        """
        triggers = self.file.triggers
        for code, rule in ((ReasonCode.CUSTOMER_REQUEST, triggers.customer_request),
                           (ReasonCode.COMPLEX_INTENT, triggers.complex_intent)):
            if intent and intent in rule.intents:
                return code.value
        return None

    @property
    def precedence(self) -> tuple:
        """Reason codes, most important first; codes missing from the file go last."""
        listed = [c for c in self.file.precedence or () if c in DEFAULT_PRECEDENCE]
        return tuple(listed + [c for c in DEFAULT_PRECEDENCE if c not in listed])

    def combine(self, triggers: Sequence[Trigger]) -> Optional[Decision]:
        """One decision from the triggers that fired: the primary by precedence, all kept.

        Args:
            triggers: the triggers that fired (any order).

        Returns:
            The :class:`Decision` (code and detail of the primary, every trigger kept), or None when none
            fired.
        """
        if not triggers:
            return None
        order = {code: i for i, code in enumerate(self.precedence)}
        ranked = sorted(triggers, key=lambda t: order.get(t.code, len(order)))
        return Decision(ranked[0].code, ranked[0].detail, tuple(ranked))


@lru_cache(maxsize=4)
def _load(path: str) -> EscalationConfig:
    return EscalationConfig.load(path)


def config_path() -> str:
    """The escalation rules' file: ``ESCALATION_CONFIG``, else the project's ``escalation.yml``.

    Returns:
        A path, as :func:`load_config` reads it when given none.
    """
    return get_settings().escalation_config or str(DEFAULT_CONFIG)


def load_config(path: Optional[str] = None) -> EscalationConfig:
    """`escalation.yml`, or the file named by ESCALATION_CONFIG.

    Args:
        path: a YAML file; None uses ``ESCALATION_CONFIG`` or the project's ``escalation.yml``.

    Returns:
        The validated :class:`EscalationConfig` (cached per path).

    Raises:
        EscalationConfigError: the file does not match its schema (the message names the key).
    """
    return _load(path or config_path())


#: The intents that are a miss of the NLU (the fallback rules of data/rules/escalation.yml run
#: ``action_handle_fallback`` on them).
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def fallbacks_in_a_row(intents: Sequence[Optional[str]]) -> int:
    """How many misses in a row end the conversation, counting the latest turn as one.

    Args:
        intents: the customer's intent names, oldest first; the latest is the miss being
            handled (``action_handle_fallback`` runs for it, whatever it was named).

    Returns:
        1 + the number of :data:`FALLBACK_INTENTS` right before the latest turn (0 if ``intents`` is empty).
    """
    if not intents:
        return 0
    count = 1
    for intent in reversed(intents[:-1]):
        if intent not in FALLBACK_INTENTS:
            break
        count += 1
    return count


def nlu_failure(intents: Sequence[Optional[str]], config: "EscalationConfig", text: str = "") -> Optional[Decision]:
    """The ``nlu_failure`` hand-over when this miss makes ``triggers.nlu_failure.consecutive_fallbacks``
    of escalation.yml in a row, else None (the bot asks the customer to rephrase).

    Args:
        intents: as :func:`fallbacks_in_a_row`.
        config: escalation.yml, validated.
        text: the latest message, quoted (first 200 characters) in the decision's detail.

    Returns:
        ``Decision("nlu_failure", "two fallbacks in a row; last message: …")`` (``"3 fallbacks …"`` for
        other counts; the desk translates both forms, connectors/agent_desk/static/app.js) or None.
    """
    count = fallbacks_in_a_row(intents)
    if count < config.file.triggers.nlu_failure.consecutive_fallbacks:
        return None
    how_many = "two" if count == 2 else str(count)
    return Decision(ReasonCode.NLU_FAILURE.value, f"{how_many} fallbacks in a row; last message: {text[:200]}")


OFFER_ACTION = "action_offer_handoff"
HANDOFF_ACTION = "action_handoff"


#: Reasons only a channel can see (the IVR's silence, its spoken identifiers given up on): the
#: channel sends them with the hand-over request, in the turn's metadata ``ivr_escalation`` (the
#: code) and ``ivr_escalation_detail`` (connectors/ivr; the REST channel refuses both keys from clients).
CHANNEL_REASONS = (ReasonCode.NO_INPUT.value, ReasonCode.FLOW_EXHAUSTED.value)


def channel_trigger(events: Iterable[Mapping]) -> Optional[Trigger]:
    """The reason the channel sent with the latest customer turn, or None.

    Args:
        events: tracker events as dicts; the latest ``user`` event's ``metadata`` is read.

    Returns:
        A :class:`Trigger` of one of :data:`CHANNEL_REASONS` with the channel's detail (or a
        generic one), or None when the turn carries no such reason (a code outside
        :data:`CHANNEL_REASONS` is ignored).
    """
    latest = next((e for e in reversed(list(events)) if e.get("event") == "user"), None)
    metadata = (latest or {}).get("metadata") or {}
    code = metadata.get("ivr_escalation") if isinstance(metadata, Mapping) else None
    if code not in CHANNEL_REASONS:
        return None
    detail = metadata.get("ivr_escalation_detail")
    return Trigger(code, detail if isinstance(detail, str) and detail.strip() else f"{code} reported by the channel")


def channel_decision(events: Iterable[Mapping]) -> Optional[Decision]:
    """:func:`channel_trigger` as the hand-over's decision (its only trigger, the primary), or None.

    Args:
        events: tracker events as dicts.

    Returns:
        The :class:`Decision`, or None.
    """
    trigger = channel_trigger(events)
    return Decision(trigger.code, trigger.detail, (trigger,)) if trigger else None


def turns_from_events(events: Iterable[Mapping]) -> list[Turn]:
    """The customer's turns since the last hand-over, from tracker events as dicts.

    Each turn carries its intent, emotion, triage cues, and whether the bot
    had just offered a person (``action_offer_handoff`` was the last action).

    Args:
        events: tracker events as dicts, oldest first.

    Returns:
        The :class:`Turn` list, latest last.
    """
    return fold_turns(events)[0]


def fold_turns(events: Iterable[Mapping], turns: Optional[list[Turn]] = None,
               offered: bool = False) -> tuple[list[Turn], bool]:
    """``turns_from_events`` continued from a saved point (issue 16: the policy
    reads only a turn's new events): ``turns`` (extended in place) and
    ``offered`` as an earlier call returned them; returns both for the next.

    Args:
        events: the tracker events not folded yet, as dicts.
        turns: the turns an earlier call returned (extended in place), or None to start.
        offered: whether the last folded event left a person offered.

    Returns:
        ``(turns, offered)`` to pass to the next call.
    """
    turns = [] if turns is None else turns
    for event in events:
        kind = event.get("event")
        if kind == "action":
            name = event.get("name")
            if name == HANDOFF_ACTION:
                turns.clear()  # a person took it: the mood starts again
                offered = False
            elif name == OFFER_ACTION:
                offered = True
            elif name not in ("action_listen", None):
                offered = False
        elif kind == "user":
            parse = event.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            turns.append(Turn.from_text(intent, Emotion.from_parse(parse.get("emotion")), event.get("text") or "",
                                        offered, request_score_of(parse)))
            offered = False
    return turns, offered


def request_score_of(parse: Mapping) -> Optional[float]:
    """The request reader's score in a message's ``parse_data`` (``request_score``, 0–1), or None when the model
    has no reader or the value is not a number between 0 and 1.

    Args:
        parse: the message's ``parse_data``.

    Returns:
        The score, or None.
    """
    value = parse.get("request_score")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        return None
    return float(value)


def _reader_asks(turn: Turn, config: EscalationConfig) -> bool:
    """The request reader reads the turn as asking for a person: its score at or above
    ``triggers.customer_request.reader_threshold``, and the text is no question about a request
    (``Turn.not_a_request``)."""
    threshold = config.file.triggers.customer_request.reader_threshold
    return (threshold is not None and turn.request_score is not None and turn.request_score >= threshold
            and not turn.not_a_request)


def negativity(emotion: Optional[Emotion], labels: Sequence[str]) -> float:
    """How negative a message is, 0..1: the calibrated ``negative`` when the
    model gives one, else the label's score for an angry/frustrated label.

    Args:
        emotion: the message's emotion, or None.
        labels: the labels counted as negative (``anger``, ``frustration``).

    Returns:
        A number from 0.0 to 1.0.
    """
    if emotion is None:
        return 0.0
    if emotion.negative is not None:
        return emotion.negative
    return emotion.score if emotion.label in labels else 0.0


def _is_negative(emotion: Optional[Emotion], labels: Sequence[str], threshold: float) -> bool:
    return emotion is not None and negativity(emotion, labels) >= threshold


class TurnHistory(list):
    """A list of turns that remembers its mood fold (issue 16: a turn's cost must not grow with
    the conversation). ``memo`` is shared with the next history of the same conversation (the
    handoff policy hands out one per prediction): ``(turns folded, value, moods, config, last
    turn folded)``, used only while that last turn is still in place and the config the same."""

    memo: Optional[list] = None


def mood(turns: Sequence[Turn], config: EscalationConfig) -> list[float]:
    """The conversation's mood after each turn (0 = calm; higher = more upset).

    Each turn adds its negativity to the decayed mood of the turns before it;
    an apology or thanks from a customer who is not upset right now scales
    the mood down (``negative_emotion.mood`` in escalation.yml). A
    :class:`TurnHistory` continues the fold from where the last one stopped.

    Args:
        turns: the customer's turns, latest last.
        config: the escalation rules (``triggers.negative_emotion.mood``).

    Returns:
        The mood after each turn (0.0 upwards), one per turn.
    """
    rule = config.file.triggers.negative_emotion
    settings = rule.mood or MoodRule()
    labels = rule.labels
    decay, relief = settings.decay, settings.polite_relief
    calm_below = rule.consecutive_threshold
    value, out, start = 0.0, [], 0
    memo = getattr(turns, "memo", None)
    if memo and memo[3] is config and memo[0] <= len(turns) and (memo[0] == 0 or turns[memo[0] - 1] is memo[4]):
        start, value, out = memo[0], memo[1], list(memo[2])
    for turn in turns[start:]:
        negative = negativity(turn.emotion, labels)
        value = decay * value + negative
        if turn.polite and negative < calm_below:
            value *= relief
        out.append(round(value, 3))
    if memo is not None:
        memo[:] = [len(turns), value, list(out), config, turns[-1] if turns else None]
    return out


def _emotion_trigger(turns: Sequence[Turn], config: EscalationConfig) -> Optional[Trigger]:
    rule = config.file.triggers.negative_emotion
    labels = rule.labels
    latest = turns[-1]
    emotion = latest.emotion
    score = negativity(emotion, labels)
    threshold = rule.threshold
    # issue 11, fourth pass: a calm frame on the turn before ("not annoyed, just confused")
    # carries to a next turn whose wording has no anger of its own.
    carried = len(turns) > 1 and turns[-2].calm_framing and latest.text_read and not latest.anger_cue
    if (latest.calm_framing or carried or latest.status_question) and rule.calm_framing_threshold is not None:
        threshold = max(threshold, rule.calm_framing_threshold)
    elif latest.anger_cue and rule.anger_cue_threshold is not None:
        threshold = min(threshold, rule.anger_cue_threshold)
        if latest.sarcasm and rule.sarcasm_threshold is not None:
            # issue 11, sixth pass: mock praise the model reads as praise; the wording decides
            threshold = min(threshold, rule.sarcasm_threshold)
        if latest.strong and rule.strong_anger_threshold is not None:
            # issue 11, tenth pass: a swear word, "a disgrace", 扯淡, 你们看着办 — the wording decides
            threshold = min(threshold, rule.strong_anger_threshold)
    # issue 11, fifth pass: a mild irritation alone ("ugh, why can't I log in", 有点着急) is no
    # reason for a person by itself; a next negative turn still counts below.
    one_message = not (latest.mild and rule.mild_one_message is False)
    request_read = (latest.asks_for_person or latest.intent in config.file.triggers.customer_request.intents
                    or _reader_asks(latest, config))
    if latest.bare_request and request_read and not (latest.anger_cue or latest.strong or latest.sarcasm):
        one_message = False  # twentieth pass: "reprsentative", "call me back", 有没有人工啊 — a plain request, not anger
    # issue 11, eighth pass: "late but it's here now and she loves it" is calm by the label definitions
    # (a mixed report that ended well) whatever the model reads in "late"; runs and mood still count.
    if latest.report and latest.calm_framing and rule.report_one_message is False:
        one_message = False
    # session 26: "Raining cats and dogs here, damn. Is the drive-through still open?" — the anger is not at us
    if latest.not_at_us and rule.not_at_us_one_message is False:
        one_message = False
    if one_message and _is_negative(emotion, labels, threshold):
        # the calibrated negativity the threshold is compared with ("negative 0.56"), as the summary's mood says it,
        # not the model's label beside it ("neutral 0.37" read as calm; s20eng2 #5)
        return Trigger("negative_emotion", f"negative {score:.2f} on turn {len(turns)}")
    if carried or (latest.calm_framing and latest.report):
        return None  # a calm frame (this turn's report or the last turn's) builds no run or mood
    floor = rule.consecutive_threshold
    run = rule.consecutive_turns
    recent = turns[-run:]
    if len(recent) == run and all(_is_negative(t.emotion, labels, floor) for t in recent):
        scores = ", ".join(f"negative {negativity(t.emotion, labels):.2f}" for t in recent)
        return Trigger("negative_emotion", f"negative on {run} turns running ({scores})")
    if rule.mood and len(turns) > 1 and not latest.polite:
        settings = rule.mood
        history = mood(turns, config)
        rising = history[-1] > history[-2]
        if rising and history[-1] >= settings.threshold and score >= settings.floor:
            return Trigger("negative_emotion", f"mood rising to {history[-1]:.2f} over {len(turns)} turns")
    return None


def _complaint_is_a_report(turn: Turn, config: EscalationConfig) -> bool:
    """A calm customer who asks for nothing and names no case a person must
    handle (``Turn.case``), under a complaint-like intent (``offer_when_calm``),
    under an intent of ``offer_when_routine`` when the text was read
    (a question about a charge, a card declined), or under any complex intent
    while saying it is sorted or needs no action."""
    rule = config.file.triggers.complex_intent
    routine = turn.text_read and turn.intent in rule.offer_when_routine
    if turn.intent not in rule.offer_when_calm and not routine and not (turn.report and turn.intent in rule.intents):
        return False
    if turn.case and (not turn.report or turn.case in URGENT_CASES):
        return False
    emotion_rule = config.file.triggers.negative_emotion
    labels = emotion_rule.labels
    calm_below = rule.calm_below
    if turn.calm_framing and emotion_rule.calm_framing_threshold is not None:
        # issue 11, fourth pass: the calm frame's higher bar, as for the emotion trigger
        calm_below = max(calm_below, emotion_rule.calm_framing_threshold)
    # session 31: angry words about the customer's own day or said not to be at us (``Turn.not_at_us``) make no
    # complaint of ours ("accidentally replied-all to the whole office, I want to hide" read as ``complain``)
    calm = negativity(turn.emotion, labels) < calm_below or turn.not_at_us
    return calm and not turn.wants_action


def triggers(turns: Sequence[Turn], config: EscalationConfig) -> list[Trigger]:
    """Every escalation trigger the latest turn fires (unordered).

    Args:
        turns: the customer's turns, latest last.
        config: the escalation rules.

    Returns:
        The :class:`Trigger` list (code, detail); empty when nothing fires.
    """
    if not turns:
        return []
    latest = turns[-1]
    fired = []
    request = config.file.triggers.customer_request
    if latest.intent in request.intents and not latest.not_a_request and (latest.names_staff or latest.asks_for_person):
        fired.append(Trigger("customer_request", f"intent {latest.intent}", latest.case))
    elif latest.asks_for_person and request.explicit_request:
        fired.append(Trigger("customer_request", f"asked for a person (intent {latest.intent})", latest.case))
    elif latest.offered and latest.intent in request.accept_offer_intents:
        fired.append(Trigger("customer_request", "accepted the offer of a person"))
    elif _reader_asks(latest, config):
        fired.append(Trigger("customer_request", f"read as asking for a person ({latest.request_score:.2f})",
                             latest.case))
    complex_rule = config.file.triggers.complex_intent
    misread = latest.intent in complex_rule.needs_wording and latest.fraud_misread  # tenth pass: 哦哦找到了 as report_fraud
    if latest.intent in complex_rule.intents and not misread and not _complaint_is_a_report(latest, config):
        fired.append(Trigger("complex_intent", f"intent {latest.intent}", latest.case))
    elif latest.case and (not latest.report or latest.case in URGENT_CASES) and complex_rule.case_cues and not _complaint_is_a_report(
        latest, config
    ):
        # The what apart from the intent read: a fraud, double charge, legal threat,
        # formal complaint, safety issue or goods damaged/missing after the usual steps.
        fired.append(Trigger("complex_intent", f"case {latest.case} (intent {latest.intent})", latest.case))
    emotion = _emotion_trigger(turns, config)
    if emotion is not None:
        fired.append(emotion)
    return fired


def decide(turns: Sequence[Turn], config: EscalationConfig) -> Optional[Decision]:
    """The reason to hand over after the latest turn, or None to carry on.

    ``turns`` are the customer's messages in order, latest last (since the
    last hand-over). Fallback (``nlu_failure``) and troubleshooting
    (``flow_exhausted``) are decided by the actions that own those flows;
    this covers what any message can trigger. The decision keeps every
    trigger that fired; its code is the first by ``precedence``.

    Args:
        turns: the customer's turns, latest last.
        config: the escalation rules.

    Returns:
        The :class:`Decision`, or None.
    """
    return config.combine(triggers(turns, config))


def should_offer(turns: Sequence[Turn], config: EscalationConfig) -> bool:
    """A calm report (complaint-like intent, no demand, not upset): the bot
    answers and offers a person instead of opening a ticket. So does a
    question read as ``request_human`` that asks after a request or about
    the bot ("did anyone look at my request?"; ``Turn.not_a_request``): the
    offer, not the request rule's hand-over.

    Args:
        turns: the customer's turns, latest last.
        config: the escalation rules.

    Returns:
        True when the bot should offer a person rather than hand over.
    """
    if not turns or decide(turns, config) is not None:
        return False
    latest = turns[-1]
    asked_after = latest.not_a_request and latest.intent in config.file.triggers.customer_request.intents
    return asked_after or _complaint_is_a_report(latest, config)


def priority(
    decision: Decision,
    config: EscalationConfig,
    intent: Optional[str] = None,
    emotion: Optional[Emotion] = None,
    escalated_recently: bool = False,
) -> int:
    """1 (most urgent) … ``lowest``: anger, fraud and safety before a plain request.

    Uses every trigger of the decision: the most urgent base of them, the
    intent override, the case override (a trigger's ``case`` in ``case_overrides``:
    a gas smell goes first), one step more for a very upset customer (calibrated
    ``negative`` at least ``anger_threshold``, the same in every language;
    anger above the threshold for uncalibrated emotions), one more for a
    repeat escalation.

    Args:
        decision: why the conversation is handed over (every trigger counts).
        config: the escalation rules (``priority``).
        intent: the latest intent, for ``intent_overrides``; or None.
        emotion: the latest emotion, or None.
        escalated_recently: the customer was handed over within ``repeat_escalation_days``.

    Returns:
        The priority, 1 (most urgent) to ``priority.lowest``.
    """
    rules = config.file.priority
    value = min(rules.base.get(t.code, rules.lowest) for t in decision.all_triggers())
    if intent in rules.intent_overrides:
        value = min(value, rules.intent_overrides[intent])
    for trigger in decision.all_triggers():
        if trigger.case in rules.case_overrides:
            value = min(value, rules.case_overrides[trigger.case])
    threshold = (rules.anger_threshold if rules.anger_threshold is not None
                 else config.file.triggers.negative_emotion.threshold)
    plain_request = {t.code for t in decision.all_triggers()} == {"customer_request"}  # twentieth pass: no anger read
    if emotion is not None and not plain_request and (
        emotion.negative >= threshold if emotion.negative is not None
        else emotion.label == "anger" and emotion.score >= threshold
    ):
        value -= rules.anger_bonus
    if escalated_recently:
        value -= 1
    return max(1, min(rules.lowest, value))


def sla_target_seconds(priority_value: int, config: EscalationConfig) -> int:
    """The SLA target wait, in seconds, for a priority (1 = most urgent) from ``sla_target_wait_s``.

    A priority not listed gets the longest target.

    Args:
        priority_value: the ticket's priority (1 = most urgent).
        config: the escalation rules (``sla_target_wait_s``).

    Returns:
        Seconds.

    Raises:
        ValueError: ``sla_target_wait_s`` is empty.
    """
    targets = config.file.sla_target_wait_s
    return targets.get(priority_value, max(targets.values()))


def topic_of(intents: Sequence[Optional[str]], config: EscalationConfig, texts: Sequence[str] = ()) -> Optional[str]:
    """The topic of the latest intent that belongs to one; failing that, of the latest customer message that
    holds one of a topic's words (``topic_words``: "about my invoice" → billing).

    Args:
        intents: the conversation's intents, oldest first (None for unknown).
        config: the escalation rules (``topics``, ``topic_words``).
        texts: the customer's messages, oldest first.

    Returns:
        The topic name, or None.
    """
    topics = config.file.topics
    for intent in reversed([i for i in intents if i]):
        for topic, members in topics.items():
            if intent in members:
                return topic
    for text in reversed([t.lower() for t in texts if t]):
        for topic, words in config.file.topic_words.items():
            if any(re.search(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", text) for word in words):
                return topic
    return None


def skills(language: str, topic: Optional[str]) -> list[str]:
    """The skills a ticket needs: its language, then its topic if any (``["zh", "orders"]``).

    Args:
        language: the conversation's language (``en`` or ``zh``).
        topic: its topic, or None.

    Returns:
        The skill list.
    """
    return [language] + ([topic] if topic else [])


def _window_on(day: date, hours: SupportHours, zone: ZoneInfo) -> Optional[tuple[datetime, datetime]]:
    """The support window of local calendar ``day`` as aware UTC ``(start, end)`` (end excluded;
    ``24:00`` is the next midnight), or None when closed that day."""
    window = hours.weekly.get(day.weekday())
    if not window:
        return None
    start_text, end_text = window.split("-")
    start = datetime.combine(day, time.fromisoformat(start_text), zone)
    end = (datetime.combine(day + timedelta(days=1), time(0, 0), zone) if end_text == "24:00"
           else datetime.combine(day, time.fromisoformat(end_text), zone))
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def within_support_hours(moment: datetime, config: EscalationConfig) -> bool:
    """True if ``moment`` (an aware datetime) falls in escalation.yml's weekly support hours.

    Hours are read in ``support_hours.timezone``; a window ``HH:MM-HH:MM``
    includes its start and excludes its end (``24:00``: midnight); ``always_open`` is always true.

    Args:
        moment: an aware datetime.
        config: the escalation rules (``support_hours``).

    Returns:
        True or False.
    """
    hours = config.file.support_hours
    if hours.always_open:
        return True
    zone = ZoneInfo(hours.timezone)
    window = _window_on(moment.astimezone(zone).date(), hours, zone)
    return window is not None and window[0] <= moment < window[1]


def next_opening(moment: datetime, config: EscalationConfig) -> datetime:
    """When support hours are next open, from ``moment`` on: ``moment`` itself inside them (or with
    ``always_open``), else the start of the next weekly window, read in ``support_hours.timezone``.

    The SLA clock of a ticket starts then (bot/handover/packet.py): a case handed over at night is
    not late before anyone could answer it.

    Args:
        moment: an aware datetime.
        config: the escalation rules (``support_hours``).

    Returns:
        An aware datetime: ``moment`` unchanged when open (or when no day has hours at all, so
        there is nothing to wait for), else the next window's start in UTC.
    """
    hours = config.file.support_hours
    if within_support_hours(moment, config):
        return moment
    zone = ZoneInfo(hours.timezone)
    today = moment.astimezone(zone).date()
    for ahead in range(8):  # today's later window, or the same weekday next week at the latest
        window = _window_on(today + timedelta(days=ahead), hours, zone)
        if window is not None and window[0] > moment:
            return window[0]
    return moment


def sla_due_at(moment: datetime, target_s: int, config: EscalationConfig) -> datetime:
    """When a ticket handed over at ``moment`` is due: ``target_s`` seconds of support hours from then.

    The clock runs only while support hours are open: it starts at :func:`next_opening` and, when the
    window closes before the target is reached, the rest runs from the next opening (a priority-2 case
    handed over at 17:58 with a 5-minute target is due at 09:03 the next working day, not at 18:03 and
    "breached" all night). With ``always_open`` (or no hours at all) it is ``moment + target_s``.

    Args:
        moment: the hand-over time (aware).
        target_s: the SLA target wait, in seconds.
        config: the escalation rules (``support_hours``).

    Returns:
        An aware UTC datetime.
    """
    hours = config.file.support_hours
    start, left = next_opening(moment, config), timedelta(seconds=target_s)
    if hours.always_open:
        return start + left
    zone = ZoneInfo(hours.timezone)
    for _ in range(32):  # a target longer than a month of windows is not waited for window by window
        window = _window_on(start.astimezone(zone).date(), hours, zone)
        if window is None or not window[0] <= start < window[1] or start + left <= window[1]:
            return start + left
        left -= window[1] - start
        start = next_opening(window[1], config)
    return start + left


def estimated_wait_s(position: int, agents_online: int, config: EscalationConfig) -> int:
    """The wait, in whole seconds, of the customer at ``position`` (1 = next) in the queue.

    ``position`` × ``estimated_handle_s`` (escalation.yml, seconds per ticket;
    240 by default) shared among ``agents_online`` (at least 1 is assumed).

    Args:
        position: the place in the queue (1 = next).
        agents_online: enabled agents seen recently (0 counts as 1).
        config: the escalation rules (``estimated_handle_s``).

    Returns:
        Seconds.
    """
    return int(position * config.file.estimated_handle_s / max(agents_online, 1))


def escalated_within(previous: Sequence[datetime], now: datetime, config: EscalationConfig) -> bool:
    """True if any earlier escalation in ``previous`` is at most ``repeat_escalation_days`` (7) before ``now``.

    Args:
        previous: when the customer's earlier tickets were created (aware UTC).
        now: the current time (aware UTC).
        config: the escalation rules (``priority.repeat_escalation_days``).

    Returns:
        True or False.
    """
    days = config.file.priority.repeat_escalation_days
    return any(now - moment <= timedelta(days=days) for moment in previous)


def handoff_decision(events: Iterable[Mapping], intent: Optional[str],
                     config: Optional[EscalationConfig] = None) -> Decision:
    """Why ``action_handoff`` hands the conversation over now (review rev12 #5: the rule lives here,
    the action only calls it).

    In this order: a reason the channel sent with the request (the IVR's ``no_input``,
    ``flow_exhausted``: :func:`channel_decision`) is the decision; else every trigger that fired on
    the latest turn, the primary by escalation.yml's precedence (:func:`decide`); else the reason a
    rule's intent carries (``config.reason_for_intent``); else ``customer_request``.

    From an action, ``events`` are the window it is sent (issue 16, ``ACTION_EVENTS_TURNS``, at
    least 10 customer messages): the turns since the last hand-over within it. The triggers read the
    latest turns (a run of negative turns, the mood, whose weight of a turn ten turns back is
    0.6^10); only a detail's turn number ("on turn N", "over N turns") counts from the window's
    start when the last hand-over lies before it.

    Args:
        events: the conversation's tracker events (Rasa's dict shape), oldest first.
        intent: the latest message's intent name, or None.
        config: the escalation rules (default :func:`load_config`).

    Returns:
        The decision (primary reason code and every trigger that fired).
    """
    events = list(events)
    sent = channel_decision(events)
    if sent is not None:
        return sent
    config = config or load_config()
    decision = decide(turns_from_events(events), config)
    carried = config.reason_for_intent(intent)
    if decision is None and carried is not None:  # a rule sent us here
        decision = config.combine([Trigger(carried, f"intent {intent}")])
    return decision or config.combine([Trigger(ReasonCode.CUSTOMER_REQUEST.value, f"intent {intent}")])


#: The intents that mean "the bot did not understand" (the fallback rules run ``action_handle_fallback``).
def fallback_decision(events: Iterable[Mapping], text: str,
                      config: Optional["EscalationConfig"] = None) -> Optional[Decision]:
    """The ``nlu_failure`` hand-over once the misses in a row reach
    ``triggers.nlu_failure.consecutive_fallbacks`` (escalation.yml), else None (the bot asks the
    customer to rephrase). Review rev12 #5: the rule lives here, ``ActionHandleFallback`` only calls it.

    Args:
        events: the conversation's tracker events (Rasa's dict shape), oldest first; the latest
            user event is the miss being handled. From an action, the window it is sent (issue 16:
            at least 10 customer messages, more than a run of misses that hands over).
        text: the latest message's text (its first 200 characters go into the reason's detail).
        config: escalation.yml, validated; :func:`load_config` when None.

    Returns:
        ``Decision("nlu_failure", ...)`` (see :func:`nlu_failure`), or None.
    """
    intents = [(event.get("parse_data") or {}).get("intent", {}).get("name")
               for event in events if event.get("event") == "user"]
    return nlu_failure(intents, config or load_config(), text)
