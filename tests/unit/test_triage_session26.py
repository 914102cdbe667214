"""Session 26 (issue 11): angry words about the customer's own life or said not to be at us, with no anger at us in
the wording, do not escalate a message on their own (escalation.yml ``not_at_us_one_message: false``,
bot.handover.triage.anger_not_at_us). tests/dev25's calm "Raining cats and dogs here, damn." scored 0.97 and was queued.

Each calm wording has angry look-alikes (self-blame that is sarcasm at us, a disclaimer followed by a complaint, life
trouble beside a fault of ours): those must still be read as anger at us.
"""
import pytest

from bot.handover.policy import Emotion, EscalationConfig, Turn, decide, load_config
from bot.handover.triage import anger_not_at_us
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

CONFIG = load_config()

CALM = [
    "Bloody hell, this heatwave. Do the standard rooms at the hotel have air con?",
    "Idiot me left my charger in room 214. Could you keep it aside for me?",
    "Silly me, I typed the wrong postcode. Can you change it to SW1A 1AA?",
    "Awful week with the builders, nothing to do with you. Can I move my delivery to Friday?",
    "气死我了哈哈，猫把快递盒占了，对了你们发香港吗",
    "怪我自己填错了地址，能帮我改一下吗？",
]

ANGRY_LOOK_ALIKES = [
    "Silly me, I believed your promise of next-day delivery. Where is it",
    "Silly me for thinking you'd actually deliver on time",
    "My own fault for ordering from you lot again",
    "Idiot me, trusting your tracking page. Third week, still nothing",
    "Not your fault personally, but your company is a joke and I want my money back",
    "Nothing to do with you, but the courier threw my parcel over the fence and it's smashed",
    "Damn this rain, and damn your driver who left my parcel in it",
    "Bloody hell, this heatwave and the air con in my room is broken again",
    "Rough day already and now your app charged me twice",
    "Stupid me paid for express shipping, a week later still waiting",
    "气死我了哈哈，开玩笑的，但是你们这个退款到底什么时候到账？已经一个月了",
    "怪我自己信了你们的鬼话",
    "不是说你们，是说你们那个快递员，态度太差了",
    "天气热死了，你们的空调还坏了，什么时候修",
    "Terrible weather, and your flight is cancelled again with no notice. Unacceptable",
    "What an idiot I was to book with you",
    "I'm such an idiot for paying you in advance",
    "Not aimed at you, but this company is a disgrace",
]


@pytest.mark.parametrize("text", CALM)
def test_anger_at_ones_own_life_or_oneself_is_not_at_us(text):
    assert anger_not_at_us(text)


@pytest.mark.parametrize("text", ANGRY_LOOK_ALIKES)
def test_self_blame_that_blames_us_and_disclaimers_before_a_complaint_are_anger_at_us(text):
    assert not anger_not_at_us(text)


@pytest.mark.parametrize("text", CALM)
def test_a_message_angry_at_something_else_does_not_escalate_on_its_own(text):
    # the model reads the angry words: 0.95-0.99 on tests/dev25's such messages
    assert decide_one(text, 0.97, "inform") is None


def test_anger_at_us_on_the_next_turn_still_escalates():
    first = Turn.from_text("inform", Emotion("anger", 0.97, 0.97), CALM[0])
    then = Turn.from_text("inform", Emotion("anger", 0.6, 0.6), "Still no answer?? This is useless")
    decision = decide([first, then], CONFIG)
    assert decision is not None and decision.code == "negative_emotion"


@pytest.mark.parametrize("text", ANGRY_LOOK_ALIKES[:6])
def test_the_look_alikes_still_escalate_for_emotion(text):
    assert escalates_for_emotion(decide_one(text, 0.97, "inform"))


def test_the_rule_is_a_setting():
    off = EscalationConfig({**CONFIG.raw, "triggers": {**CONFIG.raw["triggers"], "negative_emotion": {
        **CONFIG.raw["triggers"]["negative_emotion"], "not_at_us_one_message": None}}})
    decision = decide([Turn.from_text("inform", Emotion("anger", 0.97, 0.97), CALM[0])], off)
    assert decision is not None and decision.code == "negative_emotion"


# Someone else's words quoted (bot.nlu.emotion_lexicon.OTHERS_WORDS): a child's, a review's with a longer lead-in.
@pytest.mark.parametrize("text, quoted", [
    ('My son wrote "WORST DAY EVER" on a card because his game was delayed haha. Any update on pre-order shipping?',
     "WORST DAY EVER"),
    ('A review on your site says the customer was "absolutely furious" about the charger. Was there a recall?',
     "absolutely furious"),
    ("我儿子在卡片上写了“今天是最糟糕的一天”，因为游戏延期了哈哈。预售什么时候发货？", "最糟糕"),
])
def test_a_childs_or_a_reviews_quoted_anger_is_not_the_customers(text, quoted):
    from bot.nlu.emotion_lexicon import without_others_words

    assert quoted not in without_others_words(text)


@pytest.mark.parametrize("text", [
    'I wrote "WORST SERVICE EVER" in my review and I meant every word',
    'My son says "this company is a scam" and honestly I agree',
])
def test_the_customers_own_or_agreed_quotation_is_still_read(text):
    from bot.nlu.emotion_lexicon import without_others_words

    assert without_others_words(text) == text


# Its review (helper, 261 probes of its own, /work/review26): with the first rule 21 angry customers were kept because the
# self-blame, disclaimer or weather matched and the grievance was missing from a list of fault words; now what is left must
# ask something and name no wait, count or problem.
@pytest.mark.parametrize("text", [
    'Silly me for assuming "next day delivery" meant the next day. Day 4.',
    "Idiot me, I actually believed the tracking page. Parcel's nowhere.",
    "idiot me. day 9. no parcel.",
    "Stupid me for not reading the small print. Which you hid on page 14.",
    "What an idiot I am, why would anyone expect a taxi company to actually send a taxi?",
    "Silly me, expecting my order to arrive in one piece. Glass everywhere.",
    "Nothing to do with you. It's just that this is the fourth call, fourth person, fourth different answer.",
    "Nothing to do with you — the man on your phone line hung up on me twice.",
    "Not aimed at you. I've been waiting 2 hours for the technician who swore he'd be here by 10.",
    'Raining cats and dogs here, damn, and the driver\'s been "5 minutes away" for 40 minutes.',
    "It's pouring and I've been stood at the collection point 45 minutes. Where is the driver.",
    "怪我自己太天真，以为次日达真的是次日达。第四天了。",
    "是我自己的错，不该在大促的时候买东西，十天了一个物流信息都没有。",
    "怪我自己，非要在这家买，三天两头出问题。",
    "是我自己的错，我不该指望一个快递能按时送到。",
    "怪我自己傻，花三百块买了个一洗就缩水的外套。",
    "气死了😂 花一千多买的耳机，一边没声音",
    "烦死了哈哈哈哈 第四次了 快递还是放错柜子",
])
def test_its_review_grievances_beside_self_blame_or_a_disclaimer_are_anger_at_us(text):
    assert not anger_not_at_us(text)


@pytest.mark.parametrize("text", [
    'My own silly fault — I ticked "collect" instead of "deliver". Can you switch it?',
    "不是针对你们，我今天对谁都没好气。麻烦帮我开张发票。",
    "跟你们无关哈，我自己把盒子扔了，没有包装还能退吗？",
    "stupid me broke my glasses, do you do same-day repairs?",
])
def test_its_review_calm_questions_after_self_blame_or_a_disclaimer(text):
    assert anger_not_at_us(text)
