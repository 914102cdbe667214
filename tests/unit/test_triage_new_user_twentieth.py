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
