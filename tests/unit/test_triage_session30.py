"""Session 30 (issue 11): a greeting alone, however loud, is small talk.

"HELLO!!!", "GOOD MORNING!!!", "hi!!! how are you today???" and 你好！！！ were queued for emotion at 0.98-1.0 (the model
reads rows of "!" as anger). The label definitions (tests/dev25/DEFINITIONS.md) call small talk calm, and the writers
of every development set labelled greetings calm ("HI!!! 😄" in dev26). ``loud_greeting_as_style`` reads such a message
by its words; a presence check ("HELLO??? ANYONE???", 有人吗？？？), an urgent word in capitals, an angry face or any
clause that is not a greeting keeps it as typed.
"""
import pytest

from bot.handover.triage.mood import anger_cue
from bot.nlu.emotion_lexicon import loud_greeting_as_style, read_as_style
from tests.unit.escalation_steps import decide_one, escalates_for_emotion

LOUD_GREETINGS = [
    "HELLO!!!", "hello!!!", "HI THERE!!!", "GOOD MORNING!!!", "HEY!!! 👋", "hi!!! how are you today???",
    "Good morning!!! Hope you're well!!!", "Hey!!! How's it going???", "你好！！！", "早上好！！！",
    "您好！！！辛苦了！！！", "Hello!!! Merry Christmas!!!", "HAPPY NEW YEAR!!!", "Morning all!!!", "你好！！！新年快乐！！！",
]

NOT_GREETINGS = [
    "HELLO??? ANYONE???",          # a presence check in capitals
    "Hello!!! Is anyone actually there???",
    "hello!!! still waiting!!!",
    "GOOD MORNING!!! NOT!!!",
    "Hi!!! 🙄",
    "HELLO?!?! 😡",
    "HI!!! WHERE IS MY REFUND???",
    "你好！！！我的快递呢？？？",
    "有人吗？？？",
    "在吗！！！",
    "HELLO AGAIN!!!",
    "OK!!!",
    "WOW!!!",
    "hello",                       # nothing loud: nothing to read differently
    # its review (a fresh attacker): a greeting asked, said again and again, beside a call for attention, an impatient
    # face or one word shouted in lower case is a customer kept waiting
    "HELLO???", "hello?!", "你好？？？", "Hello!!! Hello!!! HELLO!!!", "HEY!!! HEY!!! HEY!!!", "你好！！！你好！！！你好！！！",
    "Good morning!!! Good afternoon!!! Good evening!!!", "HELLO!!! EXCUSE ME!!!", "你好！！！客服！！！", "喂！！！你好！！！",
    "你好！！！在吗？？？", "HELLO!!! 😠", "Hi!!! 🙃", "HELLO!!! 😑", "Good MORNING!!!",
]


@pytest.mark.parametrize("text", LOUD_GREETINGS)
def test_a_loud_greeting_is_read_by_its_words(text):
    assert loud_greeting_as_style(text)
    read = read_as_style(text)
    assert read == read.lower()
    assert not any(mark * 2 in read for mark in "!?！？")


@pytest.mark.parametrize("text", NOT_GREETINGS)
def test_what_is_not_only_a_greeting_is_read_as_typed(text):
    assert not loud_greeting_as_style(text)


@pytest.mark.parametrize("text", ["HELLO!!!", "GOOD MORNING!!!", "你好！！！"])
def test_its_loudness_is_no_anger_cue(text):
    assert not anger_cue(text)


def test_a_presence_check_in_capitals_still_hands_over():
    assert escalates_for_emotion(decide_one("HELLO??? ANYONE???", 0.99, "greet"))


# dev27 (small talk; the odd ids' failures read in session 30, the even ids' not): what the wording makes plain
from bot.handover.triage.mood import mild_irritation, strong_anger, strong_sarcasm  # noqa: E402
from bot.nlu.emotion_lexicon import capitals_excused  # noqa: E402

STRONG = [
    "this is bullsh*t, hi, where is my package",          # a swear word with its letters starred
    "s**t service as usual",
    "Hey bot, do you actually know anything or just repeat the FAQ?",
    "How's your day? Mine's ruined thanks to your 'express' shipping.",
]
NOT_STRONG = [
    "Do you actually know anything about vintage watches?",
    "my weekend was ruined by the rain, anyway do you sell umbrellas",
    "can you repeat the opening hours please",
]


@pytest.mark.parametrize("text", STRONG)
def test_the_wording_makes_the_anger_plain(text):
    assert strong_anger(text)


@pytest.mark.parametrize("text", NOT_STRONG)
def test_its_calm_look_alikes_are_not_strong(text):
    assert not strong_anger(text)


@pytest.mark.parametrize("text", [
    "Good morning! Day 9 of waiting for my order.",
    "Hi there! Just checking if my order has been shipped to the moon, since it's taking that long 🙂",
])
def test_a_mock_greeting_or_an_order_sent_to_the_moon_is_sarcasm(text):
    assert strong_sarcasm(text)


@pytest.mark.parametrize("text", ["Good morning! Day 3 of my holiday and loving it", "Do you deliver to Mars? lol",
                                  "hello! day 2 of the sale, is the blue one still in stock?"])
def test_their_calm_look_alikes_are_not(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", ["IS THIS THE CHAT??? sorry new phone, caps stuck lol",
                                  "NOT SHOUTING, JUST CAN'T SEE WELL. DO YOU SELL LARGE PRINT BOOKS?"])
def test_capitals_said_to_be_an_accident_are_read_in_lower_case(text):
    assert capitals_excused(text)
    assert read_as_style(text) == read_as_style(text).lower()
    assert not anger_cue(text)


@pytest.mark.parametrize("text", ["SORRY CAPS LOCK, WHERE IS MY REFUND??? 3 WEEKS!!!", "sorry caps lock, YOUR APP IS USELESS",
                                  "NOT SHOUTING BUT THIS IS THE THIRD TIME I ASK!!!",
                                  # its review: an excuse with nothing asked is read as typed
                                  "I'M NOT SHOUTING!!!", "SORRY FOR THE CAPS. THIS IS THE FOURTH TIME I'M WRITING.",
                                  "caps lock is stuck and so is my order", "Sorry for the caps, I'M LEAVING FOR ANOTHER PROVIDER",
                                  "SORRY CAPS. UNBELIEVABLE.", "Caps lock stuck. Don't care. Fix it.",
                                  "NOT SHOUTING. BUT I AM CLOSING MY ACCOUNT.", "sorry for the caps lol. anyway, 2 weeks and no parcel"])
def test_an_excuse_beside_a_grievance_changes_nothing(text):
    assert not capitals_excused(text)
    assert read_as_style(text) == text


@pytest.mark.parametrize("text", ["Hello again, sorry to bother you twice today!", "sorry to bother you again", "不好意思又来打扰了"])
def test_an_apology_for_writing_again_is_mild(text):
    assert mild_irritation(text)
    assert decide_one(text, 0.97, "greet") is None


@pytest.mark.parametrize("text", ["SORRY TO BOTHER YOU AGAIN", "sorry to bother you again but where is my refund, 3 weeks now"])
def test_a_loud_or_longer_one_is_read_as_typed(text):
    assert not mild_irritation(text)


def test_a_joke_asked_for_is_no_verdict():
    assert not anger_cue("Hi bot! Tell me a joke before I ask my question 😂")
    assert anger_cue("your service is a joke") and anger_cue("what a joke")


# dev26's even ids, read in session 30 (dev27's even ids are now the unread check)
from bot.handover.triage import needs_person_case  # noqa: E402
from bot.handover.triage.person import asks_for_person  # noqa: E402
from bot.nlu.emotion_lexicon import joy_as_style  # noqa: E402


@pytest.mark.parametrize("text", ["I passed my driving test today!!!", "THE NEW GYM SHOWERS ARE AMAZING!!! 🙌",
                                  "hi hi!! just wanted to say you guys rock!!!!"])
def test_good_news_and_praise_said_loud_are_read_by_their_words(text):
    assert joy_as_style(text)


@pytest.mark.parametrize("text", ["you lot are the best!!! at losing parcels", "YOU GUYS ARE THE BEST AT IGNORING EMAILS!!!",
                                  "I passed the test today, now refund me TODAY!!!", "YOU GUYS ROCK!!! not. still no refund"])
def test_praise_for_a_fault_or_beside_a_demand_is_read_as_typed(text):
    assert not joy_as_style(text)


@pytest.mark.parametrize("text", ["so hot today i'm melting 🥵", "今天好热啊 我要化了🥵"])
def test_a_person_melting_in_the_heat_is_no_hazard(text):
    assert needs_person_case(text) is None


@pytest.mark.parametrize("text", ["the charger melted", "充电器化了", "I'm melting, and the charger melted too"])
def test_a_melted_thing_still_is(text):
    assert needs_person_case(text) == "safety"


def test_asking_whether_a_human_types_the_replies_asks_for_none():
    assert not asks_for_person("Is there a real human typing this or is it all automatic? no worries either way")
    assert asks_for_person("is there a real human behind this? put me through to them please")


def test_the_weathers_what_a_surprise_is_not_at_us():
    assert not anger_cue("hi its raining again here in vancouver what a surprise")
    assert strong_sarcasm("raining again and my parcel left outside, what a surprise")


# its second review (a fresh attacker, 513 probes): what the session-30 rules read wrongly, now mended
@pytest.mark.parametrize("text", ["HELLO HELLO HELLO!!!", "HEY HEY HEY!!!", "哈喽哈喽哈喽！！！", "HELLO!!! 👎", "你好！！！👎"])
def test_a_greeting_said_three_times_or_with_a_displeased_emoji_is_read_as_typed(text):
    assert not loud_greeting_as_style(text)


@pytest.mark.parametrize("text", ["NOT SHOUTING. WHERE IS IT?", "NOT SHOUTING. WHO DO I COMPLAIN TO?",
                                  "NOT SHOUTING. HOW DO I CLOSE MY ACCOUNT?", "SORRY ABOUT THE CAPS. HELLO. IS THIS THING ON?",
                                  "I'M NOT SHOUTING. WHY WOULD I SHOUT? EVERYTHING IS FINE. TOTALLY FINE."])
def test_an_excuse_beside_a_chase_a_complaint_or_a_way_out_is_read_as_typed(text):
    assert not capitals_excused(text)


@pytest.mark.parametrize("text", ["Should I type the whole address or just copy the postcode?",
                                  "Does the bot actually understand anything other than English?",
                                  "My daughter was spoiled by your staff on her birthday, thank you!",
                                  "My diet is ruined thanks to your amazing chocolate cake 😂",
                                  "Does the parental filter block words like sh*t?"])
def test_calm_messages_with_the_new_strong_words_are_not_strong(text):
    assert not strong_anger(text)


@pytest.mark.parametrize("text", ["Good morning! Day 3 of waiting for my new sofa and I'm so excited!",
                                  "My order was sent to Jupiter, FL yesterday, when will it arrive?",
                                  "the share price is going to the moon 🚀"])
def test_a_cheerful_wait_or_a_real_place_is_no_sarcasm(text):
    assert not strong_sarcasm(text)


@pytest.mark.parametrize("text", ["Are you kidding me?!", "are you kidding me? 3 weeks for a refund",
                                  "Tell me a joke. Oh wait, your customer service already is one."])
def test_kidding_and_jokes_at_the_company_keep_their_cue(text):
    assert anger_cue(text)
