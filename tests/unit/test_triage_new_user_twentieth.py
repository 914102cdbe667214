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
