"""Session 31 (issue 11): small talk about the customer's own day, or with the bot itself, is no anger at us.

The emotion model scores such messages 0.77-1.0 angry ("so tired today, coffee number 4 and counting", "my phone's at
3% so if I vanish that's why", "you're my favourite chatbot, don't tell the others"; tests/dev26 and tests/dev27, both
small talk by fresh writers). By the label definitions the customer is calm with us. ``small_talk_not_at_us`` reads
them; ``anger_not_at_us`` (``Turn.not_at_us``) then keeps them from escalating on their own, and a complaint-like intent
read on them is no complaint. Anything aimed at us beside the small talk (a chase, a wait, a fault, scorn for the bot,
"you're the best... at losing parcels") keeps the message as it was read; after its review, anything but filler beside the
small talk does (a question above all: "So tired today. Would it kill you to answer an email?").
"""
import pytest

from bot.handover.policy import Emotion, Turn, decide, load_config
from bot.handover.triage.mood import anger_not_at_us, small_talk_not_at_us
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

CONFIG = load_config()

SMALL_TALK = [
    "so sleepy today lol, coffee number 3",
    "my toddler has been screaming all morning, send help 😂",
    "do you have a favourite colour?",
    "do you ever sleep?",
    "you're kinda funny for a bot",
    "good bot 😄",
    "我家猫又把纸箱拆了哈哈",
    "are you guys busy today? must be crazy",
    "honestly this year has been rough",
    "is anyone actually reading this? just curious",
    "do people ever get angry at you?",
    "do you get a lot of angry customers?",
    "I bet people shout at you all day",
    "what's the most annoying question people ask you?",
    "you guys must get so many weird messages",
    "I'm terrible at this online stuff, bear with me",
    "my boss is driving me crazy today haha",
    "I'm having the worst day ever lol, anyway hi",
    "你们每天是不是会遇到很多生气的客户啊",
    "有人冲你发火吗",
]

AT_US = [
    "I'm so tired of waiting for my refund",
    "so tired today and my parcel is STILL not here",
    "so tired today. where is my order",
    "I'm exhausted. 3 weeks and no parcel.",
    "what a monday. your app crashed again",
    "is it just me or is your website down again",
    "is it just me or is this chat useless",
    "It's freezing here and my heating engineer never showed up",
    "my phone's at 3% because I've been on hold with you for 2 hours",
    "my neighbour has been drilling since 7am and your engineer still hasn't come",
    "send help, your app ate my payment",
    "do you get tired of being useless?",
    "do you like your job? because nobody answers",
    "do you ever sleep? I can't, thanks to your noisy installation",
    "you're my favourite chatbot... said no one ever",
    "you're the best... at losing parcels",
    "knock knock. who's there? not my parcel.",
    "good bot. now where is my refund",
    "long time no chat, still no refund",
    "tell me a joke, like your delivery times",
    "hey bot, do you get tired? no? must be nice, I'm exhausted from chasing you lot",
    "are you busy? because nobody has answered me in 3 days",
    "must be nice to ignore customers all day",
    "this week has been rough, my order is still missing",
    "is anyone actually reading this? I've asked 4 times",
    "you must be busy, nobody answers the phone",
    "I bet people shout at you all day, I would too",
    "do you ever get annoyed? because I am, 3 weeks no refund",
    "I'm terrible at this online stuff and your app is useless",
    "do people ever get angry at you? no wonder",
    "I'm having the worst day ever thanks to your courier",
    "my boss is driving me crazy and your app crashed again",
    "bear with me, this is the fourth time I'm explaining this",
    "story of my life, another late parcel",
    "你们每天是不是会遇到很多生气的客户啊，我现在就是一个",
    "今天真是倒霉透顶，快递又丢了",
    "今天好累，快递还没到",
    "加班好累，你们客服电话一直打不通",
]


ATTACKER = [
    # its review: a fresh attacker's angry probes that the first version softened (/tmp/review31, a sample)
    'so tired rn. is this really the best customer service can do?',
    'Do you get tired? must be exhausting doing nothing all day',
    'Feeling drained. Is it normal that I had to explain this to 4 different people?',
    'Do you get a lot of angry customers? Add me to the list.',
    'SO TIRED. FIX IT.',
    'Do you dream? I dream of a company that answers emails.',
    "I've been talking to a bot this whole time, respect lol. explains a lot",
    "I'm so tired today. Would it kill you to answer an email?",
    'Is it just me or are the prices going up every week while the quality drops?',
    "It's pouring here. Who leaves a parcel in the rain?",
    'Story of my life. Why is it always me?',
    'This year has been a lot. Can you at least deliver one thing on time?',
    'Do you like your job? Who trained you, honestly?',
    'Good bot. What does it take to get a real answer?',
    "Knock knock. Who's there? Probably not the courier.",
    'You must get so many angry messages. Guess why?',
    'I just want to hide. Who sends a birthday gift with a price tag in it??',
    'is it just me or what',
    'SO TIRED TODAY. WHY IS THIS SO HARD???',
    'What a Monday. Sort it out.',
    "I'm exhausted. Done with this lot.",
    'Send help. Absolute cowboys.',
    "My phone's at 3% so if I vanish that's why. Probably better than hearing more excuses.",
    'is it just me or is this a rip off',
    'Good bot. Pity about the humans behind it.',
    'Do you ever sleep? Bet the warehouse does.',
    'I bet people swear at you all day. F*** this.',
    'So tired today, this company is the definition of incompetence.',
    'is it just me or does customer service here not exist??',
    'Must be hectic. Is that why my order is in limbo?',
    "I'm terrible at passwords but is locking me out for a day really necessary?",
    '最近好累，能不能给我一个说法？',
    '咖啡洒了，杯子盖子根本盖不严，能退吗？',
    '今天好累啊，客服真是厉害呢，一个问题问三遍',
    '最近好累，你们是不是觉得我好欺负？',
    '今天好累，你们怎么做生意的？',
    '今天好累，有没有一个能解决问题的人？',
    '最近好累，东西什么时候到啊？都等疯了',
    '你们每天会遇到很多生气的客户吗？知道为什么吗？',
    '最近真的好累，求你们了，能不能给我退了？',
]


@pytest.mark.parametrize("text", ATTACKER)
def test_the_reviews_angry_probes_are_not_small_talk(text):
    assert not small_talk_not_at_us(text)


@pytest.mark.parametrize("text", SMALL_TALK)
def test_small_talk_is_not_at_us(text):
    assert small_talk_not_at_us(text)
    assert anger_not_at_us(text)


@pytest.mark.parametrize("text", SMALL_TALK)
def test_it_does_not_hand_over_on_its_own_however_the_model_reads_it(text):
    assert decide_one(text, 0.98, "out_of_scope") is None


@pytest.mark.parametrize("text", AT_US)
def test_small_talk_beside_a_grievance_is_read_as_typed(text):
    assert not small_talk_not_at_us(text)
    assert escalates_for_emotion(decide_one(text, 0.98, "out_of_scope"))


def test_a_complaint_intent_read_on_small_talk_is_no_complaint():
    text = "so tired today, coffee number 4 and counting"
    assert decide_one(text, 0.82, "complain") is None


def test_a_next_angry_turn_still_counts():
    turns = [Turn.from_text("out_of_scope", Emotion("anger", 0.9, 0.9), "so tired today, coffee number 4 and counting"),
             Turn.from_text("check_order_status", Emotion("anger", 0.9, 0.9), "and where is my parcel, it's been a week")]
    assert escalates_for_emotion(decide(turns, CONFIG))
