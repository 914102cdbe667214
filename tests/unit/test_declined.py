"""A person named only to be declined ("no need for a person, just tell me …", 不用转人工): the
request_human read is dropped and the rest of the message decides (bot.nlu.declined)."""
import pytest

from bot.nlu.declined import without_declined_request

RANKING = [{"name": "request_human", "confidence": 0.75}, {"name": "check_order_status", "confidence": 0.2},
           {"name": "inform", "confidence": 0.05}]


@pytest.mark.parametrize("text", [
    "I don't need a human, where is my order?", "No need for a person, just tell me my bill date",
    "no need for an agent. I received someone else's order with their name and address on it",  # "someone" asks for nobody
    "不用转人工，我的快递到哪了", "不需要人工，帮我查下订单"])
def test_a_declined_person_leaves_the_ranking_and_the_rest_is_renormalised(text):
    ranking = without_declined_request(text, RANKING)
    assert [r["name"] for r in ranking] == ["check_order_status", "inform"]
    assert ranking[0]["confidence"] == pytest.approx(0.8) and ranking[1]["confidence"] == pytest.approx(0.2)


@pytest.mark.parametrize("text", [
    "I want a human, where is my order?",  # asks for one
    "I don't need an agent to call me back, just transfer me to a person now",  # declined once, asked again
    "不用客服回电，直接给我转人工",
    "do not need a bot, I need a human",
])
def test_a_request_for_a_person_keeps_its_intent(text):
    assert without_declined_request(text, RANKING) == RANKING


def test_only_a_top_request_intent_is_dropped():
    ranking = [{"name": "check_order_status", "confidence": 0.6}, {"name": "request_human", "confidence": 0.4}]
    assert without_declined_request("no need for a person, where is my order", ranking) == ranking
    assert without_declined_request("no need for a person", [{"name": "request_human", "confidence": 1.0}]) == [
        {"name": "request_human", "confidence": 1.0}]  # nothing else to read
    assert without_declined_request("", []) == []
