"""Session 32 (issue 11): what its review of small talk found.

Session 32 tried letting one plain question or request about what the company sells or does stand beside small talk
about the customer's own day ("so tired today. just want to check my points balance please"); a fresh attacker had 178
of 298 angry probes accepted ("So tired today. Do you sell parcels that arrive?", "What a week. How do I escalate
this?", 今天好累，你们卖假货吗？) and it was taken out: only filler may stand beside small talk (session 31). What stays:
tiredness *from us* is no small talk of the customer's own day (今天等你们好累, 今天催单催得好累), and a demand for an
explanation or for someone who can fix it is anger at us beside a tiredness of one's own (最近好累，能不能给我一个说法？).
"""
import pytest

from bot.handover.triage.mood import anger_not_at_us, small_talk_not_at_us
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

# The review's probes (a sample of the 178 the request version accepted): none is small talk.
ATTACKER = [
    "So tired today. Do you sell parcels that arrive?",
    "What a week. How can I escalate this?",
    "what a morning. do you do anything right?",
    "Is it just me or do you guys do nothing all day?",
    "So tired. Can I get a parcel that turns up on time?",
    "So tired today. I want to know how you sleep at night.",
    "What a Monday. Can you tell me where my money went?",
    "SO TIRED. HOW DO I CLOSE MY ACCOUNT",
    "what a monday!!! do you sell parcels that arrive!!!",
    "Coffee number 4. Do you sell parcels that arrive?",
    "Good bot. How do I close my account?",
    "Send help. Do you have a complaints number?",
    "I'm having the worst day ever. Do you offer compensation?",
    "今天好累，你们卖假货吗？",
    "今天好累。你们有没有良心？",
    "今天好累，请问可以退货吗，这种质量我不要了",
    "今天好累！！！请问可以退货吗！！！",
    "周一好忙，有没有能准时送达的？",
    "今天等你们好累，有没有电话？",
]

# Tiredness from us is no small talk of the customer's own day.
TIRED_FROM_US = ["今天等你们好累", "今天催单催得好累", "今天为了你们好累啊", "今天找你们好累"]

# A tiredness of one's own beside a demand for an explanation or for someone who can fix it.
DEMANDS_BESIDE_OWN_TIREDNESS = ["最近好累，能不能给我一个说法？", "今天好累，有没有一个能解决问题的人？", "今天好累，有没有人管啊"]


@pytest.mark.parametrize("text", ATTACKER + TIRED_FROM_US + DEMANDS_BESIDE_OWN_TIREDNESS)
def test_the_reviews_angry_probes_are_not_small_talk(text):
    assert not small_talk_not_at_us(text)


@pytest.mark.parametrize("text", TIRED_FROM_US + DEMANDS_BESIDE_OWN_TIREDNESS)
def test_they_hand_over_when_the_model_reads_anger(text):
    assert not anger_not_at_us(text)
    assert escalates_for_emotion(decide_one(text, 0.98, "out_of_scope"))


@pytest.mark.parametrize("text", ["今天好累哈哈", "今天真的好累啊", "这周好忙", "加班好困啊"])
def test_the_customers_own_tiredness_is_still_small_talk(text):
    assert small_talk_not_at_us(text)
    assert decide_one(text, 0.98, "out_of_scope") is None


# tests/dev28 (its odd ids): small talk the session-31 rule did not know, with nothing but filler beside it.
MORE_SMALL_TALK = [
    "how many people have you talked to today 😅",
    "tell me a joke, I've had a long day",
    "You're way more polite than my coworkers, just saying",
    "I've had such a long day lol",
    "how many customers do you chat with a day?",
]
# ... and what stands beside it in an angry customer's mouth
MORE_AT_US = [
    "I've had a long day. where is my refund",
    "how many people have you talked to today? because none of them fixed my order",
    "you're nicer than my coworkers but useless",
    "you're more polite than the last bot, still useless",
    "I've had such a long day chasing you lot",
    "how many customers have you talked to today who got their money back?",
    "you're nicer than my coworkers, just saying, unlike your delivery team",
]


@pytest.mark.parametrize("text", MORE_SMALL_TALK)
def test_more_small_talk_is_not_at_us(text):
    assert small_talk_not_at_us(text)
    assert decide_one(text, 0.98, "out_of_scope") is None


@pytest.mark.parametrize("text", MORE_AT_US)
def test_its_angry_look_alikes_are_read_as_typed(text):
    assert not small_talk_not_at_us(text)
    assert escalates_for_emotion(decide_one(text, 0.98, "out_of_scope"))


# Their review (a fresh attacker, 139 angry probes; 54 accepted before the narrowing, 3 after, none naming us): a
# comparison with our staff or company, a shouted or "??" how-many, a sour emoji, a question of filler alone after it.
ATTACKER_ON_THE_ADDITIONS = [
    "You're way more polite than the last agent, just saying",
    "You're more polite than half your staff, just saying",
    "you're friendlier than the useless staff",
    "You're more fun than the refund process lol",
    "You're nicer than the company, honestly",
    "You're more polite than the scammers lol",
    "I've had the worst day. You're more patient than the manager. Just saying.",
    "HOW MANY PEOPLE HAVE YOU TALKED TO TODAY?!?!",
    "how many people have you talked to today?? ok",
    "How many customers have you talked with so far?? 😑",
    "How many humans have you spoken to so far? Honestly?",
    "How many people have you talked to today? Just me? Well.",
    "I've had such a long day. Well. 😑",
    "I'VE HAD A LONG DAY. JUST SAYING.",
    "I just had the worst day ever 💩",
]
THEIR_CALM = [
    "You're sweeter than my sister haha",
    "You're more patient than me honestly 😅",
    "You're nicer than most people I know haha",
    "SO TIRED TODAY LOL",
    "Do you ever sleep??? 😂",
]


@pytest.mark.parametrize("text", ATTACKER_ON_THE_ADDITIONS)
def test_the_additions_reviews_probes_are_not_small_talk(text):
    assert not small_talk_not_at_us(text)


@pytest.mark.parametrize("text", THEIR_CALM)
def test_the_additions_calm_ones_are(text):
    assert small_talk_not_at_us(text)
