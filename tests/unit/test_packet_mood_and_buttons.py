"""s20eng2 #5: the agent's view of a hand-over names the mood as the trigger does (the calibrated negativity,
"negative 0.56", not "neutral 0.56" beside "is upset"), and a hand-over from a button keeps its line."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.handover.packet import build_packet, transcript
from bot.handover.policy import Emotion, Turn, decide, load_config

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def _user(text, label="neutral", score=0.6, negative=None, **metadata):
    emotion = {"label": label, "score": score, **({"negative": negative} if negative is not None else {})}
    return {"event": "user", "text": text, "timestamp": 1764064800.0, "input_channel": "rest",
            "metadata": metadata, "parse_data": {"intent": {"name": "complain", "confidence": 0.9},
                                                 "entities": [], "emotion": emotion}}


def test_the_trigger_detail_and_the_summary_name_the_same_negativity():
    config = load_config()
    turns = [Turn.from_text("complain", Emotion("neutral", 0.56, 0.97), "this is a joke, fix it now!!!")]
    decision = decide(turns, config)
    assert decision is not None and decision.code == "negative_emotion"
    assert decision.detail.startswith("negative 0.97 on turn 1"), decision.detail
    events = [_user("this is a joke, fix it now!!!", "neutral", 0.56, 0.97)]
    p = build_packet(ticket_id="T1", conversation_id="c1", events=events, slots={}, decision=decision,
                     config=config, now=NOW)
    assert "is upset" in p["summaries"]["en"] and "Mood: negative 0.97." in p["summaries"]["en"]
    assert "情绪：负面 0.97。" in p["summaries"]["zh"]
    assert "neutral" not in p["summaries"]["en"]


def test_a_run_of_negative_turns_names_the_negativity_of_each():
    config = load_config()
    rule = config.file.triggers.negative_emotion
    floor = rule.consecutive_threshold + 0.01
    turns = [Turn.from_text("inform", Emotion("neutral", 0.5, floor), "still waiting") for _ in range(rule.consecutive_turns)]
    decision = decide(turns, config)
    if decision is not None and decision.code == "negative_emotion" and "running" in decision.detail:
        assert "neutral" not in decision.detail and f"negative {floor:.2f}" in decision.detail


@pytest.mark.parametrize("shown_as, line", [("Talk to a person", "Talk to a person"),
                                            (None, "[button] Talk to a person")])
def test_a_hand_over_from_a_button_keeps_its_line_and_a_greeting_payload_none(shown_as, line):
    events = [_user('/greet{"language": "en"}'),
              _user("/request_human", **({"shown_as": shown_as} if shown_as else {}))]
    lines = transcript(events, "rest")
    assert [(l["from"], l["text"]) for l in lines] == [("customer", line)]
