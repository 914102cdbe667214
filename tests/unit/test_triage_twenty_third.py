"""Issue 11, twenty-third pass (session 25): the kinds a fresh writer's first messages (tests/dev25, calm ones heavy with
emotional words) showed, read after they were scored untuned, each probed with new wordings written for this test (never
the writer's texts): a person praised loud, a rating that would come again, a loss found again; the weather sworn at, a low
mood or a diagnosis told plainly, a film that "destroyed me"; anger said to be at someone else or at oneself; a laughing
气死我了. Each with look-alikes whose wording still carries anger."""
import pytest

from bot.handover.triage.common import life_trouble_only
from bot.handover.triage.mood import anger_cue
from bot.nlu.emotion_lexicon import joy_as_style


@pytest.mark.parametrize("text", [
    "The man on the night desk was AMAZING, he found us a cot at 2am. Can I leave a review somewhere?",
    "the courier was an absolute legend today!!! how do I tip him",
    "10/10 would stay again!!! Is there a loyalty scheme?",
    "THANK YOU!!! the driver waited for us in the snow for ages",
    "谢谢！！落在出租车上的包已经找到了！！",
    "新店太好玩了吧！！周末几点开门？",
])
def test_praise_and_good_news_said_loud_are_style(text):
    assert joy_as_style(text)
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "The manager was INCREDIBLE at ignoring me for an hour!!!",
    "10/10 would NOT rent again!!! Charged twice.",
    "The driver was a star... at losing my parcel AGAIN!!!",
    "THANKS SO MUCH!!! The driver waited a week to deliver my fridge",
])
def test_praise_beside_a_grievance_is_not_style(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "ugh, this heatwave. do the vans have air con for the frozen stuff?",
    "Freezing out there, damn. Is the café open till 6?",
    "I've been feeling a bit down lately, is the spa day voucher still available?",
    "I have just been diagnosed with diabetes, can I change my meal plan?",
    "That finale completely wrecked me. Is season 3 coming to the app?",
    "Stressful morning with the builders! Anyway can I move my delivery to Friday?",
    "今天热死了，外卖能送冰饮吗？",
])
def test_life_trouble_told_plainly_is_not_anger(text):
    assert life_trouble_only(text.lower())
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "Freezing out there and your engineer STILL hasn't fixed the heating!!!",
    "Bloody hell, this heatwave and you've cancelled my fan delivery AGAIN",
    "feeling really down because you lost my parcel AGAIN!!!",
    "That finale wrecked me and your app crashed through the last ten minutes. Useless.",
])
def test_life_trouble_beside_our_fault_stays_anger(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    "Horrible week with my ex, nothing to do with you guys! Can I update my address?",
    "Silly me, I booked the wrong date. Can I swap it?",
    "What an idiot, I left my glasses on the train. Do you have lost property?",
    "My own stupid fault, I typed the wrong postcode. Can it be changed?",
    "气死我了哈哈哈，猫把充电线咬断了，再买一根有优惠吗",
    "怪我自己，地址填错了，还能改吗",
])
def test_anger_at_someone_else_or_at_oneself_is_not_ours(text):
    assert not anger_cue(text)


@pytest.mark.parametrize("text", [
    "I'm an idiot for trusting you with my wedding cake. Disgraceful.",
    "Nothing to do with you? Your driver smashed my gate!!!",
    "气死我了，你们又把货送错了",
    "Silly me for expecting a parcel on the day you promised. Useless.",
])
def test_the_same_words_aimed_at_us_stay_anger(text):
    assert anger_cue(text)


@pytest.mark.parametrize("text", [
    # session 25's review: a disclaimer, self-blame or staff praise beside a real grievance
    "Not your fault, but your company charged me twice and I'm absolutely furious",
    "Not aimed at you, but this is the worst service I've ever had, disgusting",
    "不是说你们，但你们公司这服务太烂了，气死我了",
    "不是针对你们，你们的客服简直就是骗子",
    "What an idiot your driver is, he threw my parcel over the fence",
    "I was an idiot to trust your company with my savings",
    "跟你们无关是吧？你们的客服简直就是骗子",
    "The lady I spoke to was INCREDIBLE... incredibly rude!!!",
    "10/10 would get scammed again!!!",
    "10/10 would never book again!!!",
    "Nothing to do with you? Your courier smashed my window, useless!",
    "Oh your agent was a real hero today, lost my booking and laughed about it",
])
def test_the_reviews_grievances_beside_the_new_exemptions_stay_anger(text):
    assert anger_cue(text)
