from datetime import datetime, timezone

import pytest

from bot.policy import (
    Decision,
    Emotion,
    Turn,
    decide,
    escalated_within,
    load_config,
    priority,
    skills,
    sla_target_seconds,
    topic_of,
    within_support_hours,
)

CONFIG = load_config()


@pytest.mark.parametrize("intent", ["request_human"])
def test_asking_for_a_person_always_escalates(intent):
    calm = Turn(intent, Emotion("positive", 0.9))
    assert decide([calm], CONFIG).code == "customer_request"


@pytest.mark.parametrize("intent", ["complain", "report_fraud", "billing_dispute"])
def test_complex_intents_escalate(intent):
    assert decide([Turn(intent, Emotion("neutral", 0.9))], CONFIG).code == "complex_intent"


def test_one_very_angry_message_escalates_with_score_and_turn():
    turns = [Turn("greet", Emotion("neutral", 0.9)), Turn("check_order_status", Emotion("anger", 0.93))]
    decision = decide(turns, CONFIG)
    assert decision == Decision("negative_emotion", "anger 0.93 on turn 2")


def test_two_negative_turns_running_escalate():
    turns = [Turn("check_order_status", Emotion("frustration", 0.6)), Turn("inform", Emotion("anger", 0.55))]
    assert decide(turns, CONFIG).code == "negative_emotion"


def test_negative_then_calm_does_not_escalate():
    turns = [Turn("check_order_status", Emotion("frustration", 0.6)), Turn("inform", Emotion("neutral", 0.8))]
    assert decide(turns, CONFIG) is None


def test_calm_sadness_is_not_an_escalation():
    turns = [Turn("check_order_status", Emotion("sadness", 0.95)), Turn("inform", Emotion("sadness", 0.9))]
    assert decide(turns, CONFIG) is None


def test_ordinary_question_carries_on():
    assert decide([Turn("faq", Emotion("neutral", 0.97))], CONFIG) is None
    assert decide([], CONFIG) is None


def test_anger_and_fraud_come_before_a_plain_request():
    plain = priority(Decision("customer_request", ""), CONFIG, "request_human", Emotion("neutral", 0.9))
    fraud = priority(Decision("complex_intent", ""), CONFIG, "report_fraud")
    angry = priority(Decision("negative_emotion", ""), CONFIG, "inform", Emotion("anger", 0.95))
    assert fraud == 1 and angry == 1
    assert plain > angry


def test_repeat_escalation_within_a_week_goes_up():
    decision = Decision("customer_request", "")
    assert priority(decision, CONFIG, escalated_recently=True) == priority(decision, CONFIG) - 1
    now = datetime(2026, 11, 25, tzinfo=timezone.utc)
    assert escalated_within([datetime(2026, 11, 20, tzinfo=timezone.utc)], now, CONFIG)
    assert not escalated_within([datetime(2026, 11, 1, tzinfo=timezone.utc)], now, CONFIG)


def test_sla_target_follows_priority():
    assert sla_target_seconds(1, CONFIG) < sla_target_seconds(3, CONFIG) < sla_target_seconds(5, CONFIG)


def test_skills_from_language_and_topic():
    assert topic_of(["greet", "check_order_status", "request_human"], CONFIG) == "orders"
    assert skills("zh", "orders") == ["zh", "orders"]
    assert skills("en", None) == ["en"]


def test_support_hours_in_shanghai():
    # Wednesday 10:00 in Shanghai is 02:00 UTC
    assert within_support_hours(datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc), CONFIG)
    # Wednesday 20:00 Shanghai
    assert not within_support_hours(datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc), CONFIG)
    # Sunday noon Shanghai
    assert not within_support_hours(datetime(2026, 11, 29, 4, 0, tzinfo=timezone.utc), CONFIG)
