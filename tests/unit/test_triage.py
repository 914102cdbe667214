"""What a message asks for, apart from how the customer feels (bot.triage)."""
import pytest

from bot.triage import asks_for_person, is_polite, wants_action


@pytest.mark.parametrize("text", [
    "talk to a human", "can I speak with your manager", "agent please", "human",
    "my order is QX-123456, I want to speak to a real person", "13800138000, please have someone call me back",
    "Please put me through to a member of your support team", "are you a bot? I want a person", "can someone from your team look at this",
    "转人工", "人工客服", "订单 QX-654321 帮我转接人工客服", "叫你们经理来", "我的手机号13800138000，请人工联系我",
])
def test_explicit_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "are you a bot?", "are you a real person or a bot?", "你是真人吗", "am I talking to a real human?",
    "where is my order QX-123456", "I don't need a human, just the delivery date",
    "the delivery person was rude", "不用转人工，我自己看看", "我的订单到哪了", "my manager asked me to order this",
])
def test_no_request_for_a_person(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text, expected", [
    ("how long does a refund take?", False), ("I want a refund for the blender", True),
    ("I want to file a complaint", True), ("the box was a bit dented, just so you know", False),
    ("退款多久到账？", False), ("我要退款", True), ("投诉快递员", True), ("包装有点压痕，提醒一下", False),
])
def test_a_demand_is_told_from_a_report_or_a_question(text, expected):
    assert wants_action(text) is expected


def test_apologies_and_thanks():
    assert is_polite("sorry to bother you again") and is_polite("谢谢") and is_polite("不好意思又来问")
    assert not is_polite("where is my parcel")
