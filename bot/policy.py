"""Escalation policy: when to hand over, with which reason, how urgently.

Pure functions over a small view of the conversation; thresholds come from
``escalation.yml`` so a supervisor can tune them without touching code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Sequence
from zoneinfo import ZoneInfo

import yaml

from bot.settings import PROJECT_ROOT, get_settings

DEFAULT_CONFIG = PROJECT_ROOT / "escalation.yml"


@dataclass(frozen=True)
class Emotion:
    label: str
    score: float


@dataclass(frozen=True)
class Turn:
    """What the policy needs to know about one customer message."""

    intent: Optional[str]
    emotion: Optional[Emotion] = None


@dataclass(frozen=True)
class Decision:
    code: str
    detail: str


@dataclass(frozen=True)
class EscalationConfig:
    raw: Mapping

    @classmethod
    def load(cls, path: Path | str = DEFAULT_CONFIG) -> "EscalationConfig":
        return cls(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    def trigger(self, code: str) -> Mapping:
        return self.raw["triggers"].get(code) or {}


@lru_cache(maxsize=4)
def _load(path: str) -> EscalationConfig:
    return EscalationConfig.load(path)


def load_config(path: Optional[str] = None) -> EscalationConfig:
    """`escalation.yml`, or the file named by ESCALATION_CONFIG."""
    return _load(path or get_settings().escalation_config or str(DEFAULT_CONFIG))


def _is_negative(emotion: Optional[Emotion], labels: Sequence[str], threshold: float) -> bool:
    return emotion is not None and emotion.label in labels and emotion.score >= threshold


def decide(turns: Sequence[Turn], config: EscalationConfig) -> Optional[Decision]:
    """The reason to hand over after the latest turn, or None to carry on.

    ``turns`` are the customer's messages in order, latest last. Fallback
    (``nlu_failure``) and troubleshooting (``flow_exhausted``) are decided
    by the actions that own those flows; this covers what any message can
    trigger.
    """
    if not turns:
        return None
    latest = turns[-1]
    # The reason is the cause of the hand-over: what the customer asked for,
    # then what the bot must not handle, then how they feel (the mood still
    # raises the priority of the first two; see priority()).
    for code in ("customer_request", "complex_intent"):
        if latest.intent in config.trigger(code).get("intents", []):
            return Decision(code, f"intent {latest.intent}")
    rule = config.trigger("negative_emotion")
    labels = rule.get("labels", ["anger", "frustration"])
    emotion = latest.emotion
    if _is_negative(emotion, labels, rule.get("threshold", 0.75)):
        return Decision("negative_emotion", f"{emotion.label} {emotion.score:.2f} on turn {len(turns)}")
    run = rule.get("consecutive_turns", 2)
    recent = turns[-run:]
    if len(recent) == run and all(
        _is_negative(t.emotion, labels, rule.get("consecutive_threshold", 0.5)) for t in recent
    ):
        scores = ", ".join(f"{t.emotion.label} {t.emotion.score:.2f}" for t in recent)
        return Decision("negative_emotion", f"negative on {run} turns running ({scores})")
    return None


def priority(
    decision: Decision,
    config: EscalationConfig,
    intent: Optional[str] = None,
    emotion: Optional[Emotion] = None,
    escalated_recently: bool = False,
) -> int:
    """1 (most urgent) … ``lowest``: anger and fraud before a plain request."""
    rules = config.raw["priority"]
    value = rules["base"].get(decision.code, rules.get("lowest", 5))
    if intent in rules.get("intent_overrides", {}):
        value = min(value, rules["intent_overrides"][intent])
    threshold = config.trigger("negative_emotion").get("threshold", 0.75)
    if emotion is not None and emotion.label == "anger" and emotion.score >= threshold:
        value -= rules.get("anger_bonus", 1)
    if escalated_recently:
        value -= 1
    return max(1, min(rules.get("lowest", 5), value))


def sla_target_seconds(priority_value: int, config: EscalationConfig) -> int:
    targets = {int(k): int(v) for k, v in config.raw["sla_target_wait_s"].items()}
    return targets.get(priority_value, max(targets.values()))


def topic_of(intents: Sequence[Optional[str]], config: EscalationConfig) -> Optional[str]:
    """The topic of the latest intent that belongs to one."""
    topics = config.raw.get("topics", {})
    for intent in reversed([i for i in intents if i]):
        for topic, members in topics.items():
            if intent in members:
                return topic
    return None


def skills(language: str, topic: Optional[str]) -> list[str]:
    return [language] + ([topic] if topic else [])


def within_support_hours(moment: datetime, config: EscalationConfig) -> bool:
    hours = config.raw["support_hours"]
    if hours.get("always_open"):
        return True
    local = moment.astimezone(ZoneInfo(hours.get("timezone", "UTC")))
    window = hours["weekly"].get(local.weekday())
    if not window:
        return False
    start, end = (time.fromisoformat(part) for part in window.split("-"))
    return start <= local.time() < end


def estimated_wait_s(position: int, agents_online: int, config: EscalationConfig) -> int:
    return int(position * config.raw.get("estimated_handle_s", 240) / max(agents_online, 1))


def escalated_within(previous: Sequence[datetime], now: datetime, config: EscalationConfig) -> bool:
    days = config.raw["priority"].get("repeat_escalation_days", 7)
    return any(now - moment <= timedelta(days=days) for moment in previous)
