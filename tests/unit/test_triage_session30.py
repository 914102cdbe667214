"""Session 30 (issue 11): a greeting alone, however loud, is small talk.

"HELLO!!!", "GOOD MORNING!!!", "hi!!! how are you today???" and 你好！！！ were queued for emotion at 0.98-1.0 (the model
reads rows of "!" as anger). The label definitions (tests/dev25/DEFINITIONS.md) call small talk calm, and the writers
of every development set labelled greetings calm ("HI!!! 😄" in dev26). ``loud_greeting_as_style`` reads such a message
by its words; a presence check ("HELLO??? ANYONE???", 有人吗？？？), an urgent word in capitals, an angry face or any
clause that is not a greeting keeps it as typed.
"""
import pytest

from bot.handover.policy import Emotion, Turn, decide, load_config
from bot.handover.triage.mood import anger_cue
from bot.nlu.emotion_lexicon import loud_greeting_as_style, read_as_style

CONFIG = load_config()

LOUD_GREETINGS = [
    "HELLO!!!", "hello!!!", "HI THERE!!!", "GOOD MORNING!!!", "HEY!!! 👋", "hi!!! how are you today???",
    "Good morning!!! Hope you're well!!!", "Hey!!! How's it going???", "hello!! thanks!!", "你好！！！", "早上好！！！",
    "您好！！！辛苦了！！！", "HELLO???",
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
    decision = decide([Turn.from_text("greet", Emotion("anger", 0.99, 0.99), "HELLO??? ANYONE???")], CONFIG)
    assert decision is not None and "negative_emotion" in [t.code for t in decision.all_triggers()]
