import pytest
import json
from datetime import datetime, timezone

from bot.handover.packet import build_packet
from bot.handover.policy import Decision, decide, load_config, turns_from_events
from bot.handover.troubleshooting import Progress
from tests.conftest import PROJECT_ROOT

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "trackers" / "handoff_angry_en.json"
REQUIRED = {
    "schema", "ticket_id", "created_at", "conversation_id", "channel", "language", "customer", "reason",
    "priority", "skills", "summary", "intake", "troubleshooting", "emotion", "transcript", "sla",
}
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def packet(**overrides):
    tracker = json.loads(FIXTURE.read_text())
    progress = Progress("fx-handoff-en", "password_reset", steps_done=[1, 2], next_step=3)
    kwargs = dict(
        ticket_id="T1", conversation_id=tracker["sender_id"], events=tracker["events"], slots=tracker["slots"],
        decision=Decision("negative_emotion", "anger 0.93 on turn 3"), config=load_config(), progress=progress,
        now=NOW,
    )
    kwargs.update(overrides)
    return build_packet(**kwargs)


def test_packet_has_every_required_field_of_handoff_v1():
    p = packet()
    assert REQUIRED <= set(p)
    assert p["schema"] == "handoff/v1" and p["channel"] == "rest" and p["language"] == "en"
    assert p["reason"] == {"code": "negative_emotion", "detail": "anger 0.93 on turn 3",
                           "triggers": [{"code": "negative_emotion", "detail": "anger 0.93 on turn 3"}]}
    assert p["customer"]["identities"] == [{"channel": "rest", "id": "fx-handoff-en"}]
    json.dumps(p)  # serialisable as is


def test_intake_gathered_from_anywhere_in_the_conversation():
    p = packet()
    assert p["intake"]["order_number"] == "QX-100002"
    assert p["intake"]["email"] == "li.na@example.com"  # an intake field the agent needs, unmasked
    assert p["intake"]["topic"] == "billing"


def test_troubleshooting_steps_done_and_next():
    t = packet()["troubleshooting"]
    assert t["flow"] == "password_reset"
    assert [s.split(".")[0] for s in t["steps_done"]] == ["1", "2"]
    assert t["next_step"].startswith("3.")


def test_emotion_history_and_priority_and_sla():
    p = packet()
    assert p["emotion"]["label"] == "anger" and p["emotion"]["score"] == 0.93
    assert p["emotion"]["history"] == [0.05, 0.62, 0.93]  # the calibrated `negative` of each turn
    assert p["priority"] == 1  # anger
    assert p["sla"]["target_wait_s"] == 60
    # handed over at 18:00 Shanghai, closing time: due a minute after Thursday's 09:00 (01:00 UTC)
    assert p["sla"]["due_at"] == "2026-11-26T01:01:00+00:00"
    assert packet(now=datetime(2026, 11, 25, 9, 59, tzinfo=timezone.utc))["sla"]["due_at"] == \
        "2026-11-25T10:00:00+00:00"  # at 17:59, inside the hours: a minute later


def test_transcript_and_summary_are_masked():
    p = packet()
    texts = " ".join(m["text"] for m in p["transcript"])
    assert "4242 4242 4242 4242" not in texts and "[card …4242]" in texts
    assert "li.na@example.com" not in texts and "[email]" in texts
    assert "4242 4242" not in p["summary"]
    assert [m["from"] for m in p["transcript"]] == ["customer", "bot", "customer", "bot", "customer"]


def test_summary_in_the_desk_language_with_the_key_facts():
    p = packet(desk_language="zh")
    assert "订单 QX-100002" in p["summary"] and "情绪：负面 0.93" in p["summary"]
    assert "Order QX-100002" in p["summaries"]["en"]
    assert len(p["summaries"]["en"]) < 400  # five seconds of reading


def test_the_chinese_summary_names_every_code_in_chinese():
    """Issue 14: a Chinese-speaking agent reads the summary of an ENGLISH customer's ticket in
    Chinese: language, channel, topic, flow, next step and mood as words; what is left in Latin
    script is only the order number and the customer's own last message (quoted)."""
    import re

    p = packet(desk_language="zh")
    assert p["language"] == "en"  # an English customer
    zh = p["summaries"]["zh"]
    assert p["summary"] == zh
    assert "英文" in zh and "主题：账单" in zh and "密码重置：已完成 2 步" in zh and "下一步：第 3 步 打开邮件中的链接" in zh
    last = re.search(r"最后一句：“(.*)”$", zh)
    assert last, zh
    rest = zh[:last.start()].replace(p["intake"]["order_number"], "")
    assert not re.search(r"[A-Za-z]", rest), rest


def test_policy_decision_feeds_the_packet():
    tracker = json.loads(FIXTURE.read_text())
    decision = decide(turns_from_events(tracker["events"]), load_config())
    # every trigger that fired, the primary first by escalation.yml's precedence
    assert decision.code == "negative_emotion"
    p = packet(decision=decision)
    assert p["reason"]["code"] == "negative_emotion"
    assert [t["code"] for t in p["reason"]["triggers"]] == ["negative_emotion", "complex_intent"]
    assert p["reason"]["triggers"][1]["detail"] == "intent billing_dispute"
    assert p["priority"] == 1  # upset (2) beats the dispute (3), one step up for negative 0.93 >= 0.9


def test_customer_verification_says_how_far_to_trust_the_customer():
    from bot.customers.model import Customer, Identity

    assert packet()["customer"]["verification"] == "none"  # anonymous
    known = Customer("C1", "Emma", (Identity("email", "emma.wilson@example.com", True, "order_contact"),),
                     verification="order_contact")
    p = packet(customer=known.packet_view())
    assert p["customer"]["verification"] == "order_contact" and p["customer"]["id"] == "C1"
    legacy = {"id": "C2", "identities": []}  # a customer view from before the field existed
    assert packet(customer=legacy)["customer"]["verification"] == "none"


def test_the_summary_names_the_channel_as_the_desk_column_does_in_each_language():
    """Review rev14b #4: the English summary said "rest"/"web" beside a Channel column saying
    "API"/"Web chat"; now each language's summary uses the desk's own label (app.js ``channel.*``)."""
    import re
    from pathlib import Path

    from bot.handover.packet import WORDS_EN, WORDS_ZH, summary

    app = (Path(__file__).resolve().parents[2] / "connectors/agent_desk/static/app.js").read_text(encoding="utf-8")
    english, chinese = app.split("zh: {", 1) if "zh: {" in app else app.split("zh:", 1)
    labels = {lang: dict(re.findall(r"'channel\.(\w+)': '([^']+)'", part))
              for lang, part in (("en", english), ("zh", chinese))}
    assert labels["en"] == WORDS_EN["channel"] and labels["zh"] == WORDS_ZH["channel"]
    p = packet()
    for channel in ("web", "wechat", "ivr", "rest"):
        facts = {"reason": {"code": "customer_request"}, "language": "en", "channel": channel, "turns": 1,
                 "intake": {}, "troubleshooting": None, "emotion": None, "last_message": None}
        for lang in ("en", "zh"):
            assert f", {labels[lang][channel]})" in summary(lang, facts) or \
                f"，{labels[lang][channel]}）" in summary(lang, facts), (lang, channel)
    assert "(en, rest)" not in p["summaries"]["en"] and "(en, web)" not in p["summaries"]["en"]


@pytest.mark.parametrize("phone, kept", [
    ("+19005550100", None),          # premium rate: never called back, never the case's number (a new user's finding)
    ("+447700900123", None),         # an international number that does not exist
    ("+8613900139000", "+8613900139000"),
    ("5550123", "5550123"),          # keyed on a phone without a country code: the IVR bridge reads it back
])
def test_intake_keeps_no_number_a_colleague_would_never_call(phone, kept):
    from bot.handover.packet import intake
    assert intake({"phone": phone}, [], None)["phone"] == kept
