"""The escalation decisions the actions used to make themselves now live in bot.handover.policy
(review rev12 #5): ``handoff_decision`` for ``action_handoff``, ``fallback_decision`` for the
second miss in a row."""
from __future__ import annotations

from bot.handover.policy import fallback_decision, handoff_decision, load_config


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                                                          "entities": []}}


def test_the_second_miss_in_a_row_hands_over_with_nlu_failure():
    assert fallback_decision([user("blorp", "nlu_fallback")], "blorp") is None
    assert fallback_decision([user("hi", "greet"), user("blorp", "nlu_fallback")], "blorp") is None
    decision = fallback_decision([user("blorp", "out_of_scope"), user("zzz" * 100, "nlu_fallback")], "zzz" * 100)
    assert decision.code == "nlu_failure"
    assert decision.detail == "two fallbacks in a row; last message: " + ("zzz" * 100)[:200]


def test_a_plain_request_for_a_person_is_a_customer_request():
    decision = handoff_decision([user("can I talk to a person", "request_human")], "request_human", load_config())
    assert decision.code == "customer_request" and "request_human" in decision.detail


def test_the_reason_the_channel_sent_is_the_decision():
    said = {**user("...", "request_human"), "metadata": {"ivr_escalation": "no_input",
                                                         "ivr_escalation_detail": "three silences"}}
    decision = handoff_decision([said], "request_human")
    assert (decision.code, decision.detail) == ("no_input", "three silences")
