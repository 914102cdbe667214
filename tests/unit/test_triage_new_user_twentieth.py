"""Issue 11, twentieth pass: a fresh new user's findings, each probed with new wordings of the same kinds (never the
user's own texts): a transfer declined with no one named, an insult after a polite opening and a "but", staff only
mentioned, plain requests read as anger."""
import pytest

from bot.handover.policy import Decision, Emotion, Trigger, Turn, decide, load_config, priority, should_offer
from bot.nlu.declined import without_declined_request

CONFIG = load_config()
CALM = Emotion("neutral", 0.9, 0.02)


def _decide(intent, text, emotion=CALM, score=None):
    return decide([Turn.from_text(intent, emotion, text, request_score=score)], CONFIG)


# --- 1. a transfer declined with no one named -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "No need to transfer me, cheers", "there's no need to put me through, I'm sorted", "you don't have to escalate this, thanks",
    "No need to connect me.", "不用帮我转了，谢谢", "不需要转接了，我自己再看看", "不用给我转啦",
])
def test_a_transfer_declined_with_no_one_named_never_hands_over(text):
    assert _decide("request_human", text, score=0.65) is None
    ranking = [{"name": "request_human", "confidence": 0.7}, {"name": "thank", "confidence": 0.3}]
    assert [r["name"] for r in without_declined_request(text, ranking)] == ["thank"]


@pytest.mark.parametrize("text", [
    "no need to transfer me to billing, put me through to a person",  # a target, and a person asked for
    "you don't need to transfer me to the bot again, get me a human",
    "不用转财务了，直接给我转人工",
])
def test_a_transfer_declined_then_a_person_asked_for_still_hands_over(text):
    assert _decide("request_human", text).code == "customer_request"


@pytest.mark.parametrize("text", ["no need to transfer money to my account", "I want to transfer my points to my wife"])
def test_a_transfer_of_something_is_no_declined_person(text):
    ranking = [{"name": "request_human", "confidence": 0.7}, {"name": "thank", "confidence": 0.3}]
    assert without_declined_request(text, ranking) == ranking


# --- 2. an insult after a polite opening and a "but" -------------------------------------------------------------------

@pytest.mark.parametrize("intent, text", [
    ("thank", "Cheers, take your time, but you lot are a bunch of liars"),
    ("thank", "Thank you, no hurry at all, but I'll never order from you thieving crooks again"),
    ("report_fraud", "No worries :) but I'm reporting you to the police for this"),
    ("thank", "谢谢啊，慢慢来，不过你们就是黑店"),
    ("report_fraud", "辛苦了，不急，但是你们坑了我的钱，我要报警"),
    ("complain", "谢谢，没事，但是你们这群奸商太过分了"),
])
def test_an_insult_after_but_is_anger_whatever_polite_opening_precedes_it(intent, text):
    turn = Turn.from_text(intent, CALM, text)
    assert turn.anger_cue and turn.strong and not turn.calm_framing
    decision = decide([turn], CONFIG)
    assert decision is not None and "negative_emotion" in [t.code for t in decision.all_triggers()]


@pytest.mark.parametrize("text", [
    "Thanks, but you said scammers might text me, is this one of them?",  # a warning asked about
    "I know it's not your fault but there are thieves in my building",  # thieves, not the company
    "谢谢，但是我遇到了骗子，有人冒充你们客服",  # a victim of someone else (a fraud case, not an insult)
])
def test_a_thief_or_scammer_who_is_not_the_company_is_no_insult(text):
    assert not Turn.from_text("inform", CALM, text).strong


# --- 3. calm messages that only mention staff -------------------------------------------------------------------------

@pytest.mark.parametrize("intent, text", [
    ("request_human", "The lady on the helpline was really patient with me"),
    ("request_human", "your driver was so friendly this morning"),
    ("request_human", "My wife works as a call centre agent, can she pay for my order?"),
    ("request_human", "My brother is a customer service rep too, can he collect the parcel?"),
    ("check_order_status", "Will the courier ring me when the parcel arrives?"),
    ("request_human", "Does someone text me before the delivery arrives?"),
    ("request_human", "Do you charge to speak to an agent?"),
    ("faq", "请问转人工要收费吗"),
    ("faq", "人工客服是免费的吗"),
    ("report_fraud", "我老婆是做客服的，她能帮我付款吗"),
    ("report_fraud", "我朋友也是做售后的，他能替我退货吗？"),
    ("request_human", "昨天那个客服小姐姐服务特别好，表扬一下"),
    ("complain", "给上次上门的师傅点个赞"),
    ("request_human", "快递到了会有人打电话通知我吗"),
])
def test_staff_only_mentioned_is_no_request_nor_a_fraud_case(intent, text):
    turn = Turn.from_text(intent, CALM, text, request_score=0.8)
    assert turn.not_a_request
    assert decide([turn], CONFIG) is None
    if intent == "report_fraud":
        assert turn.fraud_misread


@pytest.mark.parametrize("intent, text", [
    ("request_human", "The agent I had was very helpful, can I speak to her again?"),
    ("request_human", "Do you charge to speak to an agent? Either way put me through to one now"),
    ("request_human", "转人工要收费吗？收费也行，马上给我转人工"),
    ("request_human", "Will someone call me? I've been waiting a week for my refund"),
])
def test_a_person_still_asked_for_beside_the_mention_hands_over(intent, text):
    assert _decide(intent, text).code == "customer_request"


def test_praise_with_something_left_undone_is_not_staff_only_told_about():
    turn = Turn.from_text("report_fraud", CALM, "The lady at the desk was lovely but my refund still hasn't arrived")
    assert not turn.fraud_misread


# --- 4. plain requests read as anger ------------------------------------------------------------------------------------

ANGRY_READ = Emotion("anger", 0.9, 0.96)


@pytest.mark.parametrize("intent, text", [
    ("request_human", "supervsior pls"), ("request_human", "ring me back"), ("request_human", "agent"),
    ("request_human", "有人工吗"), ("request_human", "有没有人工呀"), ("request_human", "人工客服"),
    ("inform", "Could I have a quick word with someone in billing?"),
    ("request_human", "I'd like a brief word with whoever runs deliveries"),
])
def test_a_plain_request_hands_over_as_a_request_without_the_anger_bonus(intent, text):
    turn = Turn.from_text(intent, ANGRY_READ, text)
    decision = decide([turn], CONFIG)
    assert decision.code == "customer_request"
    assert [t.code for t in decision.all_triggers()] == ["customer_request"]
    assert priority(decision, CONFIG, intent, turn.emotion) == priority(decision, CONFIG, intent, None)


@pytest.mark.parametrize("text", ["HUMAN NOW!!", "get me a human, this is useless", "转人工！！！气死了", "有没有人啊？？等半天了"])
def test_a_request_with_anger_in_the_wording_keeps_the_anger(text):
    turn = Turn.from_text("request_human", ANGRY_READ, text)
    decision = decide([turn], CONFIG)
    assert "negative_emotion" in [t.code for t in decision.all_triggers()]
    assert priority(decision, CONFIG, "request_human", turn.emotion) < priority(decision, CONFIG, "request_human", None)


def test_the_anger_bonus_still_counts_beside_the_emotion_trigger():
    request = Trigger("customer_request", "asked for a person")
    upset = Trigger("negative_emotion", "anger 0.95 on turn 1")
    very = Emotion("anger", 0.9, 0.95)
    assert priority(Decision("customer_request", "", (request, upset)), CONFIG, "inform", very) < priority(
        Decision("customer_request", "", (request,)), CONFIG, "inform", very)
